// SPDX-License-Identifier: MIT
/* FP arithmetic: add, subtract, multiply, divide, multiply-add, square root, estimates,
 * round to single, convert to integer.
 *
 * The host computes (fpu_host.h: its rounding modes and exception flags); this file makes
 * the result and the FPSCR what a PowerPC FPU gives:
 *  - NaN operands never reach the host: the result is the first NaN of FRA, FRB, FRC,
 *    quieted; an invalid operation gives the PowerPC default NaN 0x7ff8..., not x86's.
 *  - Each operation is also rounded toward zero: a result that differs from that one was
 *    rounded away from zero (FR), and the flags are read from it, where a host's tininess
 *    after rounding (x86's) is PowerPC's tininess before rounding. Overflow depends on the mode,
 *    so it is also told by an infinity made of finite operands.
 *  - Single-precision instructions round once: the double-precision result is computed
 *    rounded to odd (truncated, last bit set if inexact), which carries enough bits for
 *    the final rounding to single to be correct. Their results are classified (FPRF) as
 *    single-precision numbers, as the architecture's single rounding does (QEMU
 *    classifies the double: it calls a single denormal normal).
 *  - fnmadd/fnmsub negate after rounding, as the architecture says (QEMU rounds the
 *    negated value, which differs when rounding toward an infinity).
 *  - Enabled overflow and underflow deliver the exponent-adjusted result (by 1536, or 192
 *    for single precision): the operation is redone on operands scaled by powers of two,
 *    exactly where that matters.
 *
 * fsqrt and fsqrts are implemented: QEMU 7.2's 440EP (the bamboo's CPU) has
 * PPC_FLOAT_FSQRT. fres is a correctly rounded single reciprocal, frsqrte the double
 * 1/sqrt(x) (two roundings): both are within the architecture's estimate precision.
 * fctiw(z) put the 32-bit result in the low word and fill the high word as QEMU 7.2 does:
 * the sign extension of the result, except 0 for a NaN operand (0x00000000_80000000).
 */
#include <math.h>

#include "fpu.h"
#include "fpu_host.h"

#define USE_A 1u
#define USE_B 2u
#define USE_C 4u
static const uint8_t fop_uses[] = {
	[FOP_ADD] = USE_A | USE_B,
	[FOP_SUB] = USE_A | USE_B,
	[FOP_MUL] = USE_A | USE_C,
	[FOP_DIV] = USE_A | USE_B,
	[FOP_SQRT] = USE_B,
	[FOP_MADD] = USE_A | USE_B | USE_C,
	[FOP_MSUB] = USE_A | USE_B | USE_C,
	[FOP_RE] = USE_B,
	[FOP_RSQRTE] = USE_B,
	[FOP_RSP] = USE_B,
};

static ALWAYS_INLINE double calc(enum fpu_op op, double a, double b, double c)
{
	double r;

	/* fresh operands and a result the compiler cannot move across a mode change or merge
	 * with another rounding of the same operation */
	FH_FRESH(a);
	FH_FRESH(b);
	FH_FRESH(c);
	switch (op) {
	case FOP_ADD:
		r = a + b;
		break;
	case FOP_SUB:
		r = a - b;
		break;
	case FOP_MUL:
		r = a * c;
		break;
	case FOP_DIV:
		r = a / b;
		break;
	case FOP_SQRT:
		r = fh_sqrt(b);
		break;
	case FOP_MADD:
		r = fma(a, c, b);
		break;
	case FOP_MSUB:
		r = fma(a, c, -b);
		break;
	case FOP_RE:
		r = 1.0 / b;
		break;
	case FOP_RSQRTE:
		r = fh_sqrt(b);
		FH_FRESH(r);
		r = 1.0 / r;
		break;
	case FOP_RSP:
	default:
		r = b;
		break;
	}
	FH_FRESH(r);
	return r;
}

static inline uint64_t mag_of(double x)
{
	return f64_bits(x) & ~F64_SIGN;
}

