// SPDX-License-Identifier: MIT
/* The floating-point unit (440EPb FPU): arithmetic in double and single precision, fused
 * multiply-add, rounding modes, conversions, compares, moves, the FPSCR (exception and status
 * bits, result class FPRF, the FPSCR instructions), NaN propagation, denormals, FP loads and
 * stores.  Exceptions are disabled (FPSCR enables 0, MSR[FE0,FE1] = 0): only status bits.
 * Operands and results are bit patterns; expected values follow Book I (PowerPC ISA) and
 * IEEE 754.  FR and FI are not checked where Book I leaves them undefined (overflow), nor
 * FPRF and the high word of fctiw/fctiwz results.
 *
 * fsqrt/fsqrts are optional in the architecture.  QEMU 7.2's 440EP implements both (checked
 * here: no program interrupt); if a core raises an illegal-instruction program interrupt
 * instead, their checks are reported as SKIP.
 *
 * Where QEMU 7.2 differs from Book I:
 * - It never sets or clears FPSCR[FR] ("fraction rounded"):
 *   QEMU-BUG: fdiv 1/10 rounds up: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fadd xx is sticky, fi is not: FR not cleared (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fadd tie to even up: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: rn +inf +: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: rn -inf -: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fdivs 1/3: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: frsp 1/3: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fctiw 3.5 nearest: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fctiw 2.5 +inf: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fctiw -2.5 -inf: FR not set (QEMU 7.2 does not model FR)
 *   QEMU-BUG: fsqrt 2: FR not set (QEMU 7.2 does not model FR)
 * - A result that is a denormal in single format (single-precision instruction, frsp) gets
 *   FPRF "+normal" (QEMU classifies the double-format value) instead of "+denormal" (Book I,
 *   round-to-single model):
 *   QEMU-BUG: fmuls single denormal result, exact: FPRF +normal instead of +denormal
 *   QEMU-BUG: frsp 2^-140 exact single denormal: FPRF +normal instead of +denormal
 * - fcmpo with a NaN operand also sets FPRF[C] (only FPCC, FX, VXSNAN, VXVC may change):
 *   QEMU-BUG: fcmpo qnan: FPSCR[C] set
 *   QEMU-BUG: fcmpo snan: FPSCR[C] set
 * - fres(+-0) returns +-0.5 instead of +-infinity (a deliberate choice in QEMU's helper):
 *   QEMU-BUG: fres +0 = +inf, zx: result 0.5
 * - mtfsb1 of an exception bit does not set FX (Book I: every FP instruction except mtfsf
 *   and mtfsfi sets FX when it turns an exception bit on):
 *   QEMU-BUG: mtfsb1 ox also sets fx: FX stays 0
 */
#include "guest.h"

/* FPSCR */
#define FX	0x80000000
#define FEX	0x40000000
#define VX	0x20000000
#define OX	0x10000000
#define UX	0x08000000
#define ZX	0x04000000
#define XX	0x02000000
#define VXSNAN	0x01000000
#define VXISI	0x00800000
#define VXIDI	0x00400000
#define VXZDZ	0x00200000
#define VXIMZ	0x00100000
#define VXVC	0x00080000
#define FR	0x00040000
#define FI	0x00020000
#define FPRF	0x0001f000
#define FPCC	0x0000f000
#define VXSOFT	0x00000400
#define VXSQRT	0x00000200
#define VXCVI	0x00000100
#define OE	0x00000040
#define RN_NEAR	0
#define RN_ZERO	1
#define RN_PINF	2
#define RN_MINF	3

/* FPRF result classes */
#define P_NORM	0x04000
#define N_NORM	0x08000
#define P_ZERO	0x02000
#define N_ZERO	0x12000
#define P_DEN	0x14000
#define N_DEN	0x18000
#define P_INF	0x05000
#define N_INF	0x09000
#define QNAN	0x11000

/* Some operands */
#define ONE	0x3ff0000000000000ull
#define TWO	0x4000000000000000ull
#define THREE	0x4008000000000000ull
#define MONE	0xbff0000000000000ull
#define PZERO	0x0000000000000000ull
#define MZERO	0x8000000000000000ull
#define PINF	0x7ff0000000000000ull
#define MINF	0xfff0000000000000ull
#define DQNAN	0x7ff8000000000000ull	/* the default QNaN */
#define QNAN_A	0x7ff8000000000aaaull
#define QNAN_B	0x7ff8000000000bbbull
#define QNAN_C	0x7ff8000000000cccull
#define SNAN_A	0x7ff0000000000aaaull
#define SNAN_B	0x7ff0000000000bbbull
#define TINY	0x3c30000000000000ull	/* 2^-60 */

#define CR1_CANARY	0x5	/* FEX|OX: no record form produces it here */
#define ALL64		0xffffffffffffffffull

union fpbits {
	double d;
	uint64_t u;
};

static inline double D(uint64_t u)
{
	union fpbits x = { .u = u };

	return x.d;
}

static inline uint64_t U(double d)
{
	union fpbits x = { .d = d };

	return x.u;
}

struct fres {
	uint64_t t;
	uint32_t fpscr, cr1;
};

typedef struct fres (*fp_fn)(uint64_t a, uint64_t b, uint64_t c, uint32_t fpin);

/* FPSCR = fpin, CR1 = canary, run "text" (%[t] result, %[a] %[b] %[c] operands, as in the
 * instruction's FRA FRB FRC), capture FRT, FPSCR and CR1. */
