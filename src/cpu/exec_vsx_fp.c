// SPDX-License-Identifier: MIT
/* The 64-bit core's VSX floating point (Power ISA 2.07 Book I chapter 7): the scalar
 * instructions (xs*) on doubleword 0 of a VSR, the vector ones (xv*) on every element.
 *
 * The arithmetic is the FPU's (fpu_calc, fpu_convert.c): the same rounding, NaN and
 * exception rules as the FP instructions of the same name. A scalar instruction sets the
 * FPSCR as its FP twin (FPRF, FR, FI and the exception bits) and, with an enabled invalid
 * or zero-divide exception, leaves its target alone. A vector instruction gathers the
 * exceptions of all its elements, sets neither FPRF nor FR nor FI, and leaves the whole
 * target alone when one of them takes an enabled exception (Book I 7.4). Where the
 * architecture leaves the rest of the target undefined (doubleword 1 of a scalar result),
 * the core gives QEMU 7.2's.
 */
#include "fpu.h"
#include "vsx.h"

#if CPU_IS64

/* A scalar result: doubleword 0, doubleword 1 as QEMU 7.2 leaves it (0) */
static inline void set_scalar(struct cpu *c, unsigned t, uint64_t x)
{
	cpu_vsr_set(c, t, (struct cpu_vsr){x, 0});
}

static inline uint64_t dw0(const struct cpu *c, unsigned r)
{
	return cpu_vsr_get(c, r).hi;
}

static ALWAYS_INLINE const struct cpu_dinsn *scalar_commit(struct cpu *c, const struct cpu_dinsn *d,
							   const struct fpu_res *r)
{
	if (fpu_record(c, r))
		set_scalar(c, d->rt, r->val);
	return fpu_end(c, d, r->exc);
}

/* ---- scalar arithmetic (XX3 and XX2 forms) ---- */

/* where an operation's operands come from: FPU order a (FRA), b (FRB), c (FRC) */
enum xs_operands {
	XS_AB, /* a = XA, b = XB: add, subtract, divide */
	XS_AC, /* a = XA, c = XB: multiply */
	XS_B,  /* b = XB: square root, estimates, round to single */
	XS_MA, /* multiply-add A type: XA * XB + XT */
	XS_MM, /* multiply-add M type: XA * XT + XB */
};

static ALWAYS_INLINE void operands(const struct cpu *c, const struct cpu_dinsn *d,
				   enum xs_operands o, unsigned i, uint64_t *a, uint64_t *b,
				   uint64_t *m)
{
	struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb),
		       xt = cpu_vsr_get(c, d->rt);
	uint64_t va = vsr_dw(xa, i), vb = vsr_dw(xb, i), vt = vsr_dw(xt, i);
	*a = va;
	*b = vb;
	*m = vb;
	if (o == XS_MA) {
		*b = vt;
	} else if (o == XS_MM) {
		*m = vt;
	}
}

static ALWAYS_INLINE const struct cpu_dinsn *xs_arith(struct cpu *c, const struct cpu_dinsn *d,
						      enum fpu_op op, enum xs_operands o,
						      bool single, bool negate)
{
	uint64_t a, b, m;
	struct fpu_res r;
	operands(c, d, o, 0, &a, &b, &m);
	fpu_calc(c->fpscr, op, single, negate, a, b, m, &r);
	return scalar_commit(c, d, &r);
}

#define XS_ARITH(name, op, o, single, negate)                                                     \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xs_arith(c, d, op, o, single, negate));                                \
	}