/* op rounded to double precision in mode rn (*r) and toward zero (*z). The flags are
 * those of the rounding toward zero: inexact, invalid and zero divide do not depend on the
 * mode, and there tininess after rounding (x86's) is tininess before rounding (PowerPC's);
 * overflow does depend on it (the caller also looks at *r). A result rounded away from
 * zero (FR) differs from *z. */
static ALWAYS_INLINE unsigned round_double(enum fpu_op op, double a, double b, double c,
					   unsigned rn, double *r, double *z)
{
	double rr = 0;
	unsigned fl;

	if (rn != FPU_RN_ZERO) {
		fh_round(rn);
		rr = calc(op, a, b, c);
	}
	fh_round(FPU_RN_ZERO);
	*z = calc(op, a, b, c);
	fl = fh_flags();
	fh_host();
	*r = rn == FPU_RN_ZERO ? *z : rr;
	return fl;
}

/* op rounded to odd in double precision: truncated, the last bit set if inexact. Rounding
 * that once more to single precision is the correctly rounded single result. An exact
 * zero takes its sign from the mode; a NaN result means invalid.
 * Inexact is told by rounding down and up, which avoids reading the flags; except for fma,
 * which measured slower that way (AMD Zen) than with one truncating fma and its flags. */
static ALWAYS_INLINE double round_odd(enum fpu_op op, double a, double b, double c, unsigned rn)
{
	if (op == FOP_MADD || op == FOP_MSUB) {
		fh_round(FPU_RN_ZERO);
		double z = calc(op, a, b, c);
		unsigned fl = fh_flags();
		uint64_t v = f64_bits(z);
		if (fl & FH_INEXACT)
			v |= 1;
		else if ((v & ~F64_SIGN) == 0 && rn != FPU_RN_ZERO) {
			fh_round(rn);
			v = f64_bits(calc(op, a, b, c));
		}
		fh_host();
		return f64_from_bits(v);
	}

	fh_round(FPU_RN_DOWN);
	double lo = calc(op, a, b, c);
	fh_round(FPU_RN_UP);
	double hi = calc(op, a, b, c);
	fh_host();

	uint64_t l = f64_bits(lo), h = f64_bits(hi);
	if (l == h)
		return lo;
	if (((l | h) & ~F64_SIGN) == 0)
		return rn == FPU_RN_DOWN ? lo : hi;
	return f64_from_bits(((l & ~F64_SIGN) < (h & ~F64_SIGN) ? l : h) | 1);
}

/* d rounded to single precision in mode rn (*r) and toward zero (*z), as round_double. */
static ALWAYS_INLINE unsigned round_single(double d, unsigned rn, double *r, double *z)
{
	double rr = 0;
	unsigned fl;

	if (rn != FPU_RN_ZERO) {
		fh_round(rn);
		rr = fh_single(d);
	}
	fh_round(FPU_RN_ZERO);
	*z = fh_single(d);
	fl = fh_flags();
	fh_host();
	*r = rn == FPU_RN_ZERO ? *z : rr;
	return fl;
}

/* d converted to a 32-bit integer, rounded in mode rn or truncated (fh_int32). */
static ALWAYS_INLINE int32_t host_to_int32(double d, bool truncate, unsigned rn, unsigned *fl)
{
	int32_t i;

	fh_round(rn);
	i = fh_int32(d, truncate, fl);
	fh_host();
	return i;
}

/* ---- exponent-adjusted results of enabled overflow (k < 0) and underflow (k > 0) ---- */

static inline int imin(int a, int b)
{
	return a < b ? a : b;
}
static inline int imax(int a, int b)
{
	return a > b ? a : b;
}

/* x * 2^k for an operand that only contributes a sticky bit when the scaling is inexact:
 * keep it nonzero with its sign. */
static double scale_sticky(double x, int k)
{
	double y = ldexp(x, k);
	if (y == 0 && x != 0)
		y = copysign(0x1p-1074, x);
	return y;
}

/* Scale the product x * y by 2^k: x takes what keeps it normal and finite, y the rest. */
static void scale_product(double *x, double *y, int k)
{
	if (*x == 0 || *y == 0 || isinf(*x) || isinf(*y))
		return;
	int ex = ilogb(*x);
	int kx = k < 0 ? -imin(-k, imax(0, ex + 1022)) : imin(k, imax(0, 1023 - ex));
	*x = ldexp(*x, kx);
	*y = scale_sticky(*y, k - kx);
}

