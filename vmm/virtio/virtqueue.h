/* SPDX-License-Identifier: MIT */
/* Split virtqueues (VIRTIO 1.2, 2.7): the one implementation every device uses, with
 * indirect descriptors (VIRTIO_F_INDIRECT_DESC) and notification suppression by event index
 * (VIRTIO_F_EVENT_IDX). The rings are little-endian (a modern device), in guest RAM, shared
 * with a driver that may be hostile.
 *
 * What a driver may not do, and what it gets (QEMU's virtio_error in spirit): a ring outside
 * RAM or misaligned, a queue size that is not a power of two or above the maximum (at
 * virtq_enable); an avail index that runs more than the queue size ahead, a head or next index
 * outside its table, a descriptor loop, a chain longer than its table or VIRTQ_MAX_SEGS, a
 * buffer or an indirect table outside RAM (wrapping lengths included), an indirect table of a
 * bad size, with NEXT, nested, or without the feature, a device-readable buffer after a
 * device-writable one (at virtq_pop). Each is -EIO: the queue is broken from then on and the
 * device sets DEVICE_NEEDS_RESET (device.c). Nothing outside RAM is ever read or written:
 * every address goes through vmm_guest_ptr, and each descriptor is read once into a local
 * copy, so a guest rewriting it meanwhile changes nothing that was checked.
 *
 * Threads: one thread uses a queue at a time (the device's, under its lock); the guest's
 * vcpu shares the rings, hence the acquire/release accesses and the fences where the
 * protocol needs them (an index published, then the other side's event index read).
 */
#ifndef VMM_VIRTIO_VIRTQUEUE_H
#define VMM_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "error.h"
#include "guest_mem.h"

#define VIRTQ_MAX_SIZE 256  /* the largest queue a device offers (QueueNumMax) */
#define VIRTQ_MAX_SEGS 1024 /* buffers in one request, indirect tables included */

#define VIRTQ_DESC_F_NEXT	   1
#define VIRTQ_DESC_F_WRITE	   2
#define VIRTQ_DESC_F_INDIRECT	   4
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY	   1

struct virtq {
	/* set up by the driver through the transport while the queue is not ready */
	uint16_t num;				/* queue size the driver chose */
	uint64_t desc_gpa, avail_gpa, used_gpa; /* descriptor area, driver area, device area */
	bool ready;

	/* checked at virtq_enable */
	const struct vmm_guest_mem *mem;
	uint8_t *desc, *avail, *used;
	bool event_idx, indirect; /* the features negotiated */

	/* the device's side */
	uint16_t last_avail;	 /* next avail ring entry to take */
	uint16_t used_idx;	 /* next used ring entry to fill (what used->idx says) */
	uint16_t signalled_used; /* used_idx when the driver was last considered for an interrupt */
	bool broken;		 /* the driver broke the protocol: -EIO from now on */
	const char *error;	 /* why (a constant string) */
};

/* One request: a descriptor chain, its buffers as host iovecs, device-readable ones first
 * ([0, nr_rd)), then device-writable ones ([nr_rd, nr_rd + nr_wr)); zero-length buffers are
 * left out. The pointers stay valid until the device resets. */
struct virtq_req {
	uint16_t head;
	unsigned nr_rd, nr_wr;
	uint64_t rd_len, wr_len; /* bytes, summed (at most VIRTQ_MAX_SEGS * 4 GiB) */
	struct iovec iov[VIRTQ_MAX_SEGS];
};

/* The queue to its reset state (not ready, no rings, size max). */
void virtq_reset(struct virtq *vq, uint16_t max);
/* QueueReady = 1: checks size and rings against guest memory and makes the queue usable.
 * 0, or -EINVAL with vq->error set (the queue stays not ready). */
VMM_MUST_CHECK int virtq_enable(struct virtq *vq, uint16_t max, const struct vmm_guest_mem *mem,
				bool event_idx, bool indirect);

/* The next request: 1 (req filled), 0 (none available), -EIO (broken: vq->error says why). */
VMM_MUST_CHECK int virtq_pop(struct virtq *vq, struct virtq_req *req);
/* Hands a request back as used, len bytes written into its writable buffers. */
void virtq_push(struct virtq *vq, uint16_t head, uint32_t len);
/* After a round of pops: ask the driver to notify for what it adds next (clears NO_NOTIFY, or
 * sets avail_event to last_avail), then look again. True if more requests are there already
 * (process them: the driver will not notify for those). */
bool virtq_enable_notify(struct virtq *vq);
/* Suppress notifications while processing (NO_NOTIFY; with EVENT_IDX, a stale avail_event
 * already does that). */
void virtq_disable_notify(struct virtq *vq);
/* Does the driver want an interrupt for what was pushed since the last call (its used_event,
 * or NO_INTERRUPT)? */
bool virtq_should_signal(struct virtq *vq);

/* Copies between a request's buffers and the host: offset counts from the first readable
 * (copy_from) or writable (copy_to) byte. Returns the bytes copied (short at the end). */
size_t virtq_req_copy_from(const struct virtq_req *req, uint64_t offset, void *dst, size_t len);
size_t virtq_req_copy_to(const struct virtq_req *req, uint64_t offset, const void *src, size_t len);

#endif
