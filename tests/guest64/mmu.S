# SPDX-License-Identifier: MIT
# The Book3S-64 MMU of a PR guest and its hypercalls, from inside (64-bit little-endian, the
# program in real mode, data through one segment): a segment missing from the SLB (data
# segment interrupt, DAR), slbie, R and C set by accesses (H_READ), H_CLEAR_MOD, a read-only
# HPTE (DSI with DSISR protection | store), H_PROTECT taking write permission away from a
# page already used, an HPTE in the secondary PTEG, hcall errors (H_PARAMETER, H_NOT_FOUND);
# and privileged instructions and SPRs from problem state (program interrupt, SRR1[45]),
# SPRG3's user alias.
#
# QEMU-BUG: H_CLEAR_MOD returns the entry with C: QEMU 7.2 has no H_CLEAR_MOD (H_FUNCTION), the
#   PAPR hypercall that clears an HPTE's change bit (Book III-S 5.7.8, Reference and
#   Change Recording) and returns the entry as it was
# QEMU-BUG: H_CLEAR_MOD: C clear, R kept: the same (C stays set)
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set VSID, 0x42			# ESID 1 (EA 0x10000000) -> VSID 0x42
	.set SEG_EA, 0x10000000
	.set PAGE_EA, 0x10005000	# 4 KiB page 5 of the segment
	.set PAGE_GPA, 0x200000
	.set PTEX, (VSID ^ 5) * 8	# its primary PTEG
	.set PTEX2, ((~(VSID ^ 5)) & HPT_PTEG_MASK) * 8	# its secondary PTEG
	.set PTEH, (VSID << 12) | 1
	.set PTEL_RW, PAGE_GPA | 0x10 | 2	# PP=2: read/write
	.set PTEL_RO, PAGE_GPA | 0x10 | 3	# PP=3: read only
	.set MSR_DR, 0x10
	.set MSR_PR, 0x4000

	.include "report.inc"

	.macro HCALL nr, a4, a5, a6, a7
	li	r3, \nr
	LOAD64	r4, \a4
	LOAD64	r5, \a5
	LOAD64	r6, \a6
	LOAD64	r7, \a7
	sc	1
	.endm

	# DR on, one load or store at r8 (op), DR off; r19 = the vector taken (0 if none)
	.macro DATA op, reg
	li	r19, 0
	mfmsr	r12
	ori	r12, r12, MSR_DR
	mtmsrd	r12
	\op	\reg, 0(r8)
	mfmsr	r12
	li	r13, MSR_DR
	andc	r12, r12, r13
	mtmsrd	r12
	.endm

