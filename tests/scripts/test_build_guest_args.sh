#!/bin/bash
# SPDX-License-Identifier: MIT
# scripts/build-guest.sh's command line, without building anything (the build itself takes
# 15-30 minutes and belongs to no test run): --help shows the usage line and both guests, and a
# bad command line ends with status 2 and one message before anything is installed or created.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SCRIPT=$ROOT/scripts/build-guest.sh
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
PASSED=0
FAILED=0

ok() { PASSED=$((PASSED + 1)); echo "ok: $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $1"; }

"$SCRIPT" --help >"$T/out" 2>"$T/err"
status=$?
if [ $status = 0 ] && [ ! -s "$T/err" ] &&
	head -n1 "$T/out" | grep -q '^build-guest.sh \[--arch ppc440|ppc64le\]' &&
	grep -q -- '--arch ppc64le  the POWER8' "$T/out" && ! grep -q SPDX "$T/out"; then
	ok "--help: status 0, the usage line first, both guests described"
else
	fail "--help: status $status, output:"
	head -n3 "$T/out" "$T/err"
fi

# bad NAME EXPECTED-MESSAGE ARGS...: status 2, the message on stderr, nothing on stdout, and
# no OUTDIR ($T/outdir, when the arguments name it) created.
bad() {
	local name=$1 message=$2
	shift 2
	"$SCRIPT" "$@" >"$T/out" 2>"$T/err"
	local status=$?
	if [ $status = 2 ] && [ ! -s "$T/out" ] && grep -q -- "$message" "$T/err" &&
		grep -q '^usage: build-guest.sh ' "$T/err" && [ ! -e "$T/outdir" ]; then
		ok "$name: status 2, \"$message\" and the usage line"
	else
		fail "$name: status $status (want 2), stderr:"
		cat "$T/err"
		ls -d "$T/outdir" 2>/dev/null
	fi
}

bad "unknown --arch" "unknown --arch sparc (ppc440 or ppc64le)" --arch sparc "$T/outdir"
bad "--arch without a value" "usage:" --arch
bad "unknown option" "unknown option --frobnicate" --frobnicate "$T/outdir"
bad "no OUTDIR" "usage:" --arch ppc64le
bad "two OUTDIRs" "usage:" --arch ppc64le "$T/outdir" "$T/other"
bad "--jobs without a value" "usage:" "$T/outdir" --jobs
bad "--jobs 0" "--jobs wants a count, not '0'" --jobs 0 "$T/outdir"

echo "passed: $PASSED, failed: $FAILED"
[ $FAILED = 0 ]
