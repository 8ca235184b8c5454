// SPDX-License-Identifier: MIT
/* XICS as a state machine: what each hypercall and RTAS call does to the presentation
 * controllers (XIRR, CPPR, MFRR) and the sources, and when a vcpu's external input rises and
 * falls -- the sequences Linux's icp-hv and ics-rtas drivers make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../vmm/papr/xics.c"

#define SRC(n) (XICS_IRQ_BASE + (n))

struct fixture {
	struct xics x;
	bool level[4];
	unsigned calls;
};

static void record_output(void *opaque, unsigned server, bool level)
{
	struct fixture *f = opaque;

	assert_true(server < 4);
	assert_true(f->level[server] != level); /* only changes are reported */
	f->level[server] = level;
	f->calls++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_int_equal(xics_init(&f->x, 2, 16, record_output, f), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xics_destroy(&f->x);
	free(f);
	return 0;
}

static uint64_t accept(struct fixture *f, unsigned server)
{
	uint64_t xirr = 0;

	assert_int_equal(xics_h_xirr(&f->x, server, &xirr), SKVM_H_SUCCESS);
	return xirr;
}

static void test_init_limits(void **state)
{
	struct xics x;

	assert_int_equal(xics_init(&x, 0, 16, record_output, NULL), -EINVAL);
	assert_int_equal(xics_init(&x, XICS_MAX_SERVERS + 1, 16, record_output, NULL), -EINVAL);
	assert_int_equal(xics_init(&x, 1, XICS_MAX_SOURCES + 1, record_output, NULL), -EINVAL);
	assert_int_equal(xics_init(&x, 1, 16, NULL, NULL), -EINVAL);
}

/* Power-on: every source masked, CPPR 0: an asserted line reaches nobody. */
static void test_masked_at_reset(void **state)
{
	struct fixture *f = *state;
	uint32_t server = 9, prio = 0;

	assert_int_equal(xics_get_xive(&f->x, SRC(3), &server, &prio), RTAS_OUT_SUCCESS);
	assert_int_equal(server, 0);
	assert_int_equal(prio, 0xff);
	assert_int_equal(xics_set_irq(&f->x, SRC(3), true), 0);
	assert_int_equal(xics_h_cppr(&f->x, 0, 0xff), SKVM_H_SUCCESS);
	assert_int_equal(f->calls, 0);
	assert_int_equal(accept(f, 0), 0xff000000u);
	assert_int_equal(xics_set_irq(&f->x, SRC(16), true), -EINVAL);
	assert_int_equal(xics_set_irq(&f->x, XICS_IRQ_BASE - 1, true), -EINVAL);
}

/* One level source through its whole life: present, accept, EOI, presented again while the
 * line stays up, quiet once it is down. */
static void test_level_source(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xics_set_xive(&f->x, SRC(0), 0, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(0), true), 0);
	assert_false(f->level[0]); /* CPPR 0 blocks everything */
	xics_h_cppr(&f->x, 0, 0xff);
	assert_true(f->level[0]);

	assert_int_equal(accept(f, 0), 0xff001000u);
	assert_false(f->level[0]);
	/* the CPPR is now the accepted priority: nothing new is taken at 5 or below */
	assert_int_equal(accept(f, 0), 0x05000000u);

	/* EOI with the line still up: presented again */
	assert_int_equal(xics_h_eoi(&f->x, 0, 0xff001000u), SKVM_H_SUCCESS);
	assert_true(f->level[0]);
	assert_int_equal(accept(f, 0), 0xff001000u);
	/* the line goes down before the EOI: nothing more */
	assert_int_equal(xics_set_irq(&f->x, SRC(0), false), 0);
	assert_int_equal(xics_h_eoi(&f->x, 0, 0xff001000u), SKVM_H_SUCCESS);
	assert_false(f->level[0]);
	assert_int_equal(accept(f, 0), 0xff000000u);
}

/* A more favoured source takes the ICP; the other is rejected and sent again after the EOI. */
static void test_priorities(void **state)
{
	struct fixture *f = *state;

	xics_h_cppr(&f->x, 0, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(1), 0, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_xive(&f->x, SRC(2), 0, 3), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(1), true), 0);
	assert_true(f->level[0]);
	assert_int_equal(xics_set_irq(&f->x, SRC(2), true), 0);
	assert_int_equal(accept(f, 0), 0xff001002u);
	/* CPPR 3: source 1 (priority 5) must wait */
	assert_false(f->level[0]);
	assert_int_equal(xics_set_irq(&f->x, SRC(2), false), 0);
	assert_int_equal(xics_h_eoi(&f->x, 0, 0xff001002u), SKVM_H_SUCCESS);
	assert_true(f->level[0]);
	assert_int_equal(accept(f, 0), 0xff001001u);
}

/* Raising the CPPR above what is presented withdraws it; lowering it presents it again. */
static void test_cppr_withdraws(void **state)
{
	struct fixture *f = *state;

	xics_h_cppr(&f->x, 0, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(4), 0, 6), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(4), true), 0);
	assert_true(f->level[0]);
	xics_h_cppr(&f->x, 0, 6);
	assert_false(f->level[0]);
	assert_int_equal(accept(f, 0), 0x06000000u);
	xics_h_cppr(&f->x, 0, 7);
	assert_true(f->level[0]);
	assert_int_equal(accept(f, 0), 0x07001004u);
}

