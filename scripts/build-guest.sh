#!/bin/bash
# SPDX-License-Identifier: MIT
# build-guest.sh [--arch ppc440|ppc64le] [--rootfs-only] [--no-check] [--jobs N] OUTDIR
#
# Rebuilds, from Debian packages only, a Linux guest that the Linux tests and the benchmarks boot
# when ../shared/guests has none (they fall back to build/guests/ARCH):
#   --arch ppc440   (the default) the PowerPC 440 guest of build/guests/ppc440 (board ppc440,
#                   QEMU -M bamboo); kernel: 44x/bamboo_defconfig plus initramfs, devtmpfs,
#                   virtio-mmio (blk, net, console, rng), ext2/4, the 8250 OF console, ePAPR
#                   paravirt + KVM_GUEST; console ttyS0
#   --arch ppc64le  the POWER8 little-endian guest of build/guests/ppc64le (board pseries, QEMU
#                   -M pseries -cpu POWER8); kernel: ppc64le_guest_defconfig plus pseries SMP,
#                   64 KiB pages, hvc console, KVM_GUEST, virtio-mmio and virtio-pci (blk, net,
#                   console, rng, 9p, vsock, balloon), ext2/4, without heavy subsystems (netfilter,
#                   btrfs/xfs/nfs, SCSI, DM/MD, ethernet drivers, powernv); console hvc0
# Both give the same files:
#   OUTDIR/vmlinux             Linux 6.1 from Debian's linux-source-6.1, no modules (stripped)
#   OUTDIR/vmlinux.unstripped  the same kernel with its symbol table; OUTDIR/System.map as text
#   OUTDIR/config-6.1          its .config
#   OUTDIR/rootfs.cpio.gz      initramfs: static busybox (Debian source package), /init from
#                              guest/init, /bin/cpubench from guest/cpubench.c
#   OUTDIR/init, OUTDIR/cpubench.c   the sources of those two (tests compile cpubench.c natively
#                              to learn the checksum the guest must print)
#
# Run it as root (or with sudo available): it installs the Debian packages it needs and, when the
# APT sources have no deb-src entry, adds one (busybox comes from its source package). The kernel
# build takes 10-15 minutes on 2 cores for the 440, about 30 for ppc64le. Work files go to $WORK
# (default OUTDIR.work, about 2 GB); a second run reuses them. At the end the result boots under
# QEMU and, when build/softkvm is there, under softkvm, each to its SOFTKVM-BOOT-OK line.
#   --arch A       which guest (above); default ppc440
#   --rootfs-only  rebuild only rootfs.cpio.gz (busybox, init, cpubench), not the kernel
#   --no-check     do not boot the result at the end
#   --jobs N       parallel make jobs (default: the number of CPUs)
set -euo pipefail

usage() {
	sed -n '3p' "$0" | sed 's/^# /usage: /' >&2
	exit 2
}

arch=ppc440 rootfs_only=0 check=1 jobs=$(nproc) out=""
while [ $# -gt 0 ]; do
	case "$1" in
	--arch) [ $# -ge 2 ] || usage; arch=$2; shift ;;
	--rootfs-only) rootfs_only=1 ;;
	--no-check) check=0 ;;
	--jobs)
		[ $# -ge 2 ] || usage
		[[ $2 =~ ^[1-9][0-9]*$ ]] || { echo "build-guest.sh: --jobs wants a count, not '$2'" >&2; usage; }
		jobs=$2
		shift
		;;
	-h | --help) sed -n '3,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "build-guest.sh: unknown option $1" >&2; usage ;;
	*) [ -z "$out" ] || usage; out=$1 ;;
	esac
	shift
done
[ -n "$out" ] || usage

