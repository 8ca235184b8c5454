#!/bin/sh
# SPDX-License-Identifier: MIT
# Checks that the 64-bit core's archive leaks no name of the 440's: every global symbol it
# defines starts with cpu64_, and none it uses is a core symbol left unrenamed (which would
# link the 64-bit core to the 440's code).
#   usage: scripts/check-cpu64-syms.sh [BUILD]   (default: build)
set -e
build=${1:-build}
lib="$build/libsoftkvm_cpu64.a"
syms="$build/cpu64/cpu64.syms"
[ -f "$lib" ] && [ -f "$syms" ] || { echo "FAIL: $lib or $syms missing (make first)"; exit 1; }
bad=$(nm -g --defined-only "$lib" | awk 'NF == 3 && $3 !~ /^cpu64_/ { print $3 }' | sort -u)
undef=$(nm -u "$lib" | awk '{ print $NF }' | sort -u)
leak=$(awk 'NR == FNR { core[$1] = 1; next } ($1 in core) { print $1 }' "$syms" - <<EOT
$undef
EOT
)
n=$(awk 'END { print NR }' "$syms")
if [ -n "$bad" ] || [ -n "$leak" ]; then
	[ -n "$bad" ] && printf 'FAIL: defined without the cpu64_ prefix: %s\n' $bad
	[ -n "$leak" ] && printf 'FAIL: uses the unrenamed core symbol: %s\n' $leak
	exit 1
fi
[ "$n" -gt 100 ] || { echo "FAIL: only $n renamed symbols: the map is not the core's"; exit 1; }
echo "cpu64 symbols: $n renamed, none leaks"
