// SPDX-License-Identifier: MIT
/* The instructions compiled runs are made of, each as x86-64 that does what its handler's
 * fast path does (exec_arith.c, exec_logic.c, exec_int64.c, exec_ldst.c, exec_branch.c), and
 * leaves for that handler whenever the fast path would not be taken. This file has the
 * arithmetic, logic, rotates, compares and CR moves, and hands loads and stores to jit_mem.c
 * and branches to jit_branch.c. Forms with OE=1 are left to the handlers.
 *
 * The compiled instructions: addi, addis, mulli, add, subf, neg, mullw, mulld, the ones
 * that set XER[CA] (addic, addic., subfic, addc, subfc, adde, subfe, addze, subfze, addme,
 * subfme; in the 64-bit core's 64-bit mode), all with no OE, ori, oris, xori, xoris, andi.,
 * andis., or, and, xor, nor, andc, extsb, extsh, extsw, slw, srw, sld, srd, srawi, cntlzw,
 * cntlzd, rlwinm, rlwimi, rldicl, rldicr, rldic, rldimi (Rc=1 too: always on the 440, in
 * 64-bit mode on the 64-bit core),
 * the four compares, twi and tdi, mfcr/mfocrf, mtcrf/mtocrf, sync and lwsync,
 * mflr/mtlr/mfctr/mtctr, loads and stores of 1 to 8 bytes (D, X and update forms of those
 * jit_mem.c's access_of lists, either byte order), b/bc within the page (always, bdnz/bdz, bt/bf; with
 * link too), and out of it b/bl, bt/bf, blr and its bt/bf forms, bctr and bctrl, which move
 * the core to the target's page as the fetch does when it hits. */
#include <stddef.h>

#include "exec.h"
#include "jit_run.h"

/* rax &= mask */
static void and_mask(struct x86_emit *e, uint64_t mask)
{
	if (mask == ~0ull)
		return;
	if (mask <= UINT32_MAX) {
		x86_mov_imm32(e, X_RCX, (uint32_t)mask);
	} else {
		x86_mov_imm64(e, X_RCX, mask);
	}
	x86_rr(e, true, X_AND, X_RCX, X_RAX);
}

/* The rotates with an immediate amount (d->rb = SH) and mask, as exec_logic.c's and
 * exec_int64.c's handlers: rax = RS rotated (a word rotate as rotl32_wide, the word in both
 * halves where the mask reaches the upper one), & mask, | RA & ~mask when it inserts. */
static void rotate_and_mask(struct x86_emit *e, const struct cpu_dinsn *d, bool word,
			    uint64_t mask, bool insert)
{
	x86_mem(e, !word, MOV_LOAD, X_RAX, X_RDI, GPR(d->rt));
	if (d->rb)
		x86_shift(e, !word, 0, X_RAX, d->rb); /* rol */
	if (word && (mask >> 32)) {
		x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
		x86_shift(e, true, 4, X_RCX, 32);
		x86_rr(e, true, X_OR, X_RCX, X_RAX);
	}
	and_mask(e, mask);
	if (insert) {
		jit_load_gpr(e, X_RDX, d->ra);
		x86_mov_imm64(e, X_RCX, ~mask);
		x86_rr(e, true, X_AND, X_RCX, X_RDX);
		x86_rr(e, true, X_OR, X_RDX, X_RAX);
	}
}

/* A compare operand: the doubleword, or the low word sign- or zero-extended (L=0). */
static void compare_operand(struct x86_emit *e, unsigned reg, unsigned gpr, bool dword, bool sign)
{
	if (dword)
		jit_load_gpr(e, reg, gpr);
	else
		x86_mem(e, sign, sign ? MOVSXD : MOV_LOAD, reg, X_RDI, GPR(gpr));
}

static bool compare(struct jit_run *r, const struct cpu_dinsn *d)
{
	struct x86_emit *e = &r->e;
	bool sign = d->op == CPU_OP_cmpi || d->op == CPU_OP_cmp;
	bool dword = CPU_IS64 && (d->flags & CPU_D_L); /* the 440 ignores L (exec_logic.c) */

	if (d->op == CPU_OP_cmpli && (uint32_t)d->imm > INT32_MAX)
		return false; /* a UIMM x86 would sign-extend (the decoder gives 16 bits) */
	compare_operand(e, X_RAX, d->ra, dword, sign);
	if (d->op == CPU_OP_cmpi || d->op == CPU_OP_cmpli) {
		x86_alu_imm(e, true, X_CMP, X_RAX, (uint32_t)d->imm);
	} else {
		compare_operand(e, X_R8, d->rb, dword, sign);
		x86_rr(e, true, X_CMP, X_R8, X_RAX);
	}
	jit_cr_field_from_flags(e, d->rt, sign);
	return true;
}

