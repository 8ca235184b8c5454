// SPDX-License-Identifier: MIT
/* virtio-vsock (vmm/virtio/vsock.c, vsock_proto.c, vsock_opts.c) against fake guest memory:
 * packets the "guest" hands in as plain requests over local buffers (the protocol) or through
 * a driver's queues in a fake RAM (the device), real host Unix sockets in a scratch
 * directory on the other side. Checked: the header's encoding, what a bad packet gets (short,
 * a len beyond its buffers, a foreign CID: dropped; an unknown connection, op or type: RST),
 * a guest connection to a host listener (RESPONSE, data both ways, the guest's credit
 * limiting what is sent, a credit request answered, shutdowns, RST closing the host side),
 * one to a port nobody listens on, a host connection through CONNECT (REQUEST, "OK <port>"
 * after the guest's RESPONSE, a bad line closed unseen), the device's queues with
 * TRANSPORT_RESET after a reset that dropped a connection, config space, and --vsock
 * parsing. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/virtqueue.c"
#include "../../vmm/virtio/vsock.c"
#include "../../vmm/virtio/vsock_opts.c"
#include "../../vmm/virtio/vsock_proto.c"
#include "virtq_driver.h"

#define CID 42
#define QN  16

struct fix {
	char dir[64];
	struct vsock_opts o;
	struct vsock_proto *p;
	int host_listen; /* on PATH_6000 */
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct vmm_err err = {""};
	char opt[128];

	strcpy(f->dir, "/tmp/softkvm-vsock-unit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(opt, sizeof(opt), "%d,uds=%s/v.sock", CID, f->dir);
	assert_int_equal(vsock_parse_opts(opt, &f->o, &err), 0);
	f->p = calloc(1, sizeof(*f->p));
	assert_int_equal(vsock_proto_init(f->p, &f->o, &err), 0);
	snprintf(a.sun_path, sizeof(a.sun_path), "%s_6000", f->o.path);
	f->host_listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(f->host_listen, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(f->host_listen, 4), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char path[128];

	vsock_proto_fini(f->p);
	close(f->host_listen);
	snprintf(path, sizeof(path), "%s_6000", f->o.path);
	unlink(path);
	assert_int_equal(rmdir(f->dir), 0); /* the device's socket is gone too */
	free(f->p);
	free(f);
	return 0;
}

/* ---- requests over local buffers ---- */

static struct virtq_req req;

static void pkt(uint8_t *buf, uint64_t src_cid, uint64_t dst_cid, uint32_t src_port,
		uint32_t dst_port, uint32_t len, uint16_t op, uint32_t flags, uint32_t buf_alloc)
{
	struct vsock_hdr h = {.src_cid = src_cid,
			      .dst_cid = dst_cid,
			      .src_port = src_port,
			      .dst_port = dst_port,
			      .len = len,
			      .type = VSOCK_TYPE_STREAM,
			      .op = op,
			      .flags = flags,
			      .buf_alloc = buf_alloc};

	vsock_hdr_encode(&h, buf);
}

/* The guest sends buf[0, len) (header + payload) in one readable buffer. */
static void guest_sends(struct fix *f, uint8_t *buf, size_t len)
{
	memset(&req, 0, sizeof(req));
	req.iov[0] = (struct iovec){buf, len};
	req.nr_rd = 1;
	req.rd_len = len;
	vsock_proto_tx(f->p, &req);
}

/* A guest packet with no payload, from guest port gport to host port hport. */
static void guest_op(struct fix *f, uint32_t gport, uint32_t hport, uint16_t op, uint32_t flags,
		     uint32_t buf_alloc)
{
	uint8_t b[VSOCK_HDR_LEN];

	pkt(b, CID, VSOCK_HOST_CID, gport, hport, 0, op, flags, buf_alloc);
	guest_sends(f, b, sizeof(b));
}

/* The next packet for the guest in a 44 + room byte buffer: its header (false if none). */
static uint8_t rx_buf[VSOCK_HDR_LEN + 4096];
static bool guest_gets(struct fix *f, size_t room, struct vsock_hdr *h)
{
	uint32_t used = 0;
	int rc;

	memset(&req, 0, sizeof(req));
	memset(rx_buf, 0xee, sizeof(rx_buf));
	req.iov[0] = (struct iovec){rx_buf, VSOCK_HDR_LEN + room};
	req.nr_wr = 1;
	req.wr_len = VSOCK_HDR_LEN + room;
	rc = vsock_proto_rx(f->p, &req, &used);
	assert_true(rc >= 0);
	if (!rc)
		return false;
	req.iov[0].iov_len = used;
	req.nr_rd = 1, req.nr_wr = 0, req.rd_len = used;
	assert_int_equal(vsock_hdr_decode(&req, h), 0);
	assert_int_equal(used, VSOCK_HDR_LEN + h->len);
	assert_int_equal(h->src_cid, VSOCK_HOST_CID);
	assert_int_equal(h->dst_cid, CID);
	assert_int_equal(h->type, VSOCK_TYPE_STREAM);
	return true;
}

static void expect_op(struct fix *f, uint16_t op, uint32_t hport, uint32_t gport)
{
	struct vsock_hdr h;

	assert_true(guest_gets(f, 4096, &h));
	assert_int_equal(h.op, op);
	assert_int_equal(h.src_port, hport);
	assert_int_equal(h.dst_port, gport);
}

static void expect_nothing(struct fix *f)
{
	struct vsock_hdr h;

	assert_false(vsock_proto_rx_pending(f->p));
	assert_false(guest_gets(f, 4096, &h));
}

/* Until the host sockets have nothing more to say (they are local: at once). */
static void host_settles(struct fix *f)
{
	struct pollfd pfd = {.fd = f->p->epfd, .events = POLLIN};

	while (poll(&pfd, 1, 50) > 0)
		vsock_proto_host(f->p);
}

static void test_hdr_roundtrip(void **state)
{
	uint8_t b[VSOCK_HDR_LEN + 8];
	struct vsock_hdr h;

	(void)state;
	pkt(b, 0x1122334455667788ull, 2, 0xa1a2a3a4, 0xb1b2b3b4, 8, VSOCK_OP_RW, 3, 0x10000);
	assert_int_equal(b[0], 0x88); /* little-endian on the wire */
	assert_int_equal(b[24], 8);
	assert_int_equal(b[30], VSOCK_OP_RW);
	memset(&req, 0, sizeof(req));
	req.iov[0] = (struct iovec){b, 20};
	req.iov[1] = (struct iovec){b + 20, sizeof(b) - 20}; /* a header across two buffers */
	req.nr_rd = 2;
	req.rd_len = sizeof(b);
	assert_int_equal(vsock_hdr_decode(&req, &h), 0);
	assert_int_equal(h.src_cid, 0x1122334455667788ull);
	assert_int_equal(h.src_port, 0xa1a2a3a4);
	assert_int_equal(h.dst_port, 0xb1b2b3b4);
	assert_int_equal(h.flags, 3);
	assert_int_equal(h.buf_alloc, 0x10000);
	req.rd_len = sizeof(b) - 1; /* len 8 but 7 bytes of payload */
	req.iov[1].iov_len--;
	assert_int_equal(vsock_hdr_decode(&req, &h), -EINVAL);
	req.rd_len = VSOCK_HDR_LEN - 1;
	assert_int_equal(vsock_hdr_decode(&req, &h), -EINVAL);
}

static void test_dropped(void **state)
{
	struct fix *f = *state;
	uint8_t b[VSOCK_HDR_LEN + 16] = {0};

	guest_sends(f, b, 20);					     /* short */
	pkt(b, CID, VSOCK_HOST_CID, 1, 6000, 17, VSOCK_OP_RW, 0, 0); /* len beyond the buffer */
	guest_sends(f, b, sizeof(b));
	pkt(b, CID, VSOCK_HOST_CID, 1, 6000, VSOCK_MAX_PAYLOAD + 1, VSOCK_OP_RW, 0, 0);
	guest_sends(f, b, sizeof(b));
	pkt(b, CID + 1, VSOCK_HOST_CID, 1, 6000, 0, VSOCK_OP_REQUEST, 0, 0); /* not its CID */
	guest_sends(f, b, sizeof(b));
	pkt(b, CID, 7, 1, 6000, 0, VSOCK_OP_REQUEST, 0, 0); /* not to the host */
	guest_sends(f, b, sizeof(b));
	assert_int_equal(atomic_load(&f->p->c.dropped), 5);
	expect_nothing(f);
	assert_int_equal(atomic_load(&f->p->c.guest_conns), 0);
}

static void test_rst_for_unknown(void **state)
{
	struct fix *f = *state;
	uint8_t b[VSOCK_HDR_LEN + 4] = {0};

	pkt(b, CID, VSOCK_HOST_CID, 1234, 6000, 4, VSOCK_OP_RW, 0, 0); /* no such connection */
	guest_sends(f, b, sizeof(b));
	expect_op(f, VSOCK_OP_RST, 6000, 1234);
	guest_op(f, 1234, 6000, VSOCK_OP_RST, 0, 0);	    /* an RST gets none */
	guest_op(f, 1235, 6001, VSOCK_OP_REQUEST, 0, 4096); /* nobody listens on PATH_6001 */
	expect_op(f, VSOCK_OP_RST, 6001, 1235);
	pkt(b, CID, VSOCK_HOST_CID, 1236, 6000, 0, VSOCK_OP_REQUEST, 0, 0);
	b[28] = 2; /* SEQPACKET: not offered */
	guest_sends(f, b, VSOCK_HDR_LEN);
	expect_op(f, VSOCK_OP_RST, 6000, 1236);
	expect_nothing(f);
	assert_int_equal(atomic_load(&f->p->c.rst_sent), 3);
}

/* A guest connection from port 1000 to the host's PATH_6000: the host's end. */
static int guest_connects(struct fix *f, uint32_t buf_alloc)
{
	uint64_t before = atomic_load(&f->p->c.guest_conns);
	int s;

	guest_op(f, 1000, 6000, VSOCK_OP_REQUEST, 0, buf_alloc);
	expect_op(f, VSOCK_OP_RESPONSE, 6000, 1000);
	s = accept(f->host_listen, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(atomic_load(&f->p->c.guest_conns), before + 1);
	return s;
}

static void test_guest_connection(void **state)
{
	struct fix *f = *state;
	uint8_t b[VSOCK_HDR_LEN + 5];
	struct vsock_hdr h;
	char got[16];
	int s = guest_connects(f, 10);

	/* guest -> host */
	pkt(b, CID, VSOCK_HOST_CID, 1000, 6000, 5, VSOCK_OP_RW, 0, 10);
	memcpy(b + VSOCK_HDR_LEN, "hello", 5);
	guest_sends(f, b, sizeof(b));
	assert_int_equal(read(s, got, sizeof(got)), 5);
	assert_memory_equal(got, "hello", 5);
	assert_int_equal(atomic_load(&f->p->c.tx_bytes), 5);

	/* host -> guest: 16 bytes, the guest's credit is 10 */
	assert_int_equal(write(s, "0123456789abcdef", 16), 16);
	host_settles(f);
	assert_true(guest_gets(f, 4096, &h));
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_int_equal(h.len, 10);
	assert_memory_equal(rx_buf + VSOCK_HDR_LEN, "0123456789", 10);
	assert_int_equal(h.fwd_cnt, 5); /* what we passed on to the host */
	assert_int_equal(h.buf_alloc, VSOCK_BUF_ALLOC);
	expect_nothing(f); /* no credit left */
	/* the guest read 10: credit for 10 more; a 4-byte buffer then takes 4 of the 6 */
	guest_op(f, 1000, 6000, VSOCK_OP_CREDIT_UPDATE, 0, 10);
	b[0] = 0;
	pkt(b, CID, VSOCK_HOST_CID, 1000, 6000, 0, VSOCK_OP_CREDIT_UPDATE, 0, 10);
	vmm_store_le(b + 40, 4, 10); /* fwd_cnt */
	guest_sends(f, b, VSOCK_HDR_LEN);
	assert_true(guest_gets(f, 4, &h));
	assert_int_equal(h.len, 4);
	assert_memory_equal(rx_buf + VSOCK_HDR_LEN, "abcd", 4);
	assert_int_equal(rx_buf[VSOCK_HDR_LEN + 4], 0xee); /* nothing beyond the buffer */
	assert_true(guest_gets(f, 4096, &h));
	assert_int_equal(h.len, 2);

	/* a credit request is answered; an unknown op resets the connection */
	guest_op(f, 1000, 6000, VSOCK_OP_CREDIT_REQUEST, 0, 10);
	expect_op(f, VSOCK_OP_CREDIT_UPDATE, 6000, 1000);
	guest_op(f, 1000, 6000, 99, 0, 10);
	expect_op(f, VSOCK_OP_RST, 6000, 1000);
	assert_int_equal(read(s, got, sizeof(got)), 0); /* the host sees the end */
	close(s);
	/* the connection is gone: its next packet gets an RST */
	guest_op(f, 1000, 6000, VSOCK_OP_CREDIT_REQUEST, 0, 10);
	expect_op(f, VSOCK_OP_RST, 6000, 1000);
	expect_nothing(f);
}

/* The guest's data while the host socket takes little: buffered up to the credit we give,
 * passed on in order as the host reads, a credit update once a quarter of it is through,
 * and data beyond the credit an RST. */
static void test_buffered(void **state)
{
	struct fix *f = *state;
	static uint8_t b[VSOCK_HDR_LEN + 30000], got[90000];
	int s = guest_connects(f, 4096), small = 4096;
	struct vsock_conn *c = NULL;
	struct vsock_hdr h;
	size_t n = 0;

	for (unsigned i = 0; i < VSOCK_MAX_CONNS && !c; i++)
		c = f->p->conn[i];
	assert_int_equal(setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)), 0);
	for (unsigned k = 0; k < 2; k++) {
		pkt(b, CID, VSOCK_HOST_CID, 1000, 6000, 30000, VSOCK_OP_RW, 0, 4096);
		for (unsigned i = 0; i < 30000; i++)
			b[VSOCK_HDR_LEN + i] = (uint8_t)(k * 30000 + i * 13);
		guest_sends(f, b, sizeof(b));
	}
	assert_true(c->buf_len > 0); /* the socket did not take it all */
	assert_int_equal(c->fwd_cnt + c->buf_len, 60000);
	while (n < 60000) {
		ssize_t r = read(s, got + n, sizeof(got) - n);

		assert_true(r > 0);
		n += (size_t)r;
		host_settles(f); /* writable again: the buffer goes on */
	}
	for (unsigned i = 0; i < 60000; i++)
		assert_int_equal(got[i], (uint8_t)(i < 30000 ? i * 13 : 30000 + (i - 30000) * 13));
	assert_int_equal(c->buf_len, 0);
	assert_true(guest_gets(f, 4096, &h));
	assert_int_equal(h.op, VSOCK_OP_CREDIT_UPDATE);
	assert_int_equal(h.fwd_cnt, 60000);
	/* now the host reads nothing: beyond 64 KiB in flight is beyond the credit */
	for (unsigned k = 0; k < 3; k++)
		guest_sends(f, b, sizeof(b));
	expect_op(f, VSOCK_OP_RST, 6000, 1000);
	expect_nothing(f);
	close(s);
}

