#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs every test: unit tests and guest tests, in the normal build, under
# AddressSanitizer + UBSan and with the portable FPU, the QEMU differential checks, and the
# Linux tests.
# Prints "N passed, N failed" last; exits non-zero on any failure. A step that cannot run
# here (the 64-bit QEMU differential without qemu-system-ppc64) says SKIP and counts as neither.
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()
skipped=()

skip() { # skip NAME REASON: a step that cannot run here, neither passed nor failed
	skipped+=("$1: $2")
	echo "SKIP: $1 ($2)"
}

record() { # record NAME STATUS
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS: $1"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL: $1"
	fi
}

make -j2 all guest >/dev/null || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
make -j2 SAN=1 all >/dev/null || { echo "sanitizer build failed"; echo "0 passed, 1 failed"; exit 1; }
# the FPU's portable host arithmetic (src/cpu/fpu_host.h), which hosts other than x86-64 get
make -j2 FPU=portable all >/dev/null || { echo "FPU=portable build failed"; echo "0 passed, 1 failed"; exit 1; }

for build in build build-asan build-fpu-portable; do
	for t in "$build"/tests/unit/test_*; do
		[ -x "$t" ] || continue
		"$t" >"$t.log" 2>&1
		status=$? # before the name's $(...) below, which would reset $?
		record "unit $(basename "$t") ($build)" $status
		[ -s "$t.log" ] && grep -E '^\[  (FAILED|ERROR) ' "$t.log" | sed 's/^/    /'
	done
done

mkdir -p build/logs
scripts/check-tail-calls.py >build/logs/tail-calls.log 2>&1
status=$?
grep -v '^tail calls' build/logs/tail-calls.log | sed 's/^/    /'
record "tail calls only in instruction handlers (scripts/check-tail-calls.py)" $status

tests/install/test_install.sh >build/logs/install.log 2>&1
status=$?
grep -E '^FAIL' build/logs/install.log | sed 's/^/    /'
record "make install; examples/hello.c built with pkg-config (shared and static) runs" $status
scripts/check-abi-names.sh >build/logs/abi-names.log 2>&1
status=$?
grep -v '^every' build/logs/abi-names.log | sed 's/^/    /'
record "every Linux-numbered API name is compared with <linux/kvm.h> (scripts/check-abi-names.sh)" $status
tests/scripts/test_build_guest_args.sh >build/logs/build-guest-args.log 2>&1
status=$?
grep -E '^FAIL' build/logs/build-guest-args.log | sed 's/^/    /'
record "scripts/build-guest.sh: --help and bad command lines (no build)" $status
scripts/check-spdx.sh >build/logs/spdx.log 2>&1
status=$?
sed 's/^/    /' build/logs/spdx.log
record "every source file has its SPDX licence line (scripts/check-spdx.sh)" $status

# The 64-bit core (src/cpu with CPU_WIDTH=64): its symbols renamed in every build, and the
# differential against QEMU's user-mode emulators (tests/diff64/README.md): ~1000 random
# programs on the normal build, ~500 more under the sanitizers.
for build in build build-asan build-fpu-portable; do
	scripts/check-cpu64-syms.sh "$build" >build/logs/cpu64-syms-$build.log 2>&1
	status=$?
	grep FAIL build/logs/cpu64-syms-$build.log | sed 's/^/    /'
	record "the 64-bit core's symbols are all cpu64_ ($build)" $status
done
tests/diff64/check_table.py >build/logs/check-table.log 2>&1
status=$?
grep -v 'entries checked' build/logs/check-table.log | head -20 | sed 's/^/    /'
record "the 64-bit core's VMX and VSX table entries decode what binutils assembles" $status
tests/diff64/diff64.py --cases 400 --seed 1 >build/logs/diff64.log 2>&1
status=$?
grep -E '^(DIFFER|mode|  )' build/logs/diff64.log | head -40 | sed 's/^/    /'
record "64-bit core agrees with qemu-ppc64le, qemu-ppc64 and qemu-ppc (1200 programs)" $status
tests/diff64/diff64.py --cases 200 --seed 2 --run64 build-asan/tests/diff64/run64 \
	>build/logs/diff64-asan.log 2>&1
status=$?
grep -E '^(DIFFER|mode|  )' build/logs/diff64-asan.log | head -40 | sed 's/^/    /'
record "64-bit core agrees with QEMU under the sanitizers (600 programs, build-asan)" $status

