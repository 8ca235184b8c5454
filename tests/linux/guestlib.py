# SPDX-License-Identifier: MIT
"""Shared by tests/linux/test_*.py and bench/linux.py: find the PowerPC 440 guest images, build
the command line that boots them under softkvm or QEMU, and drive a guest over its console.

The guest images are those of $SOFTKVM_GUESTS, else ../shared/guests/ppc440, else the project's
own build (scripts/build-guest.sh build/guests/ppc440); the ppc64le ones (pseries board) likewise
those of $SOFTKVM_GUESTS64, else ../shared/guests/ppc64le, else build/guests/ppc64le
(scripts/build-guest.sh --arch ppc64le build/guests/ppc64le). Both VMMs boot the same files:

    softkvm:  build/softkvm run --kernel vmlinux --initrd rootfs.cpio.gz --append ARGS
                  --memory 256M --no-reboot
    qemu:     qemu-system-ppc -M bamboo -m 256 -nographic -no-reboot -kernel vmlinux
                  -initrd rootfs.cpio.gz -append ARGS -serial stdio -monitor none -display none

The tests run under softkvm unless given --qemu or SOFTKVM_VMM=qemu; $SOFTKVM names another
softkvm binary (e.g. build-asan/softkvm).
"""
import gzip
import os
import re
import select
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUESTS_ENV = {"ppc440": "SOFTKVM_GUESTS", "ppc64le": "SOFTKVM_GUESTS64"}  # arch -> variable
CC64 = "powerpc64le-linux-gnu-gcc"  # what builds a static guest tool for the ppc64le guest
BOOT_MARKER = "SOFTKVM-BOOT-OK"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def status_text(rc):
    """How a process ended, from a Popen returncode (negative: killed by that signal)."""
    if rc is not None and rc < 0:
        try:
            return f"was killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"was killed by signal {-rc}"
    return f"exited with status {rc}"


class GuestError(Exception):
    """The guest did not do what was expected (timeout, early exit); carries the console tail."""


def guest_dirs(arch="ppc440"):
    """Where the images of ARCH (ppc440 or ppc64le) are looked for, in order: the folder its
    variable names, else the shared images, else the project's own build."""
    explicit = os.environ.get(GUESTS_ENV[arch])
    if explicit:
        return [explicit]
    return [os.path.normpath(os.path.join(ROOT, "..", "shared", "guests", arch)),
            os.path.join(ROOT, "build", "guests", arch)]


def find_guests(arch="ppc440"):
    """The folder holding ARCH's vmlinux and rootfs.cpio.gz, or None if there is none."""
    for d in guest_dirs(arch):
        if all(os.path.isfile(os.path.join(d, f)) for f in ("vmlinux", "rootfs.cpio.gz")):
            return os.path.abspath(d)
    return None


def guests_or_first(arch):
    """find_guests(arch), else the first place looked (for callers that name what is missing)."""
    return find_guests(arch) or guest_dirs(arch)[0]


# the pseries board's ppc64le kernel and busybox initramfs (the same /init modes and markers)
GUESTS64 = guests_or_first("ppc64le")


def softkvm_path():
    return os.environ.get("SOFTKVM", os.path.join(ROOT, "build", "softkvm"))


def pseries_unready(files=("vmlinux", "rootfs.cpio.gz")):
    """Why a pseries test cannot run (the files missing from GUESTS64, or no build/softkvm),
    or None: the test then fails with that message rather than pass without running."""
    missing = [f for f in files if not os.path.isfile(os.path.join(GUESTS64, f))]
    if missing:
        return (f"no ppc64le guest images: {' '.join(missing)} missing in {GUESTS64} "
                "(SOFTKVM_GUESTS64 names another folder; scripts/build-guest.sh --arch ppc64le "
                "build/guests/ppc64le builds them)")
    if not os.access(softkvm_path(), os.X_OK):
        return f"{softkvm_path()} is not there (run make)"
    return None


def command(vmm, guests, append, memory_mib=256, softkvm=None, kernel=None):
    kernel = kernel or os.path.join(guests, "vmlinux")
    initrd = os.path.join(guests, "rootfs.cpio.gz")
    if vmm == "qemu":
        return ["qemu-system-ppc", "-M", "bamboo", "-m", str(memory_mib), "-nographic",
                "-no-reboot", "-kernel", kernel, "-initrd", initrd, "-append", append,
                "-serial", "stdio", "-monitor", "none", "-display", "none"]
    return [softkvm or softkvm_path(), "run", "--kernel", kernel, "--initrd", initrd,
            "--append", append, "--memory", f"{memory_mib}M", "--no-reboot"]


