// SPDX-License-Identifier: MIT
/* The 64-bit core's vector facility, floating point (Power ISA 2.07 Book I 6.6, 6.9): four
 * singles per register, rounded to nearest, no FPSCR and no exceptions. VSCR[NJ] = 1 (the
 * non-Java mode) makes denormal operands and results zeros of the same sign.
 *
 * The arithmetic is the FPU's (fpu_calc in round-to-nearest, single precision): the NaN
 * rules are the same, vA before vB before vC. The estimates vrefp and vrsqrtefp give the
 * correctly rounded 1/x and 1/(square root rounded to single), vexptefp and vlogefp the
 * host's exp2f/log2f: all within the architecture's estimate precision.
 */
#include <math.h>

#include "fpu.h"
#include "vmx.h"

#if CPU_IS64

#define VMX_OP(name, expr)                                                                         \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, (expr));                                                               \
	}

/* a single's bits, flushed to a signed zero when it is denormal and NJ = 1 */
static inline uint32_t nj(const struct cpu *c, uint32_t x)
{
	if ((c->vscr & VSCR_NJ) && (x & 0x7f800000u) == 0)
		return x & 0x80000000u;
	return x;
}

static inline uint32_t sp_get(const struct cpu *c, unsigned r, unsigned i)
{
	return nj(c, (uint32_t)vget(&c->vr[r], 4, i));
}

/* ---- arithmetic ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vfp_arith(struct cpu *c, const struct cpu_dinsn *d,
						       enum fpu_op op, bool negate)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t a = cpu_fp_double_of_single(sp_get(c, d->ra, i));
		uint64_t b = cpu_fp_double_of_single(sp_get(c, d->rb, i));
		uint64_t m = cpu_fp_double_of_single(sp_get(c, d->frc, i));
		struct fpu_res res;
		fpu_calc(FPU_RN_NEAR, op, true, negate, a, b, m, &res);
		vset(&r, 4, i, nj(c, cpu_fp_single_of_double(res.val)));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

/* clang-format off */
VMX_OP(vaddfp, vfp_arith(c, d, FOP_ADD, false)) VMX_OP(vsubfp, vfp_arith(c, d, FOP_SUB, false))
VMX_OP(vmaddfp, vfp_arith(c, d, FOP_MADD, false)) VMX_OP(vnmsubfp, vfp_arith(c, d, FOP_MSUB, true))
VMX_OP(vrefp, vfp_arith(c, d, FOP_RE, false))
/* clang-format on */

/* vrsqrtefp: 1 / sqrt(x), the square root rounded to single first */
static const struct cpu_dinsn *vrsqrtefp(struct cpu *c, const struct cpu_dinsn *d)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		struct fpu_res s, q;
		uint64_t b = cpu_fp_double_of_single(sp_get(c, d->rb, i));
		fpu_calc(FPU_RN_NEAR, FOP_SQRT, true, false, 0, b, 0, &s);
		fpu_calc(FPU_RN_NEAR, FOP_RE, true, false, 0, s.val, 0, &q);
		vset(&r, 4, i, nj(c, cpu_fp_single_of_double(q.val)));
	}
	c->vr[d->rt] = r;
	return d + 1;
}
VMX_OP(vrsqrtefp, vrsqrtefp(c, d))

/* vexptefp, vlogefp: 2^x and log2(x) estimates */
static const struct cpu_dinsn *vexplog(struct cpu *c, const struct cpu_dinsn *d, bool exp)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t x = sp_get(c, d->rb, i);
		float f, y;
		memcpy(&f, &x, 4);
		y = exp ? exp2f(f) : log2f(f);
		if (y != y) /* NaN: the operand's, quieted, or the default */
			x = (x & 0x7fffffffu) > 0x7f800000u ? x | 0x00400000u : 0x7fc00000u;
		else
			memcpy(&x, &y, 4);
		vset(&r, 4, i, nj(c, x));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

/* clang-format off */
VMX_OP(vexptefp, vexplog(c, d, true)) VMX_OP(vlogefp, vexplog(c, d, false))
/* clang-format on */

/* vmaxfp, vminfp: +0 above -0; a NaN operand gives the first NaN, quieted */
static const struct cpu_dinsn *vmaxmin(struct cpu *c, const struct cpu_dinsn *d, bool max)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t a = sp_get(c, d->ra, i), b = sp_get(c, d->rb, i), v;
		bool na = (a & 0x7fffffffu) > 0x7f800000u, nb = (b & 0x7fffffffu) > 0x7f800000u;
		if (na || nb) {
			v = (na ? a : b) | 0x00400000u;
		} else {
			int64_t x = (a >> 31) ? -(int64_t)(a & 0x7fffffffu) - 1 : (int64_t)a;
			int64_t y = (b >> 31) ? -(int64_t)(b & 0x7fffffffu) - 1 : (int64_t)b;
			v = (max ? x > y : x < y) ? a : b;
		}
		vset(&r, 4, i, nj(c, v));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

/* clang-format off */
VMX_OP(vmaxfp, vmaxmin(c, d, true)) VMX_OP(vminfp, vmaxmin(c, d, false))
/* clang-format on */

/* ---- round to integral, conversions ---- */

