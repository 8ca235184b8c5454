# SPDX-License-Identifier: MIT
# Writing PVPANIC_PANICKED (1) to the pvpanic register (0xef702000) is a guest kernel panic:
# status 5 once the guest's console has been quiet for 250 ms. The guest spins with MSR[EE]
# set afterwards (no halt), so only the device can have ended the run.
# expect-status: 5
# expect-output: guest kernel panic
        .text
        .globl _start
_start: lis     r3, 0xef70
        ori     r3, r3, 0x2000
        lbz     r5, 0(r3)       # the supported events (3): Linux reads them first
        cmpwi   r5, 3
        bne     bad
        wrteei  1
        li      r4, 1
        stb     r4, 0(r3)
        b       .
bad:    wrteei  1               # a wrong read: spin until --timeout (never 5)
        b       bad
