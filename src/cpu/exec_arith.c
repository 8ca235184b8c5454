// SPDX-License-Identifier: MIT
/* Integer arithmetic: add/subtract (with carry), multiply, divide, and the 440's
 * halfword multiply and multiply-accumulate group.
 *
 * XO forms: (d->flags & CPU_D_RC) is Rc, (d->flags & CPU_D_OE) is OE. OE sets XER[OV] to this instruction's
 * overflow and ORs it into XER[SO]; CR0 is computed afterwards so it sees the new SO.
 */
#include "exec.h"

/* OE and Rc side effects of an XO-form result. ov is 0 or 1. */
static inline void xo_flags(struct cpu *c, const struct cpu_dinsn *d, uint32_t r, uint32_t ov)
{
	if (unlikely(d->flags & (CPU_D_RC | CPU_D_OE))) {
		if ((d->flags & CPU_D_OE)) {
			c->xer_ov = (uint8_t)ov;
			c->xer_so |= (uint8_t)ov;
		}
		if ((d->flags & CPU_D_RC))
			cpu_set_cr0(c, r);
	}
}

/* Signed overflow of r = x + y (+ carry in). */
static inline uint32_t add_ov(uint32_t x, uint32_t y, uint32_t r)
{
	return ((x ^ r) & (y ^ r)) >> 31;
}

/* RT = x + y + cin, setting XER[CA] (and OV/CR0 as the form asks). */
static inline const struct cpu_dinsn *add_ca(struct cpu *c, const struct cpu_dinsn *d, uint32_t x,
					     uint32_t y, uint32_t cin)
{
	uint64_t s = (uint64_t)x + y + cin;
	uint32_t r = (uint32_t)s;
	c->gpr[d->rt] = r;
	c->xer_ca = (uint8_t)(s >> 32);
	xo_flags(c, d, r, add_ov(x, y, r));
	return d + 1;
}

/* ---- immediate forms ---- */

CPU_HANDLER(op_addi)
{
	c->gpr[d->rt] = c->gpr[d->ra] + (uint32_t)d->imm;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_addic)
{
	uint64_t s = (uint64_t)c->gpr[d->ra] + (uint32_t)d->imm;
	c->gpr[d->rt] = (uint32_t)s;
	c->xer_ca = (uint8_t)(s >> 32);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_addic_rc)
{
	uint64_t s = (uint64_t)c->gpr[d->ra] + (uint32_t)d->imm;
	c->gpr[d->rt] = (uint32_t)s;
	c->xer_ca = (uint8_t)(s >> 32);
	cpu_set_cr0(c, (uint32_t)s);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_subfic)
{
	uint64_t s = (uint64_t)~c->gpr[d->ra] + (uint32_t)d->imm + 1;
	c->gpr[d->rt] = (uint32_t)s;
	c->xer_ca = (uint8_t)(s >> 32);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mulli)
{
	c->gpr[d->rt] = c->gpr[d->ra] * (uint32_t)d->imm;
	CPU_NEXT(c, d + 1);
}

/* ---- XO-form add/subtract ---- */

CPU_HANDLER(op_add)
{
	uint32_t a = c->gpr[d->ra], b = c->gpr[d->rb], r = a + b;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, add_ov(a, b, r));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_subf)
{
	uint32_t a = ~c->gpr[d->ra], b = c->gpr[d->rb], r = a + b + 1;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, add_ov(a, b, r));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_neg)
{
	uint32_t a = c->gpr[d->ra], r = -a;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, a == 0x80000000u);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_addc)
{
	CPU_GOTO(c, add_ca(c, d, c->gpr[d->ra], c->gpr[d->rb], 0));
}

CPU_HANDLER(op_adde)
{
	CPU_GOTO(c, add_ca(c, d, c->gpr[d->ra], c->gpr[d->rb], c->xer_ca));
}

CPU_HANDLER(op_addme)
{
	CPU_GOTO(c, add_ca(c, d, c->gpr[d->ra], 0xffffffffu, c->xer_ca));
}

CPU_HANDLER(op_addze)
{
	CPU_GOTO(c, add_ca(c, d, c->gpr[d->ra], 0, c->xer_ca));
}

CPU_HANDLER(op_subfc)
{
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], c->gpr[d->rb], 1));
}

CPU_HANDLER(op_subfe)
{
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], c->gpr[d->rb], c->xer_ca));
}

CPU_HANDLER(op_subfme)
{
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], 0xffffffffu, c->xer_ca));
}

CPU_HANDLER(op_subfze)
{
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], 0, c->xer_ca));
}

/* ---- multiply ---- */

CPU_HANDLER(op_mullw)
{
	int64_t p = (int64_t)(int32_t)c->gpr[d->ra] * (int32_t)c->gpr[d->rb];
	uint32_t r = (uint32_t)p;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, p != (int32_t)r);
	CPU_NEXT(c, d + 1);
}

/* mulhw/mulhwu have no OE form: only Rc counts. */
CPU_HANDLER(op_mulhw)
{
	int64_t p = (int64_t)(int32_t)c->gpr[d->ra] * (int32_t)c->gpr[d->rb];
	uint32_t r = (uint32_t)((uint64_t)p >> 32);
	c->gpr[d->rt] = r;
	if ((d->flags & CPU_D_RC))
		cpu_set_cr0(c, r);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mulhwu)
{
	uint64_t p = (uint64_t)c->gpr[d->ra] * c->gpr[d->rb];
	uint32_t r = (uint32_t)(p >> 32);
	c->gpr[d->rt] = r;
	if ((d->flags & CPU_D_RC))
		cpu_set_cr0(c, r);
	CPU_NEXT(c, d + 1);
}

