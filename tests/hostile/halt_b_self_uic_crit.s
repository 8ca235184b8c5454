# SPDX-License-Identifier: MIT
# A branch to itself with MSR[CE] set while UIC0 routes an enabled source (input 0, the
# UART) to the critical input: a device could still wake the vcpu, so softkvm must keep it
# running (as a 440 would) until --timeout.
# args: --timeout 0.5
# expect-status: 4
# expect-output: timeout
# reject-output: halted
        .text
        .globl _start
_start: lis     r3, 0x8000      # UIC input 0 (IBM bit 0)
        mtdcr   0xc3, r3        # UIC0_CR: input 0 is critical
        mtdcr   0xc2, r3        # UIC0_ER: input 0 enabled
        lis     r3, 0x0002      # MSR[CE]
        mtmsr   r3
        b       .
