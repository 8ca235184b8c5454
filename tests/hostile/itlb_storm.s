# SPDX-License-Identifier: MIT
# An exception storm the core must still answer kicks in: IVPR points at unmapped memory
# (IVORs are 0) and an illegal word follows, so the program interrupt's vector misses in the
# ITLB, and so does the ITLB-miss vector, forever. --timeout ends it with --stats printed.
# args: --timeout 0.3 --stats
# expect-status: 4
# expect-output: timeout
# expect-output: ^  total +[0-9]+
        .text
        .globl _start
_start: lis     r3, 0x6000
        mtspr   63, r3          # IVPR = 0x60000000: nothing maps it
        isync
        .long   0               # illegal instruction: program interrupt -> ITLB miss
