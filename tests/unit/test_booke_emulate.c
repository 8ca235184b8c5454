// SPDX-License-Identifier: MIT
/* Privileged-instruction emulation and interrupt delivery (src/kvm/booke/emulate.c,
 * booke_emulate.c, ppc440_emulate.c, interrupts.c, paravirt.c): the SPR privilege rules
 * and what an unknown or read-only SPR does, register masks, DBCR0 resets, DCR exits,
 * MSR instructions and returns from interrupt, interrupt classes and masking, level and
 * edge external input, hypercalls. The second group runs small guest programs through
 * skvm_vcpu_run to check the pre-decoded handlers (fastpath.c) in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvm/booke/booke.h"
#include "kvm/kvm.h"
#include "kvm/paravirt.h"
#include "vcpu_fixture.h"

#define RAM_SIZE (1u << 20)

static uint32_t mftb(unsigned rt, unsigned tbr)
{
	return x_form(mftb, rt, 0, 0) | spr_field(tbr);
}
#define MFMSR(rt) x_form(mfmsr, rt, 0, 0)
#define MTMSR(rs) x_form(mtmsr, rs, 0, 0)
#define WRTEE(rs) x_form(wrtee, rs, 0, 0)
#define WRTEEI(e) (x_form(wrteei, 0, 0, 0) | ((e) ? 0x8000u : 0))
#define MFDCR(rt, dcrn) (x_form(mfdcr, rt, 0, 0) | spr_field(dcrn))
#define MTDCRX(ra, rs) x_form(mtdcrx, rs, ra, 0)
#define TLBSX_RC(rt, ra, rb) (x_form(tlbsx, rt, ra, rb) | 1)
#define SC 0x44000002u
#define RFI x_form(rfi, 0, 0, 0)
#define RFCI x_form(rfci, 0, 0, 0)
#define RFMCI x_form(rfmci, 0, 0, 0)

static int setup(void **state)
{
	*state = vcpu_fix_create(RAM_SIZE);
	return 0;
}

static int teardown(void **state)
{
	vcpu_fix_destroy(*state);
	return 0;
}

/* The instruction raised a program interrupt with this ESR. */
static void assert_program(struct skvm_vcpu *v, enum emulation_result er, uint32_t esr)
{
	assert_int_equal(er, EMULATE_AGAIN);
	assert_int_equal(v->cpu.pc, VEC(BOOKE_IVOR_PROGRAM));
	assert_int_equal(kvmppc_get_srr0(v), PC);
	assert_int_equal(kvmppc_get_esr(v), esr);
}

static void test_spr_privilege(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	kvmppc_set_sprg(v, 0, 0x11111111u);
	kvmppc_set_sprg(v, 5, 0x55555555u);
	v->usprg0 = 0x12345678u;
	/* supervisor: SPRG0 read, SPRG5 write */
	assert_int_equal(emulate(v, mfspr(3, SPRN_SPRG0)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0x11111111u);
	assert_int_equal(c->pc, PC + 4);
	c->gpr[4] = 0xabcdef01u;
	assert_int_equal(emulate(v, mtspr(SPRN_SPRG0 + 5, 4)), EMULATE_DONE);
	assert_int_equal(kvmppc_get_sprg(v, 5), 0xabcdef01u);

	/* user: USPRG0 read/write, SPRG4-7 through 260-263 (read only), TB */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_int_equal(emulate(v, mfspr(3, SPRN_USPRG0)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0x12345678u);
	assert_int_equal(emulate(v, mtspr(SPRN_USPRG0, 4)), EMULATE_DONE);
	assert_int_equal(v->usprg0, 0xabcdef01u);
	assert_int_equal(emulate(v, mfspr(3, SPRN_SPRG4R + 1)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0xabcdef01u);
	assert_int_equal(emulate(v, mftb(3, SPRN_TBRL)), EMULATE_DONE);
	assert_program(v, emulate(v, mtspr(SPRN_SPRG4R, 4)), CPU_ESR_PPR);
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, mfspr(3, SPRN_SPRG0)), CPU_ESR_PPR);
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, mfspr(3, SPRN_PVR)), CPU_ESR_PPR);
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_PR | PPC_MSR_ME);
	/* and every other privileged instruction */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, MFMSR(3)), CPU_ESR_PPR);
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, RFI), CPU_ESR_PPR);
}

