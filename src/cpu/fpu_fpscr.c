// SPDX-License-Identifier: MIT
/* FPSCR bookkeeping and the FP instructions that do no arithmetic: moves to and from the
 * FPSCR, compares, fsel and the sign moves.
 *
 * Where the architecture leaves something undefined the choice is QEMU 7.2's for its 440
 * (a 32-bit target): mffs puts 0 in the high word of FRT; mtfsf honours L=1 (all fields)
 * and treats W=1 as an illegal form; mtfsf, mtfsfi and mtfsb1 take the FP enabled program
 * interrupt whenever they leave an exception bit together with its enable set.
 * Where QEMU departs from the architecture, this follows the architecture: FX is set only
 * by an exception bit going from 0 to 1 (mtfsb1 of one included); fcmpo of an SNaN with
 * VE=1 sets VXSNAN alone, and compares leave C, FR and FI alone.
 */
#include "fpu.h"

uint32_t fpu_class(uint64_t x, bool single)
{
	bool neg = x >> 63;
	uint64_t mag = x & ~F64_SIGN;
	/* Smallest normal: 2^-1022, or 2^-126 for a single-precision result. */
	uint64_t min_normal = single ? (uint64_t)897 << 52 : 1ull << 52;

	if (mag > F64_EXP_MASK)
		return FPRF_QNAN;
	if (mag == F64_EXP_MASK)
		return neg ? FPRF_NINF : FPRF_PINF;
	if (mag == 0)
		return neg ? FPRF_NZERO : FPRF_PZERO;
	if (mag < min_normal)
		return neg ? FPRF_NDENORM : FPRF_PDENORM;
	return neg ? FPRF_NNORM : FPRF_PNORM;
}

static const struct cpu_dinsn *fp_enabled_trap(struct cpu *c, const struct cpu_dinsn *d)
{
	return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_FP);
}

bool fpu_record(struct cpu *c, const struct fpu_res *r)
{
	uint32_t old = c->fpscr;
	uint32_t f = old | r->exc;
	bool write = true;

	if (r->exc & ~old & FPSCR_EXC_ALL)
		f |= FPSCR_FX;
	/* Enabled invalid-operation and zero-divide exceptions leave the target and FPRF
	 * alone and clear FR and FI; the other exceptions deliver a result. */
	if (unlikely(((r->exc & FPSCR_VX_ALL) && (f & FPSCR_VE)) ||
		     ((r->exc & FPSCR_ZX) && (f & FPSCR_ZE)))) {
		f &= ~(FPSCR_FR | FPSCR_FI);
		write = false;
	} else {
		f = (f & ~r->status_mask) | r->status;
	}
	c->fpscr = fpscr_summarize(f);
	return write;
}

const struct cpu_dinsn *fpu_end(struct cpu *c, const struct cpu_dinsn *d, uint32_t exc)
{
	if ((d->flags & CPU_D_RC))
		cpu_set_crf(c, 1, c->fpscr >> 28);
	if (unlikely(exc != 0) && fpscr_exc_enabled(exc, c->fpscr) && c->fp_exc_mode)
		return fp_enabled_trap(c, d);
	return d + 1;
}

const struct cpu_dinsn *fpu_commit(struct cpu *c, const struct cpu_dinsn *d,
				   const struct fpu_res *r)
{
	if (fpu_record(c, r))
		cpu_set_fpr(c, d->rt, r->val);
	return fpu_end(c, d, r->exc);
}

/* ---- moves to and from the FPSCR ---- */

/* Write v to the FPSCR for mtfs*: FEX and VX are not written but recomputed, bit 20 is
 * reserved. check: take the enabled exception a set exception/enable pair asks for. */
static const struct cpu_dinsn *fpscr_store(struct cpu *c, const struct cpu_dinsn *d, uint32_t v,
					   bool check)
{
	v = fpscr_summarize(v & ~FPSCR_RSVD);
	c->fpscr = v;
	fpu_set_cr1(c, d);
	if (check && (v & FPSCR_FEX) && c->fp_exc_mode)
		return fp_enabled_trap(c, d);
	return d + 1;
}

CPU_HANDLER(op_mffs)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpscr);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mtfsf)
{
	FPU_CHECK(c, d);
	uint32_t w = d->insn;
	unsigned flm = (w >> 17) & 0xff; /* bits 7-14 */
	uint32_t mask = 0;

	if (w & (1u << 16)) /* W (bit 15): not in the 440's architecture */
		CPU_GOTO(c, cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PIL));
	if (w & (1u << 25)) { /* L (bit 6): the whole FPSCR */
		mask = 0xffffffffu;
	} else {
		for (unsigned i = 0; i < 8; i++)
			if (flm & (0x80u >> i))
				mask |= 0xf0000000u >> (4 * i);
	}
	uint32_t v = (uint32_t)c->fpr[d->rb];
	CPU_GOTO(c, fpscr_store(c, d, (c->fpscr & ~mask) | (v & mask), true));
}

