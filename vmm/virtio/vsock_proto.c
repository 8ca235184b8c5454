// SPDX-License-Identifier: MIT
/* The vsock stream protocol between the guest's packets and host Unix sockets (see vsock.h).
 * Runs on the device thread with the device's lock held; every host socket is non-blocking,
 * so nothing here waits for the host.
 *
 * Readiness comes from one level-triggered epoll set, which is the device's host_fd. A
 * connection is in it only for what it can act on now (conn_wants): a socket whose data
 * waits for guest credit or receive buffers is out of the set, otherwise the device thread
 * would be woken for it again and again. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "byteorder.h"
#include "virtio/vsock.h"

static void bump(atomic_uint_fast64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

/* ---- packets ---- */

int vsock_hdr_decode(const struct virtq_req *req, struct vsock_hdr *h)
{
	uint8_t raw[VSOCK_HDR_LEN];

	if (req->rd_len < VSOCK_HDR_LEN ||
	    virtq_req_copy_from(req, 0, raw, sizeof(raw)) != sizeof(raw))
		return -EINVAL;
	h->src_cid = vmm_load_le(raw, 8);
	h->dst_cid = vmm_load_le(raw + 8, 8);
	h->src_port = (uint32_t)vmm_load_le(raw + 16, 4);
	h->dst_port = (uint32_t)vmm_load_le(raw + 20, 4);
	h->len = (uint32_t)vmm_load_le(raw + 24, 4);
	h->type = (uint16_t)vmm_load_le(raw + 28, 2);
	h->op = (uint16_t)vmm_load_le(raw + 30, 2);
	h->flags = (uint32_t)vmm_load_le(raw + 32, 4);
	h->buf_alloc = (uint32_t)vmm_load_le(raw + 36, 4);
	h->fwd_cnt = (uint32_t)vmm_load_le(raw + 40, 4);
	if (h->len > VSOCK_MAX_PAYLOAD || h->len > req->rd_len - VSOCK_HDR_LEN)
		return -EINVAL;
	return 0;
}

void vsock_hdr_encode(const struct vsock_hdr *h, uint8_t out[VSOCK_HDR_LEN])
{
	vmm_store_le(out, 8, h->src_cid);
	vmm_store_le(out + 8, 8, h->dst_cid);
	vmm_store_le(out + 16, 4, h->src_port);
	vmm_store_le(out + 20, 4, h->dst_port);
	vmm_store_le(out + 24, 4, h->len);
	vmm_store_le(out + 28, 2, h->type);
	vmm_store_le(out + 30, 2, h->op);
	vmm_store_le(out + 32, 4, h->flags);
	vmm_store_le(out + 36, 4, h->buf_alloc);
	vmm_store_le(out + 40, 4, h->fwd_cnt);
}

/* ---- connections ---- */

/* What the guest can still take of this connection (its buf_alloc less what is in flight). */
static uint32_t peer_credit(const struct vsock_conn *c)
{
	uint32_t in_flight = c->rx_cnt - c->peer_fwd_cnt;

	return in_flight > c->peer_buf_alloc ? 0 : c->peer_buf_alloc - in_flight;
}

/* Host data can go to the guest (once its socket has some). */
static bool can_send_data(const struct vsock_conn *c)
{
	return c->state == VSOCK_CONN_ESTABLISHED && !c->host_eof && !c->guest_no_rcv;
}

static uint32_t conn_wants(const struct vsock_conn *c)
{
	uint32_t ev = 0;

	switch (c->state) {
	case VSOCK_CONN_HANDSHAKE:
		return EPOLLIN;
	case VSOCK_CONN_CONNECTING: /* only a host that gives up (hangs up: always reported) */
		return EPOLLHUP;
	case VSOCK_CONN_ESTABLISHED:
		if (can_send_data(c) && !c->rx_ready)
			ev |= EPOLLIN;
		/* fall through */
	case VSOCK_CONN_CLOSING:
		if (c->buf_len)
			ev |= EPOLLOUT;
	}
	return ev;
}

static void conn_interest(struct vsock_proto *p, struct vsock_conn *c)
{
	uint32_t want = conn_wants(c);
	struct epoll_event ev = {.events = want, .data.u64 = c->slot + 1};
	int op;

	if (want == c->events)
		return;
	op = !c->events ? EPOLL_CTL_ADD : !want ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
	/* only ENOMEM can fail here: the connection then waits for its next packet */
	if (epoll_ctl(p->epfd, op, c->fd, &ev) == 0)
		c->events = want;
}