static void test_unknown_and_readonly_sprs(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	/* unknown privileged number: a no-op in supervisor mode (QEMU), PPR in user mode */
	c->gpr[3] = 0x600d;
	assert_int_equal(emulate(v, mfspr(3, 1008)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0x600d);
	assert_int_equal(c->pc, PC + 4);
	assert_int_equal(emulate(v, mtspr(1008, 3)), EMULATE_DONE);
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, mfspr(3, 1008)), CPU_ESR_PPR);

	/* unknown non-privileged number: illegal in user mode; 4-6 always */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_program(v, emulate(v, mfspr(3, 1000)), CPU_ESR_PIL);
	assert_int_equal(emulate(v, mfspr(3, 1000)), EMULATE_DONE); /* supervisor */
	assert_program(v, emulate(v, mfspr(3, 5)), CPU_ESR_PIL);
	assert_program(v, emulate(v, mftb(3, 270)), CPU_ESR_PIL);

	/* read-only and write-only SPRs */
	assert_program(v, emulate(v, mtspr(SPRN_PVR, 3)), CPU_ESR_PPR);
	assert_program(v, emulate(v, mtspr(SPRN_RSTCFG, 3)), CPU_ESR_PPR);
	assert_program(v, emulate(v, mfspr(3, SPRN_TBWL)), CPU_ESR_PPR);
	assert_int_equal(emulate(v, mfspr(3, SPRN_PVR)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0x422218d3u);
	c->gpr[4] = 77;
	assert_int_equal(emulate(v, mtspr(SPRN_PIR, 4)), EMULATE_DONE); /* ignored */
	assert_int_equal(emulate(v, mfspr(3, SPRN_PIR)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0);
}

static void test_spr_semantics(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	c->gpr[4] = 0xffffffffu;
	assert_int_equal(emulate(v, mtspr(SPRN_IVPR, 4)), EMULATE_DONE);
	assert_int_equal(v->ivpr, 0xffff0000u);
	assert_int_equal(emulate(v, mtspr(SPRN_IVOR0 + 13, 4)), EMULATE_DONE);
	assert_int_equal(v->ivor[13], 0xfff0u);
	assert_int_equal(emulate(v, mfspr(3, SPRN_IVOR0 + 13)), EMULATE_DONE);
	assert_int_equal(c->gpr[3], 0xfff0u);

	/* cache and core configuration registers read back what was written */
	static const unsigned stored[] = {SPRN_MMUCR, SPRN_CCR0, SPRN_CCR1, SPRN_INV0 + 2,
					  SPRN_ITV3, SPRN_DNV0, SPRN_DTV3, SPRN_IVLIM, SPRN_DVLIM,
					  SPRN_DBCR1, SPRN_DBCR2, SPRN_IAC4, SPRN_DAC2, SPRN_DVC1,
					  SPRN_CSRR1, SPRN_MCSRR0, SPRN_MCSR, SPRN_DEAR, SPRN_ESR};
	for (unsigned i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		c->gpr[4] = 0x1000u + i;
		assert_int_equal(emulate(v, mtspr(stored[i], 4)), EMULATE_DONE);
		assert_int_equal(emulate(v, mfspr(3, stored[i])), EMULATE_DONE);
		assert_int_equal(c->gpr[3], 0x1000u + i);
	}

	/* DBSR: write one to clear */
	v->dbsr = 0xf0000001u;
	c->gpr[4] = 0x30000001u;
	assert_int_equal(emulate(v, mtspr(SPRN_DBSR, 4)), EMULATE_DONE);
	assert_int_equal(v->dbsr, 0xc0000000u);

	/* PID: 8 bits, and a new translation context */
	uint64_t tag = c->dtag;
	c->gpr[4] = 0x1234u;
	assert_int_equal(emulate(v, mtspr(SPRN_PID, 4)), EMULATE_DONE);
	assert_int_equal(v->pid, 0x34u);
	assert_true(c->dtag != tag);

	/* DBCR0[RST]: the machine resets */
	c->gpr[4] = 0x30000000u;
	assert_int_equal(emulate(v, mtspr(SPRN_DBCR0, 4)), EMULATE_EXIT_USER);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_SYSTEM_EVENT);
	assert_int_equal(v->run.system_event.type, SKVM_SYSTEM_EVENT_RESET);
	v->run.exit_reason = SKVM_EXIT_UNKNOWN;
	c->gpr[4] = 0x10000000u; /* core reset ends the run too */
	assert_int_equal(emulate(v, mtspr(SPRN_DBCR0, 4)), EMULATE_EXIT_USER);
	c->gpr[4] = 0x80000000u; /* no RST bits: just stored */
	assert_int_equal(emulate(v, mtspr(SPRN_DBCR0, 4)), EMULATE_DONE);
	assert_int_equal(v->dbcr0, 0x80000000u);
}

