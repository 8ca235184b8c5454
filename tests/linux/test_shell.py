#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Interactive: boots the guest with no test mode, so its init starts a busybox shell on the
console, and drives that shell over the VMM's stdin/stdout pipes: uname -m, /proc/cpuinfo, ls /,
then reboot -f, after which the VMM (run with --no-reboot / -no-reboot) must exit with status 0.

usage: test_shell.py [--qemu]   A hang fails after the timeouts below, never blocks.
The answers expected are those the same image gives under qemu-system-ppc -M bamboo -m 256:
    uname -m          ppc
    /proc/cpuinfo     cpu: 440EP Rev. B; platform: PowerPC 44x Platform; model: amcc,bamboo;
                      Memory: 256 MB
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))


def cpuinfo_field(text, name):
    m = re.search(rf"^{name}\s*:\s*(.*?)\s*$", text, re.M)
    return m.group(1) if m else None


def main():
    vmm, guests = guestlib.test_setup(__doc__.splitlines()[0])
    c = guestlib.Checks()
    g = guestlib.Guest(guestlib.command(vmm, guests, "console=ttyS0"))
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        c.check(True, f"booted to the shell prompt in {g.elapsed():.2f} s")

        status, out = g.sh("uname -m")
        c.check(status == 0 and out.strip() == "ppc", f"uname -m prints ppc (got {out.strip()!r})")

        status, out = g.sh("cat /proc/cpuinfo")
        cpu, platform = cpuinfo_field(out, "cpu"), cpuinfo_field(out, "platform")
        model, memory = cpuinfo_field(out, "model"), cpuinfo_field(out, "Memory")
        c.check(status == 0 and cpu is not None and cpu.startswith("440"),
                f"/proc/cpuinfo cpu is a 440 (got {cpu!r})", out)
        c.check(platform is not None and "44x" in platform,
                f"/proc/cpuinfo platform is PowerPC 44x (got {platform!r})")
        c.check(model is not None and "bamboo" in model.lower(),
                f"/proc/cpuinfo model is the Bamboo board (got {model!r})")
        c.check(memory == "256 MB", f"/proc/cpuinfo Memory is the 256 MB given (got {memory!r})")

        status, out = g.sh("ls /")
        names = set(out.split())
        want = {"bin", "dev", "etc", "init", "proc", "sys", "tmp"}
        c.check(status == 0 and want <= names,
                f"ls / lists {' '.join(sorted(want))} (got {' '.join(sorted(names))})")

        status, out = g.sh("echo $((6 * 7)) > /tmp/x && cat /tmp/x")
        c.check(status == 0 and out.strip() == "42", "the shell computes and tmpfs keeps a file")

        g.send("reboot -f")
        rc = g.wait_exit(30)
        c.check("reboot: Restarting system" in g.text, "reboot -f restarted the kernel")
        c.check(rc == 0, f"the VMM exited with status 0 after the guest's reboot (got {rc})")
    except guestlib.GuestError as e:
        c.check(False, str(e))
    finally:
        g.close()
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
