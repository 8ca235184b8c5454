/* SPDX-License-Identifier: MIT */
/* The gdb stub: `softkvm run --gdb tcp:HOST:PORT [--gdb-wait]` serves the GDB remote serial
 * protocol to one gdb at a time.
 *
 * Two threads share the work, so that neither ever waits on the other's business:
 *   - the stub's thread owns the sockets: it accepts a connection, frames and acknowledges
 *     packets, answers those that need no vcpu (gdb_cmd_local) and sends what is queued for
 *     gdb. A Ctrl-C from gdb (0x03 while the guest runs) becomes a stop request and a kick
 *     of the vcpu (skvm_vcpu_kick) from this thread;
 *   - the vcpu thread (vcpu_loop.c) parks for gdb when the guest stops for it (a debug exit:
 *     breakpoint or single step; a stop request: Ctrl-C, gdb attaching, --gdb-wait) and,
 *     while parked, carries out gdb's vcpu packets (gdb_cmd_vcpu) through the public API,
 *     on its own thread as the API asks, until gdb resumes, detaches or kills.
 * A parked vcpu thread still answers the run's other wake-ups (vmm_gdb_wake: --timeout,
 * SIGINT/SIGTERM, Ctrl-A x), so a debugger never keeps softkvm from ending.
 *
 * A connection that closes, or stops reading (its output queue full), is dropped: its
 * breakpoints are removed and the guest runs on, as after gdb's detach. Without --gdb-wait
 * the guest runs until gdb connects; gdb attaching stops it.
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
	VMM_GDB_KILL,	/* gdb's kill: end the run */
	VMM_GDB_WOKEN,	/* vmm_gdb_wake: see to the loop's wake-up, then park again */
};

/* Listens on spec (gdb_address.h) and starts the stub's thread (call it with the signals already
 * blocked). wait: the guest does not run until gdb has connected and resumed it. */
VMM_MUST_CHECK int vmm_gdb_start(const char *spec, bool wait, struct vmm_machine *m,
				 struct vmm_gdb **out, struct vmm_err *err);
/* "127.0.0.1:1234": where it listens (the port chosen, for PORT 0). */
const char *vmm_gdb_address(const struct vmm_gdb *g);
/* The run is over (exit_status: softkvm's): a gdb waiting for the guest to stop is told
 * the "process" exited with that status; then the connection is closed and g freed. */
void vmm_gdb_stop(struct vmm_gdb *g, int exit_status);
/* Any thread: makes a parked vcpu thread return VMM_GDB_WOKEN. */
void vmm_gdb_wake(struct vmm_gdb *g);

/* ---- on the vcpu thread ---- */

/* Before each run: carries out a connection's end (breakpoints removed); returns the
 * signal to park with when gdb asked for a stop, else 0. Cheap when there is nothing. */
int vmm_gdb_poll(struct vmm_gdb *g);
/* SKVM_EXIT_DEBUG (run->debug.arch: address, status): the signal to park with, or 0 when
 * the exit was the stub's own business (a step while a breakpoint waits for its address to
 * be mapped). */
int vmm_gdb_debug_exit(struct vmm_gdb *g, uint64_t address, uint32_t status);
/* Stops for gdb (tells it so if it is waiting) and serves it until it resumes. */
enum vmm_gdb_resume vmm_gdb_park(struct vmm_gdb *g, int signo);
/* After the machine was reset (its RAM reloaded): breakpoints are planted again. */
void vmm_gdb_machine_reset(struct vmm_gdb *g);

#endif
