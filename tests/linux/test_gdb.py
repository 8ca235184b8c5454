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
            the shell still answers, poweroff;
  pseries   the pseries board (Book3S PR): build/gdb/guest64.elf (little-endian POWER8,
            -O0 -g) under gdb-multiarch as the bare part does (break, next, step, bt,
            print, info registers with gdb's 64-bit layout, stepi, set var, finish, hbreak
            refused, kill); a raw client: the 64-bit target description and 'g' layout,
            no hardware breakpoints, Ctrl-C in the running guest, kill; --gdb's bad
            addresses get the 440's errors;
  pseries-linux  the ppc64le kernel ($SOFTKVM_GUESTS64/vmlinux.unstripped): break at
            start_kernel from the first instruction (--gdb-wait: planted once the kernel,
            moved down to 0, runs at its own addresses), backtrace, linux_banner, detach,
            the boot marker; then attached to the running shell, a breakpoint at
            system_call_exception (hit by the next system call: a line typed on the
            console), variables read through the kernel's SLB and HPT, continue: the
            line's output comes;
  pseries-smp  the same kernel on two vcpus (--cpus 2): from the first instruction
            (--gdb-wait) vcpu 1 is thread 2, not started (a step of it is refused), and
            break start_secondary stops it once Linux starts it; then, a busy loop pinned to
            each vcpu, gdb attached to the running shell lists two threads ("vcpu 0",
            "vcpu 1"); a
            breakpoint at timer_interrupt for thread 2, then one for thread 1, each hit by
            its vcpu (so breakpoints work on both), the two vcpus' pc and r13 (the paca)
            differing; stepi on thread 2 moves its pc and not thread 1's; continue again and
            again at scheduler_tick; detach, the shell answers; a raw client: the thread list,
            names, Hg, the stop replies naming a thread (attach, Ctrl-C), detach; then gdb's
            kill ends softkvm with status 0.

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
GUEST64 = os.path.join(ROOT, "build", "gdb", "guest64.elf")
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


def symbol(elf, name, nm="powerpc-linux-gnu-nm"):
    out = subprocess.run([nm, elf], stdout=subprocess.PIPE, text=True, check=True).stdout
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


# ---- pseries: the Book3S PR VM, gdb's 64-bit layout ----

NM64 = "powerpc64le-linux-gnu-nm"


def pc64_of(g_reply):
    """The pc in a pseries 'g' reply: after 32 GPRs and 32 FPRs (16 hex digits each), as
    little-endian bytes."""
    return int.from_bytes(bytes.fromhex(g_reply[64 * 16:][:16]), "little")


