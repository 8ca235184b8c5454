// SPDX-License-Identifier: MIT
/* Integer logic, shifts, rotates, compares, traps, and the moves to and from CR, XER,
 * LR and CTR.
 *
 * Logical, shift and rotate instructions name their source RS in d->rt and their
 * destination in d->ra (D-form logicals: FORM_DL; X and M forms alike).
 */
#include "exec.h"

/* ---- XER ---- */

#define XER_SO (1u << 31)
#define XER_OV (1u << 30)
#define XER_CA (1u << 29)
#define XER_BC 0x7fu /* string byte count, bits 25-31 */

static inline uint32_t xer_get(const struct cpu *c)
{
	return (uint32_t)c->xer_so << 31 | (uint32_t)c->xer_ov << 30 | (uint32_t)c->xer_ca << 29 |
	       c->xer_rest | c->xer_bc;
}

static inline void xer_set(struct cpu *c, uint32_t xer)
{
	c->xer_so = (xer >> 31) & 1;
	c->xer_ov = (xer >> 30) & 1;
	c->xer_ca = (xer >> 29) & 1;
	c->xer_bc = xer & XER_BC;
	c->xer_rest = xer & ~(XER_SO | XER_OV | XER_CA | XER_BC);
}

uint32_t cpu_get_xer(const struct cpu *c)
{
	return xer_get(c);
}

void cpu_set_xer(struct cpu *c, uint32_t xer)
{
	xer_set(c, xer);
}

/* Rc=1: CR0 from the result. */
static inline const struct cpu_dinsn *rc_done(struct cpu *c, const struct cpu_dinsn *d, uint32_t r)
{
	if ((d->flags & CPU_D_RC))
		cpu_set_cr0(c, r);
	return d + 1;
}

/* ---- logical ---- */

#define LOGIC_X(name, expr)                                                                        \
	CPU_HANDLER(name)                                                                          \
	{                                                                                          \
		uint32_t s = c->gpr[d->rt], b = c->gpr[d->rb], r = (expr);                         \
		c->gpr[d->ra] = r;                                                                 \
		CPU_GOTO(c, rc_done(c, d, r));                                                           \
	}

/* clang-format off */
LOGIC_X(op_and, s & b)
LOGIC_X(op_andc, s & ~b)
LOGIC_X(op_or, s | b)
LOGIC_X(op_orc, s | ~b)
LOGIC_X(op_xor, s ^ b)
LOGIC_X(op_nand, ~(s & b))
LOGIC_X(op_nor, ~(s | b))
LOGIC_X(op_eqv, ~(s ^ b))
/* clang-format on */

