# SPDX-License-Identifier: MIT
# Accesses that run from the last bytes of RAM into unbacked physical space (32 MiB of RAM,
# a 256 MiB TLB page over it; straddle_ramend.s of the probe stopped with "internal error:
# unsupported instruction for MMIO"): the RAM bytes come from RAM, the rest is what the bus
# gives unbacked space (reads 0, writes ignored, as on QEMU's bamboo), for a load, a store,
# lmw, stmw and a string load. Prints "STRADDLE OK" and halts; "BADn" names a failed check.
# args: --memory 32M
# expect-status: 0
# expect-output: STRADDLE OK
# expect-output: hits no device
# reject-output: internal error|BAD
        .include "lib.inc"
        .text
        .globl _start

_start: li      r4, 20                  # UART0: I G SW SR
        lis     r3, 0xef60
        ori     r3, r3, 0x0210
        tlbwe   r3, r4, 0
        lis     r3, 0xef60
        tlbwe   r3, r4, 1
        li      r3, 0x0703
        tlbwe   r3, r4, 2
        li      r4, 21                  # 0x80000000 -> 0, 256 MiB, SW SR
        lis     r3, 0x8000
        ori     r3, r3, 0x0290
        tlbwe   r3, r4, 0
        li      r3, 0
        tlbwe   r3, r4, 1
        li      r3, 0x0003
        tlbwe   r3, r4, 2
        isync
        lis     r5, 0x8200              # the end of RAM, through the big page
        lis     r3, 0xa1b2
        ori     r3, r3, 0xc3d4
        stw     r3, -4(r5)
        lwz     r9, -2(r5)              # c3 d4 | 00 00
        check   r9, 0xc3d40000, 1
        lhz     r9, -1(r5)
        check   r9, 0x0000d400, 2
        lis     r3, 0x0102
        ori     r3, r3, 0x0304
        stw     r3, -3(r5)              # 01 02 03 | (04 ignored)
        lwz     r9, -4(r5)
        check   r9, 0xa1010203, 3
        li      r30, -1
        li      r31, -1
        lmw     r30, -4(r5)
        check   r30, 0xa1010203, 4
        check   r31, 0, 5
        lis     r30, 0x5566
        ori     r30, r30, 0x7788
        stmw    r30, -4(r5)             # the second word goes nowhere
        lwz     r9, -4(r5)
        check   r9, 0x55667788, 6
        addi    r6, r5, -2
        lswi    r30, r6, 5              # 77 88 | 00 00 00
        check   r30, 0x77880000, 7
        check   r31, 0, 8
        puts    ok
        halt

ok:     .asciz  "STRADDLE OK\n"
