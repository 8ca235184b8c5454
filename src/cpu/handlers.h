/* SPDX-License-Identifier: MIT */
/* Prototypes of every handler named in insn_table.h, plus the core's shared handlers. */
#ifndef SOFTKVM_HANDLERS_H
#define SOFTKVM_HANDLERS_H

#include "dispatch.h"

#define INSN(cname, mnem, form, primary, xo, flags, arch, handler) CPU_HANDLER(handler);
#include "insn_table.h"
#undef INSN

#if CPU_IS64
/* By enum cpu_op: the form of a single load or store that a page decoded little-endian runs
 * (exec_ldst.c), or NULL. */
extern const cpu_handler cpu_le_handlers[CPU_OP_NR];
#endif

CPU_HANDLER(op_decode);	  /* slot not decoded yet (code_cache.c) */
CPU_HANDLER(op_page_end); /* sentinel after the last slot: continue in the next page */
CPU_HANDLER(op_illegal);  /* no table entry: program interrupt, ESR[PIL] */
CPU_HANDLER(op_emulate);  /* the hypervisor emulates it: CPU_TRAP_EMULATE (emulation.h) */

#endif
