# SPDX-License-Identifier: MIT
# Linux's halt on a 440 (machine_hang): `while (1);` with MSR[CE] and MSR[ME] still set.
# The critical input could only rise through UIC0, and no enabled UIC0 source is routed to
# it (CR = 0): halted for good, status 0.
# args: -v
# expect-status: 0
# expect-output: guest halted at pc=0x0010000c
        .text
        .globl _start
_start: lis     r3, 0x0002      # MSR[CE]
        ori     r3, r3, 0x1000  # MSR[ME]
        mtmsr   r3
        b       .
