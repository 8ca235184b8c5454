#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""How the Linux guest ends a run, through its devices and its vcpu, never its text
(softkvm only; QEMU's bamboo has neither the power-off register nor pvpanic):

  spoof     the shell prints "System Halted, OK to turn off power" and "Kernel panic - not
            syncing: ..." (echoed, and as kernel messages through /dev/kmsg): softkvm keeps
            running and the shell answers; then `poweroff -f` (the syscon-poweroff register)
            ends it with status 0, without the kernel's halt spin;
  halt      `halt -f`: no power-off hook is called, the kernel prints "System Halted" and
            spins with interrupts off (machine_hang): softkvm sees the vcpu halted for good
            and exits with status 0;
  sysrq     `echo c > /proc/sysrq-trigger`: a real panic, through the pvpanic device: status 5
            and one "softkvm: guest kernel panic" line, after the kernel's report has ended.

usage: test_power.py   A hang fails after the timeouts below, never blocks.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
HALTED = "System Halted, OK to turn off power"
PANIC = "Kernel panic - not syncing"


def boot(vmm, guests):
    g = guestlib.Guest(guestlib.command(vmm, guests, "console=ttyS0"))
    g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
    g.expect(r"[#$] ", 20, "the shell prompt")
    return g


def spoof(c, vmm, guests):
    g = boot(vmm, guests)
    try:
        for line in (HALTED, f"{PANIC}: typed at the shell"):
            status, out = g.sh(f"echo {line}")
            c.check(status == 0 and out.strip() == line, f"the shell printed {line!r}")
        for line in (HALTED, f"{PANIC}: written to /dev/kmsg"):
            status, _ = g.sh(f"echo '<0>{line}' > /dev/kmsg")
            c.check(status == 0 and re.search(r"^\[ *[\d.]+\] " + re.escape(line) + "$",
                                              g.text, re.M) is not None,
                    f"the kernel printed {line!r} as its own message")
        status, out = g.sh("echo still here")
        c.check(status == 0 and out.strip() == "still here" and g.proc.poll() is None,
                "softkvm kept running and the shell still answers")
        at = len(g.text)
        g.send("poweroff -f")
        rc = g.wait_exit(30)
        after = g.text[at:]
        c.check(rc == 0, f"poweroff -f: status 0 (got {rc})", g.tail())
        c.check("reboot: Power down" in after, "poweroff -f: the kernel powered down")
        c.check(HALTED not in after, "poweroff -f: through the power-off register, not the "
                "kernel's halt spin")
    finally:
        g.close()


def halt(c, vmm, guests):
    g = boot(vmm, guests)
    try:
        g.send("halt -f")
        rc = g.wait_exit(30)
        c.check(rc == 0, f"halt -f: status 0 (got {rc})", g.tail())
        c.check("reboot: System halted" in g.text and HALTED in g.text,
                "halt -f: the kernel halted (machine_hang) and softkvm saw its vcpu stop")
    finally:
        g.close()


def sysrq(c, vmm, guests):
    g = boot(vmm, guests)
    try:
        g.send("echo c > /proc/sysrq-trigger")
        rc = g.wait_exit(30)
        lines = g.text.splitlines()
        c.check(rc == 5, f"sysrq c: status 5 (got {rc})", g.tail())
        c.check(any(f"{PANIC}: sysrq triggered crash" in ln for ln in lines),
                "sysrq c: the kernel panicked")
        c.check(any("---[ end " + PANIC in ln or "Rebooting in" in ln for ln in lines),
                "sysrq c: the kernel's report ended before softkvm did")
        c.check(lines.count("softkvm: guest kernel panic") == 1,
                "sysrq c: one 'softkvm: guest kernel panic' line")
    finally:
        g.close()


def main():
    vmm, guests = guestlib.test_setup(__doc__.splitlines()[0])
    if vmm == "qemu":
        print("SKIP: softkvm's power-off register and pvpanic device")
        return 0
    c = guestlib.Checks()
    for part in (spoof, halt, sysrq):
        try:
            part(c, vmm, guests)
        except guestlib.GuestError as e:
            c.check(False, f"{part.__name__}: {e}")
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
