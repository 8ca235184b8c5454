#!/bin/sh
# SPDX-License-Identifier: MIT
# The 64-bit core is src/cpu compiled with -DCPU_WIDTH=64 (src/cpu/cpu_width.h). Its objects
# define the same names as the 440's, so every global symbol they define is renamed
# NAME -> cpu64_NAME, in them and in the objects that use them (built with -DCPU_WIDTH=64
# too): both cores then link into one program.
#   cpu64-syms.sh list SYMS OBJ...         the rename map of the core's objects
#   cpu64-syms.sh rename SYMS OUT IN       IN with the map applied, as OUT
#   cpu64-syms.sh archive SYMS LIB OBJ...  the core's objects renamed, as the archive LIB
set -e
NM=${NM:-nm}
OBJCOPY=${OBJCOPY:-objcopy}
cmd=$1
shift
case "$cmd" in
list)
	out=$1
	shift
	"$NM" -g --defined-only "$@" | awk 'NF == 3 && $3 !~ /^cpu64_/ { print $3, "cpu64_" $3 }' |
		sort -u >"$out.tmp"
	mv "$out.tmp" "$out"
	;;
rename)
	"$OBJCOPY" --redefine-syms="$1" "$3" "$2"
	;;
archive)
	syms=$1
	lib=$2
	shift 2
	dir="$lib.d"
	rm -rf "$dir" "$lib"
	mkdir -p "$dir"
	for o in "$@"; do
		"$OBJCOPY" --redefine-syms="$syms" "$o" "$dir/$(basename "$o")"
	done
	ar rcs "$lib" "$dir"/*.o
	;;
*)
	echo "usage: $0 list|rename|archive ..." >&2
	exit 2
	;;
esac
