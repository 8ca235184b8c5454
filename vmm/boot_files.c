// SPDX-License-Identifier: MIT
#include "boot_files.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

int vmm_boot_files_read(struct vmm_boot_files *f, const char *kernel, const char *initrd,
			uint64_t ram_size, struct vmm_err *err)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->kernel = kernel;
	f->initrd = initrd;
	rc = vmm_read_file(kernel, VMM_KERNEL_FILE_MAX, "the largest kernel file accepted",
			   &f->kernel_image, &f->kernel_size, err);
	if (!rc && initrd) {
		rc = vmm_read_file(initrd, ram_size, "guest RAM", &f->initrd_image,
				   &f->initrd_size, err);
		if (!rc && !f->initrd_size)
			rc = vmm_err_set(err, -EINVAL, "%s: empty initrd", initrd);
	}
	if (rc)
		vmm_boot_files_free(f);
	return rc;
}

void vmm_boot_files_free(struct vmm_boot_files *f)
{
	free(f->kernel_image);
	free(f->initrd_image);
	f->kernel_image = f->initrd_image = NULL;
	f->kernel_size = f->initrd_size = 0;
}

int vmm_guest_ram_alloc(struct vmm_ram *ram, uint64_t size, struct vmm_err *err)
{
	char sz[32];
	int rc = vmm_ram_alloc(ram, 0, size);

	if (rc)
		return vmm_err_set(err, rc, "cannot allocate %s of guest RAM: %s",
				   vmm_format_size(size, sz, sizeof(sz)), strerror(-rc));
	return 0;
}

int vmm_boot_check_limits(const struct vmm_boot_limits *lim, uint64_t ram_size,
			  const char *cmdline, struct vmm_err *err)
{
	char sz[32], lo[32], hi[32];

	if (ram_size < lim->ram_min || ram_size > lim->ram_max || ram_size % (1u << 20))
		return vmm_err_set(err, -EINVAL,
				   "memory size %s: the %s board takes %s to %s in whole MiB",
				   vmm_format_size(ram_size, sz, sizeof(sz)), lim->board,
				   vmm_format_size(lim->ram_min, lo, sizeof(lo)),
				   vmm_format_size(lim->ram_max, hi, sizeof(hi)));
	if (cmdline && strlen(cmdline) > lim->cmdline_max)
		return vmm_err_set(err, -E2BIG,
				   "kernel command line of %zu bytes: Linux takes at most %u",
				   strlen(cmdline), lim->cmdline_max);
	return 0;
}
