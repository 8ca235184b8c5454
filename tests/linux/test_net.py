#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""virtio-net with user-mode networking (libslirp) under Linux, and --net's bad options.

Bad options (no boot): a hostfwd that does not parse, an unknown suboption, a bad MAC, a host
port already in use, a TAP device that does not exist: each is one message naming the
problem and a non-zero exit, with no guest output.
Boot with --net user,hostfwd=tcp:127.0.0.1:PORT-:8080 (PORT free): eth0 has the default MAC
52:54:00:12:34:56; udhcpc (with a script written from the console: the rootfs has no
default one) gets 10.0.2.15 and the gateway 10.0.2.2; then TCP both ways, md5 compared:
  guest -> host connection: wget of a 1 MiB file from an HTTP server on the host's 127.0.0.1
  (host -> guest data);
  host -> guest through the hostfwd: busybox httpd in the guest on port 8080 serves a 1 MiB
  file the guest made, fetched by the host from 127.0.0.1:PORT (guest -> host data), and
  busybox nc -l -p 8080 receives 1 MiB the host sends and exits at its end (host -> guest
  data);
The offloads are on: the guest's driver negotiated CSUM, GUEST_CSUM and HOST_TSO4 (its
sysfs feature bits), so the guest -> host data above went out as 64 KiB TSO frames whose
checksums the device made (--stats counts them), and the data the guest received carried
DATA_VALID (it checked no checksum): the md5s say both arrived intact.
Then poweroff, and --stats has the NIC's counters (packets both ways, no drops).