static void test_msr_instructions(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	c->gpr[4] = 0xffffffffu & ~(PPC_MSR_WE | PPC_MSR_PR);
	assert_int_equal(emulate(v, MTMSR(4)), EMULATE_DONE);
	assert_int_equal(kvmppc_get_msr(v), PPC440_MSR_MASK & ~(PPC_MSR_WE | PPC_MSR_PR));
	assert_true(c->fp_enabled);
	assert_int_equal(emulate(v, MFMSR(5)), EMULATE_DONE);
	assert_int_equal(c->gpr[5], PPC440_MSR_MASK & ~(PPC_MSR_WE | PPC_MSR_PR));

	kvmppc_set_msr(v, PPC_MSR_ME);
	assert_int_equal(emulate(v, WRTEEI(1)), EMULATE_DONE);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME | PPC_MSR_EE);
	c->gpr[4] = ~PPC_MSR_EE;
	assert_int_equal(emulate(v, WRTEE(4)), EMULATE_DONE);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME);

	/* MSR[WE] halts the vcpu */
	c->gpr[4] = PPC_MSR_WE | PPC_MSR_EE | PPC_MSR_ME;
	assert_int_equal(emulate(v, MTMSR(4)), EMULATE_DONE);
	assert_true(v->halted);

	/* the three returns */
	kvmppc_set_srr0(v, 0x2001);
	kvmppc_set_srr1(v, PPC_MSR_PR | PPC_MSR_EE | PPC_MSR_ME | 0x80000000u);
	kvmppc_set_msr(v, PPC_MSR_ME);
	assert_int_equal(emulate(v, RFI), EMULATE_DONE);
	assert_int_equal(c->pc, 0x2000);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_PR | PPC_MSR_EE | PPC_MSR_ME);
	assert_false(v->halted);
	kvmppc_set_msr(v, 0);
	v->csrr0 = 0x3000;
	v->csrr1 = PPC_MSR_CE;
	assert_int_equal(emulate(v, RFCI), EMULATE_DONE);
	assert_int_equal(c->pc, 0x3000);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_CE);
	v->mcsrr0 = 0x4000;
	v->mcsrr1 = PPC_MSR_ME | PPC_MSR_DS;
	assert_int_equal(emulate(v, RFMCI), EMULATE_DONE);
	assert_int_equal(c->pc, 0x4000);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME | PPC_MSR_DS);
}