/* twi, tdi (exec_logic.c trap_if): the handler when TO's comparison of (RA) with SI holds
 * (it traps); nothing otherwise. twi compares the low word, sign-extended. */
static void trap_unless(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot)
{
	static const struct {
		unsigned to;
		enum x86_cc cc;
	} holds[] = {{16, X_CC_L}, {8, X_CC_G}, {4, X_CC_E}, {2, X_CC_B}, {1, X_CC_A}};
	struct x86_emit *e = &r->e;

	x86_mem(e, true, d->op == CPU_OP_twi ? MOVSXD : MOV_LOAD, X_RAX, X_RDI, GPR(d->ra));
	x86_alu_imm(e, true, X_CMP, X_RAX, (uint32_t)d->imm);
	for (unsigned i = 0; i < 5; i++)
		if (d->rt & holds[i].to)
			jit_exit_if(r, holds[i].cc, slot);
}

/* rax = a shift of RS by RB's low bits, zero when the count's top bit (width) is set, as
 * slw/srw (32-bit, count & 63) and sld/srd (count & 127) define it. */
static void shift_by_rb(struct x86_emit *e, const struct cpu_dinsn *d, bool dword, bool left)
{
	x86_mem(e, false, MOV_LOAD, X_RCX, X_RDI, GPR(d->rb));
	x86_mem(e, dword, MOV_LOAD, X_RAX, X_RDI, GPR(d->rt));
	x86_rr(e, dword, 0xd3, left ? 4 : 5, X_RAX); /* shl/shr by cl (x86 takes its low bits) */
	x86_rr(e, false, X_XOR, X_RDX, X_RDX);
	x86_rr(e, false, 0xf6, 0, X_RCX); /* test cl, width */
	x86_byte(e, dword ? 64 : 32);
	x86_rr(e, true, 0x0f45, X_RAX, X_RDX); /* cmovnz rax, rdx */
}

/* ---- XER[CA] (a byte, 0 or 1) and the host's carry flag ---- */
#define XER_CA CPU_FIELD(xer_ca)

/* CF = XER[CA] */
static void carry_in(struct x86_emit *e)
{
	x86_mem(e, false, MOVZX_B, X_RCX, X_RDI, XER_CA);
	x86_rr(e, false, 0x80, 0, X_RCX); /* add cl, 0xff: a carry out when CA is 1 */
	x86_byte(e, 0xff);
}

/* XER[CA] = CF, or = !CF after a subtraction (x86's borrow is PowerPC's carry inverted) */
static void carry_out(struct x86_emit *e, bool borrow)
{
	x86_mem(e, false, borrow ? 0x0f93 : 0x0f92, 0, X_RDI, XER_CA); /* setnc / setc */
}

/* The additions that set CA (exec_arith.c add_carry; carries() below names them): rax =
 * their sum in the GPR's width (the 64-bit core's 32-bit mode, where CA is the low word's
 * carry, is left to the handlers: tested before anything is done). */
static void add_with_carry(struct x86_emit *e, const struct cpu_dinsn *d)
{
	enum { ADC_RM = 0x13 };
	bool extended = false, complement = false; /* + CA; ~RA */
	int imm8 = 0;				   /* addme/subfme: + -1 */
	unsigned rb = 0;			   /* adde/subfe: + RB */

	switch (d->op) {
	case CPU_OP_addic:
	case CPU_OP_addic_rc:
		jit_load_gpr(e, X_RAX, d->ra);
		x86_alu_imm(e, JIT_W, X_ADD, X_RAX, (uint32_t)d->imm);
		carry_out(e, false);
		return;
	case CPU_OP_subfic: /* SI - RA */
		x86_rr(e, JIT_W, 0xc7, 0, X_RAX); /* mov rax, SI (sign-extended) */
		x86_u32(e, (uint32_t)d->imm);
		x86_mem(e, JIT_W, X_SUB + 2, X_RAX, X_RDI, GPR(d->ra));
		carry_out(e, true);
		return;
	case CPU_OP_addc:
	case CPU_OP_subfc: /* RA + RB; RB - RA */
		jit_load_gpr(e, X_RAX, d->op == CPU_OP_addc ? d->ra : d->rb);
		x86_mem(e, JIT_W, (d->op == CPU_OP_addc ? X_ADD : X_SUB) + 2, X_RAX, X_RDI,
			GPR(d->op == CPU_OP_addc ? d->rb : d->ra));
		carry_out(e, d->op == CPU_OP_subfc);
		return;
	case CPU_OP_adde:
	case CPU_OP_subfe:
		extended = true;
		rb = d->rb;
		complement = d->op == CPU_OP_subfe;
		break;
	default: /* addze, subfze, addme, subfme */
		complement = d->op == CPU_OP_subfze || d->op == CPU_OP_subfme;
		imm8 = d->op == CPU_OP_addme || d->op == CPU_OP_subfme ? -1 : 0;
		break;
	}
	jit_load_gpr(e, X_RAX, d->ra);
	if (complement)
		x86_rr(e, JIT_W, 0xf7, 2, X_RAX); /* not */
	carry_in(e);
	if (extended) {
		x86_mem(e, JIT_W, ADC_RM, X_RAX, X_RDI, GPR(rb));
	} else {
		x86_rr(e, JIT_W, 0x83, 2, X_RAX); /* adc rax, imm8 */
		x86_byte(e, (uint8_t)imm8);
	}
	carry_out(e, false);
}