/* clang-format off */
XS_ARITH(xsadddp, FOP_ADD, XS_AB, false, false)
XS_ARITH(xssubdp, FOP_SUB, XS_AB, false, false)
XS_ARITH(xsmuldp, FOP_MUL, XS_AC, false, false)
XS_ARITH(xsdivdp, FOP_DIV, XS_AB, false, false)
XS_ARITH(xssqrtdp, FOP_SQRT, XS_B, false, false)
XS_ARITH(xsredp, FOP_RE, XS_B, false, false)
XS_ARITH(xsrsqrtedp, FOP_RSQRTE, XS_B, false, false)
XS_ARITH(xsmaddadp, FOP_MADD, XS_MA, false, false)
XS_ARITH(xsmaddmdp, FOP_MADD, XS_MM, false, false)
XS_ARITH(xsmsubadp, FOP_MSUB, XS_MA, false, false)
XS_ARITH(xsmsubmdp, FOP_MSUB, XS_MM, false, false)
XS_ARITH(xsnmaddadp, FOP_MADD, XS_MA, false, true)
XS_ARITH(xsnmaddmdp, FOP_MADD, XS_MM, false, true)
XS_ARITH(xsnmsubadp, FOP_MSUB, XS_MA, false, true)
XS_ARITH(xsnmsubmdp, FOP_MSUB, XS_MM, false, true)
XS_ARITH(xsaddsp, FOP_ADD, XS_AB, true, false)
XS_ARITH(xssubsp, FOP_SUB, XS_AB, true, false)
XS_ARITH(xsmulsp, FOP_MUL, XS_AC, true, false)
XS_ARITH(xsdivsp, FOP_DIV, XS_AB, true, false)
XS_ARITH(xssqrtsp, FOP_SQRT, XS_B, true, false)
XS_ARITH(xsresp, FOP_RE, XS_B, true, false)
XS_ARITH(xsrsqrtesp, FOP_RSQRTE, XS_B, true, false)
XS_ARITH(xsrsp, FOP_RSP, XS_B, true, false)
XS_ARITH(xsmaddasp, FOP_MADD, XS_MA, true, false)
XS_ARITH(xsmaddmsp, FOP_MADD, XS_MM, true, false)
XS_ARITH(xsmsubasp, FOP_MSUB, XS_MA, true, false)
XS_ARITH(xsmsubmsp, FOP_MSUB, XS_MM, true, false)
XS_ARITH(xsnmaddasp, FOP_MADD, XS_MA, true, true)
XS_ARITH(xsnmaddmsp, FOP_MADD, XS_MM, true, true)
XS_ARITH(xsnmsubasp, FOP_MSUB, XS_MA, true, true)
XS_ARITH(xsnmsubmsp, FOP_MSUB, XS_MM, true, true)
/* clang-format on */

/* ---- maximum and minimum: +0 above -0; a quiet NaN loses to a number; an SNaN operand is
 * invalid and gives the first NaN, quieted (Book I 7.6.1, xsmaxdp) ---- */

static uint64_t max_min(uint64_t a, uint64_t b, bool max, uint32_t *exc)
{
	bool na = f64_is_nan(a), nb = f64_is_nan(b);
	if (unlikely(na || nb)) {
		if (f64_is_snan(a) || f64_is_snan(b)) {
			*exc |= FPSCR_VXSNAN;
			return (na ? a : b) | F64_QUIET;
		}
		return na && nb ? a : na ? b : a;
	}
	int64_t x = (a >> 63) ? -(int64_t)(a & ~F64_SIGN) - 1 : (int64_t)a;
	int64_t y = (b >> 63) ? -(int64_t)(b & ~F64_SIGN) - 1 : (int64_t)b;
	return (max ? x > y : x < y) ? a : b;
}

static ALWAYS_INLINE const struct cpu_dinsn *xs_max_min(struct cpu *c, const struct cpu_dinsn *d,
							bool max)
{
	struct fpu_res r = {.status_mask = 0};
	r.val = max_min(dw0(c, d->ra), dw0(c, d->rb), max, &r.exc);
	return scalar_commit(c, d, &r);
}

CPU_HANDLER(op_xsmaxdp)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, xs_max_min(c, d, true));
}

CPU_HANDLER(op_xsmindp)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, xs_max_min(c, d, false));
}

/* ---- sign moves: no FPSCR change ---- */

#define XS_SIGN(name, expr)                                                                        \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		uint64_t a = dw0(c, d->ra), b = dw0(c, d->rb);                                     \
		(void)a;                                                                           \
		set_scalar(c, d->rt, (expr));                                                      \
		CPU_NEXT(c, d + 1);                                                                \
	}

/* clang-format off */
XS_SIGN(xsabsdp, b & ~F64_SIGN)
XS_SIGN(xsnabsdp, b | F64_SIGN)
XS_SIGN(xsnegdp, b ^ F64_SIGN)
XS_SIGN(xscpsgndp, (a & F64_SIGN) | (b & ~F64_SIGN))
/* clang-format on */

/* ---- compares and tests (BF: bits 6-8) ---- */

static inline unsigned bf_of(const struct cpu_dinsn *d)
{
	return (d->insn >> 23) & 7;
}

CPU_HANDLER(op_xscmpudp)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, fpu_compare(c, d, dw0(c, d->ra), dw0(c, d->rb), bf_of(d), false));
}

CPU_HANDLER(op_xscmpodp)
{
	VSX_CHECK(c, d);
	CPU_GOTO(c, fpu_compare(c, d, dw0(c, d->ra), dw0(c, d->rb), bf_of(d), true));
}

CPU_HANDLER(op_xstdivdp)
{
	VSX_CHECK(c, d);
	cpu_set_crf(c, bf_of(d), fpu_tdiv(dw0(c, d->ra), dw0(c, d->rb)));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_xstsqrtdp)
{
	VSX_CHECK(c, d);
	cpu_set_crf(c, bf_of(d), fpu_tsqrt(dw0(c, d->rb)));
	CPU_NEXT(c, d + 1);
}

/* ---- conversions between precisions ---- */

