// SPDX-License-Identifier: MIT
/* The virtio-mmio version 2 register block (VIRTIO 1.2, 4.2.2), on the vcpu thread; the
 * device-tree node (4.2.1: compatible "virtio,mmio", reg, interrupts). See virtio.h.
 *
 * Registers below 0x100 take aligned 32-bit accesses only (4.2.2.2: the driver MUST use
 * them); others are ignored and read 0. Config space (0x100 on) takes 8-, 16- and 32-bit
 * accesses, the bus splitting a 64-bit one. A driver that breaks a rule gets what the spec
 * lets a device do: a write ignored, FEATURES_OK left clear, or DEVICE_NEEDS_RESET.
 */
#include <inttypes.h>
#include <libfdt.h>

#include "devtree.h"
#include "log.h"
#include "virtio/virtio.h"

enum {
	REG_MAGIC = 0x000,
	REG_VERSION = 0x004,
	REG_DEVICE_ID = 0x008,
	REG_VENDOR_ID = 0x00c,
	REG_DEVICE_FEATURES = 0x010,
	REG_DEVICE_FEATURES_SEL = 0x014,
	REG_DRIVER_FEATURES = 0x020,
	REG_DRIVER_FEATURES_SEL = 0x024,
	REG_QUEUE_SEL = 0x030,
	REG_QUEUE_NUM_MAX = 0x034,
	REG_QUEUE_NUM = 0x038,
	REG_QUEUE_READY = 0x044,
	REG_QUEUE_NOTIFY = VIRTIO_MMIO_QUEUE_NOTIFY,
	REG_INTERRUPT_STATUS = 0x060,
	REG_INTERRUPT_ACK = 0x064,
	REG_STATUS = 0x070,
	REG_QUEUE_DESC_LOW = 0x080,
	REG_QUEUE_DESC_HIGH = 0x084,
	REG_QUEUE_DRIVER_LOW = 0x090,
	REG_QUEUE_DRIVER_HIGH = 0x094,
	REG_QUEUE_DEVICE_LOW = 0x0a0,
	REG_QUEUE_DEVICE_HIGH = 0x0a4,
	REG_SHM_SEL = 0x0ac,
	REG_SHM_LEN_LOW = 0x0b0,
	REG_SHM_LEN_HIGH = 0x0b4,
	REG_SHM_BASE_LOW = 0x0b8,
	REG_SHM_BASE_HIGH = 0x0bc,
	REG_QUEUE_RESET = 0x0c0,
	REG_CONFIG_GENERATION = 0x0fc,
};

static uint32_t reg_read(struct virtio_dev *d, uint64_t off)
{
	struct virtq *vq = virtio_selected_queue(d);

	switch (off) {
	case REG_MAGIC:
		return VIRTIO_MMIO_MAGIC;
	case REG_VERSION:
		return VIRTIO_MMIO_VERSION;
	case REG_DEVICE_ID:
		return d->ops->device_id;
	case REG_VENDOR_ID:
		return VIRTIO_MMIO_VENDOR;
	case REG_DEVICE_FEATURES:
		return virtio_device_features_word(d);
	case REG_QUEUE_NUM_MAX:
		return vq ? d->ops->queue_max : 0;
	case REG_QUEUE_READY:
		return vq && vq->ready;
	case REG_INTERRUPT_STATUS:
		return atomic_load(&d->isr);
	case REG_STATUS:
		return d->status;
	case REG_QUEUE_DESC_LOW:
		return vq ? (uint32_t)vq->desc_gpa : 0;
	case REG_QUEUE_DESC_HIGH:
		return vq ? (uint32_t)(vq->desc_gpa >> 32) : 0;
	case REG_QUEUE_DRIVER_LOW:
		return vq ? (uint32_t)vq->avail_gpa : 0;
	case REG_QUEUE_DRIVER_HIGH:
		return vq ? (uint32_t)(vq->avail_gpa >> 32) : 0;
	case REG_QUEUE_DEVICE_LOW:
		return vq ? (uint32_t)vq->used_gpa : 0;
	case REG_QUEUE_DEVICE_HIGH:
		return vq ? (uint32_t)(vq->used_gpa >> 32) : 0;
	case REG_SHM_LEN_LOW: /* no shared memory regions: their length reads as -1 */
	case REG_SHM_LEN_HIGH:
	case REG_SHM_BASE_LOW:
	case REG_SHM_BASE_HIGH:
		return 0xffffffffu;
	case REG_CONFIG_GENERATION:
		return d->config_generation;
	default: /* write-only registers, QueueReset (RING_RESET is not offered), holes */
		return 0;
	}
}

