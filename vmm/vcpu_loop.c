// SPDX-License-Identifier: MIT
/* The vcpu loop (see vcpu_loop.h). */
#include "vcpu_loop.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* ePAPR hypercall status for a hypercall nobody implements (ePAPR 1.1, EV_UNIMPLEMENTED). */
#define EPAPR_EV_UNIMPLEMENTED 12

/* What the exit handlers return: go on, or the run is over (*stop filled). Negative: a
 * host failure (message in err). */
enum { LOOP_CONTINUE = 0, LOOP_STOP = 1 };

struct loop {
	struct vmm_machine *m;
	const struct vmm_run_opts *opts;
	struct vmm_watchdog *wd;
	struct vmm_stop *stop;
	struct vmm_err *err;
	bool panic; /* a guest kernel panic whose report is still being written */
};

const char *vmm_internal_error_name(uint32_t suberror, char *buf, size_t len)
{
	switch (suberror) {
	case SKVM_INTERNAL_ERROR_EMULATION:
		return "emulation failure";
	case SKVM_INTERNAL_ERROR_UNSUPPORTED:
		return "unsupported instruction for MMIO";
	case SKVM_INTERNAL_ERROR_CHECKSTOP:
		return "checkstop (machine check with MSR[ME]=0)";
	}
	snprintf(buf, len, "suberror %" PRIu32, suberror);
	return buf;
}

static int loop_end(struct loop *l, enum vmm_stop_reason reason)
{
	l->stop->reason = reason;
	return LOOP_STOP;
}

/* ---- the panic grace ---- */

/* The kernel has not finished its report when it tells the pvpanic device: the console
 * wakes the vcpu loop once its output has been quiet long enough (see vcpu_loop.h). */
static int loop_panic_start(struct loop *l)
{
	struct vmm_console *con = l->opts->console;

	if (l->panic)
		return LOOP_CONTINUE;
	pr_debug("pvpanic: guest kernel panic; waiting for the end of its report");
	l->panic = true;
	if (!con || vmm_console_watch_quiet(con, VMM_PANIC_QUIET_MS * 1000000ull,
					    VMM_PANIC_GRACE_S * 1000000000ull))
		return loop_end(l, VMM_STOP_PANIC); /* nothing to wait for */
	return LOOP_CONTINUE;
}

/* ---- exits ---- */

/* An MMIO exit of any vcpu (its run structure). */
static int exit_mmio(struct vmm_machine *m, struct skvm_run *run, struct vmm_err *err)
{
	int rc = vmm_bus_mmio(&m->mmio, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
			      run->mmio.is_write);

	if (rc)
		return vmm_err_set(err, rc, "%u-byte MMIO %s at 0x%08" PRIx64 " failed: %s",
				   run->mmio.len, run->mmio.is_write ? "store" : "load",
				   run->mmio.phys_addr, strerror(-rc));
	return 0;
}

/* A PAPR hypercall exit of vcpu cpu: the board's. 0, VMM_VCPU_STOPS or an error. */
static int exit_papr_hcall(struct vmm_machine *m, unsigned cpu, struct skvm_run *run,
			   struct vmm_err *err)
{
	if (!m->ops->papr_hcall)
		return vmm_err_set(err, -EPROTO, "PAPR hypercall on a board without PAPR");
	return m->ops->papr_hcall(m, cpu, run, err);
}

static int loop_mmio(struct loop *l)
{
	return exit_mmio(l->m, l->m->run, l->err);
}

static int loop_dcr(struct loop *l)
{
	struct skvm_run *run = l->m->run;
	int rc = vmm_bus_dcr(&l->m->dcr, run->dcr.dcrn, &run->dcr.data, run->dcr.is_write);

	if (rc == -ENODEV) {
		run->dcr.status = SKVM_DCR_UNCLAIMED;
		return LOOP_CONTINUE;
	}
	if (rc)
		return vmm_err_set(l->err, rc, "%s of DCR 0x%" PRIx32 " failed: %s",
				   run->dcr.is_write ? "mtdcr" : "mfdcr", run->dcr.dcrn,
				   strerror(-rc));
	return LOOP_CONTINUE;
}

