/* SPDX-License-Identifier: MIT */
/* Loads and stores of n-byte integers in a given byte order, from unaligned byte buffers. The
 * guest is big-endian and the host little-endian: guest data is only ever touched through these.
 */
#ifndef VMM_BYTEORDER_H
#define VMM_BYTEORDER_H

#include <stdint.h>

static inline uint64_t vmm_load_be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void vmm_store_be(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = n; i-- > 0; v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint64_t vmm_load_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static inline void vmm_store_le(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint16_t vmm_get_be16(const uint8_t *p)
{
	return (uint16_t)vmm_load_be(p, 2);
}

static inline uint32_t vmm_get_be32(const uint8_t *p)
{
	return (uint32_t)vmm_load_be(p, 4);
}

#endif
