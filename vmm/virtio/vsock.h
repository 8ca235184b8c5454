/* SPDX-License-Identifier: MIT */
/* virtio-vsock (VIRTIO 1.2, 5.10): stream sockets between the guest (CID from --vsock) and the
 * host (CID 2), the host end a Unix socket the way Firecracker offers it:
 *
 *   host -> guest   the host connects to PATH and writes "CONNECT <port>\n"; once the guest's
 *                   listener on <port> accepts, softkvm answers "OK <hostport>\n" (hostport:
 *                   the host-side port the guest sees) and the same Unix connection carries
 *                   the stream both ways;
 *   guest -> host   a guest connect to CID 2 port P connects to the Unix socket "PATH_P"
 *                   (the host listens there beforehand); refused when nothing listens.
 *
 * Three queues: rx (device -> driver packets), tx (driver -> device packets), event
 * (TRANSPORT_RESET after a device reset dropped live connections). Every packet starts with
 * the 44-byte little-endian header below; only VIRTIO_VSOCK_TYPE_STREAM exists here.
 * Flow control is the spec's credit: each side says how much it can buffer (buf_alloc) and
 * how much it has passed on (fwd_cnt); a sender keeps what is in flight within that. The
 * device buffers what the guest sends while the host's socket cannot take it (at most
 * VSOCK_BUF_ALLOC bytes a connection, the credit it advertises), and reads from a host
 * socket only as much as the guest's credit and receive buffers allow.
 *
 * What a guest gets wrong: a packet too short for its header, a len beyond its buffers or
 * above VSOCK_MAX_PAYLOAD, a source CID that is not its own or a destination that is not the
 * host: dropped (counted). An unknown op or type, data beyond the credit, a packet for a
 * connection that does not exist or in a state where it makes no sense: an RST for that
 * connection (which is closed on the host side too). None of it reaches outside the
 * request's buffers or stops other connections.
 *
 * The protocol (vsock_proto.c) is apart from the device (vsock.c) so the unit tests and the
 * fuzz harness drive it with plain requests. */
#ifndef VMM_VIRTIO_VSOCK_H
#define VMM_VIRTIO_VSOCK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/un.h>

#include "error.h"
#include "virtio/virtio.h"

#define VSOCK_HOST_CID	     2
#define VSOCK_MIN_GUEST_CID  3
#define VSOCK_MAX_GUEST_CID  0xfffffffeu /* 0xffffffff is VMADDR_CID_ANY */
#define VSOCK_HDR_LEN	     44
#define VSOCK_MAX_PAYLOAD    (64u << 10) /* Linux's VIRTIO_VSOCK_MAX_PKT_BUF_SIZE */
#define VSOCK_BUF_ALLOC	     (64u << 10) /* what the device buffers per connection */
#define VSOCK_MAX_CONNS	     64
#define VSOCK_RST_BACKLOG    64		/* RSTs for no connection, waiting for rx buffers */
#define VSOCK_HOST_PORT_BASE (1u << 30) /* host ports of host-initiated connections */
#define VSOCK_CONNECT_LINE   32		/* "CONNECT 4294967295\n" fits */

enum {
	VSOCK_OP_INVALID = 0,
	VSOCK_OP_REQUEST = 1,
	VSOCK_OP_RESPONSE = 2,
	VSOCK_OP_RST = 3,
	VSOCK_OP_SHUTDOWN = 4,
	VSOCK_OP_RW = 5,
	VSOCK_OP_CREDIT_UPDATE = 6,
	VSOCK_OP_CREDIT_REQUEST = 7,
};
#define VSOCK_TYPE_STREAM	    1
#define VSOCK_SHUTDOWN_RCV	    1u /* the sender will receive no more */
#define VSOCK_SHUTDOWN_SEND	    2u /* the sender will send no more */
#define VSOCK_EVENT_TRANSPORT_RESET 0
#define VSOCK_F_STREAM		    0 /* feature bit (1.2): stream sockets */

struct vsock_hdr {
	uint64_t src_cid, dst_cid;
	uint32_t src_port, dst_port, len;
	uint16_t type, op;
	uint32_t flags, buf_alloc, fwd_cnt;
};

/* --vsock CID[,uds=PATH] */
struct vsock_opts {
	uint32_t cid;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) - 11]; /* room for "_<port>" */
};

/* Parses "CID[,uds=PATH]" (default PATH: softkvm-vsock-CID.sock in the current directory).
 * -EINVAL with a message for a CID outside 3..2^32-2, an unknown suboption, a PATH too long
 * for a Unix socket address with its "_<port>" suffix. */
VMM_MUST_CHECK int vsock_parse_opts(const char *s, struct vsock_opts *o, struct vmm_err *err);

