// SPDX-License-Identifier: MIT
/* Device-tree helpers (see devtree.h). */
#include "devtree.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader.h"

/* Room added to a --dtb blob for the /chosen properties (bootargs is at most 2 KiB). */
#define FDT_EDIT_ROOM (16u << 10)

static int fdt_fail(struct vmm_err *err, int fdt_rc, const char *what)
{
	return vmm_err_set(err, fdt_rc == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL,
			   "device tree: cannot %s: %s", what, fdt_strerror(fdt_rc));
}

int vmm_fdt_create(void **fdt, struct vmm_err *err)
{
	void *buf = malloc(VMM_FDT_SIZE);
	int rc;

	*fdt = NULL;
	if (!buf)
		return vmm_err_set(err, -ENOMEM, "device tree: out of memory");
	rc = fdt_create_empty_tree(buf, VMM_FDT_SIZE);
	if (rc) {
		free(buf);
		return fdt_fail(err, rc, "create the tree");
	}
	*fdt = buf;
	return 0;
}

/* libfdt 1.6.1 (Debian 12) trusts a property's length: with 0xfffffff4 the tag after the
 * property is the property itself, and fdt_check_full, like every walk of the tree, loops
 * forever (a --dtb that hung softkvm while loading, with SIGINT and SIGTERM blocked). So the
 * tags are walked first, and a tree whose next tag is not past the current one is refused. */
static int fdt_check_tags_advance(const void *fdt)
{
	int offset = 0, next;

	while (fdt_next_tag(fdt, offset, &next) != FDT_END) {
		if (next <= offset)
			return -FDT_ERR_BADSTRUCTURE;
		offset = next;
	}
	return next < 0 ? next : 0;
}

int vmm_fdt_load(const char *path, void **fdt, struct vmm_err *err)
{
	uint8_t *file;
	size_t size;
	void *buf;
	int rc, len;

	*fdt = NULL;
	rc = vmm_read_file(path, VMM_FDT_MAX, "the largest device tree blob accepted", &file, &size,
			   err);
	if (rc)
		return rc;
	/* fdt_check_header reads the whole header: a shorter file is truncated. */
	rc = size < sizeof(struct fdt_header) ? -FDT_ERR_TRUNCATED : fdt_check_header(file);
	if (!rc && fdt_totalsize(file) > size)
		rc = -FDT_ERR_TRUNCATED;
	if (!rc)
		rc = fdt_check_tags_advance(file);
	if (!rc)
		rc = fdt_check_full(file, size);
	/* fdt_check_full accepts an empty structure block: a tree needs its root node. */
	if (!rc && !fdt_get_name(file, 0, &len))
		rc = len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
	if (rc) {
		rc = vmm_err_set(err, -EINVAL, "%s: not a valid device tree blob (libfdt: %s)", path,
				 fdt_strerror(rc));
		goto out;
	}
	size = fdt_totalsize(file) + FDT_EDIT_ROOM;
	buf = malloc(size);
	if (!buf) {
		rc = vmm_err_set(err, -ENOMEM, "%s: out of memory", path);
		goto out;
	}
	rc = fdt_open_into(file, buf, (int)size);
	if (rc) {
		free(buf);
		rc = vmm_err_set(err, -EINVAL, "%s: not a valid device tree blob (libfdt: %s)", path,
				 fdt_strerror(rc));
		goto out;
	}
	*fdt = buf;
out:
	free(file);
	return rc;
}

/* One cell, or two above 4 GiB: Linux reads linux,initrd-start/end with of_read_number of
 * the property's own length. */
static int fdt_set_addr(void *fdt, int node, const char *name, uint64_t addr)
{
	if (addr > UINT32_MAX)
		return fdt_setprop_u64(fdt, node, name, addr);
	return fdt_setprop_u32(fdt, node, name, (uint32_t)addr);
}

int vmm_fdt_set_chosen(void *fdt, const struct vmm_fdt_chosen *chosen, struct vmm_err *err)
{
	int node = fdt_path_offset(fdt, "/chosen");
	int rc = 0;

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "chosen");
	if (node < 0)
		return fdt_fail(err, node, "add /chosen");
	if (chosen->bootargs)
		rc = fdt_setprop_string(fdt, node, "bootargs", chosen->bootargs);
	if (!rc && chosen->initrd_end > chosen->initrd_start) {
		rc = fdt_set_addr(fdt, node, "linux,initrd-start", chosen->initrd_start);
		if (!rc)
			rc = fdt_set_addr(fdt, node, "linux,initrd-end", chosen->initrd_end);
	} else if (!rc) {
		/* A stale initrd from a --dtb would make the kernel unpack garbage. */
		rc = fdt_delprop(fdt, node, "linux,initrd-start");
		if (rc == -FDT_ERR_NOTFOUND || !rc)
			rc = fdt_delprop(fdt, node, "linux,initrd-end");
		if (rc == -FDT_ERR_NOTFOUND)
			rc = 0;
	}
	/* Both spellings: Linux's legacy serial code reads linux,stdout-path first, the
	 * devicetree specification names stdout-path. */
	if (!rc && chosen->stdout_path)
		rc = fdt_setprop_string(fdt, node, "linux,stdout-path", chosen->stdout_path);
	if (!rc && chosen->stdout_path)
		rc = fdt_setprop_string(fdt, node, "stdout-path", chosen->stdout_path);
	if (rc)
		return fdt_fail(err, rc, "set /chosen");
	return 0;
}

