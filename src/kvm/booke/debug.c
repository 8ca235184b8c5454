// SPDX-License-Identifier: MIT
/* Hardware breakpoints and watchpoints: the 440's instruction address compares IAC1-4 and
 * data address compares DAC1-2 (DBCR0[IDM] with its IACn, DACnR, DACnW enables), or the
 * VMM's own (KVM_SET_GUEST_DEBUG with KVM_GUESTDBG_USE_HW_BP, as booke.c's
 * kvmppc_booke_add_breakpoint/_watchpoint take them).
 *
 * By marking pages, so that nothing is spent while no compare is armed. A shadow TLB fill
 * withholds execute permission from a page that holds an armed IAC address and read or
 * write permission from one that holds an armed DAC address, so the core traps when it
 * reaches such a page. A data access there is compared at once: a match is the debug
 * event, before the access; otherwise, as any access to a marked page that reaches us
 * outside a step, the core stops with the PC at its instruction and the run loop executes
 * that one instruction with the marked pages open (kvmppc_debug_watch_step), then closes
 * them again. Code on a marked page runs that way, one instruction at a time, each compared
 * with the IACs first.
 *
 * Events (Book E's debug facilities, the 440 user's manual): the guest's own set DBSR's
 * bit and queue the debug interrupt (critical class, IVOR15), taken before the instruction
 * when MSR[DE] is 1; with MSR[DE] 0 the event is only recorded, with DBSR[IDE], the
 * instruction completes and the interrupt waits for MSR[DE]. The VMM's exit with
 * SKVM_EXIT_DEBUG before the instruction: address = the PC for a breakpoint, the watched
 * address for a watchpoint (as Linux's kvmppc_handle_debug). A DAC matches an access that
 * includes its byte. DBCR1/DBCR2 (IAC ranges, user/supervisor qualifiers, DAC ranges and
 * data value compares with DVC1-2) are not implemented: every compare is an exact one.
 */
#include <errno.h>
#include <string.h>

#include "booke.h"

#define DBCR0_IDM 0x40000000u
#define DBCR0_IAC(n) (0x00800000u >> (n))	    /* n = 0..3 */
#define DBCR0_DACR(n) (0x00080000u >> (2 * (n)))    /* n = 0..1 */
#define DBCR0_DACW(n) (0x00040000u >> (2 * (n)))
#define DBSR_IDE 0x80000000u
/* DBSR's IAC and DAC event bits sit where DBCR0's enables do */
#define DBSR_EVENTS (DBSR_IDE | 0x00ff0000u)

#define WATCH_R 1u
#define WATCH_W 2u

static uint32_t page_of(uint32_t ea)
{
	return ea & SHADOW_PAGE_MASK;
}

/* What a compare the VMM set through KVM_SET_GUEST_DEBUG would arm (-EINVAL past the
 * 440's four IACs and two DACs, or an unknown type). */
int kvmppc_debug_set_vmm(struct skvm_vcpu *vcpu, const struct skvm_guest_debug *dbg)
{
	struct kvm_debug_watch w = {.vmm = true};

	for (unsigned i = 0; i < 16 && (dbg->control & SKVM_GUESTDBG_USE_HW_BP); i++) {
		uint32_t type = dbg->arch.bp[i].type, addr = (uint32_t)dbg->arch.bp[i].addr;

		if (!type)
			continue;
		if (type & ~(SKVM_DEBUG_BREAKPOINT | SKVM_DEBUG_WATCH_READ | SKVM_DEBUG_WATCH_WRITE))
			return -EINVAL;
		if (type & SKVM_DEBUG_BREAKPOINT) {
			if (w.nr_iac == 4)
				return -EINVAL;
			w.iac_n[w.nr_iac] = (uint8_t)w.nr_iac;
			w.iac[w.nr_iac++] = addr & ~3u;
			continue;
		}
		if (w.nr_dac == 2)
			return -EINVAL;
		w.dac_n[w.nr_dac] = (uint8_t)w.nr_dac;
		w.dac_rw[w.nr_dac] = (uint8_t)(((type & SKVM_DEBUG_WATCH_READ) ? WATCH_R : 0) |
					       ((type & SKVM_DEBUG_WATCH_WRITE) ? WATCH_W : 0));
		w.dac[w.nr_dac++] = addr;
	}
	vcpu->vmm_watch = w;
	kvmppc_debug_update(vcpu);
	return 0;
}

