#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input to `softkvm run`: each case must end with one clear line on stderr ("softkvm: ..."),
# nothing on stdout and the documented non-zero exit status (1 error, 2 usage error), never a
# guest run. Also: --dump-dtb writes a tree libfdt and dtc accept, --dtb boots with it (the
# guest finds the blob at r3), a panic-free tiny guest ends with status 0.
#
# Files that are not regular files (a FIFO without a writer, /dev/zero, a directory) are refused
# at once, sizes before reading; SIGINT and SIGTERM end softkvm while it sets up; an entry point
# outside the segments is warned about once.
#
# Needs no guest images: the kernels are made here (a 15-instruction PowerPC ELF that checks the
# device tree's magic at r3, prints Y or N on UART0 and resets; truncated copies; the host's
# own x86-64 /bin/true; a text file). usage: test_bad_input.sh (env: SOFTKVM)
set -u
NEED_GUESTS=0
# shellcheck source=tests/linux/lib.sh
. "$(dirname "$0")/lib.sh"
T=$TMPDIR_TEST

# A tiny guest: r6 = *(r3); prints "Y" if it is the FDT magic 0xd00dfeed, else "N"; then
# mtspr DBCR0 with a system reset, the way Linux's 44x reboot ends.
# A second copy with 32 MiB of bss ends beyond 0x1800000: the tree and initrd move up.
# A third copy starts at 0x3000, outside its segment: a warning, once (not at every reset).
python3 - "$T/tiny.elf" "$T/big-bss.elf" "$T/entry-outside.elf" <<'EOF'
import struct, sys
def D(op, rt, ra, d): return (op << 26) | (rt << 21) | (ra << 16) | (d & 0xffff)
def mtspr(spr, rs): return (31 << 26) | (rs << 21) | (((spr & 31) << 5 | spr >> 5) << 11) | (467 << 1)
code = [D(32, 6, 3, 0), D(15, 7, 0, 0xd00d), D(24, 7, 7, 0xfeed),
        (31 << 26) | (6 << 16) | (7 << 11),               # cmpw r6,r7
        D(15, 3, 0, 0xef60), D(24, 3, 3, 0x0300),         # r3 = UART0
        D(14, 4, 0, ord("N")), (16 << 26) | (4 << 21) | (2 << 16) | 8, D(14, 4, 0, ord("Y")),
        D(38, 4, 3, 0), D(14, 4, 0, 10), D(38, 4, 3, 0),  # stb r4; stb '\n'
        D(15, 5, 0, 0x3000), mtspr(308, 5), 0x48000000]   # DBCR0 = 0x30000000; b .
text = b"".join(struct.pack(">I", w) for w in code)
ehdr = struct.pack(">16sHHIIIIIHHHHHH", b"\x7fELF\x01\x02\x01" + b"\0" * 9,
                   2, 20, 1, 0x1000, 52, 0, 0, 52, 32, 1, 40, 0, 0)  # EXEC, PPC, entry 0x1000
phdr = struct.pack(">IIIIIIII", 1, 0x100, 0x1000, 0x1000, len(text), len(text), 5, 4)
open(sys.argv[1], "wb").write(ehdr + phdr + b"\0" * (0x100 - 52 - 32) + text)
phdr = struct.pack(">IIIIIIII", 1, 0x100, 0x1000, 0x1000, len(text), 0x2000000, 7, 4)
open(sys.argv[2], "wb").write(ehdr + phdr + b"\0" * (0x100 - 52 - 32) + text)
phdr = struct.pack(">IIIIIIII", 1, 0x100, 0x1000, 0x1000, len(text), len(text), 5, 4)
ehdr = ehdr[:24] + struct.pack(">I", 0x3000) + ehdr[28:]
open(sys.argv[3], "wb").write(ehdr + phdr + b"\0" * (0x100 - 52 - 32) + text)
EOF
TINY=$T/tiny.elf

# --- the tiny guest itself, --dump-dtb, --dtb ---
out=$(timeout 20 "$SOFTKVM" run --kernel "$TINY" --no-reboot </dev/null 2>"$T/err")
status=$?
if [ "$status" = 0 ] && [ "$out" = Y ] && [ ! -s "$T/err" ]; then
	ok "the tiny guest finds a device tree at r3 and resets: status 0"
else
	fail "the tiny guest: status $status, output '$out', stderr: $(head -c 300 "$T/err")"
fi

if timeout 20 "$SOFTKVM" run --kernel "$TINY" --append "console=ttyS0" --dump-dtb "$T/board.dtb" \
	</dev/null >"$T/out" 2>"$T/err" && [ -s "$T/board.dtb" ] && [ ! -s "$T/out" ] &&
	[ ! -s "$T/err" ]; then
	ok "--dump-dtb writes the tree and exits 0"
