# SPDX-License-Identifier: MIT
# A branch to itself with MSR[EE] set and the decrementer armed (auto-reload, its handler
# acknowledges and returns): the guest takes an interrupt every 1 ms, so it is not halted;
# softkvm runs it until --timeout.
# args: --timeout 0.5
# expect-status: 4
# expect-output: timeout
# reject-output: halted
        .text
        .globl _start
_start: lis     r3, 0x0010
        mtspr   63, r3          # IVPR = 0x00100000
        li      r3, dec_handler - _start
        mtspr   410, r3         # IVOR10 (decrementer)
        lis     r3, 6
        ori     r3, r3, 0x1a80  # 400,000 ticks = 1 ms
        mtspr   54, r3          # DECAR
        mtspr   22, r3          # DEC
        lis     r3, 0x0440      # TCR[DIE] | TCR[ARE]
        mtspr   340, r3
        wrteei  1
        b       .

        .balign 16
dec_handler:
        lis     r4, 0x0800      # TSR[DIS]: acknowledge
        mtspr   336, r4
        addi    r5, r5, 1
        rfi
