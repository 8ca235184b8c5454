// SPDX-License-Identifier: MIT
/* virtio-mmio from a bare-metal driver: the board's two always-present devices, virtio-console
 * at 0xef710000 (UIC0 input 16) and virtio-rng at 0xef711000 (UIC0 input 17), their registers
 * (VIRTIO 1.2, 4.2.2, little-endian: accessed with lwbrx/stwbrx), feature negotiation
 * (VERSION_1 required, nothing unoffered), a split queue for the rng giving random bytes
 * (direct and indirect descriptors), its interrupt through UIC0 (edge-triggered input, then a
 * real external interrupt), and what a hostile driver gets: each broken ring sets
 * DEVICE_NEEDS_RESET with a config interrupt, a reset brings the device back, a notify before
 * DRIVER_OK does nothing until DRIVER_OK, and the other device keeps working.
 *
 * SOFTKVM-ONLY: QEMU's bamboo has no virtio-mmio devices (its reads there return 0).
 */
#include "virtio_mmio.h"

#define CONSOLE		0xef710000u
#define RNG		0xef711000u
#define RNG_INPUT	17
#define IN(n)		(0x80000000u >> (n))
#define RAM_END		0x10000000u	/* 256 MiB: the runner's --memory default */

#define UIC_SR		0xc0
#define UIC_ER		0xc2
#define UIC_TR		0xc5
#define mfdcr(n) ({ uint32_t v_;							\
	__asm__ __volatile__("mfdcr %0, %1" : "=r"(v_) : "i"(n) : "memory"); v_; })
#define mtdcr(n, v)									\
	__asm__ __volatile__("mtdcr %0, %1" : : "i"(n), "r"((uint32_t)(v)) : "memory")

#define QSIZE		8
#define TICKS_1S	400000000ull	/* timebase: 400 MHz */

/* One queue's rings (little-endian in memory), and buffers. */
static struct desc desc[QSIZE] __attribute__((aligned(16)));
static struct desc table[4] __attribute__((aligned(16)));
static volatile uint16_t avail[2 + QSIZE + 1] __attribute__((aligned(4)));
static volatile uint32_t used[1 + 2 * QSIZE + 1] __attribute__((aligned(4)));
static uint8_t buf[256] __attribute__((aligned(64)));
static uint16_t avail_idx;
static volatile uint32_t ext_irqs, ext_status;

static uint16_t used_idx(void)
{
	return le16(((volatile uint16_t *)used)[1]);
}

static void publish(uint16_t head)
{
	avail[2 + avail_idx % QSIZE] = le16(head);
	sync();
	avail_idx++;
	avail[1] = le16(avail_idx);
	sync();
}

/* Waits up to a second (the device runs on a host thread) for used->idx to reach n. */
static uint32_t wait_base;
static uint16_t wait_idx;
static bool used_reached(void) { return used_idx() == wait_idx; }
static bool wait_used_for(uint16_t n, uint64_t ticks)
{
	wait_idx = n;
	return spin_until(used_reached, ticks);
}
static bool wait_used(uint16_t n) { return wait_used_for(n, TICKS_1S); }
static bool needs_reset(void) { return vr(wait_base, STATUS) & S_NEEDS_RESET; }
static bool wait_needs_reset(uint32_t base)
{
	wait_base = base;
	return spin_until(needs_reset, TICKS_1S);
}

static void reset(uint32_t base)
{
	vw(base, STATUS, 0);
	memset(desc, 0, sizeof(desc));
	memset((void *)avail, 0, sizeof(avail));
	memset((void *)used, 0, sizeof(used));
	avail_idx = 0;
}

/* Reset (our rings too), then 3.1.1 up to FEATURES_OK; the status read back. */
static uint32_t negotiate(uint32_t base, uint32_t word0, uint32_t word1)
{
	reset(base);
	return virtio_negotiate(base, word0, word1);
}

