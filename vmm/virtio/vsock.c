// SPDX-License-Identifier: MIT
/* virtio-vsock (see vsock.h): the device's queues around the protocol of vsock_proto.c. The
 * host sockets' epoll set is the device's host_fd, so the device thread wakes for them. */
#include "virtio/vsock.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "byteorder.h"
#include "machine.h"

#define VSOCK_RXQ	  0
#define VSOCK_TXQ	  1
#define VSOCK_EVQ	  2
#define VSOCK_CONFIG_SIZE 8 /* le64 guest_cid */

struct virtio_vsock {
	struct virtio_dev vdev;
	struct vsock_proto p;
	/* a receive buffer taken from the ring with nothing to put in it yet: kept for the
	 * next packet (a ring entry cannot be handed back unused) */
	bool rx_held;
	bool event_pending; /* TRANSPORT_RESET owed: a reset dropped live connections */
	struct virtq_req rx_req, tx_req, ev_req;
};

static struct virtio_vsock *to_vsock(struct virtio_dev *d)
{
	return vmm_container_of(d, struct virtio_vsock, vdev);
}

/* Packets to the guest while there are both packets and receive buffers. 0, or -EIO. */
static int rx_pump(struct virtio_vsock *v)
{
	struct virtq *vq = &v->vdev.vq[VSOCK_RXQ];

	if (!vq->ready || vq->broken)
		return 0;
	while (vsock_proto_rx_pending(&v->p)) {
		uint32_t used = 0;
		int rc;

		if (!v->rx_held) {
			rc = virtq_pop(vq, &v->rx_req);
			if (rc < 0)
				return rc;
			if (rc == 0) {
				/* out of buffers: the driver kicks when it adds some (with
				 * EVENT_IDX only this moves avail_event) */
				if (virtq_enable_notify(vq))
					continue;
				return 0;
			}
			v->rx_held = true;
		}
		rc = vsock_proto_rx(&v->p, &v->rx_req, &used);
		if (rc == 0)
			return 0; /* nothing after all (no host data yet): the buffer stays */
		v->rx_held = false;
		if (rc < 0) { /* too small for a header */
			virtq_push(vq, v->rx_req.head, 0);
			atomic_fetch_add(&v->p.c.dropped, 1);
			continue;
		}
		virtq_push(vq, v->rx_req.head, used);
		virtio_dev_count(&v->vdev, used - VSOCK_HDR_LEN);
	}
	return 0;
}

static int vsock_tx(struct virtio_vsock *v)
{
	struct virtq *vq = &v->vdev.vq[VSOCK_TXQ];
	int rc, rc2;

	while ((rc = virtq_pop(vq, &v->tx_req)) > 0) {
		uint64_t len = v->tx_req.rd_len;

		vsock_proto_tx(&v->p, &v->tx_req);
		virtq_push(vq, v->tx_req.head, 0);
		virtio_dev_count(&v->vdev, len > VSOCK_HDR_LEN ? len - VSOCK_HDR_LEN : 0);
	}
	/* what the packets asked for (responses, RSTs, credit) goes out now */
	rc2 = rx_pump(v);
	virtio_dev_signal_queue(&v->vdev, VSOCK_RXQ);
	return rc < 0 ? rc : rc2;
}

static int vsock_event(struct virtio_vsock *v)
{
	struct virtq *vq = &v->vdev.vq[VSOCK_EVQ];
	int rc;

	if (!v->event_pending)
		return VIRTIO_QUEUE_WAIT; /* the buffers wait for an event */
	rc = virtq_pop(vq, &v->ev_req);
	if (rc <= 0)
		return rc;
	uint8_t ev[4] = {VSOCK_EVENT_TRANSPORT_RESET};
	size_t n = virtq_req_copy_to(&v->ev_req, 0, ev, sizeof(ev));

	virtq_push(vq, v->ev_req.head, (uint32_t)n);
	virtio_dev_count(&v->vdev, n);
	v->event_pending = false;
	return VIRTIO_QUEUE_WAIT;
}

static int vsock_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_vsock *v = to_vsock(d);
	int rc;

	switch (q) {
	case VSOCK_TXQ:
		return vsock_tx(v);
	case VSOCK_RXQ: /* new receive buffers: what waited for them; the rest stay */
		rc = rx_pump(v);
		return rc < 0 ? rc : VIRTIO_QUEUE_WAIT;
	default:
		return vsock_event(v);
	}
}

static int vsock_host_event(struct virtio_dev *d)
{
	struct virtio_vsock *v = to_vsock(d);

	vsock_proto_host(&v->p);
	return rx_pump(v); /* the transport interrupts for what was pushed */
}

static uint64_t vsock_config_read(struct virtio_dev *d, uint32_t offset, unsigned size)
{
	uint8_t cfg[VSOCK_CONFIG_SIZE];
	uint64_t v = 0;

	vmm_store_le(cfg, 8, to_vsock(d)->p.guest_cid);
	for (unsigned i = 0; i < size && offset + i < sizeof(cfg); i++)
		v |= (uint64_t)cfg[offset + i] << (8 * i);
	return v;
}

/* The driver's connections are gone with its rings: closed on the host side too; its next
 * incarnation hears of it with TRANSPORT_RESET. */
static void vsock_reset(struct virtio_dev *d)
{
	struct virtio_vsock *v = to_vsock(d);

	v->rx_held = false;
	if (vsock_proto_reset(&v->p))
		v->event_pending = true;
}

static void vsock_stats(struct virtio_dev *d, FILE *out)
{
	struct vsock_counters *c = &to_vsock(d)->p.c;

	fprintf(out,
		"  %-14s cid %" PRIu64 ": %" PRIu64 " connections from the host, %" PRIu64
		" from the guest, %" PRIu64 " bytes to the guest, %" PRIu64 " from it, %" PRIu64
		" resets sent, %" PRIu64 " dropped\n",
		"", to_vsock(d)->p.guest_cid, (uint64_t)atomic_load(&c->host_conns),
		(uint64_t)atomic_load(&c->guest_conns), (uint64_t)atomic_load(&c->rx_bytes),
		(uint64_t)atomic_load(&c->tx_bytes), (uint64_t)atomic_load(&c->rst_sent),
		(uint64_t)atomic_load(&c->dropped));
}

static void vsock_destroy(struct virtio_dev *d)
{
	struct virtio_vsock *v = to_vsock(d);

	vsock_proto_fini(&v->p);
	free(v);
}

static const struct virtio_device_ops virtio_vsock_ops = {
    .name = "virtio-vsock",
    .device_id = VIRTIO_ID_VSOCK,
    .num_queues = 3,
    .queue_max = 128,
    .features = VIRTIO_FEATURE(VSOCK_F_STREAM),
    .config_size = VSOCK_CONFIG_SIZE,
    .config_read = vsock_config_read,
    .queue_notify = vsock_queue_notify,
    .host_event = vsock_host_event,
    .reset = vsock_reset,
    .stats = vsock_stats,
    .destroy = vsock_destroy,
};

int virtio_vsock_create(const struct vsock_opts *o, struct virtio_dev **out, struct vmm_err *err)
{
	struct virtio_vsock *v = calloc(1, sizeof(*v));
	int rc;

	*out = NULL;
	if (!v)
		return vmm_err_set(err, -ENOMEM, "virtio-vsock: out of memory");
	virtio_dev_init(&v->vdev, &virtio_vsock_ops);
	rc = vsock_proto_init(&v->p, o, err);
	if (rc) {
		free(v);
		return rc;
	}
	v->vdev.host_fd = v->p.epfd;
	*out = &v->vdev;
	return 0;
}