/* Does d set CA (by the 64-bit core's mode)? add_with_carry's instructions. */
static bool carries(const struct cpu_dinsn *d)
{
	switch (d->op) {
	case CPU_OP_addic: case CPU_OP_addic_rc: case CPU_OP_subfic: case CPU_OP_addc:
	case CPU_OP_subfc: case CPU_OP_adde: case CPU_OP_subfe: case CPU_OP_addze:
	case CPU_OP_subfze: case CPU_OP_addme: case CPU_OP_subfme:
		return true;
	default:
		return false;
	}
}

/* srawi (exec_logic.c sra): rax = the low word, sign-extended, shifted right by SH; CA = it
 * is negative and 1 bits went out */
static void shift_right_algebraic(struct x86_emit *e, const struct cpu_dinsn *d)
{
	unsigned sh = d->rb & 31;

	x86_mem(e, true, MOVSXD, X_RAX, X_RDI, GPR(d->rt));
	x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
	x86_alu_imm(e, false, X_AND, X_RCX, (1u << sh) - 1); /* the bits that go */
	x86_rr(e, false, 0x0f95, 0, X_RDX);		      /* setnz dl */
	x86_rr(e, true, 0x85, X_RAX, X_RAX);
	x86_rr(e, false, 0x0f98, 0, X_RCX); /* sets cl */
	x86_rr(e, false, 0x20, X_RCX, X_RDX); /* and dl, cl */
	x86_mem(e, false, 0x88, X_RDX, X_RDI, XER_CA);
	if (sh)
		x86_shift(e, true, 7, X_RAX, sh); /* sar */
}

/* cntlzw, cntlzd: rax = the leading zeros of RS's low word (doubleword); all of them when
 * it is 0 (bsr finds no bit: -1 in its place) */
static void count_leading_zeros(struct x86_emit *e, const struct cpu_dinsn *d, bool dword)
{
	x86_mem(e, dword, MOV_LOAD, X_RAX, X_RDI, GPR(d->rt));
	x86_rr(e, dword, 0x0fbd, X_RCX, X_RAX); /* bsr rcx, rax */
	x86_rr(e, true, 0xc7, 0, X_RDX);	/* mov rdx, -1 (flags untouched) */
	x86_u32(e, 0xffffffffu);
	x86_rr(e, dword, 0x0f44, X_RCX, X_RDX); /* cmovz rcx, rdx */
	x86_mov_imm32(e, X_RAX, dword ? 63 : 31);
	x86_rr(e, dword, X_SUB, X_RCX, X_RAX);
}

/* mfspr, mtspr of LR or CTR, which the core keeps (op_mfspr, op_mtspr: the table's handler
 * `fn`, not the hypervisor's emulation): the register's offset in struct cpu; else 0. */
static uint32_t kept_spr(const struct cpu_dinsn *d, cpu_handler fn)
{
	if (d->fn != fn || (d->imm != SPR_LR && d->imm != SPR_CTR))
		return 0;
	return d->imm == SPR_LR ? CPU_FIELD(lr) : CPU_FIELD(ctr);
}

/* The instructions with a result in a GPR: emit it into rax; *dest the GPR it goes to.
 * False if d is not one of them, or an OE=1 form (the handlers keep XER[OV]). */
