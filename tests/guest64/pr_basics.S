# SPDX-License-Identifier: MIT
# Book3S PR from inside a 64-bit little-endian guest (run by tests/guest64/run.sh): privileged
# instructions, an interrupt's SRR0/SRR1, a DSI with DAR/DSISR from a missing HPTE, an
# H_ENTER + access + H_REMOVE cycle, a hypercall to the VMM, the decrementer and bctar (the
# branch to TAR, emulated: TAR is the hypervisor's). Prints
# "ok N - name" or "not ok N - name" through H_PUT_TERM_CHAR, then exits through the
# runner's hypercall 0xff00 with the number of failures (pseries: report.inc).
#
# QEMU-BUG: mfmsr: SF ME LE: QEMU 7.2's pseries starts the partition's cpus with MSR[ME] = 0,
#   which nothing in the partition can change: mtmsrd and rfid leave ME alone outside
#   hypervisor state (Book III-S 4.4.3), so a machine check would checkstop it
#   (Book III-S 6.5.2); softkvm's board, as KVM, runs partitions with ME = 1
# QEMU-BUG: mtmsrd L=1 changes EE and RI only: the same MSR[ME] = 0 (the expected MSR has ME)
# QEMU-BUG: program: SRR1 keeps the MSR: the same MSR[ME] = 0
# QEMU-BUG: H_REMOVE returns the entry: QEMU 7.2 sets bit 0x40 of the first doubleword of
#   every HPTE H_ENTER makes (its own "dirty" mark, one of the SW bits 57:60 the Page Table
#   Entry leaves to software, Book III-S 5.7.7) and H_REMOVE returns it: 0x42041 for the
#   0x42001 the guest entered
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set SAVE, 0x1000		# the handlers' save area (real mode)
	.set SEG_EA, 0x10000000		# segment of ESID 1, VSID 0x42
	.set PAGE_EA, 0x10005000
	.set PAGE_GPA, 0x200000
	.set PTEX, 0x238		# primary PTEG of PAGE_EA: (0x42 ^ 5) * 8
	.set PTEH, 0x42001		# AVPN of PAGE_EA | V
	.set PTEL, PAGE_GPA | 0x10 | 2	# M, PP=2 (read/write for the kernel)

	.include "report.inc"

_start:
	START
	EXPECT	r3, 0, "H_SET_MODE(LE) succeeds"
	VECTOR	0x300, stub_skip_300
	VECTOR	0x380, stub_skip_380
	VECTOR	0x700, stub_skip_700
	VECTOR	0xc00, stub_c00
	VECTOR	0x900, stub_900

	# ---- privileged instructions, emulated ----
	mfmsr	r10
	EXPECT	r10, 0x8000000000001001, "mfmsr: SF ME LE"
	mfpvr	r10
	EXPECT	r10, 0x004d0200, "mfpvr: POWER8"
	LOAD64	r9, 0x123456789abcdef0
	mtsprg	0, r9
	mfsprg	r10, 0
	EXPECT	r10, 0x123456789abcdef0, "mtsprg0/mfsprg0"
	LOAD64	r9, 0x10000000 | (1 << 27) | 0	# ESID 1, V, index 0
	LOAD64	r8, (0x42 << 12)			# VSID 0x42, Ks=Kp=0
	slbmte	r8, r9
	li	r7, 0
	slbmfee	r10, r7
	EXPECT	r10, 0x18000000, "slbmte/slbmfee"
	slbmfev	r10, r7
	EXPECT	r10, 0x42000, "slbmfev"
	LOAD64	r9, 0x10000123
	slbfee.	r10, r9
	mfcr	r11
	andis.	r11, r11, 0x2000	# CR0[EQ]
	EXPECT	r10, 0x42000, "slbfee.: the segment's VSID word"
	EXPECT	r11, 0x20000000, "slbfee.: CR0[EQ] when found"
	LOAD64	r9, 0x50000000
	slbfee.	r10, r9
	mfcr	r11
	andis.	r11, r11, 0x2000
	EXPECT	r10, 0, "slbfee. of no segment: 0"
	EXPECT	r11, 0, "slbfee. of no segment: CR0[EQ] clear"
	li	r8, 0x99		# VSID 0x99, Ks Kp N 0
	LOAD64	r9, 0x30000000
	.long	0x7d0049e4		# mtsrin r8,r9 (not 2.07's: binutils' -mpower8 lacks it): SR 3
	li	r7, 3
	slbmfee	r10, r7
	EXPECT	r10, 0x38000000, "mtsrin: SLB entry 3 is ESID 3, valid"
	li	r7, 3			# (EXPECT's report clobbers r3-r7)
	slbmfev	r10, r7
	EXPECT	r10, 0x99000, "mtsrin: its VSID"
	li	r8, 0x55
	.long	0x7d0401a4		# mtsr 4,r8
	li	r7, 4
	slbmfev	r10, r7
	EXPECT	r10, 0x55000, "mtsr 4: SLB entry 4's VSID"
	li	r9, 0x100
	mtmsrd	r9, 1			# L=1 moves EE (bit 48) and RI only: here neither
	mfmsr	r10
	EXPECT	r10, 0x8000000000001001, "mtmsrd L=1 changes EE and RI only"

	# ---- an interrupt: illegal instruction -> 0x700 ----
	li	r19, 0
