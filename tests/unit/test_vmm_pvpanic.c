// SPDX-License-Identifier: MIT
/* The pvpanic MMIO device through the bus, as Linux's pvpanic driver and QEMU define it:
 * reads give the supported events, PANICKED requests the panic, CRASH_LOADED alone does
 * not end anything, offset 1 is reserved, reset forgets; its device-tree node. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/pvpanic.c"
#include "../../vmm/devtree.c"
#include "../../vmm/error.c"
#include "../../vmm/loader.c"
#include "../../vmm/log.c"
#include "bus_access.h"

#define BASE 0xef702000u

struct fixture {
	struct pvpanic dev;
	struct vmm_bus bus;
	uint32_t requests;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	pvpanic_init(&f->dev, &f->requests);
	vmm_bus_init(&f->bus, "mmio");
	assert_int_equal(vmm_bus_register(&f->bus, BASE, PVPANIC_SIZE, &pvpanic_ops, &f->dev), 0);
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

static void test_read_supported_events(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(bus_load(&f->bus, BASE, 1), 3); /* PANICKED | CRASH_LOADED */
	assert_int_equal(bus_load(&f->bus, BASE + 1, 1), 0);
	assert_int_equal(bus_load(&f->bus, BASE, 2), 0x0300); /* split into bytes */
}

static void test_panicked(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, BASE, 1, 0);
	bus_store(&f->bus, BASE + 1, 1, PVPANIC_PANICKED); /* reserved byte */
	bus_store(&f->bus, BASE, 1, 0x80);		  /* unknown event */
	assert_int_equal(f->requests, 0);
	bus_store(&f->bus, BASE, 1, PVPANIC_PANICKED);
	assert_int_equal(f->requests, VMM_GUEST_PANIC);
}

/* A kernel with a crash kernel loaded says so instead of PANICKED, and goes on into it. */
static void test_crash_loaded(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, BASE, 1, PVPANIC_CRASH_LOADED);
	assert_int_equal(f->requests, 0);
	assert_true(f->dev.crash_loaded);
	bus_store(&f->bus, BASE, 1, PVPANIC_PANICKED | PVPANIC_CRASH_LOADED); /* PANICKED wins */
	assert_int_equal(f->requests, VMM_GUEST_PANIC);
	vmm_bus_reset(&f->bus);
	assert_false(f->dev.crash_loaded);
	assert_ptr_equal(f->dev.requests, &f->requests);
}

static void test_fdt(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err = {""};
	const fdt32_t *reg;
	void *fdt;
	int node, len;

	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 1), 0);
	assert_int_equal(vmm_bus_fdt(&f->bus, fdt, 0), 0);
	node = fdt_path_offset(fdt, "/pvpanic-mmio@ef702000");
	assert_true(node >= 0);
	assert_string_equal(fdt_getprop(fdt, node, "compatible", NULL), "qemu,pvpanic-mmio");
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(reg[0]), BASE);
	assert_int_equal(fdt32_to_cpu(reg[1]), PVPANIC_SIZE);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_supported_events, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_panicked, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_crash_loaded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdt, setup, teardown),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm pvpanic", tests, NULL, NULL);
}
