#!/bin/bash
# SPDX-License-Identifier: MIT
# softkvm started with standard descriptors closed (issue 8, defect 5): a closed fd 0, 1 or 2
# must never be reused by softkvm's own eventfds or files, where guest console output would
# land in them. With any of them closed the spinning guest (build/hostile/host_spin.elf, made
# by `make guest`) still ends at --timeout with status 4 and SIGTERM still ends it with 143,
# and stderr (when open) has the one timeout line, no MMIO error.
# The bounds (`timeout 10`) only catch a hang: the run itself takes 0.5 s.
# usage: test_host_fds.sh (env: SOFTKVM)
NEED_GUESTS=0
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
SPIN=$ROOT/build/hostile/host_spin.elf
if [ ! -f "$SPIN" ]; then
	echo "FAIL: $SPIN is not there (run make guest)"
	exit 1
fi
ERR=$TMPDIR_TEST/err
OUT=$TMPDIR_TEST/out

# ends_at_timeout: the last run's status is 4 and stderr is exactly the timeout line.
ends_at_timeout() {
	[ "$STATUS" = 4 ] && [ "$(cat "$ERR")" = "softkvm: timeout after 0.5 s" ]
}
# expect WHAT COMMAND...: check's verdict on COMMAND, with the run's status and stderr if it fails.
expect() {
	local what=$1
	shift
	if "$@"; then
		check "$what" true
	else
		check "$what" false
		echo "    status $STATUS; stderr: $(head -c 300 "$ERR")"
	fi
}

# run_closed REDIRECTIONS: runs the guest with --timeout 0.5 and those redirections applied
# (e.g. "<&- >&-"); stderr goes to $ERR unless the redirections close it.
run_closed() {
	rm -f "$ERR" "$OUT"
	eval "timeout -k 1 10 \"\$SOFTKVM\" run --kernel \"\$SPIN\" --timeout 0.5 2>\"\$ERR\" $1"
	STATUS=$?
	touch "$ERR"
}

run_closed "<&- >&-"
expect "stdin and stdout closed: --timeout ends the run (status 4, one timeout line)" ends_at_timeout
run_closed ">&-"
expect "stdout closed: --timeout ends the run (status 4), no MMIO error" ends_at_timeout
run_closed "<&- >\"\$OUT\""
expect "stdin closed: --timeout ends the run (status 4)" ends_at_timeout
check "stdin closed: the guest's output still reaches stdout" grep -qx "SPIN-OK" "$OUT"
run_closed "<&- >&- 2>&-"
expect "stdin, stdout and stderr closed: status 4" test "$STATUS" = 4

# SIGTERM, with the run's descriptors closed: the watchdog must still hear it.
sigterm_closed() {
	local pid
	rm -f "$ERR"
	eval "\"\$SOFTKVM\" run --kernel \"\$SPIN\" --timeout 20 2>\"\$ERR\" $1 &"
	pid=$!
	sleep 0.5
	kill -TERM "$pid" 2>/dev/null
	# A wait bounded at 10 s: the watchdog's own last resort would take 5.
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	STATUS=$?
}
sigterm_closed "<&- >&-"
expect "stdin and stdout closed: SIGTERM ends the run (status 143, 'interrupted by SIGTERM')" \
	eval '[ "$STATUS" = 143 ] && grep -qx "softkvm: interrupted by SIGTERM" "$ERR"'
sigterm_closed ">&-"
expect "stdout closed: SIGTERM ends the run (status 143)" test "$STATUS" = 143
finish
