#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""softkvm as a gdb target (`softkvm run --gdb tcp:127.0.0.1:0 [--gdb-wait]`), with Debian's
gdb-multiarch in batch mode and with a raw client of the remote protocol:

  bare      build/gdb/guest.elf (make guest; -O0 -g): break at a function, continue, next,
            step into a call, backtrace, read and write a variable, info registers, an FP
            register written and read back, stepi, finish, detach: the guest then runs to its
            end and prints what the written variable made it print; a breakpoint hit again
            and again, a software watchpoint (gdb single-stepping), the guest's end; a
            hardware breakpoint (hbreak), write, read and access watchpoints (watch,
            rwatch, awatch: the 440's IAC and DAC compares); steps over MMIO stores (each
            byte reaches the UART once);
  ctrl-c    gdb in a terminal against the spinning build/hostile/host_spin.elf, attached
            while it runs (no --gdb-wait): continue, Ctrl-C stops it, kill ends softkvm (0);
  wake      a vcpu parked for gdb still ends the run: --timeout (4) with nobody connected,
            SIGTERM (143) while gdb holds the guest at a breakpoint;
  protocol  a raw client: garbage, bad checksums, a packet longer than the buffer, huge
            lengths, malformed commands, a second connection, NAK, no-ack mode, the target
            description -- softkvm answers each as the protocol says and never crashes; a
            connection that closes with a breakpoint planted leaves the guest running
            correctly; kill; the guest's end reported to a waiting gdb (W00). Also under the
            sanitizers (build-asan/softkvm) when it is built;
  linux     the Linux guest with ../shared/guests/ppc440/vmlinux.unstripped: break at
            start_kernel from the first instruction (--gdb-wait; the breakpoint is planted
            once the kernel maps itself), backtrace, detach, the guest boots; then a raw
            client attaches to the running kernel, Ctrl-C stops it in the kernel, detach,
            the shell still answers, poweroff.

usage: test_gdb.py [PART...]   (env: SOFTKVM; default: every part). The bounds (seconds)
only catch a hang.
"""
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import guestlib  # noqa: E402

GDB = "gdb-multiarch"
ROOT = guestlib.ROOT
GUEST = os.path.join(ROOT, "build", "gdb", "guest.elf")
SPIN = os.path.join(ROOT, "build", "hostile", "host_spin.elf")
BOUND = 60
c = guestlib.Checks()


def start(softkvm, *args):
    """softkvm run ARGS --gdb tcp:127.0.0.1:0: (Guest, port)."""
    g = guestlib.Guest([softkvm, "run", *args, "--gdb", "tcp:127.0.0.1:0"])
    m = g.expect(r"softkvm: gdb: listening on 127\.0\.0\.1:(\d+)", 10, "the gdb port")
    return g, int(m.group(1))


def gdb_batch(port, elf, cmds, arch="powerpc:403"):
    argv = [GDB, "-nx", "-batch", "-ex", f"set architecture {arch}",
            "-ex", f"target remote 127.0.0.1:{port}"]
    for cmd in cmds:
        argv += ["-ex", cmd]
    p = subprocess.run(argv + [elf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=BOUND, text=True)
    return p.stdout


def has(text, pattern):
    return re.search(pattern, text, re.M) is not None


def finish(g, status, what, output=None):
    """The run ends with status (and the console printed output)."""
    try:
        rc = g.wait_exit(BOUND)
    except guestlib.GuestError as e:
        c.check(False, what, str(e))
        return
    ok = rc == status and (output is None or output in g.text)
    c.check(ok, what, f"status {rc}, console:\n{g.tail()}")


# ---- a raw client of the remote protocol ----

class Rsp:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=BOUND)
        self.buf = b""
        self.ack = True

    def raw(self, data):
        self.s.sendall(data)

    def frame(self, payload):
        if isinstance(payload, str):
            payload = payload.encode("latin-1")
        return b"$" + payload + b"#%02x" % (sum(payload) & 0xff)

    def read_byte(self, timeout=BOUND):
        while not self.buf:
            ready, _, _ = select.select([self.s], [], [], timeout)
            if not ready:
                raise TimeoutError("nothing from softkvm")
            data = self.s.recv(65536)
            if not data:
                raise EOFError("connection closed")
            self.buf += data
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def packet(self, timeout=BOUND):
        """The next packet's payload (unescaped), its checksum verified; acked."""
        while self.read_byte(timeout) != b"$":
            pass
        data = b""
        while (b := self.read_byte(timeout)) != b"#":
            data += b
        cs = self.read_byte(timeout) + self.read_byte(timeout)
        assert int(cs, 16) == sum(data) & 0xff, f"bad checksum from softkvm: {data!r}"
        if self.ack:
            self.raw(b"+")
        out, i = b"", 0
        while i < len(data):
            if data[i:i + 1] == b"}":
                out += bytes([data[i + 1] ^ 0x20])
                i += 2
            else:
                out += data[i:i + 1]
                i += 1
        return out.decode("latin-1")

    def ack_byte(self, timeout=BOUND):
        """Skips to the next '+' or '-' (acks only come between packets)."""
        while True:
            b = self.read_byte(timeout)
            if b in (b"+", b"-"):
                return b.decode()

    def cmd(self, payload):
        """Sends a packet; returns softkvm's reply (after its ack, in ack mode)."""
        self.raw(self.frame(payload))
        if self.ack:
            a = self.ack_byte()
            if a != "+":
                return "NAK"
        return self.packet()

    def quiet(self, seconds):
        """True if nothing at all arrives for seconds."""
        if self.buf:
            return False
        ready, _, _ = select.select([self.s], [], [], seconds)
        return not ready

    def close(self):
        self.s.close()


