/* The vcpu loop: KVM_RUN, then handle the exit in userspace (MMIO and DCR to the buses,
 * reset and power-off, hypercalls), until the guest or the watchdog ends the run. */
#ifndef VMM_VCPU_LOOP_H
#define VMM_VCPU_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "error.h"
#include "machine.h"
#include "watchdog.h"

struct vmm_run_opts {
	bool no_reboot;		     /* a guest reset ends the run instead of rebooting */
	struct vmm_console *console; /* its events end the run (NULL: none) */
};

enum vmm_stop_reason {
	VMM_STOP_SHUTDOWN,	 /* the guest powered off */
	VMM_STOP_RESET,		 /* the guest reset, with no_reboot */
	VMM_STOP_INTERNAL_ERROR, /* the hypervisor cannot continue the guest */
	VMM_STOP_TIMEOUT,	 /* --timeout */
	VMM_STOP_SIGNAL,	 /* SIGINT / SIGTERM */
	VMM_STOP_QUIT,		 /* the console's escape key (Ctrl-A x) */
	VMM_STOP_HALTED,	 /* the guest halted for good ("System Halted" on its console) */
	VMM_STOP_PANIC,		 /* a guest kernel panic (on its console) */
};

struct vmm_stop {
	enum vmm_stop_reason reason;
	int signo;	   /* VMM_STOP_SIGNAL */
	uint32_t suberror; /* VMM_STOP_INTERNAL_ERROR: enum skvm_internal_error */
	uint32_t pc, insn;
	char panic[256]; /* VMM_STOP_PANIC: the panic message */
};

/* Runs until the guest or the watchdog stops it (0, *stop says why) or a host failure (a
 * negative errno, message in err). m must have been reset. */
VMM_MUST_CHECK int vmm_vcpu_loop(struct vmm_machine *m, const struct vmm_run_opts *opts,
				 struct vmm_watchdog *wd, struct vmm_stop *stop,
				 struct vmm_err *err);

/* "emulation failure", ...: the name of an internal-error suberror (never NULL). */
const char *vmm_internal_error_name(uint32_t suberror, char *buf, size_t len);

#endif