static bool result(struct jit_run *r, const struct cpu_dinsn *d, unsigned *dest)
{
	struct x86_emit *e = &r->e;

	if (d->flags & CPU_D_OE)
		return false;
	if (carries(d)) {
		add_with_carry(e, d);
		*dest = d->rt;
		return true;
	}
	*dest = d->ra; /* the logical ones, rotates and shifts: RA = RS op ... */
	switch (d->op) {
	case CPU_OP_addi:
	case CPU_OP_addis: /* imm is shifted already, and signed */
		jit_load_gpr(e, X_RAX, d->ra);
		x86_alu_imm(e, true, X_ADD, X_RAX, (uint32_t)d->imm);
		*dest = d->rt;
		return true;
	case CPU_OP_mulli:
		x86_mem(e, JIT_W, 0x69, X_RAX, X_RDI, GPR(d->ra)); /* imul rax, [ra], imm32 */
		x86_u32(e, (uint32_t)d->imm);
		*dest = d->rt;
		return true;
	case CPU_OP_ori:
	case CPU_OP_oris:
	case CPU_OP_xori:
	case CPU_OP_xoris:
	case CPU_OP_andi_rc:
	case CPU_OP_andis_rc: {
		enum x86_alu op = d->op == CPU_OP_xori || d->op == CPU_OP_xoris ? X_XOR
				  : d->op == CPU_OP_ori || d->op == CPU_OP_oris	 ? X_OR
										 : X_AND;
		jit_load_gpr(e, X_RAX, d->rt);
		x86_mov_imm32(e, X_RCX, (uint32_t)d->imm); /* zero-extended, as UIMM is */
		x86_rr(e, true, op, X_RCX, X_RAX);
		return true;
	}
	case CPU_OP_add:
	case CPU_OP_subf: /* RT = RA + RB; RT = RB - RA */
		jit_load_gpr(e, X_RAX, d->op == CPU_OP_add ? d->ra : d->rb);
		x86_mem(e, JIT_W, (d->op == CPU_OP_add ? X_ADD : X_SUB) + 2, X_RAX, X_RDI,
			GPR(d->op == CPU_OP_add ? d->rb : d->ra));
		*dest = d->rt;
		return true;
	case CPU_OP_srawi:
		shift_right_algebraic(e, d);
		return true;
	case CPU_OP_cntlzw:
	case CPU_OP_cntlzd:
		count_leading_zeros(e, d, d->op == CPU_OP_cntlzd);
		return true;
	case CPU_OP_neg:
		jit_load_gpr(e, X_RAX, d->ra);
		x86_rr(e, true, 0xf7, 3, X_RAX);
		*dest = d->rt;
		return true;
	case CPU_OP_mullw: /* the 64-bit product of the signed low words */
	case CPU_OP_mulld:
		x86_mem(e, true, d->op == CPU_OP_mullw ? MOVSXD : MOV_LOAD, X_RAX, X_RDI, GPR(d->ra));
		x86_mem(e, true, d->op == CPU_OP_mullw ? MOVSXD : MOV_LOAD, X_RCX, X_RDI, GPR(d->rb));
		x86_rr(e, true, 0x0faf, X_RAX, X_RCX); /* imul rax, rcx */
		*dest = d->rt;
		return true;
	case CPU_OP_or:
	case CPU_OP_and:
	case CPU_OP_xor:
	case CPU_OP_nor:
	case CPU_OP_andc:
		jit_load_gpr(e, X_RAX, d->rb);
		if (d->op == CPU_OP_andc)
			x86_rr(e, true, 0xf7, 2, X_RAX); /* not */
		x86_mem(e, JIT_W,
			(d->op == CPU_OP_xor ? X_XOR : d->op == CPU_OP_or || d->op == CPU_OP_nor ? X_OR : X_AND) + 2,
			X_RAX, X_RDI, GPR(d->rt));
		if (d->op == CPU_OP_nor)
			x86_rr(e, true, 0xf7, 2, X_RAX);
		return true;
	case CPU_OP_extsw:
	case CPU_OP_extsh:
	case CPU_OP_extsb:
		x86_mem(e, true, d->op == CPU_OP_extsw ? MOVSXD : d->op == CPU_OP_extsh ? 0x0fbf : 0x0fbe,
			X_RAX, X_RDI, GPR(d->rt));
		return true;
	case CPU_OP_slw:
	case CPU_OP_srw:
	case CPU_OP_sld:
	case CPU_OP_srd:
		shift_by_rb(e, d, d->op == CPU_OP_sld || d->op == CPU_OP_srd,
			    d->op == CPU_OP_slw || d->op == CPU_OP_sld);
		return true;
	case CPU_OP_rlwinm:
	case CPU_OP_rlwimi:
		rotate_and_mask(e, d, true, rlw_mask(d), d->op == CPU_OP_rlwimi);
		return true;
	case CPU_OP_rldicl:
		rotate_and_mask(e, d, false, mask64(d->mb, 63), false);
		return true;
	case CPU_OP_rldicr:
		rotate_and_mask(e, d, false, mask64(0, d->mb), false);
		return true;
	case CPU_OP_rldic:
	case CPU_OP_rldimi:
		rotate_and_mask(e, d, false, mask64(d->mb, 63 - d->rb), d->op == CPU_OP_rldimi);
		return true;
	case CPU_OP_mfcr: /* mfocrf (bit 11, not the 440's): the field FXM names, the others 0 */
		x86_mem(e, false, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(cr));
		if (CPU_IS64 && (d->insn & 0x00100000u))
			x86_alu_imm(e, false, X_AND, X_RAX, fxm_mask((d->insn >> 12) & 0xff));
		*dest = d->rt;
		return true;
	case CPU_OP_mfspr:
		if (!kept_spr(d, op_mfspr))
			return false;
		x86_mem(e, JIT_W, MOV_LOAD, X_RAX, X_RDI, kept_spr(d, op_mfspr));
		*dest = d->rt;
		return true;
	default:
		return false;
	}
}

