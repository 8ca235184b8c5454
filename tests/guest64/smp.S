# SPDX-License-Identifier: MIT
# Two vcpus on two host threads (run.sh runs smp*.bin with runner --smp 2; each enters here
# with r3 = its number). Vcpu 0 reports; vcpu 1 leaves its results in memory.
#  1. both add 1 to a shared word with lwarx/stwcx. and to a shared doubleword with
#     ldarx/stdcx., N times each: the counts are exactly 2N (reservations across vcpus);
#  2. vcpu 1 reads a page through an HPTE and then watches a flag; vcpu 0 H_REMOVEs the page
#     and raises the flag; vcpu 1's loads from the page after it sees the flag must fault
#     (the invalidation reached vcpu 1 before H_REMOVE returned: use_page says why there
#     is no branch between the look and the load);
#  3. the same with H_BULK_REMOVE;
#  4. vcpu 1 runs a function, vcpu 0 rewrites one of its instructions, vcpu 1 runs it
#     again and sees the new instruction (decoded code coherent across vcpus, as a
#     POWER8's instruction caches are).
# On a pseries machine (PSERIES, two cpus) vcpu 0 is entered alone with r3 = the device tree
# and starts vcpu 1 through RTAS start-cpu (its token from the tree's /rtas, the call through
# the H_RTAS hypercall RTAS's own code makes) at the same entry with r3 = 1; vcpu 1 spins at
# the end instead of the runner's exit.
#
# QEMU-BUG: after H_REMOVE returned, vcpu 1's next access faults: QEMU 7.2 (TCG) leaves the
#   other cpu's TLB to be flushed later (often, not always): vcpu 1 still loads through the
#   removed HPTE after vcpu 0's H_REMOVE returned and raised the flag, where an entry removed
#   and invalidated (tlbie, tlbsync, ptesync: what H_REMOVE does before it returns) is gone
#   from every processor (Book III-S 5.10, Page Table Update Synchronization Requirements)
# QEMU-BUG: after H_BULK_REMOVE returned, vcpu 1's next access faults: the same
	.machine power8
	.abiversion 2
	.section .text
	.globl _start

	.set N, 100000
	.set SHARED, 0x2000		# real addresses of the shared words below
	.set READY, 0x2000		# vcpu 0 -> 1: vectors written
	.set CNT32, 0x2008
	.set CNT64, 0x2010
	.set DONE1, 0x2018		# vcpu 1 -> 0: counting done
	.set ENTERED, 0x2020		# vcpu 0 -> 1: HPTEs entered (stage 2: 1, stage 3: 2)
	.set RESULT2, 0x2028		# vcpu 1: the vector its load after the flag took
	.set DONE2, 0x2030		# vcpu 1 -> 0: stage 2 done
	.set RESULT3, 0x2038
	.set DONE3, 0x2040
	.set CALLED, 0x2048		# vcpu 1 -> 0: patchme ran once
	.set PATCHED, 0x2050		# vcpu 0 -> 1: patchme rewritten
	.set RESULT4, 0x2058		# vcpu 1: patchme's second answer
	.set DONE4, 0x2060
	.set PAGE_EA, 0x10005000	# segment ESID 1 -> VSID 0x42
	.set PAGE_GPA, 0x200000
	.set PAGE_PTEX, 0x238		# primary PTEG of PAGE_EA: (0x42 ^ 5) * 8
	.set PAGE_PTEH, 0x42001
	.set FLAG_EA, 0x10006000
	.set FLAG_GPA, 0x201000
	.set FLAG_PTEX, 0x220		# (0x42 ^ 6) * 8
	.set FLAG_PTEH, 0x42001
	.set PTEL_RW, 0x10 | 2		# M, PP=2

	.set ARGS, 0x2800		# start-cpu's arguments (RTAS's, big-endian)
	.set H_RTAS, 0xf000

	.include "report.inc"
	.ifdef PSERIES
	.include "rtas_prop.inc"
	.endif

	# SPIN addr, value: wait (real mode) until the doubleword at addr equals value
	.macro SPIN addr, val
	LOAD64	r9, \addr
	LOAD64	r10, \val
1:	ld	r11, 0(r9)
	cmpd	r11, r10
	bne	1b
	lwsync
	.endm

	# POST addr, value: store value at addr (real mode), ordered after what came before
	.macro POST addr, val
	LOAD64	r9, \addr
	LOAD64	r10, \val
	sync
	std	r10, 0(r9)
	.endm

	# DR on / off
	.macro DATA_XLATE on
	mfmsr	r12
	li	r13, 0x10
	.if \on
	or	r12, r12, r13
	.else
	andc	r12, r12, r13
	.endif
	mtmsrd	r12
	.endm