static void test_interrupt_classes(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	const uint32_t all = PPC_MSR_CE | PPC_MSR_EE | PPC_MSR_PR | PPC_MSR_FP | PPC_MSR_ME |
			     PPC_MSR_DE | PPC_MSR_IS | PPC_MSR_DS;

	v->ivpr = 0xfff00000u;
	kvmppc_queue_irqprio(v, BOOKE_IRQPRIO_EXTERNAL);
	kvmppc_queue_irqprio(v, BOOKE_IRQPRIO_CRITICAL);
	kvmppc_set_msr(v, PPC_MSR_ME);
	assert_false(kvmppc_deliverable(v));

	/* critical first (higher priority), critical class */
	kvmppc_set_msr(v, all);
	v->cpu.pc = 0x5000;
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->cpu.pc, 0xfff00000u | VEC(BOOKE_IVOR_CRITICAL));
	assert_int_equal(v->csrr0, 0x5000);
	assert_int_equal(v->csrr1, all);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME);
	assert_false(kvmppc_deliverable(v)); /* EE went too */

	/* then the external input, base class: CE, ME, DE survive */
	kvmppc_set_msr(v, all);
	v->cpu.pc = 0x6000;
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->cpu.pc, 0xfff00000u | VEC(BOOKE_IVOR_EXTERNAL));
	assert_int_equal(kvmppc_get_srr0(v), 0x6000);
	assert_int_equal(kvmppc_get_srr1(v), all);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_CE | PPC_MSR_ME | PPC_MSR_DE);
	assert_int_equal(v->pending, 0); /* edge: taken once */

	/* a level external input stays pending */
	v->ext_level = true;
	kvmppc_queue_irqprio(v, BOOKE_IRQPRIO_EXTERNAL);
	kvmppc_set_msr(v, PPC_MSR_EE);
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->pending, 1u << BOOKE_IRQPRIO_EXTERNAL);

	/* machine check: MSR[ME] masks it; taken, it clears ME */
	v->pending = 1u << BOOKE_IRQPRIO_MACHINE_CHECK;
	kvmppc_set_msr(v, PPC_MSR_EE);
	assert_false(kvmppc_deliver_pending(v));
	kvmppc_set_msr(v, PPC_MSR_ME | PPC_MSR_CE);
	v->cpu.pc = 0x7000;
	assert_true(kvmppc_deliver_pending(v));
	assert_int_equal(v->mcsrr0, 0x7000);
	assert_int_equal(v->mcsrr1, PPC_MSR_ME | PPC_MSR_CE);
	assert_int_equal(kvmppc_get_msr(v), 0);

	/* delivery ends a wait */
	kvmppc_set_msr(v, PPC_MSR_WE | PPC_MSR_EE);
	assert_true(v->halted);
	kvmppc_queue_irqprio(v, BOOKE_IRQPRIO_EXTERNAL);
	assert_true(kvmppc_deliver_pending(v));
	assert_false(v->halted);
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_WE | PPC_MSR_EE);

	/* synchronous exceptions write ESR (and DEAR for data ones) */
	v->cpu.pc = 0x8000;
	kvmppc_deliver_exception(v, BOOKE_IRQPRIO_ALIGNMENT, CPU_ESR_ST, 0x1234);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_ST);
	assert_int_equal(kvmppc_get_dear(v), 0x1234);
	assert_int_equal(kvmppc_get_srr0(v), 0x8000);
	kvmppc_deliver_exception(v, BOOKE_IRQPRIO_FP_UNAVAIL, CPU_ESR_PIL, 0x99);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_ST); /* FP unavailable leaves them */
	assert_int_equal(kvmppc_get_dear(v), 0x1234);
}

static void test_dcr_exits(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	assert_int_equal(emulate(v, MFDCR(7, 0xc2)), EMULATE_DO_DCR);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_DCR);
	assert_int_equal(v->run.dcr.dcrn, 0xc2);
	assert_int_equal(v->run.dcr.is_write, 0);
	assert_int_equal(v->io_pending, KVM_IO_DCR_READ);
	assert_int_equal(v->io.rt, 7);
	assert_int_equal(c->pc, PC + 4);
	v->run.dcr.data = 0xfeed;
	kvm_complete_io(v);
	assert_int_equal(c->gpr[7], 0xfeed);

	c->gpr[3] = 0x3ff;
	c->gpr[4] = 0x5555;
	assert_int_equal(emulate(v, MTDCRX(3, 4)), EMULATE_DO_DCR);
	assert_int_equal(v->run.dcr.dcrn, 0x3ff);
	assert_int_equal(v->run.dcr.is_write, 1);
	assert_int_equal(v->run.dcr.data, 0x5555);
	assert_int_equal(v->io_pending, KVM_IO_DCR_WRITE);

	/* no device there: the VMM says so, and the guest gets the program interrupt */
	v->run.dcr.status = SKVM_DCR_UNCLAIMED;
	kvm_complete_io(v);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_PROGRAM));
	assert_int_equal(kvmppc_get_srr0(v), PC);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PIL);
}

