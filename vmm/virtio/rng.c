// SPDX-License-Identifier: MIT
/* virtio-rng (see rng.h). */
#include "virtio/rng.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/random.h>

#include "machine.h"

struct virtio_rng {
	struct virtio_dev vdev;
	struct virtq_req req;
};

/* Fills up to len bytes at p; returns how many (fewer only if the host's source fails). */
static size_t rng_fill(uint8_t *p, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = getrandom(p + done, len - done, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	return done;
}

static int rng_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_rng *r = vmm_container_of(d, struct virtio_rng, vdev);
	int rc;

	while ((rc = virtq_pop(&d->vq[q], &r->req)) > 0) {
		const struct virtq_req *req = &r->req;
		size_t left = VIRTIO_RNG_MAX_REQUEST, written = 0;

		for (unsigned i = req->nr_rd; i < req->nr_rd + req->nr_wr && left; i++) {
			size_t n = req->iov[i].iov_len < left ? req->iov[i].iov_len : left;
			size_t got = rng_fill(req->iov[i].iov_base, n);

			written += got;
			left -= n;
			if (got < n)
				break;
		}
		virtq_push(&d->vq[q], req->head, (uint32_t)written);
		virtio_dev_count(d, written);
	}
	return rc;
}

static void rng_destroy(struct virtio_dev *d)
{
	free(vmm_container_of(d, struct virtio_rng, vdev));
}

static const struct virtio_device_ops virtio_rng_ops = {
    .name = "virtio-rng",
    .device_id = VIRTIO_ID_RNG,
    .num_queues = 1,
    .queue_max = 64,
    .queue_notify = rng_queue_notify,
    .destroy = rng_destroy,
};

int virtio_rng_create(struct virtio_dev **out)
{
	struct virtio_rng *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return -ENOMEM;
	virtio_dev_init(&r->vdev, &virtio_rng_ops);
	*out = &r->vdev;
	return 0;
}
