/* SPDX-License-Identifier: MIT */
/* Single <-> double format conversion of FP loads and stores (the architecture's DOUBLE and
 * SINGLE functions). They move bits: no rounding, no FPSCR change, SNaNs stay signaling.
 * The hypervisor uses cpu_fp_double_of_single to complete an lfs* that became MMIO
 * (struct cpu_mem_op with fp = 1 and size = 4); FP stores hand MMIO the converted value. */
#ifndef SOFTKVM_FP_CONV_H
#define SOFTKVM_FP_CONV_H

#include <stdint.h>

#define F64_SIGN 0x8000000000000000ull
#define F64_EXP_MASK 0x7ff0000000000000ull
#define F64_FRAC_MASK 0x000fffffffffffffull
#define F64_QUIET 0x0008000000000000ull

/* DOUBLE(): an lfs loads the single word sw into an FPR. */
static inline uint64_t cpu_fp_double_of_single(uint32_t sw)
{
	uint64_t sign = (uint64_t)(sw >> 31) << 63;
	uint32_t mag = sw & 0x7fffffffu;

	if (mag >= 0x00800000u) {
		/* Normal, infinity or NaN: rebias the exponent, widen the fraction. */
		uint32_t exp = mag >> 23;
		uint64_t e = exp == 0xff ? 0x7ff : exp - 127 + 1023;
		return sign | e << 52 | (uint64_t)(mag & 0x7fffffu) << 29;
	}
	if (mag == 0)
		return sign;
	/* Denormal single: mag * 2^-149 with its leading one at bit p is normal in double. */
	unsigned p = 31 - (unsigned)__builtin_clz(mag);
	return sign | (uint64_t)(p + 874) << 52 | (((uint64_t)mag << (52 - p)) & F64_FRAC_MASK);
}

/* SINGLE(): an stfs stores FPR value dw as a single word. Values in the single range (and
 * infinities and NaNs) keep their top bits; values below it are denormalized by
 * truncation; what the architecture leaves undefined (magnitudes beyond the single range)
 * comes out as QEMU's helper_tosingle gives it: the same bit extraction above, zero below. */
static inline uint32_t cpu_fp_single_of_double(uint64_t dw)
{
	unsigned exp = (unsigned)(dw >> 52) & 0x7ff;

	if (exp > 896)
		return (uint32_t)((dw >> 32) & 0xc0000000u) | (uint32_t)((dw >> 29) & 0x3fffffffu);
	uint32_t r = (uint32_t)(dw >> 32) & 0x80000000u;
	if (exp >= 874)
		r |= (uint32_t)(((1ull << 52) | (dw & F64_FRAC_MASK)) >> (896 + 30 - exp));
	return r;
}

#endif
