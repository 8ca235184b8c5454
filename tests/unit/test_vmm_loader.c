// SPDX-License-Identifier: MIT
/* The VMM's ELF loader: accepts what QEMU's bamboo (32-bit) and spapr (64-bit, either byte
 * order; flat binaries) load, rejects everything else with the documented errno and message,
 * and never writes RAM for a rejected file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../vmm/error.c"
#include "../../vmm/loader.c"
#include "../../vmm/log.c"
#include "../elf_image.h"

#define RAM_SIZE 0x10000u

/* pseries' placement, with a base the test RAM holds (QEMU's is 0x400000). */
static const struct vmm_elf_place place64 = {
    .accept = VMM_ELF_PPC64, .mask = 0x0fffffff, .base = 0x8000};

struct fixture {
	uint8_t ram_mem[RAM_SIZE];
	struct vmm_ram ram;
	uint8_t elf[1024];
	size_t size;
	struct vmm_elf_info info;
	struct vmm_err err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	vmm_log_set_level(VMM_LOG_ERR);
	memset(f->ram_mem, 0xaa, sizeof(f->ram_mem));
	f->ram = (struct vmm_ram){.host = f->ram_mem, .gpa = 0, .size = RAM_SIZE};
	/* text: 16 bytes in the file, 32 in memory (bss) */
	struct seg s = {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 32, PF_R | PF_X};
	f->size = build_elf(f->elf, sizeof(f->elf), 0x1004, &s, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static bool ram_untouched(const struct fixture *f)
{
	for (size_t i = 0; i < RAM_SIZE; i++)
		if (f->ram_mem[i] != 0xaa)
			return false;
	return true;
}

static int load(struct fixture *f)
{
	return vmm_elf_load(f->elf, f->size, "kernel.elf", &f->ram, &f->info, &f->err);
}

static void test_good_elf(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(load(f), 0);
	assert_int_equal(f->info.entry, 0x1004);
	assert_int_equal(f->info.low, 0x1000);
	assert_int_equal(f->info.high, 0x1020);
	assert_int_equal(f->info.nr_segments, 1);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(f->ram_mem[0x1000 + i], 0x10 + i);
	for (unsigned i = 16; i < 32; i++)
		assert_int_equal(f->ram_mem[0x1000 + i], 0); /* bss */
	assert_int_equal(f->ram_mem[0xfff], 0xaa);
	assert_int_equal(f->ram_mem[0x1020], 0xaa);
}

/* vmlinux: linked at 0xc0000000, loaded at 0: the entry becomes physical, as in QEMU. */
static void test_virtual_entry_translated(void **state)
{
	struct fixture *f = *state;
	struct seg s = {PT_LOAD, 0x100, 0xc0000000u, 0x2000, 64, 64, PF_R | PF_W | PF_X};

	f->size = build_elf(f->elf, sizeof(f->elf), 0xc0000008u, &s, 1);
	assert_int_equal(load(f), 0);
	assert_int_equal(f->info.entry, 0x2008);
	assert_int_equal(f->ram_mem[0x2000], 0x10);
}

static void test_skips_non_load_and_empty(void **state)
{
	struct fixture *f = *state;
	struct seg s[3] = {
	    {PT_NOTE, 0x100, 0, 0x8000000, 4, 4, PF_R},		/* would be outside RAM */
	    {PT_LOAD, 0x100, 0x9000000, 0x9000000, 0, 0, PF_R}, /* empty */
	    {PT_LOAD, 0x120, 0x3000, 0x3000, 8, 8, PF_R | PF_X},
	};

	f->size = build_elf(f->elf, sizeof(f->elf), 0x3000, s, 3);
	assert_int_equal(load(f), 0);
	assert_int_equal(f->info.nr_segments, 1);
	assert_int_equal(f->ram_mem[0x3000], 0x30);
}

static void expect_error(struct fixture *f, int errnum, const char *msg)
{
	assert_int_equal(load(f), errnum);
	assert_string_equal(f->err.msg, msg);
	assert_true(ram_untouched(f));
}

static void test_not_elf(void **state)
{
	struct fixture *f = *state;

	f->elf[1] = 'X';
	expect_error(f, -ENOEXEC, "kernel.elf: not an ELF file");
	f->size = 2;
	expect_error(f, -ENOEXEC, "kernel.elf: not an ELF file");
}

static void test_wrong_class(void **state)
{
	struct fixture *f = *state;

	f->elf[EI_CLASS] = ELFCLASS64;
	expect_error(f, -ENOTSUP, "kernel.elf: not 32-bit big-endian PowerPC");
}

static void test_wrong_endianness(void **state)
{
	struct fixture *f = *state;

	f->elf[EI_DATA] = ELFDATA2LSB;
	expect_error(f, -ENOTSUP, "kernel.elf: not 32-bit big-endian PowerPC");
}

static void test_wrong_machine(void **state)
{
	struct fixture *f = *state;

	vmm_store_be(f->elf + offsetof(Elf32_Ehdr, e_machine), 2, EM_PPC64);
	expect_error(f, -ENOTSUP, "kernel.elf: not 32-bit big-endian PowerPC");
}

static void test_not_executable(void **state)
{
	struct fixture *f = *state;

	vmm_store_be(f->elf + offsetof(Elf32_Ehdr, e_type), 2, ET_REL);
	expect_error(f, -ENOTSUP, "kernel.elf: not an executable (ELF type 1)");
}

/* Each message says what extends past the end, and by how much. */
static void test_truncated(void **state)
{
	struct fixture *f = *state;
	size_t full = f->size;

	f->size = 40; /* inside the ELF header */
	expect_error(f, -EBADMSG,
		     "kernel.elf: the ELF header extends past the end of the file "
		     "(52 bytes > file size 40)");
	f->size = sizeof(Elf32_Ehdr) + 10; /* inside the program headers */
	expect_error(f, -EBADMSG,
		     "kernel.elf: the program headers extend past the end of the file "
		     "(offset 52 + 1 x 32 bytes > file size 62)");
	f->size = full - 1; /* inside the segment data */
	expect_error(f, -EBADMSG,
		     "kernel.elf: program header 0 extends past the end of the file "
		     "(offset 256 + size 16 > file size 271)");
	f->size = 12; /* inside e_ident */
	expect_error(f, -EBADMSG,
		     "kernel.elf: the ELF header extends past the end of the file "
		     "(52 bytes > file size 12)");
}

/* The caller warns about an entry outside the segments, once: the loader only says so. */
static void test_entry_outside(void **state)
{
	struct fixture *f = *state;
	struct seg s = {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 32, PF_R | PF_X};

	assert_int_equal(load(f), 0);
	assert_true(f->info.entry_loaded);
	f->size = build_elf(f->elf, sizeof(f->elf), 0x1020, &s, 1); /* just past the bss */
	assert_int_equal(load(f), 0);
	assert_int_equal(f->info.entry, 0x1020);
	assert_false(f->info.entry_loaded);
}

static void test_filesz_above_memsz(void **state)
{
	struct fixture *f = *state;
	struct seg s = {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 8, PF_R};

	f->size = build_elf(f->elf, sizeof(f->elf), 0x1000, &s, 1);
	expect_error(f, -EBADMSG, "kernel.elf: segment 0x00001000 has more file data than memory");
}

static void test_bad_phentsize(void **state)
{
	struct fixture *f = *state;

	vmm_store_be(f->elf + offsetof(Elf32_Ehdr, e_phentsize), 2, 40);
	expect_error(f, -EBADMSG, "kernel.elf: bad program header size 40");
}

static void test_nothing_in_ram(void **state)
{
	struct fixture *f = *state;
	struct seg s = {PT_NOTE, 0x100, 0, 0, 4, 4, PF_R};

	f->size = build_elf(f->elf, sizeof(f->elf), 0, &s, 1);
	expect_error(f, -ENOENT, "kernel.elf: places nothing in RAM");
	f->size = build_elf(f->elf, sizeof(f->elf), 0, NULL, 0);
	expect_error(f, -ENOENT, "kernel.elf: places nothing in RAM");
}

static void test_outside_ram(void **state)
{
	struct fixture *f = *state;
	/* the first segment is fine: it must not be written either */
	struct seg s[2] = {
	    {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 16, PF_R | PF_X},
	    {PT_LOAD, 0x110, 0xfff0, 0xfff0, 16, 32, PF_R | PF_W},
	};

	f->size = build_elf(f->elf, sizeof(f->elf), 0x1000, s, 2);
	expect_error(f, -ERANGE, "kernel.elf: segment 0x0000fff0-0x0001000f outside RAM (64 KiB)");

	s[1].paddr = 0xfffffff0u; /* wraps past 4 GiB */
	f->size = build_elf(f->elf, sizeof(f->elf), 0x1000, s, 2);
	expect_error(f, -ERANGE, "kernel.elf: segment 0xfffffff0-0x10000000f outside RAM (64 KiB)");
}

static void test_read_file(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/test_vmm_loader.XXXXXX";
	int fd = mkstemp(path);
	uint8_t *data;
	size_t size;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->elf, f->size), (ssize_t)f->size);
	close(fd);
	assert_int_equal(vmm_read_file(path, RAM_SIZE, "guest RAM", &data, &size, &f->err), 0);
	assert_int_equal(size, f->size);
	assert_memory_equal(data, f->elf, size);
	assert_int_equal(vmm_elf_load(data, size, path, &f->ram, &f->info, &f->err), 0);
	free(data);

