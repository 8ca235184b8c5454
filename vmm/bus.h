/* SPDX-License-Identifier: MIT */
/* The VM's buses: one sorted map of device regions per address space (guest-physical MMIO,
 * DCR numbers), one registration call, one handler signature for every device.
 *
 * A device declares the access sizes it implements; the bus splits a wider or misaligned
 * access into legal ones (in the region's byte order), so a device only ever sees sizes it
 * declared, at offsets aligned to them. What cannot be split (narrower than any legal size,
 * crossing the end of a region) is rejected like an access that hits no device: logged once,
 * counted, ignored for a store and read as 0 for a load. A 440 would take a machine check for
 * the latter; QEMU's bamboo reads 0, and Linux's probes of absent devices (UART1, ZMII) rely
 * on it. Guest mistakes are therefore never errors; a negative errno from a bus call always
 * means a host-side failure inside a device (e.g. the console went away).
 */
#ifndef VMM_BUS_H
#define VMM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"

struct vmm_region;

enum vmm_endian {
	VMM_BIG_ENDIAN = 0, /* the 440's PLB/OPB devices */
	VMM_LITTLE_ENDIAN,  /* e.g. virtio-mmio registers */
};

/* One per device type, const, with designated initialisers. */
struct vmm_device_ops {
	const char *name;
	/* offset is relative to the region; size is one of access_sizes and offset is a
	 * multiple of it. 0 or a negative errno for host failures only. On a DCR bus the
	 * offset counts registers and size is always 4. */
	int (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
	int (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
	uint8_t access_sizes;	     /* bitmask of the legal sizes: 1 | 2 | 4 | 8 */
	enum vmm_endian endian;	     /* how a value maps to bytes on an MMIO bus */
	void (*reset)(void *opaque); /* optional: power-on state (guest reset) */
	/* Optional: adds the device's own node under the node at offset parent (its reg from
	 * region, in the parent's cells; see devtree.h's helpers). 0 or a negative libfdt
	 * error (-FDT_ERR_*). */
	int (*fdt)(void *opaque, void *fdt, int parent, const struct vmm_region *region);
	/* Optional: the device's own counters for --stats, one line (two-space indent). */
	void (*stats)(void *opaque, FILE *out);
};

struct vmm_region {
	uint64_t base;
	uint64_t size;
	const struct vmm_device_ops *ops;
	void *opaque;
	uint64_t reads, writes; /* accesses as the guest made them (before splitting) */
};

struct vmm_bus_stats {
	uint64_t unclaimed_reads;
	uint64_t unclaimed_writes;
	uint64_t rejected; /* illegal size or alignment, or crossing a region's end */
};

struct vmm_bus {
	const char *name;	    /* "mmio", "dcr": in messages */
	struct vmm_region *regions; /* sorted by base, never overlapping */
	size_t nr, cap;
	struct vmm_bus_stats stats;
	bool warned_unclaimed, warned_rejected;
};

void vmm_bus_init(struct vmm_bus *bus, const char *name);
void vmm_bus_destroy(struct vmm_bus *bus);

/* Maps [base, base + size) to a device. -EEXIST if it overlaps a region, -EINVAL for a bad
 * size or ops, -ENOMEM. Pointers to regions are only valid until the next registration. */
VMM_MUST_CHECK int vmm_bus_register(struct vmm_bus *bus, uint64_t base, uint64_t size,
				    const struct vmm_device_ops *ops, void *opaque);
/* The region holding addr, or NULL. */
struct vmm_region *vmm_bus_find(struct vmm_bus *bus, uint64_t addr);

/* A guest load or store of len bytes (1..8) at addr; data holds the bytes in bus order (as in
 * struct skvm_run's mmio.data): filled for a load, consumed for a store. */
VMM_MUST_CHECK int vmm_bus_mmio(struct vmm_bus *bus, uint64_t addr, uint8_t *data, unsigned len,
				bool is_write);
/* mfdcr / mtdcr of DCR dcrn: one 32-bit register. -ENODEV if no device has it (the guest
 * then takes a program interrupt: see SKVM_DCR_UNCLAIMED). */
VMM_MUST_CHECK int vmm_bus_dcr(struct vmm_bus *bus, uint32_t dcrn, uint32_t *data, bool is_write);

/* Calls every device's reset hook, in address order. */
void vmm_bus_reset(struct vmm_bus *bus);
/* Calls every device's fdt hook, in address order; stops at the first error. */
VMM_MUST_CHECK int vmm_bus_fdt(struct vmm_bus *bus, void *fdt, int parent);

#endif