def is_error(r):
    return re.fullmatch(r"E[0-9a-f]{2}", r) is not None


def pc_of(g_reply):
    """The pc in a 'g' reply: after 32 GPRs (8 hex digits each) and 32 FPRs (16)."""
    return int(g_reply[32 * 8 + 32 * 16:][:8], 16)


# ---- bare: gdb-multiarch against the -O0 -g guest ----

def bare(softkvm):
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    out = gdb_batch(port, GUEST, [
        "break work", "continue", "next", "step", "bt", "print counter",
        "info registers", "p/x $pc", "stepi", "p/x $pc",
        "set $f2 = 1.5", "p $f2", "info registers fpscr",
        "set var counter = 100", "print counter",
        "finish", "print squares", "delete", "detach"])
    try:
        c.check(has(out, r"^Breakpoint 1, work \(\) at .*guest\.c:\d+"), "break work; continue",
                out)
        c.check(has(out, r"^\d+\s+squares\[i\] = square\(i\);"), "next: the loop's body", out)
        c.check(has(out, r"^square \(x=0\) at .*guest\.c:\d+"), "step: into square(x=0)", out)
        c.check(has(out, r"^#1 +0x[0-9a-f]+ in work \(\) at") and
                has(out, r"^#2 +0x[0-9a-f]+ in main \(\) at"), "bt: square, work, main", out)
        c.check(has(out, r"^\$1 = 7$"), "print counter: its initial 7", out)
        regs = ["r0", "r1", "r31", "pc", "msr", "cr", "lr", "ctr", "xer"]
        c.check(all(has(out, rf"^{r} +0x[0-9a-f]+") for r in regs),
                "info registers: r0-r31 pc msr cr lr ctr xer", out)
        pcs = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
        c.check(len(pcs) >= 2 and int(pcs[1], 16) == int(pcs[0], 16) + 4,
                "stepi: the pc moved by one instruction", out)
        c.check(has(out, r"^\$\d+ = 1\.5$"), "an FP register written and read back ($f2)", out)
        c.check(has(out, r"^fpscr +0x[0-9a-f]+"), "info registers fpscr", out)
        c.check(has(out, r"^\$\d+ = 100$"), "set var counter = 100", out)
        c.check(has(out, r"^Value returned is \$\d+ = 0$"), "finish: square returned 0", out)
        c.check(has(out, r"Inferior 1 \(Remote target\) detached"), "detach", out)
    finally:
        # the written variable changes what the guest prints at its end
        finish(g, 0, "after detach the guest ran on and saw counter written by gdb",
               "counter changed")
        g.close()

    # break inside a loop, hit it again and again, finish with a value
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    out = gdb_batch(port, GUEST, [
        "set can-use-hw-watchpoints 0",
        "break square", "continue", "continue", "continue", "print x", "finish",
        "print squares", "delete", "watch counter", "continue", "delete", "continue"],
        arch="powerpc:common")
    try:
        c.check(has(out, r"^\$1 = 2$") and has(out, r"^Value returned is \$\d+ = 4$"),
                "a breakpoint hit three times (x = 0, 1, 2), then finish: 4", out)
        c.check(has(out, r"^\$\d+ = \{0, 1, 0, 0, 0, 0, 0, 0\}$"), "print squares", out)
        c.check(has(out, r"^Old value = 9\nNew value = 10$"),
                "a (software) watchpoint on counter: 9 -> 10", out)
        c.check(has(out, r"exited normally|exited with code 00"),
                "continue to the guest's end: gdb is told it exited (W00)", out)
    finally:
        finish(g, 0, "the guest ran to its end", "squares done")
        g.close()

    # hardware breakpoints and watchpoints (the 440's IAC and DAC compares)
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    out = gdb_batch(port, GUEST, [
        "hbreak square", "continue", "continue", "print x", "delete",
        "watch counter", "continue", "continue", "delete",
        "rwatch counter", "continue", "delete", "awatch squares[5]", "continue", "delete",
        "continue"])
    try:
        c.check(has(out, r"^Hardware assisted breakpoint 1 at 0x[0-9a-f]+: file") and
                has(out, r"^\$1 = 1$"), "hbreak square: hit twice (x = 0, 1)", out)
        c.check(has(out, r"^Hardware watchpoint 2: counter\n\nOld value = 8\nNew value = 9$") and
                has(out, r"^Old value = 9\nNew value = 10$"),
                "watch counter: a hardware watchpoint, 8 -> 9 -> 10", out)
        c.check(has(out, r"^Hardware read watchpoint 3: counter\n\nValue = 10$"),
                "rwatch counter: stops at its read", out)
        c.check(has(out, r"^Hardware access \(read/write\) watchpoint 4: squares\[5\]\n\n"
                         r"Old value = 0\nNew value = 25$"),
                "awatch squares[5]: stops at its write, 0 -> 25", out)
        c.check(has(out, r"exited normally|exited with code 00"),
                "with them deleted, the guest runs to its end", out)
    finally:
        finish(g, 0, "the guest ran to its end under hardware breakpoints and watchpoints",
               "squares done")
        g.close()

    # steps over MMIO stores: each store reaches the UART once, in order
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    out = gdb_batch(port, GUEST, ["break puts_uart", "continue", "next", "next", "next",
                                  "next", "p/c *s", "delete", "detach"])
    try:
        c.check(has(out, r"^\$1 = 117 'u'$"), "next over two UART stores: s at 'u'", out)
    finally:
        finish(g, 0, "the UART got every byte once", "\nsquares done\n")
        g.close()


