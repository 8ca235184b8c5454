// SPDX-License-Identifier: MIT
/* The virtio-pci modern transport (see pci.h): the function's header and capabilities, and
 * its BAR's four structures mapped onto the shared register semantics (transport.c). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "virtio/pci.h"

/* The common configuration structure's fields (4.1.4.3). */
enum {
	CC_DEVICE_FEATURE_SELECT = 0x00,
	CC_DEVICE_FEATURE = 0x04,
	CC_DRIVER_FEATURE_SELECT = 0x08,
	CC_DRIVER_FEATURE = 0x0c,
	CC_MSIX_CONFIG = 0x10,
	CC_NUM_QUEUES = 0x12,
	CC_DEVICE_STATUS = 0x14,
	CC_CONFIG_GENERATION = 0x15,
	CC_QUEUE_SELECT = 0x16,
	CC_QUEUE_SIZE = 0x18,
	CC_QUEUE_MSIX_VECTOR = 0x1a,
	CC_QUEUE_ENABLE = 0x1c,
	CC_QUEUE_NOTIFY_OFF = 0x1e,
	CC_QUEUE_DESC = 0x20, /* low half; +4 the high half */
	CC_QUEUE_DRIVER = 0x28,
	CC_QUEUE_DEVICE = 0x30,
	CC_SIZE = 0x38,
};

#define NO_VECTOR 0xffffu

/* The natural width of the field at off (64-bit fields: their 32-bit halves); 0 for none. */
static unsigned field_width(uint64_t off)
{
	switch (off) {
	case CC_DEVICE_FEATURE_SELECT:
	case CC_DEVICE_FEATURE:
	case CC_DRIVER_FEATURE_SELECT:
	case CC_DRIVER_FEATURE:
		return 4;
	case CC_MSIX_CONFIG:
	case CC_NUM_QUEUES:
	case CC_QUEUE_SELECT:
	case CC_QUEUE_SIZE:
	case CC_QUEUE_MSIX_VECTOR:
	case CC_QUEUE_ENABLE:
	case CC_QUEUE_NOTIFY_OFF:
		return 2;
	case CC_DEVICE_STATUS:
	case CC_CONFIG_GENERATION:
		return 1;
	default:
		return off >= CC_QUEUE_DESC && off < CC_SIZE && off % 4 == 0 ? 4 : 0;
	}
}

static uint64_t *queue_addr(struct virtq *vq, uint64_t off)
{
	if (off < CC_QUEUE_DRIVER)
		return &vq->desc_gpa;
	return off < CC_QUEUE_DEVICE ? &vq->avail_gpa : &vq->used_gpa;
}

static uint32_t common_read(struct virtio_dev *d, uint64_t off)
{
	struct virtq *vq = virtio_selected_queue(d);

	switch (off) {
	case CC_DEVICE_FEATURE_SELECT:
		return d->device_features_sel;
	case CC_DEVICE_FEATURE:
		return virtio_device_features_word(d);
	case CC_DRIVER_FEATURE_SELECT:
		return d->driver_features_sel;
	case CC_DRIVER_FEATURE:
		return d->driver_features_sel < 2
			   ? (uint32_t)(d->driver_features >> (32 * d->driver_features_sel))
			   : 0;
	case CC_MSIX_CONFIG:
	case CC_QUEUE_MSIX_VECTOR:
		return NO_VECTOR;
	case CC_NUM_QUEUES:
		return d->ops->num_queues;
	case CC_DEVICE_STATUS:
		return d->status;
	case CC_CONFIG_GENERATION:
		return d->config_generation & 0xff;
	case CC_QUEUE_SELECT:
		return d->queue_sel;
	case CC_QUEUE_SIZE: /* 0: no such queue (4.1.4.3.2) */
		return vq ? vq->num : 0;
	case CC_QUEUE_ENABLE:
		return vq && vq->ready;
	case CC_QUEUE_NOTIFY_OFF:
		return 0;
	default: /* the queue addresses, by halves */
		if (!vq)
			return 0;
		return (uint32_t)(*queue_addr(vq, off) >> (off % 8 ? 32 : 0));
	}
}