/* ---- divide ----
 * Division by zero and 0x80000000 / -1 leave RT undefined on the 440. We do what QEMU 7.2
 * does (target/ppc/translate.c, gen_op_arith_divw): the divisor is replaced by 1, so RT
 * receives the dividend (RA) unchanged; OE sets OV (and SO); CR0 of the record form
 * is computed from that RT. */

CPU_HANDLER(op_divw)
{
	int32_t a = (int32_t)c->gpr[d->ra], b = (int32_t)c->gpr[d->rb];
	uint32_t bad = (b == 0) | ((a == INT32_MIN) & (b == -1));
	uint32_t r = (uint32_t)(a / (bad ? 1 : b));
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_divwu)
{
	uint32_t a = c->gpr[d->ra], b = c->gpr[d->rb];
	uint32_t bad = b == 0;
	uint32_t r = a / (bad ? 1 : b);
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

/* ---- 440 halfword multiply / multiply-accumulate ----
 * "c" (cross): low half of RA times high half of RB; "h": high times high; "l": low
 * times low. Signed halfword products fit in 32 bits (|p| <= 2^30), unsigned ones too.
 * The accumulation is computed exactly (64-bit); OE reports whether it fits in 32 bits
 * (signed, or unsigned for the "u" forms), before any saturation. */

static inline int32_t s_hi(uint32_t x)
{
	return (int16_t)(x >> 16);
}
static inline int32_t s_lo(uint32_t x)
{
	return (int16_t)x;
}
static inline uint32_t u_hi(uint32_t x)
{
	return x >> 16;
}
static inline uint32_t u_lo(uint32_t x)
{
	return x & 0xffff;
}

/* RT += prod (signed); saturating when sat. For nmac*, prod is the negated product. */
static inline const struct cpu_dinsn *mac_signed(struct cpu *c, const struct cpu_dinsn *d,
						 int64_t prod, bool sat)
{
	int64_t sum = (int64_t)(int32_t)c->gpr[d->rt] + prod;
	uint32_t r = (uint32_t)sum;
	uint32_t ov = sum != (int32_t)r;
	if (sat && ov)
		r = sum < 0 ? 0x80000000u : 0x7fffffffu;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, ov);
	return d + 1;
}

static inline const struct cpu_dinsn *mac_unsigned(struct cpu *c, const struct cpu_dinsn *d,
						   uint32_t prod, bool sat)
{
	uint64_t sum = (uint64_t)c->gpr[d->rt] + prod;
	uint32_t ov = (uint32_t)(sum >> 32);
	uint32_t r = sat && ov ? 0xffffffffu : (uint32_t)sum;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, ov);
	return d + 1;
}

static inline const struct cpu_dinsn *mul_half(struct cpu *c, const struct cpu_dinsn *d, uint32_t r)
{
	c->gpr[d->rt] = r;
	if ((d->flags & CPU_D_RC))
		cpu_set_cr0(c, r);
	return d + 1;
}

#define RA_ c->gpr[d->ra]
#define RB_ c->gpr[d->rb]

/* One group per operand selection: mul, mac, macs, nmac, nmacs (signed) and
 * mulu, macu, macsu (unsigned). */
#define MAC_GROUP(x, A, B)                                                                         \
	CPU_HANDLER(op_mul##x##hw)                                                                 \
	{                                                                                          \
		CPU_GOTO(c, mul_half(c, d, (uint32_t)(s_##A(RA_) * s_##B(RB_))));                        \
	}                                                                                          \
	CPU_HANDLER(op_mul##x##hwu)                                                                \
	{                                                                                          \
		CPU_GOTO(c, mul_half(c, d, u_##A(RA_) * u_##B(RB_)));                                    \
	}                                                                                          \
	CPU_HANDLER(op_mac##x##hw)                                                                 \
	{                                                                                          \
		CPU_GOTO(c, mac_signed(c, d, s_##A(RA_) * s_##B(RB_), false));                           \
	}                                                                                          \
	CPU_HANDLER(op_mac##x##hws)                                                                \
	{                                                                                          \
		CPU_GOTO(c, mac_signed(c, d, s_##A(RA_) * s_##B(RB_), true));                            \
	}                                                                                          \
	CPU_HANDLER(op_nmac##x##hw)                                                                \
	{                                                                                          \
		CPU_GOTO(c, mac_signed(c, d, -(int64_t)(s_##A(RA_) * s_##B(RB_)), false));               \
	}                                                                                          \
	CPU_HANDLER(op_nmac##x##hws)                                                               \
	{                                                                                          \
		CPU_GOTO(c, mac_signed(c, d, -(int64_t)(s_##A(RA_) * s_##B(RB_)), true));                \
	}                                                                                          \
	CPU_HANDLER(op_mac##x##hwu)                                                                \
	{                                                                                          \
		CPU_GOTO(c, mac_unsigned(c, d, u_##A(RA_) * u_##B(RB_), false));                         \
	}                                                                                          \
	CPU_HANDLER(op_mac##x##hwsu)                                                               \
	{                                                                                          \
		CPU_GOTO(c, mac_unsigned(c, d, u_##A(RA_) * u_##B(RB_), true));                          \
	}

MAC_GROUP(c, lo, hi)
MAC_GROUP(h, hi, hi)
MAC_GROUP(l, lo, lo)
