// SPDX-License-Identifier: MIT
/* The instructions compiled runs are made of, each as x86-64 that does what its handler's
 * fast path does (exec_arith.c, exec_logic.c, exec_int64.c, exec_ldst.c, exec_branch.c), and
 * leaves for that handler whenever the fast path would not be taken. Guest registers are
 * read from and written to struct cpu (rdi holds the core, as in every handler); rax, rcx,
 * rdx and r8 are scratch. Forms with OE=1 are left to the handlers.
 *
 * The compiled instructions: addi, addis, mulli, add, subf, neg, mullw, mulld (no OE),
 * ori, oris, xori, xoris, andi., andis., or, and, xor, nor, andc, extsb, extsh, extsw, slw,
 * srw, sld, srd, rlwinm, rlwimi, rldicl, rldicr, rldic, rldimi (Rc=1 too, in 64-bit mode),
 * the four compares, twi and tdi, mfcr/mfocrf, mtcrf/mtocrf, sync and lwsync,
 * mflr/mtlr/mfctr/mtctr, loads and stores of 1 to 8 bytes (D, X and update forms of those
 * access_of lists, either byte order), b/bc within the page (always, bdnz/bdz, bt/bf; with
 * link too), and out of it b/bl, bt/bf, blr and its bt/bf forms, bctr and bctrl, which move
 * the core to the target's page as the fetch does when it hits. */
#include <stddef.h>

#include "exec.h"
#include "jit_run.h"

#if CPU_IS64

#define GPR(n) ((uint32_t)offsetof(struct cpu, gpr) + 8u * (n))
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
static void exit_if(struct jit_run *r, enum x86_cc cc, unsigned slot)
{
	r->exits[r->nr_exits++] = (struct jit_exit){.rel32 = x86_jcc(&r->e, cc), .slot = slot};
}

static void load_gpr(struct x86_emit *e, unsigned reg, unsigned gpr)
{
	x86_mem(e, true, MOV_LOAD, reg, X_RDI, GPR(gpr));
}
static void store_gpr(struct x86_emit *e, unsigned reg, unsigned gpr)
{
	x86_mem(e, true, MOV_STORE, reg, X_RDI, GPR(gpr));
}

/* The ISA's MASK(mb, me) of a 64-bit rotate (bit 0 the most significant). */
static uint64_t rotate_mask(unsigned mb, unsigned me)
{
	uint64_t from = ~0ull >> mb, to = ~0ull << (63 - me);
	return mb <= me ? (from & to) : (from | to);
}

/* rax = (rax & mask) | (gpr & ~mask) */
static void insert_under_mask(struct x86_emit *e, uint64_t mask, unsigned gpr);

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

static void insert_under_mask(struct x86_emit *e, uint64_t mask, unsigned gpr)
{
	and_mask(e, mask);
	load_gpr(e, X_RDX, gpr);
	x86_mov_imm64(e, X_RCX, ~mask);
	x86_rr(e, true, X_AND, X_RCX, X_RDX);
	x86_rr(e, true, X_OR, X_RDX, X_RAX);
}

/* ---- loads and stores: the handlers' shadow-TLB hit (exec_ldst.c load_hit/store_hit) ----
 * ea = (RA|0) + D or + RB, wrapped to the mode; the entry of ea's page; its read (write) tag
 * must equal the data context | the page | ea's low bits an aligned access has zero, exactly
 * as shadow_tlb_read_hit compares. Then host = addend + ea; an update form's RA gets ea
 * after the access, as cpu_ea_update does. */
_Static_assert(sizeof(struct shadow_tlb_entry) == 32, "the shift below");

struct access {
	unsigned size;
	bool store, sign, indexed, update;
};

