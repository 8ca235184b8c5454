# SPDX-License-Identifier: MIT
# TLB entries whose real addresses lie past the end of RAM and above 4 GiB (ERPN): loads,
# stores, lmw/stmw and a string load through them reach no device (loads read 0, stores
# are dropped, --stats counts them), and a fetch from there is the 440's machine check.
# args: --memory 32M --stats
# expect-status: 0
# expect-output: ^PAST-RAM-OK$
# expect-output: ^MCHK-OK$
# reject-output: internal error
        .include "lib.inc"
        .text
        .globl _start
_start: lis     r1, 0x00f0
        lis     r3, _start@h
        mtspr   63, r3                  # IVPR
        li      r3, mchk@l
        mtspr   401, r3                 # IVOR1: machine check
        # entry 10: EPN 0x50000000, 256 MiB, RPN 0x20000000 (RAM ends at 0x02000000)
        li      r4, 10
        lis     r3, 0x5000
        ori     r3, r3, 0x0290
        tlbwe   r3, r4, 0
        lis     r3, 0x2000
        tlbwe   r3, r4, 1
        li      r3, 0x053f              # I G, every permission
        tlbwe   r3, r4, 2
        # entry 11: EPN 0x60000000, 4 KiB, ERPN 1: real address 0x1_00000000
        li      r4, 11
        lis     r3, 0x6000
        ori     r3, r3, 0x0210
        tlbwe   r3, r4, 0
        li      r3, 1
        tlbwe   r3, r4, 1
        li      r3, 0x053f
        tlbwe   r3, r4, 2
        isync

        lis     r5, 0x5000
        li      r6, 0x1234
        lwz     r7, 0(r5)
        stw     r6, 4(r5)
        lis     r5, 0x5fff
        ori     r5, r5, 0xfff0
        lmw     r28, 0(r5)
        stmw    r28, 0(r5)
        lswi    r20, r5, 12
        lis     r5, 0x6000
        lwz     r8, 0x10(r5)
        stw     r6, 0x10(r5)
        or      r3, r7, r8              # nothing there: both read 0
        or      r3, r3, r28
        cmpwi   r3, 0
        bne     bad
        puts    ok
        mfmsr   r3
        ori     r3, r3, 0x1000          # MSR[ME]: take the machine check
        mtmsr   r3
        lis     r5, 0x6000
        mtctr   r5
        bctr                            # fetch from nothing: machine check
bad:    puts    nok
        halt

        .balign 16
mchk:   puts    mchk_ok
        halt

        .section .rodata
ok:     .asciz  "PAST-RAM-OK\n"
nok:    .asciz  "PAST-RAM-BAD\n"
mchk_ok: .asciz "MCHK-OK\n"
