# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# shellcheck disable=SC2034 # STATUS, SECONDS_TAKEN, KERNEL_TROUBLE, ... are for the tests
# Sourced by tests/linux/test_*.sh (bash). The same conventions as guestlib.py, for shell tests:
#   - guest images: $SOFTKVM_GUESTS, else ../shared/guests/ppc440, else build/guests/ppc440
#     (find_guest_dir ppc64le: $SOFTKVM_GUESTS64, ../shared/guests/ppc64le, build/guests/ppc64le)
#     (scripts/build-guest.sh); none: the test cannot run, so it fails (a FAIL line saying
#     what is missing, exit 1) rather than pass without having run;
#   - VMM: softkvm ($SOFTKVM, default build/softkvm), or QEMU's bamboo machine with --qemu or
#     SOFTKVM_VMM=qemu; both boot the same vmlinux + rootfs.cpio.gz with 256 MiB and no reboot;
#   - one "ok: ..." or "FAIL: ..." line per check; finish() prints the count and exits.
# A test that boots no Linux guest (only bare-metal ELFs) sets NEED_GUESTS=0 before sourcing
# this: no guest images are looked for, and it runs softkvm only.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VMM=${SOFTKVM_VMM:-softkvm}
SOFTKVM=${SOFTKVM:-$ROOT/build/softkvm}
PASSED=0
FAILED=0
TMPDIR_TEST=$(mktemp -d)
trap 'rm -rf "$TMPDIR_TEST"' EXIT

for arg in "$@"; do
	case "$arg" in
	--qemu) VMM=qemu ;;
	-h | --help)
		echo "usage: $0 [--qemu]   (env: SOFTKVM, SOFTKVM_VMM=qemu, SOFTKVM_GUESTS)"
		exit 0
		;;
	*) echo "$0: unknown argument $arg" >&2; exit 2 ;;
	esac
done

# find_guest_dir ARCH (ppc440 or ppc64le): GUEST_DIR := the folder holding ARCH's vmlinux and
# rootfs.cpio.gz, looked for where guestlib.guest_dirs looks; none: a FAIL line and exit 1.
find_guest_dir() {
	local arch=$1 var=SOFTKVM_GUESTS flag="" d
	[ "$arch" = ppc64le ] && var=SOFTKVM_GUESTS64 flag="--arch ppc64le "
	if [ -n "${!var:-}" ]; then set -- "${!var}"
	else set -- "$ROOT/../shared/guests/$arch" "$ROOT/build/guests/$arch"; fi
	for d in "$@"; do
		if [ -f "$d/vmlinux" ] && [ -f "$d/rootfs.cpio.gz" ]; then
			GUEST_DIR=$(cd "$d" && pwd)
			return 0
		fi
	done
	echo "FAIL: no $arch guest images: vmlinux and rootfs.cpio.gz are in none of $*" \
		"(scripts/build-guest.sh ${flag}build/guests/$arch builds them; $var names" \
		"another folder)"
	exit 1
}

find_guests() {
	find_guest_dir ppc440
	GUESTS=$GUEST_DIR
}

if [ "${NEED_GUESTS:-1}" = 0 ]; then
	VMM=softkvm
	GUESTS=
else
	find_guests
fi
if [ "$VMM" = softkvm ] && [ ! -x "$SOFTKVM" ]; then
	echo "FAIL: $SOFTKVM is not there (run make)"
	exit 1
fi
echo "vmm: $([ "$VMM" = qemu ] && echo qemu-system-ppc || echo "$SOFTKVM"); guest images: ${GUESTS:-none}"

# vmm_command APPEND: sets CMD to the command line that boots the guest with that command line.
vmm_command() {
	if [ "$VMM" = qemu ]; then
		CMD=(qemu-system-ppc -M bamboo -m 256 -nographic -no-reboot
			-kernel "$GUESTS/vmlinux" -initrd "$GUESTS/rootfs.cpio.gz" -append "$1"
			-serial stdio -monitor none -display none)
	else
		CMD=("$SOFTKVM" run --kernel "$GUESTS/vmlinux" --initrd "$GUESTS/rootfs.cpio.gz"
			--append "$1" --memory 256M --no-reboot)
	fi
}

# run_guest APPEND LOG TIMEOUT [STOP_PATTERN]: boots the guest with stdin at /dev/null and its
# output in LOG, until it exits (STATUS = its exit status), TIMEOUT seconds pass (STATUS =
# "timeout", the process is killed) or, if given, a line matching STOP_PATTERN appears (STATUS = "stopped",
# the process is killed). SECONDS_TAKEN = wall time.
run_guest() {
	local log=$2 limit=$3 stop=${4:-} pid t0 t1
	vmm_command "$1"
	t0=$(date +%s.%N)
	"${CMD[@]}" </dev/null >"$log" 2>&1 &
	pid=$!
	STATUS=timeout
	while true; do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			STATUS=$?
			break
		fi
		if [ -n "$stop" ] && grep -aEq "$stop" "$log"; then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			STATUS=stopped
			break
		fi
		t1=$(date +%s.%N)
		if awk -v a="$t0" -v b="$t1" -v l="$limit" 'BEGIN { exit !(b - a > l) }'; then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
			break
		fi
		sleep 0.05
	done
	t1=$(date +%s.%N)
	SECONDS_TAKEN=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# check "WHAT" COMMAND...: runs COMMAND; prints "ok: WHAT" if it succeeds, else "FAIL: WHAT".
ok() { PASSED=$((PASSED + 1)); echo "ok: $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }

check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# expect_error WHAT STATUS ERE ARGS...: softkvm ARGS exits with STATUS, prints nothing on
# stdout and exactly one line on stderr, "softkvm: ..." matching ERE, within $BOUND seconds
# (default 20: only a hang reaches it).
expect_error() {
	local what=$1 want=$2 ere=$3 status lines
	shift 3
	timeout -k 1 "${BOUND:-20}" "$SOFTKVM" "$@" </dev/null >"$TMPDIR_TEST/out" 2>"$TMPDIR_TEST/err"
	status=$?
	lines=$(wc -l <"$TMPDIR_TEST/err")
	if [ "$status" = "$want" ] && [ "$lines" = 1 ] && [ ! -s "$TMPDIR_TEST/out" ] &&
		grep -Eq "^softkvm: .*($ere)" "$TMPDIR_TEST/err"; then
		ok "$what: status $status, $(cat "$TMPDIR_TEST/err")"
	else
		fail "$what: want status $want and one line matching /$ere/; got status $status," \
			"$lines line(s) on stderr, $(wc -c <"$TMPDIR_TEST/out") bytes on stdout"
		sed 's/^/    stderr| /' "$TMPDIR_TEST/err" | head -5
	fi
}

# show_log LOG: the end of a console log, after a failure.
show_log() {
	echo "    --- last lines of the console ($1):"
	tail -n 25 "$1" | tr -d '\r' | sed 's/^/    | /'
}

# has LOG ERE: the log has a line matching the extended regular expression.
has() { tr -d '\r' <"$1" | grep -aEq "$2"; }

# lacks LOG ERE: no line matches.
lacks() { ! has "$1" "$2"; }

# Signs of a guest kernel in trouble, on the console or in dmesg.
KERNEL_TROUBLE='Oops|\bBUG\b|[Ii]llegal instruction|Unable to handle|Kernel panic|WARNING:|Call Trace|unhandled signal|segfault|Machine check'

finish() {
	echo "$PASSED checks passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}