# The core dispatches by tail calls: a stack that grows with guest work is a bug. A 1 MiB
# stack (not the usual 8) makes one show up as a crash within these tests.
SMALL_STACK="ulimit -s 1024"
# The fuzz driver fails when its guests run (next to) nothing, and names an input that hangs.
build-asan/tests/fuzz/fuzz_standalone 300 >build/logs/fuzz.log 2>&1
status=$?
grep -E 'trapped|FAIL|still runs' build/logs/fuzz.log | sed 's/^/    /'
record "fuzz harness, 300 random programs (build-asan)" $status
build-asan/tests/fuzz/fuzz_loader_standalone 2000 >build/logs/fuzz-loader.log 2>&1
status=$?
grep -E 'FAIL|^fuzz_loader:|ERROR|runtime error' build/logs/fuzz-loader.log | sed 's/^/    /'
record "loader/DTB fuzz, 2000 mutated ELF files and device trees (build-asan)" $status
build-asan/tests/fuzz/fuzz_virtq_standalone 3000 >build/logs/fuzz-virtq.log 2>&1
status=$?
record "virtqueue fuzz harness, 3000 hostile rings (build-asan)" $status
build-asan/tests/fuzz/fuzz_p9_standalone 3000 >build/logs/fuzz-p9.log 2>&1
status=$?
record "9P server fuzz harness, 3000 hostile message sequences (build-asan)" $status
build-asan/tests/fuzz/fuzz_virtq_standalone 3000 0x626c6b blk >build/logs/fuzz-blk.log 2>&1
status=$?
record "virtio-blk fuzz harness, 3000 hostile requests (build-asan)" $status
build-asan/tests/fuzz/fuzz_vsock_standalone 3000 >build/logs/fuzz-vsock.log 2>&1
status=$?
grep -E 'FAIL|fuzz_vsock:|ERROR|runtime error' build/logs/fuzz-vsock.log | sed 's/^/    /'
record "virtio-vsock fuzz harness, 3000 packet and host-socket scripts (build-asan)" $status
build-asan/tests/fuzz/fuzz_papr_standalone 2000 >build/logs/fuzz-papr.log 2>&1
status=$?
grep -E 'FAIL|fuzz_papr:|ERROR|runtime error' build/logs/fuzz-papr.log | sed 's/^/    /'
record "Book3S HPT hcall/SLB/translation fuzz harness, 2000 scripts (build-asan)" $status
build-asan/tests/fuzz/fuzz_vmm_papr_standalone 2000 >build/logs/fuzz-vmm-papr.log 2>&1
status=$?
grep -E 'FAIL|fuzz_vmm_papr:|ERROR|runtime error' build/logs/fuzz-vmm-papr.log | sed 's/^/    /'
record "VMM PAPR fuzz harness, 2000 hostile hypercall, RTAS and interrupt sequences (build-asan)" $status
for build in build build-asan build-fpu-portable; do
	stack=$SMALL_STACK
	[ "$build" = build-asan ] && stack=true # sanitizer frames are large; keep 8 MiB there
	(eval "$stack"; SOFTKVM="$build/softkvm" tests/guest/run.sh build/guest/*.elf) \
		>build/logs/guest-$build.log 2>&1
	status=$?
	grep -E '^(FAIL|TIMEOUT|CRASH)' build/logs/guest-$build.log | sed 's/^/    /'
	record "guest tests ($build)" $status
	SOFTKVM="$build/softkvm" tests/guest/virtio_blk.sh build/guest/virtio_blk.elf \
		>build/logs/guest-blk-$build.log 2>&1
	status=$?
	grep -E '^FAIL' build/logs/guest-blk-$build.log | sed 's/^/    /'
	record "guest virtio-blk round trip on a disk, image bytes checked ($build)" $status
done

# 64-bit programs on the Book3S PR hypervisor through the bare-metal runner (tests/guest64)
for build in build build-asan build-fpu-portable; do
	RUNNER="$build/tests/guest64/runner" tests/guest64/run.sh build/guest64/*.bin \
		>build/logs/guest64-$build.log 2>&1
	status=$?
	grep -E '^(FAIL|    not ok)' build/logs/guest64-$build.log | sed 's/^/    /'
	record "Book3S PR guest programs ($build)" $status
done

# A bare-metal program for QEMU's pseries, unchanged on the pseries board (tests/pseries)
for build in build build-asan; do
	SOFTKVM="$build/softkvm" tests/pseries/run.py >build/logs/pseries-$build.log 2>&1
	status=$?
	grep -E '^FAIL' build/logs/pseries-$build.log | sed 's/^/    /'
	record "pseries bare-metal program, softkvm and qemu-system-ppc64 ($build)" $status
done

for build in build build-asan; do
	nrss=0; [ "$build" = build-asan ] && nrss=1
	HOSTILE_NO_RSS=$nrss SOFTKVM="$build/softkvm" tests/hostile/run.sh build/hostile/*.elf \
		>build/logs/hostile-$build.log 2>&1
	status=$?
	grep -E '^FAIL' build/logs/hostile-$build.log | sed 's/^/    /'
	record "hostile guests end as expected ($build)" $status
	tests/hostile/stop_storm.py "$build/softkvm" build/hostile/itlb_storm.elf \
		>build/logs/stop-storm-$build.log 2>&1
	status=$?
	grep -E '^FAIL' build/logs/stop-storm-$build.log | sed 's/^/    /'
	record "Ctrl-A x, SIGINT, SIGTERM, --timeout end an exception storm ($build)" $status
done

tests/guest/diff-qemu.sh build/guest/*.elf >build/logs/diff-qemu.log 2>&1
status=$?
grep -E '^(DIFF|MISMATCH)' build/logs/diff-qemu.log | sed 's/^/    /'
record "guest tests agree with qemu-system-ppc" $status

# The 64-bit programs as pseries ELFs on the board and on qemu-system-ppc64 (tests/guest64)
tests/guest64/diff-qemu.py >build/logs/diff-qemu64.log 2>&1
status=$?
grep -E ': (softkvm|no .# done)' build/logs/diff-qemu64.log | sed 's/^/    /'
name="64-bit programs agree with qemu-system-ppc64 -M pseries -cpu POWER8"
if [ $status -eq 77 ]; then
	skip "$name" "$(sed -n "s/^SKIP: //p" build/logs/diff-qemu64.log)"
else
	record "$name" $status
fi

for t in tests/linux/test_*; do
	[ -x "$t" ] || continue
	(eval "$SMALL_STACK"; "$t") >"build/logs/$(basename "$t").log" 2>&1
	status=$?
	record "linux $(basename "${t%.*}")" $status
done

# The whole Linux boot once more under the sanitizers: memory errors in paths only a real
# kernel exercises (device tree, console, reboot) show up here.
SOFTKVM=build-asan/softkvm tests/linux/test_boot_reboot.sh >build/logs/linux-boot-asan.log 2>&1
record "linux test_boot_reboot (build-asan)" $?
# The virtio device threads, irqfd thread and their shutdown under the sanitizers.
SOFTKVM=build-asan/softkvm tests/linux/test_virtio.py >build/logs/linux-virtio-asan.log 2>&1
record "linux test_virtio (build-asan)" $?
# The 9P server under a real v9fs client, under the sanitizers.
SOFTKVM=build-asan/softkvm tests/linux/test_share.py >build/logs/linux-share-asan.log 2>&1
record "linux test_share (build-asan)" $?
SOFTKVM=build-asan/softkvm tests/linux/test_blk.py >build/logs/linux-blk-asan.log 2>&1
status=$?
record "linux test_blk (build-asan)" $status
# The pseries board (PR hypervisor, PAPR hypercalls, RTAS, XICS, virtio-pci) under the sanitizers.
SOFTKVM=build-asan/softkvm tests/linux/test_pseries_boot.py >build/logs/linux-pseries-asan.log 2>&1
record "linux test_pseries_boot (build-asan)" $?
# Every virtio device as a virtio-pci function under the pseries kernel, under the sanitizers.
SOFTKVM=build-asan/softkvm tests/linux/test_pseries_virtio.py >build/logs/linux-pseries-virtio-asan.log 2>&1
record "linux test_pseries_virtio (build-asan)" $?
# The vsock device's epoll set and host sockets on its thread, under the sanitizers.
SOFTKVM=build-asan/softkvm tests/linux/test_vsock.py >build/logs/linux-vsock-asan.log 2>&1
record "linux test_vsock (build-asan)" $?

for f in "${failures[@]}"; do echo "failed: $f"; done
for s in "${skipped[@]}"; do echo "skipped: $s"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
