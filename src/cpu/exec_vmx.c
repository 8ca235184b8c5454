// SPDX-License-Identifier: MIT
/* The 64-bit core's vector facility (VMX, AltiVec; Power ISA 2.07 Book I chapter 6), the
 * integer part: loads and stores of quadwords, logic, modulo and saturating add/subtract,
 * average, maximum and minimum, shifts and rotates, merges, splats, permutes, compares
 * (their record forms set CR6) and the VSCR moves.
 *
 * A vector register holds its 16 bytes in the architecture's order (byte 0 the most
 * significant, struct cpu.vr): element i of any width is at byte i * width, big-endian.
 * In little-endian mode lvx/stvx move the quadword byte-reversed, so that a vector in
 * memory reads element 0 at the lowest address as a little-endian program expects.
 * Every instruction starts with VMX_CHECK: with MSR[VEC] = 0 it takes the vector
 * unavailable interrupt (CPU_TRAP_VEC_UNAVAIL).
 */
#include "vmx.h"

#if CPU_IS64

/* ---- loads and stores (X form: vD/vS in rt; EA = (RA|0) + RB, 16-byte aligned) ---- */

/* Two doubleword accesses in address order (on MMIO: two exits, the lower address first);
 * little-endian, each doubleword is reversed by the page and the two swap places. */
static const struct cpu_dinsn *vload(struct cpu *c, const struct cpu_dinsn *d)
{
	cpu_ureg ea = cpu_ea_x(c, d) & ~(cpu_ureg)15;
	uint64_t x0, x1;
	if (!cpu_load64(c, d, ea, CPU_MEM_MULTI, &x0) ||
	    !cpu_load64(c, d, ea + 8, CPU_MEM_MULTI, &x1))
		return cpu_fault_next(c);
	store_be64(c->vr[d->rt].b, c->le ? x1 : x0);
	store_be64(c->vr[d->rt].b + 8, c->le ? x0 : x1);
	return d + 1;
}

static const struct cpu_dinsn *vstore(struct cpu *c, const struct cpu_dinsn *d)
{
	cpu_ureg ea = cpu_ea_x(c, d) & ~(cpu_ureg)15;
	uint64_t hi = load_be64(c->vr[d->rt].b), lo = load_be64(c->vr[d->rt].b + 8);
	if (!cpu_store64(c, d, ea, CPU_MEM_MULTI, c->le ? lo : hi) ||
	    !cpu_store64(c, d, ea + 8, CPU_MEM_MULTI, c->le ? hi : lo))
		return cpu_fault_next(c);
	return d + 1;
}

CPU_HANDLER(op_lvx)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, vload(c, d));
}

CPU_HANDLER(op_stvx)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, vstore(c, d));
}

/* lvsl, lvsr: the permute control vectors of an unaligned access (no memory access) */
static const struct cpu_dinsn *lvs(struct cpu *c, const struct cpu_dinsn *d, bool right)
{
	unsigned sh = (unsigned)cpu_ea_x(c, d) & 15;
	unsigned base = right ? 16 - sh : sh;
	for (unsigned i = 0; i < 16; i++)
		c->vr[d->rt].b[i] = (uint8_t)(base + i);
	return d + 1;
}

CPU_HANDLER(op_lvsl)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, lvs(c, d, false));
}

CPU_HANDLER(op_lvsr)
{
	VMX_CHECK(c, d);
	CPU_GOTO(c, lvs(c, d, true));
}

/* ---- element-wise operations (VX form: vD = rt, vA = ra, vB = rb) ---- */

enum vop {
	V_ADD, V_SUB, V_ADDS, V_ADDU, V_SUBS, V_SUBU, V_AVGU, V_AVGS, V_MAXU, V_MAXS, V_MINU,
	V_MINS, V_RL, V_SL, V_SR, V_SRA, V_CMPEQ, V_CMPGTU, V_CMPGTS, V_ADDC, V_SUBC,
};

