# SPDX-License-Identifier: MIT
# An interrupt storm: the decrementer auto-reloads with 1 (an interrupt every timebase
# tick) with MSR[EE] set, and its handler only acknowledges it. The guest makes no other
# progress, and --timeout must still end the run at once, with --stats.
# args: --timeout 0.5 --stats
# expect-status: 4
# expect-output: ^softkvm: timeout after 0.5 s$
# expect-output: ^  dec +[0-9]{4,} 
        .include "lib.inc"
        .text
        .globl _start
_start: lis     r3, _start@h
        mtspr   63, r3                  # IVPR
        li      r3, on_dec@l
        mtspr   410, r3                 # IVOR10: decrementer
        li      r3, 1
        mtspr   54, r3                  # DECAR = 1
        lis     r3, 0x0440              # TCR: DIE | ARE (before DEC: its reload needs ARE)
        mtspr   340, r3
        li      r3, 1
        mtspr   22, r3                  # DEC = 1
        wrteei  1
1:      addi    r12, r12, 1
        b       1b

        .balign 16
on_dec: lis     r3, 0x0800              # TSR[DIS]: acknowledge
        mtspr   336, r3
        rfi
