#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boots the guest to its shell and reads the kernel log with dmesg: it must hold the kernel's
banner and the start of /init, and no sign of trouble: no Oops, BUG, kernel panic, WARNING,
call trace, "Unable to handle", illegal instruction, unhandled signal, segfault or machine check.
The console output of the boot is checked for the same signs. Ends with reboot -f.

usage: test_dmesg.py [--qemu]
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
TROUBLE = re.compile(r"Oops|\bBUG\b|[Ii]llegal instruction|Unable to handle|Kernel panic|WARNING:"
                     r"|Call Trace|unhandled signal|segfault|Machine check")


def trouble(text):
    return [ln for ln in text.splitlines() if TROUBLE.search(ln)]


def main():
    vmm, guests = guestlib.test_setup(__doc__.splitlines()[0])
    c = guestlib.Checks()
    g = guestlib.Guest(guestlib.command(vmm, guests, "console=ttyS0"))
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        bad = trouble(g.text)
        c.check(not bad, "the boot's console output shows no sign of trouble", "\n".join(bad))

        status, log = g.sh("dmesg", timeout=60)
        lines = log.splitlines()
        c.check(status == 0 and len(lines) > 50, f"dmesg printed the kernel log ({len(lines)} lines)")
        c.check(re.search(r"Linux version 6\.1", log) is not None, "dmesg has the kernel banner")
        c.check("Run /init as init process" in log, "dmesg has the start of /init")
        bad = trouble(log)
        c.check(not bad, "dmesg has no Oops, BUG, panic, WARNING, call trace, 'Unable to handle', "
                "illegal instruction, unhandled signal, segfault or machine check", "\n".join(bad))

        g.send("reboot -f")
        rc = g.wait_exit(30)
        c.check(rc == 0, f"the VMM exited with status 0 after reboot -f (got {rc})")
    except guestlib.GuestError as e:
        c.check(False, str(e))
    finally:
        g.close()
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
