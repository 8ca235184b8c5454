# SPDX-License-Identifier: MIT
# Writing 0x7777 to the syscon-reboot register resets the board: with --no-reboot (as every
# hostile guest runs) that ends the run with status 0. Other values do nothing, so the
# first stores must not end it.
# args: -v
# expect-status: 0
# expect-output: guest reset \(--no-reboot\)
        .text
        .globl _start
_start: wrteei  1
        lis     r3, 0xef70
        ori     r3, r3, 0x1000
        li      r4, 0x7776
        stw     r4, 0(r3)       # not a command
        li      r4, 0x7777
        stw     r4, 4(r3)       # not the control register
        stw     r4, 0(r3)
        b       .
