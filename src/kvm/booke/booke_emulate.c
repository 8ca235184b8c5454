// SPDX-License-Identifier: MIT
/* The BookE layer of the emulator: the MSR instructions and the returns from interrupt (the
 * seeds' booke_emulate.c). The SPRs Book E defines are spr.c's. */
#include "emulation.h"

static ALWAYS_INLINE enum emulation_result emulate_mfmsr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	vcpu->cpu.gpr[d->rt] = kvmppc_get_msr(vcpu);
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_mtmsr(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	kvmppc_set_msr(vcpu, vcpu->cpu.gpr[d->rt] & PPC440_MSR_MASK);
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_wrtee(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	kvmppc_set_msr_ee(vcpu, vcpu->cpu.gpr[d->rt]);
	return EMULATE_DONE;
}

/* wrteei: E is the instruction's bit 16, which is MSR[EE]'s position. */
static ALWAYS_INLINE enum emulation_result emulate_wrteei(struct skvm_vcpu *vcpu,
							  const struct cpu_dinsn *d, bool *advance)
{
	kvmppc_set_msr_ee(vcpu, d->insn);
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_rfi(struct skvm_vcpu *vcpu,
						       const struct cpu_dinsn *d, bool *advance)
{
	booke_return(vcpu, kvmppc_get_srr0(vcpu), kvmppc_get_srr1(vcpu));
	*advance = false;
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_rfci(struct skvm_vcpu *vcpu,
							const struct cpu_dinsn *d, bool *advance)
{
	booke_return(vcpu, vcpu->csrr0, vcpu->csrr1);
	*advance = false;
	return EMULATE_DONE;
}

static ALWAYS_INLINE enum emulation_result emulate_rfmci(struct skvm_vcpu *vcpu,
							 const struct cpu_dinsn *d, bool *advance)
{
	booke_return(vcpu, vcpu->mcsrr0, vcpu->mcsrr1);
	*advance = false;
	return EMULATE_DONE;
}

#define BOOKE_EMULATIONS(X)                                                                        \
	X(mfmsr, emulate_mfmsr, KVM_PRIVILEGED, MFMSR)                                             \
	X(mtmsr, emulate_mtmsr, KVM_PRIVILEGED, MTMSR)                                             \
	X(wrtee, emulate_wrtee, KVM_PRIVILEGED, WRTEE)                                             \
	X(rfi, emulate_rfi, KVM_PRIVILEGED, RFI)                                                   \
	X(rfci, emulate_rfci, KVM_PRIVILEGED, RFI)                                                 \
	X(rfmci, emulate_rfmci, KVM_PRIVILEGED, RFI)

BOOKE_EMULATIONS(KVM_EMULATION_HANDLER)

/* wrteei 0 and wrteei 1 each get emulate_wrteei compiled for their E (disabling looks at
 * no pending interrupt): Linux's local_irq_disable/enable. The trap runs emulate_wrteei. */
static ALWAYS_INLINE enum emulation_result emulate_wrteei_0(struct skvm_vcpu *vcpu,
							    const struct cpu_dinsn *d, bool *advance)
{
	kvmppc_set_msr_ee(vcpu, 0);
	return EMULATE_DONE;
}
static ALWAYS_INLINE enum emulation_result emulate_wrteei_1(struct skvm_vcpu *vcpu,
							    const struct cpu_dinsn *d, bool *advance)
{
	kvmppc_set_msr_ee(vcpu, PPC_MSR_EE);
	return EMULATE_DONE;
}
KVM_EMULATION_HANDLER(wrteei, emulate_wrteei_0, KVM_PRIVILEGED, WRTEE)
KVM_EMULATION_HANDLER(wrteei, emulate_wrteei_1, KVM_PRIVILEGED, WRTEE)

static cpu_handler wrteei_handler_for(const struct cpu_dinsn *d)
{
	return (d->insn & PPC_MSR_EE) ? emulate_wrteei_1_handler : emulate_wrteei_0_handler;
}

const struct kvm_emulation booke_emulations[] = {
    BOOKE_EMULATIONS(KVM_EMULATION_ENTRY)
    {CPU_OP_wrteei, emulate_wrteei, emulate_wrteei_0_handler, KVM_PRIVILEGED,
     SKVM_EXITS_EMULATED_WRTEE, wrteei_handler_for, NULL},
    KVM_EMULATIONS_END};