_start:
	.ifdef PSERIES
	ENTER_LE 1f
1:	LOAD64	r12, MSR_SF_ME_LE
	mtmsrd	r12
	li	r27, 1
	cmpdi	r3, 1			# vcpu 1, started with r3 = 1
	beq	2f
	li	r27, 0
	bl	start_vcpu1		# vcpu 0: r3 the tree
2:
	.else
	mr	r27, r3			# vcpu number
	.endif
	li	r30, 0
	li	r28, 0
	LOAD64	r1, 0x300000
	li	r3, H_SET_MODE		# interrupts little-endian (asked by each vcpu)
	li	r4, 1
	li	r5, 4
	li	r6, 0
	li	r7, 0
	sc	1
	# the same segment on both vcpus
	LOAD64	r9, 0x10000000 | (1 << 27)
	LOAD64	r8, (0x42 << 12)
	slbmte	r8, r9
	cmpdi	r27, 0
	bne	vcpu1

# ======== vcpu 0 ========
	.ifdef PSERIES
	EXPECT	r22, 0, "H_RTAS(start-cpu 1) succeeds"
	EXPECT	r23, 0, "start-cpu 1: RTAS status 0"
	.endif
	VECTOR	0x300, stub_skip_300
	POST	READY, 1
	bl	count
	SPIN	DONE1, 1
	LOAD64	r9, CNT32
	lwz	r11, 0(r9)
	EXPECT	r11, 2 * N, "lwarx/stwcx. from two vcpus: the count is exact"
	LOAD64	r9, CNT64
	ld	r11, 0(r9)
	EXPECT	r11, 2 * N, "ldarx/stdcx. from two vcpus: the count is exact"

	# ---- stage 2: H_REMOVE of a page vcpu 1 is using ----
	li	r3, H_ENTER
	li	r4, 0
	li	r5, FLAG_PTEX
	LOAD64	r6, FLAG_PTEH
	LOAD64	r7, FLAG_GPA | PTEL_RW
	sc	1
	EXPECT	r3, 0, "H_ENTER of the flag page"
	bl	enter_page
	POST	ENTERED, 1
	SPIN	FLAG_GPA + 8, 0x5555	# vcpu 1 read the page through its HPTE
	li	r3, H_REMOVE
	li	r4, 0
	mr	r5, r24
	li	r6, 0
	sc	1
	EXPECT	r3, 0, "H_REMOVE while vcpu 1 uses the page"
	POST	FLAG_GPA, 1		# vcpu 1 sees this at FLAG_EA
	SPIN	DONE2, 1
	LOAD64	r9, RESULT2
	ld	r11, 0(r9)
	EXPECT	r11, 0x300, "after H_REMOVE returned, vcpu 1's next access faults"

	# ---- stage 3: the same with H_BULK_REMOVE ----
	POST	FLAG_GPA, 0
	POST	FLAG_GPA + 8, 0
	bl	enter_page
	POST	ENTERED, 2
	SPIN	FLAG_GPA + 8, 0x5555
	li	r3, H_BULK_REMOVE
	LOAD64	r4, (1 << 62)		# request, no condition
	or	r4, r4, r24
	li	r5, 0
	LOAD64	r6, (3 << 62)		# end
	sc	1
	EXPECT	r3, 0, "H_BULK_REMOVE while vcpu 1 uses the page"
	POST	FLAG_GPA, 1
	SPIN	DONE3, 1
	LOAD64	r9, RESULT3
	ld	r11, 0(r9)
	EXPECT	r11, 0x300, "after H_BULK_REMOVE returned, vcpu 1's next access faults"

	# ---- stage 4: rewrite code vcpu 1 has run ----
	SPIN	CALLED, 1
	LOAD64	r9, patchme
	LOAD64	r10, 0x38600002		# li r3, 2
	stw	r10, 0(r9)
	sync
	POST	PATCHED, 1
	SPIN	DONE4, 1
	LOAD64	r9, RESULT4
	ld	r11, 0(r9)
	EXPECT	r11, 2, "code rewritten by vcpu 0 runs new on vcpu 1"
	EXIT

