#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Linux guest benchmarks: softkvm and qemu-system-ppc side by side on the same image, in one run.

usage: bench/linux.py [--runs N] [--softkvm PATH] [--only softkvm|qemu] [--append ARGS]
                      [--no-boot] [--no-bench] [--no-paravirt] [--pv-kernel]
                      [--machine ppc440|pseries] [--tiny-init]

Both VMMs boot the same vmlinux + rootfs.cpio.gz (tests/linux/guestlib.py finds them: $SOFTKVM_GUESTS,
../shared/guests/ppc440 or build/guests/ppc440) with 256 MiB and no reboot, alternating (the
order swaps every round, so drift of the machine's speed hits both alike), N runs each:

  boot   "console=ttyS0 softkvm.test=reboot": host wall time from the start of the process to the
         SOFTKVM-BOOT-OK line on its console, and to its exit;
  bench  "console=ttyS0 softkvm.test=bench": the times the guest's init and /bin/cpubench print
         (guest clock): cpubench elapsed, 300 fork+exec of /bin/true, md5sum of 16 MiB.

It prints the median of each figure (and min-max) for softkvm and QEMU and the ratio softkvm/QEMU
(below 1: softkvm is faster) with the issue's target: boot <= 1.0x QEMU, cpubench and fork+exec
<= 0.5x, md5sum >= 1/3 of QEMU's speed (time <= 3x). Because the bench figures come from the
guest's own clock, the same intervals are also measured on the host (between the console lines)
and a guest clock that disagrees with the host's by more than 25 % is reported.
--no-paravirt runs softkvm without its paravirt interface; --pv-kernel runs both VMMs on a copy
of vmlinux whose KVM paravirt self-test works (tests/linux/pvkernel.py: Linux 6.1's fails).
--machine pseries runs the ppc64le guest ($SOFTKVM_GUESTS64, ../shared/guests/ppc64le or
build/guests/ppc64le; console hvc0) on softkvm's pseries board and on qemu-system-ppc64 -M pseries -cpu POWER8 (which boots
through its SLOF firmware first): the boot figures get one more, the wall time to the kernel's
first console line ("Linux version", SLOF's share under QEMU), and the targets are the issue's
(boot, cpubench and fork+exec <= 0.5x QEMU, md5sum <= 1.5x). --tiny-init boots an initramfs whose /init is
tests/linux/tools/pseries_init.S instead of the busybox one (its marker PSERIES-INIT-OK, then
power-off): the kernel's boot alone, without the guest's userland (no bench runs).
Exit status: 0 every target met, 2 a target missed, 1 a run failed.
"""
import argparse
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "linux"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402
import pvkernel  # noqa: E402

BOOT_TIMEOUT = 120
BENCH_TIMEOUT = 600
# figure -> (label, target text, predicate on (softkvm, qemu) times)
FIGURES = {
    "marker": ("boot: wall to SOFTKVM-BOOT-OK", "<= 1.0x QEMU", lambda s, q: s <= q),
    "exit": ("boot: wall to exit", "<= 1.0x QEMU", lambda s, q: s <= q),
    "cpubench": ("bench: cpubench elapsed", "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
    "forkexec": ("bench: 300 fork+exec", "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
    "md5sum": ("bench: md5sum 16 MiB", ">= 1/3 speed", lambda s, q: s <= 3.0 * q),
}
LINES = {
    "cpubench": re.compile(r"^CPUBENCH checksum=([0-9a-f]+) elapsed=([\d.]+) s$", re.M),
    "forkexec": re.compile(r"^BENCH forkexec 300 runs ([\d.]+) -> ([\d.]+) s", re.M),
    "md5sum": re.compile(r"^BENCH md5sum 16MiB ([\d.]+) -> ([\d.]+) s", re.M),
}


class RunFailed(Exception):
    pass


GUESTS64 = guestlib.GUESTS64
TINY_MARKER = "PSERIES-INIT-OK"


def pseries_command(vmm, kernel, initrd, append, softkvm):
    """The ppc64le guest on softkvm's pseries board or QEMU's (256 MiB, no reboot)."""
    if vmm == "qemu":
        return ["qemu-system-ppc64", "-M", "pseries", "-cpu", "POWER8", "-m", "256",
                "-nographic", "-nodefaults", "-serial", "stdio", "-no-reboot",
                "-kernel", kernel, "-initrd", initrd, "-append", append]
    return [softkvm, "run", "--machine", "pseries", "--kernel", kernel, "--initrd", initrd,
            "--append", append, "--memory", "256M", "--no-reboot"]


def tiny_initrd(tmp):
    """An initramfs whose /init is tests/linux/tools/pseries_init.S (assembled here)."""
    src = os.path.join(guestlib.ROOT, "tests", "linux", "tools", "pseries_init.S")
    obj, exe = os.path.join(tmp, "init.o"), os.path.join(tmp, "init")
    subprocess.run(["powerpc64le-linux-gnu-as", "-mpower8", "-mregnames", "-o", obj, src],
                   check=True)
    subprocess.run(["powerpc64le-linux-gnu-ld", "-static", "-e", "_start", "-o", exe, obj],
                   check=True)
    with open(exe, "rb") as f:
        data = guestlib.cpio_newc([("dev", 0o40755, b""), ("init", 0o100755, f.read())])
    path = os.path.join(tmp, "init.cpio.gz")
    with open(path, "wb") as f:
        f.write(data)
    return path


def run_boot(cmd, marker_re=None, first_line=False):
    g = guestlib.Guest(cmd)
    try:
        got = {}
        if first_line:
            m = g.expect(r"Linux version ", BOOT_TIMEOUT, "the kernel's first line")
            got["first"] = g.when(m.end())
        m = g.expect(marker_re or rf"(?:^|\n){guestlib.BOOT_MARKER} uptime=", BOOT_TIMEOUT,
                     "the boot marker")
        got["marker"] = g.when(m.end())
        status = g.wait_exit(BOOT_TIMEOUT)
        if status != 0:
            raise RunFailed(f"the VMM {guestlib.status_text(status)}\n{g.tail()}")
        got["exit"] = g.elapsed()
        return got
    except guestlib.GuestError as e:
        raise RunFailed(str(e)) from None
    finally:
        g.close()


def run_bench(cmd, guest, host_iv, sums):
    """Fills guest (figure -> guest-clock seconds) and host_iv (figure -> host seconds between
    the console lines that close each workload) as the workloads report, so a run that fails
    later still gives the figures it reached; sums gets cpubench's checksum."""
    g = guestlib.Guest(cmd)
    try:
        m = g.expect(rf"(?:^|\n){guestlib.BOOT_MARKER} uptime=[^\n]*\n", BOOT_TIMEOUT,
                     "the boot marker")
        last = g.when(m.end())
        for name in ("cpubench", "forkexec", "md5sum"):
            m = g.expect(LINES[name], BENCH_TIMEOUT, f"the {name} line")
            now = g.when(m.end())
            if name == "cpubench":
                guest[name] = float(m.group(2))
                sums.add(m.group(1))
            else:
                guest[name] = float(m.group(2)) - float(m.group(1))
            host_iv[name], last = now - last, now
        g.expect(r"\nSOFTKVM-BENCH-DONE\n", 60, "SOFTKVM-BENCH-DONE")
        status = g.wait_exit(60)
        if status != 0:
            raise RunFailed(f"the VMM {guestlib.status_text(status)}\n{g.tail()}")
    except guestlib.GuestError as e:
        raise RunFailed(str(e)) from None
    finally:
        g.close()


def span(values):
    return f"{min(values):.3f}-{max(values):.3f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs of each kind per VMM (default 3)")
    ap.add_argument("--softkvm", default=guestlib.softkvm_path(), help="the softkvm binary")
    ap.add_argument("--only", choices=("softkvm", "qemu"), help="run one VMM, print no ratios")
    ap.add_argument("--append", default="", help="more kernel arguments (e.g. quiet)")
    ap.add_argument("--no-boot", action="store_true", help="skip the boot runs")
    ap.add_argument("--no-bench", action="store_true", help="skip the bench runs")
    ap.add_argument("--no-paravirt", action="store_true", help="softkvm --no-paravirt")
    ap.add_argument("--pv-kernel", action="store_true",
                    help="a copy of vmlinux with its paravirt self-test fixed (pvkernel.py)")
    ap.add_argument("--machine", choices=("ppc440", "pseries"), default="ppc440",
                    help="the 440 guest (default) or the ppc64le one on pseries")
    ap.add_argument("--tiny-init", action="store_true",
                    help="pseries: /init is tests/linux/tools/pseries_init.S (kernel boot only)")
    args = ap.parse_args()
    if args.machine == "pseries":
        return main_pseries(args)

    guests = guestlib.find_guests()
    if guests is None:
        print("no guest images: ../shared/guests/ppc440 is absent; build them with "
              "scripts/build-guest.sh build/guests/ppc440", file=sys.stderr)
        return 1
    vmms = [args.only] if args.only else ["softkvm", "qemu"]
    if "softkvm" in vmms and not os.access(args.softkvm, os.X_OK):
        print(f"{args.softkvm} is not there (run make, or --only qemu)", file=sys.stderr)
        return 1
    extra = (" " + args.append) if args.append else ""
    kernel = None
    if args.pv_kernel:
        tmp = tempfile.TemporaryDirectory()
        kernel = os.path.join(tmp.name, "vmlinux-pv")
        try:
            pvkernel.make(guests, kernel)
        except (OSError, pvkernel.PvKernelError) as e:
            print(f"--pv-kernel: {e}", file=sys.stderr)
            return 1
    kinds = [k for k, skip in (("boot", args.no_boot), ("bench", args.no_bench)) if not skip]

    def cmd(vmm, mode):
        c = guestlib.command(vmm, guests, f"console=ttyS0 softkvm.test={mode}{extra}",
                             softkvm=args.softkvm, kernel=kernel)
        return c + ["--no-paravirt"] if vmm == "softkvm" and args.no_paravirt else c

    print(f"guest images: {guests}")
    for vmm in vmms:
        for kind in kinds:
            mode = "reboot" if kind == "boot" else "bench"
            print(f"{vmm} {kind}: {shlex.join(cmd(vmm, mode))}")

    res = {v: {f: [] for f in FIGURES} for v in vmms}
    hostiv = {v: {f: [] for f in LINES} for v in vmms}
    sums = {v: set() for v in vmms}
    failures = 0
    for kind in kinds:
        for r in range(args.runs):
            order = vmms if r % 2 == 0 else vmms[::-1]
            for vmm in order:
                note = ""
                try:
                    if kind == "boot":
                        got = run_boot(cmd(vmm, "reboot"))
                        for f, v in got.items():
                            res[vmm][f].append(v)
                        note = f"marker {got['marker']:.3f} s, exit {got['exit']:.3f} s"
                    else:
                        guest, host = {}, {}
                        try:
                            run_bench(cmd(vmm, "bench"), guest, host, sums[vmm])
                        finally:
                            for f, v in guest.items():
                                res[vmm][f].append(v)
                                hostiv[vmm][f].append(host[f])
                            note = ", ".join(f"{f} {guest[f]:.3f} s (host {host[f]:.3f})"
                                             for f in guest)
                except RunFailed as e:
                    failures += 1
                    msg = str(e).splitlines()  # the reason, then the console's last lines
                    note = (note + "; " if note else "") + "FAILED: " + "\n".join(msg[:1] + msg[-6:])
                print(f"  {kind} run {r + 1}/{args.runs} {vmm}: {note}", flush=True)

    print()
    head = f"{'figure':32s}" + "".join(f"{v + ' s':>10s} {'(min-max)':>13s}" for v in vmms)
    if len(vmms) == 2:
        head += f" {'ratio':>6s}  target"
    print(head)
    missed = 0
    for f, (label, goal, met) in FIGURES.items():
        if not any(res[v][f] for v in vmms):
            continue
        med = {v: statistics.median(res[v][f]) for v in vmms if res[v][f]}
        row = f"{label:32s}" + "".join(f"{med[v]:10.3f} {span(res[v][f]):>13s}" if v in med
                                       else f"{'no run':>10s} {'':13s}" for v in vmms)
        if len(vmms) == 2 and len(med) < 2:
            missed += 1
            row += f" {'-':>6s}  {goal} MISSED (no successful run)"
        elif len(vmms) == 2:
            s, q = med["softkvm"], med["qemu"]
            ok = met(s, q)
            missed += not ok
            row += f" {s / q:6.2f}  {goal} {'met' if ok else 'MISSED'}"
        print(row)
    print(f"(medians of {args.runs} runs each, alternating; ratio = softkvm/QEMU time; "
          "bench figures from the guest's clock)")

    for v in vmms:
        g = sum(statistics.median(res[v][f]) for f in LINES if res[v][f])
        h = sum(statistics.median(hostiv[v][f]) for f in LINES if hostiv[v][f])
        if g and h:
            verdict = "" if abs(g / h - 1) <= 0.25 else "  <- disagree: the guest figures are suspect"
            print(f"{v}: bench workloads took {g:.3f} s by the guest's clock, {h:.3f} s by the "
                  f"host's (between console lines; includes exec and output){verdict}")
    return exit_status(vmms, sums, failures, missed)


def exit_status(vmms, sums, failures, missed):
    """Says what went wrong (cpubench checksums that differ, failed runs); the exit status."""
    if len(set().union(*sums.values())) > 1:
        print("cpubench checksums differ: " +
              ", ".join(f"{v} {' '.join(sorted(sums[v]))}" for v in vmms))
        failures += 1
    if failures:
        print(f"{failures} run(s) failed")
        return 1
    return 2 if missed else 0


PSERIES_BENCH = {  # the targets on pseries
    "cpubench": ("bench: cpubench elapsed", "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
    "forkexec": ("bench: 300 fork+exec", "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
    "md5sum": ("bench: md5sum 16 MiB", "<= 1.5x QEMU", lambda s, q: s <= 1.5 * q),
}


def main_pseries(args):
    """--machine pseries: softkvm's pseries board and qemu-system-ppc64 -M pseries side by
    side, the boot figures and (with the busybox userland, not --tiny-init) the bench ones."""
    kernel = os.path.join(GUESTS64, "vmlinux")
    initrd = os.path.join(GUESTS64, "rootfs.cpio.gz")
    if not os.path.isfile(kernel) or not os.path.isfile(initrd):
        print(f"no ppc64le guest images in {GUESTS64}", file=sys.stderr)
        return 1
    vmms = [args.only] if args.only else ["softkvm", "qemu"]
    if "softkvm" in vmms and not os.access(args.softkvm, os.X_OK):
        print(f"{args.softkvm} is not there (run make, or --only qemu)", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="softkvm-bench-")
    extra = (" " + args.append) if args.append else ""
    if args.tiny_init:
        initrd = tiny_initrd(tmp)
        append, marker = "console=hvc0 poweroff" + extra, TINY_MARKER
    else:
        append = "console=hvc0 softkvm.test=reboot" + extra
        marker = rf"(?:^|\n){guestlib.BOOT_MARKER} uptime="
    figures = {
        "first": ("boot: wall to 'Linux version'", "(SLOF's share)", lambda s, q: True),
        "marker": (f"boot: wall to {'init marker' if args.tiny_init else 'SOFTKVM-BOOT-OK'}",
                   "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
        "exit": ("boot: wall to exit", "<= 0.5x QEMU", lambda s, q: s <= 0.5 * q),
    }
    kinds = [k for k, skip in (("boot", args.no_boot),
                               ("bench", args.no_bench or args.tiny_init)) if not skip]
    if "bench" in kinds:
        figures.update(PSERIES_BENCH)
    bench_append = "console=hvc0 softkvm.test=bench" + extra

    def cmd(vmm, kind):
        return pseries_command(vmm, kernel, initrd, append if kind == "boot" else bench_append,
                               args.softkvm)

    for vmm in vmms:
        for kind in kinds:
            print(f"{vmm} {kind}: {shlex.join(cmd(vmm, kind))}")
    res = {v: {f: [] for f in figures} for v in vmms}
    sums = {v: set() for v in vmms}
    failures = 0
    try:
        for kind in kinds:
            for r in range(args.runs):
                for vmm in (vmms if r % 2 == 0 else vmms[::-1]):
                    got = {}
                    try:
                        if kind == "boot":
                            got = run_boot(cmd(vmm, kind), marker, first_line=True)
                        else:
                            run_bench(cmd(vmm, kind), got, {}, sums[vmm])
                        note = ", ".join(f"{f} {v:.3f} s" for f, v in got.items())
                    except RunFailed as e:
                        failures += 1
                        msg = str(e).splitlines()
                        note = "FAILED: " + "\n".join(msg[:1] + msg[-6:])
                    for f, v in got.items():
                        res[vmm][f].append(v)
                    print(f"  {kind} run {r + 1}/{args.runs} {vmm}: {note}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    head = f"{'figure':36s}" + "".join(f"{v + ' s':>10s} {'(min-max)':>13s}" for v in vmms)
    print(head + (f" {'ratio':>6s}  target" if len(vmms) == 2 else ""))
    missed = 0
    for f, (label, goal, met) in figures.items():
        med = {v: statistics.median(res[v][f]) for v in vmms if res[v][f]}
        if not med:
            continue
        row = f"{label:36s}" + "".join(f"{med[v]:10.3f} {span(res[v][f]):>13s}" if v in med
                                       else f"{'no run':>10s} {'':13s}" for v in vmms)
        if len(vmms) == 2 and len(med) == 2:
            ok = met(med["softkvm"], med["qemu"])
            missed += not ok
            row += f" {med['softkvm'] / med['qemu']:6.2f}  {goal}" + \
                ("" if f == "first" else (" met" if ok else " MISSED"))
        print(row)
    print(f"(medians of {args.runs} runs each, alternating; ratio = softkvm/QEMU time; "
          "bench figures from the guest's clock)")
    return exit_status(vmms, sums, failures, missed)


if __name__ == "__main__":
    sys.exit(main())