_start:
	START
	VECTOR	0x300, stub_skip_300
	VECTOR	0x380, stub_skip_380
	VECTOR	0x700, stub_skip_700
	VECTOR	0xc00, stub_c00

	# ---- a segment the SLB does not have ----
	LOAD64	r8, PAGE_EA + 0x10
	DATA	ld, r11
	EXPECT	r19, 0x380, "no SLB entry: data segment interrupt"
	EXPECT	r22, PAGE_EA + 0x10, "data segment interrupt: DAR"

	# ---- the segment, the page read/write ----
	LOAD64	r9, SEG_EA | (1 << 27) | 3	# index 3
	LOAD64	r10, (VSID << 12)
	slbmte	r10, r9
	LOAD64	r9, PAGE_GPA + 0x10
	LOAD64	r10, 0x0123456789abcdef
	std	r10, 0(r9)
	HCALL	H_ENTER, 0, PTEX, PTEH, PTEL_RW
	mr	r24, r4
	EXPECT	r3, 0, "H_ENTER"
	HCALL	H_READ, 0, 0, 0, 0
	mr	r5, r24			# (H_READ of the entry itself)
	li	r3, H_READ
	li	r4, 0
	sc	1
	LOAD64	r9, 0x180
	and	r10, r5, r9
	EXPECT	r10, 0, "a fresh HPTE: R and C clear"
	LOAD64	r8, PAGE_EA + 0x10
	DATA	ld, r11
	EXPECT	r11, 0x0123456789abcdef, "a load through the HPTE"
	li	r3, H_READ
	li	r4, 0
	mr	r5, r24
	sc	1
	andi.	r10, r5, 0x180
	EXPECT	r10, 0x100, "after a load: R set, C clear"
	LOAD64	r11, 0x5a5a
	DATA	std, r11
	li	r3, H_READ
	li	r4, 0
	mr	r5, r24
	sc	1
	andi.	r10, r5, 0x180
	EXPECT	r10, 0x180, "after a store: R and C set"
	li	r3, H_CLEAR_MOD
	li	r4, 0
	mr	r5, r24
	sc	1
	andi.	r10, r4, 0x80
	EXPECT	r10, 0x80, "H_CLEAR_MOD returns the entry with C"
	li	r3, H_READ
	li	r4, 0
	mr	r5, r24
	sc	1
	andi.	r10, r5, 0x180
	EXPECT	r10, 0x100, "H_CLEAR_MOD: C clear, R kept"
	LOAD64	r11, 0x6b6b
	DATA	std, r11
	li	r3, H_READ
	li	r4, 0
	mr	r5, r24
	sc	1
	andi.	r10, r5, 0x80
	EXPECT	r10, 0x80, "a store after H_CLEAR_MOD sets C again"

	# ---- H_PROTECT: read only now ----
	li	r3, H_PROTECT
	li	r4, 3			# PP = 3 (read only)
	mr	r5, r24
	li	r6, 0
	sc	1
	EXPECT	r3, 0, "H_PROTECT succeeds"
	DATA	ld, r11
	EXPECT	r19, 0, "read-only page: loads still work"
	EXPECT	r11, 0x6b6b, "read-only page: the value stored before"
	DATA	std, r11
	EXPECT	r19, 0x300, "H_PROTECT read only: a store takes a DSI"
	EXPECT	r23, 0x0a000000, "protection DSI: DSISR protection | store"

	# ---- slbie: the segment goes ----
	LOAD64	r9, SEG_EA
	slbie	r9
	isync			# slbie needs a context synchronizing instruction before a data
				# access (Book III-S, Synchronization Requirements for Context
				# Alterations)
	DATA	ld, r11
	EXPECT	r19, 0x380, "after slbie: data segment interrupt"
	LOAD64	r9, SEG_EA | (1 << 27) | 3
	LOAD64	r10, (VSID << 12)
	slbmte	r10, r9

	# ---- an HPTE in the secondary PTEG ----
	li	r3, H_REMOVE
	li	r4, 0
	mr	r5, r24
	li	r6, 0
	sc	1
	EXPECT	r3, 0, "H_REMOVE"
	DATA	ld, r11
	EXPECT	r19, 0x300, "removed: a DSI"
	HCALL	H_ENTER, 0, PTEX2, PTEH | 2, PTEL_RW
	mr	r24, r4
	EXPECT	r3, 0, "H_ENTER in the secondary PTEG"
	DATA	ld, r11
	EXPECT	r19, 0, "the secondary hash translates"
	EXPECT	r11, 0x6b6b, "through the secondary PTEG"

	# ---- hypercall errors ----
	HCALL	H_READ, 0, 0x7fffffff, 0, 0
	EXPECT	r3, H_PARAMETER, "H_READ beyond the table: H_PARAMETER"
	li	r3, H_REMOVE
	LOAD64	r4, (1 << 31)		# H_AVPN
	mr	r5, r24
	LOAD64	r6, ((VSID+1)<<12)
	sc	1
	EXPECT	r3, H_NOT_FOUND, "H_REMOVE with another AVPN: H_NOT_FOUND"
	HCALL	H_ENTER, 0, PTEX, PTEH | 4, PTEL_RW | 0xf000	# L with an LP POWER8 lacks
	EXPECT	r3, H_PARAMETER, "H_ENTER of a page size POWER8 lacks: H_PARAMETER"

	# ---- problem state (MSR[PR]=1 forces IR and DR on: the code runs from the page) ----
	# copy it to the mapped page, offset 0x100
	COPY_CODE user, user_end, PAGE_GPA + 0x100
	LOAD64	r9, 0x5eed
	mtsprg	3, r9
	li	r19, 0
	li	r13, 0
	LOAD64	r9, PAGE_EA + 0x100
	mtsrr0	r9
	mfmsr	r9
	ori	r9, r9, MSR_PR
	mtsrr1	r9
	rfid
back:
	EXPECT	r8, 0x700, "problem state mfmsr: program interrupt"
	EXPECT	r11, 0x40000, "problem state mfmsr: SRR1 says privileged"
	EXPECT	r12, 0x700, "problem state mtspr SPRG0: program interrupt"
	EXPECT	r13, 0x5eed, "problem state mfspr 259 reads SPRG3"
	EXPECT	r26, 0x4000, "back through sc: it came from problem state"
	EXIT

# problem-state code, position-independent (copied to PAGE_EA + 0x100)
user:	mfmsr	r10			# privileged: 0x700
	mr	r8, r19
	lis	r9, 0x783f
	and	r11, r21, r9
	li	r19, 0
	mtsprg	0, r10			# privileged SPR: 0x700
	mr	r12, r19
	mfspr	r13, 259		# SPRG3, readable in problem state
	sc				# the way back (stub_c00)
user_end:

# r19 = vector, r20 = SRR0, r21 = SRR1, r22 = DAR, r23 = DSISR; return after the instruction,
# translation off (the rest of the program runs in real mode)
	SKIP_STUBS
# sc from problem state: back to the kernel at "back" (real mode, EE off as before), r26 =
# SRR1's PR
stub_c00:
	mfsrr1	r21
	andi.	r26, r21, MSR_PR
	LOAD64	r25, back
	mtsrr0	r25
	LOAD64	r25, MSR_PR | 0x8000 | 0x30
	andc	r25, r21, r25
	mtsrr1	r25
	rfid

	REPORT_ROUTINES
