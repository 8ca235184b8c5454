// SPDX-License-Identifier: MIT
/* virtio-net (vmm/virtio/net.c, net_frame.c, net_offload.c, net_opts.c) against a fake guest
 * memory (two drivers' queues, tests/unit/virtq_driver.h) and a fake backend recording what it
 * is sent and delivering what a test says: a frame transmitted across two buffers, hostile
 * transmit chains (short header, oversized frame: dropped, counted, handed back), the
 * offloads (a checksum finished, a TSO frame cut into segments or taken whole, each with
 * right checksums and the original bytes; headers that lie: dropped), DATA_VALID on
 * received frames, a frame received with its header, a receive the transmit path caused
 * signalled on the receive queue, frames waiting for buffers in order with the backend told
 * to stop reading, receive buffers too small, the backlog's bound, config space, reset, and
 * --net parsing. The device's hooks are called directly, as its thread would (the transport
 * has its own tests). */
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
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/net.c"
#include "../../vmm/virtio/net_frame.c"
#include "../../vmm/virtio/net_offload.c"
#include "../../vmm/virtio/net_opts.c"
#include "../../vmm/virtio/net_slirp.c"
#include "../../vmm/virtio/net_tap.c"
#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define QN 16

#define FAKE_SENT 8
#define FAKE_MAX  8192

struct fake_be {
	struct net_backend be;
	uint8_t sent[FAKE_SENT][FAKE_MAX];
	size_t sent_len[FAKE_SENT];
	unsigned nsent, polls;
	bool rx_open, quiesced;
	const uint8_t *answer; /* delivered at once for each frame sent, as slirp answers */
	size_t answer_len;
};

static void fake_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct fake_be *f = (struct fake_be *)be;

	if (f->nsent < FAKE_SENT) {
		memcpy(f->sent[f->nsent], frame, len < FAKE_MAX ? len : FAKE_MAX);
		f->sent_len[f->nsent] = len;
	}
	f->nsent++;
	if (f->answer)
		(void)f->be.deliver(f->be.opaque, f->answer, f->answer_len);
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

/* ---- offloads ---- */

#define HL (14 + 20 + 32) /* Ethernet, IPv4, TCP with 12 bytes of options (timestamps) */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* A TCP/IPv4 frame of HL + payload bytes from 10.0.2.15:8080 to 10.0.2.2:40000, seq 1000,
 * IP id 7, PSH|ACK|flags, checksums as a guest leaves them for the device (0). */
static size_t tcp_frame(uint8_t *f, size_t payload, uint8_t flags, uint8_t seed)
{
	static const uint8_t head[HL] = {
	    0x52, 0x55, 10, 0, 2, 2, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 0x08, 0x00, /* Ethernet */
	    0x45, 0, 0, 0, 0, 7, 0x40, 0, 64, 6, 0, 0, 10, 0, 2, 15, 10, 0, 2, 2,  /* IPv4 */
	    0x1f, 0x90, 0x9c, 0x40, 0, 0, 0x03, 0xe8, 0, 0, 0, 1, 0x80, 0x18, 0x01, 0xf5, 0, 0,
	    0, 0, 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2, /* TCP, NOP NOP timestamps */
	};
	size_t ip_len = HL - 14 + payload;

	memcpy(f, head, HL);
	f[16] = (uint8_t)(ip_len >> 8);
	f[17] = (uint8_t)ip_len;
	f[14 + 20 + 13] |= flags;
	frame_of(f + HL, payload, seed);
	return HL + payload;
}

/* Are the frame's IPv4 header checksum and TCP checksum right? */
static bool tcp_sums_ok(const uint8_t *f, size_t len)
{
	uint8_t pseudo[12] = {0};

	memcpy(pseudo, f + 26, 8);
	pseudo[9] = 6;
	pseudo[10] = (uint8_t)((len - 34) >> 8);
	pseudo[11] = (uint8_t)(len - 34);
	return net_csum_fold(net_csum_add(0, f + 14, 20)) == 0 &&
	       get16(f + 16) == len - 14 &&
	       net_csum_fold(net_csum_add(net_csum_add(0, pseudo, 12), f + 34, len - 34)) == 0;
}

