// SPDX-License-Identifier: MIT
/* The decoder and the disassembler, both derived from the one instruction table. */
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "handlers.h"

const struct cpu_insn_info cpu_insn_table[] = {
/* An entry of the other core names a handler this build does not have: op_illegal stands
 * in (the decoder never takes the entry). */
#define INSN(cname, mnem, form, primary, xo, flags, arch, handler)                                 \
	{mnem, form, primary, xo, flags, arch, ((arch) & CPU_ARCH) ? handler : op_illegal},
#include "insn_table.h"
#undef INSN
};
const unsigned cpu_insn_count = sizeof(cpu_insn_table) / sizeof(cpu_insn_table[0]);

/* Which extended-opcode table a primary opcode uses, or -1. */
static int ext_table_of(unsigned primary)
{
	switch (primary) {
	case 4:
		return DECODE_EXT_4;
	case 19:
		return DECODE_EXT_19;
	case 30:
		return DECODE_EXT_30;
	case 31:
		return DECODE_EXT_31;
	case 58:
		return DECODE_EXT_58;
	case 59:
		return DECODE_EXT_59;
	case 60:
		return DECODE_EXT_60;
	case 62:
		return DECODE_EXT_62;
	case 63:
		return DECODE_EXT_63;
	default:
		return -1;
	}
}

/* Claims slot for entry i; two entries on one encoding is a table bug. */
static int claim(uint16_t *slot, unsigned i)
{
	if (*slot != DECODE_NONE)
		return -1;
	*slot = (uint16_t)i;
	return 0;
}

/* Primary 60 (VSX) is indexed by bits 21-31: an entry claims every index its extension bits
 * (AX, BX, TX, CX), fields (DM, SHW) and Rc can make. */
static int claim_xx(uint16_t *ext, const struct cpu_insn_info *in, unsigned i)
{
	int bad = 0;
	for (unsigned x = 0; x < 2048; x++) {
		bool mine;
		switch (in->form) {
		case FORM_XX2:
			mine = (x >> 2) == in->xo;
			break;
		case FORM_XX3:
			mine = (x >> 3) == in->xo;
			break;
		case FORM_XX3R:
			mine = ((x >> 3) & 0x7f) == in->xo;
			break;
		case FORM_XX3D:
			mine = ((x >> 3) & 0x9f) == in->xo;
			break;
		default: /* FORM_XX4 */
			mine = ((x >> 4) & 3) == in->xo;
			break;
		}
		if (mine)
			bad |= claim(&ext[x], i);
	}
	return bad;
}

struct cpu_decoder *cpu_decoder_create(void)
{
	struct cpu_decoder *dec = malloc(sizeof(*dec));
	if (!dec)
		return NULL;
	for (unsigned p = 0; p < 64; p++)
		dec->primary[p] = DECODE_NONE;
	for (unsigned t = 0; t < DECODE_EXT_NR; t++)
		for (unsigned x = 0; x < 2048; x++)
			dec->ext[t][x] = DECODE_NONE;