# ---- ctrl-c: gdb on a terminal ----

def ctrl_c(softkvm):
    import pty
    g, port = start(softkvm, "--kernel", SPIN, "--no-reboot", "--timeout", str(BOUND))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(GDB, [GDB, "-nx", "-q", "-ex", "set style enabled off",
                        "-ex", "set pagination off",
                        "-ex", "set confirm off", "-ex", f"target remote 127.0.0.1:{port}",
                        SPIN])
    text = b""

    def expect(pattern, timeout=BOUND):
        nonlocal text
        deadline = time.monotonic() + timeout
        while not re.search(pattern, text):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    text += os.read(fd, 65536)
                except OSError:
                    return False
        return True

    try:
        c.check(expect(rb"in _start \(\)[\s\S]*\(gdb\) "), "attaching stops the running guest",
                text.decode(errors="replace"))
        os.write(fd, b"continue\n")
        ok = expect(rb"Continuing\.")
        time.sleep(0.5)
        os.write(fd, b"\x03")
        c.check(ok and expect(rb"Program received signal SIGINT"), "Ctrl-C in gdb stops it",
                text.decode(errors="replace"))
        os.write(fd, b"kill\n")
        c.check(expect(rb"\[Inferior 1 \(Remote target\) killed\]"), "kill",
                text.decode(errors="replace"))
    finally:
        finish(g, 0, "gdb's kill ends softkvm with status 0")
        g.close()
        os.close(fd)
        os.waitpid(pid, 0)


# ---- wake: a parked vcpu still ends the run ----

def wake(softkvm):
    g, _ = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait", "--timeout", "1")
    finish(g, 4, "--timeout ends a run parked for a gdb that never comes")
    g.close()

    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    r = Rsp(port)
    try:
        c.check(r.cmd("Z0,%x,4" % symbol(GUEST, "square")) == "OK" and
                r.cmd("vCont;c").startswith("T05"), "stopped at a breakpoint")
        g.proc.send_signal(signal.SIGTERM)
        finish(g, 143, "SIGTERM ends a run held by gdb", "interrupted by SIGTERM")
        try:
            r.read_byte(10)
            closed = False
        except EOFError:
            closed = True
        c.check(closed, "gdb's connection is closed at the end")
    finally:
        r.close()
        g.close()


def symbol(elf, name):
    out = subprocess.run(["powerpc-linux-gnu-nm", elf], stdout=subprocess.PIPE, text=True,
                         check=True).stdout
    m = re.search(rf"^([0-9a-f]+) [Tt] {name}$", out, re.M)
    return int(m.group(1), 16)


