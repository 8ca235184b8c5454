#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bare-metal micro-benchmarks: softkvm and qemu-system-ppc side by side, in one run.

usage: bench/micro.py [--runs N] [--softkvm PATH]
Builds ../shared/guests/ppc440/bench/bench.S into build/bench/bench.elf, boots it under both
(alternating, N runs each), times every phase with baremetal.py (host wall time per
iteration) and prints the median of each with the ratio softkvm/QEMU (< 1: softkvm is faster).
"""
import argparse, os, subprocess, sys

import baremetal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "guests", "ppc440")
QEMU = ["qemu-system-ppc", "-M", "bamboo", "-m", "256", "-nographic", "-no-reboot",
        "-serial", "stdio", "-monitor", "none", "-display", "none", "-kernel"]
NAMES = {"P": "mfpvr loop", "A": "integer ALU loop", "M": "load/add/store loop",
         "T": "DTLB-miss storm", "W": "wrteei 0/1 pairs", "C": "sc + rfi round trips"}
TARGETS = {  # the targets: ns per iteration (absolute) or ratio to QEMU
    "P": ("<= 3 ns", lambda s, q: s <= 3.0),
    "A": ("<= 11.4 ns", lambda s, q: s <= 11.4),
    "M": ("<= 15 ns", lambda s, q: s <= 15.0),
    "T": ("<= 1/20 QEMU", lambda s, q: s <= q / 20),
    "W": ("<= 1/3 QEMU", lambda s, q: s <= q / 3),
    "C": ("<= 1/5 QEMU", lambda s, q: s <= q / 5),
}


def build_elf(out):
    os.makedirs(out, exist_ok=True)
    elf = os.path.join(out, "bench.elf")
    src = os.path.join(SHARED, "bench", "bench.S")
    subprocess.run(["powerpc-linux-gnu-as", "-mregnames", "-m440", "--defsym", "NITER=100000000",
                    "--defsym", "NPRIV=10000000", src, "-o", elf + ".o"], check=True)
    subprocess.run(["powerpc-linux-gnu-ld", "-Ttext=0x100000", "-e", "_start", elf + ".o",
                    "-o", elf], check=True)
    os.unlink(elf + ".o")
    return elf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--softkvm", default=os.path.join(ROOT, "build", "softkvm"))
    args = ap.parse_args()
    elf = build_elf(os.path.join(ROOT, "build", "bench"))
    runs = {"softkvm": [], "qemu": []}
    for _ in range(args.runs):
        for who, cmd in (("softkvm", [args.softkvm, "run", "--kernel", elf, "--no-reboot"]),
                         ("qemu", QEMU + [elf])):
            res, out = baremetal.run_phases(cmd)
            if not res:
                print(f"{who}: no phases reported:\n{out}", file=sys.stderr)
                return 1
            runs[who].append(res)
    ok = baremetal.table(runs, "PAMTWC", NAMES, TARGETS)
    print(f"(median of {args.runs} runs each, alternating; ratio = softkvm/QEMU time)")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
