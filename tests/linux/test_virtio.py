#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The board's always-present virtio devices under Linux (virtio-mmio, on device threads).

Boot 1, console=ttyS0: /sys/bus/virtio/devices lists virtio-console (device 0x0003) and
virtio-rng (0x0004), each bound to its driver; the hwrng core has virtio_rng.0, reads it and
/dev/hwrng gives 64 bytes, not all zero and different from the next 64; dmesg has no virtio
error; poweroff, and --stats shows the rng's requests, bytes, notifications and interrupts.
Boot 2, console=ttyS0 console=hvc0: the shell is on hvc0 (tty says /dev/hvc0, input typed
on the console reaches it: the board routes input to the last console=), its output comes
back, and --stats counts the console's requests.

usage: test_virtio.py      (softkvm only: QEMU's bamboo has no virtio-mmio)
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "60"))
STATS = re.compile(r"^\s*(virtio-\w+)\s+0x[0-9a-f]+\s+(\d+) requests\s+(\d+) bytes\s+(\d+) "
                   r"notifications\s+(\d+) interrupts", re.M)


def stats(text):
    return {m.group(1): tuple(int(x) for x in m.groups()[1:]) for m in STATS.finditer(text)}


def hex_bytes(out):
    return [int(x, 16) for x in out.split()]


class ConsoleAndRng(guestlib.Part):
    """Boot 1's checks: the always-present console and rng, bound, /dev/hwrng's bytes."""

    def at_shell(self, c, g):
        status, out = g.sh("for d in /sys/bus/virtio/devices/*; do echo $(basename $d) "
                           "$(cat $d/device) $(basename $(readlink $d/driver)); done")
        devs = {line.split()[1]: line.split()[2] for line in out.splitlines()
                if len(line.split()) == 3}
        c.check(status == 0 and devs.get("0x0003") == "virtio_console",
                "/sys/bus/virtio/devices has virtio-console (0x0003) bound to virtio_console",
                out)
        c.check(devs.get("0x0004") == "virtio_rng",
                "/sys/bus/virtio/devices has virtio-rng (0x0004) bound to virtio_rng", out)
        # (pseries has H_RANDOM's pseries-rng too: /dev/hwrng reads the one chosen here)
        status, out = g.sh("cd /sys/class/misc/hw_random && cat rng_available && "
                           "echo virtio_rng.0 > rng_current && cat rng_current; cd /")
        c.check(status == 0 and "virtio_rng.0" in out.split()[:-1] and
                out.split()[-1:] == ["virtio_rng.0"],
                f"the hwrng core has virtio_rng.0 and reads from it ({out.split()})")
        status, a = g.sh("head -c 64 /dev/hwrng | od -An -tx1 -v")
        status2, b = g.sh("head -c 64 /dev/hwrng | od -An -tx1 -v")
        a, b = hex_bytes(a), hex_bytes(b)
        c.check(status == 0 and len(a) == 64 and any(a),
                f"/dev/hwrng gives 64 bytes, not all zero (got {len(a)})")
        c.check(status2 == 0 and len(b) == 64 and a != b, "the next 64 bytes differ")
        status, out = g.sh("dmesg | grep -i virtio")
        bad = [ln for ln in out.splitlines() if re.search(r"error|fail|broken|reset", ln, re.I)]
        c.check(not bad, "dmesg has no virtio error", "\n".join(bad))

    def after_exit(self, c, g):
        st = stats(g.text)
        rng = st.get("virtio-rng")
        c.check(rng is not None and rng[0] >= 2 and rng[1] >= 128 and rng[2] >= 1 and rng[3] >= 1,
                f"--stats counts the rng's requests, bytes, notifications, interrupts ({rng})",
                g.tail())
        c.check("virtio-console" in st, "--stats has a virtio-console line")


def boot_uart(c, guests):
    guestlib.boot_parts(c, guestlib.command("softkvm", guests, "console=ttyS0") + ["--stats"],
                        [ConsoleAndRng()])


def boot_hvc(c, guests):
    cmd = guestlib.command("softkvm", guests, "console=ttyS0 console=hvc0") + ["--stats"]
    g = guestlib.Guest(cmd)
    try:
        g.expect(r"\nSOFTKVM-BOOT-OK uptime=[\d.]+\n", BOOT_TIMEOUT, "the boot marker (hvc0)")
        g.expect(r"[#$] ", 20, "the shell prompt on hvc0")
        status, out = g.sh("tty")
        c.check(status == 0 and out.strip() == "/dev/hvc0",
                f"the shell runs on /dev/hvc0 (got {out.strip()!r})")
        status, out = g.sh("echo $((6 * 7)); cat /proc/consoles")
        c.check(status == 0 and out.splitlines()[0] == "42" and "hvc0" in out,
                "typed input reaches it, its output comes back, /proc/consoles has hvc0", out)
        g.send("poweroff -f")
        rc = g.wait_exit(30)
        c.check(rc == 0, f"poweroff: the VMM exited with status 0 (got {rc})")
        con = stats(g.text).get("virtio-console")
        c.check(con is not None and con[0] >= 4 and con[1] >= 20 and con[3] >= 1,
                f"--stats counts the console's requests, bytes and interrupts ({con})", g.tail())
    except guestlib.GuestError as e:
        c.check(False, str(e))
    finally:
        g.close()



def run(c, guests):
    boot_uart(c, guests)
    boot_hvc(c, guests)


def main():
    return guestlib.virtio_test_main(__doc__.splitlines()[0], run)


if __name__ == "__main__":
    sys.exit(main())
