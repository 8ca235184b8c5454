#!/bin/bash
# SPDX-License-Identifier: MIT
# Boots the guest in its bench mode (softkvm.test=bench): /bin/cpubench, 300 fork+exec of
# /bin/true, md5sum of 16 MiB of zeros, then reboot. Checks that cpubench's checksum equals the
# one printed by the same source (the image folder's cpubench.c) compiled natively with gcc, that
# md5sum gets the right digest, that every workload reported and that the VMM exited with 0.
# usage: test_cpubench.sh [--qemu]; a hang fails after SOFTKVM_BENCH_TIMEOUT seconds (90).
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
limit=${SOFTKVM_BENCH_TIMEOUT:-90}
log=$TMPDIR_TEST/console.log
zeros_md5=2c7ab85a893283e98c931e9511add182 # md5 of 16 MiB of zero bytes

if [ ! -f "$GUESTS/cpubench.c" ]; then
	echo "FAIL: $GUESTS/cpubench.c is missing: nothing to compare the guest's checksum with"
	exit 1
fi
gcc -O2 -o "$TMPDIR_TEST/cpubench" "$GUESTS/cpubench.c" || { echo "FAIL: gcc cpubench.c"; exit 1; }
native=$("$TMPDIR_TEST/cpubench" | sed -n 's/^CPUBENCH checksum=\([0-9a-f]*\) .*/\1/p')
echo "native (host gcc -O2): CPUBENCH checksum=$native"
[ -n "$native" ] || { echo "FAIL: the native cpubench printed no checksum"; exit 1; }

run_guest "console=ttyS0 softkvm.test=bench" "$log" "$limit"
echo "bench mode: exit status $STATUS after $SECONDS_TAKEN s (limit $limit s)"
tr -d '\r' <"$log" | grep -aE '^(CPUBENCH|BENCH|[0-9a-f]{32} )' | sed 's/^/guest: /'
guest=$(tr -d '\r' <"$log" | sed -n 's/^CPUBENCH checksum=\([0-9a-f]*\) .*/\1/p' | head -n1)

check "the init printed the boot marker" has "$log" '^SOFTKVM-BOOT-OK uptime='
check "cpubench ran in the guest and printed a checksum" [ -n "$guest" ]
check "the guest's cpubench checksum ${guest:-(none)} equals the native one $native" [ "$guest" = "$native" ]
check "300 fork+exec of /bin/true completed" has "$log" '^BENCH forkexec 300 runs [0-9.]+ -> [0-9.]+ s'
check "md5sum of 16 MiB of zeros is $zeros_md5" has "$log" "^$zeros_md5  -\$"
check "the md5sum workload reported its time" has "$log" '^BENCH md5sum 16MiB [0-9.]+ -> [0-9.]+ s'
check "the init finished the bench (SOFTKVM-BENCH-DONE)" has "$log" '^SOFTKVM-BENCH-DONE$'
check "the VMM exited with status 0 after the guest's reboot (got $STATUS)" [ "$STATUS" = 0 ]
check "no oops, BUG, panic, warning or illegal instruction on the console" lacks "$log" "$KERNEL_TROUBLE"
[ "$FAILED" -eq 0 ] || show_log "$log"
finish
