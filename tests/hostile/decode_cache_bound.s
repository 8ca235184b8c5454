# SPDX-License-Identifier: MIT
# Host memory for decoded code is bounded whatever the guest runs: this guest puts a blr at
# the start of every 4 KiB page from 2 MiB to the end of its 256 MiB of RAM and calls each
# one, so every page of RAM is executed once (about 24 KiB of decoded code each, 1.5 GiB
# unbounded). softkvm's peak RSS must stay within guest RAM + 64 MiB.
# args: --memory 256M --stats
# defsym: RAMEND=0x10000000
# expect-status: 0
# expect-output: ^done$
# expect-output: [0-9]+ evicted
# max-rss-over-ram: 64
        .set UART, 0xef600300
        .text
        .globl _start
_start: lis     r20, 0x0020
        lis     r21, RAMEND@h
        ori     r21, r21, RAMEND@l
        lis     r6, 0x4e80
        ori     r6, r6, 0x0020  # blr
1:      stw     r6, 0(r20)
        mtctr   r20
        bctrl
        addi    r20, r20, 4096
        cmplw   r20, r21
        blt     1b
        lis     r9, UART@h
        ori     r9, r9, UART@l
        li      r3, 'd'
        stb     r3, 0(r9)
        li      r3, 'o'
        stb     r3, 0(r9)
        li      r3, 'n'
        stb     r3, 0(r9)
        li      r3, 'e'
        stb     r3, 0(r9)
        li      r3, '\n'
        stb     r3, 0(r9)
        lis     r3, 0x3000      # DBCR0[RST]: reset, which --no-reboot turns into exit 0
        mtspr   308, r3
        b       .
