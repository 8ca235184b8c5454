/* SPDX-License-Identifier: MIT */
/* Compiled runs: a faster way into the same instruction definitions, for both cores (the
 * 440 and the 64-bit one) on an x86-64 host.
 *
 * When a slot of a code page is decoded, the run of simple instructions that starts there
 * (integer arithmetic, logic, rotates, compares, loads and stores of RAM, branches; jit_insn.c
 * says which) is compiled to x86-64 and becomes that slot's handler.
 * Compiled code keeps guest registers in struct cpu, as the handlers do, and does exactly
 * what the handlers' fast paths do; anything else (a shadow-TLB miss, an unaligned or MMIO
 * access, a spent budget) jumps into the interpreter's handler of that instruction with
 * everything before it done, so the handler is the one definition and compiled code only a
 * shortcut to it. A run ends by jumping to the next slot's handler (threaded dispatch, as a
 * handler ends). Compiled code never calls out: no host frame of it is ever live outside
 * it, so code can be dropped whenever its owner is not executing it.
 *
 * Each code cache (each vcpu's) has its own region of compiled code; only its vcpu runs it.
 * A store into a run's instructions drops the run (code_cache.c); a full region drops all
 * of its runs and starts again.
 */
#ifndef SOFTKVM_JIT_H
#define SOFTKVM_JIT_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu.h"

struct cpu_code_page;
struct cpu_jit;

/* The longest run, in instructions (code_cache.c finds a run over a stored slot by looking
 * this far back). */
#define CPU_JIT_MAX_RUN 32

/* A region for compiled code, or NULL where runs cannot be compiled (not an x86-64 host, or
 * no executable memory): the core then only interprets. */
struct cpu_jit *cpu_jit_create(void);
/* Can this host compile runs at all (x86-64)? */
static inline bool cpu_jit_supported(void)
{
#if defined(__x86_64__)
	return true;
#else
	return false;
#endif
}
void cpu_jit_destroy(struct cpu_jit *jit);
/* Compile the run starting at slot i of page p, just decoded by core c, if it is worth it. */
void cpu_jit_compile(struct cpu_jit *jit, struct cpu *c, struct cpu_code_page *p, unsigned i);
/* Every run is being dropped (the pages were reset or freed): reuse the region. */
void cpu_jit_reset(struct cpu_jit *jit);

struct cpu_jit_stats {
	uint64_t runs;	   /* runs compiled since creation */
	uint64_t insns;	   /* instructions in them */
	uint64_t bytes;	   /* compiled code held now */
	uint64_t resets;   /* times the full region was dropped */
};
void cpu_jit_get_stats(const struct cpu_jit *jit, struct cpu_jit_stats *st);

#endif
