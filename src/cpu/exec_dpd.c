// SPDX-License-Identifier: MIT
/* The 64-bit core's decimal assists of Power ISA 2.06 (Book I, Fixed-Point Facility, BCD
 * Assist Instructions): integer instructions on GPRs, not decimal floating point.
 *
 *   addg6s RT,RA,RB  for each of the 16 nibbles, 6 where the sum RA + RB carries nothing
 *                    out of it, 0 where it does (the correction a BCD adder needs)
 *   cdtbcd RA,RS     each word: its two low declets (densely packed decimal, 10 bits for
 *                    3 digits) to 6 BCD digits, the upper 8 bits 0
 *   cbcdtd RA,RS     each word: its low 6 BCD digits to two declets, the upper 12 bits 0
 *
 * The two conversions are the ISA's DPD_TO_BCD and BCD_TO_DPD (Book I, Densely Packed
 * Decimal appendix), defined for all 1024 declets and all 4096 digit triples: an invalid
 * BCD digit (a..f) counts as a large digit (8 or 9) with only its low bit kept, and a
 * non-canonical declet decodes as its canonical twin does.
 */
#include "exec.h"

#if CPU_IS64

/* 3 BCD digits (12 bits: abcd efgh ijkm) to a declet (pqr stu v wxy). The large digits
 * (top bit set) are the ones whose middle bits the declet does not keep. */
static unsigned bcd_to_dpd(unsigned bcd)
{
	unsigned d2 = (bcd >> 8) & 15, d1 = (bcd >> 4) & 15, d0 = bcd & 15;
	unsigned big = (d2 >> 3) << 2 | (d1 >> 3) << 1 | (d0 >> 3);
	unsigned h = d1 & 1, m = d0 & 1, d = d2 & 1;
	unsigned bcd2 = d2 & 7, fgh = d1 & 7, jkm = d0 & 7, fg = (d1 >> 1) & 3, jk = (d0 >> 1) & 3;
	unsigned pqr, stu, wxy;

	switch (big) {
	case 0: /* three small digits: 0bcd 0fgh 0jkm as they are, v = 0 */
		return bcd2 << 7 | fgh << 4 | jkm;
	case 1:
		pqr = bcd2, stu = fgh, wxy = 0 << 1 | m;
		break;
	case 2:
		pqr = bcd2, stu = jk << 1 | h, wxy = 1 << 1 | m;
		break;
	case 3:
		pqr = bcd2, stu = 2 << 1 | h, wxy = 3 << 1 | m;
		break;
	case 4:
		pqr = jk << 1 | d, stu = fgh, wxy = 2 << 1 | m;
		break;
	case 5:
		pqr = fg << 1 | d, stu = 1 << 1 | h, wxy = 3 << 1 | m;
		break;
	case 6:
		pqr = jk << 1 | d, stu = 0 << 1 | h, wxy = 3 << 1 | m;
		break;
	default:
		pqr = d, stu = 3 << 1 | h, wxy = 3 << 1 | m;
		break;
	}
	return pqr << 7 | stu << 4 | 1 << 3 | wxy;
}

/* A declet (pqr stu v wxy) to 3 BCD digits: v = 0 is three small digits, else wx (and
 * for wx = 11 st) say which digits are large (8 + their kept low bit). */
static unsigned dpd_to_bcd(unsigned dpd)
{
	unsigned pqr = (dpd >> 7) & 7, stu = (dpd >> 4) & 7, wxy = dpd & 7;
	unsigned r = pqr & 1, u = stu & 1, y = wxy & 1, pq = pqr >> 1, st = stu >> 1;
	unsigned d2, d1, d0;

	if (!(dpd & 8)) {
		d2 = pqr, d1 = stu, d0 = wxy;
	} else {
		switch (wxy >> 1) {
		case 0:
			d2 = pqr, d1 = stu, d0 = 8 | y;
			break;
		case 1:
			d2 = pqr, d1 = 8 | u, d0 = st << 1 | y;
			break;
		case 2:
			d2 = 8 | r, d1 = stu, d0 = pq << 1 | y;
			break;
		default:
			switch (st) {
			case 0:
				d2 = 8 | r, d1 = 8 | u, d0 = pq << 1 | y;
				break;
			case 1:
				d2 = 8 | r, d1 = pq << 1 | u, d0 = 8 | y;
				break;
			case 2:
				d2 = pqr, d1 = 8 | u, d0 = 8 | y;
				break;
			default:
				d2 = 8 | r, d1 = 8 | u, d0 = 8 | y;
				break;
			}
		}
	}
	return d2 << 8 | d1 << 4 | d0;
}

CPU_HANDLER(op_addg6s)
{
	uint64_t a = c->gpr[d->ra], b = c->gpr[d->rb];
	unsigned __int128 sum = (unsigned __int128)a + b;
	/* bit j of a ^ b ^ sum is the carry into bit j: the carry out of nibble k is the carry
	 * into bit 4k + 4 (bit 64 for the top nibble: the sum's 65th bit) */
	unsigned __int128 carries = (a ^ b ^ sum) >> 4;
	uint64_t r = 0;

	for (unsigned k = 0; k < 16; k++)
		if (!((carries >> (4 * k)) & 1))
			r |= 6ull << (4 * k);
	c->gpr[d->rt] = r;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cdtbcd)
{
	uint64_t s = c->gpr[d->rt], r = 0;

	for (unsigned w = 0; w < 64; w += 32) {
		uint64_t hi = dpd_to_bcd((unsigned)(s >> (w + 10)) & 0x3ff);
		uint64_t lo = dpd_to_bcd((unsigned)(s >> w) & 0x3ff);
		r |= (hi << 12 | lo) << w;
	}
	c->gpr[d->ra] = r;
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_cbcdtd)
{
	uint64_t s = c->gpr[d->rt], r = 0;

	for (unsigned w = 0; w < 64; w += 32) {
		uint64_t hi = bcd_to_dpd((unsigned)(s >> (w + 12)) & 0xfff);
		uint64_t lo = bcd_to_dpd((unsigned)(s >> w) & 0xfff);
		r |= (hi << 10 | lo) << w;
	}
	c->gpr[d->ra] = r;
	CPU_NEXT(c, d + 1);
}

#endif
