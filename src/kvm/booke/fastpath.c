/* Pre-decoded lightweight exits: the decode-time hook (kvmppc_priv_handler) gives the
 * privileged instructions a Linux guest runs most -- wrteei, mfmsr, wrtee, tlbwe, the
 * SPRGs and SRRs of the exception prologues, rfi, sc -- a handler of their own that does
 * the emulation in place of the core's trap, without decoding the word again.
 *
 * A fast handler covers supervisor mode only: in user mode (a privilege violation) and
 * with exit timing on it takes the ordinary trap (kvm_handle_exit), which accounts, times
 * and emulates the instruction the slow way. It goes on with d + 1 when execution falls
 * through in the same context, or cpu_fetch() of the new PC after a branch, a context
 * change or the delivery of an interrupt its change of MSR let in (through CPU_NEXT /
 * CPU_GOTO: threaded dispatch, as the core's own handlers).
 */
#include "booke.h"
#include "cpu/exec.h"

/* The slow ways out, kept out of line so that the fast handlers need no stack frame. */
static __attribute__((noinline, cold)) CPU_HANDLER(fast_trap_priv)
{
	CPU_GOTO(c, cpu_trap_insn(c, d, CPU_TRAP_PRIV, 0));
}

#ifdef CPU_MUSTTAIL
#define FAST_TAIL(fn) CPU_MUSTTAIL return fn(c, d)
#else
#define FAST_TAIL(fn) return fn(c, d)
#endif

/* Supervisor mode without timing: emulate here; else take the trap. */
#define FAST_ENTER(vcpu)                                                                   \
	struct skvm_vcpu *vcpu = vcpu_of(c);                                               \
	if (unlikely((vcpu->msr & PPC_MSR_PR) | vcpu->timing))                             \
		FAST_TAIL(fast_trap_priv);                                                 \
	kvm_account_exit(vcpu, SKVM_EXITS_EMULATED_INST)

/* User-accessible SPRs: only timing sends them the slow way. */
#define FAST_ENTER_USER(vcpu)                                                              \
	struct skvm_vcpu *vcpu = vcpu_of(c);                                               \
	if (unlikely(vcpu->timing))                                                        \
		FAST_TAIL(fast_trap_priv);                                                 \
	kvm_account_exit(vcpu, SKVM_EXITS_EMULATED_INST)

/* Bits of MSR that the core caches (translation context, FP state). */
#define MSR_CONTEXT (PPC_MSR_PR | PPC_MSR_IS | PPC_MSR_DS | PPC_MSR_FP | PPC_MSR_FE0 | PPC_MSR_FE1)

/* A jump to pc (rfi, sc, an interrupt taken): it counts as a taken branch, so that a
 * guest looping through such jumps alone still runs out of budget and can be kicked. */
static const struct cpu_dinsn *jump(struct cpu *c, uint32_t pc)
{
	--c->budget;
	return cpu_branch_far(c, pc);
}

/* MSR changed at d, which completed: take an interrupt it let in, stop for MSR[WE], or
 * go on at next_pc. */
static const struct cpu_dinsn *after_msr_change(struct cpu *c, struct skvm_vcpu *vcpu,
						uint32_t next_pc)
{
	c->pc = next_pc;
	if (vcpu->pending & booke_deliverable_mask(vcpu->msr)) {
		kvm_deliver(vcpu);
		return jump(c, c->pc);
	}
	if (vcpu->halted)
		return NULL; /* the run loop waits for an interrupt */
	return jump(c, next_pc);
}

static CPU_HANDLER(fast_mfmsr)
{
	FAST_ENTER(vcpu);
	c->gpr[d->rt] = vcpu->msr;
	CPU_NEXT(c, d + 1);
}

static CPU_HANDLER(fast_wrteei)
{
	FAST_ENTER(vcpu);
	if (!(d->insn & PPC_MSR_EE)) {
		vcpu->msr &= ~PPC_MSR_EE;
		CPU_NEXT(c, d + 1);
	}
	vcpu->msr |= PPC_MSR_EE;
	if (unlikely(vcpu->pending & booke_deliverable_mask(vcpu->msr)))
		CPU_GOTO(c, after_msr_change(c, vcpu, cpu_pc_of(c, d) + 4));
	CPU_NEXT(c, d + 1);
}

