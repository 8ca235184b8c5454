# SPDX-License-Identifier: MIT
# Bare-metal micro-benchmarks for the 64-bit POWER8 core, one program for softkvm's Book3S PR
# hypervisor and QEMU's pseries (bench/micro64.py runs both). It runs as the partition's
# kernel (supervisor state, MSR[HV]=0), little-endian, at 0x400000:
#   - QEMU: SLOF loads the ELF (-kernel) there and enters it big-endian: the first two words
#     switch to little-endian as Linux's kernel does on entry;
#   - softkvm's pseries board loads the same ELF there and enters it big-endian too, without
#     firmware; the bare-metal runner (tests/guest64/runner.c) loads it as a flat binary and
#     enters it little-endian.
# Console: H_PUT_TERM_CHAR on the vty. Each phase prints one line
# "<tag> <iterations-hex> <timebase-ticks-hex>" (512 MHz timebase, mftb around the loop);
# a phase the core cannot run prints "<tag> 0 0". Then "END", the runner's exit hypercall
# (0xff00) and, when that returns (QEMU), RTAS power-off through QEMU's H_RTAS.
# Iteration counts: --defsym NITER (ALU, load/store), NPRIV (mfpvr, sc; the mfpvr loop runs
# PREPS times), NSTORM (HPT-miss storm passes of 256 pages), NVSX.
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set H_REMOVE, 0x04
	.set H_ENTER, 0x08
	.set H_PUT_TERM_CHAR, 0x58
	.set H_SET_MODE, 0x31c
	.set H_RTAS, 0xf000		# QEMU's private hypercall behind its RTAS blob
	.set H_RUNNER_EXIT, 0xff00	# tests/guest64/runner.c's
	.set VTY, 0x71000000		# the vty's unit address under both pseries boards
	.set RTAS_POWER_OFF, 0x2003	# QEMU's token for power-off

	.set MSR_SF, 0x8000000000000000
	.set MSR_VEC, 0x2000000
	.set MSR_VSX, 0x800000
	.set MSR_EE, 0x8000
	.set MSR_PR, 0x4000
	.set MSR_FP, 0x2000
	.set MSR_ME, 0x1000
	.set MSR_IR, 0x20
	.set MSR_DR, 0x10
	.set MSR_LE, 0x1
	.set MSR_KERNEL, MSR_SF | MSR_ME | MSR_LE

	# low memory, reached with (RA|0) + D in real mode
	.set SAVE, 0x2000		# the DSI handler's save area
	.set RING_IDX, 0x2100		# HPT-miss storm: the next ring slot
	.set RING, 0x2108		# 32 slots: ptex + 1 of the entry the slot holds, or 0
	.set PROG_RESUME, 0x2300	# where an illegal instruction goes on, or 0: fatal
	.set RTAS_ARGS, 0x2400

	.set DATA, 0x800000		# load/store and VSX data (8 MiB)
	.set STORM_EA, 0x10000000	# the storm's segment: ESID 1 ...
	.set STORM_VSID, 0x100		# ... VSID 0x100: primary hash 0x100 ^ page < 2048
	.set STORM_GPA, 0x1000000	# its 256 pages map 16 MiB ...
	.set STORM_PAGES, 256
	.set STORM_RING, 32		# ... through 32 HPT entries at a time (round robin)
	.set USER_VSID, 0x200		# ESID 0 in user mode: hash 0x200 ^ 0x4xx < 2048
	.set PTEL_BITS, 0x192		# R, C, M, PP=2 (read/write for kernel and user)

	.ifndef NITER
	.set NITER, 20000000
	.endif
	.ifndef NPRIV
	.set NPRIV, 1000000
	.endif
	.ifndef PREPS
	.set PREPS, 5
	.endif
	.ifndef NSTORM
	.set NSTORM, 400
	.endif
	.ifndef NVSX
	.set NVSX, 10000000
	.endif

	.macro LOAD64 r, v
	lis	\r, (\v)@highest
	ori	\r, \r, (\v)@higher
	rldicr	\r, \r, 32, 31
	oris	\r, \r, (\v)@h
	ori	\r, \r, (\v)@l
	.endm

	# an instruction word in big-endian byte order (the entry's big-endian part)
	.macro BEWORD w
	.byte	((\w) >> 24) & 0xff, ((\w) >> 16) & 0xff, ((\w) >> 8) & 0xff, (\w) & 0xff
	.endm

	# VECTOR vec, word0, word1: the vector's first two instructions
	.macro VECTOR vec, w0, w1
	li	r3, \vec
	LOAD64	r4, \w0
	LOAD64	r5, \w1
	bl	set_vector
	.endm
	.macro VECTOR_TO vec, handler	# ba handler (all code is below 64 MiB)
	VECTOR	\vec, 0x48000002 + \handler, 0x60000000
	.endm
	.macro VECTOR_FATAL vec		# li r3, vec; ba fatal
	VECTOR	\vec, 0x38600000 | \vec, 0x48000002 + fatal
	.endm

	.macro PHASE_START
	mftb	r21
	.endm
	.macro PHASE_END tag
	mftb	r22
	li	r23, \tag
	bl	report
	.endm

