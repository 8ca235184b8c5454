/* SPDX-License-Identifier: MIT */
/* virtio-rng (VIRTIO 1.2, 5.4): one queue of device-writable buffers, filled from the host's
 * getrandom(2). */
#ifndef VMM_VIRTIO_RNG_H
#define VMM_VIRTIO_RNG_H

#include "error.h"
#include "virtio/virtio.h"

/* At most this many bytes per request, whatever its buffers add up to: a guest cannot make
 * the device thread fill gigabytes in one go (the used length says what was written). */
#define VIRTIO_RNG_MAX_REQUEST (64u << 10)

/* A new device, for virtio_dev_add. 0 or -ENOMEM. */
VMM_MUST_CHECK int virtio_rng_create(struct virtio_dev **out);

#endif