def pseries_command(append, cpus=1, initrd=None, memory_mib=256):
    """softkvm booting the ppc64le images on the pseries board (console=hvc0 is the vty).
    loglevel=5: the kernel's warnings and worse still reach the console, its notes
    (DEBUG_STACK_USAGE's "used greatest stack depth" at a process's exit, mounts, links)
    stay in dmesg instead of landing inside the shell's answers."""
    return [softkvm_path(), "run", "--machine", "pseries", "--cpus", str(cpus),
            "--kernel", os.path.join(GUESTS64, "vmlinux"),
            "--initrd", initrd or os.path.join(GUESTS64, "rootfs.cpio.gz"),
            "--append", f"{append} loglevel=5", "--memory", f"{memory_mib}M", "--no-reboot"]


def cpio_newc(entries):
    """A gzipped newc cpio archive of (name, mode, data) entries (no cpio binary needed);
    appended to rootfs.cpio.gz it adds files to the guest (Linux unpacks concatenated archives
    in turn)."""
    out = b""
    for ino, (name, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], 1):
        nm = name.encode() + b"\0"
        hdr = "070701" + "".join(f"{v:08x}" for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nm), 0))
        out += hdr.encode() + nm
        out += b"\0" * (-len(out) % 4) + data
        out += b"\0" * (-len(out) % 4)
    return gzip.compress(out)


def initrd_with_tool(guests, tmp, source, name, cc="powerpc-linux-gnu-gcc"):
    """rootfs.cpio.gz plus /bin/NAME, SOURCE (a C file) built static with cc (the 440's
    cross compiler unless told) into tmp; returns the new initrd's path."""
    tool = os.path.join(tmp, name)
    subprocess.run([cc, "-O2", "-static", "-o", tool, source], check=True)
    with open(tool, "rb") as f:
        extra = cpio_newc([("bin", 0o40755, b""), (f"bin/{name}", 0o100755, f.read())])
    initrd = os.path.join(tmp, f"rootfs+{name}.cpio.gz")
    with open(os.path.join(guests, "rootfs.cpio.gz"), "rb") as f, open(initrd, "wb") as o:
        o.write(f.read())
        o.write(extra)
    return initrd