static void common_write(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	struct virtq *vq = virtio_selected_queue(d);
	bool setup = vq && !vq->ready; /* a queue's fields are the driver's until it enables it */

	switch (off) {
	case CC_DEVICE_FEATURE_SELECT:
		d->device_features_sel = v;
		break;
	case CC_DRIVER_FEATURE_SELECT:
		d->driver_features_sel = v;
		break;
	case CC_DRIVER_FEATURE:
		virtio_write_driver_features(d, v);
		break;
	case CC_DEVICE_STATUS:
		virtio_write_status(d, v);
		break;
	case CC_QUEUE_SELECT:
		d->queue_sel = v;
		break;
	case CC_QUEUE_SIZE:
		if (setup)
			vq->num = (uint16_t)v; /* a power of two up to the maximum: checked at enable */
		break;
	case CC_QUEUE_ENABLE:
		/* 1 enables; the driver MUST NOT write 0 (it resets the device instead) */
		if (vq && v == 1)
			virtio_write_queue_ready(d, vq, v);
		break;
	case CC_QUEUE_DESC:
	case CC_QUEUE_DESC + 4:
	case CC_QUEUE_DRIVER:
	case CC_QUEUE_DRIVER + 4:
	case CC_QUEUE_DEVICE:
	case CC_QUEUE_DEVICE + 4:
		if (setup)
			virtio_set_half(queue_addr(vq, off), off % 8 != 0, v);
		break;
	default: /* device_feature, num_queues, config_generation, notify_off: read-only;
		  * MSI-X vectors: none to set */
		break;
	}
}

