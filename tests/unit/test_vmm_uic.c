// SPDX-License-Identifier: MIT
/* UIC0's register file through the DCR bus and its two outputs: level and edge inputs,
 * write-one-to-clear status, critical routing, masked status, vector, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/uic.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"

#define DCR_BASE 0xc0u
#define IRQ(n)	 (0x80000000u >> (n))

struct cpu {
	bool ext, crit;
	unsigned changes;
};

static int cpu_input(void *opaque, unsigned line, bool level)
{
	struct cpu *c = opaque;

	if (line == 0)
		c->ext = level;
	else
		c->crit = level;
	c->changes++;
	return 0;
}

struct fixture {
	struct cpu cpu;
	struct uic uic;
	struct vmm_bus dcr;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vmm_irq ext = {.set = cpu_input, .opaque = &f->cpu, .line = 0};
	struct vmm_irq crit = {.set = cpu_input, .opaque = &f->cpu, .line = 1};

	uic_init(&f->uic, "uic0", &ext, &crit);
	vmm_bus_init(&f->dcr, "dcr");
	assert_int_equal(vmm_bus_register(&f->dcr, DCR_BASE, UIC_DCR_COUNT, &uic_ops, &f->uic), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vmm_bus_destroy(&f->dcr);
	free(f);
	return 0;
}

static uint32_t mfdcr(struct fixture *f, unsigned reg)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(vmm_bus_dcr(&f->dcr, DCR_BASE + reg, &v, false), 0);
	return v;
}

static void mtdcr(struct fixture *f, unsigned reg, uint32_t v)
{
	assert_int_equal(vmm_bus_dcr(&f->dcr, DCR_BASE + reg, &v, true), 0);
}

static void irq(struct fixture *f, unsigned line, bool level)
{
	assert_int_equal(uic_set_irq(&f->uic, line, level), 0);
}

static void test_registers_read_back(void **state)
{
	struct fixture *f = *state;

	for (unsigned r = 0; r < UIC_DCR_COUNT; r++)
		assert_int_equal(mfdcr(f, r), 0);
	mtdcr(f, UIC_ER, 0x12345678);
	mtdcr(f, UIC_CR, 0x00000001);
	mtdcr(f, UIC_PR, 0xffff0000);
	mtdcr(f, UIC_TR, 0x0000ffff);
	mtdcr(f, UIC_VCR, 0xffffffff);
	assert_int_equal(mfdcr(f, UIC_ER), 0x12345678);
	assert_int_equal(mfdcr(f, UIC_CR), 0x00000001);
	assert_int_equal(mfdcr(f, UIC_PR), 0xffff0000);
	assert_int_equal(mfdcr(f, UIC_TR), 0x0000ffff);
	assert_int_equal(mfdcr(f, UIC_VCR), 0xfffffffd); /* bit 30 reserved */
	mtdcr(f, UIC_MSR, 0xffffffff);			 /* read-only */
	mtdcr(f, UIC_VR, 0xffffffff);
	assert_int_equal(mfdcr(f, UIC_MSR), 0);
	assert_int_equal(mfdcr(f, UIC_VR), 0);
	assert_int_equal(f->cpu.changes, 0);
}

static void test_level_input(void **state)
{
	struct fixture *f = *state;

	irq(f, 0, true); /* UART0 */
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(0));
	assert_int_equal(mfdcr(f, UIC_MSR), 0);
	assert_false(f->cpu.ext); /* not enabled */
	mtdcr(f, UIC_ER, IRQ(0));
	assert_int_equal(mfdcr(f, UIC_MSR), IRQ(0));
	assert_true(f->cpu.ext);
	assert_false(f->cpu.crit);
	mtdcr(f, UIC_SR, IRQ(0)); /* still asserted: stays */
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(0));
	assert_true(f->cpu.ext);
	irq(f, 0, false);
	assert_int_equal(mfdcr(f, UIC_SR), 0);
	assert_false(f->cpu.ext);
	assert_int_equal(f->cpu.changes, 2);
}

static void test_edge_input(void **state)
{
	struct fixture *f = *state;

	mtdcr(f, UIC_TR, IRQ(5));
	mtdcr(f, UIC_ER, IRQ(5));
	irq(f, 5, true);
	irq(f, 5, false);
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(5)); /* latched */
	assert_true(f->cpu.ext);
	irq(f, 5, true); /* held high: no new edge after the clear */
	mtdcr(f, UIC_SR, IRQ(5));
	assert_int_equal(mfdcr(f, UIC_SR), 0);
	assert_false(f->cpu.ext);
	irq(f, 5, true);
	assert_int_equal(mfdcr(f, UIC_SR), 0);
	irq(f, 5, false);
	irq(f, 5, true);
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(5));
}

