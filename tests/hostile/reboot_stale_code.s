# SPDX-License-Identifier: MIT
# Decoded code must not survive a reset. Boot 1 runs f (li r3,1), patches it to li r3,2
# with a guest store, runs it again and resets the board; softkvm reloads the ELF, so f is
# li r3,1 in RAM again, and boot 2 must run that, not the decoded li r3,2 (printing B2:1).
# A boot counter in RAM outside the ELF tells the boots apart.
# reboot: yes
# args: --timeout 10
# expect-status: 0
# expect-output: B1:1 B1:2
# expect-output: B2:1$
# reject-output: B2:2
        .set UART, 0xef600300
        .set BOOTCNT, 0x00400000
        .set TESTDEV, 0xef700000
        .text
        .globl _start
_start: lis     r1, 0x00f0
        lis     r9, UART@h
        ori     r9, r9, UART@l
        lis     r20, BOOTCNT@h
        lwz     r21, 0(r20)
        addi    r21, r21, 1
        stw     r21, 0(r20)
        cmpwi   r21, 1
        beq     1f
        li      r3, '\n'        # boot 2 starts on a line of its own
        bl      putc
1:      li      r3, 'B'
        bl      putc
        addi    r3, r21, '0'
        bl      putc
        li      r3, ':'
        bl      putc
        bl      f
        addi    r3, r3, '0'
        bl      putc
        cmpwi   r21, 1
        bne     done
        li      r3, ' '
        bl      putc
        lis     r5, f@h
        ori     r5, r5, f@l
        lis     r6, 0x3860
        ori     r6, r6, 2       # li r3,2
        stw     r6, 0(r5)
        li      r3, 'B'
        bl      putc
        li      r3, '1'
        bl      putc
        li      r3, ':'
        bl      putc
        bl      f
        addi    r3, r3, '0'
        bl      putc
        lis     r3, 0x3000      # DBCR0[RST] = 0b11: system reset
        mtspr   308, r3
        b       .
done:   li      r3, '\n'
        bl      putc
        b       .               # halted for good (nothing can interrupt): exit 0

putc:   lbz     r10, 5(r9)
        andi.   r10, r10, 0x20
        beq     putc
        stb     r3, 0(r9)
        blr

f:      li      r3, 1
        blr
