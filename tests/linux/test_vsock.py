#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""virtio-vsock under Linux (--vsock CID,uds=PATH, Firecracker's Unix-socket host end), and
--vsock's bad options.

Bad options (no boot): a CID below 3 or above 2^32-2, not a number, an unknown suboption, a
PATH that exists and is not a socket, a PATH another process listens on, a PATH that cannot be
bound: each is one message naming the problem and a non-zero exit, with no guest output.
Boot with --vsock 42,uds=TMP/v.sock and /bin/vsock_echo (tests/linux/tools/vsock_echo.c,
built static and appended to the initrd: busybox has no AF_VSOCK tool):
  the guest's CID is 42 (the config space);
  host -> guest: vsock_echo serve 5000 in the guest; the host connects to v.sock, writes
  "CONNECT 5000\\n", gets "OK <port>\\n" and sends 1 MiB of random bytes, which come back
  (echoed) identical, then the guest sees the end;
  guest -> host: a host echo server on v.sock_6000; vsock_echo send 2 6000 1048576 sends
  1 MiB of a pattern, the host gets exactly that and the guest gets it back identical;
  nothing listening: a guest connect to port 6001 fails, a host CONNECT to guest port 5999
  is closed without OK;
then poweroff: --stats has the vsock counters, and v.sock is gone.