	/* The limit is checked before reading; exactly the limit is accepted. */
	assert_int_equal(vmm_read_file(path, f->size - 1, "the limit", &data, &size, &f->err),
			 -EFBIG);
	assert_true(strstr(f->err.msg, ": 272 bytes is more than the limit (271 bytes)"));
	assert_null(data);
	assert_int_equal(vmm_read_file(path, f->size, "the limit", &data, &size, &f->err), 0);
	assert_int_equal(size, f->size);
	free(data);
	unlink(path);

	assert_int_equal(
	    vmm_read_file("/nonexistent/kernel.elf", RAM_SIZE, "guest RAM", &data, &size, &f->err),
	    -ENOENT);
	assert_string_equal(f->err.msg,
			    "cannot open /nonexistent/kernel.elf: No such file or directory");
	assert_null(data);
}

/* Files without an end or a size are refused at once, never read: /dev/zero would be read
 * up to the limit, a FIFO without a writer would block. */
static void test_read_not_regular(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/test_vmm_loader.XXXXXX", fifo[64];
	uint8_t *data;
	size_t size;

	assert_int_equal(vmm_read_file("/dev/zero", RAM_SIZE, "guest RAM", &data, &size, &f->err),
			 -EINVAL);
	assert_string_equal(f->err.msg, "/dev/zero: a character device, not a regular file");
	assert_null(data);

	assert_non_null(mkdtemp(dir));
	assert_int_equal(vmm_read_file(dir, RAM_SIZE, "guest RAM", &data, &size, &f->err), -EISDIR);
	assert_true(strstr(f->err.msg, ": a directory, not a regular file"));

	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(vmm_read_file(fifo, RAM_SIZE, "guest RAM", &data, &size, &f->err),
			 -EINVAL);
	assert_true(strstr(f->err.msg, "/fifo: a FIFO, not a regular file"));
	unlink(fifo);
	rmdir(dir);
}

