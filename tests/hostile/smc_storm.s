# SPDX-License-Identifier: MIT
# Self-modifying code, 20000 times over: each round rewrites the first instruction of a
# function to return the round's number (li r4,i), makes it visible to instruction fetch
# as the architecture asks (dcbst, sync, icbi, isync) and calls it. The sum of what the
# calls returned must be exact.
# expect-status: 0
# expect-output: ^SMC-OK$
        .include "lib.inc"
        .set    ROUNDS, 20000
        .text
        .globl _start
_start: lis     r1, 0x00f0
        lis     r20, f@h
        ori     r20, r20, f@l
        li      r21, 1                  # i
        li      r22, 0                  # sum of the returns
        lis     r23, ROUNDS@h
        ori     r23, r23, ROUNDS@l
        lis     r24, 0x3880             # li r4,0
1:      andi.   r3, r21, 0x7fff         # li takes 16 bits: keep i below 32768
        or      r3, r3, r24
        stw     r3, 0(r20)
        dcbst   0, r20
        sync
        icbi    0, r20
        isync
        mtctr   r20
        bctrl
        add     r22, r22, r4
        addi    r21, r21, 1
        cmplw   r21, r23
        ble     1b
        lis     r3, (ROUNDS * (ROUNDS + 1) / 2)@h
        ori     r3, r3, (ROUNDS * (ROUNDS + 1) / 2)@l
        cmplw   r22, r3
        bne     bad
        puts    ok
        halt
bad:    puts    nok
        halt

        .balign 32
f:      li      r4, 0
        blr

        .section .rodata
ok:     .asciz  "SMC-OK\n"
nok:    .asciz  "SMC-BAD\n"