/* xscvdpsp: doubleword 0 rounded to single precision, in word 0 (as fpu: frsp) */
CPU_HANDLER(op_xscvdpsp)
{
	VSX_CHECK(c, d);
	struct fpu_res r;
	fpu_calc(c->fpscr, FOP_RSP, true, false, 0, dw0(c, d->rb), 0, &r);
	if (fpu_record(c, &r)) {
		uint64_t w = cpu_fp_single_of_double(r.val);
		cpu_vsr_set(c, d->rt, (struct cpu_vsr){w << 32 | w, 0});
	}
	CPU_GOTO(c, fpu_end(c, d, r.exc));
}

/* xscvspdp: the single in word 0 as a double; an SNaN is invalid and quieted */
CPU_HANDLER(op_xscvspdp)
{
	VSX_CHECK(c, d);
	uint32_t w = (uint32_t)(dw0(c, d->rb) >> 32);
	struct fpu_res r = {.status_mask = FPSCR_FPRF | FPSCR_FR | FPSCR_FI}; /* FR, FI: 0 */
	r.val = cpu_fp_double_of_single(w);
	if (f64_is_snan(r.val)) {
		r.exc = FPSCR_VXSNAN;
		r.val |= F64_QUIET;
	}
	r.status = fpu_class(r.val, true) << FPSCR_FPRF_SHIFT;
	CPU_GOTO(c, scalar_commit(c, d, &r));
}

/* the non-signalling forms: format conversions without an FPSCR change */
CPU_HANDLER(op_xscvdpspn)
{
	VSX_CHECK(c, d);
	uint64_t w = cpu_fp_single_of_double(dw0(c, d->rb));
	cpu_vsr_set(c, d->rt, (struct cpu_vsr){w << 32 | w, 0});
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_xscvspdpn)
{
	VSX_CHECK(c, d);
	set_scalar(c, d->rt, cpu_fp_double_of_single((uint32_t)(dw0(c, d->rb) >> 32)));
	CPU_NEXT(c, d + 1);
}

/* ---- conversions to and from integers ---- */

/* to an integer, truncated: doubleword 0, or word 1 for the word forms */
static ALWAYS_INLINE const struct cpu_dinsn *xs_to_int(struct cpu *c, const struct cpu_dinsn *d,
						       enum fpu_int kind)
{
	struct fpu_res r;
	fpu_to_int(dw0(c, d->rb), kind, FPU_RN_ZERO, &r);
	r.status_mask &= ~FPSCR_FPRF; /* undefined even when invalid: QEMU keeps it */
	r.status &= ~FPSCR_FPRF;
	if (kind == FPU_INT_S32 || kind == FPU_INT_U32) /* word 1; word 0 the same, as QEMU */
		r.val = (r.val & UINT32_MAX) * 0x100000001ull;
	return scalar_commit(c, d, &r);
}

#define XS_TO_INT(name, kind)                                                                      \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xs_to_int(c, d, kind));                                                \
	}

/* clang-format off */
XS_TO_INT(xscvdpsxds, FPU_INT_S64) XS_TO_INT(xscvdpuxds, FPU_INT_U64)
XS_TO_INT(xscvdpsxws, FPU_INT_S32) XS_TO_INT(xscvdpuxws, FPU_INT_U32)
/* clang-format on */

static ALWAYS_INLINE const struct cpu_dinsn *xs_from_int(struct cpu *c, const struct cpu_dinsn *d,
							 bool sign, unsigned prec)
{
	struct fpu_res r;
	uint64_t v = dw0(c, d->rb);
	bool neg = sign && (int64_t)v < 0;
	fpu_from_int(neg ? -v : v, neg, prec, c->fpscr & FPSCR_RN, &r);
	return scalar_commit(c, d, &r);
}

#define XS_FROM_INT(name, sign, prec)                                                              \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xs_from_int(c, d, sign, prec));                                        \
	}

/* clang-format off */
XS_FROM_INT(xscvsxddp, true, 53) XS_FROM_INT(xscvuxddp, false, 53)
XS_FROM_INT(xscvsxdsp, true, 24) XS_FROM_INT(xscvuxdsp, false, 24)
/* clang-format on */

/* ---- round to an integral value ---- */

#define RND_NEAR_AWAY 4u /* besides FPSCR[RN]'s four: to nearest, ties away from zero */