static void test_shutdowns(void **state)
{
	struct fix *f = *state;
	struct vsock_hdr h;
	char got[4];
	int s = guest_connects(f, 4096);

	/* the host ends its sending side: the guest hears SHUTDOWN(SEND) */
	shutdown(s, SHUT_WR);
	host_settles(f);
	assert_true(guest_gets(f, 4096, &h));
	assert_int_equal(h.op, VSOCK_OP_SHUTDOWN);
	assert_int_equal(h.flags, VSOCK_SHUTDOWN_SEND);
	/* the guest ends its own: the host reads the end; both ways: RST, closed */
	guest_op(f, 1000, 6000, VSOCK_OP_SHUTDOWN, VSOCK_SHUTDOWN_SEND, 4096);
	assert_int_equal(read(s, got, sizeof(got)), 0);
	expect_nothing(f);
	guest_op(f, 1000, 6000, VSOCK_OP_SHUTDOWN, VSOCK_SHUTDOWN_SEND | VSOCK_SHUTDOWN_RCV, 4096);
	expect_op(f, VSOCK_OP_RST, 6000, 1000);
	expect_nothing(f);
	close(s);

	/* RW after the guest said it sends no more: RST */
	s = guest_connects(f, 4096);
	guest_op(f, 1000, 6000, VSOCK_OP_SHUTDOWN, VSOCK_SHUTDOWN_SEND, 4096);
	guest_op(f, 1000, 6000, VSOCK_OP_RW, 0, 4096);
	expect_op(f, VSOCK_OP_RST, 6000, 1000);
	close(s);
	/* the guest's RST closes the host side, without an answer */
	s = guest_connects(f, 4096);
	guest_op(f, 1000, 6000, VSOCK_OP_RST, 0, 0);
	assert_int_equal(read(s, got, sizeof(got)), 0);
	expect_nothing(f);
	close(s);
}