static int load64(struct fixture *f)
{
	return vmm_elf_load_placed(f->elf, f->size, "vmlinux", &place64, &f->ram, &f->info,
				   &f->err);
}

static void expect_error64(struct fixture *f, int errnum, const char *msg)
{
	assert_int_equal(load64(f), errnum);
	assert_string_equal(f->err.msg, msg);
	assert_true(ram_untouched(f));
}

/* ppc64le vmlinux: linked at 0xc000000000000000, p_paddr 0; placed at base + (paddr & mask),
 * entered at its start there. */
static void test_elf64_le_vmlinux(void **state)
{
	struct fixture *f = *state;
	struct seg64 s = {PT_LOAD, 0x100, 0xc000000000000000ull, 0, 24, 40, PF_R | PF_W | PF_X};

	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0xc000000000000000ull, &s, 1);
	assert_int_equal(load64(f), 0);
	assert_int_equal(f->info.kind, VMM_ELF_PPC64_LE);
	assert_int_equal(f->info.entry, 0x8000);
	assert_int_equal(f->info.low, 0x8000);
	assert_int_equal(f->info.high, 0x8028);
	assert_true(f->info.entry_loaded);
	for (unsigned i = 0; i < 24; i++)
		assert_int_equal(f->ram_mem[0x8000 + i], 0x40 + i);
	for (unsigned i = 24; i < 40; i++)
		assert_int_equal(f->ram_mem[0x8000 + i], 0);
	assert_int_equal(f->ram_mem[0x7fff], 0xaa);
	assert_int_equal(f->ram_mem[0x8028], 0xaa);
}

/* Big-endian, two segments, physical addresses above the mask dropped as QEMU's spapr
 * does; the entry in the second segment. */
