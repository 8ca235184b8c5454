#!/bin/bash
# SPDX-License-Identifier: MIT
# diff-qemu.sh [ELF...]: run every test guest (default: build/guest/*.elf) under softkvm and
# under QEMU and compare the PASS/FAIL/SKIP result of each check by name.  A check that passes
# under softkvm and fails under QEMU is excused when the test's source marks it
# "QEMU-BUG: <name>: ..."; every other difference is listed. Tests marked "SOFTKVM-ONLY: ..."
# (softkvm's own devices) are skipped.  Exit status: 0 if none.
set -u
. "$(dirname "$0")/lib/runlib.sh"

if [ $# -eq 0 ]; then
	set -- "$REPO_DIR"/build/guest/*.elf
fi

tmpdir=$(mktemp -d)
trap 'rm -rf "$tmpdir"' EXIT
disagree=0 excused=0 checks=0

for elf in "$@"; do
	name=$(basename "$elf" .elf)
	if [ -n "$(softkvm_only "$elf")" ]; then
		echo "$name: left out (SOFTKVM-ONLY: $(softkvm_only "$elf"))"
		continue
	fi
	guest_run softkvm "$elf" "$tmpdir/softkvm.out"
	guest_run qemu "$elf" "$tmpdir/qemu.out"
	bugs=$(qemu_bugs "$elf")
	for m in softkvm qemu; do
		if [ -z "$(summary "$tmpdir/$m.out")" ]; then
			echo "$name: no SUMMARY line under $m"
			disagree=$((disagree + 1))
		fi
		results "$tmpdir/$m.out" | awk -F'\t' '!seen[$2]++' >"$tmpdir/$m.res"
	done
	# name <TAB> softkvm result <TAB> qemu result ("-" when the check did not run)
	while IFS=$'\t' read -r check sk qe; do
		checks=$((checks + 1))
		[ "$sk" = "$qe" ] && continue
		if [ "$sk" = PASS ] && [ "$qe" = FAIL ] && [ -n "$bugs" ] && is_qemu_bug "$check" "$bugs"; then
			excused=$((excused + 1))
			continue
		fi
		echo "$name: $check: softkvm $sk, qemu $qe"
		disagree=$((disagree + 1))
	done < <(awk -F'\t' '
		FILENAME ~ /softkvm/ { sk[$2] = $1; if (!($2 in order)) { order[$2] = n++ } }
		FILENAME ~ /qemu/    { qe[$2] = $1; if (!($2 in order)) { order[$2] = n++ } }
		END { for (c in order) key[order[c]] = c
		      for (i = 0; i < n; i++) { c = key[i]
			printf "%s\t%s\t%s\n", c, (c in sk) ? sk[c] : "-", (c in qe) ? qe[c] : "-" } }' \
		"$tmpdir/softkvm.res" "$tmpdir/qemu.res")
done

echo "$checks checks compared, $disagree disagreements, $excused excused as QEMU bugs"
[ $disagree -eq 0 ]
