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
static inline const struct cpu_dinsn *rc_done(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg r)
{
	if ((d->flags & CPU_D_RC))
		cpu_set_cr0(c, r);
	return d + 1;
}

/* ---- logical ---- */

#define LOGIC_X(name, expr)                                                                        \
	CPU_HANDLER(name)                                                                          \
	{                                                                                          \
		cpu_ureg s = c->gpr[d->rt], b = c->gpr[d->rb], r = (expr);                         \
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
	c->gpr[d->ra] = c->gpr[d->rt] | (uint32_t)d->imm; /* zero-extended */
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_xori)
{
	c->gpr[d->ra] = c->gpr[d->rt] ^ (uint32_t)d->imm;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_andi_rc)
{
	cpu_ureg r = c->gpr[d->rt] & (uint32_t)d->imm;
	c->gpr[d->ra] = r;
	cpu_set_cr0(c, r);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_extsb)
{
	cpu_ureg r = (cpu_ureg)(cpu_sreg)(int8_t)c->gpr[d->rt];
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_extsh)
{
	cpu_ureg r = (cpu_ureg)(cpu_sreg)(int16_t)c->gpr[d->rt];
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_cntlzw)
{
	uint32_t s = (uint32_t)c->gpr[d->rt];
	uint32_t r = s ? (uint32_t)__builtin_clz(s) : 32;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- shifts: the amount is RB[26-31]; 32..63 shift everything out ---- */

CPU_HANDLER(op_slw)
{
	unsigned n = c->gpr[d->rb] & 63;
	uint32_t r = (uint32_t)((uint64_t)(uint32_t)c->gpr[d->rt] << n);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_srw)
{
	unsigned n = c->gpr[d->rb] & 63;
	uint32_t r = (uint32_t)((uint64_t)(uint32_t)c->gpr[d->rt] >> n);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* CA is set when the source is negative and 1-bits were shifted out. n is 0..63. */
static inline const struct cpu_dinsn *sra(struct cpu *c, const struct cpu_dinsn *d, unsigned n)
{
	int64_t s = (int32_t)c->gpr[d->rt];
	cpu_ureg r = (cpu_ureg)(s >> n); /* sign-extended on the 64-bit core */
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

/* On the 64-bit core a word rotate rotates the low word doubled (ROTL32 is ROTL64 of
 * x || x), and its mask is MASK(MB + 32, ME + 32): when MB > ME the mask wraps through
 * the whole upper word. On the 440 both are the 32-bit ones. */
static inline cpu_ureg rotl32_wide(cpu_ureg x, unsigned n)
{
	uint32_t r = rotl32((uint32_t)x, n);
	return CPU_IS64 ? (cpu_ureg)((uint64_t)r << 32 | r) : r;
}

CPU_HANDLER(op_rlwinm)
{
	cpu_ureg r = rotl32_wide(c->gpr[d->rt], d->rb) & rlw_mask(d);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_rlwnm)
{
	cpu_ureg r = rotl32_wide(c->gpr[d->rt], (unsigned)c->gpr[d->rb]) & rlw_mask(d);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_rlwimi)
{
	cpu_ureg m = rlw_mask(d);
	cpu_ureg r = (rotl32_wide(c->gpr[d->rt], d->rb) & m) | (c->gpr[d->ra] & ~m);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- compares: d->rt = crfD. L=1 (CPU_D_L) compares doublewords on the 64-bit core
 * (cmpd, cmpld, cmpdi, cmpldi), whatever the mode; L=0 the low words. A 440 ignores L. */

static inline uint32_t cmp_bits_s(const struct cpu *c, int64_t a, int64_t b)
{
	return (uint32_t)(a < b) << 3 | (uint32_t)(a > b) << 2 | (uint32_t)(a == b) << 1 |
	       c->xer_so;
}

static inline uint32_t cmp_bits_u(const struct cpu *c, uint64_t a, uint64_t b)
{
	return (uint32_t)(a < b) << 3 | (uint32_t)(a > b) << 2 | (uint32_t)(a == b) << 1 |
	       c->xer_so;
}

static inline bool cmp_dword(const struct cpu_dinsn *d)
{
	return CPU_IS64 && (d->flags & CPU_D_L);
}

CPU_HANDLER(op_cmp)
{
	cpu_ureg a = c->gpr[d->ra], b = c->gpr[d->rb];
	if (cmp_dword(d))
		cpu_set_crf(c, d->rt, cmp_bits_s(c, (cpu_sreg)a, (cpu_sreg)b));
	else
		cpu_set_crf(c, d->rt, cmp_bits_s(c, (int32_t)a, (int32_t)b));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpl)
{
	cpu_ureg a = c->gpr[d->ra], b = c->gpr[d->rb];
	if (cmp_dword(d))
		cpu_set_crf(c, d->rt, cmp_bits_u(c, a, b));
	else
		cpu_set_crf(c, d->rt, cmp_bits_u(c, (uint32_t)a, (uint32_t)b));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpi)
{
	cpu_ureg a = c->gpr[d->ra];
	if (cmp_dword(d))
		cpu_set_crf(c, d->rt, cmp_bits_s(c, (cpu_sreg)a, d->imm));
	else
		cpu_set_crf(c, d->rt, cmp_bits_s(c, (int32_t)a, d->imm));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cmpli)
{
	cpu_ureg a = c->gpr[d->ra];
	if (cmp_dword(d))
		cpu_set_crf(c, d->rt, cmp_bits_u(c, a, (uint32_t)d->imm));
	else
		cpu_set_crf(c, d->rt, cmp_bits_u(c, (uint32_t)a, (uint32_t)d->imm));
	CPU_NEXT(c, d + 1);
}

/* ---- traps: TO (d->rt) bits 0x10 <, 0x08 >, 0x04 =, 0x02 <u, 0x01 >u ---- */

static inline const struct cpu_dinsn *trap_if(struct cpu *c, const struct cpu_dinsn *d, uint64_t a,
					      uint64_t b)
{
	unsigned to = d->rt;
	unsigned hit = (unsigned)((int64_t)a < (int64_t)b) << 4 |
		       (unsigned)((int64_t)a > (int64_t)b) << 3 | (unsigned)(a == b) << 2 |
		       (unsigned)(a < b) << 1 | (unsigned)(a > b);
	if (unlikely(hit & to))
		return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PTR);
	return d + 1;
}

/* Word traps compare the low words, signed as signed words, unsigned as unsigned ones:
 * sign-extended both are ordered as the words are. */
CPU_HANDLER(op_tw)
{
	CPU_GOTO(c, trap_if(c, d, (uint64_t)(int32_t)c->gpr[d->ra],
			    (uint64_t)(int32_t)c->gpr[d->rb]));
}

CPU_HANDLER(op_twi)
{
	CPU_GOTO(c, trap_if(c, d, (uint64_t)(int32_t)c->gpr[d->ra], (uint64_t)(int64_t)d->imm));
}

#if CPU_IS64
CPU_HANDLER(op_td)
{
	CPU_GOTO(c, trap_if(c, d, c->gpr[d->ra], c->gpr[d->rb]));
}

CPU_HANDLER(op_tdi)
{
	CPU_GOTO(c, trap_if(c, d, c->gpr[d->ra], (uint64_t)(int64_t)d->imm));
}
#endif

/* ---- CR and XER moves ---- */

CPU_HANDLER(op_mcrxr)
{
	cpu_set_crf(c, d->rt,
		    (uint32_t)c->xer_so << 3 | (uint32_t)c->xer_ov << 2 | (uint32_t)c->xer_ca << 1);
	c->xer_so = c->xer_ov = c->xer_ca = 0;
	CPU_NEXT(c, d + 1);
}

/* mfocrf (bit 11 set, the 64-bit core): the field FXM names, the others 0 (the
 * architecture leaves them undefined, as it does a FXM with other than one bit set). */
CPU_HANDLER(op_mfcr)
{
	if (CPU_IS64 && (d->insn & 0x00100000u)) {
		c->gpr[d->rt] = c->cr & fxm_mask((d->insn >> 12) & 0xff);
		CPU_NEXT(c, d + 1);
	}
	c->gpr[d->rt] = c->cr;
	CPU_NEXT(c, d + 1);
}

/* mtocrf moves the fields FXM names as mtcrf does */
CPU_HANDLER(op_mtcrf)
{
	uint32_t m = fxm_mask((uint32_t)d->imm);
	c->cr = (c->cr & ~m) | ((uint32_t)c->gpr[d->rt] & m);
	CPU_NEXT(c, d + 1);
}

/* ---- SPRs the core owns (decode.c routes only cpu_spr_in_core() numbers here) ---- */


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
	cpu_ureg v = c->gpr[d->rt];
	switch (d->imm) {
	case SPR_LR:
		c->lr = v;
		CPU_NEXT(c, d + 1);
	case SPR_CTR:
		c->ctr = v;
		CPU_NEXT(c, d + 1);
	case SPR_XER:
		xer_set(c, (uint32_t)v);
		CPU_NEXT(c, d + 1);
	default:
		CPU_TAIL(op_emulate);
	}
}

/* ---- dlmzb (440): leftmost zero byte of RS || RB, numbered 1..8 (8 if none) ---- */

CPU_HANDLER(op_dlmzb)
{
	const uint64_t k = 0x7f7f7f7f7f7f7f7full;
	uint64_t v = (uint64_t)c->gpr[d->rt] << 32 | c->gpr[d->rb]; /* the 440's only */
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
