// SPDX-License-Identifier: MIT
/* The 64-bit core's vector facility, the rest of the integer part (Power ISA 2.07 Book I
 * chapter 6): element loads and stores, multiplies, multiply-sums and sums across,
 * packs and unpacks, whole-register shifts, even/odd word merges, and 2.07's additions:
 * quadword add and subtract, count leading zeros, population count, gather bits, bit
 * permute, polynomial multiply-sum and the permute-xor.
 *
 * Elements are numbered from the most significant (vmx.h). In little-endian mode an
 * element load or store touches the element lvx/stvx would put there: the byte at EA is
 * byte 15 - (EA & 15) of the register, and so on for halfwords and words.
 */
#include "vmx.h"

#if CPU_IS64

#define VMX_OP(name, expr)                                                                         \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, (expr));                                                               \
	}

static inline const struct cpu_dinsn *put(struct cpu *c, const struct cpu_dinsn *d, union cpu_vr r,
					   bool sat)
{
	c->vr[d->rt] = r;
	if (sat)
		c->vscr |= VSCR_SAT;
	return d + 1;
}

static inline int64_t clamp_s(int64_t x, unsigned w, bool *sat)
{
	int64_t max = (int64_t)(wmask(w) >> 1), min = -max - 1;
	if (x > max || x < min) {
		*sat = true;
		return x > max ? max : min;
	}
	return x;
}

static inline uint64_t clamp_u(int64_t x, unsigned w, bool *sat)
{
	int64_t max = (int64_t)wmask(w);
	if (x > max || x < 0) {
		*sat = true;
		return x < 0 ? 0 : (uint64_t)max;
	}
	return (uint64_t)x;
}

/* ---- element loads and stores (X form) ---- */

static ALWAYS_INLINE const struct cpu_dinsn *elem_ldst(struct cpu *c, const struct cpu_dinsn *d,
						       unsigned w, bool store)
{
	cpu_ureg ea = cpu_ea_x(c, d) & ~(cpu_ureg)(w - 1);
	unsigned i = (unsigned)(ea & 15) / w;
	if (c->le)
		i = 16 / w - 1 - i;
	union cpu_vr *v = &c->vr[d->rt];
	if (store) {
		uint64_t x = vget(v, w, i);
		bool ok = w == 1   ? cpu_store8(c, d, ea, CPU_MEM_MULTI, (uint32_t)x)
			  : w == 2 ? cpu_store16(c, d, ea, CPU_MEM_MULTI, (uint32_t)x)
				   : cpu_store32(c, d, ea, CPU_MEM_MULTI, (uint32_t)x);
		return ok ? d + 1 : cpu_fault_next(c);
	}
	uint32_t x;
	bool ok = w == 1   ? cpu_load8(c, d, ea, CPU_MEM_MULTI, &x)
		  : w == 2 ? cpu_load16(c, d, ea, CPU_MEM_MULTI, &x)
			   : cpu_load32(c, d, ea, CPU_MEM_MULTI, &x);
	if (!ok)
		return cpu_fault_next(c);
	vset(v, w, i, x); /* the other elements: left as they were (undefined; QEMU's) */
	return d + 1;
}

/* clang-format off */
VMX_OP(lvebx, elem_ldst(c, d, 1, false)) VMX_OP(lvehx, elem_ldst(c, d, 2, false))
VMX_OP(lvewx, elem_ldst(c, d, 4, false)) VMX_OP(stvebx, elem_ldst(c, d, 1, true))
VMX_OP(stvehx, elem_ldst(c, d, 2, true)) VMX_OP(stvewx, elem_ldst(c, d, 4, true))
/* clang-format on */