else
	fail "--dump-dtb: $(cat "$T/err")"
fi
if command -v dtc >/dev/null; then
	if dtc -I dtb -O dts -o "$T/board.dts" "$T/board.dtb" 2>/dev/null &&
		grep -q 'compatible = "amcc,bamboo"' "$T/board.dts" &&
		grep -q 'bootargs = "console=ttyS0"' "$T/board.dts" &&
		grep -q 'compatible = "ibm,uic-440ep\\0ibm,uic"' "$T/board.dts" &&
		grep -q 'serial@ef600300' "$T/board.dts" &&
		grep -q 'hcall-instructions' "$T/board.dts"; then
		ok "dtc decompiles the dumped tree: bamboo, UIC0, UART0, bootargs, /hypervisor"
	else
		fail "dtc on the dumped tree"
	fi
fi
out=$(timeout 20 "$SOFTKVM" run --kernel "$TINY" --dtb "$T/board.dtb" --no-reboot </dev/null 2>"$T/err")
status=$?
if [ "$status" = 0 ] && [ "$out" = Y ]; then
	ok "--dtb with a valid blob: the guest finds it at r3, status 0"
else
	fail "--dtb with a valid blob: status $status, output '$out', $(head -c 300 "$T/err")"
fi

# A kernel that ends at 0x2001000: the tree follows it (r3), the initrd follows the tree.
head -c 5000 /dev/urandom >"$T/small.initrd"
out=$(timeout 20 "$SOFTKVM" run --kernel "$T/big-bss.elf" --initrd "$T/small.initrd" --no-reboot \
	</dev/null 2>"$T/err")
status=$?
if [ "$status" = 0 ] && [ "$out" = Y ]; then
	ok "a kernel beyond 0x1800000: the guest finds the tree after it at r3, status 0"
else
	fail "a kernel beyond 0x1800000: status $status, output '$out', $(head -c 300 "$T/err")"
fi
if command -v dtc >/dev/null; then
	"$SOFTKVM" run --kernel "$T/big-bss.elf" --initrd "$T/small.initrd" --dump-dtb "$T/big.dtb" \
		</dev/null >/dev/null 2>&1
	if dtc -I dtb -O dts "$T/big.dtb" 2>/dev/null | grep -q 'linux,initrd-start = <0x2002000>' &&
		dtc -I dtb -O dts "$T/big.dtb" 2>/dev/null | grep -q 'linux,initrd-end = <0x2003388>'; then
		ok "a kernel beyond 0x1800000: the initrd goes to the first page after the tree"
	else
		fail "a kernel beyond 0x1800000: initrd placement"
		dtc -I dtb -O dts "$T/big.dtb" 2>/dev/null | grep initrd | sed 's/^/    /'
	fi
fi
expect_error "a kernel larger than RAM" 1 "outside RAM \(32 MiB\)" run --kernel "$T/big-bss.elf" --memory 32M

# --- the kernel ---
expect_error "missing kernel" 1 "cannot open .*No such file" run --kernel "$T/nonexistent"
head -c 30 "$TINY" >"$T/short.elf"
expect_error "kernel truncated in its ELF header" 1 \
	"short.elf: the ELF header extends past the end of the file \(52 bytes > file size 30\)" \
	run --kernel "$T/short.elf"
head -c 70 "$TINY" >"$T/phdr.elf"
expect_error "kernel truncated in its program headers" 1 \
	"phdr.elf: the program headers extend past the end of the file \(offset 52 \+ 1 x 32 bytes > file size 70\)" \
	run --kernel "$T/phdr.elf"
head -c 300 "$TINY" >"$T/cut.elf"
expect_error "kernel truncated in its code" 1 \
	"cut.elf: program header 0 extends past the end of the file \(offset 256 \+ size 60 > file size 300\)" \
	run --kernel "$T/cut.elf"
expect_error "x86-64 kernel" 1 "not 32-bit big-endian PowerPC" run --kernel "$(type -P true)"
echo "this is not a kernel" >"$T/text"
expect_error "text file as kernel" 1 "not an ELF file" run --kernel "$T/text"
: >"$T/empty"
expect_error "empty kernel" 1 "not an ELF file" run --kernel "$T/empty"

# --- files that are not regular files: refused at once, before reading (issue 8, defect 6) ---
mkfifo "$T/fifo"
BOUND=5 # a FIFO without a writer must not be waited on
expect_error "a FIFO without a writer as kernel" 1 "fifo: a FIFO, not a regular file" run --kernel "$T/fifo"
expect_error "a FIFO as initrd" 1 "fifo: a FIFO, not a regular file" \
	run --kernel "$TINY" --initrd "$T/fifo"
