# SPDX-License-Identifier: MIT
"""What the bare-metal benchmarks (micro.py for the 440, micro64.py for POWER8) share.

A bench guest prints "S" when it starts timing, then one line per phase,
"<tag> <iterations-hex> <timebase-ticks-hex>" (a short phase may be repeated: its best
counts), and "END". run_phases runs one VMM command on it and measures every phase twice: on the host, as the gap between the phase's line and the
one before (so it does not depend on the guest's timebase), and, given the timebase's
frequency, from the guest's own ticks. table() prints the median of several runs of softkvm
and QEMU side by side with the ratio softkvm/QEMU (< 1: softkvm is faster) and the targets.
"""
import re, statistics, subprocess, sys, threading, time

LINE = re.compile(r"^([A-Z]) ([0-9a-fA-F]+) ([0-9a-fA-F]+)$")


class Phase:
    def __init__(self, iters, ticks, host_s):
        self.iters, self.ticks, self.host_s = iters, ticks, host_s

    def ns(self, tb_hz=None):
        """ns per iteration, from the guest's ticks (tb_hz) or the host's gap; None when the
        guest could not run the phase (0 iterations)."""
        if not self.iters:
            return None
        secs = self.ticks / tb_hz if tb_hz else self.host_s
        return secs * 1e9 / self.iters


def run_phases(cmd, timeout=600):
    """Run cmd (a bench guest under a VMM); returns ({tag: Phase}, output). A VMM that has
    not exited 10 s after the guest's END is ended (its guest has no way to stop it)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    phases, out, last = {}, [], None
    try:
        for raw in proc.stdout:
            now = time.monotonic()
            line = raw.decode(errors="replace").strip()
            out.append(line)
            m = LINE.match(line)
            if line == "S":
                last = now
            elif m and last is not None:
                p = Phase(int(m.group(2), 16), int(m.group(3), 16), now - last)
                old = phases.get(m.group(1))
                if old and old.iters == p.iters:  # a repeated phase: its best run
                    p = Phase(p.iters, min(p.ticks, old.ticks), min(p.host_s, old.host_s))
                phases[m.group(1)] = p
                last = now
            elif line == "END":
                break
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    finally:
        killer.cancel()
    return phases, "\n".join(out)


def median_or_none(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def table(runs, tags, names, targets, tb_hz=None, only=None):
    """Print the median of runs[who] (lists of {tag: Phase}) for softkvm and QEMU, the ratio
    and each tag's target (text, met(s, q) -> bool); True when every target is met. A phase
    softkvm could not run is "n/a" and misses its target."""
    ok = True
    print(f"{'phase':28s} {'softkvm ns/it':>14s} {'qemu ns/it':>11s} {'ratio':>7s}  target")
    for tag in tags:
        s = median_or_none(r[tag].ns(tb_hz) if tag in r else None for r in runs["softkvm"])
        q = median_or_none(r[tag].ns(tb_hz) if tag in r else None for r in runs["qemu"])
        goal, met = targets.get(tag, ("-", None))
        fs = "n/a" if s is None else f"{s:.2f}"
        fq = "n/a" if q is None else f"{q:.2f}"
        ratio = f"{s / q:.3f}" if s is not None and q else "-"
        if met is None or only:
            verdict = ""
        elif s is None or (q is None and "QEMU" in goal):
            verdict, ok = "n/a", False
        elif met(s, q):
            verdict = "met"
        else:
            verdict, ok = "MISSED", False
        print(f"{names.get(tag, tag):28s} {fs:>14s} {fq:>11s} {ratio:>7s}  {goal} {verdict}")
    return ok


def clock_check(runs, tags, tb_hz, names):
    """Say where the guest's clock and the host's disagree by more than 25 % on a phase long
    enough to tell (a guest timebase that runs slow or fast would flatter or penalise)."""
    for who, rs in runs.items():
        for tag in tags:
            for r in rs:
                p = r.get(tag)
                if not p or not p.iters or p.host_s < 0.05:
                    continue
                guest_s = p.ticks / tb_hz
                if abs(guest_s - p.host_s) > 0.25 * p.host_s:
                    print(f"note: {who} {names.get(tag, tag)}: guest clock {guest_s:.3f} s, "
                          f"host {p.host_s:.3f} s", file=sys.stderr)
