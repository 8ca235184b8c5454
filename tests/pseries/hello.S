# SPDX-License-Identifier: MIT
# A bare-metal program for a pseries machine, as one would write it for QEMU's: a 64-bit
# little-endian ELF linked at 0 (the machine loads it at 0x400000) and entered big-endian
# in real mode at its first byte. It switches itself to little-endian, says hello through
# H_PUT_TERM_CHAR on the vty, and then:
#   entered directly (r5 = 0: r3 is the device tree; softkvm, kexec): checks the tree's
#     magic, finds /rtas's linux,rtas-entry and power-off token in it, says so and powers
#     the machine off through RTAS;
#   entered by firmware (r5 = the Open Firmware client interface: QEMU's SLOF): says so
#     and waits (the harness ends QEMU).
# Everything is position-independent (addresses from the program's own base).
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.include "enter_le.inc"
	.include "rtas_prop.inc"

	.set H_PUT_TERM_CHAR, 0x58
	.set VTY, 0x71000000
	.set FDT_MAGIC, 0xd00dfeed

_start:
	ENTER_LE le_start
le_start:
	mr	r31, r3			# the device tree, if r5 = 0
	mr	r30, r5
	bcl	20, 31, 1f
1:	mflr	r29
	addi	r29, r29, _start - 1b	# the program's base
	addi	r3, r29, msg_hello - _start
	bl	puts
	cmpdi	r30, 0
	beq	direct
	addi	r3, r29, msg_firmware - _start
	bl	puts
0:	b	0b

direct:
	lwbrx	r4, 0, r31		# the tree's header is big-endian
	lis	r5, FDT_MAGIC@h
	ori	r5, r5, FDT_MAGIC@l
	cmplw	r4, r5
	bne	bad
	addi	r3, r29, msg_tree - _start
	bl	puts
	mr	r3, r31
	addi	r4, r29, str_entry - _start
	bl	rtas_prop
	mr	r27, r3			# RTAS's entry
	mr	r3, r31
	addi	r4, r29, str_poweroff - _start
	bl	rtas_prop
	mr	r28, r3			# the power-off token
	cmpdi	r27, 0
	beq	bad
	cmpdi	r28, 0
	beq	bad
	addi	r3, r29, msg_rtas - _start
	bl	puts
	# power-off(-1, -1): token, nargs 2, nret 1, args, ret, in a buffer below the program
	lis	r3, 0x3f
	ori	r3, r3, 0xf000
	stwbrx	r28, 0, r3
	li	r4, 2
	addi	r5, r3, 4
	stwbrx	r4, 0, r5
	li	r4, 1
	addi	r5, r3, 8
	stwbrx	r4, 0, r5
	li	r4, -1
	stw	r4, 12(r3)
	stw	r4, 16(r3)
	# RTAS runs big-endian in real mode: rfid to it with MSR[LE] off, LR back here
	mfmsr	r6
	rldicr	r6, r6, 0, 62
	mtsrr0	r27
	mtsrr1	r6
	bcl	20, 31, 2f
2:	mflr	r7
	addi	r7, r7, 3f - 2b
	mtlr	r7
	rfid
3:	# back big-endian: nothing more is said (power-off does not come back)
	.long	0x00000048	# b .

bad:
	addi	r3, r29, msg_bad - _start
	bl	puts
0:	b	0b

	RTAS_PROP_ROUTINES

# puts: the NUL-terminated string at r3 to the vty, up to 16 bytes a hypercall (r3-r10)
puts:
	mr	r8, r3
1:	li	r5, 0			# count this chunk's bytes
2:	lbzx	r6, r8, r5
	cmpwi	r6, 0
	beq	3f
	addi	r5, r5, 1
	cmpwi	r5, 16
	blt	2b
3:	cmpwi	r5, 0
	beqlr
	ldbrx	r6, 0, r8		# the bytes in order, high byte first (unused ones ignored)
	addi	r7, r8, 8
	ldbrx	r7, 0, r7
	add	r8, r8, r5
	li	r3, H_PUT_TERM_CHAR
	lis	r4, VTY@h
	sc	1
	b	1b

	.section .rodata
	.balign 8
msg_hello:	.asciz "pseries bare metal: hello\n"
msg_firmware:	.asciz "pseries bare metal: entered by firmware\n"
msg_tree:	.asciz "pseries bare metal: device tree at r3\n"
msg_rtas:	.asciz "pseries bare metal: rtas found, powering off\n"
msg_bad:	.asciz "pseries bare metal: FAILED\n"
str_entry:	.asciz "linux,rtas-entry"
str_poweroff:	.asciz "power-off"
	.balign 16
	.space 16		# ldbrx past a string's end stays in the image
