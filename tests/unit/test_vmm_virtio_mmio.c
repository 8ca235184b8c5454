// SPDX-License-Identifier: MIT
/* The virtio-mmio transport (vmm/virtio/mmio.c, device.c) with virtio-rng and virtio-console,
 * driven through the MMIO bus as a driver would, with a real VM for the ioeventfds and irqfds
 * and a fake UIC recording the pulses (through the irqfd, or on a line the device thread
 * drives itself, as the 440 board gives one): identification, feature negotiation (VERSION_1
 * required, nothing unoffered), queue setup, a request served by the device thread with an
 * interrupt, notifications before DRIVER_OK, DEVICE_NEEDS_RESET for broken rings and its
 * reset, register access rules, the device tree node, and clean removal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <time.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/virtio/console.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/rng.c"
#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define BASE 0xef710000ull
#define GSI  5
#define QNUM 16

enum {
	R_MAGIC = 0x00,
	R_VERSION = 0x04,
	R_DEVICE_ID = 0x08,
	R_VENDOR = 0x0c,
	R_DEV_FEAT = 0x10,
	R_DEV_FEAT_SEL = 0x14,
	R_DRV_FEAT = 0x20,
	R_DRV_FEAT_SEL = 0x24,
	R_QSEL = 0x30,
	R_QNUM_MAX = 0x34,
	R_QNUM = 0x38,
	R_QREADY = 0x44,
	R_NOTIFY = 0x50,
	R_ISR = 0x60,
	R_ACK = 0x64,
	R_STATUS = 0x70,
	R_DESC = 0x80,
	R_DRIVER = 0x90,
	R_DEVICE = 0xa0,
	R_SHM_LEN = 0xb0,
	R_GEN = 0xfc,
};

struct fix {
	struct skvm_vm *vm;
	struct vmm_bus bus;
	struct drv drv;
	struct virtio_dev *dev;
	pthread_mutex_t lock;
	unsigned pulses; /* rising edges seen on GSI (through the irqfd) */
	bool direct;	 /* the slot's line has a set function */
	unsigned line_up, line_down; /* edges on it */
	pthread_t line_thread;	     /* the thread that drove it last */
	/* the console's backend */
	uint8_t out[256];
	size_t out_len;
	const char *in;
};

static int chip_set_irq(void *opaque, uint32_t gsi, int level)
{
	struct fix *f = opaque;

	pthread_mutex_lock(&f->lock);
	if (gsi == GSI && level)
		f->pulses++;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int line_set(void *opaque, unsigned line, bool level)
{
	struct fix *f = opaque;

	pthread_mutex_lock(&f->lock);
	if (line == 21) {
		*(level ? &f->line_up : &f->line_down) += 1;
		f->line_thread = pthread_self();
	}
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static int be_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct fix *f = opaque;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < len && f->out_len < sizeof(f->out); i++)
		f->out[f->out_len++] = buf[i];
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static ssize_t be_read(void *opaque, uint8_t *buf, size_t len)
{
	struct fix *f = opaque;
	size_t n = 0;

	pthread_mutex_lock(&f->lock);
	while (f->in && *f->in && n < len)
		buf[n++] = (uint8_t)*f->in++;
	pthread_mutex_unlock(&f->lock);
	return (ssize_t)n;
}

static uint32_t rd(struct fix *f, uint64_t off)
{
	uint8_t b[4];

	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + off, b, 4, false), 0);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void wr(struct fix *f, uint64_t off, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + off, b, 4, true), 0);
}

static int add_device(struct fix *f, struct virtio_dev *d)
{
	struct virtio_host host = {.vm = f->vm, .mem = &f->drv.mem, .mmio = &f->bus};
	struct virtio_mmio_slot slot = {
	    .base = BASE, .gsi = GSI, .irq = {.line = 21, .fdt_parent = 2, .fdt_sense = 1}};
	struct vmm_err err;
	int rc;

	if (f->direct) {
		slot.irq.set = line_set;
		slot.irq.opaque = f;
	}
	rc = virtio_dev_add(d, &host, &slot, &err);

	if (rc)
		virtio_dev_remove(d);
	else
		f->dev = d;
	return rc;
}

static int setup_common(void **state, bool console, bool direct)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct skvm_irqchip chip = {.set_irq = chip_set_irq, .opaque = f, .nr_gsis = 32};
	struct vmm_chardev be = {.write = be_write, .read = be_read, .opaque = f};
	struct virtio_dev *d;

	pthread_mutex_init(&f->lock, NULL);
	f->direct = direct;
	if (skvm_vm_create(SKVM_VM_PPC_440, &f->vm) || skvm_vm_set_irqchip(f->vm, &chip))
		return -1;
	vmm_bus_init(&f->bus, "mmio");
	drv_init(&f->drv, QNUM);
	if (console ? virtio_console_create(&be, &d) : virtio_rng_create(&d))
		return -1;
	if (add_device(f, d))
		return -1;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_common(state, false, false);
}

static int setup_direct(void **state)
{
	return setup_common(state, false, true);
}

static int setup_console(void **state)
{
	return setup_common(state, true, false);
}

static int teardown(void **state)
{
	struct fix *f = *state;

	virtio_dev_remove(f->dev);
	skvm_vm_destroy(f->vm);
	vmm_bus_destroy(&f->bus);
	drv_free(&f->drv);
	free(f);
	return 0;
}

static unsigned pulses(struct fix *f)
{
	unsigned n;

	pthread_mutex_lock(&f->lock);
	n = f->pulses;
	pthread_mutex_unlock(&f->lock);
	return n;
}

/* 3.1.1 up to FEATURES_OK with features; returns the status read back. */
static uint32_t negotiate(struct fix *f, uint64_t features)
{
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, R_DRV_FEAT_SEL, 0);
	wr(f, R_DRV_FEAT, (uint32_t)features);
	wr(f, R_DRV_FEAT_SEL, 1);
	wr(f, R_DRV_FEAT, (uint32_t)(features >> 32));
	wr(f, R_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return rd(f, R_STATUS);
}

static void setup_queue(struct fix *f, unsigned q, uint32_t num, uint64_t desc, uint64_t avail,
			uint64_t used)
{
	wr(f, R_QSEL, q);
	wr(f, R_QNUM, num);
	wr(f, R_DESC, (uint32_t)desc);
	wr(f, R_DESC + 4, (uint32_t)(desc >> 32));
	wr(f, R_DRIVER, (uint32_t)avail);
	wr(f, R_DRIVER + 4, (uint32_t)(avail >> 32));
	wr(f, R_DEVICE, (uint32_t)used);
	wr(f, R_DEVICE + 4, (uint32_t)(used >> 32));
	wr(f, R_QREADY, 1);
}

#define ALL_OK                                                                                     \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |            \
	 VIRTIO_STATUS_DRIVER_OK)
#define F_V1  VIRTIO_FEATURE(VIRTIO_F_VERSION_1)
#define F_ALL (F_V1 | VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX) | VIRTIO_FEATURE(VIRTIO_F_INDIRECT_DESC))

/* A live rng with queue 0 set up. */
static void bring_up(struct fix *f, uint64_t features)
{
	assert_true(negotiate(f, features) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0, QNUM, DESC_GPA, AVAIL_GPA, USED_GPA);
	assert_int_equal(rd(f, R_QREADY), 1);
	wr(f, R_STATUS, ALL_OK);
}

static void test_identification(void **state)
{
	struct fix *f = *state;
	uint8_t b;

	assert_int_equal(rd(f, R_MAGIC), 0x74726976);
	assert_int_equal(rd(f, R_VERSION), 2);
	assert_int_equal(rd(f, R_DEVICE_ID), VIRTIO_ID_RNG);
	assert_int_equal(rd(f, R_VENDOR), VIRTIO_MMIO_VENDOR);
	wr(f, R_DEV_FEAT_SEL, 0);
	assert_int_equal(rd(f, R_DEV_FEAT), (1u << 28) | (1u << 29));
	wr(f, R_DEV_FEAT_SEL, 1);
	assert_int_equal(rd(f, R_DEV_FEAT), 1); /* VERSION_1 */
	wr(f, R_DEV_FEAT_SEL, 2);
	assert_int_equal(rd(f, R_DEV_FEAT), 0);
	wr(f, R_QSEL, 0);
	assert_int_equal(rd(f, R_QNUM_MAX), 64);
	wr(f, R_QSEL, 1); /* no such queue */
	assert_int_equal(rd(f, R_QNUM_MAX), 0);
	assert_int_equal(rd(f, R_SHM_LEN), 0xffffffffu); /* no shared memory: -1 */
	assert_int_equal(rd(f, R_STATUS), 0);
	/* registers take 32-bit accesses only: a byte reads 0 and writes nothing */
	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + R_MAGIC, &b, 1, false), 0);
	assert_int_equal(b, 0);
	b = VIRTIO_STATUS_ACKNOWLEDGE;
	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + R_STATUS, &b, 1, true), 0);
	assert_int_equal(rd(f, R_STATUS), 0);
}