#define FP_FN(fname, text)								\
static struct fres fname(uint64_t a, uint64_t b, uint64_t c, uint32_t fpin)		\
{											\
	double t, fo;									\
	uint32_t cr;									\
	struct fres r;									\
											\
	__asm__ __volatile__("mtfsf 0xff, %[fi]\n\tmtcrf 0x40, %[cc]\n\t" text "\n\t"	\
			     "mffs %[fo]\n\tmfcr %[cr]"					\
			     : [t] "=&d"(t), [fo] "=&d"(fo), [cr] "=&r"(cr)		\
			     : [a] "d"(D(a)), [b] "d"(D(b)), [c] "d"(D(c)),		\
			       [fi] "d"(D(fpin)), [cc] "r"(CR1_CANARY << 24)		\
			     : "cr1");							\
	r.t = U(t);									\
	r.fpscr = (uint32_t)U(fo);							\
	r.cr1 = CR_FIELD(cr, 1);							\
	return r;									\
}

FP_FN(f_fadd, "fadd %[t], %[a], %[b]")
FP_FN(f_fadd_rc, "fadd. %[t], %[a], %[b]")
FP_FN(f_fsub, "fsub %[t], %[a], %[b]")
FP_FN(f_fmul, "fmul %[t], %[a], %[c]")
FP_FN(f_fmul_rc, "fmul. %[t], %[a], %[c]")
FP_FN(f_fdiv, "fdiv %[t], %[a], %[b]")
FP_FN(f_fmadd, "fmadd %[t], %[a], %[c], %[b]")
FP_FN(f_fmsub, "fmsub %[t], %[a], %[c], %[b]")
FP_FN(f_fnmadd, "fnmadd %[t], %[a], %[c], %[b]")
FP_FN(f_fnmsub, "fnmsub %[t], %[a], %[c], %[b]")
FP_FN(f_fadds, "fadds %[t], %[a], %[b]")
FP_FN(f_fsubs, "fsubs %[t], %[a], %[b]")
FP_FN(f_fmuls, "fmuls %[t], %[a], %[c]")
FP_FN(f_fdivs, "fdivs %[t], %[a], %[b]")
FP_FN(f_fmadds, "fmadds %[t], %[a], %[c], %[b]")
FP_FN(f_fmsubs, "fmsubs %[t], %[a], %[c], %[b]")
FP_FN(f_fnmadds, "fnmadds %[t], %[a], %[c], %[b]")
FP_FN(f_fnmsubs, "fnmsubs %[t], %[a], %[c], %[b]")
FP_FN(f_frsp, "frsp %[t], %[b]")
FP_FN(f_fctiw, "fctiw %[t], %[b]")
FP_FN(f_fctiwz, "fctiwz %[t], %[b]")
FP_FN(f_fsel, "fsel %[t], %[a], %[c], %[b]")
FP_FN(f_fabs, "fabs %[t], %[b]")
FP_FN(f_fabs_rc, "fabs. %[t], %[b]")
FP_FN(f_fnabs, "fnabs %[t], %[b]")
FP_FN(f_fneg, "fneg %[t], %[b]")
FP_FN(f_fmr, "fmr %[t], %[b]")
FP_FN(f_fcmpu, "fmr %[t], %[a]\n\tfcmpu 1, %[a], %[b]")
FP_FN(f_fcmpo, "fmr %[t], %[a]\n\tfcmpo 1, %[a], %[b]")
FP_FN(f_fres, "fres %[t], %[b]")
FP_FN(f_frsqrte, "frsqrte %[t], %[b]")

struct fcase {
	const char *name;
	fp_fn fn;
	uint64_t a, b, c;
	uint32_t fpin;
	uint64_t t, tmask;
	uint32_t fpscr, fmask;
	int cr1;	/* -1: unchanged (canary); -2: FPSCR[0:3] (record form) */
};

#define KEEP_CR1	(-1)
#define REC		(-2)
/* name, function, FRA, FRB, FRC, FPSCR before, FRT, FPSCR after */
#define R(n, f, a, b, c, in, t, out)	{ n, f, a, b, c, in, t, ALL64, out, ~0u, KEEP_CR1 }
/* ... with only the FRT bits in tm and the FPSCR bits in fm checked */
#define RM(n, f, a, b, c, in, t, tm, out, fm) { n, f, a, b, c, in, t, tm, out, fm, KEEP_CR1 }
/* ... a record form: CR1 = FPSCR[FX,FEX,VX,OX] */
#define RC(n, f, a, b, c, in, t, out)	{ n, f, a, b, c, in, t, ALL64, out, ~0u, REC }
/* ... a compare into CR1 (FRT not checked) */
#define CMP(n, f, a, b, in, out, cr)	{ n, f, a, b, 0, in, 0, 0, out, ~0u, cr }

#define LOW32	0x00000000ffffffffull
#define NOT_FPRF	(~(uint32_t)FPRF)
#define NOT_FRFI	(~(uint32_t)(FR | FI))

