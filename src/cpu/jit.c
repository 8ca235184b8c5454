// SPDX-License-Identifier: MIT
/* Compiled runs (jit.h): the region of compiled code, and making a run of one page's slots
 * (its instructions are jit_insn.c's). */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cpu.h"
#include "jit.h"
#include "jit_run.h"

#if defined(__x86_64__)

/* Address space only: pages are committed as code is written. */
#define JIT_REGION_BYTES (32u << 20)
/* The room one run may take: about 110 bytes an instruction and 24 an exit (a far branch,
 * which ends a run, takes about 180); a run that would need more is given up
 * (x86_overflowed), never written past its room. */
#define JIT_RUN_BYTES (CPU_JIT_MAX_RUN * (112 + 2 * 24) + 32)

/* Huge pages for the region where the host has them (transparent, madvise): compiled kernel
 * paths spread over megabytes, and one TLB entry per 2 MiB keeps fetching them cheap. */
#define JIT_HUGE_PAGE (2u << 20)

struct cpu_jit {
	uint8_t *map;		   /* the mapping: the region, aligned to a huge page, inside */
	uint8_t *base, *next, *end;
	struct cpu_jit_stats st;
	struct jit_run run; /* the run being compiled (only the region's vcpu compiles) */
};

struct cpu_jit *cpu_jit_create(void)
{
	struct cpu_jit *jit = calloc(1, sizeof(*jit));

	if (!jit)
		return NULL;
	jit->map = mmap(NULL, JIT_REGION_BYTES + JIT_HUGE_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (jit->map == MAP_FAILED) {
		free(jit);
		return NULL; /* no executable memory here: interpret */
	}
	jit->base = (uint8_t *)(((uintptr_t)jit->map + JIT_HUGE_PAGE - 1) & ~(uintptr_t)(JIT_HUGE_PAGE - 1));
	madvise(jit->base, JIT_REGION_BYTES, MADV_HUGEPAGE); /* a hint: small pages work too */
	jit->next = jit->base;
	jit->end = jit->base + JIT_REGION_BYTES;
	return jit;
}

void cpu_jit_destroy(struct cpu_jit *jit)
{
	if (!jit)
		return;
	munmap(jit->map, JIT_REGION_BYTES + JIT_HUGE_PAGE);
	free(jit);
}

void cpu_jit_reset(struct cpu_jit *jit)
{
	if (jit)
		jit->next = jit->base;
}

void cpu_jit_get_stats(const struct cpu_jit *jit, struct cpu_jit_stats *st)
{
	*st = jit ? jit->st : (struct cpu_jit_stats){0};
	if (jit)
		st->bytes = (uint64_t)(jit->next - jit->base);
}

/* rsi = slot, then its handler: `handler` when given, else whatever the slot holds now */
static void leave_to_slot(struct x86_emit *e, const struct cpu_dinsn *slot, cpu_handler handler)
{
	x86_mov_imm64(e, X_RSI, (uint64_t)(uintptr_t)slot);
	if (!handler) {
		x86_jmp_mem(e, X_RSI);
		return;
	}
	x86_mov_imm64(e, X_RAX, (uint64_t)(uintptr_t)handler);
	x86_jmp_reg(e, X_RAX);
}

/* The instructions from slot i on that compile, into r; returns how many. */
static unsigned emit_run(struct jit_run *r, struct cpu *c, unsigned i, bool *ended)
{
	unsigned n = 0;

	*ended = false;
	for (unsigned s = i; s < CPU_CODE_PAGE_INSNS && n < CPU_JIT_MAX_RUN; s++, n++) {
		struct cpu_dinsn d;
		uint8_t *mark = r->e.p;
		unsigned exits = r->nr_exits;

		if (s == i)
			d = r->p->insns[i];
		else if (!cpu_code_decode(c, r->p, s, &d))
			break;
		r->insn_code[n] = r->e.p;
		if (!jit_emit_insn(r, &d, s, ended)) {
			r->e.p = mark; /* not one of them: the run ends before it */
			r->nr_exits = exits;
			r->insn_code[n] = NULL;
			break;
		}
		if (*ended)
			return n + 1;
	}
	return n;
}

void cpu_jit_compile(struct cpu_jit *jit, struct cpu *c, struct cpu_code_page *p, unsigned i)
{
	uint32_t gen = __atomic_load_n(&p->gen, __ATOMIC_SEQ_CST);
	cpu_handler head_handler = p->insns[i].fn;
	struct jit_run *r;
	bool ended;
	unsigned n;

	if (!jit || p == c->step_page)
		return;
	r = &jit->run;
	if (jit->next + JIT_RUN_BYTES > jit->end) {
		/* full: drop every run (their owner, this thread, is in none of them now) */
		cpu_code_cache_drop_runs(c->code);
		cpu_jit_reset(jit);
		jit->st.resets++;
	}
	*r = (struct jit_run){.e = {.p = jit->next, .end = jit->next + JIT_RUN_BYTES},
			      .p = p,
			      .head = i,
			      .le = cpu_code_page_le(p)};
	n = emit_run(r, c, i, &ended);
	if (n < 2 || x86_overflowed(&r->e))
		return; /* one instruction gains nothing over its handler */
	if (!ended)
		leave_to_slot(&r->e, &p->insns[i + n], NULL);
	for (unsigned x = 0; x < r->nr_exits; x++) {
		x86_patch(r->exits[x].rel32, r->e.p);
		/* the head's slot holds the run itself: its exit goes to its handler */
		leave_to_slot(&r->e, &p->insns[r->exits[x].slot],
			      r->exits[x].slot == i ? head_handler : NULL);
	}
	if (x86_overflowed(&r->e))
		return;
	__builtin___clear_cache((char *)jit->next, (char *)r->e.p);
	cpu_code_page_set_run(p, i, n, (cpu_handler)(void *)jit->next);
	/* a store of another vcpu since the words were read: the run may be stale */
	if (__atomic_load_n(&p->gen, __ATOMIC_SEQ_CST) != gen)
		cpu_code_page_drop_run(p, i);
	jit->st.runs++;
	jit->st.insns += n;
	jit->next = (uint8_t *)(((uintptr_t)r->e.p + 15) & ~(uintptr_t)15);
}

#else

struct cpu_jit *cpu_jit_create(void)
{
	return NULL;
}
void cpu_jit_destroy(struct cpu_jit *jit)
{
}
void cpu_jit_reset(struct cpu_jit *jit)
{
}
void cpu_jit_get_stats(const struct cpu_jit *jit, struct cpu_jit_stats *st)
{
	*st = (struct cpu_jit_stats){0};
}
void cpu_jit_compile(struct cpu_jit *jit, struct cpu *c, struct cpu_code_page *p, unsigned i)
{
}

#endif
