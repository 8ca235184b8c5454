/* SPDX-License-Identifier: MIT */
/* Guest memory as devices reach it: the one checked way from a guest-physical address and a
 * length to host memory. Every address a guest hands a device (a virtqueue's rings, each
 * descriptor's buffer, an indirect table) goes through vmm_guest_ptr, which answers NULL
 * unless the whole range lies in one RAM region the VMM registered as a memory slot: no
 * wrap-around, nothing outside RAM, whatever the numbers.
 *
 * The VMM owns guest RAM (it allocates it and registers it with the hypervisor), so this lives
 * here rather than in the API: the regions are the VMM's own struct vmm_ram, fixed for the
 * VM's life, which is also why a pointer checked once (a ring) stays valid until the device
 * resets. Device threads read and write through these pointers while the vcpu runs, as a DMA
 * engine would; the guest orders its side with its barriers (msync is a host fence).
 * A device writing guest code is the guest's business: it must icbi/isync before running it.
 */
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "ram.h"

#define VMM_GUEST_MEM_MAX_REGIONS 4

struct vmm_guest_mem {
	const struct vmm_ram *region[VMM_GUEST_MEM_MAX_REGIONS];
	unsigned nr;
};

/* The host address of [gpa, gpa + len) if all of it is in one RAM region, else NULL (also for
 * len 0: a device has nothing to reach then). */
static inline void *vmm_guest_ptr(const struct vmm_guest_mem *mem, uint64_t gpa, uint64_t len)
{
	if (len == 0)
		return NULL;
	for (unsigned i = 0; i < mem->nr; i++) {
		void *p = vmm_ram_ptr(mem->region[i], gpa, len);

		if (p)
			return p;
	}
	return NULL;
}

/* Copies between guest RAM and the host: 0, or -EFAULT (nothing copied) unless all of
 * [gpa, gpa + len) is in one RAM region. len 0 is 0. */
static inline VMM_MUST_CHECK int vmm_guest_read(const struct vmm_guest_mem *mem, uint64_t gpa,
						void *buf, size_t len)
{
	const void *p = vmm_guest_ptr(mem, gpa, len);

	if (!len)
		return 0;
	if (!p)
		return -EFAULT;
	memcpy(buf, p, len);
	return 0;
}

static inline VMM_MUST_CHECK int vmm_guest_write(const struct vmm_guest_mem *mem, uint64_t gpa,
						 const void *buf, size_t len)
{
	void *p = vmm_guest_ptr(mem, gpa, len);

	if (!len)
		return 0;
	if (!p)
		return -EFAULT;
	memcpy(p, buf, len);
	return 0;
}

#endif
