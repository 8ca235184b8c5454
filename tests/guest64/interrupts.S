# SPDX-License-Identifier: MIT
# Book3S interrupts of the PR hypervisor from inside a 64-bit little-endian guest (real
# mode): FP and VMX unavailable reflected to the guest (SRR0 the instruction), the trace
# interrupt of MSR[SE] (after each instruction, SRR0 the next) and MSR[BE] (after each
# branch, taken or not), the external input as a level (raised and lowered by the runner's
# hypercalls 0xff01/0xff02: taken again after each rfid while it is high; on a pseries
# machine an IPI through XICS instead, taken again until accepted), and the decrementer held
# while MSR[EE] is off.
#
# QEMU-BUG: decrementer taken once EE is on: QEMU 7.2 raises the decrementer exception from a
#   host timer, which may come after mfdec already reads the value negative (not always:
#   the check then agrees); so EE turned on at once finds no exception, where it exists as
#   soon as DEC's bit 32 becomes 1 (Book III-S, Timer Facilities: Decrementer)
# QEMU-BUG: decrementer: SRR0 is the next instruction: the same (taken later, if at all)
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set H_IRQ_RAISE, 0xff01
	.set H_IRQ_LOWER, 0xff02
	.set H_EOI, 0x64
	.set H_CPPR, 0x68
	.set H_IPI, 0x6c
	.set H_XIRR, 0x74
	.set IPI_PRIO, 5
	.set LOG, 0x3000		# the trace handler's SRR0s, real address
	.set MSR_VEC, 1 << 25
	.set MSR_EE, 0x8000
	.set MSR_FP, 0x2000
	.set MSR_SE, 0x400
	.set MSR_BE, 0x200

	.include "report.inc"


_start:
	START
	VECTOR	0x500, stub_500
	VECTOR	0x700, stub_skip_700
	VECTOR	0x800, stub_skip_800
	VECTOR	0x900, stub_900
	VECTOR	0xd00, stub_d00
	VECTOR	0xf20, stub_skip_f20

	# ---- FP unavailable ----
	li	r19, 0
fp1:	fadd	f1, f2, f3
	EXPECT	r19, 0x800, "fadd with MSR[FP]=0: FP unavailable"
	LOAD64	r9, fp1
	EXPECT	r20, fp1, "FP unavailable: SRR0 is the instruction"
	MSR_OR	MSR_FP
	li	r19, 0
	fadd	f1, f2, f3
	EXPECT	r19, 0, "fadd with MSR[FP]=1: no interrupt"

	# ---- VMX unavailable ----
	li	r19, 0
vmx1:	vaddubm	v1, v2, v3
	EXPECT	r19, 0xf20, "vaddubm with MSR[VEC]=0: VMX unavailable"
	EXPECT	r20, vmx1, "VMX unavailable: SRR0 is the instruction"
	LOAD64	r9, 0x783f0000
	and	r10, r21, r9
	EXPECT	r10, 0, "VMX unavailable: SRR1's interrupt bits 0"
	MSR_OR	MSR_VEC
	li	r19, 0
	vaddubm	v1, v2, v3
	EXPECT	r19, 0, "vaddubm with MSR[VEC]=1: no interrupt"

	# ---- single-step trace ----
	li	r26, 0
	li	r27, 3			# the handler clears SE after 3
	li	r8, 0
	MSR_OR	MSR_SE			# mtmsrd setting SE is not traced itself
se1:	addi	r8, r8, 1
se2:	addi	r8, r8, 1
se3:	addi	r8, r8, 1
se4:	addi	r8, r8, 1
	EXPECT	r26, 3, "MSR[SE]: a trace interrupt after each instruction"
	EXPECT	r8, 4, "traced instructions ran once each"
	LOAD64	r9, LOG
	ld	r10, 0(r9)
	EXPECT	r10, se2, "trace: SRR0 is the next instruction (1)"
	ld	r10, 8(r9)
	EXPECT	r10, se3, "trace: SRR0 is the next instruction (2)"
	ld	r10, 16(r9)
	EXPECT	r10, se4, "trace: SRR0 is the next instruction (3)"
	LOAD64	r9, 0x400
	and	r10, r21, r9
	EXPECT	r10, 0x400, "trace: SRR1 has MSR[SE]"

	# ---- branch trace ----
	li	r26, 0
	li	r27, 2
	li	r8, 0
	MSR_OR	MSR_BE
	addi	r8, r8, 1		# not a branch: not traced
	b	be1			# taken: traced, SRR0 = be1
	addi	r8, r8, 100
be1:	cmpdi	r8, 1
	bne	be3			# not taken: traced, SRR0 = be2
