#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Debian 12's own ppc64el programs on the pseries board: a root filesystem image of Debian
binary packages (bash, coreutils, diffutils, grep, python3, gzip, xz-utils, mount, gcc,
libc6-dev and their dependencies; built by debian_rootfs.py, cached in build/debian-ppc64el)
on a read-only virtio-blk disk, the ppc64le kernel booted with root=/dev/vda and
/sbin/softkvm-init (a bash script: mounts /proc, /sys and a tmpfs on /tmp, then reads
commands from the console).

Every check runs the same bash command line in the guest and on the host (Debian 12 too: the
same versions of bash, coreutils, gzip, xz, python3 and gcc) and wants the same output: bash
itself, coreutils, `python3 -c` (integers, floats, hashlib, zlib, json, decimal, sqlite3),
gzip and xz round trips and their compressed bytes, sha256sum of a file the host wrote into
the image (against hashlib on the host), and two C programs compiled in the guest by
Debian's gcc, run there (one at -O3, whose loops gcc turns into VMX and VSX instructions).

Without the kernel, without network for the first build or with a failed download, the test
fails: it cannot run, so it must not pass. The first run downloads about 70 MB of .debs.
"""
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import guestlib  # noqa: E402
import debian_rootfs  # noqa: E402

BOOT_TIMEOUT = float(os.environ.get("SOFTKVM_TEST_TIMEOUT", "120"))
PACKAGES = ["bash", "coreutils", "diffutils", "grep", "python3", "gzip", "xz-utils", "mount", "gcc",
            "libc6-dev"]

INIT = b"""#!/bin/bash
# softkvm's test init: an interactive bash on the console, without prompt, echo or line editing
export PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LC_ALL=C TZ=UTC T=/tmp
mount -t proc proc /proc && mount -t sysfs sysfs /sys && mount -t tmpfs tmpfs /tmp
echo 1 > /proc/sys/kernel/printk  # no kernel lines inside the programs' output
stty -echo
cd /opt/softkvm
exec bash --rcfile /etc/softkvm.bashrc --noprofile --noediting +H
"""

# read by the interactive bash once it is ready for commands: input sent before can be lost
BASHRC = b"""PS1= PS2=
echo "DEBIAN-INIT-OK $(uname -m)"
"""

# Exact floating point only (+ - * / sqrt): libm's last bits and fused multiply-adds may
# differ between x86-64 and POWER8 without either being wrong.
PROG_C = b"""#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <stdint.h>

static int cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(void)
{
    static uint32_t v[50000];
    static char sieve[200000];
    uint64_t h = 1469598103934665603ull;
    uint32_t s = 12345;
    double acc = 0.0;
    int primes = 0;
    for (int i = 0; i < 50000; i++) {
        s = s * 1103515245u + 12345u;
        v[i] = s >> 3;
    }
    qsort(v, 50000, sizeof v[0], cmp);
    for (int i = 0; i < 50000; i++)
        h = (h ^ v[i]) * 1099511628211ull;
    memset(sieve, 1, sizeof sieve);
    for (int i = 2; i < 200000; i++)
        if (sieve[i]) {
            primes++;
            for (int j = 2 * i; j < 200000; j += i)
                sieve[j] = 0;
        }
    for (int i = 1; i <= 100000; i++)
        acc += sqrt((double)i) / (i + 0.5);
    printf("sorted %u..%u fnv %016llx primes %d acc %.17g\\n", v[0], v[49999],
           (unsigned long long)h, primes, acc);
    return 0;
}
"""

# Loops gcc -O3 vectorises for POWER8 (VMX and VSX: integer multiply, saturation, compares,
# packs and unpacks, double and single float arithmetic, conversions), each with no
# reduction and no fused multiply-add, so that x86-64 gives the same bits.
VEC_C = b"""#include <stdint.h>
#include <math.h>
#include <stdio.h>

#define N 4096

static uint32_t a[N], b[N], c[N];
static uint16_t s[N], t[N];
static int8_t p[N], q[N];
static double x[N], y[N], z[N];
static float f[N], g[N];

static uint64_t fnv(const void *buf, size_t len, uint64_t h)
{
    const unsigned char *u = buf;
    for (size_t i = 0; i < len; i++)
        h = (h ^ u[i]) * 1099511628211ull;
    return h;
}

