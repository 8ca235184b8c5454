/* SPDX-License-Identifier: MIT */
/* A struct cpu for unit tests that call instruction handlers directly: a hand-made code
 * page, optional host pages for data, and a trap handler that records every trap.
 *
 * With threaded dispatch (exec.h) a handler does not return the next instruction: it
 * jumps into it. Filling every slot of a test page with test_stop_here makes that jump
 * return the slot it reached, so a test can call one handler and compare where it went.
 * Include it after <cmocka.h>. */
#ifndef SOFTKVM_TEST_CODE_PAGE_FIXTURE_H
#define SOFTKVM_TEST_CODE_PAGE_FIXTURE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

static inline const struct cpu_dinsn *test_stop_here(struct cpu *c, const struct cpu_dinsn *d)
{
	(void)c;
	return d;
}

static inline void test_code_page_fill(struct cpu_code_page *page)
{
	for (unsigned i = 0; i <= CPU_CODE_PAGE_INSNS; i++)
		page->insns[i].fn = test_stop_here;
}

struct cpu_fix {
	struct cpu *c;
	struct cpu_code_cache *cc;
	struct cpu_code_page *page; /* the current code page, every slot test_stop_here */
	uint8_t *host;		    /* the zeroed data pages asked for (NULL if none) */
	int ntraps;		    /* traps seen, and the last one */
	struct cpu_trap last;
};

/* Every trap is recorded and stops the core, so a faulting handler leaves with NULL. */
static inline enum cpu_resume cpu_fix_trap(void *opaque, struct cpu *c, struct cpu_trap *t)
{
	struct cpu_fix *f = opaque;
	(void)c;
	f->ntraps++;
	f->last = *t;
	return CPU_RESUME_STOP;
}

static const struct cpu_trap_ops cpu_fix_trap_ops = {.trap = cpu_fix_trap};

/* A core straight from cpu_init (shadow TLB empty, context 0, FP disabled, budget 0) whose
 * current code page (guest-physical page 2) is at code_va, with host_pages zeroed host
 * pages allocated for data but not mapped: cpu_fix_map_page maps them. */
static inline struct cpu_fix *cpu_fix_create(uint32_t code_va, unsigned host_pages)
{
	struct cpu_fix *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->c = aligned_alloc(_Alignof(struct cpu), sizeof(*f->c));
	f->cc = cpu_code_cache_create();
	f->page = calloc(1, sizeof(*f->page));
	assert_non_null(f->c);
	assert_non_null(f->cc);
	assert_non_null(f->page);
	test_code_page_fill(f->page);
	if (host_pages) {
		f->host = aligned_alloc(SHADOW_PAGE_SIZE, host_pages * SHADOW_PAGE_SIZE);
		assert_non_null(f->host);
		memset(f->host, 0, host_pages * SHADOW_PAGE_SIZE);
	}
	assert_int_equal(cpu_init(f->c, f->cc, &cpu_fix_trap_ops, f), 0);
	f->page->key = 0x2;
	f->c->page = f->page;
	f->c->page_va = code_va;
	return f;
}

static inline void cpu_fix_destroy(struct cpu_fix *f)
{
	cpu_destroy(f->c);
	cpu_code_cache_destroy(f->cc);
	free(f->host);
	free(f->page);
	free(f->c);
	free(f);
}

/* Map the guest-virtual page va to host for data in the current context (perm: SHADOW_PERM_R,
 * optionally SHADOW_PERM_W), as guest-physical page ppn. */
static inline void cpu_fix_map_page(struct cpu *c, uint32_t va, uint8_t *host, uint32_t ppn,
				    unsigned perm)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, va);
	e->tag_r = c->dtag | va;
	e->tag_w = (perm & SHADOW_PERM_W) ? (c->dtag | va) : SHADOW_TAG_INVALID;
	*shadow_tlb_fetch_of(&c->stlb, va) = (struct shadow_tlb_fetch){.tag_x = SHADOW_TAG_INVALID};
	e->addend = (uintptr_t)host - va;
	e->ppn = ppn;
	e->perm = (uint8_t)perm;
	e->gidx = SHADOW_NO_GTLB;
}

#endif