def pseries_bare(softkvm):
    g, port = start(softkvm, "--machine", "pseries", "--kernel", GUEST64, "--gdb-wait")
    out = gdb_batch(port, GUEST64, [
        "break work", "continue", "next", "step", "bt", "print counter",
        "info registers", "p/x $pc", "stepi", "p/x $pc", "p/x $msr",
        "set var counter = 100", "print counter", "finish", "print squares",
        "hbreak finished", "continue", "delete", "break finished", "continue",
        "print counter", "kill"], arch="powerpc:common64")
    try:
        c.check(has(out, r"^Breakpoint 1, work \(\) at .*guest64\.c:\d+"),
                "pseries: break work; continue", out)
        c.check(has(out, r"^\d+\s+squares\[i\] = square\(i\);"), "pseries: next", out)
        c.check(has(out, r"^square \(x=0\) at .*guest64\.c:\d+"),
                "pseries: step into square(x=0)", out)
        c.check(has(out, r"^#1 +0x[0-9a-f]+ in work \(\) at") and
                has(out, r"^#2 +0x[0-9a-f]+ in main \(\) at"), "pseries: bt", out)
        c.check(has(out, r"^\$1 = 7$"), "pseries: print counter (a 64-bit variable): 7", out)
        regs = ["r0", "r1", "r31", "pc", "msr", "cr", "lr", "ctr", "xer"]
        c.check(all(has(out, rf"^{r} +0x[0-9a-f]+") for r in regs) and
                has(out, r"^pc +0x40[0-9a-f]{4} +0x40[0-9a-f]{4} <square\+\d+>"),
                "pseries: info registers (pc in square, at 4 MiB)", out)
        pcs = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
        c.check(len(pcs) >= 3 and int(pcs[1], 16) == int(pcs[0], 16) + 4,
                "pseries: stepi moved the pc by one instruction", out)
        c.check(len(pcs) >= 3 and int(pcs[2], 16) == 0x8000000000001001,
                "pseries: msr = SF | ME | LE (64-bit, little-endian, real mode)", out)
        c.check(has(out, r"^\$\d+ = 100$"), "pseries: set var counter = 100", out)
        c.check(has(out, r"^Value returned is \$\d+ = 0$"), "pseries: finish (square returned 0)",
                out)
        c.check(has(out, r"(?i)cannot insert hardware breakpoint|could not insert hardware"),
                "pseries: hbreak is refused (no hardware breakpoints, as KVM PR)", out)
        c.check(has(out, r"^Breakpoint \d+, (0x[0-9a-f]+ in )?finished \(\) at") and
                has(out, r"^\$\d+ = 108$"),
                "pseries: continue to finished(): counter went from 100 to 108", out)
        c.check(has(out, r"\[Inferior 1 \(Remote target\) killed\]"), "pseries: kill", out)
    finally:
        finish(g, 0, "pseries: the guest printed what counter made it print; kill ends it (0)",
               "counter changed")
        g.close()

    # a raw client: the 64-bit description and 'g', no hardware compares, Ctrl-C, kill
    g, port = start(softkvm, "--machine", "pseries", "--kernel", GUEST64, "--gdb-wait")
    r = Rsp(port)
    try:
        xml, off = "", 0
        while True:
            part = r.cmd("qXfer:features:read:target.xml:%x,200" % off)
            xml += part[1:]
            off += len(part) - 1
            if part[0] == "l":
                break
        regs = [(reg.get("name"), reg.get("bitsize")) for reg in ET.fromstring(xml).iter("reg")]
        c.check(len(regs) == 71 and regs[0] == ("r0", "64") and regs[32] == ("pc", "64") and
                regs[33] == ("msr", "64") and regs[34] == ("cr", "32") and
                regs[70] == ("fpscr", "32") and "powerpc:common64" in xml,
                "pseries: target.xml: 64-bit r0-r31 pc msr lr ctr, powerpc:common64")
        g_reply = r.cmd("g")
        c.check(re.fullmatch(r"[0-9a-f]{1112}", g_reply) is not None and
                pc64_of(g_reply) == symbol(GUEST64, "_start", NM64),
                "pseries: 'g': 556 bytes, the pc little-endian at _start", g_reply[:64])
        c.check(r.cmd("Z1,%x,4" % symbol(GUEST64, "work", NM64)) == "E1c" and
                r.cmd("Z2,%x,8" % symbol(GUEST64, "work", NM64)) == "E1c",
                "pseries: no hardware breakpoints or watchpoints (E1c: ENOSPC)")
        r.raw(r.frame("vCont;c"))
        r.ack_byte()
        g.expect(r"squares done\n", BOUND, "the guest's output")
        r.raw(b"\x03")  # it runs on (in finished(), or about to get there)
        stop = r.packet()
        pc = pc64_of(r.cmd("g"))
        lo, hi = symbol(GUEST64, "_start", NM64), symbol(GUEST64, "main", NM64) + 0x100
        c.check(stop.startswith("T02") and lo <= pc < hi,
                f"pseries: Ctrl-C stops the running guest in its code (pc 0x{pc:x})", stop)
        r.raw(r.frame("k"))
        finish(g, 0, "pseries: 'k' ends softkvm with status 0")
    finally:
        r.close()
        g.close()

    # bad --gdb addresses: the 440's errors, word for word
    # (192.0.2.1, TEST-NET-1, is no address of this machine: binding to it fails at once)
    for spec in ("tcp:127.0.0.1:99999", "udp:127.0.0.1:1", "tcp:192.0.2.1:1"):
        res = []
        for board in (["--kernel", GUEST], ["--machine", "pseries", "--kernel", GUEST64]):
            p = subprocess.run([softkvm, "run", *board, "--gdb", spec], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=BOUND)
            res.append((p.returncode, p.stderr))
        c.check(res[0] == res[1] and res[0][0] in (1, 2) and "gdb" in res[0][1],
                f"pseries: --gdb {spec} gets the 440's error", repr(res))


