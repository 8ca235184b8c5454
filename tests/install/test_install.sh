#!/bin/bash
# SPDX-License-Identifier: MIT
# libsoftkvm as a program embeds it: `make install` into a fresh PREFIX, then examples/hello.c
# built with pkg-config against that installed copy only -- once with the shared library,
# once with the static one -- and run; its output must be the guest's "4", then its halt.
# Also: the shared library's soname, its symlinks, and that every symbol it exports is skvm_*.
# usage: tests/install/test_install.sh   (from anywhere; builds what it needs)
set -u
cd "$(dirname "$0")/../.."
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
pass() { echo "PASS: $*"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix="$tmp/prefix"
if ! make -j2 install PREFIX="$prefix" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	echo "FAIL: make install PREFIX=$prefix"
	exit 1
fi
lib="$prefix/lib"

for f in include/softkvm/skvm.h include/softkvm/ppc.h lib/libsoftkvm.a lib/pkgconfig/softkvm.pc; do
	[ -f "$prefix/$f" ] || fail "installed $f"
done
[ "$(readlink "$lib/libsoftkvm.so")" = libsoftkvm.so.0 ] &&
	[ "$(readlink "$lib/libsoftkvm.so.0")" = libsoftkvm.so.0.1.0 ] &&
	[ -f "$lib/libsoftkvm.so.0.1.0" ] &&
	pass "libsoftkvm.so -> libsoftkvm.so.0 -> libsoftkvm.so.0.1.0" ||
	fail "shared library symlinks: $(ls -l "$lib" | tr '\n' ' ')"
soname=$(readelf -d "$lib/libsoftkvm.so.0.1.0" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
[ "$soname" = libsoftkvm.so.0 ] && pass "soname libsoftkvm.so.0" || fail "soname is '$soname'"

# Every defined dynamic symbol is the API; nothing of the core or the hypervisor leaks.
exported=$(nm -D --defined-only "$lib/libsoftkvm.so.0.1.0" | awk '{print $3}')
others=$(echo "$exported" | grep -v '^skvm_')
count=$(echo "$exported" | grep -c '^skvm_')
if [ -z "$others" ] && [ "$count" -ge 20 ]; then
	pass "exports only skvm_* ($count symbols)"
else
	fail "exports other symbols than skvm_* ($count skvm_*): $others"
fi
# ... and every function the header declares is among them.
declared=$(sed -n 's/.*\b\(skvm_[a-z0-9_]*\)(.*/\1/p' include/softkvm/skvm.h | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported" | sort -u))
[ -z "$missing" ] && pass "every declared skvm_* function is exported" ||
	fail "declared but not exported: $missing"

export PKG_CONFIG_PATH="$lib/pkgconfig"
cc=${CC:-cc}
expect=$'4\nhalted at 0x101c'
# shared: the installed library found at run time through its rpath
if $cc -std=gnu11 -Wall -Wextra -Werror examples/hello.c $(pkg-config --cflags --libs softkvm) \
	-Wl,-rpath,"$lib" -o "$tmp/hello" 2>"$tmp/cc.log"; then
	needed=$(readelf -d "$tmp/hello" | grep -c 'Shared library: \[libsoftkvm.so.0\]')
	out=$(timeout 10 "$tmp/hello" 2>&1)
	status=$?
	[ "$needed" = 1 ] && [ "$status" = 0 ] && [ "$out" = "$expect" ] &&
		pass "hello (shared): $(echo $out)" ||
		fail "hello (shared): status $status, NEEDED libsoftkvm.so.0 x$needed, output: $out"
else
	cat "$tmp/cc.log"
	fail "building hello against the shared library"
fi
# static: the archive, with the libraries pkg-config --static adds
if $cc -std=gnu11 -Wall -Wextra -Werror examples/hello.c $(pkg-config --cflags softkvm) \
	-L"$lib" -Wl,-Bstatic -lsoftkvm -Wl,-Bdynamic $(pkg-config --static --libs-only-l softkvm |
	sed 's/-lsoftkvm//') -o "$tmp/hello-static" 2>"$tmp/cc.log"; then
	needed=$(readelf -d "$tmp/hello-static" | grep -c 'libsoftkvm')
	out=$(timeout 10 "$tmp/hello-static" 2>&1)
	status=$?
	[ "$needed" = 0 ] && [ "$status" = 0 ] && [ "$out" = "$expect" ] &&
		pass "hello (static): $(echo $out)" ||
		fail "hello (static): status $status, libsoftkvm NEEDED x$needed, output: $out"
else
	cat "$tmp/cc.log"
	fail "building hello against the static library"
fi

echo "$fails failure(s)"
[ "$fails" -eq 0 ]
