# SPDX-License-Identifier: MIT
# PVPANIC_CRASH_LOADED alone (2) says the kernel panicked and goes on into its crash kernel:
# the run goes on (as in QEMU) until --timeout.
# args: --timeout 0.5
# expect-status: 4
# expect-output: timeout
# reject-output: panic
        .text
        .globl _start
_start: lis     r3, 0xef70
        ori     r3, r3, 0x2000
        li      r4, 2
        stb     r4, 0(r3)
        wrteei  1
        b       .
