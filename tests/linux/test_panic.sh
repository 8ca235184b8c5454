#!/bin/bash
# SPDX-License-Identifier: MIT
# A guest kernel panic ends softkvm with exit status 5 through the board's pvpanic device, the
# panic's whole report on the console and one "softkvm: guest kernel panic" line, never a
# hang, whatever the kernel does after it. Linux writes pvpanic before the end of its report;
# softkvm lets it finish (a reset, or the console quiet for 250 ms, at most 5 s):
#   panic=180 (the image's CONFIG_PANIC_TIMEOUT)  "Rebooting in 180 seconds.." then a long wait
#   panic=0                                       "---[ end Kernel panic ..." then spins forever
#   panic=-1                                      resets at once (a reset after the panic is
#                                                 the panic, with or without --no-reboot)
# The panic is the real one of a kernel without a root file system (no --initrd).
# usage: test_panic.sh (softkvm only; QEMU waits the panic timeout out)
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
if [ "$VMM" = qemu ]; then
	echo "SKIP: the panic exit status is softkvm's"
	exit 0
fi
limit=${SOFTKVM_TEST_TIMEOUT:-60}

for mode in "panic=180" "panic=0" "panic=-1" "panic=-1 reboot"; do
	log=$TMPDIR_TEST/console.log
	err=$TMPDIR_TEST/stderr.log
	set -- "$SOFTKVM" run --kernel "$GUESTS/vmlinux" --append "console=ttyS0 ${mode% reboot}" \
		--memory 256M --timeout "$limit"
	[ "${mode#* }" = reboot ] || set -- "$@" --no-reboot
	t0=$(date +%s.%N)
	"$@" </dev/null >"$log" 2>"$err"
	status=$?
	took=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	echo "$mode: exit status $status after $took s"
	check "$mode: exit status 5 (got $status)" [ "$status" = 5 ]
	check "$mode: the panic is on the console" has "$log" 'Kernel panic - not syncing: VFS: Unable to mount root fs'
	check "$mode: stderr is one line, softkvm: guest kernel panic" \
		[ "$(cat "$err")" = 'softkvm: guest kernel panic' ]
	case $mode in
	panic=180) check "$mode: the report ended (Rebooting in 180 seconds)" has "$log" 'Rebooting in 180 seconds' ;;
	panic=0) check "$mode: the report ended (---[ end Kernel panic)" has "$log" '\[ end Kernel panic' ;;
	esac
	check "$mode: within 10 s" awk -v t="$took" 'BEGIN { exit !(t < 10) }'
	[ "$status" = 5 ] || { show_log "$log"; cat "$err"; }
done
finish
