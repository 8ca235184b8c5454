#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Signals on a terminal (issue 8): softkvm runs a spinning bare-metal guest
(build/hostile/host_spin.elf, made by `make guest`) with a pseudo-terminal as its controlling
terminal, stdin and stdout; the terminal goes raw; then each catchable signal whose default
action ends a process is sent in turn. After every exit the terminal must be exactly as it
was before the run (ICANON and ECHO back on), and the exit status must be the one
`softkvm run --help` documents:
  SIGINT 130, SIGTERM 143 (exit statuses, with an "interrupted by" line);
  every other one (SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGSEGV, ..., real-time
  signals): killed by that very signal;
  SIGPIPE: ignored (the guest keeps running; SIGTERM then ends it);
  Ctrl-A x typed on the terminal: status 0.
The 10 s bounds only catch a hang. Needs no Linux guest images. For the normal build: under
the sanitizers SIGSEGV, SIGBUS and SIGFPE stay the sanitizer's (its report, status 1).
usage: test_signals.py (env: SOFTKVM)
"""
import fcntl
import os
import resource
import select
import signal
import subprocess
import sys
import tempfile
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import guestlib  # noqa: E402

SOFTKVM = guestlib.softkvm_path()
SPIN = os.path.join(guestlib.ROOT, "build", "hostile", "host_spin.elf")
BOUND = 10

# Catchable, default action "terminate" or "core" (signal(7)); SIGINT, SIGTERM and SIGPIPE
# have their own cases below.
KILLING = ["SIGHUP", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGUSR1",
           "SIGSEGV", "SIGUSR2", "SIGALRM", "SIGSTKFLT", "SIGXCPU", "SIGXFSZ", "SIGVTALRM",
           "SIGPROF", "SIGIO", "SIGPWR", "SIGSYS"]

passed = failed = 0


def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAIL:", what, detail)


def child_setup():
    # The pty (fd 0) becomes the controlling terminal of a new session, so softkvm is in
    # its foreground and puts it in raw mode; no core files from SIGQUIT, SIGSEGV, ...
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # softkvm leaves a signal its parent ignores ignored (SIGHUP under nohup, as documented):
    # give it the default actions this test is about, whatever ran the suite.
    for name in KILLING + ["SIGINT", "SIGTERM"]:
        signal.signal(getattr(signal, name), signal.SIG_DFL)


class Run:
    """softkvm on a fresh pty: self.before is the terminal before it started."""

    def __init__(self):
        self.master, self.slave = os.openpty()
        self.before = termios.tcgetattr(self.slave)
        self.err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [SOFTKVM, "run", "--kernel", SPIN, "--timeout", "60"], stdin=self.slave,
            stdout=self.slave, stderr=self.err, start_new_session=True,
            preexec_fn=child_setup)
        self.out = b""

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            r, _, _ = select.select([self.master], [], [], 0.02)
            if r:
                try:
                    self.out += os.read(self.master, 4096)
                except OSError:
                    return

    def wait_raw(self):
        """True once the guest printed its line and the terminal is raw."""
        end = time.monotonic() + BOUND
        while time.monotonic() < end and self.proc.poll() is None:
            self.drain(0.02)
            lflag = termios.tcgetattr(self.slave)[3]
            if b"SPIN-OK" in self.out and not lflag & (termios.ICANON | termios.ECHO):
                return True
        return False

    def wait_exit(self):
        end = time.monotonic() + BOUND
        while time.monotonic() < end and self.proc.poll() is None:
            self.drain(0.02)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            return None
        return self.proc.returncode

    def restored(self):
        after = termios.tcgetattr(self.slave)
        lflag = after[3]
        return after == self.before and lflag & termios.ICANON and lflag & termios.ECHO

    def stderr(self):
        self.err.seek(0)
        return self.err.read().decode(errors="replace").strip()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)
        os.close(self.slave)
        self.err.close()


def run_with(name, sig, want, message=None):
    """Send sig once the terminal is raw; the run must end with returncode want."""
    r = Run()
    try:
        raw = r.wait_raw()
        check(f"{name}: the terminal is raw while the guest runs", raw, repr(r.out[-100:]))
        if not raw:
            return
        r.proc.send_signal(sig)
        rc = r.wait_exit()
        check(f"{name}: softkvm {guestlib.status_text(want)}", rc == want,
              f"(it {guestlib.status_text(rc)}; stderr: {r.stderr()[:200]!r})"
              if rc is not None else "(still running after 10 s)")
        check(f"{name}: the terminal is restored (ICANON, ECHO, as before)", r.restored())
        if message:
            check(f"{name}: stderr says '{message}'", r.stderr() == message, repr(r.stderr()))
    finally:
        r.close()


def main():
    for path, what in ((SOFTKVM, "make"), (SPIN, "make guest")):
        if not os.path.exists(path):
            print(f"FAIL: {path} is not there (run {what})")
            return 1
    print(f"vmm: {SOFTKVM}; guest: {SPIN}")

    help_text = subprocess.run([SOFTKVM, "run", "--help"], capture_output=True,
                               text=True).stdout
    check("--help documents 130 for SIGINT, 143 for SIGTERM, the others, SIGPIPE",
          "130  interrupted by SIGINT; 143 terminated by SIGTERM" in help_text
          and "kills softkvm as it would any program" in help_text
          and "SIGPIPE is ignored" in help_text)

    run_with("SIGINT", signal.SIGINT, 130, "softkvm: interrupted by SIGINT")
    run_with("SIGTERM", signal.SIGTERM, 143, "softkvm: interrupted by SIGTERM")
    sigs = [(n, getattr(signal, n)) for n in KILLING if hasattr(signal, n)]
    sigs += [("SIGRTMIN", signal.SIGRTMIN), ("SIGRTMIN+1", signal.SIGRTMIN + 1),
             ("SIGRTMAX", signal.SIGRTMAX)]
    for name, sig in sigs:
        run_with(name, sig, -int(sig))

    # SIGPIPE is ignored: the guest keeps running (then SIGTERM ends it as usual).
    r = Run()
    try:
        if r.wait_raw():
            r.proc.send_signal(signal.SIGPIPE)
            r.drain(0.3)
            check("SIGPIPE: ignored, the guest keeps running", r.proc.poll() is None,
                  f"(it {guestlib.status_text(r.proc.returncode)})")
            r.proc.send_signal(signal.SIGTERM)
            rc = r.wait_exit()
            check("SIGPIPE, then SIGTERM: status 143, the terminal restored",
                  rc == 143 and r.restored(), f"(it {guestlib.status_text(rc)})")
        else:
            check("SIGPIPE: the terminal is raw while the guest runs", False)
    finally:
        r.close()

    # Ctrl-A x on the terminal.
    r = Run()
    try:
        raw = r.wait_raw()
        check("Ctrl-A x: the terminal is raw while the guest runs", raw)
        if raw:
            os.write(r.master, b"\x01x")
            rc = r.wait_exit()
            check("Ctrl-A x: softkvm exited with status 0", rc == 0,
                  f"(it {guestlib.status_text(rc)})" if rc is not None else "(still running)")
            check("Ctrl-A x: the terminal is restored (ICANON, ECHO, as before)",
                  r.restored())
    finally:
        r.close()

    print(f"{passed} checks passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