CPU_HANDLER(op_mtfsfi)
{
	FPU_CHECK(c, d);
	uint32_t w = d->insn;
	unsigned bf = (w >> 23) & 7; /* bits 6-8 */
	uint32_t u = (w >> 12) & 0xf; /* bits 16-19 */
	unsigned shift = 28 - 4 * bf;

	if (w & (1u << 16))
		CPU_GOTO(c, cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PIL));
	CPU_GOTO(c, fpscr_store(c, d, (c->fpscr & ~(0xfu << shift)) | u << shift, true));
}

CPU_HANDLER(op_mtfsb0)
{
	FPU_CHECK(c, d);
	unsigned bt = d->rt;
	uint32_t v = c->fpscr;

	if (bt != 1 && bt != 2) /* FEX and VX cannot be set or cleared explicitly */
		v &= ~(0x80000000u >> bt);
	CPU_GOTO(c, fpscr_store(c, d, v, false));
}

CPU_HANDLER(op_mtfsb1)
{
	FPU_CHECK(c, d);
	unsigned bt = d->rt;
	uint32_t m = 0x80000000u >> bt;
	uint32_t v = c->fpscr;

	if (bt != 1 && bt != 2) {
		if (m & FPSCR_EXC_ALL & ~v)
			v |= FPSCR_FX;
		v |= m;
	}
	CPU_GOTO(c, fpscr_store(c, d, v, true));
}

CPU_HANDLER(op_mcrfs)
{
	FPU_CHECK(c, d);
	unsigned bf = d->rt >> 2, bfa = d->ra >> 2;
	unsigned shift = 28 - 4 * bfa;

	cpu_set_crf(c, bf, (c->fpscr >> shift) & 0xf);
	/* The exception bits copied are cleared (FEX and VX follow). */
	c->fpscr =
		fpscr_summarize(c->fpscr & ~((0xfu << shift) & (FPSCR_EXC_ALL | FPSCR_FX)));
	CPU_NEXT(c, d + 1);
}

/* ---- compares ---- */

/* A non-NaN double's bit pattern mapped to a signed integer of the same order (+0 == -0). */
static inline int64_t f64_order(uint64_t x)
{
	int64_t mag = (int64_t)(x & ~F64_SIGN);
	return (x & F64_SIGN) ? -mag : mag;
}

const struct cpu_dinsn *fpu_compare(struct cpu *c, const struct cpu_dinsn *d, uint64_t a,
				    uint64_t b, unsigned bf, bool ordered)
{
	uint32_t old = c->fpscr, exc = 0, cc;

	if (unlikely(f64_is_nan(a) || f64_is_nan(b))) {
		cc = CR_SO; /* FU */
		if (f64_is_snan(a) || f64_is_snan(b)) {
			exc = FPSCR_VXSNAN;
			if (ordered && !(old & FPSCR_VE))
				exc |= FPSCR_VXVC;
		} else if (ordered) {
			exc = FPSCR_VXVC;
		}
	} else {
		int64_t x = f64_order(a), y = f64_order(b);
		cc = x < y ? CR_LT : x > y ? CR_GT : CR_EQ;
	}
	cpu_set_crf(c, bf, cc);

	uint32_t f = old | exc;
	if (exc & ~old)
		f |= FPSCR_FX;
	f = fpscr_summarize((f & ~FPSCR_FPCC) | cc << FPSCR_FPRF_SHIFT);
	c->fpscr = f;
	if (unlikely(exc != 0) && fpscr_exc_enabled(exc, f) && c->fp_exc_mode)
		return fp_enabled_trap(c, d);
	return d + 1;
}

CPU_HANDLER(op_fcmpu)
{
	FPU_CHECK(c, d);
	CPU_GOTO(c, fpu_compare(c, d, c->fpr[d->ra], c->fpr[d->rb], d->rt, false));
}

CPU_HANDLER(op_fcmpo)
{
	FPU_CHECK(c, d);
	CPU_GOTO(c, fpu_compare(c, d, c->fpr[d->ra], c->fpr[d->rb], d->rt, true));
}

/* ---- fsel and the sign moves: no FPSCR change, NaNs included ---- */

CPU_HANDLER(op_fsel)
{
	FPU_CHECK(c, d);
	uint64_t a = c->fpr[d->ra];
	bool ge0 = !f64_is_nan(a) && (!(a & F64_SIGN) || f64_is_zero(a));
	cpu_set_fpr(c, d->rt, ge0 ? c->fpr[d->frc] : c->fpr[d->rb]);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_fmr)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpr[d->rb]);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_fneg)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpr[d->rb] ^ F64_SIGN);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_fabs)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpr[d->rb] & ~F64_SIGN);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_fnabs)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpr[d->rb] | F64_SIGN);
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}
