// SPDX-License-Identifier: MIT
/* Device trees: the devices' own nodes (UIC, UART) through the buses' fdt hooks, /chosen,
 * the ePAPR /hypervisor node, insertion order kept, and --dtb files: valid ones loaded and
 * patched, everything libfdt rejects refused with one message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/ns16550.c"
#include "../../vmm/devices/uic.c"
#include "../../vmm/devtree.c"
#include "../../vmm/error.c"
#include "../../vmm/loader.c"
#include "../../vmm/log.c"

static uint32_t cell(const void *fdt, const char *path, const char *prop, unsigned i)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, &len);

	assert_non_null(p);
	assert_true((unsigned)len >= (i + 1) * 4);
	return fdt32_to_cpu(p[i]);
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
	const char *s = fdt_getprop(fdt, fdt_path_offset(fdt, path), prop, NULL);

	assert_non_null(s);
	return s;
}

/* A tree like the ppc440 board's: UIC0 at the root from the DCR bus, UART0 under /opb from
 * the MMIO bus, wired to UIC0 input 0. */
static void *board_like_tree(void)
{
	struct vmm_bus dcr, mmio;
	struct uic uic;
	struct ns16550 uart;
	struct vmm_irq irq;
	struct vmm_err err = {""};
	void *fdt;
	int opb;

	vmm_bus_init(&dcr, "dcr");
	vmm_bus_init(&mmio, "mmio");
	uic_init(&uic, "uic0", NULL, NULL);
	uic.model = "ibm,uic-440ep";
	uic.phandle = 7;
	irq = uic_irq(&uic, 0, VMM_IRQ_TYPE_LEVEL_HIGH);
	ns16550_init(&uart, "uart0", NULL, &irq);
	assert_int_equal(vmm_bus_register(&dcr, 0xc0, UIC_DCR_COUNT, &uic_ops, &uic), 0);
	assert_int_equal(vmm_bus_register(&mmio, 0xef600300, 8, &ns16550_ops, &uart), 0);

	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "#size-cells", 1), 0);
	assert_int_equal(vmm_bus_fdt(&dcr, fdt, 0), 0);
	opb = fdt_add_subnode(fdt, 0, "opb");
	assert_true(opb >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, opb, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, opb, "#size-cells", 1), 0);
	assert_int_equal(vmm_bus_fdt(&mmio, fdt, opb), 0);
	vmm_bus_destroy(&dcr);
	vmm_bus_destroy(&mmio);
	return fdt;
}

static void test_device_nodes(void **state)
{
	void *fdt = board_like_tree();
	struct vmm_err err = {""};
	int len;

	assert_int_equal(vmm_fdt_finish_built(fdt, &err), 0);
	assert_int_equal(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);

	assert_int_equal(fdt_node_check_compatible(fdt, fdt_path_offset(fdt, "/interrupt-controller0"),
						   "ibm,uic"),
			 0);
	assert_int_equal(fdt_node_check_compatible(fdt, fdt_path_offset(fdt, "/interrupt-controller0"),
						   "ibm,uic-440ep"),
			 0);
	assert_non_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/interrupt-controller0"),
				    "interrupt-controller", &len));
	assert_int_equal(len, 0);
	assert_int_equal(cell(fdt, "/interrupt-controller0", "dcr-reg", 0), 0xc0);
	assert_int_equal(cell(fdt, "/interrupt-controller0", "dcr-reg", 1), 9);
	assert_int_equal(cell(fdt, "/interrupt-controller0", "cell-index", 0), 0);
	assert_int_equal(cell(fdt, "/interrupt-controller0", "#interrupt-cells", 0), 2);
	assert_int_equal(cell(fdt, "/interrupt-controller0", "phandle", 0), 7);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/interrupt-controller0"), "interrupts",
				NULL)); /* the primary UIC */

	assert_string_equal(str(fdt, "/opb/serial@ef600300", "compatible"), "ns16550");
	assert_string_equal(str(fdt, "/opb/serial@ef600300", "device_type"), "serial");
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "reg", 0), 0xef600300);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "reg", 1), 8);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "clock-frequency", 0), 11059200);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "current-speed", 0), 115200);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "interrupt-parent", 0), 7);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "interrupts", 0), 0);
	assert_int_equal(cell(fdt, "/opb/serial@ef600300", "interrupts", 1), 4);
	free(fdt);
}