be2:	addi	r8, r8, 1
be3:
	EXPECT	r26, 2, "MSR[BE]: a trace interrupt after each branch"
	EXPECT	r8, 2, "branch trace: the instructions ran as without it"
	LOAD64	r9, LOG
	ld	r10, 0(r9)
	EXPECT	r10, be1, "branch trace: taken branch, SRR0 its target"
	ld	r10, 8(r9)
	EXPECT	r10, be2, "branch trace: branch not taken, SRR0 the next"

	.ifndef PSERIES
	# ---- external input as a level ----
	# RUNNER-ONLY: the runner's hypercalls raise and lower the input (pseries: XICS below)
	li	r24, 0
	LOAD64	r3, H_IRQ_RAISE
	sc	1
	EXPECT	r3, 0, "the runner raises the external input"
	li	r19, 0
	li	r6, 0
	nop				# EE off: held
	EXPECT	r24, 0, "external input with MSR[EE]=0: held"
	LOAD64	r9, MSR_EE
	mtmsrd	r9, 1
ext1:	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r24, 3, "a level input is taken again after each rfid until lowered"
	EXPECT	r20, ext1, "external: SRR0 is the next instruction"
	li	r24, 0
	LOAD64	r9, MSR_EE
	mtmsrd	r9, 1
	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r24, 0, "lowered: no more external interrupts"
	.else
	# ---- an IPI to this cpu through XICS (PAPR's interrupt controller) ----
	li	r3, H_CPPR		# accept every priority
	li	r4, 0xff
	sc	1
	EXPECT	r3, 0, "H_CPPR(0xff)"
	li	r24, 0
	li	r3, H_IPI		# server 0: this cpu
	li	r4, 0
	li	r5, IPI_PRIO
	sc	1
	EXPECT	r3, 0, "H_IPI to this cpu"
	nop				# EE off: held
	EXPECT	r24, 0, "IPI with MSR[EE]=0: held"
	LOAD64	r9, MSR_EE
	mtmsrd	r9, 1
ext1:	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r24, 3, "the IPI is taken again after each rfid until accepted"
	EXPECT	r20, ext1, "IPI: SRR0 is the next instruction"
	EXPECT	r26, 0xff000002, "H_XIRR: the IPI (source 2), CPPR 0xff before"
	li	r24, 0
	LOAD64	r9, MSR_EE
	mtmsrd	r9, 1
	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r24, 0, "accepted, MFRR 0xff, EOI: no more external interrupts"
	.endif

	# ---- the decrementer, held while EE is off ----
	li	r23, 0
	li	r9, 512			# 1 us
	mtdec	r9
1:	mfdec	r9
	cmpwi	r9, 0
	bge	1b
	srdi	r9, r9, 32
	EXPECT	r9, 0, "mfdec: a 32-bit SPR, zero-extended when negative"
	EXPECT	r23, 0, "decrementer with MSR[EE]=0: held"
	LOAD64	r9, MSR_EE
	mtmsrd	r9, 1
dec1:	li	r9, 0
	mtmsrd	r9, 1
	EXPECT	r23, 1, "decrementer taken once EE is on"
	EXPECT	r20, dec1, "decrementer: SRR0 is the next instruction"
	EXIT

# Synchronous: r19 = vector, r20 = SRR0, r21 = SRR1, return after the instruction.
stub_skip_700:
	li	r19, 0x700
	b	skip
stub_skip_800:
	li	r19, 0x800
	b	skip
stub_skip_f20:
	li	r19, 0xf20
skip:
	mfsrr0	r20
	mfsrr1	r21
	addi	r25, r20, 4
	mtsrr0	r25
	rfid
# Trace: log SRR0 (r26 counts), clear SE and BE in SRR1 after r27 of them.
stub_d00:
	mfsrr0	r20
	mfsrr1	r21
	LOAD64	r25, LOG
	sldi	r22, r26, 3
	stdx	r20, r25, r22
	addi	r26, r26, 1
	cmpd	r26, r27
	blt	1f
	li	r22, MSR_SE | MSR_BE
	andc	r22, r21, r22
	mtsrr1	r22
1:	rfid
# External: r24 counts; the third lowers the input (the runner's hcall) before returning,
# or on pseries accepts the IPI (H_XIRR, r26 = its XIRR), sets MFRR back to 0xff and EOIs it.
stub_500:
	mfsrr0	r20
	addi	r24, r24, 1
	cmpdi	r24, 3
	blt	1f
	.ifndef PSERIES
	mr	r22, r3
	LOAD64	r3, H_IRQ_LOWER
	sc	1
	mr	r3, r22
	.else
	li	r3, H_XIRR
	sc	1
	mr	r26, r4
	li	r3, H_IPI
	li	r4, 0
	li	r5, 0xff
	sc	1
	li	r3, H_EOI
	mr	r4, r26
	sc	1
	.endif
1:	rfid
# Decrementer: r23 counts; the next one far away (mtdec clears the exception).
stub_900:
	mfsrr0	r20
	addi	r23, r23, 1
	lis	r22, 0x7fff
	mtdec	r22
	rfid

	REPORT_ROUTINES