_start:
	tdi	0, 0, 0x48		# read big-endian: "b .+8", into the switch below
	b	le_start
	BEWORD	0x7d6000a6		# mfmsr r11
	BEWORD	0x616b0001		# ori r11, r11, 1 (MSR[LE])
	BEWORD	0x429f0005		# bcl 20, 31, .+4
	BEWORD	0x7d4802a6		# mflr r10
	BEWORD	0x394a0014		# addi r10, r10, 20 (le_start)
	BEWORD	0x7d5a03a6		# mtsrr0 r10
	BEWORD	0x7d7b03a6		# mtsrr1 r11
	BEWORD	0x4c000024		# rfid
le_start:
	LOAD64	r9, MSR_KERNEL		# real mode, EE off, whatever the firmware left
	mtmsrd	r9
	isync
	LOAD64	r1, 0x300000
	li	r3, H_SET_MODE		# interrupts little-endian, as this program
	li	r4, 1
	li	r5, 4
	li	r6, 0
	li	r7, 0
	sc	1
	cmpdi	r3, 0
	beq	1f
	li	r3, 0x31c
	b	fatal
1:	li	r3, 0
	std	r3, PROG_RESUME(0)
	std	r3, RING_IDX(0)
	li	r4, STORM_RING
	mtctr	r4
	li	r4, RING - 8
2:	stdu	r3, 8(r4)
	bdnz	2b
	VECTOR_FATAL 0x100
	VECTOR_FATAL 0x200
	VECTOR_TO 0x300, dsi_entry
	VECTOR_FATAL 0x380
	VECTOR_FATAL 0x400
	VECTOR_FATAL 0x480
	VECTOR_TO 0x500, just_rfid
	VECTOR_FATAL 0x600
	VECTOR_TO 0x700, program_entry
	VECTOR_FATAL 0x800
	VECTOR_TO 0x900, dec_entry
	VECTOR_TO 0xc00, sc_entry
	VECTOR_FATAL 0xd00
	VECTOR_FATAL 0xe00
	VECTOR_FATAL 0xf00
	VECTOR_FATAL 0xf20
	VECTOR_FATAL 0xf40
	VECTOR_FATAL 0xf60
	lis	r3, 0x7fff
	mtdec	r3
	li	r3, 'S'
	bl	putc
	li	r3, 10
	bl	putc

	# ---- P: mfpvr loop (a privileged SPR read: emulated under a PR hypervisor), NPRIV
	# reads; a few milliseconds, so it is run PREPS times (the script takes the best)
	li	r26, PREPS
0:	LOAD64	r20, NPRIV
	mtctr	r20
	PHASE_START