def pseries_gdb_guest(softkvm, what, cpus=1):
    """The ppc64le kernel on `cpus` vcpus, held for gdb (--gdb-wait): (Guest, its
    vmlinux.unstripped), or None when the images are not there (a failed check says so)."""
    vmlinux = os.path.join(guestlib.GUESTS64, "vmlinux.unstripped")
    unready = guestlib.pseries_unready(("vmlinux", "rootfs.cpio.gz", "vmlinux.unstripped"))
    if unready:
        c.check(False, f"{what} under gdb: " + unready)
        return None
    cmd = guestlib.pseries_command("console=hvc0", cpus=cpus)
    cmd[0] = softkvm
    return guestlib.Guest(cmd + ["--gdb", "tcp:127.0.0.1:0", "--gdb-wait"]), vmlinux


def pseries_linux(softkvm):
    started = pseries_gdb_guest(softkvm, "pseries Linux")
    if not started:
        return
    g, vmlinux = started
    gdb = None
    try:
        port = int(g.expect(r"softkvm: gdb: listening on 127\.0\.0\.1:(\d+)", 10).group(1))
        # from the first instruction: the breakpoint waits until the kernel, moved down to
        # 0, runs at its own addresses
        out = gdb_batch(port, vmlinux, ["break start_kernel", "continue", "bt 2", "p/x $msr",
                                        "x/s (char *)&linux_banner", "delete", "detach"],
                        arch="powerpc:common64")
        c.check(has(out, r"^Breakpoint 1, 0x[0-9a-f]+ in start_kernel \(\)$") and
                has(out, r"^#1 +0x[0-9a-f]+ in start_here_common \(\)$"),
                "pseries Linux: break start_kernel set before the kernel's first instruction", out)
        c.check(has(out, r"<linux_banner>:\s+\"Linux version 6\.1"),
                "pseries Linux: linux_banner read at start_kernel", out)
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOUND, "the boot marker")
        c.check(True, "pseries Linux: after detach the kernel boots to the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        argv = [GDB, "-nx", "-batch", "-ex", "set pagination off",
                "-ex", f"target remote 127.0.0.1:{port}",
                "-ex", "break system_call_exception", "-ex", "echo gdb-attached\\n",
                "-ex", "continue",
                "-ex", "p/x $pc", "-ex", "p/x $msr",
                "-ex", "x/s (char *)&linux_banner", "-ex", "p *(unsigned long *)&jiffies > 0",
                "-ex", "delete", "-ex", "continue", vmlinux]
        gdb = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out, deadline = "", time.monotonic() + BOUND
        # gdb has stopped the guest and will plant its breakpoint as it resumes it: a line
        # typed on the console now makes the next system call after that
        while "gdb-attached" not in out and time.monotonic() < deadline:
            ready, _, _ = select.select([gdb.stdout], [], [], deadline - time.monotonic())
            data = os.read(gdb.stdout.fileno(), 65536) if ready else b""
            if not data:
                break
            out += data.decode(errors="replace")
        c.check("gdb-attached" in out, "pseries Linux: gdb attached and set its breakpoint",
                out)
        g.send("echo gdb-''pseries-ok")
        g.expect(r"\ngdb-pseries-ok\n", BOUND, "the typed line's output after continue")
        c.check(True, "pseries Linux: after the breakpoint and continue the line's output came")
        # gdb's last 'continue' waits for a stop that will not come: ^C then detach
        gdb.send_signal(signal.SIGINT)
        rest, _ = gdb.communicate(timeout=BOUND)
        out += rest.decode(errors="replace")
        sc = symbol(vmlinux, "system_call_exception", NM64)
        c.check(has(out, r"^Breakpoint 1, 0x[0-9a-f]+ in system_call_exception \(\)$"),
                "pseries Linux: break system_call_exception, hit by the next system call", out)
        pcs = re.findall(r"^\$\d+ = (0x[0-9a-f]+)$", out, re.M)
        c.check(len(pcs) >= 2 and 0 <= int(pcs[0], 16) - sc < 0x40 and
                int(pcs[1], 16) & 0x8000000000000031 == 0x8000000000000031,
                "pseries Linux: the pc at it (a 64-bit kernel address), MSR with SF IR DR", out)
        c.check(has(out, r"<linux_banner>:\s+\"Linux version 6\.1"),
                "pseries Linux: linux_banner read through the kernel's SLB and HPT", out)
        c.check(has(out, r"^\$\d+ = 1$"), "pseries Linux: jiffies read: it counts", out)
        status, text = g.sh("echo still here")
        c.check(status == 0 and text.strip() == "still here",
                "pseries Linux: the shell answers after gdb", text)
        g.send("poweroff -f")
        finish(g, 0, "pseries Linux: poweroff ends the run")
    except (guestlib.GuestError, subprocess.TimeoutExpired) as e:
        c.check(False, "pseries Linux under gdb", str(e))
    finally:
        if gdb and gdb.poll() is None:
            gdb.kill()
            gdb.wait()
        g.close()