/* Transmits the frame with header fields h through the queue (two buffers: the header, the
 * frame). */
static void tx_with_header(struct fix *f, const struct net_hdr *h, const uint8_t *frame,
			   size_t len)
{
	uint8_t *hdr = drv_host(&f->tx, BUF_GPA);

	memset(hdr, 0, VIRTIO_NET_HDR_LEN);
	hdr[0] = h->flags;
	hdr[1] = h->gso_type;
	hdr[4] = (uint8_t)h->gso_size;
	hdr[5] = (uint8_t)(h->gso_size >> 8);
	hdr[6] = (uint8_t)h->csum_start;
	hdr[7] = (uint8_t)(h->csum_start >> 8);
	hdr[8] = (uint8_t)h->csum_offset;
	hdr[9] = (uint8_t)(h->csum_offset >> 8);
	memcpy(drv_host(&f->tx, BUF_GPA + 0x100), frame, len);
	drv_desc(&f->tx, 0, BUF_GPA, VIRTIO_NET_HDR_LEN, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&f->tx, 1, BUF_GPA + 0x100, (uint32_t)len, 0, 0);
	drv_publish(&f->tx, 0);
	assert_int_equal(virtio_net_ops.queue_notify(f->d, NET_TXQ), 0);
}

static void negotiate(struct fix *f, uint64_t features)
{
	f->d->features = features | VIRTIO_FEATURE(VIRTIO_F_VERSION_1);
}

/* CSUM: the guest leaves the pseudo-header sum in the field and says where to start; the
 * frame the backend gets has the whole checksum right. */
static void test_tx_csum(void **state)
{
	struct fix *f = *state;
	uint8_t frame[HL + 301];
	size_t len = tcp_frame(frame, 301, 0, 5);
	uint8_t pseudo[12] = {10, 0, 2, 15, 10, 0, 2, 2, 0, 6, 0, 0};
	uint16_t seed;
	struct net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34,
			    .csum_offset = 16};

	negotiate(f, VIRTIO_FEATURE(VIRTIO_NET_F_CSUM));
	frame[24] = 0xb2; /* the guest's IP header checksum is the guest's */
	frame[25] = 0x5b;
	pseudo[10] = (uint8_t)((len - 34) >> 8);
	pseudo[11] = (uint8_t)(len - 34);
	seed = (uint16_t)~net_csum_fold(net_csum_add(0, pseudo, 12)); /* not complemented */
	frame[50] = (uint8_t)(seed >> 8);
	frame[51] = (uint8_t)seed;
	tx_with_header(f, &h, frame, len);
	assert_int_equal(f->fb->nsent, 1);
	assert_int_equal(f->fb->sent_len[0], len);
	assert_memory_equal(f->fb->sent[0] + HL, frame + HL, 301);
	memcpy(pseudo + 10, (uint8_t[]){(uint8_t)((len - 34) >> 8), (uint8_t)(len - 34)}, 2);
	assert_int_equal(net_csum_fold(net_csum_add(net_csum_add(0, pseudo, 12),
						    f->fb->sent[0] + 34, len - 34)),
			 0);
	assert_int_equal(atomic_load(&f->n->c.tx_csum), 1);
	assert_int_equal(atomic_load(&f->n->c.tx_dropped), 0);
}

/* HOST_TSO4 to a backend that needs wire-sized frames: 4000 bytes in segments of 1448, each
 * a whole frame with its own checksums, lengths, ids and sequence numbers; FIN and PSH only
 * on the last; the payloads in order are the guest's bytes. */