1:	mfpvr	r5
	bdnz	1b
	PHASE_END 'P'
	addi	r26, r26, -1
	cmpdi	r26, 0
	bne	0b

	# ---- A: integer ALU loop, 10 instructions an iteration
	LOAD64	r20, NITER
	li	r5, 1
	li	r6, 2
	li	r7, 3
	li	r8, 4
	mtctr	r20
	PHASE_START
2:	add	r5, r5, r6
	xor	r6, r6, r7
	rotldi	r7, r5, 3
	addi	r8, r8, 7
	subf	r5, r8, r5
	and	r9, r5, r6
	or	r7, r7, r9
	sldi	r6, r6, 1
	srdi	r8, r8, 1
	bdnz	2b
	PHASE_END 'A'

	# ---- M: load/add/store loop (little-endian doublewords), 4 instructions
	LOAD64	r20, NITER
	LOAD64	r9, DATA
	mtctr	r20
	PHASE_START
3:	ld	r5, 0(r9)
	addi	r5, r5, 1
	std	r5, 0(r9)
	bdnz	3b
	PHASE_END 'M'

	# ---- T: HPT-miss storm. Data translation on, NSTORM passes over 256 pages of a
	# segment whose HPT holds 32 of them at a time: every access takes the DSI, whose
	# handler evicts the oldest entry (H_REMOVE) and enters the page's (H_ENTER).
	LOAD64	r3, STORM_EA | 0x8000000 | 1	# ESID 1, valid, SLB index 1
	LOAD64	r4, STORM_VSID << 12
	slbmte	r4, r3
	isync
	LOAD64	r20, NSTORM * STORM_PAGES
	li	r3, NSTORM
	mtctr	r3
	LOAD64	r10, MSR_KERNEL
	LOAD64	r11, MSR_KERNEL | MSR_DR
	PHASE_START
	mtmsrd	r11
	isync
4:	LOAD64	r7, STORM_EA
	li	r12, STORM_PAGES
5:	lwz	r5, 0(r7)
	addi	r7, r7, 4096
	addi	r12, r12, -1
	cmpdi	r12, 0
	bne	5b
	bdnz	4b
	mtmsrd	r10
	isync
	PHASE_END 'T'

	# ---- C: sc from user mode into the kernel and back (rfid): the loop runs in
	# problem state from an HPT-mapped page of segment 0; the kernel's sc handler returns
	# at once while r0 is 0
	LOAD64	r3, 0x8000000 | 2		# ESID 0, valid, SLB index 2
	LOAD64	r4, USER_VSID << 12
	slbmte	r4, r3
	isync
	LOAD64	r14, user_page
	li	r3, H_ENTER
	li	r4, 0
	rldicl	r5, r14, 52, 48			# page within the segment
	xori	r5, r5, USER_VSID		# primary hash
	sldi	r5, r5, 3
	LOAD64	r6, (USER_VSID << 12) | 1	# AVPN | V
	ori	r7, r14, PTEL_BITS		# identity: GPA = EA
	sc	1
	cmpdi	r3, 0
	beq	1f
	li	r3, 0xc08
	b	fatal
1:	LOAD64	r20, NPRIV
	mtctr	r20
	mtsrr0	r14
	LOAD64	r3, MSR_KERNEL | MSR_PR | MSR_EE | MSR_IR | MSR_DR
	mtsrr1	r3
	li	r0, 0
	PHASE_START
	rfid
user_done:				# sc with r0 = 1: back in the kernel, real mode
	PHASE_END 'C'

	# ---- V: VSX loop, 5 instructions (an illegal instruction here: "V 0 0")
	LOAD64	r3, vsx_na
	std	r3, PROG_RESUME(0)
	LOAD64	r3, MSR_KERNEL | MSR_FP | MSR_VEC | MSR_VSX
	mtmsrd	r3
	isync
	LOAD64	r9, DATA + 0x100
	LOAD64	r10, DATA + 0x200
	LOAD64	r3, 0x3ff0000000000000		# 1.0
	std	r3, 0(r9)
	LOAD64	r3, 0x4000000000000000		# 2.0
	std	r3, 8(r9)
	LOAD64	r20, NVSX
	mtctr	r20
	PHASE_START
	xxlxor	vs1, vs1, vs1
	xxlxor	vs2, vs2, vs2
	xxlxor	vs3, vs3, vs3
