# SPDX-License-Identifier: MIT
# FSCR's facilities and the branch history from inside a 64-bit little-endian guest
# (src/kvm/book3s/pr_emulate.c): a user program (problem state, from a mapped page) takes the
# facility unavailable interrupt (0xf60, FSCR[IC] the cause, SRR0 the instruction) for TAR
# (8) and the event-based branch SPRs (7) while FSCR's bits are off, and uses them once the
# kernel turns them on, as Linux does for every process; clrbhrb stays unavailable there
# (4: MMCR0[BHRBA] is 0). The kernel uses them whatever FSCR says: BESCR's set and reset
# views, rfebb, mfbhrbe reading an empty buffer. And the BCD assists of 2.06.
#
# QEMU-BUG: user clrbhrb*: QEMU 7.2 decodes neither clrbhrb nor mfbhrbe (a program interrupt,
#   illegal instruction, caught by stub_700): in problem state with MMCR0[BHRBA] = 0 they take
#   the facility unavailable interrupt with FSCR[IC] = 4, in privileged state clrbhrb empties
#   the buffer and mfbhrbe reads an empty entry as 0 (Book III-S, Performance Monitor
#   Facility: Branch History Rolling Buffer; Facility Status and Control Register)
# QEMU-BUG: ... FSCR[IC] = 4 (BHRB): the same (no facility unavailable interrupt)
# QEMU-BUG: mfbhrbe: no branch recorded: the same (mfbhrbe skipped, RT as before)
# QEMU-BUG: BESCR through its set and reset views: QEMU 7.2 keeps BESCRS, BESCRSU, BESCRR and
#   BESCRRU as four registers of their own; they are views of BESCR: a 1 written to BESCRS(U)
#   sets, to BESCRR(U) clears that bit of BESCR, and they read as BESCR (the U forms its
#   upper word) (Book II, Event-Based Branch Facility, Branch Event Status and Control
#   Register)
# QEMU-BUG: BESCRRU reads BESCR's upper word: the same
# QEMU-BUG: rfebb 1 sets BESCR[GE]: the same: BESCRSU reads back what was written to it, not
#   BESCR's upper word (rfebb itself sets GE there)
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set VSID, 0x42			# ESID 1 (EA 0x10000000) -> VSID 0x42
	.set SEG_EA, 0x10000000
	.set PAGE_EA, 0x10005000	# 4 KiB page 5 of the segment: the user program
	.set PAGE_GPA, 0x200000
	.set PTEX, (VSID ^ 5) * 8
	.set PTEH, (VSID << 12) | 1
	.set PTEL_RW, PAGE_GPA | 0x10 | 2
	.set MSR_PR, 0x4000
	.set FSCR_EBB, 1 << 7
	.set FSCR_TAR, 1 << 8
	.set TAR, 815
	.set FSCR, 153
	.set BESCRS, 800
	.set BESCRSU, 801
	.set BESCRR, 802
	.set BESCRRU, 803
	.set EBBHR, 804
	.set EBBRR, 805
	.set BESCR, 806

	.include "report.inc"

	# run the user program once with FSCR = fscr, back at \back (r9: what it writes)
	.macro USER fscr, back
	LOAD64	r12, \fscr
	mtspr	FSCR, r12
	LOAD64	r27, \back
	LOAD64	r9, 0x10005abc
	li	r8, -1
	li	r11, -1
	li	r13, -1
	li	r24, -1
	LOAD64	r12, PAGE_EA + 0x100
	mtsrr0	r12
	mfmsr	r12
	ori	r12, r12, MSR_PR
	mtsrr1	r12
	rfid
	.endm

_start:
	START
	VECTOR	0xc00, stub_c00
	VECTOR	0xf60, stub_f60
	VECTOR	0x700, stub_700

	# ---- the user program's page ----
	LOAD64	r9, SEG_EA | (1 << 27) | 3
	LOAD64	r10, (VSID << 12)
	slbmte	r10, r9
	li	r3, H_ENTER
	li	r4, 0
	LOAD64	r5, PTEX
	LOAD64	r6, PTEH
	LOAD64	r7, PTEL_RW
	sc	1
	EXPECT	r3, 0, "H_ENTER of the user program's page"
	COPY_CODE user, user_end, PAGE_GPA + 0x100

	# ---- FSCR 0: TAR, EBBHR, clrbhrb unavailable in problem state ----
	USER	0, back1