/* Rc=1 (and andi., andis.): CR0 from the result, as cpu_set_cr0 sets it. In the 64-bit
 * core's 32-bit mode the handler does it (the low word's sign): tested before anything is
 * done. */
static bool records(const struct cpu_dinsn *d)
{
	return (d->flags & CPU_D_RC) || d->op == CPU_OP_andi_rc || d->op == CPU_OP_andis_rc ||
	       d->op == CPU_OP_addic_rc;
}

bool jit_emit_insn(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	struct x86_emit *e = &r->e;
	uint8_t *mark = e->p;
	unsigned exits = r->nr_exits, dest;

	*ends = false;
#if CPU_IS64
	if (records(d) || carries(d)) {
		x86_mem(e, false, 0x80, 7, X_RDI, CPU_FIELD(sf)); /* cmp byte [sf], 0 */
		x86_byte(e, 0);
		jit_exit_if(r, X_CC_E, slot);
	}
#endif
	if (result(r, d, &dest)) {
		jit_store_gpr(e, X_RAX, dest);
		if (records(d)) {
			x86_rr(e, JIT_W, 0x85, X_RAX, X_RAX); /* test rax, rax: the GPR's sign */
			jit_cr_field_from_flags(e, 0, true);
		}
		return true;
	}
	if (records(d))
		goto not_compiled;
	switch (d->op) {
	case CPU_OP_cmpi:
	case CPU_OP_cmpli:
	case CPU_OP_cmp:
	case CPU_OP_cmpl:
		if (compare(r, d))
			return true;
		goto not_compiled;
	case CPU_OP_b:
	case CPU_OP_bc:
	case CPU_OP_bclr:
	case CPU_OP_bcctr:
		if (jit_emit_branch(r, d, slot, ends))
			return true;
		goto not_compiled;
	case CPU_OP_mtcrf: /* and mtocrf: the fields FXM names */
		jit_load_gpr(e, X_RAX, d->rt);
		x86_alu_imm(e, false, X_AND, X_RAX, fxm_mask((uint32_t)d->imm));
		x86_mem(e, false, MOV_LOAD, X_RDX, X_RDI, CPU_FIELD(cr));
		x86_alu_imm(e, false, X_AND, X_RDX, ~fxm_mask((uint32_t)d->imm));
		x86_rr(e, false, X_OR, X_RAX, X_RDX);
		x86_mem(e, false, MOV_STORE, X_RDX, X_RDI, CPU_FIELD(cr));
		return true;
	case CPU_OP_msync: /* lwsync: nothing on x86 (op_msync's acquire-release); sync: mfence */
		if (((d->insn >> 21) & 3) != 1) {
			x86_byte(e, 0x0f);
			x86_byte(e, 0xae);
			x86_byte(e, 0xf0);
		}
		return true;
	case CPU_OP_twi:
	case CPU_OP_tdi:
		trap_unless(r, d, slot);
		return true;
	case CPU_OP_mtspr:
		if (!kept_spr(d, op_mtspr))
			goto not_compiled;
		jit_load_gpr(e, X_RAX, d->rt);
		x86_mem(e, JIT_W, MOV_STORE, X_RAX, X_RDI, kept_spr(d, op_mtspr));
		return true;
	default:
		if (jit_emit_access(r, d, slot))
			return true;
		goto not_compiled;
	}
not_compiled:
	e->p = mark;
	r->nr_exits = exits;
	return false;
}
