// SPDX-License-Identifier: MIT
/* The pseries board's PCI host bridge in the device tree: a PAPR logical PHB node as QEMU's
 * spapr_pci.c writes one (device_type "pci", compatible "IBM,Logical_PHB", the BUID as reg,
 * config space through RTAS: used-by-rtas), and one child per function. No firmware
 * enumerates the bus, so each child carries assigned-addresses: Linux's pseries probes PCI
 * from the tree (PCI_PROBE_DEVTREE, pci_of_scan.c) and with PCI_PROBE_ONLY keeps the BARs as
 * the tree gives them. */
#include <libfdt.h>
#include <stdio.h>

#include "boards/pseries.h"
#include "devtree.h"
#include "pci/pci.h"

/* phys.hi of an OF PCI address (IEEE 1275 PCI binding): space code, bus, devfn, register */
#define OF_PCI_SPACE_CONFIG 0x00000000u
#define OF_PCI_SPACE_MEM32  0x02000000u

static uint32_t phys_hi(uint32_t space, unsigned slot, unsigned reg)
{
	return space | (slot * 8) << 8 | reg;
}

/* A property of n cells, any n (the interrupt-map has 896). */
static int set_u32s(void *fdt, int node, const char *name, const uint32_t *v, unsigned n)
{
	int rc = fdt_setprop(fdt, node, name, NULL, 0);

	for (unsigned i = 0; !rc && i < n; i++)
		rc = fdt_appendprop_u32(fdt, node, name, v[i]);
	return rc;
}

/* The function's identification as Linux's of_create_pci_dev reads it, its interrupt pin,
 * its config space and BARs (reg) and where the VMM put them (assigned-addresses). */
static int pseries_fdt_pci_function(void *fdt, int phb, struct pci_function *f)
{
	uint32_t reg[5 * (1 + PCI_NR_BARS)] = {phys_hi(OF_PCI_SPACE_CONFIG, f->slot, 0)};
	uint32_t assigned[5 * PCI_NR_BARS];
	unsigned nreg = 5, nassigned = 0;
	char name[40];
	int node, rc = 0;
	uint32_t id, class_rev, subsys;

	(void)pci_cfg_read(f, PCI_VENDOR_ID, 4, &id);
	(void)pci_cfg_read(f, PCI_REVISION_ID, 4, &class_rev);
	(void)pci_cfg_read(f, PCI_SUBSYSTEM_VENDOR_ID, 4, &subsys);
	snprintf(name, sizeof(name), "pci%x,%x@%x", id & 0xffff, id >> 16, f->slot);
	node = fdt_add_subnode(fdt, phb, name);
	if (node < 0)
		return node;
	for (unsigned b = 0; b < PCI_NR_BARS; b++) {
		uint32_t hi = phys_hi(OF_PCI_SPACE_MEM32, f->slot, PCI_BAR0 + 4 * b);
		uint32_t *r = &reg[nreg], *a = &assigned[nassigned];

		if (!f->bar_size[b])
			continue;
		r[0] = hi, r[1] = r[2] = r[3] = 0, r[4] = f->bar_size[b];
		a[0] = hi, a[1] = 0, a[2] = pci_bar_addr(f, b), a[3] = 0, a[4] = f->bar_size[b];
		nreg += 5;
		nassigned += 5;
	}
	rc = fdt_setprop_u32(fdt, node, "vendor-id", id & 0xffff);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "device-id", id >> 16);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "revision-id", class_rev & 0xff);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "class-code", class_rev >> 8);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "subsystem-vendor-id", subsys & 0xffff);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "subsystem-id", subsys >> 16);
	if (!rc) /* INTA; the bridge's interrupt-map names its XICS source */
		rc = fdt_setprop_u32(fdt, node, "interrupts", 1);
	if (!rc)
		rc = set_u32s(fdt, node, "reg", reg, nreg);
	if (!rc && nassigned)
		rc = set_u32s(fdt, node, "assigned-addresses", assigned, nassigned);
	return rc;
}