/* ---- multiplies: even (odd) elements of width w into products of width 2w ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vmul(struct cpu *c, const struct cpu_dinsn *d,
						  unsigned w, bool odd, bool sign)
{
	union cpu_vr r;
	const union cpu_vr *a = &c->vr[d->ra], *b = &c->vr[d->rb];
	for (unsigned i = 0; i < 8 / w; i++) {
		uint64_t x = vget(a, w, 2 * i + odd), y = vget(b, w, 2 * i + odd);
		uint64_t p = sign ? (uint64_t)(sext(x, w) * sext(y, w)) : x * y;
		vset(&r, 2 * w, i, p);
	}
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vmuleub, vmul(c, d, 1, false, false)) VMX_OP(vmulesb, vmul(c, d, 1, false, true))
VMX_OP(vmuleuh, vmul(c, d, 2, false, false)) VMX_OP(vmulesh, vmul(c, d, 2, false, true))
VMX_OP(vmuleuw, vmul(c, d, 4, false, false)) VMX_OP(vmulesw, vmul(c, d, 4, false, true))
VMX_OP(vmuloub, vmul(c, d, 1, true, false)) VMX_OP(vmulosb, vmul(c, d, 1, true, true))
VMX_OP(vmulouh, vmul(c, d, 2, true, false)) VMX_OP(vmulosh, vmul(c, d, 2, true, true))
VMX_OP(vmulouw, vmul(c, d, 4, true, false)) VMX_OP(vmulosw, vmul(c, d, 4, true, true))
/* clang-format on */

static const struct cpu_dinsn *vmuluwm(struct cpu *c, const struct cpu_dinsn *d)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++)
		vset(&r, 4, i, vget(&c->vr[d->ra], 4, i) * vget(&c->vr[d->rb], 4, i));
	return put(c, d, r, false);
}
VMX_OP(vmuluwm, vmuluwm(c, d))

/* ---- multiply-add and multiply-sum (VA form: vC in frc) ---- */

enum vmsum { MS_UBM, MS_MBM, MS_UHM, MS_UHS, MS_SHM, MS_SHS };

static ALWAYS_INLINE const struct cpu_dinsn *vmsum(struct cpu *c, const struct cpu_dinsn *d,
						   enum vmsum k)
{
	union cpu_vr r;
	const union cpu_vr *a = &c->vr[d->ra], *b = &c->vr[d->rb], *cc = &c->vr[d->frc];
	unsigned w = k <= MS_MBM ? 1 : 2, n = 4 / w;
	bool sat = false;
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = k == MS_SHM || k == MS_SHS || k == MS_MBM ? sext(vget(cc, 4, i), 4)
								      : (int64_t)vget(cc, 4, i);
		for (unsigned j = 0; j < n; j++) {
			uint64_t x = vget(a, w, n * i + j), y = vget(b, w, n * i + j);
			if (k == MS_MBM)
				s += sext(x, 1) * (int64_t)y;
			else if (k == MS_SHM || k == MS_SHS)
				s += sext(x, 2) * sext(y, 2);
			else
				s += (int64_t)(x * y);
		}
		uint64_t v = k == MS_UHS ? clamp_u(s, 4, &sat)
			     : k == MS_SHS ? (uint64_t)clamp_s(s, 4, &sat)
					   : (uint64_t)s;
		vset(&r, 4, i, v);
	}
	return put(c, d, r, sat);
}

/* clang-format off */
VMX_OP(vmsumubm, vmsum(c, d, MS_UBM)) VMX_OP(vmsummbm, vmsum(c, d, MS_MBM))
VMX_OP(vmsumuhm, vmsum(c, d, MS_UHM)) VMX_OP(vmsumuhs, vmsum(c, d, MS_UHS))
VMX_OP(vmsumshm, vmsum(c, d, MS_SHM)) VMX_OP(vmsumshs, vmsum(c, d, MS_SHS))
/* clang-format on */

/* vmhaddshs, vmhraddshs: the high half of a * b (rounded) plus c, saturated; vmladduhm:
 * the low half of a * b + c */
