// SPDX-License-Identifier: MIT
/* The softkvm test device through the bus: the ID register and the scratch area at every
 * width and alignment, as guest tests will use them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/testdev.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "bus_access.h"

#define BASE	0xef700000u
#define SCRATCH (BASE + TESTDEV_SCRATCH_OFFSET)

struct fixture {
	struct testdev dev;
	struct vmm_bus bus;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	testdev_init(&f->dev);
	vmm_bus_init(&f->bus, "mmio");
	assert_int_equal(vmm_bus_register(&f->bus, BASE, TESTDEV_SIZE, &testdev_ops, &f->dev), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vmm_bus_destroy(&f->bus);
	free(f);
	return 0;
}

static void test_id(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(bus_load(&f->bus, BASE, 4), TESTDEV_ID);
	assert_int_equal(bus_load(&f->bus, BASE, 4), 0x534b564d);
	assert_int_equal(bus_load(&f->bus, BASE + 0, 1), 'S');
	assert_int_equal(bus_load(&f->bus, BASE + 3, 1), 'M');
	assert_int_equal(bus_load(&f->bus, BASE + 2, 2), 0x564d);
	assert_int_equal(bus_load(&f->bus, BASE, 8), 0x534b564d00000000ull);
	bus_store(&f->bus, BASE, 4, 0); /* read-only */
	assert_int_equal(bus_load(&f->bus, BASE, 4), TESTDEV_ID);
}

static void test_scratch_every_width(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, SCRATCH, 8, 0x0102030405060708ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH, 8), 0x0102030405060708ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH, 4), 0x01020304);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 4, 4), 0x05060708);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 2, 2), 0x0304);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 7, 1), 0x08);

	bus_store(&f->bus, SCRATCH + 0x10, 1, 0xab);
	bus_store(&f->bus, SCRATCH + 0x12, 2, 0xcdef);
	bus_store(&f->bus, SCRATCH + 0x14, 4, 0x89abcdef);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0x10, 8), 0xab00cdef89abcdefull);
	assert_memory_equal(&f->dev.scratch[0x10],
			    ((uint8_t[]){0xab, 0, 0xcd, 0xef, 0x89, 0xab, 0xcd, 0xef}), 8);
}

static void test_scratch_misaligned(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, SCRATCH + 0x21, 4, 0xdeadbeef);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0x21, 4), 0xdeadbeef);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0x20, 8), 0x00deadbeef000000ull);
	bus_store(&f->bus, SCRATCH + 0x33, 8, 0x1122334455667788ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0x33, 8), 0x1122334455667788ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0x35, 2), 0x3344);
}

static void test_scratch_edges(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, SCRATCH + 0xf8, 8, 0xa1a2a3a4a5a6a7a8ull); /* last 8 bytes */
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0xf8, 8), 0xa1a2a3a4a5a6a7a8ull);
	bus_store(&f->bus, SCRATCH + 0xfc, 8, 0xb1b2b3b4b5b6b7b8ull); /* half outside: that half dropped */
	assert_int_equal(bus_load(&f->bus, SCRATCH + 0xfc, 8), 0xb1b2b3b400000000ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH - 4, 8), 0); /* reserved below, nothing written yet */
	bus_store(&f->bus, SCRATCH - 4, 8, 0xc1c2c3c4c5c6c7c8ull);
	assert_int_equal(bus_load(&f->bus, SCRATCH - 4, 8), 0x00000000c5c6c7c8ull);
	assert_int_equal(bus_load(&f->bus, BASE + 0x200, 8), 0);
	assert_int_equal(bus_load(&f->bus, BASE + TESTDEV_SIZE - 8, 8), 0);
}

static void test_reset_clears_scratch(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, SCRATCH, 8, ~0ull);
	vmm_bus_reset(&f->bus);
	assert_int_equal(bus_load(&f->bus, SCRATCH, 8), 0);
	assert_int_equal(bus_load(&f->bus, BASE, 4), TESTDEV_ID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_id, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scratch_every_width, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scratch_misaligned, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scratch_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset_clears_scratch, setup, teardown),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm testdev", tests, NULL, NULL);
}