static void ldst(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, struct access a)
{
	struct x86_emit *e = &r->e;
	uint64_t ctx_bits = r->le ? SHADOW_TAG_SLOW : 0; /* cpu_data_tag */
	bool swap = !r->le && a.size > 1;

	load_gpr(e, X_RAX, d->ra);
	if (a.indexed)
		x86_mem(e, true, X_ADD + 2, X_RAX, X_RDI, GPR(d->rb));
	else
		x86_alu_imm(e, true, X_ADD, X_RAX, (uint32_t)d->imm);
	x86_mem(e, true, X_AND + 2, X_RAX, X_RDI, CPU_FIELD(ea_mask));
	x86_rr(e, false, MOV_STORE, X_RAX, X_RCX); /* ecx = the entry's offset */
	x86_shift(e, false, 5, X_RCX, SHADOW_PAGE_SHIFT);
	x86_alu_imm(e, false, X_AND, X_RCX, SHADOW_TLB_SIZE - 1);
	x86_shift(e, false, 4, X_RCX, 5); /* x 32 */
	x86_rr(e, true, MOV_STORE, X_RAX, X_RDX); /* rdx = the tag wanted */
	x86_alu_imm(e, true, X_AND, X_RDX, (uint32_t)(SHADOW_PAGE_MASK | (a.size - 1)));
	x86_mem(e, true, X_OR + 2, X_RDX, X_RDI, CPU_FIELD(dtag));
	if (ctx_bits)
		x86_alu_imm(e, true, X_OR, X_RDX, (uint32_t)ctx_bits);
	x86_mem_index(e, true, X_CMP + 2, X_RDX, X_RDI, X_RCX,
		      a.store ? STLB_ENTRY(tag_w) : STLB_ENTRY(tag_r));
	exit_if(r, X_CC_NE, slot);
	if (a.update)
		x86_rr(e, true, MOV_STORE, X_RAX, X_R8); /* r8 = ea */
	x86_mem_index(e, true, X_ADD + 2, X_RAX, X_RDI, X_RCX, STLB_ENTRY(addend));
	if (a.store) {
		load_gpr(e, X_RDX, d->rt);
		if (swap && a.size == 2) {
			x86_byte(e, 0x66); /* rol dx, 8 */
			x86_shift(e, false, 0, X_RDX, 8);
		} else if (swap) {
			x86_bswap(e, a.size == 8, X_RDX);
		}
		if (a.size == 2)
			x86_byte(e, 0x66);
		x86_mem0(e, a.size == 8, a.size == 1 ? 0x88 : MOV_STORE, X_RDX, X_RAX);
	} else {
		bool movsx16 = a.sign && a.size == 2 && !swap; /* lha on a little-endian page */
		if (movsx16)
			x86_mem0(e, true, 0x0fbf, X_RDX, X_RAX); /* movsx rdx, word [rax] */
		else if (a.size == 8 || a.size == 4)
			x86_mem0(e, a.size == 8, MOV_LOAD, X_RDX, X_RAX);
		else
			x86_mem0(e, false, a.size == 2 ? MOVZX_W : MOVZX_B, X_RDX, X_RAX);
		if (swap) {
			x86_bswap(e, a.size == 8, X_RDX);
			if (a.size == 2) /* the halfword came to the top, reversed */
				x86_shift(e, false, a.sign ? 7 : 5, X_RDX, 16); /* sar / shr */
		}
		if (a.sign && !movsx16)
			x86_rr(e, true, MOVSXD, X_RDX, X_RDX); /* from the low word */
		store_gpr(e, X_RDX, d->rt);
	}
	if (a.update)
		store_gpr(e, X_R8, d->ra); /* RA wins over RT, as load_done has it */
}

/* The compiled loads and stores by instruction. */
static bool access_of(unsigned op, struct access *a)
{
	static const struct {
		uint16_t op;
		struct access a;
	} table[] = {
#define L(o, sz, ...) {CPU_OP_##o, {.size = sz, __VA_ARGS__}}
	    L(lbz, 1), L(lbzu, 1, .update = true), L(lbzx, 1, .indexed = true),
	    L(lhz, 2), L(lhzx, 2, .indexed = true), L(lha, 2, .sign = true),
	    L(lwz, 4), L(lwzu, 4, .update = true), L(lwzx, 4, .indexed = true),
	    L(lwa, 4, .sign = true), L(ld, 8), L(ldu, 8, .update = true),
	    L(ldx, 8, .indexed = true),
	    L(stb, 1, .store = true), L(stbx, 1, .store = true, .indexed = true),
	    L(sth, 2, .store = true), L(sthx, 2, .store = true, .indexed = true),
	    L(stw, 4, .store = true), L(stwu, 4, .store = true, .update = true),
	    L(stwx, 4, .store = true, .indexed = true), L(std, 8, .store = true),
	    L(stdu, 8, .store = true, .update = true), L(stdx, 8, .store = true, .indexed = true),
#undef L
	};
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].op == op) {
			*a = table[i].a;
			return true;
		}
	return false;
}

