/* SPDX-License-Identifier: MIT */
/* virtio-net (VIRTIO 1.2, 5.1): one receive and one transmit queue, a MAC address and a link
 * status in config space, frames to and from a host backend (net_backend.h): user-mode
 * networking (libslirp) or a host TAP device.
 *
 * Features: MAC, STATUS (always link up) and VERSION_1 (the transport's). Not MRG_RXBUF: with
 * no GSO offered (slirp and the tap speak 1500-byte MTU frames), every frame fits one
 * receive buffer, and Linux then posts 1518 + header bytes per buffer; mergeable buffers would
 * only pay with 64 KiB GSO frames. No CSUM/TSO: the guest checksums, frames stay small.
 * Every buffer header is the 12-byte virtio_net_hdr of VERSION_1 (num_buffers = 1).
 *
 * Threads: the device thread (device.c) does everything: the queues' kicks and, through
 * vdev.host_fd (an epoll set of the backend's descriptors and a timerfd), the backend's
 * sockets and timers. Receive never blocks the backend's stack: frames with no guest buffer
 * to go to wait in a bounded backlog, and while they wait the backend reads no more from the
 * host (its sockets' receive interest is dropped: TCP backs off on the host side). Frames
 * beyond the backlog, and what a hostile driver gets wrong, are dropped and counted:
 *   tx: a chain shorter than the header, a frame longer than NET_MAX_FRAME, a chain with no
 *       readable buffer -> pushed back with length 0, tx_dropped;
 *   rx: a buffer chain with less room than header + frame -> pushed back with length 0, the
 *       frame dropped, rx_dropped.
 * A broken ring is the transport's (DEVICE_NEEDS_RESET). */
#ifndef VMM_VIRTIO_NET_H
#define VMM_VIRTIO_NET_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "virtio/virtio.h"

#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16
#define VIRTIO_NET_S_LINK_UP 1

#define VIRTIO_NET_HDR_LEN 12	/* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define NET_MAX_FRAME	   1514 /* Ethernet, MTU 1500, no FCS */
#define NET_MAX_NICS	   8
#define NET_MAX_HOSTFWD	   16

enum net_backend_type { NET_USER, NET_TAP };

struct net_hostfwd {
	bool udp;
	struct in_addr host_addr; /* INADDR_ANY if not given */
	uint16_t host_port;
	struct in_addr guest_addr; /* INADDR_ANY: slirp's first DHCP address */
	uint16_t guest_port;
};

/* One --net option. */
struct net_opts {
	enum net_backend_type type;
	uint8_t mac[6];
	struct net_hostfwd fwd[NET_MAX_HOSTFWD]; /* user */
	unsigned nr_fwd;
	char ifname[16]; /* tap (IFNAMSIZ) */
};

/* Parses "user[,hostfwd=tcp:127.0.0.1:2222-:22]...[,mac=52:54:00:12:34:56]" or
 * "tap,ifname=tap0[,mac=...]" into *o; index is the NIC's (its default MAC ends in 0x56 +
 * index, as QEMU's 52:54:00:12:34:56 and up). -EINVAL with a message naming what is wrong. */
VMM_MUST_CHECK int net_parse_opts(const char *s, unsigned index, struct net_opts *o,
				  struct vmm_err *err);

/* The decoders (net_frame.c). A transmit request -> the frame after its header, copied into
 * frame (NET_MAX_FRAME bytes): 0, or -EINVAL for a chain shorter than the header or a frame
 * longer than NET_MAX_FRAME. A frame -> a receive request's writable buffers, header first:
 * 0 with *used the bytes written, or -ENOSPC (nothing written) if they are too small. */
VMM_MUST_CHECK int net_tx_decode(const struct virtq_req *req, uint8_t *frame, size_t *len);
VMM_MUST_CHECK int net_rx_encode(const struct virtq_req *req, const uint8_t *frame, size_t len,
				 uint32_t *used);

/* A new device on its backend (the sockets, port forwards or tap opened now: a port in use or
 * a missing tap device is an error here, before the guest starts). */
VMM_MUST_CHECK int virtio_net_create(const struct net_opts *o, struct virtio_dev **out,
				     struct vmm_err *err);

#endif
