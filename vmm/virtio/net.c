// SPDX-License-Identifier: MIT
/* virtio-net (see net.h): the device, its queues and its counters; the backends are in
 * net_slirp.c and net_tap.c, the transmit offloads in net_offload.c, the option parser in
 * net_opts.c. */
#include "virtio/net.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "machine.h"
#include "virtio/net_backend.h"

#define NET_RXQ		 0
#define NET_TXQ		 1
#define NET_CONFIG_SIZE	 8   /* mac[6], status (no max_virtqueue_pairs: no MQ) */
#define NET_BACKLOG	 128 /* frames waiting for guest receive buffers */

struct net_counters {
	atomic_uint_fast64_t rx_packets, rx_bytes, rx_dropped;
	atomic_uint_fast64_t tx_packets, tx_bytes, tx_dropped;
	atomic_uint_fast64_t tx_csum, tx_tso; /* frames whose checksum / segments we made */
};

struct virtio_net {
	struct virtio_dev vdev;
	struct net_backend *be;
	uint8_t mac[6];
	struct net_counters c;

	/* frames from the backend that found no guest buffer yet (lock) */
	struct {
		uint16_t len;
		uint8_t data[NET_MAX_FRAME];
	} backlog[NET_BACKLOG];
	unsigned bl_head, bl_count;

	uint8_t frame[NET_MAX_GSO_FRAME]; /* a transmitted frame, linear for the backend */
	uint8_t seg[NET_MAX_FRAME];	   /* a segment cut from it */
	/* apart: sending a frame can deliver one (slirp answers at once) */
	struct virtq_req rx_req, tx_req;
};

static struct virtio_net *to_net(struct virtio_dev *d)
{
	return vmm_container_of(d, struct virtio_net, vdev);
}

static void count(atomic_uint_fast64_t *c, uint64_t n)
{
	atomic_fetch_add_explicit(c, n, memory_order_relaxed);
}

/* One frame into the next receive buffer: 1 done (or dropped for a buffer too small: the
 * buffer is used up either way), 0 no buffer, -EIO a broken ring. */
static int rx_one(struct virtio_net *n, const uint8_t *frame, size_t len)
{
	struct virtq *vq = &n->vdev.vq[NET_RXQ];
	uint32_t used;
	int rc = virtq_pop(vq, &n->rx_req);
	/* frames of the backend's own stack never crossed a wire: nothing for the guest to
	 * verify */
	uint8_t flags = virtio_has_feature(&n->vdev, VIRTIO_NET_F_GUEST_CSUM) && n->be->rx_csum_valid
			    ? VIRTIO_NET_HDR_F_DATA_VALID
			    : 0;

	if (rc <= 0)
		return rc;
	if (net_rx_encode(&n->rx_req, frame, len, flags, &used)) {
		virtq_push(vq, n->rx_req.head, 0);
		count(&n->c.rx_dropped, 1);
		return 1;
	}
	virtq_push(vq, n->rx_req.head, used);
	virtio_dev_count(&n->vdev, len);
	count(&n->c.rx_packets, 1);
	count(&n->c.rx_bytes, len);
	return 1;
}

/* The backlog into guest buffers while there are both: 0 (backlog empty or no buffer), or
 * -EIO. */
static int rx_drain(struct virtio_net *n)
{
	while (n->bl_count) {
		int rc = rx_one(n, n->backlog[n->bl_head].data, n->backlog[n->bl_head].len);

		if (rc <= 0)
			return rc;
		n->bl_head = (n->bl_head + 1) % NET_BACKLOG;
		n->bl_count--;
	}
	return 0;
}

/* The backend's deliver: straight into a guest buffer when nothing waits before it, else
 * behind the backlog. A broken receive ring loses the frame; the next kick reports it. */