static CPU_HANDLER(fast_wrtee)
{
	FAST_ENTER(vcpu);
	vcpu->msr = (vcpu->msr & ~PPC_MSR_EE) | (c->gpr[d->rt] & PPC_MSR_EE);
	if (unlikely(vcpu->pending & booke_deliverable_mask(vcpu->msr)))
		CPU_GOTO(c, after_msr_change(c, vcpu, cpu_pc_of(c, d) + 4));
	CPU_NEXT(c, d + 1);
}

static CPU_HANDLER(fast_mtmsr)
{
	FAST_ENTER(vcpu);
	uint32_t old = vcpu->msr, msr = c->gpr[d->rt] & PPC440_MSR_MASK;

	kvmppc_set_msr(vcpu, msr);
	if (likely(!((old ^ msr) & MSR_CONTEXT) && !vcpu->halted &&
		   !(vcpu->pending & booke_deliverable_mask(msr))))
		CPU_NEXT(c, d + 1);
	CPU_GOTO(c, after_msr_change(c, vcpu, cpu_pc_of(c, d) + 4));
}

static CPU_HANDLER(fast_rfi)
{
	FAST_ENTER(vcpu);
	booke_return(vcpu, vcpu->srr0, vcpu->srr1);
	CPU_GOTO(c, after_msr_change(c, vcpu, c->pc));
}

static CPU_HANDLER(fast_rfci)
{
	FAST_ENTER(vcpu);
	booke_return(vcpu, vcpu->csrr0, vcpu->csrr1);
	CPU_GOTO(c, after_msr_change(c, vcpu, c->pc));
}

/* System call (not a hypercall): SRR0 = the next instruction. */
static CPU_HANDLER(fast_sc)
{
	struct skvm_vcpu *vcpu = vcpu_of(c);

	if (unlikely(vcpu->timing ||
		     (!(vcpu->msr & PPC_MSR_PR) && c->gpr[0] == KVM_SC_MAGIC_R0)))
		CPU_GOTO(c, cpu_trap_insn(c, d, CPU_TRAP_SC, 0));
	kvm_account_exit(vcpu, SKVM_EXITS_SYSCALL);
	c->pc = cpu_pc_of(c, d) + 4;
	kvmppc_deliver_exception(vcpu, BOOKE_IRQPRIO_SYSCALL, 0, 0);
	CPU_GOTO(c, jump(c, c->pc));
}

static CPU_HANDLER(fast_tlbwe)
{
	FAST_ENTER(vcpu);
	if (unlikely(d->rb > 2)) /* invalid WS: the slow path raises the program interrupt */
		FAST_TAIL(fast_trap_priv);
	ppc440_tlbwe(vcpu, c->gpr[d->ra] & (PPC440_TLB_ENTRIES - 1), d->rb, c->gpr[d->rt]);
	CPU_NEXT(c, d + 1);
}

static CPU_HANDLER(fast_tlbsx)
{
	FAST_ENTER(vcpu);
	uint32_t ea = (d->ra ? c->gpr[d->ra] : 0) + c->gpr[d->rb];
	int idx = ppc440_tlbsx(vcpu, ea);

	c->gpr[d->rt] = (uint32_t)idx;
	if (d->rec & 1)
		cpu_set_crf(c, 0, c->xer_so | (idx >= 0 ? CR_EQ : 0));
	CPU_NEXT(c, d + 1);
}

/* ---- SPR moves ---- */

#define FAST_MFSPR(name, enter, expr)                                                      \
	static CPU_HANDLER(name)                                                           \
	{                                                                                  \
		enter(vcpu);                                                               \
		c->gpr[d->rt] = (expr);                                                    \
		CPU_NEXT(c, d + 1);                                                        \
	}