CPU_HANDLER(op_ori)
{
	c->gpr[d->ra] = c->gpr[d->rt] | (uint32_t)d->imm;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_xori)
{
	c->gpr[d->ra] = c->gpr[d->rt] ^ (uint32_t)d->imm;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_andi_rc)
{
	uint32_t r = c->gpr[d->rt] & (uint32_t)d->imm;
	c->gpr[d->ra] = r;
	cpu_set_cr0(c, r);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_extsb)
{
	uint32_t r = (uint32_t)(int32_t)(int8_t)c->gpr[d->rt];
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_extsh)
{
	uint32_t r = (uint32_t)(int32_t)(int16_t)c->gpr[d->rt];
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_cntlzw)
{
	uint32_t s = c->gpr[d->rt];
	uint32_t r = s ? (uint32_t)__builtin_clz(s) : 32;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- shifts: the amount is RB[26-31]; 32..63 shift everything out ---- */

CPU_HANDLER(op_slw)
{
	unsigned n = c->gpr[d->rb] & 63;
	uint32_t r = (uint32_t)((uint64_t)c->gpr[d->rt] << n);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_srw)
{
	unsigned n = c->gpr[d->rb] & 63;
	uint32_t r = (uint32_t)((uint64_t)c->gpr[d->rt] >> n);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* CA is set when the source is negative and 1-bits were shifted out. n is 0..63. */
static inline const struct cpu_dinsn *sra(struct cpu *c, const struct cpu_dinsn *d, unsigned n)
{
	int64_t s = (int32_t)c->gpr[d->rt];
	uint32_t r = (uint32_t)(s >> n);
	uint64_t lost = (uint64_t)s & ((1ull << n) - 1);
	c->gpr[d->ra] = r;
	c->xer_ca = (s < 0) & (lost != 0);
	return rc_done(c, d, r);
}

CPU_HANDLER(op_sraw)
{
	CPU_GOTO(c, sra(c, d, c->gpr[d->rb] & 63));
}

CPU_HANDLER(op_srawi)
{
	CPU_GOTO(c, sra(c, d, d->rb & 31));
}

/* ---- rotates: d->imm is MASK(MB, ME) ---- */

static inline uint32_t rotl32(uint32_t x, unsigned n)
{
	return (x << (n & 31)) | (x >> ((32 - n) & 31));
}

CPU_HANDLER(op_rlwinm)
{
	uint32_t r = rotl32(c->gpr[d->rt], d->rb) & (uint32_t)d->imm;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_rlwnm)
{
	uint32_t r = rotl32(c->gpr[d->rt], c->gpr[d->rb]) & (uint32_t)d->imm;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_rlwimi)
{
	uint32_t m = (uint32_t)d->imm;
	uint32_t r = (rotl32(c->gpr[d->rt], d->rb) & m) | (c->gpr[d->ra] & ~m);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- compares: d->rt = crfD (L, which selects a 64-bit compare on 64-bit
 * implementations, is not decoded: a 440 ignores it) ---- */

static inline uint32_t cmp_bits_s(const struct cpu *c, int32_t a, int32_t b)
{
	return (uint32_t)(a < b) << 3 | (uint32_t)(a > b) << 2 | (uint32_t)(a == b) << 1 |
	       c->xer_so;
}

static inline uint32_t cmp_bits_u(const struct cpu *c, uint32_t a, uint32_t b)
{
	return (uint32_t)(a < b) << 3 | (uint32_t)(a > b) << 2 | (uint32_t)(a == b) << 1 |
	       c->xer_so;
}

CPU_HANDLER(op_cmp)
{
	cpu_set_crf(c, d->rt, cmp_bits_s(c, (int32_t)c->gpr[d->ra], (int32_t)c->gpr[d->rb]));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpl)
{
	cpu_set_crf(c, d->rt, cmp_bits_u(c, c->gpr[d->ra], c->gpr[d->rb]));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpi)
{
	cpu_set_crf(c, d->rt, cmp_bits_s(c, (int32_t)c->gpr[d->ra], d->imm));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpli)
{
	cpu_set_crf(c, d->rt, cmp_bits_u(c, c->gpr[d->ra], (uint32_t)d->imm));
	CPU_NEXT(c, d + 1);
}

/* ---- traps: TO (d->rt) bits 0x10 <, 0x08 >, 0x04 =, 0x02 <u, 0x01 >u ---- */

static inline const struct cpu_dinsn *trap_if(struct cpu *c, const struct cpu_dinsn *d, uint32_t a,
					      uint32_t b)
{
	unsigned to = d->rt;
	unsigned hit = (unsigned)((int32_t)a < (int32_t)b) << 4 |
		       (unsigned)((int32_t)a > (int32_t)b) << 3 | (unsigned)(a == b) << 2 |
		       (unsigned)(a < b) << 1 | (unsigned)(a > b);
	if (unlikely(hit & to))
		return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PTR);
	return d + 1;
}

CPU_HANDLER(op_tw)
{
	CPU_GOTO(c, trap_if(c, d, c->gpr[d->ra], c->gpr[d->rb]));
}

CPU_HANDLER(op_twi)
{
	CPU_GOTO(c, trap_if(c, d, c->gpr[d->ra], (uint32_t)d->imm));
}

/* ---- CR and XER moves ---- */

CPU_HANDLER(op_mcrxr)
{
	cpu_set_crf(c, d->rt,
		    (uint32_t)c->xer_so << 3 | (uint32_t)c->xer_ov << 2 | (uint32_t)c->xer_ca << 1);
	c->xer_so = c->xer_ov = c->xer_ca = 0;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mfcr)
{
	c->gpr[d->rt] = c->cr;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mtcrf)
{
	/* spread FXM bit i (CR field 7 - i) to bit 4i, then widen each to a nibble */
	uint32_t m = (uint32_t)d->imm & 0xff;
	m = (m | m << 12) & 0x000f000fu;
	m = (m | m << 6) & 0x03030303u;
	m = (m | m << 3) & 0x11111111u;
	m *= 0xf;
	c->cr = (c->cr & ~m) | (c->gpr[d->rt] & m);
	CPU_NEXT(c, d + 1);
}

/* ---- SPRs the core owns (decode.c routes only cpu_spr_in_core() numbers here) ---- */

enum { SPR_XER = 1, SPR_LR = 8, SPR_CTR = 9 };

CPU_HANDLER(op_mfspr)
{
	switch (d->imm) {
	case SPR_LR:
		c->gpr[d->rt] = c->lr;
		CPU_NEXT(c, d + 1);
	case SPR_CTR:
		c->gpr[d->rt] = c->ctr;
		CPU_NEXT(c, d + 1);
	case SPR_XER:
		c->gpr[d->rt] = xer_get(c);
		CPU_NEXT(c, d + 1);
	default:
		/* not the core's (decode.c sends those to op_emulate already) */
		CPU_TAIL(op_emulate);
	}
}

CPU_HANDLER(op_mtspr)
{
	uint32_t v = c->gpr[d->rt];
	switch (d->imm) {
	case SPR_LR:
		c->lr = v;
		CPU_NEXT(c, d + 1);
	case SPR_CTR:
		c->ctr = v;
		CPU_NEXT(c, d + 1);
	case SPR_XER:
		xer_set(c, v);
		CPU_NEXT(c, d + 1);
	default:
		CPU_TAIL(op_emulate);
	}
}

/* ---- dlmzb (440): leftmost zero byte of RS || RB, numbered 1..8 (8 if none) ---- */

CPU_HANDLER(op_dlmzb)
{
	const uint64_t k = 0x7f7f7f7f7f7f7f7full;
	uint64_t v = (uint64_t)c->gpr[d->rt] << 32 | c->gpr[d->rb];
	/* 0x80 in each byte of v that is zero (exact: no carry crosses a byte) */
	uint64_t z = ~(((v & k) + k) | v | k);
	uint32_t n = z ? (uint32_t)__builtin_clzll(z) / 8 + 1 : 8;
	c->gpr[d->ra] = n;
	c->xer_bc = (uint8_t)n;
	if ((d->flags & CPU_D_RC)) {
		/* zero byte in RS: GT; in RB: LT; none: EQ */
		uint32_t bits = !z ? CR_EQ : n <= 4 ? CR_GT : CR_LT;
		cpu_set_crf(c, 0, bits | c->xer_so);
	}
	CPU_NEXT(c, d + 1);
}