# H_ENTER of the test page -> r24 = its index (kept through EXPECT)
enter_page:
	mflr	r26
	LOAD64	r9, PAGE_GPA + 0x10
	LOAD64	r10, 0x5555
	std	r10, 0(r9)
	li	r3, H_ENTER
	li	r4, 0
	li	r5, PAGE_PTEX
	LOAD64	r6, PAGE_PTEH
	LOAD64	r7, PAGE_GPA | PTEL_RW
	sc	1
	mr	r24, r4
	mtlr	r26
	EXPECT	r3, 0, "H_ENTER of the test page"
	mtlr	r26
	blr

# ======== vcpu 1 ========
vcpu1:
	SPIN	READY, 1
	bl	count
	POST	DONE1, 1
	SPIN	ENTERED, 1
	bl	use_page
	LOAD64	r9, RESULT2
	std	r19, 0(r9)
	POST	DONE2, 1
	SPIN	ENTERED, 2
	bl	use_page
	LOAD64	r9, RESULT3
	std	r19, 0(r9)
	POST	DONE3, 1
	bl	patchme
	POST	CALLED, 1
	SPIN	PATCHED, 1
	isync
	bl	patchme
	LOAD64	r9, RESULT4
	std	r3, 0(r9)
	POST	DONE4, 1
	.ifndef PSERIES
	LOAD64	r3, H_RUNNER_EXIT
	li	r4, 0
	sc	1
	.endif
	b	.

# Read the test page once through its HPTE (so this vcpu's shadow maps it), tell vcpu 0, then
# watch vcpu 0's flag (at FLAG_EA): each look is followed, with no branch in between (a
# taken branch is where a kicked vcpu looks at its requests), by a load from the test page
# once the flag is set, from the flag's page before. r19 = the vector those loads took (0
# if none): once vcpu 0's H_REMOVE has returned and it raised the flag, they must fault.
use_page:
	li	r19, 0
	LOAD64	r8, PAGE_EA
	LOAD64	r9, FLAG_EA
	addi	r14, r9, 0x100
	DATA_XLATE 1
	ld	r11, 0x10(r8)
	std	r11, 8(r9)		# tell vcpu 0: in use (0x5555)
1:	.rept 64
	ld	r12, 0(r9)
	cmpdi	r12, 0
	isel	r15, r14, r8, 2		# flag 0: the flag's page, else the test page
	ld	r11, 0x10(r15)
	.endr
	cmpdi	r12, 0
	beq	1b
	DATA_XLATE 0
	blr

patchme:
	li	r3, 1
	blr

# ======== both ========
# add 1 N times to the word at CNT32 and to the doubleword at CNT64
count:
	LOAD64	r9, CNT32
	LOAD64	r10, CNT64
	LOAD64	r12, N
	mtctr	r12
1:	lwarx	r11, 0, r9
	addi	r11, r11, 1
	stwcx.	r11, 0, r9
	bne-	1b
2:	ldarx	r11, 0, r10
	addi	r11, r11, 1
	stdcx.	r11, 0, r10
	bne-	2b
	bdnz	1b
	blr

# DSI: r19 = 0x300, r20 = SRR0; return after the instruction in the same MSR
stub_skip_300:
	li	r19, 0x300
	mfsrr0	r20
	addi	r25, r20, 4
	mtsrr0	r25
	rfid

	.ifdef PSERIES
# start_vcpu1: r3 = the tree: RTAS start-cpu(1, _start, 1); r22 = the hypercall's status,
# r23 = RTAS's (-1 without a start-cpu token)
start_vcpu1:
	mflr	r21
	LOAD64	r4, str_start_cpu
	bl	rtas_prop
	li	r22, 0
	li	r23, -1
	cmpdi	r3, 0
	beq	1f
	LOAD64	r4, ARGS		# token, nargs 3, nret 1, cpu, entry, r3, status
	stwbrx	r3, 0, r4
	li	r5, 3
	li	r6, 1
	LOAD64	r7, _start
	li	r8, 1
	li	r9, 4
	stwbrx	r5, r9, r4
	li	r9, 8
	stwbrx	r6, r9, r4
	li	r9, 12
	stwbrx	r6, r9, r4
	li	r9, 16
	stwbrx	r7, r9, r4
	li	r9, 20
	stwbrx	r8, r9, r4
	li	r3, 0
	ori	r3, r3, H_RTAS
	sc	1
	mr	r22, r3
	LOAD64	r4, ARGS + 24
	lwbrx	r23, 0, r4
	extsw	r23, r23
1:	mtlr	r21
	blr

	RTAS_PROP_ROUTINES
	.section .rodata
str_start_cpu: .asciz "start-cpu"
	.section .text
	.endif

	REPORT_ROUTINES
