/* SPDX-License-Identifier: MIT */
/* start.S - entry, exception vectors and exception entry/exit of the bare-metal test guests.
 *
 * Entered the way QEMU's bamboo machine (and softkvm) starts a -kernel ELF: supervisor mode,
 * MSR = 0, PC = ELF entry, an identity mapping of the address space in TLB entries 0 and 1
 * (TS = 0, TID = 0).  We zero the BSS, take our own stack, point IVPR/IVOR0-15 at the stubs
 * below, call main() and end with report_summary() (which resets the machine).
 *
 * Every vector saves the whole register state into a struct ex_regs (ex_regs.h) on a stack of
 * its interrupt class and calls exception_dispatch(regs, class); on return the (possibly
 * modified) frame is written back and the class's return instruction (rfi/rfci/rfmci) resumes.
 * The stubs need one scratch word per class before they have a stack: those live at fixed low
 * addresses (0x100-0x15f), stored with absolute (RA = 0) addressing, so low memory must stay
 * mapped in TS = 0 for any test that takes exceptions.  A handler must not itself fault in the
 * same class (there is one stack per class).
 */
#include "ex_regs.h"

#define SPRN_SRR0	26
#define SPRN_SRR1	27
#define SPRN_CSRR0	58
#define SPRN_CSRR1	59
#define SPRN_DEAR	61
#define SPRN_ESR	62
#define SPRN_IVPR	63
#define SPRN_IVOR0	400
#define SPRN_MCSRR0	570
#define SPRN_MCSRR1	571

#define LOWSAVE_BASE	0x100	/* +0: r3, +4: r1 of the interrupted context */
#define LOWSAVE_CRIT	0x120
#define LOWSAVE_MCHK	0x140

#define FRAME		(16 + EXREGS_SIZE)	/* ABI header (back chain, LR save) + regs */
#define R(off)		(16 + (off))

	.section .text.vectors, "ax"
	.globl	vectors
	.balign	0x100
vectors:
/* One 16-byte stub per IVOR: r3 -> scratch, r3 = vector number, go to the class's entry. */
	.macro	stub n, low, entry
	stw	%r3, \low(0)
	li	%r3, \n
	b	\entry
	.balign	16
	.endm
	stub	0, LOWSAVE_CRIT, entry_crit	/* critical input */
	stub	1, LOWSAVE_MCHK, entry_mchk	/* machine check */
	stub	2, LOWSAVE_BASE, entry_base	/* data storage */
	stub	3, LOWSAVE_BASE, entry_base	/* instruction storage */
	stub	4, LOWSAVE_BASE, entry_base	/* external input */
	stub	5, LOWSAVE_BASE, entry_base	/* alignment */
	stub	6, LOWSAVE_BASE, entry_base	/* program */
	stub	7, LOWSAVE_BASE, entry_base	/* FP unavailable */
	stub	8, LOWSAVE_BASE, entry_base	/* system call */
	stub	9, LOWSAVE_BASE, entry_base	/* AP unavailable */
	stub	10, LOWSAVE_BASE, entry_base	/* decrementer */
	stub	11, LOWSAVE_BASE, entry_base	/* fixed-interval timer */
	stub	12, LOWSAVE_CRIT, entry_crit	/* watchdog */
	stub	13, LOWSAVE_BASE, entry_base	/* data TLB miss */
	stub	14, LOWSAVE_BASE, entry_base	/* instruction TLB miss */
	stub	15, LOWSAVE_CRIT, entry_crit	/* debug */