/* x (a double of a single) rounded to an integral value toward zero, +inf, -inf or to
 * nearest (ties to even); a NaN quieted */
static uint64_t rfi(uint64_t x, unsigned mode)
{
	if (f64_is_nan(x))
		return x | F64_QUIET;
	unsigned bexp = (unsigned)(x >> 52) & 0x7ff;
	if (bexp >= 1023 + 52 || f64_is_zero(x))
		return x;
	double f = f64_from_bits(x), y;
	switch (mode) {
	case FPU_RN_ZERO:
		y = trunc(f);
		break;
	case FPU_RN_UP:
		y = ceil(f);
		break;
	case FPU_RN_DOWN:
		y = floor(f);
		break;
	default:
		y = nearbyint(f); /* the host computes in round to nearest, ties to even */
		break;
	}
	return f64_bits(y);
}

static ALWAYS_INLINE const struct cpu_dinsn *vrfi(struct cpu *c, const struct cpu_dinsn *d,
						  unsigned mode)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t x = rfi(cpu_fp_double_of_single(sp_get(c, d->rb, i)), mode);
		vset(&r, 4, i, cpu_fp_single_of_double(x));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

/* clang-format off */
VMX_OP(vrfin, vrfi(c, d, FPU_RN_NEAR)) VMX_OP(vrfiz, vrfi(c, d, FPU_RN_ZERO))
VMX_OP(vrfip, vrfi(c, d, FPU_RN_UP)) VMX_OP(vrfim, vrfi(c, d, FPU_RN_DOWN))
/* clang-format on */

/* vcfux, vcfsx: words as integers, divided by 2^UIM (UIM in ra), rounded to nearest */
static const struct cpu_dinsn *vcf(struct cpu *c, const struct cpu_dinsn *d, bool sign)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t x = vget(&c->vr[d->rb], 4, i);
		bool neg = sign && (x & 0x80000000u);
		struct fpu_res res;
		fpu_from_int(neg ? (uint64_t)-sext(x, 4) : x, neg, 24, FPU_RN_NEAR, &res);
		double f = ldexp(f64_from_bits(res.val), -(int)d->ra);
		vset(&r, 4, i, cpu_fp_single_of_double(f64_bits(f)));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

/* clang-format off */
VMX_OP(vcfux, vcf(c, d, false)) VMX_OP(vcfsx, vcf(c, d, true))
/* clang-format on */

/* vctuxs, vctsxs: singles times 2^UIM to integers, truncated and saturated (SAT); a NaN
 * gives 0 */
static const struct cpu_dinsn *vct(struct cpu *c, const struct cpu_dinsn *d, bool sign)
{
	union cpu_vr r;
	bool sat = false;
	for (unsigned i = 0; i < 4; i++) {
		uint64_t x = cpu_fp_double_of_single(sp_get(c, d->rb, i));
		uint64_t v = 0;
		if (!f64_is_nan(x)) {
			struct fpu_res res;
			double f = ldexp(f64_from_bits(x), (int)d->ra);
			fpu_to_int(f64_bits(f), sign ? FPU_INT_S32 : FPU_INT_U32, FPU_RN_ZERO, &res);
			if (res.exc & FPSCR_VXCVI)
				sat = true;
			v = res.val;
		}
		vset(&r, 4, i, v);
	}
	c->vr[d->rt] = r;
	if (sat)
		c->vscr |= VSCR_SAT;
	return d + 1;
}

/* clang-format off */
VMX_OP(vctuxs, vct(c, d, false)) VMX_OP(vctsxs, vct(c, d, true))
/* clang-format on */

/* ---- compares (VC form; Rc sets CR6) ---- */

enum vfcmp { FC_EQ, FC_GE, FC_GT, FC_B };

static ALWAYS_INLINE const struct cpu_dinsn *vfcmp(struct cpu *c, const struct cpu_dinsn *d,
						   enum vfcmp k)
{
	union cpu_vr r;
	unsigned all = 1, none = 1;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t a = sp_get(c, d->ra, i), b = sp_get(c, d->rb, i), v;
		float x, y;
		memcpy(&x, &a, 4);
		memcpy(&y, &b, 4);
		if (k == FC_B) /* in bounds: x <= y and x >= -y, each failure a bit */
			v = (x <= y ? 0 : 0x80000000u) | (x >= -y ? 0 : 0x40000000u);
		else
			v = (k == FC_EQ ? x == y : k == FC_GE ? x >= y : x > y) ? 0xffffffffu : 0;
		all &= v == 0xffffffffu;
		none &= v == 0;
		vset(&r, 4, i, v);
	}
	c->vr[d->rt] = r;
	if (d->flags & CPU_D_RC)
		cpu_set_crf(c, 6, k == FC_B ? none << 1 : all << 3 | none << 1);
	return d + 1;
}

/* clang-format off */
VMX_OP(vcmpeqfp, vfcmp(c, d, FC_EQ)) VMX_OP(vcmpgefp, vfcmp(c, d, FC_GE))
VMX_OP(vcmpgtfp, vfcmp(c, d, FC_GT)) VMX_OP(vcmpbfp, vfcmp(c, d, FC_B))
/* clang-format on */

#endif
