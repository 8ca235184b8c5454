/* SPDX-License-Identifier: MIT */
/* The bytes of an MMIO exit and the values of the instruction behind it, for both cores
 * (mmio.c: the 440; book3s/pr_mmio.c: the 64-bit core). run->mmio.data is in bus order
 * (big-endian): a store of 0x11223344 is {11 22 33 44}. struct cpu_mem_op has the same
 * layout in both cores. */
#ifndef SOFTKVM_MMIO_DATA_H
#define SOFTKVM_MMIO_DATA_H

#include <stdint.h>

/* Reverse the low size (1..8) bytes of v. */
static inline uint64_t kvm_bswap_n(uint64_t v, unsigned size)
{
	return __builtin_bswap64(v) >> (64 - 8 * size);
}

/* A store's value as the bus carries it. */
static inline void kvm_mmio_store_bytes(uint64_t val, unsigned len, uint8_t *data)
{
	for (unsigned i = 0; i < len; i++)
		data[i] = (uint8_t)(val >> (8 * (len - 1 - i)));
}

/* A load's bus bytes as the register gets them: byte-reversed forms (and little-endian
 * pages, which flip byterev) reversed, lha/lwa-style forms sign-extended to 64 bits. */
static inline uint64_t kvm_mmio_load_value(const uint8_t *data, unsigned len, int byterev,
					   int sign)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < len; i++)
		v = (v << 8) | data[i];
	if (byterev && len > 1)
		v = kvm_bswap_n(v, len);
	if (sign) {
		if (len == 1)
			v = (uint64_t)(int64_t)(int8_t)v;
		else if (len == 2)
			v = (uint64_t)(int64_t)(int16_t)v;
		else if (len == 4)
			v = (uint64_t)(int64_t)(int32_t)v;
	}
	return v;
}

#endif