/* interrupt-map: for every slot and pin, <phys.hi 0 0 pin  xicp source sense>; pin n of
 * slot s is the bridge's line (s + n - 1) % 4 (the swizzle QEMU's spapr uses too). */
static int pseries_fdt_phb_irqs(void *fdt, int node, const struct pci_phb *p)
{
	uint32_t map[PCI_SLOTS * 4 * 7];
	uint32_t mask[4] = {0xf800, 0, 0, 7};
	unsigned n = 0;

	for (unsigned s = 0; s < PCI_SLOTS; s++)
		for (unsigned pin = 1; pin <= 4; pin++) {
			const struct vmm_irq *l = &p->intx[(pci_phb_intx_of_slot(s) + pin - 1) % 4];

			map[n++] = phys_hi(OF_PCI_SPACE_CONFIG, s, 0);
			map[n++] = 0;
			map[n++] = 0;
			map[n++] = pin;
			map[n++] = l->fdt_parent;
			map[n++] = l->line;
			map[n++] = l->fdt_sense;
		}
	int rc = set_u32s(fdt, node, "interrupt-map", map, n);

	return rc ? rc : set_u32s(fdt, node, "interrupt-map-mask", mask, 4);
}

/* The DMA window Linux sets up for every PHB (pci_dma_bus_setup_pSeriesLP reads it and
 * oopses without one): <liobn, bus address (2 cells), size (2 cells)>, as QEMU writes it. */
static int pseries_fdt_dma_window(void *fdt, int node)
{
	uint32_t win[5] = {PSERIES_DMA_LIOBN, 0, 0, 0, PSERIES_DMA_WINDOW};
	int rc = fdt_setprop_u32(fdt, node, "ibm,#dma-address-cells", 2);

	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "ibm,#dma-size-cells", 2);
	return rc ? rc : set_u32s(fdt, node, "ibm,dma-window", win, 5);
}

int pseries_fdt_phb(void *fdt, const struct pci_phb *p)
{
	/* <BUID 0 0>: the bus unit id RTAS's ibm,*-pci-config calls take (get_phb_buid) */
	uint32_t reg[4] = {(uint32_t)(p->buid >> 32), (uint32_t)p->buid, 0, 0};
	/* the 32-bit memory window: PCI address, CPU address, size */
	uint32_t ranges[7] = {OF_PCI_SPACE_MEM32,	  0, p->mem_pci, (uint32_t)(p->mem_base >> 32),
			      (uint32_t)p->mem_base, 0, p->mem_size};
	uint32_t bus_range[2] = {0, 0}; /* one bus */
	char name[40];
	int node, rc;

	snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)p->buid);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "pci");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "compatible", "IBM,Logical_PHB");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#address-cells", 3);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#size-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 1);
	if (!rc)
		rc = fdt_setprop_empty(fdt, node, "used-by-rtas");
	if (!rc) /* 0: 256 bytes of conventional config space per function, no extended */
		rc = fdt_setprop_u32(fdt, node, "ibm,pci-config-space-type", 0);
	/* no MSI (INTx only), said as PAPR says it: Linux's pseries_msi_allocate_domains logs
	 * an error for a PHB without the property */
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "ibm,pe-total-#msi", 0);
	if (!rc)
		rc = set_u32s(fdt, node, "reg", reg, 4);
	if (!rc)
		rc = set_u32s(fdt, node, "ranges", ranges, 7);
	if (!rc)
		rc = set_u32s(fdt, node, "bus-range", bus_range, 2);
	if (!rc)
		rc = pseries_fdt_phb_irqs(fdt, node, p);
	if (!rc)
		rc = pseries_fdt_dma_window(fdt, node);
	for (unsigned s = 0; !rc && s < PCI_SLOTS; s++)
		if (p->slot[s])
			rc = pseries_fdt_pci_function(fdt, node, p->slot[s]);
	return rc;
}