static ALWAYS_INLINE const struct cpu_dinsn *vmhadd(struct cpu *c, const struct cpu_dinsn *d,
						    int kind)
{
	union cpu_vr r;
	bool sat = false;
	for (unsigned i = 0; i < 8; i++) {
		int64_t a = sext(vget(&c->vr[d->ra], 2, i), 2), b = sext(vget(&c->vr[d->rb], 2, i), 2);
		int64_t x = sext(vget(&c->vr[d->frc], 2, i), 2);
		uint64_t v;
		if (kind == 2)
			v = (uint64_t)(a * b + x);
		else
			v = (uint64_t)clamp_s(((a * b + (kind ? 0x4000 : 0)) >> 15) + x, 2, &sat);
		vset(&r, 2, i, v);
	}
	return put(c, d, r, sat);
}

/* clang-format off */
VMX_OP(vmhaddshs, vmhadd(c, d, 0)) VMX_OP(vmhraddshs, vmhadd(c, d, 1))
VMX_OP(vmladduhm, vmhadd(c, d, 2))
/* clang-format on */

/* ---- sums across ---- */

/* vsum4sbs, vsum4ubs, vsum4shs: each word of vB plus the elements of vA in that word */
static ALWAYS_INLINE const struct cpu_dinsn *vsum4(struct cpu *c, const struct cpu_dinsn *d,
						   unsigned w, bool sign)
{
	union cpu_vr r;
	bool sat = false;
	unsigned n = 4 / w;
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = sign ? sext(vget(&c->vr[d->rb], 4, i), 4) : (int64_t)vget(&c->vr[d->rb], 4, i);
		for (unsigned j = 0; j < n; j++) {
			uint64_t x = vget(&c->vr[d->ra], w, n * i + j);
			s += sign ? sext(x, w) : (int64_t)x;
		}
		vset(&r, 4, i, sign ? (uint64_t)clamp_s(s, 4, &sat) : clamp_u(s, 4, &sat));
	}
	return put(c, d, r, sat);
}

/* clang-format off */
VMX_OP(vsum4sbs, vsum4(c, d, 1, true)) VMX_OP(vsum4ubs, vsum4(c, d, 1, false))
VMX_OP(vsum4shs, vsum4(c, d, 2, true))
/* clang-format on */

/* vsum2sws: words 1 and 3 the saturated sums of each half of vA and that word of vB;
 * vsumsws: word 3 the saturated sum of vA's words and vB's word 3; the others 0 */
static const struct cpu_dinsn *vsums(struct cpu *c, const struct cpu_dinsn *d, bool two)
{
	union cpu_vr r = {.d = {0, 0}};
	bool sat = false;
	const union cpu_vr *a = &c->vr[d->ra], *b = &c->vr[d->rb];
	if (two) {
		for (unsigned h = 0; h < 2; h++) {
			int64_t s = sext(vget(a, 4, 2 * h), 4) + sext(vget(a, 4, 2 * h + 1), 4) +
				    sext(vget(b, 4, 2 * h + 1), 4);
			vset(&r, 4, 2 * h + 1, (uint64_t)clamp_s(s, 4, &sat));
		}
	} else {
		int64_t s = sext(vget(b, 4, 3), 4);
		for (unsigned i = 0; i < 4; i++)
			s += sext(vget(a, 4, i), 4);
		vset(&r, 4, 3, (uint64_t)clamp_s(s, 4, &sat));
	}
	return put(c, d, r, sat);
}

/* clang-format off */
VMX_OP(vsum2sws, vsums(c, d, true)) VMX_OP(vsumsws, vsums(c, d, false))
/* clang-format on */

/* ---- packs: the elements of vA then vB, each narrowed to half its width ---- */

enum vpk { PK_MOD, PK_USAT_U, PK_SSAT_U, PK_SSAT_S };

static ALWAYS_INLINE const struct cpu_dinsn *vpack(struct cpu *c, const struct cpu_dinsn *d,
						   unsigned w, enum vpk k)
{
	union cpu_vr r;
	bool sat = false;
	unsigned n = 16 / w, h = w / 2;
	for (unsigned i = 0; i < 2 * n; i++) {
		uint64_t x = vget(&c->vr[i < n ? d->ra : d->rb], w, i % n);
		uint64_t v;
		switch (k) {
		case PK_MOD:
			v = x;
			break;
		case PK_USAT_U:
			v = x > wmask(h) ? (sat = true, wmask(h)) : x;
			break;
		case PK_SSAT_U:
			v = clamp_u(sext(x, w), h, &sat);
			break;
		default:
			v = (uint64_t)clamp_s(sext(x, w), h, &sat);
			break;
		}
		vset(&r, h, i, v);
	}
	return put(c, d, r, sat);
}

