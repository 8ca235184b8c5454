#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""stop_storm.py SOFTKVM ELF: the ways a user ends a run must work however the guest behaves.

ELF is the itlb_storm guest (every interrupt vector misses in the ITLB, forever, without a
taken branch). On a pseudo-terminal, with --stats, each of Ctrl-A x, SIGINT, SIGTERM and
--timeout must end the run with its documented status, print the exit statistics and leave
the terminal as it found it. softkvm promises 100 ms; this test allows 1 s (the watchdog's
last resort takes 5 s) and prints what it measured."""
import os
import pty
import select
import signal
import sys
import termios
import time

SOFTKVM, ELF = sys.argv[1], sys.argv[2]
LIMIT_S = 1.0
failed = 0


def run(how, extra_args, status_wanted):
    global failed
    args = [SOFTKVM, "run", "--kernel", ELF, "--no-reboot", "--stats"] + extra_args
    forked = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(SOFTKVM, args)
    out = b""
    deadline = time.monotonic() + 0.3  # into the storm
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    sent = time.monotonic()
    if how == "ctrl-a x":
        os.write(fd, b"\x01x")
    elif how == "SIGINT":
        os.kill(pid, signal.SIGINT)
    elif how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
    status = None
    while status is None and time.monotonic() < sent + 10:
        r, _, _ = select.select([fd], [], [], 0.005)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                pass
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(st)
            ended = time.monotonic()
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        print(f"FAIL: {how}: still running 10 s later")
        failed += 1
        return
    try:
        while True:  # what is left of the output
            r, _, _ = select.select([fd], [], [], 0.05)
            if not r:
                break
            data = os.read(fd, 4096)
            if not data:
                break
            out += data
    except OSError:
        pass
    if how == "--timeout":  # the clock starts when the timeout expires (an upper bound)
        took = ended - forked - float(extra_args[extra_args.index("--timeout") + 1])
    else:
        took = ended - sent
    lflag = termios.tcgetattr(fd)[3]  # a new pty is cooked: canonical, echoing
    os.close(fd)
    problems = []
    if status != status_wanted:
        problems.append(f"exit status {status}, expected {status_wanted}")
    if b"total" not in out:
        problems.append("no exit statistics")
    if not (lflag & termios.ICANON and lflag & termios.ECHO):
        problems.append("terminal left raw")
    if took > LIMIT_S:
        problems.append(f"took {took * 1000:.0f} ms")
    if problems:
        failed += 1
        print(f"FAIL: {how}: " + "; ".join(problems))
        print("    | " + out.decode(errors="replace")[-600:].replace("\n", "\n    | "))
    else:
        print(f"ok: {how}: status {status} after {took * 1000:.1f} ms, statistics printed, "
              "terminal restored")


run("ctrl-a x", [], 0)
run("SIGINT", [], 130)
run("SIGTERM", [], 143)
run("--timeout", ["--timeout", "0.5"], 4)
print("stop_storm:", "FAILED" if failed else "all passed")
sys.exit(1 if failed else 0)
