/* SPDX-License-Identifier: MIT */
/* What the BookE/440 files share inside booke/: register numbers and bits (reg_booke.h,
 * mmu-44x.h), the layers of the instruction emulator and the helpers between them. Only
 * booke/ includes this; the rest of the hypervisor sees kvm.h. */
#ifndef SOFTKVM_KVM_BOOKE_H
#define SOFTKVM_KVM_BOOKE_H

#include "kvm/kvm.h"

/* ---- SPR numbers ---- */
#define SPRN_DEC 22
#define SPRN_SRR0 26
#define SPRN_SRR1 27
#define SPRN_PID 48
#define SPRN_DECAR 54
#define SPRN_CSRR0 58
#define SPRN_CSRR1 59
#define SPRN_DEAR 61
#define SPRN_ESR 62
#define SPRN_IVPR 63
#define SPRN_USPRG0 256
#define SPRN_SPRG4R 260 /* 260-263: user-readable SPRG4-7 */
#define SPRN_SPRG7R 263
#define SPRN_TBRL 268 /* user-readable timebase (mfspr and mftb) */
#define SPRN_TBRU 269
#define SPRN_SPRG0 272 /* 272-279: SPRG0-7 */
#define SPRN_SPRG7 279
#define SPRN_TBWL 284
#define SPRN_TBWU 285
#define SPRN_PIR 286
#define SPRN_PVR 287
#define SPRN_DBSR 304
#define SPRN_DBCR0 308
#define SPRN_DBCR1 309
#define SPRN_DBCR2 310
#define SPRN_IAC1 312 /* 312-315: IAC1-4 */
#define SPRN_IAC4 315
#define SPRN_DAC1 316
#define SPRN_DAC2 317
#define SPRN_DVC1 318
#define SPRN_DVC2 319
#define SPRN_TSR 336
#define SPRN_TCR 340
#define SPRN_IVOR0 400 /* 400-415: IVOR0-15 */
#define SPRN_IVOR15 415
#define SPRN_MCSRR0 570
#define SPRN_MCSRR1 571
#define SPRN_MCSR 572
#define SPRN_INV0 880 /* 880-883: INV0-3, 884-887: ITV0-3 */
#define SPRN_ITV3 887
#define SPRN_CCR1 888
#define SPRN_DNV0 912 /* 912-915: DNV0-3, 916-919: DTV0-3 */
#define SPRN_DTV3 919
#define SPRN_DVLIM 920
#define SPRN_IVLIM 921
#define SPRN_RSTCFG 923
#define SPRN_DCDBTRL 924
#define SPRN_DCDBTRH 925
#define SPRN_ICDBTRL 926
#define SPRN_ICDBTRH 927
#define SPRN_MMUCR 946
#define SPRN_CCR0 947
#define SPRN_ICDBDR 979
#define SPRN_DBDR 1011

/* mfspr/mtspr of an SPR with this bit in its number is privileged (Book E). */
#define SPR_PRIV_BIT 0x10

/* ---- MSR ---- */
/* The bits the core caches (cpu_set_context): translation context and FP state. */
#define PPC440_MSR_CONTEXT                                                                 \
	(PPC_MSR_PR | PPC_MSR_IS | PPC_MSR_DS | PPC_MSR_FP | PPC_MSR_FE0 | PPC_MSR_FE1)
/* The bits a 440 implements (QEMU's 440EP msr_mask): mtmsr and rfi keep only these. */
#define PPC440_MSR_MASK                                                                    \
	(PPC_MSR_WE | PPC_MSR_CE | PPC_MSR_EE | PPC_MSR_PR | PPC_MSR_FP | PPC_MSR_ME |    \
	 PPC_MSR_FE0 | PPC_MSR_DWE | PPC_MSR_DE | PPC_MSR_FE1 | PPC_MSR_IS | PPC_MSR_DS)

/* ---- ESR (CPU_ESR_* in cpu.h has the core's) ---- */
#define ESR_MCI 0x80000000u /* instruction machine check */

/* ---- MCSR (440x5) ---- */
#define MCSR_MCS 0x80000000u
#define MCSR_IB 0x40000000u /* instruction PLB error */

