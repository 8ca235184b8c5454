/* SPDX-License-Identifier: MIT */
/* The floating-point unit's internals, shared by fpu_arith.c, fpu_fpscr.c and
 * exec_fp_ldst.c.
 *
 * Arithmetic runs on the host's IEEE 754 unit, like the 440's FPU, in the guest's rounding
 * mode with every exception masked and denormals exact, and back to the host's settings
 * after each operation (fpu_host.h: SSE on x86-64, or portable C). Where PowerPC and the
 * host differ, the difference is fixed around the host operation (fpu_arith.c): NaN
 * operand order and the default NaN, tininess detected before rounding, FPSCR[FR],
 * single-precision results rounded once, the exponent-adjusted results of enabled
 * overflow and underflow.
 */
#ifndef SOFTKVM_FPU_H
#define SOFTKVM_FPU_H

#include "exec.h"
#include "fp_conv.h"

/* FPSCR bits (bit 0 is the most significant, as the architecture numbers them). */
#define FPSCR_FX (1u << 31)
#define FPSCR_FEX (1u << 30)
#define FPSCR_VX (1u << 29)
#define FPSCR_OX (1u << 28)
#define FPSCR_UX (1u << 27)
#define FPSCR_ZX (1u << 26)
#define FPSCR_XX (1u << 25)
#define FPSCR_VXSNAN (1u << 24)
#define FPSCR_VXISI (1u << 23)
#define FPSCR_VXIDI (1u << 22)
#define FPSCR_VXZDZ (1u << 21)
#define FPSCR_VXIMZ (1u << 20)
#define FPSCR_VXVC (1u << 19)
#define FPSCR_FR (1u << 18)
#define FPSCR_FI (1u << 17)
#define FPSCR_FPRF_SHIFT 12
#define FPSCR_FPRF (0x1fu << 12) /* C and FPCC */
#define FPSCR_FPCC (0xfu << 12)	 /* FL FG FE FU */
#define FPSCR_RSVD (1u << 11)	 /* bit 20: reserved, reads 0 */
#define FPSCR_VXSOFT (1u << 10)
#define FPSCR_VXSQRT (1u << 9)
#define FPSCR_VXCVI (1u << 8)
#define FPSCR_VE (1u << 7)
#define FPSCR_OE (1u << 6)
#define FPSCR_UE (1u << 5)
#define FPSCR_ZE (1u << 4)
#define FPSCR_XE (1u << 3)
#define FPSCR_NI (1u << 2)
#define FPSCR_RN 3u

#define FPSCR_VX_ALL                                                                               \
	(FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC |      \
	 FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)
/* The sticky exception bits: FX is set when an instruction turns one of them from 0 to 1. */
#define FPSCR_EXC_ALL (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)

/* FPSCR[RN] */
enum { FPU_RN_NEAR, FPU_RN_ZERO, FPU_RN_UP, FPU_RN_DOWN };

/* FPRF values: C || FPCC (FL FG FE FU). */
enum {
	FPRF_QNAN = 0x11,
	FPRF_NINF = 0x09,
	FPRF_NNORM = 0x08,
	FPRF_NDENORM = 0x18,
	FPRF_NZERO = 0x12,
	FPRF_PZERO = 0x02,
	FPRF_PDENORM = 0x14,
	FPRF_PNORM = 0x04,
	FPRF_PINF = 0x05,
};

#define F64_DEFAULT_NAN 0x7ff8000000000000ull

static inline bool f64_is_nan(uint64_t x)
{
	return (x & ~F64_SIGN) > F64_EXP_MASK;
}
static inline bool f64_is_snan(uint64_t x)
{
	return f64_is_nan(x) && !(x & F64_QUIET);
}
static inline bool f64_is_inf(uint64_t x)
{
	return (x & ~F64_SIGN) == F64_EXP_MASK;
}
static inline bool f64_is_zero(uint64_t x)
{
	return (x & ~F64_SIGN) == 0;
}
static inline double f64_from_bits(uint64_t x)
{
	double d;
	memcpy(&d, &x, sizeof(d));
	return d;
}
static inline uint64_t f64_bits(double d)
{
	uint64_t x;
	memcpy(&x, &d, sizeof(x));
	return x;
}

/* FPSCR with its summary bits VX and FEX recomputed from the bits they summarize. */
static inline uint32_t fpscr_summarize(uint32_t f)
{
	f &= ~(FPSCR_VX | FPSCR_FEX);
	if (f & FPSCR_VX_ALL)
		f |= FPSCR_VX;
	/* VX OX UX ZX XX sit at bits 29..25, VE OE UE ZE XE at 7..3. */
	if ((f >> 25) & (f >> 3) & 0x1f)
		f |= FPSCR_FEX;
	return f;
}

