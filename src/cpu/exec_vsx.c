// SPDX-License-Identifier: MIT
/* The 64-bit core's VSX facility (Power ISA 2.07 Book I chapter 7), what moves bits: loads
 * and stores, the direct moves between GPRs and VSRs, logic, permutes, merges, splats and
 * selects. The arithmetic is in exec_vsx_fp.c.
 *
 * Loads and stores move each element as one access in the current byte order (MSR[LE]
 * through the page, as every scalar access): lxvd2x takes doubleword 0 from EA and
 * doubleword 1 from EA + 8, each a little-endian doubleword in little-endian mode, so that
 * element order in memory is the same in both modes (Book I 7.6.1). A vector access is a
 * series of element accesses (CPU_MEM_MULTI): on MMIO the hypervisor completes it as it
 * does lmw/stmw, and no register changes until every element is in.
 * Where the architecture leaves a result undefined (doubleword 1 after a scalar load or a
 * move to a VSR), the core gives QEMU 7.2's: it is left as it was.
 */
#include "fp_conv.h"
#include "vsx.h"

#if CPU_IS64

/* ---- loads and stores (XX1 form: XT/XS in rt, EA = (RA|0) + RB) ---- */

static inline cpu_ureg ea_plus(const struct cpu *c, cpu_ureg ea, unsigned n)
{
	return cpu_ea_wrap(c, ea + n);
}

enum vsx_ld {
	LD_SIWZ,  /* lxsiwzx: a word, zero-extended, into doubleword 0 */
	LD_SIWA,  /* lxsiwax: a word, sign-extended */
	LD_SSP,	  /* lxsspx: a single, converted to double */
	LD_SD,	  /* lxsdx: a doubleword */
	LD_VD2,	  /* lxvd2x: two doublewords */
	LD_VDS,	  /* lxvdsx: a doubleword into both */
	LD_VW4,	  /* lxvw4x: four words */
};

static ALWAYS_INLINE const struct cpu_dinsn *vsx_load(struct cpu *c, const struct cpu_dinsn *d,
						      enum vsx_ld kind)
{
	cpu_ureg ea = cpu_ea_x(c, d);
	struct cpu_vsr v = cpu_vsr_get(c, d->rt);
	uint32_t w[4];
	uint64_t x;

	switch (kind) {
	case LD_SIWZ:
	case LD_SIWA:
	case LD_SSP:
		if (!cpu_load32(c, d, ea, CPU_MEM_MULTI, &w[0]))
			return cpu_fault_next(c);
		v.hi = kind == LD_SIWZ	 ? w[0]
		       : kind == LD_SIWA ? (uint64_t)(int64_t)(int32_t)w[0]
					 : cpu_fp_double_of_single(w[0]);
		break;
	case LD_SD:
	case LD_VDS:
		if (!cpu_load64(c, d, ea, CPU_MEM_MULTI, &x))
			return cpu_fault_next(c);
		v.hi = x;
		if (kind == LD_VDS)
			v.lo = x;
		break;
	case LD_VD2:
		if (!cpu_load64(c, d, ea, CPU_MEM_MULTI, &x) ||
		    !cpu_load64(c, d, ea_plus(c, ea, 8), CPU_MEM_MULTI, &v.lo))
			return cpu_fault_next(c);
		v.hi = x;
		break;
	case LD_VW4:
		for (unsigned i = 0; i < 4; i++)
			if (!cpu_load32(c, d, ea_plus(c, ea, 4 * i), CPU_MEM_MULTI, &w[i]))
				return cpu_fault_next(c);
		v = vsr_of_words(w[0], w[1], w[2], w[3]);
		break;
	}
	cpu_vsr_set(c, d->rt, v);
	return d + 1;
}

enum vsx_st {
	ST_SIW, /* stxsiwx: word 1 */
	ST_SSP, /* stxsspx: doubleword 0 as a single */
	ST_SD,	/* stxsdx: doubleword 0 */
	ST_VD2, /* stxvd2x: both doublewords */
	ST_VW4, /* stxvw4x: four words */
};

static ALWAYS_INLINE const struct cpu_dinsn *vsx_store(struct cpu *c, const struct cpu_dinsn *d,
						       enum vsx_st kind)
{
	cpu_ureg ea = cpu_ea_x(c, d);
	struct cpu_vsr v = cpu_vsr_get(c, d->rt);
	bool ok = true;

