// SPDX-License-Identifier: MIT
/* Shadow TLB maintenance: fills from the hypervisor, invalidation, flushes. */
#include <stddef.h>

#include "cpu.h"

static void entry_clear(struct shadow_tlb *t, unsigned i)
{
	t->e[i].tag_r = t->e[i].tag_w = SHADOW_TAG_INVALID;
	t->e[i].gidx = SHADOW_NO_GTLB;
	t->e[i].perm = 0;
	t->x[i] = (struct shadow_tlb_fetch){.tag_x = SHADOW_TAG_INVALID, .code = NULL};
}

void cpu_shadow_fill(struct cpu *c, enum cpu_access acc, cpu_ureg va, uint8_t *host,
		     uint32_t ppn, unsigned perm, unsigned gidx)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, va);
	struct shadow_tlb_fetch *x = shadow_tlb_fetch_of(&c->stlb, va);
	cpu_ureg page = va & SHADOW_PAGE_MASK;
	/* The guest TLB matched in the context of the access that missed; the other kind
	 * of access (fetch vs data) shares the entry only if its context is the same. */
	bool same_ctx = c->dtag == c->itag;
	bool data_ok = acc != CPU_ACCESS_EXEC || same_ctx;
	bool exec_ok = acc == CPU_ACCESS_EXEC || same_ctx;
	uint64_t dtag = c->dtag | page | ((perm & SHADOW_ATTR_LE) ? SHADOW_TAG_SLOW : 0);

	cpu_code_cache_lock(c->code);
	/* the decoded code of a page depends on its byte order too (cpu_code_key) */
	if (e->ppn != ppn || ((e->perm ^ perm) & SHADOW_ATTR_LE))
		x->code = NULL;
	e->tag_r = e->tag_w = x->tag_x = SHADOW_TAG_INVALID;
	e->ppn = ppn;
	if (data_ok && (perm & SHADOW_PERM_R))
		e->tag_r = dtag;
	if (data_ok && (perm & SHADOW_PERM_W) && !cpu_code_cache_has_page(c->code, ppn))
		e->tag_w = dtag;
	if (exec_ok && (perm & SHADOW_PERM_X))
		x->tag_x = c->itag | page;
	e->addend = (uintptr_t)host - page;
	e->perm = (uint8_t)perm;
	e->gidx = (uint8_t)gidx;
	cpu_code_cache_unlock(c->code);
}

void cpu_shadow_invalidate_gtlb(struct cpu *c, unsigned gidx, cpu_ureg va, uint32_t size)
{
	uint32_t pages = size >> SHADOW_PAGE_SHIFT;
	if (pages == 0)
		pages = 1; /* a 1 KiB guest page still occupies one shadow entry */
	if (pages < SHADOW_TLB_SIZE) {
		cpu_ureg page = va & SHADOW_PAGE_MASK;
		for (uint32_t i = 0; i < pages; i++, page += SHADOW_PAGE_SIZE) {
			unsigned idx = shadow_tlb_index(page);
			if (c->stlb.e[idx].gidx == gidx)
				entry_clear(&c->stlb, idx);
		}
		return;
	}
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
		if (c->stlb.e[i].gidx == gidx)
			entry_clear(&c->stlb, i);
}

void cpu_shadow_invalidate_page(struct cpu *c, cpu_ureg va)
{
	entry_clear(&c->stlb, shadow_tlb_index(va));
}

void cpu_shadow_flush(struct cpu *c)
{
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++) {
		entry_clear(&c->stlb, i);
		c->stlb.e[i].ppn = UINT32_MAX;
	}
}

void cpu_shadow_revoke_write(struct cpu *c, uint32_t ppn_lo, uint32_t ppn_hi)
{
	for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++) {
		struct shadow_tlb_entry *e = &c->stlb.e[i];
		if (e->ppn >= ppn_lo && e->ppn <= ppn_hi) {
			e->tag_w = SHADOW_TAG_INVALID;
			e->perm &= ~SHADOW_PERM_W; /* the next store must reach the hypervisor */
		}
	}
}
