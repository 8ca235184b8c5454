#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh [--qemu] ELF...: run test guests under softkvm (default) or QEMU's bamboo machine,
# print their output and a total "N passed, N failed".  A guest that times out, crashes or
# prints no SUMMARY line counts as one failure.  Under --qemu, a FAIL whose check is marked
# "QEMU-BUG: <name>: ..." in the test's source is counted as excused, not failed, and a test
# whose source says "SOFTKVM-ONLY: <reason>" is not run.
# Exit status: 0 if nothing failed.
set -u
. "$(dirname "$0")/lib/runlib.sh"

mode=softkvm
if [ "${1:-}" = --qemu ]; then
	mode=qemu
	shift
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 [--qemu] ELF..." >&2
	exit 2
fi

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
total_pass=0 total_fail=0 total_skip=0 total_excused=0

for elf in "$@"; do
	if [ $mode = qemu ] && [ -n "$(softkvm_only "$elf")" ]; then
		echo "=== $(basename "$elf") ($mode): not run, softkvm only: $(softkvm_only "$elf")"
		continue
	fi
	echo "=== $(basename "$elf") ($mode)"
	guest_run "$mode" "$elf" "$tmp"
	rc=$?
	cat "$tmp"
	read -r p f s <<<"$(summary "$tmp")"
	if [ -z "${p:-}" ]; then
		if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then why="timed out after ${GUEST_TIMEOUT}s"
		else why="exit status $rc"; fi
		echo "FAIL: $(basename "$elf" .elf): no SUMMARY line ($why)"
		p=$(results "$tmp" | grep -c '^PASS')
		f=$(( $(results "$tmp" | grep -c '^FAIL') + 1 ))
		s=$(results "$tmp" | grep -c '^SKIP')
	fi
	if [ $mode = qemu ]; then
		bugs=$(qemu_bugs "$elf")
		while IFS=$'\t' read -r kind name; do
			[ "$kind" = FAIL ] || continue
			if [ -n "$bugs" ] && is_qemu_bug "$name" "$bugs"; then
				echo "EXCUSED (QEMU-BUG): $name"
				f=$((f - 1))
				total_excused=$((total_excused + 1))
			fi
		done < <(results "$tmp")
	fi
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
	unset p f s
done

extra=""
[ $total_skip -gt 0 ] && extra+=", $total_skip skipped"
[ $total_excused -gt 0 ] && extra+=", $total_excused excused as QEMU bugs"
echo "$total_pass passed, $total_fail failed$extra"
[ $total_fail -eq 0 ]
