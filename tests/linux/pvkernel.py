# SPDX-License-Identifier: MIT
"""The guest kernel with its KVM paravirt self-test working, for tests/linux/test_paravirt.py
and bench/linux.py --pv-kernel.

Linux 6.1's kvm_use_magic_page (arch/powerpc/kernel/kvm.c) checks the magic page it has just
had mapped at -4096 with fault_in_readable(), which since Linux 5.16 begins with access_ok():
-4096 is a kernel address, above TASK_SIZE, so the check fails under any hypervisor and the
unmodified kernel never patches its privileged instructions. A copy of vmlinux whose check
goes on as before 5.16 (when it read the page with __get_user) shows what the paravirt
interface does for Linux: the `beq` after the call becomes a `b` over the failure path. The
instruction is found from System.map (kvm_guest_init calls fault_in_readable, then compares
r3 with 0 and branches if equal), so nothing is patched by a fixed offset."""
import os
import struct

CMPWI_R3_0 = 0x2C030000
BEQ_CR0 = 0x41820000  # bc 12,2,target
B = 0x48000000


class PvKernelError(Exception):
    pass


def _symbols(system_map, names):
    found = {}
    with open(system_map) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in names:
                found[parts[2]] = int(parts[0], 16)
    missing = [n for n in names if n not in found]
    if missing:
        raise PvKernelError(f"{system_map} has no {', '.join(missing)}")
    return found


def _file_offset(image, vaddr):
    """File offset of a virtual address in a 32-bit big-endian ELF's loadable segments."""
    if image[:6] != b"\x7fELF\x01\x02":
        raise PvKernelError("vmlinux is not a 32-bit big-endian ELF file")
    phoff, = struct.unpack(">I", image[28:32])
    phentsize, phnum = struct.unpack(">HH", image[42:46])
    for i in range(phnum):
        ptype, offset, va, _, filesz, _, _, _ = struct.unpack(
            ">8I", image[phoff + i * phentsize:phoff + i * phentsize + 32])
        if ptype == 1 and va <= vaddr < va + filesz:
            return offset + vaddr - va
    raise PvKernelError(f"0x{vaddr:08x} is in no loadable segment of vmlinux")


def make(guests, out):
    """Writes the kernel of the guests folder, its self-test fixed, to out; returns the
    patched instruction's address. Raises PvKernelError when it cannot be found."""
    system_map = os.path.join(guests, "System.map")
    if not os.path.isfile(system_map):
        raise PvKernelError(f"no {system_map} (scripts/build-guest.sh writes one)")
    sym = _symbols(system_map, ("kvm_guest_init", "fault_in_readable"))
    with open(os.path.join(guests, "vmlinux"), "rb") as f:
        image = bytearray(f.read())
    start = sym["kvm_guest_init"]
    base = _file_offset(image, start)
    for i in range(0, 0x400, 4):
        word, = struct.unpack(">I", image[base + i:base + i + 4])
        if word & 0xFC000003 != 0x48000001:  # bl
            continue
        disp = word & 0x03FFFFFC
        if disp & 0x02000000:
            disp -= 0x04000000
        if start + i + disp != sym["fault_in_readable"]:
            continue
        cmp_, beq = struct.unpack(">II", image[base + i + 4:base + i + 12])
        if cmp_ != CMPWI_R3_0 or beq & 0xFFFF0003 != BEQ_CR0:
            raise PvKernelError("kvm_guest_init: no cmpwi r3,0 / beq after fault_in_readable")
        target = beq & 0xFFFC
        if target & 0x8000:
            target -= 0x10000
        image[base + i + 8:base + i + 12] = struct.pack(">I", B | (target & 0x03FFFFFC))
        with open(out, "wb") as f:
            f.write(image)
        return start + i + 8
    raise PvKernelError("kvm_guest_init does not call fault_in_readable")
