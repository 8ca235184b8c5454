/* SPDX-License-Identifier: MIT */
/* Kernel loading: PowerPC ELF executables -- 32-bit big-endian ones for the 440, 64-bit ones
 * of either byte order for pseries -- placed at their physical addresses (the 440, as QEMU's
 * bamboo) or at a board's translation of them (pseries, as QEMU's spapr); and flat binaries,
 * copied as they are to one address.
 *
 * Errors (negative errno; the message in struct vmm_err names the file):
 *   -ENOEXEC  "not an ELF file"
 *   -ENOTSUP  an ELF, but not of a kind the board accepts (class, byte order, machine):
 *             "not 32-bit big-endian PowerPC", "not 64-bit PowerPC", or not an executable
 *             (relocatable objects, core files)
 *   -EBADMSG  what "extends past the end of the file" (the ELF header, the program headers,
 *             program header N's data: offset + size > file size), or inconsistent headers
 *             (program header size, file size above memory size)
 *   -ENOENT   "places nothing in RAM": no PT_LOAD segment with a non-zero size
 *   -ERANGE   "segment 0x...-0x... outside RAM (256 MiB)"
 *   and those of vmm_read_file for the file itself.
 * Every segment is checked before the first byte is written, so a rejected file leaves guest
 * RAM untouched.
 */
#ifndef VMM_LOADER_H
#define VMM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ram.h"

/* The kinds of ELF a board accepts (a mask) and the one loaded. */
enum vmm_elf_kind {
	VMM_ELF_PPC32_BE = 1u << 0, /* ELFCLASS32, ELFDATA2MSB, EM_PPC: the 440 */
	VMM_ELF_PPC64_BE = 1u << 1, /* ELFCLASS64, ELFDATA2MSB, EM_PPC64 */
	VMM_ELF_PPC64_LE = 1u << 2, /* ELFCLASS64, ELFDATA2LSB, EM_PPC64: ppc64le Linux */
};
#define VMM_ELF_PPC64 (VMM_ELF_PPC64_BE | VMM_ELF_PPC64_LE)

struct vmm_elf_info {
	uint64_t entry;	      /* guest-physical entry point (see vmm_elf_load) */
	uint64_t low, high;   /* guest-physical range loaded: [low, high) */
	unsigned nr_segments; /* PT_LOAD segments placed */
	bool entry_loaded;    /* entry is inside a placed segment (else the caller warns) */
	enum vmm_elf_kind kind; /* what was loaded; 0 for a flat binary */
};

/* Loads an ELF image held in memory; name is used in messages. The entry is e_entry, except
 * that, like QEMU's load_elf, an entry inside an executable segment whose virtual and physical
 * addresses differ is translated to the physical address (Linux's vmlinux is linked at
 * 0xc0000000 and loaded at 0). */
VMM_MUST_CHECK int vmm_elf_load(const uint8_t *image, size_t size, const char *name,
				const struct vmm_ram *ram, struct vmm_elf_info *info,
				struct vmm_err *err);

/* Where a board puts an ELF's segments: at (p_paddr & mask) + base (and the entry so
 * translated too). The 440: mask ~0, base 0. QEMU's spapr: mask 0x0fffffff, base 0x400000
 * (its translate_kernel_address). */
struct vmm_elf_place {
	unsigned accept; /* enum vmm_elf_kind bits */
	uint64_t mask, base;
};

/* vmm_elf_load with the kinds accepted and the placement given; vmm_elf_load is this with
 * {VMM_ELF_PPC32_BE, ~0, 0}. */
VMM_MUST_CHECK int vmm_elf_load_placed(const uint8_t *image, size_t size, const char *name,
				       const struct vmm_elf_place *place,
				       const struct vmm_ram *ram, struct vmm_elf_info *info,
				       struct vmm_err *err);

/* Does the image start with the ELF magic? (A board that takes flat binaries too asks.) */
bool vmm_is_elf(const uint8_t *image, size_t size);

/* A flat binary: size bytes copied to addr, entered at addr (info->kind 0, one "segment").
 * -ENOENT for an empty file, -ERANGE "... outside RAM" as for an ELF. */
VMM_MUST_CHECK int vmm_flat_load(const uint8_t *image, size_t size, const char *name,
				 uint64_t addr, const struct vmm_ram *ram,
				 struct vmm_elf_info *info, struct vmm_err *err);

/* The largest kernel file read: a vmlinux with debug information is far larger than what it
 * loads, so guest RAM is no bound for the file. */
#define VMM_KERNEL_FILE_MAX (1ull << 30)

/* Reads a whole regular file of at most max bytes into a malloc'ed buffer the caller frees;
 * limit names max in the message ("guest RAM": "FILE: 40 MiB is more than guest RAM (32
 * MiB)", -EFBIG). Anything else is refused before a byte is read, without waiting (a FIFO
 * without a writer, /dev/zero, a terminal): "FILE: a FIFO, not a regular file", -EINVAL
 * (-EISDIR for a directory). "cannot open FILE: <strerror>" and -errno if it cannot be
 * opened. */
VMM_MUST_CHECK int vmm_read_file(const char *path, uint64_t max, const char *limit, uint8_t **data,
				 size_t *size, struct vmm_err *err);

/* "256 MiB", "1 GiB", "4 KiB", "100 bytes": for messages. */
const char *vmm_format_size(uint64_t size, char *buf, size_t len);

#endif