/* ---- compares: CR field d->rt = LT, GT or EQ from the flags of the last cmp, and SO ---- */
static void cr_field_from_flags(struct x86_emit *e, unsigned field, bool sign)
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

/* A compare operand: the doubleword, or the low word sign- or zero-extended (L=0). */
static void compare_operand(struct x86_emit *e, unsigned reg, unsigned gpr, bool dword, bool sign)
{
	if (dword)
		load_gpr(e, reg, gpr);
	else
		x86_mem(e, sign, sign ? MOVSXD : MOV_LOAD, reg, X_RDI, GPR(gpr));
}

static bool compare(struct jit_run *r, const struct cpu_dinsn *d)
{
	struct x86_emit *e = &r->e;
	bool sign = d->op == CPU_OP_cmpi || d->op == CPU_OP_cmp;
	bool dword = (d->flags & CPU_D_L) != 0;

	if (d->op == CPU_OP_cmpli && (uint32_t)d->imm > INT32_MAX)
		return false; /* a UIMM x86 would sign-extend (the decoder gives 16 bits) */
	compare_operand(e, X_RAX, d->ra, dword, sign);
	if (d->op == CPU_OP_cmpi || d->op == CPU_OP_cmpli) {
		x86_alu_imm(e, true, X_CMP, X_RAX, (uint32_t)d->imm);
	} else {
		compare_operand(e, X_R8, d->rb, dword, sign);
		x86_rr(e, true, X_CMP, X_R8, X_RAX);
	}
	cr_field_from_flags(e, d->rt, sign);
	return true;
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
	/* cmp qword [budget], 0; jle: the handler */
	x86_mem(e, true, 0x83, 7, X_RDI, CPU_FIELD(budget));
	x86_byte(e, 0);
	exit_if(r, X_CC_LE, slot);
	if (d->flags & CPU_D_LK) { /* LR = this instruction's address + 4 (cpu_pc_of) */
		x86_mem(e, true, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(page_va));
		x86_alu_imm(e, true, X_ADD, X_RAX, 4 * slot + 4);
		x86_mem(e, true, MOV_STORE, X_RAX, X_RDI, CPU_FIELD(lr));
	}
	if ((bo & 0x14) == 0x10 && !always) { /* bdnz, bdz: CTR in the mode's width */
		x86_mem(e, true, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(ctr));
		x86_rr(e, true, 0xff, 1, X_RAX); /* dec */
		x86_mem(e, true, MOV_STORE, X_RAX, X_RDI, CPU_FIELD(ctr));
		x86_mem(e, true, X_AND + 2, X_RAX, X_RDI, CPU_FIELD(ea_mask));
		not_taken = x86_jcc(e, (bo & 0x02) ? X_CC_NE : X_CC_E);
	} else if (!always) { /* bt, bf: test dword [cr], the bit */
		x86_mem(e, false, 0xf7, 0, X_RDI, CPU_FIELD(cr));
		x86_u32(e, 1u << (31 - d->ra));
		not_taken = x86_jcc(e, (bo & 0x08) ? X_CC_E : X_CC_NE);
	}
	x86_mem(e, true, 0xff, 1, X_RDI, CPU_FIELD(budget)); /* dec qword [budget] */
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
_Static_assert(sizeof(struct shadow_tlb_fetch) == 16 && sizeof(struct cpu_dinsn) == 24,
	       "the shift and the multiply below");

static void far_jump(struct jit_run *r, unsigned slot, bool link)
{
	struct x86_emit *e = &r->e;

	x86_mem(e, true, 0x83, 7, X_RDI, CPU_FIELD(budget)); /* cmp qword [budget], 0 */
	x86_byte(e, 0);
	exit_if(r, X_CC_LE, slot);
	x86_rr(e, true, MOV_STORE, X_RAX, X_RCX); /* rcx = the fetch entry's offset */
	x86_shift(e, true, 5, X_RCX, SHADOW_PAGE_SHIFT);
	x86_alu_imm(e, false, X_AND, X_RCX, SHADOW_TLB_SIZE - 1);
	x86_shift(e, false, 4, X_RCX, 4);
	x86_rr(e, true, MOV_STORE, X_RAX, X_RDX); /* rdx = the tag wanted */
	x86_alu_imm(e, true, X_AND, X_RDX, (uint32_t)SHADOW_PAGE_MASK);
	x86_mem(e, true, X_OR + 2, X_RDX, X_RDI, CPU_FIELD(itag));
	x86_mem_index(e, true, X_CMP + 2, X_RDX, X_RDI, X_RCX, FETCH_ENTRY(tag_x));
	exit_if(r, X_CC_NE, slot);
	x86_mem_index(e, true, MOV_LOAD, X_RDX, X_RDI, X_RCX, FETCH_ENTRY(code));
	x86_rr(e, true, 0x85, X_RDX, X_RDX); /* test rdx, rdx */
	exit_if(r, X_CC_E, slot);
	/* taken: the budget, the link, the core's page, then the target's slot */
	x86_mem(e, true, 0xff, 1, X_RDI, CPU_FIELD(budget)); /* dec qword [budget] */
	if (link) {
		x86_mem(e, true, MOV_LOAD, X_RCX, X_RDI, CPU_FIELD(page_va));
		x86_alu_imm(e, true, X_ADD, X_RCX, 4 * slot + 4);
		x86_mem(e, true, MOV_STORE, X_RCX, X_RDI, CPU_FIELD(lr));
	}
	x86_mem(e, true, MOV_STORE, X_RDX, X_RDI, CPU_FIELD(page));
	x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
	x86_alu_imm(e, true, X_AND, X_RCX, (uint32_t)SHADOW_PAGE_MASK);
	x86_mem(e, true, MOV_STORE, X_RCX, X_RDI, CPU_FIELD(page_va));
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
	if (!always) { /* bt, bf: test dword [cr], the bit */
		x86_mem(e, false, 0xf7, 0, X_RDI, CPU_FIELD(cr));
		x86_u32(e, 1u << (31 - d->ra));
		not_taken = x86_jcc(e, (bo & 0x08) ? X_CC_E : X_CC_NE);
	}
	if (d->op == CPU_OP_b || d->op == CPU_OP_bc) { /* this instruction's address + BD/LI */
		x86_mem(e, true, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(page_va));
		x86_alu_imm(e, true, X_ADD, X_RAX, (uint32_t)(4 * (int32_t)slot + d->imm));
	} else {
		x86_mem(e, true, MOV_LOAD, X_RAX, X_RDI,
			d->op == CPU_OP_bclr ? CPU_FIELD(lr) : CPU_FIELD(ctr));
		x86_alu_imm(e, true, X_AND, X_RAX, (uint32_t)-4);
	}
	x86_mem(e, true, X_AND + 2, X_RAX, X_RDI, CPU_FIELD(ea_mask));
	far_jump(r, slot, link);
	if (not_taken)
		x86_patch(not_taken, e->p);
	*ends = always;
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
			exit_if(r, holds[i].cc, slot);
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

/* The instructions with a result in a GPR: emit it into rax; *dest the GPR it goes to.
 * False if d is not one of them (or a form of one the handler keeps: OE=1). */
static bool result(struct jit_run *r, const struct cpu_dinsn *d, unsigned *dest)
{
	struct x86_emit *e = &r->e;
	uint32_t w = d->insn;

	*dest = d->ra; /* the logical ones, rotates and shifts: RA = RS op ... */
	switch (d->op) {
	case CPU_OP_addi:
	case CPU_OP_addis: /* imm is shifted already, and signed */
		load_gpr(e, X_RAX, d->ra);
		x86_alu_imm(e, true, X_ADD, X_RAX, (uint32_t)d->imm);
		*dest = d->rt;
		return true;
	case CPU_OP_mulli:
		x86_mem(e, true, 0x69, X_RAX, X_RDI, GPR(d->ra)); /* imul rax, [ra], imm32 */
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
		load_gpr(e, X_RAX, d->rt);
		x86_mov_imm32(e, X_RCX, (uint32_t)d->imm); /* zero-extended, as UIMM is */
		x86_rr(e, true, op, X_RCX, X_RAX);
		return true;
	}
	case CPU_OP_add:
	case CPU_OP_subf: /* RT = RA + RB; RT = RB - RA */
		if (d->flags & CPU_D_OE)
			return false;
		load_gpr(e, X_RAX, d->op == CPU_OP_add ? d->ra : d->rb);
		x86_mem(e, true, (d->op == CPU_OP_add ? X_ADD : X_SUB) + 2, X_RAX, X_RDI,
			GPR(d->op == CPU_OP_add ? d->rb : d->ra));
		*dest = d->rt;
		return true;
	case CPU_OP_neg:
		if (d->flags & CPU_D_OE)
			return false;
		load_gpr(e, X_RAX, d->ra);
		x86_rr(e, true, 0xf7, 3, X_RAX);
		*dest = d->rt;
		return true;
	case CPU_OP_mullw: /* the 64-bit product of the signed low words */
	case CPU_OP_mulld:
		if (d->flags & CPU_D_OE)
			return false;
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
		load_gpr(e, X_RAX, d->rb);
		if (d->op == CPU_OP_andc)
			x86_rr(e, true, 0xf7, 2, X_RAX); /* not */
		x86_mem(e, true,
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
	case CPU_OP_rlwinm: { /* the rotated low word in both halves, then MASK(MB+32, ME+32) */
		unsigned sh = (w >> 11) & 31, mb = (w >> 6) & 31, me = (w >> 1) & 31;
		uint64_t mask = rotate_mask(mb + 32, me + 32);
		x86_mem(e, false, MOV_LOAD, X_RAX, X_RDI, GPR(d->rt));
		if (sh)
			x86_shift(e, false, 0, X_RAX, sh);
		if (mask >> 32) { /* the mask reaches the high word: the rotated word is there too */
			x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
			x86_shift(e, true, 4, X_RCX, 32);
			x86_rr(e, true, X_OR, X_RCX, X_RAX);
		}
		and_mask(e, mask);
		return true;
	}
	case CPU_OP_rlwimi: { /* rlwinm's rotate and mask, inserted into RA */
		unsigned sh = (w >> 11) & 31, mb = (w >> 6) & 31, me = (w >> 1) & 31;
		uint64_t mask = rotate_mask(mb + 32, me + 32);
		x86_mem(e, false, MOV_LOAD, X_RAX, X_RDI, GPR(d->rt));
		if (sh)
			x86_shift(e, false, 0, X_RAX, sh);
		x86_rr(e, true, MOV_STORE, X_RAX, X_RCX);
		x86_shift(e, true, 4, X_RCX, 32);
		x86_rr(e, true, X_OR, X_RCX, X_RAX);
		insert_under_mask(e, mask, d->ra);
		return true;
	}
	case CPU_OP_rldic:
	case CPU_OP_rldimi: { /* MASK(mb, 63 - sh); rldimi inserts into RA */
		unsigned sh = ((w >> 11) & 0x1f) | ((w >> 1) & 1) << 5;
		unsigned m = ((w >> 6) & 0x1f) | ((w >> 5) & 1) << 5;
		load_gpr(e, X_RAX, d->rt);
		if (sh)
			x86_shift(e, true, 0, X_RAX, sh);
		if (d->op == CPU_OP_rldic)
			and_mask(e, rotate_mask(m, 63 - sh));
		else
			insert_under_mask(e, rotate_mask(m, 63 - sh), d->ra);
		return true;
	}
	case CPU_OP_mfcr: /* mfocrf (bit 11): the field FXM names, the others 0 */
		x86_mem(e, false, MOV_LOAD, X_RAX, X_RDI, CPU_FIELD(cr));
		if (w & 0x00100000u)
			x86_alu_imm(e, false, X_AND, X_RAX, fxm_mask((w >> 12) & 0xff));
		*dest = d->rt;
		return true;
	case CPU_OP_rldicl:
	case CPU_OP_rldicr: { /* MD form: sh = sh5 || sh0:4, m = m5 || m0:4 */
		unsigned sh = ((w >> 11) & 0x1f) | ((w >> 1) & 1) << 5;
		unsigned m = ((w >> 6) & 0x1f) | ((w >> 5) & 1) << 5;
		load_gpr(e, X_RAX, d->rt);
		if (sh)
			x86_shift(e, true, 0, X_RAX, sh);
		and_mask(e, d->op == CPU_OP_rldicl ? rotate_mask(m, 63) : rotate_mask(0, m));
		return true;
	}
	case CPU_OP_mfspr: /* LR and CTR, which the core keeps (op_mfspr) */
		if (d->fn != op_mfspr || (d->imm != SPR_LR && d->imm != SPR_CTR))
			return false;
		x86_mem(e, true, MOV_LOAD, X_RAX, X_RDI, d->imm == SPR_LR ? CPU_FIELD(lr) : CPU_FIELD(ctr));
		*dest = d->rt;
		return true;
	default:
		return false;
	}
}

/* Rc=1 (and andi., andis.): CR0 from the result, as cpu_set_cr0 sets it. In 32-bit mode
 * the handler does it (the low word's sign): tested before anything is done. */
static bool records(const struct cpu_dinsn *d)
{
	return (d->flags & CPU_D_RC) || d->op == CPU_OP_andi_rc || d->op == CPU_OP_andis_rc;
}

bool jit_emit_insn(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	struct x86_emit *e = &r->e;
	uint8_t *mark = e->p;
	unsigned exits = r->nr_exits, dest;

	*ends = false;
	if (records(d)) {
		x86_mem(e, false, 0x80, 7, X_RDI, CPU_FIELD(sf)); /* cmp byte [sf], 0 */
		x86_byte(e, 0);
		exit_if(r, X_CC_E, slot);
	}
	if (result(r, d, &dest)) {
		store_gpr(e, X_RAX, dest);
		if (records(d)) {
			x86_rr(e, true, 0x85, X_RAX, X_RAX); /* test rax, rax */
			cr_field_from_flags(e, 0, true);
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
		if (branch(r, d, slot, ends))
			return true;
		if (!(d->flags & CPU_D_IN_PAGE) && far_branch(r, d, slot, ends))
			return true;
		goto not_compiled;
	case CPU_OP_bclr:
	case CPU_OP_bcctr:
		if (far_branch(r, d, slot, ends))
			return true;
		goto not_compiled;
	case CPU_OP_mtcrf: /* and mtocrf: the fields FXM names */
		load_gpr(e, X_RAX, d->rt);
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
	case CPU_OP_mtspr: /* LR and CTR */
		if (d->fn != op_mtspr || (d->imm != SPR_LR && d->imm != SPR_CTR))
			goto not_compiled;
		load_gpr(e, X_RAX, d->rt);
		x86_mem(e, true, MOV_STORE, X_RAX, X_RDI, d->imm == SPR_LR ? CPU_FIELD(lr) : CPU_FIELD(ctr));
		return true;
	default: {
		struct access a;
		if (!access_of(d->op, &a))
			goto not_compiled;
		ldst(r, d, slot, a);
		return true;
	}
	}
not_compiled:
	e->p = mark;
	r->nr_exits = exits;
	return false;
}
#else
bool jit_emit_insn(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, bool *ends)
{
	return false;
}
#endif
