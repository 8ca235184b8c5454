// SPDX-License-Identifier: MIT
/* The 64-bit core's decimal integer instructions of the vector facility (Power ISA 2.07B
 * Book I, Vector Facility, Decimal Integer Arithmetic): bcdadd. and bcdsub. add or subtract
 * two signed packed decimals.
 *
 * A signed packed decimal fills a vector register: 31 BCD digits, the most significant in
 * the register's first nibble, then a sign code in its last nibble (0xA, 0xC, 0xE, 0xF plus;
 * 0xB, 0xD minus). A digit above 9 or a sign code below 0xA makes an operand invalid: VRT is
 * then undefined (softkvm gives QEMU's, all ones) and CR6 is 0b0001. Otherwise VRT is the
 * exact result's 31 low digits with the sign code of its sign (plus: 0xC, or 0xF when the
 * instruction's PS is 1; minus: 0xD; zero is plus, whatever the operands' signs), and CR6 is
 * LT, GT or EQ by the exact result's sign, with SO when it needs more than 31 digits. */
#include "vmx.h"

#if CPU_IS64

#define BCD_DIGITS 31

typedef unsigned __int128 bcd_mag;

/* 10^31: the first magnitude a signed packed decimal cannot hold */
static bcd_mag bcd_limit(void)
{
	return (bcd_mag)10000000000000000ull * 1000000000000000ull; /* 10^16 * 10^15 */
}

/* digit i (0: the most significant) of the register, a nibble */
static unsigned bcd_digit(const union cpu_vr *v, unsigned i)
{
	return (v->b[i / 2] >> (i % 2 ? 0 : 4)) & 0xf;
}

/* The value of v: false if v is invalid, else its magnitude and whether it is minus. */
static bool bcd_value(const union cpu_vr *v, bcd_mag *mag, bool *minus)
{
	unsigned sign = v->b[15] & 0xf;
	bcd_mag m = 0;

	if (sign < 0xa)
		return false;
	for (unsigned i = 0; i < BCD_DIGITS; i++) {
		unsigned digit = bcd_digit(v, i);

		if (digit > 9)
			return false;
		m = m * 10 + digit;
	}
	*mag = m;
	*minus = sign == 0xb || sign == 0xd;
	return true;
}

/* VRT and CR6 of VRA + VRB (VRA - VRB when sub) */
static const struct cpu_dinsn *bcd_add_sub(struct cpu *c, const struct cpu_dinsn *d, bool sub)
{
	bcd_mag a, b, mag;
	bool a_minus, b_minus, minus;
	union cpu_vr r;
	unsigned cr6;

	if (!bcd_value(&c->vr[d->ra], &a, &a_minus) || !bcd_value(&c->vr[d->rb], &b, &b_minus)) {
		memset(r.b, 0xff, sizeof(r.b));
		c->vr[d->rt] = r;
		cpu_set_crf(c, 6, 1);
		return d + 1;
	}
	b_minus ^= sub;
	if (a_minus == b_minus) {
		mag = a + b;
		minus = a_minus;
	} else if (a >= b) {
		mag = a - b;
		minus = a_minus;
	} else {
		mag = b - a;
		minus = b_minus;
	}
	minus &= mag != 0; /* zero is plus */
	cr6 = mag == 0 ? 2 : minus ? 8 : 4;
	if (mag >= bcd_limit())
		cr6 |= 1; /* overflow: the 31 low digits remain */
	memset(r.b, 0, sizeof(r.b));
	r.b[15] = minus ? 0xd : d->mb ? 0xf : 0xc; /* mb: PS */
	for (unsigned i = BCD_DIGITS; i-- > 0; mag /= 10)
		r.b[i / 2] |= (uint8_t)((unsigned)(mag % 10) << (i % 2 ? 0 : 4));
	c->vr[d->rt] = r;
	cpu_set_crf(c, 6, cr6);
	return d + 1;
}

CPU_HANDLER(op_bcdadd)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, bcd_add_sub(c, d, false));
}

CPU_HANDLER(op_bcdsub)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, bcd_add_sub(c, d, true));
}

#endif
