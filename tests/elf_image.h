/* SPDX-License-Identifier: MIT */
/* Small PowerPC executables built in memory, for the loader's unit tests and the seeds of its
 * fuzzer: the ELF header, the program headers right after it, and each segment's file bytes
 * filled with a pattern that tells the segments apart (32-bit: 0x10 + 0x10 * i + b, 64-bit:
 * 0x40 + 0x10 * i + b for byte b of segment i), in a buffer of cap bytes cleared first. They
 * return the file's size: the end of the furthest segment, at least 0x100. */
#ifndef SOFTKVM_TEST_ELF_IMAGE_H
#define SOFTKVM_TEST_ELF_IMAGE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "byteorder.h"

struct seg {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags;
};

struct seg64 {
	uint64_t type, offset, vaddr, paddr, filesz, memsz, flags;
};

/* ELF32, big-endian: the 440's kernels. */
static inline size_t build_elf(uint8_t *buf, size_t cap, uint32_t entry, const struct seg *segs,
			       unsigned n)
{
	size_t size = 0x100;

	memset(buf, 0, cap);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS32;
	buf[EI_DATA] = ELFDATA2MSB;
	buf[EI_VERSION] = EV_CURRENT;
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_type), 2, ET_EXEC);
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_machine), 2, EM_PPC);
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_version), 4, EV_CURRENT);
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_entry), 4, entry);
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_phoff), 4, sizeof(Elf32_Ehdr));
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_ehsize), 2, sizeof(Elf32_Ehdr));
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_phentsize), 2, sizeof(Elf32_Phdr));
	vmm_store_be(buf + offsetof(Elf32_Ehdr, e_phnum), 2, n);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *ph = buf + sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr);

		vmm_store_be(ph + offsetof(Elf32_Phdr, p_type), 4, segs[i].type);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_offset), 4, segs[i].offset);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_vaddr), 4, segs[i].vaddr);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_paddr), 4, segs[i].paddr);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_filesz), 4, segs[i].filesz);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_memsz), 4, segs[i].memsz);
		vmm_store_be(ph + offsetof(Elf32_Phdr, p_flags), 4, segs[i].flags);
		for (uint32_t b = 0; b < segs[i].filesz && segs[i].offset + b < cap; b++)
			buf[segs[i].offset + b] = (uint8_t)(0x10 + i * 0x10 + b);
		if (segs[i].offset + segs[i].filesz > size)
			size = segs[i].offset + segs[i].filesz;
	}
	return size;
}

static inline void elf_put(uint8_t *p, unsigned n, uint64_t v, bool le)
{
	if (le)
		vmm_store_le(p, n, v);
	else
		vmm_store_be(p, n, v);
}

/* ELF64 of either byte order: pseries kernels. */
static inline size_t build_elf64(uint8_t *buf, size_t cap, bool le, uint64_t entry,
				 const struct seg64 *segs, unsigned n)
{
	size_t size = 0x100;

	memset(buf, 0, cap);
	memcpy(buf, ELFMAG, SELFMAG);
	buf[EI_CLASS] = ELFCLASS64;
	buf[EI_DATA] = le ? ELFDATA2LSB : ELFDATA2MSB;
	buf[EI_VERSION] = EV_CURRENT;
	elf_put(buf + offsetof(Elf64_Ehdr, e_type), 2, ET_EXEC, le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_machine), 2, EM_PPC64, le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_version), 4, EV_CURRENT, le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_entry), 8, entry, le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_phoff), 8, sizeof(Elf64_Ehdr), le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_ehsize), 2, sizeof(Elf64_Ehdr), le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_phentsize), 2, sizeof(Elf64_Phdr), le);
	elf_put(buf + offsetof(Elf64_Ehdr, e_phnum), 2, n, le);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *ph = buf + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr);

		elf_put(ph + offsetof(Elf64_Phdr, p_type), 4, segs[i].type, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_flags), 4, segs[i].flags, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_offset), 8, segs[i].offset, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_vaddr), 8, segs[i].vaddr, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_paddr), 8, segs[i].paddr, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_filesz), 8, segs[i].filesz, le);
		elf_put(ph + offsetof(Elf64_Phdr, p_memsz), 8, segs[i].memsz, le);
		for (uint64_t b = 0; b < segs[i].filesz && segs[i].offset < cap &&
				     b < cap - segs[i].offset;
		     b++)
			buf[segs[i].offset + b] = (uint8_t)(0x40 + i * 0x10 + b);
		if (segs[i].offset + segs[i].filesz > size && segs[i].offset < cap)
			size = segs[i].offset + segs[i].filesz;
	}
	return size;
}

#endif
