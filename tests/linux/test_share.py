#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--share: a host directory in the Linux guest over virtio-9p (9P2000.L).

Boot with two shares of fresh host directories: "rw" (a 300 KiB file of random bytes, a
subdirectory with a file, a symlink to / and one to a canary file outside the share) and
"ro" (read-only). In the guest: mount both (mount -t 9p -o trans=virtio,version=9p2000.L);
ls lists the host's names; md5sum of the big file equals the host's md5; the guest writes a
file (the host then holds exactly its bytes), mkdir, mv (rename) and rm work and the host
sees each; a hard link shares the host inode; the symlink to / is a symlink in the guest,
and following it lands in the guest's own / (never the host's); on the ro share every
change is refused (Read-only file system) and nothing changed on the host; the canary
outside keeps its content; --stats counts the virtio-9p requests.

usage: test_share.py      (softkvm only: QEMU's bamboo has no virtio-mmio)
"""
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

MOUNT = "mount -t 9p -o trans=virtio,version=9p2000.L"
STATS = re.compile(r"^\s*virtio-9p\s+0x[0-9a-f]+\s+(\d+) requests\s+(\d+) bytes", re.M)


def setup(top):
    rw, ro = os.path.join(top, "rw"), os.path.join(top, "ro")
    os.makedirs(os.path.join(rw, "sub"))
    os.makedirs(ro)
    big = os.urandom(300 * 1024 + 17)
    with open(os.path.join(rw, "big.bin"), "wb") as f:
        f.write(big)
    with open(os.path.join(rw, "sub", "inner.txt"), "w") as f:
        f.write("inner\n")
    with open(os.path.join(ro, "keep.txt"), "w") as f:
        f.write("keep me\n")
    canary = os.path.join(top, "canary.txt")
    with open(canary, "w") as f:
        f.write("CANARY-OUTSIDE\n")
    os.symlink("/", os.path.join(rw, "to_root"))
    os.symlink(canary, os.path.join(rw, "to_canary"))
    return rw, ro, canary, hashlib.md5(big).hexdigest()


class Share(guestlib.Part):
    """The two shares of fresh directories under top, checked as the docstring says."""

    def __init__(self, top):
        self.rw, self.ro, self.canary, self.md5 = setup(top)

    def options(self):
        return ["--share", f"{self.rw},tag=hostrw", "--share", f"{self.ro},tag=hostro,ro"]

    def at_shell(self, c, g):
        rw, ro, md5 = self.rw, self.ro, self.md5
        status, out = g.sh(f"mkdir -p /mnt/rw /mnt/ro && {MOUNT} hostrw /mnt/rw && "
                           f"{MOUNT} hostro /mnt/ro && grep 9p /proc/mounts")
        c.check(status == 0 and "/mnt/rw 9p" in out and "/mnt/ro 9p" in out,
                "both shares mount (mount -t 9p -o trans=virtio)", out)
        status, out = g.sh("ls /mnt/rw")
        c.check(status == 0 and out.split() == ["big.bin", "sub", "to_canary", "to_root"],
                "ls lists the host directory's names", out)
        status, out = g.sh("md5sum /mnt/rw/big.bin")
        c.check(status == 0 and out.split()[:1] == [md5],
                f"md5sum of a 300 KiB host file equals the host's ({md5})", out)
        status, out = g.sh("cat /mnt/rw/sub/inner.txt")
        c.check(status == 0 and out == "inner\n", "a file in a subdirectory reads back", out)

        status, out = g.sh("i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done "
                           "> /mnt/rw/made.txt && md5sum /mnt/rw/made.txt")
        want = "".join(f"line{i}\n" for i in range(2000)).encode()
        host = open(os.path.join(rw, "made.txt"), "rb").read() if os.path.exists(
            os.path.join(rw, "made.txt")) else b""
        c.check(status == 0 and host == want and out.split()[:1] == [hashlib.md5(want).hexdigest()],
                f"a file the guest writes is on the host with the same bytes ({len(host)} bytes)", out)
        status, out = g.sh("mkdir /mnt/rw/newdir && mv /mnt/rw/made.txt /mnt/rw/newdir/moved.txt"
                           " && ln /mnt/rw/newdir/moved.txt /mnt/rw/hard.txt && ls /mnt/rw/newdir")
        st_moved = os.stat(os.path.join(rw, "newdir", "moved.txt")) if os.path.exists(
            os.path.join(rw, "newdir", "moved.txt")) else None
        c.check(status == 0 and st_moved is not None and not os.path.exists(
            os.path.join(rw, "made.txt")), "mkdir and mv (rename) work; the host sees them", out)
        c.check(st_moved is not None and os.path.exists(os.path.join(rw, "hard.txt")) and
                os.stat(os.path.join(rw, "hard.txt")).st_ino == st_moved.st_ino,
                "ln makes a hard link (one host inode)")
        status, out = g.sh("rm /mnt/rw/hard.txt /mnt/rw/newdir/moved.txt && rmdir /mnt/rw/newdir"
                           " && ls /mnt/rw")
        c.check(status == 0 and not os.path.exists(os.path.join(rw, "newdir")) and
                not os.path.exists(os.path.join(rw, "hard.txt")),
                "rm and rmdir work; the host sees them", out)

        status, out = g.sh("readlink /mnt/rw/to_root; ls /mnt/rw/to_root/ | head -50")
        c.check(status == 0 and out.splitlines()[0] == "/" and "init" in out.split(),
                "a symlink to / is a symlink in the guest, resolved in the guest's own /", out)
        status, out = g.sh("cat /mnt/rw/to_canary")
        c.check("CANARY-OUTSIDE" not in out,
                "a symlink to a host file outside the share does not reach it", out)

        status, out = g.sh("cat /mnt/ro/keep.txt; echo x > /mnt/ro/new.txt; "
                           "echo x >> /mnt/ro/keep.txt; mkdir /mnt/ro/d; rm /mnt/ro/keep.txt; "
                           "mv /mnt/ro/keep.txt /mnt/ro/k2; true")
        refused = out.count("Read-only file system")
        c.check(out.startswith("keep me\n") and refused >= 5 and
                os.listdir(ro) == ["keep.txt"] and
                open(os.path.join(ro, "keep.txt")).read() == "keep me\n",
                f"the ro share reads but refuses every change ({refused} EROFS), "
                "the host directory unchanged", out)
        status, out = g.sh("umount /mnt/rw && umount /mnt/ro && echo unmounted")
        c.check(status == 0 and "unmounted" in out, "both shares unmount", out)

    def after_exit(self, c, g):
        c.check(open(self.canary).read() == "CANARY-OUTSIDE\n", "the canary outside is untouched")
        m = STATS.search(g.text)
        c.check(m is not None and int(m.group(1)) >= 20 and int(m.group(2)) >= 300 * 1024,
                f"--stats counts virtio-9p requests and bytes ({m and m.groups()})", g.tail())


def run(c, guests, top):
    guestlib.boot_parts(c, guestlib.command("softkvm", guests, "console=ttyS0") + ["--stats"],
                        [Share(top)])


def main():
    return guestlib.virtio_test_main(__doc__.splitlines()[0], run, tmp_prefix="softkvm-share-")


if __name__ == "__main__":
    sys.exit(main())
