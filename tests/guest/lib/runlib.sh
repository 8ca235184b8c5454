# SPDX-License-Identifier: MIT
# Shared by run.sh and diff-qemu.sh (sourced, bash).
# GUEST_TIMEOUT (s, default 60), QEMU (default qemu-system-ppc), SOFTKVM (default
# <repo>/build/softkvm) may be set in the environment.

GUEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$GUEST_DIR/../.." && pwd)
: "${GUEST_TIMEOUT:=60}"
: "${QEMU:=qemu-system-ppc}"
: "${SOFTKVM:=$REPO_DIR/build/softkvm}"

# guest_run qemu|softkvm ELF OUTFILE: run one guest, its console into OUTFILE; returns the
# status of the emulator (124: timed out).
guest_run() {
	local mode=$1 elf=$2 out=$3
	if [ "$mode" = qemu ]; then
		timeout -k 5 "$GUEST_TIMEOUT" "$QEMU" -M bamboo -m 256 -nographic -no-reboot \
			-kernel "$elf" -serial stdio -monitor none -display none \
			</dev/null >"$out" 2>&1
	else
		timeout -k 5 "$GUEST_TIMEOUT" "$SOFTKVM" run --kernel "$elf" --no-reboot \
			</dev/null >"$out" 2>&1
	fi
}

# guest_source ELF: the test source the ELF was built from (empty if not found).
guest_source() {
	local base
	base=$(basename "$1" .elf)
	for f in "$GUEST_DIR/$base.c" "$GUEST_DIR/$base.S"; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
}

# qemu_bugs ELF: the text after "QEMU-BUG: " of every marker in the ELF's source, one a line
# ("<check name or glob>: explanation").
qemu_bugs() {
	local src
	src=$(guest_source "$1")
	[ -n "$src" ] || return 0
	grep -o 'QEMU-BUG: .*' "$src" | sed -e 's/^QEMU-BUG: //' -e 's/ *\*\/ *$//'
}

# softkvm_only ELF: the reason, if the ELF's source says "SOFTKVM-ONLY: <reason>" (a test of
# a softkvm device QEMU's bamboo does not have); empty otherwise.
softkvm_only() {
	local src
	src=$(guest_source "$1")
	[ -n "$src" ] || return 0
	grep -o 'SOFTKVM-ONLY: .*' "$src" | head -n 1 | sed -e 's/^SOFTKVM-ONLY: //' -e 's/ *\*\/ *$//'
}

# is_qemu_bug NAME MARKERS: true if a marker line names the check.  A marker is
# "<pattern>: explanation"; the pattern (a check name, or a shell glob such as "mac?hw *")
# ends at one of the ": " in the line, so every such split is tried.
is_qemu_bug() {
	local name=$1 line pat rest
	while IFS= read -r line; do
		rest=$line
		pat=""
		while [[ $rest == *": "* ]]; do
			pat+=${rest%%": "*}
			# shellcheck disable=SC2053  # the pattern is a glob on purpose
			[[ $name == $pat ]] && return 0
			pat+=": "
			rest=${rest#*": "}
		done
	done <<<"$2"
	return 1
}

# results OUTFILE: "KIND<TAB>name" for every PASS/FAIL/SKIP line of a run (CRs dropped).
results() {
	tr -d '\r' <"$1" | sed -n -E 's/^(PASS|FAIL|SKIP): (.*)$/\1\t\2/p'
}

# summary OUTFILE: "passed failed skipped" of the SUMMARY line (empty if there is none).
summary() {
	tr -d '\r' <"$1" | sed -n -E \
		's/^SUMMARY: .*: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/p' | tail -n 1
}