static int bar_read(void *opaque, unsigned bar, uint64_t off, unsigned size, uint64_t *value)
{
	struct virtio_dev *d = opaque;

	*value = 0;
	if (bar != 0)
		return 0;
	pthread_mutex_lock(&d->lock);
	if (off < CC_SIZE) {
		if (field_width(off) == size)
			*value = common_read(d, off);
	} else if (off == VIRTIO_PCI_ISR) { /* read to clear (4.1.4.5) */
		*value = virtio_dev_take_isr(d);
	} else if (off >= VIRTIO_PCI_DEVCFG && off < VIRTIO_PCI_DEVCFG + 0x100) {
		*value = virtio_config_read(d, off - VIRTIO_PCI_DEVCFG, size);
	}
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int bar_write(void *opaque, unsigned bar, uint64_t off, unsigned size, uint64_t value)
{
	struct virtio_dev *d = opaque;

	if (bar != 0)
		return 0;
	if (off == VIRTIO_PCI_NOTIFY) { /* one no ioeventfd took (a queue that is not there) */
		if (size >= 2)
			virtio_dev_notify(d, (uint32_t)(value & 0xffff));
		return 0;
	}
	pthread_mutex_lock(&d->lock);
	if (off < CC_SIZE) {
		if (field_width(off) == size)
			common_write(d, off, (uint32_t)value);
	} else if (off >= VIRTIO_PCI_DEVCFG && off < VIRTIO_PCI_DEVCFG + 0x100) {
		virtio_config_write(d, off - VIRTIO_PCI_DEVCFG, size, value);
	}
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static void function_stats(void *opaque, FILE *out)
{
	virtio_dev_print_stats(opaque, out);
}

static const struct pci_function_ops virtio_pci_function_ops = {
    .bar_read = bar_read,
    .bar_write = bar_write,
    .reset = virtio_transport_machine_reset,
    .stats = function_stats,
};

/* A virtio_pci_cap (4.1.4): vendor-specific, its length, cfg_type, BAR 0, offset, length;
 * the notify capability adds notify_off_multiplier. */
static unsigned add_cap(struct pci_function *f, uint8_t type, uint32_t offset, uint32_t length,
			bool notify)
{
	uint8_t c[20] = {PCI_CAP_ID_VNDR, 0, notify ? 20 : 16, type, 0};

	for (unsigned i = 0; i < 4; i++) {
		c[8 + i] = (uint8_t)(offset >> (8 * i));
		c[12 + i] = (uint8_t)(length >> (8 * i));
	}
	/* c[16..19]: notify_off_multiplier 0, every queue at the same address */
	return pci_function_add_cap(f, PCI_CAP_ID_VNDR, c, c[2]);
}

/* PCI class codes of the devices (as QEMU gives them): storage, network, communication. */
static uint32_t class_of(uint32_t id)
{
	switch (id) {
	case VIRTIO_ID_BLOCK:
		return 0x010000; /* SCSI storage controller, as virtio-blk-pci */
	case VIRTIO_ID_NET:
		return 0x020000; /* Ethernet */
	case VIRTIO_ID_CONSOLE:
		return 0x078000; /* other communication controller */
	default:
		return 0xff0000; /* unclassified */
	}
}

int virtio_pci_plug(struct virtio_dev *d, struct pci_phb *phb, struct virtio_pci **out,
		    struct vmm_err *err)
{
	struct virtio_pci *vp = calloc(1, sizeof(*vp));
	struct pci_function *f;
	int rc;

	*out = NULL;
	if (!vp)
		return vmm_err_set(err, -ENOMEM, "out of memory");
	f = &vp->fn;
	vp->dev = d;
	vp->phb = phb;
	/* revision 1: a modern-only device (4.1.2.1); subsystem device id: the virtio id */
	pci_function_init(f, d->ops->name, &virtio_pci_function_ops, d, VIRTIO_PCI_VENDOR,
			  (uint16_t)VIRTIO_PCI_DEVICE(d->ops->device_id), class_of(d->ops->device_id),
			  1, VIRTIO_PCI_VENDOR, (uint16_t)d->ops->device_id);
	pci_function_add_bar(f, 0, VIRTIO_PCI_BAR_SIZE);
	add_cap(f, VIRTIO_PCI_CAP_COMMON_CFG, VIRTIO_PCI_COMMON, 0x1000, false);
	add_cap(f, VIRTIO_PCI_CAP_ISR_CFG, VIRTIO_PCI_ISR, 0x1000, false);
	add_cap(f, VIRTIO_PCI_CAP_DEVICE_CFG, VIRTIO_PCI_DEVCFG, 0x1000, false);
	add_cap(f, VIRTIO_PCI_CAP_NOTIFY_CFG, VIRTIO_PCI_NOTIFY, 0x1000, true);
	rc = pci_phb_plug(phb, f);
	if (rc) {
		pthread_mutex_destroy(&f->lock);
		free(vp);
		return vmm_err_set(err, rc, "%s: no PCI slot or window space left", d->ops->name);
	}
	d->irq_level = true;
	*out = vp;
	return 0;
}

int virtio_pci_start(struct virtio_pci *vp, const struct virtio_host *host, struct vmm_err *err)
{
	struct pci_phb *phb = vp->phb;
	uint64_t bar_gpa = phb->mem_base + (pci_bar_addr(&vp->fn, 0) - phb->mem_pci);

	return virtio_dev_start(vp->dev, host,
				&(struct virtio_mmio_slot){
				    .base = bar_gpa,
				    .irq = {.set = pci_function_set_intx, .opaque = &vp->fn}},
				bar_gpa + VIRTIO_PCI_NOTIFY, 2, err);
}

int virtio_pci_add(struct virtio_dev *d, const struct virtio_host *host, struct pci_phb *phb,
		   struct virtio_pci **out, struct vmm_err *err)
{
	struct virtio_pci *vp;
	int rc = virtio_pci_plug(d, phb, &vp, err);

	if (rc)
		return rc;
	rc = virtio_pci_start(vp, host, err);
	if (rc) {
		phb->slot[vp->fn.slot] = NULL;
		pthread_mutex_destroy(&vp->fn.lock);
		free(vp);
		return rc;
	}
	*out = vp;
	return 0;
}

void virtio_pci_remove(struct virtio_pci *vp)
{
	if (!vp)
		return;
	virtio_dev_remove(vp->dev);
	vp->phb->slot[vp->fn.slot] = NULL;
	pthread_mutex_destroy(&vp->fn.lock);
	free(vp);
}