static int net_deliver(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;
	unsigned tail;

	if (len > NET_MAX_FRAME || !virtio_dev_live(&n->vdev) ||
	    !n->vdev.vq[NET_RXQ].ready || n->vdev.vq[NET_RXQ].broken) {
		count(&n->c.rx_dropped, 1);
		return -ENOBUFS;
	}
	if (!n->bl_count) {
		int rc = rx_one(n, frame, len);

		if (rc > 0)
			return 0;
		if (rc < 0) {
			count(&n->c.rx_dropped, 1);
			return -ENOBUFS;
		}
	}
	if (n->bl_count == NET_BACKLOG) {
		count(&n->c.rx_dropped, 1);
		return -ENOBUFS;
	}
	tail = (n->bl_head + n->bl_count) % NET_BACKLOG;
	n->backlog[tail].len = (uint16_t)len;
	memcpy(n->backlog[tail].data, frame, len);
	n->bl_count++;
	return 0;
}

/* Frames wait for buffers: ask the driver to kick when it adds some (with EVENT_IDX nothing
 * but this moves avail_event, so a driver refilling silently would stall the backlog). True
 * if buffers came meanwhile. */
static bool rx_want_buffers(struct virtio_net *n)
{
	struct virtq *vq = &n->vdev.vq[NET_RXQ];

	return n->bl_count && vq->ready && !vq->broken && virtq_enable_notify(vq);
}

/* Services the backend, then hands on what it delivered; reads more from the host only while
 * nothing waits for guest buffers. */
static int net_service(struct virtio_net *n)
{
	for (unsigned round = 0; round < 4; round++) {
		int rc = rx_drain(n);

		if (rc < 0)
			return rc;
		if (rx_want_buffers(n))
			continue;
		n->be->ops->poll(n->be, n->bl_count == 0);
		if (n->vdev.vq[NET_RXQ].broken)
			return -EIO;
		if (!rx_want_buffers(n))
			break;
	}
	return 0;
}

static void net_send(void *opaque, const uint8_t *frame, size_t len)
{
	struct virtio_net *n = opaque;

	n->be->ops->send(n->be, frame, len);
}

static int net_transmit(struct virtio_net *n)
{
	struct virtq *vq = &n->vdev.vq[NET_TXQ];
	const struct net_offload o = {
	    .csum = virtio_has_feature(&n->vdev, VIRTIO_NET_F_CSUM),
	    .tso = virtio_has_feature(&n->vdev, VIRTIO_NET_F_HOST_TSO4),
	    .segment = !n->be->tso_whole,
	};
	int rc;
	bool sent = false;

	while ((rc = virtq_pop(vq, &n->tx_req)) > 0) {
		struct net_hdr h;
		size_t len;

		if (net_tx_decode(&n->tx_req, n->frame, o.tso ? NET_MAX_GSO_FRAME : NET_MAX_FRAME,
				  &len, &h) ||
		    net_offload_tx(&o, &h, n->frame, len, n->seg, net_send, n)) {
			count(&n->c.tx_dropped, 1);
		} else {
			virtio_dev_count(&n->vdev, len);
			count(&n->c.tx_packets, 1);
			count(&n->c.tx_bytes, len);
			if (h.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
				count(&n->c.tx_csum, 1);
			if (h.gso_type != VIRTIO_NET_HDR_GSO_NONE)
				count(&n->c.tx_tso, 1);
			sent = true;
		}
		virtq_push(vq, n->tx_req.head, 0);
	}
	if (rc == 0 && sent)
		rc = net_service(n); /* replies (ACKs, DNS) and interest after the send */
	return rc;
}

static int net_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_net *n = to_net(d);
	int rc;

	if (q == NET_TXQ)
		return net_transmit(n);
	/* new receive buffers: the backlog first, then the host again; the buffers left stay
	 * for frames to come */
	rc = net_service(n);
	return rc < 0 ? rc : VIRTIO_QUEUE_WAIT;
}

static int net_host_event(struct virtio_dev *d)
{
	return net_service(to_net(d)); /* the transport interrupts for what was pushed */
}

static uint64_t net_config_read(struct virtio_dev *d, uint32_t offset, unsigned size)
{
	struct virtio_net *n = to_net(d);
	uint8_t cfg[NET_CONFIG_SIZE] = {0};
	uint64_t v = 0;

	memcpy(cfg, n->mac, 6);
	cfg[6] = VIRTIO_NET_S_LINK_UP; /* le16 status */
	for (unsigned i = 0; i < size && offset + i < sizeof(cfg); i++)
		v |= (uint64_t)cfg[offset + i] << (8 * i);
	return v;
}