static void reg_write(struct virtio_dev *d, uint64_t off, uint32_t v)
{
	struct virtq *vq = virtio_selected_queue(d);
	bool setup = vq && !vq->ready; /* queue registers apply to a queue being set up */

	switch (off) {
	case REG_DEVICE_FEATURES_SEL:
		d->device_features_sel = v;
		break;
	case REG_DRIVER_FEATURES:
		virtio_write_driver_features(d, v);
		break;
	case REG_DRIVER_FEATURES_SEL:
		d->driver_features_sel = v;
		break;
	case REG_QUEUE_SEL:
		d->queue_sel = v;
		break;
	case REG_QUEUE_NUM:
		if (setup)
			vq->num = v > 0xffff ? 0 : (uint16_t)v; /* checked at QueueReady */
		break;
	case REG_QUEUE_READY:
		if (vq)
			virtio_write_queue_ready(d, vq, v);
		break;
	case REG_STATUS:
		virtio_write_status(d, v);
		break;
	case REG_QUEUE_DESC_LOW:
	case REG_QUEUE_DESC_HIGH:
		if (setup)
			virtio_set_half(&vq->desc_gpa, off == REG_QUEUE_DESC_HIGH, v);
		break;
	case REG_QUEUE_DRIVER_LOW:
	case REG_QUEUE_DRIVER_HIGH:
		if (setup)
			virtio_set_half(&vq->avail_gpa, off == REG_QUEUE_DRIVER_HIGH, v);
		break;
	case REG_QUEUE_DEVICE_LOW:
	case REG_QUEUE_DEVICE_HIGH:
		if (setup)
			virtio_set_half(&vq->used_gpa, off == REG_QUEUE_DEVICE_HIGH, v);
		break;
	default: /* read-only registers, SHMSel (no regions), QueueReset, holes */
		break;
	}
}

static int virtio_mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct virtio_dev *d = opaque;

	*value = 0;
	if (offset < VIRTIO_MMIO_CONFIG) {
		if (size != 4)
			return 0;
		if (offset == REG_INTERRUPT_STATUS) { /* the interrupt handler's: no lock */
			*value = atomic_load(&d->isr);
			return 0;
		}
		pthread_mutex_lock(&d->lock);
		*value = reg_read(d, offset);
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	pthread_mutex_lock(&d->lock);
	*value = virtio_config_read(d, offset - VIRTIO_MMIO_CONFIG, size);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int virtio_mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct virtio_dev *d = opaque;

	if (offset < VIRTIO_MMIO_CONFIG) {
		if (size != 4)
			return 0;
		switch (offset) {
		case REG_QUEUE_NOTIFY: /* one no ioeventfd took (a queue that is not there) */
			virtio_dev_notify(d, (uint32_t)value);
			return 0;
		case REG_INTERRUPT_ACK:
			atomic_fetch_and(&d->isr, ~(uint32_t)value);
			return 0;
		}
		pthread_mutex_lock(&d->lock);
		reg_write(d, offset, (uint32_t)value);
		pthread_mutex_unlock(&d->lock);
		return 0;
	}
	pthread_mutex_lock(&d->lock);
	virtio_config_write(d, offset - VIRTIO_MMIO_CONFIG, size, value);
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int virtio_mmio_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	struct virtio_dev *d = opaque;
	int node = vmm_fdt_add_node(fdt, parent, "virtio_mmio", region->base);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "compatible", "virtio,mmio");
	if (!rc)
		rc = vmm_fdt_setprop_reg(fdt, parent, node, region->base, region->size);
	if (!rc && d->slot.irq.fdt_parent) {
		uint32_t irqs[2] = {d->slot.irq.line, d->slot.irq.fdt_sense};

		rc = fdt_setprop_u32(fdt, node, "interrupt-parent", d->slot.irq.fdt_parent);
		if (!rc)
			rc = vmm_fdt_setprop_cells(fdt, node, "interrupts", irqs, 2);
	}
	return rc;
}

static void virtio_mmio_stats(void *opaque, FILE *out)
{
	virtio_dev_print_stats(opaque, out);
}

const struct vmm_device_ops virtio_mmio_ops = {
    .name = "virtio-mmio",
    .read = virtio_mmio_read,
    .write = virtio_mmio_write,
    .access_sizes = 1 | 2 | 4,
    .endian = VMM_LITTLE_ENDIAN,
    .reset = virtio_transport_machine_reset,
    .fdt = virtio_mmio_fdt,
    .stats = virtio_mmio_stats,
};
