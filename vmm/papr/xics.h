/* SPDX-License-Identifier: MIT */
/* XICS as a PAPR partition sees it: one presentation controller (ICP) per interrupt server
 * (a vcpu), driven by the hypercalls H_CPPR, H_EOI, H_IPI, H_XIRR(_X) and H_IPOLL, and one
 * source controller (ICS) of level-sensitive sources numbered from XICS_IRQ_BASE, each routed
 * to a server at a priority by the RTAS calls ibm,set-xive / ibm,get-xive / ibm,int-on /
 * ibm,int-off. (PAPR+ chapter "Interrupt Presentation"; QEMU's hw/intc/xics.c models the same
 * state machine.)
 *
 * A pure state machine: it owns no thread and no vcpu. Whenever a server's ICP gains or loses
 * a pending interrupt it calls output(opaque, server, level): the board raises or lowers that
 * vcpu's external interrupt input. Every entry point takes the controller's lock, so
 * hypercalls from several vcpu threads and level changes from device threads may race; output
 * is called with the lock held (it must not call back into the controller).
 *
 * XIRR = CPPR (bits 24-31) | XISR (bits 0-23). A priority is 0 (most favoured) to 0xff
 * (masked / least favoured). XISR 2 is the inter-processor interrupt, whose priority is the
 * server's MFRR; XISR 0 is "nothing pending".
 */
#ifndef VMM_PAPR_XICS_H
#define VMM_PAPR_XICS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define XICS_IRQ_BASE	  0x1000u /* the first source number (QEMU's spapr too) */
#define XICS_MAX_SOURCES  1024u
#define XICS_MAX_SERVERS  64u
#define XICS_IPI	  2u
#define XICS_PRIO_MASKED  0xffu
#define XICS_XISR_MASK	  0x00ffffffu

struct xics_icp {
	uint32_t xirr;		  /* CPPR << 24 | XISR of the interrupt presented */
	uint8_t mfrr;		  /* IPI priority; 0xff: no IPI */
	uint8_t pending_priority; /* priority of XISR, 0xff if none */
	bool output;		  /* the level last given to output() */
};

struct xics_source {
	uint32_t server;
	uint8_t priority;	/* 0xff: masked */
	uint8_t saved_priority; /* what ibm,int-on restores */
	bool asserted;		/* the device's line */
	bool sent;		/* presented to a server, not yet EOI'd or rejected */
};

struct xics {
	pthread_mutex_t lock;
	unsigned nr_servers, nr_sources;
	struct xics_icp icp[XICS_MAX_SERVERS];
	struct xics_source src[XICS_MAX_SOURCES];
	void (*output)(void *opaque, unsigned server, bool level);
	void *opaque;
};

/* nr_servers vcpus (1..XICS_MAX_SERVERS), nr_sources sources (1..XICS_MAX_SOURCES) from
 * XICS_IRQ_BASE, all masked, every CPPR 0 (nothing presented until the guest opens it), as
 * at power-on. 0 or -EINVAL. */
int xics_init(struct xics *x, unsigned nr_servers, unsigned nr_sources,
	      void (*output)(void *opaque, unsigned server, bool level), void *opaque);
void xics_destroy(struct xics *x);
/* Power-on state again (a guest reboot); the sources' line levels are kept. */
void xics_reset(struct xics *x);

/* A device's line: irq is a global source number (XICS_IRQ_BASE + n). -EINVAL if no such
 * source. */
int xics_set_irq(struct xics *x, uint32_t irq, bool level);

/* The hypercalls, for the calling vcpu's server; each returns a PAPR H_* status. */
long xics_h_cppr(struct xics *x, unsigned server, uint64_t cppr);
long xics_h_eoi(struct xics *x, unsigned server, uint64_t xirr);
long xics_h_ipi(struct xics *x, uint64_t server, uint64_t mfrr);
long xics_h_xirr(struct xics *x, unsigned server, uint64_t *xirr);
long xics_h_ipoll(struct xics *x, uint64_t server, uint64_t *xirr, uint64_t *mfrr);

/* The RTAS calls; each returns an RTAS status (0, or -3 for a bad source or server). */
int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t priority);
int xics_get_xive(struct xics *x, uint32_t irq, uint32_t *server, uint32_t *priority);
int xics_int_off(struct xics *x, uint32_t irq);
int xics_int_on(struct xics *x, uint32_t irq);

#endif
