# SPDX-License-Identifier: MIT
# A branch to itself with interrupts disabled (MSR = 0 as at entry, TCR = 0): halted for
# good, status 0 without --timeout.
# args: -v
# expect-status: 0
# expect-output: guest halted at pc=0x00100004
        .text
        .globl _start
_start: li      r3, 1
        b       .
