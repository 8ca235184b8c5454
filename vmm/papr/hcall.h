/* SPDX-License-Identifier: MIT */
/* The VMM's PAPR hypercalls: those KVM's Book3S PR leaves to userspace (book3s_pr_papr.c
 * handles H_ENTER, H_REMOVE, H_PROTECT, H_BULK_REMOVE, H_CEDE and the TCE calls itself;
 * everything else comes out as KVM_EXIT_PAPR_HCALL), as QEMU's spapr answers them:
 *
 *   H_PUT_TERM_CHAR, H_GET_TERM_CHAR  the /vdevice vty (its unit address is the term number)
 *   H_SET_MODE      the resources the hypervisor leaves (it keeps LE and AIL): CIABR and
 *                   DAWR, H_P2 (no hardware breakpoints for the guest)
 *   H_PROD, H_CONFER                  wake a ceded vcpu; a yield hint
 *   H_REGISTER_VPA  VPA, SLB shadow and dispatch trace log areas, PAPR's checks
 *   H_GET_CPU_CHARACTERISTICS         no speculation to mitigate (a software core)
 *   H_RANDOM        64 bits from the host's getrandom
 *   H_LOGICAL_CI_LOAD/STORE           a cache-inhibited access on the MMIO bus
 *   H_PUT_TCE, H_GET_TCE              the PCI host bridge's DMA window (struct papr_tce)
 *   H_RTAS          rtas.h
 *   H_CPPR, H_EOI, H_IPI, H_XIRR, H_XIRR_X, H_IPOLL    xics.h
 * and H_FUNCTION for any other.
 *
 * struct papr_hcall is KVM_EXIT_PAPR_HCALL's run->papr_hcall: nr (r3), args[0..8] (r4-r12);
 * the VMM sets ret (r3) and the output registers in args[] (KVM copies all nine back to
 * r4-r12 at the next KVM_RUN).
 */
#ifndef VMM_PAPR_HCALL_H
#define VMM_PAPR_HCALL_H

#include <stdint.h>

#include "bus.h"
#include "chardev.h"
#include "error.h"
#include "papr/rtas.h"
#include "papr/xics.h"
#include "ram.h"

struct papr_hcall {
	uint64_t nr;
	uint64_t ret;
	uint64_t args[9];
};

/* What the hypercalls ask of the board. */
struct papr_ops {
	void *opaque;
	/* H_PROD: wake vcpu cpu if it is in H_CEDE (it runs on otherwise) */
	void (*prod)(void *opaque, unsigned cpu);
	/* the timebase, for H_XIRR_X */
	uint64_t (*timebase)(void *opaque);
};

#define PAPR_VTY_REG 0x71000000u /* QEMU's first spapr-vty */

struct papr_vpa {
	uint64_t vpa, slb_shadow, dtl; /* guest-physical; 0: not registered */
};

/* The TCE table of one DMA window (its liobn, 4 KiB I/O pages from bus address 0), which the
 * guest keeps through H_PUT_TCE. Its entries are only stored: virtio without
 * VIRTIO_F_ACCESS_PLATFORM addresses guest memory directly, so no device translates
 * through them; Linux still sets the window up (and clears it) for every PHB. */
struct papr_tce {
	uint32_t liobn;
	uint64_t *entry; /* NULL: no window */
	uint64_t nr;
};

struct papr {
	const struct vmm_ram *ram;
	struct vmm_bus *mmio;
	struct vmm_chardev console; /* the vty */
	struct xics *xics;
	struct rtas *rtas;
	struct papr_ops ops;
	unsigned nr_cpus;
	struct papr_tce tce;
	struct papr_vpa vpa[XICS_MAX_SERVERS];
};

/* Runs hypercall h for vcpu caller (< nr_cpus): sets h->ret and the output args. 0, or a
 * negative errno for a host failure (the console gone, the MMIO device failing). */
VMM_MUST_CHECK int papr_hcall(struct papr *p, unsigned caller, struct papr_hcall *h);

#endif
