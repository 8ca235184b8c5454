// SPDX-License-Identifier: MIT
/* Fuzz harness for virtio-blk's request decoder and I/O (vmm/virtio/blk.c): the queue of
 * fuzz_virtq.c (same input layout), each popped request decoded by blk_decode and, when it is
 * one, carried out at once by blk_do against a 64 KiB image in a memfd (so no file is
 * touched), then answered as the device answers it. Whatever the bytes say, the device must
 * only touch the fake RAM (ASan sees any access outside it), never the image outside its 64
 * KiB (the memfd must keep its size), and end.
 *
 * The standalone generator leaves buffers mostly zeroed (every request a read of sector 0),
 * so the header is first rewritten in the fake RAM -- as a guest could -- from the request's
 * own shape: any request type (known or not) and sectors around the image's end. The rewrite
 * is a function of the input, so libFuzzer can still steer it.
 */
#define _GNU_SOURCE
#include <sys/mman.h>

#include "../../vmm/error.c"
#include "../../vmm/virtio/blk.c"
#include "fuzz_virtq.h"

#define IMAGE_SIZE (64u << 10)

/* blk.c's calls into the transport (device.c), which the harness has no use for. */
void virtio_dev_init(struct virtio_dev *d, const struct virtio_device_ops *ops)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->host_fd = -1;
}

void virtio_dev_count(struct virtio_dev *d, uint64_t bytes)
{
	atomic_fetch_add(&d->stats.requests, 1);
	atomic_fetch_add(&d->stats.bytes, bytes);
}

static void shape_header(const struct virtq_req *req, uint64_t sectors)
{
	static const uint32_t types[] = {VIRTIO_BLK_T_IN,
					 VIRTIO_BLK_T_OUT,
					 VIRTIO_BLK_T_FLUSH,
					 VIRTIO_BLK_T_GET_ID,
					 VIRTIO_BLK_T_DISCARD,
					 VIRTIO_BLK_T_WRITE_ZEROES,
					 3,
					 0xffffffffu};
	uint64_t h = req->head + 3u * req->nr_rd + 7u * req->nr_wr + req->rd_len * 31 + req->wr_len;
	uint8_t hdr[16] = {0};

	if (req->nr_rd == 0 || req->iov[0].iov_len < 16)
		return; /* a short first buffer stays as the bytes made it */
	vmm_store_le(hdr, 4, types[h % 8]);
	vmm_store_le(hdr + 8, 8,
		     (h >> 3) % 4 ? (h >> 5) % (sectors + 4) : h * 0x9e3779b97f4a7c15ull);
	memcpy(req->iov[0].iov_base, hdr, sizeof(hdr));
	if (req->nr_rd > 1 && req->iov[1].iov_len >= 16) { /* a discard segment */
		uint8_t seg[16] = {0};

		vmm_store_le(seg, 8, (h >> 7) % (sectors + 4));
		vmm_store_le(seg + 8, 4, (h >> 9) % 4 ? (uint32_t)((h >> 11) % 64) : (uint32_t)h);
		vmm_store_le(seg + 12, 4, (h >> 13) % 3);
		memcpy(req->iov[1].iov_base, seg, sizeof(seg));
	}
}

static void blk_handle(void *opaque, struct virtq *vq, struct virtq_req *req)
{
	struct virtio_blk *b = opaque;
	uint8_t *status = blk_status_byte(req);
	struct blk_io *io;
	uint32_t written;
	int st;

	if (!status) {
		virtq_push(vq, req->head, 0);
		return;
	}
	shape_header(req, b->sectors);
	st = blk_decode(b, req, status, &io, &written);
	if (st < 0) {
		st = blk_do(b, io);
		written = st == VIRTIO_BLK_S_OK ? io->written : 1;
		free(io);
	} else if (st != VIRTIO_BLK_S_OK) {
		written = 1;
	}
	*status = (uint8_t)st;
	virtq_push(vq, req->head, written);
}

int fuzz_blk_run(const uint8_t *data, size_t size)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));
	struct stat st;

	if (!b)
		abort();
	b->fd = memfd_create("fuzz-blk", MFD_CLOEXEC);
	if (b->fd < 0 || ftruncate(b->fd, IMAGE_SIZE) < 0)
		abort();
	b->sectors = IMAGE_SIZE / VIRTIO_BLK_SECTOR;
	b->ro = size && (data[size - 1] & 1);
	memcpy(b->serial, "FUZZSERIAL", 10);
	fuzz_virtq_drive(data, size, blk_handle, b);
	if (fstat(b->fd, &st) < 0 || st.st_size != IMAGE_SIZE)
		abort(); /* the device wrote beyond the image */
	close(b->fd);
	free(b);
	return 0;
}

#ifdef FUZZ_BLK_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_blk_run(data, size);
}
#endif
