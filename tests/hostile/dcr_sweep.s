# SPDX-License-Identifier: MIT
# Every DCR number, read and written back: the board's own (UIC0 at 0xc0) answer, every
# other one is an illegal instruction to the guest (a program interrupt, as QEMU's 440),
# whose handler steps over it. Nothing may crash or stop the VM.
# expect-status: 0
# expect-output: ^DCR-SWEEP-OK$
# reject-output: internal error
        .include "lib.inc"
        .text
        .globl _start
_start: lis     r1, 0x00f0
        lis     r3, _start@h
        mtspr   63, r3                  # IVPR: the vectors are in this image's 64 KiB
        li      r3, program@l
        mtspr   406, r3                 # IVOR6: program
        li      r20, 0                  # illegal DCR accesses seen
        .set    n, 0
        .rept   1024
        mfdcr   r5, n
        mtdcr   n, r5
        .set    n, n + 1
        .endr
        cmpwi   r20, 2 * 1000           # all but a few are unclaimed, each twice
        blt     bad
        puts    ok
        halt
bad:    puts    nok
        halt

        .balign 16
program:                                # step over the faulting mfdcr/mtdcr
        addi    r20, r20, 1
        mfsrr0  r3
        addi    r3, r3, 4
        mtsrr0  r3
        rfi

        .section .rodata
ok:     .asciz  "DCR-SWEEP-OK\n"
nok:    .asciz  "DCR-SWEEP-BAD\n"
