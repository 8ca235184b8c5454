/* SPDX-License-Identifier: MIT */
/* What virtio-net (net.c) needs of a host network: frames out (send), frames in (deliver, a
 * call back into the device), and its descriptors watched by the device thread. A backend
 * registers its descriptors in the device's epoll set (epfd) and is serviced from the device
 * thread only, with the device's lock held, so it needs no locking of its own (libslirp is
 * not thread-safe). */
#ifndef VMM_VIRTIO_NET_BACKEND_H
#define VMM_VIRTIO_NET_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "virtio/net.h"

struct net_backend;

/* The device's side: 0 if the frame went into a guest buffer or the backlog, -ENOBUFS if it
 * was dropped (counted by the device). */
typedef int (*net_deliver_fn)(void *opaque, const uint8_t *frame, size_t len);

struct net_backend_ops {
	/* A frame from the guest (the device dropped the header). Failures are the network's:
	 * the frame is lost, as on a wire. */
	void (*send)(struct net_backend *be, const uint8_t *frame, size_t len);
	/* Services the backend's descriptors and timers (something in epfd became ready, or a
	 * frame was sent): delivers what arrived; reads from the host only while rx_open
	 * (frames are waiting for guest buffers otherwise), and re-registers its interest. */
	void (*poll)(struct net_backend *be, bool rx_open);
	/* Stops watching anything (the device was reset: nothing may wake the thread until the
	 * driver is back). */
	void (*quiesce)(struct net_backend *be);
	void (*destroy)(struct net_backend *be);
};

struct net_backend {
	const struct net_backend_ops *ops;
	/* takes a TCP/IPv4 frame of up to 64 KiB whole (HOST_TSO4: its own TCP segments
	 * towards the host); else the device cuts such frames into MTU-sized ones */
	bool tso_whole;
	/* delivers only frames its own stack made, checksums right (GUEST_CSUM: DATA_VALID) */
	bool rx_csum_valid;
	int epfd;
	net_deliver_fn deliver;
	void *opaque;
};

/* Backends: 0 or -errno with err set. */
VMM_MUST_CHECK int net_slirp_create(const struct net_opts *o, int epfd, net_deliver_fn deliver,
				    void *opaque, struct net_backend **out, struct vmm_err *err);
VMM_MUST_CHECK int net_tap_create(const struct net_opts *o, int epfd, net_deliver_fn deliver,
				  void *opaque, struct net_backend **out, struct vmm_err *err);

#endif