usage: test_vsock.py      (softkvm only: QEMU's bamboo has no virtio-mmio)
"""
import os
import re
import socket
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

TOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools", "vsock_echo.c")
MIB = 1 << 20
STATS = re.compile(r"cid (\d+): (\d+) connections from the host, (\d+) from the guest, "
                   r"(\d+) bytes to the guest, (\d+) from it, (\d+) resets sent, (\d+) dropped")


def pattern(n):
    """vsock_echo's pattern(i) for i < n."""
    return bytes((i * 7 + (i >> 8) + (i >> 16)) & 0xff for i in range(n))


def bad_options(c, guests, tmp):
    base = guestlib.command("softkvm", guests, "console=ttyS0")
    plain = os.path.join(tmp, "plain.txt")
    with open(plain, "w") as f:
        f.write("not a socket\n")
    busy_path = os.path.join(tmp, "busy.sock")
    busy = socket.socket(socket.AF_UNIX)
    busy.bind(busy_path)
    busy.listen(1)
    cases = [
        ("2", r"--vsock '2': the guest CID must be a number from 3 to 4294967294"),
        ("0", r"the guest CID must be a number from 3"),
        ("4294967295", r"the guest CID must be a number from 3 to 4294967294"),
        ("4294967296", r"the guest CID must be a number"),
        ("-5", r"the guest CID must be a number"),
        ("abc", r"the guest CID must be a number"),
        ("3,path=x", r"unknown suboption 'path=x'"),
        ("3,uds=", r"uds= needs a PATH"),
        ("3,uds=" + "x" * 120, r"PATH too long"),
        (f"3,uds={plain}", rf"{re.escape(plain)} exists and is not a socket"),
        (f"3,uds={busy_path}", rf"another process listens on {re.escape(busy_path)}"),
        (f"3,uds={tmp}/no/such/dir/v.sock", r"cannot bind .*: No such file or directory"),
    ]
    try:
        for opt, msg in cases:
            p = subprocess.run(base + ["--vsock", opt], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=30)
            lines = p.stderr.strip().splitlines()
            c.check(p.returncode in (1, 2) and len(lines) == 1 and re.search(msg, lines[0])
                    and not p.stdout.strip(),
                    f"--vsock {opt[:40]}: exit {p.returncode}, one message ({msg}), no guest",
                    p.stderr + p.stdout[-500:])
        with open(plain) as f:
            c.check(f.read() == "not a socket\n", "the file that is not a socket is untouched")
        p = subprocess.run(base + ["--vsock", "3", "--vsock", "4"], stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=30)
        c.check(p.returncode == 2 and "at most one --vsock" in p.stderr,
                "two --vsock: a usage error", p.stderr)
    finally:
        busy.close()


class HostEcho(threading.Thread):
    """Listens on path, accepts one connection, echoes and records what it receives."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.srv = socket.socket(socket.AF_UNIX)
        self.srv.bind(path)
        self.srv.listen(1)
        self.srv.settimeout(120)
        self.got = bytearray()

    def run(self):
        try:
            s, _ = self.srv.accept()
            with s:
                s.settimeout(120)
                while True:
                    d = s.recv(65536)
                    if not d:
                        break
                    self.got += d
                    s.sendall(d)
        except OSError as e:
            self.error = e
        finally:
            self.srv.close()


def host_connect(path, port):
    """Connects to the device's socket and asks for guest port: (socket, the answer line)."""
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(60)
    s.connect(path)
    s.sendall(f"CONNECT {port}\n".encode())
    line = b""
    while not line.endswith(b"\n"):
        d = s.recv(1)
        if not d:
            break
        line += d
    return s, line.decode(errors="replace")


def round_trip(s, blob):
    """Sends blob (from a thread) and reads until the end: what came back."""
    def writer():
        s.sendall(blob)
        s.shutdown(socket.SHUT_WR)
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    back = bytearray()
    while True:
        d = s.recv(65536)
        if not d:
            break
        back += d
    t.join(60)
    return bytes(back)


class Vsock(guestlib.Part):
    """--vsock 42,uds=TMP/v.sock, a host echo server on v.sock_6000; the guest's initrd must
    hold /bin/vsock_echo (guestlib.initrd_with_tool of TOOL). Checked as the docstring says."""

    def __init__(self, tmp):
        self.uds = os.path.join(tmp, "v.sock")
        self.echo = HostEcho(self.uds + "_6000")
        self.echo.start()

    def options(self):
        return ["--vsock", f"42,uds={self.uds}"]

    def at_shell(self, c, g):
        uds, echo = self.uds, self.echo
        c.check(os.path.exists(uds) and not os.path.isfile(uds), f"{uds} is a socket")
        status, out = g.sh("vsock_echo cid")
        c.check(status == 0 and "VSOCK-CID 42" in out, "the guest's CID is 42", out)

        g.send("vsock_echo serve 5000 &")
        g.expect(r"VSOCK-LISTENING 5000", 30, "the guest's listener")
        blob = os.urandom(MIB)
        s, line = host_connect(uds, 5000)
        m = re.fullmatch(r"OK (\d+)\n", line)
        c.check(m and int(m.group(1)) >= 1 << 30, f"host CONNECT 5000: answer {line!r}")
        with s:
            back = round_trip(s, blob)
        c.check(back == blob, f"host -> guest: 1 MiB echoed back identical ({len(back)} bytes)")
        g.expect(rf"VSOCK-SERVED {MIB}\b", 60, "the guest's echo to end")
        c.check(True, "the guest read 1 MiB and saw the end")

        status, out = g.sh(f"vsock_echo send 2 6000 {MIB}", timeout=120)
        c.check(status == 0 and f"VSOCK-SENT {MIB} GOT {MIB} MATCH" in out,
                "guest -> host: 1 MiB sent and echoed back identical", out)
        echo.join(30)
        c.check(bytes(echo.got) == pattern(MIB),
                f"the host's listener on v.sock_6000 got the guest's 1 MiB ({len(echo.got)})")

        status, out = g.sh("vsock_echo send 2 6001 10", timeout=30)
        c.check("VSOCK-CONNECT-FAILED" in out, "guest connect to a host port nobody listens "
                "on fails", out)
        s, line = host_connect(uds, 5999)
        s.close()
        c.check(line == "", f"host CONNECT to a guest port nobody listens on: closed, no OK "
                f"({line!r})")

        status, out = g.sh("dmesg | grep -i vsock")
        bad = [ln for ln in out.splitlines() if re.search(r"error|fail|broken", ln, re.I)]
        c.check(not bad, "dmesg has no vsock error", "\n".join(bad))

    def after_exit(self, c, g):
        m = STATS.search(g.text)
        n = [int(x) for x in m.groups()] if m else None
        c.check(n and n[0] == 42 and n[1] == 2 and n[2] == 1 and n[3] >= 2 * MIB
                and n[4] >= 2 * MIB and n[5] >= 1 and n[6] == 0,
                f"--stats: vsock connections, bytes both ways, resets, no drops ({n})",
                g.tail())
        c.check(re.search(r"virtio-vsock\s+0x[0-9a-f]+\s+[1-9]\d* requests\s+\d+ bytes\s+"
                          r"[1-9]\d* notifications\s+[1-9]\d* interrupts", g.text),
                "--stats: virtio-vsock requests, notifications and interrupts")
        c.check(not os.path.exists(self.uds), f"{self.uds} removed at exit")


def boot(c, guests, tmp):
    initrd = guestlib.initrd_with_tool(guests, tmp, TOOL, "vsock_echo")
    cmd = guestlib.command("softkvm", guests, "console=ttyS0")
    cmd[cmd.index(os.path.join(guests, "rootfs.cpio.gz"))] = initrd
    guestlib.boot_parts(c, cmd + ["--stats"], [Vsock(tmp)])


def run(c, guests, tmp):
    bad_options(c, guests, tmp)
    boot(c, guests, tmp)


def main():
    return guestlib.virtio_test_main(__doc__.splitlines()[0], run, tmp_prefix="softkvm-vsock-")


if __name__ == "__main__":
    sys.exit(main())
