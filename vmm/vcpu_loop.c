/* The vcpu loop (see vcpu_loop.h). */
#include "vcpu_loop.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* ePAPR hypercall status for a hypercall nobody implements (ePAPR 1.1, EV_UNIMPLEMENTED). */
#define EPAPR_EV_UNIMPLEMENTED 12

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

static int loop_mmio(struct vmm_machine *m, struct vmm_err *err)
{
	struct skvm_run *run = m->run;
	int rc = vmm_bus_mmio(&m->mmio, run->mmio.phys_addr, run->mmio.data, run->mmio.len,
			      run->mmio.is_write);

	if (rc)
		return vmm_err_set(err, rc, "%u-byte MMIO %s at 0x%08" PRIx64 " failed: %s",
				   run->mmio.len, run->mmio.is_write ? "store" : "load",
				   run->mmio.phys_addr, strerror(-rc));
	return 0;
}

static int loop_dcr(struct vmm_machine *m, struct vmm_err *err)
{
	struct skvm_run *run = m->run;
	int rc = vmm_bus_dcr(&m->dcr, run->dcr.dcrn, &run->dcr.data, run->dcr.is_write);

	if (rc == -ENODEV) {
		run->dcr.status = SKVM_DCR_UNCLAIMED;
		return 0;
	}
	if (rc)
		return vmm_err_set(err, rc, "%s of DCR 0x%" PRIx32 " failed: %s",
				   run->dcr.is_write ? "mtdcr" : "mfdcr", run->dcr.dcrn,
				   strerror(-rc));
	return 0;
}

/* A kick: the watchdog, a console event, or host input for the devices. True if the run
 * ends (*stop filled). */
static bool loop_kicked(struct vmm_machine *m, const struct vmm_run_opts *opts,
			struct vmm_watchdog *wd, struct vmm_stop *stop, int *rc, struct vmm_err *err)
{
	*rc = 0;
	switch (vmm_watchdog_reason(wd, &stop->signo)) {
	case VMM_WATCHDOG_TIMEOUT:
		stop->reason = VMM_STOP_TIMEOUT;
		return true;
	case VMM_WATCHDOG_SIGNAL:
		stop->reason = VMM_STOP_SIGNAL;
		return true;
	case VMM_WATCHDOG_NONE:
		break;
	}
	switch (opts->console ? vmm_console_event(opts->console, stop->panic, sizeof(stop->panic))
			      : VMM_CONSOLE_NONE) {
	case VMM_CONSOLE_QUIT:
		stop->reason = VMM_STOP_QUIT;
		return true;
	case VMM_CONSOLE_HALTED:
		stop->reason = VMM_STOP_HALTED;
		return true;
	case VMM_CONSOLE_PANIC:
		stop->reason = VMM_STOP_PANIC;
		return true;
	case VMM_CONSOLE_NONE:
		break;
	}
	if (m->ops->poll)
		*rc = m->ops->poll(m, err);
	return *rc != 0;
}

int vmm_vcpu_loop(struct vmm_machine *m, const struct vmm_run_opts *opts, struct vmm_watchdog *wd,
		  struct vmm_stop *stop, struct vmm_err *err)
{
	struct skvm_run *run = m->run;

	memset(stop, 0, sizeof(*stop));
	for (;;) {
		int rc = skvm_vcpu_run(m->vcpu);

		if (rc == -EINTR || (rc == 0 && run->exit_reason == SKVM_EXIT_INTR)) {
			if (loop_kicked(m, opts, wd, stop, &rc, err))
				return rc;
			continue;
		}
		if (rc)
			return vmm_err_set(err, rc, "cannot run the vcpu: %s", strerror(-rc));

		switch (run->exit_reason) {
		case SKVM_EXIT_MMIO:
			rc = loop_mmio(m, err);
			break;
		case SKVM_EXIT_DCR:
			rc = loop_dcr(m, err);
			break;
		case SKVM_EXIT_SYSTEM_EVENT:
			if (run->system_event.type == SKVM_SYSTEM_EVENT_SHUTDOWN) {
				stop->reason = VMM_STOP_SHUTDOWN;
				return 0;
			}
			if (run->system_event.type != SKVM_SYSTEM_EVENT_RESET)
				return vmm_err_set(err, -EPROTO, "unknown system event %" PRIu32,
						   run->system_event.type);
			if (opts->console && vmm_console_panic_seen(opts->console, stop->panic,
								      sizeof(stop->panic))) {
				/* panic=N: the kernel resets after its panic */
				stop->reason = VMM_STOP_PANIC;
				return 0;
			}
			if (opts->no_reboot) {
				stop->reason = VMM_STOP_RESET;
				return 0;
			}
			pr_info("guest reset: rebooting");
			m->reboots++;
			rc = m->ops->reset(m, err);
			break;
		case SKVM_EXIT_HYPERCALL:
			pr_debug("hypercall 0x%" PRIx64 " not implemented", run->hcall.nr);
			run->hcall.ret = EPAPR_EV_UNIMPLEMENTED;
			run->hcall.ret2 = 0;
			break;
		case SKVM_EXIT_INTERNAL_ERROR:
			stop->reason = VMM_STOP_INTERNAL_ERROR;
			stop->suberror = run->internal.suberror;
			stop->pc = run->internal.pc;
			stop->insn = run->internal.insn;
			return 0;
		default:
			/* DEBUG needs a debugger (not enabled yet); others are not KVM's. */
			return vmm_err_set(err, -EPROTO, "unexpected exit reason %" PRIu32,
					   run->exit_reason);
		}
		if (rc)
			return rc;
	}
}
