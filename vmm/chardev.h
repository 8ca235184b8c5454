/* SPDX-License-Identifier: MIT */
/* A host byte stream behind a device (the console today; files, sockets, ptys later): the
 * backend table a UART or virtio-console talks to.
 */
#ifndef VMM_CHARDEV_H
#define VMM_CHARDEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vmm_chardev {
	/* Writes all of buf: 0, or a negative errno when the host side is gone (EPIPE...). */
	int (*write)(void *opaque, const uint8_t *buf, size_t len);
	/* Never blocks: the number of bytes read, 0 if none is available (or at end of
	 * input), or a negative errno. */
	ssize_t (*read)(void *opaque, uint8_t *buf, size_t len);
	void *opaque;
};

#endif
