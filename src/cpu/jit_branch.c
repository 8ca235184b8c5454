// SPDX-License-Identifier: MIT
/* Compiled branches (jit.h): exec_branch.c's within a page, and out of it run.c's fetch hit,
 * as x86-64. */
#include "jit_run.h"

/* What every compiled taken branch does, as exec_branch.c's handlers do it: */

/* With no budget left, the handler of the branch (tested before anything is done) */
static void exit_without_budget(struct jit_run *r, unsigned slot)
{
	x86_mem(&r->e, true, 0x83, 7, X_RDI, CPU_FIELD(budget)); /* cmp qword [budget], 0 */
	x86_byte(&r->e, 0);
	jit_exit_if(r, X_CC_LE, slot);
}

/* a taken branch pays one */
static void pay_budget(struct x86_emit *e)
{
	x86_mem(e, true, 0xff, 1, X_RDI, CPU_FIELD(budget)); /* dec qword [budget] */
}

/* LK: LR = this instruction's address + 4 (cpu_pc_of), through scratch register reg */
static void set_link(struct x86_emit *e, unsigned slot, unsigned reg)
{
	x86_mem(e, JIT_W, MOV_LOAD, reg, X_RDI, CPU_FIELD(page_va));
	x86_alu_imm(e, JIT_W, X_ADD, reg, 4 * slot + 4);
	x86_mem(e, JIT_W, MOV_STORE, reg, X_RDI, CPU_FIELD(lr));
}

/* bt, bf (BO = 0x04 | 0x08 for bt): a jump, to be patched, past the branch when it is not
 * taken */
static uint8_t *skip_unless_cr_bit(struct x86_emit *e, const struct cpu_dinsn *d)
{
	x86_mem(e, false, 0xf7, 0, X_RDI, CPU_FIELD(cr)); /* test dword [cr], the bit */
	x86_u32(e, 1u << (31 - d->ra));
	return x86_jcc(e, (d->rt & 0x08) ? X_CC_E : X_CC_NE);
}

/* ---- branches within the page (exec_branch.c BRANCH_REL): taken, with budget left, the
 * budget pays one; without, the handler does it (nothing is done before that test). ---- */
static void jump_to_slot(struct jit_run *r, unsigned target)
{
	struct x86_emit *e = &r->e;

	if (target >= r->head && target - r->head < CPU_JIT_MAX_RUN && r->insn_code[target - r->head]) {
		x86_patch(x86_jmp(e), r->insn_code[target - r->head]); /* within the run */
		return;
	}
	x86_mov_imm64(e, X_RSI, (uint64_t)(uintptr_t)&r->p->insns[target]);
	x86_jmp_mem(e, X_RSI);
}

static bool branch(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	struct x86_emit *e = &r->e;
	unsigned bo = d->rt, target = slot + (unsigned)(d->imm >> 2);
	uint8_t *not_taken = NULL;

	if ((d->flags & CPU_D_AA) || !(d->flags & CPU_D_IN_PAGE))
		return false;
	bool always = d->op == CPU_OP_b || (bo & 0x14) == 0x14;
	if (!always && (bo & 0x14) != 0x10 && (bo & 0x14) != 0x04)
		return false;
	exit_without_budget(r, slot);
	if (d->flags & CPU_D_LK)
		set_link(e, slot, X_RAX);
	if ((bo & 0x14) == 0x10 && !always) { /* bdnz, bdz: CTR in the mode's width */
		x86_mem(e, JIT_W, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(ctr));
		x86_rr(e, JIT_W, 0xff, 1, X_RAX); /* dec: ZF says CTR is 0 on the 440 */
		x86_mem(e, JIT_W, MOV_STORE, X_RAX, X_RDI, CPU_FIELD(ctr));
		jit_wrap_address(e); /* and on the 64-bit core, in the mode's width */
		not_taken = x86_jcc(e, (bo & 0x02) ? X_CC_NE : X_CC_E);
	} else if (!always) {
		not_taken = skip_unless_cr_bit(e, d);
	}
	pay_budget(e);
	jump_to_slot(r, target);
	if (not_taken)
		x86_patch(not_taken, e->p);
	*ends = always;
	return true;
}

/* ---- branches out of the page, blr and bctr: run.c's fetch_hit inline. With budget left,
 * the target's fetch entry must match the fetch context and link its decoded page; then the
 * core moves there as cpu_fetch moves it. Otherwise (a miss, a page not decoded yet, no
 * budget) the handler does the branch: nothing is changed before those tests. rax holds
 * the target, wrapped to the mode. ---- */
