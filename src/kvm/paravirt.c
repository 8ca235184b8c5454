// SPDX-License-Identifier: MIT
/* ePAPR hypercalls and the magic page (kvmppc_kvm_pv in the seeds' powerpc.c, and
 * kvmppc_map_magic in e500_mmu_host.c).
 *
 * The magic page is the vcpu's own page of shared registers (vcpu->magic), which the
 * hypervisor keeps its copy of those registers in from the start. Once the guest asks for
 * it at an address, a data access of the guest kernel there that misses in the shadow TLB
 * maps that page, whatever the guest TLB holds (it needs no entry), as KVM does on e500.
 * The guest's user mode and its instruction fetches never see it.
 */
#include <errno.h>

#include "kvm.h"

/* The magic page is no guest-physical page: no decoded code, no dirty log. */
#define MAGIC_PPN UINT32_MAX

bool kvmppc_map_magic(struct skvm_vcpu *vcpu, uint32_t ea, enum cpu_access acc)
{
	if (acc == CPU_ACCESS_EXEC || (ea & SHADOW_PAGE_MASK) != vcpu->magic_page_ea ||
	    (kvmppc_get_msr(vcpu) & PPC_MSR_PR))
		return false;
	cpu_shadow_fill(&vcpu->cpu, acc, vcpu->magic_page_ea, vcpu->magic.page, MAGIC_PPN,
			SHADOW_PERM_R | SHADOW_PERM_W, SHADOW_NO_GTLB);
	return true;
}

/* KVM_HC_PPC_MAP_MAGIC_PAGE(pa, ea | flags): the page at ea from now on. The guest-physical
 * address only matters to Book3S (real-mode accesses); the flags ask for no execution,
 * which the mapping never allows. */
static void map_magic_page(struct skvm_vcpu *vcpu, uint32_t ea)
{
	vcpu->magic_page_ea = ea & SHADOW_PAGE_MASK;
	vcpu->magic_mapped = true;
	/* what the shadow TLB holds at that address came from the guest TLB */
	cpu_shadow_flush(&vcpu->cpu);
}

enum emulation_result kvmppc_handle_hcall(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;
	uint32_t nr = c->gpr[11];
	uint32_t r, r2 = 0;

	switch (nr) {
	case KVM_HCALL_TOKEN(KVM_HC_PPC_MAP_MAGIC_PAGE):
		map_magic_page(vcpu, c->gpr[4]);
		r2 = KVM_MAGIC_FEAT_MAS0_TO_SPRG7;
		r = EV_SUCCESS;
		break;
	case KVM_HCALL_TOKEN(KVM_HC_FEATURES):
		r2 = 1u << KVM_FEATURE_MAGIC_PAGE;
		r = EV_SUCCESS;
		break;
	case EV_HCALL_TOKEN(EV_IDLE):
		/* wait for an interrupt; its delivery clears halted */
		vcpu->halted = true;
		kvm_exit_check(vcpu, KVM_CHECK_HALT);
		r = EV_SUCCESS;
		break;
	default:
		r = EV_UNIMPLEMENTED;
		break;
	}
	c->gpr[3] = r;
	c->gpr[4] = r2;
	return EMULATE_DONE;
}