/* x (not a NaN) rounded to an integral value in mode; *inexact if that changed it */
static uint64_t round_integral(uint64_t x, unsigned mode, bool *inexact)
{
	unsigned bexp = (unsigned)(x >> 52) & 0x7ff;
	bool neg = x >> 63;
	uint64_t sign = x & F64_SIGN;
	*inexact = false;
	if (bexp >= 1023 + 52 || f64_is_zero(x))
		return x; /* integral already, or infinite */
	uint64_t q, frac = x & F64_FRAC_MASK;
	bool above, half;
	if (bexp < 1023) { /* below one: nonzero, never integral */
		q = 0;
		above = bexp == 1022 && frac != 0;
		half = bexp == 1022 && frac == 0;
	} else {
		unsigned shift = 1075 - bexp; /* fraction bits below the point: 1..52 */
		uint64_t m = frac | 1ull << 52, rem = m & ((1ull << shift) - 1);
		if (rem == 0)
			return x;
		q = m >> shift;
		above = rem > 1ull << (shift - 1);
		half = rem == 1ull << (shift - 1);
	}
	*inexact = true;
	bool up;
	switch (mode) {
	case FPU_RN_NEAR:
		up = above || (half && (q & 1));
		break;
	case RND_NEAR_AWAY:
		up = above || half;
		break;
	case FPU_RN_UP:
		up = !neg;
		break;
	case FPU_RN_DOWN:
		up = neg;
		break;
	default:
		up = false;
		break;
	}
	q += up;
	if (q == 0)
		return sign;
	/* q is an integer below 2^53: exact in a double */
	unsigned e = 63 - (unsigned)__builtin_clzll(q);
	return sign | (uint64_t)(e + 1023) << 52 | ((q << (52 - e)) & F64_FRAC_MASK);
}

/* xsrdpi* and fri*: an SNaN is invalid (quieted), a QNaN stays; only the current-mode
 * form (xsrdpic) reports inexact, the others leave FR and FI 0 */
static void rnd_int(uint64_t b, unsigned mode, bool report_inexact, struct fpu_res *r)
{
	bool inexact;
	r->status_mask = FPSCR_FPRF | FPSCR_FR | FPSCR_FI;
	r->exc = 0;
	if (f64_is_nan(b)) {
		r->val = b | F64_QUIET;
		r->exc = f64_is_snan(b) ? FPSCR_VXSNAN : 0;
		r->status = FPRF_QNAN << FPSCR_FPRF_SHIFT;
		return;
	}
	r->val = round_integral(b, mode, &inexact);
	r->status = fpu_class(r->val, false) << FPSCR_FPRF_SHIFT;
	if (report_inexact && inexact) {
		r->exc = FPSCR_XX;
		r->status |= FPSCR_FI;
	}
}

static ALWAYS_INLINE const struct cpu_dinsn *xs_round(struct cpu *c, const struct cpu_dinsn *d,
						      int mode)
{
	struct fpu_res r;
	if (mode < 0)
		rnd_int(dw0(c, d->rb), c->fpscr & FPSCR_RN, true, &r);
	else
		rnd_int(dw0(c, d->rb), (unsigned)mode, false, &r);
	return scalar_commit(c, d, &r);
}

#define XS_ROUND(name, mode)                                                                       \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xs_round(c, d, mode));                                                 \
	}

/* clang-format off */
XS_ROUND(xsrdpi, RND_NEAR_AWAY) XS_ROUND(xsrdpiz, FPU_RN_ZERO) XS_ROUND(xsrdpip, FPU_RN_UP)
XS_ROUND(xsrdpim, FPU_RN_DOWN) XS_ROUND(xsrdpic, -1)
/* clang-format on */

/* the FPU's frin, friz, frip, frim (primary 63) are the same operation on an FPR */
#define FRI(name, mode)                                                                            \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		FPU_CHECK(c, d);                                                                   \
		struct fpu_res r;                                                                  \
		rnd_int(c->fpr[d->rb], mode, false, &r);                                           \
		CPU_GOTO(c, fpu_commit(c, d, &r));                                                 \
	}

/* clang-format off */
FRI(frin, RND_NEAR_AWAY) FRI(friz, FPU_RN_ZERO) FRI(frip, FPU_RN_UP) FRI(frim, FPU_RN_DOWN)
/* clang-format on */

/* ---- vector floating point: two doubles or four singles ---- */

/* element i of v as a double (a single is widened exactly) */
static inline uint64_t el_get(struct cpu_vsr v, bool sp, unsigned i)
{
	return sp ? cpu_fp_double_of_single(vsr_word(v, i)) : vsr_dw(v, i);
}

/* set element i of *v to the double x (a single-precision result is exact as a single) */
static inline void el_set(struct cpu_vsr *v, bool sp, unsigned i, uint64_t x)
{
	if (!sp) {
		*(i ? &v->lo : &v->hi) = x;
		return;
	}
	el_set_word(v, i, cpu_fp_single_of_double(x));
}

/* The whole target or nothing: an enabled exception of any element leaves it alone. */
static ALWAYS_INLINE const struct cpu_dinsn *vec_commit(struct cpu *c, const struct cpu_dinsn *d,
							struct cpu_vsr v, uint32_t exc)
{
	struct fpu_res r = {.exc = exc, .status_mask = 0};
	if (fpu_record(c, &r))
		cpu_vsr_set(c, d->rt, v);
	return fpu_end(c, d, exc);
}

