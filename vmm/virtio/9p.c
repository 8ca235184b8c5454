// SPDX-License-Identifier: MIT
/* virtio-9p (see 9p.h): moves each request's message into a host buffer, lets the 9P server
 * answer it and copies the reply back. A message larger than the server's msize is cut to it
 * (the server then finds its size field too big and answers Rlerror); a reply larger than the
 * writable buffers cannot happen (the server writes at most that much). */
#include "virtio/9p.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "virtio/p9_server.h"

struct virtio_9p {
	struct virtio_dev vdev;
	struct p9_server srv;
	uint16_t tag_len;
	char tag[VIRTIO_9P_TAG_MAX];
	uint8_t *msg, *rep; /* P9_MSIZE_MAX each */
	struct virtq_req req;
};

static int p9dev_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_9p *p = vmm_container_of(d, struct virtio_9p, vdev);
	int rc;

	while ((rc = virtq_pop(&d->vq[q], &p->req)) > 0) {
		const struct virtq_req *req = &p->req;
		size_t len = req->rd_len < P9_MSIZE_MAX ? req->rd_len : P9_MSIZE_MAX;
		size_t cap = req->wr_len < P9_MSIZE_MAX ? req->wr_len : P9_MSIZE_MAX, rlen;

		len = virtq_req_copy_from(req, 0, p->msg, len);
		rlen = p9_server_handle(&p->srv, p->msg, len, p->rep, cap);
		rlen = virtq_req_copy_to(req, 0, p->rep, rlen);
		virtq_push(&d->vq[q], req->head, (uint32_t)rlen);
		virtio_dev_count(d, len + rlen);
	}
	return rc;
}

static uint64_t p9dev_config_read(struct virtio_dev *d, uint32_t offset, unsigned size)
{
	struct virtio_9p *p = vmm_container_of(d, struct virtio_9p, vdev);
	uint8_t cfg[2 + VIRTIO_9P_TAG_MAX] = {(uint8_t)p->tag_len, (uint8_t)(p->tag_len >> 8)};
	uint64_t v = 0;

	memcpy(cfg + 2, p->tag, p->tag_len);
	for (unsigned i = 0; i < size && offset + i < sizeof(cfg); i++)
		v |= (uint64_t)cfg[offset + i] << (8 * i);
	return v;
}

static void p9dev_reset(struct virtio_dev *d)
{
	p9_server_reset(&vmm_container_of(d, struct virtio_9p, vdev)->srv);
}

static void p9dev_free(struct virtio_9p *p)
{
	p9_server_destroy(&p->srv);
	free(p->msg);
	free(p->rep);
	free(p);
}

static void p9dev_destroy(struct virtio_dev *d)
{
	p9dev_free(vmm_container_of(d, struct virtio_9p, vdev));
}

static const struct virtio_device_ops virtio_9p_ops = {
    .name = "virtio-9p",
    .device_id = VIRTIO_ID_9P,
    .num_queues = 1,
    .queue_max = 128,
    .features = VIRTIO_FEATURE(VIRTIO_9P_MOUNT_TAG),
    .config_size = 2 + VIRTIO_9P_TAG_MAX,
    .config_read = p9dev_config_read,
    .queue_notify = p9dev_queue_notify,
    .reset = p9dev_reset,
    .destroy = p9dev_destroy,
};

int virtio_9p_create(const struct vmm_share *share, struct virtio_dev **out, struct vmm_err *err)
{
	struct virtio_9p *p = calloc(1, sizeof(*p));
	size_t tag_len = strlen(share->tag);
	int rc;

	*out = NULL;
	if (!p)
		return vmm_err_set(err, -ENOMEM, "--share %s: out of memory", share->dir);
	if (tag_len == 0 || tag_len > VIRTIO_9P_TAG_MAX) {
		free(p);
		return vmm_err_set(err, -EINVAL, "--share %s: a tag of 1 to %u bytes is needed",
				   share->dir, VIRTIO_9P_TAG_MAX);
	}
	rc = p9_server_init(&p->srv, share->dir, share->ro, err);
	if (rc) {
		free(p);
		return rc;
	}
	p->msg = malloc(P9_MSIZE_MAX);
	p->rep = malloc(P9_MSIZE_MAX);
	if (!p->msg || !p->rep) {
		p9dev_free(p);
		return vmm_err_set(err, -ENOMEM, "--share %s: out of memory", share->dir);
	}
	p->tag_len = (uint16_t)tag_len;
	memcpy(p->tag, share->tag, tag_len);
	virtio_dev_init(&p->vdev, &virtio_9p_ops);
	*out = &p->vdev;
	return 0;
}
