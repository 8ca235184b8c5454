// SPDX-License-Identifier: MIT
/* The 64-bit core's FP conversions between doubles and integers of Power ISA 2.07 (fcfid,
 * fcfidu, fcfids, fcfidus; fctid, fctidz, fctidu, fctiduz, fctiwu, fctiwuz), its test
 * instructions (ftdiv, ftsqrt), fcpsgn, and lfiwax/lfiwzx.
 *
 * The conversions round in integer arithmetic, exactly, in FPSCR[RN] (or toward zero): no
 * host floating point is involved, so the host seam (fpu_host.h) has nothing to differ in.
 * FR says the magnitude was rounded up, FI and XX that the result is inexact. As for
 * fctiw(z), the conversions to integers leave FPRF alone (undefined) except when invalid.
 */
#include "fpu.h"

#if CPU_IS64

/* Should the truncated magnitude q be incremented, with rem the dropped bits, half their
 * half-way value (0 when none was dropped), neg the sign, in mode rn? */
static bool round_up(uint64_t q, uint64_t rem, uint64_t half, bool neg, unsigned rn)
{
	if (rem == 0)
		return false;
	switch (rn) {
	case FPU_RN_NEAR:
		return rem > half || (rem == half && (q & 1));
	case FPU_RN_UP:
		return !neg;
	case FPU_RN_DOWN:
		return neg;
	default:
		return false;
	}
}

/* ---- integers to floating point ---- */

/* The integer of magnitude m and sign neg, rounded to prec bits (53: double, 24: single). */
void fpu_from_int(uint64_t m, bool neg, unsigned prec, unsigned rn, struct fpu_res *res)
{
	res->status_mask = FPSCR_FR | FPSCR_FI | FPSCR_FPRF;
	res->exc = 0;
	res->status = 0;
	if (m == 0) {
		res->val = 0; /* +0 whatever the sign of nothing */
		res->status = FPRF_PZERO << FPSCR_FPRF_SHIFT;
		return;
	}
	unsigned n = 64 - (unsigned)__builtin_clzll(m), shift = 0;
	uint64_t q = m;
	if (n > prec) {
		shift = n - prec;
		q = m >> shift;
		uint64_t rem = m & ((1ull << shift) - 1), half = 1ull << (shift - 1);
		if (rem) {
			res->exc = FPSCR_XX;
			res->status = FPSCR_FI;
		}
		if (round_up(q, rem, half, neg, rn)) {
			res->status |= FPSCR_FR;
			if (++q >> prec) {
				q >>= 1;
				shift++;
			}
		}
	}
	/* q (at most prec bits) times 2^shift is exact in a double */
	uint64_t e = 64 - (uint64_t)__builtin_clzll(q) - 1; /* q's leading one */
	uint64_t bits = ((e + shift + 1023) << 52) | ((q << (52 - e)) & F64_FRAC_MASK);
	res->val = bits | (neg ? F64_SIGN : 0);
	res->status |= fpu_class(res->val, prec == 24) << FPSCR_FPRF_SHIFT;
}

static const struct cpu_dinsn *cfid(struct cpu *c, const struct cpu_dinsn *d, bool sign,
				    unsigned prec)
{
	struct fpu_res r;
	uint64_t v = c->fpr[d->rb];
	bool neg = sign && (int64_t)v < 0;
	fpu_from_int(neg ? -v : v, neg, prec, c->fpscr & FPSCR_RN, &r);
	return fpu_commit(c, d, &r);
}

#define CFID(name, sign, prec)                                                                     \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		FPU_CHECK(c, d);                                                                   \
		CPU_GOTO(c, cfid(c, d, sign, prec));                                               \
	}

/* clang-format off */
CFID(fcfid, true, 53)
CFID(fcfidu, false, 53)
CFID(fcfids, true, 24)
CFID(fcfidus, false, 24)
/* clang-format on */

/* ---- floating point to integers ---- */

void fpu_to_int(uint64_t ub, enum fpu_int kind, unsigned rn, struct fpu_res *res)
{
	bool neg = ub & F64_SIGN;
	unsigned bexp = (unsigned)(ub >> 52) & 0x7ff;
	uint64_t frac = ub & F64_FRAC_MASK;
	bool sgn = kind == FPU_INT_S64 || kind == FPU_INT_S32;
	uint64_t max = kind == FPU_INT_S64   ? (neg ? 1ull << 63 : INT64_MAX)
		       : kind == FPU_INT_S32 ? (neg ? 1ull << 31 : INT32_MAX)
		       : kind == FPU_INT_U64 ? UINT64_MAX
					     : UINT32_MAX;
	uint64_t sat = sgn ? (neg ? -max : max) : neg ? 0 : max;
	uint64_t q, rem = 0, half = 0;
	bool big = false;

	res->status_mask = FPSCR_FR | FPSCR_FI;
	res->status = 0;
	res->exc = 0;
	if (unlikely(f64_is_nan(ub))) {
		res->val = kind == FPU_INT_S64 ? 1ull << 63 : kind == FPU_INT_S32 ? 0x80000000u : 0;
		res->exc = FPSCR_VXCVI | (f64_is_snan(ub) ? FPSCR_VXSNAN : 0);
		res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
		res->status_mask |= FPSCR_FPRF;
		return;
	}
	if (bexp == 0x7ff || bexp >= 1023 + 64) {
		big = true; /* infinity, or 2^64 and more */
		q = 0;
	} else {
		uint64_t m = bexp ? frac | (1ull << 52) : frac;
		int e = (bexp ? (int)bexp : 1) - 1023 - 52; /* value = m * 2^e */
		if (e >= 0) {
			q = m << e;
		} else if (e > -64) {
			q = m >> -e;
			rem = m & ((1ull << -e) - 1);
			half = 1ull << (-e - 1);
		} else {
			q = 0;
			rem = m; /* below 1/2: any nonzero magnitude rounds as a sticky bit */
			half = UINT64_MAX;
		}
		if (round_up(q, rem, half, neg, rn)) {
			res->status = FPSCR_FR;
			if (++q == 0)
				big = true;
		}
	}
	if (big || q > max || (neg && q != 0 && !sgn)) {
		res->val = sat;
		res->exc = FPSCR_VXCVI;
		res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
		res->status_mask |= FPSCR_FPRF;
		return;
	}
	res->val = neg ? -q : q;
	if (kind == FPU_INT_U32)
		res->val &= UINT32_MAX;
	if (rem) {
		res->exc = FPSCR_XX;
		res->status |= FPSCR_FI;
	}
}