/* Frames waiting belonged to the old driver's network view: dropped. The backend stops
 * watching its descriptors until the driver is back (DRIVER_OK kicks every queue). */
static void net_reset(struct virtio_dev *d)
{
	struct virtio_net *n = to_net(d);

	count(&n->c.rx_dropped, n->bl_count);
	n->bl_head = n->bl_count = 0;
	n->be->ops->quiesce(n->be);
}

static void net_stats(struct virtio_dev *d, FILE *out)
{
	struct virtio_net *n = to_net(d);

	fprintf(out,
		"  %-14s %02x:%02x:%02x:%02x:%02x:%02x rx %" PRIu64 " packets %" PRIu64
		" bytes %" PRIu64 " dropped, tx %" PRIu64 " packets %" PRIu64 " bytes %" PRIu64
		" dropped, offloads %" PRIu64 " checksums %" PRIu64 " tso\n",
		"", n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4], n->mac[5],
		(uint64_t)atomic_load(&n->c.rx_packets), (uint64_t)atomic_load(&n->c.rx_bytes),
		(uint64_t)atomic_load(&n->c.rx_dropped), (uint64_t)atomic_load(&n->c.tx_packets),
		(uint64_t)atomic_load(&n->c.tx_bytes), (uint64_t)atomic_load(&n->c.tx_dropped),
		(uint64_t)atomic_load(&n->c.tx_csum), (uint64_t)atomic_load(&n->c.tx_tso));
}

static void net_destroy(struct virtio_dev *d)
{
	struct virtio_net *n = to_net(d);

	if (n->be)
		n->be->ops->destroy(n->be);
	if (d->host_fd >= 0)
		close(d->host_fd);
	free(n);
}

static const struct virtio_device_ops virtio_net_ops = {
    .name = "virtio-net",
    .device_id = VIRTIO_ID_NET,
    .num_queues = 2,
    .queue_max = 256,
    .features = VIRTIO_FEATURE(VIRTIO_NET_F_MAC) | VIRTIO_FEATURE(VIRTIO_NET_F_STATUS) |
		VIRTIO_FEATURE(VIRTIO_NET_F_CSUM) | VIRTIO_FEATURE(VIRTIO_NET_F_GUEST_CSUM) |
		VIRTIO_FEATURE(VIRTIO_NET_F_HOST_TSO4),
    .config_size = NET_CONFIG_SIZE,
    .config_read = net_config_read,
    .queue_notify = net_queue_notify,
    .host_event = net_host_event,
    .reset = net_reset,
    .stats = net_stats,
    .destroy = net_destroy,
};

/* The device on a backend made by make (the tests pass a fake one). */
static int virtio_net_create_on(const struct net_opts *o,
				int (*make)(const struct net_opts *, int, net_deliver_fn, void *,
					    struct net_backend **, struct vmm_err *),
				struct virtio_dev **out, struct vmm_err *err)
{
	struct virtio_net *n = calloc(1, sizeof(*n));
	int rc;

	*out = NULL;
	if (!n)
		return vmm_err_set(err, -ENOMEM, "virtio-net: out of memory");
	virtio_dev_init(&n->vdev, &virtio_net_ops);
	memcpy(n->mac, o->mac, 6);
	n->vdev.host_fd = epoll_create1(EPOLL_CLOEXEC);
	if (n->vdev.host_fd < 0) {
		rc = -errno;
		free(n);
		return vmm_err_set(err, rc, "virtio-net: epoll: %s", strerror(-rc));
	}
	rc = make(o, n->vdev.host_fd, net_deliver, n, &n->be, err);
	if (rc) {
		net_destroy(&n->vdev);
		return rc;
	}
	*out = &n->vdev;
	return 0;
}

int virtio_net_create(const struct net_opts *o, struct virtio_dev **out, struct vmm_err *err)
{
	return virtio_net_create_on(o, o->type == NET_TAP ? net_tap_create : net_slirp_create, out,
				    err);
}