	int bad = 0;
	for (unsigned i = 0; i < cpu_insn_count; i++) {
		const struct cpu_insn_info *in = &cpu_insn_table[i];
		int t = ext_table_of(in->primary);
		if (!(in->arch & CPU_ARCH))
			continue;
		if (t < 0) {
			bad |= claim(&dec->primary[in->primary], i);
		} else if (in->form == FORM_A) {
			/* 5-bit extended opcode: bits 6-10 of the 10-bit field are FRC */
			for (unsigned x = in->xo; x < 1024; x += 32)
				bad |= claim(&dec->ext[t][x], i);
		} else if (in->form == FORM_VA) {
			/* 6-bit extended opcode: the index's upper bits are vC */
			for (unsigned x = in->xo; x < 2048; x += 64)
				bad |= claim(&dec->ext[t][x], i);
		} else if (in->form == FORM_VXPS) {
			/* the 11-bit index's bit 9 is PS */
			bad |= claim(&dec->ext[t][in->xo], i);
			bad |= claim(&dec->ext[t][in->xo | 512], i);
		} else if (in->form == FORM_VC) {
			/* 10-bit extended opcode; Rc is the 11-bit index's top bit */
			bad |= claim(&dec->ext[t][in->xo], i);
			bad |= claim(&dec->ext[t][in->xo | 1024], i);
		} else if (in->form >= FORM_XX2 && in->form <= FORM_XX4) {
			bad |= claim_xx(dec->ext[t], in, i);
		} else if (in->form == FORM_MD || in->form == FORM_XS) {
			/* the low bit of the index is SH[5] */
			bad |= claim(&dec->ext[t][in->xo << 1], i);
			bad |= claim(&dec->ext[t][(in->xo << 1) | 1], i);
		} else if (in->form == FORM_XO) {
			/* 9-bit extended opcode; the OE bit is the 10-bit field's top bit */
			bad |= claim(&dec->ext[t][in->xo], i);
			bad |= claim(&dec->ext[t][in->xo | 512], i);
		} else {
			bad |= claim(&dec->ext[t][in->xo], i);
		}
	}
	if (bad) {
		free(dec);
		return NULL;
	}
	return dec;
}

void cpu_decoder_destroy(struct cpu_decoder *dec)
{
	free(dec);
}

bool cpu_spr_in_core(unsigned spr)
{
	return spr == 1 || spr == 8 || spr == 9; /* XER, LR, CTR */
}

static uint32_t rotate_mask(unsigned mb, unsigned me)
{
	uint32_t a = 0xffffffffu >> mb, b = 0xffffffffu << (31 - me);
	return mb <= me ? (a & b) : (a | b);
}

/* The index into a primary's extended-opcode table: bits 21-30, except for the DS forms
 * (bits 30-31), the MD/MDS forms (bits 27-30), VSX's primary 60 (bits 21-31) and, on the
 * 64-bit core, primary 4's vector instructions (bits 21-31; the 440's primary 4 is its
 * multiply-accumulate group). */
static unsigned ext_index(unsigned p, uint32_t w)
{
	if (p == 58 || p == 62)
		return w & 3;
	if (p == 30)
		return (w >> 1) & 0xf;
	if ((CPU_IS64 && p == 4) || p == 60)
		return w & 0x7ff;
	return (w >> 1) & 0x3ff;
}

static int lookup(const struct cpu_decoder *dec, uint32_t w)
{
	unsigned p = w >> 26;
	int t = ext_table_of(p);
	uint16_t i = t < 0 ? dec->primary[p] : dec->ext[t][ext_index(p, w)];
	return i == DECODE_NONE ? -1 : i;
}