int vmm_fdt_add_hypervisor(void *fdt, const struct skvm_ppc_pvinfo *pv, struct vmm_err *err)
{
	static const char *const compatible[] = {"linux,kvm", "epapr,hypervisor-1"};
	int node = fdt_add_subnode(fdt, 0, "hypervisor");
	int rc;

	if (node < 0)
		return fdt_fail(err, node, "add /hypervisor");
	rc = vmm_fdt_setprop_strings(fdt, node, "compatible", compatible, 2);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, node, "hcall-instructions", pv->hcall, 4);
	if (!rc && (pv->flags & SKVM_PPC_PVINFO_FLAGS_EV_IDLE))
		rc = fdt_setprop_empty(fdt, node, "has-idle");
	if (rc)
		return fdt_fail(err, rc, "fill /hypervisor");
	return 0;
}

/* Copies node (its properties, then its subnodes) into the sequential-write tree out, each
 * list in reverse: libfdt's read-write API inserts every new property and subnode first. */
static int fdt_copy_reversed(const void *fdt, int node, void *out)
{
	int offs[256], n = 0, child, prop, rc;
	const char *name = fdt_get_name(fdt, node, NULL);

	if (!name)
		return -FDT_ERR_BADSTRUCTURE;
	rc = fdt_begin_node(out, node == 0 ? "" : name);
	if (rc)
		return rc;
	fdt_for_each_property_offset(prop, fdt, node)
	{
		if (n == (int)(sizeof(offs) / sizeof(offs[0])))
			return -FDT_ERR_NOSPACE;
		offs[n++] = prop;
	}
	while (n--) {
		const char *pname;
		int len;
		const void *val = fdt_getprop_by_offset(fdt, offs[n], &pname, &len);

		if (!val)
			return len;
		rc = fdt_property(out, pname, val, len);
		if (rc)
			return rc;
	}
	n = 0;
	fdt_for_each_subnode(child, fdt, node)
	{
		if (n == (int)(sizeof(offs) / sizeof(offs[0])))
			return -FDT_ERR_NOSPACE;
		offs[n++] = child;
	}
	while (n--) {
		rc = fdt_copy_reversed(fdt, offs[n], out);
		if (rc)
			return rc;
	}
	return fdt_end_node(out);
}

int vmm_fdt_finish(void *fdt, struct vmm_err *err)
{
	int rc = fdt_pack(fdt);

	if (rc)
		return fdt_fail(err, rc, "pack the tree");
	return 0;
}

int vmm_fdt_finish_built(void *fdt, struct vmm_err *err)
{
	void *out = malloc(VMM_FDT_SIZE);
	int rc;

	if (!out)
		return vmm_err_set(err, -ENOMEM, "device tree: out of memory");
	rc = fdt_create(out, VMM_FDT_SIZE);
	/* the board's memory reservations (/memreserve/) come along */
	for (int i = 0, n = fdt_num_mem_rsv(fdt); !rc && i < n; i++) {
		uint64_t addr, size;

		rc = fdt_get_mem_rsv(fdt, i, &addr, &size);
		if (!rc)
			rc = fdt_add_reservemap_entry(out, addr, size);
	}
	if (!rc)
		rc = fdt_finish_reservemap(out);
	if (!rc)
		rc = fdt_copy_reversed(fdt, 0, out);
	if (!rc)
		rc = fdt_finish(out);
	if (!rc)
		rc = fdt_open_into(out, fdt, VMM_FDT_SIZE);
	free(out);
	if (rc)
		return fdt_fail(err, rc, "order the tree");
	return vmm_fdt_finish(fdt, err);
}

int vmm_fdt_write_file(const void *fdt, const char *path, struct vmm_err *err)
{
	const uint8_t *p = fdt;
	size_t len = fdt_totalsize(fdt);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return vmm_err_set(err, -errno, "cannot create %s: %s", path, strerror(errno));
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = vmm_err_set(err, -errno, "cannot write %s: %s", path,
					     strerror(errno));
			close(fd);
			return rc;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd))
		return vmm_err_set(err, -errno, "cannot write %s: %s", path, strerror(errno));
	return 0;
}