int main(void)
{
    uint32_t r = 2026;
    uint64_t h = 1469598103934665603ull;
    for (int i = 0; i < N; i++) {
        r = r * 1664525u + 1013904223u;
        b[i] = r;
        c[i] = r >> 7 | r << 25;
        s[i] = (uint16_t)(r >> 5);
        t[i] = (uint16_t)(r >> 13);
        p[i] = (int8_t)(r >> 3);
        q[i] = (int8_t)(r >> 17);
        x[i] = (double)(int32_t)r / 7.0;
        z[i] = (double)(r >> 9) * 0.125;
        f[i] = (float)(int32_t)(r ^ 0x5555) / 3.0f;
    }
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < N; i++)
            a[i] = b[i] * c[i] + ((b[i] >> 3) ^ c[i]) - (a[i] << 1);
        for (int i = 0; i < N; i++) {
            uint32_t sum = (uint32_t)s[i] + t[i];
            s[i] = sum > 0xffff ? 0xffff : (uint16_t)sum;
        }
        for (int i = 0; i < N; i++)
            t[i] = s[i] > t[i] ? (uint16_t)(s[i] - t[i]) : (uint16_t)(t[i] - s[i]);
        for (int i = 0; i < N; i++) {
            int v = p[i] * q[i] >> 4;
            p[i] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
        }
        for (int i = 0; i < N; i++)
            y[i] = x[i] * 2.5 + z[i] / 3.0 - y[i] * 0.5;
        for (int i = 0; i < N; i++)
            x[i] = fabs(x[i] - z[i]) + (x[i] < z[i] ? 1.0 : -1.0);
        for (int i = 0; i < N; i++)
            g[i] = f[i] * 1.5f - g[i] / 4.0f + (float)q[i];
        for (int i = 0; i < N; i++)
            c[i] = c[i] > b[i] ? c[i] - b[i] : b[i] + (c[i] >> 2);
        for (int i = 0; i < N; i++)
            f[i] = f[i] > g[i] ? f[i] : g[i];
        for (int i = 0; i < N; i++)
            b[i] = (uint32_t)(int32_t)(x[i] * 0.001) ^ (b[i] >> 1);
    }
    h = fnv(a, sizeof a, h);
    h = fnv(s, sizeof s, h);
    h = fnv(t, sizeof t, h);
    h = fnv(p, sizeof p, h);
    h = fnv(x, sizeof x, h);
    h = fnv(y, sizeof y, h);
    h = fnv(g, sizeof g, h);
    h = fnv(c, sizeof c, h);
    printf("vec %016llx %u %.17g %.9g\\n", (unsigned long long)h, a[N - 1], y[N / 3],
           (double)g[N / 5]);
    return 0;
}
"""


def data_bytes():
    """The file the checks read: text that compresses well, then bytes that do not."""
    text = b"".join(b"%d %d %x\n" % (i, i * i, i * 2654435761 % 2**32) for i in range(6000))
    return text + random.Random(2026).randbytes(64 << 10)


CHECKS = [
    ("bash", r"""x=softkvm; a=(3 1 2 5); declare -A m=([k]=v); echo ${#x} ${x^^} ${x:2:3} """
             r"""$((2**40+7)) $((-17/5)) $((-17%5)) ${a[@]:1:2} ${m[k]} ${BASH_VERSINFO[0]}; """
             r"""printf '%05.1f|%x|%q\n' 3.25 255 'a b'; for i in {1..5}; do s+=$i; done; echo $s; """
             r"""[[ abc =~ ^a(.)c$ ]] && echo ${BASH_REMATCH[1]}"""),
    ("coreutils sort/tr/factor/date", r"""seq 1 3000 | sort -r | head -5 | tr '\n' ,; echo; """
     r"""factor 600851475143 1234567891011; date -u -d @1234567890 '+%F %T %a %j'"""),
    ("coreutils wc/stat/md5sum/sha1sum", r"""printf 'a b\nc d e\n' | wc; stat -c %s data.bin; """
     r"""md5sum < data.bin; sha1sum data.bin"""),
    ("coreutils base64/expr/od/tac", r"""base64 data.bin | tail -1; expr 7 \* 191; """
     r"""od -An -tx4 -N16 data.bin; head -c 3000 data.bin | tail -3 | tac"""),
    ("coreutils sort -k/cut/uniq", r"""sort -k2,2n -t' ' data.bin | tail -1 | cut -d' ' -f1-2; """
     r"""printf 'a\na\nb\n' | uniq -c"""),
    ("sha256sum", "sha256sum data.bin"),
    ("python3 numbers", """python3 -c 'import math, hashlib, zlib, json, struct, sys
print(sys.version_info[:2], sum(math.sqrt(i) for i in range(1, 20001)), 2**521 - 1 % 1000003)
print(math.fsum([0.1] * 10), 1 / 3, 1e308 * 10, -0.0, round(2.675, 2), 7.0 // 2, divmod(-7, 2))'"""),
    ("python3 hashlib/zlib/json", """python3 -c 'import math, hashlib, zlib, json, struct
print(hashlib.sha256(open("data.bin", "rb").read()).hexdigest(), zlib.crc32(b"softkvm" * 999))
print(len(zlib.compress(open("data.bin", "rb").read(), 9)), struct.pack("<dq", 1 / 3, -5).hex())
print(json.dumps({"x": [1, None, 1.5e300, "\\u00e9"]}, sort_keys=True), sorted("softkvm"))
print(int("7" * 60) ** 3 % (10**9 + 7), float.hex(math.pi), f"{12345.6789:,.2f}")'"""),
    ("python3 decimal/sqlite3/re", """python3 -c 'import decimal, fractions, sqlite3, re, collections
decimal.getcontext().prec = 60
print(decimal.Decimal(2).sqrt(), fractions.Fraction(355, 113) - fractions.Fraction(22, 7))
db = sqlite3.connect(":memory:")
db.execute("create table t (k integer primary key, v text)")
db.executemany("insert into t (v) values (?)", [(str(i * i),) for i in range(3000)])
print(db.execute("select count(*), sum(length(v)), max(v) from t where v like ?", ("%9%",)).fetchone())
print(re.findall("(a+)(b*)", "aabbbcaab"), collections.Counter("mississippi").most_common(2))'"""),
    ("gzip", "gzip -9 -n -c data.bin | sha256sum; gzip -1 -n -c data.bin | gzip -dc | "
             "cmp - data.bin && echo gzip round trip ok"),
    ("xz", "xz -3 -T1 -c data.bin | sha256sum; xz -0 -T1 -c data.bin | xz -dc | "
           "cmp - data.bin && echo xz round trip ok"),
    ("gcc", 'gcc -O2 -ffp-contract=off -o "$T/prog" prog.c -lm && "$T/prog"'),
    ("gcc -O3, vector code", 'gcc -O3 -ffp-contract=off -o "$T/vec" vec.c -lm && "$T/vec"'),
]
# in the guest only: the -O3 program above really runs vector instructions
VECTOR_INSNS = "objdump -d \"$T/vec\" | grep -cE $'\\t(xv|lxv|stxv|vadd|vsub|vmul|vcmp|vpk|vupk)'"


