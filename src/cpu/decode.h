/* SPDX-License-Identifier: MIT */
/* Instruction forms, table flags and the decoder built from insn_table.h. */
#ifndef SOFTKVM_DECODE_H
#define SOFTKVM_DECODE_H

#include "cpu.h"

/* How an instruction's bits land in struct cpu_dinsn (flags: CPU_D_* in cpu.h):
 *   FORM_I    imm = LI (sign-extended byte displacement), AA, LK
 *   FORM_B    rt = BO, ra = BI, imm = BD displacement, AA, LK
 *             (I and B: IN_PAGE when op_decode found the relative target in the same code
 *             page, so the branch can stay in it)
 *   FORM_SC   nothing
 *   FORM_D    rt = RT/RS/FRT, ra = RA (CPU_GPR_ZERO for (RA|0) when RA=0), imm = SIMM/D
 *             (UIMM with INSN_UIMM, shifted left 16 with INSN_SHIFT16)
 *   FORM_DL   logical immediate: rt = RS, ra = RA (destination), imm = UIMM
 *   FORM_CMPI rt = crfD, ra = RA, imm = SIMM or UIMM (L, for 64-bit compares, is ignored)
 *   FORM_CMP  rt = crfD, ra = RA/FRA, rb = RB/FRB (mcrxr: rt = crfD)
 *   FORM_X    rt, ra, rb = bits 6-10, 11-15, 16-20; RC
 *   FORM_XO   rt, ra, rb; RC, OE
 *   FORM_XL   rt = BO/crbD, ra = BI/crbA, rb = crbB, LK (mcrf: crfD = rt >> 2,
 *             crfS = ra >> 2)
 *   FORM_XFX  rt = RT/RS, imm = SPR/DCR/TBR number (halves swapped back)
 *   FORM_XFXM rt = RS, imm = FXM (mtcrf field mask)
 *   FORM_M    rt = RS, ra = RA, rb = SH/RB, mb, me, imm = MASK(MB, ME), RC
 *   FORM_A    rt = FRT, ra = FRA, rb = FRB, frc, RC (isel: RT, (RA|0), RB, frc = BC)
 *   FORM_DS   rt = RT/RS, ra = RA, imm = DS || 0b00 (sign-extended); 2-bit xo
 *   FORM_MD   rt = RS, ra = RA, rb = SH (6 bits), mb = MB or ME (6 bits), RC
 *   FORM_MDS  rt = RS, ra = RA, rb = RB, mb = MB or ME (6 bits), RC
 *   FORM_XS   rt = RS, ra = RA, rb = SH (6 bits), RC (sradi)
 *   FORM_VX   rt = vD, ra = vA (or UIMM/SIMM), rb = vB; 11-bit xo (primary 4, 64-bit core)
 *   FORM_VA   rt = vD, ra = vA, rb = vB, frc = vC (or SHB); 6-bit xo
 *   FORM_VC   rt = vD, ra = vA, rb = vB, RC (bit 21); 10-bit xo
 *   FORM_VXPS rt = vD, ra = vA, rb = vB, mb = PS (bit 22); xo: bit 21 and the 9-bit xo
 *             (bcdadd., bcdsub.: always recording, the '.' is in the mnemonic)
 *   VSX (64-bit core): a VSR number is 6 bits, its 5-bit field plus an extension bit
 *   FORM_XX1  rt = XT/XS (TX: bit 31), ra, rb (primary 31: loads, stores, direct moves)
 *   FORM_XX2  rt = XT, rb = XB, ra = bits 11-15 as they are (UIM...); 9-bit xo (primary 60)
 *   FORM_XX3  rt = XT, ra = XA, rb = XB; 8-bit xo (bits 21-28)
 *   FORM_XX3R XX3 whose bit 21 is Rc (vector compares); 7-bit xo
 *   FORM_XX3D XX3 whose bits 22-23 are a field (DM, SHW) in mb; 5-bit xo
 *   FORM_XX4  rt = XT, ra = XA, rb = XB, frc = XC; 2-bit xo (bits 26-27, xxsel)
 * op is the table entry (enum cpu_op); the raw word is always in d->insn. */
enum cpu_form {
	FORM_I,
	FORM_B,
	FORM_SC,
	FORM_D,
	FORM_DL,
	FORM_CMPI,
	FORM_CMP,
	FORM_X,
	FORM_XO,
	FORM_XL,
	FORM_XFX,
	FORM_XFXM,
	FORM_M,
	FORM_A,
	FORM_DS,
	FORM_MD,
	FORM_MDS,
	FORM_XS,
	FORM_VX,
	FORM_VA,
	FORM_VC,
	FORM_VXPS,
	FORM_XX1,
	FORM_XX2,
	FORM_XX3,
	FORM_XX3R,
	FORM_XX3D,
	FORM_XX4,
};

#define INSN_RA0 (1u << 0)     /* RA field means (RA|0) */
#define INSN_UIMM (1u << 1)    /* immediate is unsigned */
#define INSN_SHIFT16 (1u << 2) /* immediate is shifted left 16 bits */
#define INSN_PRIV (1u << 3)    /* privileged: always emulated by the hypervisor */
#define INSN_SPR (1u << 4)     /* mfspr/mtspr/mftb: hypervisor unless the SPR is the core's */
#define INSN_TRAP (1u << 5)    /* sc, bctar: traps to the hypervisor */
#define INSN_RC (1u << 6)      /* has a record form */
#define INSN_OE (1u << 7)      /* has an OE form */
#define INSN_MEM (1u << 8)     /* accesses memory (disassembled as d(ra) for D form) */
#define INSN_FP (1u << 9)      /* floating point: needs MSR[FP] */
/* Categories of the 64-bit core (the handlers check the facility; the disassembler names
 * the registers by them). */
#define INSN_VMX (1u << 10)    /* vector facility: needs MSR[VEC], registers v0-v31 */
#define INSN_VSX (1u << 11)    /* VSX: needs MSR[VSX] (direct moves: FP or VEC), vs0-vs63 */

/* The architecture column: which cores decode an entry (cpu_width.h's CPU_ARCH). */
#define INSN_A_440 CPU_A_440
#define INSN_A_S64 CPU_A_S64
#define INSN_A_ALL (CPU_A_440 | CPU_A_S64)

struct cpu_insn_info {
	const char *mnemonic;
	enum cpu_form form;
	uint8_t primary;
	uint16_t xo;
	uint16_t flags;
	uint8_t arch; /* INSN_A_* */
	cpu_handler handler;
};

/* Primary opcodes with an extended-opcode table. */
enum {
	DECODE_EXT_4,
	DECODE_EXT_19,
	DECODE_EXT_30,
	DECODE_EXT_31,
	DECODE_EXT_58,
	DECODE_EXT_59,
	DECODE_EXT_60,
	DECODE_EXT_62,
	DECODE_EXT_63,
	DECODE_EXT_NR
};

#define DECODE_NONE 0xffff

struct cpu_decoder {
	uint16_t primary[64];			/* table index, or DECODE_NONE */
	uint16_t ext[DECODE_EXT_NR][2048];	/* by extended opcode (decode.c: ext_index) */
};

/* The table (insn_table.h) and its length: every entry, both cores' (the decoder takes the
 * ones whose arch has this core's CPU_ARCH). */
extern const struct cpu_insn_info cpu_insn_table[];
extern const unsigned cpu_insn_count;

/* True if mfspr/mtspr of spr is executed by the core itself (LR, CTR, XER). */
bool cpu_spr_in_core(unsigned spr);

#endif