static ALWAYS_INLINE const struct cpu_dinsn *xv_arith(struct cpu *c, const struct cpu_dinsn *d,
						      enum fpu_op op, enum xs_operands o, bool sp,
						      bool negate)
{
	struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb),
		       xt = cpu_vsr_get(c, d->rt), v = xt;
	uint32_t exc = 0;
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++) {
		uint64_t a = el_get(xa, sp, i), b = el_get(xb, sp, i), m = b, t = el_get(xt, sp, i);
		struct fpu_res r;
		if (o == XS_MA)
			b = t;
		else if (o == XS_MM)
			m = t;
		fpu_calc(c->fpscr, op, sp, negate, a, b, m, &r);
		exc |= r.exc;
		el_set(&v, sp, i, r.val);
	}
	return vec_commit(c, d, v, exc);
}

#define XV_ARITH(name, op, o, sp, negate)                                                         \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_arith(c, d, op, o, sp, negate));                                    \
	}

/* clang-format off */
XV_ARITH(xvadddp, FOP_ADD, XS_AB, false, false)
XV_ARITH(xvsubdp, FOP_SUB, XS_AB, false, false)
XV_ARITH(xvmuldp, FOP_MUL, XS_AC, false, false)
XV_ARITH(xvdivdp, FOP_DIV, XS_AB, false, false)
XV_ARITH(xvsqrtdp, FOP_SQRT, XS_B, false, false)
XV_ARITH(xvredp, FOP_RE, XS_B, false, false)
XV_ARITH(xvrsqrtedp, FOP_RSQRTE, XS_B, false, false)
XV_ARITH(xvmaddadp, FOP_MADD, XS_MA, false, false)
XV_ARITH(xvmaddmdp, FOP_MADD, XS_MM, false, false)
XV_ARITH(xvmsubadp, FOP_MSUB, XS_MA, false, false)
XV_ARITH(xvmsubmdp, FOP_MSUB, XS_MM, false, false)
XV_ARITH(xvnmaddadp, FOP_MADD, XS_MA, false, true)
XV_ARITH(xvnmaddmdp, FOP_MADD, XS_MM, false, true)
XV_ARITH(xvnmsubadp, FOP_MSUB, XS_MA, false, true)
XV_ARITH(xvnmsubmdp, FOP_MSUB, XS_MM, false, true)
XV_ARITH(xvaddsp, FOP_ADD, XS_AB, true, false)
XV_ARITH(xvsubsp, FOP_SUB, XS_AB, true, false)
XV_ARITH(xvmulsp, FOP_MUL, XS_AC, true, false)
XV_ARITH(xvdivsp, FOP_DIV, XS_AB, true, false)
XV_ARITH(xvsqrtsp, FOP_SQRT, XS_B, true, false)
XV_ARITH(xvresp, FOP_RE, XS_B, true, false)
XV_ARITH(xvrsqrtesp, FOP_RSQRTE, XS_B, true, false)
XV_ARITH(xvmaddasp, FOP_MADD, XS_MA, true, false)
XV_ARITH(xvmaddmsp, FOP_MADD, XS_MM, true, false)
XV_ARITH(xvmsubasp, FOP_MSUB, XS_MA, true, false)
XV_ARITH(xvmsubmsp, FOP_MSUB, XS_MM, true, false)
XV_ARITH(xvnmaddasp, FOP_MADD, XS_MA, true, true)
XV_ARITH(xvnmaddmsp, FOP_MADD, XS_MM, true, true)
XV_ARITH(xvnmsubasp, FOP_MSUB, XS_MA, true, true)
XV_ARITH(xvnmsubmsp, FOP_MSUB, XS_MM, true, true)
/* clang-format on */

static ALWAYS_INLINE const struct cpu_dinsn *xv_max_min(struct cpu *c, const struct cpu_dinsn *d,
							bool sp, bool max)
{
	struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb), v = xa;
	uint32_t exc = 0;
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++)
		el_set(&v, sp, i, max_min(el_get(xa, sp, i), el_get(xb, sp, i), max, &exc));
	return vec_commit(c, d, v, exc);
}

#define XV_MAX_MIN(name, sp, max)                                                                  \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_max_min(c, d, sp, max));                                            \
	}

/* clang-format off */
XV_MAX_MIN(xvmaxdp, false, true) XV_MAX_MIN(xvmindp, false, false)
XV_MAX_MIN(xvmaxsp, true, true) XV_MAX_MIN(xvminsp, true, false)
/* clang-format on */

