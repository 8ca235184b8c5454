/* SPDX-License-Identifier: MIT */
/* What a board boots from: its files, read whole before the guest starts (a reset loads them
 * into guest RAM again from these copies), and its RAM. */
#ifndef VMM_BOOT_FILES_H
#define VMM_BOOT_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "ram.h"

struct vmm_boot_files {
	const char *kernel, *initrd; /* the paths (initrd NULL: none) */
	uint8_t *kernel_image, *initrd_image;
	size_t kernel_size, initrd_size;
};

/* Reads the kernel (at most VMM_KERNEL_FILE_MAX bytes) and the initrd, if any (not empty,
 * and at most ram_size: it must fit in guest RAM). On failure the message is in err and
 * what was read is freed. */
VMM_MUST_CHECK int vmm_boot_files_read(struct vmm_boot_files *f, const char *kernel,
				       const char *initrd, uint64_t ram_size, struct vmm_err *err);
void vmm_boot_files_free(struct vmm_boot_files *f);

/* A board's limits on what it boots: RAM of ram_min to ram_max bytes in whole MiB, a
 * command line of at most cmdline_max bytes. */
struct vmm_boot_limits {
	const char *board; /* for the messages: "ppc440", "pseries" */
	uint64_t ram_min, ram_max;
	unsigned cmdline_max;
};

/* Checks ram_size and cmdline (NULL: none) against the board's limits, before anything is
 * read: the message says what the board takes. */
VMM_MUST_CHECK int vmm_boot_check_limits(const struct vmm_boot_limits *lim, uint64_t ram_size,
					 const char *cmdline, struct vmm_err *err);

/* The board's guest RAM, at guest-physical 0; the message says what the host refused. */
VMM_MUST_CHECK int vmm_guest_ram_alloc(struct vmm_ram *ram, uint64_t size, struct vmm_err *err);

#endif
