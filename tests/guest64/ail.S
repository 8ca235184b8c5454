# SPDX-License-Identifier: MIT
# The alternate interrupt location a PAPR guest asks for with H_SET_MODE (resource 3, as
# Linux's pseries code does): with LPCR[AIL] = 3, an interrupt that comes while translation
# is on (MSR[IR] and MSR[DR]) is taken at 0xc000000000004000 + its vector with IR and DR
# still on (ISA 2.07 Book III-S 6.5); in real mode, or with AIL 0, at the real vector with
# translation off. The program maps itself (identity, 4 KiB HPTEs in segment 0) and the
# page 0xc000000000004000 -> real 0x4000, where its AIL vectors are.
#
# QEMU-DIFFERS: H_SET_MODE(AIL=2): H_UNSUPPORTED_FLAG_START: a hypervisor's choice: PAPR lets
#   H_SET_MODE refuse an address translation mode it does not offer, and softkvm, as KVM,
#   offers 0 and 3 (what Linux asks for); QEMU 7.2's pseries also takes 2 (LPCR[AIL] = 2,
#   interrupts at 0x18000 + the vector, which ISA 2.07B defines)
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set VSID0, 0x10		# segment 0: the program, identity-mapped
	.set VSIDC, 0x20		# segment 0xc000000000000000: the AIL vectors
	.set AIL_EA, 0xc000000000004000
	.set AIL_PTEX, (VSIDC ^ 4) * 8
	.set PTEL_RW, 0x10 | 2		# M, PP=2
	.set MSR_IRDR, 0x30
	.set UNMAPPED, 0x0f000000	# in segment 0, no HPTE

	.include "report.inc"

	.macro SET_AIL mode
	li	r3, H_SET_MODE
	li	r4, \mode
	li	r5, 3
	li	r6, 0
	li	r7, 0
	sc	1
	.endm


_start:
	START
	VECTOR	0x300, stub_real_300
	VECTOR	0x700, stub_real_700
	VECTOR	0xc00, stub_real_c00
	VECTOR	0x4300, stub_ail_300
	VECTOR	0x4700, stub_ail_700
	VECTOR	0x4c00, stub_ail_c00

	# ---- the mappings ----
	LOAD64	r9, (1 << 27)			# ESID 0, V, index 0
	LOAD64	r8, (VSID0 << 12)
	slbmte	r8, r9
	LOAD64	r9, 0xc000000000000000 | (1 << 27) | 1
	LOAD64	r8, (VSIDC << 12)
	slbmte	r8, r9
	li	r26, 0				# OR of the H_ENTER results
	LOAD64	r24, 0x400000			# each page of the program
	LOAD64	r25, _end
1:	li	r3, H_ENTER
	li	r4, 0
	srdi	r5, r24, 12
	xori	r5, r5, VSID0
	andi.	r5, r5, HPT_PTEG_MASK
	sldi	r5, r5, 3
	LOAD64	r6, (VSID0 << 12) | 1
	ori	r7, r24, PTEL_RW
	sc	1
	or	r26, r26, r3
	addi	r24, r24, 0x1000
	cmpd	r24, r25
	blt	1b
	li	r3, H_ENTER
	li	r4, 0
	li	r5, AIL_PTEX
	LOAD64	r6, (VSIDC << 12) | 1
	LOAD64	r7, 0x4000 | PTEL_RW
	sc	1
	or	r26, r26, r3
	EXPECT	r26, 0, "H_ENTER of the program's pages and the AIL page"

	SET_AIL	3
	EXPECT	r3, 0, "H_SET_MODE(AIL=3) succeeds"
	li	r19, 0
	sc
	EXPECT	r19, 0xc00, "AIL=3, translation off: the real vector"

	# ---- translation on: the alternate location ----
	MSR_OR	MSR_IRDR
	li	r19, 0
	sc
ail_sc:
	EXPECT	r19, 0x4c00, "AIL=3, IR=DR=1: sc at 0xc000000000004c00"
	EXPECT	r20, ail_sc, "AIL sc: SRR0 is the next instruction"
	andi.	r10, r22, MSR_IRDR
	EXPECT	r10, MSR_IRDR, "AIL: the handler runs with IR and DR on"
	andi.	r10, r21, MSR_IRDR
	EXPECT	r10, MSR_IRDR, "AIL: SRR1 keeps the MSR"
	li	r19, 0
	LOAD64	r8, UNMAPPED
ail_dsi:
	ld	r9, 0(r8)
	EXPECT	r19, 0x4300, "AIL=3: a DSI at 0xc000000000004300"
	EXPECT	r20, ail_dsi, "AIL DSI: SRR0 is the load"
	EXPECT	r23, UNMAPPED, "AIL DSI: DAR"
	li	r19, 0
	.long	0
	EXPECT	r19, 0x4700, "AIL=3: a program interrupt at 0xc000000000004700"

	# ---- AIL 0 again: the real vectors, translation off ----
	SET_AIL	0
	EXPECT	r3, 0, "H_SET_MODE(AIL=0) succeeds"
	li	r19, 0
	sc
	EXPECT	r19, 0xc00, "AIL=0, IR=DR=1: the real vector"
	andi.	r10, r22, MSR_IRDR
	EXPECT	r10, 0, "AIL=0: the handler runs with translation off"
	SET_AIL	2
	EXPECT	r3, -256, "H_SET_MODE(AIL=2): H_UNSUPPORTED_FLAG_START"
	SET_AIL	1
	EXPECT	r3, -256, "H_SET_MODE(AIL=1): H_UNSUPPORTED_FLAG_START"
	MSR_ANDC MSR_IRDR
	EXIT

# r19 = where it came (the vector, + 0x4000 for the alternate location), r20 = SRR0,
# r21 = SRR1, r22 = the MSR the handler runs with, r23 = DAR. The _300 and _700 ones
# return after the instruction.
stub_real_300:
	li	r19, 0x300
	b	skip
stub_real_700:
	li	r19, 0x700
	b	skip
stub_ail_300:
	li	r19, 0x4300
	b	skip
stub_ail_700:
	li	r19, 0x4700
skip:
	mfmsr	r22
	mfsrr0	r20
	mfsrr1	r21
	mfdar	r23
	addi	r25, r20, 4
	mtsrr0	r25
	rfid
stub_real_c00:
	li	r19, 0xc00
	b	1f
stub_ail_c00:
	li	r19, 0x4c00
1:	mfmsr	r22
	mfsrr0	r20
	mfsrr1	r21
	rfid

	REPORT_ROUTINES
