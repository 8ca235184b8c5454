// SPDX-License-Identifier: MIT
/* Fuzz harness for what softkvm does with the files a user hands it: the kernel ELF loader
 * (vmm/loader.c: the 440's 32-bit one and pseries' 64-bit placed one) and the --dtb path (vmm/devtree.c: read and check the blob, edit /chosen,
 * pack it for the guest). Whatever the bytes, each file must be either accepted with the
 * right result or refused with a documented negative errno and a message; never a crash, a
 * leak, undefined behaviour, or a half-loaded kernel.
 *
 * Input layout: one byte whose low bits pick the target and options (fuzz_loader.h), then
 * the file. Built with libFuzzer (`make fuzz`) and as a deterministic standalone program
 * (fuzz_loader_standalone.c) that the test suite runs under AddressSanitizer + UBSan.
 */
#define _GNU_SOURCE
#include "fuzz_loader.h"

#include <elf.h>
#include <errno.h>
#include <libfdt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "byteorder.h"
#include "../elf_image.h"
#include "devtree.h"
#include "loader.h"
#include "log.h"
#include "ram.h"

#define RAM_SIZE     0x10000u /* small, so that mutated addresses often land inside */
#define RAM_FILL     0xa5
#define ELF_NAME     "fuzz.elf"
#define BOOTARGS     "console=ttyS0 root=/dev/ram"
#define INITRD_START 0x01000000u
#define INITRD_END   0x01200000u

/* A broken promise: say which, and abort so that libFuzzer keeps the input. */
static void fuzz_fail(const char *what, int rc, const char *msg)
{
	fprintf(stderr, "fuzz_loader: %s (rc %d: %s; message \"%s\")\n", what, rc,
		strerror(rc < 0 ? -rc : rc), msg);
	abort();
}

/* ---- the ELF loader ---- */