static void test_tx_tso_segments(void **state)
{
	struct fix *f = *state;
	static uint8_t frame[HL + 4000], joined[4000];
	size_t len = tcp_frame(frame, 4000, 0x01 /* FIN */, 11), got = 0;
	struct net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
			    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
			    .gso_size = 1448,
			    .csum_start = 34,
			    .csum_offset = 16};

	negotiate(f, VIRTIO_FEATURE(VIRTIO_NET_F_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4));
	tx_with_header(f, &h, frame, len);
	assert_int_equal(f->fb->nsent, 3);
	for (unsigned i = 0; i < 3; i++) {
		const uint8_t *s = f->fb->sent[i];
		size_t n = f->fb->sent_len[i];

		assert_true(n <= NET_MAX_FRAME);
		assert_int_equal(n - HL, i < 2 ? 1448 : 4000 - 2 * 1448);
		assert_true(tcp_sums_ok(s, n));
		assert_int_equal(get16(s + 18), 7 + i);		/* IP id */
		assert_int_equal(get32(s + 38), 1000 + 1448 * i); /* seq */
		assert_int_equal(s[47] & 0x09, i == 2 ? 0x09 : 0); /* FIN, PSH */
		assert_int_equal(s[47] & 0x10, 0x10);		    /* ACK on all */
		assert_memory_equal(s + 54, frame + 54, 12);	    /* the options */
		memcpy(joined + got, s + HL, n - HL);
		got += n - HL;
	}
	assert_int_equal(got, 4000);
	assert_memory_equal(joined, frame + HL, 4000);
	assert_int_equal(atomic_load(&f->n->c.tx_tso), 1);
	assert_int_equal(atomic_load(&f->n->c.tx_packets), 1);
	assert_int_equal(atomic_load(&f->n->c.tx_bytes), len);
}

/* To a backend whose own TCP re-segments (libslirp): the frame whole, checksums right. */
static void test_tx_tso_whole(void **state)
{
	struct fix *f = *state;
	static uint8_t frame[HL + 6000];
	size_t len = tcp_frame(frame, 6000, 0, 13);
	struct net_hdr h = {.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
			    .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
			    .gso_size = 1448,
			    .csum_start = 34,
			    .csum_offset = 16};

	f->fb->be.tso_whole = true;
	negotiate(f, VIRTIO_FEATURE(VIRTIO_NET_F_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4));
	tx_with_header(f, &h, frame, len);
	assert_int_equal(f->fb->nsent, 1);
	assert_int_equal(f->fb->sent_len[0], len);
	assert_true(tcp_sums_ok(f->fb->sent[0], len));
	assert_memory_equal(f->fb->sent[0] + HL, frame + HL, FAKE_MAX - HL);
}

/* Headers that do not fit the frame or what was negotiated: dropped, counted, handed back,
 * nothing sent, the device fine. */
static void test_tx_offload_hostile(void **state)
{
	struct fix *f = *state;
	static uint8_t frame[HL + 3000];
	size_t len = tcp_frame(frame, 3000, 0, 1);
	const struct {
		struct net_hdr h;
		uint64_t features;
	} bad[] = {
	    {{.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 16}, 0},
	    {{.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448},
	     VIRTIO_FEATURE(VIRTIO_NET_F_CSUM)},
	    {{.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = HL + 2999, .csum_offset = 0},
	     VIRTIO_FEATURE(VIRTIO_NET_F_CSUM)},
	    {{.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM, .csum_start = 34, .csum_offset = 0xffff},
	     VIRTIO_FEATURE(VIRTIO_NET_F_CSUM)},
	    {{.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 0},
	     VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4)},
	    {{.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1500},
	     VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4)},
	    {{.gso_type = 3 /* UDP */, .gso_size = 1448}, VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4)},
	    {{.flags = 0}, 0}, /* a 3066-byte frame without GSO */
	};
	unsigned n = sizeof(bad) / sizeof(bad[0]);

	for (unsigned i = 0; i < n; i++) {
		negotiate(f, bad[i].features);
		tx_with_header(f, &bad[i].h, frame, i == 2 ? HL + 3000 - 1 : len);
		assert_int_equal(f->fb->nsent, 0);
		assert_int_equal(atomic_load(&f->n->c.tx_dropped), i + 1);
	}
	/* an IP length that disagrees with the frame */
	frame[17] ^= 1;
	negotiate(f, VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4));
	tx_with_header(f, &(struct net_hdr){.gso_type = VIRTIO_NET_HDR_GSO_TCPV4, .gso_size = 1448},
		       frame, len);
	assert_int_equal(f->fb->nsent, 0);
	assert_int_equal(atomic_load(&f->n->c.tx_dropped), n + 1);
	assert_int_equal(drv_used_idx(&f->tx), n + 1);
	assert_int_equal(f->d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET, 0);
}