/* sign moves: bit 0 of every element (the doublewords' or the words' sign bits) */
#define XV_SIGN(name, sbit, expr)                                                                  \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb);             \
		uint64_t s = (sbit), a = xa.hi, b = xb.hi, hi = (expr);                            \
		a = xa.lo, b = xb.lo;                                                              \
		(void)a;                                                                           \
		cpu_vsr_set(c, d->rt, (struct cpu_vsr){hi, (expr)});                               \
		CPU_NEXT(c, d + 1);                                                                \
	}

#define DP_SIGNS F64_SIGN
#define SP_SIGNS 0x8000000080000000ull
/* clang-format off */
XV_SIGN(xvabsdp, DP_SIGNS, b & ~s) XV_SIGN(xvnabsdp, DP_SIGNS, b | s)
XV_SIGN(xvnegdp, DP_SIGNS, b ^ s) XV_SIGN(xvcpsgndp, DP_SIGNS, (a & s) | (b & ~s))
XV_SIGN(xvabssp, SP_SIGNS, b & ~s) XV_SIGN(xvnabssp, SP_SIGNS, b | s)
XV_SIGN(xvnegsp, SP_SIGNS, b ^ s) XV_SIGN(xvcpsgnsp, SP_SIGNS, (a & s) | (b & ~s))
/* clang-format on */

/* ---- vector compares (XX3R: Rc sets CR6 to all-true || 0 || none-true || 0) ---- */

enum xv_cmp { CMP_EQ, CMP_GE, CMP_GT };

static ALWAYS_INLINE const struct cpu_dinsn *xv_compare(struct cpu *c, const struct cpu_dinsn *d,
							enum xv_cmp kind, bool sp)
{
	struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb), v = {0, 0};
	uint32_t exc = 0;
	unsigned n = sp ? 4 : 2, all = 1, none = 1;
	for (unsigned i = 0; i < n; i++) {
		uint64_t a = el_get(xa, sp, i), b = el_get(xb, sp, i);
		bool t = false;
		if (f64_is_nan(a) || f64_is_nan(b)) {
			if (f64_is_snan(a) || f64_is_snan(b)) {
				exc |= FPSCR_VXSNAN;
				if (kind != CMP_EQ && !(c->fpscr & FPSCR_VE))
					exc |= FPSCR_VXVC;
			} else if (kind != CMP_EQ) {
				exc |= FPSCR_VXVC;
			}
		} else {
			int64_t x = (a >> 63) ? -(int64_t)(a & ~F64_SIGN) : (int64_t)a;
			int64_t y = (b >> 63) ? -(int64_t)(b & ~F64_SIGN) : (int64_t)b;
			t = kind == CMP_EQ ? x == y : kind == CMP_GE ? x >= y : x > y;
		}
		if (sp)
			el_set_word(&v, i, t ? UINT32_MAX : 0);
		else
			*(i ? &v.lo : &v.hi) = t ? UINT64_MAX : 0;
		all &= t;
		none &= !t;
	}
	struct fpu_res r = {.exc = exc, .status_mask = 0};
	if (fpu_record(c, &r)) {
		cpu_vsr_set(c, d->rt, v);
		if (d->flags & CPU_D_RC)
			cpu_set_crf(c, 6, all << 3 | none << 1);
	}
	/* fpu_end without its CR1: Rc here is CR6's */
	if (unlikely(exc != 0) && fpscr_exc_enabled(exc, c->fpscr) && c->fp_exc_mode)
		return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_FP);
	return d + 1;
}

#define XV_CMP(name, kind, sp)                                                                     \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_compare(c, d, kind, sp));                                           \
	}

/* clang-format off */
XV_CMP(xvcmpeqdp, CMP_EQ, false) XV_CMP(xvcmpgedp, CMP_GE, false) XV_CMP(xvcmpgtdp, CMP_GT, false)
XV_CMP(xvcmpeqsp, CMP_EQ, true) XV_CMP(xvcmpgesp, CMP_GE, true) XV_CMP(xvcmpgtsp, CMP_GT, true)
/* clang-format on */

/* xvtdiv*, xvtsqrt*: ftdiv/ftsqrt's tests of every element, ORed (single precision: the
 * single format's exponent range and precision) */