static void test_order_kept(void **state)
{
	struct vmm_err err = {""};
	const char *name;
	void *fdt;
	int node, prop, i = 0;

	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_true(fdt_add_subnode(fdt, 0, "first") >= 0);
	assert_true(fdt_add_subnode(fdt, 0, "second") >= 0);
	assert_true(fdt_add_subnode(fdt, 0, "third") >= 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "a", 1), 0);
	assert_int_equal(fdt_setprop_u32(fdt, 0, "b", 2), 0);
	assert_int_equal(vmm_fdt_finish_built(fdt, &err), 0);

	fdt_for_each_subnode(node, fdt, 0)
	{
		static const char *const want[] = {"first", "second", "third"};

		assert_string_equal(fdt_get_name(fdt, node, NULL), want[i++]);
	}
	assert_int_equal(i, 3);
	prop = fdt_first_property_offset(fdt, 0);
	fdt_getprop_by_offset(fdt, prop, &name, NULL);
	assert_string_equal(name, "a");
	free(fdt);
}

static void test_chosen_and_hypervisor(void **state)
{
	struct skvm_ppc_pvinfo pv = {
	    .flags = SKVM_PPC_PVINFO_FLAGS_EV_IDLE,
	    .hcall = {0x3c004b56, 0x60004d21, 0x44000002, 0x60000000},
	};
	struct vmm_fdt_chosen chosen = {
	    .bootargs = "console=ttyS0",
	    .initrd_start = 0x1900000,
	    .initrd_end = 0x1a00000,
	    .stdout_path = "/opb/serial@ef600300",
	};
	struct vmm_err err = {""};
	void *fdt;
	int hv, len;

	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_int_equal(vmm_fdt_set_chosen(fdt, &chosen, &err), 0);
	assert_int_equal(vmm_fdt_add_hypervisor(fdt, &pv, &err), 0);
	assert_int_equal(vmm_fdt_finish_built(fdt, &err), 0);

	assert_string_equal(str(fdt, "/chosen", "bootargs"), "console=ttyS0");
	assert_int_equal(cell(fdt, "/chosen", "linux,initrd-start", 0), 0x1900000);
	assert_int_equal(cell(fdt, "/chosen", "linux,initrd-end", 0), 0x1a00000);
	assert_string_equal(str(fdt, "/chosen", "linux,stdout-path"), "/opb/serial@ef600300");
	assert_string_equal(str(fdt, "/chosen", "stdout-path"), "/opb/serial@ef600300");

	hv = fdt_path_offset(fdt, "/hypervisor");
	assert_int_equal(fdt_node_check_compatible(fdt, hv, "epapr,hypervisor-1"), 0);
	assert_int_equal(fdt_node_check_compatible(fdt, hv, "linux,kvm"), 0);
	assert_int_equal(cell(fdt, "/hypervisor", "hcall-instructions", 0), 0x3c004b56);
	assert_int_equal(cell(fdt, "/hypervisor", "hcall-instructions", 3), 0x60000000);
	assert_non_null(fdt_getprop(fdt, hv, "has-idle", &len));
	free(fdt);

	pv.flags = 0; /* no EV_IDLE: no has-idle */
	assert_int_equal(vmm_fdt_create(&fdt, &err), 0);
	assert_int_equal(vmm_fdt_add_hypervisor(fdt, &pv, &err), 0);
	assert_null(fdt_getprop(fdt, fdt_path_offset(fdt, "/hypervisor"), "has-idle", &len));
	free(fdt);
}