/* clang-format off */
VMX_OP(vpkuhum, vpack(c, d, 2, PK_MOD)) VMX_OP(vpkuwum, vpack(c, d, 4, PK_MOD))
VMX_OP(vpkudum, vpack(c, d, 8, PK_MOD))
VMX_OP(vpkuhus, vpack(c, d, 2, PK_USAT_U)) VMX_OP(vpkuwus, vpack(c, d, 4, PK_USAT_U))
VMX_OP(vpkudus, vpack(c, d, 8, PK_USAT_U))
VMX_OP(vpkshus, vpack(c, d, 2, PK_SSAT_U)) VMX_OP(vpkswus, vpack(c, d, 4, PK_SSAT_U))
VMX_OP(vpksdus, vpack(c, d, 8, PK_SSAT_U))
VMX_OP(vpkshss, vpack(c, d, 2, PK_SSAT_S)) VMX_OP(vpkswss, vpack(c, d, 4, PK_SSAT_S))
VMX_OP(vpksdss, vpack(c, d, 8, PK_SSAT_S))
/* clang-format on */

/* vpkpx: each word's 8:8:8:8 pixel as a 1:5:5:5 halfword */
static const struct cpu_dinsn *vpkpx(struct cpu *c, const struct cpu_dinsn *d)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 8; i++) {
		uint32_t x = (uint32_t)vget(&c->vr[i < 4 ? d->ra : d->rb], 4, i % 4);
		uint32_t p = ((x >> 24) & 1) << 15 | ((x >> 19) & 31) << 10 | ((x >> 11) & 31) << 5 |
			     ((x >> 3) & 31);
		vset(&r, 2, i, p);
	}
	return put(c, d, r, false);
}
VMX_OP(vpkpx, vpkpx(c, d))

/* ---- unpacks: the high (low) half of vB's elements, sign-extended to twice the width ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vunpack(struct cpu *c, const struct cpu_dinsn *d,
						     unsigned w, bool low)
{
	union cpu_vr r;
	unsigned n = 8 / w;
	for (unsigned i = 0; i < n; i++)
		vset(&r, 2 * w, i, (uint64_t)sext(vget(&c->vr[d->rb], w, (low ? n : 0) + i), w));
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vupkhsb, vunpack(c, d, 1, false)) VMX_OP(vupklsb, vunpack(c, d, 1, true))
VMX_OP(vupkhsh, vunpack(c, d, 2, false)) VMX_OP(vupklsh, vunpack(c, d, 2, true))
VMX_OP(vupkhsw, vunpack(c, d, 4, false)) VMX_OP(vupklsw, vunpack(c, d, 4, true))
/* clang-format on */

/* vupkhpx, vupklpx: 1:5:5:5 pixels as 8:8:8:8 words (the 1 sign-extended to a byte) */
static const struct cpu_dinsn *vupkpx(struct cpu *c, const struct cpu_dinsn *d, bool low)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 4; i++) {
		uint32_t p = (uint32_t)vget(&c->vr[d->rb], 2, (low ? 4 : 0) + i);
		uint32_t x = (p & 0x8000 ? 0xffu << 24 : 0) | ((p >> 10) & 31) << 16 |
			     ((p >> 5) & 31) << 8 | (p & 31);
		vset(&r, 4, i, x);
	}
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vupkhpx, vupkpx(c, d, false)) VMX_OP(vupklpx, vupkpx(c, d, true))
/* clang-format on */

