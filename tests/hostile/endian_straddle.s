# SPDX-License-Identifier: MIT
# Accesses through little-endian (E=1) pages that cross from RAM into a device page and
# from a device page into RAM (softkvm's test device at 0xef700000: its first bytes read
# "SKVM", its last ones 0), and a big-endian one from the device into RAM: each page's bytes
# come from where that page maps, and the whole value takes the first page's byte order.
# Prints "ENDIAN STRADDLE OK" and resets; "BADn" names the first check that failed.
# expect-status: 0
# expect-output: ENDIAN STRADDLE OK
# reject-output: internal error|BAD
        .text
        .globl _start
        .macro  map idx, epn, rpn, attr
        lis     r3, \epn@h
        ori     r3, r3, (\epn & 0xffff) + 0x0210 # V, SIZE 4K
        li      r4, \idx
        tlbwe   r3, r4, 0
        lis     r3, \rpn@h
        ori     r3, r3, \rpn@l
        tlbwe   r3, r4, 1
        li      r3, \attr
        tlbwe   r3, r4, 2
        isync
        .endm
        .macro  check reg, val, n
        lis     r7, \val@h
        ori     r7, r7, \val@l
        li      r8, \n
        cmpw    \reg, r7
        bne     bad
        .endm

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
        lis     r8, ok@h
        ori     r8, r8, ok@l
        b       print

bad:    lis     r9, 0xef60
        ori     r9, r9, 0x0300
        addi    r8, r8, '0'
        li      r10, 'B'
        stb     r10, 0(r9)
        li      r10, 'A'
        stb     r10, 0(r9)
        li      r10, 'D'
        stb     r10, 0(r9)
        stb     r8, 0(r9)
        li      r10, '\n'
        stb     r10, 0(r9)
        b       reset

print:  lis     r9, 0xef60
        ori     r9, r9, 0x0300
1:      lbz     r10, 0(r8)
        cmpwi   r10, 0
        beq     reset
        stb     r10, 0(r9)
        addi    r8, r8, 1
        b       1b

reset:  lis     r3, 0x3000
        mtspr   308, r3                 # DBCR0[RST]: system reset
        isync
1:      b       1b

ok:     .asciz  "ENDIAN STRADDLE OK\n"
