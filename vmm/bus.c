// SPDX-License-Identifier: MIT
/* The bus: region map, access splitting, unclaimed and illegal accesses (see bus.h). */
#include "bus.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "log.h"

#define BUS_ALL_SIZES (1u | 2u | 4u | 8u)

void vmm_bus_init(struct vmm_bus *bus, const char *name)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
}

void vmm_bus_destroy(struct vmm_bus *bus)
{
	free(bus->regions);
	bus->regions = NULL;
	bus->nr = bus->cap = 0;
}

/* Index of the first region whose base is above addr. */
static size_t bus_upper_bound(const struct vmm_bus *bus, uint64_t addr)
{
	size_t lo = 0, hi = bus->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (bus->regions[mid].base <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vmm_region *vmm_bus_find(struct vmm_bus *bus, uint64_t addr)
{
	size_t i = bus_upper_bound(bus, addr);
	struct vmm_region *r;

	if (i == 0)
		return NULL;
	r = &bus->regions[i - 1];
	return addr - r->base < r->size ? r : NULL;
}

int vmm_bus_register(struct vmm_bus *bus, uint64_t base, uint64_t size,
		     const struct vmm_device_ops *ops, void *opaque)
{
	size_t i;

	if (!ops || !ops->name || !ops->read || !ops->write)
		return -EINVAL;
	if (!ops->access_sizes || (ops->access_sizes & ~BUS_ALL_SIZES))
		return -EINVAL;
	if (size == 0 || base + (size - 1) < base)
		return -EINVAL;

	i = bus_upper_bound(bus, base);
	if (i > 0 && base - bus->regions[i - 1].base < bus->regions[i - 1].size)
		return -EEXIST;
	if (i < bus->nr && bus->regions[i].base - base < size)
		return -EEXIST;

	if (bus->nr == bus->cap) {
		size_t cap = bus->cap ? 2 * bus->cap : 8;
		struct vmm_region *r = realloc(bus->regions, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		bus->regions = r;
		bus->cap = cap;
	}
	memmove(&bus->regions[i + 1], &bus->regions[i], (bus->nr - i) * sizeof(bus->regions[0]));
	bus->regions[i] = (struct vmm_region){
	    .base = base,
	    .size = size,
	    .ops = ops,
	    .opaque = opaque,
	};
	bus->nr++;
	return 0;
}

/* "1-byte load at 0xef600400", "mfdcr 0x1f0": the access, for messages. */
static const char *bus_access_name(char *buf, size_t len, bool dcr, uint64_t addr, unsigned size,
				   bool is_write)
{
	if (dcr)
		snprintf(buf, len, "%s 0x%" PRIx64, is_write ? "mtdcr" : "mfdcr", addr);
	else
		snprintf(buf, len, "%u-byte %s at 0x%" PRIx64, size, is_write ? "store" : "load",
			 addr);
	return buf;
}

static void bus_unclaimed(struct vmm_bus *bus, bool dcr, uint64_t addr, unsigned len, bool is_write)
{
	char what[64];

	if (is_write)
		bus->stats.unclaimed_writes++;
	else
		bus->stats.unclaimed_reads++;
	bus_access_name(what, sizeof(what), dcr, addr, len, is_write);
	if (!bus->warned_unclaimed) {
		bus->warned_unclaimed = true;
		pr_warn("%s: %s hits no device (%s; further ones are only counted, see --stats)",
			bus->name, what,
			dcr ? "program interrupt" : is_write ? "ignored" : "reads 0");
	} else {
		pr_debug("%s: %s hits no device", bus->name, what);
	}
}

static void bus_rejected(struct vmm_bus *bus, const struct vmm_region *r, bool dcr, uint64_t addr,
			 unsigned len, bool is_write)
{
	char what[64];

	bus->stats.rejected++;
	bus_access_name(what, sizeof(what), dcr, addr, len, is_write);
	if (!bus->warned_rejected) {
		bus->warned_rejected = true;
		pr_warn("%s: %s: illegal %s (%s; further ones are only counted, see --stats)",
			bus->name, r->ops->name, what, is_write ? "ignored" : "reads 0");
	} else {
		pr_debug("%s: %s: illegal %s", bus->name, r->ops->name, what);
	}
}

/* The size the device sees: the largest legal size that divides the access and to which its
 * offset is aligned, so that the pieces tile it exactly. 0 if there is none. */
static unsigned bus_piece_size(uint8_t sizes, uint64_t offset, unsigned len)
{
	for (unsigned p = 8; p; p >>= 1)
		if ((sizes & p) && len % p == 0 && offset % p == 0)
			return p;
	return 0;
}

int vmm_bus_mmio(struct vmm_bus *bus, uint64_t addr, uint8_t *data, unsigned len, bool is_write)
{
	struct vmm_region *r = vmm_bus_find(bus, addr);
	const struct vmm_device_ops *ops;
	uint64_t offset;
	unsigned piece;

	if (!r) {
		bus_unclaimed(bus, false, addr, len, is_write);
		goto ignore;
	}
	ops = r->ops;
	offset = addr - r->base;
	piece = len == 0 || len > 8 || len > r->size - offset
		    ? 0
		    : bus_piece_size(ops->access_sizes, offset, len);
	if (!piece) {
		bus_rejected(bus, r, false, addr, len, is_write);
		goto ignore;
	}

	if (is_write)
		r->writes++;
	else
		r->reads++;
	for (unsigned i = 0; i < len; i += piece) {
		uint64_t v = 0;
		int rc;

		if (is_write) {
			v = ops->endian == VMM_LITTLE_ENDIAN ? vmm_load_le(data + i, piece)
							     : vmm_load_be(data + i, piece);
			rc = ops->write(r->opaque, offset + i, piece, v);
		} else {
			rc = ops->read(r->opaque, offset + i, piece, &v);
			if (ops->endian == VMM_LITTLE_ENDIAN)
				vmm_store_le(data + i, piece, v);
			else
				vmm_store_be(data + i, piece, v);
		}
		if (rc)
			return rc;
	}
	return 0;

ignore:
	if (!is_write && len <= 8)
		memset(data, 0, len);
	return 0;
}

int vmm_bus_dcr(struct vmm_bus *bus, uint32_t dcrn, uint32_t *data, bool is_write)
{
	struct vmm_region *r = vmm_bus_find(bus, dcrn);
	uint64_t v = 0;
	int rc;

	if (!r) {
		/* a 440 (and QEMU's) takes an illegal-instruction interrupt there */
		bus_unclaimed(bus, true, dcrn, 4, is_write);
		return -ENODEV;
	}
	if (!(r->ops->access_sizes & 4)) {
		bus_rejected(bus, r, true, dcrn, 4, is_write);
		goto ignore;
	}
	if (is_write) {
		r->writes++;
		return r->ops->write(r->opaque, dcrn - r->base, 4, *data);
	}
	r->reads++;
	rc = r->ops->read(r->opaque, dcrn - r->base, 4, &v);
	*data = (uint32_t)v;
	return rc;

ignore:
	if (!is_write)
		*data = 0;
	return 0;
}

void vmm_bus_reset(struct vmm_bus *bus)
{
	for (size_t i = 0; i < bus->nr; i++)
		if (bus->regions[i].ops->reset)
			bus->regions[i].ops->reset(bus->regions[i].opaque);
}

int vmm_bus_fdt(struct vmm_bus *bus, void *fdt, int parent)
{
	for (size_t i = 0; i < bus->nr; i++) {
		struct vmm_region *r = &bus->regions[i];
		int rc;

		if (!r->ops->fdt)
			continue;
		rc = r->ops->fdt(r->opaque, fdt, parent, r);
		if (rc < 0)
			return rc;
	}
	return 0;
}