	switch (kind) {
	case ST_SIW:
		ok = cpu_store32(c, d, ea, CPU_MEM_MULTI, (uint32_t)v.hi);
		break;
	case ST_SSP:
		ok = cpu_store32(c, d, ea, CPU_MEM_MULTI, cpu_fp_single_of_double(v.hi));
		break;
	case ST_SD:
		ok = cpu_store64(c, d, ea, CPU_MEM_MULTI, v.hi);
		break;
	case ST_VD2:
		ok = cpu_store64(c, d, ea, CPU_MEM_MULTI, v.hi) &&
		     cpu_store64(c, d, ea_plus(c, ea, 8), CPU_MEM_MULTI, v.lo);
		break;
	case ST_VW4:
		for (unsigned i = 0; i < 4 && ok; i++)
			ok = cpu_store32(c, d, ea_plus(c, ea, 4 * i), CPU_MEM_MULTI, vsr_word(v, i));
		break;
	}
	return ok ? d + 1 : cpu_fault_next(c);
}

#define VSX_LOAD(name, kind)                                                                       \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, vsx_load(c, d, kind));                                                 \
	}
#define VSX_STORE(name, kind)                                                                      \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, vsx_store(c, d, kind));                                                \
	}

/* clang-format off */
VSX_LOAD(lxsiwzx, LD_SIWZ) VSX_LOAD(lxsiwax, LD_SIWA) VSX_LOAD(lxsspx, LD_SSP)
VSX_LOAD(lxsdx, LD_SD) VSX_LOAD(lxvd2x, LD_VD2) VSX_LOAD(lxvdsx, LD_VDS) VSX_LOAD(lxvw4x, LD_VW4)
VSX_STORE(stxsiwx, ST_SIW) VSX_STORE(stxsspx, ST_SSP) VSX_STORE(stxsdx, ST_SD)
VSX_STORE(stxvd2x, ST_VD2) VSX_STORE(stxvw4x, ST_VW4)
/* clang-format on */

/* ---- direct moves (XX1 form: XS/XT in rt, RA in ra) ----
 * They need the facility of the register half they touch, not MSR[VSX]: VSR0-31 are the
 * FPRs (MSR[FP]), VSR32-63 the vector registers (MSR[VEC]) (Book I 7.6.1.5). */
#define MOVE_CHECK(c, d)                                                                           \
	do {                                                                                       \
		if (unlikely((d)->rt < 32 ? !(c)->fp_enabled : !(c)->vec_enabled))                 \
			return (d)->rt < 32 ? cpu_fp_unavailable(c, d)                             \
					    : cpu_trap_insn(c, d, CPU_TRAP_VEC_UNAVAIL, 0);        \
	} while (0)

CPU_HANDLER(op_mfvsrd)
{
	MOVE_CHECK(c, d);
	c->gpr[d->ra] = cpu_vsr_get(c, d->rt).hi;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mfvsrwz)
{
	MOVE_CHECK(c, d);
	c->gpr[d->ra] = (uint32_t)cpu_vsr_get(c, d->rt).hi;
	CPU_NEXT(c, d + 1);
}

static ALWAYS_INLINE const struct cpu_dinsn *move_to(struct cpu *c, const struct cpu_dinsn *d,
						     uint64_t x)
{
	struct cpu_vsr v = cpu_vsr_get(c, d->rt);
	v.hi = x;
	cpu_vsr_set(c, d->rt, v);
	return d + 1;
}

CPU_HANDLER(op_mtvsrd)
{
	MOVE_CHECK(c, d);
	CPU_GOTO(c, move_to(c, d, c->gpr[d->ra]));
}

CPU_HANDLER(op_mtvsrwa)
{
	MOVE_CHECK(c, d);
	CPU_GOTO(c, move_to(c, d, (uint64_t)(int64_t)(int32_t)c->gpr[d->ra]));
}

CPU_HANDLER(op_mtvsrwz)
{
	MOVE_CHECK(c, d);
	CPU_GOTO(c, move_to(c, d, (uint32_t)c->gpr[d->ra]));
}

