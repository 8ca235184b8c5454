/* The PowerPC 440 board: QEMU 7.2's "bamboo" (440EPb) as a guest sees it at its first
 * instruction, with softkvm's own devices added. */
#ifndef VMM_BOARDS_PPC440_H
#define VMM_BOARDS_PPC440_H

#include <stdint.h>

#include "console.h"
#include "error.h"
#include "machine.h"

#define PPC440_RAM_DEFAULT (256ull << 20)
#define PPC440_RAM_MIN	   (16ull << 20)
#define PPC440_RAM_MAX	   (2ull << 30)

struct ppc440_config {
	const char *kernel; /* ELF file */
	uint64_t ram_size;  /* PPC440_RAM_MIN..PPC440_RAM_MAX, whole MiB */
};

/* Builds the machine (RAM, VM, vcpu, devices) and reads the kernel file; the guest starts
 * after m->ops->reset. Guest console I/O goes through console. */
VMM_MUST_CHECK int ppc440_create(const struct ppc440_config *cfg, struct vmm_console *console,
				 struct vmm_machine **out, struct vmm_err *err);

#endif