/* ---- whole-register shifts: by bits (vsl, vsr: vB's byte 15, low 3 bits) and by octets
 * (vslo, vsro: its bits 1-4) ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vshift(struct cpu *c, const struct cpu_dinsn *d,
						    bool octets, bool right)
{
	unsigned sh = c->vr[d->rb].b[15];
	unsigned __int128 x = (unsigned __int128)load_be64(c->vr[d->ra].b) << 64 |
			      load_be64(c->vr[d->ra].b + 8);
	sh = octets ? ((sh >> 3) & 15) * 8 : sh & 7;
	x = right ? x >> sh : x << sh;
	union cpu_vr r;
	store_be64(r.b, (uint64_t)(x >> 64));
	store_be64(r.b + 8, (uint64_t)x);
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vsl, vshift(c, d, false, false)) VMX_OP(vsr, vshift(c, d, false, true))
VMX_OP(vslo, vshift(c, d, true, false)) VMX_OP(vsro, vshift(c, d, true, true))
/* clang-format on */

/* ---- vmrgew, vmrgow: the even (odd) words of vA and vB interleaved ---- */

static const struct cpu_dinsn *vmrgw(struct cpu *c, const struct cpu_dinsn *d, unsigned odd)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 2; i++) {
		vset(&r, 4, 2 * i, vget(&c->vr[d->ra], 4, 2 * i + odd));
		vset(&r, 4, 2 * i + 1, vget(&c->vr[d->rb], 4, 2 * i + odd));
	}
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vmrgew, vmrgw(c, d, 0)) VMX_OP(vmrgow, vmrgw(c, d, 1))
/* clang-format on */

/* ---- quadword add and subtract (the E forms take the carry in vC's last bit) ---- */

static inline unsigned __int128 q_get(const union cpu_vr *v)
{
	return (unsigned __int128)load_be64(v->b) << 64 | load_be64(v->b + 8);
}

enum vq { Q_SUM, Q_CARRY };

static ALWAYS_INLINE const struct cpu_dinsn *vquad(struct cpu *c, const struct cpu_dinsn *d,
						   enum vq what, bool sub, bool ext)
{
	unsigned __int128 a = q_get(&c->vr[d->ra]), b = q_get(&c->vr[d->rb]);
	unsigned cin = ext ? c->vr[d->frc].b[15] & 1 : sub;
	if (sub)
		b = ~b;
	unsigned __int128 s = a + b, t = s + cin;
	unsigned carry = (s < a) | (t < s);
	unsigned __int128 v = what == Q_SUM ? t : carry;
	union cpu_vr r;
	store_be64(r.b, (uint64_t)(v >> 64));
	store_be64(r.b + 8, (uint64_t)v);
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vadduqm, vquad(c, d, Q_SUM, false, false)) VMX_OP(vaddcuq, vquad(c, d, Q_CARRY, false, false))
VMX_OP(vaddeuqm, vquad(c, d, Q_SUM, false, true)) VMX_OP(vaddecuq, vquad(c, d, Q_CARRY, false, true))
VMX_OP(vsubuqm, vquad(c, d, Q_SUM, true, false)) VMX_OP(vsubcuq, vquad(c, d, Q_CARRY, true, false))
VMX_OP(vsubeuqm, vquad(c, d, Q_SUM, true, true)) VMX_OP(vsubecuq, vquad(c, d, Q_CARRY, true, true))
/* clang-format on */

/* ---- count leading zeros, population count ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vcount(struct cpu *c, const struct cpu_dinsn *d,
						    unsigned w, bool popcnt)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 16 / w; i++) {
		uint64_t x = vget(&c->vr[d->rb], w, i);
		uint64_t n = popcnt ? (uint64_t)__builtin_popcountll(x)
			     : x == 0 ? 8 * w
				      : (uint64_t)__builtin_clzll(x) - (64 - 8 * w);
		vset(&r, w, i, n);
	}
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vclzb, vcount(c, d, 1, false)) VMX_OP(vclzh, vcount(c, d, 2, false))
VMX_OP(vclzw, vcount(c, d, 4, false)) VMX_OP(vclzd, vcount(c, d, 8, false))
VMX_OP(vpopcntb, vcount(c, d, 1, true)) VMX_OP(vpopcnth, vcount(c, d, 2, true))
VMX_OP(vpopcntw, vcount(c, d, 4, true)) VMX_OP(vpopcntd, vcount(c, d, 8, true))
/* clang-format on */

