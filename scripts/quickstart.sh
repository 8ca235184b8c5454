#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the dependencies, build softkvm and boot the default guest: the PowerPC 440
# Linux of ../shared/guests/ppc440 (rebuilt from Debian packages when absent).
set -e
cd "$(dirname "$0")/.."
scripts/install-deps.sh
make -j2
GUESTS=${SOFTKVM_GUESTS:-../shared/guests/ppc440}
if [ ! -f "$GUESTS/vmlinux" ] || [ ! -f "$GUESTS/rootfs.cpio.gz" ]; then
	GUESTS=build/guests/ppc440
	[ -f "$GUESTS/vmlinux" ] || scripts/build-guest.sh "$GUESTS"
fi
exec build/softkvm run --kernel "$GUESTS/vmlinux" --initrd "$GUESTS/rootfs.cpio.gz" \
	--append "console=ttyS0" --memory 256M
