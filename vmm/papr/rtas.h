/* SPDX-License-Identifier: MIT */
/* RTAS, the run-time abstraction services of a PAPR partition, in the VMM. The guest enters
 * RTAS at linux,rtas-entry in real mode, big-endian, with r3 = the physical address of its
 * argument buffer:
 *     be32 token, be32 nargs, be32 nret, be32 args[nargs], be32 rets[nret]  (nargs+nret <= 16)
 * The code there (rtas_blob) only makes the private hypercall H_RTAS with that address in r4,
 * as QEMU's spapr-rtas blob does; the VMM then runs the call named by the token and writes
 * its return cells into the buffer.
 *
 * Tokens are RTAS_TOKEN_BASE + the call's index in one table (rtas.c), from which the
 * device tree's /rtas token properties are written too (rtas_fdt_tokens).
 */
#ifndef VMM_PAPR_RTAS_H
#define VMM_PAPR_RTAS_H

#include <pthread.h>
#include <stdint.h>

#include "papr/xics.h"
#include "pci/pci.h"
#include "ram.h"

#define RTAS_TOKEN_BASE	 0x2000u
#define RTAS_MAX_CELLS	 16u /* args + rets: Linux's struct rtas_args */
#define RTAS_BLOB_SIZE	 20u /* the entry code's bytes */
#define RTAS_NVRAM_SIZE	 (64u << 10)

/* The system parameters ibm,get-system-parameter answers (PAPR+ 7.3.16.1) */
#define RTAS_SYSPARM_SPLPAR_CHARACTERISTICS 20
#define RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE   42

/* What RTAS asks of the board. */
struct rtas_ops {
	void *opaque;
	/* display-character: one byte to the console; 0 or a negative errno (host side gone) */
	int (*put_char)(void *opaque, uint8_t c);
	/* query-cpu-stopped-state: 0 stopped, 2 running, -1 no such cpu */
	int (*cpu_state)(void *opaque, uint32_t cpu);
	/* start-cpu: an RTAS status (0, or -1 when the cpu is not stopped) */
	int (*start_cpu)(void *opaque, uint32_t cpu, uint64_t entry, uint64_t r3);
	/* stop-self: the calling vcpu stops (after this call returns to the guest) */
	void (*stop_self)(void *opaque, unsigned cpu);
	/* the host's wall clock: nanoseconds since the epoch (UTC) */
	int64_t (*now_ns)(void *opaque);
};

struct rtas {
	const struct vmm_ram *ram;
	struct xics *xics;
	struct rtas_ops ops;
	uint32_t *requests; /* enum vmm_guest_request bits: power-off, reboot, os-term */
	unsigned nr_cpus;
	uint64_t ram_size;
	struct pci_phb *phb; /* the PCI host bridge the config calls reach (NULL: none) */
	pthread_mutex_t lock; /* the clock offset and the NVRAM */
	int64_t tod_offset_ns; /* set-time-of-day: guest time - host time */
	uint8_t nvram[RTAS_NVRAM_SIZE];
};

void rtas_init(struct rtas *r, const struct vmm_ram *ram, struct xics *xics,
	       const struct rtas_ops *ops, uint32_t *requests, unsigned nr_cpus);
void rtas_destroy(struct rtas *r);

/* H_RTAS from vcpu caller with r4 = args: runs the call. H_SUCCESS once the call ran (its
 * status is in the buffer; an unknown token answers -1 there, as RTAS_UNKNOWN_SERVICE), or
 * H_PARAMETER if the buffer is not in RAM or nargs + nret is more than 16. A negative errno
 * is a host failure (the console gone). */
long rtas_hcall(struct rtas *r, unsigned caller, uint64_t args, int *host_err);

/* The entry code, RTAS_BLOB_SIZE bytes of big-endian instructions:
 *   or r4,r3,r3; lis r3,0; ori r3,r3,H_RTAS; sc 1; blr */
void rtas_blob(uint8_t *buf);

/* One property per call (its name = its token) in the /rtas node. 0 or a libfdt error. */
int rtas_fdt_tokens(void *fdt, int node);
/* The token of a call by name, 0 if there is none (for tests). */
uint32_t rtas_token(const char *name);

#endif
