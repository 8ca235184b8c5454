/* SPDX-License-Identifier: MIT */
/* IBM 4xx Universal Interrupt Controller (UIC0 of the 440EP): 32 inputs, IBM bit numbering
 * (input n is bit 31-n of every register, so input 0 is the MSB), nine DCRs from its base:
 *   +0 SR   status: latched/level inputs; a write clears the bits written as 1
 *   +1 SRS  status set: a write sets the bits written as 1 (reads as SR)
 *   +2 ER   enable        +3 CR   critical (1: to the critical output)
 *   +4 PR   polarity      +5 TR   trigger (1: edge)
 *   +6 MSR  masked status SR & ER, read-only
 *   +7 VR   vector of the highest-priority pending critical input, read-only
 *   +8 VCR  vector base (bits 0-29) and PRO (bit 31: input 31 has the highest priority)
 * The outputs follow SR & ER & ~CR (external input) and SR & ER & CR (critical input).
 * Inputs arrive already in their active sense, so PR is kept but not applied (as QEMU does).
 *
 * Threads: the vcpu thread reaches the registers (DCR exits) and the UART's line; the
 * virtio device threads drive their own lines (and the hypervisor's irqfd thread any line an
 * irqfd is assigned to, skvm_vm_irqfd). So the state is
 * under a lock, and the outputs are driven with it held (skvm_vcpu_interrupt is thread-safe;
 * a cascaded UIC takes its parent's lock inside its own, never the reverse).
 */
#ifndef VMM_DEVICES_UIC_H
#define VMM_DEVICES_UIC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "irq.h"

#define UIC_DCR_COUNT 9
#define UIC_INPUTS    32

enum {
	UIC_SR = 0,
	UIC_SRS = 1,
	UIC_ER = 2,
	UIC_CR = 3,
	UIC_PR = 4,
	UIC_TR = 5,
	UIC_MSR = 6,
	UIC_VR = 7,
	UIC_VCR = 8,
};

struct uic {
	const char *name;
	/* Device tree: "interrupt-controller<index>" at the root, compatible model (e.g.
	 * "ibm,uic-440ep") then "ibm,uic", cell-index = index, dcr-reg from the DCR region;
	 * phandle for its inputs' interrupt-parent. An output wired to another UIC's input
	 * (fdt_parent set) makes it a cascaded one (interrupts = <int crit>). */
	unsigned index;
	const char *model;
	uint32_t phandle;
	struct vmm_irq out_int;	 /* non-critical output (the CPU's external input) */
	struct vmm_irq out_crit; /* critical output */
	/* Optional: the guest acknowledged input line (wrote its SR bit as 1), called after
	 * the write with the lock released (the VMM's skvm_vm_irqchip_ack: a level an irqfd
	 * holds is lowered and the device asked again). */
	void (*ack)(void *opaque, unsigned line);
	void *ack_opaque;

	pthread_mutex_t lock; /* everything below */
	uint32_t sr, er, cr, pr, tr, vcr;
	uint32_t inputs; /* the input lines now asserted */
	bool int_level, crit_level;
};

extern const struct vmm_device_ops uic_ops;

void uic_init(struct uic *uic, const char *name, const struct vmm_irq *out_int,
	      const struct vmm_irq *out_crit);
/* Drives input line (0..31); the signature of struct vmm_irq's set, with opaque = the UIC. */
VMM_MUST_CHECK int uic_set_irq(void *opaque, unsigned line, bool level);
/* Input line of uic as a device's interrupt line, with its device-tree description (sense:
 * VMM_IRQ_TYPE_*; inputs are level, high-active unless TR/PR say otherwise). */
struct vmm_irq uic_irq(struct uic *uic, unsigned line, uint32_t sense);
/* Could an output (crit: the critical one) rise with no further guest write to the UIC? It
 * is high, or an enabled source routed to it (ER, and CR for the critical one) could rise. */
bool uic_output_may_rise(struct uic *uic, bool crit);

#endif