expect_error "a FIFO as --dtb" 1 "fifo: a FIFO, not a regular file" run --kernel "$TINY" --dtb "$T/fifo"
# /dev/zero never ends: it was read up to 1 GiB (or 1 MiB for --dtb) before being refused.
expect_error "/dev/zero as kernel" 1 "/dev/zero: a character device, not a regular file" \
	run --kernel /dev/zero
expect_error "/dev/zero as initrd" 1 "/dev/zero: a character device, not a regular file" \
	run --kernel "$TINY" --initrd /dev/zero
expect_error "/dev/zero as --dtb" 1 "/dev/zero: a character device, not a regular file" \
	run --kernel "$TINY" --dtb /dev/zero
BOUND=20
expect_error "a directory as kernel" 1 "$T: a directory, not a regular file" run --kernel "$T"
expect_error "a directory as initrd" 1 "$T: a directory, not a regular file" \
	run --kernel "$TINY" --initrd "$T"
expect_error "a directory as --dtb" 1 "$T: a directory, not a regular file" \
	run --kernel "$TINY" --dtb "$T"
# Sizes are checked before reading (sparse files: nothing is read).
truncate -s 2G "$T/huge.elf"
expect_error "a kernel file above 1 GiB" 1 \
	"huge.elf: 2 GiB is more than the largest kernel file accepted \(1 GiB\)" run --kernel "$T/huge.elf"
truncate -s 2M "$T/big.dtb"
expect_error "a --dtb above 1 MiB" 1 \
	"big.dtb: 2 MiB is more than the largest device tree blob accepted \(1 MiB\)" \
	run --kernel "$TINY" --dtb "$T/big.dtb"

# Before the guest runs SIGINT and SIGTERM end softkvm at once, with the run's statuses
# (--dump-dtb into a FIFO nobody reads waits in open(2); it was unkillable but by SIGKILL).
for sig in INT TERM; do
	"$SOFTKVM" run --kernel "$TINY" --dump-dtb "$T/fifo" </dev/null >"$T/out" 2>"$T/err" &
	pid=$!
	# Until it waits for a reader (the kernel's wait_for_partner), at most 5 s.
	for _ in $(seq 50); do
		[ "$(cat "/proc/$pid/wchan" 2>/dev/null)" = wait_for_partner ] && break
		sleep 0.1
	done
	kill -"$sig" "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid"
	status=$?
	want=$([ "$sig" = INT ] && echo 130 || echo 143)
	if [ "$status" = "$want" ] && [ "$(cat "$T/err")" = "softkvm: interrupted by SIG$sig" ]; then
		ok "SIG$sig while setting up (--dump-dtb into a FIFO): status $status, one message"
	else
		fail "SIG$sig while setting up: status $status (want $want), stderr: $(head -c 200 "$T/err")"
	fi
done

# --- the entry point ---
timeout 20 "$SOFTKVM" run --kernel "$T/entry-outside.elf" --timeout 0.3 </dev/null >"$T/out" 2>"$T/err"
status=$?
n=$(grep -c "entry point 0x00003000 is outside the loaded segments" "$T/err")
if [ "$status" = 4 ] && [ "$n" = 1 ]; then
	ok "an entry point outside the segments: warned once, the guest runs (status 4 at --timeout)"
else
	fail "an entry point outside the segments: status $status, warned $n times"
	sed 's/^/    stderr| /' "$T/err" | head -5
fi

# --- the initrd ---
expect_error "missing initrd" 1 "cannot open .*No such file" run --kernel "$TINY" --initrd "$T/nonexistent"
truncate -s 40M "$T/big.img"
expect_error "initrd larger than RAM" 1 "big.img: 40 MiB is more than guest RAM \(32 MiB\)" \
	run --kernel "$TINY" --initrd "$T/big.img" --memory 32M
truncate -s 31M "$T/big.img"
expect_error "initrd too large for the RAM above the tree" 1 \
	"big.img \(31 MiB\) does not fit in 32 MiB of RAM above 0x01900000" \
	run --kernel "$TINY" --initrd "$T/big.img" --memory 32M
expect_error "empty initrd" 1 "empty initrd" run --kernel "$TINY" --initrd "$T/empty"

# --- memory ---
expect_error "--memory too small" 1 "memory size 16 MiB: the ppc440 board takes 32 MiB to 2 GiB" \
	run --kernel "$TINY" --memory 16M