# ---- protocol: a raw client, with bad input ----

def protocol(softkvm, label):
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    r = Rsp(port)
    try:
        c.check(r.cmd("?").startswith("T05"), f"[{label}] '?': stopped (T05) before the start")
        sup = r.cmd("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386")
        c.check("PacketSize=1000" in sup and "qXfer:features:read+" in sup and
                "hwbreak-" in sup, f"[{label}] qSupported", sup)

        # the target description, read in small pieces, is gdb's powerpc layout
        xml, off = "", 0
        while True:
            part = r.cmd("qXfer:features:read:target.xml:%x,40" % off)
            xml += part[1:]
            off += len(part) - 1
            if part[0] == "l":
                break
        regs = [(reg.get("name"), reg.get("bitsize")) for reg in ET.fromstring(xml).iter("reg")]
        c.check(len(regs) == 71 and regs[0] == ("r0", "32") and regs[32] == ("pc", "32") and
                regs[38] == ("f0", "64") and regs[70] == ("fpscr", "32") and
                "powerpc:common" in xml, f"[{label}] target.xml: r0-r31 pc..xer f0-f31 fpscr")
        g_reply = r.cmd("g")
        c.check(re.fullmatch(r"[0-9a-f]{824}", g_reply) is not None and
                pc_of(g_reply) == symbol(GUEST, "_start"),
                f"[{label}] 'g': 71 registers, pc at _start")

        # garbage between packets: ignored (no '$', so no packet forms)
        rnd = bytes((b * 7919 + 13) % 256 for b in range(20000)).replace(b"$", b"x")
        rnd = rnd.replace(b"\x03", b"x").replace(b"-", b"x")
        r.raw(rnd)
        c.check(r.cmd("qC") == "QC01", f"[{label}] 20000 bytes of garbage, then a packet")
        r.raw(b"$g#00")
        c.check(r.ack_byte() == "-", f"[{label}] a bad checksum is NAKed")
        r.raw(b"$g#zz")
        c.check(r.ack_byte() == "-", f"[{label}] a checksum that is not hex is NAKed")
        r.raw(r.frame("m" * 10000))
        c.check(r.ack_byte() == "-", f"[{label}] a packet longer than PacketSize is NAKed")
        r.raw(b"$m100000,4$" + r.frame("qC")[1:])
        c.check(r.ack_byte() == "+" and r.packet() == "QC01",
                f"[{label}] a '$' inside a packet starts over")
        r.raw(b"-")
        c.check(r.packet() == "QC01", f"[{label}] a NAK gets the last reply again")

        bad = ["m0,ffffffffffffffffffff", "mffffffffff,4", "m100000", "M100000,ffffffff:00",
               "M100000,2:0", "X100000,4:ab", "G00", "p999999999", "P40=zz", "P40=123",
               "Z0,100002,4", "Z0,100000,2", "Z0,zz", "vCont;x", "C", "c1ffffffff"]
        replies = {p: r.cmd(p) for p in bad}
        c.check(all(is_error(v) for v in replies.values()),
                f"[{label}] malformed commands get an error reply", repr(replies))
        unsupported = {p: r.cmd(p) for p in ("!", "vKill;1", "qUnknown")}
        c.check(all(v == "" for v in unsupported.values()),
                f"[{label}] extended mode, vKill, unknown packets: unsupported",
                repr(unsupported))
        hw = [r.cmd(p) for p in ("Z1,100000,4", "Z2,100000,4", "Z3,100004,4", "Z4,100008,4",
                                 "z1,100000,4", "z2,100000,4", "z3,100004,4")]
        c.check(hw == ["OK", "OK", "OK", "E1c", "OK", "OK", "OK"],  # E1c: ENOSPC
                f"[{label}] hardware breakpoints and watchpoints: two watchpoints at most",
                repr(hw))
        big = r.cmd("m100000,100000000")
        c.check(re.fullmatch(r"[0-9a-f]{4096}", big) is not None,
                f"[{label}] a 4 GiB read is cut to 2 KiB")
        c.check(is_error(r.cmd("mef600300,4")), f"[{label}] device memory is not read")

        # one gdb at a time
        second = socket.create_connection(("127.0.0.1", port), timeout=BOUND)
        try:
            closed = second.recv(16) == b""
        except OSError:
            closed = True
        second.close()
        c.check(closed and r.cmd("qC") == "QC01",
                f"[{label}] a second connection is closed, the first goes on")

        # no-ack mode: no '+' any more
        c.check(r.cmd("QStartNoAckMode") == "OK", f"[{label}] QStartNoAckMode")
        r.ack = False
        r.raw(r.frame("qC"))
        first = r.read_byte()
        r.buf = first + r.buf
        c.check(first == b"$" and r.packet() == "QC01",
                f"[{label}] no-ack mode: the reply without a '+' before it")

        # a planted breakpoint, then the connection just closes: the guest runs on
        sq = symbol(GUEST, "square")
        c.check(r.cmd("Z0,%x,4" % sq) == "OK", f"[{label}] Z0 at square")
        r.close()
        finish(g, 0, f"[{label}] a connection gone with a breakpoint planted: the guest "
                     "runs on to its end", "squares done")
    finally:
        r.close()
        g.close()

    # kill, and the end of the guest told to a waiting gdb
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    r = Rsp(port)
    r.raw(r.frame("k"))
    finish(g, 0, f"[{label}] 'k' ends softkvm with status 0")
    r.close()
    g.close()
    g, port = start(softkvm, "--kernel", GUEST, "--no-reboot", "--gdb-wait")
    r = Rsp(port)
    try:
        c.check(r.cmd("vCont;c") == "W00", f"[{label}] continued to the guest's end: W00")
        finish(g, 0, f"[{label}] ... and softkvm's status is 0", "squares done")
    finally:
        r.close()
        g.close()


