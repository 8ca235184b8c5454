/* SPDX-License-Identifier: MIT */
/* What the 64-bit core's VSX handlers share (exec_vsx.c, exec_vsx_fp.c): the facility
 * check and element access to a VSX register value (struct cpu_vsr, cpu.h: its two
 * doublewords as numbers, doubleword 0 the most significant, as the architecture numbers
 * elements). */
#ifndef SOFTKVM_VSX_H
#define SOFTKVM_VSX_H

#include "exec.h"

#if CPU_IS64

/* Every VSX instruction starts with this: MSR[VSX] = 0 takes the VSX unavailable
 * interrupt (Book III-S 6.5.21). */
#define VSX_CHECK(c, d)                                                                            \
	do {                                                                                       \
		if (unlikely(!(c)->vsx_enabled))                                                   \
			return cpu_trap_insn(c, d, CPU_TRAP_VSX_UNAVAIL, 0);                       \
	} while (0)

/* word i (0..3) of v */
static inline uint32_t vsr_word(struct cpu_vsr v, unsigned i)
{
	uint64_t dw = i < 2 ? v.hi : v.lo;
	return (uint32_t)(i & 1 ? dw : dw >> 32);
}

static inline void el_set_word(struct cpu_vsr *v, unsigned i, uint32_t w)
{
	uint64_t *dw = i < 2 ? &v->hi : &v->lo;
	unsigned sh = i & 1 ? 0 : 32;
	*dw = (*dw & ~(0xffffffffull << sh)) | (uint64_t)w << sh;
}

static inline struct cpu_vsr vsr_of_words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3)
{
	return (struct cpu_vsr){(uint64_t)w0 << 32 | w1, (uint64_t)w2 << 32 | w3};
}

/* doubleword i (0, 1) of v */
static inline uint64_t vsr_dw(struct cpu_vsr v, unsigned i)
{
	return i ? v.lo : v.hi;
}

#endif
#endif