/* A guest reset (DBCR0, watchdog, syscon-reboot): after a panic it is the panic's end
 * (panic=-1 restarts at once); else a reboot, or the end with no_reboot. */
static int loop_reset(struct loop *l)
{
	struct vmm_machine *m = l->m;
	int rc;

	if (l->panic)
		return loop_end(l, VMM_STOP_PANIC);
	if (l->opts->no_reboot)
		return loop_end(l, VMM_STOP_RESET);
	pr_info("guest reset: rebooting");
	m->reboots++;
	rc = m->ops->reset(m, l->err);
	if (!rc && m->gdb)
		vmm_gdb_machine_reset(m->gdb); /* the reloaded RAM lost the breakpoints */
	return rc;
}

/* SKVM_EXIT_SHUTDOWN: the vcpu waits for good unless one of the board's inputs that MSR
 * lets in can still rise. */
static int loop_halted(struct loop *l)
{
	struct vmm_machine *m = l->m;
	struct skvm_regs regs;
	bool crit, ext;
	int rc;

	if (l->panic)
		return loop_end(l, VMM_STOP_PANIC); /* panic=0 on a kernel that halts */
	rc = skvm_vcpu_get_regs(m->vcpu, &regs);
	if (rc)
		return vmm_err_set(l->err, rc, "cannot read the vcpu's registers: %s",
				   strerror(-rc));
	crit =
	    (regs.msr & PPC_MSR_CE) && (!m->ops->input_may_rise || m->ops->input_may_rise(m, true));
	ext = (regs.msr & PPC_MSR_EE) &&
	      (!m->ops->input_may_rise || m->ops->input_may_rise(m, false));
	if (crit || ext) {
		pr_debug("vcpu waits at 0x%08" PRIx64 " for its %s input", regs.pc,
			 crit ? "critical" : "external");
		return LOOP_CONTINUE;
	}
	l->stop->pc = regs.pc;
	return loop_end(l, VMM_STOP_HALTED);
}

/* After an MMIO, DCR or PAPR hypercall exit: what the guest asked for through a device. */
static int loop_guest_requests(struct loop *l)
{
	uint32_t req = __atomic_exchange_n(&l->m->guest_requests, 0, __ATOMIC_SEQ_CST);
	int rc = LOOP_CONTINUE;

	if (req & VMM_GUEST_CPU_FAILED) {
		l->stop->suberror = l->m->cpu_failure.suberror;
		l->stop->pc = l->m->cpu_failure.pc;
		l->stop->insn = l->m->cpu_failure.insn;
		return loop_end(l, VMM_STOP_INTERNAL_ERROR);
	}
	if (req & VMM_GUEST_PANIC)
		rc = loop_panic_start(l);
	if (rc == LOOP_CONTINUE && (req & VMM_GUEST_POWEROFF))
		rc = loop_end(l, l->panic ? VMM_STOP_PANIC : VMM_STOP_SHUTDOWN);
	if (rc == LOOP_CONTINUE && (req & VMM_GUEST_RESET))
		rc = loop_reset(l);
	return rc;
}

/* A kick: the watchdog, the console, the panic timer, or host input for the devices. */
static int loop_kicked(struct loop *l)
{
	struct vmm_machine *m = l->m;
	int rc;

	switch (vmm_watchdog_reason(l->wd, &l->stop->signo)) {
	case VMM_WATCHDOG_TIMEOUT:
		return loop_end(l, VMM_STOP_TIMEOUT);
	case VMM_WATCHDOG_SIGNAL:
		return loop_end(l, VMM_STOP_SIGNAL);
	case VMM_WATCHDOG_NONE:
		break;
	}
	if (l->opts->console && vmm_console_event(l->opts->console) == VMM_CONSOLE_QUIT)
		return loop_end(l, VMM_STOP_QUIT);
	if (l->panic && vmm_console_quiet(l->opts->console))
		return loop_end(l, VMM_STOP_PANIC);
	if (__atomic_load_n(&m->guest_requests, __ATOMIC_SEQ_CST)) /* a secondary vcpu's */
		return loop_guest_requests(l);
	if (m->ops->poll) {
		rc = m->ops->poll(m, l->err);
		if (rc)
			return rc;
	}
	return LOOP_CONTINUE;
}

