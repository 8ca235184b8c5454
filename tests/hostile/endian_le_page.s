# SPDX-License-Identifier: MIT
# Little-endian (E=1) TLB pages over RAM, as a 440 has them (le_page.s of the probe stopped
# with "internal error: unsupported instruction for MMIO"): a load through the page reads
# the bytes reversed, a store writes them reversed, and code stored through the page runs.
# Prints "LE OK" and halts (status 0); "BADn" names the first check that failed.
# expect-status: 0
# expect-output: LE OK
# reject-output: internal error|BAD
        .include "lib.inc"
        .text
        .globl _start

_start: map     20, 0xef600000, 0xef600000, 0x0703  # UART0: I G SW SR
        map     21, 0x50000000, 0x00300000, 0x0087  # RAM, E SX SW SR
        lis     r5, 0x5000              # the little-endian alias
        lis     r6, 0x0030              # the same RAM, identity-mapped big-endian
        lis     r3, 0x1122
        ori     r3, r3, 0x3344
        stw     r3, 0(r6)
        lwz     r9, 0(r5)
        check   r9, 0x44332211, 1
        lhz     r9, 0(r5)
        check   r9, 0x00002211, 2
        lis     r3, 0xaabb
        ori     r3, r3, 0xccdd
        stw     r3, 4(r5)
        lwz     r9, 4(r6)
        check   r9, 0xddccbbaa, 3
        lwbrx   r9, 0, r5               # reversed twice: big-endian
        check   r9, 0x11223344, 4
        # code through the alias: li r3,0x4c45; blr stored as words, fetched little-endian
        lis     r3, 0x3860
        ori     r3, r3, 0x4c45
        stw     r3, 0x10(r5)
        lis     r3, 0x4e80
        ori     r3, r3, 0x0020
        stw     r3, 0x14(r5)
        addi    r4, r5, 0x10
        sync
        icbi    0, r4
        isync
        mtctr   r4
        li      r3, 0
        bctrl
        check   r3, 0x00004c45, 5
        puts    ok
        halt

ok:     .asciz  "LE OK\n"
