#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Disk benchmarks: softkvm's virtio-blk and QEMU 7.2's virtio-blk-pci side by side, in one run.

usage: bench/io.py [--runs N] [--passes P] [--softkvm PATH] [--only softkvm|qemu] [--reads N]

Both VMMs boot the same vmlinux and rootfs.cpio.gz (tests/linux/guestlib.py finds them), with a
small cpio appended that adds /bin/randread (bench/tools/randread.c, built static with
powerpc-linux-gnu-gcc), 256 MiB of RAM and one 256 MiB raw disk of random bytes, read once on
the host first (page cache warm), with the host's page cache in use (softkvm --disk IMG; QEMU
-drive if=none,id=d0,file=IMG,format=raw,cache=writeback -device virtio-blk-pci,drive=d0:
QEMU's bamboo has PCI, not virtio-mmio). In the guest's shell, N rounds, alternating VMMs,
each figure the best of P passes in the round's boot (a dd of 256 MiB takes 0.1-0.5 s: one
pass is at the mercy of whatever else the host runs at that moment):

  seq read    dd if=/dev/vda of=/dev/null bs=1M count=256 iflag=direct   (bytes / dd's seconds)
  seq write   dd if=/dev/zero of=/dev/vda bs=1M count=256 oflag=direct
  rand read   randread /dev/vda READS: 4 KiB O_DIRECT preads at random offsets, one at a time
  boot        softkvm only: wall time to the SOFTKVM-BOOT-OK marker with the disk and a NIC
              (--net user) attached and without them (softkvm.test=reboot)

Prints the median of each figure (min-max) for both, the ratio softkvm/QEMU and the issue's
target: sequential >= 1.5x QEMU's throughput, random read >= 2x QEMU's IOPS, boot with a disk
and a NIC within 10 % of the boot without. Exit status: 0 every target met, 2 one missed, 1 a run failed.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "linux"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

DISK_MIB = 256
DD_RATE = re.compile(r"(\d+) bytes .*copied, ([\d.]+) seconds")
RANDREAD = re.compile(r"RANDREAD reads=(\d+) seconds=([\d.]+) iops=(\d+)")


def build_initrd(guests, tmp):
    return guestlib.initrd_with_tool(guests, tmp, os.path.join(ROOT, "bench", "tools", "randread.c"),
                                     "randread")


def command(vmm, guests, initrd, append, disk, softkvm, nic=False):
    cmd = guestlib.command(vmm, guests, append, softkvm=softkvm)
    cmd[cmd.index(os.path.join(guests, "rootfs.cpio.gz"))] = initrd
    if disk and vmm == "qemu":
        cmd += ["-drive", f"if=none,id=d0,file={disk},format=raw,cache=writeback",
                "-device", "virtio-blk-pci,drive=d0"]
    elif disk:
        cmd += ["--disk", disk]
    if nic:
        cmd += ["--net", "user"]
    return cmd


def mbps(text):
    """10^6 bytes per second, from dd's byte count and seconds (its own rate has two digits)."""
    m = DD_RATE.search(text)
    if not m or float(m.group(2)) <= 0:
        raise guestlib.GuestError(f"no dd rate in {text!r}")
    return int(m.group(1)) / float(m.group(2)) / 1e6


def best_of(g, passes, cmd, rate):
    """The best rate of passes runs of the guest command cmd."""
    best = 0.0
    for _ in range(passes):
        st, out = g.sh(cmd, 300)
        if st:
            raise guestlib.GuestError(f"a guest command failed: {cmd}\n{out}")
        best = max(best, rate(out))
    return best


def iops(text):
    m = RANDREAD.search(text)
    if not m:
        raise guestlib.GuestError(f"no randread figure in {text!r}")
    return float(m.group(3))


def run_io(cmd, reads, passes):
    g = guestlib.Guest(cmd)
    try:
        g.expect(rf"\n{guestlib.BOOT_MARKER} uptime=", 120, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        g.sh("dd if=/dev/vda of=/dev/null bs=1M count=16 iflag=direct 2>&1")  # warm-up
        out = {
            "read": best_of(g, passes, f"dd if=/dev/vda of=/dev/null bs=1M count={DISK_MIB} "
                            "iflag=direct 2>&1", mbps),
            "write": best_of(g, passes, f"dd if=/dev/zero of=/dev/vda bs=1M count={DISK_MIB} "
                             "oflag=direct 2>&1", mbps),
            "randread": best_of(g, passes, f"randread /dev/vda {reads}", iops),
        }
        g.send("poweroff -f")
        return out
    finally:
        g.close()


def run_boot(cmd):
    g = guestlib.Guest(cmd)
    try:
        m = g.expect(rf"\n{guestlib.BOOT_MARKER} uptime=", 120, "the boot marker")
        return g.when(m.end())
    finally:
        g.close()


def fill_disk(path):
    with open(path, "wb") as f:
        for _ in range(DISK_MIB):
            f.write(os.urandom(1 << 20))


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 22):
            pass


def span(values):
    return f"{min(values):.3g}-{max(values):.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reads", type=int, default=4000)
    ap.add_argument("--passes", type=int, default=3, help="passes per figure per boot (best)")
    ap.add_argument("--softkvm", default=guestlib.softkvm_path())
    ap.add_argument("--only", choices=["softkvm", "qemu"])
    args = ap.parse_args()
    guests = guestlib.find_guests()
    if not guests:
        print("no guest images (see tests/linux/guestlib.py)", file=sys.stderr)
        return 1
    vmms = [args.only] if args.only else ["softkvm", "qemu"]
    tmp = tempfile.mkdtemp(prefix="softkvm-io-")
    res = {v: {"read": [], "write": [], "randread": []} for v in vmms}
    boots = {"disk": [], "none": []}
    try:
        initrd = build_initrd(guests, tmp)
        disk = os.path.join(tmp, "disk.img")
        fill_disk(disk)
        for r in range(args.runs):
            for vmm in (vmms if r % 2 == 0 else vmms[::-1]):
                warm(disk)
                cmd = command(vmm, guests, initrd, "console=ttyS0", disk, args.softkvm)
                for k, v in run_io(cmd, args.reads, args.passes).items():
                    res[vmm][k].append(v)
                print(f"run {r + 1} {vmm}: " + ", ".join(
                    f"{k} {v[-1]:.4g}" for k, v in res[vmm].items()), flush=True)
            if "softkvm" in vmms:
                for kind in (("disk", "none") if r % 2 == 0 else ("none", "disk")):
                    cmd = command("softkvm", guests, initrd, "console=ttyS0 softkvm.test=reboot",
                                  disk if kind == "disk" else None, args.softkvm,
                                  nic=kind == "disk")
                    boots[kind].append(run_boot(cmd))
    except (guestlib.GuestError, subprocess.CalledProcessError) as e:
        print(f"run failed: {e}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp)

    status = 0
    print(f"\nmedian of {args.runs} runs (min-max), each the best of {args.passes} passes; "
          f"disk {DISK_MIB} MiB raw, page cache warm")
    print(f"{'figure':34} {'softkvm':>20} {'qemu':>20} {'ratio':>7}  target")
    rows = [("read", "seq read 1 MiB O_DIRECT (MB/s)", 1.5),
            ("write", "seq write 1 MiB O_DIRECT (MB/s)", 1.5),
            ("randread", "4 KiB random read QD1 (IOPS)", 2.0)]
    for key, label, target in rows:
        cells, med = [], {}
        for vmm in ("softkvm", "qemu"):
            v = res.get(vmm, {}).get(key)
            if v:
                med[vmm] = statistics.median(v)
                cells.append(f"{med[vmm]:.4g} ({span(v)})")
            else:
                cells.append("-")
        ratio = med["softkvm"] / med["qemu"] if len(med) == 2 else None
        ok = ratio is None or ratio >= target
        status = status or (0 if ok else 2)
        print(f"{label:34} {cells[0]:>20} {cells[1]:>20} "
              f"{(f'{ratio:.2f}x' if ratio else '-'):>7}  >= {target}x QEMU"
              f"{'' if ok else '  MISSED'}")
    if boots["disk"]:
        d, n = statistics.median(boots["disk"]), statistics.median(boots["none"])
        ok = d <= 1.10 * n
        status = status or (0 if ok else 2)
        # softkvm both: its boot with the disk and the NIC / its boot without them
        print(f"{'softkvm boot: disk+NIC / none (s)':34} {d:>20.3f} {n:>20.3f} "
              f"{d / n:>6.2f}x  <= 1.10x{'' if ok else '  MISSED'}")
    return status


if __name__ == "__main__":
    sys.exit(main())
