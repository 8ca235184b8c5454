/* SPDX-License-Identifier: MIT */
/* The vcpu loop: KVM_RUN, then handle the exit in userspace (MMIO and DCR to the buses,
 * reset and power-off, hypercalls), until the guest or the watchdog ends the run.
 *
 * How a guest ends the run -- only through what it does to its devices and its vcpu, never
 * through what it prints:
 *   power-off   its power-off register (the board's syscon-poweroff: VMM_GUEST_POWEROFF),
 *               or a system event SHUTDOWN from the hypervisor;
 *   halt        its vcpu halted for good (SKVM_EXIT_SHUTDOWN: MSR[WE] or a branch to itself
 *               with nothing able to wake it), unless the board says a device could still
 *               raise an input that MSR lets in (then the vcpu waits on, as on hardware);
 *   reset       DBCR0[RST], the watchdog or the syscon-reboot register: a reboot, or the
 *               end of the run with no_reboot;
 *   panic       its pvpanic device (VMM_GUEST_PANIC). The kernel has not finished its report
 *               then, so the run goes on until it resets, powers off or halts, or its console
 *               has been quiet for VMM_PANIC_QUIET_MS, or VMM_PANIC_GRACE_S have passed;
 *               whatever comes first ends the run as the panic.
 *
 * With a gdb stub (m->gdb), every vcpu's thread hands it its vcpu (gdbstub.h): at a debug
 * exit (breakpoint, single step) and when the stub asks for a stop (gdb attaching, its
 * Ctrl-C, another vcpu's stop). While gdb has the machine, the run's wake-ups (the
 * watchdog, the console) are still seen to. */
#ifndef VMM_VCPU_LOOP_H
#define VMM_VCPU_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "error.h"
#include "gdbstub.h"
#include "machine.h"
#include "watchdog.h"

#define VMM_PANIC_QUIET_MS 250
#define VMM_PANIC_GRACE_S  5

struct vmm_run_opts {
	bool no_reboot;		     /* a guest reset ends the run instead of rebooting */
	struct vmm_console *console; /* Ctrl-A x ends the run; output times the panic grace */
};

enum vmm_stop_reason {
	VMM_STOP_SHUTDOWN,	 /* the guest powered off (its power-off register) */
	VMM_STOP_HALTED,	 /* its vcpu halted for good (SKVM_EXIT_SHUTDOWN) */
	VMM_STOP_RESET,		 /* the guest reset, with no_reboot */
	VMM_STOP_INTERNAL_ERROR, /* the hypervisor cannot continue the guest */
	VMM_STOP_TIMEOUT,	 /* --timeout */
	VMM_STOP_SIGNAL,	 /* SIGINT / SIGTERM */
	VMM_STOP_QUIT,		 /* the console's escape key (Ctrl-A x) */
	VMM_STOP_PANIC,		 /* a guest kernel panic (its pvpanic device) */
	VMM_STOP_GDB_KILL,	 /* gdb's kill */
};

struct vmm_stop {
	enum vmm_stop_reason reason;
	int signo;	   /* VMM_STOP_SIGNAL */
	uint32_t suberror; /* VMM_STOP_INTERNAL_ERROR: enum skvm_internal_error */
	uint64_t pc;	   /* VMM_STOP_INTERNAL_ERROR, VMM_STOP_HALTED */
	uint32_t insn;	   /* VMM_STOP_INTERNAL_ERROR */
};

/* Runs until the guest or the watchdog stops it (0, *stop says why) or a host failure (a
 * negative errno, message in err). m must have been reset. */
VMM_MUST_CHECK int vmm_vcpu_loop(struct vmm_machine *m, const struct vmm_run_opts *opts,
				 struct vmm_watchdog *wd, struct vmm_stop *stop,
				 struct vmm_err *err);

/* A secondary vcpu of an SMP board, on its own thread: runs it until it is kicked
 * (VMM_SECONDARY_KICKED: the board looks at why), stops itself or raised a request for the
 * boot vcpu's loop (VMM_SECONDARY_STOPPED: power-off, reboot, panic, an internal error --
 * the boot vcpu is kicked to act on it -- or the gdb stub's end), or a host failure (a
 * negative errno, message in err). Its MMIO and PAPR hypercall exits are handled as the
 * boot vcpu's are; it stops for gdb as the boot vcpu does. */
enum { VMM_SECONDARY_KICKED = 1, VMM_SECONDARY_STOPPED = 2 };
VMM_MUST_CHECK int vmm_vcpu_run_secondary(struct vmm_machine *m, unsigned cpu,
					  struct skvm_vcpu *vcpu, struct vmm_err *err);

/* "emulation failure", ...: the name of an internal-error suberror (never NULL). */
const char *vmm_internal_error_name(uint32_t suberror, char *buf, size_t len);

#endif
