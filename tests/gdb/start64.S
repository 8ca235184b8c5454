/* SPDX-License-Identifier: MIT */
/* Entry of the pseries gdb test guest (guest64.c): the pseries board enters it big-endian in
 * real mode at its first word (guest64.ld puts it at 0x400000, where the board loads it);
 * ENTER_LE switches to little-endian, then a stack, the TOC, main(). */
	.machine power8
	.abiversion 2
	.include "enter_le.inc"

	.section .text.start, "ax"
	.globl	_start
_start:
	ENTER_LE le_start
le_start:
	lis	%r1, stack_top@ha
	addi	%r1, %r1, stack_top@l
	li	%r0, 0
	stdu	%r0, -32(%r1)
	lis	%r2, .TOC.@ha
	addi	%r2, %r2, .TOC.@l
	bl	main
	nop
halt:
	b	halt

	.section .bss
	.balign	16
	.space	16384
stack_top:
