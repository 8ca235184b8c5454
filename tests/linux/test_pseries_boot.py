#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ppc64le Linux kernel on the pseries board, with an initramfs whose /init is
tools/pseries_init.S (assembled here: no C library, no vector instructions). How the guest
ends the run, through RTAS and the vcpu, as on the 440:

  poweroff  init's reboot(POWER_OFF): RTAS power-off ends the run with status 0;
  reboot    reboot(RESTART): RTAS system-reboot boots the board again (init runs twice),
            and with --no-reboot ends the run with status 0;
  panic     init exits: the kernel panics, ibm,os-term says so: status 5, one
            "softkvm: guest kernel panic" line;
  timeout   init waits forever: --timeout ends the run with status 4;
  echo      a line typed on the console reaches init (hvc0's input: the vty's buffer, its
            level interrupt through XICS, H_GET_TERM_CHAR) and comes back;
  disk      --disk: a virtio-blk function on the PHB (its INTx through XICS): init reads the
            image's first bytes from /dev/vda and writes 16 bytes at 4096, which the image
            then holds;
and a missing kernel is one clear error with status 1.

The kernel is $SOFTKVM_GUESTS64/vmlinux, else ../shared/guests/ppc64le/vmlinux, else
build/guests/ppc64le/vmlinux (guestlib.find_guests): without it the test fails (it cannot
run, so it must not pass).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GUESTS64 = guestlib.GUESTS64
BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
CROSS = "powerpc64le-linux-gnu-"
MARKER = r"PSERIES-INIT-OK argv1=(\w*)\n"


def build_initrd(tmp):
    src = os.path.join(HERE, "tools", "pseries_init.S")
    obj, exe = os.path.join(tmp, "init.o"), os.path.join(tmp, "init")
    subprocess.run([CROSS + "as", "-mpower8", "-mregnames", "-o", obj, src], check=True)
    subprocess.run([CROSS + "ld", "-static", "-e", "_start", "-o", exe, obj], check=True)
    with open(exe, "rb") as f:
        cpio = guestlib.cpio_newc([("dev", 0o40755, b""), ("init", 0o100755, f.read())])
    initrd = os.path.join(tmp, "init.cpio.gz")
    with open(initrd, "wb") as f:
        f.write(cpio)
    return initrd


def command(kernel, initrd, mode, *extra):
    return [guestlib.softkvm_path(), "run", "--machine", "pseries", "--kernel", kernel,
            "--initrd", initrd, "--append", f"console=hvc0 {mode}".strip(), *extra]


def run(c, kernel, initrd, mode, *extra, timeout=BOOT_TIMEOUT):
    g = guestlib.Guest(command(kernel, initrd, mode, *extra))
    try:
        rc = g.wait_exit(timeout)
    except guestlib.GuestError as e:
        c.check(False, f"{mode or 'no mode'}: the run ends", str(e))
        rc = None
    finally:
        g.close()
    return rc, g.text


def main():
    problem = guestlib.pseries_unready(("vmlinux",))
    if problem:
        print(f"FAIL: {problem}")
        return 1
    kernel = os.path.join(GUESTS64, "vmlinux")
    if not shutil.which(CROSS + "as"):
        print(f"FAIL: {CROSS}as is not installed (binutils-powerpc64le-linux-gnu)")
        return 1
    c = guestlib.Checks()
    tmp = tempfile.mkdtemp(prefix="softkvm-pseries-boot-")
    try:
        initrd = build_initrd(tmp)

        rc, text = run(c, kernel, initrd, "poweroff")
        c.check(rc == 0 and re.findall(MARKER, text) == ["poweroff"],
                f"poweroff: init ran once and RTAS power-off ended the run with status 0 "
                f"(got {rc})", text[-2000:])
        c.check("reboot: Power down" in text, "poweroff: the kernel powered down")

        rc, text = run(c, kernel, initrd, "reboot", "--no-reboot")
        c.check(rc == 0 and re.findall(MARKER, text) == ["reboot"],
                f"reboot --no-reboot: RTAS system-reboot ended the run with status 0 "
                f"(got {rc})", text[-2000:])

        # without --no-reboot the board boots again: init's marker a second time
        g = guestlib.Guest(command(kernel, initrd, "reboot"))
        try:
            g.expect(MARKER, BOOT_TIMEOUT, "init, first boot")
            g.expect(r"reboot: Restarting system", 30, "the restart")
            g.expect(MARKER, BOOT_TIMEOUT, "init again after the reboot")
            c.check(g.proc.poll() is None, "reboot: the board booted the kernel again")
        except guestlib.GuestError as e:
            c.check(False, "reboot: the board boots the kernel again", str(e))
        finally:
            g.close()

        rc, text = run(c, kernel, initrd, "exit")
        c.check(rc == 5 and "Kernel panic - not syncing: Attempted to kill init!" in text,
                f"panic: init's exit panics the kernel: status 5 (got {rc})", text[-2000:])
        c.check(text.count("softkvm: guest kernel panic") == 1,
                "panic: one 'softkvm: guest kernel panic' line")

        rc, text = run(c, kernel, initrd, "", "--timeout", "20")
        c.check(rc == 4 and re.findall(MARKER, text) == [""] and
                text.rstrip().endswith("softkvm: timeout after 20 s"),
                f"--timeout 20: init waits, the run ends with status 4 (got {rc})",
                text[-2000:])

        g = guestlib.Guest(command(kernel, initrd, "echo"))
        try:
            g.expect(MARKER, BOOT_TIMEOUT, "init")
            g.send("typed-on-the-host")
            g.expect(r"ECHO typed-on-the-host\n", 30, "the line echoed by init")
            rc = g.wait_exit(30)
            c.check(rc == 0, f"echo: a console line reached init and came back (status {rc})")
        except guestlib.GuestError as e:
            c.check(False, "echo: a console line reaches init", str(e))
        finally:
            g.close()

        disk = os.path.join(tmp, "disk.img")
        with open(disk, "wb") as f:
            f.write(b"HOST-WROTE-THIS!" + bytes(8 << 20))
        rc, text = run(c, kernel, initrd, "disk", "--disk", disk)
        c.check(rc == 0 and "\nDISK-READ HOST-WROTE-THIS!\n" in text,
                f"disk: the guest read the image's first bytes through virtio-pci (status {rc})",
                text[-2000:])
        with open(disk, "rb") as f:
            f.seek(4096)
            c.check(f.read(16) == b"GUEST-WROTE-THIS", "disk: the guest's write is in the image")

        missing = os.path.join(tmp, "none", "vmlinux")
        rc, text = run(c, missing, initrd, "poweroff")
        lines = text.strip().splitlines()
        c.check(rc == 1 and len(lines) == 1 and "No such file or directory" in lines[0],
                f"a missing kernel: one error line, status 1 (got {rc}: {lines})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