class Guest:
    """One VMM process whose console is a pair of pipes. Everything it prints is kept in
    self.text (carriage returns removed); expect() consumes it from left to right."""

    def __init__(self, cmd):
        self.cmd = cmd
        self.start = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.raw = b""
        self.text = ""
        self.pos = 0
        self.eof = False
        self.seq = 0
        self.stamps = []  # (host seconds since start, offset in self.text) per read

    def elapsed(self):
        return time.monotonic() - self.start

    def _read(self, timeout):
        if self.eof:
            time.sleep(min(timeout, 0.05))
            return
        ready, _, _ = select.select([self.proc.stdout], [], [], max(timeout, 0))
        if not ready:
            return
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            self.eof = True
            return
        self.raw += data
        self.text = self.raw.decode("utf-8", "replace").replace("\r", "")
        self.stamps.append((self.elapsed(), len(self.text)))

    def expect(self, pattern, timeout, what=None):
        """Waits for the regular expression (a string, compiled with re.S, or a compiled
        pattern) after the previous match; returns the match."""
        regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            if self.eof and self.proc.poll() is not None:
                raise GuestError(f"{what or regex.pattern!r}: the VMM "
                                 f"{status_text(self.proc.returncode)} first\n{self.tail()}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestError(f"{what or regex.pattern!r}: nothing after {timeout} s\n{self.tail()}")
            self._read(min(left, 0.5))

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def sh(self, cmd, timeout=30):
        """Runs one shell command line at the guest's prompt; returns (status, output) with the
        output's ANSI colour codes removed. The markers are quoted in what is typed, so the
        console's echo of the line never matches them. The start marker begins a line: the
        newline before it may be the previous command's end marker's, already consumed (a
        shell without prompt or echo prints nothing in between)."""
        self.seq += 1
        n = self.seq
        self.send(f'echo ":B""{n}:"; {cmd}; echo ":E""{n}:$?"')
        m = self.expect(rf"(?<=\n):B{n}:\n(.*?):E{n}:(\d+)\n", timeout, what=cmd)
        return int(m.group(2)), ANSI.sub("", m.group(1))

    def wait_exit(self, timeout):
        """Waits for the VMM to exit, reading its output; returns its exit status."""
        deadline = time.monotonic() + timeout
        while not (self.eof and self.proc.poll() is not None):
            left = deadline - time.monotonic()
            if left <= 0:
                raise GuestError(f"the VMM did not exit within {timeout} s\n{self.tail()}")
            self._read(min(left, 0.5))
        return self.proc.returncode

    def when(self, offset):
        """Host seconds since start at which the console text up to offset had arrived."""
        for t, end in self.stamps:
            if end >= offset:
                return t
        return float("nan")

    def tail(self, lines=25):
        return "\n".join("    | " + ln for ln in self.text.splitlines()[-lines:])

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class Checks:
    """Prints one line per check ("ok: ..." or "FAIL: ..."); status() is the exit status."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            print(f"ok: {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL: {what}" + (f"\n{detail}" if detail else ""), flush=True)
        return cond

    def status(self):
        print(f"{self.passed} checks passed, {self.failed} failed")
        return 1 if self.failed else 0


class Part:
    """One device's share of a guest boot, so that several devices can share one boot (the
    pseries test boots once for all of them): the options it adds to the command line, its
    checks at the guest's shell, its checks once the VMM has exited (--stats, host files),
    and what it holds on the host to release."""

    def options(self):
        return []

    def at_shell(self, c, g):
        pass

    def after_exit(self, c, g):
        pass

    def close(self):
        pass


def boot_parts(c, cmd, parts, timeout=None):
    """Boots cmd plus every part's options to the shell, runs each part's shell checks in
    turn, powers off (status 0 is a check), then each part's after-exit checks. A guest that
    stops answering fails the check that waited for it; the parts are closed in any case."""
    timeout = timeout or float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
    g = None
    try:
        g = Guest(cmd + [o for p in parts for o in p.options()])
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", timeout, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        for p in parts:
            p.at_shell(c, g)
        g.send("poweroff -f")
        rc = g.wait_exit(30)
        c.check(rc == 0, f"poweroff: the VMM exited with status 0 (got {rc})")
        for p in parts:
            p.after_exit(c, g)
    except GuestError as e:
        c.check(False, str(e))
    finally:
        if g:
            g.close()
        for p in parts:
            p.close()
    return g


def test_setup(description):
    """Parses a test's arguments (--qemu); returns (vmm, guests) or exits 1 with a FAIL line
    saying what is missing: guest images (a test that cannot run must not pass) or the
    softkvm binary."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--qemu", action="store_true",
                    help="run the guest under qemu-system-ppc -M bamboo instead of softkvm "
                         "(also: SOFTKVM_VMM=qemu)")
    args = ap.parse_args()
    vmm = "qemu" if args.qemu or os.environ.get("SOFTKVM_VMM") == "qemu" else "softkvm"
    guests = find_guests()
    if guests is None:
        print("FAIL: no guest images: vmlinux and rootfs.cpio.gz are in none of "
              f"{' '.join(guest_dirs())} (scripts/build-guest.sh build/guests/ppc440 builds "
              "them; SOFTKVM_GUESTS names another folder)")
        sys.exit(1)
    if vmm == "softkvm" and not os.access(softkvm_path(), os.X_OK):
        print(f"FAIL: {softkvm_path()} is not there (run make)")
        sys.exit(1)
    print(f"vmm: {'qemu-system-ppc' if vmm == 'qemu' else softkvm_path()}; guest images: {guests}")
    return vmm, guests


def virtio_test_main(description, body, tmp_prefix=None, needs=()):
    """The main() of a test of the board's virtio devices: the common setup, then
    body(c, guests) — or body(c, guests, tmp) with a scratch folder named after tmp_prefix,
    removed afterwards. Under --qemu it skips (QEMU's bamboo has no virtio-mmio devices);
    a host tool in `needs` that is missing fails the test, since it cannot run without it."""
    import shutil
    import tempfile
    vmm, guests = test_setup(description)
    if vmm == "qemu":
        print("SKIP: QEMU's bamboo has no virtio-mmio devices")
        return 0
    missing = [tool for tool in needs if not shutil.which(tool)]
    if missing:
        print(f"FAIL: {' '.join(missing)} not installed (scripts/install-deps.sh installs them)")
        return 1
    c = Checks()
    if tmp_prefix is None:
        body(c, guests)
        return c.status()
    tmp = tempfile.mkdtemp(prefix=tmp_prefix)
    try:
        body(c, guests, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return c.status()
