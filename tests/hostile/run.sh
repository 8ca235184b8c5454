#!/bin/bash
# SPDX-License-Identifier: MIT
# run.sh ELF...: run hostile guests under softkvm ($SOFTKVM, default build/softkvm) and check
# each ends as its source says.  The source (tests/hostile/<name>.s) carries the expectation
# in comment lines:
#   # args: OPTIONS            extra `softkvm run` options (default: none)
#   # reboot: yes              let the guest reboot (otherwise it runs with --no-reboot)
#   # expect-status: N         the exit status softkvm must end with
#   # expect-output: REGEX     an extended regex that stdout+stderr must match (repeatable)
#   # reject-output: REGEX     one it must not match (repeatable)
#   # max-rss-over-ram: MIB    softkvm's peak RSS may exceed --memory by at most MIB
#                              (not checked when HOSTILE_NO_RSS=1: sanitizer builds)
# Every guest runs with a 30 s outer timeout; a run that needs it fails.
# Prints "PASS/FAIL: name" lines and "N passed, N failed"; exit status 0 if nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${SOFTKVM:=$here/../../build/softkvm}"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
pass=0 fail=0

for elf in "$@"; do
	name=$(basename "$elf" .elf)
	src=$here/$name.s
	if [ ! -f "$src" ]; then
		echo "FAIL: $name: no source $src"; fail=$((fail + 1)); continue
	fi
	args=$(sed -n 's/^# args: *//p' "$src")
	grep -q '^# reboot: yes' "$src" || args="--no-reboot $args"
	want=$(sed -n 's/^# expect-status: *//p' "$src")
	# shellcheck disable=SC2086  # args are words on purpose
	python3 "$here/maxrss.py" "$tmp.rss" timeout -k 2 30 "$SOFTKVM" run --kernel "$elf" $args \
		</dev/null >"$tmp" 2>&1
	got=$?
	rss_kib=$(cat "$tmp.rss" 2>/dev/null)
	rm -f "$tmp.rss"
	why=""
	[ -n "$want" ] || why="no expect-status line in its source"
	[ -z "$why" ] && [ "$got" != "$want" ] && why="exit status $got, expected $want"
	while IFS= read -r re; do
		[ -z "$why" ] && ! grep -Eq -- "$re" "$tmp" && why="output does not match /$re/"
	done < <(sed -n 's/^# expect-output: *//p' "$src")
	while IFS= read -r re; do
		[ -z "$why" ] && grep -Eq -- "$re" "$tmp" && why="output matches /$re/"
	done < <(sed -n 's/^# reject-output: *//p' "$src")
	over=$(sed -n 's/^# max-rss-over-ram: *//p' "$src")
	if [ -z "$why" ] && [ -n "$over" ] && [ "${HOSTILE_NO_RSS:-0}" != 1 ]; then
		ram_mib=$(grep -Eo -- '--memory [0-9]+M' <<<"$args" | grep -Eo '[0-9]+')
		ram_mib=${ram_mib:-256}
		echo "$name: peak RSS $((rss_kib / 1024)) MiB with $ram_mib MiB of guest RAM"
		[ $((rss_kib / 1024)) -le $((ram_mib + over)) ] ||
			why="peak RSS $((rss_kib / 1024)) MiB > $ram_mib MiB RAM + $over MiB"
	fi
	if [ -z "$why" ]; then
		echo "PASS: $name"; pass=$((pass + 1))
	else
		echo "FAIL: $name: $why"; sed 's/^/    | /' "$tmp" | head -20; fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
