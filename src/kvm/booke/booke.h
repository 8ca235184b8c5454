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

/* ---- instruction fields ---- */
static inline unsigned insn_primary(uint32_t w)
{
	return w >> 26;
}
static inline unsigned insn_xo(uint32_t w)
{
	return (w >> 1) & 0x3ff;
}
static inline unsigned insn_rt(uint32_t w)
{
	return (w >> 21) & 31;
}
static inline unsigned insn_ra(uint32_t w)
{
	return (w >> 16) & 31;
}
static inline unsigned insn_rb(uint32_t w)
{
	return (w >> 11) & 31;
}
/* SPR/DCR/TBR number of an XFX-form instruction (its two halves swapped back). */
static inline unsigned insn_sprn(uint32_t w)
{
	return ((w >> 16) & 31) | (((w >> 11) & 31) << 5);
}

/* Extended opcodes (primary 31 unless noted). */
enum {
	XO_MFDCRX = 259,
	XO_MFMSR = 83,
	XO_WRTEE = 131,
	XO_MTMSR = 146,
	XO_WRTEEI = 163,
	XO_MFDCR = 323,
	XO_MFSPR = 339,
	XO_MFTB = 371,
	XO_MTDCRX = 387,
	XO_MTDCR = 451,
	XO_DCCCI = 454,
	XO_MTSPR = 467,
	XO_DCBI = 470,
	XO_DCREAD = 486,
	XO_TLBSYNC = 566,
	XO_TLBSX = 914,
	XO_TLBRE = 946,
	XO_ICCCI = 966,
	XO_TLBWE = 978,
	XO_ICREAD = 998,
	/* primary 19 */
	XO19_RFMCI = 38,
	XO19_RFI = 50,
	XO19_RFCI = 51,
};

/* ---- the emulation layers (emulate.c calls them in this order) ---- */

/* One layer's mfspr/mtspr: EMULATE_DONE (value read into *val / written), EMULATE_FAIL
 * (not this layer's SPR), or an exit/AGAIN result. ro: the SPR exists but cannot be
 * written (mtspr) / read (mfspr): set instead of failing so the caller raises the
 * privileged-operation program interrupt as QEMU does. */
enum emulation_result ppc440_emulate_mfspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t *val,
					   bool *noaccess);
enum emulation_result ppc440_emulate_mtspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t val,
					   bool *noaccess);
enum emulation_result booke_emulate_mfspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t *val,
					  bool *noaccess);
enum emulation_result booke_emulate_mtspr(struct skvm_vcpu *vcpu, unsigned sprn, uint32_t val,
					  bool *noaccess);

/* The instruction layers: t->pc/t->insn describe the instruction; on EMULATE_DONE the
 * layer has set vcpu->cpu.pc (t->pc + 4 unless it branched). */
enum emulation_result ppc440_emulate_op(struct skvm_vcpu *vcpu, struct cpu_trap *t);
enum emulation_result booke_emulate_op(struct skvm_vcpu *vcpu, struct cpu_trap *t);

/* Program interrupt at the instruction t->pc (SRR0 = t->pc): EMULATE_AGAIN. */
enum emulation_result kvmppc_program_interrupt(struct skvm_vcpu *vcpu, uint32_t pc, uint32_t esr);

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
/* Return from interrupt: MSR = srr1 (440 bits), PC = srr0. */
void booke_return(struct skvm_vcpu *vcpu, uint32_t srr0, uint32_t srr1);
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
void kvmppc_set_decar(struct skvm_vcpu *vcpu, uint32_t decar);

#endif