static const struct fcase cases[] = {
	/* exact arithmetic: only FPRF changes */
	R("fadd 1.5+2.25", f_fadd, 0x3ff8000000000000, 0x4002000000000000, 0, 0,
	  0x400e000000000000, P_NORM),
	R("fsub 1-3", f_fsub, ONE, THREE, 0, 0, 0xc000000000000000, N_NORM),
	R("fmul 3*-0.5", f_fmul, THREE, 0, 0xbfe0000000000000, 0, 0xbff8000000000000, N_NORM),
	R("fdiv 1/4", f_fdiv, ONE, 0x4010000000000000, 0, 0, 0x3fd0000000000000, P_NORM),
	R("fadd 1+-1 = +0", f_fadd, ONE, MONE, 0, RN_NEAR, PZERO, P_ZERO),
	R("fadd 1+-1 = -0 rounding to -inf", f_fadd, ONE, MONE, 0, RN_MINF, MZERO,
	  N_ZERO | RN_MINF),
	R("fsub -0-+0 = -0", f_fsub, MZERO, PZERO, 0, 0, MZERO, N_ZERO),
	R("fmadd 2*3+1", f_fmadd, TWO, ONE, THREE, 0, 0x401c000000000000, P_NORM),
	R("fmsub 2*3-1", f_fmsub, TWO, ONE, THREE, 0, 0x4014000000000000, P_NORM),
	R("fnmadd -(2*3+1)", f_fnmadd, TWO, ONE, THREE, 0, 0xc01c000000000000, N_NORM),
	R("fnmsub -(2*3-1)", f_fnmsub, TWO, ONE, THREE, 0, 0xc014000000000000, N_NORM),
	/* (1+2^-52)^2 - (1+2^-51) = 2^-104 only without an intermediate rounding */
	R("fmadd is fused", f_fmadd, 0x3ff0000000000001, 0xbff0000000000002,
	  0x3ff0000000000001, 0, 0x3970000000000000, P_NORM),
	R("fnmsub is fused", f_fnmsub, 0x3ff0000000000001, 0x3ff0000000000002,
	  0x3ff0000000000001, 0, 0xb970000000000000, N_NORM),

	/* inexact: FI, XX, FX; FR when the magnitude was rounded up */
	R("fdiv 1/3 rounds down", f_fdiv, ONE, THREE, 0, 0, 0x3fd5555555555555,
	  FX | XX | FI | P_NORM),
	R("fdiv 1/10 rounds up", f_fdiv, ONE, 0x4024000000000000, 0, 0, 0x3fb999999999999a,
	  FX | XX | FR | FI | P_NORM),
	R("fadd xx is sticky, fi is not", f_fadd, ONE, ONE, 0, XX | FI | FR, TWO, XX | P_NORM),
	R("fadd tie to even down", f_fadd, ONE, 0x3ca0000000000000, 0, 0, ONE,
	  FX | XX | FI | P_NORM),
	R("fadd tie to even up", f_fadd, 0x3ff0000000000001, 0x3ca0000000000000, 0, 0,
	  0x3ff0000000000002, FX | XX | FR | FI | P_NORM),

	/* rounding modes: 1 + 2^-60 and -1 - 2^-60 */
	R("rn nearest +", f_fadd, ONE, TINY, 0, RN_NEAR, ONE, FX | XX | FI | P_NORM),
	R("rn zero +", f_fadd, ONE, TINY, 0, RN_ZERO, ONE, FX | XX | FI | P_NORM | RN_ZERO),
	R("rn +inf +", f_fadd, ONE, TINY, 0, RN_PINF, 0x3ff0000000000001,
	  FX | XX | FR | FI | P_NORM | RN_PINF),
	R("rn -inf +", f_fadd, ONE, TINY, 0, RN_MINF, ONE, FX | XX | FI | P_NORM | RN_MINF),
	R("rn nearest -", f_fsub, MONE, TINY, 0, RN_NEAR, MONE, FX | XX | FI | N_NORM),
	R("rn zero -", f_fsub, MONE, TINY, 0, RN_ZERO, MONE, FX | XX | FI | N_NORM | RN_ZERO),
	R("rn +inf -", f_fsub, MONE, TINY, 0, RN_PINF, MONE, FX | XX | FI | N_NORM | RN_PINF),
	R("rn -inf -", f_fsub, MONE, TINY, 0, RN_MINF, 0xbff0000000000001,
	  FX | XX | FR | FI | N_NORM | RN_MINF),

	/* single precision: rounded to single, kept in double format */
	R("fadds 1+2^-30 rounds to 1", f_fadds, ONE, 0x3e10000000000000, 0, 0, ONE,
	  FX | XX | FI | P_NORM),
	R("fdivs 1/3", f_fdivs, ONE, THREE, 0, 0, 0x3fd5555560000000, FX | XX | FR | FI | P_NORM),
	R("fmuls 1.5*1.5", f_fmuls, 0x3ff8000000000000, 0, 0x3ff8000000000000, 0,
	  0x4002000000000000, P_NORM),
	R("fsubs 1-3", f_fsubs, ONE, THREE, 0, 0, 0xc000000000000000, N_NORM),
	R("fmadds 2*3+1", f_fmadds, TWO, ONE, THREE, 0, 0x401c000000000000, P_NORM),
	R("fmsubs 2*3-1", f_fmsubs, TWO, ONE, THREE, 0, 0x4014000000000000, P_NORM),
	R("fnmadds -(2*3+1)", f_fnmadds, TWO, ONE, THREE, 0, 0xc01c000000000000, N_NORM),
	R("fnmsubs -(2*3-1)", f_fnmsubs, TWO, ONE, THREE, 0, 0xc014000000000000, N_NORM),
	RM("fadds overflow", f_fadds, 0x47efffffe0000000, 0x47efffffe0000000, 0, 0, PINF, ALL64,
	   FX | OX | XX | P_INF, NOT_FRFI),
	R("fmuls underflow to +0", f_fmuls, 0x39b4484bfeebc2a0, 0, 0x39b4484bfeebc2a0, 0, PZERO,
	  FX | UX | XX | FI | P_ZERO),
	R("fmuls single denormal result, exact", f_fmuls, 0x3810000000000000, 0,
	  0x3f00000000000000, 0, 0x3720000000000000, P_DEN),
	R("fadds nan payload truncated", f_fadds, 0x7ff8123456789abc, ONE, 0, 0,
	  0x7ff8123440000000, QNAN),

	/* frsp */
	R("frsp 1/3", f_frsp, 0, 0x3fd5555555555555, 0, 0, 0x3fd5555560000000,
	  FX | XX | FR | FI | P_NORM),
	R("frsp 7/3 exact in single", f_frsp, 0, 0x4002aaaaa0000000, 0, 0, 0x4002aaaaa0000000,
	  P_NORM),
	RM("frsp overflow", f_frsp, 0, 0x7e37e43c8800759c, 0, 0, PINF, ALL64,
	   FX | OX | XX | P_INF, NOT_FRFI),
	RM("frsp overflow toward zero", f_frsp, 0, 0x7e37e43c8800759c, 0, RN_ZERO,
	   0x47efffffe0000000, ALL64, FX | OX | XX | P_NORM | RN_ZERO, NOT_FRFI),
	R("frsp 2^-140 exact single denormal", f_frsp, 0, 0x3730000000000000, 0, 0,
	  0x3730000000000000, P_DEN),
	R("frsp 1e-50 underflows to +0", f_frsp, 0, 0x358dee7a4ad4b81f, 0, 0, PZERO,
	  FX | UX | XX | FI | P_ZERO),
	R("frsp snan", f_frsp, 0, 0x7ff0000020000000, 0, 0, 0x7ff8000020000000,
	  FX | VX | VXSNAN | QNAN),
	R("frsp -0", f_frsp, 0, MZERO, 0, 0, MZERO, N_ZERO),

	/* fctiw/fctiwz: word in the low half of FRT (high half undefined); FPRF undefined */
	RM("fctiw 2.5 nearest", f_fctiw, 0, 0x4004000000000000, 0, RN_NEAR, 2, LOW32,
	   FX | XX | FI, NOT_FPRF),
	RM("fctiw 3.5 nearest", f_fctiw, 0, 0x400c000000000000, 0, RN_NEAR, 4, LOW32,
	   FX | XX | FR | FI, NOT_FPRF),
	RM("fctiw -2.5 nearest", f_fctiw, 0, 0xc004000000000000, 0, RN_NEAR, 0xfffffffe, LOW32,
	   FX | XX | FI, NOT_FPRF),
	RM("fctiw 2.5 +inf", f_fctiw, 0, 0x4004000000000000, 0, RN_PINF, 3, LOW32,
	   FX | XX | FR | FI | RN_PINF, NOT_FPRF),
	RM("fctiw -2.5 -inf", f_fctiw, 0, 0xc004000000000000, 0, RN_MINF, 0xfffffffd, LOW32,
	   FX | XX | FR | FI | RN_MINF, NOT_FPRF),
	RM("fctiw 2.7 zero", f_fctiw, 0, 0x400599999999999a, 0, RN_ZERO, 2, LOW32,
	   FX | XX | FI | RN_ZERO, NOT_FPRF),
	RM("fctiwz -2.7", f_fctiwz, 0, 0xc00599999999999a, 0, RN_NEAR, 0xfffffffe, LOW32,
	   FX | XX | FI, NOT_FPRF),
	RM("fctiwz 2.7 ignores rn", f_fctiwz, 0, 0x400599999999999a, 0, RN_PINF, 2, LOW32,
	   FX | XX | FI | RN_PINF, NOT_FPRF),
	RM("fctiw -0", f_fctiw, 0, MZERO, 0, 0, 0, LOW32, 0, NOT_FPRF),
	RM("fctiw 3e9 too big", f_fctiw, 0, 0x41e65a0bc0000000, 0, 0, 0x7fffffff, LOW32,
	   FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw -3e9 too small", f_fctiw, 0, 0xc1e65a0bc0000000, 0, 0, 0x80000000, LOW32,
	   FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw 2147483647.5 rounds out of range", f_fctiw, 0, 0x41dfffffffe00000, 0, 0,
	   0x7fffffff, LOW32, FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw 2147483647.4", f_fctiw, 0, 0x41dfffffffd9999a, 0, 0, 0x7fffffff, LOW32,
	   FX | XX | FI, NOT_FPRF),
	RM("fctiw -2147483648.4", f_fctiw, 0, 0xc1e00000000ccccd, 0, 0, 0x80000000, LOW32,
	   FX | XX | FI, NOT_FPRF),
	RM("fctiw +inf", f_fctiw, 0, PINF, 0, 0, 0x7fffffff, LOW32, FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw -inf", f_fctiw, 0, MINF, 0, 0, 0x80000000, LOW32, FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw qnan", f_fctiw, 0, QNAN_B, 0, 0, 0x80000000, LOW32, FX | VX | VXCVI, NOT_FPRF),
	RM("fctiw snan", f_fctiw, 0, SNAN_B, 0, 0, 0x80000000, LOW32,
	   FX | VX | VXCVI | VXSNAN, NOT_FPRF),

	/* fsel: FRC if FRA >= 0 (also -0), else FRB (also NaN); no FPSCR change */
	R("fsel +0", f_fsel, PZERO, TWO, THREE, 0, THREE, 0),
	R("fsel -0", f_fsel, MZERO, TWO, THREE, 0, THREE, 0),
	R("fsel -1", f_fsel, MONE, TWO, THREE, 0, TWO, 0),
	R("fsel +inf", f_fsel, PINF, TWO, THREE, 0, THREE, 0),
	R("fsel nan", f_fsel, QNAN_A, TWO, THREE, 0, TWO, 0),
	R("fsel snan no exception", f_fsel, SNAN_A, TWO, THREE, 0, TWO, 0),

	/* moves change the sign bit only, never quiet a NaN, never touch the FPSCR */
	R("fabs -snan", f_fabs, 0, 0xfff0000000000001, 0, 0, 0x7ff0000000000001, 0),
	R("fnabs 1", f_fnabs, 0, ONE, 0, 0, MONE, 0),
	R("fneg -0", f_fneg, 0, MZERO, 0, 0, PZERO, 0),
	R("fneg qnan", f_fneg, 0, QNAN_B, 0, 0, 0xfff8000000000bbb, 0),
	R("fmr snan", f_fmr, 0, SNAN_B, 0, RN_PINF, SNAN_B, RN_PINF),

	/* invalid operations: default QNaN, VX summary, FR FI cleared, FPRF QNaN */
	R("fadd snan", f_fadd, SNAN_A, ONE, 0, 0, 0x7ff8000000000aaa, FX | VX | VXSNAN | QNAN),
	R("fadd inf-inf", f_fadd, PINF, MINF, 0, 0, DQNAN, FX | VX | VXISI | QNAN),
	R("fsub inf-inf", f_fsub, PINF, PINF, 0, 0, DQNAN, FX | VX | VXISI | QNAN),
	R("fdiv inf/inf", f_fdiv, MINF, PINF, 0, 0, DQNAN, FX | VX | VXIDI | QNAN),
	R("fdiv 0/0", f_fdiv, PZERO, MZERO, 0, 0, DQNAN, FX | VX | VXZDZ | QNAN),
	R("fmul inf*0", f_fmul, PINF, 0, PZERO, 0, DQNAN, FX | VX | VXIMZ | QNAN),
	R("fmadd inf*0+1", f_fmadd, PINF, ONE, PZERO, 0, DQNAN, FX | VX | VXIMZ | QNAN),
	R("fmadd inf*1-inf", f_fmadd, PINF, MINF, ONE, 0, DQNAN, FX | VX | VXISI | QNAN),
	R("fnmadd default qnan is positive", f_fnmadd, PINF, ONE, PZERO, 0, DQNAN,
	  FX | VX | VXIMZ | QNAN),
	R("fadd fx stays set, vx summary kept", f_fadd, ONE, ONE, 0, FX | VXISI, TWO,
	  FX | VX | VXISI | P_NORM),
	R("fdiv 1/0", f_fdiv, ONE, PZERO, 0, 0, PINF, FX | ZX | P_INF),
	R("fdiv -1/0", f_fdiv, MONE, PZERO, 0, 0, MINF, FX | ZX | N_INF),
	R("fdiv 1/-0", f_fdiv, ONE, MZERO, 0, 0, MINF, FX | ZX | N_INF),
	R("fdiv inf/0 no zx", f_fdiv, PINF, PZERO, 0, 0, PINF, P_INF),
	RM("fmul overflow", f_fmul, 0x7fe1ccf385ebc8a0, 0, 0x4024000000000000, 0, PINF, ALL64,
	   FX | OX | XX | P_INF, NOT_FRFI),
	RM("fmul overflow toward zero", f_fmul, 0x7fe1ccf385ebc8a0, 0, 0x4024000000000000,
	   RN_ZERO, 0x7fefffffffffffff, ALL64, FX | OX | XX | P_NORM | RN_ZERO, NOT_FRFI),
	RM("fmul overflow -inf mode negative", f_fmul, 0xffe1ccf385ebc8a0, 0,
	   0x4024000000000000, RN_MINF, MINF, ALL64, FX | OX | XX | N_INF | RN_MINF, NOT_FRFI),
	RM("fmul underflow inexact", f_fmul, 0x01a56e1fc2f8f359, 0, 0x3ddb7cdfd9d7bdbb, 0,
	   0x000012688b70e62b, ALL64, FX | UX | XX | FI | P_DEN, ~(uint32_t)FR),
	R("fmul denormal exact: no ux", f_fmul, 0x0170000000000000, 0, TINY, 0,
	  0x0000000000004000, P_DEN),
	R("fadd denormals", f_fadd, 0x0000000000000001, 0x0000000000000001, 0, 0,
	  0x0000000000000002, P_DEN),
	R("fadd negative denormal", f_fadd, 0x8000000000000003, 0x0000000000000001, 0, 0,
	  0x8000000000000002, N_DEN),
	R("fmul denormal to normal", f_fmul, 0x0008000000000000, 0, TWO, 0, 0x0010000000000000,
	  P_NORM),

	/* NaN propagation: FRA, then FRB, then FRC; an SNaN is quieted */
	R("nan fadd a,b", f_fadd, QNAN_A, QNAN_B, 0, 0, QNAN_A, QNAN),
	R("nan fadd 1,b", f_fadd, ONE, QNAN_B, 0, 0, QNAN_B, QNAN),
	R("nan fadd snan a,b", f_fadd, SNAN_A, QNAN_B, 0, 0, 0x7ff8000000000aaa,
	  FX | VX | VXSNAN | QNAN),
	R("nan fadd a,snan b", f_fadd, QNAN_A, SNAN_B, 0, 0, QNAN_A, FX | VX | VXSNAN | QNAN),
	R("nan fmul 1,c", f_fmul, ONE, 0, QNAN_C, 0, QNAN_C, QNAN),
	R("nan fmadd a,b,c", f_fmadd, QNAN_A, QNAN_B, QNAN_C, 0, QNAN_A, QNAN),
	R("nan fmadd b before c", f_fmadd, ONE, QNAN_B, QNAN_C, 0, QNAN_B, QNAN),
	R("nan fmadd c", f_fmadd, ONE, ONE, QNAN_C, 0, QNAN_C, QNAN),
	R("nan fnmadd keeps the sign", f_fnmadd, QNAN_A, ONE, ONE, 0, QNAN_A, QNAN),
	R("nan fnmsub keeps the sign", f_fnmsub, ONE, 0xfff8000000000bbb, ONE, 0,
	  0xfff8000000000bbb, QNAN),
	R("nan fdiv -qnan", f_fdiv, 0xfff8000000000aaa, ONE, 0, 0, 0xfff8000000000aaa, QNAN),

	/* compares: CR1 and FPSCR[FPCC] = LT GT EQ UN; FPRF[C] unchanged */
	CMP("fcmpu 1<2", f_fcmpu, ONE, TWO, 0, 0x8000, CR_LT),
	CMP("fcmpu 2>1", f_fcmpu, TWO, ONE, 0, 0x4000, CR_GT),
	CMP("fcmpu -0=+0", f_fcmpu, MZERO, PZERO, 0, 0x2000, CR_EQ),
	CMP("fcmpu -inf<1", f_fcmpu, MINF, ONE, 0, 0x8000, CR_LT),
	CMP("fcmpu qnan", f_fcmpu, QNAN_A, ONE, 0, 0x1000, CR_SO),
	CMP("fcmpu snan", f_fcmpu, ONE, SNAN_B, 0, FX | VX | VXSNAN | 0x1000, CR_SO),
	CMP("fcmpu keeps fprf c", f_fcmpu, ONE, TWO, 0x10000 | RN_MINF, 0x18000 | RN_MINF, CR_LT),
	CMP("fcmpo 2>1", f_fcmpo, TWO, ONE, 0, 0x4000, CR_GT),
	CMP("fcmpo qnan", f_fcmpo, QNAN_A, ONE, 0, FX | VX | VXVC | 0x1000, CR_SO),
	CMP("fcmpo snan", f_fcmpo, SNAN_A, ONE, 0, FX | VX | VXSNAN | VXVC | 0x1000, CR_SO),

	/* record forms: CR1 = FX FEX VX OX */
	RC("fadd. snan", f_fadd_rc, SNAN_A, ONE, 0, 0, 0x7ff8000000000aaa,
	   FX | VX | VXSNAN | QNAN),
	RC("fadd. exact", f_fadd_rc, ONE, ONE, 0, 0, TWO, P_NORM),
	RC("fmul. fx from before", f_fmul_rc, ONE, 0, ONE, FX | OX, ONE, FX | OX | P_NORM),
	RC("fabs. copies fpscr", f_fabs_rc, 0, MONE, 0, FX | OX, ONE, FX | OX),
};