/* One element of vA op vB; *sat set when a saturating op clamped. */
static inline uint64_t velem(enum vop op, unsigned w, uint64_t a, uint64_t b, bool *sat)
{
	uint64_t m = wmask(w);
	int64_t sa = sext(a, w), sb = sext(b, w);
	int64_t smax = (int64_t)(m >> 1), smin = -smax - 1;
	unsigned bits = 8 * w, n = (unsigned)b & (bits - 1);
	switch (op) {
	case V_ADD:
		return (a + b) & m;
	case V_SUB:
		return (a - b) & m;
	case V_ADDC: /* the carry out of the unsigned sum */
		return ((a + b) & m) < a;
	case V_SUBC: /* 1 when no borrow */
		return a >= b;
	case V_ADDS: {
		int64_t r = sa + sb;
		if (r > smax || r < smin) {
			*sat = true;
			r = r > smax ? smax : smin;
		}
		return (uint64_t)r & m;
	}
	case V_SUBS: {
		int64_t r = sa - sb;
		if (r > smax || r < smin) {
			*sat = true;
			r = r > smax ? smax : smin;
		}
		return (uint64_t)r & m;
	}
	case V_ADDU: {
		uint64_t r = a + b;
		if (r > m) {
			*sat = true;
			r = m;
		}
		return r;
	}
	case V_SUBU:
		if (a < b) {
			*sat = true;
			return 0;
		}
		return a - b;
	case V_AVGU:
		return (a + b + 1) >> 1;
	case V_AVGS:
		return (uint64_t)((sa + sb + 1) >> 1) & m;
	case V_MAXU:
		return a > b ? a : b;
	case V_MAXS:
		return sa > sb ? a : b;
	case V_MINU:
		return a < b ? a : b;
	case V_MINS:
		return sa < sb ? a : b;
	case V_RL:
		return n ? ((a << n) | (a >> (bits - n))) & m : a;
	case V_SL:
		return (a << n) & m;
	case V_SR:
		return a >> n;
	case V_SRA:
		return (uint64_t)(sa >> n) & m;
	case V_CMPEQ:
		return a == b ? m : 0;
	case V_CMPGTU:
		return a > b ? m : 0;
	case V_CMPGTS:
	default:
		return sa > sb ? m : 0;
	}
}

static ALWAYS_INLINE const struct cpu_dinsn *vbinary(struct cpu *c, const struct cpu_dinsn *d,
						     enum vop op, unsigned w)
{
	union cpu_vr r;
	bool sat = false;
	for (unsigned i = 0; i < 16 / w; i++)
		vset(&r, w, i, velem(op, w, vget(&c->vr[d->ra], w, i), vget(&c->vr[d->rb], w, i), &sat));
	c->vr[d->rt] = r;
	if (sat)
		c->vscr |= VSCR_SAT;
	return d + 1;
}

#define VBIN(name, op, w)                                                                          \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, vbinary(c, d, op, w));                                                 \
	}

/* clang-format off */
VBIN(vaddubm, V_ADD, 1) VBIN(vadduhm, V_ADD, 2) VBIN(vadduwm, V_ADD, 4) VBIN(vaddudm, V_ADD, 8)
VBIN(vsububm, V_SUB, 1) VBIN(vsubuhm, V_SUB, 2) VBIN(vsubuwm, V_SUB, 4) VBIN(vsubudm, V_SUB, 8)
VBIN(vaddcuw, V_ADDC, 4) VBIN(vsubcuw, V_SUBC, 4)
VBIN(vaddubs, V_ADDU, 1) VBIN(vadduhs, V_ADDU, 2) VBIN(vadduws, V_ADDU, 4)
VBIN(vaddsbs, V_ADDS, 1) VBIN(vaddshs, V_ADDS, 2) VBIN(vaddsws, V_ADDS, 4)
VBIN(vsububs, V_SUBU, 1) VBIN(vsubuhs, V_SUBU, 2) VBIN(vsubuws, V_SUBU, 4)
VBIN(vsubsbs, V_SUBS, 1) VBIN(vsubshs, V_SUBS, 2) VBIN(vsubsws, V_SUBS, 4)
VBIN(vavgub, V_AVGU, 1) VBIN(vavguh, V_AVGU, 2) VBIN(vavguw, V_AVGU, 4)
VBIN(vavgsb, V_AVGS, 1) VBIN(vavgsh, V_AVGS, 2) VBIN(vavgsw, V_AVGS, 4)
VBIN(vmaxub, V_MAXU, 1) VBIN(vmaxuh, V_MAXU, 2) VBIN(vmaxuw, V_MAXU, 4) VBIN(vmaxud, V_MAXU, 8)
VBIN(vmaxsb, V_MAXS, 1) VBIN(vmaxsh, V_MAXS, 2) VBIN(vmaxsw, V_MAXS, 4) VBIN(vmaxsd, V_MAXS, 8)
VBIN(vminub, V_MINU, 1) VBIN(vminuh, V_MINU, 2) VBIN(vminuw, V_MINU, 4) VBIN(vminud, V_MINU, 8)
VBIN(vminsb, V_MINS, 1) VBIN(vminsh, V_MINS, 2) VBIN(vminsw, V_MINS, 4) VBIN(vminsd, V_MINS, 8)
VBIN(vrlb, V_RL, 1) VBIN(vrlh, V_RL, 2) VBIN(vrlw, V_RL, 4) VBIN(vrld, V_RL, 8)
VBIN(vslb, V_SL, 1) VBIN(vslh, V_SL, 2) VBIN(vslw, V_SL, 4) VBIN(vsld, V_SL, 8)
VBIN(vsrb, V_SR, 1) VBIN(vsrh, V_SR, 2) VBIN(vsrw, V_SR, 4) VBIN(vsrd, V_SR, 8)
VBIN(vsrab, V_SRA, 1) VBIN(vsrah, V_SRA, 2) VBIN(vsraw, V_SRA, 4) VBIN(vsrad, V_SRA, 8)
/* clang-format on */

