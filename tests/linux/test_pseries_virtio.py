#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The virtio devices on the pseries board (virtio-pci functions on its PHB: the same device
code as the 440's virtio-mmio ones), all in one boot of the ppc64le busybox guest
(../shared/guests/ppc64le, console=hvc0) with --stats and every device attached. Each
device's checks are the 440 test's own (the parts of test_virtio, test_blk, test_share,
test_net and test_vsock), run at the pseries guest's shell:

  console, rng   virtio-console and virtio-rng are there and bound; /dev/hwrng gives
                 random bytes (test_virtio); the shell stays on the vty (tty: /dev/hvc0)
                 and the virtio console is the next hvc port: a line written to /dev/hvc1
                 comes out on softkvm's output, and --stats counts it;
  disks          --disk root.img,serial=S (vda: serial, mount, the host's file read, 2 MiB
                 and a file written; after poweroff e2fsck -fn clean, debugfs reads both
                 back) and --disk data.img,ro (vdb: writes fail, the image unchanged)
                 (test_blk);
  shares         two --share, rw and ro (test_share: md5 of a host file, writes, renames,
                 links, symlinks resolved in the guest, EROFS);
  network        --net user with a hostfwd: DHCP 10.0.2.15, 1 MiB each way through wget,
                 httpd and nc, offloads negotiated (test_net);
  vsock          --vsock 42 with /bin/vsock_echo built for ppc64le: 1 MiB echoed each way,
                 refused connections (test_vsock);
and at the end, all of that done, the kernel log is clean (test_dmesg's signs of trouble,
and no line saying a device or driver failed) and poweroff ends the run with status 0.
Without the images, the ppc64le cross compiler or the e2fsprogs tools the test fails.

usage: test_pseries_virtio.py
"""
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402
import test_blk  # noqa: E402
import test_dmesg  # noqa: E402
import test_net  # noqa: E402
import test_share  # noqa: E402
import test_virtio  # noqa: E402
import test_vsock  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "90"))
# a device or driver that gave up (the 440's tests reject these per device; here all at once)
FAILED = re.compile(r"fail|error|broken|not a head", re.I)


class SecondHvc(guestlib.Part):
    """hvc0 is the vty; the virtio console is another hvc port whose output reaches the
    console."""

    def at_shell(self, c, g):
        status, out = g.sh("tty; cat /proc/consoles")
        c.check(status == 0 and out.splitlines()[:1] == ["/dev/hvc0"] and "hvc0" in out,
                "the shell runs on /dev/hvc0, the kernel's console", out)
        # the marker split in what is typed, so that the echo of the line never matches it
        status, out = g.sh('echo "PSERIES-VIRTIO""-CONSOLE-OK" > /dev/hvc1')
        c.check(status == 0, "a write to /dev/hvc1 (the virtio console) succeeds", out)
        # from the device's thread: before the shell's next line or after it
        try:
            if "PSERIES-VIRTIO-CONSOLE-OK" not in out:
                g.expect(r"PSERIES-VIRTIO-CONSOLE-OK", 20, "the line written to /dev/hvc1")
            c.check(True, "the line written to /dev/hvc1 came out on softkvm's output")
        except guestlib.GuestError as e:
            c.check(False, "the line written to /dev/hvc1 comes out", str(e))

    def after_exit(self, c, g):
        con = test_virtio.stats(g.text).get("virtio-console")
        c.check(con is not None and con[0] >= 1 and con[1] >= len("PSERIES-VIRTIO-CONSOLE-OK")
                and con[2] >= 1 and con[3] >= 1,
                f"--stats counts the virtio console's output ({con})", g.tail())


class CleanLog(guestlib.Part):
    """Last: the kernel log after everything else ran."""

    def at_shell(self, c, g):
        bad = test_dmesg.trouble(g.text)
        c.check(not bad, "the console output shows no sign of trouble", "\n".join(bad))
        status, log = g.sh("dmesg", timeout=60)
        c.check(status == 0 and re.search(r"Linux version 6\.1", log) is not None and
                "Run /init as init process" in log,
                "dmesg has the kernel banner and the start of /init", log[-2000:])
        bad = test_dmesg.trouble(log) + [ln for ln in log.splitlines() if FAILED.search(ln)]
        c.check(not bad, "dmesg has no Oops, BUG, panic, WARNING, call trace, illegal "
                "instruction, and no failure or error", "\n".join(bad))


def run(c, tmp):
    root, data = os.path.join(tmp, "root.img"), os.path.join(tmp, "data.img")
    test_blk.mkfs(root, 64, {"hello.txt": "hello from the host\n"})
    test_blk.mkfs(data, 32, {"data.txt": "data\n"})
    share_top = os.path.join(tmp, "share")
    os.mkdir(share_top)
    initrd = guestlib.initrd_with_tool(guestlib.GUESTS64, tmp, test_vsock.TOOL, "vsock_echo",
                                       cc=guestlib.CC64)
    cmd = guestlib.pseries_command("console=hvc0", initrd=initrd) + ["--stats"]
    parts = [test_virtio.ConsoleAndRng(), SecondHvc(),
             test_blk.CleanPoweroff(root, serial="PSERIESROOT"),
             test_blk.ReadOnly(data, dev="vdb"),
             test_share.Share(share_top), test_net.Net(), test_vsock.Vsock(tmp), CleanLog()]
    guestlib.boot_parts(c, cmd, parts, timeout=BOOT_TIMEOUT)


def main():
    problem = guestlib.pseries_unready()
    if problem:
        print(f"FAIL: {problem}")
        return 1
    tools = [guestlib.CC64, "mke2fs", "e2fsck", "debugfs"]
    absent = [t for t in tools if not shutil.which(t)]
    if absent:
        print(f"FAIL: {' '.join(absent)} not installed (scripts/install-deps.sh installs them)")
        return 1
    c = guestlib.Checks()
    tmp = tempfile.mkdtemp(prefix="softkvm-pseries-virtio-")
    try:
        run(c, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
