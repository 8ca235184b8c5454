#!/bin/sh
# SPDX-License-Identifier: MIT
# check-spdx.sh: every source file git knows of (C, assembly, linker scripts, shell, Python,
# Makefiles) says its licence in an SPDX line among its first three lines, as LICENSE.
# Prints the files that do not; exit status 1 if any.
cd "$(dirname "$0")/.." || exit 1
missing=$(git ls-files -- '*.c' '*.h' '*.s' '*.S' '*.inc' '*.ld' '*.sh' '*.py' \
	'Makefile' '*/Makefile' .ci/run guest/init |
	while read -r f; do
		[ -f "$f" ] || continue
		head -n 3 "$f" | grep -q 'SPDX-License-Identifier: MIT' || echo "$f"
	done)
[ -z "$missing" ] && exit 0
echo "no SPDX-License-Identifier line in:"
echo "$missing" | sed 's/^/  /'
exit 1
