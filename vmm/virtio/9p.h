/* SPDX-License-Identifier: MIT */
/* virtio-9p (VIRTIO 1.2, 5.x "9P transport"; Linux's trans=virtio): one queue of requests,
 * each a 9P message in its device-readable buffers and room for the reply in its writable
 * ones; the config space names the mount tag. The file server is p9_server.h. */
#ifndef VMM_VIRTIO_9P_H
#define VMM_VIRTIO_9P_H

#include <stdbool.h>

#include "error.h"
#include "virtio/virtio.h"

#define VIRTIO_9P_MOUNT_TAG 0	/* feature bit: the config space holds a tag */
#define VIRTIO_9P_TAG_MAX   64u /* bytes of a mount tag */

/* A --share: a host directory, the tag the guest mounts it by, read-only or not. */
struct vmm_share {
	char dir[4096];
	char tag[VIRTIO_9P_TAG_MAX + 1];
	bool ro;
};

/* A new device serving share->dir, for virtio_dev_add: 0, or -errno with a message (the
 * directory cannot be opened or is not one, no memory). */
VMM_MUST_CHECK int virtio_9p_create(const struct vmm_share *share, struct virtio_dev **out,
				    struct vmm_err *err);

#endif