illegal:
	.long	0
	EXPECT	r19, 0x700, "illegal instruction: program interrupt"
	LOAD64	r9, illegal
	EXPECT	r20, illegal, "program: SRR0 is the instruction"
	LOAD64	r9, 0x783f0000
	and	r10, r21, r9
	EXPECT	r10, 0x80000, "program: SRR1[44] illegal"
	LOAD64	r9, 0xffffffff87c0ffff
	and	r10, r21, r9
	EXPECT	r10, 0x8000000000001001, "program: SRR1 keeps the MSR"

	# ---- sc 0: the system call, SRR0 after it ----
	li	r19, 0
	sc
after_sc:
	EXPECT	r19, 0xc00, "sc 0: system call interrupt"
	EXPECT	r20, after_sc, "sc 0: SRR0 is the next instruction"

	# ---- a DSI from a missing HPTE ----
	li	r19, 0
	LOAD64	r8, PAGE_EA + 0x10
	li	r9, 0x10			# DR
	mfmsr	r10
	or	r10, r10, r9
	mtmsrd	r10
dsi1:
	ld	r11, 0(r8)
	EXPECT	r19, 0x300, "load without an HPTE: DSI"
	EXPECT	r20, dsi1, "DSI: SRR0 is the load"
	EXPECT	r22, PAGE_EA + 0x10, "DSI: DAR"
	EXPECT	r23, 0x40000000, "DSI: DSISR says no HPTE"

	# ---- H_ENTER, access, H_REMOVE ----
	LOAD64	r8, PAGE_GPA + 0x10
	LOAD64	r9, 0x1122334455667788
	std	r9, 0(r8)
	li	r3, H_ENTER
	li	r4, 0
	li	r5, PTEX
	LOAD64	r6, PTEH
	LOAD64	r7, PTEL
	sc	1
	mr	r24, r4
	EXPECT	r3, 0, "H_ENTER succeeds"
	li	r19, 0
	LOAD64	r8, PAGE_EA + 0x10
	li	r9, 0x10
	mfmsr	r10
	or	r10, r10, r9
	mtmsrd	r10
	ld	r11, 0(r8)
	std	r11, 8(r8)
	li	r9, 0x10
	mfmsr	r10
	andc	r10, r10, r9
	mtmsrd	r10
	EXPECT	r19, 0, "the mapped page: no interrupt"
	EXPECT	r11, 0x1122334455667788, "load through the HPTE"
	LOAD64	r8, PAGE_GPA + 0x18
	ld	r12, 0(r8)
	EXPECT	r12, 0x1122334455667788, "store through the HPTE reached RAM"
	li	r3, H_REMOVE
	li	r4, 0
	mr	r5, r24
	li	r6, 0
	sc	1
	mr	r26, r4			# (reporting makes hcalls of its own)
	EXPECT	r3, 0, "H_REMOVE succeeds"
	EXPECT	r26, PTEH, "H_REMOVE returns the entry"
	li	r19, 0
	LOAD64	r8, PAGE_EA + 0x10
	li	r9, 0x10
	mfmsr	r10
	or	r10, r10, r9
	mtmsrd	r10
	ld	r11, 0(r8)
	EXPECT	r19, 0x300, "after H_REMOVE the page is gone: DSI"

	# ---- a hypercall the VMM does not know: H_FUNCTION ----
	li	r3, 0x2f0
	sc	1
	EXPECT	r3, -2, "unknown hcall: the VMM answers H_FUNCTION"

	# ---- the decrementer: 5120 ticks (10 us), EE on, spin ----
	li	r19, 0
	li	r9, 5120
	mtdec	r9
	LOAD64	r9, 0x8000
	mtmsrd	r9, 1
1:	cmpdi	r19, 0x900
	bne	1b
	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r19, 0x900, "decrementer interrupt"

	# ---- bctar: a branch to TAR (2.07), taken, not taken, with LR, CTR decremented ----
	LOAD64	r9, tar_1
	mtspr	815, r9			# TAR
	li	r10, 0
	bctar	20, 0, 0		# always
	li	r10, 1			# (skipped)
tar_1:	EXPECT	r10, 0, "bctar 20,0: branches to TAR"
	LOAD64	r9, tar_2
	mtspr	815, r9
	crset	2			# CR0[EQ]
	li	r10, 0
	bctar	4, 2, 0			# if CR0[EQ] is false: not taken
	li	r10, 1
	EXPECT	r10, 1, "bctar 4,2 with CR0[EQ] set: falls through"
	li	r9, 3
	mtctr	r9
	bctarl	16, 0, 0		# --CTR != 0: taken, LR set
tar_ret:
	li	r10, 2			# (skipped)
tar_2:	mflr	r11
	EXPECT	r11, tar_ret, "bctarl: LR is the next instruction"
	mfctr	r11
	EXPECT	r11, 2, "bctarl 16: CTR decremented"
	EXPECT	r10, 1, "bctarl 16 with CTR 3: branches to TAR"

	EXIT

# Handlers: r19 = vector, r20 = SRR0, r21 = SRR1 (SKIP_STUBS: also DAR and DSISR, then back
# after the faulting instruction, with translation off).
	SKIP_STUBS
stub_c00:
	li	r19, 0xc00
	mfsrr0	r20
	mfsrr1	r21
	rfid
stub_900:
	li	r19, 0x900
	lis	r25, 0x7fff	# the next decrementer far away (mtdec clears the exception)
	mtdec	r25
	rfid

	REPORT_ROUTINES