# What differs between the two guests; everything below this is shared.
#   kernel_options  =y on top of the defconfig, each checked after olddefconfig (a dependency
#                   that Kconfig silently drops is an error, not a surprise at boot)
#   kernel_off      turned off (size and build time: nothing the guest uses), checked too
#   elf_ident       the first 6 bytes of vmlinux (class 1/2 = 32/64-bit, data 1/2 = LE/BE);
#   elf_machine     e_machine, 20 = PowerPC, 21 = PowerPC64
case "$arch" in
ppc440)
	cross=powerpc-linux-gnu-
	cross_packages="gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu libc6-dev-powerpc-cross"
	defconfig=44x/bamboo_defconfig
	kernel_options="BLK_DEV_INITRD DEVTMPFS DEVTMPFS_MOUNT TMPFS PRINTK_TIME MAGIC_SYSRQ
		VIRTIO_MENU VIRTIO VIRTIO_MMIO VIRTIO_MMIO_CMDLINE_DEVICES VIRTIO_BLK
		NETDEVICES NET_CORE VIRTIO_NET VIRTIO_CONSOLE HW_RANDOM HW_RANDOM_VIRTIO
		EXT2_FS EXT4_FS SERIAL_8250 SERIAL_8250_CONSOLE SERIAL_OF_PLATFORM
		EPAPR_PARAVIRT KVM_GUEST"
	kernel_off=""
	elf_ident=7f454c460102 elf_machine=20 elf_endian=big elf_what="32-bit big-endian PowerPC"
	console=ttyS0
	qemu=(qemu-system-ppc -M bamboo -m 256)
	softkvm_machine=ppc440
	;;
ppc64le)
	cross=powerpc64le-linux-gnu-
	# libssl-dev: the 64-bit defconfig keeps the certificate tools that the kernel build compiles
	cross_packages="gcc-powerpc64le-linux-gnu binutils-powerpc64le-linux-gnu
		libc6-dev-ppc64el-cross libssl-dev"
	defconfig=ppc64le_guest_defconfig
	kernel_options="PPC_PSERIES PPC_SPLPAR SMP PPC_64K_PAGES HVC_CONSOLE KVM_GUEST
		BLK_DEV_INITRD DEVTMPFS DEVTMPFS_MOUNT TMPFS PRINTK_TIME MAGIC_SYSRQ
		VIRTIO_MENU VIRTIO VIRTIO_PCI VIRTIO_MMIO VIRTIO_MMIO_CMDLINE_DEVICES VIRTIO_BLK
		NETDEVICES NET_CORE VIRTIO_NET VIRTIO_CONSOLE HW_RANDOM HW_RANDOM_VIRTIO
		NET_9P NET_9P_VIRTIO 9P_FS 9P_FS_POSIX_ACL VSOCKETS VIRTIO_VSOCKETS VIRTIO_BALLOON
		INET IP_PNP IP_PNP_DHCP UNIX PACKET EXT2_FS EXT4_FS"
	kernel_off="DEBUG_INFO DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT DEBUG_INFO_BTF FTRACE KPROBES
		BPF_SYSCALL DRM FB SOUND USB_SUPPORT WLAN WIRELESS MEDIA_SUPPORT INFINIBAND
		NETFILTER BRIDGE IPV6 BTRFS_FS XFS_FS NFS_FS NFSD CIFS SQUASHFS ISO9660_FS FUSE_FS
		MD BLK_DEV_DM SCSI ATA ETHERNET KVM VIRTUALIZATION CRYPTO_DEV_NX PPC_POWERNV CXL
		KEXEC CRASH_DUMP FA_DUMP HOTPLUG_PCI INPUT_MOUSE INPUT_KEYBOARD HID I2C MTD PARPORT"
	elf_ident=7f454c460201 elf_machine=21 elf_endian=little elf_what="64-bit little-endian PowerPC64"
	console=hvc0
	# QEMU enters the kernel through its SLOF firmware; 1 GiB as in ../shared/guests/ppc64le
	qemu=(qemu-system-ppc64 -M pseries -cpu POWER8 -m 1G)
	softkvm_machine=pseries
	;;
*) echo "build-guest.sh: unknown --arch $arch (ppc440 or ppc64le)" >&2; usage ;;
esac

root_dir=$(cd "$(dirname "$0")/.." && pwd)
src=$root_dir/guest
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=${WORK:-$out.work}
mkdir -p "$work"
work=$(cd "$work" && pwd)
started=$(date +%s)
# Fixed build identity and dates, so two builds of the same sources give the same files.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}
# Linux prints KBUILD_BUILD_TIMESTAMP as it is in its version line: a date, not "@seconds".
KBUILD_BUILD_TIMESTAMP=$(LC_ALL=C date -u -d "@$SOURCE_DATE_EPOCH")
export KBUILD_BUILD_TIMESTAMP KBUILD_BUILD_USER=softkvm KBUILD_BUILD_HOST=softkvm

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
packages="make gcc libc6-dev bc bison flex cpio gzip xz-utils dpkg-dev $cross_packages"
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
kmake() { make -C "$work/linux" ARCH=powerpc CROSS_COMPILE=$cross "$@"; }