/* Scale the quotient a / b by 2^k, each operand kept normal and finite. */
static void scale_quotient(double *a, double *b, int k)
{
	if (k < 0) {
		int ka = -imin(-k, imax(0, ilogb(*a) + 1022));
		*a = ldexp(*a, ka);
		*b = ldexp(*b, ka - k);
	} else {
		int kb = -imin(k, imax(0, ilogb(*b) + 1022));
		*a = ldexp(*a, k + kb);
		*b = ldexp(*b, kb);
	}
}

static unsigned adjusted_double(enum fpu_op op, double a, double b, double c, int k, unsigned rn,
				double *r, double *z)
{
	switch (op) {
	case FOP_ADD:
	case FOP_SUB:
		if (k > 0) {
			/* A sum below the normal range is exact. */
			*r = *z = ldexp(*r, k);
			return 0;
		}
		a = scale_sticky(a, k);
		b = scale_sticky(b, k);
		break;
	case FOP_MUL:
		scale_product(&a, &c, k);
		break;
	case FOP_DIV:
		scale_quotient(&a, &b, k);
		break;
	case FOP_MADD:
	case FOP_MSUB:
		scale_product(&a, &c, k);
		b = scale_sticky(b, k);
		break;
	default:
		/* sqrt, estimates: their results never leave the double range */
		break;
	}
	return round_double(op, a, b, c, rn, r, z);
}

/* ---- the operation ---- */

/* pred holds for one of the operands op reads. */
static ALWAYS_INLINE bool any_operand(unsigned uses, uint64_t a, uint64_t b, uint64_t c,
				      bool (*pred)(uint64_t))
{
	return ((uses & USE_A) && pred(a)) || ((uses & USE_B) && pred(b)) ||
	       ((uses & USE_C) && pred(c));
}

static bool inf_times_zero(uint64_t x, uint64_t y)
{
	return (f64_is_inf(x) && f64_is_zero(y)) || (f64_is_zero(x) && f64_is_inf(y));
}

static void nan_result(enum fpu_op op, bool single, uint64_t a, uint64_t b, uint64_t c,
		       struct fpu_res *res)
{
	unsigned uses = fop_uses[op];
	uint32_t exc = 0;
	uint64_t n;

	if (any_operand(uses, a, b, c, f64_is_snan))
		exc |= FPSCR_VXSNAN;
	/* As QEMU: infinity times zero is reported even when the addend is the NaN. */
	if ((op == FOP_MADD || op == FOP_MSUB) && inf_times_zero(a, c))
		exc |= FPSCR_VXIMZ;
	if ((uses & USE_A) && f64_is_nan(a))
		n = a;
	else if ((uses & USE_B) && f64_is_nan(b))
		n = b;
	else
		n = c;
	n |= F64_QUIET;
	if (single)
		n &= ~((1ull << 29) - 1);
	res->val = n;
	res->exc = exc;
	res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
}

static uint32_t invalid_kind(enum fpu_op op, uint64_t a, uint64_t b, uint64_t c)
{
	switch (op) {
	case FOP_ADD:
	case FOP_SUB:
		return FPSCR_VXISI;
	case FOP_MUL:
		return FPSCR_VXIMZ;
	case FOP_DIV:
		return f64_is_inf(a) ? FPSCR_VXIDI : FPSCR_VXZDZ;
	case FOP_SQRT:
	case FOP_RSQRTE:
		return FPSCR_VXSQRT;
	case FOP_MADD:
	case FOP_MSUB:
		return inf_times_zero(a, c) ? FPSCR_VXIMZ : FPSCR_VXISI;
	default:
		(void)b;
		return FPSCR_VXSOFT; /* not reached: 1/x and frsp of a non-NaN are valid */
	}
}

static void invalid_result(enum fpu_op op, uint64_t a, uint64_t b, uint64_t c,
			   struct fpu_res *res)
{
	res->val = F64_DEFAULT_NAN;
	res->exc = invalid_kind(op, a, b, c);
	res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
}