def main():
    problem = guestlib.pseries_unready(("vmlinux",))
    if problem:
        print(f"FAIL: {problem}")
        return 1
    kernel = os.path.join(guestlib.GUESTS64, "vmlinux")
    data = data_bytes()
    files = {"/sbin/softkvm-init": (0o755, INIT), "/etc/softkvm.bashrc": (0o644, BASHRC),
             "/opt/softkvm/data.bin": (0o644, data),
             "/opt/softkvm/prog.c": (0o644, PROG_C), "/opt/softkvm/vec.c": (0o644, VEC_C)}
    t0 = time.monotonic()
    try:
        image, debs = debian_rootfs.build(PACKAGES, files, "pseries-userland")
    except debian_rootfs.BuildError as e:
        print(f"FAIL: the Debian ppc64el image cannot be built: {e}")
        return 1
    print(f"image {image}: {len(debs)} packages, {os.path.getsize(image) >> 20} MiB "
          f"({time.monotonic() - t0:.1f} s to build or find)")

    c = guestlib.Checks()
    host = tempfile.mkdtemp(prefix="softkvm-debian-")
    g = None
    try:
        for name, (mode, content) in files.items():
            with open(os.path.join(host, os.path.basename(name)), "wb") as f:
                f.write(content)
        image_sha = hashlib.sha256(open(image, "rb").read()).hexdigest()
        g = guestlib.Guest([guestlib.softkvm_path(), "run", "--machine", "pseries",
                            "--kernel", kernel, "--memory", "1G", "--disk", image + ",ro",
                            "--append", "console=hvc0 root=/dev/vda ro rootwait "
                            "init=/sbin/softkvm-init"])
        g.expect(r"DEBIAN-INIT-OK (\S+)", BOOT_TIMEOUT, "the Debian root's init")
        c.check(True, f"booted Debian's bash as init from /dev/vda ({g.elapsed():.1f} s)")
        env = dict(os.environ, LC_ALL="C", TZ="UTC", T=host)
        for name, cmd in CHECKS:
            want = subprocess.run(["bash", "-c", cmd], cwd=host, env=env, capture_output=True,
                                  text=True)
            t = g.elapsed()
            try:
                rc, got = g.sh(cmd, timeout=300)
            except guestlib.GuestError as e:
                c.check(False, f"{name}: the command ends in the guest", str(e))
                break
            c.check(rc == want.returncode == 0 and got == want.stdout,
                    f"{name}: the guest's output is the host's ({g.elapsed() - t:.1f} s)",
                    f"guest (status {rc}):\n{got}\nhost (status {want.returncode}):\n"
                    f"{want.stdout}{want.stderr}")
        rc, got = g.sh(VECTOR_INSNS)
        c.check(rc == 0 and got.strip().isdigit() and int(got) >= 50,
                f"the -O3 program holds vector instructions ({got.strip()} of them)", got)
        rc, got = g.sh("sha256sum data.bin")
        c.check(rc == 0 and got.split()[0] == hashlib.sha256(data).hexdigest(),
                "sha256sum in the guest equals hashlib's on the host", got)
        g.send("echo o > /proc/sysrq-trigger")
        try:
            rc = g.wait_exit(60)
        except guestlib.GuestError as e:
            c.check(False, "sysrq power-off ends the run", str(e))
            rc = None
        c.check(rc == 0, f"sysrq power-off: RTAS ends the run with status 0 (got {rc})",
                g.tail())
        c.check(hashlib.sha256(open(image, "rb").read()).hexdigest() == image_sha,
                "the read-only image is unchanged")
    except guestlib.GuestError as e:
        c.check(False, "the guest runs", str(e))
    finally:
        if g:
            g.close()
        shutil.rmtree(host, ignore_errors=True)
    return c.status()


if __name__ == "__main__":
    sys.exit(main())
