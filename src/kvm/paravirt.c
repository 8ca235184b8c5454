/* ePAPR hypercalls (kvmppc_kvm_pv in the seeds' powerpc.c).
 *
 * The magic page is recorded but not yet mapped or kept in step with the vcpu: a Linux
 * guest's self-test of the mapping then fails and it patches nothing, which is safe. */
#include "kvm.h"
#include "paravirt.h"

enum emulation_result kvmppc_handle_hcall(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;
	uint32_t nr = c->gpr[11], p1 = c->gpr[3], p2 = c->gpr[4];
	uint32_t r, r2 = 0;

	switch (nr) {
	case KVM_HCALL_TOKEN(KVM_HC_PPC_MAP_MAGIC_PAGE):
		vcpu->magic_page_pa = p1 & ~0xfffu;
		vcpu->magic_page_ea = p2 & ~0xfffu;
		r2 = KVM_MAGIC_FEAT_SR | KVM_MAGIC_FEAT_MAS0_TO_SPRG7;
		r = EV_SUCCESS;
		break;
	case KVM_HCALL_TOKEN(KVM_HC_FEATURES):
		r2 = 1u << KVM_FEATURE_MAGIC_PAGE;
		r = EV_SUCCESS;
		break;
	case EV_HCALL_TOKEN(EV_IDLE):
		/* wait for an interrupt; its delivery clears halted */
		vcpu->halted = true;
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
