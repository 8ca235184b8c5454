// SPDX-License-Identifier: MIT
/* Guest debug of a PR vcpu (KVM_SET_GUEST_DEBUG: book3s_pr.c's kvmppc_setup_debug and the
 * software breakpoint of emulate.c in the seeds), what the 440's vcpu offers (vcpu.c):
 *   - ENABLE: the software breakpoint KVMPPC_INST_SW_BREAKPOINT (SKVM_REG_PPC_DEBUG_INST)
 *     exits SKVM_EXIT_DEBUG with its own address, not executed, in either privilege state
 *     of the guest, instead of being the guest's illegal instruction;
 *   - SINGLESTEP: each run executes one instruction and exits SKVM_EXIT_DEBUG with the PC
 *     after it. An instruction that takes an interrupt ends its step at the vector; one
 *     that exits to the VMM (MMIO, a PAPR hcall) reports that exit first and the debug
 *     exit at the next run, once it is complete. The guest's own MSR[SE]/MSR[BE] trace goes
 *     on underneath: its trace interrupt is then where the step ends.
 * No hardware breakpoints or watchpoints: KVM PR offers none (KVM_CAP_GUEST_DEBUG_HW_BPS and
 * _HW_WPS are 0), and USE_HW_BP is refused.
 *
 * A debugger plants a breakpoint by writing guest RAM and telling skvm_vm_flush_icache,
 * which drops the decoded page from every vcpu's cache (book3s_pr_vm_flush_code): a stale
 * decode of the instruction it replaced never runs. KVMPPC_INST_SW_BREAKPOINT reads the
 * same in either byte order (00 dd dd 00), so it is one word for big- and little-endian
 * code alike.
 */
#include "kvm/book3s/pr_vcpu.h"

int book3s_pr_set_guest_debug(struct book3s_pr_vcpu *v, uint32_t control)
{
	if (control & SKVM_GUESTDBG_USE_HW_BP)
		return -EINVAL;
	v->dbg_control = control;
	v->step_exited = false;
	return 0;
}

bool pr_debug_sw_breakpoint(struct book3s_pr_vcpu *v, const struct cpu_trap *t)
{
	if (!(v->dbg_control & SKVM_GUESTDBG_ENABLE) || t->insn != KVMPPC_INST_SW_BREAKPOINT ||
	    !(t->esr & CPU_ESR_PIL))
		return false;
	pr_account(v, SKVM_EXITS_DEBUG);
	v->cpu.pc = t->pc;
	pr_debug_exit(v, t->pc);
	return true;
}

void pr_debug_exit(struct book3s_pr_vcpu *v, uint64_t pc)
{
	struct skvm_run *run = v->run;

	run->exit_reason = SKVM_EXIT_DEBUG;
	run->debug.arch.address = pc;
	run->debug.arch.status = SKVM_DEBUG_NONE;
	run->debug.arch.reserved = 0;
}

bool pr_debug_step_done(struct book3s_pr_vcpu *v)
{
	bool done = v->step_exited;

	v->step_exited = false;
	if (!done || !(v->dbg_control & SKVM_GUESTDBG_SINGLESTEP))
		return false;
	pr_account(v, SKVM_EXITS_DEBUG);
	pr_debug_exit(v, v->cpu.pc);
	return true;
}

void pr_debug_step(struct book3s_pr_vcpu *v)
{
	/* one instruction, with the guest's own trace interrupt if its MSR asks for one */
	pr_trace_step(v);
	switch (v->run->exit_reason) {
	case SKVM_EXIT_UNKNOWN:
		pr_account(v, SKVM_EXITS_DEBUG);
		pr_debug_exit(v, v->cpu.pc);
		break;
	case SKVM_EXIT_MMIO:
	case SKVM_EXIT_PAPR_HCALL:
		v->step_exited = true; /* the instruction completes at the next run */
		break;
	default:
		break; /* a breakpoint, an internal error, a kick: as they are */
	}
}