def pseries_smp(softkvm):
    started = pseries_gdb_guest(softkvm, "pseries SMP Linux", cpus=2)
    if not started:
        return
    g, vmlinux = started
    try:
        port = int(g.expect(r"softkvm: gdb: listening on 127\.0\.0\.1:(\d+)", 10).group(1))
        # from the first instruction: vcpu 1 is a thread before the guest starts it (it
        # cannot step then), and a breakpoint set before it starts stops it
        out = gdb_batch(port, vmlinux, [
            "info threads", "thread 2", "stepi", "thread 1", "break start_secondary",
            "continue", "info threads", "delete", "detach"], arch="powerpc:common64")
        c.check(has(out, r"^\*\s+1\s+Thread 1 \(vcpu 0\) 0x0+400000 in") and
                has(out, r"^\s+2\s+Thread 2 \(vcpu 1\) 0x0+100 in") and
                has(out, r"Remote failure reply: E03"),
                "pseries SMP: at power-on vcpu 1 is thread 2, stopped (at 0x100), no step", out)
        c.check(has(out, r"^Thread 2 (\(vcpu 1\) )?hit Breakpoint 1, 0x[0-9a-f]+ in "
                         r"start_secondary \(\)$") and
                has(out, r"^\*\s+2\s+Thread 2 \(vcpu 1\) 0x[0-9a-f]+ in start_secondary"),
                "pseries SMP: break start_secondary (set before vcpu 1 started): vcpu 1 stops "
                "there", out)
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOUND, "the boot marker")
        g.expect(r"[#$] ", 20, "the shell prompt")
        # NO_HZ_IDLE: an idle vcpu may take no timer interrupt for seconds; a busy loop on
        # each keeps both ticking (HZ=100)
        status, _ = g.sh("for m in 1 2; do nice -n 19 taskset $m sh -c 'while :; do :; done' & "
                         "done")
        c.check(status == 0, "pseries SMP: a busy loop on each vcpu")
        out = gdb_batch(port, vmlinux, [
            "set pagination off", "info threads",
            "break timer_interrupt thread 2", "continue",
            'printf "A2 pc=%lx r13=%lx\\n", $pc, $r13',
            "thread 1", 'printf "A1 pc=%lx r13=%lx\\n", $pc, $r13', "delete",
            "break timer_interrupt thread 1", "continue",
            'printf "B1 pc=%lx r13=%lx\\n", $pc, $r13',
            "delete",  # else gdb steps thread 1 off its breakpoint first
            "thread 2", "info registers", 'printf "B2 pc=%lx r13=%lx\\n", $pc, $r13',
            "stepi", 'printf "C2 pc=%lx\\n", $pc',
            "thread 1", 'printf "C1 pc=%lx\\n", $pc',
            "break scheduler_tick", "continue", "continue", "continue", "continue",
            "delete", "detach"], arch="powerpc:common64")
        vals = {m.group(1): {k: int(v, 16) for k, v in re.findall(r"(\w+)=([0-9a-f]+)",
                                                                  m.group(2))}
                for m in re.finditer(r"^([ABC][12]) (.*)$", out, re.M)}
        ti = symbol(vmlinux, "timer_interrupt", NM64)

        def at_ti(key):
            return key in vals and 0 <= vals[key]["pc"] - ti < 0x40

        c.check(has(out, r"^\*?\s+1\s+Thread 1 \(vcpu 0\)") and
                has(out, r"^\*?\s+2\s+Thread 2 \(vcpu 1\)") and
                not has(out, r"^\*?\s+3\s+Thread"),
                "pseries SMP: info threads lists two threads, vcpu 0 and vcpu 1", out)
        c.check(has(out, r"^Thread 2 (\(vcpu 1\) )?hit Breakpoint 1, 0x[0-9a-f]+ in "
                         r"timer_interrupt \(\)$") and at_ti("A2"),
                "pseries SMP: a breakpoint for thread 2 at timer_interrupt, hit by vcpu 1", out)
        c.check(has(out, r"^Thread 1 (\(vcpu 0\) )?hit Breakpoint 2, 0x[0-9a-f]+ in "
                         r"timer_interrupt \(\)$") and at_ti("B1"),
                "pseries SMP: one for thread 1, hit by vcpu 0", out)
        c.check(at_ti("A2") and at_ti("B1") and vals["A2"]["r13"] != vals["B1"]["r13"] and
                vals["A2"]["r13"] >> 60 == 0xc and vals["B1"]["r13"] >> 60 == 0xc,
                "pseries SMP: each vcpu's r13 in timer_interrupt is its own paca", out)
        # each thread shows its own vcpu's registers: its own paca in r13 (the pcs may be
        # alike: the other vcpu can stop at the same instruction, or before it moved on)
        c.check("A1" in vals and "B2" in vals and vals["A1"]["r13"] != vals["A2"]["r13"] and
                vals["B2"]["r13"] != vals["B1"]["r13"] and has(out, r"^r31 +0x[0-9a-f]+"),
                "pseries SMP: thread 2 then thread 1: each vcpu's own registers (r13), info registers", out)
        c.check("C2" in vals and "C1" in vals and vals["C2"]["pc"] != vals["B2"]["pc"] and
                vals["C1"]["pc"] == vals["B1"]["pc"],
                "pseries SMP: stepi on thread 2 moves its pc only (thread 1 stays stopped)", out)
        hits = re.findall(r"^Thread ([12]) (?:\(vcpu \d\) )?hit Breakpoint 3, 0x[0-9a-f]+ in "
                          r"scheduler_tick \(\)$", out, re.M)
        c.check(len(hits) == 4, f"pseries SMP: continue four times to scheduler_tick "
                                f"(threads {' '.join(hits)})", out)
        c.check(has(out, r"Inferior 1 \(Remote target\) detached"), "pseries SMP: detach", out)
        status, text = g.sh("echo still here")
        c.check(status == 0 and text.strip() == "still here",
                "pseries SMP: after detach the shell answers", text)

        r = Rsp(port)
        stop = r.cmd("?")
        c.check(re.fullmatch(r"T05thread:0[12];", stop) is not None,
                "pseries SMP: attaching stops the machine; the stop reply names a thread", stop)
        c.check(r.cmd("qfThreadInfo") == "m01,02" and r.cmd("qsThreadInfo") == "l" and
                r.cmd("T2") == "OK" and is_error(r.cmd("T3")) and
                bytes.fromhex(r.cmd("qThreadExtraInfo,2")) == b"vcpu 1",
                "pseries SMP: raw: the thread list, names and liveness")
        c.check(r.cmd("Hg2") == "OK" and r.cmd("qC") == "QC02" and
                pc64_of(r.cmd("g")) >> 60 in (0x0, 0xc) and is_error(r.cmd("Hg3")),
                "pseries SMP: raw: Hg selects thread 2 (qC, its registers)")
        r.raw(r.frame("vCont;c"))
        r.ack_byte()
        running = r.quiet(0.3)
        r.raw(b"\x03")
        stop = r.packet()
        c.check(running and re.fullmatch(r"T02thread:0[12];", stop) is not None,
                "pseries SMP: raw: continue, Ctrl-C: a SIGINT stop naming a thread", stop)
        c.check(r.cmd("D") == "OK", "pseries SMP: raw: detach")
        r.close()
        status, text = g.sh("echo still here")
        c.check(status == 0 and text.strip() == "still here",
                "pseries SMP: after the raw client's detach the shell answers", text)
        out = gdb_batch(port, vmlinux, ["info threads", "kill"], arch="powerpc:common64")
        c.check(has(out, r"\[Inferior 1 \(Remote target\) killed\]"), "pseries SMP: kill", out)
        finish(g, 0, "pseries SMP: gdb's kill ends softkvm with status 0")
    except (guestlib.GuestError, subprocess.TimeoutExpired) as e:
        c.check(False, "pseries SMP Linux under gdb", str(e))
    finally:
        g.close()


def main():
    only = sys.argv[1:]  # parts (bare ctrl-c wake protocol linux pseries pseries-linux
    #                       pseries-smp)
    softkvm = guestlib.softkvm_path()
    missing = [f for f in (softkvm, GUEST, GUEST64, SPIN) if not os.path.exists(f)]
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
    if part("pseries"):
        pseries_bare(softkvm)
    if part("pseries-linux"):
        pseries_linux(softkvm)
    if part("pseries-smp"):
        pseries_smp(softkvm)
    if part("linux"):
        guests = guestlib.find_guests()
        if guests is None:
            c.check(False, "the Linux guest images are there (../shared/guests/ppc440)")
        else:
            linux(softkvm, guests)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
