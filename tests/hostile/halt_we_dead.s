# SPDX-License-Identifier: MIT
# MSR[WE] with every interrupt that could wake the vcpu disabled (MSR = WE only, TCR = 0):
# the vcpu is halted for good and softkvm ends the run at once with status 0, no --timeout.
# args: -v
# expect-status: 0
# expect-output: guest halted at pc=0x00100008
        .text
        .globl _start
_start: lis     r3, 0x0004      # MSR[WE]
        mtmsr   r3
        b       .               # not reached: nothing wakes the vcpu