6:	lxvd2x	vs0, 0, r9
	xvadddp	vs1, vs1, vs0
	xvmuldp	vs2, vs2, vs0
	xsadddp	vs3, vs3, vs0
	stxvd2x	vs1, 0, r10
	bdnz	6b
	PHASE_END 'V'
	b	1f
vsx_na:
	li	r20, 0
	li	r21, 0
	li	r22, 0
	li	r23, 'V'
	bl	report
1:	li	r3, 0
	std	r3, PROG_RESUME(0)
	LOAD64	r3, MSR_KERNEL
	mtmsrd	r3
	isync

	# ---- the end
	li	r3, 'E'
	bl	putc
	li	r3, 'N'
	bl	putc
	li	r3, 'D'
	bl	putc
	li	r3, 10
	bl	putc
	li	r4, 0
	b	exit

# exit(r4 = status): the runner's hypercall, else QEMU's RTAS power-off
exit:
	li	r3, 0
	ori	r3, r3, H_RUNNER_EXIT
	sc	1
	li	r4, RTAS_ARGS			# the argument block is big-endian
	li	r5, RTAS_POWER_OFF
	stwbrx	r5, 0, r4
	li	r5, 2
	addi	r6, r4, 4
	stwbrx	r5, 0, r6
	li	r5, 1
	addi	r6, r4, 8
	stwbrx	r5, 0, r6
	li	r5, 0
	std	r5, 12(r4)
	std	r5, 20(r4)
	li	r3, 0
	ori	r3, r3, H_RTAS
	sc	1
	b	.

# set_vector(r3 = vector, r4 = first word, r5 = second): write them, make them fetchable
set_vector:
	stw	r4, 0(r3)
	stw	r5, 4(r3)
	dcbst	0, r3
	sync
	icbi	0, r3
	isync
	blr

# report: r23 = tag, r20 = iterations, r21/r22 = timebase at start/end:
# "<tag> <iterations-hex> <ticks-hex>\n"
report:
	mflr	r24
	subf	r25, r21, r22
	mr	r3, r23
	bl	putc
	li	r3, ' '
	bl	putc
	mr	r3, r20
	bl	puthex
	li	r3, ' '
	bl	putc
	mr	r3, r25
	bl	puthex
	li	r3, 10
	bl	putc
	mtlr	r24
	blr

# puthex(r3): 16 hex digits
puthex:
	mflr	r27
	mr	r28, r3
	li	r29, 16
1:	rotldi	r28, r28, 4
	andi.	r3, r28, 0xf
	cmpdi	r3, 10
	blt	2f
	addi	r3, r3, 'a' - 10
	b	3f
2:	addi	r3, r3, '0'
3:	bl	putc
	addi	r29, r29, -1
	cmpdi	r29, 0
	bne	1b
	mtlr	r27
	blr

# putc(r3): one character through H_PUT_TERM_CHAR (clobbers r0, r3-r12)
putc:
	sldi	r6, r3, 56
	li	r3, H_PUT_TERM_CHAR
	lis	r4, VTY@h
	li	r5, 1
	li	r7, 0
	sc	1
	blr

# ---- interrupt handlers (real mode, little-endian) ----

# fatal(r3 = vector): "X <vector> <SRR0> <SRR1> <DAR>", exit status 1
fatal:
	mr	r14, r3
	li	r3, 'X'
	bl	putc
	li	r3, ' '
	bl	putc
	mr	r3, r14
	bl	puthex
	li	r3, ' '
	bl	putc
	mfsrr0	r3
	bl	puthex
	li	r3, ' '
	bl	putc
	mfsrr1	r3
	bl	puthex
	li	r3, ' '
	bl	putc
	mfdar	r3
	bl	puthex
	li	r3, 10
	bl	putc
	li	r4, 1
	b	exit