/* IPIs: SKVM_H_IPI sets a server's MFRR, SKVM_H_IPOLL looks without accepting, XISR 2. */
static void test_ipi(void **state)
{
	struct fixture *f = *state;
	uint64_t xirr = 1, mfrr = 1;

	xics_h_cppr(&f->x, 1, 0xff);
	assert_int_equal(xics_h_ipi(&f->x, 1, 4), SKVM_H_SUCCESS);
	assert_true(f->level[1]);
	assert_false(f->level[0]);
	assert_int_equal(xics_h_ipoll(&f->x, 1, &xirr, &mfrr), SKVM_H_SUCCESS);
	assert_int_equal(xirr, 0xff000002u);
	assert_int_equal(mfrr, 4);
	assert_true(f->level[1]); /* polling does not accept */
	assert_int_equal(accept(f, 1), 0xff000002u);
	assert_false(f->level[1]);
	/* Linux clears the MFRR before the EOI, or the IPI would come straight back */
	assert_int_equal(xics_h_ipi(&f->x, 1, 0xff), SKVM_H_SUCCESS);
	assert_int_equal(xics_h_eoi(&f->x, 1, 0xff000002u), SKVM_H_SUCCESS);
	assert_false(f->level[1]);
	assert_int_equal(accept(f, 1), 0xff000000u);

	assert_int_equal(xics_h_ipi(&f->x, 2, 4), SKVM_H_PARAMETER);
	assert_int_equal(xics_h_ipoll(&f->x, 2, &xirr, &mfrr), SKVM_H_PARAMETER);
}

/* An IPI more favoured than a presented source replaces it. */
static void test_ipi_preempts_source(void **state)
{
	struct fixture *f = *state;

	xics_h_cppr(&f->x, 0, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(5), 0, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(5), true), 0);
	assert_int_equal(xics_h_ipi(&f->x, 0, 2), SKVM_H_SUCCESS);
	assert_int_equal(accept(f, 0), 0xff000002u);
	assert_int_equal(xics_h_ipi(&f->x, 0, 0xff), SKVM_H_SUCCESS);
	assert_int_equal(xics_h_eoi(&f->x, 0, 0xff000002u), SKVM_H_SUCCESS);
	assert_int_equal(accept(f, 0), 0xff001005u);
}

/* An EOI that writes back a CPPR more favoured than what is now presented withdraws it. */
static void test_eoi_raises_cppr(void **state)
{
	struct fixture *f = *state;

	xics_h_cppr(&f->x, 0, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(6), 0, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(6), true), 0);
	assert_int_equal(accept(f, 0), 0xff001006u); /* CPPR 5 */
	assert_int_equal(xics_h_ipi(&f->x, 0, 3), SKVM_H_SUCCESS);
	assert_true(f->level[0]); /* 3 beats the CPPR of 5 */
	assert_int_equal(xics_set_irq(&f->x, SRC(6), false), 0);
	assert_int_equal(xics_h_eoi(&f->x, 0, 0x02001006u), SKVM_H_SUCCESS);
	assert_false(f->level[0]); /* CPPR 2 masks the IPI at 3 */
	assert_int_equal(accept(f, 0), 0x02000000u);
	xics_h_cppr(&f->x, 0, 0xff);
	assert_true(f->level[0]);
	assert_int_equal(accept(f, 0), 0xff000002u);
}

/* Routing to another server, and the RTAS calls' checks. */
static void test_xive_calls(void **state)
{
	struct fixture *f = *state;
	uint32_t server = 0, prio = 0;

	xics_h_cppr(&f->x, 1, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(7), 1, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(7), true), 0);
	assert_false(f->level[0]);
	assert_true(f->level[1]);
	assert_int_equal(accept(f, 1), 0xff001007u);
	assert_int_equal(xics_set_irq(&f->x, SRC(7), false), 0);
	assert_int_equal(xics_h_eoi(&f->x, 1, 0xff001007u), SKVM_H_SUCCESS);

	assert_int_equal(xics_int_off(&f->x, SRC(7)), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_get_xive(&f->x, SRC(7), &server, &prio), RTAS_OUT_SUCCESS);
	assert_int_equal(server, 1);
	assert_int_equal(prio, 0xff);
	assert_int_equal(xics_set_irq(&f->x, SRC(7), true), 0);
	assert_false(f->level[1]);
	assert_int_equal(xics_int_on(&f->x, SRC(7)), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_get_xive(&f->x, SRC(7), &server, &prio), RTAS_OUT_SUCCESS);
	assert_int_equal(prio, 5);
	assert_true(f->level[1]);

	assert_int_equal(xics_set_xive(&f->x, SRC(7), 2, 5), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(xics_set_xive(&f->x, SRC(7), 0, 0x100), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(xics_set_xive(&f->x, SRC(16), 0, 5), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(xics_get_xive(&f->x, 2, &server, &prio), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(xics_int_on(&f->x, SRC(99)), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(xics_int_off(&f->x, SRC(99)), RTAS_OUT_PARAM_ERROR);
}

/* A reboot: routing and presentation forgotten, the vcpu's input lowered. */
static void test_reset(void **state)
{
	struct fixture *f = *state;
	uint32_t server, prio;

	xics_h_cppr(&f->x, 0, 0xff);
	assert_int_equal(xics_set_xive(&f->x, SRC(0), 0, 5), RTAS_OUT_SUCCESS);
	assert_int_equal(xics_set_irq(&f->x, SRC(0), true), 0);
	assert_true(f->level[0]);
	xics_reset(&f->x);
	assert_false(f->level[0]);
	assert_int_equal(xics_get_xive(&f->x, SRC(0), &server, &prio), RTAS_OUT_SUCCESS);
	assert_int_equal(prio, 0xff);
	assert_int_equal(accept(f, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_limits),
	    cmocka_unit_test_setup_teardown(test_masked_at_reset, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_level_source, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_priorities, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cppr_withdraws, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ipi, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ipi_preempts_source, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eoi_raises_cppr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_xive_calls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	return cmocka_run_group_tests_name("vmm xics", tests, NULL, NULL);
}
