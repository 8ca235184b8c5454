#!/bin/bash
# SPDX-License-Identifier: MIT
# The pseries board from the command line: `softkvm run --machine pseries --dump-dtb` writes a
# tree dtc decompiles without a warning, with the shared ppc64le kernel placed as QEMU's
# pseries places it (0x400000) and the initrd after it; the properties Linux reads agree with
# QEMU 7.2's own pseries tree (qemu-system-ppc64 -M pseries,dumpdtb=... -cpu POWER8); a run
# without --dump-dtb and a 32-bit kernel end with one clear error. virtio-console and
# virtio-rng (always), --disk, --share, --net and --vsock are virtio-pci functions under the
# PAPR PHB, whose node agrees with QEMU's where
# Linux reads it (virtio-blk-pci,disable-legacy=on: the modern device softkvm offers).
# usage: test_pseries_dtb.sh (env: SOFTKVM, SOFTKVM_GUESTS, SOFTKVM_GUESTS64)
set -u
NEED_GUESTS=0
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
find_guest_dir ppc64le
G64=$GUEST_DIR
find_guest_dir ppc440
G32=$GUEST_DIR
T=$TMPDIR_TEST
for tool in dtc fdtget; do
	command -v $tool >/dev/null || { echo "FAIL: $tool (device-tree-compiler) is missing"; exit 1; }
done

"$SOFTKVM" run --machine pseries --kernel "$G64/vmlinux" --initrd "$G64/rootfs.cpio.gz" \
	--append "console=hvc0" --dump-dtb "$T/s.dtb" </dev/null >"$T/out" 2>"$T/err"
status=$?
if [ $status = 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ]; then
	ok "--machine pseries --dump-dtb: status 0, silent"
else
	fail "--machine pseries --dump-dtb: status $status"
	sed 's/^/    stderr| /' "$T/err" | head -5
fi
if dtc -I dtb -O dts -o "$T/s.dts" "$T/s.dtb" 2>"$T/dtc.err" && [ ! -s "$T/dtc.err" ]; then
	ok "dtc decompiles the tree without a warning"
else
	fail "dtc: $(head -3 "$T/dtc.err")"
fi

get() { fdtget -t x "$T/$1.dtb" "$2" "$3" 2>/dev/null; }
gets() { fdtget -t s "$T/$1.dtb" "$2" "$3" 2>/dev/null; }
expect() { # expect WHAT GOT WANT: equal, and not both missing
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ok "$1: $2"; else fail "$1: got '$2', want '$3'"; fi
}

# The kernel at 0x400000 + p_paddr (0); the initrd at the next 64 KiB after its memsz.
memsz=$(readelf -lW "$G64/vmlinux" | awk '$1 == "LOAD" { print $6; exit }')
initrd_size=$(stat -c %s "$G64/rootfs.cpio.gz")
start=$(( (0x400000 + memsz + 0xffff) & ~0xffff ))
expect "initrd start" "$(get s /chosen linux,initrd-start)" "$(printf %x $start)"
expect "initrd end" "$(get s /chosen linux,initrd-end)" "$(printf %x $((start + initrd_size)))"
expect "bootargs" "$(gets s /chosen bootargs)" "console=hvc0"
expect "stdout" "$(gets s /chosen linux,stdout-path)" "/vdevice/vty@71000000"
expect "RTAS entry" "$(get s /rtas linux,rtas-entry)" "feff000"
expect "RTAS reserved" "$(grep -c '/memreserve/.*0x000000000feff000 0x0000000000001000' "$T/s.dts")" 1

# The same facts in QEMU's tree (SLOF not run: -machine dumpdtb exits first).
if command -v qemu-system-ppc64 >/dev/null; then
	timeout 60 qemu-system-ppc64 -M pseries,dumpdtb="$T/q.dtb" -cpu POWER8 -m 256M \
		-nographic -kernel "$G64/vmlinux" -append console=hvc0 >/dev/null 2>&1
	if [ -s "$T/q.dtb" ]; then
		C=/cpus/PowerPC,POWER8@0
		for p in cpu-version timebase-frequency clock-frequency ibm,pft-size ibm,pa-features \
			d-cache-block-size i-cache-block-size d-cache-size i-cache-size ibm,slb-size \
			ibm,ppc-interrupt-server#s ibm,processor-segment-sizes ibm,vmx; do
			expect "$C $p as QEMU's" "$(get s $C $p)" "$(get q $C $p)"
		done
		expect "device_type as QEMU's" "$(gets s / device_type)" "$(gets q / device_type)"
		expect "memory as QEMU's" "$(get s /memory@0 reg)" "$(get q /memory@0 reg)"
		for p in compatible device_type; do
			expect "vty $p as QEMU's" "$(gets s /vdevice/vty@71000000 $p)" \
				"$(gets q /vdevice/vty@71000000 $p)"
			expect "XICP $p as QEMU's" "$(gets s /interrupt-controller $p)" \
				"$(gets q /interrupt-controller $p)"
		done
		expect "vty reg as QEMU's" "$(get s /vdevice/vty@71000000 reg)" \
			"$(get q /vdevice/vty@71000000 reg)"
		expect "XICP servers as QEMU's" "$(get s /interrupt-controller ibm,interrupt-server-ranges)" \
			"$(get q /interrupt-controller ibm,interrupt-server-ranges)"
		expect "epow source as QEMU's" "$(get s /event-sources/epow-events interrupts)" \
			"$(get q /event-sources/epow-events interrupts)"
		# KVM PR's page sizes are QEMU TCG's and 16 MiB more
		expect "page sizes: QEMU's and 16 MiB" "$(get s $C ibm,segment-page-sizes)" \
			"$(get q $C ibm,segment-page-sizes) 18 100 1 18 0"
	else
		fail "qemu-system-ppc64 wrote no device tree"
	fi
