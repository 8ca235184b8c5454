// SPDX-License-Identifier: MIT
/* The ELF loader (see loader.h). Headers are decoded field by field in the file's byte
 * order, never by casting the file to host structs; one decoder for both classes. */
#include "loader.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "byteorder.h"

/* An ELF's class and byte order: which header layout, which byte order for every field. */
struct elf_fmt {
	bool is64, le;
};

static uint64_t elf_get(const struct elf_fmt *f, const uint8_t *p, unsigned n)
{
	return f->le ? vmm_load_le(p, n) : vmm_load_be(p, n);
}

/* A header field of the file's class: its offset and size in Elf32_* or Elf64_*. */
#define ELF_FIELD(f, p, type, field)                                                            \
	elf_get((f),                                                                            \
		(p) + ((f)->is64 ? offsetof(Elf64_##type, field) : offsetof(Elf32_##type, field)), \
		(f)->is64 ? sizeof(((Elf64_##type *)0)->field)                                  \
			  : sizeof(((Elf32_##type *)0)->field))
#define EHDR(f, img, field) ELF_FIELD(f, img, Ehdr, field)
#define PHDR(f, ph, field)  ELF_FIELD(f, ph, Phdr, field)

const char *vmm_format_size(uint64_t size, char *buf, size_t len)
{
	static const char *const unit[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
	unsigned u = 0;

	while (u < 4 && size >= 1024 && size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 " %s", size, unit[u]);
	return buf;
}

struct loader_segment {
	uint64_t type, offset, paddr, vaddr, filesz, memsz, flags;
	uint64_t file_paddr; /* p_paddr as in the file, before the board's placement */
};

static void loader_segment(const struct elf_fmt *f, const uint8_t *ph,
			   const struct vmm_elf_place *place, struct loader_segment *s)
{
	s->type = PHDR(f, ph, p_type);
	s->offset = PHDR(f, ph, p_offset);
	s->vaddr = PHDR(f, ph, p_vaddr);
	s->file_paddr = PHDR(f, ph, p_paddr);
	s->paddr = (s->file_paddr & place->mask) + place->base;
	s->filesz = PHDR(f, ph, p_filesz);
	s->memsz = PHDR(f, ph, p_memsz);
	s->flags = PHDR(f, ph, p_flags);
}

/* "32-bit big-endian PowerPC", "64-bit PowerPC", ...: what the board takes, for messages. */
static const char *loader_kinds(unsigned accept)
{
	switch (accept) {
	case VMM_ELF_PPC32_BE:
		return "32-bit big-endian PowerPC";
	case VMM_ELF_PPC64:
		return "64-bit PowerPC";
	case VMM_ELF_PPC64_BE:
		return "64-bit big-endian PowerPC";
	case VMM_ELF_PPC64_LE:
		return "64-bit little-endian PowerPC";
	default:
		return "32-bit big-endian or 64-bit PowerPC";
	}
}

/* The kind of ELF the identification bytes announce, 0 if none softkvm knows. */
static enum vmm_elf_kind loader_ident_kind(const uint8_t *img)
{
	if (img[EI_CLASS] == ELFCLASS32 && img[EI_DATA] == ELFDATA2MSB)
		return VMM_ELF_PPC32_BE;
	if (img[EI_CLASS] == ELFCLASS64 && img[EI_DATA] == ELFDATA2MSB)
		return VMM_ELF_PPC64_BE;
	if (img[EI_CLASS] == ELFCLASS64 && img[EI_DATA] == ELFDATA2LSB)
		return VMM_ELF_PPC64_LE;
	return 0;
}

bool vmm_is_elf(const uint8_t *img, size_t size)
{
	return size >= SELFMAG && memcmp(img, ELFMAG, SELFMAG) == 0;
}

static int loader_check_header(const uint8_t *img, size_t size, const char *name,
			       unsigned accept, struct elf_fmt *f, enum vmm_elf_kind *kind,
			       struct vmm_err *err)
{
	size_t ehsize;
	uint16_t type;

	if (!vmm_is_elf(img, size))
		return vmm_err_set(err, -ENOEXEC, "%s: not an ELF file", name);
	*kind = size >= EI_NIDENT ? loader_ident_kind(img) : 0;
	if (size >= EI_NIDENT && !(*kind & accept))
		return vmm_err_set(err, -ENOTSUP, "%s: not %s", name, loader_kinds(accept));
	/* cut inside e_ident: the header the board expects is what is missing */
	f->is64 = *kind ? *kind != VMM_ELF_PPC32_BE : !(accept & VMM_ELF_PPC32_BE);
	f->le = *kind == VMM_ELF_PPC64_LE;
	ehsize = f->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (size < ehsize)
		return vmm_err_set(err, -EBADMSG,
				   "%s: the ELF header extends past the end of the file "
				   "(%zu bytes > file size %zu)",
				   name, ehsize, size);
	if (EHDR(f, img, e_machine) != (f->is64 ? EM_PPC64 : EM_PPC))
		return vmm_err_set(err, -ENOTSUP, "%s: not %s", name, loader_kinds(accept));
	type = (uint16_t)EHDR(f, img, e_type);
	if (type != ET_EXEC && type != ET_DYN)
		return vmm_err_set(err, -ENOTSUP, "%s: not an executable (ELF type %u)", name,
				   type);
	return 0;
}

/* Every PT_LOAD segment with a size, checked: fits the file, fits RAM. Fills info (entry
 * translated from the file's e_entry, range, count) without writing RAM. */
static int loader_check_segments(const uint8_t *img, size_t size, const char *name,
				 const struct elf_fmt *f, const struct vmm_elf_place *place,
				 uint64_t entry, uint64_t phoff, unsigned phnum, size_t phentsize,
				 const struct vmm_ram *ram, struct vmm_elf_info *info,
				 struct vmm_err *err)
{
	char sz[32];

	info->low = UINT64_MAX;
	for (unsigned i = 0; i < phnum; i++) {
		struct loader_segment s;
		uint64_t end;

		loader_segment(f, img + phoff + (size_t)i * phentsize, place, &s);
		if (s.type != PT_LOAD || s.memsz == 0)
			continue;
		if (s.filesz > s.memsz)
			return vmm_err_set(err, -EBADMSG,
					   "%s: segment 0x%08" PRIx64 " has more file data than memory",
					   name, s.paddr);
		if (s.offset > size || s.filesz > size - s.offset)
			return vmm_err_set(err, -EBADMSG,
					   "%s: program header %u extends past the end of the file "
					   "(offset %" PRIu64 " + size %" PRIu64 " > file size %zu)",
					   name, i, s.offset, s.filesz, size);
		end = s.paddr + s.memsz;
		if (!vmm_ram_ptr(ram, s.paddr, s.memsz))
			return vmm_err_set(
			    err, -ERANGE,
			    "%s: segment 0x%08" PRIx64 "-0x%08" PRIx64 " outside RAM (%s)", name,
			    s.paddr, end - 1, vmm_format_size(ram->size, sz, sizeof(sz)));
		/* Linux is linked at 0xc0000000 (0xc000000000000000) and loaded lower. */
		if (s.vaddr != s.file_paddr && (s.flags & PF_X) && entry >= s.vaddr &&
		    entry - s.vaddr < s.filesz)
			info->entry = entry - s.vaddr + s.paddr;
		if (s.paddr < info->low)
			info->low = s.paddr;
		if (end > info->high)
			info->high = end;
		info->nr_segments++;
	}
	if (!info->nr_segments) {
		info->low = 0;
		return vmm_err_set(err, -ENOENT, "%s: places nothing in RAM", name);
	}
	return 0;
}

int vmm_elf_load_placed(const uint8_t *img, size_t size, const char *name,
			const struct vmm_elf_place *place, const struct vmm_ram *ram,
			struct vmm_elf_info *info, struct vmm_err *err)
{
	struct elf_fmt f;
	enum vmm_elf_kind kind;
	uint64_t phoff, entry;
	unsigned phnum;
	size_t phentsize, want;
	int rc;

	memset(info, 0, sizeof(*info));
	rc = loader_check_header(img, size, name, place->accept, &f, &kind, err);
	if (rc)
		return rc;

	want = f.is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	entry = EHDR(&f, img, e_entry);
	phoff = EHDR(&f, img, e_phoff);
	phnum = (unsigned)EHDR(&f, img, e_phnum);
	phentsize = (size_t)EHDR(&f, img, e_phentsize);
	if (phnum && phentsize != want)
		return vmm_err_set(err, -EBADMSG, "%s: bad program header size %zu", name,
				   phentsize);
	if (phoff > size || (uint64_t)phnum * want > size - phoff)
		return vmm_err_set(err, -EBADMSG,
				   "%s: the program headers extend past the end of the file "
				   "(offset %" PRIu64 " + %u x %zu bytes > file size %zu)",
				   name, phoff, phnum, want, size);

	/* Check everything first: a rejected file must not leave half a kernel in RAM. */
	info->entry = (entry & place->mask) + place->base;
	info->kind = kind;
	rc = loader_check_segments(img, size, name, &f, place, entry, phoff, phnum, want, ram, info,
				   err);
	if (rc)
		return rc;

	for (unsigned i = 0; i < phnum; i++) {
		struct loader_segment s;
		uint8_t *dst;

		loader_segment(&f, img + phoff + (size_t)i * want, place, &s);
		if (s.type != PT_LOAD || s.memsz == 0)
			continue;
		dst = vmm_ram_ptr(ram, s.paddr, s.memsz);
		memcpy(dst, img + s.offset, s.filesz);
		memset(dst + s.filesz, 0, s.memsz - s.filesz);
		if (info->entry >= s.paddr && info->entry - s.paddr < s.memsz)
			info->entry_loaded = true;
	}
	return 0;
}

int vmm_elf_load(const uint8_t *img, size_t size, const char *name, const struct vmm_ram *ram,
		 struct vmm_elf_info *info, struct vmm_err *err)
{
	static const struct vmm_elf_place place_440 = {
	    .accept = VMM_ELF_PPC32_BE, .mask = ~(uint64_t)0, .base = 0};

	return vmm_elf_load_placed(img, size, name, &place_440, ram, info, err);
}

int vmm_flat_load(const uint8_t *img, size_t size, const char *name, uint64_t addr,
		  const struct vmm_ram *ram, struct vmm_elf_info *info, struct vmm_err *err)
{
	uint8_t *dst = vmm_ram_ptr(ram, addr, size);
	char sz[32];

	memset(info, 0, sizeof(*info));
	if (!size)
		return vmm_err_set(err, -ENOENT, "%s: places nothing in RAM (empty file)", name);
	if (!dst)
		return vmm_err_set(err, -ERANGE,
				   "%s: segment 0x%08" PRIx64 "-0x%08" PRIx64 " outside RAM (%s)",
				   name, addr, addr + size - 1,
				   vmm_format_size(ram->size, sz, sizeof(sz)));
	memcpy(dst, img, size);
	*info = (struct vmm_elf_info){.entry = addr,
				      .low = addr,
				      .high = addr + size,
				      .nr_segments = 1,
				      .entry_loaded = true};
	return 0;
}

/* What a file that is not a regular one is, for messages. */
static const char *loader_file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "a special file";
}

int vmm_read_file(const char *path, uint64_t max, const char *limit, uint8_t **data, size_t *size,
		  struct vmm_err *err)
{
	size_t len = 0, cap, room = max < SIZE_MAX ? (size_t)max + 1 : SIZE_MAX;
	uint8_t *buf = NULL;
	struct stat st;
	char sz[32], mx[32];
	int fd, flags, rc;

	*data = NULL;
	*size = 0;
	/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return vmm_err_set(err, -errno, "cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		rc = vmm_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	/* Only a regular file has an end and a size known before reading (/dev/zero has
	 * neither, a FIFO or a terminal may never answer). */
	if (!S_ISREG(st.st_mode)) {
		rc = vmm_err_set(err, S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL,
				 "%s: %s, not a regular file", path, loader_file_kind(st.st_mode));
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		rc = vmm_err_set(err, -EFBIG, "%s: %s is more than %s (%s)", path,
				 vmm_format_size((uint64_t)st.st_size, sz, sizeof(sz)), limit,
				 vmm_format_size(max, mx, sizeof(mx)));
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)) {
		rc = vmm_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	/* st_size is a hint (a file in /proc says 0, a file may grow while it is read): read
	 * to the end, never more than max + 1 bytes. */
	cap = st.st_size ? (size_t)st.st_size + 1 : 64u << 10;
	if (cap > room)
		cap = room;
	for (;;) {
		ssize_t n;

		if (len == cap || !buf) {
			uint8_t *p;

			if (buf)
				cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
			if (cap > room)
				cap = room;
			p = realloc(buf, cap);
			if (!p) {
				rc = vmm_err_set(err, -ENOMEM, "%s: out of memory", path);
				goto fail;
			}
			buf = p;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = vmm_err_set(err, -errno, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			rc = vmm_err_set(err, -EFBIG, "%s: more than %s (%s)", path, limit,
					 vmm_format_size(max, mx, sizeof(mx)));
			goto fail;
		}
	}
	close(fd);
	*data = buf;
	*size = len;
	return 0;

fail:
	close(fd);
	free(buf);
	return rc;
}
