// SPDX-License-Identifier: MIT
/* What every virtio transport's register file does the same way (VIRTIO 1.2, 2 and 3): the
 * features offered and their negotiation, device status, enabling a queue, the device's
 * config space. virtio-mmio (mmio.c) and virtio-pci (pci.c) only map their registers onto
 * these; the caller holds the device's lock. */
#include "virtio/virtio.h"

/* What the transport adds to every device's features. */
#define TRANSPORT_FEATURES                                                                         \
	(VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_F_INDIRECT_DESC) |             \
	 VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX))

uint64_t virtio_offered(const struct virtio_dev *d)
{
	return d->ops->features | TRANSPORT_FEATURES;
}

struct virtq *virtio_selected_queue(struct virtio_dev *d)
{
	return d->queue_sel < d->ops->num_queues ? &d->vq[d->queue_sel] : NULL;
}

uint32_t virtio_device_features_word(const struct virtio_dev *d)
{
	return d->device_features_sel < 2
		   ? (uint32_t)(virtio_offered(d) >> (32 * d->device_features_sel))
		   : 0;
}

void virtio_set_half(uint64_t *addr, bool high, uint32_t v)
{
	if (high)
		*addr = (*addr & 0xffffffffu) | (uint64_t)v << 32;
	else
		*addr = (*addr & ~0xffffffffull) | v;
}

void virtio_write_driver_features(struct virtio_dev *d, uint32_t v)
{
	/* fixed once FEATURES_OK is set (3.1.1) */
	if (d->driver_features_sel < 2 && !(d->status & VIRTIO_STATUS_FEATURES_OK))
		virtio_set_half(&d->driver_features, d->driver_features_sel == 1, v);
}

/* FEATURES_OK is granted only for a subset of what was offered that includes VERSION_1 (a
 * modern device: 6.1); otherwise the bit stays clear and the driver, reading the status
 * back, gives up (3.1.1). */
static bool features_ok(struct virtio_dev *d)
{
	uint64_t f = d->driver_features;

	if ((f & ~virtio_offered(d)) || !(f & VIRTIO_FEATURE(VIRTIO_F_VERSION_1)))
		return false;
	d->features = f;
	return true;
}

void virtio_write_status(struct virtio_dev *d, uint32_t v)
{
	uint32_t old = d->status;

	if (v == 0) {
		virtio_dev_reset_locked(d);
		return;
	}
	/* A driver only adds bits (3.1.1); NEEDS_RESET is the device's and stays. */
	v |= old & VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_ok(d))
		v &= ~VIRTIO_STATUS_FEATURES_OK;
	d->status = v & 0xff;
	if ((d->status & VIRTIO_STATUS_DRIVER_OK) && !(old & VIRTIO_STATUS_DRIVER_OK)) {
		if (!(d->status & VIRTIO_STATUS_FEATURES_OK))
			virtio_dev_needs_reset(d, -1, "DRIVER_OK without FEATURES_OK");
		else
			virtio_dev_kick_all(d); /* what was queued before DRIVER_OK */
	}
}

void virtio_write_queue_ready(struct virtio_dev *d, struct virtq *vq, uint32_t v)
{
	if (!v) {
		vq->ready = false; /* the device stops using it */
		return;
	}
	if (vq->ready)
		return;
	if (!(d->status & VIRTIO_STATUS_FEATURES_OK)) {
		virtio_dev_needs_reset(d, (int)d->queue_sel, "queue enabled before FEATURES_OK");
		return;
	}
	if (virtq_enable(vq, d->ops->queue_max, d->host.mem,
			 virtio_has_feature(d, VIRTIO_F_EVENT_IDX),
			 virtio_has_feature(d, VIRTIO_F_INDIRECT_DESC)))
		virtio_dev_needs_reset(d, (int)d->queue_sel, vq->error);
}

uint64_t virtio_config_read(struct virtio_dev *d, uint64_t offset, unsigned size)
{
	if (offset + size > d->ops->config_size || !d->ops->config_read)
		return 0;
	return d->ops->config_read(d, (uint32_t)offset, size);
}

void virtio_config_write(struct virtio_dev *d, uint64_t offset, unsigned size, uint64_t value)
{
	if (offset + size <= d->ops->config_size && d->ops->config_write)
		d->ops->config_write(d, (uint32_t)offset, size, value);
}

/* A machine reset, for either transport's bus-device ops: as a driver's reset, and the
 * device warns afresh. */
void virtio_transport_machine_reset(void *opaque)
{
	struct virtio_dev *d = opaque;

	pthread_mutex_lock(&d->lock);
	virtio_dev_reset_locked(d);
	d->warned = false;
	d->config_generation = 0;
	pthread_mutex_unlock(&d->lock);
}