static void zero_divide_result(double inf, struct fpu_res *res)
{
	res->val = f64_bits(inf);
	res->exc = FPSCR_ZX;
	res->status = fpu_class(res->val, false) << FPSCR_FPRF_SHIFT;
}

/* Division of a finite nonzero number by zero (the single path tells it by the operands). */
static bool is_zero_divide(enum fpu_op op, uint64_t a, uint64_t b)
{
	if (!f64_is_zero(b))
		return false;
	if (op == FOP_DIV)
		return !f64_is_zero(a) && !f64_is_inf(a);
	return op == FOP_RE || op == FOP_RSQRTE;
}

static ALWAYS_INLINE void fpu_arith(uint32_t fpscr, enum fpu_op op, bool single, bool negate,
				     uint64_t ua, uint64_t ub, uint64_t uc, struct fpu_res *res)
{
	unsigned uses = fop_uses[op], rn = fpscr & FPSCR_RN;
	double a = f64_from_bits(ua), b = f64_from_bits(ub), c = f64_from_bits(uc);
	double r, z, d = 0;
	unsigned fl;

	res->status_mask = FPSCR_FR | FPSCR_FI | FPSCR_FPRF;
	if (unlikely(any_operand(uses, ua, ub, uc, f64_is_nan))) {
		nan_result(op, single, ua, ub, uc, res);
		return;
	}

	if (single) {
		d = op == FOP_RSP ? b : round_odd(op, a, b, c, rn);
		if (unlikely(f64_is_nan(f64_bits(d)))) {
			invalid_result(op, ua, ub, uc, res);
			return;
		}
		if (unlikely(is_zero_divide(op, ua, ub))) {
			zero_divide_result(d, res);
			return;
		}
		fl = round_single(d, rn, &r, &z);
	} else {
		fl = round_double(op, a, b, c, rn, &r, &z);
		if (unlikely(fl & FH_INVALID)) {
			invalid_result(op, ua, ub, uc, res);
			return;
		}
		if (unlikely(fl & FH_DIVBYZERO)) {
			zero_divide_result(r, res);
			return;
		}
	}

	uint64_t min_normal = single ? (uint64_t)897 << 52 : 1ull << 52;
	uint64_t mag = mag_of(r);
	uint32_t exc = 0;

	/* Overflow depends on the mode: the flag toward zero, or an infinity made of finite
	 * numbers. FH_UNDERFLOW: tiny and inexact; an enabled underflow also takes exact tiny
	 * results. */
	bool inf_in = single ? f64_is_inf(f64_bits(d)) : any_operand(uses, ua, ub, uc, f64_is_inf);
	bool ovf = (fl & FH_OVERFLOW) || (mag == F64_EXP_MASK && !inf_in);
	if (unlikely(ovf || (fl & FH_UNDERFLOW) || ((fpscr & FPSCR_UE) && mag != 0 && mag < min_normal))) {
		int k = 0;
		if (ovf) {
			exc |= FPSCR_OX;
			if (fpscr & FPSCR_OE)
				k = single ? -192 : -1536;
		} else {
			exc |= FPSCR_UX;
			if (fpscr & FPSCR_UE)
				k = single ? 192 : 1536;
		}
		if (k != 0) {
			if (single)
				fl = round_single(ldexp(d, k), rn, &r, &z);
			else
				fl = adjusted_double(op, a, b, c, k, rn, &r, &z);
		}
	}
	bool inexact = fl & FH_INEXACT;
	if (inexact)
		exc |= FPSCR_XX;

	uint64_t v = f64_bits(r);
	if (negate)
		v ^= F64_SIGN;
	res->val = v;
	res->exc = exc;
	res->status = (inexact && f64_bits(r) != f64_bits(z) ? FPSCR_FR : 0) |
		      (inexact ? FPSCR_FI : 0) | fpu_class(v, single) << FPSCR_FPRF_SHIFT;
}

void fpu_calc(uint32_t fpscr, enum fpu_op op, bool single, bool negate, uint64_t a, uint64_t b,
	      uint64_t c, struct fpu_res *res)
{
	fpu_arith(fpscr, op, single, negate, a, b, c, res);
}