expect_error "--memory too large" 1 "memory size 4 GiB: the ppc440 board takes 32 MiB to 2 GiB" \
	run --kernel "$TINY" --memory 4G
expect_error "--memory not whole MiB" 1 "the ppc440 board takes 32 MiB to 2 GiB in whole MiB" \
	run --kernel "$TINY" --memory 50000000
expect_error "--memory malformed" 2 "bad memory size 'lots'" run --kernel "$TINY" --memory lots
expect_error "--memory zero" 2 "bad memory size '0'" run --kernel "$TINY" --memory 0
expect_error "--memory negative" 2 "bad memory size '-1M'" run --kernel "$TINY" --memory=-1M

# --- --share ---
expect_error "--share on a regular file" 1 "shared directory $T/empty: not a directory" \
	run --kernel "$TINY" --share "$T/empty,tag=t"
expect_error "--share on a missing directory" 1 "shared directory $T/nonexistent: No such file" \
	run --kernel "$TINY" --share "$T/nonexistent,tag=t"
expect_error "--share without a tag" 2 "--share '$T': tag=T is required" run --kernel "$TINY" --share "$T"
expect_error "--share with an unknown option" 2 "unknown option 'rw'" \
	run --kernel "$TINY" --share "$T,tag=t,rw"

# --- the device tree ---
expect_error "--dtb that is not a tree" 1 "tiny.elf: not a valid device tree blob \(libfdt: FDT_ERR_BADMAGIC" \
	run --kernel "$TINY" --dtb "$TINY"
head -c 200 "$T/board.dtb" >"$T/cut.dtb"
expect_error "--dtb truncated" 1 "cut.dtb: not a valid device tree blob \(libfdt: " \
	run --kernel "$TINY" --dtb "$T/cut.dtb"
expect_error "--dtb empty" 1 "not a valid device tree blob" run --kernel "$TINY" --dtb "$T/empty"
expect_error "--dtb missing" 1 "cannot open .*No such file" run --kernel "$TINY" --dtb "$T/nonexistent"
expect_error "--dump-dtb to a missing directory" 1 "cannot create $T/no/such/dir.dtb" \
	run --kernel "$TINY" --dump-dtb "$T/no/such/dir.dtb"

# --- the command line ---
expect_error "unknown option" 2 "run: unknown option '--bogus'" run --kernel "$TINY" --bogus
expect_error "unknown short option" 2 "run: unknown option '-q'" run --kernel "$TINY" -q
expect_error "unknown option before the command" 2 "unknown option '--bogus'" --bogus
expect_error "unknown command" 2 "unknown command 'boot'" boot
expect_error "no command" 2 "missing command"
expect_error "no --kernel" 2 "run: --kernel FILE is required" run
expect_error "option without its argument" 2 "option '--initrd' needs an argument" run --kernel "$TINY" --initrd
expect_error "stray argument" 2 "unexpected argument 'extra'" run --kernel "$TINY" extra
expect_error "bad --timeout" 2 "bad timeout 'soon'" run --kernel "$TINY" --timeout soon
long=$(head -c 3000 /dev/zero | tr '\0' 'x')
expect_error "kernel command line too long" 1 "kernel command line of 3000 bytes: Linux takes at most 2047" \
	run --kernel "$TINY" --append "$long"

# --- --vsock (test_vsock.py has more) ---
expect_error "--vsock CID 2 (the host's)" 2 "--vsock '2': the guest CID must be a number from 3 to 4294967294" \
	run --kernel "$TINY" --vsock 2
expect_error "--vsock CID 2^32-1" 2 "the guest CID must be a number from 3 to 4294967294" \
	run --kernel "$TINY" --vsock 4294967295
expect_error "--vsock on a regular file" 1 "--vsock: $T/text exists and is not a socket" \
	run --kernel "$TINY" --vsock "3,uds=$T/text"
expect_error "--vsock where it cannot bind" 1 "--vsock: cannot bind $T/no/v.sock: No such file or directory" \
	run --kernel "$TINY" --vsock "3,uds=$T/no/v.sock"

# --- the help texts name every option ---
help=$("$SOFTKVM" run --help)
missing=""
for opt in --kernel --initrd --append --dtb --dump-dtb --memory --no-reboot --stats --timeout \
	--verbose --help --disk --net --share --vsock; do
	grep -q -- "$opt" <<<"$help" || missing="$missing $opt"
done
if [ -z "$missing" ] && "$SOFTKVM" --help | grep -q "softkvm run --help"; then
	ok "softkvm --help and softkvm run --help document every option"
else
	fail "help texts: missing$missing"
fi

finish