static void test_feature_negotiation(void **state)
{
	struct fix *f = *state;

	/* a legacy driver (no VERSION_1): refused */
	assert_false(negotiate(f, VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX)) & VIRTIO_STATUS_FEATURES_OK);
	wr(f, R_STATUS, 0);
	/* a bit that was not offered: refused */
	assert_false(negotiate(f, F_V1 | 1) & VIRTIO_STATUS_FEATURES_OK);
	wr(f, R_STATUS, 0);
	assert_int_equal(rd(f, R_STATUS), 0);
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	assert_true(virtio_has_feature(f->dev, VIRTIO_F_EVENT_IDX));
	/* no changing them after FEATURES_OK */
	wr(f, R_DRV_FEAT_SEL, 0);
	wr(f, R_DRV_FEAT, 0);
	assert_int_equal(f->dev->driver_features, F_ALL);
}

/* Posts one writable buffer of len at BUF_GPA as descriptor 0. */
static void post_rng_buffer(struct fix *f, uint32_t len)
{
	memset(drv_host(&f->drv, BUF_GPA), 0, len);
	drv_desc(&f->drv, 0, BUF_GPA, len, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&f->drv, 0);
}

static void test_rng_request(void **state)
{
	struct fix *f = *state;
	uint8_t zero[64] = {0};

	bring_up(f, F_ALL);
	post_rng_buffer(f, 64);
	wr(f, R_NOTIFY, 0); /* no vcpu here: the transport signals the queue's eventfd itself */
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
	assert_int_equal(drv_used_id(&f->drv, 0), 0);
	assert_int_equal(drv_used_len(&f->drv, 0), 64);
	assert_memory_not_equal(drv_host(&f->drv, BUF_GPA), zero, 64);
	WAIT_FOR(pulses(f) == 1); /* through the irqfd, on the hypervisor's thread */
	assert_int_equal(rd(f, R_ISR), VIRTIO_MMIO_INT_VRING);
	wr(f, R_ACK, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(rd(f, R_ISR), 0);
	assert_int_equal(atomic_load(&f->dev->stats.requests), 1);
	assert_int_equal(atomic_load(&f->dev->stats.bytes), 64);
	assert_int_equal(atomic_load(&f->dev->stats.notifications), 1);
	assert_int_equal(atomic_load(&f->dev->stats.interrupts), 1);
	/* EVENT_IDX: the device asks for the next kick at the next entry */
	assert_int_equal(drv_avail_event(&f->drv), 1);
	/* two buffers in one request, through an indirect table */
	drv_desc_at(&f->drv, BUF_GPA + 0x100, 0, BUF_GPA + 0x1000, 0x4000,
		    VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	drv_desc_at(&f->drv, BUF_GPA + 0x100, 1, BUF_GPA + 0x6000, 0x10, VIRTQ_DESC_F_WRITE, 0);
	drv_desc(&f->drv, 1, BUF_GPA + 0x100, 32, VIRTQ_DESC_F_INDIRECT, 0);
	drv_publish(&f->drv, 1);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(drv_used_idx(&f->drv) == 2);
	assert_int_equal(drv_used_id(&f->drv, 1), 1);
	assert_int_equal(drv_used_len(&f->drv, 1), 0x4010);
}

static void test_notify_before_driver_ok(void **state)
{
	struct fix *f = *state;

	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0, QNUM, DESC_GPA, AVAIL_GPA, USED_GPA);
	post_rng_buffer(f, 16);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(atomic_load(&f->dev->stats.notifications) == 1); /* the thread saw it... */
	pthread_mutex_lock(&f->dev->lock);			  /* ...and is done with it */
	pthread_mutex_unlock(&f->dev->lock);
	assert_int_equal(drv_used_idx(&f->drv), 0); /* ...and did nothing */
	wr(f, R_NOTIFY, 7);			    /* a queue that is not there: nothing */
	wr(f, R_STATUS, ALL_OK);		    /* now what was queued is served */
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
	assert_int_equal(drv_used_len(&f->drv, 0), 16);
}

/* A broken ring: DEVICE_NEEDS_RESET and a config interrupt; nothing served until a reset;
 * after it the device works again. */
static void test_needs_reset_and_reset(void **state)
{
	struct fix *f = *state;

	bring_up(f, F_ALL);
	drv_desc(&f->drv, 0, BUF_GPA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0); /* a loop */
	drv_publish(&f->drv, 0);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	WAIT_FOR(rd(f, R_ISR) & VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(rd(f, R_GEN), 1);
	assert_int_equal(drv_used_idx(&f->drv), 0);
	/* the driver cannot clear it by writing the status */
	wr(f, R_STATUS, ALL_OK);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	/* nothing is served meanwhile */
	post_rng_buffer(f, 8);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(atomic_load(&f->dev->stats.notifications) == 2);
	pthread_mutex_lock(&f->dev->lock);
	pthread_mutex_unlock(&f->dev->lock);
	assert_int_equal(drv_used_idx(&f->drv), 0);

	wr(f, R_STATUS, 0);
	assert_int_equal(rd(f, R_STATUS), 0);
	assert_int_equal(rd(f, R_ISR), 0);
	wr(f, R_QSEL, 0);
	assert_int_equal(rd(f, R_QREADY), 0);
	/* a new driver, new rings */
	memset(drv_host(&f->drv, RAM_GPA), 0, 0x4000);
	f->drv.avail_idx = 0;
	bring_up(f, F_V1);
	post_rng_buffer(f, 8);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
	assert_int_equal(drv_used_len(&f->drv, 0), 8);
}

static void test_bad_queue_setup(void **state)
{
	struct fix *f = *state;

	/* queue enabled before FEATURES_OK */
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	setup_queue(f, 0, QNUM, DESC_GPA, AVAIL_GPA, USED_GPA);
	assert_int_equal(rd(f, R_QREADY), 0);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	wr(f, R_STATUS, 0);
	/* a size that is not a power of two */
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0, 12, DESC_GPA, AVAIL_GPA, USED_GPA);
	assert_int_equal(rd(f, R_QREADY), 0);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	wr(f, R_STATUS, 0);
	/* rings outside RAM */
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0, QNUM, 0x4000000000ull, AVAIL_GPA, USED_GPA);
	assert_int_equal(rd(f, R_QREADY), 0);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	wr(f, R_STATUS, 0);
	/* DRIVER_OK without FEATURES_OK */
	wr(f, R_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_DRIVER_OK);
	assert_true(rd(f, R_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	/* and a machine reset puts it back too */
	vmm_bus_reset(&f->bus);
	assert_int_equal(rd(f, R_STATUS), 0);
	assert_int_equal(rd(f, R_GEN), 0);
	/* addresses do not change under a ready queue */
	bring_up(f, F_ALL);
	wr(f, R_DESC, 0x1234);
	assert_int_equal(rd(f, R_DESC), (uint32_t)DESC_GPA);
}

static void test_console(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;
	uint64_t rx_desc = RAM_GPA + 0x6000, rx_avail = RAM_GPA + 0x7000,
		 rx_used = RAM_GPA + 0x8000;

	assert_int_equal(rd(f, R_DEVICE_ID), VIRTIO_ID_CONSOLE);
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 1, QNUM, DESC_GPA, AVAIL_GPA, USED_GPA); /* transmitq */
	setup_queue(f, 0, QNUM, rx_desc, rx_avail, rx_used);	/* receiveq */
	wr(f, R_STATUS, ALL_OK);

	memcpy(drv_host(d, BUF_GPA), "hello, ", 7);
	memcpy(drv_host(d, BUF_GPA + 0x100), "hvc0\n", 5);
	drv_desc(d, 0, BUF_GPA, 7, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(d, 1, BUF_GPA + 0x100, 5, 0, 0);
	drv_publish(d, 0);
	wr(f, R_NOTIFY, 1);
	WAIT_FOR(drv_used_idx(d) == 1);
	pthread_mutex_lock(&f->lock);
	assert_int_equal(f->out_len, 12);
	assert_memory_equal(f->out, "hello, hvc0\n", 12);
	pthread_mutex_unlock(&f->lock);

	/* input: two 4-byte receive buffers, 6 bytes typed */
	drv_desc_at(d, rx_desc, 0, BUF_GPA + 0x200, 4, VIRTQ_DESC_F_WRITE, 0);
	drv_desc_at(d, rx_desc, 1, BUF_GPA + 0x300, 4, VIRTQ_DESC_F_WRITE, 0);
	drv_put16(d, rx_avail + 4, 0);
	drv_put16(d, rx_avail + 6, 1);
	drv_put16(d, rx_avail + 2, 2);
	wr(f, R_NOTIFY, 0); /* buffers, no input yet: they wait */
	WAIT_FOR(atomic_load(&f->dev->stats.notifications) == 2);
	pthread_mutex_lock(&f->lock);
	f->in = "ls -l\n";
	pthread_mutex_unlock(&f->lock);
	virtio_console_input(f->dev);
	WAIT_FOR(drv_get16(d, rx_used + 2) == 2);
	assert_memory_equal(drv_host(d, BUF_GPA + 0x200), "ls -", 4);
	assert_memory_equal(drv_host(d, BUF_GPA + 0x300), "l\n", 2);
	assert_int_equal(drv_get32(d, rx_used + 8), 4);
	assert_int_equal(drv_get32(d, rx_used + 16), 2);
}

static void test_device_tree(void **state)
{
	struct fix *f = *state;
	char fdt[4096];
	const fdt32_t *p;
	int len, parent, node;

	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 1), 0);
	parent = 0;
	assert_int_equal(vmm_bus_fdt(&f->bus, fdt, parent), 0);
	node = fdt_path_offset(fdt, "/virtio_mmio@ef710000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "compatible", NULL), "virtio,mmio");
	p = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(p[0]), BASE);
	assert_int_equal(fdt32_to_cpu(p[1]), VIRTIO_MMIO_SIZE);
	p = fdt_getprop(fdt, node, "interrupts", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(p[0]), 21);
	assert_int_equal(fdt32_to_cpu(p[1]), 1);
	p = fdt_getprop(fdt, node, "interrupt-parent", &len);
	assert_int_equal(fdt32_to_cpu(p[0]), 2);
}