static void check(const struct fcase *k)
{
	struct fres r = k->fn(k->a, k->b, k->c, k->fpin);
	uint32_t cr1 = k->cr1 == KEEP_CR1 ? CR1_CANARY :
		       k->cr1 == REC ? k->fpscr >> 28 : (uint32_t)k->cr1;
	bool ok = (r.t & k->tmask) == (k->t & k->tmask) &&
		  (r.fpscr & k->fmask) == (k->fpscr & k->fmask) && r.cr1 == cr1;

	report(ok, "%s", k->name);
	if (!ok)
		printf("INFO: got t=%016llx fpscr=%08x cr1=%x, expected t=%016llx/%016llx "
		       "fpscr=%08x/%08x cr1=%x\n", r.t, r.fpscr, r.cr1, k->t, k->tmask,
		       k->fpscr, k->fmask, cr1);
}

/* fres / frsqrte: estimates; only special values and the architected accuracy
 * (fres within 1/256, frsqrte within 1/32 of the exact value) are checked. */
static bool within(uint64_t got, double exact, double rel)
{
	double g = D(got), e = (g - exact) / exact;

	return e <= rel && e >= -rel;
}

static void est_info(const char *what, struct fres r)
{
	printf("INFO: %s: t=%016llx fpscr=%08x\n", what, r.t, r.fpscr);
}

