/* SPDX-License-Identifier: MIT */
/* virtio-net (VIRTIO 1.2, 5.1): one receive and one transmit queue, a MAC address and a link
 * status in config space, frames to and from a host backend (net_backend.h): user-mode
 * networking (libslirp) or a host TAP device.
 *
 * Features: MAC, STATUS (always link up) and VERSION_1 (the transport's), and the transmit
 * offloads that spare the guest's (interpreted, so costly) per-byte work: CSUM (the guest
 * leaves a checksum for the device to finish) and HOST_TSO4 (the guest hands over TCP/IPv4
 * frames of up to 64 KiB; net_offload.c finishes them and cuts them into MTU-sized
 * segments for a backend that needs real frames, the tap; libslirp takes them whole, its
 * TCP re-segments towards the host). GUEST_CSUM on receive: frames from libslirp's own
 * stack are marked DATA_VALID, so the guest does not verify checksums of frames that never
 * crossed a wire. Not GUEST_TSO/MRG_RXBUF: the backends deliver 1500-byte MTU frames, every
 * frame fits one receive buffer (Linux then posts 1518 + header bytes per buffer).
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

#define VIRTIO_NET_F_CSUM	    0
#define VIRTIO_NET_F_GUEST_CSUM 1
#define VIRTIO_NET_F_MAC	    5
#define VIRTIO_NET_F_HOST_TSO4  11
#define VIRTIO_NET_F_STATUS	    16
#define VIRTIO_NET_S_LINK_UP	    1

/* virtio_net_hdr (VIRTIO 1.2, 5.1.6) */
#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE	    0
#define VIRTIO_NET_HDR_GSO_TCPV4    1
#define VIRTIO_NET_HDR_GSO_ECN	    0x80

#define VIRTIO_NET_HDR_LEN 12	/* struct virtio_net_hdr with num_buffers (VERSION_1) */
#define NET_MAX_FRAME	   1514 /* Ethernet, MTU 1500, no FCS */
#define NET_MAX_GSO_FRAME  (14 + 65535) /* a TSO frame: Ethernet + the largest IPv4 packet */
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

/* The header's fields the device acts on. */
struct net_hdr {
	uint8_t flags, gso_type;
	uint16_t gso_size, csum_start, csum_offset;
};

/* The decoders (net_frame.c). A transmit request -> its header into *hdr and the frame after
 * it, copied into frame (max bytes): 0, or -EINVAL for a chain shorter than the header or a
 * frame longer than max. A frame -> a receive request's writable buffers, header first (its
 * flags byte hdr_flags): 0 with *used the bytes written, or -ENOSPC (nothing written) if
 * they are too small. */
VMM_MUST_CHECK int net_tx_decode(const struct virtq_req *req, uint8_t *frame, size_t max,
				 size_t *len, struct net_hdr *hdr);
VMM_MUST_CHECK int net_rx_encode(const struct virtq_req *req, const uint8_t *frame, size_t len,
				 uint8_t hdr_flags, uint32_t *used);

/* The transmit offloads (net_offload.c), on a frame the guest sent with header h (checked
 * here: only what was negotiated -- csum for CSUM, tso for HOST_TSO4 -- and only offsets
 * inside the frame). Finishes the checksum the guest left (NEEDS_CSUM); a TCPV4 GSO frame
 * gets its IPv4 and TCP checksums whole, and with segment it is cut into segments of
 * gso_size payload bytes, each a complete frame of at most NET_MAX_FRAME bytes with its own
 * IP length, id, checksums, sequence number and flags (FIN and PSH on the last only, CWR on
 * the first). emit gets every frame to send (the one frame, or each segment, seg is
 * NET_MAX_FRAME bytes of scratch). 0, or -EINVAL (the frame is dropped: nothing emitted)
 * for a header that does not fit the frame or what was negotiated, or a non-GSO frame over
 * NET_MAX_FRAME. */
typedef void (*net_emit_fn)(void *opaque, const uint8_t *frame, size_t len);
struct net_offload {
	bool csum, tso; /* negotiated CSUM, HOST_TSO4 */
	bool segment;	/* the backend takes MTU-sized frames only */
};
VMM_MUST_CHECK int net_offload_tx(const struct net_offload *o, const struct net_hdr *h,
				  uint8_t *frame, size_t len, uint8_t *seg, net_emit_fn emit,
				  void *opaque);
/* The Internet checksum's running sum over len bytes (one's complement, big-endian words;
 * an odd last byte as the high half of a word). */
uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len);
/* The sum folded to 16 bits and complemented: the checksum field's value. */
uint16_t net_csum_fold(uint32_t sum);

/* A new device on its backend (the sockets, port forwards or tap opened now: a port in use or
 * a missing tap device is an error here, before the guest starts). */
VMM_MUST_CHECK int virtio_net_create(const struct net_opts *o, struct virtio_dev **out,
				     struct vmm_err *err);

#endif
