/* SPDX-License-Identifier: MIT */
/* One run being compiled (jit.c), and what the instruction files emit into it: jit_insn.c
 * (arithmetic, logic, rotates, compares, CR moves; it dispatches to the others), jit_mem.c
 * (loads and stores) and jit_branch.c (branches). */
#ifndef SOFTKVM_JIT_RUN_H
#define SOFTKVM_JIT_RUN_H

#include <stddef.h>

#include "cpu.h"
#include "exec.h"
#include "jit.h"
#include "x86_emit.h"

/* A jump out of the run into the interpreter's handler of one of its instructions. */
struct jit_exit {
	uint8_t *rel32;
	unsigned slot;
};

struct jit_run {
	struct x86_emit e;
	struct cpu_code_page *p;
	unsigned head; /* its first slot */
	bool le;       /* the page's byte order (instructions and data) */
	uint8_t *insn_code[CPU_JIT_MAX_RUN]; /* where each instruction's code starts */
	struct jit_exit exits[CPU_JIT_MAX_RUN * 2];
	unsigned nr_exits;
};

/* Emit the code of d, in slot `slot` of the run's page. False if it is not an instruction
 * runs compile (nothing emitted then). *ends: nothing after it is reached in sequence. */
bool jit_emit_insn(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends);
/* The same for the loads and stores (jit_mem.c) and the branches (jit_branch.c). */
bool jit_emit_access(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot);
bool jit_emit_branch(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends);

/* ---- what the instruction files share: guest state in struct cpu (rdi holds the core, as
 * in every handler); rax, rcx, rdx and r8 are scratch ---- */
/* REX.W for what is as wide as a GPR (GPRs, LR, CTR, addresses): 64-bit operations on the
 * 64-bit core; on the 440 32-bit ones, which wrap an address to 32 bits as the 440 does and
 * leave the host register's upper half zero. */
#define JIT_W (CPU_IS64 != 0)
#define GPR(n) ((uint32_t)offsetof(struct cpu, gpr) + (uint32_t)sizeof(cpu_ureg) * (n))
#define CPU_FIELD(f) ((uint32_t)offsetof(struct cpu, f))
#define STLB_ENTRY(f)                                                                             \
	((uint32_t)(offsetof(struct cpu, stlb) + offsetof(struct shadow_tlb, e) +              \
		    offsetof(struct shadow_tlb_entry, f)))
#define MOV_LOAD 0x8b  /* mov reg, r/m */
#define MOV_STORE 0x89 /* mov r/m, reg */
#define MOVSXD 0x63
#define MOVZX_B 0x0fb6
#define MOVZX_W 0x0fb7

/* Leave for the handler of slot `slot` when condition cc holds. */
static inline void jit_exit_if(struct jit_run *r, enum x86_cc cc, unsigned slot)
{
	r->exits[r->nr_exits++] = (struct jit_exit){.rel32 = x86_jcc(&r->e, cc), .slot = slot};
}

static inline void jit_load_gpr(struct x86_emit *e, unsigned reg, unsigned gpr)
{
	x86_mem(e, JIT_W, MOV_LOAD, reg, X_RDI, GPR(gpr));
}
static inline void jit_store_gpr(struct x86_emit *e, unsigned reg, unsigned gpr)
{
	x86_mem(e, JIT_W, MOV_STORE, reg, X_RDI, GPR(gpr));
}

/* CR field `field` = LT, GT or EQ from the flags of the last cmp (signed or not), and SO */
static inline void jit_cr_field_from_flags(struct x86_emit *e, unsigned field, bool sign)
{
	unsigned shift = 28 - 4 * field;

	x86_mov_imm32(e, X_RCX, CR_EQ); /* mov does not touch the flags */
	x86_mov_imm32(e, X_RDX, CR_LT);
	x86_rr(e, false, 0x0f40 | (sign ? X_CC_L : X_CC_B), X_RCX, X_RDX); /* cmov */
	x86_mov_imm32(e, X_RDX, CR_GT);
	x86_rr(e, false, 0x0f40 | (sign ? X_CC_G : X_CC_A), X_RCX, X_RDX);
	x86_mem(e, false, MOVZX_B, X_RDX, X_RDI, CPU_FIELD(xer_so)); /* CR_SO is bit 0 */
	x86_rr(e, false, X_OR, X_RDX, X_RCX);
	x86_shift(e, false, 4, X_RCX, shift);
	x86_mem(e, false, MOV_LOAD, X_RDX, X_RDI, CPU_FIELD(cr));
	x86_alu_imm(e, false, X_AND, X_RDX, ~(0xfu << shift));
	x86_rr(e, false, X_OR, X_RCX, X_RDX);
	x86_mem(e, false, MOV_STORE, X_RDX, X_RDI, CPU_FIELD(cr));
}

/* The shadow TLB's hit test (shadow_tlb.h) for the address in rax, which stays: rcx = the
 * offset of its entry in an array of entries of `entry_bytes` (a power of two), rdx = the
 * tag wanted, (rax & keep) | the context at ctx_field | extra; then the handler of `slot`
 * unless the tag at tag_at + rcx is that. */
static inline void jit_shadow_hit(struct jit_run *r, unsigned slot, unsigned entry_bytes,
				  uint32_t keep, uint32_t ctx_field, uint32_t extra, uint32_t tag_at)
{
	struct x86_emit *e = &r->e;

	x86_rr(e, false, MOV_STORE, X_RAX, X_RCX);
	x86_shift(e, false, 5, X_RCX, SHADOW_PAGE_SHIFT); /* shr */
	x86_alu_imm(e, false, X_AND, X_RCX, SHADOW_TLB_SIZE - 1);
	x86_shift(e, false, 4, X_RCX, (unsigned)__builtin_ctz(entry_bytes)); /* shl */
	x86_rr(e, true, MOV_STORE, X_RAX, X_RDX);
	x86_alu_imm(e, true, X_AND, X_RDX, keep); /* sign-extended: the page's upper bits stay */
	x86_mem(e, true, X_OR + 2, X_RDX, X_RDI, ctx_field);
	if (extra)
		x86_alu_imm(e, true, X_OR, X_RDX, extra);
	x86_mem_index(e, true, X_CMP + 2, X_RDX, X_RDI, X_RCX, tag_at);
	jit_exit_if(r, X_CC_NE, slot);
}

/* rax &= the mode's address mask (64-bit core; the 440's 32-bit operations wrap already) */
static inline void jit_wrap_address(struct x86_emit *e)
{
#if CPU_IS64
	x86_mem(e, true, X_AND + 2, X_RAX, X_RDI, CPU_FIELD(ea_mask));
#else
	(void)e;
#endif
}

#endif