/* Removed while the driver keeps kicking: the thread stops, nothing is touched after. */
static void test_remove_while_busy(void **state)
{
	struct fix *f = *state;

	bring_up(f, F_ALL);
	for (unsigned i = 0; i < 200; i++) {
		post_rng_buffer(f, 32);
		wr(f, R_NOTIFY, 0);
	}
	virtio_dev_remove(f->dev);
	f->dev = NULL;
	/* the bus region is stale now: the test's teardown removes nothing more */
	vmm_bus_destroy(&f->bus);
	vmm_bus_init(&f->bus, "mmio");
}

static unsigned line_falls(struct fix *f)
{
	unsigned n;

	pthread_mutex_lock(&f->lock);
	n = f->line_down;
	pthread_mutex_unlock(&f->lock);
	return n;
}

/* A slot whose line the VMM drives: the device thread pulses it itself (a rising then a
 * falling edge per interrupt), and no irqfd is assigned. */
static void test_direct_line(void **state)
{
	struct fix *f = *state;

	assert_int_equal(f->dev->irq_fd, -1);
	assert_false(f->dev->irqfd);
	bring_up(f, F_ALL);
	post_rng_buffer(f, 16);
	wr(f, R_NOTIFY, 0);
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
	WAIT_FOR(line_falls(f) == 1); /* the pulse follows the push */
	pthread_mutex_lock(&f->lock);
	assert_int_equal(f->line_up, 1);
	assert_int_equal(f->line_down, 1);
	assert_true(pthread_equal(f->line_thread, f->dev->thread));
	pthread_mutex_unlock(&f->lock);
	assert_int_equal(pulses(f), 0); /* nothing through the hypervisor */
	assert_int_equal(rd(f, R_ISR), VIRTIO_MMIO_INT_VRING);
	wr(f, R_ACK, VIRTIO_MMIO_INT_VRING);
	assert_int_equal(atomic_load(&f->dev->stats.interrupts), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_identification),
	    T(test_feature_negotiation),
	    T(test_rng_request),
	    cmocka_unit_test_setup_teardown(test_direct_line, setup_direct, teardown),
	    T(test_notify_before_driver_ok),
	    T(test_needs_reset_and_reset),
	    T(test_bad_queue_setup),
	    cmocka_unit_test_setup_teardown(test_console, setup_console, teardown),
	    T(test_device_tree),
	    T(test_remove_while_busy),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm virtio-mmio", tests, NULL, NULL);
}