/* A live device with queue q on our rings; true if FEATURES_OK stuck and the queue is ready. */
static bool bring_up(uint32_t base, unsigned q, uint32_t word0)
{
	bool ok = negotiate(base, word0, F_VERSION_1) & S_FEATURES_OK;

	virtio_queue_setup(base, q, QSIZE, (uint32_t)desc, (uint32_t)avail, (uint32_t)used);
	ok = ok && vr(base, QUEUE_READY) == 1;
	vw(base, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	return ok;
}

static bool all_zero(const uint8_t *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_identification(void)
{
	report_prefix_push("id");
	report_eq(vr(CONSOLE, MAGIC), 0x74726976, "console magic");
	report_eq(vr(CONSOLE, VERSION), 2, "console version 2");
	report_eq(vr(CONSOLE, DEVICE_ID), 3, "console device id");
	report_eq(vr(RNG, MAGIC), 0x74726976, "rng magic");
	report_eq(vr(RNG, VERSION), 2, "rng version 2");
	report_eq(vr(RNG, DEVICE_ID), 4, "rng device id");
	vw(RNG, DEV_FEAT_SEL, 1);
	report_eq(vr(RNG, DEV_FEAT) & F_VERSION_1, F_VERSION_1, "VERSION_1 offered");
	vw(RNG, DEV_FEAT_SEL, 0);
	report_eq(vr(RNG, DEV_FEAT) & (F_INDIRECT | F_EVENT_IDX), F_INDIRECT | F_EVENT_IDX,
		  "INDIRECT_DESC and EVENT_IDX offered");
	vw(RNG, QUEUE_SEL, 0);
	report(vr(RNG, QUEUE_NUM_MAX) >= QSIZE, "queue 0 max size");
	vw(RNG, QUEUE_SEL, 1);
	report_eq(vr(RNG, QUEUE_NUM_MAX), 0, "no queue 1");
	report_prefix_pop();
}

static void test_features(void)
{
	report_prefix_push("features");
	report_eq(negotiate(RNG, F_INDIRECT, 0) & S_FEATURES_OK, 0, "legacy driver refused");
	report_eq(negotiate(RNG, 1u << 5, F_VERSION_1) & S_FEATURES_OK, 0,
		  "a feature not offered refused");
	report_eq(negotiate(RNG, F_INDIRECT, F_VERSION_1) & S_FEATURES_OK, S_FEATURES_OK,
		  "VERSION_1 + INDIRECT_DESC accepted");
	reset(RNG);
	report_eq(vr(RNG, STATUS), 0, "reset reads 0");
	report_prefix_pop();
}

static void on_external(struct ex_regs *regs)
{
	(void)regs;
	ext_irqs++;
	ext_status = vr(RNG, INT_STATUS);
	vw(RNG, INT_ACK, ext_status);
	mtdcr(UIC_SR, IN(RNG_INPUT)); /* edge: acknowledge at the UIC */
}

static bool got_irq(void) { return ext_irqs != 0; }
static bool uic_latched(void) { return mfdcr(UIC_SR) & IN(RNG_INPUT); }

static void test_rng(void)
{
	report_prefix_push("rng");
	/* the input edge-triggered and enabled at the UIC, MSR[EE] still 0 */
	mtdcr(UIC_TR, mfdcr(UIC_TR) | IN(RNG_INPUT));
	mtdcr(UIC_SR, IN(RNG_INPUT));
	mtdcr(UIC_ER, mfdcr(UIC_ER) | IN(RNG_INPUT));

	report(bring_up(RNG, 0, F_INDIRECT), "queue set up, driver ok");
	memset(buf, 0, sizeof(buf));
	set_desc(&desc[0], (uint32_t)buf, 64, D_WRITE, 0);
	publish(0);
	vw(RNG, QUEUE_NOTIFY, 0);
	report(wait_used(1), "request used");
	report_eq(le32(used[1]), 0, "used id");
	report_eq(le32(used[2]), 64, "used len");
	report(!all_zero(buf, 64), "random bytes, not all zero");
	report(spin_until(uic_latched, TICKS_1S), "UIC0 input 17 latched the interrupt");
	report_eq(vr(RNG, INT_STATUS), 1, "InterruptStatus: used buffer");
	vw(RNG, INT_ACK, 1);
	report_eq(vr(RNG, INT_STATUS), 0, "InterruptACK clears it");
	mtdcr(UIC_SR, IN(RNG_INPUT));

	/* an indirect table of two writable buffers, and the interrupt taken */
	install_exception_handler(IVOR_EXTERNAL, on_external);
	msr_set(MSR_EE);
	memset(buf, 0, sizeof(buf));
	set_desc(&table[0], (uint32_t)buf, 16, D_WRITE | D_NEXT, 1);
	set_desc(&table[1], (uint32_t)buf + 128, 32, D_WRITE, 0);
	set_desc(&desc[1], (uint32_t)table, 2 * sizeof(struct desc), D_INDIRECT, 0);
	publish(1);
	vw(RNG, QUEUE_NOTIFY, 0);
	report(wait_used(2), "indirect request used");
	report_eq(le32(used[4]), 48, "indirect used len");
	report(!all_zero(buf, 16) && !all_zero(buf + 128, 32) && all_zero(buf + 16, 112),
	       "random bytes in both buffers only");
	report(spin_until(got_irq, TICKS_1S), "external interrupt taken");
	report_eq(ext_status, 1, "handler saw InterruptStatus used buffer");
	msr_set(0);
	report_prefix_pop();
}

/* Each hostile ring: DEVICE_NEEDS_RESET, a config interrupt, nothing used. */
static void expect_needs_reset(const char *name)
{
	report(wait_needs_reset(RNG), "%s: DEVICE_NEEDS_RESET", name);
	report(vr(RNG, INT_STATUS) & 2, "%s: config interrupt", name);
	report_eq(used_idx(), 0, "%s: nothing used", name);
}

static void hostile_chain(const char *name, uint32_t addr, uint32_t len, uint16_t flags,
			  uint16_t next)
{
	bring_up(RNG, 0, F_INDIRECT);
	set_desc(&desc[0], addr, len, flags, next);
	publish(0);
	vw(RNG, QUEUE_NOTIFY, 0);
	expect_needs_reset(name);
}

static void test_hostile(void)
{
	report_prefix_push("hostile");
	hostile_chain("descriptor loop", (uint32_t)buf, 8, D_WRITE | D_NEXT, 0);
	hostile_chain("next index past the queue", (uint32_t)buf, 8, D_WRITE | D_NEXT, QSIZE);
	hostile_chain("buffer outside RAM", RAM_END + 0x1000, 8, D_WRITE, 0);
	hostile_chain("buffer crossing the end of RAM", RAM_END - 16, 32, D_WRITE, 0);
	hostile_chain("overflowing length", RAM_END - 16, 0xffffffffu, D_WRITE, 0);

	bring_up(RNG, 0, F_INDIRECT); /* a chain longer than the queue: 9 in a table of 8 */
	for (unsigned i = 0; i < QSIZE; i++)
		set_desc(&desc[i], (uint32_t)buf, 1, D_WRITE | D_NEXT, (uint16_t)((i + 1) % QSIZE));
	publish(3);
	vw(RNG, QUEUE_NOTIFY, 0);
	expect_needs_reset("chain longer than the queue");

	bring_up(RNG, 0, F_INDIRECT);
	set_desc(&table[0], (uint32_t)table, sizeof(table), D_INDIRECT, 0);
	set_desc(&desc[0], (uint32_t)table, sizeof(table), D_INDIRECT, 0);
	publish(0);
	vw(RNG, QUEUE_NOTIFY, 0);
	expect_needs_reset("nested indirect table");

	bring_up(RNG, 0, 0); /* INDIRECT_DESC not negotiated */
	set_desc(&table[0], (uint32_t)buf, 8, D_WRITE, 0);
	set_desc(&desc[0], (uint32_t)table, sizeof(struct desc), D_INDIRECT, 0);
	publish(0);
	vw(RNG, QUEUE_NOTIFY, 0);
	expect_needs_reset("indirect without the feature");

	negotiate(RNG, 0, F_VERSION_1);
	virtio_queue_setup(RNG, 0, QSIZE, RAM_END - 64, (uint32_t)avail, (uint32_t)used);
	report_eq(vr(RNG, QUEUE_READY), 0, "ring outside RAM: queue not ready");
	report(vr(RNG, STATUS) & S_NEEDS_RESET, "ring outside RAM: DEVICE_NEEDS_RESET");

	negotiate(RNG, 0, F_VERSION_1);
	virtio_queue_setup(RNG, 0, 6, (uint32_t)desc, (uint32_t)avail, (uint32_t)used);
	report_eq(vr(RNG, QUEUE_READY), 0, "queue size 6: queue not ready");
	report(vr(RNG, STATUS) & S_NEEDS_RESET, "queue size 6: DEVICE_NEEDS_RESET");

	/* the console keeps working meanwhile (its transmit queue is 1) */
	report(bring_up(CONSOLE, 1, 0), "console set up while the rng is broken");
	memcpy(buf, "virtio-console: hello from hvc0\n", 32);
	set_desc(&desc[0], (uint32_t)buf, 32, 0, 0);
	publish(0);
	vw(CONSOLE, QUEUE_NOTIFY, 1);
	report(wait_used(1), "console output used");
	reset(CONSOLE);

	/* notify before DRIVER_OK: nothing until DRIVER_OK */
	negotiate(RNG, 0, F_VERSION_1);
	virtio_queue_setup(RNG, 0, QSIZE, (uint32_t)desc, (uint32_t)avail, (uint32_t)used);
	memset(buf, 0, 64);
	set_desc(&desc[0], (uint32_t)buf, 64, D_WRITE, 0);
	publish(0);
	vw(RNG, QUEUE_NOTIFY, 0);
	report(!wait_used_for(1, TICKS_1S / 10), "notify before DRIVER_OK: nothing used");
	vw(RNG, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);
	report(wait_used(1), "served at DRIVER_OK");
	report(!all_zero(buf, 64), "random bytes after a reset");
	reset(RNG);
	report_prefix_pop();
}

int main(void)
{
	test_identification();
	test_features();
	test_rng();
	test_hostile();
	return 0;
}