just_rfid:
	rfid

dec_entry:				# the next decrementer far away
	mtsprg	0, r3
	lis	r3, 0x7fff
	mtdec	r3
	mfsprg	r3, 0
	rfid

# an illegal instruction: go on at PROG_RESUME if a phase set it, else fatal
program_entry:
	ld	r3, PROG_RESUME(0)
	cmpdi	r3, 0
	bne	1f
	li	r3, 0x700
	b	fatal
1:	mtsrr0	r3
	rfid

# sc: straight back to user mode while r0 is 0; r0 = 1 ends the C phase
sc_entry:
	cmpdi	r0, 0
	bne	1f
	rfid
1:	b	user_done

# DSI of the HPT-miss storm: the page's HPT entry, evicting the ring's oldest
dsi_entry:
	mtsprg	0, r13			# a scratch register, as Linux's prologue takes one
	li	r13, SAVE
	std	r0, 0(r13)
	std	r3, 8(r13)
	std	r4, 16(r13)
	std	r5, 24(r13)
	std	r6, 32(r13)
	std	r7, 40(r13)
	std	r8, 48(r13)
	std	r9, 56(r13)
	std	r10, 64(r13)
	std	r11, 72(r13)
	std	r12, 80(r13)
	mfcr	r0
	std	r0, 88(r13)
	mfctr	r0			# hcalls may change CTR and XER
	std	r0, 96(r13)
	mfxer	r0
	std	r0, 104(r13)
	mfdsisr	r3
	andis.	r3, r3, 0x4000		# no HPT entry: anything else is a bug
	bne	1f
	li	r3, 0x300
	b	fatal
1:	ld	r9, RING_IDX(0)		# the slot to reuse
	addi	r9, r9, 1
	andi.	r9, r9, STORM_RING - 1
	std	r9, RING_IDX(0)
	sldi	r9, r9, 3
	addi	r9, r9, RING
	std	r9, 112(r13)
	ld	r5, 0(r9)
	cmpdi	r5, 0
	beq	2f
	li	r3, H_REMOVE
	li	r4, 0
	addi	r5, r5, -1
	li	r6, 0
	sc	1
	cmpdi	r3, 0
	beq	2f
	li	r3, 0x304
	b	fatal
2:	mfdar	r10
	rldicl	r5, r10, 52, 48		# page within the segment
	xori	r5, r5, STORM_VSID	# primary hash
	sldi	r5, r5, 3
	LOAD64	r6, (STORM_VSID << 12) | 1
	rldicl	r7, r10, 0, 36		# offset in the segment ...
	rldicr	r7, r7, 0, 51
	addis	r7, r7, STORM_GPA >> 16	# ... into the storm's RAM
	ori	r7, r7, PTEL_BITS
	li	r3, H_ENTER
	li	r4, 0
	sc	1
	cmpdi	r3, 0
	beq	3f
	li	r3, 0x308
	b	fatal
3:	addi	r4, r4, 1
	ld	r9, 112(r13)
	std	r4, 0(r9)
	ld	r0, 88(r13)
	mtcr	r0
	ld	r0, 96(r13)
	mtctr	r0
	ld	r0, 104(r13)
	mtxer	r0
	ld	r0, 0(r13)
	ld	r3, 8(r13)
	ld	r4, 16(r13)
	ld	r5, 24(r13)
	ld	r6, 32(r13)
	ld	r7, 40(r13)
	ld	r8, 48(r13)
	ld	r9, 56(r13)
	ld	r10, 64(r13)
	ld	r11, 72(r13)
	ld	r12, 80(r13)
	mfsprg	r13, 0
	rfid

# ---- the user-mode page of the C phase (mapped by an HPT entry) ----
	.balign	4096
user_page:
1:	sc
	bdnz	1b
	li	r0, 1
	sc
	b	.
	.balign	4096