/* gdb has the machine until it resumes it (signo: the boot vcpu's own stop, or 0); the
 * run's wake-ups are seen to meanwhile. */
static int loop_gdb_stop(struct loop *l, int signo)
{
	int rc;

	for (;;) {
		switch (vmm_gdb_park(l->m->gdb, 0, signo)) {
		case VMM_GDB_RESUME:
			return LOOP_CONTINUE;
		case VMM_GDB_KILL:
			return loop_end(l, VMM_STOP_GDB_KILL);
		case VMM_GDB_WOKEN:
			rc = loop_kicked(l);
			if (rc != LOOP_CONTINUE)
				return rc;
			signo = 0; /* its stop is the machine's now */
			break;
		}
	}
}

/* A debug exit of vcpu cpu (its run structure): the signal it stops with for gdb, 0 to run
 * on, or a negative errno without gdb. */
static int exit_debug(struct vmm_machine *m, unsigned cpu, struct skvm_run *run,
		      struct vmm_err *err)
{
	if (!m->gdb)
		return vmm_err_set(err, -EPROTO,
				   "vcpu %u: debug exit at 0x%08" PRIx64 " without gdb", cpu,
				   run->debug.arch.address);
	return vmm_gdb_debug_exit(m->gdb, cpu, run->debug.arch.address, run->debug.arch.status);
}

static int loop_debug(struct loop *l)
{
	int signo = exit_debug(l->m, 0, l->m->run, l->err);

	if (signo < 0)
		return signo;
	return signo ? loop_gdb_stop(l, signo) : LOOP_CONTINUE;
}

static int loop_exit(struct loop *l)
{
	struct skvm_run *run = l->m->run;
	int rc;

	switch (run->exit_reason) {
	case SKVM_EXIT_MMIO:
		rc = loop_mmio(l);
		return rc || !l->m->guest_requests ? rc : loop_guest_requests(l);
	case SKVM_EXIT_DCR:
		rc = loop_dcr(l);
		return rc || !l->m->guest_requests ? rc : loop_guest_requests(l);
	case SKVM_EXIT_SHUTDOWN:
		return loop_halted(l);
	case SKVM_EXIT_SYSTEM_EVENT:
		if (run->system_event.type == SKVM_SYSTEM_EVENT_SHUTDOWN)
			return loop_end(l, l->panic ? VMM_STOP_PANIC : VMM_STOP_SHUTDOWN);
		if (run->system_event.type == SKVM_SYSTEM_EVENT_RESET)
			return loop_reset(l);
		return vmm_err_set(l->err, -EPROTO, "unknown system event %" PRIu32,
				   run->system_event.type);
	case SKVM_EXIT_HYPERCALL:
		pr_debug("hypercall 0x%" PRIx64 " not implemented", run->hcall.nr);
		run->hcall.ret = EPAPR_EV_UNIMPLEMENTED;
		run->hcall.ret2 = 0;
		return LOOP_CONTINUE;
	case SKVM_EXIT_PAPR_HCALL:
		rc = exit_papr_hcall(l->m, 0, run, l->err);
		if (rc == VMM_VCPU_STOPS)
			rc = 0; /* the boot vcpu's stop-self: it waits for an interrupt instead */
		/* RTAS power-off, system-reboot and ibm,os-term are requests too */
		return rc || !l->m->guest_requests ? rc : loop_guest_requests(l);
	case SKVM_EXIT_DEBUG:
		return loop_debug(l);
	case SKVM_EXIT_INTERNAL_ERROR:
		l->stop->suberror = run->internal.suberror;
		l->stop->pc = run->internal.data[0];
		l->stop->insn = (uint32_t)run->internal.data[1];
		return loop_end(l, VMM_STOP_INTERNAL_ERROR);
	default:
		/* not KVM's */
		return vmm_err_set(l->err, -EPROTO, "unexpected exit reason %" PRIu32,
				   run->exit_reason);
	}
}

int vmm_vcpu_loop(struct vmm_machine *m, const struct vmm_run_opts *opts, struct vmm_watchdog *wd,
		  struct vmm_stop *stop, struct vmm_err *err)
{
	struct loop l = {.m = m, .opts = opts, .wd = wd, .stop = stop, .err = err};
	int rc;