int cpu_decode(const struct cpu_decoder *dec, uint32_t w, struct cpu_dinsn *d)
{
	int i = lookup(dec, w);
	const struct cpu_insn_info *in = i < 0 ? NULL : &cpu_insn_table[i];
	unsigned rt = (w >> 21) & 31, ra = (w >> 16) & 31, rb = (w >> 11) & 31;

	*d = (struct cpu_dinsn){.fn = in ? in->handler : op_illegal,
				.insn = w,
				.op = in ? (uint16_t)i : CPU_OP_ILLEGAL};
	if (!in)
		return -1;
	if ((in->flags & INSN_RA0) && ra == 0)
		ra = CPU_GPR_ZERO;

	switch (in->form) {
	case FORM_I:
		d->imm = (int32_t)((w & 0x03fffffcu) << 6) >> 6;
		d->flags = (w & 2 ? CPU_D_AA : 0) | (w & 1 ? CPU_D_LK : 0);
		break;
	case FORM_B:
		d->rt = rt;
		d->ra = ra;
		d->imm = (int16_t)(w & 0xfffc);
		d->flags = (w & 2 ? CPU_D_AA : 0) | (w & 1 ? CPU_D_LK : 0);
		break;
	case FORM_SC:
		break;
	case FORM_D:
	case FORM_DL:
	case FORM_CMPI:
		/* compares: L (bit 10) selects a 64-bit compare, which a 440 ignores */
		d->rt = in->form == FORM_CMPI ? (w >> 23) & 7 : rt;
		if (in->form == FORM_CMPI && (w & 0x00200000u))
			d->flags = CPU_D_L;
		d->ra = ra;
		d->imm = (in->flags & INSN_UIMM) ? (int32_t)(w & 0xffff) : (int16_t)(w & 0xffff);
		if (in->flags & INSN_SHIFT16)
			d->imm = (int32_t)((uint32_t)d->imm << 16);
		break;
	case FORM_CMP:
		d->rt = (w >> 23) & 7;
		d->ra = ra;
		d->rb = rb;
		d->flags = w & 0x00200000u ? CPU_D_L : 0;
		break;
	case FORM_VX:
	case FORM_VA:
	case FORM_VC:
		d->rt = rt;
		d->ra = (uint8_t)((w >> 16) & 31); /* never (RA|0): a vector or an immediate */
		d->rb = rb;
		d->frc = (w >> 6) & 31;
		d->flags = in->form == FORM_VC && (w & 0x400) ? CPU_D_RC : 0;
		break;
	case FORM_VXPS:
		d->rt = rt;
		d->ra = (uint8_t)((w >> 16) & 31);
		d->rb = rb;
		d->mb = (w >> 9) & 1;
		break;
	case FORM_DS:
		d->rt = rt;
		d->ra = ra;
		d->imm = (int16_t)(w & 0xfffc);
		break;
	case FORM_XX1:
		d->rt = (uint8_t)(rt | (w & 1) << 5);
		d->ra = ra;
		d->rb = rb;
		break;
	case FORM_XX2:
	case FORM_XX3:
	case FORM_XX3R:
	case FORM_XX3D:
	case FORM_XX4:
		d->rt = (uint8_t)(rt | (w & 1) << 5);
		d->ra = in->form == FORM_XX2 ? ra : (uint8_t)(ra | ((w >> 2) & 1) << 5);
		d->rb = (uint8_t)(rb | ((w >> 1) & 1) << 5);
		d->frc = in->form == FORM_XX4 ? (uint8_t)(((w >> 6) & 31) | ((w >> 3) & 1) << 5)
					      : (uint8_t)((w >> 8) & 3);
		d->flags = in->form == FORM_XX3R && (w & 0x400) ? CPU_D_RC : 0;
		break;
	case FORM_MD:
	case FORM_MDS:
	case FORM_XS:
		d->rt = rt;
		d->ra = ra;
		/* SH[5] is bit 30 (MD, XS); MB/ME's 6 bits are bits 21-26, low 5 bits first */
		d->rb = in->form == FORM_MDS ? rb : (uint8_t)(rb | ((w & 2) << 4));
		d->mb = (uint8_t)(((w >> 6) & 31) | (w & 0x20));
		d->flags = w & 1 ? CPU_D_RC : 0;
		break;
	case FORM_X:
		d->rt = rt;
		d->ra = ra;
		d->rb = rb;
		d->flags = w & 1 ? CPU_D_RC : 0;
		break;
	case FORM_XL:
		d->rt = rt;
		d->ra = ra;
		d->rb = rb;
		d->flags = w & 1 ? CPU_D_LK : 0;
		break;
	case FORM_XO:
		d->rt = rt;
		d->ra = ra;
		d->rb = rb;
		d->flags = (w & 1 ? CPU_D_RC : 0) | (w & 0x400 ? CPU_D_OE : 0);
		break;
	case FORM_XFX:
		d->rt = rt;
		d->imm = (int32_t)(ra | (rb << 5));
		break;
	case FORM_XFXM:
		d->rt = rt;
		d->imm = (int32_t)((w >> 12) & 0xff);
		break;
	case FORM_M:
		d->rt = rt;
		d->ra = ra;
		d->rb = rb;
		d->mb = (w >> 6) & 31;
		d->me = (w >> 1) & 31;
		d->imm = (int32_t)rotate_mask(d->mb, d->me);
		d->flags = w & 1 ? CPU_D_RC : 0;
		break;
	case FORM_A:
		d->rt = rt;
		d->ra = ra;
		d->rb = rb;
		d->frc = (w >> 6) & 31;
		d->flags = w & 1 ? CPU_D_RC : 0;
		break;
	}

	/* The privileged dispatch: SPR moves the core does not own go to the hypervisor. */
	if ((in->flags & INSN_SPR) && !cpu_spr_in_core((unsigned)d->imm))
		d->fn = op_emulate;
	return i;
}

