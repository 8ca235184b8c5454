// SPDX-License-Identifier: MIT
/* The 64-bit core's integer instructions (Power ISA 2.07 Book I): doubleword rotates and
 * shifts, multiply and divide, counts, byte and bit permutes, isel, extsw. The 440 build
 * compiles none of it (insn_table.h gives these entries to INSN_A_S64 only); the
 * doubleword loads, stores and reservations are with the others in exec_ldst.c.
 *
 * Results are 64-bit whatever MSR[SF] says; the mode decides only what CR0 compares
 * (cpu_set_cr0) and, for the doubleword instructions too, nothing else: carries and
 * overflows of 64-bit instructions are the 64-bit ones.
 */
#include "exec.h"

#if CPU_IS64

static inline const struct cpu_dinsn *rc_done(struct cpu *c, const struct cpu_dinsn *d, uint64_t r)
{
	if (d->flags & CPU_D_RC)
		cpu_set_cr0(c, r);
	return d + 1;
}

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
	n &= 63;
	return n ? (x << n) | (x >> (64 - n)) : x;
}

/* ---- rotates: d->rb = SH (MD) or RB (MDS), d->mb = MB or ME ---- */

#define ROTATE(name, amount, mask)                                                                 \
	CPU_HANDLER(name)                                                                          \
	{                                                                                          \
		uint64_t r = rotl64(c->gpr[d->rt], (amount)) & (mask);                             \
		c->gpr[d->ra] = r;                                                                 \
		CPU_GOTO(c, rc_done(c, d, r));                                                     \
	}

/* clang-format off */
ROTATE(op_rldicl, d->rb, mask64(d->mb, 63))
ROTATE(op_rldicr, d->rb, mask64(0, d->mb))
ROTATE(op_rldic, d->rb, mask64(d->mb, 63 - d->rb))
ROTATE(op_rldcl, (unsigned)c->gpr[d->rb], mask64(d->mb, 63))
ROTATE(op_rldcr, (unsigned)c->gpr[d->rb], mask64(0, d->mb))
/* clang-format on */