static void test_estimates(void)
{
	struct fres r;

	r = f_fres(0, TWO, 0, 0);
	report(within(r.t, 0.5, 1.0 / 256), "fres 2 estimate");
	r = f_fres(0, 0xc008000000000000, 0, 0);
	report(within(r.t, -1.0 / 3, 1.0 / 256), "fres -3 estimate");
	r = f_fres(0, PZERO, 0, 0);
	if (!report(r.t == PINF && (r.fpscr & ~FPRF) == (FX | ZX), "fres +0 = +inf, zx"))
		est_info("fres +0", r);
	r = f_fres(0, MINF, 0, 0);
	report(r.t == MZERO && (r.fpscr & ~FPRF) == 0, "fres -inf = -0");
	/* fres is a single-precision instruction: the quieted NaN keeps only the high fraction */
	r = f_fres(0, 0x7ff4000000000bbbull, 0, 0);
	if (!report(r.t == 0x7ffc000000000000 && (r.fpscr & ~FPRF) == (FX | VX | VXSNAN),
		    "fres snan quieted"))
		est_info("fres snan", r);
	r = f_frsqrte(0, 0x4010000000000000, 0, 0);
	report(within(r.t, 0.5, 1.0 / 32), "frsqrte 4 estimate");
	r = f_frsqrte(0, 0x4000000000000000, 0, 0);
	report(within(r.t, 0.70710678118654752, 1.0 / 32), "frsqrte 2 estimate");
	r = f_frsqrte(0, MONE, 0, 0);
	report(r.t == DQNAN && (r.fpscr & ~FPRF) == (FX | VX | VXSQRT), "frsqrte -1 = qnan, vxsqrt");
	r = f_frsqrte(0, PZERO, 0, 0);
	report(r.t == PINF && (r.fpscr & ~FPRF) == (FX | ZX), "frsqrte +0 = +inf, zx");
	r = f_frsqrte(0, PINF, 0, 0);
	report(r.t == PZERO && (r.fpscr & ~FPRF) == 0, "frsqrte +inf = +0");
}