/* The guest's own compares, from DBCR0 and IAC1-4/DAC1-2. */
static struct kvm_debug_watch guest_watch(const struct skvm_vcpu *vcpu)
{
	struct kvm_debug_watch w = {.vmm = false};
	uint32_t dbcr0 = vcpu->dbcr0;

	if (!(dbcr0 & DBCR0_IDM))
		return w;
	for (unsigned n = 0; n < 4; n++)
		if (dbcr0 & DBCR0_IAC(n)) {
			w.iac_n[w.nr_iac] = (uint8_t)n;
			w.iac[w.nr_iac++] = vcpu->iac[n] & ~3u;
		}
	for (unsigned n = 0; n < 2; n++) {
		uint8_t rw = (uint8_t)(((dbcr0 & DBCR0_DACR(n)) ? WATCH_R : 0) |
				       ((dbcr0 & DBCR0_DACW(n)) ? WATCH_W : 0));
		if (rw) {
			w.dac_n[w.nr_dac] = (uint8_t)n;
			w.dac_rw[w.nr_dac] = rw;
			w.dac[w.nr_dac++] = vcpu->dac[n];
		}
	}
	return w;
}

/* Close the marked pages again: their shadow entries go, the next fill withholds. */
static void close_pages(struct skvm_vcpu *vcpu)
{
	const struct kvm_debug_watch *w = &vcpu->watch;

	for (unsigned i = 0; i < w->nr_iac; i++)
		cpu_shadow_invalidate_page(&vcpu->cpu, w->iac[i]);
	for (unsigned i = 0; i < w->nr_dac; i++)
		cpu_shadow_invalidate_page(&vcpu->cpu, w->dac[i]);
}

void kvmppc_debug_update(struct skvm_vcpu *vcpu)
{
	bool vmm = (vcpu->dbg.control & (SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_HW_BP)) ==
		   (SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_HW_BP);
	struct kvm_debug_watch w = vmm ? vcpu->vmm_watch : guest_watch(vcpu);

	w.active = w.nr_iac || w.nr_dac;
	w.stepping = vcpu->watch.stepping; /* an instruction being stepped wrote DBCR0 */
	w.step_pending = vcpu->watch.step_pending;
	if (memcmp(&w, &vcpu->watch, sizeof(w))) {
		/* pages mapped before are open: every entry must be filled (and marked) anew,
		 * and the core must not go on in a page it has already fetched */
		if (w.active || vcpu->watch.active) {
			cpu_shadow_flush(&vcpu->cpu);
			kvm_exit_check(vcpu, KVM_CHECK_REFETCH);
		}
		vcpu->watch = w;
	}
	/* the debug interrupt stays queued while DBSR holds an event (not when the guest
	 * cleared them all) */
	if (!(vcpu->dbsr & DBSR_EVENTS) || !(vcpu->dbcr0 & DBCR0_IDM))
		kvmppc_set_pending(vcpu, 1u << BOOKE_IRQPRIO_DEBUG, 0);
}

unsigned kvmppc_debug_withheld(const struct skvm_vcpu *vcpu, uint32_t ea)
{
	const struct kvm_debug_watch *w = &vcpu->watch;
	uint32_t page = page_of(ea);
	unsigned perm = 0;

	if (w->stepping)
		return 0;
	for (unsigned i = 0; i < w->nr_iac; i++)
		if (page_of(w->iac[i]) == page)
			perm |= SHADOW_PERM_X;
	for (unsigned i = 0; i < w->nr_dac; i++)
		if (page_of(w->dac[i]) == page)
			perm |= ((w->dac_rw[i] & WATCH_R) ? SHADOW_PERM_R : 0) |
				((w->dac_rw[i] & WATCH_W) ? SHADOW_PERM_W : 0);
	return perm;
}