/* ---- logic (XX3 form: XT = rt, XA = ra, XB = rb) ---- */

#define VSX_LOGIC(name, expr)                                                                      \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		struct cpu_vsr x = cpu_vsr_get(c, d->ra), y = cpu_vsr_get(c, d->rb);               \
		uint64_t a = x.hi, b = y.hi, hi = (expr);                                          \
		a = x.lo, b = y.lo;                                                                \
		cpu_vsr_set(c, d->rt, (struct cpu_vsr){hi, (expr)});                               \
		CPU_NEXT(c, d + 1);                                                                \
	}

/* clang-format off */
VSX_LOGIC(xxland, a & b) VSX_LOGIC(xxlandc, a & ~b) VSX_LOGIC(xxlor, a | b)
VSX_LOGIC(xxlxor, a ^ b) VSX_LOGIC(xxlnor, ~(a | b)) VSX_LOGIC(xxlorc, a | ~b)
VSX_LOGIC(xxlnand, ~(a & b)) VSX_LOGIC(xxleqv, ~(a ^ b))
/* clang-format on */

/* xxsel (XX4 form: XC in frc): bits of XB where XC has 1, of XA where 0 */
CPU_HANDLER(op_xxsel)
{
	VSX_CHECK(c, d);
	struct cpu_vsr a = cpu_vsr_get(c, d->ra), b = cpu_vsr_get(c, d->rb),
		       m = cpu_vsr_get(c, d->frc);
	cpu_vsr_set(c, d->rt,
		    (struct cpu_vsr){(b.hi & m.hi) | (a.hi & ~m.hi), (b.lo & m.lo) | (a.lo & ~m.lo)});
	CPU_NEXT(c, d + 1);
}

/* ---- permutes, merges, splats ---- */

/* xxpermdi (DM in mb): doubleword DM[0] of XA, then doubleword DM[1] of XB */
CPU_HANDLER(op_xxpermdi)
{
	VSX_CHECK(c, d);
	struct cpu_vsr a = cpu_vsr_get(c, d->ra), b = cpu_vsr_get(c, d->rb);
	cpu_vsr_set(c, d->rt, (struct cpu_vsr){vsr_dw(a, d->mb >> 1), vsr_dw(b, d->mb & 1)});
	CPU_NEXT(c, d + 1);
}

/* xxsldwi (SHW in mb): words SHW .. SHW + 3 of XA || XB */
CPU_HANDLER(op_xxsldwi)
{
	VSX_CHECK(c, d);
	struct cpu_vsr a = cpu_vsr_get(c, d->ra), b = cpu_vsr_get(c, d->rb);
	uint32_t w[8];
	for (unsigned i = 0; i < 4; i++) {
		w[i] = vsr_word(a, i);
		w[4 + i] = vsr_word(b, i);
	}
	unsigned s = d->mb;
	cpu_vsr_set(c, d->rt, vsr_of_words(w[s], w[s + 1], w[s + 2], w[s + 3]));
	CPU_NEXT(c, d + 1);
}

/* xxmrghw, xxmrglw: words 0, 1 (2, 3) of XA and XB interleaved */
static ALWAYS_INLINE const struct cpu_dinsn *merge_words(struct cpu *c, const struct cpu_dinsn *d,
							 unsigned base)
{
	struct cpu_vsr a = cpu_vsr_get(c, d->ra), b = cpu_vsr_get(c, d->rb);
	cpu_vsr_set(c, d->rt, vsr_of_words(vsr_word(a, base), vsr_word(b, base),
					   vsr_word(a, base + 1), vsr_word(b, base + 1)));
	return d + 1;
}

CPU_HANDLER(op_xxmrghw)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, merge_words(c, d, 0));
}

CPU_HANDLER(op_xxmrglw)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, merge_words(c, d, 2));
}

/* xxspltw (XX2 form, UIM in ra's low 2 bits): word UIM of XB in every word */
CPU_HANDLER(op_xxspltw)
{
	VSX_CHECK(c, d);
	uint32_t w = vsr_word(cpu_vsr_get(c, d->rb), d->ra & 3);
	cpu_vsr_set(c, d->rt, vsr_of_words(w, w, w, w));
	CPU_NEXT(c, d + 1);
}

#endif
