#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Network benchmarks: softkvm's virtio-net and QEMU's virtio-net-pci, both on user-mode
networking (libslirp), side by side on the same Linux guest, in one run.

usage: bench/net.py [--runs N] [--mib M] [--echoes E] [--softkvm PATH] [--only softkvm|qemu]

Each run boots the guest (tests/linux/guestlib.py finds vmlinux + rootfs.cpio.gz) with 256 MiB
and one NIC whose hostfwd maps a free host port on 127.0.0.1 to the guest's port 8080:
  softkvm run ... --net user,hostfwd=tcp:127.0.0.1:PORT-:8080
  qemu-system-ppc -M bamboo ... -netdev user,id=n0,hostfwd=tcp:127.0.0.1:PORT-:8080
                                -device virtio-net-pci,netdev=n0
configures eth0 statically (10.0.2.15/24, what slirp's DHCP would give) and measures on the
host's clock, every transfer through the hostfwd:
  rx    host -> guest: the host sends M MiB to `nc -l -p 8080 > /dev/null` and waits for the
        guest to close: MB/s (10^6 bytes per second);
  tx    guest -> host: the host reads an M MiB file from busybox httpd in the guest: MB/s;
  echo  request/response: E round trips of 64 bytes with `nc -l -p 8080 -e cat`, one at a
        time: mean microseconds per round trip.
VMMs alternate (the order swaps every run); the median of N runs is printed for each, with
the ratio softkvm/QEMU and the issue's target (throughput >= QEMU's, latency <= QEMU's).
Exit status: 0 every target met, 2 a target missed, 1 a run failed.
"""
import argparse
import os
import socket
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests", "linux"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = 180
# figure -> (label, unit, target text, predicate on (softkvm, qemu))
FIGURES = {
    "rx": ("TCP host -> guest", "MB/s", ">= QEMU", lambda s, q: s >= q),
    "tx": ("TCP guest -> host", "MB/s", ">= QEMU", lambda s, q: s >= q),
    "echo": ("TCP echo 64 B round trip", "us", "<= QEMU", lambda s, q: s <= q),
}


class RunFailed(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port, tries=100):
    for _ in range(tries):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=120)
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return s
        except OSError:
            time.sleep(0.1)
    raise RunFailed(f"cannot connect to 127.0.0.1:{port}")


def listen_in_guest(g, cmd, port):
    """Starts cmd in the guest's background and returns a connection once it listens (a
    connection slirp accepts before the guest listens is reset: retry)."""
    g.sh(f"({cmd}) >/dev/null 2>&1 & true")
    for _ in range(100):
        s = connect(port)
        s.settimeout(0.3)
        try:
            if s.recv(1, socket.MSG_PEEK) == b"":
                s.close()  # reset/closed: nobody listened yet
                time.sleep(0.1)
                continue
        except socket.timeout:
            s.settimeout(120)
            return s  # alive and silent: the guest's listener took it
        except OSError:
            s.close()
            time.sleep(0.1)
            continue
    raise RunFailed(f"the guest's '{cmd}' never listened")


def measure(vmm, args, guests):
    port = free_port()
    fwd = f"hostfwd=tcp:127.0.0.1:{port}-:8080"
    cmd = guestlib.command(vmm, guests, "console=ttyS0", softkvm=args.softkvm)
    if vmm == "qemu":
        cmd += ["-netdev", f"user,id=n0,{fwd}", "-device", "virtio-net-pci,netdev=n0"]
    else:
        cmd += ["--net", f"user,{fwd}"]
    g = guestlib.Guest(cmd)
    out = {}
    try:
        g.expect(rf"(?:^|\n){guestlib.BOOT_MARKER} uptime=", BOOT_TIMEOUT, "the boot marker")
        g.expect(r"[#$] ", 30, "the shell prompt")
        st, o = g.sh("ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up && "
                     "route add default gw 10.0.2.2")
        if st:
            raise RunFailed(f"eth0: {o}")
        size = args.mib << 20

        # the end is the guest's: libslirp (QEMU's too) leaves the host socket open after
        # the guest closes in answer to the host's FIN
        g.send("nc -l -p 8080 < /dev/null > /dev/null; echo RX-DONE")
        time.sleep(0.5)
        s = connect(port)
        chunk = b"\x5a" * (1 << 16)
        t0 = time.monotonic()
        sent = 0
        while sent < size:
            s.sendall(chunk)
            sent += len(chunk)
        s.shutdown(socket.SHUT_WR)
        m = g.expect(r"\nRX-DONE", 60, "the guest's nc to end")
        out["rx"] = size / (g.when(m.start()) - (t0 - g.start)) / 1e6
        s.close()
        g.expect(r"[#$] ", 30, "the shell prompt")

        g.sh(f"mkdir -p /tmp/www && dd if=/dev/zero of=/tmp/www/blob bs=1M count={args.mib} "
             "2>/dev/null && httpd -p 8080 -h /tmp/www")
        time.sleep(0.3)
        t0 = time.monotonic()
        data = urllib.request.urlopen(f"http://127.0.0.1:{port}/blob", timeout=300).read()
        out["tx"] = len(data) / (time.monotonic() - t0) / 1e6
        if len(data) != size:
            raise RunFailed(f"tx: {len(data)} bytes of {size}")
        g.sh("killall httpd; rm -rf /tmp/www")

        s = listen_in_guest(g, "nc -l -p 8080 -e cat", port)
        msg = b"e" * 64
        for _ in range(10):  # warm up
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                got += s.recv(64)
        t0 = time.monotonic()
        for _ in range(args.echoes):
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                r = s.recv(64)
                if not r:
                    raise RunFailed("echo: connection closed")
                got += r
        out["echo"] = (time.monotonic() - t0) / args.echoes * 1e6
        s.close()
        if vmm == "softkvm":  # QEMU's bamboo cannot power off: close() ends it
            g.send("poweroff -f")
            g.wait_exit(30)
    except (guestlib.GuestError, OSError) as e:
        raise RunFailed(f"{vmm}: {e}")
    finally:
        g.close()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--mib", type=int, default=32, help="MiB per bulk transfer (default 32)")
    ap.add_argument("--echoes", type=int, default=1000, help="echo round trips (default 1000)")
    ap.add_argument("--softkvm", default=guestlib.softkvm_path())
    ap.add_argument("--only", choices=("softkvm", "qemu"), help="run one VMM, print no ratios")
    args = ap.parse_args()
    guests = guestlib.find_guests()
    if guests is None:
        print("no guest images (see tests/linux/guestlib.py)", file=sys.stderr)
        return 1
    vmms = [args.only] if args.only else ["softkvm", "qemu"]
    res = {v: {k: [] for k in FIGURES} for v in vmms}
    try:
        for r in range(args.runs):
            for vmm in (vmms if r % 2 == 0 else vmms[::-1]):
                o = measure(vmm, args, guests)
                print(f"run {r + 1} {vmm}: " + ", ".join(
                    f"{k} {o[k]:.2f} {FIGURES[k][1]}" for k in FIGURES), flush=True)
                for k in FIGURES:
                    res[vmm][k].append(o[k])
    except RunFailed as e:
        print(f"run failed: {e}", file=sys.stderr)
        return 1
    status = 0
    print(f"\nmedian of {args.runs} runs ({args.mib} MiB bulk, {args.echoes} echoes):")
    for k, (label, unit, target, ok) in FIGURES.items():
        med = {v: statistics.median(res[v][k]) for v in vmms}
        line = f"  {label:26s}" + "".join(
            f" {v} {med[v]:9.2f} {unit} ({min(res[v][k]):.2f}-{max(res[v][k]):.2f})" for v in vmms)
        if not args.only:
            s, q = med["softkvm"], med["qemu"]
            met = ok(s, q)
            status = status or (0 if met else 2)
            line += f"  ratio {s / q:.2f} target {target}: {'met' if met else 'MISSED'}"
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main())