static void test_elf64_be_segments(void **state)
{
	struct fixture *f = *state;
	struct seg64 s[2] = {
	    {PT_LOAD, 0x100, 0x10001000, 0x10001000, 8, 8, PF_R | PF_X},
	    {PT_LOAD, 0x120, 0x2000, 0x2000, 4, 16, PF_R | PF_W},
	};

	f->size = build_elf64(f->elf, sizeof(f->elf), false, 0x10001004, s, 2);
	assert_int_equal(load64(f), 0);
	assert_int_equal(f->info.kind, VMM_ELF_PPC64_BE);
	assert_int_equal(f->info.entry, 0x9004);
	assert_int_equal(f->info.nr_segments, 2);
	assert_int_equal(f->info.low, 0x9000);
	assert_int_equal(f->info.high, 0xa010);
	assert_int_equal(f->ram_mem[0x9000], 0x40);
	assert_int_equal(f->ram_mem[0xa000], 0x50);
	assert_int_equal(f->ram_mem[0xa004], 0);
}

/* Each board says what it takes. */
static void test_elf64_kinds(void **state)
{
	struct fixture *f = *state;
	struct seg64 s = {PT_LOAD, 0x100, 0x1000, 0x1000, 8, 8, PF_R | PF_X};
	struct vmm_elf_place le_only = place64;

	/* the 440 refuses 64-bit files */
	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0x1000, &s, 1);
	expect_error(f, -ENOTSUP, "kernel.elf: not 32-bit big-endian PowerPC");
	/* pseries refuses 32-bit ones and a 64-bit file for another machine */
	f->size = build_elf(f->elf, sizeof(f->elf), 0x1000, NULL, 0);
	expect_error64(f, -ENOTSUP, "vmlinux: not 64-bit PowerPC");
	f->size = build_elf64(f->elf, sizeof(f->elf), false, 0x1000, &s, 1);
	vmm_store_be(f->elf + offsetof(Elf64_Ehdr, e_machine), 2, EM_X86_64);
	expect_error64(f, -ENOTSUP, "vmlinux: not 64-bit PowerPC");
	/* ELFCLASS64 with a PPC (32-bit) machine number */
	vmm_store_be(f->elf + offsetof(Elf64_Ehdr, e_machine), 2, EM_PPC);
	expect_error64(f, -ENOTSUP, "vmlinux: not 64-bit PowerPC");
	f->elf[EI_DATA] = 3; /* no byte order */
	expect_error64(f, -ENOTSUP, "vmlinux: not 64-bit PowerPC");
	le_only.accept = VMM_ELF_PPC64_LE;
	f->size = build_elf64(f->elf, sizeof(f->elf), false, 0x1000, &s, 1);
	assert_int_equal(vmm_elf_load_placed(f->elf, f->size, "be", &le_only, &f->ram, &f->info,
					     &f->err),
			 -ENOTSUP);
	assert_string_equal(f->err.msg, "be: not 64-bit little-endian PowerPC");
	assert_true(ram_untouched(f));
}

static void test_elf64_truncated(void **state)
{
	struct fixture *f = *state;
	struct seg64 s = {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 16, PF_R | PF_X};
	size_t full = build_elf64(f->elf, sizeof(f->elf), true, 0x1000, &s, 1);

	f->size = 40;
	expect_error64(f, -EBADMSG,
		       "vmlinux: the ELF header extends past the end of the file "
		       "(64 bytes > file size 40)");
	f->size = 12; /* inside e_ident: pseries expects a 64-bit header */
	expect_error64(f, -EBADMSG,
		       "vmlinux: the ELF header extends past the end of the file "
		       "(64 bytes > file size 12)");
	f->size = sizeof(Elf64_Ehdr) + 10;
	expect_error64(f, -EBADMSG,
		       "vmlinux: the program headers extend past the end of the file "
		       "(offset 64 + 1 x 56 bytes > file size 74)");
	f->size = full - 1;
	expect_error64(f, -EBADMSG,
		       "vmlinux: program header 0 extends past the end of the file "
		       "(offset 256 + size 16 > file size 271)");
}

