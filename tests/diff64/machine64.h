/* SPDX-License-Identifier: MIT */
/* A bare 64-bit core with one block of RAM, for the tests of the core alone (the
 * differential runner run64.c and tests/unit/test_cpu64_*.c): what stands in for the
 * hypervisor maps every page of the block on its first miss and stops the core on any
 * other trap. Compile with -DCPU_WIDTH=64 (the Makefile renames the core's symbols). */
#ifndef SOFTKVM_MACHINE64_H
#define SOFTKVM_MACHINE64_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu.h"

#if CPU_WIDTH != 64
#error "machine64.h is for the 64-bit core: build with -DCPU_WIDTH=64"
#endif

/* MSR bits of Book3S the core's context looks at */
#define M64_MSR_SF (1ull << 63)
#define M64_MSR_VEC (1ull << 25)
#define M64_MSR_VSX (1ull << 23)
#define M64_MSR_PR (1ull << 14)
#define M64_MSR_FP (1ull << 13)
#define M64_MSR_IR (1ull << 5)
#define M64_MSR_DR (1ull << 4)
#define M64_MSR_LE (1ull << 0)
/* a problem-state program, as Linux runs one */
#define M64_MSR_USER (M64_MSR_PR | M64_MSR_FP | M64_MSR_IR | M64_MSR_DR)

struct m64 {
	struct cpu c;
	struct cpu_code_cache *cc;
	uint8_t *ram;
	uint64_t base; /* guest address of ram[0] */
	uint64_t size;
	bool le;
	struct cpu_trap last; /* the trap that stopped the core */
};

static enum cpu_resume m64_trap(void *opaque, struct cpu *c, struct cpu_trap *t)
{
	struct m64 *m = opaque;
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

static const struct cpu_trap_ops m64_ops = {.trap = m64_trap};

/* size bytes of RAM (a multiple of the page size) at guest address base; msr as
 * cpu_set_context takes it. NULL when out of memory. */
static inline struct m64 *m64_create(uint64_t base, uint64_t size, uint64_t msr)
{
	struct m64 *m = aligned_alloc(_Alignof(struct m64), sizeof(*m)); /* the core's alignment */
	if (!m)
		return NULL;
	memset(m, 0, sizeof(*m));
	m->ram = aligned_alloc(SHADOW_PAGE_SIZE, size);
	m->cc = cpu_code_cache_create();
	if (!m->ram || !m->cc || cpu_init(&m->c, m->cc, &m64_ops, m) != 0) {
		free(m->ram);
		if (m->cc)
			cpu_code_cache_destroy(m->cc);
		free(m);
		return NULL;
	}
	memset(m->ram, 0, size);
	m->base = base;
	m->size = size;
	m->le = msr & M64_MSR_LE;
	cpu_set_context(&m->c, msr, 0);
	return m;
}

static inline void m64_destroy(struct m64 *m)
{
	cpu_destroy(&m->c);
	cpu_code_cache_destroy(m->cc);
	free(m->ram);
	free(m);
}

/* Store instruction words at guest address va in the core's byte order. */
static inline void m64_put_code(struct m64 *m, uint64_t va, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint32_t v = m->le ? w[i] : __builtin_bswap32(w[i]);
		memcpy(m->ram + (va - m->base) + 4 * i, &v, 4);
	}
}

/* Run from pc until a trap that is not a mapping of the RAM stops the core; the trap is in
 * m->last (the PC of a fetch outside the RAM in m->c.pc). */
static inline void m64_run(struct m64 *m, uint64_t pc)
{
	m->c.pc = pc;
	m->c.budget = 1 << 20;
	cpu_run(&m->c);
}

#endif
