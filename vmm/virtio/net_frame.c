// SPDX-License-Identifier: MIT
/* virtio-net's two decoders, apart from the device so the fuzz harness drives them on hostile
 * chains (tests/fuzz/fuzz_virtq.c). See net.h for what a bad chain gets. */
#include <errno.h>

#include "virtio/net.h"

int net_tx_decode(const struct virtq_req *req, uint8_t *frame, size_t *len)
{
	uint64_t n = req->rd_len;

	if (n < VIRTIO_NET_HDR_LEN || n - VIRTIO_NET_HDR_LEN > NET_MAX_FRAME)
		return -EINVAL;
	n -= VIRTIO_NET_HDR_LEN;
	*len = virtq_req_copy_from(req, VIRTIO_NET_HDR_LEN, frame, (size_t)n);
	return 0;
}

int net_rx_encode(const struct virtq_req *req, const uint8_t *frame, size_t len, uint32_t *used)
{
	/* flags 0, gso NONE, no checksum help; num_buffers = 1 (le16 at offset 10) */
	static const uint8_t hdr[VIRTIO_NET_HDR_LEN] = {[10] = 1};

	*used = 0;
	if (len > NET_MAX_FRAME || req->wr_len < VIRTIO_NET_HDR_LEN + len)
		return -ENOSPC;
	(void)virtq_req_copy_to(req, 0, hdr, sizeof(hdr));
	(void)virtq_req_copy_to(req, VIRTIO_NET_HDR_LEN, frame, len);
	*used = (uint32_t)(VIRTIO_NET_HDR_LEN + len);
	return 0;
}