static uint32_t fpscr_read(void)
{
	double f;

	__asm__ __volatile__("mffs %0" : "=d"(f));
	return (uint32_t)U(f);
}

static void fpscr_write(uint32_t v)
{
	__asm__ __volatile__("mtfsf 0xff, %0" : : "d"(D(v)));
}

static void test_fpscr_insns(void)
{
	uint32_t cr;
	double f;

	fpscr_write(0);
	__asm__ __volatile__("mtfsfi 7, 3");
	report_eq(fpscr_read(), 3, "mtfsfi 7,3 sets rn");
	__asm__ __volatile__("mtfsfi 0, 0\n\tmtfsfi 6, 0xc");
	report_eq(fpscr_read(), 0xc3, "mtfsfi 6,0xc sets ve oe");
	fpscr_write(0);
	__asm__ __volatile__("mtfsb1 3");
	report_eq(fpscr_read(), FX | OX, "mtfsb1 ox also sets fx");
	fpscr_write(0);
	__asm__ __volatile__("mtfsb1 30");
	report_eq(fpscr_read(), 2, "mtfsb1 30 (rn)");
	fpscr_write(FX | OX | 2);
	__asm__ __volatile__("mtfsb0 3\n\tmtfsb0 0");
	report_eq(fpscr_read(), 2, "mtfsb0 clears ox and fx");
	__asm__ __volatile__("mtfsb1 25");
	report_eq(fpscr_read(), OE | 2, "mtfsb1 25 (oe)");
	fpscr_write(FX | OE);
	__asm__ __volatile__("mtfsb1 3");
	report_eq(fpscr_read(), FX | FEX | OX | OE, "fex = ox and oe");
	fpscr_write(0);

	fpscr_write(OX | OE);
	report_eq(fpscr_read(), FEX | OX | OE, "mtfsf: fex is computed");
	fpscr_write(VXSNAN | VXCVI);
	report_eq(fpscr_read(), VX | VXSNAN | VXCVI, "mtfsf: vx is computed");
	fpscr_write(FEX | VX);
	report_eq(fpscr_read(), 0, "mtfsf: fex and vx cannot be set");
	fpscr_write(0x12345678 & ~(FEX | VX));
	__asm__ __volatile__("mtfsf 0x81, %0" : : "d"(D(0xf0000003)));
	/* VX: VXZDZ, VXIMZ, VXSOFT, VXSQRT are set in 0x12345678; FEX: OX with OE */
	report_eq(fpscr_read(), (0x12345678 & 0x0ffffff0) | FX | VX | OX | 3 | FEX,
		  "mtfsf 0x81 writes fields 0 and 7 only");

	fpscr_write(UX | ZX | XX | VXSNAN | FI | 1);
	__asm__ __volatile__("mcrfs 2, 1\n\tmfcr %0" : "=r"(cr) : : "cr2");
	report_eq(CR_FIELD(cr, 2), 0xf, "mcrfs 2,1 copies ux zx xx vxsnan");
	report_eq(fpscr_read(), FI | 1, "mcrfs clears the copied exception bits and vx");
	fpscr_write(FX | OX | VXISI);
	__asm__ __volatile__("mcrfs 3, 0\n\tmfcr %0" : "=r"(cr) : : "cr3");
	report_eq(CR_FIELD(cr, 3), 0xb, "mcrfs 3,0 copies fx fex vx ox");
	report_eq(fpscr_read(), VX | VXISI, "mcrfs 3,0 clears fx and ox only");
	fpscr_write(0x00004000 | RN_PINF);
	__asm__ __volatile__("mcrfs 4, 4\n\tmfcr %0" : "=r"(cr) : : "cr4");
	report_eq(CR_FIELD(cr, 4), 4, "mcrfs 4,4 copies fpcc");
	report_eq(fpscr_read(), 0x00004000 | RN_PINF, "mcrfs of a status field clears nothing");

	__asm__ __volatile__("mtfsf 0xff, %1\n\tmffs %0" : "=d"(f) : "d"(D(0x1234567800000003ull)));
	report_eq((uint32_t)U(f), 3, "mffs low word is the fpscr");
	fpscr_write(0);
}