#define CTI(name, kind, trunc)                                                                     \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		FPU_CHECK(c, d);                                                                   \
		struct fpu_res r;                                                                  \
		fpu_to_int(c->fpr[d->rb], kind, (trunc) ? FPU_RN_ZERO : c->fpscr & FPSCR_RN, &r);  \
		CPU_GOTO(c, fpu_commit(c, d, &r));                                                 \
	}

/* clang-format off */
CTI(fctid, FPU_INT_S64, false)
CTI(fctidz, FPU_INT_S64, true)
CTI(fctidu, FPU_INT_U64, false)
CTI(fctiduz, FPU_INT_U64, true)
CTI(fctiwu, FPU_INT_U32, false)
CTI(fctiwuz, FPU_INT_U32, true)
/* clang-format on */

/* ---- fcpsgn, ftdiv, ftsqrt ---- */

CPU_HANDLER(op_fcpsgn)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, (c->fpr[d->ra] & F64_SIGN) | (c->fpr[d->rb] & ~F64_SIGN));
	fpu_set_cr1(c, d);
	CPU_NEXT(c, d + 1);
}

/* fmrgew, fmrgow (2.07): FRA's and FRB's even (upper) or odd (lower) words, in that order */
CPU_HANDLER(op_fmrgew)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, (c->fpr[d->ra] & 0xffffffff00000000ull) | c->fpr[d->rb] >> 32);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_fmrgow)
{
	FPU_CHECK(c, d);
	cpu_set_fpr(c, d->rt, c->fpr[d->ra] << 32 | (c->fpr[d->rb] & 0xffffffffull));
	CPU_NEXT(c, d + 1);
}

static inline int unbiased_exp(uint64_t x)
{
	return (int)((x >> 52) & 0x7ff) - 1023;
}

static inline bool zero_or_denormal(uint64_t x)
{
	return (x & F64_EXP_MASK) == 0;
}

/* CR[BF] = 0b1 || fg || fe || 0b0: whether a software divide (square root) of these operands
 * needs the slow path (fe) or has special operands (fg). */
unsigned fpu_tdiv(uint64_t a, uint64_t b)
{
	bool fe = false, fg = false;
	if (f64_is_inf(a) || f64_is_inf(b) || f64_is_zero(b)) {
		fe = fg = true;
	} else {
		int ea = unbiased_exp(a), eb = unbiased_exp(b);
		if (f64_is_nan(a) || f64_is_nan(b) || eb <= -1022 || eb >= 1021)
			fe = true;
		else if (!f64_is_zero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970))
			fe = true;
		fg = zero_or_denormal(b);
	}
	return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

unsigned fpu_tsqrt(uint64_t b)
{
	bool fe = false, fg = false;
	if (f64_is_inf(b) || f64_is_zero(b)) {
		fe = fg = true;
	} else {
		if (f64_is_nan(b) || (b & F64_SIGN) || unbiased_exp(b) <= -1022 + 52)
			fe = true;
		fg = zero_or_denormal(b);
	}
	return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

CPU_HANDLER(op_ftdiv)
{
	FPU_CHECK(c, d);
	cpu_set_crf(c, d->rt, fpu_tdiv(c->fpr[d->ra], c->fpr[d->rb]));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_ftsqrt)
{
	FPU_CHECK(c, d);
	cpu_set_crf(c, d->rt, fpu_tsqrt(c->fpr[d->rb]));
	CPU_NEXT(c, d + 1);
}

/* ---- lfiwax, lfiwzx: a word into an FPR, sign- or zero-extended ---- */

static const struct cpu_dinsn *lfiw(struct cpu *c, const struct cpu_dinsn *d, bool sign)
{
	uint32_t w;
	/* CPU_MEM_MULTI: an MMIO completion re-executes the instruction with the data, as
	 * no FP completion of struct cpu_mem_op extends a word this way */
	if (unlikely(!cpu_load32(c, d, cpu_ea_x(c, d), CPU_MEM_MULTI, &w)))
		return cpu_fault_next(c);
	cpu_set_fpr(c, d->rt, sign ? (uint64_t)(int64_t)(int32_t)w : w);
	return d + 1;
}

CPU_HANDLER(op_lfiwax)
{
	FPU_CHECK(c, d);
	CPU_GOTO(c, lfiw(c, d, true));
}

CPU_HANDLER(op_lfiwzx)
{
	FPU_CHECK(c, d);
	CPU_GOTO(c, lfiw(c, d, false));
}

#endif
