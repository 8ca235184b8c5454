/* SPDX-License-Identifier: MIT */
/* Conventional PCI as the VMM models it (PCI Local Bus 3.0, chapter 6): a function's 256-byte
 * type-0 configuration space (config.c) and a host bridge with one bus of 32 slots, one
 * function each (phb.c), whose memory window decodes the functions' BARs.
 *
 * No firmware runs, so the VMM assigns every BAR at plug time (pci_phb_plug) and the device
 * tree says where (assigned-addresses); the guest may still size and move a BAR through
 * config space: the window decodes whatever the BARs hold when memory decoding is on.
 * Only 32-bit memory BARs; no I/O space, no expansion ROM, no MSI.
 */
#ifndef VMM_PCI_PCI_H
#define VMM_PCI_PCI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "irq.h"

/* Type-0 header offsets and bits used here. */
#define PCI_VENDOR_ID	       0x00
#define PCI_DEVICE_ID	       0x02
#define PCI_COMMAND	       0x04
#define PCI_STATUS	       0x06
#define PCI_REVISION_ID	       0x08
#define PCI_CLASS_PROG	       0x09
#define PCI_HEADER_TYPE	       0x0e
#define PCI_BAR0	       0x10
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID       0x2e
#define PCI_CAPABILITY_LIST    0x34
#define PCI_INTERRUPT_LINE     0x3c
#define PCI_INTERRUPT_PIN      0x3d
#define PCI_CAP_ID_VNDR	       0x09

#define PCI_COMMAND_MEMORY	  0x0002u
#define PCI_COMMAND_MASTER	  0x0004u
#define PCI_COMMAND_INTX_DISABLE  0x0400u
#define PCI_STATUS_INTERRUPT	  0x0008u
#define PCI_STATUS_CAP_LIST	  0x0010u

#define PCI_CFG_SIZE 256u
#define PCI_NR_BARS  6u
#define PCI_SLOTS    32u
#define PCI_MISSING  0xffffffffu /* what a read of no function gives */

struct pci_function;

/* What a function does with accesses to its BARs: size 1, 2 or 4 at an offset aligned to
 * it, inside the BAR. 0, or a negative errno for a host failure only. */
struct pci_function_ops {
	int (*bar_read)(void *opaque, unsigned bar, uint64_t off, unsigned size, uint64_t *value);
	int (*bar_write)(void *opaque, unsigned bar, uint64_t off, unsigned size, uint64_t value);
	void (*reset)(void *opaque); /* optional: power-on state */
	void (*stats)(void *opaque, FILE *out); /* optional: its --stats lines */
};

struct pci_function {
	const struct pci_function_ops *ops;
	void *opaque;
	const char *name;
	pthread_mutex_t lock; /* cfg, wmask, intx_level: config cycles against the line */
	uint8_t cfg[PCI_CFG_SIZE];
	uint8_t wmask[PCI_CFG_SIZE];   /* writable bits */
	uint8_t reset_cfg[PCI_CFG_SIZE]; /* cfg at power-on (the VMM's BAR assignment) */
	uint32_t bar_size[PCI_NR_BARS]; /* 0: none; else a power of two >= 16 */
	struct vmm_irq intx; /* INTA: the bridge's line for this slot (set by pci_phb_plug) */
	bool intx_level;     /* the device's request, before Interrupt Disable */
	unsigned slot;
	unsigned cap_last, cap_end; /* the last capability's offset, the first free byte */
};

/* The header of a function: vendor, device, class (base << 16 | sub << 8 | prog-if),
 * revision, subsystem ids, INTA used. No BARs, no capabilities yet. */
void pci_function_init(struct pci_function *f, const char *name, const struct pci_function_ops *ops,
		       void *opaque, uint16_t vendor, uint16_t device, uint32_t class_code,
		       uint8_t revision, uint16_t subsys_vendor, uint16_t subsys);
/* A 32-bit memory BAR of size bytes (a power of two >= 16). */
void pci_function_add_bar(struct pci_function *f, unsigned bar, uint32_t size);
/* Appends a capability of len bytes (id, next filled in here; body from byte 2), read-only;
 * returns its offset, or 0 if it does not fit. */
unsigned pci_function_add_cap(struct pci_function *f, uint8_t id, const uint8_t *body,
			      unsigned len);

/* A configuration read or write of size 1, 2 or 4 at off, aligned to it (else -EINVAL:
 * the caller reports its own error). Read-only bits ignore writes. */
int pci_cfg_read(struct pci_function *f, unsigned off, unsigned size, uint32_t *value);
int pci_cfg_write(struct pci_function *f, unsigned off, unsigned size, uint32_t value);
/* The address BAR bar decodes, 0 when memory decoding is off or it is unassigned. */
uint32_t pci_bar_addr(struct pci_function *f, unsigned bar);
/* The device raises or lowers INTA (a vmm_irq .set: opaque is the function). */
int pci_function_set_intx(void *opaque, unsigned line, bool level);
void pci_function_reset(struct pci_function *f);

/* A host bridge: bus 0, PCI_SLOTS slots, one 32-bit memory window
 * [mem_base, mem_base + mem_size) in guest-physical space mapping PCI addresses
 * [mem_pci, mem_pci + mem_size) (registered on the machine's MMIO bus), four INTx lines. */
struct pci_phb {
	uint64_t buid; /* its PAPR bus unit id (the tree's reg) */
	uint64_t mem_base;
	uint32_t mem_pci, mem_size;
	uint32_t mem_next; /* the next PCI address the VMM assigns */
	struct vmm_irq intx[4]; /* INTA-INTD of the bridge (line, controller) */
	struct pci_function *slot[PCI_SLOTS];
	uint64_t unclaimed; /* window accesses that hit no BAR */
};

void pci_phb_init(struct pci_phb *p, uint64_t buid, uint64_t mem_base, uint32_t mem_pci,
		  uint32_t mem_size, const struct vmm_irq intx[4]);
/* Registers the window on bus. */
VMM_MUST_CHECK int pci_phb_attach(struct pci_phb *p, struct vmm_bus *bus);
/* Puts f in the first free slot, assigns its BARs in the window (naturally aligned), turns
 * on memory decoding, wires INTA to the bridge's line for the slot (swizzled: INTA of slot
 * s is the bridge's line s % 4). -ENOSPC when no slot or window space is left. */
VMM_MUST_CHECK int pci_phb_plug(struct pci_phb *p, struct pci_function *f);
/* The function at bus/devfn, NULL if none (only function 0 of bus 0 slots exist). */
struct pci_function *pci_phb_find(struct pci_phb *p, unsigned bus, unsigned devfn);
/* The bridge's INTx line for a slot's INTA (0..3). */
unsigned pci_phb_intx_of_slot(unsigned slot);
/* Resets every function. */
void pci_phb_reset(struct pci_phb *p);

extern const struct vmm_device_ops pci_phb_window_ops;

#endif
