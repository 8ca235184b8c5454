// SPDX-License-Identifier: MIT
#include "ram.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int vmm_ram_alloc(struct vmm_ram *ram, uint64_t gpa, uint64_t size)
{
	void *p;

	memset(ram, 0, sizeof(*ram));
	if (size == 0 || size > SIZE_MAX)
		return -EINVAL;
	p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	/* The shadow TLB turns guest accesses into host loads and stores: huge pages cut the
	 * host's own TLB misses. Only a hint, so a refusal does not matter. */
	(void)madvise(p, (size_t)size, MADV_HUGEPAGE);
	ram->host = p;
	ram->gpa = gpa;
	ram->size = size;
	ram->mapped = true;
	return 0;
}

void vmm_ram_free(struct vmm_ram *ram)
{
	if (ram->mapped && ram->host)
		munmap(ram->host, (size_t)ram->size);
	memset(ram, 0, sizeof(*ram));
}
