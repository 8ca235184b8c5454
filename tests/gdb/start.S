/* SPDX-License-Identifier: MIT */
/* Entry of the gdb test guest: a stack, main(), then a halt (softkvm exits 0). Entered as
 * softkvm starts an ELF: supervisor state, MSR = 0, RAM mapped one-to-one. */
	.section .text.start, "ax"
	.globl	_start
_start:
	lis	%r1, stack_top@ha
	addi	%r1, %r1, stack_top@l
	li	%r0, 0
	stwu	%r0, -16(%r1)
	bl	main
halt:
	b	halt

	.section .bss
	.balign	16
	.space	8192
stack_top:
