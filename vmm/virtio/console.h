/* SPDX-License-Identifier: MIT */
/* virtio-console (VIRTIO 1.2, 5.3) with one port and no features: Linux's hvc0. Queue 0
 * (receiveq) gets host input, queue 1 (transmitq) carries guest output to the backend.
 *
 * Sharing the terminal with the UART (the board's choice, see boards/ppc440.c): both write to
 * the same console, so a kernel with console=ttyS0 console=hvc0 prints on both into one
 * stream; input goes to one of them only -- the device given a backend that reads. Input the
 * guest has no buffer for yet waits in the device (nothing is dropped), and the console's
 * reader stops reading when its own queue is full.
 */
#ifndef VMM_VIRTIO_CONSOLE_H
#define VMM_VIRTIO_CONSOLE_H

#include "chardev.h"
#include "error.h"
#include "virtio/virtio.h"

/* A new device writing to and (if backend->read) reading from backend. 0, -ENOMEM or an
 * eventfd error. */
VMM_MUST_CHECK int virtio_console_create(const struct vmm_chardev *backend,
					 struct virtio_dev **out);
/* The backend may have input now (any thread): the device thread will look. */
void virtio_console_input(struct virtio_dev *d);

#endif