/* Loads and stores. */
static uint64_t dbuf[4] __attribute__((aligned(8)));
static uint32_t sbuf[4] __attribute__((aligned(8)));
static uint8_t page[8192] __attribute__((aligned(4096)));

static void test_loads_stores(void)
{
	uint64_t *p;
	double f;
	uint32_t w;

	report_prefix_push("ldst");
	sbuf[0] = 0x00000001;		/* smallest single denormal */
	sbuf[1] = 0x7f800001;		/* single SNaN */
	sbuf[2] = 0x80000000;		/* -0 */
	sbuf[3] = 0x3eaaaaab;		/* 1/3 in single */
	__asm__ __volatile__("lfs %0, 0(%1)" : "=d"(f) : "b"(sbuf) : "memory");
	report_eq64(U(f), 0x36a0000000000000, "lfs single denormal");
	__asm__ __volatile__("lfs %0, 4(%1)" : "=d"(f) : "b"(sbuf) : "memory");
	report_eq64(U(f), 0x7ff0000020000000, "lfs snan stays snan");
	__asm__ __volatile__("lfsx %0, %1, %2" : "=d"(f) : "b"(sbuf), "r"(8) : "memory");
	report_eq64(U(f), MZERO, "lfsx -0");
	p = (uint64_t *)sbuf;
	__asm__ __volatile__("lfsu %0, 12(%1)" : "=d"(f), "+b"(p) : : "memory");
	report(U(f) == 0x3fd5555560000000 && p == (uint64_t *)(sbuf + 3), "lfsu");
	p = (uint64_t *)sbuf;
	__asm__ __volatile__("lfsux %0, %1, %2" : "=d"(f), "+b"(p) : "r"(4) : "memory");
	report(U(f) == 0x7ff0000020000000 && p == (uint64_t *)(sbuf + 1), "lfsux");

	__asm__ __volatile__("stfs %1, 0(%0)" : : "b"(sbuf), "d"(D(0x3730000000000000)) : "memory");
	report_eq(sbuf[0], 0x00000200, "stfs denormalises 2^-140");
	__asm__ __volatile__("stfs %1, 4(%0)" : : "b"(sbuf), "d"(D(0x7ff0000020000000)) : "memory");
	report_eq(sbuf[1], 0x7f800001, "stfs snan not quieted");
	__asm__ __volatile__("stfsx %1, %0, %2" : : "b"(sbuf), "d"(D(MINF)), "r"(8) : "memory");
	report_eq(sbuf[2], 0xff800000, "stfsx -inf");
	p = (uint64_t *)sbuf;
	__asm__ __volatile__("stfsu %1, 12(%0)" : "+b"(p) : "d"(D(0x3fd5555560000000)) : "memory");
	report(sbuf[3] == 0x3eaaaaab && p == (uint64_t *)(sbuf + 3), "stfsu");
	p = (uint64_t *)sbuf;
	__asm__ __volatile__("stfsux %1, %0, %2" : "+b"(p) : "d"(D(ONE)), "r"(4) : "memory");
	report(sbuf[1] == 0x3f800000 && p == (uint64_t *)(sbuf + 1), "stfsux");

	dbuf[0] = 0x0123456789abcdefull;
	dbuf[1] = SNAN_A;
	dbuf[2] = 0;
	dbuf[3] = 0;
	__asm__ __volatile__("lfd %0, 0(%1)" : "=d"(f) : "b"(dbuf) : "memory");
	report_eq64(U(f), 0x0123456789abcdefull, "lfd");
	__asm__ __volatile__("lfdx %0, %1, %2" : "=d"(f) : "b"(dbuf), "r"(8) : "memory");
	report_eq64(U(f), SNAN_A, "lfdx snan unchanged");
	p = dbuf;
	__asm__ __volatile__("lfdu %0, 8(%1)" : "=d"(f), "+b"(p) : : "memory");
	report(U(f) == SNAN_A && p == dbuf + 1, "lfdu");
	p = dbuf + 1;
	__asm__ __volatile__("lfdux %0, %1, %2" : "=d"(f), "+b"(p) : "r"(-8) : "memory");
	report(U(f) == 0x0123456789abcdefull && p == dbuf, "lfdux");
	__asm__ __volatile__("stfd %1, 16(%0)" : : "b"(dbuf), "d"(D(SNAN_B)) : "memory");
	report_eq64(dbuf[2], SNAN_B, "stfd");
	__asm__ __volatile__("stfdx %1, %0, %2" : : "b"(dbuf), "d"(D(MZERO)), "r"(24) : "memory");
	report_eq64(dbuf[3], MZERO, "stfdx");
	p = dbuf;
	__asm__ __volatile__("stfdu %1, 24(%0)" : "+b"(p) : "d"(D(PINF)) : "memory");
	report(dbuf[3] == PINF && p == dbuf + 3, "stfdu");
	p = dbuf + 3;
	__asm__ __volatile__("stfdux %1, %0, %2" : "+b"(p) : "d"(D(DQNAN)), "r"(-16) : "memory");
	report(dbuf[1] == DQNAN && p == dbuf + 1, "stfdux");

	__asm__ __volatile__("stfiwx %1, 0, %0" : : "b"(sbuf), "d"(D(0x123456789abcdef0ull))
			     : "memory");
	report_eq(sbuf[0], 0x9abcdef0, "stfiwx stores the low word");
	__asm__ __volatile__("fctiwz %1, %1\n\tstfiwx %1, %0, %2"
			     : : "b"(sbuf), "d"(D(0xc00599999999999aull)), "r"(4) : "memory");
	report_eq(sbuf[1], 0xfffffffe, "fctiwz + stfiwx");

	/* across a page boundary, 4-byte aligned */
	for (int i = 0; i < 8; i++)
		page[4092 + i] = 0x10 + i;
	__asm__ __volatile__("lfd %0, 4092(%1)" : "=d"(f) : "b"(page) : "memory");
	report_eq64(U(f), 0x1011121314151617ull, "lfd across page");
	__asm__ __volatile__("stfd %1, 4092(%0)" : : "b"(page), "d"(D(0xa1a2a3a4a5a6a7a8ull))
			     : "memory");
	report(page[4092] == 0xa1 && page[4095] == 0xa4 && page[4096] == 0xa5 &&
	       page[4099] == 0xa8, "stfd across page");
	__asm__ __volatile__("lfs %0, 4094(%1)" : "=d"(f) : "b"(page) : "memory");
	w = 0;
	__asm__ __volatile__("stfs %1, 0(%0)" : : "b"(&w), "d"(f) : "memory");
	report_eq(w, 0xa3a4a5a6, "lfs/stfs across page, unaligned");
	report_prefix_pop();
}