static int host_dials(struct fix *f, const char *line)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(a.sun_path, f->o.path);
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(s, line, strlen(line)), (ssize_t)strlen(line));
	host_settles(f);
	return s;
}

static void test_host_connection(void **state)
{
	struct fix *f = *state;
	uint8_t b[VSOCK_HDR_LEN + 3];
	struct vsock_hdr h;
	char got[32] = {0};
	int s = host_dials(f, "CONNECT 5000\nabc");

	expect_op(f, VSOCK_OP_REQUEST, VSOCK_HOST_PORT_BASE, 5000);
	expect_nothing(f); /* "abc" waits for the guest's RESPONSE */
	guest_op(f, 5000, VSOCK_HOST_PORT_BASE, VSOCK_OP_RESPONSE, 0, 4096);
	assert_int_equal(read(s, got, sizeof(got)), 14);
	assert_string_equal(got, "OK 1073741824\n");
	host_settles(f);
	assert_true(guest_gets(f, 4096, &h)); /* what followed the line is the stream's */
	assert_int_equal(h.op, VSOCK_OP_RW);
	assert_int_equal(h.len, 3);
	assert_memory_equal(rx_buf + VSOCK_HDR_LEN, "abc", 3);
	pkt(b, CID, VSOCK_HOST_CID, 5000, VSOCK_HOST_PORT_BASE, 3, VSOCK_OP_RW, 0, 4096);
	memcpy(b + VSOCK_HDR_LEN, "xyz", 3);
	guest_sends(f, b, sizeof(b));
	assert_int_equal(read(s, got, sizeof(got)), 3);
	assert_memory_equal(got, "xyz", 3);
	/* a second RESPONSE makes no sense now: RST, closed */
	guest_op(f, 5000, VSOCK_HOST_PORT_BASE, VSOCK_OP_RESPONSE, 0, 4096);
	expect_op(f, VSOCK_OP_RST, VSOCK_HOST_PORT_BASE, 5000);
	assert_int_equal(read(s, got, sizeof(got)), 0);
	close(s);
	assert_int_equal(atomic_load(&f->p->c.host_conns), 1);

	/* the guest refuses (RST): the host's connection closes without OK */
	s = host_dials(f, "CONNECT 5001\n");
	expect_op(f, VSOCK_OP_REQUEST, VSOCK_HOST_PORT_BASE + 1, 5001);
	guest_op(f, 5001, VSOCK_HOST_PORT_BASE + 1, VSOCK_OP_RST, 0, 0);
	assert_int_equal(read(s, got, sizeof(got)), 0);
	close(s);
	/* the host hangs up while the guest has the REQUEST: an RST tells it; before the
	 * REQUEST went out: nothing */
	s = host_dials(f, "CONNECT 5002\n");
	expect_op(f, VSOCK_OP_REQUEST, VSOCK_HOST_PORT_BASE + 2, 5002);
	close(s);
	host_settles(f);
	expect_op(f, VSOCK_OP_RST, VSOCK_HOST_PORT_BASE + 2, 5002);
	s = host_dials(f, "CONNECT 5003\n");
	close(s);
	host_settles(f);
	expect_nothing(f);
	/* bad lines: closed, the guest hears nothing */
	static const char *const bad[] = {
	    "CONNECT\n",   "CONNECT -1\n", "CONNECT 99999999999\n",
	    "connect 5\n", "CONNECT 5 \n", "CONNECT 0000000000000000000000000000005\n"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = host_dials(f, bad[i]);
		assert_true(read(s, got, sizeof(got)) <= 0); /* an end, or a reset: unread bytes */
		close(s);
		expect_nothing(f);
	}
}

