/* SPDX-License-Identifier: MIT */
/* Guest RAM: host memory that the VMM owns and registers with the hypervisor as a slot. */
#ifndef VMM_RAM_H
#define VMM_RAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct vmm_ram {
	uint8_t *host; /* host address of guest-physical gpa */
	uint64_t gpa;
	uint64_t size;
	bool mapped; /* allocated by vmm_ram_alloc (munmap on free) */
};

/* Anonymous, lazily backed memory: untouched guest pages cost nothing. */
VMM_MUST_CHECK int vmm_ram_alloc(struct vmm_ram *ram, uint64_t gpa, uint64_t size);
void vmm_ram_free(struct vmm_ram *ram);

/* The host address of [gpa, gpa + len), or NULL unless all of it is RAM. */
static inline void *vmm_ram_ptr(const struct vmm_ram *ram, uint64_t gpa, uint64_t len)
{
	if (gpa < ram->gpa || gpa - ram->gpa > ram->size || len > ram->size - (gpa - ram->gpa))
		return NULL;
	return ram->host + (gpa - ram->gpa);
}

#endif