static volatile uint32_t prog_hits, prog_esr;

static void program_handler(struct ex_regs *regs)
{
	prog_hits++;
	prog_esr = regs->esr;
	regs->srr0 += 4;
}

FP_FN(f_fsqrt, "fsqrt %[t], %[b]")
FP_FN(f_fsqrts, "fsqrts %[t], %[b]")

static const struct fcase sqrt_cases[] = {
	R("fsqrt 4", f_fsqrt, 0, 0x4010000000000000, 0, 0, TWO, P_NORM),
	R("fsqrt 2", f_fsqrt, 0, TWO, 0, 0, 0x3ff6a09e667f3bcd, FX | XX | FR | FI | P_NORM),
	R("fsqrt -0", f_fsqrt, 0, MZERO, 0, 0, MZERO, N_ZERO),
	R("fsqrt -1", f_fsqrt, 0, MONE, 0, 0, DQNAN, FX | VX | VXSQRT | QNAN),
	R("fsqrt +inf", f_fsqrt, 0, PINF, 0, 0, PINF, P_INF),
	R("fsqrts 2", f_fsqrts, 0, TWO, 0, 0, 0x3ff6a09e60000000, FX | XX | FI | P_NORM),
};

static void test_sqrt(void)
{
	install_exception_handler(IVOR_PROGRAM, program_handler);
	f_fsqrt(0, TWO, 0, 0);
	f_fsqrts(0, TWO, 0, 0);
	install_exception_handler(IVOR_PROGRAM, NULL);
	if (prog_hits) {
		report_info("fsqrt/fsqrts: program interrupt, esr=%08x", prog_esr);
		mtmsr((mfmsr() & ~0x000f0000) | MSR_FP);  /* QEMU puts reason bits in SRR1 */
		for (unsigned int i = 0; i < ARRAY_SIZE(sqrt_cases); i++)
			report_skip("%s", sqrt_cases[i].name);
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(sqrt_cases); i++)
		check(&sqrt_cases[i]);
}

static void __attribute__((noinline)) run_tests(void)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
		check(&cases[i]);
	test_estimates();
	test_fpscr_insns();
	test_loads_stores();
	test_sqrt();
}

int main(void)
{
	/* Before any FP instruction, also before a function that saves FPRs. */
	mtmsr(mfmsr() | MSR_FP);
	run_tests();
	return 0;
}
