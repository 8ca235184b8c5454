#!/bin/bash
# SPDX-License-Identifier: MIT
# build-guest.sh [--rootfs-only] [--no-check] [--jobs N] OUTDIR
#
# Rebuilds, from Debian packages only, the PowerPC 440 Linux guest that the Linux tests, the
# benchmarks and the README's first command boot when ../shared/guests/ppc440 is not there:
#
#   OUTDIR/vmlinux             Linux 6.1 from Debian's linux-source-6.1: 44x/bamboo_defconfig plus
#                              initramfs, devtmpfs, virtio-mmio (blk, net, console, rng), ext2/4,
#                              the 8250 OF console, ePAPR paravirt + KVM_GUEST; no modules (stripped)
#   OUTDIR/vmlinux.unstripped  the same kernel with its symbol table; OUTDIR/System.map as text
#   OUTDIR/config-6.1          its .config
#   OUTDIR/rootfs.cpio.gz      initramfs: static busybox (Debian source package), /init from
#                              guest/init, /bin/cpubench from guest/cpubench.c
#   OUTDIR/init, OUTDIR/cpubench.c   the sources of those two (tests compile cpubench.c natively
#                              to learn the checksum the guest must print)
#
# Run it as root (or with sudo available): it installs the Debian packages it needs and, when the
# APT sources have no deb-src entry, adds one (busybox comes from its source package). The kernel
# build takes 10-15 minutes on 2 cores. Work files go to $WORK (default OUTDIR.work, about 2 GB);
# a second run reuses them.
#   --rootfs-only  rebuild only rootfs.cpio.gz (busybox, init, cpubench), not the kernel
#   --no-check     do not boot the result under qemu-system-ppc at the end
#   --jobs N       parallel make jobs (default: the number of CPUs)
set -euo pipefail

usage() {
	sed -n '2p' "$0" | sed 's/^# /usage: /' >&2
	exit 2
}

rootfs_only=0 check=1 jobs=$(nproc) out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--rootfs-only) rootfs_only=1 ;;
	--no-check) check=0 ;;
	--jobs) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "build-guest.sh: unknown option $1" >&2; usage ;;
	*) [ -z "$out" ] || usage; out=$1 ;;
	esac
	shift
done
[ -n "$out" ] || usage

