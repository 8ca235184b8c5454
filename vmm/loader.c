// SPDX-License-Identifier: MIT
/* The ELF loader (see loader.h). Headers are decoded field by field from big-endian bytes,
 * never by casting the file to host structs. */
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

#define EHDR(img, field) ((img) + offsetof(Elf32_Ehdr, field))
#define PHDR(ph, field)	 vmm_get_be32((ph) + offsetof(Elf32_Phdr, field))

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
	uint32_t offset, paddr, vaddr, filesz, memsz, flags;
};

static void loader_segment(const uint8_t *ph, struct loader_segment *s)
{
	s->offset = PHDR(ph, p_offset);
	s->vaddr = PHDR(ph, p_vaddr);
	s->paddr = PHDR(ph, p_paddr);
	s->filesz = PHDR(ph, p_filesz);
	s->memsz = PHDR(ph, p_memsz);
	s->flags = PHDR(ph, p_flags);
}

static int loader_check_header(const uint8_t *img, size_t size, const char *name,
			       struct vmm_err *err)
{
	uint16_t type;

	if (size < SELFMAG || memcmp(img, ELFMAG, SELFMAG) != 0)
		return vmm_err_set(err, -ENOEXEC, "%s: not an ELF file", name);
	if (size >= EI_NIDENT && (img[EI_CLASS] != ELFCLASS32 || img[EI_DATA] != ELFDATA2MSB))
		return vmm_err_set(err, -ENOTSUP, "%s: not 32-bit big-endian PowerPC", name);
	if (size < sizeof(Elf32_Ehdr))
		return vmm_err_set(err, -EBADMSG,
				   "%s: the ELF header extends past the end of the file "
				   "(%zu bytes > file size %zu)",
				   name, sizeof(Elf32_Ehdr), size);
	if (vmm_get_be16(EHDR(img, e_machine)) != EM_PPC)
		return vmm_err_set(err, -ENOTSUP, "%s: not 32-bit big-endian PowerPC", name);
	type = vmm_get_be16(EHDR(img, e_type));
	if (type != ET_EXEC && type != ET_DYN)
		return vmm_err_set(err, -ENOTSUP, "%s: not an executable (ELF type %u)", name,
				   type);
	return 0;
}

int vmm_elf_load(const uint8_t *img, size_t size, const char *name, const struct vmm_ram *ram,
		 struct vmm_elf_info *info, struct vmm_err *err)
{
	uint32_t phoff, entry;
	uint16_t phnum, phentsize;
	char sz[32];
	int rc;

	memset(info, 0, sizeof(*info));
	rc = loader_check_header(img, size, name, err);
	if (rc)
		return rc;

	entry = vmm_get_be32(EHDR(img, e_entry));
	phoff = vmm_get_be32(EHDR(img, e_phoff));
	phnum = vmm_get_be16(EHDR(img, e_phnum));
	phentsize = vmm_get_be16(EHDR(img, e_phentsize));
	if (phnum && phentsize != sizeof(Elf32_Phdr))
		return vmm_err_set(err, -EBADMSG, "%s: bad program header size %u", name,
				   phentsize);
	if ((uint64_t)phoff + (uint64_t)phnum * sizeof(Elf32_Phdr) > size)
		return vmm_err_set(err, -EBADMSG,
				   "%s: the program headers extend past the end of the file "
				   "(offset %" PRIu32 " + %u x %zu bytes > file size %zu)",
				   name, phoff, phnum, sizeof(Elf32_Phdr), size);

	/* Check everything first: a rejected file must not leave half a kernel in RAM. */
	info->entry = entry;
	info->low = UINT64_MAX;
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (size_t)i * sizeof(Elf32_Phdr);
		struct loader_segment s;
		uint64_t end;

		if (PHDR(ph, p_type) != PT_LOAD)
			continue;
		loader_segment(ph, &s);
		if (s.memsz == 0)
			continue;
		if (s.filesz > s.memsz)
			return vmm_err_set(err, -EBADMSG,
					   "%s: segment 0x%08" PRIx32
					   " has more file data than memory",
					   name, s.paddr);
		if ((uint64_t)s.offset + s.filesz > size)
			return vmm_err_set(err, -EBADMSG,
					   "%s: program header %u extends past the end of the file "
					   "(offset %" PRIu32 " + size %" PRIu32
					   " > file size %zu)",
					   name, i, s.offset, s.filesz, size);
		end = (uint64_t)s.paddr + s.memsz;
		if (!vmm_ram_ptr(ram, s.paddr, s.memsz))
			return vmm_err_set(
			    err, -ERANGE,
			    "%s: segment 0x%08" PRIx32 "-0x%08" PRIx64 " outside RAM (%s)", name,
			    s.paddr, end - 1, vmm_format_size(ram->size, sz, sizeof(sz)));
		if (s.vaddr != s.paddr && (s.flags & PF_X) && entry >= s.vaddr &&
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

	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (size_t)i * sizeof(Elf32_Phdr);
		struct loader_segment s;
		uint8_t *dst;

		if (PHDR(ph, p_type) != PT_LOAD)
			continue;
		loader_segment(ph, &s);
		if (s.memsz == 0)
			continue;
		dst = vmm_ram_ptr(ram, s.paddr, s.memsz);
		memcpy(dst, img + s.offset, s.filesz);
		memset(dst + s.filesz, 0, s.memsz - s.filesz);
		if (info->entry >= s.paddr && info->entry - s.paddr < s.memsz)
			info->entry_loaded = true;
	}
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
