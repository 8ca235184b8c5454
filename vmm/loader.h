/* SPDX-License-Identifier: MIT */
/* Kernel loading: 32-bit big-endian PowerPC ELF executables, placed at their physical
 * addresses as QEMU's bamboo machine does.
 *
 * Errors (negative errno; the message in struct vmm_err names the file):
 *   -ENOEXEC  "not an ELF file"
 *   -ENOTSUP  an ELF, but "not 32-bit big-endian PowerPC" (class, byte order, machine) or
 *             not an executable (relocatable objects, core files)
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

struct vmm_elf_info {
	uint32_t entry;	      /* guest-physical entry point (see vmm_elf_load) */
	uint64_t low, high;   /* guest-physical range loaded: [low, high) */
	unsigned nr_segments; /* PT_LOAD segments placed */
	bool entry_loaded;    /* entry is inside a placed segment (else the caller warns) */
};

/* Loads an ELF image held in memory; name is used in messages. The entry is e_entry, except
 * that, like QEMU's load_elf, an entry inside an executable segment whose virtual and physical
 * addresses differ is translated to the physical address (Linux's vmlinux is linked at
 * 0xc0000000 and loaded at 0). */
VMM_MUST_CHECK int vmm_elf_load(const uint8_t *image, size_t size, const char *name,
				const struct vmm_ram *ram, struct vmm_elf_info *info,
				struct vmm_err *err);

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
