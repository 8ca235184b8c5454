// SPDX-License-Identifier: MIT
/* Compiled loads and stores (jit.h): the handlers' shadow-TLB hit (exec_ldst.c) as x86-64. */
#include "jit_run.h"

/* ---- loads and stores: the handlers' shadow-TLB hit (exec_ldst.c load_hit/store_hit) ----
 * ea = (RA|0) + D or + RB, wrapped to the mode; the entry of ea's page; its read (write) tag
 * must equal the data context | the page | ea's low bits an aligned access has zero, exactly
 * as shadow_tlb_read_hit compares. Then host = addend + ea; an update form's RA gets ea
 * after the access, as cpu_ea_update does. */
struct access {
	unsigned size;
	bool store, sign, indexed, update;
};

static void ldst(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot, struct access a)
{
	struct x86_emit *e = &r->e;
	/* the 64-bit core's data are in MSR[LE]'s order, the code page's; the 440's are
	 * big-endian (a little-endian page of its data has slow tags: they miss here) */
	bool data_le = CPU_IS64 && r->le;
	uint64_t ctx_bits = data_le ? SHADOW_TAG_SLOW : 0; /* cpu_data_tag */
	bool swap = !data_le && a.size > 1;

	jit_load_gpr(e, X_RAX, d->ra);
	if (a.indexed)
		x86_mem(e, JIT_W, X_ADD + 2, X_RAX, X_RDI, GPR(d->rb));
	else
		x86_alu_imm(e, JIT_W, X_ADD, X_RAX, (uint32_t)d->imm);
	jit_wrap_address(e);
	jit_shadow_hit(r, slot, sizeof(struct shadow_tlb_entry),
		       (uint32_t)(SHADOW_PAGE_MASK | (a.size - 1)), CPU_FIELD(dtag), (uint32_t)ctx_bits,
		       a.store ? STLB_ENTRY(tag_w) : STLB_ENTRY(tag_r));
	if (a.update)
		x86_rr(e, true, MOV_STORE, X_RAX, X_R8); /* r8 = ea */
	x86_mem_index(e, true, X_ADD + 2, X_RAX, X_RDI, X_RCX, STLB_ENTRY(addend));
	if (a.store) {
		jit_load_gpr(e, X_RDX, d->rt);
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
		jit_store_gpr(e, X_RDX, d->rt);
	}
	if (a.update)
		jit_store_gpr(e, X_R8, d->ra); /* RA wins over RT, as load_done has it */
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

bool jit_emit_access(struct jit_run *r, const struct cpu_dinsn *d, unsigned slot)
{
	struct access a;

	if (!access_of(d->op, &a))
		return false;
	ldst(r, d, slot, a);
	return true;
}
