// SPDX-License-Identifier: MIT
/* The pvpanic MMIO device (see pvpanic.h). */
#include "devices/pvpanic.h"

#include <inttypes.h>
#include <libfdt.h>

#include "devtree.h"
#include "log.h"
#include "machine.h"

#define PVPANIC_EVENTS (PVPANIC_PANICKED | PVPANIC_CRASH_LOADED)

void pvpanic_init(struct pvpanic *dev, uint32_t *requests)
{
	dev->requests = requests;
	dev->crash_loaded = false;
	dev->warned = false;
}

static int pvpanic_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = offset == PVPANIC_EVENT_OFFSET ? PVPANIC_EVENTS : 0;
	return 0;
}

static int pvpanic_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct pvpanic *dev = opaque;

	if (offset != PVPANIC_EVENT_OFFSET)
		return 0;
	if ((value & ~(uint64_t)PVPANIC_EVENTS) && !dev->warned) {
		dev->warned = true;
		pr_warn("pvpanic: unknown event 0x%02" PRIx64 " ignored", value);
	}
	/* QEMU's order: a panic, else a panic with a crash kernel to go on into. */
	if (value & PVPANIC_PANICKED) {
		*dev->requests |= VMM_GUEST_PANIC;
	} else if ((value & PVPANIC_CRASH_LOADED) && !dev->crash_loaded) {
		dev->crash_loaded = true;
		pr_info("guest kernel panic: its crash kernel takes over");
	}
	return 0;
}

static void pvpanic_reset(void *opaque)
{
	struct pvpanic *dev = opaque;

	pvpanic_init(dev, dev->requests);
}

static int pvpanic_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	int node = vmm_fdt_add_node(fdt, parent, "pvpanic-mmio", region->base);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "compatible", "qemu,pvpanic-mmio");
	if (!rc)
		rc = vmm_fdt_setprop_reg(fdt, parent, node, region->base, region->size);
	return rc;
}

const struct vmm_device_ops pvpanic_ops = {
    .name = "pvpanic",
    .read = pvpanic_read,
    .write = pvpanic_write,
    .access_sizes = 1,
    .endian = VMM_BIG_ENDIAN,
    .reset = pvpanic_reset,
    .fdt = pvpanic_fdt,
};
