# SPDX-License-Identifier: MIT
# Accesses through little-endian (E=1) pages that cross from RAM into a device page and
# from a device page into RAM (softkvm's test device at 0xef700000: its first bytes read
# "SKVM", its last ones 0), and a big-endian one from the device into RAM: each page's bytes
# come from where that page maps, and the whole value takes the first page's byte order.
# Prints "ENDIAN STRADDLE OK" and halts; "BADn" names the first check that failed.
# expect-status: 0
# expect-output: ENDIAN STRADDLE OK
# reject-output: internal error|BAD
        .include "lib.inc"
        .text
        .globl _start

_start: map     20, 0xef600000, 0xef600000, 0x0703  # UART0: I G SW SR
        map     21, 0x60000000, 0x00300000, 0x0083  # RAM, E
        map     22, 0x60001000, 0xef700000, 0x0783  # device, E I G
        map     23, 0x61000000, 0xef700000, 0x0783  # device, E I G
        map     24, 0x61001000, 0x00300000, 0x0083  # RAM, E
        map     25, 0x62000000, 0xef700000, 0x0703  # device, I G
        map     26, 0x62001000, 0x00301000, 0x0003  # RAM
        lis     r6, 0x0030              # RAM at 0x300000, identity-mapped
        li      r3, 0xaa
        stb     r3, 0xffe(r6)
        li      r3, 0xbb
        stb     r3, 0xfff(r6)
        li      r3, 0xcc
        stb     r3, 0(r6)
        li      r3, 0xdd
        stb     r3, 1(r6)
        li      r3, 0xee
        stb     r3, 0x1000(r6)
        li      r3, 0xff
        stb     r3, 0x1001(r6)
        lis     r5, 0x6000              # RAM then device, little-endian: aa bb 'S' 'K'
        lwz     r9, 0xffe(r5)
        check   r9, 0x4b53bbaa, 1
        lhz     r9, 0xfff(r5)
        check   r9, 0x000053bb, 2
        lis     r5, 0x6100              # device then RAM, little-endian: 00 00 cc dd
        lwz     r9, 0xffe(r5)
        check   r9, 0xddcc0000, 3
        lis     r3, 0x1122
        ori     r3, r3, 0x3344
        stw     r3, 0xffe(r5)           # 44 33 to the device, 22 11 to RAM
        lhz     r9, 0(r6)
        check   r9, 0x00002211, 4
        lis     r5, 0x6200              # device then RAM, big-endian: 00 00 ee ff
        lwz     r9, 0xffe(r5)
        check   r9, 0x0000eeff, 5
        puts    ok
        halt

ok:     .asciz  "ENDIAN STRADDLE OK\n"
