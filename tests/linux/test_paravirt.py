#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Paravirtualisation with the Linux guest (CONFIG_KVM_GUEST): the guest finds the ePAPR
/hypervisor node, asks for the hypercall features and for the magic page; with --no-paravirt
it makes no hypercall. Linux 6.1's own check of the page fails under any hypervisor (see
pvkernel.py), so the rest uses a copy of the kernel whose check goes on: that kernel patches
its privileged instructions into loads and stores of the page, reports "Live patching", boots
and runs its shell with no sign of trouble, and exits on far fewer emulated instructions than
the same kernel with --no-paravirt (counted by kind: the timebase reads that dominate
the emulated instructions are not the kernel's to patch).

usage: test_paravirt.py   (softkvm only)
"""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402
import pvkernel  # noqa: E402
from test_dmesg import trouble  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
# loglevel=3: the patched kernel's many "KVM: No more space" lines (its 64 KiB of templates for
# the rewritten mtmsr/wrtee run out) stay in the log instead of slowing the console down
APPEND = "console=ttyS0 softkvm.test=reboot loglevel=3"


def exits(text, kind):
    """The count of one exit type in --stats' table, 0 if it is not listed."""
    m = re.search(rf"^\s+{kind}\s+(\d+)\s", text, re.M)
    return int(m.group(1)) if m else 0


# the instructions Linux's kvm.c rewrites into loads and stores of the magic page. Not
# wrtee/wrteei: each becomes a branch to a template copied into the kernel's 64 KiB kvm_tmp,
# which a 6.1 kernel of this size fills ("KVM: No more space") long before its last wrtee.
PATCHED = ("mfmsr", "mtmsr", "mfspr", "mtspr")


def privileged(text):
    return sum(exits(text, "emulated_" + kind) for kind in PATCHED)


def boot(c, guests, what, kernel=None, extra=(), append=APPEND):
    """Boots to the marker and the VMM's exit after reboot -f; returns the output."""
    cmd = guestlib.command("softkvm", guests, append, kernel=kernel) + ["--stats"] + list(extra)
    g = guestlib.Guest(cmd)
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
        rc = g.wait_exit(30)
        c.check(rc == 0, f"{what}: boots and exits with status 0 (got {rc})")
        bad = trouble(g.text)
        c.check(not bad, f"{what}: no sign of trouble on the console", "\n".join(bad))
        return g.text
    except guestlib.GuestError as e:
        c.check(False, f"{what}: {e}")
        return ""
    finally:
        g.close()


def patched_shell(c, guests, kernel):
    """The patched kernel's own report, read with dmesg at its shell."""
    cmd = guestlib.command("softkvm", guests, "console=ttyS0 loglevel=3", kernel=kernel)
    g = guestlib.Guest(cmd)
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        status, log = g.sh("dmesg | grep 'KVM: Live patching'", timeout=60)
        c.check(status == 0 and "Live patching for a fast VM" in log,
                "patched kernel: it ran its patching (dmesg: 'KVM: Live patching for a fast VM'; "
                "'failed' there means its template space ran out)")
        status, out = g.sh("echo $((6 * 7))")
        c.check(status == 0 and out.strip() == "42", "patched kernel: its shell runs")
        g.send("reboot -f")
        c.check(g.wait_exit(30) == 0, "patched kernel: reboot -f ends the run")
    except guestlib.GuestError as e:
        c.check(False, f"patched kernel: {e}")
    finally:
        g.close()


def main():
    vmm, guests = guestlib.test_setup(__doc__.splitlines()[0])
    if vmm == "qemu":
        print("FAIL: paravirtualisation is softkvm's: run without --qemu")
        return 1
    c = guestlib.Checks()

    text = boot(c, guests, "paravirt")
    c.check(exits(text, "hcall") >= 2,
            f"paravirt: the guest asks for the features and the magic page "
            f"({exits(text, 'hcall')} hypercalls)")
    text = boot(c, guests, "--no-paravirt", extra=["--no-paravirt"])
    c.check(exits(text, "hcall") == 0,
            f"--no-paravirt: no hypercall ({exits(text, 'hcall')})")

    with tempfile.TemporaryDirectory() as tmp:
        kernel = os.path.join(tmp, "vmlinux-pv")
        try:
            pvkernel.make(guests, kernel)
        except (OSError, pvkernel.PvKernelError) as e:
            c.check(False, f"a kernel whose paravirt check works: {e}")
            return c.status()
        on = privileged(boot(c, guests, "patched kernel", kernel))
        off = privileged(boot(c, guests, "patched kernel --no-paravirt", kernel,
                              ["--no-paravirt"]))
        print(f"exits on {'/'.join(PATCHED)} per boot: {on} with paravirt, {off} without")
        c.check(0 < on < 0.5 * off,
                "patched kernel: paravirt removes more than half of the exits on the "
                f"instructions it patches ({on} against {off})")
        patched_shell(c, guests, kernel)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
