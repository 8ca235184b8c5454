// SPDX-License-Identifier: MIT
/* virtio-net's two decoders, apart from the device so the fuzz harness drives them on hostile
 * chains (tests/fuzz/fuzz_virtq.c). See net.h for what a bad chain gets. */
#include <errno.h>

#include "virtio/net.h"

int net_tx_decode(const struct virtq_req *req, uint8_t *frame, size_t max, size_t *len,
		  struct net_hdr *hdr)
{
	uint64_t n = req->rd_len;
	uint8_t h[VIRTIO_NET_HDR_LEN];

	if (n < VIRTIO_NET_HDR_LEN || n - VIRTIO_NET_HDR_LEN > max ||
	    virtq_req_copy_from(req, 0, h, sizeof(h)) != sizeof(h))
		return -EINVAL;
	*hdr = (struct net_hdr){
	    .flags = h[0],
	    .gso_type = h[1],
	    .gso_size = (uint16_t)(h[4] | h[5] << 8),
	    .csum_start = (uint16_t)(h[6] | h[7] << 8),
	    .csum_offset = (uint16_t)(h[8] | h[9] << 8),
	};
	n -= VIRTIO_NET_HDR_LEN;
	*len = virtq_req_copy_from(req, VIRTIO_NET_HDR_LEN, frame, (size_t)n);
	return 0;
}

int net_rx_encode(const struct virtq_req *req, const uint8_t *frame, size_t len,
		  uint8_t hdr_flags, uint32_t *used)
{
	/* gso NONE, no checksum left to do; num_buffers = 1 (le16 at offset 10) */
	uint8_t hdr[VIRTIO_NET_HDR_LEN] = {[0] = hdr_flags, [10] = 1};

	*used = 0;
	if (len > NET_MAX_FRAME || req->wr_len < VIRTIO_NET_HDR_LEN + len)
		return -ENOSPC;
	(void)virtq_req_copy_to(req, 0, hdr, sizeof(hdr));
	(void)virtq_req_copy_to(req, VIRTIO_NET_HDR_LEN, frame, len);
	*used = (uint32_t)(VIRTIO_NET_HDR_LEN + len);
	return 0;
}
