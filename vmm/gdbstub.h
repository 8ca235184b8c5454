/* SPDX-License-Identifier: MIT */
/* The gdb stub: `softkvm run --gdb tcp:HOST:PORT [--gdb-wait]` serves the GDB remote serial
 * protocol to one gdb at a time.
 *
 * Threads share the work, so that none ever waits on another's business:
 *   - the stub's thread owns the sockets: it accepts a connection, frames and acknowledges
 *     packets, answers those that need no vcpu (gdb_cmd_local) and sends what is queued for
 *     gdb. A Ctrl-C from gdb (0x03 while the guest runs) becomes a stop request and a kick
 *     of every vcpu (skvm_vcpu_kick) from this thread;
 *   - every vcpu thread (vcpu_loop.c: the boot vcpu's loop and the secondaries') parks for
 *     gdb when the machine stops for it: all-stop, one vcpu's stop (a breakpoint, the end of
 *     a step) or a stop request (Ctrl-C, gdb attaching, --gdb-wait) kicks the others and each
 *     parks before its next run;
 *   - the boot vcpu's thread (vcpu 0) serves gdb: once every vcpu is parked (or not started
 *     by the guest) it tells gdb of the stop and carries out gdb's vcpu packets
 *     (gdb_cmd_vcpu) on whichever vcpu they are about through the public API (a vcpu that
 *     is not running may be used from any thread), until gdb resumes, detaches or kills.
 *     A continue releases every vcpu, a step only the vcpu it steps (the others stay
 *     parked until it has stopped again).
 * A parked boot vcpu thread still answers the run's other wake-ups (vmm_gdb_wake:
 * --timeout, SIGINT/SIGTERM, Ctrl-A x), so a debugger never keeps softkvm from ending.
 *
 * A connection that closes, or stops reading (its output queue full), is dropped: the
 * machine stops, its breakpoints are removed and it runs on, as after gdb's detach. Without
 * --gdb-wait the guest runs until gdb connects; gdb attaching stops it.
 */
#ifndef VMM_GDBSTUB_H
#define VMM_GDBSTUB_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "machine.h"

struct vmm_gdb;

enum vmm_gdb_resume {
	VMM_GDB_RESUME, /* run the guest again */
	VMM_GDB_KILL,	/* gdb's kill (vcpu 0), the stub's end (the others): stop running */
	VMM_GDB_WOKEN,	/* vmm_gdb_wake: see to the thread's wake-up, then park again */
};

/* Listens on spec (gdb_address.h) and starts the stub's thread (call it with the signals already
 * blocked) for m's vcpus (m->vcpus). wait: the guest does not run until gdb has connected
 * and resumed it. */
VMM_MUST_CHECK int vmm_gdb_start(const char *spec, bool wait, struct vmm_machine *m,
				 struct vmm_gdb **out, struct vmm_err *err);
/* "127.0.0.1:1234": where it listens (the port chosen, for PORT 0). */
const char *vmm_gdb_address(const struct vmm_gdb *g);
/* The run is over (exit_status: softkvm's): a gdb waiting for the guest to stop is told
 * the "process" exited with that status; then the connection is closed, and parked vcpu
 * threads return VMM_GDB_KILL (as later parks do). g stays until vmm_gdb_free. */
void vmm_gdb_stop(struct vmm_gdb *g, int exit_status);
/* After vmm_gdb_stop, once no vcpu thread uses g any more (the machine destroyed). */
void vmm_gdb_free(struct vmm_gdb *g);
/* Any thread: makes the parked vcpu threads (and the next park of one on its way) return
 * VMM_GDB_WOKEN. */
void vmm_gdb_wake(struct vmm_gdb *g);

/* ---- on vcpu cpu's thread ---- */

/* Before each run of vcpu cpu (it counts as running from now on): true if it is to park
 * (vmm_gdb_park with signo 0). Cheap when the machine is not stopped for gdb. */
bool vmm_gdb_poll(struct vmm_gdb *g, unsigned cpu);
/* A secondary vcpu's thread stops running it for a while (a kick: the board looks at why)
 * or until it is started again (stopped: the guest stopped it, or the board; a step it was
 * making ends there). */
void vmm_gdb_leave(struct vmm_gdb *g, unsigned cpu, bool stopped);
/* SKVM_EXIT_DEBUG of vcpu cpu (run->debug.arch: address, status): the signal to park with,
 * or 0 when the exit was the stub's own business (a step while a breakpoint waits for its
 * address to be mapped). */
int vmm_gdb_debug_exit(struct vmm_gdb *g, unsigned cpu, uint64_t address, uint32_t status);
/* Parks vcpu cpu for gdb until it resumes it; signo: the vcpu's own stop (the machine stops
 * for it, unless it is stopped already), 0 to park for the machine's. Vcpu 0 serves gdb
 * meanwhile. */
enum vmm_gdb_resume vmm_gdb_park(struct vmm_gdb *g, unsigned cpu, int signo);
/* After the machine was reset (its RAM reloaded): breakpoints are planted again. */
void vmm_gdb_machine_reset(struct vmm_gdb *g);

#endif
