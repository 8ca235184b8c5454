/* SPDX-License-Identifier: MIT */
/* Device trees for the guest, with libfdt: what every board needs around its own nodes.
 * (Not named fdt.h: libfdt.h includes <fdt.h>, which -Ivmm would shadow.)
 *
 * A tree is edited in a malloc'ed buffer with libfdt's read-write API (fdt_add_subnode,
 * fdt_setprop), so that a board and each device can add nodes wherever they belong; it is
 * packed (fdt_pack) before it is copied to guest RAM or written to a file.
 *
 * The devices' fdt hooks (struct vmm_device_ops) return 0 or a negative libfdt error
 * (-FDT_ERR_NOSPACE, ...); the functions here turn those into a negative errno and a message.
 * A tree runs out of room only if a board adds far more than VMM_FDT_SIZE allows.
 */
#ifndef VMM_DEVTREE_H
#define VMM_DEVTREE_H

#include <inttypes.h>
#include <libfdt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "softkvm/skvm.h"

#define VMM_FDT_SIZE (64u << 10) /* room for a board's tree while it is built */
#define VMM_FDT_MAX  (1u << 20)	 /* the largest --dtb accepted */

/* An empty tree (root node only) in a new buffer of VMM_FDT_SIZE bytes; free() it. */
VMM_MUST_CHECK int vmm_fdt_create(void **fdt, struct vmm_err *err);

/* Reads a flattened device tree file (--dtb) and checks it with libfdt (header, then the
 * whole structure block); the result is a malloc'ed copy with room for /chosen edits.
 * -EINVAL with "FILE: not a valid device tree blob (libfdt: ...)" if libfdt rejects it. */
VMM_MUST_CHECK int vmm_fdt_load(const char *path, void **fdt, struct vmm_err *err);

/* What the kernel is told in /chosen (created if absent). NULL bootargs leaves the property
 * as it is; initrd_end == initrd_start means no initrd (the initrd properties are removed);
 * NULL stdout_path leaves linux,stdout-path and stdout-path alone. */
struct vmm_fdt_chosen {
	const char *bootargs;
	uint64_t initrd_start, initrd_end;
	const char *stdout_path;
};
VMM_MUST_CHECK int vmm_fdt_set_chosen(void *fdt, const struct vmm_fdt_chosen *chosen,
				      struct vmm_err *err);

/* The ePAPR /hypervisor node from KVM_PPC_GET_PVINFO: compatible "linux,kvm" (what Linux's
 * CONFIG_KVM_GUEST looks for) and "epapr,hypervisor-1", the hypercall instruction sequence,
 * and "has-idle" when the hypervisor implements EV_IDLE. */
VMM_MUST_CHECK int vmm_fdt_add_hypervisor(void *fdt, const struct skvm_ppc_pvinfo *pv,
					  struct vmm_err *err);

/* Packs the tree (fdt_pack): its size is then fdt_totalsize(fdt). */
VMM_MUST_CHECK int vmm_fdt_finish(void *fdt, struct vmm_err *err);
/* The same for a tree made by vmm_fdt_create: first puts every node's properties and
 * subnodes back in the order they were added (libfdt inserts each one first; memory
 * reservations, fdt_add_mem_rsv, are kept as they are), so the
 * guest and --dump-dtb see the nodes in the order the board wrote them (the order in which
 * Linux probes devices, e.g. which virtio disk is vda). */
VMM_MUST_CHECK int vmm_fdt_finish_built(void *fdt, struct vmm_err *err);

/* Writes the tree to path (--dump-dtb). */
VMM_MUST_CHECK int vmm_fdt_write_file(const void *fdt, const char *path, struct vmm_err *err);

/* Helpers for fdt hooks (inline, so a device needs only libfdt). */

/* A subnode "name@<addr in hex>" of parent: its offset, or a negative libfdt error. */
static inline int vmm_fdt_add_node(void *fdt, int parent, const char *name, uint64_t addr)
{
	char full[64];

	snprintf(full, sizeof(full), "%s@%" PRIx64, name, addr);
	return fdt_add_subnode(fdt, parent, full);
}

/* A property of n (at most 16) 32-bit cells: 0 or a negative libfdt error. */
static inline int vmm_fdt_setprop_cells(void *fdt, int node, const char *name,
					const uint32_t *cells, unsigned n)
{
	fdt32_t be[16];

	if (n > 16)
		return -FDT_ERR_BADVALUE;
	for (unsigned i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	return fdt_setprop(fdt, node, name, be, (int)(n * sizeof(be[0])));
}

/* "reg" of a node under parent, in the parent's #address-cells and #size-cells (one or two
 * each): 0 or a negative libfdt error. */
static inline int vmm_fdt_setprop_reg(void *fdt, int parent, int node, uint64_t addr,
				      uint64_t size)
{
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	uint32_t cells[4];
	unsigned n = 0;

	if (ac < 0 || sc < 0)
		return ac < 0 ? ac : sc;
	if (ac < 1 || ac > 2 || sc > 2 || (ac == 1 && addr > UINT32_MAX) ||
	    (sc == 1 && size > UINT32_MAX))
		return -FDT_ERR_BADNCELLS;
	if (ac == 2)
		cells[n++] = (uint32_t)(addr >> 32);
	cells[n++] = (uint32_t)addr;
	if (sc == 2)
		cells[n++] = (uint32_t)(size >> 32);
	if (sc >= 1)
		cells[n++] = (uint32_t)size;
	return vmm_fdt_setprop_cells(fdt, node, "reg", cells, n);
}

/* A string-list property ("a\0b\0"): 0 or a negative libfdt error. */
static inline int vmm_fdt_setprop_strings(void *fdt, int node, const char *name,
					  const char *const *strings, unsigned n)
{
	int rc = fdt_setprop_empty(fdt, node, name);

	for (unsigned i = 0; !rc && i < n; i++)
		rc = fdt_appendprop_string(fdt, node, name, strings[i]);
	return rc;
}

#endif