else
	fail "qemu-system-ppc64 is missing: no tree to compare with"
fi

# virtio-pci functions on the PHB, slots in the order console, rng (always there), disks,
# shares, NICs, vsock
truncate -s 1M "$T/d.img"
mkdir -p "$T/share"
"$SOFTKVM" run --machine pseries --kernel "$G64/vmlinux" --disk "$T/d.img" \
	--share "$T/share,tag=host" --net user --vsock 3,uds="$T/vsock.sock" \
	--dump-dtb "$T/v.dtb" </dev/null >"$T/out" 2>"$T/err"
status=$?
if [ $status = 0 ] && [ ! -s "$T/err" ] && dtc -I dtb -O dts -o "$T/v.dts" "$T/v.dtb" 2>"$T/dtc.err" &&
	[ ! -s "$T/dtc.err" ]; then
	ok "--disk --share --net --vsock on pseries: a tree dtc takes without a warning"
else
	fail "virtio on pseries: status $status, $(head -2 "$T/err") $(head -2 "$T/dtc.err" 2>/dev/null)"
fi
P=/pci@800000020000000
# no MSI: said with ibm,pe-total-#msi = 0 (without it Linux's pseries logs an error at boot)
expect "PHB ibm,pe-total-#msi" "$(get v $P ibm,pe-total-#msi)" 0
i=0
for dev in 1043 1044 1042 1049 1041 1053; do
	expect "slot $i device-id" "$(get v $P/pci1af4,$dev@$i device-id)" "$dev"
	expect "slot $i BAR 0" "$(get v $P/pci1af4,$dev@$i assigned-addresses)" \
		"$(printf '%x 0 %x 0 4000' $((0x2000010 + i * 0x800)) $((0x80000000 + i * 0x4000)))"
	i=$((i + 1))
done

if command -v qemu-system-ppc64 >/dev/null; then
	timeout 60 qemu-system-ppc64 -M pseries,dumpdtb="$T/qv.dtb" -cpu POWER8 -m 256M \
		-nographic -nodefaults -drive file="$T/d.img",if=none,id=d0,format=raw \
		-device virtio-blk-pci,drive=d0,disable-legacy=on >/dev/null 2>&1
	if [ -s "$T/qv.dtb" ]; then
		for p in device_type compatible; do
			expect "PHB $p as QEMU's" "$(gets v $P $p)" "$(gets qv $P $p)"
		done
		for p in reg '#address-cells' '#size-cells' '#interrupt-cells'; do
			expect "PHB $p as QEMU's" "$(get v $P $p)" "$(get qv $P $p)"
		done
		# QEMU's window is the second of its three ranges (after I/O space)
		expect "PHB 32-bit window as QEMU's" "$(get v $P ranges)" \
			"$(get qv $P ranges | cut -d' ' -f8-14)"
		# slots 0 and 1, pins A-D: the same XICS sources and sense in both (the XICP's
		# phandle differs: 1 here, 0x1111 in QEMU)
		expect "INTx of slots 0-1 as QEMU's" \
			"$(get v $P interrupt-map | tr ' ' '\n' | head -56 | awk 'NR % 7 != 5' | xargs)" \
			"$(get qv $P interrupt-map | tr ' ' '\n' | head -56 | awk 'NR % 7 != 5' | xargs)"
		for p in vendor-id device-id revision-id class-code interrupts; do
			expect "virtio-blk $p as QEMU's" "$(get v $P/pci1af4,1042@2 $p)" \
				"$(get qv $P/scsi@0 $p)"
		done
	else
		fail "qemu-system-ppc64 wrote no device tree with virtio-blk-pci"
	fi
fi

expect_error "a missing kernel" 1 "$T/none/vmlinux: No such file or directory" \
	run --machine pseries --kernel "$T/none/vmlinux"
expect_error "a 32-bit kernel" 1 "not 64-bit PowerPC" \
	run --machine pseries --kernel "$G32/vmlinux" --dump-dtb "$T/x.dtb"
expect_error "the 440 and a 64-bit kernel" 1 "not 32-bit big-endian PowerPC" \
	run --kernel "$G64/vmlinux" --dump-dtb "$T/x.dtb"
expect_error "64 MiB" 1 "the pseries board takes 128 MiB to 16 GiB" \
	run --machine pseries --kernel "$G64/vmlinux" -m 64M --dump-dtb "$T/x.dtb"
# bad input on pseries: before any guest runs, one message and a non-zero status
expect_error "--cpus 0" 2 "bad --cpus '0' \\(1 to 64\\)" \
	run --machine pseries --cpus 0 --kernel "$G64/vmlinux"
expect_error "--cpus 65" 2 "bad --cpus '65' \\(1 to 64\\)" \
	run --machine pseries --cpus 65 --kernel "$G64/vmlinux"
expect_error "a --disk that cannot be opened" 1 "$T/none/d.img: cannot open read-write: No such file or directory" \
	run --machine pseries --kernel "$G64/vmlinux" --disk "$T/none/d.img"
expect_error "a --disk that is a directory" 1 "is a directory" \
	run --machine pseries --kernel "$G64/vmlinux" --disk "$T"
expect_error "a --share that is not a directory" 1 "not a directory" \
	run --machine pseries --kernel "$G64/vmlinux" --share "$T/d.img,tag=x"

finish