static void test_critical_routing(void **state)
{
	struct fixture *f = *state;

	mtdcr(f, UIC_CR, IRQ(3));
	mtdcr(f, UIC_ER, IRQ(3) | IRQ(4));
	irq(f, 3, true);
	assert_true(f->cpu.crit);
	assert_false(f->cpu.ext);
	irq(f, 4, true);
	assert_true(f->cpu.ext);
	mtdcr(f, UIC_CR, 0); /* both to the external input now */
	assert_false(f->cpu.crit);
	assert_true(f->cpu.ext);
	mtdcr(f, UIC_ER, 0);
	assert_false(f->cpu.ext);
}

static void test_status_set_and_clear(void **state)
{
	struct fixture *f = *state;

	mtdcr(f, UIC_ER, 0xffffffff);
	mtdcr(f, UIC_SRS, IRQ(1) | IRQ(31));
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(1) | IRQ(31));
	assert_int_equal(mfdcr(f, UIC_SRS), IRQ(1) | IRQ(31));
	assert_true(f->cpu.ext);
	mtdcr(f, UIC_SR, IRQ(1)); /* write one to clear */
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(31));
	mtdcr(f, UIC_SR, 0);
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(31));
	mtdcr(f, UIC_SR, 0xffffffff);
	assert_int_equal(mfdcr(f, UIC_SR), 0);
	assert_false(f->cpu.ext);
}

static void test_vector(void **state)
{
	struct fixture *f = *state;

	mtdcr(f, UIC_VCR, 0x00100000);
	mtdcr(f, UIC_CR, IRQ(3) | IRQ(5) | IRQ(7));
	mtdcr(f, UIC_ER, IRQ(3) | IRQ(5) | IRQ(7));
	irq(f, 7, true);
	irq(f, 5, true);
	assert_int_equal(mfdcr(f, UIC_VR), 0x00100000 + 5 * 512); /* input 0 first */
	irq(f, 3, true);
	assert_int_equal(mfdcr(f, UIC_VR), 0x00100000 + 3 * 512);
	mtdcr(f, UIC_VCR, 0x00100001); /* PRO: input 31 first */
	assert_int_equal(mfdcr(f, UIC_VR), 0x00100000 + (31 - 7) * 512);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;

	mtdcr(f, UIC_ER, IRQ(0) | IRQ(1));
	mtdcr(f, UIC_CR, IRQ(1));
	irq(f, 0, true);
	irq(f, 1, true);
	assert_true(f->cpu.ext && f->cpu.crit);
	vmm_bus_reset(&f->dcr);
	assert_false(f->cpu.ext);
	assert_false(f->cpu.crit);
	assert_int_equal(mfdcr(f, UIC_ER), 0);
	assert_int_equal(mfdcr(f, UIC_CR), 0);
	assert_int_equal(mfdcr(f, UIC_SR), IRQ(0) | IRQ(1)); /* the wires are still high */
	irq(f, 0, false);
	irq(f, 1, false);
	assert_int_equal(mfdcr(f, UIC_SR), 0);
}

/* The ack hook: each SR bit the guest writes as 1, after the write and without the lock (the
 * hook lowers the line, as an irqfd's resampler does: that takes the lock again). */
struct acks {
	struct fixture *f;
	unsigned lines[8], n;
};

static void on_ack(void *opaque, unsigned line)
{
	struct acks *a = opaque;

	if (a->n < 8)
		a->lines[a->n++] = line;
	assert_int_equal(uic_set_irq(&a->f->uic, line, false), 0);
}

static void test_ack_hook(void **state)
{
	struct fixture *f = *state;
	struct acks a = {.f = f};

	f->uic.ack = on_ack;
	f->uic.ack_opaque = &a;
	mtdcr(f, UIC_ER, IRQ(5) | IRQ(9));
	irq(f, 5, true);
	irq(f, 9, true);
	assert_true(f->cpu.ext);
	mtdcr(f, UIC_SR, IRQ(9) | IRQ(5));
	assert_int_equal(a.n, 2);
	assert_int_equal(a.lines[0], 5);
	assert_int_equal(a.lines[1], 9);
	assert_int_equal(mfdcr(f, UIC_SR), 0); /* the hook lowered both levels */
	assert_false(f->cpu.ext);
	mtdcr(f, UIC_ER, 0); /* other registers: no ack */
	assert_int_equal(a.n, 2);
	assert_false(uic_output_may_rise(&f->uic, false));
	mtdcr(f, UIC_ER, IRQ(1));
	assert_true(uic_output_may_rise(&f->uic, false));
	assert_false(uic_output_may_rise(&f->uic, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_registers_read_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_level_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edge_input, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_critical_routing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_status_set_and_clear, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_vector, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ack_hook, setup, teardown),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm uic", tests, NULL, NULL);
}
