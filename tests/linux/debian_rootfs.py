# SPDX-License-Identifier: MIT
"""A root filesystem image of Debian 12 ppc64el binary packages, built on the host without
running any of them and without root: apt resolves and downloads the packages with a private
configuration (its own sources.list, lists, status and archive folders under the cache, so the
host's dpkg architectures and apt state stay untouched), `dpkg-deb -x` unpacks each into a
staging folder, and `mke2fs -t ext4 -d` turns that folder into an image.

Everything lives in CACHE (build/debian-ppc64el): the apt lists, the .debs and the image. A
second build with the same packages and extra files reuses the image without any network;
with the image gone, the .debs already there are not downloaded again.
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CACHE = os.environ.get("SOFTKVM_DEBIAN_CACHE", os.path.join(ROOT, "build", "debian-ppc64el"))
MIRROR = os.environ.get("SOFTKVM_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SUITE = "bookworm"
ARCH = "ppc64el"


class BuildError(Exception):
    """The image cannot be built (no network, a failed download, a missing host tool)."""


def _apt_config(apt):
    lines = [
        f'APT::Architecture "{ARCH}";',
        f'APT::Architectures {{ "{ARCH}"; }};',
        f'Dir::State "{apt}";',
        f'Dir::State::lists "{apt}/lists";',
        f'Dir::State::status "{apt}/status";',
        f'Dir::Cache "{apt}";',
        f'Dir::Cache::archives "{apt}/archives";',
        f'Dir::Etc::sourcelist "{apt}/sources.list";',
        f'Dir::Etc::sourceparts "{apt}/none";',  # empty: no other sources, no pinning
        'Dir::Etc::preferences "/nonexistent";',
        f'Dir::Etc::preferencesparts "{apt}/none";',
        'Debug::NoLocking "true";',
        'Acquire::Languages "none";',
    ]
    if os.geteuid() == 0:  # root's apt would hand the downloads to _apt, who cannot write here
        lines.append('APT::Sandbox::User "root";')
    conf = os.path.join(apt, "apt.conf")
    for d in ("lists/partial", "archives/partial", "none"):
        os.makedirs(os.path.join(apt, d), exist_ok=True)
    with open(os.path.join(apt, "sources.list"), "w") as f:
        f.write(f"deb {MIRROR} {SUITE} main\n")
    open(os.path.join(apt, "status"), "a").close()  # nothing installed: the whole closure
    with open(conf, "w") as f:
        f.write("\n".join(lines) + "\n")
    return dict(os.environ, APT_CONFIG=conf, LC_ALL="C")


def _run(cmd, env=None, cwd=None, what=None):
    r = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise BuildError(f"{what or cmd[0]} failed (status {r.returncode}): "
                         f"{' '.join(cmd)}\n{(r.stdout + r.stderr)[-1500:]}")
    return r.stdout


def _have_lists(lists):
    return any(n.endswith("_Packages") or "_Packages." in n for n in os.listdir(lists))


def closure(packages, env, refresh=False):
    """[(name, version, arch)] of PACKAGES and everything they depend on (no Recommends), as
    apt resolves an install on an empty system; the package lists are fetched when there are
    none yet or REFRESH asks for it."""
    lists = os.path.join(os.path.dirname(env["APT_CONFIG"]), "lists")
    if refresh or not _have_lists(lists):
        # apt-get update only warns (status 0) when it cannot reach the mirror
        out = _run(["apt-get", "update", "-q"], env, what=f"apt-get update from {MIRROR}")
        if not _have_lists(lists):
            raise BuildError(f"apt-get update fetched no package lists from {MIRROR}:\n"
                             f"{out[-1500:]}")
    out = _run(["apt-get", "-s", "install", "--no-install-recommends", *packages], env,
               what="resolving the packages' dependencies")
    debs = []
    for m in re.finditer(r"^Inst (\S+) \((\S+) [^[]*\[(\S+)\]\)", out, re.M):
        debs.append(m.groups())  # Inst NAME (VERSION ORIGIN [ARCH]) [...]
    if not debs:
        raise BuildError(f"apt resolved nothing for {packages}:\n{out[-1500:]}")
    return debs


def deb_file(name, version, arch):
    return f"{name}_{version.replace(':', '%3a')}_{arch}.deb"


def download(debs, env, into):
    """Downloads the .debs not already in INTO; returns their paths."""
    os.makedirs(into, exist_ok=True)
    missing = [f"{n}={v}" for n, v, a in debs
               if not os.path.isfile(os.path.join(into, deb_file(n, v, a)))]
    if missing:
        _run(["apt-get", "download", "-q", *missing], env, cwd=into,
             what=f"apt-get download from {MIRROR}")
    paths = [os.path.join(into, deb_file(*d)) for d in debs]
    absent = [p for p in paths if not os.path.isfile(p)]
    if absent:
        raise BuildError(f"apt-get download did not leave {absent[:3]}")
    return paths


def build(packages, extra_files, name):
    """CACHE/NAME.ext4: the packages' closure unpacked, plus EXTRA_FILES {path: (mode, bytes)};
    rebuilt only when the packages or the files change. Returns (image path, [(name, version)])."""
    if not shutil.which("dpkg-deb") or not shutil.which("mke2fs") or not shutil.which("apt-get"):
        raise BuildError("apt-get, dpkg-deb (dpkg) and mke2fs (e2fsprogs) are needed on the host")
    key = hashlib.sha256(repr((sorted(packages), sorted(extra_files.items()))).encode())
    image = os.path.join(CACHE, name + ".ext4")
    stamp = image + ".stamp"
    os.makedirs(CACHE, exist_ok=True)
    if os.path.isfile(image) and os.path.isfile(stamp):
        with open(stamp) as f:
            lines = f.read().splitlines()
        if lines and lines[0] == key.hexdigest():
            return image, [tuple(ln.split(" ", 1)) for ln in lines[1:]]
    env = _apt_config(os.path.join(CACHE, "apt"))
    debs = closure(packages, env)
    try:
        paths = download(debs, env, os.path.join(CACHE, "debs"))
    except BuildError:
        # lists from before a point release name versions the mirror has dropped
        debs = closure(packages, env, refresh=True)
        paths = download(debs, env, os.path.join(CACHE, "debs"))
    stage = tempfile.mkdtemp(prefix="rootfs-", dir=CACHE)
    try:
        for p in paths:
            _run(["dpkg-deb", "-x", p, stage], what=f"unpacking {os.path.basename(p)}")
        for d in ("proc", "sys", "dev", "tmp", "root", "run"):
            os.makedirs(os.path.join(stage, d), exist_ok=True)
        # /bin/sh is dash's (a maintainer script would make it); bash serves here
        if not os.path.lexists(os.path.join(stage, "bin", "sh")):
            os.symlink("bash", os.path.join(stage, "bin", "sh"))
        for path, (mode, data) in extra_files.items():
            full = os.path.join(stage, path.lstrip("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data)
            os.chmod(full, mode)
        used = int(_run(["du", "-s", "--block-size=1M", stage]).split()[0])
        tmp_image = image + ".new"
        if os.path.exists(tmp_image):
            os.unlink(tmp_image)
        _run(["mke2fs", "-q", "-F", "-t", "ext4", "-L", "debian", "-d", stage, tmp_image,
              f"{used + used // 4 + 64}M"], what="mke2fs -d")
        os.replace(tmp_image, image)
        with open(stamp, "w") as f:  # last: an interrupted build leaves no stamp
            f.write(key.hexdigest() + "\n" + "".join(f"{n} {v}\n" for n, v, a in debs))
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return image, [(n, v) for n, v, a in debs]