/* A field of either class, in the file's byte order (the reference model's own reader). */
struct ref_fmt {
	bool is64, le;
};
#define REF_GET(f, p, type, field)                                                            \
	((f)->le ? vmm_load_le((p) + ((f)->is64 ? offsetof(Elf64_##type, field)                  \
						 : offsetof(Elf32_##type, field)),                \
			       (f)->is64 ? sizeof(((Elf64_##type *)0)->field)                     \
					 : sizeof(((Elf32_##type *)0)->field))                    \
		 : vmm_load_be((p) + ((f)->is64 ? offsetof(Elf64_##type, field)                  \
						 : offsetof(Elf32_##type, field)),                \
			       (f)->is64 ? sizeof(((Elf64_##type *)0)->field)                     \
					 : sizeof(((Elf32_##type *)0)->field)))

/* What RAM must hold after img was accepted: each PT_LOAD in order, its file bytes then
 * zeros at (p_paddr & mask) + base (a later segment overwrites an earlier one, as the
 * loader's copy does). Returns the number of segments that place something. */
static unsigned elf_expected_ram(const uint8_t *img, size_t size, uint8_t *ram, bool is64,
				 uint64_t mask, uint64_t base)
{
	struct ref_fmt f = {.is64 = is64, .le = img[EI_DATA] == ELFDATA2LSB};
	size_t phsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	uint64_t phoff = REF_GET(&f, img, Ehdr, e_phoff);
	unsigned phnum = (unsigned)REF_GET(&f, img, Ehdr, e_phnum), placed = 0;

	if (phoff > size || (uint64_t)phnum * phsize > size - phoff)
		fuzz_fail("ELF accepted with program headers beyond its end", 0, "");
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (size_t)i * phsize;
		uint64_t off = REF_GET(&f, ph, Phdr, p_offset);
		uint64_t pa = (REF_GET(&f, ph, Phdr, p_paddr) & mask) + base;
		uint64_t filesz = REF_GET(&f, ph, Phdr, p_filesz);
		uint64_t memsz = REF_GET(&f, ph, Phdr, p_memsz);

		if (REF_GET(&f, ph, Phdr, p_type) != PT_LOAD || memsz == 0)
			continue;
		if (filesz > memsz || off > size || filesz > size - off || pa > RAM_SIZE ||
		    memsz > RAM_SIZE - pa)
			fuzz_fail("ELF accepted with a segment beyond its end or RAM's", (int)i,
				  "");
		memcpy(ram + pa, img + off, filesz);
		memset(ram + pa + filesz, 0, memsz - filesz);
		placed++;
	}
	return placed;
}

static int fuzz_elf(const uint8_t *img, size_t size, bool is64)
{
	static const struct vmm_elf_place pseries = {
	    .accept = VMM_ELF_PPC64, .mask = FUZZ_ELF64_MASK, .base = FUZZ_ELF64_BASE};
	static const int documented[] = {-ENOEXEC, -ENOTSUP, -EBADMSG, -ENOENT, -ERANGE};
	struct vmm_err err = {""};
	struct vmm_elf_info info;
	struct vmm_ram ram;
	uint8_t *want;
	int rc = vmm_ram_alloc(&ram, 0, RAM_SIZE);

	if (rc)
		fuzz_fail("cannot allocate guest RAM", rc, "");
	want = malloc(RAM_SIZE);
	if (!want)
		fuzz_fail("out of memory", -ENOMEM, "");
	memset(ram.host, RAM_FILL, RAM_SIZE);
	memset(want, RAM_FILL, RAM_SIZE);

	rc = is64 ? vmm_elf_load_placed(img, size, ELF_NAME, &pseries, &ram, &info, &err)
		  : vmm_elf_load(img, size, ELF_NAME, &ram, &info, &err);
	if (rc == 0) {
		/* Accepted: the headers were sound, so the reference copy may trust them. */
		unsigned placed = is64 ? elf_expected_ram(img, size, want, true, FUZZ_ELF64_MASK,
							  FUZZ_ELF64_BASE)
				       : elf_expected_ram(img, size, want, false, ~0ull, 0);
		if (info.nr_segments != placed || info.low >= info.high || info.high > RAM_SIZE)
			fuzz_fail("ELF accepted with wrong load info", rc, err.msg);
		if (memcmp(ram.host, want, RAM_SIZE) != 0)
			fuzz_fail("ELF accepted but RAM does not hold its segments", rc, err.msg);
	} else {
		bool known = false;
		for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
			known |= rc == documented[i];
		if (!known)
			fuzz_fail("ELF refused with an undocumented errno", rc, err.msg);
		if (!strstr(err.msg, ELF_NAME))
			fuzz_fail("ELF refusal does not name the file", rc, err.msg);
		if (memcmp(ram.host, want, RAM_SIZE) != 0)
			fuzz_fail("a refused ELF wrote to guest RAM", rc, err.msg);
	}
	free(want);
	vmm_ram_free(&ram);
	return rc;
}

/* ---- --dtb ---- */

/* The blob as a file, as --dtb reads it: a memfd, opened again by its /proc path. */
static int dtb_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("fuzz.dtb", MFD_CLOEXEC);

	if (fd < 0)
		fuzz_fail("memfd_create", -errno, "");
	for (size_t done = 0; done < size;) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0)
			fuzz_fail("cannot write the memfd", n < 0 ? -errno : -EIO, "");
		done += (size_t)n;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}

static uint32_t chosen_cell(const void *fdt, const char *prop, int *len)
{
	const fdt32_t *v = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), prop, len);

	return v && *len == 4 ? fdt32_to_cpu(*v) : 0;
}

/* An accepted tree is what the guest gets: it must be a sound tree saying what was set. */
static void dtb_check_result(void *fdt, unsigned flags)
{
	int chosen, len;

	if (fdt_check_full(fdt, fdt_totalsize(fdt)) != 0)
		fuzz_fail("accepted device tree fails fdt_check_full after the edits", 0, "");
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen < 0)
		fuzz_fail("accepted device tree has no /chosen", chosen, "");
	if (!(flags & FUZZ_LOADER_NO_CMDLINE)) {
		const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
		if (!args || len != sizeof(BOOTARGS) || memcmp(args, BOOTARGS, sizeof(BOOTARGS)))
			fuzz_fail("/chosen/bootargs is not what was set", len, "");
	}
	if (!(flags & FUZZ_LOADER_NO_INITRD)) {
		if (chosen_cell(fdt, "linux,initrd-start", &len) != INITRD_START ||
		    chosen_cell(fdt, "linux,initrd-end", &len) != INITRD_END)
			fuzz_fail("/chosen initrd range is not what was set", len, "");
		/* The board moves the initrd after the tree, in place (ppc440_layout). */
		int rc =
		    fdt_setprop_inplace_u32(fdt, chosen, "linux,initrd-start", INITRD_START + 4096);
		if (rc)
			fuzz_fail("cannot move the initrd in place", rc, fdt_strerror(rc));
	} else if (fdt_getprop(fdt, chosen, "linux,initrd-start", &len) ||
		   fdt_getprop(fdt, chosen, "linux,initrd-end", &len)) {
		fuzz_fail("/chosen keeps a stale initrd", 0, "");
	}
}

static int fuzz_dtb(const uint8_t *blob, size_t size, unsigned flags)
{
	struct vmm_fdt_chosen chosen = {
	    .bootargs = flags & FUZZ_LOADER_NO_CMDLINE ? NULL : BOOTARGS,
	    .initrd_start = flags & FUZZ_LOADER_NO_INITRD ? 0 : INITRD_START,
	    .initrd_end = flags & FUZZ_LOADER_NO_INITRD ? 0 : INITRD_END,
	};
	struct vmm_err err = {""};
	char path[64];
	void *fdt;
	int fd = dtb_file(blob, size, path, sizeof(path));
	int rc = vmm_fdt_load(path, &fdt, &err);

	close(fd);
	if (rc) {
		if (rc != -EINVAL && rc != -EFBIG)
			fuzz_fail("--dtb refused with an undocumented errno", rc, err.msg);
		if (!strstr(err.msg, path) || fdt)
			fuzz_fail("--dtb refused without naming the file, or left a tree", rc,
				  err.msg);
		return rc;
	}
	rc = vmm_fdt_set_chosen(fdt, &chosen, &err);
	if (!rc)
		rc = vmm_fdt_finish(fdt, &err);
	if (rc && ((rc != -EINVAL && rc != -ENOSPC) || !err.msg[0]))
		fuzz_fail("editing a --dtb failed without a documented errno and message", rc,
			  err.msg);
	if (!rc)
		dtb_check_result(fdt, flags);
	free(fdt);
	return rc;
}

int fuzz_loader_run(const uint8_t *data, size_t size)
{
	if (size < 1)
		return -EINVAL;
	if ((data[0] & 1) == FUZZ_LOADER_ELF)
		return fuzz_elf(data + 1, size - 1, data[0] & FUZZ_LOADER_ELF64);
	return fuzz_dtb(data + 1, size - 1, data[0]);
}

/* ---- the seeds ---- */

size_t fuzz_loader_seed_elf(uint8_t *buf, size_t cap)
{
	/* type, offset, vaddr, paddr, filesz, memsz, flags */
	static const struct seg segs[] = {
	    {PT_LOAD, 0x100, 0xc0000000, 0x0000, 0x100, 0x100, PF_R | PF_X}, /* text */
	    {PT_LOAD, 0x200, 0xc0002000, 0x2000, 0x40, 0x1000, PF_R | PF_W}, /* data + bss */
	    {PT_NOTE, 0x240, 0, 0, 0x18, 0x18, PF_R},
	    {PT_LOAD, 0x258, 0xc0004000, 0x4000, 0, 0, PF_R}, /* empty: placed nowhere */
	};

	if (cap < 0x258)
		return 0;
	return build_elf(buf, cap, 0xc0000010, segs, sizeof(segs) / sizeof(segs[0]));
}

size_t fuzz_loader_seed_elf64(uint8_t *buf, size_t cap)
{
	static const struct seg64 segs[] = {
	    {PT_LOAD, 0x200, 0xc000000000000000ull, 0x0000, 0x100, 0x100, PF_R | PF_X},
	    {PT_LOAD, 0x300, 0xc000000000002000ull, 0x2000, 0x40, 0x1000, PF_R | PF_W},
	    {PT_NOTE, 0x340, 0, 0, 0x18, 0x18, PF_R},
	    {PT_LOAD, 0x358, 0xc000000000004000ull, 0x4000, 0, 0, PF_R},
	};

	if (cap < 0x358)
		return 0;
	return build_elf64(buf, cap, true, 0xc000000000000010ull, segs,
			   sizeof(segs) / sizeof(segs[0]));
}

size_t fuzz_loader_seed_dtb(uint8_t *buf, size_t cap)
{
	const fdt32_t reg_mem[] = {cpu_to_fdt32(0), cpu_to_fdt32(0x10000000)};
	const fdt32_t reg_uart[] = {cpu_to_fdt32(0xef600300), cpu_to_fdt32(8)};
	const fdt32_t intr[] = {cpu_to_fdt32(0), cpu_to_fdt32(4)};
	int rc = fdt_create(buf, (int)cap);

#define DT(call)                                                                                   \
	do {                                                                                       \
		if (!rc)                                                                           \
			rc = (call);                                                               \
	} while (0)
	DT(fdt_add_reservemap_entry(buf, 0x0ff00000, 0x100000));
	DT(fdt_finish_reservemap(buf));
	DT(fdt_begin_node(buf, ""));
	DT(fdt_property_u32(buf, "#address-cells", 1));
	DT(fdt_property_u32(buf, "#size-cells", 1));
	DT(fdt_property_string(buf, "model", "fuzz,board"));
	DT(fdt_property_string(buf, "compatible", "amcc,bamboo"));
	DT(fdt_begin_node(buf, "cpus"));
	DT(fdt_property_u32(buf, "#address-cells", 1));
	DT(fdt_property_u32(buf, "#size-cells", 0));
	DT(fdt_begin_node(buf, "cpu@0"));
	DT(fdt_property_string(buf, "device_type", "cpu"));
	DT(fdt_property_u32(buf, "reg", 0));
	DT(fdt_property_u32(buf, "timebase-frequency", 400000000));
	DT(fdt_end_node(buf));
	DT(fdt_end_node(buf));
	DT(fdt_begin_node(buf, "memory"));
	DT(fdt_property_string(buf, "device_type", "memory"));
	DT(fdt_property(buf, "reg", reg_mem, sizeof(reg_mem)));
	DT(fdt_end_node(buf));
	DT(fdt_begin_node(buf, "interrupt-controller0"));
	DT(fdt_property_string(buf, "compatible", "ibm,uic"));
	DT(fdt_property(buf, "interrupt-controller", NULL, 0));
	DT(fdt_property_u32(buf, "phandle", 7));
	DT(fdt_end_node(buf));
	DT(fdt_begin_node(buf, "serial@ef600300"));
	DT(fdt_property_string(buf, "compatible", "ns16550"));
	DT(fdt_property(buf, "reg", reg_uart, sizeof(reg_uart)));
	DT(fdt_property_u32(buf, "interrupt-parent", 7));
	DT(fdt_property(buf, "interrupts", intr, sizeof(intr)));
	DT(fdt_end_node(buf));
	DT(fdt_begin_node(buf, "chosen"));
	DT(fdt_property_string(buf, "bootargs", "console=ttyS0"));
	DT(fdt_property_u32(buf, "linux,initrd-start", 0x1900000));
	DT(fdt_property_u32(buf, "linux,initrd-end", 0x1a00000));
	DT(fdt_property_string(buf, "linux,stdout-path", "/serial@ef600300"));
	DT(fdt_end_node(buf));
	DT(fdt_end_node(buf));
	DT(fdt_finish(buf));
#undef DT
	return rc ? 0 : fdt_totalsize(buf);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	vmm_log_set_level(VMM_LOG_ERR); /* a loader warning per input is noise */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)fuzz_loader_run(data, size);
	return 0;
}
