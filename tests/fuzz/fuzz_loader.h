/* SPDX-License-Identifier: MIT */
#ifndef SOFTKVM_FUZZ_LOADER_H
#define SOFTKVM_FUZZ_LOADER_H
#include <stddef.h>
#include <stdint.h>

/* What an input is fed to: its first byte's low bits (see fuzz_loader.c). */
enum fuzz_loader_target {
	FUZZ_LOADER_ELF = 0, /* the kernel ELF loader (vmm_elf_load) */
	FUZZ_LOADER_DTB = 1, /* --dtb: read and check the blob, edit /chosen, pack */
};
#define FUZZ_LOADER_NO_INITRD  2u /* --dtb without --initrd: /chosen loses the initrd */
/* With FUZZ_LOADER_ELF: pseries' loader (64-bit, either byte order, placed at
 * FUZZ_ELF64_BASE + (p_paddr & FUZZ_ELF64_MASK), as QEMU's spapr) instead of the 440's */
#define FUZZ_LOADER_ELF64      2u
#define FUZZ_ELF64_MASK	       0x0fffffffu
#define FUZZ_ELF64_BASE	       0x4000u
#define FUZZ_LOADER_NO_CMDLINE 4u /* --dtb without --append: bootargs stays as it was */

/* Feeds data[1..] to the target data[0] selects. Returns 0 if the file was accepted, or
 * the negative errno it was refused with. A file accepted with a wrong result, a refusal
 * with an undocumented errno or no message, or a RAM write by a refused kernel aborts with
 * a message; memory errors show through the sanitizers. */
int fuzz_loader_run(const uint8_t *data, size_t size);

/* The valid files the mutations start from, written to buf (cap bytes: 4096 suffice);
 * each returns its size. The ELF is a 32-bit big-endian PowerPC executable with a text
 * segment linked high and loaded low (as vmlinux), a data segment with bss and a note;
 * the DTB a small board tree with a memory reservation, phandles and /chosen. */
size_t fuzz_loader_seed_elf(uint8_t *buf, size_t cap);
/* The same layout as a 64-bit little-endian one (ppc64le vmlinux: linked at
 * 0xc000000000000000, physical addresses from 0). */
size_t fuzz_loader_seed_elf64(uint8_t *buf, size_t cap);
size_t fuzz_loader_seed_dtb(uint8_t *buf, size_t cap);
#endif