/* ---- compares (VC form): the record form sets CR6 to all-true || 0 || none-true || 0 ---- */

static ALWAYS_INLINE const struct cpu_dinsn *vcmp(struct cpu *c, const struct cpu_dinsn *d,
						  enum vop op, unsigned w)
{
	vbinary(c, d, op, w);
	if (d->flags & CPU_D_RC) {
		uint64_t h = load_be64(c->vr[d->rt].b), l = load_be64(c->vr[d->rt].b + 8);
		unsigned all = (h & l) == ~0ull, none = (h | l) == 0;
		cpu_set_crf(c, 6, all << 3 | none << 1);
	}
	return d + 1;
}

#define VCMP(name, op, w)                                                                          \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, vcmp(c, d, op, w));                                                    \
	}

/* clang-format off */
VCMP(vcmpequb, V_CMPEQ, 1) VCMP(vcmpequh, V_CMPEQ, 2) VCMP(vcmpequw, V_CMPEQ, 4)
VCMP(vcmpequd, V_CMPEQ, 8)
VCMP(vcmpgtub, V_CMPGTU, 1) VCMP(vcmpgtuh, V_CMPGTU, 2) VCMP(vcmpgtuw, V_CMPGTU, 4)
VCMP(vcmpgtud, V_CMPGTU, 8)
VCMP(vcmpgtsb, V_CMPGTS, 1) VCMP(vcmpgtsh, V_CMPGTS, 2) VCMP(vcmpgtsw, V_CMPGTS, 4)
VCMP(vcmpgtsd, V_CMPGTS, 8)
/* clang-format on */

/* ---- logic ---- */

#define VLOGIC(name, expr)                                                                         \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		for (unsigned i = 0; i < 2; i++) {                                                 \
			uint64_t a = c->vr[d->ra].d[i], b = c->vr[d->rb].d[i];                     \
			c->vr[d->rt].d[i] = (expr);                                                \
		}                                                                                  \
		CPU_NEXT(c, d + 1);                                                                \
	}

/* clang-format off */
VLOGIC(vand, a & b) VLOGIC(vandc, a & ~b) VLOGIC(vor, a | b) VLOGIC(vxor, a ^ b)
VLOGIC(vnor, ~(a | b)) VLOGIC(vorc, a | ~b) VLOGIC(vnand, ~(a & b)) VLOGIC(veqv, ~(a ^ b))
/* clang-format on */

/* vsel (VA form: vC in frc): bits of vB where vC has 1, of vA where 0 */
CPU_HANDLER(op_vsel)
{
	VMX_CHECK(c, d);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t m = c->vr[d->frc].d[i];
		c->vr[d->rt].d[i] = (c->vr[d->rb].d[i] & m) | (c->vr[d->ra].d[i] & ~m);
	}
	CPU_NEXT(c, d + 1);
}

/* ---- permutes, merges, splats ---- */