CPU_HANDLER(op_rldimi)
{
	uint64_t m = mask64(d->mb, 63 - d->rb);
	uint64_t r = (rotl64(c->gpr[d->rt], d->rb) & m) | (c->gpr[d->ra] & ~m);
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- shifts: the amount is RB[57-63]; 64..127 shift everything out ---- */

CPU_HANDLER(op_sld)
{
	unsigned n = c->gpr[d->rb] & 127;
	uint64_t r = n & 64 ? 0 : c->gpr[d->rt] << n;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_srd)
{
	unsigned n = c->gpr[d->rb] & 127;
	uint64_t r = n & 64 ? 0 : c->gpr[d->rt] >> n;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* CA: the source is negative and 1-bits were shifted out. n is 0..127. */
static inline const struct cpu_dinsn *srad(struct cpu *c, const struct cpu_dinsn *d, unsigned n)
{
	int64_t s = (int64_t)c->gpr[d->rt];
	uint64_t r, lost;
	if (n > 63) { /* everything out: the sign fills the result */
		r = (uint64_t)(s >> 63);
		lost = (uint64_t)s;
	} else {
		r = (uint64_t)(s >> n);
		lost = (uint64_t)s & ((1ull << n) - 1);
	}
	c->gpr[d->ra] = r;
	c->xer_ca = (s < 0) & (lost != 0);
	return rc_done(c, d, r);
}

CPU_HANDLER(op_srad)
{
	CPU_GOTO(c, srad(c, d, c->gpr[d->rb] & 127));
}

CPU_HANDLER(op_sradi)
{
	unsigned n = d->rb;
	int64_t s = (int64_t)c->gpr[d->rt];
	uint64_t r = (uint64_t)(s >> n);
	c->gpr[d->ra] = r;
	c->xer_ca = (s < 0) & (((uint64_t)s & ((1ull << n) - 1)) != 0);
	CPU_GOTO(c, rc_done(c, d, r));
}

/* ---- multiply and divide (XO form) ---- */

static inline void xo_flags(struct cpu *c, const struct cpu_dinsn *d, uint64_t r, uint32_t ov)
{
	if (d->flags & CPU_D_OE) {
		c->xer_ov = (uint8_t)ov;
		c->xer_so |= (uint8_t)ov;
	}
	if (d->flags & CPU_D_RC)
		cpu_set_cr0(c, r);
}

CPU_HANDLER(op_mulld)
{
	int64_t r;
	uint32_t ov = __builtin_mul_overflow((int64_t)c->gpr[d->ra], (int64_t)c->gpr[d->rb], &r);
	c->gpr[d->rt] = (uint64_t)r;
	xo_flags(c, d, (uint64_t)r, ov);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mulhd)
{
	__int128 p = (__int128)(int64_t)c->gpr[d->ra] * (int64_t)c->gpr[d->rb];
	uint64_t r = (uint64_t)((unsigned __int128)p >> 64);
	c->gpr[d->rt] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

CPU_HANDLER(op_mulhdu)
{
	unsigned __int128 p = (unsigned __int128)c->gpr[d->ra] * c->gpr[d->rb];
	uint64_t r = (uint64_t)(p >> 64);
	c->gpr[d->rt] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* Division by zero and INT64_MIN / -1 leave RT undefined; as for divw (exec_arith.c) the
 * divisor is taken as 1, which is what QEMU does. */
CPU_HANDLER(op_divd)
{
	int64_t a = (int64_t)c->gpr[d->ra], b = (int64_t)c->gpr[d->rb];
	uint32_t bad = (b == 0) | ((a == INT64_MIN) & (b == -1));
	uint64_t r = (uint64_t)(a / (bad ? 1 : b));
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_divdu)
{
	uint64_t a = c->gpr[d->ra], b = c->gpr[d->rb];
	uint32_t bad = b == 0;
	uint64_t r = a / (bad ? 1 : b);
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

/* divde(u): (RA || 64 zero bits) / RB. A quotient that does not fit in 64 bits (and division
 * by zero) sets OV and leaves RT undefined: RT is then what QEMU gives, 0 when |RA| >=
 * |RB|, else the quotient's low 64 bits (README.md of tests/diff64: QEMU's OV differs). */
static inline uint64_t abs64(int64_t x)
{
	return x < 0 ? -(uint64_t)x : (uint64_t)x;
}

CPU_HANDLER(op_divde)
{
	int64_t a = (int64_t)c->gpr[d->ra], b = (int64_t)c->gpr[d->rb];
	__int128 q = b ? ((__int128)a * ((__int128)1 << 64)) / b : 0;
	uint32_t bad = b == 0 || q != (int64_t)q;
	uint64_t r = (b == 0 || abs64(a) >= abs64(b)) ? 0 : (uint64_t)q;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_divdeu)
{
	uint64_t a = c->gpr[d->ra], b = c->gpr[d->rb];
	/* the quotient fits exactly when RA < RB */
	uint32_t bad = a >= b;
	uint64_t r = bad ? 0 : (uint64_t)(((unsigned __int128)a << 64) / b);
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

/* divwe(u) (2.06): (RA's low word || 32 zero bits) / RB's low word. A quotient that does not
 * fit in 32 bits (and division by zero) sets OV; RT's upper word is undefined: softkvm gives
 * QEMU's, the quotient extended to 64 bits (divwe: sign, divweu: zeros), and 0 for a quotient
 * that does not fit. */
CPU_HANDLER(op_divwe)
{
	int64_t a = (int64_t)((uint64_t)(uint32_t)c->gpr[d->ra] << 32);
	int64_t b = (int32_t)c->gpr[d->rb];
	/* b == -1 only overflows, and INT64_MIN / -1 would trap the host */
	int64_t q = b == 0 || b == -1 ? 0 : a / b;
	uint32_t bad = b == 0 || b == -1 ? a != 0 || b == 0 : q != (int32_t)q;
	uint64_t r = bad ? 0 : (b == -1 ? 0 : (uint64_t)q);
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_divweu)
{
	uint64_t a = (uint64_t)(uint32_t)c->gpr[d->ra] << 32, b = (uint32_t)c->gpr[d->rb];
	uint64_t q = b ? a / b : 0;
	uint32_t bad = b == 0 || q > 0xffffffffu;
	uint64_t r = bad ? 0 : q;
	c->gpr[d->rt] = r;
	xo_flags(c, d, r, bad);
	CPU_NEXT(c, d + 1);
}

/* ---- counts, compares and permutes of bytes and bits ---- */

CPU_HANDLER(op_cntlzd)
{
	uint64_t s = c->gpr[d->rt];
	uint64_t r = s ? (uint64_t)__builtin_clzll(s) : 64;
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

/* the number of 1 bits of each byte, in that byte */
static inline uint64_t popcount_bytes(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	return (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
}

CPU_HANDLER(op_popcntb)
{
	c->gpr[d->ra] = popcount_bytes(c->gpr[d->rt]);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_popcntw)
{
	uint64_t s = c->gpr[d->rt];
	c->gpr[d->ra] = (uint64_t)__builtin_popcount((uint32_t)(s >> 32)) << 32 |
			(uint64_t)__builtin_popcount((uint32_t)s);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_popcntd)
{
	c->gpr[d->ra] = (uint64_t)__builtin_popcountll(c->gpr[d->rt]);
	CPU_NEXT(c, d + 1);
}

/* each byte of RA: 0xff where the bytes of RS and RB are equal, else 0 */
CPU_HANDLER(op_cmpb)
{
	uint64_t x = c->gpr[d->rt] ^ c->gpr[d->rb], r = 0;
	for (unsigned i = 0; i < 64; i += 8)
		if (!((x >> i) & 0xff))
			r |= 0xffull << i;
	c->gpr[d->ra] = r;
	CPU_NEXT(c, d + 1);
}

/* byte i of RS (from the left) is a bit number of RB (0 the MSB); that bit, or 0 for a
 * number past 63, becomes bit i of RA's low byte (from the left) */
CPU_HANDLER(op_bpermd)
{
	uint64_t s = c->gpr[d->rt], b = c->gpr[d->rb], r = 0;
	for (unsigned i = 0; i < 8; i++) {
		unsigned idx = (unsigned)(s >> (56 - 8 * i)) & 0xff;
		uint64_t bit = idx < 64 ? (b >> (63 - idx)) & 1 : 0;
		r |= bit << (7 - i);
	}
	c->gpr[d->ra] = r;
	CPU_NEXT(c, d + 1);
}

/* parity of the low bits of the bytes of each word (prtyw) or of the doubleword (prtyd) */
CPU_HANDLER(op_prtyw)
{
	uint64_t x = c->gpr[d->rt] & 0x0101010101010101ull;
	x ^= x >> 16;
	x ^= x >> 8;
	c->gpr[d->ra] = x & 0x0000000100000001ull;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_prtyd)
{
	uint64_t x = c->gpr[d->rt] & 0x0101010101010101ull;
	x ^= x >> 32;
	x ^= x >> 16;
	x ^= x >> 8;
	c->gpr[d->ra] = x & 1;
	CPU_NEXT(c, d + 1);
}

/* ---- select, sign extension ---- */

/* RT = CR[BC] ? (RA|0) : RB; BC is in d->frc (A form) */
CPU_HANDLER(op_isel)
{
	bool bit = (c->cr >> (31 - d->frc)) & 1;
	c->gpr[d->rt] = bit ? c->gpr[d->ra] : c->gpr[d->rb];
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_extsw)
{
	uint64_t r = (uint64_t)(int64_t)(int32_t)c->gpr[d->rt];
	c->gpr[d->ra] = r;
	CPU_GOTO(c, rc_done(c, d, r));
}

#endif