/* 64-bit fields near 2^64: no sum may wrap into "fits". */
static void test_elf64_huge_fields(void **state)
{
	struct fixture *f = *state;
	struct seg64 s = {PT_LOAD, 0x100, 0x1000, 0x1000, 16, 16, PF_R | PF_X};

	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0x1000, &s, 1);
	vmm_store_le(f->elf + offsetof(Elf64_Ehdr, e_phoff), 8, 0xffffffffffffffc0ull);
	expect_error64(f, -EBADMSG,
		       "vmlinux: the program headers extend past the end of the file "
		       "(offset 18446744073709551552 + 1 x 56 bytes > file size 272)");
	s.offset = 0xfffffffffffffff8ull;
	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0x1000, &s, 1);
	f->size = 0x110;
	expect_error64(f, -EBADMSG,
		       "vmlinux: program header 0 extends past the end of the file "
		       "(offset 18446744073709551608 + size 16 > file size 272)");
	/* a segment that wraps past 2^64 */
	s = (struct seg64){PT_LOAD, 0x100, 0, 0, 16, 0xfffffffffffffff0ull, PF_R};
	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0x1000, &s, 1);
	assert_int_equal(load64(f), -ERANGE);
	assert_true(ram_untouched(f));
	/* with no mask: a segment at 4 GiB is outside 64 KiB of RAM */
	s = (struct seg64){PT_LOAD, 0x100, 0x100000000ull, 0x100000000ull, 16, 16, PF_R};
	f->size = build_elf64(f->elf, sizeof(f->elf), true, 0x100000000ull, &s, 1);
	struct vmm_elf_place exact = {.accept = VMM_ELF_PPC64, .mask = ~0ull, .base = 0};
	assert_int_equal(vmm_elf_load_placed(f->elf, f->size, "vmlinux", &exact, &f->ram, &f->info,
					     &f->err),
			 -ERANGE);
	assert_string_equal(f->err.msg,
			    "vmlinux: segment 0x100000000-0x10000000f outside RAM (64 KiB)");
	assert_true(ram_untouched(f));
}

/* QEMU's pseries bare-metal convention: a flat binary at 0x400000 (here at 0x4000). */
static void test_flat(void **state)
{
	struct fixture *f = *state;
	static const uint8_t code[] = {0x48, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00};

	assert_false(vmm_is_elf(code, sizeof(code)));
	assert_true(vmm_is_elf(f->elf, f->size));
	assert_int_equal(vmm_flat_load(code, sizeof(code), "bare.bin", 0x4000, &f->ram, &f->info,
				       &f->err),
			 0);
	assert_int_equal(f->info.entry, 0x4000);
	assert_int_equal(f->info.low, 0x4000);
	assert_int_equal(f->info.high, 0x4008);
	assert_int_equal(f->info.kind, 0);
	assert_memory_equal(f->ram_mem + 0x4000, code, sizeof(code));
	assert_int_equal(f->ram_mem[0x4008], 0xaa);

	memset(f->ram_mem, 0xaa, sizeof(f->ram_mem));
	assert_int_equal(vmm_flat_load(code, 0, "empty.bin", 0x4000, &f->ram, &f->info, &f->err),
			 -ENOENT);
	assert_string_equal(f->err.msg, "empty.bin: places nothing in RAM (empty file)");
	assert_int_equal(vmm_flat_load(code, sizeof(code), "bare.bin", RAM_SIZE - 4, &f->ram,
				       &f->info, &f->err),
			 -ERANGE);
	assert_string_equal(f->err.msg,
			    "bare.bin: segment 0x0000fffc-0x00010003 outside RAM (64 KiB)");
	assert_true(ram_untouched(f));
}

static void test_format_size(void **state)
{
	char buf[32];

	assert_string_equal(vmm_format_size(256u << 20, buf, sizeof(buf)), "256 MiB");
	assert_string_equal(vmm_format_size(1ull << 30, buf, sizeof(buf)), "1 GiB");
	assert_string_equal(vmm_format_size(1536u << 20, buf, sizeof(buf)), "1536 MiB");
	assert_string_equal(vmm_format_size(100, buf, sizeof(buf)), "100 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_good_elf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_virtual_entry_translated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_skips_non_load_and_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_elf, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_class, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_endianness, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_machine, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_executable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_filesz_above_memsz, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_phentsize, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_in_ram, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outside_ram, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_entry_outside, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_not_regular, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_elf64_le_vmlinux, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_elf64_be_segments, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_elf64_kinds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_elf64_truncated, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_elf64_huge_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_flat, setup, teardown),
	    cmocka_unit_test(test_format_size),
	};

	return cmocka_run_group_tests_name("vmm loader", tests, NULL, NULL);
}
