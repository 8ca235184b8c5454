#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each 64-bit test program on the Book3S PR hypervisor with the bare-metal runner:
# a program passes when it reports at least one "ok", no "not ok", and exits 0. smp*.bin
# run on two vcpus (runner --smp 2), each on its own host thread.
#   usage: RUNNER=build/tests/guest64/runner tests/guest64/run.sh build/guest64/*.bin
RUNNER=${RUNNER:-build/tests/guest64/runner}
status=0
for bin in "$@"; do
	case $(basename "$bin") in
	smp*) smp="--smp 2" ;;
	*) smp= ;;
	esac
	out=$(timeout 60 "$RUNNER" $smp "$bin" 2>&1)
	rc=$?
	echo "$out" | sed 's/^/    /'
	if [ $rc -ne 0 ] || echo "$out" | grep -q '^not ok' || ! echo "$out" | grep -q '^ok'; then
		echo "FAIL: $bin (exit $rc)"
		status=1
	else
		echo "PASS: $bin"
	fi
done
exit $status