/* Save everything into a frame on stack `top`, call the dispatcher, restore, return. */
	.macro	exentry low, top, class, rsrr0, rsrr1, spr0, spr1, ret
	stw	%r1, \low+4(0)
	lis	%r1, \top@ha
	addi	%r1, %r1, \top@l
	addi	%r1, %r1, -FRAME
	stw	%r0, R(EXREGS_GPR + 0)(%r1)
	stw	%r3, R(EXREGS_IVOR)(%r1)
	lwz	%r3, \low+0(0)
	stw	%r3, R(EXREGS_GPR + 12)(%r1)
	lwz	%r3, \low+4(0)
	stw	%r3, R(EXREGS_GPR + 4)(%r1)
	stw	%r2, R(EXREGS_GPR + 8)(%r1)
	.irp	n, 4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stw	%r\n, R(EXREGS_GPR + 4 * \n)(%r1)
	.endr
	mfcr	%r3
	stw	%r3, R(EXREGS_CR)(%r1)
	mfxer	%r3
	stw	%r3, R(EXREGS_XER)(%r1)
	mflr	%r3
	stw	%r3, R(EXREGS_LR)(%r1)
	mfctr	%r3
	stw	%r3, R(EXREGS_CTR)(%r1)
	mfspr	%r3, SPRN_SRR0
	stw	%r3, R(EXREGS_SRR0)(%r1)
	mfspr	%r3, SPRN_SRR1
	stw	%r3, R(EXREGS_SRR1)(%r1)
	mfspr	%r3, SPRN_CSRR0
	stw	%r3, R(EXREGS_CSRR0)(%r1)
	mfspr	%r3, SPRN_CSRR1
	stw	%r3, R(EXREGS_CSRR1)(%r1)
	mfspr	%r3, SPRN_MCSRR0
	stw	%r3, R(EXREGS_MCSRR0)(%r1)
	mfspr	%r3, SPRN_MCSRR1
	stw	%r3, R(EXREGS_MCSRR1)(%r1)
	mfspr	%r3, SPRN_ESR
	stw	%r3, R(EXREGS_ESR)(%r1)
	mfspr	%r3, SPRN_DEAR
	stw	%r3, R(EXREGS_DEAR)(%r1)
	li	%r0, 0
	stw	%r0, 0(%r1)			/* end of the back chain */
	addi	%r3, %r1, 16
	li	%r4, \class
	bl	exception_dispatch
	lwz	%r3, R(\rsrr0)(%r1)
	mtspr	\spr0, %r3
	lwz	%r3, R(\rsrr1)(%r1)
	mtspr	\spr1, %r3
	lwz	%r3, R(EXREGS_CR)(%r1)
	mtcr	%r3
	lwz	%r3, R(EXREGS_XER)(%r1)
	mtxer	%r3
	lwz	%r3, R(EXREGS_LR)(%r1)
	mtlr	%r3
	lwz	%r3, R(EXREGS_CTR)(%r1)
	mtctr	%r3
	lwz	%r0, R(EXREGS_GPR + 0)(%r1)
	.irp	n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	lwz	%r\n, R(EXREGS_GPR + 4 * \n)(%r1)
	.endr
	lwz	%r1, R(EXREGS_GPR + 4)(%r1)
	\ret
	.endm

entry_base:
	exentry	LOWSAVE_BASE, exstack_base_top, EXCLASS_BASE, EXREGS_SRR0, EXREGS_SRR1, SPRN_SRR0, SPRN_SRR1, rfi
entry_crit:
	exentry	LOWSAVE_CRIT, exstack_crit_top, EXCLASS_CRIT, EXREGS_CSRR0, EXREGS_CSRR1, SPRN_CSRR0, SPRN_CSRR1, rfci
entry_mchk:
	exentry	LOWSAVE_MCHK, exstack_mchk_top, EXCLASS_MCHK, EXREGS_MCSRR0, EXREGS_MCSRR1, SPRN_MCSRR0, SPRN_MCSRR1, rfmci

	.section .text.start, "ax"
	.globl	_start
_start:
	/* Zero the BSS (stacks included) before anything lives there. */
	lis	%r3, __bss_start@ha
	addi	%r3, %r3, __bss_start@l
	lis	%r4, __bss_end@ha
	addi	%r4, %r4, __bss_end@l
	li	%r0, 0
1:	cmplw	%r3, %r4
	bge	2f
	stw	%r0, 0(%r3)
	addi	%r3, %r3, 4
	b	1b
2:	lis	%r1, stack_top@ha
	addi	%r1, %r1, stack_top@l
	stwu	%r0, -16(%r1)
	lis	%r3, vectors@h
	mtspr	SPRN_IVPR, %r3
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	li	%r3, (vectors + \n * 16)@l
	mtspr	SPRN_IVOR0 + \n, %r3
	.endr
	isync
	bl	main
	bl	report_summary
3:	b	3b

	.section .bss
	.balign	16
	.space	0x10000
stack_top:
	.space	0x4000
exstack_base_top:
	.space	0x4000
exstack_crit_top:
	.space	0x4000
exstack_mchk_top:
	.section .note.GNU-stack, "", @progbits
