# SPDX-License-Identifier: MIT
# The host side's guest (tests/linux/test_host_fds.sh, test_signals.py): prints one line on
# UART0, then spins without ever halting, so only --timeout, a signal or Ctrl-A x ends it.
# The line is 8 bytes on purpose, as in ../shared/reliability/fd1_eventfd.s: when softkvm
# let its eventfds take a closed stdout's number, this write landed whole in the watchdog's
# stop eventfd, and neither --timeout nor SIGTERM could end the run any more.
# args: --timeout 0.3
# expect-status: 4
# expect-output: ^SPIN-OK$
# expect-output: ^softkvm: timeout after 0.3 s$
        .set    UART, 0xef600300
        .text
        .globl _start
_start: lis     r9, UART@h
        ori     r9, r9, UART@l
        lis     r11, msg@h
        ori     r11, r11, msg@l
1:      lbz     r3, 0(r11)
        cmpwi   r3, 0
        beq     3f
2:      lbz     r10, 5(r9)      # LSR: wait for THRE
        andi.   r10, r10, 0x20
        beq     2b
        stb     r3, 0(r9)
        addi    r11, r11, 1
        b       1b
3:      addi    r12, r12, 1     # busy, not halted: a bare `b .` would be a halt (exit 0)
        b       3b
        .section .rodata
msg:    .asciz  "SPIN-OK\n"