/* ---- timer registers ---- */
#define TCR_WP_SHIFT 30
#define TCR_WRC_SHIFT 28
#define TCR_WRC_MASK 0x30000000u
#define TCR_WIE 0x08000000u
#define TCR_DIE 0x04000000u
#define TCR_FP_SHIFT 24
#define TCR_FIE 0x00800000u
#define TCR_ARE 0x00400000u

#define TSR_ENW 0x80000000u
#define TSR_WIS 0x40000000u
#define TSR_WRS_SHIFT 28
#define TSR_WRS_MASK 0x30000000u
#define TSR_DIS 0x08000000u
#define TSR_FIS 0x04000000u

/* ---- DBCR0 ---- */
#define DBCR0_RST 0x30000000u

/* ---- guest TLB (mmu-44x.h) ---- */
#define PPC44x_TLB_EPN_MASK 0xfffffc00u
#define PPC44x_TLB_VALID 0x00000200u
#define PPC44x_TLB_TS 0x00000100u
#define PPC44x_TLB_SIZE_SHIFT 4
#define PPC44x_TLB_SIZE_MASK 0x000000f0u
#define PPC44x_TLB_WORD0_MASK 0xfffffff0u /* EPN V TS SIZE; the parity bits read as 0 */
#define PPC44x_TLB_RPN_MASK 0xfffffc00u
#define PPC44x_TLB_ERPN_MASK 0x0000000fu
#define PPC44x_TLB_WORD1_MASK (PPC44x_TLB_RPN_MASK | PPC44x_TLB_ERPN_MASK)
#define PPC44x_TLB_ATTR_MASK 0x0000ff80u
#define PPC44x_TLB_E 0x00000080u /* little-endian page */
#define PPC44x_TLB_PERM_MASK 0x0000003fu
#define PPC44x_TLB_WORD2_MASK (PPC44x_TLB_ATTR_MASK | PPC44x_TLB_PERM_MASK)
#define PPC44x_TLB_UX 0x20u
#define PPC44x_TLB_UW 0x10u
#define PPC44x_TLB_UR 0x08u
#define PPC44x_TLB_SX 0x04u
#define PPC44x_TLB_SW 0x02u
#define PPC44x_TLB_SR 0x01u

#define PPC44x_MMUCR_STID 0x000000ffu
#define PPC44x_MMUCR_STS 0x00010000u

/* ---- the emulation layers (emulate.c asks them in this order) ----
 * A layer's table names the instructions it emulates (by enum cpu_op) with their
 * emulation, written once (emulation.h) and reached two ways: the entry's emulate from the
 * trap (kvmppc_emulate_instruction) and its handler, chosen at decode time. */
typedef enum emulation_result (*kvm_emulate_fn)(struct skvm_vcpu *vcpu, const struct cpu_dinsn *d,
						 bool *advance);
struct kvm_emulation {
	uint16_t op; /* enum cpu_op; CPU_OP_NR ends a table */
	kvm_emulate_fn emulate;
	cpu_handler handler;
	unsigned flags; /* KVM_PRIVILEGED (emulation.h) */
	/* what its exit counts as (SKVM_EXITS_EMULATED_*), unless the emulation says (an
	 * interrupt, a DCR exit, a hypercall: never when it completes the instruction) */
	enum skvm_exit_type type;
	/* or NULL: a handler for the instruction's operands in particular (an SPR number),
	 * the same emulation compiled for them, else NULL for `handler` */
	cpu_handler (*handler_for)(const struct cpu_dinsn *d);
	/* or NULL: what the exit counts as for these operands, else `type` */
	enum skvm_exit_type (*type_for)(const struct cpu_dinsn *d);
};
extern const struct kvm_emulation ppc440_emulations[]; /* ppc440_emulate.c: TLB, DCR, caches */
extern const struct kvm_emulation booke_emulations[];  /* booke_emulate.c: MSR, returns */
extern const struct kvm_emulation spr_emulations[];    /* spr.c: mfspr, mtspr, mftb */
extern const struct kvm_emulation generic_emulations[]; /* emulate.c: sc */