#define FAST_MTSPR(name, enter, lvalue)                                                    \
	static CPU_HANDLER(name)                                                           \
	{                                                                                  \
		enter(vcpu);                                                               \
		(lvalue) = c->gpr[d->rt];                                                  \
		CPU_NEXT(c, d + 1);                                                        \
	}

FAST_MFSPR(fast_mfsprg0, FAST_ENTER, vcpu->sprg[0])
FAST_MFSPR(fast_mfsprg1, FAST_ENTER, vcpu->sprg[1])
FAST_MFSPR(fast_mfsprg2, FAST_ENTER, vcpu->sprg[2])
FAST_MFSPR(fast_mfsprg3, FAST_ENTER, vcpu->sprg[3])
FAST_MFSPR(fast_mfsprg4, FAST_ENTER, vcpu->sprg[4])
FAST_MFSPR(fast_mfsprg5, FAST_ENTER, vcpu->sprg[5])
FAST_MFSPR(fast_mfsprg6, FAST_ENTER, vcpu->sprg[6])
FAST_MFSPR(fast_mfsprg7, FAST_ENTER, vcpu->sprg[7])
FAST_MFSPR(fast_mfsprg4r, FAST_ENTER_USER, vcpu->sprg[4])
FAST_MFSPR(fast_mfsprg5r, FAST_ENTER_USER, vcpu->sprg[5])
FAST_MFSPR(fast_mfsprg6r, FAST_ENTER_USER, vcpu->sprg[6])
FAST_MFSPR(fast_mfsprg7r, FAST_ENTER_USER, vcpu->sprg[7])
FAST_MFSPR(fast_mfusprg0, FAST_ENTER_USER, vcpu->usprg0)
FAST_MFSPR(fast_mfsrr0, FAST_ENTER, vcpu->srr0)
FAST_MFSPR(fast_mfsrr1, FAST_ENTER, vcpu->srr1)
FAST_MFSPR(fast_mfdear, FAST_ENTER, vcpu->dear)
FAST_MFSPR(fast_mfesr, FAST_ENTER, vcpu->esr)
FAST_MFSPR(fast_mfpid, FAST_ENTER, vcpu->pid)
FAST_MFSPR(fast_mfmmucr, FAST_ENTER, vcpu->mmucr)
FAST_MFSPR(fast_mfpvr, FAST_ENTER, vcpu->pvr)
FAST_MFSPR(fast_mftbl, FAST_ENTER_USER, (uint32_t)kvmppc_get_tb(vcpu))
FAST_MFSPR(fast_mftbu, FAST_ENTER_USER, (uint32_t)(kvmppc_get_tb(vcpu) >> 32))

FAST_MTSPR(fast_mtsprg0, FAST_ENTER, vcpu->sprg[0])
FAST_MTSPR(fast_mtsprg1, FAST_ENTER, vcpu->sprg[1])
FAST_MTSPR(fast_mtsprg2, FAST_ENTER, vcpu->sprg[2])
FAST_MTSPR(fast_mtsprg3, FAST_ENTER, vcpu->sprg[3])
FAST_MTSPR(fast_mtsprg4, FAST_ENTER, vcpu->sprg[4])
FAST_MTSPR(fast_mtsprg5, FAST_ENTER, vcpu->sprg[5])
FAST_MTSPR(fast_mtsprg6, FAST_ENTER, vcpu->sprg[6])
FAST_MTSPR(fast_mtsprg7, FAST_ENTER, vcpu->sprg[7])
FAST_MTSPR(fast_mtusprg0, FAST_ENTER_USER, vcpu->usprg0)
FAST_MTSPR(fast_mtsrr0, FAST_ENTER, vcpu->srr0)
FAST_MTSPR(fast_mtsrr1, FAST_ENTER, vcpu->srr1)
FAST_MTSPR(fast_mtdear, FAST_ENTER, vcpu->dear)
FAST_MTSPR(fast_mtesr, FAST_ENTER, vcpu->esr)
FAST_MTSPR(fast_mtmmucr, FAST_ENTER, vcpu->mmucr)

/* A new PID is a new translation context; the current page goes on (as after mtspr
 * PID on a 440, until the next context synchronisation). */
