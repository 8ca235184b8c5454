/* SPDX-License-Identifier: MIT */
/* What the 64-bit core's vector-facility handlers share (exec_vmx.c, exec_vmx_int.c,
 * exec_vmx_fp.c): the facility check, VSCR's bits and element access. A vector register
 * holds its bytes in the architecture's order (struct cpu.vr): element i of width w is at
 * byte i * w, big-endian. */
#ifndef SOFTKVM_VMX_H
#define SOFTKVM_VMX_H

#include "exec.h"

#if CPU_IS64

/* Every vector instruction starts with this: MSR[VEC] = 0 takes the vector unavailable
 * interrupt (CPU_TRAP_VEC_UNAVAIL). */
#define VMX_CHECK(c, d)                                                                            \
	do {                                                                                       \
		if (unlikely(!(c)->vec_enabled))                                                   \
			return cpu_trap_insn(c, d, CPU_TRAP_VEC_UNAVAIL, 0);                       \
	} while (0)

#define VSCR_SAT 1u
#define VSCR_NJ 0x10000u

/* element access, big-endian within the register */
static inline uint64_t vget(const union cpu_vr *v, unsigned w, unsigned i)
{
	const uint8_t *p = v->b + i * w;
	switch (w) {
	case 1:
		return p[0];
	case 2:
		return load_be16(p);
	case 4:
		return load_be32(p);
	default:
		return load_be64(p);
	}
}

static inline void vset(union cpu_vr *v, unsigned w, unsigned i, uint64_t x)
{
	uint8_t *p = v->b + i * w;
	switch (w) {
	case 1:
		p[0] = (uint8_t)x;
		break;
	case 2:
		store_be16(p, (uint16_t)x);
		break;
	case 4:
		store_be32(p, (uint32_t)x);
		break;
	default:
		store_be64(p, x);
		break;
	}
}

static inline int64_t sext(uint64_t x, unsigned w)
{
	unsigned s = 64 - 8 * w;
	return (int64_t)(x << s) >> s;
}

static inline uint64_t wmask(unsigned w)
{
	return w == 8 ? ~0ull : (1ull << (8 * w)) - 1;
}

#endif
#endif
