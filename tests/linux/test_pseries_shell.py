#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The ppc64le guest's busybox userland on the pseries board ($SOFTKVM_GUESTS64, else
../shared/guests/ppc64le, else build/guests/ppc64le: guestlib.find_guests; the same /init modes
and markers as the 440 guest's, console hvc0):

  reboot    softkvm.test=reboot: the boot marker, then reboot -f ends the run (--no-reboot)
            with status 0;
  poweroff  softkvm.test=poweroff: the boot marker, then poweroff -f: status 0;
  shell     no mode: a shell on hvc0 answers (its input through H_GET_TERM_CHAR and the
            vty's interrupt), a 600-character line typed at once arrives whole (more
            than the vty's buffer), /proc/cpuinfo names the POWER8, the hwcaps in a program's
            auxiliary vector (/proc/self/auxv) are what the core has: VMX, VSX, ISA 2.07,
            the vector crypto, TAR, DSCR and EBB, no decimal FP (no "ibm,dfp" in the device tree) and no
            transactional memory (ibm,pa-features byte 22 is 0), poweroff -f ends it;
  smp       --cpus 2 and --cpus 4: every vcpu online (RTAS start-cpu) in /proc/cpuinfo and
            /sys/devices/system/cpu/online; one cpubench pinned to each vcpu with taskset
            (all at once) gives the native checksum each and ran on its vcpu; every vcpu
            took IPIs (XICS H_IPI: the IPI row of /proc/interrupts grows on each during the
            work); with 4, the last vcpu goes offline (RTAS stop-self) and online again
            (start-cpu) and runs a cpubench once more;
  bench     softkvm.test=bench: cpubench's checksum equals the one of the same source
            (cpubench.c in the image folder) built natively with gcc; the other workloads
            report; md5sum of 16 MiB of zeros is right; status 0.
No oops, BUG, warning or illegal instruction on the console. Without the images the test
fails (it cannot run, so it must not pass).
"""
import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

GUESTS64 = guestlib.GUESTS64
BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "90"))
BENCH_TIMEOUT = float(os.environ.get("SOFTKVM_BENCH_TIMEOUT", "180"))
MARKER = r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n"
TROUBLE = re.compile(r"Oops|BUG|WARNING|Kernel panic|illegal instruction|Unable to handle")
ZEROS_MD5 = "2c7ab85a893283e98c931e9511add182"  # 16 MiB of zero bytes
# Linux's arch/powerpc/include/uapi/asm/cputable.h, elf.h
AT_HWCAP, AT_HWCAP2 = 16, 26
HWCAP_HAVE = {"FPU": 0x08000000, "ALTIVEC": 0x10000000, "ARCH_2_06": 0x00000100,
              "VSX": 0x00000080, "TRUE_LE": 0x00000002}
HWCAP_NOT = {"DFP": 0x00000400}
# TAR, DSCR and EBB (Linux's POWER8 PMU driver adds it) are FSCR's facilities, which a
# user program gets (src/kvm/book3s/pr_emulate.c)
HWCAP2_HAVE = {"ARCH_2_07": 0x80000000, "VEC_CRYPTO": 0x02000000, "TAR": 0x04000000,
               "DSCR": 0x20000000, "EBB": 0x10000000}
HWCAP2_NOT = {"HTM": 0x40000000, "HTM_NOSC": 0x01000000, "HTM_NO_SUSPEND": 0x00080000}


def command(mode, cpus=1):
    return guestlib.pseries_command("console=hvc0" + (f" softkvm.test={mode}" if mode else ""),
                                    cpus=cpus)


def clean(c, what, text):
    bad = [ln for ln in text.splitlines() if TROUBLE.search(ln)]
    c.check(not bad, f"{what}: no oops, BUG, warning, panic or illegal instruction",
            "\n".join(bad[:10]))


@contextlib.contextmanager
def booted(c, what, mode=None, cpus=1, shell=True):
    """A guest booted to its marker (and its prompt, for a shell) for the with-block; then
    the console must be clean. A guest that stops answering fails one check, what."""
    g = guestlib.Guest(command(mode, cpus))
    try:
        g.expect(MARKER, BOOT_TIMEOUT, "the boot marker")
        if shell:
            g.expect(r"[#$] ", 30, "the shell prompt")
        yield g
        clean(c, what, g.text)
    except guestlib.GuestError as e:
        c.check(False, f"{what}: the guest answers", str(e))
    finally:
        g.close()


def poweroff(c, g, what):
    g.send("poweroff -f")
    rc = g.wait_exit(30)
    c.check(rc == 0, f"{what}: poweroff -f ends the run with status 0 (got {rc})")


def boot_and_exit(c, mode):
    with booted(c, mode, mode, shell=False) as g:
        rc = g.wait_exit(60)
        c.check(rc == 0, f"{mode}: the boot marker, then status 0 (got {rc})", g.tail())


def shell(c):
    with booted(c, "shell") as g:
        status, out = g.sh("echo $((6 * 7))")
        c.check(status == 0 and out.strip() == "42", "shell: the shell answers over hvc0")
        status, out = g.sh("grep -m1 '^cpu' /proc/cpuinfo")
        c.check(status == 0 and "POWER8" in out, f"shell: /proc/cpuinfo names the POWER8 ({out.strip()})")
        # more than the vty's 256-byte buffer in one go: the rest follows as it drains
        line = "".join(f"{i:03d}" for i in range(200))
        status, out = g.sh(f"echo {line} | md5sum")
        want = hashlib.md5((line + "\n").encode()).hexdigest()
        c.check(status == 0 and out.split()[:1] == [want],
                f"shell: a {len(line)}-character line typed at once reaches it whole", out)
        hwcaps(c, g)
        poweroff(c, g, "shell")


def hwcaps(c, g):
    """AT_HWCAP and AT_HWCAP2 of a program (hexdump's own auxiliary vector, as 32-bit words
    of the little-endian guest: type low, type high, value low, value high)"""
    status, out = g.sh("hexdump -v -e '4/4 \"%08x \" \"\\n\"' /proc/self/auxv")
    aux = {}
    for line in out.splitlines():
        w = [int(x, 16) for x in line.split()]
        if len(w) == 4:
            aux[w[0] | w[1] << 32] = w[2] | w[3] << 32
    for key, name, have, lack in ((AT_HWCAP, "AT_HWCAP", HWCAP_HAVE, HWCAP_NOT),
                                  (AT_HWCAP2, "AT_HWCAP2", HWCAP2_HAVE, HWCAP2_NOT)):
        v = aux.get(key)
        c.check(status == 0 and v is not None, f"shell: {name} in /proc/self/auxv", out[-300:])
        if v is None:
            continue
        missing = [n for n, b in have.items() if not v & b]
        extra = [n for n, b in lack.items() if v & b]
        c.check(not missing and not extra,
                f"shell: {name} 0x{v:08x} has {', '.join(have)}, not {', '.join(lack)}"
                + (f" (missing {missing}, extra {extra})" if missing or extra else ""))


def native_checksum(tmp):
    exe = os.path.join(tmp, "cpubench")
    subprocess.run(["gcc", "-O2", "-o", exe, os.path.join(GUESTS64, "cpubench.c")], check=True)
    return re.search(r"CPUBENCH checksum=([0-9a-f]+)",
                     subprocess.run([exe], capture_output=True, text=True).stdout)


def ipis(g):
    """The IPI row of /proc/interrupts: one count per online vcpu."""
    status, out = g.sh("grep -w IPI /proc/interrupts")
    m = re.match(r"\s*\d+:((?:\s+\d+)+)", out)
    return [int(x) for x in m.group(1).split()] if status == 0 and m else []


def pinned_cpubench(c, g, what, cpus, native):
    """One cpubench per vcpu in cpus, pinned there with taskset, all at once: each gives the
    native checksum, and ran where it was pinned (its /proc/self/stat processor field)."""
    cmd = " ".join(f"taskset -c {i} sh -c 'cpubench; echo ON{i} $(cut -d\" \" -f39 "
                   f"/proc/self/stat)' &" for i in cpus) + " wait"
    status, out = g.sh(cmd, BENCH_TIMEOUT)
    sums = re.findall(r"CPUBENCH checksum=([0-9a-f]+)", out)
    on = dict(re.findall(r"ON(\d+) (\d+)", out))
    c.check(native is not None and sums == [native] * len(cpus),
            f"{what}: {len(cpus)} cpubench at once, each with the native checksum ({sums})", out)
    c.check(on == {str(i): str(i) for i in cpus},
            f"{what}: each ran on the vcpu taskset pinned it to ({on})", out)


def smp(c, native, cpus):
    what = f"smp {cpus}"
    with booted(c, what, cpus=cpus) as g:
        status, out = g.sh("grep -c ^processor /proc/cpuinfo; cat /sys/devices/system/cpu/online")
        c.check(status == 0 and out.split() == [str(cpus), f"0-{cpus - 1}"],
                f"{what}: {cpus} vcpus online in /proc/cpuinfo and cpu/online ({out.split()})")
        before = ipis(g)
        pinned_cpubench(c, g, what, range(cpus), native)
        after = ipis(g)
        c.check(len(before) == cpus and len(after) == cpus and
                all(a > b for a, b in zip(after, before)),
                f"{what}: every vcpu took IPIs during the work (IPI counts {before} -> {after})")
        if cpus > 2:
            last = cpus - 1
            status, out = g.sh(f"echo 0 > /sys/devices/system/cpu/cpu{last}/online && "
                               "cat /sys/devices/system/cpu/online && "
                               "grep -c ^processor /proc/cpuinfo")
            c.check(status == 0 and out.split() == [f"0-{last - 1}", str(last)],
                    f"{what}: vcpu {last} goes offline (RTAS stop-self): {out.split()}", out)
            status, out = g.sh(f"echo 1 > /sys/devices/system/cpu/cpu{last}/online && "
                               "cat /sys/devices/system/cpu/online")
            c.check(status == 0 and out.split() == [f"0-{last}"],
                    f"{what}: and online again (RTAS start-cpu): {out.split()}", out)
            pinned_cpubench(c, g, f"{what}, vcpu {last} back", [last], native)
        poweroff(c, g, what)


def bench(c, native):
    with booted(c, "bench", "bench", shell=False) as g:
        m = g.expect(r"CPUBENCH checksum=([0-9a-f]+) elapsed=([\d.]+) s\n", BENCH_TIMEOUT,
                     "cpubench")
        c.check(native is not None and m.group(1) == native,
                f"bench: cpubench checksum {m.group(1)} equals the native one {native}")
        g.expect(r"BENCH forkexec 300 runs [\d.]+ -> [\d.]+ s", BENCH_TIMEOUT, "fork+exec")
        g.expect(ZEROS_MD5 + r"  -\n", BENCH_TIMEOUT, "md5sum of 16 MiB of zeros")
        g.expect(r"SOFTKVM-BENCH-DONE\n", 60, "the end of the bench")
        rc = g.wait_exit(60)
        c.check(rc == 0, f"bench: every workload reported, status 0 (got {rc})")


def main():
    problem = guestlib.pseries_unready(("vmlinux", "rootfs.cpio.gz", "cpubench.c"))
    if problem:
        print(f"FAIL: {problem}")
        return 1
    c = guestlib.Checks()
    boot_and_exit(c, "reboot")
    boot_and_exit(c, "poweroff")
    shell(c)
    with tempfile.TemporaryDirectory(prefix="softkvm-pseries-shell-") as tmp:
        native = native_checksum(tmp)
    native = native.group(1) if native else None
    bench(c, native)
    smp(c, native, 2)
    smp(c, native, 4)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
