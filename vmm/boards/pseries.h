/* SPDX-License-Identifier: MIT */
/* The pseries board: a PAPR logical partition with POWER8 vcpus, as QEMU 7.2's "pseries"
 * machine presents it to a kernel once its SLOF firmware has handed over -- entered
 * directly, as kexec enters Linux (see pseries.c for the layout and the device tree). */
#ifndef VMM_BOARDS_PSERIES_H
#define VMM_BOARDS_PSERIES_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "error.h"
#include "machine.h"
#include "pci/pci.h"
#include "softkvm/skvm.h"
#include "virtio/blk.h"
#include "virtio/net.h"

struct vmm_share;
struct vsock_opts;

#define PSERIES_RAM_DEFAULT (256ull << 20)
#define PSERIES_RAM_MIN	    (128ull << 20)
#define PSERIES_RAM_MAX	    (16ull << 30)
#define PSERIES_MAX_CPUS    64u
#define PSERIES_CMDLINE_MAX 2047 /* COMMAND_LINE_SIZE less the NUL, as on the 440 */

/* Where things go (guest-physical), QEMU's spapr convention: an ELF's segments at
 * PSERIES_KERNEL_BASE + (p_paddr & PSERIES_KERNEL_MASK), a flat binary at
 * PSERIES_KERNEL_BASE. */
#define PSERIES_KERNEL_BASE 0x400000u
#define PSERIES_KERNEL_MASK 0x0fffffffu

struct pseries_config {
	const char *kernel;  /* ELF (64-bit, either byte order) or flat binary */
	const char *initrd;  /* NULL: none */
	const char *cmdline; /* NULL: none (an empty bootargs in our tree) */
	const char *dtb;     /* NULL: build the board's own device tree */
	uint64_t ram_size;   /* PSERIES_RAM_MIN..PSERIES_RAM_MAX, whole MiB */
	unsigned nr_cpus;    /* 1..PSERIES_MAX_CPUS; 0 means 1 */
	bool no_paravirt;    /* no /hypervisor node */
	/* virtio-pci functions on the PHB after the console and the rng, in this order: */
	const struct virtio_blk_opts *disks; /* --disk (vda, vdb, ...) */
	unsigned nr_disks;
	const struct vmm_share *shares; /* --share: virtio-9p */
	unsigned nr_shares;
	const struct net_opts *net; /* --net NICs */
	unsigned nr_net;
	const struct vsock_opts *vsock; /* --vsock, or NULL */
};

/* The board's layout, for its tree and for tests. */
struct pseries_layout {
	uint64_t kernel_low, kernel_high; /* what the kernel file occupies */
	uint64_t entry;
	uint64_t initrd_addr, initrd_size;
	uint64_t rtas_addr, rtas_size;
	uint64_t fdt_addr;
	uint32_t htab_shift; /* ibm,pft-size: log2 of the hashed page table's bytes */
};

/* Builds the machine: reads the kernel and initrd, lays out guest RAM, creates the PR VM
 * (SKVM_VM_PPC_PR) and its vcpu, XICS, RTAS and the hypercalls, and builds the device tree
 * (m->fdt). console may be NULL (no vty output or input: the unit tests). */
VMM_MUST_CHECK int pseries_create(const struct pseries_config *cfg, struct vmm_console *console,
				  struct vmm_machine **out, struct vmm_err *err);

/* The hashed page table's size for ram_size bytes, as log2 (QEMU's rule: 1/128 of RAM
 * rounded up to a power of two, at least 2^18): 21 for 256 MiB. */
uint32_t pseries_htab_shift(uint64_t ram_size);

/* The device tree of the partition (pseries_fdt.c), without /chosen; pv NULL leaves out
 * the /hypervisor node. A new tree in *out (free it). */
struct pseries_fdt_params {
	uint64_t ram_size;
	unsigned nr_cpus;
	const struct pseries_layout *layout;
	const struct skvm_ppc_pvinfo *pv;
	/* the segment and page sizes and the SLB size the cpu nodes offer: the VM's
	 * (skvm_vm_get_smmu_info) */
	const struct skvm_ppc_smmu_info *smmu;
	const struct pci_phb *phb; /* NULL: no PCI host bridge node */
};
VMM_MUST_CHECK int pseries_fdt_build(const struct pseries_fdt_params *p, void **out,
				     struct vmm_err *err);

#define PSERIES_VTY_PATH "/vdevice/vty@71000000"

/* XICS source numbers (QEMU's spapr_irq layout) */
#define PSERIES_IRQ_EPOW 0x1000u
#define PSERIES_IRQ_VTY	 0x1100u
#define PSERIES_NR_IRQS	 0x400u /* sources 0x1000-0x13ff */
#define PSERIES_IRQ_LSI	 0x1200u /* the PHB's INTA-INTD: 0x1200-0x1203 */

/* The PCI host bridge (QEMU spapr's first PHB): its BUID, its 32-bit memory window at
 * guest-physical PSERIES_PHB_MEM_GPA, PCI addresses PSERIES_PHB_MEM_PCI on. */
#define PSERIES_PHB_BUID     0x800000020000000ull
#define PSERIES_PHB_MEM_GPA  0x200080000000ull
#define PSERIES_PHB_MEM_PCI  0x80000000u
#define PSERIES_PHB_MEM_SIZE 0x80000000u
#define PSERIES_PHANDLE_XICP 1u
/* Its DMA window (ibm,dma-window): QEMU's liobn for PHB 0, 16 MiB of 4 KiB TCEs from bus
 * address 0 (QEMU's is 1 GiB: Linux clears every entry with an H_PUT_TCE at boot) */
#define PSERIES_DMA_LIOBN  0x80000000u
#define PSERIES_DMA_WINDOW (16u << 20)
#define PSERIES_MAX_VIRTIO   PCI_SLOTS

struct virtio_pci;
/* The virtio devices as functions on phb (pseries_virtio.c), in this order: virtio-console
 * (slot 0: an hvc port after the vty's hvc0, writing to console, its input never: that is
 * the vty's) and virtio-rng (slot 1), always, as on the 440; then cfg's disks, shares,
 * NICs, vsock. *nr of them in vpci (at most PSERIES_MAX_VIRTIO). Plugged only: the device
 * tree needs their slots and BARs; starting them (virtio_pci_start: ioeventfds, threads) is
 * not done yet. On failure what was added stays in vpci for pseries_remove_virtio. */
VMM_MUST_CHECK int pseries_add_virtio(const struct pseries_config *cfg,
				      const struct vmm_chardev *console, struct pci_phb *phb,
				      struct virtio_pci **vpci, unsigned *nr, struct vmm_err *err);
void pseries_remove_virtio(struct virtio_pci **vpci, unsigned nr);

/* The PHB's node and its functions' (pseries_pci.c). 0 or a libfdt error. */
int pseries_fdt_phb(void *fdt, const struct pci_phb *p);

#endif
