/* SPDX-License-Identifier: MIT */
#ifndef SOFTKVM_FUZZ_VIRTQ_H
#define SOFTKVM_FUZZ_VIRTQ_H
#include <stddef.h>
#include <stdint.h>
/* Run one input as a guest's virtqueue (see fuzz_virtq.c). Returns 0; a bug shows as a crash
 * or a sanitizer report. */
int fuzz_virtq_run(const uint8_t *data, size_t size);

/* The same queue set up from the input, each popped request handed to a device's handler
 * (which must push it back). */
struct virtq;
struct virtq_req;
typedef void (*fuzz_virtq_handler)(void *opaque, struct virtq *vq, struct virtq_req *req);
int fuzz_virtq_drive(const uint8_t *data, size_t size, fuzz_virtq_handler handle, void *opaque);

/* virtio-blk's request decoder and I/O (vmm/virtio/blk.c) on the same queues, against a
 * 64 KiB image in memory (fuzz_blk.c). */
int fuzz_blk_run(const uint8_t *data, size_t size);
#endif
