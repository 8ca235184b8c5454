/* SPDX-License-Identifier: MIT */
/* One run being compiled (jit.c), and what jit_insn.c emits into it. */
#ifndef SOFTKVM_JIT_RUN_H
#define SOFTKVM_JIT_RUN_H

#include "cpu.h"
#include "cpu.h"
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

#endif
