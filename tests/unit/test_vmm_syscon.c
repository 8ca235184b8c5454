// SPDX-License-Identifier: MIT
/* The power-off / reboot syscon through the bus, as Linux's regmap drives it: reads 0 (so
 * regmap_update_bits always writes), the two values and nothing else request power-off or
 * reset, only whole big-endian words count; its device-tree nodes as Linux's
 * syscon-poweroff and syscon-reboot drivers read them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/syscon.c"
#include "../../vmm/devtree.c"
#include "../../vmm/error.c"
#include "../../vmm/loader.c"
#include "../../vmm/log.c"
#include "bus_access.h"

#define BASE	0xef701000u
#define PHANDLE 7

struct fixture {
	struct syscon dev;
	struct vmm_bus bus;
	uint32_t requests;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	syscon_init(&f->dev, PHANDLE, &f->requests);
	vmm_bus_init(&f->bus, "mmio");
	assert_int_equal(vmm_bus_register(&f->bus, BASE, SYSCON_SIZE, &syscon_ops, &f->dev), 0);
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

static void test_poweroff(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(bus_load(&f->bus, BASE, 4), 0);
	bus_store(&f->bus, BASE, 4, 0x5554);
	bus_store(&f->bus, BASE, 4, 0x55550000);
	bus_store(&f->bus, BASE + 4, 4, SYSCON_POWEROFF); /* not the control register */
	assert_int_equal(f->requests, 0);
	bus_store(&f->bus, BASE, 4, SYSCON_POWEROFF);
	assert_int_equal(f->requests, VMM_GUEST_POWEROFF);
	assert_int_equal(bus_load(&f->bus, BASE, 4), 0); /* still reads 0 */
}

static void test_reboot(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, BASE, 4, SYSCON_REBOOT);
	assert_int_equal(f->requests, VMM_GUEST_RESET);
}

/* Byte and halfword stores are narrower than the register: rejected by the bus, so two
 * halfwords never make 0x5555; a doubleword splits into two words in big-endian order. */
static void test_access_sizes(void **state)
{
	struct fixture *f = *state;

	bus_store(&f->bus, BASE + 2, 2, 0x5555);
	bus_store(&f->bus, BASE + 3, 1, 0x55);
	assert_int_equal(f->requests, 0);
	assert_int_equal(f->bus.stats.rejected, 2);
	bus_store(&f->bus, BASE, 8, (uint64_t)SYSCON_POWEROFF << 32);
	assert_int_equal(f->requests, VMM_GUEST_POWEROFF);
	assert_int_equal(bus_load(&f->bus, BASE + SYSCON_SIZE - 4, 4), 0);
}

static const char *str_prop(const void *fdt, int node, const char *name)
{
	return fdt_getprop(fdt, node, name, NULL);
}

static uint32_t u32_prop(const void *fdt, int node, const char *name)
{
	int len = 0;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 4);
	return fdt32_to_cpu(*p);
}

/* What Linux reads: a "syscon" node (big-endian, 32-bit registers) with the phandle the
 * "poweroff" / "reboot" nodes' regmap points at, their offset and value. */
static void test_fdt(void **state)
{
	struct fixture *f = *state;
	struct vmm_err err = {""};
	void *fdt;
	int node, len;
	const fdt32_t *reg;

	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 1), 0);
	assert_int_equal(vmm_bus_fdt(&f->bus, fdt, 0), 0);

	node = fdt_path_offset(fdt, "/syscon@ef701000");
	assert_true(node >= 0);
	assert_string_equal(str_prop(fdt, node, "compatible"), "syscon");
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(reg[0]), BASE);
	assert_int_equal(fdt32_to_cpu(reg[1]), SYSCON_SIZE);
	assert_non_null(fdt_getprop(fdt, node, "big-endian", NULL));
	assert_int_equal(u32_prop(fdt, node, "reg-io-width"), 4);
	assert_int_equal(u32_prop(fdt, node, "phandle"), PHANDLE);
	assert_int_equal(fdt_node_offset_by_phandle(fdt, PHANDLE), node);

	node = fdt_path_offset(fdt, "/poweroff");
	assert_true(node >= 0);
	assert_string_equal(str_prop(fdt, node, "compatible"), "syscon-poweroff");
	assert_int_equal(u32_prop(fdt, node, "regmap"), PHANDLE);
	assert_int_equal(u32_prop(fdt, node, "offset"), 0);
	assert_int_equal(u32_prop(fdt, node, "value"), SYSCON_POWEROFF);

	node = fdt_path_offset(fdt, "/reboot");
	assert_true(node >= 0);
	assert_string_equal(str_prop(fdt, node, "compatible"), "syscon-reboot");
	assert_int_equal(u32_prop(fdt, node, "regmap"), PHANDLE);
	assert_int_equal(u32_prop(fdt, node, "offset"), 0);
	assert_int_equal(u32_prop(fdt, node, "value"), SYSCON_REBOOT);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_poweroff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reboot, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_access_sizes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fdt, setup, teardown),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm syscon", tests, NULL, NULL);
}
