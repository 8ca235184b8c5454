/* SPDX-License-Identifier: MIT */
/* The pseries board's secondary vcpus (pseries_smp.c): each on its own host thread, stopped
 * at power-on as PAPR has them, started by RTAS start-cpu at an entry point with r3 given,
 * stopped again by RTAS stop-self (or by the board for a reboot). A running one runs through
 * the shared vcpu loop's vmm_vcpu_run_secondary. */
#ifndef VMM_BOARDS_PSERIES_SMP_H
#define VMM_BOARDS_PSERIES_SMP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "machine.h"

#define PSERIES_SMP_MAX 64u

enum pseries_cpu_state {
	PSERIES_CPU_STOPPED, /* parked on its thread, not in the guest */
	PSERIES_CPU_STARTING, /* start-cpu asked for it */
	PSERIES_CPU_RUNNING,
};

struct pseries_cpu {
	struct pseries_smp *smp;
	unsigned index;
	struct skvm_vcpu *vcpu;
	pthread_t thread;
	bool has_thread;
	enum pseries_cpu_state state;
	bool stop_req; /* the board wants it parked (reboot, destroy) */
	uint64_t entry, r3, lpcr;
};

struct pseries_smp {
	struct vmm_machine *m;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* any state change */
	unsigned nr;	     /* vcpus, the boot vcpu (0, the machine's loop) included */
	bool exiting;
	struct pseries_cpu cpu[PSERIES_SMP_MAX];
};

/* The secondaries vcpus[1..nr-1] (vcpus[0] is the boot vcpu), each on a new thread,
 * stopped. On failure what was started is stopped again. */
VMM_MUST_CHECK int pseries_smp_init(struct pseries_smp *s, struct vmm_machine *m,
				    struct skvm_vcpu *const *vcpus, unsigned nr,
				    struct vmm_err *err);
/* Stops and joins the threads (before the VM goes). Safe after a failed init. */
void pseries_smp_destroy(struct pseries_smp *s);
/* RTAS start-cpu: 0, or -1 if cpu is no stopped secondary. lpcr: the partition's. */
int pseries_smp_start(struct pseries_smp *s, unsigned cpu, uint64_t entry, uint64_t r3,
		      uint64_t lpcr);
/* RTAS query-cpu-stopped-state: 0 stopped, 2 running, -1 no such cpu. */
int pseries_smp_state(struct pseries_smp *s, unsigned cpu);
/* Every secondary stopped and parked (a reboot; the boot vcpu's thread). */
void pseries_smp_stop_all(struct pseries_smp *s);

/* A vcpu (not running) at an entry point as PAPR starts one: real mode, big-endian, 64-bit,
 * pc, r3, r4, the rest 0, LPCR lpcr. 0 or a negative errno. */
VMM_MUST_CHECK int pseries_vcpu_enter(struct skvm_vcpu *vcpu, uint64_t pc, uint64_t r3,
				      uint64_t r4, uint64_t lpcr);

#endif