static void test_hypercalls(void **state)
{
	struct skvm_vcpu *v = ((struct vcpu_fix *)*state)->vcpu;
	struct cpu *c = &v->cpu;

	c->gpr[11] = KVM_HCALL_TOKEN(KVM_HC_FEATURES);
	assert_int_equal(kvmppc_handle_hcall(v), EMULATE_DONE);
	assert_int_equal(c->gpr[3], EV_SUCCESS);
	assert_int_equal(c->gpr[4], 1u << KVM_FEATURE_MAGIC_PAGE);

	c->gpr[11] = KVM_HCALL_TOKEN(KVM_HC_PPC_MAP_MAGIC_PAGE);
	c->gpr[3] = 0xfffff000u;
	c->gpr[4] = 0xfffff001u; /* MAGIC_PAGE_FLAG_NOT_MAPPED_NX */
	assert_int_equal(kvmppc_handle_hcall(v), EMULATE_DONE);
	assert_int_equal(c->gpr[3], EV_SUCCESS);
	assert_int_equal(c->gpr[4], KVM_MAGIC_FEAT_MAS0_TO_SPRG7);
	assert_true(v->magic_mapped);
	assert_int_equal(v->magic_page_ea, 0xfffff000u);

	c->gpr[11] = KVM_HCALL_TOKEN(99);
	assert_int_equal(kvmppc_handle_hcall(v), EMULATE_DONE);
	assert_int_equal(c->gpr[3], EV_UNIMPLEMENTED);
	assert_int_equal(c->gpr[4], 0);

	c->gpr[11] = EV_HCALL_TOKEN(EV_IDLE);
	assert_int_equal(kvmppc_handle_hcall(v), EMULATE_DONE);
	assert_int_equal(c->gpr[3], EV_SUCCESS);
	assert_true(v->halted);
}

/* ---- the pre-decoded handlers, running ---- */

static void put(struct vcpu_fix *f, uint32_t addr, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = f->ram + addr + 4 * i;
		p[0] = (uint8_t)(w[i] >> 24);
		p[1] = (uint8_t)(w[i] >> 16);
		p[2] = (uint8_t)(w[i] >> 8);
		p[3] = (uint8_t)w[i];
	}
}

static uint32_t li(unsigned rt, int16_t v)
{
	return 0x38000000u | rt << 21 | (uint16_t)v;
}
static uint32_t lis(unsigned rt, uint16_t v)
{
	return 0x3c000000u | rt << 21 | v;
}
static uint32_t ori(unsigned ra, unsigned rs, uint16_t v)
{
	return 0x60000000u | rs << 21 | ra << 16 | v;
}

/* Every vector resets the machine with r30 = its IVOR number, so the run ends there. */
static int setup_run(void **state)
{
	assert_int_equal(setup(state), 0);
	struct vcpu_fix *f = *state;
	struct skvm_440_tlb_entry e = {.word0 = 0x200 | 0x90, .word1 = 0, .word2 = 0x3f};
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->vcpu, 0, &e), 0);
	for (unsigned i = 0; i < 16; i++) {
		uint32_t code[] = {li(30, (int16_t)i), lis(29, 0x3000), mtspr(SPRN_DBCR0, 29)};
		put(f, VEC(i), code, 3);
	}
	return 0;
}

static void run_at(struct vcpu_fix *f, uint32_t pc, uint32_t msr)
{
	struct skvm_vcpu *v = f->vcpu;
	v->cpu.pc = pc;
	kvmppc_set_msr(v, msr);
	v->cpu.gpr[30] = 0xffffffffu;
	assert_int_equal(skvm_vcpu_run(v), 0);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_SYSTEM_EVENT);
}