static CPU_HANDLER(fast_mtpid)
{
	FAST_ENTER(vcpu);
	vcpu->pid = c->gpr[d->rt] & 0xff;
	cpu_set_context(c, vcpu->msr, vcpu->pid);
	CPU_NEXT(c, d + 1);
}

static cpu_handler mfspr_handler(unsigned sprn)
{
	static const cpu_handler sprg[8] = {fast_mfsprg0, fast_mfsprg1, fast_mfsprg2,
					    fast_mfsprg3, fast_mfsprg4, fast_mfsprg5,
					    fast_mfsprg6, fast_mfsprg7};
	static const cpu_handler sprgr[4] = {fast_mfsprg4r, fast_mfsprg5r, fast_mfsprg6r,
					     fast_mfsprg7r};

	switch (sprn) {
	case SPRN_SPRG0 ... SPRN_SPRG7:
		return sprg[sprn - SPRN_SPRG0];
	case SPRN_SPRG4R ... SPRN_SPRG7R:
		return sprgr[sprn - SPRN_SPRG4R];
	case SPRN_USPRG0:
		return fast_mfusprg0;
	case SPRN_SRR0:
		return fast_mfsrr0;
	case SPRN_SRR1:
		return fast_mfsrr1;
	case SPRN_DEAR:
		return fast_mfdear;
	case SPRN_ESR:
		return fast_mfesr;
	case SPRN_PID:
		return fast_mfpid;
	case SPRN_MMUCR:
		return fast_mfmmucr;
	case SPRN_PVR:
		return fast_mfpvr;
	case SPRN_TBRL:
		return fast_mftbl;
	case SPRN_TBRU:
		return fast_mftbu;
	default:
		return NULL;
	}
}

static cpu_handler mtspr_handler(unsigned sprn)
{
	static const cpu_handler sprg[8] = {fast_mtsprg0, fast_mtsprg1, fast_mtsprg2,
					    fast_mtsprg3, fast_mtsprg4, fast_mtsprg5,
					    fast_mtsprg6, fast_mtsprg7};

	switch (sprn) {
	case SPRN_SPRG0 ... SPRN_SPRG7:
		return sprg[sprn - SPRN_SPRG0];
	case SPRN_USPRG0:
		return fast_mtusprg0;
	case SPRN_SRR0:
		return fast_mtsrr0;
	case SPRN_SRR1:
		return fast_mtsrr1;
	case SPRN_DEAR:
		return fast_mtdear;
	case SPRN_ESR:
		return fast_mtesr;
	case SPRN_PID:
		return fast_mtpid;
	case SPRN_MMUCR:
		return fast_mtmmucr;
	default:
		return NULL;
	}
}

cpu_handler kvmppc_priv_handler(void *opaque, uint32_t insn, const struct cpu_dinsn *d)
{
	(void)opaque;
	(void)d;
	switch (insn_primary(insn)) {
	case 17:
		return fast_sc;
	case 19:
		switch (insn_xo(insn)) {
		case XO19_RFI:
			return fast_rfi;
		case XO19_RFCI:
			return fast_rfci;
		default:
			return NULL;
		}
	case 31:
		switch (insn_xo(insn)) {
		case XO_MFMSR:
			return fast_mfmsr;
		case XO_MTMSR:
			return fast_mtmsr;
		case XO_WRTEE:
			return fast_wrtee;
		case XO_WRTEEI:
			return fast_wrteei;
		case XO_TLBWE:
			return fast_tlbwe;
		case XO_TLBSX:
			return fast_tlbsx;
		case XO_MFSPR:
			return mfspr_handler(insn_sprn(insn));
		case XO_MTSPR:
			return mtspr_handler(insn_sprn(insn));
		case XO_MFTB:
			return insn_sprn(insn) == SPRN_TBRL ? fast_mftbl
			       : insn_sprn(insn) == SPRN_TBRU ? fast_mftbu
							      : NULL;
		default:
			return NULL;
		}
	default:
		return NULL;
	}
}
