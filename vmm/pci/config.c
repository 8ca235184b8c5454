// SPDX-License-Identifier: MIT
/* A PCI function's type-0 configuration space (see pci.h): the header, 32-bit memory BARs
 * with their sizing protocol (a BAR reads back its size's mask after all-ones is written),
 * a read-only capability list, Command and Status, INTA with Interrupt Disable. */
#include <errno.h>
#include <string.h>

#include "pci/pci.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void pci_function_init(struct pci_function *f, const char *name, const struct pci_function_ops *ops,
		       void *opaque, uint16_t vendor, uint16_t device, uint32_t class_code,
		       uint8_t revision, uint16_t subsys_vendor, uint16_t subsys)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->ops = ops;
	f->opaque = opaque;
	pthread_mutex_init(&f->lock, NULL);
	put16(f->cfg + PCI_VENDOR_ID, vendor);
	put16(f->cfg + PCI_DEVICE_ID, device);
	f->cfg[PCI_REVISION_ID] = revision;
	f->cfg[PCI_CLASS_PROG] = (uint8_t)class_code;
	put16(f->cfg + PCI_CLASS_PROG + 1, (uint16_t)(class_code >> 8));
	put16(f->cfg + PCI_SUBSYSTEM_VENDOR_ID, subsys_vendor);
	put16(f->cfg + PCI_SUBSYSTEM_ID, subsys);
	f->cfg[PCI_INTERRUPT_PIN] = 1; /* INTA */
	/* Command: memory space, bus master, Interrupt Disable; Interrupt Line is the OS's */
	put16(f->wmask + PCI_COMMAND,
	      PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE);
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	memcpy(f->reset_cfg, f->cfg, PCI_CFG_SIZE);
}

void pci_function_add_bar(struct pci_function *f, unsigned bar, uint32_t size)
{
	if (bar >= PCI_NR_BARS || size < 16 || (size & (size - 1)))
		return;
	f->bar_size[bar] = size;
	/* memory, 32-bit, not prefetchable: type bits 0; the address bits above the size
	 * are writable */
	put32(f->wmask + PCI_BAR0 + 4 * bar, ~(size - 1));
}

unsigned pci_function_add_cap(struct pci_function *f, uint8_t id, const uint8_t *body,
			      unsigned len)
{
	unsigned off = f->cap_end ? f->cap_end : 0x40;

	if (len < 2 || off + len > PCI_CFG_SIZE)
		return 0;
	f->cfg[off] = id;
	f->cfg[off + 1] = 0;
	memcpy(f->cfg + off + 2, body + 2, len - 2);
	f->cfg[f->cap_last ? f->cap_last + 1 : PCI_CAPABILITY_LIST] = (uint8_t)off;
	f->cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	f->cap_last = off;
	f->cap_end = (off + len + 3) & ~3u;
	memcpy(f->reset_cfg, f->cfg, PCI_CFG_SIZE);
	return off;
}

static bool access_ok(unsigned off, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && off % size == 0 && off + size <= PCI_CFG_SIZE;
}

int pci_cfg_read(struct pci_function *f, unsigned off, unsigned size, uint32_t *value)
{
	uint32_t v = 0;

	*value = PCI_MISSING;
	if (!access_ok(off, size))
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)f->cfg[off + i] << (8 * i);
	pthread_mutex_unlock(&f->lock);
	*value = v;
	return 0;
}

/* INTA to the bridge as the device asks, unless Command says Interrupt Disable; Status
 * shows the request either way (lock held). */
static void update_intx(struct pci_function *f)
{
	bool disabled = (f->cfg[PCI_COMMAND + 1] << 8) & PCI_COMMAND_INTX_DISABLE;

	if (f->intx_level)
		f->cfg[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
	else
		f->cfg[PCI_STATUS] &= (uint8_t)~PCI_STATUS_INTERRUPT;
	(void)vmm_irq_set(&f->intx, f->intx_level && !disabled);
}

int pci_cfg_write(struct pci_function *f, unsigned off, unsigned size, uint32_t value)
{
	if (!access_ok(off, size))
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	for (unsigned i = 0; i < size; i++) {
		uint8_t m = f->wmask[off + i], b = (uint8_t)(value >> (8 * i));

		f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | (b & m));
	}
	if (off <= PCI_COMMAND + 1 && off + size > PCI_COMMAND)
		update_intx(f);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

uint32_t pci_bar_addr(struct pci_function *f, unsigned bar)
{
	uint32_t a;

	if (bar >= PCI_NR_BARS || !f->bar_size[bar])
		return 0;
	pthread_mutex_lock(&f->lock);
	a = f->cfg[PCI_COMMAND] & PCI_COMMAND_MEMORY ? get32(f->cfg + PCI_BAR0 + 4 * bar) & ~15u
						      : 0;
	pthread_mutex_unlock(&f->lock);
	return a;
}

int pci_function_set_intx(void *opaque, unsigned line, bool level)
{
	struct pci_function *f = opaque;

	(void)line;
	pthread_mutex_lock(&f->lock);
	f->intx_level = level;
	update_intx(f);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

void pci_function_reset(struct pci_function *f)
{
	pthread_mutex_lock(&f->lock);
	memcpy(f->cfg, f->reset_cfg, PCI_CFG_SIZE);
	update_intx(f);
	pthread_mutex_unlock(&f->lock);
	if (f->ops->reset)
		f->ops->reset(f->opaque);
}
