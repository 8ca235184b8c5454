#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The 64-bit test programs as pseries ELFs (build/guest64/*.pseries.elf, report.inc's
PSERIES) on softkvm's pseries board and on qemu-system-ppc64 -M pseries -cpu POWER8, each
check's result compared by name ("ok N - name" / "not ok N - name").

Both machines enter the ELF big-endian in real mode at 0x400000 with r3 = the device tree:
softkvm's board directly, QEMU through a one-instruction firmware (-bios) that branches
there, where SLOF would take 8 s to (--slof boots through SLOF instead). A program ends by
printing "# done"; the machine is stopped then, and one that never says it has failed.

softkvm must pass every check. A check QEMU fails is excused when the program's source marks
it "QEMU-BUG: <name or glob>: <why, with the ISA section>" (QEMU is wrong) or
"QEMU-DIFFERS: <name or glob>: <why>" (a hypervisor's choice PAPR leaves open, softkvm's
being KVM's); any other difference is listed. Checks marked "RUNNER-ONLY:" (left out of the
ELFs) need tests/guest64/runner.c. smp* run on two cpus.
    usage: tests/guest64/diff-qemu.py [--slof] [ELF...]
    exit status: 0 all agree, 1 a disagreement or failure, 77 qemu-system-ppc64 missing"""
import fnmatch
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SOFTKVM = os.environ.get("SOFTKVM", os.path.join(ROOT, "build/softkvm"))
QEMU = os.environ.get("QEMU", "qemu-system-ppc64")
TIMEOUT = float(os.environ.get("GUEST64_TIMEOUT", "30"))  # s, each run (SLOF's boot included)
END = b"# done\n"
CHECK = re.compile(r"^(ok|not ok) \d+ - (.*)$")
# the firmware for a direct entry: "ba 0x400000" (big-endian) at the reset vector 0x100
ENTRY_FW = bytes(0x100) + bytes([0x48, 0x40, 0x00, 0x02])


def run(cmd):
    """The console of one run, read until "# done" (then the machine is stopped), the
    machine's end or the timeout; and whether "# done" came."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    os.set_blocking(p.stdout.fileno(), False)
    out, deadline = b"", time.time() + TIMEOUT
    while END not in out and time.time() < deadline:
        chunk = p.stdout.read()
        if chunk:
            out += chunk
        elif p.poll() is not None:
            out += p.stdout.read() or b""
            break
        else:
            time.sleep(0.02)
    p.kill()
    p.wait()
    return out.decode(errors="replace").replace("\r", ""), END in out


def results(text):
    """name -> PASS/FAIL, the first report of each name."""
    res = {}
    for line in text.splitlines():
        m = CHECK.match(line)
        if m and m.group(2) not in res:
            res[m.group(2)] = "PASS" if m.group(1) == "ok" else "FAIL"
    return res


def marks(src, kind):
    """The text after "KIND: " of every such mark in the source (none without one)."""
    if not os.path.exists(src):
        return []
    with open(src) as f:
        return [line.split(kind + ": ", 1)[1].strip() for line in f if kind + ": " in line]


def excused(name, lines):
    """A mark "<name or glob>: why" names the check; the pattern ends at one of the ": " in
    the line (names may hold ": " themselves), so every split is tried."""
    for line in lines:
        parts = line.split(": ")
        for i in range(1, len(parts)):
            pattern = ": ".join(parts[:i])
            if name == pattern or fnmatch.fnmatchcase(name, pattern):
                return True
    return False


def main():
    args = sys.argv[1:]
    slof = "--slof" in args
    elfs = [a for a in args if a != "--slof"] or sorted(
        glob.glob(os.path.join(ROOT, "build/guest64/*.pseries.elf")))
    if shutil.which(QEMU) is None:
        print("SKIP: %s is not installed: nothing to compare with" % QEMU)
        return 77
    tmp = tempfile.mkdtemp()
    fw = os.path.join(tmp, "entry.bin")
    with open(fw, "wb") as f:
        f.write(ENTRY_FW)
    qemu = [QEMU, "-M", "pseries", "-cpu", "POWER8", "-m", "256M", "-nographic",
            "-nodefaults", "-serial", "stdio"] + ([] if slof else ["-bios", fw])
    totals = dict(checks=0, agree=0, excused=0, bad=0)
    for elf in elfs:
        name = os.path.basename(elf).split(".")[0]
        src = os.path.join(HERE, name + ".S")
        smp = name.startswith("smp")
        sk_text, sk_end = run([SOFTKVM, "run", "--machine", "pseries", "--kernel", elf,
                               "--timeout", str(TIMEOUT)] + (["--cpus", "2"] if smp else []))
        qe_text, qe_end = run(qemu + ["-kernel", elf] + (["-smp", "2"] if smp else []))
        for machine, text, ended in (("softkvm", sk_text, sk_end), ("qemu", qe_text, qe_end)):
            if not ended:
                print("%s: no '# done' under %s; its console:" % (name, machine))
                print("    " + text[-2000:].replace("\n", "\n    "))
                totals["bad"] += 1
        sk, qe = results(sk_text), results(qe_text)
        bugs, differs = marks(src, "QEMU-BUG"), marks(src, "QEMU-DIFFERS")
        for reason in marks(src, "RUNNER-ONLY"):
            print("%s: checks left out (RUNNER-ONLY: %s)" % (name, reason))
        ok = dict(checks=0, agree=0, excused=0)
        for check in list(sk) + [c for c in qe if c not in sk]:
            s, q = sk.get(check, "-"), qe.get(check, "-")
            ok["checks"] += 1
            if s != "PASS":
                print("%s: %s: softkvm %s (every check must pass there)" % (name, check, s))
                totals["bad"] += 1
            elif q == "PASS":
                ok["agree"] += 1
            elif q == "FAIL" and excused(check, bugs + differs):
                ok["excused"] += 1
            else:
                print("%s: %s: softkvm %s, qemu %s" % (name, check, s, q))
                totals["bad"] += 1
        print("%s: %d checks, %d agree, %d excused" % (name, ok["checks"], ok["agree"],
                                                      ok["excused"]))
        for k in ok:
            totals[k] += ok[k]
    shutil.rmtree(tmp)
    print("%d programs, %d checks compared, %d agree, %d excused as QEMU's, %d disagreements"
          % (len(elfs), totals["checks"], totals["agree"], totals["excused"], totals["bad"]))
    return 0 if totals["bad"] == 0 and elfs else 1


if __name__ == "__main__":
    sys.exit(main())
