#!/bin/bash
# SPDX-License-Identifier: MIT
# Boots the PowerPC 440 Linux guest in its two non-interactive test modes:
#   softkvm.test=reboot    the init prints the boot marker and runs reboot -f: with --no-reboot
#                          (QEMU: -no-reboot) the VMM must exit with status 0;
#   softkvm.test=poweroff  the init prints the marker and runs poweroff -f: the kernel writes
#                          the board's syscon-poweroff register and softkvm exits with status 0
#                          ("reboot: Power down", and never the "System Halted" spin that
#                          follows a power-off nothing carried out). QEMU's bamboo has no such
#                          register: there the kernel halts and spins, which QEMU 7.2 never
#                          leaves, so under --qemu the run is stopped at the message and only
#                          the console is checked.
# usage: test_boot_reboot.sh [--qemu]; a hang fails after SOFTKVM_TEST_TIMEOUT seconds (60).
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
limit=${SOFTKVM_TEST_TIMEOUT:-60}
log=$TMPDIR_TEST/console.log

run_guest "console=ttyS0 softkvm.test=reboot" "$log" "$limit"
echo "reboot mode: exit status $STATUS after $SECONDS_TAKEN s (limit $limit s)"
check "reboot mode: the kernel banner (Linux version 6.1) is on the console" has "$log" '^Linux version 6\.1|\] Linux version 6\.1'
check "reboot mode: the init printed the boot marker (SOFTKVM-BOOT-OK)" has "$log" '^SOFTKVM-BOOT-OK uptime=[0-9.]+$'
check "reboot mode: the kernel restarted (reboot: Restarting system)" has "$log" 'reboot: Restarting system'
check "reboot mode: the VMM exited with status 0 (got $STATUS)" [ "$STATUS" = 0 ]
check "reboot mode: no oops, BUG, panic, warning or illegal instruction on the console" lacks "$log" "$KERNEL_TROUBLE"
[ "$FAILED" -eq 0 ] || show_log "$log"
failed_before=$FAILED

if [ "$VMM" = qemu ]; then
	run_guest "console=ttyS0 softkvm.test=poweroff" "$log" "$limit" 'System Halted'
	echo "poweroff mode: $STATUS after $SECONDS_TAKEN s (QEMU 7.2 never exits on a 440 halt)"
	check "poweroff mode: the run reached the halt, not the timeout" [ "$STATUS" = stopped ]
	check "poweroff mode: the kernel halted (System Halted, OK to turn off power)" has "$log" 'System Halted'
else
	run_guest "console=ttyS0 softkvm.test=poweroff" "$log" "$limit"
	echo "poweroff mode: exit status $STATUS after $SECONDS_TAKEN s (limit $limit s)"
	check "poweroff mode: the VMM exited with status 0 (got $STATUS)" [ "$STATUS" = 0 ]
	check "poweroff mode: the kernel powered down (reboot: Power down)" has "$log" 'reboot: Power down'
	check "poweroff mode: through the power-off register, not the halt spin (no System Halted)" \
		lacks "$log" 'System Halted'
fi
check "poweroff mode: the init printed the boot marker" has "$log" '^SOFTKVM-BOOT-OK uptime=[0-9.]+$'
check "poweroff mode: no oops, BUG, panic, warning or illegal instruction on the console" lacks "$log" "$KERNEL_TROUBLE"
[ "$FAILED" -eq "$failed_before" ] || show_log "$log"
finish
