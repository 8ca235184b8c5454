/* SPDX-License-Identifier: MIT */
/* The exception frame that lib/start.S builds and hands to the C dispatcher.  Shared by C and
 * assembly: the EXREGS_* offsets are the layout, struct ex_regs checks it. */
#ifndef GUEST_EX_REGS_H
#define GUEST_EX_REGS_H

#define EXREGS_GPR	0	/* r0..r31, 4 bytes each */
#define EXREGS_CR	128
#define EXREGS_XER	132
#define EXREGS_LR	136
#define EXREGS_CTR	140
#define EXREGS_SRR0	144
#define EXREGS_SRR1	148
#define EXREGS_CSRR0	152
#define EXREGS_CSRR1	156
#define EXREGS_MCSRR0	160
#define EXREGS_MCSRR1	164
#define EXREGS_ESR	168
#define EXREGS_DEAR	172
#define EXREGS_IVOR	176
#define EXREGS_SIZE	192	/* rounded up to 16 */

/* Interrupt classes: which save/restore pair (and return instruction) a vector uses. */
#define EXCLASS_BASE	0	/* SRR0/SRR1, rfi */
#define EXCLASS_CRIT	1	/* CSRR0/CSRR1, rfci: critical input, watchdog, debug */
#define EXCLASS_MCHK	2	/* MCSRR0/MCSRR1, rfmci: machine check */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct ex_regs {
	uint32_t gpr[32];
	uint32_t cr, xer, lr, ctr;
	uint32_t srr0, srr1;		/* restored on return from a base-class interrupt */
	uint32_t csrr0, csrr1;		/* restored on return from a critical one */
	uint32_t mcsrr0, mcsrr1;	/* restored on return from a machine check */
	uint32_t esr, dear;		/* as read at entry; not written back */
	uint32_t ivor;			/* 0..15: which vector was taken */
};

_Static_assert(__builtin_offsetof(struct ex_regs, cr) == EXREGS_CR, "ex_regs layout");
_Static_assert(__builtin_offsetof(struct ex_regs, srr0) == EXREGS_SRR0, "ex_regs layout");
_Static_assert(__builtin_offsetof(struct ex_regs, mcsrr1) == EXREGS_MCSRR1, "ex_regs layout");
_Static_assert(__builtin_offsetof(struct ex_regs, ivor) == EXREGS_IVOR, "ex_regs layout");
_Static_assert(sizeof(struct ex_regs) <= EXREGS_SIZE, "ex_regs layout");
#endif

#endif