static int conn_find(const struct vsock_proto *p, uint32_t host_port, uint32_t guest_port)
{
	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++) {
		const struct vsock_conn *c = p->conn[i];

		if (c && c->state != VSOCK_CONN_HANDSHAKE && c->host_port == host_port &&
		    c->guest_port == guest_port)
			return (int)i;
	}
	return -1;
}

/* A connection on fd in the first free slot; NULL if there is none (fd stays the caller's). */
static struct vsock_conn *conn_new(struct vsock_proto *p, int fd, int state)
{
	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++) {
		struct vsock_conn *c;

		if (p->conn[i])
			continue;
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		c->fd = fd;
		c->slot = i;
		c->state = state;
		p->conn[i] = c;
		return c;
	}
	return NULL;
}

static void conn_free(struct vsock_proto *p, struct vsock_conn *c)
{
	if (c->events)
		(void)epoll_ctl(p->epfd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	p->conn[c->slot] = NULL;
	free(c->buf);
	free(c);
}

/* An RST for (host_port, guest_port) owed to the guest; beyond the backlog it is dropped (a
 * guest that posts no receive buffers gets nothing anyway). */
static void rst_queue(struct vsock_proto *p, uint32_t host_port, uint32_t guest_port)
{
	unsigned tail;

	if (p->rst_count == VSOCK_RST_BACKLOG) {
		bump(&p->c.dropped, 1);
		return;
	}
	tail = (p->rst_head + p->rst_count++) % VSOCK_RST_BACKLOG;
	p->rst[tail].host_port = host_port;
	p->rst[tail].guest_port = guest_port;
}

/* The connection is over: closed on the host side, an RST for the guest. */
static void conn_reset(struct vsock_proto *p, struct vsock_conn *c)
{
	if (c->state != VSOCK_CONN_HANDSHAKE) /* the guest never heard of it otherwise */
		rst_queue(p, c->host_port, c->guest_port);
	conn_free(p, c);
}

/* Every ACK of forwarded bytes the guest has not heard of past a quarter of the buffer: a
 * credit update, so a guest that filled our buffer learns of the room (Linux asks for none). */
static void conn_credit_check(struct vsock_conn *c)
{
	if (c->fwd_cnt - c->last_fwd_cnt >= VSOCK_BUF_ALLOC / 4)
		c->pending |= VSOCK_PEND_CREDIT;
}

/* Sends what the buffer holds to the host socket. 0, or -errno (the socket is gone). */
static int conn_flush(struct vsock_conn *c)
{
	while (c->buf_len) {
		uint32_t first = VSOCK_BUF_ALLOC - c->buf_head;
		struct iovec iov[2] = {
		    {c->buf + c->buf_head, first < c->buf_len ? first : c->buf_len},
		    {c->buf, first < c->buf_len ? c->buf_len - first : 0},
		};
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
		ssize_t n = sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno == EAGAIN ? 0 : -errno;
		c->buf_head = (c->buf_head + (uint32_t)n) % VSOCK_BUF_ALLOC;
		c->buf_len -= (uint32_t)n;
		c->fwd_cnt += (uint32_t)n;
	}
	return 0;
}

/* After a flush: what the guest's shutdowns asked for once all its bytes are out. */
static void conn_after_flush(struct vsock_proto *p, struct vsock_conn *c)
{
	conn_credit_check(c);
	if (c->buf_len)
		return;
	if (c->state == VSOCK_CONN_CLOSING)
		conn_reset(p, c);
	else if (c->guest_no_send)
		(void)shutdown(c->fd, SHUT_WR);
}

/* An RW's payload to the host: straight to the socket if nothing waits before it, the rest
 * into the buffer. -EPROTO if it exceeds the credit we gave, -errno if the socket is gone. */
static int conn_write(struct vsock_proto *p, struct vsock_conn *c, const struct virtq_req *req,
		      uint32_t len)
{
	uint32_t off = 0;

	if (c->buf_len + len > VSOCK_BUF_ALLOC)
		return -EPROTO;
	if (virtq_req_copy_from(req, VSOCK_HDR_LEN, p->scratch, len) != len)
		return -EPROTO; /* cannot happen: decode checked the length */
	if (!c->buf_len) {
		ssize_t n;

		do
			n = send(c->fd, p->scratch, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		while (n < 0 && errno == EINTR);
		if (n < 0 && errno != EAGAIN)
			return -errno;
		off = n > 0 ? (uint32_t)n : 0;
		c->fwd_cnt += off;
	}
	if (off < len && !c->buf) {
		c->buf = malloc(VSOCK_BUF_ALLOC);
		if (!c->buf)
			return -ENOMEM;
	}
	while (off < len) { /* what the socket refused, after what waits already */
		uint32_t tail = (c->buf_head + c->buf_len) % VSOCK_BUF_ALLOC;
		uint32_t n =
		    VSOCK_BUF_ALLOC - tail < len - off ? VSOCK_BUF_ALLOC - tail : len - off;

		memcpy(c->buf + tail, p->scratch + off, n);
		c->buf_len += n;
		off += n;
	}
	return 0;
}

/* ---- the host side ---- */

static int host_connect(const struct vsock_proto *p, uint32_t port)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd, rc;

	if ((size_t)snprintf(a.sun_path, sizeof(a.sun_path), "%s_%u", p->path, port) >=
	    sizeof(a.sun_path))
		return -ENAMETOOLONG;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a Unix stream connect completes at once (EAGAIN: the listener's backlog is full) */
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

static void accept_all(struct vsock_proto *p)
{
	for (unsigned i = 0; i < 16; i++) {
		int fd = accept4(p->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct vsock_conn *c;

		if (fd < 0)
			return;
		c = conn_new(p, fd, VSOCK_CONN_HANDSHAKE);
		if (!c) { /* full: the host sees its connection closed */
			close(fd);
			bump(&p->c.dropped, 1);
			continue;
		}
		conn_interest(p, c);
	}
}

static bool port_in_use(const struct vsock_proto *p, uint32_t port)
{
	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++)
		if (p->conn[i] && p->conn[i]->state != VSOCK_CONN_HANDSHAKE &&
		    p->conn[i]->host_port == port)
			return true;
	return false;
}

/* "CONNECT <port>\n" -> the port; -EINVAL for anything else. */
static int64_t parse_connect(const char *line)
{
	char *end;
	unsigned long v;

	if (strncmp(line, "CONNECT ", 8) || line[8] < '0' || line[8] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(line + 8, &end, 10);
	if (errno || v > UINT32_MAX || strcmp(end, "\n"))
		return -EINVAL;
	return (int64_t)v;
}

/* The host's CONNECT line, byte by byte (what follows it is the stream's). A bad line or an
 * end before it closes the connection; the guest never hears of it. */
static void read_connect(struct vsock_proto *p, struct vsock_conn *c)
{
	int64_t port;

	while (c->line_len < sizeof(c->line) - 1) {
		ssize_t n = read(c->fd, &c->line[c->line_len], 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			conn_free(p, c);
			return;
		}
		if (c->line[c->line_len++] == '\n')
			break;
	}
	c->line[c->line_len] = 0;
	port = parse_connect(c->line);
	if (port < 0) {
		conn_free(p, c);
		bump(&p->c.dropped, 1);
		return;
	}
	do
		c->host_port = p->next_host_port++;
	while (port_in_use(p, c->host_port) || c->host_port < VSOCK_HOST_PORT_BASE);
	if (p->next_host_port < VSOCK_HOST_PORT_BASE)
		p->next_host_port = VSOCK_HOST_PORT_BASE;
	c->guest_port = (uint32_t)port;
	c->state = VSOCK_CONN_CONNECTING;
	c->pending |= VSOCK_PEND_REQUEST;
	bump(&p->c.host_conns, 1);
	conn_interest(p, c);
}

void vsock_proto_host(struct vsock_proto *p)
{
	struct epoll_event ev[32];
	int n = epoll_wait(p->epfd, ev, 32, 0);

	for (int i = 0; i < n; i++) {
		struct vsock_conn *c;

		if (ev[i].data.u64 == 0) {
			accept_all(p);
			continue;
		}
		c = ev[i].data.u64 <= VSOCK_MAX_CONNS ? p->conn[ev[i].data.u64 - 1] : NULL;
		if (!c)
			continue; /* closed by an earlier event of this round */
		if (c->state == VSOCK_CONN_HANDSHAKE) {
			read_connect(p, c);
			continue;
		}
		if (c->state == VSOCK_CONN_CONNECTING) { /* the host hung up before the answer */
			if (c->pending & VSOCK_PEND_REQUEST)
				conn_free(p, c); /* the guest never heard of it */
			else
				conn_reset(p, c);
			continue;
		}
		if (c->buf_len && (ev[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
			if (conn_flush(c)) {
				conn_reset(p, c);
				continue;
			}
			conn_after_flush(p, c);
			if (p->conn[ev[i].data.u64 - 1] != c)
				continue;
		}
		if (ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			c->rx_ready = true;
		conn_interest(p, c);
	}
}

/* ---- packets from the guest ---- */

static void guest_connect(struct vsock_proto *p, const struct vsock_hdr *h)
{
	int fd = host_connect(p, h->dst_port);
	struct vsock_conn *c = fd >= 0 ? conn_new(p, fd, VSOCK_CONN_ESTABLISHED) : NULL;

	if (!c) {
		if (fd >= 0)
			close(fd);
		rst_queue(p, h->dst_port, h->src_port);
		return;
	}
	c->host_port = h->dst_port;
	c->guest_port = h->src_port;
	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	c->pending |= VSOCK_PEND_RESPONSE;
	bump(&p->c.guest_conns, 1);
	conn_interest(p, c);
}

/* The guest accepted a host-initiated connection: the host hears "OK <hostport>\n". */
static int conn_accepted(struct vsock_conn *c)
{
	char ok[24];
	int len = snprintf(ok, sizeof(ok), "OK %u\n", c->host_port);
	ssize_t n = send(c->fd, ok, (size_t)len, MSG_NOSIGNAL | MSG_DONTWAIT);

	if (n != len) /* an empty socket takes 16 bytes: it is gone */
		return -EPIPE;
	c->state = VSOCK_CONN_ESTABLISHED;
	return 0;
}

static void conn_shutdown(struct vsock_proto *p, struct vsock_conn *c, uint32_t flags)
{
	if (flags & VSOCK_SHUTDOWN_SEND)
		c->guest_no_send = true;
	if (flags & VSOCK_SHUTDOWN_RCV)
		c->guest_no_rcv = true;
	/* both ways: the guest waits for our RST (after its bytes reached the host) */
	if (c->guest_no_send && c->guest_no_rcv)
		c->state = VSOCK_CONN_CLOSING;
	conn_after_flush(p, c);
}

/* A packet for an existing connection: 0, or -EPROTO/-errno to reset it. */
static int conn_packet(struct vsock_proto *p, struct vsock_conn *c, const struct vsock_hdr *h,
		       const struct virtq_req *req)
{
	int rc;

	c->peer_buf_alloc = h->buf_alloc;
	c->peer_fwd_cnt = h->fwd_cnt;
	switch (h->op) {
	case VSOCK_OP_RESPONSE:
		if (c->state != VSOCK_CONN_CONNECTING || (c->pending & VSOCK_PEND_REQUEST))
			return -EPROTO;
		return conn_accepted(c);
	case VSOCK_OP_RST:
		conn_free(p, c);
		return 0;
	case VSOCK_OP_SHUTDOWN:
		if (c->state != VSOCK_CONN_ESTABLISHED)
			return c->state == VSOCK_CONN_CLOSING ? 0 : -EPROTO;
		conn_shutdown(p, c, h->flags);
		return 0;
	case VSOCK_OP_RW:
		if (c->state != VSOCK_CONN_ESTABLISHED || c->guest_no_send)
			return -EPROTO;
		rc = conn_write(p, c, req, h->len);
		if (!rc)
			bump(&p->c.tx_bytes, h->len);
		conn_credit_check(c);
		return rc;
	case VSOCK_OP_CREDIT_UPDATE:
		return 0; /* the credit is in every header: taken above */
	case VSOCK_OP_CREDIT_REQUEST:
		c->pending |= VSOCK_PEND_CREDIT;
		return 0;
	default: /* REQUEST on a connection that exists, an unknown op */
		return -EPROTO;
	}
}

void vsock_proto_tx(struct vsock_proto *p, const struct virtq_req *req)
{
	struct vsock_hdr h;
	struct vsock_conn *c;
	int slot;

	if (vsock_hdr_decode(req, &h) || h.src_cid != p->guest_cid || h.dst_cid != VSOCK_HOST_CID) {
		bump(&p->c.dropped, 1);
		return;
	}
	slot = conn_find(p, h.dst_port, h.src_port);
	c = slot >= 0 ? p->conn[slot] : NULL;
	if (h.type != VSOCK_TYPE_STREAM) {
		if (c)
			conn_reset(p, c);
		else if (h.op != VSOCK_OP_RST)
			rst_queue(p, h.dst_port, h.src_port);
		return;
	}
	if (!c) {
		if (h.op == VSOCK_OP_REQUEST)
			guest_connect(p, &h);
		else if (h.op != VSOCK_OP_RST)
			rst_queue(p, h.dst_port, h.src_port);
		return;
	}
	if (conn_packet(p, c, &h, req)) {
		conn_reset(p, c);
		return;
	}
	if (p->conn[slot] == c)
		conn_interest(p, c);
}

/* ---- packets to the guest ---- */

static bool conn_has_rx(const struct vsock_conn *c)
{
	return c->pending || (c->rx_ready && can_send_data(c) && peer_credit(c));
}

bool vsock_proto_rx_pending(const struct vsock_proto *p)
{
	if (p->rst_count)
		return true;
	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++)
		if (p->conn[i] && conn_has_rx(p->conn[i]))
			return true;
	return false;
}

static void put_packet(const struct vsock_proto *p, const struct virtq_req *req,
		       struct vsock_hdr *h, uint32_t host_port, uint32_t guest_port)
{
	uint8_t raw[VSOCK_HDR_LEN];

	h->src_cid = VSOCK_HOST_CID;
	h->dst_cid = p->guest_cid;
	h->src_port = host_port;
	h->dst_port = guest_port;
	h->type = VSOCK_TYPE_STREAM;
	vsock_hdr_encode(h, raw);
	(void)virtq_req_copy_to(req, 0, raw, sizeof(raw)); /* wr_len checked by the caller */
}

/* Host data into req after the header: its length, 0 for none now, -1 for the end of the
 * host's sending side, -2 for a socket error. */
static ssize_t conn_read(struct vsock_proto *p, struct vsock_conn *c, const struct virtq_req *req)
{
	uint64_t room = req->wr_len - VSOCK_HDR_LEN;
	uint32_t credit = peer_credit(c);
	ssize_t n;

	if (room > credit)
		room = credit;
	if (room > VSOCK_MAX_PAYLOAD)
		room = VSOCK_MAX_PAYLOAD;
	if (!room)
		return 0;
	do
		n = recv(c->fd, p->scratch, room, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN) {
		c->rx_ready = false;
		conn_interest(p, c);
		return 0;
	}
	if (n < 0)
		return -2;
	if (n == 0)
		return -1;
	(void)virtq_req_copy_to(req, VSOCK_HDR_LEN, p->scratch, (size_t)n);
	return n;
}

/* The connection's next packet for the guest into req: 1, or 0 (none). */
static int conn_rx(struct vsock_proto *p, struct vsock_conn *c, const struct virtq_req *req,
		   uint32_t *used)
{
	struct vsock_hdr h = {.buf_alloc = VSOCK_BUF_ALLOC, .fwd_cnt = c->fwd_cnt};
	ssize_t n;

	if (c->pending & VSOCK_PEND_REQUEST) {
		h.op = VSOCK_OP_REQUEST;
		c->pending &= ~VSOCK_PEND_REQUEST;
	} else if (c->pending & VSOCK_PEND_RESPONSE) {
		h.op = VSOCK_OP_RESPONSE;
		c->pending &= ~VSOCK_PEND_RESPONSE;
	} else if (c->rx_ready && can_send_data(c) && peer_credit(c) &&
		   (n = conn_read(p, c, req)) != 0) {
		if (n == -2) {
			conn_reset(p, c);
			return 0;
		}
		if (n == -1) { /* the host sends no more: so the guest hears */
			c->host_eof = true;
			c->rx_ready = false;
			conn_interest(p, c);
			h.op = VSOCK_OP_SHUTDOWN;
			h.flags = VSOCK_SHUTDOWN_SEND;
		} else {
			h.op = VSOCK_OP_RW;
			h.len = (uint32_t)n;
			c->rx_cnt += (uint32_t)n;
			bump(&p->c.rx_bytes, (uint64_t)n);
		}
	} else if (c->pending & VSOCK_PEND_CREDIT) {
		h.op = VSOCK_OP_CREDIT_UPDATE;
	} else {
		return 0;
	}
	c->pending &= ~VSOCK_PEND_CREDIT; /* every header carries the credit */
	c->last_fwd_cnt = c->fwd_cnt;
	put_packet(p, req, &h, c->host_port, c->guest_port);
	*used = VSOCK_HDR_LEN + h.len;
	return 1;
}

static int rst_rx(struct vsock_proto *p, const struct virtq_req *req, uint32_t *used)
{
	struct vsock_hdr h = {.op = VSOCK_OP_RST};

	if (!p->rst_count)
		return 0;
	put_packet(p, req, &h, p->rst[p->rst_head].host_port, p->rst[p->rst_head].guest_port);
	p->rst_head = (p->rst_head + 1) % VSOCK_RST_BACKLOG;
	p->rst_count--;
	bump(&p->c.rst_sent, 1);
	*used = VSOCK_HDR_LEN;
	return 1;
}

int vsock_proto_rx(struct vsock_proto *p, const struct virtq_req *req, uint32_t *used)
{
	if (req->wr_len < VSOCK_HDR_LEN)
		return -ENOSPC;
	if (rst_rx(p, req, used))
		return 1;
	for (unsigned k = 0; k < VSOCK_MAX_CONNS; k++) { /* round robin: no connection starves */
		unsigned i = (p->rr + k) % VSOCK_MAX_CONNS;

		if (p->conn[i] && conn_rx(p, p->conn[i], req, used)) {
			p->rr = (i + 1) % VSOCK_MAX_CONNS;
			return 1;
		}
	}
	return rst_rx(p, req, used); /* a read error on the way reset a connection */
}

/* ---- life ---- */

/* PATH free for us: absent, or a socket nobody listens on (left by a killed softkvm). */
static int path_free(const char *path, struct vmm_err *err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0)
		return 0;
	if (!S_ISSOCK(st.st_mode))
		return vmm_err_set(err, -EEXIST, "--vsock: %s exists and is not a socket", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vmm_err_set(err, -errno, "--vsock: socket: %s", strerror(errno));
	rc = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ? -EADDRINUSE : -errno;
	close(fd);
	if (rc == -EADDRINUSE)
		return vmm_err_set(err, rc, "--vsock: another process listens on %s", path);
	if (rc == -ECONNREFUSED && unlink(path) == 0)
		return 0;
	return 0; /* let bind say what is wrong */
}

int vsock_proto_init(struct vsock_proto *p, const struct vsock_opts *o, struct vmm_err *err)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
	int rc;

	p->listen_fd = p->epfd = -1;
	p->guest_cid = o->cid;
	p->next_host_port = VSOCK_HOST_PORT_BASE;
	snprintf(p->path, sizeof(p->path), "%s", o->path);
	rc = path_free(p->path, err);
	if (rc)
		return rc;
	strcpy(a.sun_path, p->path);
	p->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->listen_fd < 0)
		return vmm_err_set(err, -errno, "--vsock: socket: %s", strerror(errno));
	if (bind(p->listen_fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		rc = -errno;
		vsock_proto_fini(p);
		return vmm_err_set(err, rc, "--vsock: cannot bind %s: %s", o->path, strerror(-rc));
	}
	p->bound = true;
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (listen(p->listen_fd, 64) < 0 || p->epfd < 0 ||
	    epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->listen_fd, &ev) < 0) {
		rc = -errno;
		vsock_proto_fini(p);
		return vmm_err_set(err, rc, "--vsock: cannot listen on %s: %s", o->path,
				   strerror(-rc));
	}
	return 0;
}

bool vsock_proto_reset(struct vsock_proto *p)
{
	bool any = false;

	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++) {
		if (p->conn[i]) {
			any = any || p->conn[i]->state != VSOCK_CONN_HANDSHAKE;
			conn_free(p, p->conn[i]);
		}
	}
	p->rst_head = p->rst_count = 0;
	return any;
}

void vsock_proto_fini(struct vsock_proto *p)
{
	(void)vsock_proto_reset(p);
	if (p->listen_fd >= 0)
		close(p->listen_fd);
	if (p->bound)
		unlink(p->path);
	if (p->epfd >= 0)
		close(p->epfd);
	p->listen_fd = p->epfd = -1;
	p->bound = false;
}