static unsigned test_div(uint64_t a, uint64_t b, bool sp)
{
	if (!sp)
		return fpu_tdiv(a, b);
	bool fe = false, fg = false;
	if (f64_is_inf(a) || f64_is_inf(b) || f64_is_zero(b)) {
		fe = fg = true;
	} else {
		int ea = (int)((a >> 52) & 0x7ff) - 1023, eb = (int)((b >> 52) & 0x7ff) - 1023;
		if (f64_is_nan(a) || f64_is_nan(b) || eb <= -126 || eb >= 125)
			fe = true;
		else if (!f64_is_zero(a) && (ea - eb >= 127 || ea - eb <= -125 || ea <= -103))
			fe = true;
		fg = eb < -126;
	}
	return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

static unsigned test_sqrt(uint64_t b, bool sp)
{
	if (!sp)
		return fpu_tsqrt(b);
	bool fe = false, fg = false;
	if (f64_is_inf(b) || f64_is_zero(b)) {
		fe = fg = true;
	} else {
		int eb = (int)((b >> 52) & 0x7ff) - 1023;
		if (f64_is_nan(b) || (b & F64_SIGN) || eb <= -103)
			fe = true;
		fg = eb < -126;
	}
	return 8 | (fg ? 4 : 0) | (fe ? 2 : 0);
}

static ALWAYS_INLINE const struct cpu_dinsn *xv_test(struct cpu *c, const struct cpu_dinsn *d,
						     bool sp, bool sqrt)
{
	struct cpu_vsr xa = cpu_vsr_get(c, d->ra), xb = cpu_vsr_get(c, d->rb);
	unsigned bits = 8;
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++)
		bits |= sqrt ? test_sqrt(el_get(xb, sp, i), sp)
			     : test_div(el_get(xa, sp, i), el_get(xb, sp, i), sp);
	cpu_set_crf(c, bf_of(d), bits);
	return d + 1;
}

#define XV_TEST(name, sp, sqrt)                                                                    \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_test(c, d, sp, sqrt));                                              \
	}

/* clang-format off */
XV_TEST(xvtdivdp, false, false) XV_TEST(xvtdivsp, true, false)
XV_TEST(xvtsqrtdp, false, true) XV_TEST(xvtsqrtsp, true, true)
/* clang-format on */

/* ---- vector conversions ---- */

/* xvcvdpsp: each double rounded to single, in words 0 and 2 (and 1 and 3: the same, as
 * QEMU); xvcvspdp: words 0 and 2 widened */
CPU_HANDLER(op_xvcvdpsp)
{
	VSX_CHECK(c, d);
	struct cpu_vsr xb = cpu_vsr_get(c, d->rb), v;
	uint32_t exc = 0, w[2];
	for (unsigned i = 0; i < 2; i++) {
		struct fpu_res r;
		fpu_calc(c->fpscr, FOP_RSP, true, false, 0, vsr_dw(xb, i), 0, &r);
		exc |= r.exc;
		w[i] = cpu_fp_single_of_double(r.val);
	}
	v = vsr_of_words(w[0], w[0], w[1], w[1]);
	CPU_GOTO(c, vec_commit(c, d, v, exc));
}

CPU_HANDLER(op_xvcvspdp)
{
	VSX_CHECK(c, d);
	struct cpu_vsr xb = cpu_vsr_get(c, d->rb), v;
	uint32_t exc = 0;
	uint64_t x[2];
	for (unsigned i = 0; i < 2; i++) {
		x[i] = cpu_fp_double_of_single(vsr_word(xb, 2 * i));
		if (f64_is_snan(x[i])) {
			exc |= FPSCR_VXSNAN;
			x[i] |= F64_QUIET;
		}
	}
	v = (struct cpu_vsr){x[0], x[1]};
	CPU_GOTO(c, vec_commit(c, d, v, exc));
}

/* to integers, truncated. src_sp: the operands are words 0 and 2 (four words when the
 * result is words too); the word results of doubles go to words 0 and 2 (1 and 3 the same) */
static ALWAYS_INLINE const struct cpu_dinsn *xv_to_int(struct cpu *c, const struct cpu_dinsn *d,
						       bool src_sp, enum fpu_int kind)
{
	struct cpu_vsr xb = cpu_vsr_get(c, d->rb), v;
	bool words = kind == FPU_INT_S32 || kind == FPU_INT_U32;
	uint32_t exc = 0;
	uint64_t out[4];
	unsigned n = src_sp && words ? 4 : 2;
	for (unsigned i = 0; i < n; i++) {
		uint64_t b = src_sp ? cpu_fp_double_of_single(vsr_word(xb, n == 4 ? i : 2 * i))
				    : vsr_dw(xb, i);
		struct fpu_res r;
		fpu_to_int(b, kind, FPU_RN_ZERO, &r);
		exc |= r.exc;
		out[i] = r.val;
	}
	if (n == 4)
		v = vsr_of_words((uint32_t)out[0], (uint32_t)out[1], (uint32_t)out[2], (uint32_t)out[3]);
	else if (words)
		v = vsr_of_words((uint32_t)out[0], (uint32_t)out[0], (uint32_t)out[1], (uint32_t)out[1]);
	else
		v = (struct cpu_vsr){out[0], out[1]};
	return vec_commit(c, d, v, exc);
}

#define XV_TO_INT(name, src_sp, kind)                                                              \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_to_int(c, d, src_sp, kind));                                        \
	}

