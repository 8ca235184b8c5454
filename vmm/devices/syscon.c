// SPDX-License-Identifier: MIT
/* The power-off / reboot syscon (see syscon.h). */
#include "devices/syscon.h"

#include <libfdt.h>

#include "devtree.h"
#include "log.h"
#include "machine.h"

void syscon_init(struct syscon *dev, uint32_t phandle, uint32_t *requests)
{
	dev->phandle = phandle;
	dev->requests = requests;
}

static int syscon_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0;
	return 0;
}

static int syscon_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct syscon *dev = opaque;

	if (offset != SYSCON_CONTROL_OFFSET)
		return 0;
	if (value == SYSCON_POWEROFF) {
		pr_debug("syscon: power-off");
		*dev->requests |= VMM_GUEST_POWEROFF;
	} else if (value == SYSCON_REBOOT) {
		pr_debug("syscon: reboot");
		*dev->requests |= VMM_GUEST_RESET;
	}
	return 0;
}

/* "poweroff" / "reboot": a syscon-poweroff/-reboot node pointing at the control register. */
static int syscon_fdt_action(void *fdt, int parent, const char *name, const char *compatible,
			     uint32_t phandle, uint32_t value)
{
	int node = fdt_add_subnode(fdt, parent, name);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "compatible", compatible);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "regmap", phandle);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "offset", SYSCON_CONTROL_OFFSET);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "value", value);
	return rc;
}

static int syscon_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	struct syscon *dev = opaque;
	int node = vmm_fdt_add_node(fdt, parent, "syscon", region->base);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "compatible", "syscon");
	if (!rc)
		rc = vmm_fdt_setprop_reg(fdt, parent, node, region->base, region->size);
	if (!rc)
		rc = fdt_setprop_empty(fdt, node, "big-endian");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "reg-io-width", 4);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", dev->phandle);
	if (!rc)
		rc = syscon_fdt_action(fdt, parent, "poweroff", "syscon-poweroff", dev->phandle,
				       SYSCON_POWEROFF);
	if (!rc)
		rc = syscon_fdt_action(fdt, parent, "reboot", "syscon-reboot", dev->phandle,
				       SYSCON_REBOOT);
	return rc;
}

const struct vmm_device_ops syscon_ops = {
    .name = "syscon",
    .read = syscon_read,
    .write = syscon_write,
    .access_sizes = 4,
    .endian = VMM_BIG_ENDIAN,
    .fdt = syscon_fdt,
};
