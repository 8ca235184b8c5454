#!/bin/bash
# SPDX-License-Identifier: MIT
# The console as a user meets it, with the Linux guest's shell (softkvm only):
#   on a terminal (a pseudo-terminal here): raw mode while running (no echo, no line editing,
#     Ctrl-C to the guest: it interrupts a guest `sleep`), Ctrl-A h prints the keys, Ctrl-A x
#     exits with status 0, and the terminal is restored afterwards, also after SIGTERM, SIGHUP
#     and SIGSEGV;
#   on pipes: commands sent as they come get their answers at once (the UART interrupt wakes
#     the idle vcpu: no polling delay), the end of input leaves the guest running, and the
#     shell prompt (a partial line) is written out without waiting for a newline.
# usage: test_console.sh
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
if [ "$VMM" = qemu ]; then
	echo "SKIP: softkvm's console"
	exit 0
fi

python3 - "$SOFTKVM" "$GUESTS" <<'EOF'
import os, pty, select, signal, subprocess, sys, termios, time

softkvm, guests = sys.argv[1], sys.argv[2]
cmd = [softkvm, "run", "--kernel", guests + "/vmlinux", "--initrd", guests + "/rootfs.cpio.gz",
       "--append", "console=ttyS0 quiet", "--timeout", "60"]
passed = failed = 0

def check(what, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAIL:", what, detail)

def reader(fd):
    buf = b""
    def wait_for(pattern, limit=30):
        nonlocal buf
        end = time.time() + limit
        while time.time() < end:
            if pattern in buf:
                i = buf.index(pattern) + len(pattern)
                out, buf = buf[:i], buf[i:]
                return out
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    data = os.read(fd, 4096)
                except OSError:
                    data = b""
                if not data:
                    break
                buf += data
        raise TimeoutError("no %r; last output %r" % (pattern, buf[-200:]))
    return wait_for

# --- on a terminal ---
pid, fd = pty.fork()
if pid == 0:
    os.execv(softkvm, cmd)
before = termios.tcgetattr(fd)
wait_for = reader(fd)
try:
    wait_for(b"# ")
    lflag = termios.tcgetattr(fd)[3]
    check("terminal: raw mode while the guest runs (no ECHO, ICANON, ISIG)",
          not lflag & (termios.ECHO | termios.ICANON | termios.ISIG))
    os.write(fd, b"\x01h")
    check("terminal: Ctrl-A h prints the escape keys", b"C-a x" in wait_for(b"send C-a to the guest"))
    os.write(fd, b"sleep 20; echo NOT-INTERRUPTED\r")
    time.sleep(0.5)
    t = time.time()
    os.write(fd, b"\x03")
    out = wait_for(b"# ")
    check("terminal: Ctrl-C reaches the guest and interrupts its sleep",
          b"\nNOT-INTERRUPTED" not in out and time.time() - t < 5)
    os.write(fd, b"\x01x")
    _, status = os.waitpid(pid, 0)
    check("terminal: Ctrl-A x exits with status 0", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
          "status %r" % status)
except TimeoutError as e:
    check("terminal session", False, str(e))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
check("terminal: restored after Ctrl-A x", termios.tcgetattr(fd) == before)
os.close(fd)

for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGSEGV):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(softkvm, cmd)
    before = termios.tcgetattr(fd)
    wait_for = reader(fd)
    try:
        wait_for(b"# ")
    except TimeoutError as e:
        check("terminal: boot before %s" % sig.name, False, str(e))
    raw = not termios.tcgetattr(fd)[3] & termios.ECHO
    os.kill(pid, sig)
    _, status = os.waitpid(pid, 0)
    check("terminal: raw, then restored after %s" % sig.name,
          raw and termios.tcgetattr(fd) == before)
    os.close(fd)

# --- on pipes ---
p = subprocess.Popen(cmd[:-2] + ["--timeout", "8"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
wait_for = reader(p.stdout.fileno())
try:
    wait_for(b"# ")
    check("pipes: the shell prompt, a partial line, is written out", True)
    worst = 0
    for i in range(5):
        time.sleep(0.3)  # the guest is idle (MSR[WE]) when the command arrives
        t = time.time()
        p.stdin.write(b"echo ANSWER$((%d * 7))\n" % i)
        p.stdin.flush()
        wait_for(b"ANSWER%d\r\n" % (i * 7))
        worst = max(worst, time.time() - t)
    check("pipes: an idle guest answers at once (worst %.0f ms)" % (worst * 1000), worst < 0.5)
    p.stdin.write(b"echo BEFORE-EOF\n")
    p.stdin.close()
    wait_for(b"BEFORE-EOF\r\n")
    time.sleep(1)
    check("pipes: the end of input leaves the guest running", p.poll() is None)
    p.wait(20)
    check("pipes: ... until --timeout (status 4)", p.returncode == 4, "status %r" % p.returncode)
except (TimeoutError, subprocess.TimeoutExpired) as e:
    check("pipes session", False, str(e))
    p.kill()
    p.wait()

print("%d checks passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