# ---- linux ----

def linux(softkvm, guests):
    vmlinux = os.path.join(guests, "vmlinux.unstripped")
    if not os.path.isfile(vmlinux):
        c.check(False, "vmlinux.unstripped is in the guest images", guests)
        return
    cmd = guestlib.command("softkvm", guests, "console=ttyS0", softkvm=softkvm)
    g = guestlib.Guest(cmd + ["--gdb", "tcp:127.0.0.1:0", "--gdb-wait"])
    try:
        port = int(g.expect(r"softkvm: gdb: listening on 127\.0\.0\.1:(\d+)", 10).group(1))
        out = gdb_batch(port, vmlinux, ["break start_kernel", "continue", "bt", "p/x $msr",
                                        "delete", "detach"])
        c.check(has(out, r"^Breakpoint 1, 0x[0-9a-f]+ in start_kernel \(\)$"),
                "Linux: break start_kernel, set before the kernel's first instruction", out)
        c.check(has(out, r"^#0 +0x[0-9a-f]+ in start_kernel \(\)$"),
                "Linux: the backtrace shows start_kernel", out)
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOUND, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        c.check(True, "Linux boots after gdb detached")

        # attach to the running kernel, Ctrl-C, detach: it goes on
        r = Rsp(port)
        c.check(r.cmd("?").startswith("T05"), "Linux: attaching to the running guest stops it")
        r.raw(r.frame("vCont;c"))
        r.ack_byte()
        running = r.quiet(0.3)  # no stop reply: it runs
        r.raw(b"\x03")
        stop = r.packet()
        pc = pc_of(r.cmd("g"))
        c.check(running and stop.startswith("T02") and pc >= 0xc0000000,
                f"Linux: continue, then Ctrl-C stops the kernel (SIGINT, pc 0x{pc:08x})", stop)
        c.check(r.cmd("D") == "OK", "Linux: detach")
        r.close()
        status, out = g.sh("echo still here")
        c.check(status == 0 and out.strip() == "still here", "Linux: the shell answers after")
        g.send("poweroff -f")
        finish(g, 0, "Linux: poweroff ends the run")
    except guestlib.GuestError as e:
        c.check(False, "Linux under gdb", str(e))
    finally:
        g.close()


def main():
    only = sys.argv[1:]  # parts to run (bare ctrl-c wake protocol linux); default: all
    softkvm = guestlib.softkvm_path()
    missing = [f for f in (softkvm, GUEST, SPIN) if not os.path.exists(f)]
    if missing or not shutil.which(GDB):
        print(f"FAIL: missing {missing or GDB} (make, make guest, scripts/install-deps.sh)")
        return 1
    def part(name):
        return not only or name in only
    if part("bare"):
        bare(softkvm)
    if part("ctrl-c"):
        ctrl_c(softkvm)
    if part("wake"):
        wake(softkvm)
    if part("protocol"):
        protocol(softkvm, "build")
        asan = os.path.join(ROOT, "build-asan", "softkvm")
        if os.path.exists(asan):
            protocol(asan, "build-asan")
    if part("linux"):
        guests = guestlib.find_guests()
        if guests is None:
            c.check(False, "the Linux guest images are there (../shared/guests/ppc440)")
        else:
            linux(softkvm, guests)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