back1:	EXPECT	r8, 0xf60, "user mtspr TAR with FSCR[TAR]=0: facility unavailable"
	EXPECT	r10, 8, "... FSCR[IC] = 8 (TAR)"
	EXPECT	r26, PAGE_EA + 0x104, "... SRR0 is the instruction"
	EXPECT	r11, 0xf60, "user mtspr EBBHR with FSCR[EBB]=0: facility unavailable"
	EXPECT	r12, 7, "... FSCR[IC] = 7 (EBB)"
	EXPECT	r24, 0xf60, "user clrbhrb: facility unavailable"
	EXPECT	r25, 4, "... FSCR[IC] = 4 (BHRB)"
	mfspr	r10, FSCR
	LOAD64	r11, 0xff
	and	r10, r10, r11
	EXPECT	r10, 0, "FSCR's enable bits untouched"

	# ---- FSCR TAR | EBB, as Linux gives its processes ----
	USER	FSCR_TAR | FSCR_EBB, back2
back2:	EXPECT	r8, 0, "user mtspr TAR with FSCR[TAR]=1: no interrupt"
	EXPECT	r11, 0, "user mtspr EBBHR with FSCR[EBB]=1: no interrupt"
	EXPECT	r13, 0x10005abc, "user mfspr EBBHR reads it back"
	mfspr	r10, TAR
	EXPECT	r10, 0x10005abc, "the kernel reads the TAR the user wrote"
	EXPECT	r24, 0xf60, "user clrbhrb with FSCR TAR|EBB: still unavailable"

	# ---- the kernel, FSCR 0: the event-based branch SPRs, rfebb, the BHRB ----
	li	r12, 0
	mtspr	FSCR, r12
	LOAD64	r9, 0x8000000100000001	# GE, PME, PMEO
	mtspr	BESCR, r9
	li	r9, 1
	mtspr	BESCRR, r9		# PMEO off
	lis	r9, 0x8000
	mtspr	BESCRRU, r9		# GE off
	li	r9, 2
	mtspr	BESCRS, r9
	li	r9, 4
	mtspr	BESCRSU, r9
	mfspr	r10, BESCR
	EXPECT	r10, 0x0000000500000002, "BESCR through its set and reset views"
	mfspr	r10, BESCRRU
	EXPECT	r10, 5, "BESCRRU reads BESCR's upper word"
	LOAD64	r9, ebb_back
	mtspr	EBBRR, r9
	li	r10, 0
	rfebb	1
	li	r10, 1			# (skipped)
ebb_back:
	EXPECT	r10, 0, "rfebb branches to EBBRR"
	mfspr	r10, BESCRSU
	EXPECT	r10, 0x80000005, "rfebb 1 sets BESCR[GE]"
	li	r10, -1
	clrbhrb
	mfbhrbe	r10, 0
	EXPECT	r10, 0, "mfbhrbe: no branch recorded"

	# ---- the BCD assists ----
	LOAD64	r9, 0x19 + 0x6666666666666666
	li	r10, 0x28
	addg6s	r11, r9, r10
	EXPECT	r11, 0x6666666666666660, "addg6s: 6 where no carry"
	add	r9, r9, r10
	subf	r9, r11, r9
	EXPECT	r9, 0x47, "addg6s: 19 + 28 = 47 in BCD"
	LOAD64	r9, 0xfff07bff00028cff
	cdtbcd	r10, r9
	EXPECT	r10, 0x0089099900123999, "cdtbcd"
	cbcdtd	r11, r10
	EXPECT	r11, 0x000078ff00028cff, "cbcdtd"
	EXIT

# the user program, position-independent (copied to PAGE_EA + 0x100)
user:	li	r19, 0
	mtspr	TAR, r9
	mr	r8, r19
	mr	r10, r22
	mr	r26, r20
	li	r19, 0
	mtspr	EBBHR, r9
	mr	r11, r19
	mr	r12, r22
	mfspr	r13, EBBHR
	li	r19, 0
	clrbhrb
	mr	r24, r19
	mr	r25, r22
	sc				# back (stub_c00)
user_end:

# facility unavailable: r19 = 0xf60, r20 = SRR0, r22 = FSCR[IC]; program interrupt (an
# instruction the core lacks): r19 = 0x700, r22 = 0; on after the instruction
stub_700:
	li	r19, 0x700
	li	r22, 0
	b	1f
stub_f60:
	li	r19, 0xf60
	mfspr	r22, FSCR
	srdi	r22, r22, 56
1:	mfsrr0	r20
	addi	r23, r20, 4
	mtsrr0	r23
	rfid
# sc from problem state: back to the kernel at r27 (real mode, EE off)
stub_c00:
	mfsrr1	r21
	mtsrr0	r27
	LOAD64	r23, MSR_PR | 0x8000 | 0x30
	andc	r23, r21, r23
	mtsrr1	r23
	rfid

	REPORT_ROUTINES