/* The header at the start of a request's readable buffers; 0, or -EINVAL if they are shorter
 * than the header or than len says, or len is above VSOCK_MAX_PAYLOAD. */
VMM_MUST_CHECK int vsock_hdr_decode(const struct virtq_req *req, struct vsock_hdr *h);
void vsock_hdr_encode(const struct vsock_hdr *h, uint8_t out[VSOCK_HDR_LEN]);

struct vsock_counters {
	atomic_uint_fast64_t host_conns, guest_conns, rst_sent, dropped;
	atomic_uint_fast64_t rx_bytes, tx_bytes; /* to the guest, from the guest */
};

/* One stream between a guest port and a host Unix connection. */
struct vsock_conn {
	enum {
		VSOCK_CONN_HANDSHAKE,	/* host connected, its CONNECT line not read yet */
		VSOCK_CONN_CONNECTING,	/* REQUEST sent (or to send) to the guest */
		VSOCK_CONN_ESTABLISHED, /* data both ways */
		VSOCK_CONN_CLOSING,	/* the guest shut both ways: flush, then RST */
	} state;
	int fd;
	unsigned slot; /* in vsock_proto.conn[]; slot + 1 tags its epoll events */
	uint32_t host_port, guest_port;
	unsigned pending;   /* packets owed to the guest: VSOCK_PEND_* */
	bool rx_ready;	    /* the host socket had data (or an end) last time we looked */
	bool host_eof;	    /* it ended its sending side: SHUTDOWN sent or owed */
	bool guest_no_send; /* the guest said it sends no more */
	bool guest_no_rcv;  /* ... receives no more */
	uint32_t events;    /* registered in the epoll set (0: not there) */
	/* credit: the guest's, from its latest header, and ours */
	uint32_t peer_buf_alloc, peer_fwd_cnt, rx_cnt; /* rx_cnt: bytes sent to the guest */
	uint32_t fwd_cnt, last_fwd_cnt;		       /* bytes passed to the host; as told */
	/* bytes from the guest the host socket did not take yet (VSOCK_BUF_ALLOC ring) */
	uint8_t *buf;
	uint32_t buf_head, buf_len;
	char line[VSOCK_CONNECT_LINE];
	unsigned line_len;
};

#define VSOCK_PEND_REQUEST  1u
#define VSOCK_PEND_RESPONSE 2u
#define VSOCK_PEND_CREDIT   4u

/* The protocol's state: connections, the host sockets (an epoll set), RSTs owed. */
struct vsock_proto {
	uint64_t guest_cid;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int listen_fd; /* epoll tag 0 */
	bool bound;    /* path is ours to unlink */
	int epfd;
	struct vsock_conn *conn[VSOCK_MAX_CONNS];
	unsigned rr; /* round-robin start for sending to the guest */
	uint32_t next_host_port;
	struct {
		uint32_t host_port, guest_port;
	} rst[VSOCK_RST_BACKLOG];
	unsigned rst_head, rst_count;
	struct vsock_counters c;
	uint8_t scratch[VSOCK_MAX_PAYLOAD]; /* a packet's payload on its way */
};

/* Binds PATH and makes the epoll set (the listener in it). -errno with a message: PATH
 * exists and is not a socket, another process listens there, it cannot be bound. A stale
 * socket nobody listens on is replaced. */
VMM_MUST_CHECK int vsock_proto_init(struct vsock_proto *p, const struct vsock_opts *o,
				    struct vmm_err *err);
/* Closes every connection, the listener (and unlinks PATH) and the epoll set. */
void vsock_proto_fini(struct vsock_proto *p);
/* Drops every connection (device reset); true if there was one. */
bool vsock_proto_reset(struct vsock_proto *p);

/* One packet from the guest's tx queue. */
void vsock_proto_tx(struct vsock_proto *p, const struct virtq_req *req);
/* The host sockets' events (epfd readable): accepts, CONNECT lines, data, ends. */
void vsock_proto_host(struct vsock_proto *p);
/* Is there something for the guest (a packet owed, or host data it has credit for)? */
bool vsock_proto_rx_pending(const struct vsock_proto *p);
/* The next packet for the guest into req's writable buffers: 1 with *used its length, 0 if
 * there was nothing after all (req untouched, to keep), -ENOSPC if the buffers cannot hold a
 * header (req to hand back with length 0). */
VMM_MUST_CHECK int vsock_proto_rx(struct vsock_proto *p, const struct virtq_req *req,
				  uint32_t *used);

/* A new device, for virtio_dev_add (the Unix socket bound now). */
VMM_MUST_CHECK int virtio_vsock_create(const struct vsock_opts *o, struct virtio_dev **out,
				       struct vmm_err *err);

#endif