static char *write_temp(const void *data, size_t len)
{
	char *path = strdup("/tmp/test_vmm_devtree.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_dtb_file(void **state)
{
	struct vmm_fdt_chosen no_initrd = {.bootargs = "quiet"};
	struct vmm_fdt_chosen keep = {0};
	struct vmm_err err = {""};
	void *fdt = board_like_tree(), *loaded;
	char *path = strdup("/tmp/test_vmm_devtree.XXXXXX");
	int fd = mkstemp(path), len;
	struct vmm_fdt_chosen chosen = {
	    .bootargs = "root=/dev/ram", .initrd_start = 0x2000000, .initrd_end = 0x2100000};

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(vmm_fdt_set_chosen(fdt, &chosen, &err), 0);
	assert_int_equal(vmm_fdt_finish_built(fdt, &err), 0);
	assert_int_equal(vmm_fdt_write_file(fdt, path, &err), 0); /* --dump-dtb */
	free(fdt);

	assert_int_equal(vmm_fdt_load(path, &loaded, &err), 0); /* --dtb */
	assert_string_equal(str(loaded, "/chosen", "bootargs"), "root=/dev/ram");
	assert_int_equal(cell(loaded, "/opb/serial@ef600300", "interrupt-parent", 0), 7);
	/* NULL bootargs keeps the blob's; no initrd removes a stale one */
	assert_int_equal(vmm_fdt_set_chosen(loaded, &keep, &err), 0);
	assert_string_equal(str(loaded, "/chosen", "bootargs"), "root=/dev/ram");
	assert_null(fdt_getprop(loaded, fdt_path_offset(loaded, "/chosen"), "linux,initrd-start",
				&len));
	assert_int_equal(vmm_fdt_set_chosen(loaded, &no_initrd, &err), 0);
	assert_string_equal(str(loaded, "/chosen", "bootargs"), "quiet");
	assert_int_equal(vmm_fdt_finish(loaded, &err), 0);
	free(loaded);
	unlink(path);
	free(path);
}

static void expect_rejected(const void *data, size_t len)
{
	struct vmm_err err = {""};
	char *path = write_temp(data, len);
	void *fdt = (void *)1;

	assert_int_equal(vmm_fdt_load(path, &fdt, &err), -EINVAL);
	assert_null(fdt);
	assert_non_null(strstr(err.msg, "not a valid device tree blob (libfdt: "));
	assert_non_null(strstr(err.msg, path));
	assert_null(strchr(err.msg, '\n'));
	unlink(path);
	free(path);
}

static void test_dtb_rejected(void **state)
{
	struct vmm_err err = {""};
	void *fdt = board_like_tree(), *loaded;
	uint8_t *blob, *len_field, saved[4];
	size_t size;

	assert_int_equal(vmm_fdt_finish_built(fdt, &err), 0);
	size = fdt_totalsize(fdt);
	blob = malloc(size);
	memcpy(blob, fdt, size);

	expect_rejected("", 0);				     /* empty */
	expect_rejected("hello, world\n", 13);		     /* not a tree */
	expect_rejected(blob, 20);			     /* header cut short */
	expect_rejected(blob, size - 16);		     /* structure cut short */
	blob[0] ^= 0xff;				     /* bad magic */
	expect_rejected(blob, size);
	blob[0] ^= 0xff;
	/* A property length of -12 makes the property its own next tag: libfdt 1.6.1's walks
	 * (fdt_check_full's too) loop on it forever. */
	len_field = blob + fdt_off_dt_struct(fdt) + fdt_first_property_offset(fdt, 0) + 4;
	memcpy(saved, len_field, 4);
	memcpy(len_field, "\xff\xff\xff\xf4", 4);
	expect_rejected(blob, size);
	memcpy(len_field, saved, 4);
	memcpy(blob + fdt_off_dt_struct(fdt), "\0\0\0\x09", 4); /* FDT_END at once */
	expect_rejected(blob, size);

	assert_int_equal(vmm_fdt_load("/nonexistent/x.dtb", &loaded, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "cannot open /nonexistent/x.dtb"));
	free(blob);
	free(fdt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_device_nodes),
	    cmocka_unit_test(test_order_kept),
	    cmocka_unit_test(test_chosen_and_hypervisor),
	    cmocka_unit_test(test_dtb_file),
	    cmocka_unit_test(test_dtb_rejected),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm devtree", tests, NULL, NULL);
}