/* An emulation raises the privileged-operation (CPU_ESR_PPR) or illegal-instruction
 * (CPU_ESR_PIL) program interrupt of its instruction (queued as KVM's
 * kvmppc_core_queue_program, taken at the instruction by kvm_emulation_finish): returns
 * EMULATE_AGAIN. Counted as SKVM_EXITS_USR_PR_INST for a privileged instruction in user
 * mode, else as SKVM_EXITS_PROGRAM. An emulation never reads the PC. */
enum emulation_result kvmppc_program_interrupt(struct skvm_vcpu *vcpu, uint32_t esr);

/* ---- interrupts.c ---- */

/* The pending interrupts (bits of enum booke_irqprio) that MSR lets in: the synchronous
 * ones always, machine check with ME, debug with DE, critical input and watchdog with
 * CE, external input, FIT and decrementer with EE. */
#define BOOKE_IRQ_SYNC_MASK ((1u << BOOKE_IRQPRIO_MACHINE_CHECK) - 1)
#define BOOKE_IRQ_EE_MASK                                                                  \
	((1u << BOOKE_IRQPRIO_EXTERNAL) | (1u << BOOKE_IRQPRIO_FIT) |                      \
	 (1u << BOOKE_IRQPRIO_DECREMENTER))
#define BOOKE_IRQ_CE_MASK ((1u << BOOKE_IRQPRIO_CRITICAL) | (1u << BOOKE_IRQPRIO_WATCHDOG))
static inline uint32_t booke_deliverable_mask(uint32_t msr)
{
	uint32_t m = BOOKE_IRQ_SYNC_MASK;

	if (msr & PPC_MSR_ME)
		m |= 1u << BOOKE_IRQPRIO_MACHINE_CHECK;
	if (msr & PPC_MSR_DE)
		m |= 1u << BOOKE_IRQPRIO_DEBUG;
	if (msr & PPC_MSR_CE)
		m |= BOOKE_IRQ_CE_MASK;
	if (msr & PPC_MSR_EE)
		m |= BOOKE_IRQ_EE_MASK;
	return m;
}
/* Queue a synchronous interrupt with its ESR and DEAR, for kvmppc_deliver_sync. */
void kvmppc_queue_exception(struct skvm_vcpu *vcpu, enum booke_irqprio prio, uint32_t esr,
			    uint32_t dear);
/* Deliver the first pending synchronous interrupt (there is one): those MSR never masks. */
void kvmppc_deliver_sync(struct skvm_vcpu *vcpu);
/* Return from interrupt: MSR = srr1 (440 bits), PC = srr0. */
void booke_return(struct skvm_vcpu *vcpu, uint32_t srr0, uint32_t srr1);
/* wrtee, wrteei: MSR[EE] alone, which is no part of the core's context. */
static inline void kvmppc_set_msr_ee(struct skvm_vcpu *vcpu, uint32_t ee)
{
	if ((ee & PPC_MSR_EE) && vcpu->pending)
		kvm_exit_check(vcpu, KVM_CHECK_IRQ);
	kvm_shared_update(&vcpu->magic.shared.msr, PPC_MSR_EE, ee);
}
/* A machine check at pc (MCSRR0 = pc) with MCSR/ESR bits; false: MSR[ME] was 0 and the
 * core checkstopped (an internal-error exit is set up). */
bool booke_machine_check(struct skvm_vcpu *vcpu, uint32_t pc, uint32_t mcsr, uint32_t esr);

/* ---- tlb.c ---- */

/* Index of the guest TLB entry translating ea for (pid, ts), or -1. Lowest index wins. */
int ppc440_tlb_lookup(const struct skvm_vcpu *vcpu, uint32_t ea, uint32_t pid, unsigned ts);
/* tlbwe/tlbre/tlbsx as the instructions define them (index from RA, word from WS). */
void ppc440_tlbwe(struct skvm_vcpu *vcpu, unsigned index, unsigned ws, uint32_t val);
uint32_t ppc440_tlbre(struct skvm_vcpu *vcpu, unsigned index, unsigned ws);
int ppc440_tlbsx(struct skvm_vcpu *vcpu, uint32_t ea);

/* ---- timer.c ---- */
uint32_t kvmppc_get_tsr(struct skvm_vcpu *vcpu);
/* mtspr TCR: the watchdog reset control, once non-zero, keeps its value. */
void kvmppc_emulate_tcr(struct skvm_vcpu *vcpu, uint32_t tcr);

#endif