/* GUEST_CSUM: frames of a backend whose stack made them carry DATA_VALID; without the
 * feature, or from a wire (the tap), flags stay 0. */
static void test_rx_data_valid(void **state)
{
	struct fix *f = *state;
	uint8_t frame[60];

	frame_of(frame, sizeof(frame), 2);
	for (unsigned i = 0; i < 3; i++) {
		negotiate(f, i == 0 ? 0 : VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM));
		f->fb->be.rx_csum_valid = i != 2;
		rx_buffer(f, i, 1526);
		assert_int_equal(f->fb->be.deliver(f->n, frame, sizeof(frame)), 0);
		assert_int_equal(drv_host(&f->rx, BUF_GPA + 0x800ull * i)[0],
				 i == 1 ? VIRTIO_NET_HDR_F_DATA_VALID : 0);
		assert_memory_equal(drv_host(&f->rx, BUF_GPA + 0x800ull * i + VIRTIO_NET_HDR_LEN),
				    frame, sizeof(frame));
	}
}

/* A frame the backend delivers while the device transmits (slirp answers ARP, ICMP, DNS
 * at once) is signalled on the receive queue when the transmit kick is served: the guest
 * must not wait for some later interrupt to see it. */
static void test_rx_from_tx_signalled(void **state)
{
	struct fix *f = *state;
	uint8_t frame[60], answer[42];

	frame_of(frame, sizeof(frame), 4);
	frame_of(answer, sizeof(answer), 8);
	f->fb->answer = answer;
	f->fb->answer_len = sizeof(answer);
	rx_buffer(f, 0, 1526);
	/* the transmit queue wants no interrupt: only the receive queue may raise one */
	drv_put16(&f->tx, AVAIL_GPA, VIRTQ_AVAIL_F_NO_INTERRUPT);
	memset(drv_host(&f->tx, BUF_GPA), 0, VIRTIO_NET_HDR_LEN);
	memcpy(drv_host(&f->tx, BUF_GPA + VIRTIO_NET_HDR_LEN), frame, sizeof(frame));
	drv_desc(&f->tx, 0, BUF_GPA, VIRTIO_NET_HDR_LEN + sizeof(frame), 0, 0);
	drv_publish(&f->tx, 0);
	serve_queue(f->d, NET_TXQ); /* as the device thread does on the kick */
	assert_int_equal(drv_used_idx(&f->tx), 1);
	assert_int_equal(drv_used_idx(&f->rx), 1);
	assert_memory_equal(drv_host(&f->rx, BUF_GPA + VIRTIO_NET_HDR_LEN), answer,
			    sizeof(answer));
	assert_int_equal(atomic_load(&f->d->isr), VIRTIO_MMIO_INT_VRING);
	assert_int_equal(atomic_load(&f->d->stats.interrupts), 1);
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
	assert_true(virtio_net_ops.features & VIRTIO_FEATURE(VIRTIO_NET_F_CSUM));
	assert_true(virtio_net_ops.features & VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM));
	assert_true(virtio_net_ops.features & VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4));
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
	    cmocka_unit_test_setup_teardown(test_tx_csum, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tx_tso_segments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tx_tso_whole, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tx_offload_hostile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_data_valid, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_from_tx_signalled, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_frame, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_backlog, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rx_small_buffer_and_bound, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config, setup, teardown),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