static void test_many_connections(void **state)
{
	struct fix *f = *state;
	int s[VSOCK_MAX_CONNS + 1];
	char got[4];

	for (unsigned i = 0; i <= VSOCK_MAX_CONNS; i++)
		s[i] = host_dials(f, "CONNECT 7\n");
	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++)
		expect_op(f, VSOCK_OP_REQUEST, VSOCK_HOST_PORT_BASE + i, 7);
	expect_nothing(f);
	assert_true(read(s[VSOCK_MAX_CONNS], got, sizeof(got)) <= 0); /* beyond: closed */
	assert_true(vsock_proto_reset(f->p));
	for (unsigned i = 0; i <= VSOCK_MAX_CONNS; i++)
		close(s[i]);
	assert_false(vsock_proto_reset(f->p));
}

/* ---- the device's queues ---- */

static void test_device(void **state)
{
	struct fix *f = *state;
	struct drv rx, tx, ev;
	struct virtio_dev *d;
	struct vmm_err err = {""};
	struct virtio_vsock *v;
	char path[128];
	uint8_t *p;
	int s;

	/* the fixture's socket is in use: a second device on it is refused */
	assert_int_equal(virtio_vsock_create(&f->o, &d, &err), -EADDRINUSE);
	assert_non_null(strstr(err.msg, "another process listens on"));
	struct vsock_opts o = f->o;

	snprintf(path, sizeof(path), "%s/dev.sock", f->dir);
	snprintf(o.path, sizeof(o.path), "%s", path);
	assert_int_equal(virtio_vsock_create(&o, &d, &err), 0);
	v = to_vsock(d);
	assert_int_equal(d->ops->config_read(d, 0, 4), CID);
	assert_int_equal(d->ops->config_read(d, 4, 4), 0);
	assert_int_equal(d->ops->device_id, 19);

	drv_init(&rx, QN);
	drv_init(&tx, QN);
	drv_init(&ev, QN);
	d->status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
		    VIRTIO_STATUS_DRIVER_OK;
	struct drv *drvs[3] = {&rx, &tx, &ev};
	for (unsigned q = 0; q < 3; q++) {
		d->vq[q].num = QN;
		d->vq[q].desc_gpa = DESC_GPA;
		d->vq[q].avail_gpa = AVAIL_GPA;
		d->vq[q].used_gpa = USED_GPA;
		assert_int_equal(virtq_enable(&d->vq[q], 128, &drvs[q]->mem, false, false), 0);
	}
	/* a host connection's REQUEST waits for a receive buffer, then goes into it */
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	strcpy(a.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(s, "CONNECT 80\n", 11), 11);
	struct pollfd pfd = {.fd = d->host_fd, .events = POLLIN};
	while (poll(&pfd, 1, 50) > 0)
		assert_int_equal(d->ops->host_event(d), 0);
	assert_int_equal(drv_used_idx(&rx), 0);
	drv_desc(&rx, 0, BUF_GPA, VSOCK_HDR_LEN, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&rx, 1, BUF_GPA + 0x100, 4096, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&rx, 0);
	assert_int_equal(d->ops->queue_notify(d, 0), VIRTIO_QUEUE_WAIT);
	assert_int_equal(drv_used_idx(&rx), 1);
	assert_int_equal(drv_used_len(&rx, 0), VSOCK_HDR_LEN);
	p = drv_host(&rx, BUF_GPA);
	assert_int_equal(vmm_load_le(p + 8, 8), CID);
	assert_int_equal(vmm_load_le(p + 20, 4), 80);
	assert_int_equal(vmm_load_le(p + 30, 2), VSOCK_OP_REQUEST);

	/* the guest accepts over its tx queue: the host reads OK */
	p = drv_host(&tx, BUF_GPA);
	pkt(p, CID, VSOCK_HOST_CID, 80, VSOCK_HOST_PORT_BASE, 0, VSOCK_OP_RESPONSE, 0, 4096);
	drv_desc(&tx, 0, BUF_GPA, VSOCK_HDR_LEN, 0, 0);
	drv_publish(&tx, 0);
	assert_int_equal(d->ops->queue_notify(d, 1), 0);
	assert_int_equal(drv_used_idx(&tx), 1);
	char got[32] = {0};
	assert_int_equal(read(s, got, sizeof(got)), 14);
	assert_string_equal(got, "OK 1073741824\n");

	/* event buffers wait; a reset drops the connection and owes TRANSPORT_RESET */
	drv_desc(&ev, 0, BUF_GPA, 8, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&ev, 0);
	assert_int_equal(d->ops->queue_notify(d, 2), VIRTIO_QUEUE_WAIT);
	assert_int_equal(drv_used_idx(&ev), 0);
	d->ops->reset(d);
	assert_int_equal(read(s, got, sizeof(got)), 0);
	assert_true(v->event_pending);
	assert_int_equal(d->ops->queue_notify(d, 2), VIRTIO_QUEUE_WAIT);
	assert_int_equal(drv_used_idx(&ev), 1);
	assert_int_equal(drv_used_len(&ev, 0), 4);
	assert_int_equal(drv_get32(&ev, BUF_GPA), VSOCK_EVENT_TRANSPORT_RESET);
	close(s);

	d->ops->destroy(d);
	assert_int_equal(access(path, F_OK), -1); /* unlinked */
	drv_free(&rx);
	drv_free(&tx);
	drv_free(&ev);
}

static void test_parse(void **state)
{
	struct vsock_opts o;
	struct vmm_err err = {""};

	(void)state;
	assert_int_equal(vsock_parse_opts("3", &o, &err), 0);
	assert_int_equal(o.cid, 3);
	assert_string_equal(o.path, "softkvm-vsock-3.sock");
	assert_int_equal(vsock_parse_opts("4294967294,uds=/run/x.sock", &o, &err), 0);
	assert_int_equal(o.cid, 4294967294u);
	assert_string_equal(o.path, "/run/x.sock");
	static const char *const bad[] = {
	    "",	  "2",	"0",	  "4294967295", "18446744073709551618", "-3", "+3", "3x",
	    " 3", "3,", "3,uds=", "3,foo=1"};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vsock_parse_opts(bad[i], &o, &err), -EINVAL);
	char longp[200] = "3,uds=";
	memset(longp + 6, 'x', 120);
	assert_int_equal(vsock_parse_opts(longp, &o, &err), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hdr_roundtrip),
	    cmocka_unit_test_setup_teardown(test_dropped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rst_for_unknown, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_guest_connection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_buffered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_shutdowns, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_connection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_connections, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device, setup, teardown),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
