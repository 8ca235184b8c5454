#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Do the pseries board's vcpus really run in parallel? softkvm and QEMU side by side.

usage: bench/smp.py [--runs N] [--copies K] [--softkvm PATH] [--only softkvm|qemu]

Boots the ppc64le busybox guest ($SOFTKVM_GUESTS64, ../shared/guests/ppc64le or
build/guests/ppc64le; console hvc0, no test mode: a shell) twice per VMM and round, and times on the host, at the guest's shell:
  serial    --cpus 1: K copies of /bin/cpubench one after the other
  parallel  --cpus 2: the same K copies, two at a time (`cpubench & cpubench & wait`)
and prints the ratio parallel/serial for each VMM with issue 10's target: <= 0.6 (on a
2-core host two vcpus can at best halve the time). Every cpubench must print the native
checksum (cpubench.c built with the host's gcc), so a run that computed garbage fast does
not count. QEMU runs -M pseries -cpu POWER8 -smp N (multi-threaded TCG). Exit status: 0 the
target met, 2 missed, 1 a run failed.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "linux"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402
from linux import GUESTS64, pseries_command  # noqa: E402

TARGET = 0.6
SUM = re.compile(r"CPUBENCH checksum=([0-9a-f]+)")


def native_checksum(tmp):
    exe = os.path.join(tmp, "cpubench")
    subprocess.run(["gcc", "-O2", "-o", exe, os.path.join(GUESTS64, "cpubench.c")], check=True)
    out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    return SUM.search(out).group(1)


def timed_batch(vmm, cpus, copies, softkvm, native):
    """Host seconds the guest's shell takes for `copies` cpubench runs on `cpus` vcpus."""
    cmd = pseries_command(vmm, os.path.join(GUESTS64, "vmlinux"),
                          os.path.join(GUESTS64, "rootfs.cpio.gz"), "console=hvc0 quiet", softkvm)
    cmd[cmd.index("--no-reboot") if vmm == "softkvm" else 1:1] = (
        ["--cpus", str(cpus)] if vmm == "softkvm" else ["-smp", str(cpus)])
    one = "/bin/cpubench & /bin/cpubench & wait" if cpus == 2 else "/bin/cpubench"
    line = "; ".join([one] * (copies // cpus))
    g = guestlib.Guest(cmd)
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", 120, "the boot marker")
        g.expect(r"[#$] ", 30, "the shell prompt")
        status, out = g.sh("grep -c ^processor /proc/cpuinfo")
        online = re.findall(r"^(\d+)$", out, re.M)
        if online != [str(cpus)]:
            raise guestlib.GuestError(f"{cpus} vcpus asked, online: {out.strip()}")
        t0 = time.monotonic()
        status, out = g.sh(line, 600)
        t = time.monotonic() - t0
        sums = SUM.findall(out)
        if status != 0 or sums != [native] * copies:
            raise guestlib.GuestError(f"cpubench checksums {sums}, native {native}")
        g.send("poweroff -f")
        g.wait_exit(60)
        return t
    finally:
        g.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=4, help="cpubench copies (even)")
    ap.add_argument("--softkvm", default=guestlib.softkvm_path())
    ap.add_argument("--only", choices=("softkvm", "qemu"))
    args = ap.parse_args()
    if args.copies < 2 or args.copies % 2:
        ap.error("--copies must be even and at least 2")
    for f in ("vmlinux", "rootfs.cpio.gz", "cpubench.c"):
        if not os.path.isfile(os.path.join(GUESTS64, f)):
            print(f"no {f} in {GUESTS64}", file=sys.stderr)
            return 1
    vmms = [args.only] if args.only else ["softkvm", "qemu"]
    with tempfile.TemporaryDirectory(prefix="softkvm-smp-") as tmp:
        native = native_checksum(tmp)
        res = {v: {1: [], 2: []} for v in vmms}
        try:
            for r in range(args.runs):
                for vmm in vmms:
                    for cpus in (1, 2):
                        t = timed_batch(vmm, cpus, args.copies, args.softkvm, native)
                        res[vmm][cpus].append(t)
                        print(f"  run {r + 1}/{args.runs} {vmm} --cpus {cpus}: {t:.3f} s",
                              flush=True)
        except (guestlib.GuestError, OSError, subprocess.SubprocessError) as e:
            print(f"run failed: {e}", file=sys.stderr)
            return 1
    print(f"\n{args.copies} cpubench copies; host wall seconds, median of {args.runs} runs "
          "(min-max)")
    print(f"{'vmm':8} {'serial, 1 vcpu':>22} {'parallel, 2 vcpus':>22}  ratio  target")
    missed = False
    for vmm in vmms:
        s, p = (statistics.median(res[vmm][n]) for n in (1, 2))
        ratio = p / s
        cell = {n: f"{statistics.median(res[vmm][n]):.3f} ({min(res[vmm][n]):.2f}-"
                   f"{max(res[vmm][n]):.2f})" for n in (1, 2)}
        verdict = "met" if ratio <= TARGET else "MISSED"
        if vmm == "softkvm":
            missed = ratio > TARGET
        print(f"{vmm:8} {cell[1]:>22} {cell[2]:>22}  {ratio:5.2f}  <= {TARGET} {verdict}")
    return 2 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
