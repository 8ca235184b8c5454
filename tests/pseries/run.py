#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The pseries bare-metal program (hello.S) on softkvm's pseries board, entered directly:
hello on the vty, the device tree in r3 with /rtas in it, and a power-off through RTAS that
ends the run with status 0; with --stats, the Book3S PR hypervisor's exits with their host
time. Then the same ELF, unchanged, under qemu-system-ppc64 -M pseries (SLOF enters it), if
QEMU is installed: it must say hello there too.
    usage: tests/pseries/run.py [ELF]    (SOFTKVM=build/softkvm by default)"""
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOFTKVM = os.environ.get("SOFTKVM", os.path.join(ROOT, "build/softkvm"))
ELF = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/pseries/hello.elf")
QEMU = "qemu-system-ppc64"
failed = 0


def check(ok, what):
    global failed
    print(("PASS: " if ok else "FAIL: ") + what)
    failed += not ok


def softkvm():
    p = subprocess.run([SOFTKVM, "run", "--machine", "pseries", "--kernel", ELF,
                        "--timeout", "20"], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    out = p.stdout.decode(errors="replace")
    print(out + p.stderr.decode(errors="replace"))
    check(p.returncode == 0, "softkvm: the program powers the machine off (status %d)"
          % p.returncode)
    check(out == "pseries bare metal: hello\n"
                 "pseries bare metal: device tree at r3\n"
                 "pseries bare metal: rtas found, powering off\n",
          "softkvm: entered directly with the tree in r3, RTAS found through it")


def qemu():
    try:
        q = subprocess.Popen([QEMU, "-M", "pseries", "-cpu", "POWER8", "-m", "256M",
                              "-nographic", "-nodefaults", "-serial", "stdio",
                              "-kernel", ELF], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except FileNotFoundError:
        print("SKIP: %s is not installed" % QEMU)
        return
    os.set_blocking(q.stdout.fileno(), False)
    out, deadline = b"", time.time() + 60
    while b"entered by firmware\n" not in out and time.time() < deadline:
        time.sleep(0.1)
        out += q.stdout.read() or b""
        if q.poll() is not None:
            break
    q.kill()
    q.wait()
    text = out.decode(errors="replace")
    check("pseries bare metal: hello\npseries bare metal: entered by firmware\n" in text,
          "qemu: the same ELF says hello under SLOF")


def softkvm_stats():
    """--stats times the exits (SKVM_CAP_EXIT_TIMING on the PR vcpu): the table's hcall row
    has a total and a mean, and the line of time in the guest and in exits is there."""
    p = subprocess.run([SOFTKVM, "run", "--machine", "pseries", "--kernel", ELF, "--stats",
                        "--timeout", "20"], stdin=subprocess.DEVNULL, capture_output=True,
                       timeout=60)
    err = p.stderr.decode(errors="replace")
    print(err)
    check(p.returncode == 0 and "exit timing unavailable" not in err,
          "softkvm --stats: exit timing on for the pseries vcpu")
    hcall = [line.split() for line in err.splitlines() if line.split()[:1] == ["hcall"]]
    check(len(hcall) == 1 and len(hcall[0]) == 5 and int(hcall[0][1]) > 0,
          "softkvm --stats: an hcall row with count, %, total ms and mean us")
    check(any(line.strip().startswith("time in guest ") and " in exits " in line
              for line in err.splitlines()),
          "softkvm --stats: the time in the guest and in exits")


softkvm()
softkvm_stats()
qemu()
sys.exit(1 if failed else 0)
