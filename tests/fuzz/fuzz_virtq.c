// SPDX-License-Identifier: MIT
/* Fuzz harness for the virtqueue parser (vmm/virtio/virtqueue.c): an input is a queue's setup
 * and the contents of a small guest RAM, rings and buffers included. The device side then does
 * what a device does -- pop every request, read all it may read, write all it may write, push
 * it back, decide on interrupts and notifications -- and whatever the bytes say, it must only
 * touch the fake RAM (an allocation of exactly its size, so AddressSanitizer sees any access
 * outside it) and must end.
 *
 * Each request also goes through virtio-net's decoders (vmm/virtio/net_frame.c) and its
 * transmit offloads (net_offload.c: checksums, TSO segmentation).
 *
 * Input layout (little-endian):
 *   0-1   queue size (any 16-bit value: the setup checks are fuzzed too)
 *   2     bit 0 EVENT_IDX, bit 1 INDIRECT_DESC, bit 2: ring addresses are full 64-bit
 *   3-26  descriptor, driver and device area: offsets into RAM (2 bytes each, at 3, 5, 7)
 *         or, with bit 2, three 64-bit guest-physical addresses
 *   27-   RAM contents (the rest is zero)
 * Built two ways, as fuzz_core: libFuzzer (`make fuzz`: build-fuzz/fuzz_virtq) and the
 * deterministic fuzz_virtq_standalone the suite runs under the sanitizers.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_virtq.h"
#include "virtio/net.h"
#include "virtio/virtqueue.h"

#define RAM_GPA	     0x100000ull
#define RAM_SIZE     0x4000u
#define HEADER	     27
#define MAX_REQUESTS 64

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Every byte of every buffer, read or written; and the request as virtio-net's transmit and
 * receive decoders take it (scratch holds RAM_SIZE bytes). */
static void emitted(void *opaque, const uint8_t *frame, size_t len)
{
	const struct net_offload *o = opaque;

	if (len > NET_MAX_FRAME && o->segment)
		abort();
}

static void use(struct virtq_req *req, uint8_t *scratch)
{
	uint64_t off = 0;
	struct net_hdr hdr;
	size_t len;
	uint32_t used;

	if (net_tx_decode(req, scratch, RAM_SIZE, &len, &hdr) == 0) {
		/* the offloads on what the guest claims: every frame sent fits a wire */
		static uint8_t seg[NET_MAX_FRAME];
		struct net_offload o = {.csum = true, .tso = true, .segment = hdr.csum_start & 1};

		if (len > RAM_SIZE)
			abort();
		(void)net_offload_tx(&o, &hdr, scratch, len, seg, emitted, &o);
	}
	if (net_rx_encode(req, scratch, 60 + req->rd_len % NET_MAX_FRAME, 0, &used) == 0 &&
	    used > req->wr_len)
		abort();

	/* a request's buffers may add up to more than RAM (they may overlap): in slices */
	while (off < req->rd_len) {
		size_t n = virtq_req_copy_from(req, off, scratch, RAM_SIZE);

		if (!n)
			break;
		off += n;
	}
	for (off = 0; off < req->wr_len;) {
		size_t n = virtq_req_copy_to(req, off, scratch, RAM_SIZE);

		if (!n)
			break;
		off += n;
	}
}

int fuzz_virtq_drive(const uint8_t *data, size_t size, fuzz_virtq_handler handle, void *opaque)
{
	uint8_t hdr[HEADER] = {0};
	struct vmm_ram ram;
	struct vmm_guest_mem mem;
	struct virtq vq;
	struct virtq_req *req;

	memcpy(hdr, data, size < HEADER ? size : HEADER);
	ram = (struct vmm_ram){.host = calloc(1, RAM_SIZE), .gpa = RAM_GPA, .size = RAM_SIZE};
	req = malloc(sizeof(*req));
	if (!ram.host || !req)
		abort();
	if (size > HEADER)
		memcpy(ram.host, data + HEADER,
		       size - HEADER < RAM_SIZE ? size - HEADER : RAM_SIZE);
	mem = (struct vmm_guest_mem){.region = {&ram}, .nr = 1};

	virtq_reset(&vq, VIRTQ_MAX_SIZE);
	vq.num = (uint16_t)le(hdr, 2);
	if (hdr[2] & 4) {
		vq.desc_gpa = le(hdr + 3, 8);
		vq.avail_gpa = le(hdr + 11, 8);
		vq.used_gpa = le(hdr + 19, 8);
	} else {
		vq.desc_gpa = RAM_GPA + le(hdr + 3, 2);
		vq.avail_gpa = RAM_GPA + le(hdr + 5, 2);
		vq.used_gpa = RAM_GPA + le(hdr + 7, 2);
	}
	if (virtq_enable(&vq, VIRTQ_MAX_SIZE, &mem, hdr[2] & 1, hdr[2] & 2) == 0) {
		for (unsigned round = 0; round < 2; round++) {
			for (unsigned i = 0; i < MAX_REQUESTS; i++) {
				int rc = virtq_pop(&vq, req);

				if (rc <= 0)
					break;
				handle(opaque, &vq, req);
			}
			(void)virtq_should_signal(&vq);
			virtq_disable_notify(&vq);
			if (!virtq_enable_notify(&vq))
				break;
		}
	}
	free(req);
	free(ram.host);
	return 0;
}

/* The generic device: every byte read and written, all of it used. */
static void use_all(void *opaque, struct virtq *vq, struct virtq_req *req)
{
	use(req, opaque);
	virtq_push(vq, req->head, (uint32_t)req->wr_len);
}

int fuzz_virtq_run(const uint8_t *data, size_t size)
{
	uint8_t *scratch = malloc(RAM_SIZE);
	int rc;

	if (!scratch)
		abort();
	rc = fuzz_virtq_drive(data, size, use_all, scratch);
	free(scratch);
	return rc;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_virtq_run(data, size);
}
#endif