/* A guest debug event with DBSR bits `bits`: recorded, and the debug interrupt queued.
 * True if the guest takes it now (MSR[DE]): the PC is at its vector. */
static bool guest_event(struct skvm_vcpu *vcpu, uint32_t bits)
{
	bool precise = (kvmppc_get_msr(vcpu) & PPC_MSR_DE) != 0;

	vcpu->dbsr |= bits | (precise ? 0 : DBSR_IDE);
	kvmppc_queue_irqprio(vcpu, BOOKE_IRQPRIO_DEBUG);
	return precise && kvmppc_deliver_pending(vcpu);
}

bool kvmppc_debug_access(struct skvm_vcpu *vcpu, const struct cpu_trap *t, enum cpu_resume *r)
{
	struct kvm_debug_watch *w = &vcpu->watch;
	bool write = t->access == CPU_ACCESS_WRITE;

	if (t->access == CPU_ACCESS_EXEC) {
		if (w->stepping || !(kvmppc_debug_withheld(vcpu, t->ea) & SHADOW_PERM_X))
			return false;
		vcpu->cpu.pc = t->ea;
		goto step;
	}
	unsigned size = t->mem.size ? t->mem.size : 1;
	for (unsigned i = 0; i < w->nr_dac; i++) {
		if (!(w->dac_rw[i] & (write ? WATCH_W : WATCH_R)) || w->dac[i] - t->ea >= size)
			continue;
		vcpu->cpu.pc = t->pc;
		if (w->vmm) {
			kvm_set_exit_type(vcpu, SKVM_EXITS_DEBUG);
			kvm_debug_exit(vcpu, w->dac[i],
				       write ? SKVM_DEBUG_WATCH_WRITE : SKVM_DEBUG_WATCH_READ);
			*r = CPU_RESUME_STOP;
			return true;
		}
		unsigned n = w->dac_n[i];
		kvm_set_exit_type(vcpu, SKVM_EXITS_DEBUG);
		if (guest_event(vcpu, write ? DBCR0_DACW(n) : DBCR0_DACR(n))) {
			*r = CPU_RESUME_REFETCH;
			return true;
		}
		break; /* recorded only: the access goes on */
	}
	if (w->stepping || !(kvmppc_debug_withheld(vcpu, t->ea) & (write ? SHADOW_PERM_W
									  : SHADOW_PERM_R)))
		return false;
	vcpu->cpu.pc = t->pc;
step:
	/* the instruction runs alone, with the pages open, from the run loop */
	kvm_set_exit_type(vcpu, SKVM_EXITS_DEBUG);
	w->step_pending = true;
	*r = CPU_RESUME_STOP;
	return true;
}

bool kvmppc_debug_step_begin(struct skvm_vcpu *vcpu)
{
	struct kvm_debug_watch *w = &vcpu->watch;
	uint32_t pc = vcpu->cpu.pc;

	w->step_pending = false;
	for (unsigned i = 0; i < w->nr_iac; i++) {
		if (w->iac[i] != pc)
			continue;
		if (w->vmm) {
			kvm_debug_exit(vcpu, pc, SKVM_DEBUG_BREAKPOINT);
			kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
			return false;
		}
		if (guest_event(vcpu, DBCR0_IAC(w->iac_n[i]))) {
			kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
			return false;
		}
		break;
	}
	w->stepping = true;
	return true;
}

void kvmppc_debug_step_end(struct skvm_vcpu *vcpu)
{
	vcpu->watch.stepping = false;
	close_pages(vcpu);
}