src=$(cd "$(dirname "$0")/.." && pwd)/guest
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=${WORK:-$out.work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
started=$(date +%s)
cross=powerpc-linux-gnu-
# Fixed build identity and dates, so two builds of the same sources give the same files.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
export KBUILD_BUILD_TIMESTAMP="@$SOURCE_DATE_EPOCH" KBUILD_BUILD_USER=softkvm KBUILD_BUILD_HOST=softkvm

# logged NAME CMD...: runs CMD with its output in $work/NAME.log, shown (the end) only if it fails.
logged() {
	local log=$work/$1.log
	shift
	"$@" >"$log" 2>&1 || { tail -n 40 "$log" >&2; die "failed: $* (whole output: $log)"; }
}

step() { echo "== $* ($(($(date +%s) - started)) s)"; }
die() { echo "build-guest.sh: $*" >&2; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "needs root to run: $*"
	fi
}

# --- Debian packages ---------------------------------------------------------------------------
packages="make gcc libc6-dev bc bison flex cpio gzip xz-utils dpkg-dev
	  gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu libc6-dev-powerpc-cross"
[ $rootfs_only = 1 ] || packages="$packages linux-source-6.1"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done

have_deb_src() {
	grep -Eqs '^[[:space:]]*Types:.*deb-src' /etc/apt/sources.list.d/*.sources ||
		grep -Eqs '^[[:space:]]*deb-src[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list
}

updated=0
if ! have_deb_src; then
	# shellcheck disable=SC1091
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	step "adding a deb-src entry for $codename (/etc/apt/sources.list.d/softkvm-deb-src.sources)"
	as_root tee /etc/apt/sources.list.d/softkvm-deb-src.sources >/dev/null <<-EOF
		Types: deb-src
		URIs: http://deb.debian.org/debian
		Suites: $codename $codename-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	as_root apt-get update -qq
	updated=1
fi
if [ -n "$missing" ]; then
	step "installing$missing"
	[ $updated = 1 ] || as_root apt-get update -qq
	# shellcheck disable=SC2086 # one word per package
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

# --- kernel --------------------------------------------------------------------------------------
# Options on top of 44x/bamboo_defconfig, each checked to be =y after olddefconfig (a dependency
# that Kconfig silently drops is an error, not a surprise at boot).
kernel_options="BLK_DEV_INITRD DEVTMPFS DEVTMPFS_MOUNT TMPFS PRINTK_TIME MAGIC_SYSRQ
	VIRTIO_MENU VIRTIO VIRTIO_MMIO VIRTIO_MMIO_CMDLINE_DEVICES VIRTIO_BLK
	NETDEVICES NET_CORE VIRTIO_NET VIRTIO_CONSOLE HW_RANDOM HW_RANDOM_VIRTIO
	EXT2_FS EXT4_FS SERIAL_8250 SERIAL_8250_CONSOLE SERIAL_OF_PLATFORM
	EPAPR_PARAVIRT KVM_GUEST"

kmake() { make -C "$work/linux" ARCH=powerpc CROSS_COMPILE=$cross "$@"; }

build_kernel() {
	if [ ! -f "$work/linux/Makefile" ]; then
		step "unpacking /usr/src/linux-source-6.1.tar.xz"
		rm -rf "$work/linux" "$work/linux-source-6.1"
		tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
		mv "$work/linux-source-6.1" "$work/linux"
	fi
	step "configuring Linux $(kmake -s kernelversion)"
	kmake -s 44x/bamboo_defconfig
	local args=() o
	for o in $kernel_options; do args+=(--enable "$o"); done
	"$work/linux/scripts/config" --file "$work/linux/.config" "${args[@]}" --disable MODULES
	kmake -s olddefconfig
	for o in $kernel_options; do
		grep -qx "CONFIG_$o=y" "$work/linux/.config" || die "CONFIG_$o did not stay enabled"
	done
	grep -qx '# CONFIG_MODULES is not set' "$work/linux/.config" || die "CONFIG_MODULES is still set"

	step "building vmlinux with $jobs jobs"
	logged kernel-build kmake -s -j"$jobs" vmlinux
	cp "$work/linux/.config" "$out/config-6.1"
	cp "$work/linux/vmlinux" "$out/vmlinux.unstripped"
	cp "$work/linux/System.map" "$out/System.map"
}

# Written last of all, after rootfs.cpio.gz: scripts/quickstart.sh takes an OUTDIR/vmlinux as
# the sign of a complete build, so an interrupted build must not leave one behind.
install_vmlinux() {
	${cross}strip -o "$out/vmlinux.tmp" "$work/linux/vmlinux"
	mv "$out/vmlinux.tmp" "$out/vmlinux"
}

# --- busybox, static -----------------------------------------------------------------------------
build_busybox() {
	local bb
	bb=""
	[ -d "$work/busybox-src" ] && bb=$(find "$work/busybox-src" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*')
	if [ -z "$bb" ]; then
		step "fetching Debian's busybox source package"
		rm -rf "$work/busybox-src"
		mkdir -p "$work/busybox-src"
		(cd "$work/busybox-src" && apt-get source -q busybox >/dev/null 2>apt-source.log) ||
			die "apt-get source busybox failed: $(tail -n3 "$work/busybox-src/apt-source.log")"
		bb=$(find "$work/busybox-src" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*')
		[ -n "$bb" ] || die "no busybox-* directory after apt-get source"
	fi
	step "building $(basename "$bb") (static)"
	make -C "$bb" -s CROSS_COMPILE=$cross defconfig >/dev/null
	# Static, so the initramfs needs no libraries. tc does not build against 6.x kernel headers
	# (it uses the CBQ definitions that Linux 6.1 dropped); the guest has no use for it.
	sed -i -e 's/^# CONFIG_STATIC is not set$/CONFIG_STATIC=y/' \
		-e 's/^CONFIG_TC=y$/# CONFIG_TC is not set/' "$bb/.config"
	make -C "$bb" -s CROSS_COMPILE=$cross oldconfig </dev/null >/dev/null
	grep -qx 'CONFIG_STATIC=y' "$bb/.config" || die "busybox: CONFIG_STATIC did not stay set"
	logged busybox-build make -C "$bb" -s CROSS_COMPILE=$cross -j"$jobs" busybox
	busybox_bin=$bb/busybox
}

# --- initramfs -----------------------------------------------------------------------------------
build_rootfs() {
	local root=$work/rootfs d
	step "building cpubench and the initramfs"
	rm -rf "$root"
	for d in bin sbin etc proc sys dev tmp root mnt; do mkdir -p "$root/$d"; done
	install -m 755 "$busybox_bin" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	${cross}gcc -O2 -static -Wall -Wextra -o "$root/bin/cpubench" "$src/cpubench.c"
	${cross}strip "$root/bin/cpubench"
	install -m 755 "$src/init" "$root/init"
	# The kernel opens /dev/console before /init runs (its built-in initramfs has the node too).
	if [ "$(id -u)" = 0 ]; then mknod -m 600 "$root/dev/console" c 5 1; fi
	find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9 -n >"$out/rootfs.cpio.gz.tmp"
	mv "$out/rootfs.cpio.gz.tmp" "$out/rootfs.cpio.gz"
	cp "$src/init" "$out/init"
	cp "$src/cpubench.c" "$out/cpubench.c"
}

# --- checks --------------------------------------------------------------------------------------
check_result() {
	local log=$work/check-boot.log
	[ -s "$out/rootfs.cpio.gz" ] || die "$out/rootfs.cpio.gz is missing"
	gzip -dc "$out/rootfs.cpio.gz" | cpio -it --quiet | grep -qx 'bin/cpubench' ||
		die "rootfs.cpio.gz has no bin/cpubench"
	if [ ! -s "$out/vmlinux" ]; then
		[ $rootfs_only = 1 ] || die "$out/vmlinux is missing"
		echo "no $out/vmlinux yet: rootfs.cpio.gz not boot-checked"
		return 0
	fi
	# ELF, 32-bit (class 1), big-endian (data 2), machine 20 = PowerPC
	[ "$(od -An -tx1 -N6 "$out/vmlinux" | tr -d ' ')" = 7f454c460102 ] ||
		die "$out/vmlinux is not a 32-bit big-endian ELF file"
	[ "$(od -An -tu2 --endian=big -j18 -N2 "$out/vmlinux" | tr -d ' ')" = 20 ] ||
		die "$out/vmlinux is not a PowerPC ELF file"
	[ $check = 1 ] || return 0
	if ! command -v qemu-system-ppc >/dev/null; then
		echo "qemu-system-ppc is not installed: not boot-checked"
		return 0
	fi
	step "boot check under qemu-system-ppc -M bamboo (softkvm.test=reboot)"
	timeout -k 5 180 qemu-system-ppc -M bamboo -m 256 -nographic -no-reboot \
		-kernel "$out/vmlinux" -initrd "$out/rootfs.cpio.gz" \
		-append "console=ttyS0 softkvm.test=reboot" \
		-serial stdio -monitor none -display none </dev/null >"$log" 2>&1 || true
	grep -q '^SOFTKVM-BOOT-OK' "$log" || die "the guest did not boot under QEMU (see $log)"
	grep -a '^SOFTKVM-BOOT-OK' "$log"
}

[ $rootfs_only = 1 ] || build_kernel
build_busybox
build_rootfs
[ $rootfs_only = 1 ] || install_vmlinux
check_result
step "done: $out"
ls -l "$out"