/* vgbbd: each doubleword of vB as an 8x8 bit matrix, transposed */
static const struct cpu_dinsn *vgbbd(struct cpu *c, const struct cpu_dinsn *d)
{
	union cpu_vr r;
	for (unsigned h = 0; h < 2; h++) {
		uint64_t x = load_be64(c->vr[d->rb].b + 8 * h), y = 0;
		for (unsigned i = 0; i < 8; i++)	 /* byte i of the result */
			for (unsigned j = 0; j < 8; j++) /* its bit j: bit i of byte j */
				if ((x >> (8 * (7 - j) + (7 - i))) & 1)
					y |= 1ull << (8 * (7 - i) + (7 - j));
		store_be64(r.b + 8 * h, y);
	}
	return put(c, d, r, false);
}
VMX_OP(vgbbd, vgbbd(c, d))

/* vbpermq: bit i of a 16-bit field (doubleword 0, bits 48-63) is bit vB.byte[i] of vA
 * (0 for an index of 128 or more); the rest 0 */
static const struct cpu_dinsn *vbpermq(struct cpu *c, const struct cpu_dinsn *d)
{
	unsigned __int128 a = q_get(&c->vr[d->ra]);
	uint64_t f = 0;
	for (unsigned i = 0; i < 16; i++) {
		unsigned ix = c->vr[d->rb].b[i];
		if (ix < 128 && ((a >> (127 - ix)) & 1))
			f |= 1ull << (15 - i);
	}
	union cpu_vr r;
	store_be64(r.b, f);
	store_be64(r.b + 8, 0);
	return put(c, d, r, false);
}
VMX_OP(vbpermq, vbpermq(c, d))

/* vpmsum[bhwd]: the carry-less products of each pair of elements, the two of each
 * double-width result element XORed */
static unsigned __int128 clmul(uint64_t a, uint64_t b)
{
	unsigned __int128 r = 0;
	for (unsigned i = 0; i < 64; i++)
		if ((b >> i) & 1)
			r ^= (unsigned __int128)a << i;
	return r;
}

static ALWAYS_INLINE const struct cpu_dinsn *vpmsum(struct cpu *c, const struct cpu_dinsn *d,
						    unsigned w)
{
	union cpu_vr r;
	const union cpu_vr *a = &c->vr[d->ra], *b = &c->vr[d->rb];
	if (w == 8) {
		unsigned __int128 x = clmul(vget(a, 8, 0), vget(b, 8, 0)) ^
				      clmul(vget(a, 8, 1), vget(b, 8, 1));
		store_be64(r.b, (uint64_t)(x >> 64));
		store_be64(r.b + 8, (uint64_t)x);
	} else {
		for (unsigned i = 0; i < 8 / w; i++) {
			unsigned __int128 x = clmul(vget(a, w, 2 * i), vget(b, w, 2 * i)) ^
					      clmul(vget(a, w, 2 * i + 1), vget(b, w, 2 * i + 1));
			vset(&r, 2 * w, i, (uint64_t)x);
		}
	}
	return put(c, d, r, false);
}

/* clang-format off */
VMX_OP(vpmsumb, vpmsum(c, d, 1)) VMX_OP(vpmsumh, vpmsum(c, d, 2))
VMX_OP(vpmsumw, vpmsum(c, d, 4)) VMX_OP(vpmsumd, vpmsum(c, d, 8))
/* clang-format on */

/* vpermxor (VA form): byte i is byte vC[i]'s high nibble of vA XOR its low nibble of vB */
static const struct cpu_dinsn *vpermxor(struct cpu *c, const struct cpu_dinsn *d)
{
	union cpu_vr r;
	for (unsigned i = 0; i < 16; i++) {
		unsigned s = c->vr[d->frc].b[i];
		r.b[i] = c->vr[d->ra].b[s >> 4] ^ c->vr[d->rb].b[s & 15];
	}
	return put(c, d, r, false);
}
VMX_OP(vpermxor, vpermxor(c, d))

#endif