/* vperm: byte i of vD is byte vC[i] & 31 of vA || vB */
CPU_HANDLER(op_vperm)
{
	VMX_CHECK(c, d);
	uint8_t src[32];
	union cpu_vr r;
	memcpy(src, c->vr[d->ra].b, 16);
	memcpy(src + 16, c->vr[d->rb].b, 16);
	for (unsigned i = 0; i < 16; i++)
		r.b[i] = src[c->vr[d->frc].b[i] & 31];
	c->vr[d->rt] = r;
	CPU_NEXT(c, d + 1);
}

/* vsldoi: bytes SH .. SH + 15 of vA || vB (SH: the low 4 bits of frc) */
CPU_HANDLER(op_vsldoi)
{
	VMX_CHECK(c, d);
	uint8_t src[32];
	unsigned sh = d->frc & 15;
	memcpy(src, c->vr[d->ra].b, 16);
	memcpy(src + 16, c->vr[d->rb].b, 16);
	memcpy(c->vr[d->rt].b, src + sh, 16);
	CPU_NEXT(c, d + 1);
}

/* merge high/low: elements of the high (low) halves of vA and vB interleaved */
static ALWAYS_INLINE const struct cpu_dinsn *vmerge(struct cpu *c, const struct cpu_dinsn *d,
						    unsigned w, bool low)
{
	union cpu_vr r;
	unsigned n = 8 / w, base = low ? n : 0;
	for (unsigned i = 0; i < n; i++) {
		vset(&r, w, 2 * i, vget(&c->vr[d->ra], w, base + i));
		vset(&r, w, 2 * i + 1, vget(&c->vr[d->rb], w, base + i));
	}
	c->vr[d->rt] = r;
	return d + 1;
}

#define VMERGE(name, w, low)                                                                       \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, vmerge(c, d, w, low));                                                 \
	}

/* clang-format off */
VMERGE(vmrghb, 1, false) VMERGE(vmrghh, 2, false) VMERGE(vmrghw, 4, false)
VMERGE(vmrglb, 1, true) VMERGE(vmrglh, 2, true) VMERGE(vmrglw, 4, true)
/* clang-format on */

/* vsplt[bhw]: element UIMM (ra) of vB in every element */
static ALWAYS_INLINE const struct cpu_dinsn *vsplt(struct cpu *c, const struct cpu_dinsn *d,
						   unsigned w)
{
	uint64_t x = vget(&c->vr[d->rb], w, d->ra & (16 / w - 1));
	for (unsigned i = 0; i < 16 / w; i++)
		vset(&c->vr[d->rt], w, i, x);
	return d + 1;
}

/* vspltis[bhw]: the 5-bit signed immediate (ra) in every element */
static ALWAYS_INLINE const struct cpu_dinsn *vspltis(struct cpu *c, const struct cpu_dinsn *d,
						     unsigned w)
{
	uint64_t x = (uint64_t)((int64_t)((uint64_t)d->ra << 59) >> 59);
	for (unsigned i = 0; i < 16 / w; i++)
		vset(&c->vr[d->rt], w, i, x & wmask(w));
	return d + 1;
}

#define VSPLT(name, fn, w)                                                                         \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, fn(c, d, w));                                                          \
	}

/* clang-format off */
VSPLT(vspltb, vsplt, 1) VSPLT(vsplth, vsplt, 2) VSPLT(vspltw, vsplt, 4)
VSPLT(vspltisb, vspltis, 1) VSPLT(vspltish, vspltis, 2) VSPLT(vspltisw, vspltis, 4)
/* clang-format on */

/* ---- VSCR ---- */

/* mfvscr: VSCR in the low word, the rest 0 */
CPU_HANDLER(op_mfvscr)
{
	VMX_CHECK(c, d);
	memset(c->vr[d->rt].b, 0, 12);
	store_be32(c->vr[d->rt].b + 12, c->vscr);
	CPU_NEXT(c, d + 1);
}

/* mtvscr: from vB's low word; NJ and SAT are its only bits */
CPU_HANDLER(op_mtvscr)
{
	VMX_CHECK(c, d);
	c->vscr = load_be32(c->vr[d->rb].b + 12) & 0x00010001u;
	CPU_NEXT(c, d + 1);
}

#endif
