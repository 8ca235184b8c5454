/* SPDX-License-Identifier: MIT */
/* virtio-blk (VIRTIO 1.2, 5.2) on a raw image: a regular file (sparse stays sparse) or a
 * block device. One request queue; the reads, writes, flushes, discards and write-zeroes run
 * on a small pool of I/O threads (blk.c says why not io_uring), so neither the vcpu nor the
 * device thread waits for the disk. Every request is checked before any I/O: header and
 * status sizes, the direction of the data buffers, sector ranges against the image (no access
 * beyond it, whatever the numbers), lengths in whole sectors; a bad one gets IOERR or UNSUPP.
 */
#ifndef VMM_VIRTIO_BLK_H
#define VMM_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "virtio/virtio.h"

#define VIRTIO_BLK_MAX_DISKS  8
#define VIRTIO_BLK_SERIAL_MAX 20 /* VIRTIO_BLK_ID_BYTES: GET_ID answers at most this */

/* Request types and status (5.2.6). */
#define VIRTIO_BLK_T_IN		  0
#define VIRTIO_BLK_T_OUT	  1
#define VIRTIO_BLK_T_FLUSH	  4
#define VIRTIO_BLK_T_GET_ID	  8
#define VIRTIO_BLK_T_DISCARD	  11
#define VIRTIO_BLK_T_WRITE_ZEROES 13
#define VIRTIO_BLK_S_OK		  0
#define VIRTIO_BLK_S_IOERR	  1
#define VIRTIO_BLK_S_UNSUPP	  2

/* Feature bits (5.2.3). */
#define VIRTIO_BLK_F_SEG_MAX	  2
#define VIRTIO_BLK_F_RO		  5
#define VIRTIO_BLK_F_BLK_SIZE	  6
#define VIRTIO_BLK_F_FLUSH	  9
#define VIRTIO_BLK_F_DISCARD	  13
#define VIRTIO_BLK_F_WRITE_ZEROES 14

#define VIRTIO_BLK_SECTOR  512u
#define VIRTIO_BLK_SEG_MAX (VIRTQ_MAX_SEGS - 2) /* data buffers per request: all a chain holds
						  * but header and status (a 1 MiB read of
						  * scattered pages is one request) */
#define VIRTIO_BLK_MAX_IO  (1u << 22) /* sectors per discard/write-zeroes (2 GiB) */

/* --disk FILE[,ro][,cache=writeback|none][,serial=S] */
struct virtio_blk_opts {
	const char *path; /* points into the option string's copy (opts_buf) */
	bool ro;
	bool direct; /* cache=none: O_DIRECT */
	char serial[VIRTIO_BLK_SERIAL_MAX + 1];
	char opts_buf[4096];
};

/* Parses the option's argument. -EINVAL with a message. */
VMM_MUST_CHECK int virtio_blk_parse(const char *arg, struct virtio_blk_opts *o,
				    struct vmm_err *err);

/* Opens and locks the image (an OFD lock: write for rw, read for ro, as QEMU takes) and starts
 * the I/O threads. Every failure (missing, a directory, not a file or block device, locked,
 * cache=none refused by the file system) is one message naming the file. */
VMM_MUST_CHECK int virtio_blk_create(const struct virtio_blk_opts *o, struct virtio_dev **out,
				     struct vmm_err *err);

#endif
