// SPDX-License-Identifier: MIT
/* Integer arithmetic: add/subtract (with carry), multiply, divide, and the 440's
 * halfword multiply and multiply-accumulate group.
 *
 * XO forms: (d->flags & CPU_D_RC) is Rc, (d->flags & CPU_D_OE) is OE. OE sets XER[OV] to this instruction's
 * overflow and ORs it into XER[SO]; CR0 is computed afterwards so it sees the new SO.
 */
#include "exec.h"

/* OE and Rc side effects of an XO-form result. ov is 0 or 1. */
static inline void xo_flags(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg r, uint32_t ov)
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

/* Is the 64-bit core in 64-bit mode? (Carries, overflows and CR0 follow the mode.) */
static inline bool mode64(const struct cpu *c)
{
#if CPU_IS64
	return c->sf;
#else
	(void)c;
	return false;
#endif
}

/* Signed overflow of r = x + y (+ carry in), in the current mode's width. */
static inline uint32_t add_ov(const struct cpu *c, cpu_ureg x, cpu_ureg y, cpu_ureg r)
{
	cpu_ureg v = (x ^ r) & (y ^ r);
	return mode64(c) ? (uint32_t)(v >> (CPU_WIDTH - 1)) : (uint32_t)(v >> 31) & 1;
}

/* r = x + y + cin and its carry out of the current mode's width (XER[CA]). */
static inline uint8_t add_carry(const struct cpu *c, cpu_ureg x, cpu_ureg y, uint32_t cin,
				cpu_ureg *r)
{
	uint64_t lo = (uint64_t)(uint32_t)x + (uint32_t)y + cin;
#if CPU_IS64
	cpu_ureg s = x + y + cin;
	*r = s;
	if (c->sf)
		return (uint8_t)(s < x || (cin && s == x));
	return (uint8_t)(lo >> 32);
#else
	(void)c;
	*r = (uint32_t)lo;
	return (uint8_t)(lo >> 32);
#endif
}

/* RT = x + y + cin, setting XER[CA] (and OV/CR0 as the form asks). */
static inline const struct cpu_dinsn *add_ca(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg x,
					     cpu_ureg y, uint32_t cin)
{
	cpu_ureg r;
	c->xer_ca = add_carry(c, x, y, cin, &r);
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, add_ov(c, x, y, r));
	return d + 1;
}

/* ---- immediate forms ---- */

CPU_HANDLER(op_addi)
{
	c->gpr[d->rt] = c->gpr[d->ra] + (cpu_ureg)(cpu_sreg)d->imm;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_addic)
{
	cpu_ureg r;
	c->xer_ca = add_carry(c, c->gpr[d->ra], (cpu_ureg)(cpu_sreg)d->imm, 0, &r);
	c->gpr[d->rt] = r;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_addic_rc)
{
	cpu_ureg r;
	c->xer_ca = add_carry(c, c->gpr[d->ra], (cpu_ureg)(cpu_sreg)d->imm, 0, &r);
	c->gpr[d->rt] = r;
	cpu_set_cr0(c, r);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_subfic)
{
	cpu_ureg r;
	c->xer_ca = add_carry(c, ~c->gpr[d->ra], (cpu_ureg)(cpu_sreg)d->imm, 1, &r);
	c->gpr[d->rt] = r;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mulli)
{
	c->gpr[d->rt] = c->gpr[d->ra] * (cpu_ureg)(cpu_sreg)d->imm;
	CPU_NEXT(c, d + 1);
}

/* ---- XO-form add/subtract ---- */

/* add and subf with OE or Rc; without (nearly all of them) they compute no overflow and
 * need no stack frame */
static __attribute__((noinline)) CPU_HANDLER(op_add_xo)
{
	cpu_ureg a = c->gpr[d->ra], b = c->gpr[d->rb], r = a + b;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, add_ov(c, a, b, r));
	CPU_NEXT(c, d + 1);
}

static __attribute__((noinline)) CPU_HANDLER(op_subf_xo)
{
	cpu_ureg a = ~c->gpr[d->ra], b = c->gpr[d->rb], r = a + b + 1;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, add_ov(c, a, b, r));
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_add)
{
	if (unlikely(d->flags & (CPU_D_RC | CPU_D_OE)))
		CPU_TAIL(op_add_xo);
	c->gpr[d->rt] = c->gpr[d->ra] + c->gpr[d->rb];
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_subf)
{
	if (unlikely(d->flags & (CPU_D_RC | CPU_D_OE)))
		CPU_TAIL(op_subf_xo);
	c->gpr[d->rt] = c->gpr[d->rb] - c->gpr[d->ra];
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_neg)
{
	cpu_ureg a = c->gpr[d->ra], r = -a;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, mode64(c) ? a == (cpu_ureg)1 << (CPU_WIDTH - 1) : (uint32_t)a == 0x80000000u);
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
	CPU_GOTO(c, add_ca(c, d, c->gpr[d->ra], ~(cpu_ureg)0, c->xer_ca));
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
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], ~(cpu_ureg)0, c->xer_ca));
}

CPU_HANDLER(op_subfze)
{
	CPU_GOTO(c, add_ca(c, d, ~c->gpr[d->ra], 0, c->xer_ca));
}

/* ---- multiply ---- */

/* On the 64-bit core RT gets the whole 64-bit product of the low words; OV says whether it
 * fits in a word. */
CPU_HANDLER(op_mullw)
{
	int64_t p = (int64_t)(int32_t)c->gpr[d->ra] * (int32_t)c->gpr[d->rb];
	cpu_ureg r = (cpu_ureg)p;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, p != (int32_t)p);
	CPU_NEXT(c, d + 1);
}

/* mulhw/mulhwu have no OE form: only Rc counts. The 64-bit core leaves the upper word
 * undefined; it is 0 here (as in QEMU). */
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
	uint64_t p = (uint64_t)(uint32_t)c->gpr[d->ra] * (uint32_t)c->gpr[d->rb];
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
 * is computed from that RT. On the 64-bit core RT's upper word is undefined too: 0 here,
 * as in QEMU. */

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
	uint32_t a = (uint32_t)c->gpr[d->ra], b = (uint32_t)c->gpr[d->rb];
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
	uint64_t sum = (uint64_t)(uint32_t)c->gpr[d->rt] + prod;
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

#define RA_ ((uint32_t)c->gpr[d->ra])
#define RB_ ((uint32_t)c->gpr[d->rb])

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
