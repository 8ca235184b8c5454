/* SPDX-License-Identifier: MIT */
/* The PowerPC 440 board: QEMU 7.2's "bamboo" (440EPb) as a guest sees it at its first
 * instruction, with softkvm's own devices added. */
#ifndef VMM_BOARDS_PPC440_H
#define VMM_BOARDS_PPC440_H

#include <stdint.h>

#include "console.h"
#include "error.h"
#include "machine.h"
#include "virtio/blk.h"
#include "virtio/net.h"

#define PPC440_RAM_DEFAULT (256ull << 20)
/* QEMU's layout puts the device tree at 24 MiB and the initrd at 25 MiB: below 32 MiB a
 * Linux guest has no room left (bare-metal guests would, but none needs that little). */
#define PPC440_RAM_MIN	   (32ull << 20)
#define PPC440_RAM_MAX	   (2ull << 30)

#define PPC440_CMDLINE_MAX 2047 /* Linux/powerpc's COMMAND_LINE_SIZE, less the NUL */

struct vmm_share;
struct vsock_opts;

struct ppc440_config {
	const char *kernel;  /* ELF file */
	const char *initrd;  /* NULL: none */
	const char *cmdline; /* NULL: none (an empty bootargs in our tree) */
	const char *dtb;     /* NULL: build the board's own device tree */
	uint64_t ram_size;   /* PPC440_RAM_MIN..PPC440_RAM_MAX, whole MiB */
	const struct vmm_share *shares; /* --share: virtio-9p devices, in this order */
	unsigned nr_shares;
	const struct virtio_blk_opts *disks; /* --disk, in command-line order (vda, vdb, ...) */
	unsigned nr_disks;		     /* at most VIRTIO_BLK_MAX_DISKS */
	const struct net_opts *net; /* --net NICs, nr_net of them */
	unsigned nr_net;
	bool no_paravirt;    /* leave the ePAPR /hypervisor node out of the board's tree */
	const struct vsock_opts *vsock; /* --vsock: a virtio-vsock device after the NICs */
};

/* Builds the machine (RAM, VM, vcpu, devices), reads the kernel, initrd and dtb files and lays
 * out guest RAM (m->fdt is then the device tree the guest gets); the guest starts after
 * m->ops->reset. Guest console I/O goes through console. */
VMM_MUST_CHECK int ppc440_create(const struct ppc440_config *cfg, struct vmm_console *console,
				 struct vmm_machine **out, struct vmm_err *err);

#endif