/* ---- disassembler ---- */

static const char *reg_name(unsigned r, bool fp, char *buf)
{
	if (r == CPU_GPR_ZERO)
		return "0";
	sprintf(buf, "%s%u", fp ? "f" : "r", r);
	return buf;
}

void cpu_disassemble(const struct cpu_decoder *dec, uint32_t w, cpu_ureg pc, char *buf,
		     unsigned len)
{
	struct cpu_dinsn d;
	int i = cpu_decode(dec, w, &d);
	if (i < 0) {
		snprintf(buf, len, ".long 0x%08x", w);
		return;
	}
	const struct cpu_insn_info *in = &cpu_insn_table[i];
	bool fp = in->flags & INSN_FP;
	char name[16], a[8], b[8], c[8];
	snprintf(name, sizeof(name), "%s%s%s", in->mnemonic,
		 (in->flags & INSN_OE) && (d.flags & CPU_D_OE) ? "o" : "",
		 (in->flags & INSN_RC) && (d.flags & CPU_D_RC) ? "." : "");
	switch (in->form) {
	case FORM_I:
		snprintf(buf, len, "%s%s%s 0x%llx", name, (d.flags & CPU_D_LK) ? "l" : "",
			 (d.flags & CPU_D_AA) ? "a" : "",
			 (unsigned long long)(cpu_ureg)(((d.flags & CPU_D_AA) ? 0 : pc) +
						       (cpu_ureg)(cpu_sreg)d.imm));
		break;
	case FORM_B:
		snprintf(buf, len, "%s%s%s %u,%u,0x%llx", name, (d.flags & CPU_D_LK) ? "l" : "",
			 (d.flags & CPU_D_AA) ? "a" : "", d.rt, d.ra,
			 (unsigned long long)(cpu_ureg)(((d.flags & CPU_D_AA) ? 0 : pc) +
						       (cpu_ureg)(cpu_sreg)d.imm));
		break;
	case FORM_SC:
		snprintf(buf, len, "%s", name);
		break;
	case FORM_D:
		if (in->flags & INSN_MEM)
			snprintf(buf, len, "%s %s,%d(%s)", name, reg_name(d.rt, fp, a), d.imm,
				 reg_name(d.ra, false, b));
		else
			snprintf(buf, len, "%s %s,%s,%d", name, reg_name(d.rt, false, a),
				 reg_name(d.ra, false, b), d.imm);
		break;
	case FORM_DL:
		snprintf(buf, len, "%s r%u,r%u,0x%x", name, d.ra, d.rt, (uint32_t)d.imm);
		break;
	case FORM_CMPI:
		snprintf(buf, len, "%s cr%u,r%u,%d", name, d.rt, d.ra, d.imm);
		break;
	case FORM_CMP:
		snprintf(buf, len, "%s cr%u,%s,%s", name, d.rt, reg_name(d.ra, fp, a),
			 reg_name(d.rb, fp, b));
		break;
	case FORM_X:
	case FORM_XO:
		snprintf(buf, len, "%s %s,%s,%s", name, reg_name(d.rt, fp, a),
			 reg_name(d.ra, fp, b), reg_name(d.rb, fp, c));
		break;
	case FORM_XL:
		snprintf(buf, len, "%s%s %u,%u,%u", name, (d.flags & CPU_D_LK) ? "l" : "", d.rt,
			 d.ra, d.rb);
		break;
	case FORM_XFX:
		snprintf(buf, len, "%s r%u,%u", name, d.rt, (uint32_t)d.imm);
		break;
	case FORM_XFXM:
		snprintf(buf, len, "%s 0x%02x,r%u", name, (uint32_t)d.imm, d.rt);
		break;
	case FORM_M:
		snprintf(buf, len, "%s r%u,r%u,%u,%u,%u", name, d.ra, d.rt, d.rb, d.mb, d.me);
		break;
	case FORM_A:
		if (!fp) /* isel: RT, (RA|0), RB, BC */
			snprintf(buf, len, "%s r%u,%s,r%u,%u", name, d.rt, reg_name(d.ra, false, a),
				 d.rb, d.frc);
		else
			snprintf(buf, len, "%s f%u,f%u,f%u,f%u", name, d.rt, d.ra, d.frc, d.rb);
		break;
	case FORM_DS:
		snprintf(buf, len, "%s r%u,%d(%s)", name, d.rt, d.imm, reg_name(d.ra, false, b));
		break;
	case FORM_MD:
	case FORM_XS:
		snprintf(buf, len, "%s r%u,r%u,%u,%u", name, d.ra, d.rt, d.rb, d.mb);
		if (in->form == FORM_XS)
			snprintf(buf, len, "%s r%u,r%u,%u", name, d.ra, d.rt, d.rb);
		break;
	case FORM_MDS:
		snprintf(buf, len, "%s r%u,r%u,r%u,%u", name, d.ra, d.rt, d.rb, d.mb);
		break;
	case FORM_VX:
	case FORM_VC:
		snprintf(buf, len, "%s%s v%u,v%u,v%u", in->mnemonic,
			 (d.flags & CPU_D_RC) ? "." : "", d.rt, d.ra, d.rb);
		break;
	case FORM_VA:
		snprintf(buf, len, "%s v%u,v%u,v%u,v%u", name, d.rt, d.ra, d.rb, d.frc);
		break;
	case FORM_VXPS:
		snprintf(buf, len, "%s v%u,v%u,v%u,%u", name, d.rt, d.ra, d.rb, d.mb);
		break;
	case FORM_XX1:
		if (in->flags & INSN_MEM)
			snprintf(buf, len, "%s vs%u,%s,r%u", name, d.rt, reg_name(d.ra, false, a),
				 d.rb);
		else if (in->mnemonic[1] == 'f') /* mfvsr*: RA, XS */
			snprintf(buf, len, "%s r%u,vs%u", name, d.ra, d.rt);
		else
			snprintf(buf, len, "%s vs%u,r%u", name, d.rt, d.ra);
		break;
	case FORM_XX2:
		snprintf(buf, len, "%s vs%u,vs%u", name, d.rt, d.rb);
		break;
	case FORM_XX3:
	case FORM_XX3R:
		snprintf(buf, len, "%s%s vs%u,vs%u,vs%u", in->mnemonic,
			 (d.flags & CPU_D_RC) ? "." : "", d.rt, d.ra, d.rb);
		break;
	case FORM_XX3D:
		snprintf(buf, len, "%s vs%u,vs%u,vs%u,%u", name, d.rt, d.ra, d.rb, d.mb);
		break;
	case FORM_XX4:
		snprintf(buf, len, "%s vs%u,vs%u,vs%u,vs%u", name, d.rt, d.ra, d.rb, d.frc);
		break;
	}
}
