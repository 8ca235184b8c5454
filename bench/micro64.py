#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bare-metal POWER8 micro-benchmarks: softkvm's Book3S PR and QEMU's pseries side by side.

usage: bench/micro64.py [--runs N] [--softkvm PATH | --runner PATH] [--only softkvm|qemu]
Builds bench/guest64/micro64.S into build/bench64/micro64.elf, runs it on softkvm's pseries
board and on QEMU's (-kernel, loaded by SLOF), alternating, N runs each, times every phase
with the guest's own timebase (512 MHz, mftb) and prints the median of each with the ratio
softkvm/QEMU (< 1: softkvm is faster). --runner runs softkvm's side with the bare-metal
runner of tests/guest64 instead (the same program as a flat binary, no board).
"""
import argparse, os, subprocess, sys

import baremetal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "bench", "guest64")
CROSS = "powerpc64le-linux-gnu-"
TB_HZ = 512e6
QEMU = ["qemu-system-ppc64", "-M", "pseries", "-cpu", "POWER8", "-m", "256", "-nographic",
        "-no-reboot", "-serial", "stdio", "-monitor", "none", "-display", "none", "-kernel"]
NAMES = {"P": "mfpvr loop", "A": "integer ALU loop", "M": "ld/addi/std loop",
         "T": "HPT-miss storm", "C": "sc + rfid from user mode", "V": "VSX loop"}
TARGETS = {  # issue 9's targets: ns per iteration (absolute) or a ratio to QEMU
    "P": ("<= 3 ns", lambda s, q: s <= 3.0),
    "A": ("<= 8x QEMU", lambda s, q: s <= 8 * q),
    "M": ("<= 8x QEMU", lambda s, q: s <= 8 * q),
    "T": ("<= 1/10 QEMU", lambda s, q: s <= q / 10),
    "V": ("<= 4x QEMU", lambda s, q: s <= 4 * q),
}


def build(out):
    os.makedirs(out, exist_ok=True)
    obj, elf, bin_ = (os.path.join(out, "micro64" + x) for x in (".o", ".elf", ".bin"))
    subprocess.run([CROSS + "as", "-mpower8", "-mregnames", os.path.join(SRC, "micro64.S"),
                    "-o", obj], check=True)
    subprocess.run([CROSS + "ld", "-T", os.path.join(SRC, "micro64.ld"), "-e", "_start", obj,
                    "-o", elf], check=True)
    subprocess.run([CROSS + "objcopy", "-O", "binary", elf, bin_], check=True)
    os.unlink(obj)
    return elf, bin_


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--softkvm", default=os.path.join(ROOT, "build", "softkvm"))
    ap.add_argument("--runner", help="tests/guest64's bare-metal runner in place of the board")
    ap.add_argument("--only", choices=("softkvm", "qemu"))
    args = ap.parse_args()
    vmm = args.runner or args.softkvm
    if args.only != "qemu" and not os.access(vmm, os.X_OK):
        print(f"{vmm}: not built (make)", file=sys.stderr)
        return 1
    elf, bin_ = build(os.path.join(ROOT, "build", "bench64"))
    softkvm = ([args.runner, bin_] if args.runner else
               [args.softkvm, "run", "--machine", "pseries", "--kernel", elf, "--no-reboot"])
    vmms = (("softkvm", softkvm), ("qemu", QEMU + [elf]))
    print("softkvm: " + " ".join(vmms[0][1]))
    print("qemu:    " + " ".join(vmms[1][1]))
    runs = {"softkvm": [], "qemu": []}
    for _ in range(args.runs):
        for who, cmd in vmms:
            if args.only and who != args.only:
                continue
            res, out = baremetal.run_phases(cmd)
            if not res:
                print(f"{who}: no phases reported:\n{out}", file=sys.stderr)
                return 1
            runs[who].append(res)
    ok = baremetal.table(runs, "PAMTCV", NAMES, TARGETS, tb_hz=TB_HZ, only=args.only)
    baremetal.clock_check(runs, "PAMTCV", TB_HZ, NAMES)
    print(f"(median of {args.runs} runs each, alternating; guest timebase; "
          "ratio = softkvm/QEMU time)")
    return 0 if ok or args.only else 2


if __name__ == "__main__":
    sys.exit(main())
