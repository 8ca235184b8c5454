/* SPDX-License-Identifier: MIT */
/* A bare core with one block of RAM, for the tests of the core alone (the differential
 * runner tests/diff64/run64.c, tests/unit/test_cpu64_*.c and test_cpu_jit.c): what stands
 * in for the hypervisor maps every page of the block on its first miss and stops the core
 * on any other trap. Either core: the 64-bit one when built with -DCPU_WIDTH=64 (the
 * Makefile renames its symbols), else the 440, whose MSR has PR, FP, IS and DS where
 * Book3S has PR, FP, IR and DR, and no SF or LE: BARE_MSR_LE maps the 440's pages
 * little-endian (its E attribute) instead. */
#ifndef SOFTKVM_BARE_MACHINE_H
#define SOFTKVM_BARE_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

/* MSR bits the core's context looks at (those of Book3S; see above for the 440) */
#define BARE_MSR_SF (1ull << 63)
#define BARE_MSR_VEC (1ull << 25)
#define BARE_MSR_VSX (1ull << 23)
#define BARE_MSR_PR (1ull << 14)
#define BARE_MSR_FP (1ull << 13)
#define BARE_MSR_IR (1ull << 5)
#define BARE_MSR_DR (1ull << 4)
#define BARE_MSR_LE (1ull << 0)
/* a problem-state program, as Linux runs one */
#define BARE_MSR_USER (BARE_MSR_PR | BARE_MSR_FP | BARE_MSR_IR | BARE_MSR_DR)

struct bare_machine {
	struct cpu c;
	struct cpu_code_cache *cc;
	uint8_t *ram;
	uint64_t base; /* guest address of ram[0] */
	uint64_t size;
	bool le;
	struct cpu_trap last; /* the trap that stopped the core */
};

static enum cpu_resume bare_trap(void *opaque, struct cpu *c, struct cpu_trap *t)
{
	struct bare_machine *m = opaque;
	bool miss = t->kind == CPU_TRAP_ITLB_MISS || t->kind == CPU_TRAP_DTLB_MISS;
	if (miss && t->ea - m->base < m->size) {
		uint64_t off = (t->ea - m->base) & ~(uint64_t)(SHADOW_PAGE_SIZE - 1);
		unsigned perm = SHADOW_PERM_R | SHADOW_PERM_W | SHADOW_PERM_X |
				(m->le ? SHADOW_ATTR_LE : 0);
		cpu_shadow_fill(c, t->access, t->ea, m->ram + off,
				(uint32_t)((m->base + off) >> SHADOW_PAGE_SHIFT), perm, SHADOW_NO_GTLB);
		return CPU_RESUME_RETRY;
	}
	m->last = *t; /* anything else, the end of the budget too, stops the core */
	return CPU_RESUME_STOP;
}

static const struct cpu_trap_ops bare_ops = {.trap = bare_trap};

/* size bytes of RAM (a multiple of the page size) at guest address base; msr as
 * cpu_set_context takes it. NULL when out of memory. */
static inline struct bare_machine *bare_create(uint64_t base, uint64_t size, uint64_t msr)
{
	struct bare_machine *m = aligned_alloc(_Alignof(struct bare_machine), sizeof(*m)); /* the core's alignment */
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->ram = aligned_alloc(SHADOW_PAGE_SIZE, size);
	m->cc = cpu_code_cache_create();
	if (!m->ram || !m->cc || cpu_init(&m->c, m->cc, &bare_ops, m) != 0) {
		free(m->ram);
		if (m->cc)
			cpu_code_cache_destroy(m->cc);
		free(m);
		return NULL;
	}
	memset(m->ram, 0, size);
	m->base = base;
	m->size = size;
	m->le = msr & BARE_MSR_LE;
	cpu_set_context(&m->c, msr, 0);
	return m;
}

static inline void bare_destroy(struct bare_machine *m)
{
	cpu_destroy(&m->c);
	cpu_code_cache_destroy(m->cc);
	free(m->ram);
	free(m);
}

/* Store instruction words at guest address va in the core's byte order. */
static inline void bare_put_code(struct bare_machine *m, uint64_t va, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = m->le ? w[i] : __builtin_bswap32(w[i]);
		memcpy(m->ram + (va - m->base) + 4 * i, &v, 4);
	}
}

/* Run from pc until a trap that is not a mapping of the RAM stops the core; the trap is in
 * m->last (the PC of a fetch outside the RAM in m->c.pc). */
static inline void bare_run(struct bare_machine *m, uint64_t pc)
{
	m->c.pc = pc;
	m->c.budget = 1 << 20;
	cpu_run(&m->c);
}

#endif