/* clang-format off */
XV_TO_INT(xvcvdpsxds, false, FPU_INT_S64) XV_TO_INT(xvcvdpuxds, false, FPU_INT_U64)
XV_TO_INT(xvcvdpsxws, false, FPU_INT_S32) XV_TO_INT(xvcvdpuxws, false, FPU_INT_U32)
XV_TO_INT(xvcvspsxds, true, FPU_INT_S64) XV_TO_INT(xvcvspuxds, true, FPU_INT_U64)
XV_TO_INT(xvcvspsxws, true, FPU_INT_S32) XV_TO_INT(xvcvspuxws, true, FPU_INT_U32)
/* clang-format on */

/* from integers: doublewords or words (src_words: words 0 and 2, or all four for a single
 * result), to doubles or singles (singles of doublewords: words 0 and 2, 1 and 3 the same) */
static ALWAYS_INLINE const struct cpu_dinsn *xv_from_int(struct cpu *c, const struct cpu_dinsn *d,
							 bool src_words, bool sign, bool sp)
{
	struct cpu_vsr xb = cpu_vsr_get(c, d->rb), v;
	uint32_t exc = 0;
	uint64_t out[4];
	unsigned n = src_words && sp ? 4 : 2;
	for (unsigned i = 0; i < n; i++) {
		uint64_t x;
		if (src_words) {
			uint32_t w = vsr_word(xb, n == 4 ? i : 2 * i);
			x = sign ? (uint64_t)(int64_t)(int32_t)w : w;
		} else {
			x = vsr_dw(xb, i);
		}
		bool neg = sign && (int64_t)x < 0;
		struct fpu_res r;
		fpu_from_int(neg ? -x : x, neg, sp ? 24 : 53, c->fpscr & FPSCR_RN, &r);
		exc |= r.exc;
		out[i] = r.val;
	}
	if (n == 4)
		v = vsr_of_words(cpu_fp_single_of_double(out[0]), cpu_fp_single_of_double(out[1]),
				 cpu_fp_single_of_double(out[2]), cpu_fp_single_of_double(out[3]));
	else if (sp)
		v = vsr_of_words(cpu_fp_single_of_double(out[0]), cpu_fp_single_of_double(out[0]),
				 cpu_fp_single_of_double(out[1]), cpu_fp_single_of_double(out[1]));
	else
		v = (struct cpu_vsr){out[0], out[1]};
	return vec_commit(c, d, v, exc);
}

#define XV_FROM_INT(name, src_words, sign, sp)                                                     \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_from_int(c, d, src_words, sign, sp));                               \
	}

/* clang-format off */
XV_FROM_INT(xvcvsxddp, false, true, false) XV_FROM_INT(xvcvuxddp, false, false, false)
XV_FROM_INT(xvcvsxdsp, false, true, true) XV_FROM_INT(xvcvuxdsp, false, false, true)
XV_FROM_INT(xvcvsxwdp, true, true, false) XV_FROM_INT(xvcvuxwdp, true, false, false)
XV_FROM_INT(xvcvsxwsp, true, true, true) XV_FROM_INT(xvcvuxwsp, true, false, true)
/* clang-format on */

/* round to integral: every element, as xsrdpi* */
static ALWAYS_INLINE const struct cpu_dinsn *xv_round(struct cpu *c, const struct cpu_dinsn *d,
						      bool sp, int mode)
{
	struct cpu_vsr xb = cpu_vsr_get(c, d->rb), v = xb;
	uint32_t exc = 0;
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++) {
		struct fpu_res r;
		uint64_t b = el_get(xb, sp, i);
		if (mode < 0)
			rnd_int(b, c->fpscr & FPSCR_RN, true, &r);
		else
			rnd_int(b, (unsigned)mode, false, &r);
		exc |= r.exc;
		el_set(&v, sp, i, r.val);
	}
	return vec_commit(c, d, v, exc);
}

#define XV_ROUND(name, sp, mode)                                                                   \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VSX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, xv_round(c, d, sp, mode));                                             \
	}

/* clang-format off */
XV_ROUND(xvrdpi, false, RND_NEAR_AWAY) XV_ROUND(xvrdpiz, false, FPU_RN_ZERO)
XV_ROUND(xvrdpip, false, FPU_RN_UP) XV_ROUND(xvrdpim, false, FPU_RN_DOWN)
XV_ROUND(xvrdpic, false, -1)
XV_ROUND(xvrspi, true, RND_NEAR_AWAY) XV_ROUND(xvrspiz, true, FPU_RN_ZERO)
XV_ROUND(xvrspip, true, FPU_RN_UP) XV_ROUND(xvrspim, true, FPU_RN_DOWN)
XV_ROUND(xvrspic, true, -1)
/* clang-format on */

#endif
