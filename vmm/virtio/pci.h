/* SPDX-License-Identifier: MIT */
/* The virtio-pci modern transport (VIRTIO 1.2, 4.1): a virtio device as a PCI function,
 * vendor 0x1af4, device 0x1040 + its virtio id, with one 16 KiB memory BAR (BAR 0) holding
 * the four structures its vendor capabilities point at:
 *   0x0000 common configuration (4.1.4.3)   0x1000 ISR status (4.1.4.5)
 *   0x2000 device-specific configuration    0x3000 queue notify (4.1.4.4)
 * Every queue notifies at the same address (notify_off_multiplier 0) by storing its index
 * there, 16 bits: a datamatch ioeventfd per queue takes it in the hypervisor, as on mmio.
 * Interrupts: INTA, level, held while the ISR is non-zero, lowered when the driver reads it
 * (no MSI-X: config_msix_vector and queue_msix_vector read NO_VECTOR).
 *
 * Fields take their natural width only (4.1.3.1: 64-bit ones as two 32-bit halves); other
 * accesses are ignored and read 0. Writes to read-only fields are ignored; queue fields of an
 * enabled queue are read-only (4.1.4.3.2). Everything else (status, features, the rings,
 * DEVICE_NEEDS_RESET) is the shared transport code's (transport.c, device.c).
 * Legacy and transitional devices are not offered; no VIRTIO_PCI_CAP_PCI_CFG window.
 */
#ifndef VMM_VIRTIO_PCI_H
#define VMM_VIRTIO_PCI_H

#include "pci/pci.h"
#include "virtio/virtio.h"

#define VIRTIO_PCI_VENDOR     0x1af4u
#define VIRTIO_PCI_DEVICE(id) (0x1040u + (id))
#define VIRTIO_PCI_BAR_SIZE   0x4000u
#define VIRTIO_PCI_COMMON     0x0000u
#define VIRTIO_PCI_ISR	      0x1000u
#define VIRTIO_PCI_DEVCFG     0x2000u
#define VIRTIO_PCI_NOTIFY     0x3000u

/* The capabilities' cfg_type (4.1.4). */
enum {
	VIRTIO_PCI_CAP_COMMON_CFG = 1,
	VIRTIO_PCI_CAP_NOTIFY_CFG = 2,
	VIRTIO_PCI_CAP_ISR_CFG = 3,
	VIRTIO_PCI_CAP_DEVICE_CFG = 4,
};

struct virtio_pci {
	struct pci_function fn;
	struct virtio_dev *dev;
	struct pci_phb *phb;
};

/* Plugs device d into the bridge as a new function and starts it (virtio_dev_start): its
 * queue notifications go to host->vm's ioeventfds at the BAR's guest-physical address.
 * *out is the caller's to remove. On failure d is still the caller's. */
VMM_MUST_CHECK int virtio_pci_add(struct virtio_dev *d, const struct virtio_host *host,
				  struct pci_phb *phb, struct virtio_pci **out,
				  struct vmm_err *err);
/* The two halves of virtio_pci_add: the function plugged (its BAR assigned: enough for the
 * device tree), then the device started. After a failed start, virtio_pci_remove. */
VMM_MUST_CHECK int virtio_pci_plug(struct virtio_dev *d, struct pci_phb *phb,
				   struct virtio_pci **out, struct vmm_err *err);
VMM_MUST_CHECK int virtio_pci_start(struct virtio_pci *vp, const struct virtio_host *host,
				    struct vmm_err *err);
/* Stops (if started) and destroys the device (virtio_dev_remove), unplugs and frees the
 * function. NULL is a no-op. */
void virtio_pci_remove(struct virtio_pci *vp);

#endif
