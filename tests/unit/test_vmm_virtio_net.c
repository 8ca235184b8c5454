// SPDX-License-Identifier: MIT
/* virtio-net (vmm/virtio/net.c, net_frame.c, net_opts.c) against a fake guest memory (two
 * drivers' queues, tests/unit/virtq_driver.h) and a fake backend recording what it is sent and
 * delivering what a test says: a frame transmitted across two buffers, hostile transmit chains
 * (short header, oversized frame: dropped, counted, handed back), a frame received with its
 * header, frames waiting for buffers in order with the backend told to stop reading, receive
 * buffers too small, the backlog's bound, config space, reset, and --net parsing. The device's
 * hooks are called directly, as its thread would (the transport has its own tests). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/net.c"
#include "../../vmm/virtio/net_frame.c"
#include "../../vmm/virtio/net_opts.c"
#include "../../vmm/virtio/net_slirp.c"
#include "../../vmm/virtio/net_tap.c"
#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define QN 16

struct fake_be {
	struct net_backend be;
	uint8_t sent[4][2048];
	size_t sent_len[4];
	unsigned nsent, polls;
	bool rx_open, quiesced;
};

static void fake_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct fake_be *f = (struct fake_be *)be;

	if (f->nsent < 4) {
		memcpy(f->sent[f->nsent], frame, len);
		f->sent_len[f->nsent] = len;
	}
	f->nsent++;
}

static void fake_poll(struct net_backend *be, bool rx_open)
{
	struct fake_be *f = (struct fake_be *)be;

	f->polls++;
	f->rx_open = rx_open;
}

static void fake_quiesce(struct net_backend *be)
{
	((struct fake_be *)be)->quiesced = true;
}

static void fake_destroy(struct net_backend *be)
{
	free(be);
}

static const struct net_backend_ops fake_ops = {
    .send = fake_send, .poll = fake_poll, .quiesce = fake_quiesce, .destroy = fake_destroy};

static int fake_make(const struct net_opts *o, int epfd, net_deliver_fn deliver, void *opaque,
		     struct net_backend **out, struct vmm_err *err)
{
	struct fake_be *f = calloc(1, sizeof(*f));

	f->be = (struct net_backend){
	    .ops = &fake_ops, .epfd = epfd, .deliver = deliver, .opaque = opaque};
	*out = &f->be;
	return 0;
}

struct fix {
	struct drv rx, tx;
	struct virtio_dev *d;
	struct virtio_net *n;
	struct fake_be *fb;
};

static void queue_on(struct virtq *vq, struct drv *drv)
{
	vq->num = QN;
	vq->desc_gpa = DESC_GPA;
	vq->avail_gpa = AVAIL_GPA;
	vq->used_gpa = USED_GPA;
	assert_int_equal(virtq_enable(vq, 256, &drv->mem, false, false), 0);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct net_opts o;
	struct vmm_err err = {""};

	drv_init(&f->rx, QN);
	drv_init(&f->tx, QN);
	assert_int_equal(net_parse_opts("user,mac=52:54:00:ab:cd:ef", 0, &o, &err), 0);
	assert_int_equal(virtio_net_create_on(&o, fake_make, &f->d, &err), 0);
	f->n = to_net(f->d);
	f->fb = (struct fake_be *)f->n->be;
	f->d->status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
		       VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK;
	queue_on(&f->d->vq[NET_RXQ], &f->rx);
	queue_on(&f->d->vq[NET_TXQ], &f->tx);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	virtio_net_ops.destroy(f->d);
	drv_free(&f->rx);
	drv_free(&f->tx);
	free(f);
	return 0;
}

/* A receive buffer of len bytes as descriptor i at BUF_GPA + i * 0x800. */
static void rx_buffer(struct fix *f, unsigned i, uint32_t len)
{
	drv_desc(&f->rx, i, BUF_GPA + 0x800ull * i, len, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&f->rx, (uint16_t)i);
}

