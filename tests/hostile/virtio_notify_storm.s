# SPDX-License-Identifier: MIT
# A storm of queue notifications: the guest kicks virtio-rng's queue 0 (QueueNotify at
# 0xef711050, little-endian 0: an ioeventfd in the hypervisor takes it, no exit to the VMM)
# in a tight loop, before the driver ever set the device up. The device thread ignores the
# kicks (no DRIVER_OK), the vcpu never exits to the VMM, and --timeout must still end the run
# at once; --stats shows the kicks as ioeventfd exits and the rng's notifications.
# args: --timeout 0.5 --stats
# expect-status: 4
# expect-output: ^softkvm: timeout after 0.5 s$
# expect-output: ^  ioeventfd +[0-9]{4,} 
# expect-output: virtio-rng +0xef711000 +0 requests +0 bytes +[0-9]+ notifications +0 interrupts
        .include "lib.inc"
        .text
        .globl _start
_start: lis     r3, 0xef71
        ori     r3, r3, 0x1050
        li      r4, 0
1:      stwbrx  r4, 0, r3
        addi    r12, r12, 1
        b       1b