/* True if exceptions exc, raised by one instruction, include one that fpscr enables. */
static inline bool fpscr_exc_enabled(uint32_t exc, uint32_t fpscr)
{
	if (exc & FPSCR_VX_ALL)
		exc |= FPSCR_VX;
	return ((exc >> 25) & (fpscr >> 3) & 0x1f) != 0;
}

/* The outcome of one arithmetic instruction before it reaches the registers. */
struct fpu_res {
	uint64_t val;	      /* the value for FRT */
	uint32_t exc;	      /* the exception bits (FPSCR_EXC_ALL) the operation raised */
	uint32_t status;      /* FR, FI, FPRF of a written result ... */
	uint32_t status_mask; /* ... and which of those bits it sets (fctiw keeps FPRF) */
};

/* The arithmetic operations (fpu_arith.c). */
enum fpu_op {
	FOP_ADD,    /* FRA + FRB */
	FOP_SUB,    /* FRA - FRB */
	FOP_MUL,    /* FRA * FRC */
	FOP_DIV,    /* FRA / FRB */
	FOP_SQRT,   /* sqrt(FRB) */
	FOP_MADD,   /* FRA * FRC + FRB */
	FOP_MSUB,   /* FRA * FRC - FRB */
	FOP_RE,	    /* 1 / FRB */
	FOP_RSQRTE, /* 1 / sqrt(FRB) */
	FOP_RSP,    /* FRB (rounded to single) */
};

/* op on the operands (a = FRA, b = FRB, c = FRC) in FPSCR fpscr's rounding mode, rounded to
 * double or to single precision, negated after rounding if negate (fnmadd): the result,
 * the exceptions and the status bits, for fpu_commit or VSX (exec_vsx_fp.c). */
void fpu_calc(uint32_t fpscr, enum fpu_op op, bool single, bool negate, uint64_t a, uint64_t b,
	      uint64_t c, struct fpu_res *res);

/* The FPRF class of a double result; single: classify as the single-precision number it is
 * (denormal below 2^-126) as the architecture's single-precision rounding does. */
uint32_t fpu_class(uint64_t x, bool single);

/* Apply r to FRT, FPSCR and CR1 the way the architecture does (an enabled invalid-operation
 * or zero-divide exception suppresses the result), then go on or take the FP enabled
 * program interrupt. */
const struct cpu_dinsn *fpu_commit(struct cpu *c, const struct cpu_dinsn *d,
				   const struct fpu_res *r);
/* fpu_commit in two halves, for results that go elsewhere than FRT (VSX): the FPSCR from
 * r, true when the result is to be written; then CR1 (record forms) and the FP enabled
 * program interrupt of exceptions exc. */
bool fpu_record(struct cpu *c, const struct fpu_res *r);
const struct cpu_dinsn *fpu_end(struct cpu *c, const struct cpu_dinsn *d, uint32_t exc);

/* fcmpu/fcmpo of a and b into CR field bf and FPCC (and the VSX compares). */
const struct cpu_dinsn *fpu_compare(struct cpu *c, const struct cpu_dinsn *d, uint64_t a,
				    uint64_t b, unsigned bf, bool ordered);

/* Conversions (fpu_convert.c): the integer of magnitude m and sign neg rounded to prec bits
 * (53 or 24); a double to an integer of the kind, rounded in mode rn (FPU_RN_ZERO:
 * truncated). FPRF is left alone unless the conversion is invalid. */
enum fpu_int { FPU_INT_S64, FPU_INT_U64, FPU_INT_S32, FPU_INT_U32 };
void fpu_from_int(uint64_t m, bool neg, unsigned prec, unsigned rn, struct fpu_res *res);
void fpu_to_int(uint64_t b, enum fpu_int kind, unsigned rn, struct fpu_res *res);
/* ftdiv, ftsqrt: the CR field (0b1 || fg || fe || 0) for these operands */
unsigned fpu_tdiv(uint64_t a, uint64_t b);
unsigned fpu_tsqrt(uint64_t b);

/* Record forms of instructions that only move bits: CR1 from FPSCR[FX FEX VX OX]. */
static inline void fpu_set_cr1(struct cpu *c, const struct cpu_dinsn *d)
{
	if ((d->flags & CPU_D_RC))
		cpu_set_crf(c, 1, c->fpscr >> 28);
}

/* Every FP handler starts with this. */
#define FPU_CHECK(c, d)                                                                            \
	do {                                                                                       \
		if (unlikely(!(c)->fp_enabled))                                                    \
			return cpu_fp_unavailable(c, d);                                           \
	} while (0)

#endif