static ALWAYS_INLINE const struct cpu_dinsn *arith(struct cpu *c, const struct cpu_dinsn *d,
						   enum fpu_op op, bool single, bool negate)
{
	struct fpu_res r;
	fpu_arith(c->fpscr, op, single, negate, c->fpr[d->ra], c->fpr[d->rb], c->fpr[d->frc], &r);
	return fpu_commit(c, d, &r);
}

#define ARITH(name, op, single, negate)                                                            \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		FPU_CHECK(c, d);                                                                   \
		CPU_GOTO(c, arith(c, d, op, single, negate));                                            \
	}

ARITH(fadd, FOP_ADD, false, false)
ARITH(fadds, FOP_ADD, true, false)
ARITH(fsub, FOP_SUB, false, false)
ARITH(fsubs, FOP_SUB, true, false)
ARITH(fmul, FOP_MUL, false, false)
ARITH(fmuls, FOP_MUL, true, false)
ARITH(fdiv, FOP_DIV, false, false)
ARITH(fdivs, FOP_DIV, true, false)
ARITH(fsqrt, FOP_SQRT, false, false)
ARITH(fsqrts, FOP_SQRT, true, false)
ARITH(fmadd, FOP_MADD, false, false)
ARITH(fmadds, FOP_MADD, true, false)
ARITH(fmsub, FOP_MSUB, false, false)
ARITH(fmsubs, FOP_MSUB, true, false)
ARITH(fnmadd, FOP_MADD, false, true)
ARITH(fnmadds, FOP_MADD, true, true)
ARITH(fnmsub, FOP_MSUB, false, true)
ARITH(fnmsubs, FOP_MSUB, true, true)
ARITH(fres, FOP_RE, true, false)
ARITH(frsqrte, FOP_RSQRTE, false, false)
ARITH(frsp, FOP_RSP, true, false)
#if CPU_IS64
/* Power ISA 2.07's estimates in the other precision: as correctly rounded as fres/frsqrte */
ARITH(fre, FOP_RE, false, false)
ARITH(frsqrtes, FOP_RSQRTE, true, false)
#endif

/* ---- fctiw, fctiwz ---- */

static void fpu_ctiw(uint32_t fpscr, uint64_t ub, bool truncate, struct fpu_res *res)
{
	unsigned fl;
	int32_t i;

	res->status_mask = FPSCR_FR | FPSCR_FI; /* FPRF is undefined: left alone */
	if (unlikely(f64_is_nan(ub))) {
		res->val = 0x80000000u;
		res->exc = FPSCR_VXCVI | (f64_is_snan(ub) ? FPSCR_VXSNAN : 0);
		res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
		res->status_mask |= FPSCR_FPRF;
		return;
	}
	i = host_to_int32(f64_from_bits(ub), truncate, fpscr & FPSCR_RN, &fl);
	if (unlikely(fl & FH_INVALID)) {
		/* Out of range: saturate. */
		i = (ub & F64_SIGN) ? INT32_MIN : INT32_MAX;
		res->val = (uint64_t)(int64_t)i;
		res->exc = FPSCR_VXCVI;
		res->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
		res->status_mask |= FPSCR_FPRF;
		return;
	}
	bool inexact = fl & FH_INEXACT;
	res->val = (uint64_t)(int64_t)i;
	res->exc = inexact ? FPSCR_XX : 0;
	res->status = inexact ? FPSCR_FI : 0;
	if (inexact && mag_of((double)i) > (ub & ~F64_SIGN))
		res->status |= FPSCR_FR;
}

CPU_HANDLER(op_fctiw)
{
	FPU_CHECK(c, d);
	struct fpu_res r;
	fpu_ctiw(c->fpscr, c->fpr[d->rb], false, &r);
	CPU_GOTO(c, fpu_commit(c, d, &r));
}

CPU_HANDLER(op_fctiwz)
{
	FPU_CHECK(c, d);
	struct fpu_res r;
	fpu_ctiw(c->fpscr, c->fpr[d->rb], true, &r);
	CPU_GOTO(c, fpu_commit(c, d, &r));
}