#define FETCH_ENTRY(f)                                                                            \
	((uint32_t)(offsetof(struct cpu, stlb) + offsetof(struct shadow_tlb, x) +              \
		    offsetof(struct shadow_tlb_fetch, f)))
_Static_assert(sizeof(struct cpu_dinsn) == 24, "the multiply below");

static void far_jump(struct jit_run *r, unsigned slot, bool link)
{
	struct x86_emit *e = &r->e;

	exit_without_budget(r, slot);
	jit_shadow_hit(r, slot, sizeof(struct shadow_tlb_fetch), (uint32_t)SHADOW_PAGE_MASK,
		       CPU_FIELD(itag), 0, FETCH_ENTRY(tag_x));
	x86_mem_index(e, true, MOV_LOAD, X_RDX, X_RDI, X_RCX, FETCH_ENTRY(code));
	x86_rr(e, true, 0x85, X_RDX, X_RDX); /* test rdx, rdx */
	jit_exit_if(r, X_CC_E, slot);
	/* taken: the budget, the link, the core's page, then the target's slot */
	pay_budget(e);
	if (link)
		set_link(e, slot, X_RCX);
	x86_mem(e, true, MOV_STORE, X_RDX, X_RDI, CPU_FIELD(page));
	x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
	x86_alu_imm(e, true, X_AND, X_RCX, (uint32_t)SHADOW_PAGE_MASK);
	x86_mem(e, JIT_W, MOV_STORE, X_RCX, X_RDI, CPU_FIELD(page_va));
	x86_alu_imm(e, false, X_AND, X_RAX, SHADOW_PAGE_SIZE - 4); /* the slot's byte offset */
	x86_rr(e, false, 0x6b, X_RAX, X_RAX); /* imul eax, eax, 6: the slot x 24 */
	x86_byte(e, 6);
	x86_rr(e, true, X_ADD, X_RDX, X_RAX);
	x86_alu_imm(e, true, X_ADD, X_RAX, (uint32_t)offsetof(struct cpu_code_page, insns));
	x86_rr(e, true, MOV_STORE, X_RAX, X_RSI);
	x86_jmp_mem(e, X_RSI);
}

/* b/bl out of the page, bc (bt/bf) out of it, blr and its bt/bf forms, bctr and bctrl.
 * Returns false if d is none of them; *ends when the branch is always taken. */
static bool far_branch(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	struct x86_emit *e = &r->e;
	bool link = (d->flags & CPU_D_LK) != 0;
	unsigned bo = d->rt;
	bool always = d->op == CPU_OP_b || (bo & 0x14) == 0x14;
	uint8_t *not_taken = NULL;

	if (d->flags & CPU_D_AA)
		return false;
	if (!always && ((bo & 0x14) != 0x04 || link || d->op == CPU_OP_bcctr))
		return false; /* CTR-decrementing, or linking whether taken or not */
	if (d->op == CPU_OP_bclr && link)
		return false; /* blrl */
	if (!always)
		not_taken = skip_unless_cr_bit(e, d);
	if (d->op == CPU_OP_b || d->op == CPU_OP_bc) { /* this instruction's address + BD/LI */
		x86_mem(e, JIT_W, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(page_va));
		x86_alu_imm(e, JIT_W, X_ADD, X_RAX, (uint32_t)(4 * (int32_t)slot + d->imm));
	} else {
		x86_mem(e, JIT_W, MOV_LOAD, X_RAX, X_RDI,
			d->op == CPU_OP_bclr ? CPU_FIELD(lr) : CPU_FIELD(ctr));
		x86_alu_imm(e, JIT_W, X_AND, X_RAX, (uint32_t)-4);
	}
	jit_wrap_address(e);
	far_jump(r, slot, link);
	if (not_taken)
		x86_patch(not_taken, e->p);
	*ends = always;
	return true;
}

bool jit_emit_branch(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	switch (d->op) {
	case CPU_OP_b:
	case CPU_OP_bc:
		return branch(r, d, slot, ends) ||
		       (!(d->flags & CPU_D_IN_PAGE) && far_branch(r, d, slot, ends));
	case CPU_OP_bclr:
	case CPU_OP_bcctr:
		return far_branch(r, d, slot, ends);
	default:
		return false;
	}
}
