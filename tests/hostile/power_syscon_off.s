# SPDX-License-Identifier: MIT
# Writing 0x5555 to the syscon-poweroff register (0xef701000) powers off: status 0 at once.
# Afterwards the guest would spin with MSR[EE] set, which is no halt: only the register
# can have ended the run.
# args: -v
# expect-status: 0
# expect-output: guest powered off
# reject-output: halted
        .text
        .globl _start
_start: wrteei  1
        lis     r3, 0xef70
        ori     r3, r3, 0x1000
        li      r4, 0x5555
        stw     r4, 0(r3)
        b       .