build_kernel() {
	if [ ! -f "$work/linux/Makefile" ]; then
		step "unpacking /usr/src/linux-source-6.1.tar.xz"
		rm -rf "$work/linux" "$work/linux-source-6.1"
		tar -C "$work" -xf /usr/src/linux-source-6.1.tar.xz
		mv "$work/linux-source-6.1" "$work/linux"
	fi
	step "configuring Linux $(kmake -s kernelversion)"
	logged kernel-config kmake -s "$defconfig"
	local args=() o
	for o in $kernel_options; do args+=(--enable "$o"); done
	for o in MODULES $kernel_off; do args+=(--disable "$o"); done
	"$work/linux/scripts/config" --file "$work/linux/.config" "${args[@]}"
	kmake -s olddefconfig
	for o in $kernel_options; do
		grep -qx "CONFIG_$o=y" "$work/linux/.config" || die "CONFIG_$o did not stay enabled"
	done
	for o in MODULES $kernel_off; do
		! grep -Eq "^CONFIG_$o=[ym]$" "$work/linux/.config" || die "CONFIG_$o is still set"
	done

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
# boot_check NAME CMD...: runs CMD (a VMM booting the result with softkvm.test=reboot, so it ends
# by itself) and requires the guest's boot marker on its console.
boot_check() {
	local name=$1 log=$work/check-${1%% *}.log
	shift
	step "boot check under $name (softkvm.test=reboot)"
	timeout -k 5 300 "$@" </dev/null >"$log" 2>&1 || true
	grep -aq '^SOFTKVM-BOOT-OK' "$log" || die "the guest did not boot under $name (see $log)"
	grep -a -m1 -o 'Linux version .*' "$log" || true
	grep -a '^SOFTKVM-BOOT-OK' "$log"
}

check_result() {
	local append="console=$console softkvm.test=reboot" softkvm=${SOFTKVM:-$root_dir/build/softkvm}
	[ -s "$out/rootfs.cpio.gz" ] || die "$out/rootfs.cpio.gz is missing"
	gzip -dc "$out/rootfs.cpio.gz" | cpio -it --quiet | grep -qx 'bin/cpubench' ||
		die "rootfs.cpio.gz has no bin/cpubench"
	if [ ! -s "$out/vmlinux" ]; then
		[ $rootfs_only = 1 ] || die "$out/vmlinux is missing"
		echo "no $out/vmlinux yet: rootfs.cpio.gz not boot-checked"
		return 0
	fi
	if [ "$(od -An -tx1 -N6 "$out/vmlinux" | tr -d ' ')" != "$elf_ident" ] ||
		[ "$(od -An -tu2 --endian=$elf_endian -j18 -N2 "$out/vmlinux" | tr -d ' ')" != "$elf_machine" ]; then
		die "$out/vmlinux is not a $elf_what ELF file"
	fi
	[ $check = 1 ] || return 0
	if command -v "${qemu[0]}" >/dev/null; then
		boot_check "${qemu[*]}" "${qemu[@]}" -nographic -no-reboot \
			-kernel "$out/vmlinux" -initrd "$out/rootfs.cpio.gz" -append "$append" \
			-serial stdio -monitor none -display none
	else
		echo "${qemu[0]} is not installed: not boot-checked under QEMU"
	fi
	if [ -x "$softkvm" ]; then
		boot_check "softkvm --machine $softkvm_machine" "$softkvm" run --machine "$softkvm_machine" \
			--kernel "$out/vmlinux" --initrd "$out/rootfs.cpio.gz" --append "$append" \
			--memory 256M --no-reboot
	else
		echo "no $softkvm (make builds it): not boot-checked under softkvm"
	fi
}

[ $rootfs_only = 1 ] || build_kernel
build_busybox
build_rootfs
[ $rootfs_only = 1 ] || install_vmlinux
check_result
step "done: $out"
ls -l "$out"