static void frame_of(uint8_t *p, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void test_tx_frame(void **state)
{
	struct fix *f = *state;
	uint8_t frame[100];

	frame_of(frame, sizeof(frame), 3);
	/* header + 30 bytes in one buffer, 70 more in a second */
	memset(drv_host(&f->tx, BUF_GPA), 0, VIRTIO_NET_HDR_LEN);
	memcpy(drv_host(&f->tx, BUF_GPA + VIRTIO_NET_HDR_LEN), frame, 30);
	memcpy(drv_host(&f->tx, BUF_GPA + 0x1000), frame + 30, 70);
	drv_desc(&f->tx, 0, BUF_GPA, VIRTIO_NET_HDR_LEN + 30, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&f->tx, 1, BUF_GPA + 0x1000, 70, 0, 0);
	drv_publish(&f->tx, 0);
	assert_int_equal(virtio_net_ops.queue_notify(f->d, NET_TXQ), 0);
	assert_int_equal(f->fb->nsent, 1);
	assert_int_equal(f->fb->sent_len[0], 100);
	assert_memory_equal(f->fb->sent[0], frame, 100);
	assert_int_equal(drv_used_idx(&f->tx), 1);
	assert_int_equal(drv_used_len(&f->tx, 0), 0);
	assert_int_equal(atomic_load(&f->n->c.tx_packets), 1);
	assert_int_equal(atomic_load(&f->n->c.tx_bytes), 100);
	assert_true(f->fb->polls >= 1); /* the backend looked for answers */
}

static void test_tx_hostile(void **state)
{
	struct fix *f = *state;

	drv_desc(&f->tx, 0, BUF_GPA, VIRTIO_NET_HDR_LEN - 4, 0, 0); /* short header */
	drv_publish(&f->tx, 0);
	drv_desc(&f->tx, 1, BUF_GPA, VIRTIO_NET_HDR_LEN + NET_MAX_FRAME + 1, 0, 0); /* too long */
	drv_publish(&f->tx, 1);
	drv_desc(&f->tx, 2, BUF_GPA, 64, VIRTQ_DESC_F_WRITE, 0); /* nothing to read */
	drv_publish(&f->tx, 2);
	assert_int_equal(virtio_net_ops.queue_notify(f->d, NET_TXQ), 0);
	assert_int_equal(f->fb->nsent, 0);
	assert_int_equal(drv_used_idx(&f->tx), 3); /* each handed back */
	assert_int_equal(atomic_load(&f->n->c.tx_dropped), 3);
	assert_int_equal(f->d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
}

static void test_rx_frame(void **state)
{
	struct fix *f = *state;
	uint8_t frame[60], *buf;

	frame_of(frame, sizeof(frame), 9);
	rx_buffer(f, 0, 1526);
	memset(drv_host(&f->rx, BUF_GPA), 0xee, 1526);
	assert_int_equal(f->fb->be.deliver(f->n, frame, sizeof(frame)), 0);
	assert_int_equal(drv_used_idx(&f->rx), 1);
	assert_int_equal(drv_used_len(&f->rx, 0), VIRTIO_NET_HDR_LEN + 60);
	buf = drv_host(&f->rx, BUF_GPA);
	for (unsigned i = 0; i < VIRTIO_NET_HDR_LEN; i++)
		assert_int_equal(buf[i], i == 10 ? 1 : 0); /* num_buffers = 1, the rest 0 */
	assert_memory_equal(buf + VIRTIO_NET_HDR_LEN, frame, 60);
	assert_int_equal(buf[VIRTIO_NET_HDR_LEN + 60], 0xee); /* nothing beyond */
	assert_int_equal(atomic_load(&f->n->c.rx_packets), 1);
}

static void test_rx_backlog(void **state)
{
	struct fix *f = *state;
	uint8_t frame[3][80];

	for (unsigned i = 0; i < 3; i++) {
		frame_of(frame[i], 80, (uint8_t)(i * 50));
		assert_int_equal(f->fb->be.deliver(f->n, frame[i], 80), 0);
	}
	assert_int_equal(f->n->bl_count, 3);
	assert_int_equal(drv_used_idx(&f->rx), 0);
	/* two buffers: two frames go, the backend must not read while one still waits */
	rx_buffer(f, 0, 1526);
	rx_buffer(f, 1, 1526);
	assert_int_equal(virtio_net_ops.queue_notify(f->d, NET_RXQ), VIRTIO_QUEUE_WAIT);
	assert_int_equal(drv_used_idx(&f->rx), 2);
	assert_false(f->fb->rx_open);
	rx_buffer(f, 2, 1526);
	assert_int_equal(virtio_net_ops.queue_notify(f->d, NET_RXQ), VIRTIO_QUEUE_WAIT);
	assert_int_equal(drv_used_idx(&f->rx), 3);
	assert_true(f->fb->rx_open);
	for (unsigned i = 0; i < 3; i++) /* in order */
		assert_memory_equal(drv_host(&f->rx, BUF_GPA + 0x800ull * i + VIRTIO_NET_HDR_LEN),
				    frame[i], 80);
	assert_int_equal(atomic_load(&f->n->c.rx_dropped), 0);
}

static void test_rx_small_buffer_and_bound(void **state)
{
	struct fix *f = *state;
	uint8_t frame[200] = {1};

	rx_buffer(f, 0, VIRTIO_NET_HDR_LEN + 100); /* too small for 200 */
	assert_int_equal(f->fb->be.deliver(f->n, frame, sizeof(frame)), 0);
	assert_int_equal(drv_used_idx(&f->rx), 1);
	assert_int_equal(drv_used_len(&f->rx, 0), 0);
	assert_int_equal(atomic_load(&f->n->c.rx_dropped), 1);
	/* an oversized frame, then more than the backlog holds */
	assert_int_equal(f->fb->be.deliver(f->n, frame, NET_MAX_FRAME + 1), -ENOBUFS);
	for (unsigned i = 0; i < NET_BACKLOG + 5; i++)
		(void)f->fb->be.deliver(f->n, frame, sizeof(frame));
	assert_int_equal(f->n->bl_count, NET_BACKLOG);
	assert_int_equal(atomic_load(&f->n->c.rx_dropped), 1 + 1 + 5);
	/* a reset drops (and counts) what waits, and quiets the backend */
	virtio_net_ops.reset(f->d);
	assert_int_equal(f->n->bl_count, 0);
	assert_int_equal(atomic_load(&f->n->c.rx_dropped), 7 + NET_BACKLOG);
	assert_true(f->fb->quiesced);
}

static void test_config(void **state)
{
	struct fix *f = *state;

	assert_int_equal(virtio_net_ops.config_read(f->d, 0, 4), 0xab005452);
	assert_int_equal(virtio_net_ops.config_read(f->d, 4, 2), 0xefcd);
	assert_int_equal(virtio_net_ops.config_read(f->d, 6, 2), VIRTIO_NET_S_LINK_UP);
	assert_true(virtio_net_ops.features & VIRTIO_FEATURE(VIRTIO_NET_F_MAC));
	assert_true(virtio_net_ops.features & VIRTIO_FEATURE(VIRTIO_NET_F_STATUS));
}

static void test_parse(void **state)
{
	struct net_opts o;
	struct vmm_err err = {""};
	static const char *const bad[] = {
	    "", "user,", "usr", "user,hostfwd=tcp:1.2.3.4:80", "user,hostfwd=tcp::0-:80",
	    "user,hostfwd=tcp::80-:65536", "user,hostfwd=tcp:1.2.3:80-:80", "user,hostfwd=icmp::1-:1",
	    "user,mac=52:54:00:12:34", "user,mac=52-54-00-12-34-56", "user,mac=03:00:00:00:00:01",
	    "user,ifname=tap0", "tap,hostfwd=tcp::1-:1", "tap", "tap,ifname=", "user,x=1",
	    "tap,ifname=abcdefghijklmnop",
	};

	assert_int_equal(net_parse_opts("user", 2, &o, &err), 0);
	assert_int_equal(o.type, NET_USER);
	assert_memory_equal(o.mac, ((uint8_t[]){0x52, 0x54, 0, 0x12, 0x34, 0x58}), 6);
	assert_int_equal(net_parse_opts("user,hostfwd=tcp:127.0.0.1:2222-:22,"
					"hostfwd=udp::5353-10.0.2.15:53",
					0, &o, &err),
			 0);
	assert_int_equal(o.nr_fwd, 2);
	assert_false(o.fwd[0].udp);
	assert_int_equal(ntohl(o.fwd[0].host_addr.s_addr), 0x7f000001);
	assert_int_equal(o.fwd[0].host_port, 2222);
	assert_int_equal(o.fwd[0].guest_addr.s_addr, 0);
	assert_int_equal(o.fwd[0].guest_port, 22);
	assert_true(o.fwd[1].udp);
	assert_int_equal(o.fwd[1].host_addr.s_addr, 0);
	assert_int_equal(ntohl(o.fwd[1].guest_addr.s_addr), 0x0a00020f);
	assert_int_equal(net_parse_opts("tap,ifname=tap0,mac=52:54:00:00:00:01", 0, &o, &err), 0);
	assert_int_equal(o.type, NET_TAP);
	assert_string_equal(o.ifname, "tap0");
	assert_int_equal(o.mac[5], 1);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		if (net_parse_opts(bad[i], 0, &o, &err) != -EINVAL)
			fail_msg("accepted: \"%s\"", bad[i]);
		assert_true(strstr(err.msg, "--net") != NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tx_frame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tx_hostile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_frame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_backlog, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_small_buffer_and_bound, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
