#!/bin/bash
# run.sh ELF...: run hostile guests under softkvm ($SOFTKVM, default build/softkvm) and check
# each ends as its source says.  The source (tests/hostile/<name>.s) carries the expectation
# in comment lines:
#   # args: OPTIONS            the `softkvm run` options besides --kernel (default: --no-reboot)
#   # expect-status: N         the exit status softkvm must end with
#   # expect-output: REGEX     an extended regex that stdout+stderr must match (repeatable)
#   # reject-output: REGEX     one it must not match (repeatable)
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
	args=--no-reboot
	grep -q '^# args:' "$src" && args=$(sed -n 's/^# args: *//p' "$src")
	want=$(sed -n 's/^# expect-status: *//p' "$src")
	# shellcheck disable=SC2086  # args are words on purpose
	timeout -k 2 30 "$SOFTKVM" run --kernel "$elf" $args </dev/null >"$tmp" 2>&1
	got=$?
	why=""
	[ -n "$want" ] || why="no expect-status line in its source"
	[ -z "$why" ] && [ "$got" != "$want" ] && why="exit status $got, expected $want"
	while IFS= read -r re; do
		[ -z "$why" ] && ! grep -Eq -- "$re" "$tmp" && why="output does not match /$re/"
	done < <(sed -n 's/^# expect-output: *//p' "$src")
	while IFS= read -r re; do
		[ -z "$why" ] && grep -Eq -- "$re" "$tmp" && why="output matches /$re/"
	done < <(sed -n 's/^# reject-output: *//p' "$src")
	if [ -z "$why" ]; then
		echo "PASS: $name"; pass=$((pass + 1))
	else
		echo "FAIL: $name: $why"; sed 's/^/    | /' "$tmp" | head -20; fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
