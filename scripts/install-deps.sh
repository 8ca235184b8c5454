#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what softkvm needs to build and test on Debian 12 (run as root, or with sudo).
set -e
PKGS="build-essential libfdt-dev libcmocka-dev clang libclang-rt-14-dev \
      gcc-powerpc-linux-gnu binutils-powerpc-linux-gnu libc6-dev-powerpc-cross \
      linux-libc-dev-powerpc-cross \
      qemu-system-ppc device-tree-compiler python3 gdb-multiarch pkg-config e2fsprogs libslirp-dev \
      qemu-user binutils-powerpc64le-linux-gnu binutils-powerpc64-linux-gnu \
      gcc-powerpc64le-linux-gnu libc6-dev-ppc64el-cross"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
