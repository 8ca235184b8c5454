// SPDX-License-Identifier: MIT
/* A vcpu halted for good (SKVM_EXIT_SHUTDOWN, see skvm.h).
 *
 * A guest ends by waiting where nothing can wake it: Linux's halt on a 440 (machine_hang)
 * disables interrupts and spins in `while (1);`, bare-metal programs sit in MSR[WE] or `b .`
 * with interrupts off. A real 440 would wait there forever; the VMM would rather power off.
 * Which interrupt classes can still be taken is Book E's MSR: EE gates the external input,
 * the decrementer and the FIT; CE the critical input and the watchdog; DE debug interrupts;
 * ME machine checks, which softkvm raises only synchronously (a fetch or access error), so a
 * vcpu that executes nothing never takes one. A watchdog reset (TCR[WRC]) ignores MSR.
 */
#include "booke.h"

#define DBCR0_IDM 0x40000000u /* internal debug mode: debug events are enabled */

bool kvmppc_halted_for_good(const struct skvm_vcpu *vcpu)
{
	uint32_t msr = kvmppc_get_msr(vcpu), tcr = vcpu->timer.tcr;

	if (msr & PPC_MSR_EE)
		return false; /* the external input is the VMM's to raise at any time */
	if (vcpu->pending & booke_deliverable_mask(msr))
		return false;
	if (tcr & TCR_WRC_MASK)
		return false;
	if ((msr & PPC_MSR_CE) && ((tcr & TCR_WIE) || vcpu->crit_level))
		return false;
	if ((msr & PPC_MSR_DE) && (vcpu->dbcr0 & DBCR0_IDM))
		return false;
	return true;
}

/* I-form `b` with LK (not AA) and displacement 0; B-form `bc` with BO = 1z1zz (branch
 * always), LK (not AA) and displacement 0. */
static bool branch_to_self(uint32_t insn)
{
	if ((insn & ~1u) == 0x48000000u)
		return true;
	return (insn & 0xfc00fffeu) == 0x40000000u && ((insn >> 21) & 0x14) == 0x14;
}

bool kvmppc_at_branch_to_self(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;
	const uint8_t *p = shadow_tlb_fetch_ptr(&c->stlb, c->itag, c->pc & ~3u);

	if (!p)
		return false;
	return branch_to_self((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
			      p[3]);
}