usage: test_net.py      (softkvm only: QEMU's bamboo has no virtio-mmio)
"""
import hashlib
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

DHCP_SCRIPT = ("printf '#!/bin/sh\\ncase $1 in bound|renew) ifconfig $interface $ip netmask "
               "$subnet up; route add default gw $router;; esac\\n' > /tmp/dh.sh; "
               "chmod +x /tmp/dh.sh")
NIC_STATS = re.compile(r"([0-9a-f:]{17}) rx (\d+) packets (\d+) bytes (\d+) dropped, "
                       r"tx (\d+) packets (\d+) bytes (\d+) dropped, "
                       r"offloads (\d+) checksums (\d+) tso")
# virtio-net feature bits (VIRTIO 1.2, 5.1.3) the offloads need
OFFLOAD_BITS = {"CSUM": 0, "GUEST_CSUM": 1, "HOST_TSO4": 11}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bad_options(c, guests):
    base = guestlib.command("softkvm", guests, "console=ttyS0")
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    cases = [
        ("user,hostfwd=tcp:127.0.0.1:99999-:22", r"bad hostfwd 'tcp:127.0.0.1:99999-:22'"),
        ("user,hostfwd=sctp::2222-:22", r"bad hostfwd"),
        ("user,hostfwd=tcp:127.0.0.1:2222", r"bad hostfwd"),
        ("user,speed=fast", r"unknown suboption 'speed=fast'"),
        ("user,mac=01:00:00:00:00:01", r"bad mac"),
        ("bridge", r"the first word is user or tap"),
        (f"user,hostfwd=tcp:127.0.0.1:{port}-:22",
         rf"hostfwd tcp:127.0.0.1:{port}: cannot listen: Address already in use"),
        ("tap,ifname=nosuchtap9", r"no network device 'nosuchtap9'"),
        ("tap", r"tap needs ifname"),
    ]
    try:
        for opt, msg in cases:
            p = subprocess.run(base + ["--net", opt], stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, timeout=30)
            lines = p.stderr.strip().splitlines()
            c.check(p.returncode in (1, 2) and len(lines) == 1 and re.search(msg, lines[0])
                    and "SOFTKVM-BOOT-OK" not in p.stdout and not p.stdout.strip(),
                    f"--net {opt}: exit {p.returncode}, one message ({msg}), no guest",
                    p.stderr + p.stdout[-500:])
    finally:
        busy.close()


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Net(guestlib.Part):
    """--net user with a hostfwd to the guest's port 8080, and an HTTP server on the host's
    127.0.0.1 for the guest's wget; checked as the docstring says."""

    def __init__(self):
        self.fwd = free_port()
        self.blob = os.urandom(1 << 20)
        self.tmp = tempfile.mkdtemp(prefix="softkvm-net-")
        with open(os.path.join(self.tmp, "down.bin"), "wb") as f:
            f.write(self.blob)
        handler = lambda *a, **kw: Quiet(*a, directory=self.tmp, **kw)  # noqa: E731
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def options(self):
        return ["--net", f"user,hostfwd=tcp:127.0.0.1:{self.fwd}-:8080"]

    def at_shell(self, c, g):
        fwd, hport = self.fwd, self.httpd.server_address[1]
        status, out = g.sh("cat /sys/class/net/eth0/address")
        c.check(out.strip() == "52:54:00:12:34:56", f"eth0 has MAC 52:54:00:12:34:56 ({out!r})")
        status, out = g.sh("for d in /sys/bus/virtio/devices/*; do "
                           "if [ $(cat $d/device) = 0x0001 ]; then cat $d/features; fi; done")
        feats = out.strip()
        c.check(status == 0 and all(len(feats) > b and feats[b] == "1"
                                    for b in OFFLOAD_BITS.values()),
                f"the guest's driver negotiated {', '.join(OFFLOAD_BITS)} ({feats[:16]}...)", out)
        g.sh(DHCP_SCRIPT)
        status, out = g.sh("ifconfig eth0 up && udhcpc -i eth0 -s /tmp/dh.sh -n -q -t 5 "
                           "&& ip -4 addr show eth0 && ip route", timeout=60)
        c.check(status == 0 and "inet 10.0.2.15/24" in out and "default via 10.0.2.2" in out,
                "udhcpc: 10.0.2.15/24, default route via 10.0.2.2", out)

        status, out = g.sh(f"wget -q -O /tmp/down.bin http://10.0.2.2:{hport}/down.bin && "
                           "md5sum /tmp/down.bin", timeout=120)
        want = hashlib.md5(self.blob).hexdigest()
        c.check(status == 0 and out.split()[:1] == [want],
                f"guest wget from the host: 1 MiB, md5 {want}", out)

        status, out = g.sh("mkdir -p /tmp/www && dd if=/dev/urandom of=/tmp/www/up.bin bs=1024 "
                           "count=1024 2>/dev/null && md5sum /tmp/www/up.bin && "
                           "httpd -p 8080 -h /tmp/www")
        guest_md5 = out.split()[0] if status == 0 and out.split() else None
        data = urllib.request.urlopen(f"http://127.0.0.1:{fwd}/up.bin", timeout=120).read()
        c.check(guest_md5 and len(data) == 1 << 20 and hashlib.md5(data).hexdigest() == guest_md5,
                f"host fetches 1 MiB from the guest's httpd through the hostfwd (md5 {guest_md5})",
                f"{len(data)} bytes, {hashlib.md5(data).hexdigest()}")

        g.sh("killall httpd")
        g.send("(nc -l -p 8080 < /dev/null > /tmp/in.bin; echo NC-DONE) &")
        blob2 = os.urandom(1 << 20)
        time.sleep(0.5)  # nc listens once its background shell has started
        # (no waiting for the guest's close on the host side: libslirp, in QEMU too, leaves
        # the host socket in CLOSE-WAIT after the guest's FIN that follows the host's)
        with socket.create_connection(("127.0.0.1", fwd), timeout=60) as s:
            s.sendall(blob2)
            s.shutdown(socket.SHUT_WR)
            g.expect(r"(?<!echo )NC-DONE", 60, "nc to end")
        status, out = g.sh("md5sum /tmp/in.bin")
        want = hashlib.md5(blob2).hexdigest()
        c.check(status == 0 and out.split()[:1] == [want],
                f"host sends 1 MiB to the guest's nc -l through the hostfwd: md5 {want}", out)

        status, out = g.sh("dmesg | grep -i -E 'virtio|eth0'")
        bad = [ln for ln in out.splitlines() if re.search(r"error|fail|broken|reset|not a head",
                                                          ln, re.I)]
        c.check(not bad, "dmesg has no virtio-net error", "\n".join(bad))

    def after_exit(self, c, g):
        m = NIC_STATS.search(g.text)
        n = [int(x) for x in m.groups()[1:]] if m else None
        c.check(m and m.group(1) == "52:54:00:12:34:56" and n[0] > 700 and n[1] > 2 << 20
                and n[3] > 50 and n[4] > 1 << 20 and n[2] == 0 and n[5] == 0,
                f"--stats: the NIC's packets and bytes both ways, no drops ({n})", g.tail())
        # 1 MiB out in frames of up to 64 KiB: at least 16 TSO frames
        c.check(m and n[6] > 16 and n[7] >= 16 and n[3] < 700,
                f"--stats: the device finished checksums ({n[6] if m else '-'}) and took TSO "
                f"frames ({n[7] if m else '-'}) for the guest's transmissions")
        c.check(re.search(r"virtio-net\s+0x[0-9a-f]+\s+[1-9]\d* requests\s+\d+ bytes\s+[1-9]\d* "
                          r"notifications\s+[1-9]\d* interrupts", g.text),
                "--stats: virtio-net requests, notifications and interrupts")

    def close(self):
        self.httpd.shutdown()
        shutil.rmtree(self.tmp, ignore_errors=True)


def boot(c, guests):
    guestlib.boot_parts(c, guestlib.command("softkvm", guests, "console=ttyS0") + ["--stats"],
                        [Net()])


def run(c, guests):
    bad_options(c, guests)
    boot(c, guests)


def main():
    return guestlib.virtio_test_main(__doc__.splitlines()[0], run)


if __name__ == "__main__":
    sys.exit(main())
