#!/bin/bash
# A guest kernel panic ends softkvm with exit status 5, the panic text on the console and one
# "softkvm: guest kernel panic: ..." line, never a hang, whatever the kernel does after it:
#   panic=180 (the image's CONFIG_PANIC_TIMEOUT)  "Rebooting in 180 seconds.." then a long wait
#   panic=0                                       "---[ end Kernel panic ..." then spins forever
#   panic=-1                                      resets at once (a reset while the panic is
#                                                 pending is the panic, with or without --no-reboot)
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
	check "$mode: one line on stderr names it" \
		grep -qx 'softkvm: guest kernel panic: VFS: Unable to mount root fs on unknown-block(0,0)' "$err"
	check "$mode: within 10 s" awk -v t="$took" 'BEGIN { exit !(t < 10) }'
	[ "$status" = 5 ] || { show_log "$log"; cat "$err"; }
done
finish
