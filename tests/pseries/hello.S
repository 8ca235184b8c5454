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

	.set H_PUT_TERM_CHAR, 0x58
	.set VTY, 0x71000000
	.set FDT_MAGIC, 0xd00dfeed
	.set FDT_BEGIN_NODE, 1
	.set FDT_END_NODE, 2
	.set FDT_PROP, 3
	.set FDT_END, 9

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
	bl	find_rtas		# r27 = rtas entry, r28 = power-off token
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

# find_rtas: walk the tree at r31 for the node /rtas; r27 = linux,rtas-entry, r28 = the
# power-off token (0 if absent). Uses r3-r12, r24-r26.
find_rtas:
	mflr	r26
	li	r27, 0
	li	r28, 0
	addi	r4, r31, 8
	lwbrx	r24, 0, r4		# off_dt_struct
	add	r24, r24, r31
	addi	r4, r31, 12
	lwbrx	r25, 0, r4		# off_dt_strings
	add	r25, r25, r31
	li	r8, 0			# depth
	li	r9, 0			# in /rtas
next_token:
	lwbrx	r4, 0, r24
	addi	r24, r24, 4
	cmpwi	r4, FDT_BEGIN_NODE
	beq	begin_node
	cmpwi	r4, FDT_END_NODE
	beq	end_node
	cmpwi	r4, FDT_PROP
	beq	prop
	cmpwi	r4, FDT_END
	beq	walk_done
	b	next_token		# FDT_NOP
begin_node:
	addi	r8, r8, 1
	cmpwi	r8, 2			# a child of the root
	bne	1f
	mr	r3, r24
	addi	r4, r29, str_rtas - _start
	bl	streq
	mr	r9, r3
1:	lbz	r4, 0(r24)		# past the name and its padding
	addi	r24, r24, 1
	cmpwi	r4, 0
	bne	1b
	addi	r24, r24, 3
	rldicr	r24, r24, 0, 61
	b	next_token
end_node:
	addi	r8, r8, -1
	cmpwi	r8, 1
	bne	next_token
	li	r9, 0
	b	next_token
prop:
	lwbrx	r10, 0, r24		# len
	addi	r4, r24, 4
	lwbrx	r11, 0, r4		# nameoff
	addi	r12, r24, 8		# value
	addi	r24, r12, 3
	add	r24, r24, r10
	rldicr	r24, r24, 0, 61
	cmpwi	r9, 0
	beq	next_token
	add	r3, r25, r11
	addi	r4, r29, str_entry - _start
	bl	streq
	cmpwi	r3, 0
	beq	1f
	bl	prop_value
	mr	r27, r3
	b	next_token
1:	add	r3, r25, r11
	addi	r4, r29, str_poweroff - _start
	bl	streq
	cmpwi	r3, 0
	beq	next_token
	bl	prop_value
	mr	r28, r3
	b	next_token
walk_done:
	mtlr	r26
	blr

# prop_value: the value at r12 of r10 bytes (4 or 8, big-endian) in r3
prop_value:
	lwbrx	r3, 0, r12
	cmpwi	r10, 8
	bnelr
	addi	r4, r12, 4
	lwbrx	r4, 0, r4
	rldicr	r3, r3, 32, 31
	or	r3, r3, r4
	blr

# streq: r3 = 1 if the NUL-terminated strings at r3 and r4 are equal, else 0 (r5-r7)
streq:
	lbz	r5, 0(r3)
	lbz	r6, 0(r4)
	cmpw	r5, r6
	bne	1f
	addi	r3, r3, 1
	addi	r4, r4, 1
	cmpwi	r5, 0
	bne	streq
	li	r3, 1
	blr
1:	li	r3, 0
	blr

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
str_rtas:	.asciz "rtas"
str_entry:	.asciz "linux,rtas-entry"
str_poweroff:	.asciz "power-off"
	.balign 16
	.space 16		# ldbrx past a string's end stays in the image