	memset(stop, 0, sizeof(*stop));
	do {
		if (m->gdb && vmm_gdb_poll(m->gdb, 0)) {
			rc = loop_gdb_stop(&l, 0);
			continue;
		}
		rc = skvm_vcpu_run(m->vcpu);
		if (rc == -EINTR || (rc == 0 && m->run->exit_reason == SKVM_EXIT_INTR))
			rc = loop_kicked(&l);
		else if (rc)
			rc = vmm_err_set(err, rc, "cannot run the vcpu: %s", strerror(-rc));
		else
			rc = loop_exit(&l);
	} while (rc == LOOP_CONTINUE);
	return rc < 0 ? rc : 0;
}

/* ---- secondary vcpus ---- */

/* A secondary vcpu parked for gdb (signo: its own stop, or 0): 0 to run on, or why it
 * returns to the board. */
static int secondary_gdb_stop(struct vmm_machine *m, unsigned cpu, int signo)
{
	switch (vmm_gdb_park(m->gdb, cpu, signo)) {
	case VMM_GDB_RESUME:
		return 0;
	case VMM_GDB_WOKEN:
		return VMM_SECONDARY_KICKED; /* the board looks, then it parks again */
	case VMM_GDB_KILL:
		break;
	}
	return VMM_SECONDARY_STOPPED; /* the run is over */
}

static int run_secondary(struct vmm_machine *m, unsigned cpu, struct skvm_vcpu *vcpu,
			 struct vmm_err *err)
{
	struct skvm_run *run = skvm_vcpu_run_data(vcpu);
	int rc;

	for (;;) {
		if (m->gdb && vmm_gdb_poll(m->gdb, cpu)) {
			rc = secondary_gdb_stop(m, cpu, 0);
			if (rc)
				return rc;
		}
		rc = skvm_vcpu_run(vcpu);
		if (rc == -EINTR || (rc == 0 && run->exit_reason == SKVM_EXIT_INTR))
			return VMM_SECONDARY_KICKED;
		if (rc)
			return vmm_err_set(err, rc, "cannot run vcpu %u: %s", cpu, strerror(-rc));
		switch (run->exit_reason) {
		case SKVM_EXIT_MMIO:
			rc = exit_mmio(m, run, err);
			break;
		case SKVM_EXIT_PAPR_HCALL:
			rc = exit_papr_hcall(m, cpu, run, err);
			if (rc == VMM_VCPU_STOPS)
				return VMM_SECONDARY_STOPPED;
			break;
		case SKVM_EXIT_INTERNAL_ERROR:
			m->cpu_failure = (struct vmm_cpu_failure){.suberror = run->internal.suberror,
								  .pc = run->internal.data[0],
								  .insn = (uint32_t)run->internal.data[1]};
			__atomic_fetch_or(&m->guest_requests, VMM_GUEST_CPU_FAILED, __ATOMIC_SEQ_CST);
			skvm_vcpu_kick(m->vcpu);
			return VMM_SECONDARY_STOPPED;
		case SKVM_EXIT_DEBUG:
			rc = exit_debug(m, cpu, run, err);
			if (rc > 0)
				rc = secondary_gdb_stop(m, cpu, rc);
			break;
		default:
			return vmm_err_set(err, -EPROTO, "vcpu %u: unexpected exit reason %" PRIu32,
					   cpu, run->exit_reason);
		}
		if (rc)
			return rc;
		if (__atomic_load_n(&m->guest_requests, __ATOMIC_SEQ_CST)) {
			/* power-off, reboot, panic: the boot vcpu's loop acts on them */
			skvm_vcpu_kick(m->vcpu);
			return VMM_SECONDARY_STOPPED;
		}
	}
}

int vmm_vcpu_run_secondary(struct vmm_machine *m, unsigned cpu, struct skvm_vcpu *vcpu,
			   struct vmm_err *err)
{
	int rc = run_secondary(m, cpu, vcpu, err);

	if (m->gdb)
		vmm_gdb_leave(m->gdb, cpu, rc != VMM_SECONDARY_KICKED);
	return rc;
}
