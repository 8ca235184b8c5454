#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""virtio-blk under Linux: --disk on ext4 images built on the host with mke2fs -d.

(a) rw disk with serial=SKVMDISK0 plus a second disk: the guest sees them as vda and vdb in
    command-line order (sizes tell them apart), vda's serial is in /sys/block/vda/serial and
    /dev/disk/by-id (mdev/udev permitting: the sysfs file is checked), vdb's queue takes 1022
    segments and a 1 MiB O_DIRECT read reaches the device as one request, mounts vda, reads the
    host's file, writes one, syncs, and softkvm is SIGKILLed right after the sync returns:
    e2fsck -fn finds the image clean and debugfs reads the guest's file back from it.
(b) the same image again: a file written, umount, poweroff -f: clean, file there, --stats
    counts the disk's requests, bytes and flushes.
(c) --disk IMG,ro: /sys/block/vda/ro is 1, a write to /dev/vda fails, the mount is read-only,
    and the image's sha256 is unchanged.
(d) bad options: a missing file, a directory, an image another softkvm holds, a bad suboption,
    a 9th disk: one message naming the problem, a non-zero exit, no guest output.

usage: test_blk.py      (softkvm only: QEMU's bamboo has no virtio-mmio)
"""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
STATS = re.compile(r"^\s*virtio-blk\s+0x[0-9a-f]+\s+(\d+) requests\s+(\d+) bytes.*\n\s+(\d+) flushes",
                   re.M)


def mkfs(path, size_mib, files):
    src = tempfile.mkdtemp(prefix="blk-src-")
    try:
        for name, text in files.items():
            with open(os.path.join(src, name), "w") as f:
                f.write(text)
        with open(path, "wb") as f:
            f.truncate(size_mib << 20)
        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-d", src, path], check=True)
    finally:
        shutil.rmtree(src)


def fsck_clean(path):
    r = subprocess.run(["e2fsck", "-fn", path], capture_output=True, text=True)
    return r.returncode == 0, r.stdout + r.stderr


def debugfs_cat(path, name):
    r = subprocess.run(["debugfs", "-R", f"cat /{name}", path], capture_output=True, text=True)
    return r.stdout


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def boot(guests, disks, extra=()):
    cmd = guestlib.command("softkvm", guests, "console=ttyS0") + list(extra)
    for d in disks:
        cmd += ["--disk", d]
    g = guestlib.Guest(cmd)
    g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker")
    g.expect(r"[#$] ", 20, "the shell prompt")
    return g


def kill_after_sync(c, guests, img, img2):
    g = boot(guests, [img + ",serial=SKVMDISK0", img2])
    try:
        st, out = g.sh("cat /sys/block/vda/size /sys/block/vdb/size")
        sizes = out.split()
        c.check(st == 0 and sizes == [str(64 << 11), str(32 << 11)],
                f"vda is the first --disk (64 MiB), vdb the second (32 MiB) (got {sizes})", out)
        st, out = g.sh("cat /sys/block/vda/serial")
        c.check(st == 0 and out.splitlines()[0] == "SKVMDISK0",
                f"/sys/block/vda/serial is SKVMDISK0 (got {out!r})")
        # seg_max lets a 1 MiB read of scattered pages be one request (not two or more)
        st, out = g.sh("cat /sys/block/vdb/queue/max_segments /sys/block/vdb/stat && "
                       "dd if=/dev/vdb of=/dev/null bs=1M count=1 iflag=direct 2>/dev/null && "
                       "cat /sys/block/vdb/stat")
        lines = [ln.split() for ln in out.strip().splitlines()]
        # stat: reads completed, reads merged, sectors read, ...
        ok = st == 0 and len(lines) == 3 and all(len(ln) >= 3 for ln in lines[1:])
        c.check(ok and lines[0] == ["1022"] and int(lines[2][0]) - int(lines[1][0]) == 1
                and int(lines[2][2]) - int(lines[1][2]) == 2048,
                "vdb: max_segments 1022, a 1 MiB O_DIRECT read is one request of 2048 sectors",
                out)
        st, out = g.sh("mount -t ext4 /dev/vda /mnt && cat /mnt/hello.txt")
        c.check(st == 0 and "hello from the host\n" in out,
                f"the guest mounts vda and reads the host's file (got {out!r})")
        st, out = g.sh("echo synced-before-kill > /mnt/killed.txt && sync")
        c.check(st == 0, "the guest writes a file and syncs", out)
        g.proc.send_signal(signal.SIGKILL)
        g.wait_exit(10)
    except guestlib.GuestError as e:
        c.check(False, str(e))
    finally:
        g.close()
    ok, out = fsck_clean(img)
    c.check(ok, "SIGKILL after the guest's sync: e2fsck -fn finds the image clean", out)
    got = debugfs_cat(img, "killed.txt")
    c.check(got == "synced-before-kill\n", f"debugfs reads the synced file back (got {got!r})")


class CleanPoweroff(guestlib.Part):
    """(b): the ext4 image img as the guest's first disk (vda), written through a mount."""

    def __init__(self, img, serial=None):
        self.img, self.serial, self.guest_md5 = img, serial, ""

    def options(self):
        return ["--disk", self.img + (f",serial={self.serial}" if self.serial else "")]

    def at_shell(self, c, g):
        if self.serial:
            st, out = g.sh('echo "$(cat /sys/block/vda/serial)"')
            c.check(st == 0 and self.serial in out.splitlines(),
                    f"/sys/block/vda/serial is {self.serial} (got {out!r})")
        st, out = g.sh("mount /dev/vda /mnt && cat /mnt/hello.txt && "
                       "dd if=/dev/urandom of=/mnt/big bs=64k count=32 "
                       "2>/dev/null && md5sum /mnt/big && echo second > /mnt/second.txt && "
                       "umount /mnt && sync")
        c.check(st == 0 and "hello from the host\n" in out,
                "the guest mounts vda, reads the host's file, writes 2 MiB and a file, "
                "unmounts", out)
        m = re.search(r"^([0-9a-f]{32})  /mnt/big$", out, re.M)
        self.guest_md5 = m.group(1) if m else "(none)"

    def after_exit(self, c, g):
        img = self.img
        m = STATS.search(g.text)
        c.check(m and int(m.group(1)) > 10 and int(m.group(2)) >= 2 << 20 and int(m.group(3)) >= 1,
                "--stats counts the disk's requests, bytes (>= 2 MiB) and flushes",
                g.tail())
        ok, out = fsck_clean(img)
        c.check(ok, "clean poweroff: e2fsck -fn finds the image clean", out)
        c.check(debugfs_cat(img, "second.txt") == "second\n", "the file is in the image")
        dumped = img + ".big"
        subprocess.run(["debugfs", "-R", f"dump /big {dumped}", img], capture_output=True)
        host_md5 = ""
        if os.path.exists(dumped):
            with open(dumped, "rb") as f:
                host_md5 = hashlib.md5(f.read()).hexdigest()
            os.unlink(dumped)
        c.check(host_md5 == self.guest_md5,
                f"the 2 MiB file in the image has the guest's md5sum ({host_md5} vs "
                f"{self.guest_md5})")


class ReadOnly(guestlib.Part):
    """(c): the ext4 image img (holding data.txt) as a read-only disk, the guest's dev."""

    def __init__(self, img, dev="vda"):
        self.img, self.dev, self.before = img, dev, sha256(img)

    def options(self):
        return ["--disk", self.img + ",ro"]

    def at_shell(self, c, g):
        dev = self.dev
        st, out = g.sh(f"cat /sys/block/{dev}/ro")
        c.check(st == 0 and out.strip() == "1", f"/sys/block/{dev}/ro is 1 (got {out!r})")
        st, out = g.sh(f"mkdir -p /mnt/ro && mount -o ro /dev/{dev} /mnt/ro && "
                       "cat /mnt/ro/data.txt")
        c.check(st == 0 and "data\n" in out, "the ro disk mounts and reads", out)
        st, out = g.sh("echo x > /mnt/ro/nope.txt")
        c.check(st != 0, "writing into the read-only mount fails", out)
        st, out = g.sh(f"umount /mnt/ro; dd if=/dev/zero of=/dev/{dev} bs=4096 count=1 "
                       "oflag=sync conv=fsync 2>&1")
        c.check(st != 0, f"a raw write to /dev/{dev} fails", out)

    def after_exit(self, c, g):
        c.check(sha256(self.img) == self.before,
                "the ro image is byte-identical after the run (sha256)")


def bad_options(c, guests, tmp, img):
    base = guestlib.command("softkvm", guests, "console=ttyS0") + ["--timeout", "20"]

    def run(disks, want, what):
        cmd = list(base)
        for d in disks:
            cmd += ["--disk", d]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        lines = r.stderr.strip().splitlines()
        c.check(r.returncode != 0 and len(lines) == 1 and re.search(want, lines[0])
                and guestlib.BOOT_MARKER not in r.stdout and r.stdout == "",
                f"{what}: one message, non-zero exit, no guest output "
                f"(status {r.returncode}, {r.stderr.strip()!r})")

    run([os.path.join(tmp, "missing.img")], r"missing\.img.*No such file", "a missing file")
    run([tmp], r"is a directory", "a directory")
    run([img + ",bogus"], r"unknown suboption 'bogus'", "a bad suboption")
    run([img + ",serial=" + "x" * 21], r"serial", "a serial too long")
    run([img] * 9, r"at most 8", "a 9th disk")
    run([img, img], r"locked", "the same image twice")
    holder = guestlib.Guest(guestlib.command("softkvm", guests, "console=ttyS0") + ["--disk", img])
    try:
        holder.expect(r"SOFTKVM-BOOT-OK", BOOT_TIMEOUT, "the first softkvm's boot")
        run([img], r"locked by another", "an image another softkvm holds (rw)")
        run([img + ",ro"], r"locked by another", "an image another softkvm holds rw (asked ro)")
    except guestlib.GuestError as e:
        c.check(False, str(e))
    finally:
        holder.close()



def run(c, guests, tmp):
    img = os.path.join(tmp, "root.img")
    img2 = os.path.join(tmp, "data.img")
    mkfs(img, 64, {"hello.txt": "hello from the host\n"})
    mkfs(img2, 32, {"data.txt": "data\n"})
    kill_after_sync(c, guests, img, img2)
    cmd = guestlib.command("softkvm", guests, "console=ttyS0")
    guestlib.boot_parts(c, cmd + ["--stats"], [CleanPoweroff(img)])
    guestlib.boot_parts(c, cmd, [ReadOnly(img2)])
    bad_options(c, guests, tmp, img)


def main():
    return guestlib.virtio_test_main(__doc__.splitlines()[0], run, tmp_prefix="softkvm-blk-",
                                     needs=("mke2fs", "e2fsck", "debugfs"))


if __name__ == "__main__":
    sys.exit(main())
