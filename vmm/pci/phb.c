// SPDX-License-Identifier: MIT
/* A PCI host bridge (see pci.h): configuration cycles by bus/devfn (the board's way in: RTAS
 * on pseries), and its memory window, one region on the machine's MMIO bus that decodes the
 * functions' BARs at each access -- so a BAR the guest moves or a Command register that
 * turns decoding off take effect at once. What hits no BAR reads all-ones and is dropped,
 * as a master abort on a real bus. */
#include <errno.h>
#include <inttypes.h>

#include "log.h"
#include "pci/pci.h"

void pci_phb_init(struct pci_phb *p, uint64_t buid, uint64_t mem_base, uint32_t mem_pci,
		  uint32_t mem_size, const struct vmm_irq intx[4])
{
	*p = (struct pci_phb){
	    .buid = buid, .mem_base = mem_base, .mem_pci = mem_pci, .mem_size = mem_size,
	    .mem_next = mem_pci};
	for (unsigned i = 0; i < 4; i++)
		p->intx[i] = intx[i];
}

unsigned pci_phb_intx_of_slot(unsigned slot)
{
	return slot % 4; /* INTA of slot s: the standard swizzle, as QEMU's spapr maps it */
}

struct pci_function *pci_phb_find(struct pci_phb *p, unsigned bus, unsigned devfn)
{
	if (bus != 0 || devfn >= PCI_SLOTS * 8 || devfn % 8)
		return NULL;
	return p->slot[devfn / 8];
}

int pci_phb_plug(struct pci_phb *p, struct pci_function *f)
{
	unsigned s = 0;
	uint32_t next = p->mem_next;

	while (s < PCI_SLOTS && p->slot[s])
		s++;
	if (s == PCI_SLOTS)
		return -ENOSPC;
	/* biggest BARs first would pack tighter; a handful of 16 KiB BARs needs no care */
	for (unsigned b = 0; b < PCI_NR_BARS; b++) {
		uint32_t size = f->bar_size[b];

		if (!size)
			continue;
		next = (next + size - 1) & ~(size - 1);
		if (next < p->mem_pci || (uint64_t)next + size > (uint64_t)p->mem_pci + p->mem_size)
			return -ENOSPC;
		for (unsigned i = 0; i < 4; i++)
			f->cfg[PCI_BAR0 + 4 * b + i] = (uint8_t)(next >> (8 * i));
		next += size;
	}
	f->cfg[PCI_COMMAND] |= PCI_COMMAND_MEMORY;
	f->intx = p->intx[pci_phb_intx_of_slot(s)];
	f->slot = s;
	for (unsigned i = 0; i < PCI_CFG_SIZE; i++)
		f->reset_cfg[i] = f->cfg[i];
	p->mem_next = next;
	p->slot[s] = f;
	return 0;
}

void pci_phb_reset(struct pci_phb *p)
{
	for (unsigned s = 0; s < PCI_SLOTS; s++)
		if (p->slot[s])
			pci_function_reset(p->slot[s]);
}

/* The function and BAR that decode PCI address a, with the offset in the BAR. */
static struct pci_function *decode(struct pci_phb *p, uint64_t a, unsigned size, unsigned *bar,
				   uint64_t *off)
{
	for (unsigned s = 0; s < PCI_SLOTS; s++) {
		struct pci_function *f = p->slot[s];

		for (unsigned b = 0; f && b < PCI_NR_BARS; b++) {
			uint32_t base = pci_bar_addr(f, b);

			if (base && a >= base && a + size <= (uint64_t)base + f->bar_size[b]) {
				*bar = b;
				*off = a - base;
				return f;
			}
		}
	}
	return NULL;
}

static int window_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct pci_phb *p = opaque;
	unsigned bar;
	uint64_t off;
	struct pci_function *f = decode(p, p->mem_pci + offset, size, &bar, &off);

	if (!f || !f->ops->bar_read) {
		p->unclaimed++;
		*value = size == 4 ? 0xffffffffu : size == 2 ? 0xffffu : 0xffu;
		return 0;
	}
	return f->ops->bar_read(f->opaque, bar, off, size, value);
}

static int window_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct pci_phb *p = opaque;
	unsigned bar;
	uint64_t off;
	struct pci_function *f = decode(p, p->mem_pci + offset, size, &bar, &off);

	if (!f || !f->ops->bar_write) {
		p->unclaimed++;
		return 0;
	}
	return f->ops->bar_write(f->opaque, bar, off, size, value);
}

/* --stats: the functions' own lines, in slot order, and what hit none of them. */
static void window_stats(void *opaque, FILE *out)
{
	struct pci_phb *p = opaque;

	for (unsigned s = 0; s < PCI_SLOTS; s++)
		if (p->slot[s] && p->slot[s]->ops->stats)
			p->slot[s]->ops->stats(p->slot[s]->opaque, out);
	if (p->unclaimed)
		fprintf(out, "  pci-window: %" PRIu64 " accesses hit no BAR\n", p->unclaimed);
}

/* PCI is little-endian: a 32-bit register's low byte at its lowest address. */
const struct vmm_device_ops pci_phb_window_ops = {
    .name = "pci-window",
    .read = window_read,
    .write = window_write,
    .access_sizes = 1 | 2 | 4,
    .endian = VMM_LITTLE_ENDIAN,
    .stats = window_stats,
};

int pci_phb_attach(struct pci_phb *p, struct vmm_bus *bus)
{
	return vmm_bus_register(bus, p->mem_base, p->mem_size, &pci_phb_window_ops, p);
}
