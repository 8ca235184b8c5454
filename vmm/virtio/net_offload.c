// SPDX-License-Identifier: MIT
/* virtio-net's transmit offloads (see net.h): the checksum the guest left to the device
 * (CSUM), and TCP/IPv4 frames of up to 64 KiB (HOST_TSO4) finished whole or cut into
 * MTU-sized segments. Apart from the device so the fuzz harness drives it on hostile frames.
 * Every offset the guest gives is checked against the frame before use. */
#include <errno.h>
#include <string.h>

#include "virtio/net.h"

#define ETH_HLEN      14
#define ETH_P_IPV4    0x0800
#define IPPROTO_TCP_  6
#define TCP_FIN	      0x01
#define TCP_PSH	      0x08
#define TCP_CWR	      0x80

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint32_t net_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t s = sum;

	for (; len >= 2; p += 2, len -= 2)
		s += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t net_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* NEEDS_CSUM without GSO: the sum of [csum_start, len), seeded by the pseudo-header sum the
 * guest put in the field, goes into the field (0 sent as 0xffff, as Linux does: for UDP a 0
 * would mean "no checksum"). */
static int finish_csum(const struct net_hdr *h, uint8_t *frame, size_t len)
{
	size_t at = (size_t)h->csum_start + h->csum_offset;
	uint16_t c;

	if (h->csum_start >= len || at + 2 > len)
		return -EINVAL;
	c = net_csum_fold(net_csum_add(0, frame + h->csum_start, len - h->csum_start));
	put_be16(frame + at, c ? c : 0xffff);
	return 0;
}

/* Where a TCP/IPv4 frame's headers are. */
struct tcp4 {
	size_t ip, tcp, payload; /* offsets of the IP header, the TCP header, the payload */
};

static int parse_tcp4(const uint8_t *f, size_t len, struct tcp4 *t)
{
	size_t ihl, doff;

	if (len < ETH_HLEN + 20 || be16(f + 12) != ETH_P_IPV4)
		return -EINVAL;
	t->ip = ETH_HLEN;
	ihl = (size_t)(f[t->ip] & 15) * 4;
	if (f[t->ip] >> 4 != 4 || ihl < 20 || f[t->ip + 9] != IPPROTO_TCP_ ||
	    t->ip + ihl + 20 > len || be16(f + t->ip + 2) != len - ETH_HLEN)
		return -EINVAL;
	if (be16(f + t->ip + 6) & 0x3fff) /* a fragment (MF or an offset) cannot be segmented */
		return -EINVAL;
	t->tcp = t->ip + ihl;
	doff = (size_t)(f[t->tcp + 12] >> 4) * 4;
	if (doff < 20 || t->tcp + doff > len)
		return -EINVAL;
	t->payload = t->tcp + doff;
	return 0;
}

/* The IPv4 header checksum and the TCP checksum (pseudo-header, header, payload) of the
 * frame f as it stands (len bytes, headers at t). */
static void tcp4_checksums(uint8_t *f, size_t len, const struct tcp4 *t)
{
	uint8_t pseudo[12];
	uint32_t sum;

	put_be16(f + t->ip + 10, 0);
	put_be16(f + t->ip + 10, net_csum_fold(net_csum_add(0, f + t->ip, t->tcp - t->ip)));
	memcpy(pseudo, f + t->ip + 12, 8); /* source and destination addresses */
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP_;
	put_be16(pseudo + 10, (uint16_t)(len - t->tcp));
	put_be16(f + t->tcp + 16, 0);
	sum = net_csum_add(net_csum_add(0, pseudo, sizeof(pseudo)), f + t->tcp, len - t->tcp);
	put_be16(f + t->tcp + 16, net_csum_fold(sum));
}

/* Cuts the GSO frame into segments of h->gso_size payload bytes in seg. */
static int segment_tcp4(const struct net_hdr *h, const uint8_t *f, size_t len,
			const struct tcp4 *t, uint8_t *seg, net_emit_fn emit, void *opaque)
{
	size_t hl = t->payload, payload = len - hl, mss = h->gso_size;
	uint16_t id = be16(f + t->ip + 4);
	uint32_t seq = (uint32_t)f[t->tcp + 4] << 24 | (uint32_t)f[t->tcp + 5] << 16 |
		       (uint32_t)f[t->tcp + 6] << 8 | f[t->tcp + 7];
	uint8_t flags = f[t->tcp + 13];

	if (!mss || hl + mss > NET_MAX_FRAME)
		return -EINVAL;
	for (size_t off = 0, i = 0; off < payload || (payload == 0 && i == 0); off += mss, i++) {
		size_t n = payload - off < mss ? payload - off : mss;
		bool last = off + n >= payload;
		uint32_t s = seq + (uint32_t)off;

		memcpy(seg, f, hl);
		memcpy(seg + hl, f + hl + off, n);
		put_be16(seg + t->ip + 2, (uint16_t)(hl - ETH_HLEN + n));
		put_be16(seg + t->ip + 4, (uint16_t)(id + i));
		seg[t->tcp + 4] = (uint8_t)(s >> 24);
		seg[t->tcp + 5] = (uint8_t)(s >> 16);
		seg[t->tcp + 6] = (uint8_t)(s >> 8);
		seg[t->tcp + 7] = (uint8_t)s;
		seg[t->tcp + 13] = (uint8_t)(flags & ~(last ? 0 : TCP_FIN | TCP_PSH) &
					     ~(i == 0 ? 0 : TCP_CWR));
		tcp4_checksums(seg, hl + n, t);
		emit(opaque, seg, hl + n);
	}
	return 0;
}

int net_offload_tx(const struct net_offload *o, const struct net_hdr *h, uint8_t *frame,
		   size_t len, uint8_t *seg, net_emit_fn emit, void *opaque)
{
	uint8_t gso = h->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
	struct tcp4 t;
	int rc;

	if ((h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) && !o->csum)
		return -EINVAL;
	if (gso == VIRTIO_NET_HDR_GSO_NONE) {
		if (h->gso_type != VIRTIO_NET_HDR_GSO_NONE || len > NET_MAX_FRAME)
			return -EINVAL;
		if (h->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			rc = finish_csum(h, frame, len);
			if (rc)
				return rc;
		}
		emit(opaque, frame, len);
		return 0;
	}
	/* TCPV4: checksums from the headers, not from the guest's csum_start (the same bytes
	 * for an honest guest; a dishonest one cannot make them point elsewhere) */
	if (gso != VIRTIO_NET_HDR_GSO_TCPV4 || !o->tso || parse_tcp4(frame, len, &t))
		return -EINVAL;
	if (o->segment)
		return segment_tcp4(h, frame, len, &t, seg, emit, opaque);
	tcp4_checksums(frame, len, &t);
	emit(opaque, frame, len);
	return 0;
}