static void test_fast_wrteei_takes_pending(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	uint32_t code[] = {WRTEEI(0), MFMSR(3), WRTEEI(1), li(4, 1), li(30, 99),
			   lis(29, 0x3000), mtspr(SPRN_DBCR0, 29)};

	put(f, PC, code, 7);
	assert_int_equal(skvm_vcpu_interrupt(v, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	run_at(f, PC, PPC_MSR_ME);
	assert_int_equal(v->cpu.gpr[30], BOOKE_IVOR_EXTERNAL);
	assert_int_equal(kvmppc_get_srr0(v), PC + 12); /* right after wrteei 1 */
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_ME | PPC_MSR_EE);
	assert_int_equal(v->cpu.gpr[3], PPC_MSR_ME);
	/* each counted as its kind */
	assert_int_equal(v->stats[SKVM_EXITS_EMULATED_WRTEE].count, 2);
	assert_int_equal(v->stats[SKVM_EXITS_EMULATED_MFMSR].count, 1);
}

static void test_fast_rfi_sc_and_user_sprs(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	const uint32_t user = 0x3000, umsr = PPC_MSR_PR | PPC_MSR_EE | PPC_MSR_ME;
	uint32_t code[] = {li(5, user),	  mtspr(SPRN_SRR0, 5),	    li(6, 0),
			   ori(6, 6, umsr), mtspr(SPRN_SRR1, 6),	    li(7, 0x77),
			   mtspr(SPRN_SPRG0 + 6, 7), RFI};
	uint32_t ucode[] = {mfspr(8, SPRN_SPRG4R + 2), mfspr(9, SPRN_USPRG0), SC};

	put(f, PC, code, sizeof(code) / 4);
	put(f, user, ucode, 3);
	v->usprg0 = 0x1234;
	run_at(f, PC, PPC_MSR_ME);
	assert_int_equal(v->cpu.gpr[30], BOOKE_IVOR_SYSCALL);
	assert_int_equal(kvmppc_get_srr0(v), user + 12);
	assert_int_equal(kvmppc_get_srr1(v), umsr);
	assert_int_equal(v->cpu.gpr[8], 0x77);
	assert_int_equal(v->cpu.gpr[9], 0x1234);

	/* a privileged SPR from user mode: the program interrupt (new code at a new
	 * address: the words at `user` are decoded already) */
	uint32_t ucode2[] = {mfspr(8, SPRN_SPRG0)};
	put(f, user + 0x100, ucode2, 1);
	run_at(f, user + 0x100, umsr);
	assert_int_equal(v->cpu.gpr[30], BOOKE_IVOR_PROGRAM);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PPR);
	assert_int_equal(kvmppc_get_srr0(v), user + 0x100);
}

static void test_fast_tlb(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	/* tlbwe entry 5 = 0x40000000 4K -> 0x10000, tlbsx. it back, load through it */
	uint32_t code[] = {li(3, 5),
			   lis(4, 0x4000),
			   ori(4, 4, 0x210), /* V, 4K */
			   x_form(tlbwe, 4, 3, 0),
			   lis(4, 1), /* RPN 0x10000 */
			   x_form(tlbwe, 4, 3, 1),
			   li(4, 3), /* SR SW */
			   x_form(tlbwe, 4, 3, 2),
			   lis(10, 0x4000),
			   li(11, 8),
			   TLBSX_RC(12, 10, 11),
			   0x80ea0008u, /* lwz r7,8(r10) */
			   lis(29, 0x3000),
			   mtspr(SPRN_DBCR0, 29)};

	put(f, PC, code, sizeof(code) / 4);
	f->ram[0x10008] = 0xca;
	f->ram[0x1000b] = 0xfe;
	run_at(f, PC, PPC_MSR_ME);
	assert_int_equal(v->cpu.gpr[30], 0xffffffffu); /* no interrupt */
	assert_int_equal(v->cpu.gpr[12], 5);
	assert_int_equal(v->cpu.cr >> 28, 2); /* CR0[EQ] */
	assert_int_equal(v->cpu.gpr[7], 0xca0000feu);
	assert_int_equal(v->tlb[5].word1, 0x10000u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spr_privilege, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_and_readonly_sprs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spr_semantics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msr_instructions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_classes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dcr_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypercalls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fast_wrteei_takes_pending, setup_run, teardown),
		cmocka_unit_test_setup_teardown(test_fast_rfi_sc_and_user_sprs, setup_run, teardown),
		cmocka_unit_test_setup_teardown(test_fast_tlb, setup_run, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
