// SPDX-License-Identifier: MIT
/* The Book3S PR hypervisor through the public API (a SKVM_VM_PPC_PR VM): small 64-bit guest
 * programs in supervisor state run on the 64-bit core with the guest kernel in problem state
 * underneath, and each test checks what the guest or the VMM sees: privileged instructions'
 * results, interrupts with their SRR0/SRR1/DAR/DSISR and MSR on entry, HPT translation with
 * H_ENTER/H_REMOVE, sc 1 to the VMM and which hcalls stay in the hypervisor
 * (SKVM_CAP_PPC_ENABLE_HCALL), OSI calls, MMIO exits in both byte orders, the external input
 * and the decrementer, H_CEDE, exit counting and timing. Every vector holds
 * `li r3,0x8000|vec>>4; sc 1`: the SKVM_EXIT_PAPR_HCALL with that nr says which interrupt the
 * guest took. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <softkvm/papr.h>
#include <softkvm/skvm.h>

#define RAM_SIZE (16u << 20)
#define HPT_GPA 0x10000000ull /* a slot of its own, as a VMM keeps the table */
#define HPT_SIZE (256u << 10) /* HTABSIZE 0: 2048 PTEGs */
#define CODE 0x4000u
#define MMIO 0x80000000ull
#define MSR_SF (1ull << 63)
#define MSR_EE (1ull << 15)
#define MSR_PR (1ull << 14)
#define MSR_ME (1ull << 12)
#define MSR_IR (1ull << 5)
#define MSR_DR (1ull << 4)
#define MSR_LE 1ull
#define VEC_EXIT(vec) (0x8000u | ((vec) >> 4))

/* ---- encodings ---- */
#define R(n) ((uint32_t)(n))
static uint32_t li(unsigned rt, int16_t v) { return 0x38000000u | R(rt) << 21 | (uint16_t)v; }
static uint32_t lis(unsigned rt, uint16_t v) { return 0x3c000000u | R(rt) << 21 | v; }
static uint32_t ori(unsigned ra, unsigned rs, uint16_t v) { return 0x60000000u | R(rs) << 21 | R(ra) << 16 | v; }
static uint32_t oris(unsigned ra, unsigned rs, uint16_t v) { return 0x64000000u | R(rs) << 21 | R(ra) << 16 | v; }
static uint32_t sldi32(unsigned ra, unsigned rs) /* rldicr ra,rs,32,31 */
{
	return 0x78000004u | R(rs) << 21 | R(ra) << 16 | 31u << 6 | 1u << 1; /* sh=32: sh5 */
}
static uint32_t spr_field(unsigned spr) { return (spr & 0x1f) << 16 | ((spr >> 5) & 0x1f) << 11; }
static uint32_t mtspr(unsigned spr, unsigned rs) { return 0x7c0003a6u | R(rs) << 21 | spr_field(spr); }
static uint32_t mfspr(unsigned rt, unsigned spr) { return 0x7c0002a6u | R(rt) << 21 | spr_field(spr); }
static uint32_t mfmsr(unsigned rt) { return 0x7c0000a6u | R(rt) << 21; }
static uint32_t mtmsrd(unsigned rs, unsigned l) { return 0x7c000164u | R(rs) << 21 | l << 16; }
static uint32_t ld(unsigned rt, int16_t d, unsigned ra) { return 0xe8000000u | R(rt) << 21 | R(ra) << 16 | ((uint16_t)d & 0xfffc); }
static uint32_t lwa(unsigned rt, int16_t d, unsigned ra) { return ld(rt, d, ra) | 2; }
static uint32_t std_(unsigned rs, int16_t d, unsigned ra) { return 0xf8000000u | R(rs) << 21 | R(ra) << 16 | ((uint16_t)d & 0xfffc); }
static uint32_t lwz(unsigned rt, int16_t d, unsigned ra) { return 0x80000000u | R(rt) << 21 | R(ra) << 16 | (uint16_t)d; }
static uint32_t lha(unsigned rt, int16_t d, unsigned ra) { return 0xa8000000u | R(rt) << 21 | R(ra) << 16 | (uint16_t)d; }
static uint32_t stw(unsigned rs, int16_t d, unsigned ra) { return 0x90000000u | R(rs) << 21 | R(ra) << 16 | (uint16_t)d; }
static uint32_t lwbrx(unsigned rt, unsigned ra, unsigned rb) { return 0x7c00042cu | R(rt) << 21 | R(ra) << 16 | R(rb) << 11; }
static uint32_t mr(unsigned ra, unsigned rs) { return 0x7c000378u | R(rs) << 21 | R(ra) << 16 | R(rs) << 11; }
static uint32_t slbmte(unsigned rs, unsigned rb) { return 0x7c000324u | R(rs) << 21 | R(rb) << 11; }
static uint32_t slbmfee(unsigned rt, unsigned rb) { return 0x7c000726u | R(rt) << 21 | R(rb) << 11; }
static uint32_t slbmfev(unsigned rt, unsigned rb) { return 0x7c0006a6u | R(rt) << 21 | R(rb) << 11; }
#define RFID 0x4c000024u
#define SC0 0x44000002u
#define SC1 0x44000022u
#define B_SELF 0x48000000u
#define NOP 0x60000000u
#define TRAP 0x7fe00008u /* tw 31,0,0 */

enum { SPRN_DSISR = 18, SPRN_DAR = 19, SPRN_DEC = 22, SPRN_SRR0 = 26, SPRN_SRR1 = 27,
       SPRN_SPRG0 = 272, SPRN_SPRG3 = 275, SPRN_PVR = 287, SPRN_PIR = 1023, SPRN_TAR = 815 };

struct pr {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_run *run;
	uint8_t *ram, *hpt;
	bool le; /* instruction words in little-endian order */
	uint64_t at; /* where put() writes next */
};

static void put_word(struct pr *p, uint64_t gpa, uint32_t w)
{
	if (!p->le)
		w = __builtin_bswap32(w);
	memcpy(p->ram + gpa, &w, 4);
}

static void put(struct pr *p, uint32_t w)
{
	put_word(p, p->at, w);
	p->at += 4;
}

static void put_li64(struct pr *p, unsigned rt, uint64_t v)
{
	put(p, lis(rt, (uint16_t)(v >> 48)));
	put(p, ori(rt, rt, (uint16_t)(v >> 32)));
	put(p, sldi32(rt, rt));
	put(p, oris(rt, rt, (uint16_t)(v >> 16)));
	put(p, ori(rt, rt, (uint16_t)v));
}

static void put_vectors(struct pr *p)
{
	static const unsigned vecs[] = {0x100, 0x200, 0x300, 0x380, 0x400, 0x480, 0x500, 0x600,
					0x700, 0x800, 0x900, 0xc00, 0xd00, 0xf20, 0xf40, 0xf60};
	for (unsigned i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		p->at = vecs[i];
		put(p, li(3, 0));
		put(p, ori(3, 3, (uint16_t)VEC_EXIT(vecs[i])));
		put(p, SC1);
	}
	p->at = CODE;
}

static int setup(void **state)
{
	struct pr *p = calloc(1, sizeof(*p));
	struct skvm_userspace_memory_region ram = {0}, hpt = {0};
	struct skvm_sregs s;

	assert_non_null(p);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_PR, &p->vm), 0);
	p->ram = aligned_alloc(4096, RAM_SIZE);
	p->hpt = aligned_alloc(HPT_SIZE, HPT_SIZE);
	assert_non_null(p->ram);
	assert_non_null(p->hpt);
	memset(p->ram, 0, RAM_SIZE);
	memset(p->hpt, 0, HPT_SIZE);
	ram = (struct skvm_userspace_memory_region){
		.slot = 0, .memory_size = RAM_SIZE, .userspace_addr = p->ram};
	hpt = (struct skvm_userspace_memory_region){
		.slot = 1, .guest_phys_addr = HPT_GPA, .memory_size = HPT_SIZE, .userspace_addr = p->hpt};
	assert_int_equal(skvm_vm_set_memory_region(p->vm, &ram), 0);
	assert_int_equal(skvm_vm_set_memory_region(p->vm, &hpt), 0);
	assert_int_equal(skvm_vcpu_create(p->vm, 0, &p->vcpu), 0);
	p->run = skvm_vcpu_run_data(p->vcpu);
	assert_int_equal(skvm_vcpu_enable_cap(p->vcpu, SKVM_CAP_PPC_PAPR, 0), 0);
	assert_int_equal(skvm_vcpu_get_sregs(p->vcpu, &s), 0);
	s.u.s.sdr1 = HPT_GPA; /* HTABSIZE 0 */
	assert_int_equal(skvm_vcpu_set_sregs(p->vcpu, &s), 0);
	put_vectors(p);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct pr *p = *state;

	skvm_vm_destroy(p->vm);
	free(p->ram);
	free(p->hpt);
	free(p);
	return 0;
}

/* KVM_ENABLE_CAP on the VM with args[0] and args[1]. */
static int vm_enable_cap(struct pr *p, enum skvm_cap cap, uint64_t arg0, uint64_t arg1)
{
	struct skvm_enable_cap c = {.cap = cap, .args = {arg0, arg1}};

	return skvm_vm_enable_cap(p->vm, &c);
}

/* Enter at CODE in supervisor state with msr (SF and ME added). */
static void enter(struct pr *p, uint64_t msr)
{
	struct skvm_regs r;

	/* the test wrote the guest's code: what was decoded of the old is dropped */
	assert_int_equal(skvm_vm_flush_icache(p->vm, 0, 0x10000), 0);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	r.pc = CODE;
	r.msr = msr | MSR_SF | MSR_ME;
	assert_int_equal(skvm_vcpu_set_regs(p->vcpu, &r), 0);
}

static struct skvm_regs run_regs(struct pr *p)
{
	struct skvm_regs r;

	assert_int_equal(skvm_vcpu_run(p->vcpu), 0);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	return r;
}

/* Runs until the guest's sc 1 exit; returns the hcall number. */
static uint64_t run_to_hcall(struct pr *p, struct skvm_regs *r)
{
	*r = run_regs(p);
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_PAPR_HCALL);
	return p->run->papr_hcall.nr;
}

static void test_vm_and_reset_state(void **state)
{
	struct pr *p = *state;
	struct skvm_vm *vm440;
	struct skvm_ppc_smmu_info smmu;
	struct skvm_regs r;
	struct skvm_sregs s;

	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_PAPR), 1);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vm440), 0);
	assert_int_equal(skvm_check_extension(vm440, SKVM_CAP_PPC_PAPR), 0);
	assert_int_equal(skvm_check_extension(vm440, SKVM_CAP_PPC_GET_SMMU_INFO), 0);
	assert_int_equal(skvm_vm_get_smmu_info(vm440, &smmu), -ENOTTY);
	skvm_vm_destroy(vm440);
	assert_int_equal(skvm_vm_create(1, &vm440), -EINVAL);
	/* what a PR VM has, and what only a 440 has */
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_OSI), 1);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_ENABLE_HCALL), 1);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_EXIT_TIMING), 1);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_BOOKE_SREGS), 0);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_BOOKE_WATCHDOG), 0);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_DCR), 0);
	/* KVM_PPC_GET_SMMU_INFO: POWER8's 32-entry SLB, 1 TiB segments, 4K, 64K, 16M pages */
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_GET_SMMU_INFO), 1);
	memset(&smmu, 0xff, sizeof(smmu));
	assert_int_equal(skvm_vm_get_smmu_info(p->vm, &smmu), 0);
	assert_int_equal(smmu.slb_size, 32);
	assert_int_equal(smmu.flags, SKVM_PPC_1T_SEGMENTS);
	assert_int_equal(smmu.sps[0].page_shift, 12);
	assert_int_equal(smmu.sps[1].page_shift, 16);
	assert_int_equal(smmu.sps[1].slb_enc, 0x110);
	assert_int_equal(smmu.sps[2].page_shift, 24);
	assert_int_equal(smmu.sps[3].page_shift, 0);
	assert_int_equal(skvm_vm_get_smmu_info(p->vm, NULL), -EINVAL);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	assert_int_equal(r.pc, 0x100);
	assert_int_equal(r.msr, MSR_SF | MSR_ME);
	assert_int_equal(skvm_vcpu_get_sregs(p->vcpu, &s), 0);
	assert_int_equal(s.pvr, 0x004d0200);
	assert_int_equal(s.u.s.sdr1, HPT_GPA);
	s.u.s.sdr1 = 0x20000000; /* not memory */
	assert_int_equal(skvm_vcpu_set_sregs(p->vcpu, &s), -EINVAL);
	assert_int_equal(skvm_vcpu_interrupt(p->vcpu, SKVM_INTERRUPT_SET, true), -EINVAL);
}

static void test_privileged_in_supervisor(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put(p, li(3, 0x1234));
	put(p, mtspr(SPRN_SPRG0, 3));
	put(p, mfspr(4, SPRN_SPRG0));
	put(p, mfmsr(5));
	put(p, mfspr(6, SPRN_PVR));
	put(p, mfspr(7, SPRN_PIR));
	put_li64(p, 8, 0xfedcba9876543210ull);
	put(p, mtspr(SPRN_SRR0, 8));
	put(p, mfspr(9, SPRN_SRR0));
	put(p, mtspr(SPRN_TAR, 8));
	put(p, mfspr(10, SPRN_TAR));
	/* an SLB entry written and read back: ESID 1 (EA 0x10000000), index 3, VSID 0x42 */
	put_li64(p, 11, 0x10000000ull | (1ull << 27) | 3);
	put_li64(p, 12, 0x42ull << 12 | 0x400); /* Kp */
	put(p, slbmte(12, 11));
	put(p, li(13, 3));
	put(p, slbmfee(14, 13));
	put(p, slbmfev(15, 13));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[4], 0x1234);
	assert_int_equal(r.sprg0, 0x1234);
	assert_int_equal(r.gpr[5], MSR_SF | MSR_ME);
	assert_int_equal(r.gpr[6], 0x004d0200);
	assert_int_equal(r.gpr[7], 0);
	assert_int_equal(r.gpr[9], 0xfedcba9876543210ull);
	assert_int_equal(r.srr0, 0xfedcba9876543210ull);
	assert_int_equal(r.gpr[10], 0xfedcba9876543210ull);
	assert_int_equal(r.gpr[14], 0x10000000ull | (1ull << 27));
	assert_int_equal(r.gpr[15], 0x42ull << 12 | 0x400);
	assert_int_equal(r.pc, CODE + 4 * 31);
}

/* The supervisor SPRs by ONE_REG (Linux's ids): what the VMM sets the guest's mfspr reads,
 * what the guest's mtspr writes the VMM reads. */
static void test_one_reg_sprs(void **state)
{
	static const struct {
		uint64_t id;
		unsigned spr;
	} sprs[] = {{SKVM_REG_PPC_DSCR, 17},  {SKVM_REG_PPC_AMR, 29},	{SKVM_REG_PPC_IAMR, 61},
		    {SKVM_REG_PPC_FSCR, 153}, {SKVM_REG_PPC_UAMOR, 157}, {SKVM_REG_PPC_CIABR, 187},
		    {SKVM_REG_PPC_TAR, 815},  {SKVM_REG_PPC_PPR, 896},	{SKVM_REG_PPC_DABR, 1013},
		    {SKVM_REG_PPC_EBBHR, 804}, {SKVM_REG_PPC_EBBRR, 805}, {SKVM_REG_PPC_BESCR, 806}};
	enum { N = sizeof(sprs) / sizeof(sprs[0]) };
	struct pr *p = *state;
	struct skvm_regs r;
	uint64_t x;
	uint32_t w;

	for (unsigned i = 0; i < N; i++) {
		x = 0x1000 + i;
		assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, sprs[i].id, &x), 0);
		put(p, mfspr(4 + i, sprs[i].spr));
	}
	w = 0xabcd1234;
	assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VRSAVE, &w), 0);
	put(p, mfspr(20, 256));
	put(p, li(3, 0x77));
	for (unsigned i = 0; i < N; i++)
		put(p, mtspr(sprs[i].spr, 3));
	put(p, mtspr(256, 3));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(r.gpr[4 + i], 0x1000 + i);
		assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, sprs[i].id, &x), 0);
		assert_int_equal(x, 0x77);
	}
	assert_int_equal(r.gpr[20], 0xabcd1234);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VRSAVE, &w), 0);
	assert_int_equal(w, 0x77);
}

/* An interrupt's SRR0/SRR1 and the MSR it leaves. */
static void expect_interrupt(struct pr *p, unsigned vec, uint64_t srr0, uint64_t srr1)
{
	struct skvm_regs r;

	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(vec));
	assert_int_equal(r.srr0, srr0);
	assert_int_equal(r.srr1, srr1);
	assert_int_equal(r.msr, MSR_SF | MSR_ME);
}

static void test_program_interrupts(void **state)
{
	struct pr *p = *state;
	/* a privileged instruction in problem state: SRR1[45] and the user MSR */
	put(p, mfmsr(3));
	enter(p, MSR_PR);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | MSR_PR | 0x40000);
	/* the same for the SPR moves with handlers of their own, and an SPR the POWER8 lacks
	 * (not a privileged number: illegal in problem state) */
	p->at = CODE;
	put(p, mfspr(3, SPRN_PVR));
	enter(p, MSR_PR);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | MSR_PR | 0x40000);
	p->at = CODE;
	put(p, mtspr(SPRN_SPRG0, 3));
	enter(p, MSR_PR);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | MSR_PR | 0x40000);
	p->at = CODE;
	put(p, mfspr(3, 1000));
	enter(p, MSR_PR);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | MSR_PR | 0x80000);

	/* illegal: SRR1[44] */
	p->at = CODE;
	put(p, 0);
	enter(p, 0);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | 0x80000);

	/* trap: SRR1[46], SRR0 the trap itself */
	p->at = CODE;
	put(p, NOP);
	put(p, TRAP);
	enter(p, 0);
	expect_interrupt(p, 0x700, CODE + 4, MSR_SF | MSR_ME | 0x20000);
}

/* ---- FSCR's facilities: TAR, the event-based branch facility, DSCR; the BHRB ---- */
#define FSCR_DSCR (1ull << 2)
#define FSCR_EBB (1ull << 7)
#define FSCR_TAR (1ull << 8)
#define FSCR_IC(ic) ((uint64_t)(ic) << 56)
enum { SPRN_DSCR_U = 3, SPRN_FSCR = 153, SPRN_BESCRS = 800, SPRN_BESCRSU = 801,
       SPRN_BESCRR = 802, SPRN_BESCRRU = 803, SPRN_EBBHR = 804, SPRN_EBBRR = 805,
       SPRN_BESCR = 806 };
static uint32_t rfebb(unsigned s) { return 0x4c000124u | s << 11; }
static uint32_t bctar(unsigned bo, unsigned bi) { return 0x4c000460u | bo << 21 | bi << 16; }
static uint32_t mfbhrbe(unsigned rt, unsigned n) { return 0x7c00025cu | R(rt) << 21 | n << 11; }
#define CLRBHRB 0x7c00035cu

static void set_fscr(struct pr *p, uint64_t fscr)
{
	assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_FSCR, &fscr), 0);
}

static uint64_t get_fscr(struct pr *p)
{
	uint64_t fscr;

	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_FSCR, &fscr), 0);
	return fscr;
}

/* In problem state with FSCR's bit off, each of w is the facility unavailable interrupt
 * (0xf60): SRR0 the instruction, SRR1 the user MSR, FSCR[IC] the cause, FSCR's enable bits
 * kept. */
static void expect_unavailable(struct pr *p, const uint32_t *w, unsigned n, uint64_t fscr,
			       unsigned ic)
{
	for (unsigned i = 0; i < n; i++) {
		set_fscr(p, FSCR_IC(0x5a) | fscr);
		p->at = CODE;
		put(p, w[i]);
		enter(p, MSR_PR);
		expect_interrupt(p, 0xf60, CODE, MSR_SF | MSR_ME | MSR_PR);
		if (get_fscr(p) != (FSCR_IC(ic) | fscr))
			fail_msg("0x%08x: FSCR 0x%llx, not IC %u", w[i],
				 (unsigned long long)get_fscr(p), ic);
	}
}

static void test_facility_unavailable(void **state)
{
	struct pr *p = *state;
	const uint32_t tar[] = {mfspr(3, SPRN_TAR), mtspr(SPRN_TAR, 3), bctar(20, 0)};
	const uint32_t ebb[] = {mfspr(3, SPRN_EBBHR), mtspr(SPRN_EBBHR, 3), mfspr(3, SPRN_EBBRR),
				mtspr(SPRN_EBBRR, 3), mfspr(3, SPRN_BESCR), mtspr(SPRN_BESCR, 3),
				mtspr(SPRN_BESCRS, 3), mfspr(3, SPRN_BESCRSU), mtspr(SPRN_BESCRR, 3),
				mtspr(SPRN_BESCRRU, 3), rfebb(1)};
	const uint32_t dscr[] = {mfspr(3, SPRN_DSCR_U), mtspr(SPRN_DSCR_U, 3)};
	const uint32_t bhrb[] = {CLRBHRB, mfbhrbe(3, 0), mfbhrbe(3, 31)};

	/* each facility's own bit: the others' do not enable it */
	expect_unavailable(p, tar, 3, FSCR_EBB | FSCR_DSCR, 8);
	expect_unavailable(p, ebb, 11, FSCR_TAR | FSCR_DSCR, 7);
	expect_unavailable(p, dscr, 2, FSCR_TAR | FSCR_EBB, 2);
	/* MMCR0[BHRBA] is 0 (no performance monitor): FSCR does not matter */
	expect_unavailable(p, bhrb, 3, FSCR_TAR | FSCR_EBB | FSCR_DSCR, 4);
}

/* With FSCR's bits on, problem state uses TAR, DSCR and the event-based branch facility as
 * a POWER8's user programs do (Linux sets TAR and EBB for every process); the guest kernel
 * uses them whatever FSCR says, and reads the BHRB as empty. */
static void test_facilities_enabled(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;
	uint64_t x;

	set_fscr(p, FSCR_TAR | FSCR_EBB | FSCR_DSCR);
	put_li64(p, 20, CODE + 0x200);
	put(p, mtspr(SPRN_TAR, 20));
	put(p, mfspr(4, SPRN_TAR));
	put(p, li(21, 0x1d));
	put(p, mtspr(SPRN_DSCR_U, 21));
	put(p, mfspr(5, SPRN_DSCR_U));
	put_li64(p, 22, 0x8000000100000001ull); /* GE, PME, PMEO */
	put(p, mtspr(SPRN_BESCR, 22));
	put(p, li(23, 1));
	put(p, mtspr(SPRN_BESCRR, 23));	 /* PMEO off */
	put(p, li(23, 2));
	put(p, mtspr(SPRN_BESCRS, 23));	 /* EE (bit 62) on */
	put(p, mfspr(6, SPRN_BESCR));
	put(p, lis(23, 0x8000));
	put(p, mtspr(SPRN_BESCRRU, 23)); /* GE (word 0's bit 0) off */
	put(p, mfspr(7, SPRN_BESCRS));
	put(p, li(23, 2));
	put(p, mtspr(SPRN_BESCRSU, 23)); /* bit 30 on */
	put(p, mfspr(8, SPRN_BESCRRU));
	put(p, mfspr(9, SPRN_BESCRR));
	put_li64(p, 24, CODE + 0x100 + 3); /* the low two bits do not count */
	put(p, mtspr(SPRN_EBBRR, 24));
	put(p, mtspr(SPRN_EBBHR, 20));
	put(p, mfspr(10, SPRN_EBBHR));
	put(p, rfebb(1));
	put(p, SC0);
	p->at = CODE + 0x100;
	put(p, mfspr(11, SPRN_BESCRSU)); /* after rfebb 1: GE back on */
	put(p, mfspr(12, SPRN_EBBRR));
	put(p, bctar(20, 0));
	put(p, SC0);
	p->at = CODE + 0x200;
	put(p, li(13, 0x66));
	put(p, SC0);
	enter(p, MSR_PR);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0xc00));
	assert_int_equal(r.srr0, CODE + 0x208);
	assert_int_equal(r.gpr[4], CODE + 0x200);
	assert_int_equal(r.gpr[5], 0x1d);
	assert_int_equal(r.gpr[6], 0x8000000100000002ull);
	assert_int_equal(r.gpr[7], 0x0000000100000002ull);
	assert_int_equal(r.gpr[8], 0x00000003ull);
	assert_int_equal(r.gpr[9], 0x0000000300000002ull);
	assert_int_equal(r.gpr[10], CODE + 0x200);
	assert_int_equal(r.gpr[11], 0x80000003ull);
	assert_int_equal(r.gpr[12], CODE + 0x100 + 3);
	assert_int_equal(r.gpr[13], 0x66);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_BESCR, &x), 0);
	assert_int_equal(x, 0x8000000300000002ull);

	/* rfebb 0 clears GE; the guest kernel needs no FSCR bit, and mfbhrbe reads 0 */
	set_fscr(p, 0);
	p->at = CODE;
	put_li64(p, 24, CODE + 0x100);
	put(p, mtspr(SPRN_EBBRR, 24));
	put(p, rfebb(0));
	p->at = CODE + 0x100;
	put(p, mfspr(4, SPRN_BESCR));
	put(p, li(5, -1));
	put(p, CLRBHRB);
	put(p, mfbhrbe(5, 0));
	put(p, li(6, -1));
	put(p, mfbhrbe(6, 1023));
	put(p, mfspr(7, SPRN_TAR));
	put(p, li(8, -1));
	put(p, mfspr(8, 795)); /* MMCR0: no performance monitor kept, reads 0 (BHRBA too) */
	put(p, li(9, -1));
	put(p, mfspr(9, 1000)); /* nor an SPR the POWER8 lacks, as in KVM PR */
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[8], 0);
	assert_int_equal(r.gpr[9], 0);
	assert_int_equal(r.gpr[4], 0x0000000300000002ull);
	assert_int_equal(r.gpr[5], 0);
	assert_int_equal(r.gpr[6], 0);
	assert_int_equal(r.gpr[7], CODE + 0x200);
	assert_int_equal(get_fscr(p), 0);
}

/* MSR[VEC] = 0 / MSR[VSX] = 0: the guest's own vector (0xf20) and VSX (0xf40) unavailable
 * interrupts; with them set the instructions run, on the registers ONE_REG shows. */
static void test_vector_facilities(void **state)
{
	struct pr *p = *state;
	const uint64_t msr_vec = 1ull << 25, msr_vsx = 1ull << 23, msr_fp = 1ull << 13;
	const uint32_t vor_v1 = 0x10211484u;	  /* vor v1,v1,v2 */
	const uint32_t xxlor_vs33 = 0xf0211497u;  /* xxlor vs33,vs33,vs34 (v1 = v1 | v2) */
	const uint32_t mtvsrd_vs1_r4 = 0x7c240166u; /* mtvsrd vs1,r4 */

	put(p, vor_v1);
	enter(p, 0);
	expect_interrupt(p, 0xf20, CODE, MSR_SF | MSR_ME);
	p->at = CODE;
	put(p, xxlor_vs33);
	enter(p, msr_vec | msr_fp);
	expect_interrupt(p, 0xf40, CODE, MSR_SF | MSR_ME | msr_vec | msr_fp);
	/* a direct move needs the facility of its register: FP for VSR0-31 */
	p->at = CODE;
	put(p, mtvsrd_vs1_r4);
	enter(p, msr_vsx | msr_vec);
	expect_interrupt(p, 0x800, CODE, MSR_SF | MSR_ME | msr_vsx | msr_vec);

	uint64_t v1[2] = {0x1111, 0x2222}, v2[2] = {0x4400, 0x8800}, out[2];
	uint64_t vs1[2] = {0x5555, 0x6666}, fpr1;
	assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), v1), 0);
	assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VR(2), v2), 0);
	assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VSR(1), vs1), 0);
	p->at = CODE;
	put(p, xxlor_vs33);
	put(p, li(4, 0x77));
	put(p, mtvsrd_vs1_r4);
	put(p, li(3, 0x42));
	put(p, SC1);
	enter(p, msr_vsx | msr_vec | msr_fp);
	struct skvm_regs r;
	assert_int_equal(run_to_hcall(p, &r), 0x42);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), out), 0);
	assert_int_equal(out[0], 0x5511); /* doubleword 1 first */
	assert_int_equal(out[1], 0xaa22);
	/* VSR1's doubleword 0 is FPR1; doubleword 1 stays */
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VSR(1), out), 0);
	assert_int_equal(out[1], 0x77);
	assert_int_equal(out[0], 0x5555);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_FPR(1), &fpr1), 0);
	assert_int_equal(fpr1, 0x77);
}

static void test_system_call_and_rfid(void **state)
{
	struct pr *p = *state;

	/* rfid to problem state at CODE+0x100, which makes a system call */
	put_li64(p, 3, CODE + 0x100);
	put(p, mtspr(SPRN_SRR0, 3));
	put_li64(p, 4, MSR_SF | MSR_ME | MSR_PR);
	put(p, mtspr(SPRN_SRR1, 4));
	put(p, RFID);
	p->at = CODE + 0x100;
	put(p, NOP);
	put(p, SC0);
	enter(p, 0);
	/* MSR[PR] set EE, IR and DR with it; the syscall's SRR0 is the next instruction. The
	 * fetch at CODE+0x100 with IR=1 and no SLB entry: an instruction segment interrupt. */
	expect_interrupt(p, 0x480, CODE + 0x100, MSR_SF | MSR_ME | MSR_PR | MSR_EE | MSR_IR | MSR_DR);

	/* the same to supervisor state with translation off: the system call, SRR0 the
	 * instruction after sc */
	p->at = CODE;
	put_li64(p, 3, CODE + 0x100);
	put(p, mtspr(SPRN_SRR0, 3));
	put_li64(p, 4, MSR_SF | MSR_ME);
	put(p, mtspr(SPRN_SRR1, 4));
	put(p, RFID);
	enter(p, 0);
	expect_interrupt(p, 0xc00, CODE + 0x108, MSR_SF | MSR_ME);
}

/* The HPT: primary PTEG index of a 4 KiB page of a 256 MiB segment, and the entry's words. */
static uint64_t pteg_of(uint64_t vsid, uint64_t ea)
{
	return ((vsid & 0x7fffffffffull) ^ ((ea & 0x0fffffffull) >> 12)) & (HPT_SIZE / 128 - 1);
}
static uint64_t pteh_of(uint64_t vsid, uint64_t ea)
{
	uint64_t va = vsid << 28 | (ea & 0x0fffffffull);
	return (va >> 23) << 7 | 1; /* AVPN | V */
}

#define VSID 0x42ull
#define SEG_EA 0x10000000ull
#define PAGE_EA (SEG_EA + 0x5000)
#define PAGE_GPA 0x200000ull

/* Supervisor code with DR on, the segment of SEG_EA in SLB entry 0 (Ks = 0). */
static void put_segment(struct pr *p)
{
	put_li64(p, 11, SEG_EA | (1ull << 27));
	put_li64(p, 12, VSID << 12);
	put(p, slbmte(12, 11));
}

static void put_hcall(struct pr *p, uint64_t nr, uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7)
{
	put_li64(p, 4, a4);
	put_li64(p, 5, a5);
	put_li64(p, 6, a6);
	put_li64(p, 7, a7);
	put_li64(p, 3, nr);
	put(p, SC1);
}

/* H_REMOVE (flags 0) of the slot H_ENTER chose, which the guest keeps in r30; its status in
 * r29. */
static void put_h_remove_r30(struct pr *p)
{
	put(p, li(4, 0));
	put(p, mr(5, 30));
	put(p, li(6, 0));
	put(p, li(3, SKVM_H_REMOVE));
	put(p, SC1);
	put(p, mr(29, 3));
}

static void test_dsi_and_segment_interrupts(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;
	uint32_t dsisr;
	uint64_t dar;
	uint64_t code_end;

	put_segment(p);
	put_li64(p, 20, PAGE_EA + 0x10);
	put(p, ld(21, 0, 20)); /* no HPTE: DSI */
	code_end = p->at;
	enter(p, MSR_DR);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x300));
	assert_int_equal(r.srr0, code_end - 4);
	assert_int_equal(r.srr1, MSR_SF | MSR_ME | MSR_DR);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_DAR, &dar), 0);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_DSISR, &dsisr), 0);
	assert_int_equal(dar, PAGE_EA + 0x10);
	assert_int_equal(dsisr, 0x40000000); /* no HPTE */

	/* a store outside any segment: the data segment interrupt with DAR */
	p->at = CODE;
	put_li64(p, 20, 0x30000008ull);
	put(p, stw(20, 0, 20));
	enter(p, MSR_DR);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x380));
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_DAR, &dar), 0);
	assert_int_equal(dar, 0x30000008ull);
}

static void test_h_enter_access_h_remove(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;
	uint64_t ptex = pteg_of(VSID, PAGE_EA) * 8;
	uint64_t val = 0x1122334455667788ull, be = __builtin_bswap64(val);
	uint32_t dsisr;
	uint64_t last_ld;

	memcpy(p->ram + PAGE_GPA + 0x18, &be, 8);
	/* real mode: the segment, H_ENTER (PP=2: read/write for the kernel, M), then DR on */
	put_segment(p);
	put_hcall(p, SKVM_H_ENTER, 0, ptex, pteh_of(VSID, PAGE_EA), PAGE_GPA | 0x10 | 2);
	put(p, mr(31, 3));
	put(p, mr(30, 4)); /* the slot H_ENTER chose */
	put_li64(p, 9, MSR_SF | MSR_ME | MSR_DR);
	put(p, mtmsrd(9, 0));
	put_li64(p, 20, PAGE_EA + 0x18);
	put(p, ld(21, 0, 20));  /* through the HPTE */
	put(p, std_(21, 8, 20)); /* sets C, then the store */
	put_h_remove_r30(p); /* then the same load: DSI */
	last_ld = p->at;
	put(p, ld(22, 0, 20));
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x300));
	assert_int_equal(r.gpr[31], SKVM_H_SUCCESS);
	assert_int_equal(r.gpr[30] & ~7ull, ptex);
	assert_int_equal(r.gpr[21], val);
	assert_int_equal(r.gpr[29], SKVM_H_SUCCESS);
	assert_int_equal(r.gpr[22], 0);
	assert_int_equal(r.srr0, last_ld);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_DSISR, &dsisr), 0);
	assert_int_equal(dsisr, 0x40000000);
	/* the store went to guest RAM through the mapping */
	memcpy(&be, p->ram + PAGE_GPA + 0x20, 8);
	assert_int_equal(__builtin_bswap64(be), val);
}

/* H_REMOVE of a 64 KiB page drops the translation of each of its 4 KiB pieces that was
 * used (the shadow holds 4 KiB pages), whichever the access reached it through. */
static void test_h_remove_64k_page(void **state)
{
	struct pr *p = *state;
	const uint64_t seg_flags = 0x110; /* L, LP=01: 64 KiB base pages */
	const uint64_t page_ea = SEG_EA + 0x20000, gpa = 0x300000;
	const uint64_t va = VSID << 28 | (page_ea & 0x0fffffffull);
	const uint64_t ptex = ((VSID ^ (page_ea & 0x0fffffffull) >> 16) & (HPT_SIZE / 128 - 1)) * 8;
	uint64_t val = 0x0102030405060708ull, be = __builtin_bswap64(val), last_ld;
	struct skvm_regs r;

	memcpy(p->ram + gpa + 0x1008, &be, 8);
	memcpy(p->ram + gpa + 0xf008, &be, 8);
	put_li64(p, 11, SEG_EA | (1ull << 27));
	put_li64(p, 12, VSID << 12 | seg_flags);
	put(p, slbmte(12, 11));
	/* AVPN | L | V; RPN with LP=0001 (64 KiB), M, PP=2 */
	put_hcall(p, SKVM_H_ENTER, 0, ptex, (va >> 23) << 7 | 4 | 1, gpa | 0x1000 | 0x10 | 2);
	put(p, mr(31, 3));
	put(p, mr(30, 4));
	put_li64(p, 9, MSR_SF | MSR_ME | MSR_DR);
	put(p, mtmsrd(9, 0));
	put_li64(p, 20, page_ea + 0x1008);
	put_li64(p, 24, page_ea + 0xf008);
	put(p, ld(21, 0, 20));
	put(p, ld(22, 0, 24));
	put_h_remove_r30(p);
	last_ld = p->at;
	put(p, ld(23, 0, 24));
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x300));
	assert_int_equal(r.gpr[31], SKVM_H_SUCCESS);
	assert_int_equal(r.gpr[21], val);
	assert_int_equal(r.gpr[22], val);
	assert_int_equal(r.gpr[29], SKVM_H_SUCCESS);
	assert_int_equal(r.srr0, last_ld);

	/* the other piece that was used is gone too */
	p->at = CODE;
	put_li64(p, 20, page_ea + 0x1008);
	last_ld = p->at;
	put(p, ld(25, 0, 20));
	enter(p, MSR_DR);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x300));
	assert_int_equal(r.srr0, last_ld);
}

static void test_hcall_to_vmm(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	/* H_PUT_TERM_CHAR(0, 2, "hi"): the VMM's; its result and outputs come back */
	put_hcall(p, SKVM_H_PUT_TERM_CHAR, 0, 2, 0x6869000000000000ull, 0);
	put(p, li(3, 0x7777));
	put(p, mr(31, 4));
	put(p, SC1);
	enter(p, 0);
	r = run_regs(p);
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_PAPR_HCALL);
	assert_int_equal(p->run->papr_hcall.nr, SKVM_H_PUT_TERM_CHAR);
	assert_int_equal(p->run->papr_hcall.args[0], 0);
	assert_int_equal(p->run->papr_hcall.args[1], 2);
	assert_int_equal(p->run->papr_hcall.args[2], 0x6869000000000000ull);
	p->run->papr_hcall.ret = SKVM_H_SUCCESS;
	p->run->papr_hcall.args[0] = 0xabc;
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[31], 0xabc);
}

/* The ePAPR hypercall of the /hypervisor node's sequence (sc with r0 = "KVM!"): the kernel's
 * is answered in the hypervisor (KVM_HC_FEATURES: none, anything else EV_UNIMPLEMENTED). */
static void test_epapr_hypercall(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put_li64(p, 0, 0x4b564d21);
	put_li64(p, 11, 42 << 16 | 3); /* KVM_HC_FEATURES */
	put_li64(p, 4, 0x5555);
	put(p, SC0);
	put(p, mr(30, 3));
	put(p, mr(31, 4));
	put_li64(p, 11, 42 << 16 | 99);
	put(p, SC0);
	put(p, mr(29, 3));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[30], 0);	 /* EV_SUCCESS */
	assert_int_equal(r.gpr[31], 0);	 /* no features */
	assert_int_equal(r.gpr[29], 12); /* EV_UNIMPLEMENTED */

}

static void test_mmio_both_byte_orders(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	for (int le = 0; le < 2; le++) {
		p->le = le;
		put_vectors(p);
		put_li64(p, 20, MMIO);
		put(p, lwa(3, 4, 20));
		put(p, lha(4, 8, 20));
		put(p, ld(5, 16, 20));
		put(p, lwbrx(6, 0, 20));
		put_li64(p, 7, 0xa1b2c3d4ull);
		put(p, stw(7, 32, 20));
		put(p, li(3, 0x7777));
		put(p, SC1);
		enter(p, le ? MSR_LE : 0);
		struct {
			uint64_t off;
			unsigned len;
			uint8_t data[8];
		} loads[] = {
			{4, 4, {0x80, 0, 0, 0x01}},
			{8, 2, {0xff, 0xfe}},
			{16, 8, {1, 2, 3, 4, 5, 6, 7, 8}},
			{0, 4, {0x11, 0x22, 0x33, 0x44}},
		};
		for (unsigned i = 0; i < 4; i++) {
			r = run_regs(p);
			assert_int_equal(p->run->exit_reason, SKVM_EXIT_MMIO);
			assert_int_equal(p->run->mmio.phys_addr, MMIO + loads[i].off);
			assert_int_equal(p->run->mmio.len, loads[i].len);
			assert_false(p->run->mmio.is_write);
			memcpy(p->run->mmio.data, loads[i].data, loads[i].len);
		}
		r = run_regs(p);
		assert_int_equal(p->run->exit_reason, SKVM_EXIT_MMIO);
		assert_true(p->run->mmio.is_write);
		assert_int_equal(p->run->mmio.phys_addr, MMIO + 32);
		if (le)
			assert_memory_equal(p->run->mmio.data, "\xd4\xc3\xb2\xa1", 4);
		else
			assert_memory_equal(p->run->mmio.data, "\xa1\xb2\xc3\xd4", 4);
		assert_int_equal(run_to_hcall(p, &r), 0x7777);
		if (!le) {
			assert_int_equal(r.gpr[3] , 0x7777); /* (r3 is the hcall's) */
			assert_int_equal(r.gpr[4], 0xfffffffffffffffeull);
			assert_int_equal(r.gpr[5], 0x0102030405060708ull);
			assert_int_equal(r.gpr[6], 0x44332211);
		} else {
			assert_int_equal(r.gpr[4], 0xfffffffffffffeffull);
			assert_int_equal(r.gpr[5], 0x0807060504030201ull);
			assert_int_equal(r.gpr[6], 0x11223344);
		}
	}
	p->le = false;
}

/* Vector loads and stores to MMIO, both byte orders: one exit per element in address order
 * (lvx/stvx, lxvd2x/stxvd2x: two of 8 bytes; lxvw4x: four of 4), as Linux's KVM on Book3S
 * splits them; the VMM sees the bytes memory would hold, the guest's register gets what a
 * load from memory gives, and not before the last element is in. */
static uint32_t x31(unsigned xo, unsigned t, unsigned a, unsigned b)
{
	return 0x7c000000u | R(t) << 21 | R(a) << 16 | R(b) << 11 | xo << 1;
}

static void mmio_fragment(struct pr *p, uint64_t off, unsigned len, bool write, const void *data)
{
	struct skvm_regs r = run_regs(p);

	(void)r;
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(p->run->mmio.phys_addr, MMIO + off);
	assert_int_equal(p->run->mmio.len, len);
	assert_int_equal(p->run->mmio.is_write, write);
	if (write)
		assert_memory_equal(p->run->mmio.data, data, len);
	else
		memcpy(p->run->mmio.data, data, len);
}

static void test_mmio_vectors(void **state)
{
	struct pr *p = *state;
	const uint64_t msr_vec = 1ull << 25, msr_vsx = 1ull << 23, msr_fp = 1ull << 13;
	uint8_t m[16];
	uint64_t v2[2] = {0x98a9bacbdcedfe0full, 0x1021324354657687ull}; /* (dw 1 first) */
	uint64_t vs5[2] = {0x1112131415161718ull, 0x0102030405060708ull};
	uint64_t old[2] = {0x5555, 0x6666}, out[2];
	struct skvm_regs r;

	for (int le = 0; le < 2; le++) {
		p->le = le;
		put_vectors(p);
		put_li64(p, 20, MMIO);
		put(p, li(21, 0x10));
		put(p, x31(103, 1, 20, 21)); /* lvx v1,r20,r21 */
		put(p, li(21, 0x20));
		put(p, x31(231, 2, 20, 21)); /* stvx v2,r20,r21 */
		put(p, li(21, 0x30));
		put(p, x31(844, 3, 20, 21)); /* lxvd2x vs3,r20,r21 */
		put(p, li(21, 0x40));
		put(p, x31(780, 4, 20, 21)); /* lxvw4x vs4,r20,r21 */
		put(p, li(21, 0x50));
		put(p, x31(972, 5, 20, 21)); /* stxvd2x vs5,r20,r21 */
		put(p, li(3, 0x7777));
		put(p, SC1);
		enter(p, msr_vec | msr_vsx | msr_fp | (le ? MSR_LE : 0));
		assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), old), 0);
		assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VR(2), v2), 0);
		assert_int_equal(skvm_vcpu_set_one_reg(p->vcpu, SKVM_REG_PPC_VSR(5), vs5), 0);

		for (unsigned i = 0; i < 16; i++)
			m[i] = (uint8_t)i;
		mmio_fragment(p, 0x10, 8, false, m);
		/* one element in: v1 unchanged */
		assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), out), 0);
		assert_memory_equal(out, old, 16);
		mmio_fragment(p, 0x18, 8, false, m + 8);
		/* stvx: memory's bytes (little-endian: the quadword reversed) */
		for (unsigned i = 0; i < 16; i++)
			m[i] = (uint8_t)(le ? v2[i / 8] >> (8 * (i % 8))
					    : v2[1 - i / 8] >> (56 - 8 * (i % 8)));
		mmio_fragment(p, 0x20, 8, true, m);
		mmio_fragment(p, 0x28, 8, true, m + 8);
		for (unsigned i = 0; i < 16; i++)
			m[i] = (uint8_t)(0x40 + i);
		mmio_fragment(p, 0x30, 8, false, m);
		mmio_fragment(p, 0x38, 8, false, m + 8);
		for (unsigned i = 0; i < 16; i++)
			m[i] = (uint8_t)(0x50 + i);
		for (unsigned i = 0; i < 4; i++)
			mmio_fragment(p, 0x40 + 4 * i, 4, false, m + 4 * i);
		/* stxvd2x: doubleword 0, then 1, each in the guest's byte order */
		for (unsigned i = 0; i < 16; i++)
			m[i] = (uint8_t)(vs5[1 - i / 8] >> (le ? 8 * (i % 8) : 56 - 8 * (i % 8)));
		mmio_fragment(p, 0x50, 8, true, m);
		mmio_fragment(p, 0x58, 8, true, m + 8);
		assert_int_equal(run_to_hcall(p, &r), 0x7777);

		assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), out), 0);
		assert_int_equal(out[1], le ? 0x0f0e0d0c0b0a0908ull : 0x0001020304050607ull);
		assert_int_equal(out[0], le ? 0x0706050403020100ull : 0x08090a0b0c0d0e0full);
		assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VSR(3), out), 0);
		assert_int_equal(out[1], le ? 0x4746454443424140ull : 0x4041424344454647ull);
		assert_int_equal(out[0], le ? 0x4f4e4d4c4b4a4948ull : 0x48494a4b4c4d4e4full);
		assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VSR(4), out), 0);
		assert_int_equal(out[1], le ? 0x5352515057565554ull : 0x5051525354555657ull);
		assert_int_equal(out[0], le ? 0x5b5a59585f5e5d5cull : 0x58595a5b5c5d5e5full);
	}
	p->le = false;
}

/* The hashed page table's slot is never the guest's memory: a store there is the VMM's
 * MMIO, and the table is unchanged. */
static void test_hpt_not_guest_memory(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put_li64(p, 20, HPT_GPA + 0x40);
	put(p, li(21, -1));
	put(p, std_(21, 0, 20));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	r = run_regs(p);
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_MMIO);
	assert_true(p->run->mmio.is_write);
	assert_int_equal(p->run->mmio.phys_addr, HPT_GPA + 0x40);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	for (unsigned i = 0; i < 16; i++)
		assert_int_equal(p->hpt[0x40 + i], 0);
}

static void test_mmio_sign_extends_lwa(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put_li64(p, 20, MMIO);
	put(p, lwa(30, 4, 20));
	put(p, lwz(31, 4, 20));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	for (int i = 0; i < 2; i++) {
		r = run_regs(p);
		assert_int_equal(p->run->exit_reason, SKVM_EXIT_MMIO);
		memcpy(p->run->mmio.data, "\x80\x00\x00\x01", 4);
	}
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[30], 0xffffffff80000001ull);
	assert_int_equal(r.gpr[31], 0x80000001ull);
}

static void *kick_later(void *arg)
{
	usleep(20000);
	skvm_vcpu_kick(arg);
	return NULL;
}

/* A kick (the VMM's H_PROD) ends H_CEDE as a signal ends KVM PR's: the run returns
 * -EINTR and the next one goes on after the hypercall, which succeeded. */
static void test_kick_ends_cede(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;
	pthread_t t;

	put(p, li(3, SKVM_H_CEDE)); /* no decrementer: it would sleep for good */
	put(p, SC1);
	put(p, mr(31, 3));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(pthread_create(&t, NULL, kick_later, p->vcpu), 0);
	assert_int_equal(skvm_vcpu_run(p->vcpu), -EINTR);
	pthread_join(t, NULL);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[31], SKVM_H_SUCCESS);
}

static void test_external_and_decrementer(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	/* the external input with EE on: taken at the next instruction */
	put(p, B_SELF);
	enter(p, MSR_EE);
	assert_int_equal(skvm_vcpu_interrupt(p->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	expect_interrupt(p, 0x500, CODE, MSR_SF | MSR_ME | MSR_EE);
	assert_int_equal(skvm_vcpu_interrupt(p->vcpu, SKVM_INTERRUPT_UNSET, false), 0);

	/* the decrementer: 5120 ticks (10 us) after mtdec, while the guest spins */
	p->at = CODE;
	put(p, li(3, 5120));
	put(p, mtspr(SPRN_DEC, 3));
	put(p, B_SELF);
	enter(p, MSR_EE);
	expect_interrupt(p, 0x900, CODE + 8, MSR_SF | MSR_ME | MSR_EE);

	/* H_CEDE sleeps with EE on until the decrementer */
	p->at = CODE;
	put(p, li(3, 5120));
	put(p, mtspr(SPRN_DEC, 3));
	put(p, li(3, SKVM_H_CEDE));
	put(p, SC1);
	put(p, B_SELF);
	enter(p, 0);
	expect_interrupt(p, 0x900, CODE + 16, MSR_SF | MSR_ME | MSR_EE);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);

	/* halt polling: the first cede's window is 0 (it sleeps), the wait was shorter than the
	 * maximum so the window grows, and the second cede polls first */
	struct skvm_halt_stats h;

	assert_int_equal(vm_enable_cap(p, SKVM_CAP_HALT_POLL, 1000000000, 0), 0);
	for (int i = 0; i < 2; i++) {
		enter(p, 0);
		expect_interrupt(p, 0x900, CODE + 16, MSR_SF | MSR_ME | MSR_EE);
	}
	skvm_vcpu_get_halt_stats(p->vcpu, &h);
	assert_true(h.attempted_poll >= 1);
	assert_true(h.attempted_poll <= 2);
}

/* skvm_vcpu_get_exit_stats counts a PR vcpu's exits by kind, on the way without a trap
 * (the SPR moves' own handlers, mfmsr) as on the trap's (a privileged instruction in
 * problem state, sc 1). */
static void test_exit_stats(void **state)
{
	struct pr *p = *state;
	struct skvm_exit_stat st[SKVM_EXITS_NR];
	struct skvm_regs r;

	put(p, mfspr(3, SPRN_PVR));
	put(p, mfspr(4, SPRN_PVR));
	put(p, mfspr(5, 268)); /* the timebase: counted as mftb */
	put(p, mfspr(6, SPRN_TAR));
	put(p, mtspr(SPRN_SPRG0, 3));
	put(p, mfmsr(7));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[4], 0x004d0200);
	skvm_vcpu_get_exit_stats(p->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_EMULATED_MFSPR].count, 3);
	assert_int_equal(st[SKVM_EXITS_EMULATED_MFTB].count, 1);
	assert_int_equal(st[SKVM_EXITS_EMULATED_MTSPR].count, 1);
	assert_int_equal(st[SKVM_EXITS_EMULATED_MFMSR].count, 1);
	assert_int_equal(st[SKVM_EXITS_HCALL].count, 1);
	assert_int_equal(st[SKVM_EXITS_USR_PR_INST].count, 0);

	p->at = CODE;
	put(p, mfmsr(3));
	enter(p, MSR_PR);
	expect_interrupt(p, 0x700, CODE, MSR_SF | MSR_ME | MSR_PR | 0x40000);
	skvm_vcpu_get_exit_stats(p->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_USR_PR_INST].count, 1);
	assert_int_equal(st[SKVM_EXITS_EMULATED_MFMSR].count, 1);
	assert_int_equal(st[SKVM_EXITS_HCALL].count, 2); /* the vector's exit */
}

struct rewriter {
	struct pr *p;
	int rc;
};

static void *rewrite_while_running(void *arg)
{
	struct rewriter *w = arg;

	usleep(20000);
	put_word(w->p, CODE, li(4, 2));
	w->rc = skvm_vm_flush_icache(w->p->vm, CODE, 4);
	if (w->rc)
		skvm_vcpu_kick(w->p->vcpu); /* the guest would loop for ever: end its run */
	return NULL;
}

/* The host rewrites code a vcpu is running and flushes it from another thread: the vcpu,
 * looping until r4 is no longer 1, runs the new instruction. */
static void test_flush_icache_while_running(void **state)
{
	struct pr *p = *state;
	struct rewriter w = {.p = p};
	struct skvm_regs r;
	pthread_t t;

	put(p, li(4, 1));
	put(p, 0x2c240001u); /* cmpdi r4, 1 */
	put(p, 0x4182fff8u); /* beq CODE */
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(pthread_create(&t, NULL, rewrite_while_running, &w), 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[4], 2);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
}

/* The decoded-code figures and bound of a PR VM are its vcpus' caches', each vcpu bounded
 * alike, one created later too. */
static void test_decode_cache_stats(void **state)
{
	struct pr *p = *state;
	struct skvm_vm_stats st;
	struct skvm_vcpu *second;
	struct skvm_regs r;

	assert_int_equal(vm_enable_cap(p, SKVM_CAP_DECODE_CACHE_BYTES, (1 << 20) - 1, 0), -EINVAL);
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_DECODE_CACHE_BYTES, 1 << 20, 0), 0);
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	skvm_vm_get_stats(p->vm, &st);
	assert_int_equal(st.decode_max_pages, (1 << 20) / st.decode_page_bytes);
	assert_int_equal(st.decode_pages, 1); /* the page at CODE */
	assert_int_equal(st.decode_created, 1);
	assert_int_equal(st.decode_evicted, 0);

	assert_int_equal(skvm_vcpu_create(p->vm, 1, &second), 0);
	skvm_vm_get_stats(p->vm, &st);
	assert_int_equal(st.decode_max_pages, 2 * ((1 << 20) / st.decode_page_bytes));
	assert_int_equal(st.decode_pages, 1);
}

/* SKVM_CAP_COMPILED_RUNS: on by default on this host, runs are compiled and counted; off,
 * none are, with the same results; bad arguments refuse it (a 440 VM: test_kvm_code.c). */
static void test_compiled_runs_cap(void **state)
{
	struct pr *p = *state;
	struct skvm_vm_stats st;
	struct skvm_regs r;

	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_COMPILED_RUNS), 1);
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_COMPILED_RUNS, 2, 0), -EINVAL);
	for (int on = 1; on >= 0; on--) {
		assert_int_equal(vm_enable_cap(p, SKVM_CAP_COMPILED_RUNS, (uint64_t)on, 0), 0);
		p->at = CODE;
		put(p, li(4, 5));
		put(p, 0x38840003u); /* addi r4,r4,3 */
		put(p, 0x7c842214u); /* add r4,r4,r4 */
		put(p, li(3, 0x7777));
		put(p, SC1);
		enter(p, 0);
		assert_int_equal(run_to_hcall(p, &r), 0x7777);
		assert_int_equal(r.gpr[4], 16);
		skvm_vm_get_stats(p->vm, &st);
		if (on)
			assert_true(st.compiled_runs >= 1 && st.compiled_insns >= 4);
		else
			assert_int_equal(st.compiled_bytes, 0); /* off dropped the region */
	}
}

static void test_le_interrupts_by_h_set_mode(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;
	uint64_t lpcr;

	/* H_SET_MODE(LE, resource 4): interrupts are taken little-endian, so the program
	 * vector's code is little-endian here */
	p->le = true;
	p->at = 0x700;
	put(p, li(3, 0));
	put(p, ori(3, 3, (uint16_t)VEC_EXIT(0x700)));
	put(p, SC1);
	p->le = false;
	p->at = CODE;
	put_hcall(p, SKVM_H_SET_MODE, 1, 4, 0, 0);
	put(p, mr(31, 3));
	put(p, TRAP);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x700));
	assert_int_equal(r.gpr[31], SKVM_H_SUCCESS);
	assert_int_equal(r.msr, MSR_SF | MSR_ME | MSR_LE);
	assert_int_equal(r.srr1, MSR_SF | MSR_ME | 0x20000);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_LPCR_64, &lpcr), 0);
	assert_int_equal(lpcr, 1ull << 25);
}

/* ---- OSI calls (SKVM_CAP_PPC_OSI) ---- */

#define OSI_R3 (0xffffffff00000000ull | SKVM_OSI_SC_MAGIC_R3) /* the low word is compared */

static void put_osi_magic(struct pr *p, uint32_t r4)
{
	put_li64(p, 3, OSI_R3);
	put_li64(p, 4, r4);
}

/* The capability is a PR vcpu's; with it, sc with the magic exits SKVM_EXIT_OSI with every
 * GPR, and the next run takes every GPR back from run->osi, the guest going on after sc. */
static void test_osi_exit_and_gprs(void **state)
{
	struct pr *p = *state;
	struct skvm_vm *vm440;
	struct skvm_vcpu *vcpu440;
	struct skvm_regs r;
	uint64_t after_sc;

	assert_int_equal(skvm_check_extension(NULL, SKVM_CAP_PPC_OSI), 0);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vm440), 0);
	assert_int_equal(skvm_check_extension(vm440, SKVM_CAP_PPC_OSI), 0);
	assert_int_equal(skvm_vcpu_create(vm440, 0, &vcpu440), 0);
	assert_int_equal(skvm_vcpu_enable_cap(vcpu440, SKVM_CAP_PPC_OSI, 0), -EINVAL);
	skvm_vm_destroy(vm440);

	assert_int_equal(skvm_vcpu_enable_cap(p->vcpu, SKVM_CAP_PPC_OSI, 0), 0);
	put_li64(p, 5, 0x0123456789abcdefull);
	put(p, li(0, 100));
	put(p, li(31, 31));
	put_osi_magic(p, SKVM_OSI_SC_MAGIC_R4);
	put(p, SC0);
	after_sc = p->at;
	put(p, mr(27, 0));
	put(p, mr(28, 31));
	put(p, mr(29, 5));
	put(p, mr(30, 3));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	r = run_regs(p);
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_OSI);
	assert_int_equal(r.pc, after_sc);
	for (unsigned i = 0; i < 32; i++)
		assert_int_equal(p->run->osi.gprs[i], r.gpr[i]);
	assert_int_equal(p->run->osi.gprs[0], 100);
	assert_int_equal(p->run->osi.gprs[3], OSI_R3);
	assert_int_equal(p->run->osi.gprs[4], SKVM_OSI_SC_MAGIC_R4);
	assert_int_equal(p->run->osi.gprs[5], 0x0123456789abcdefull);
	assert_int_equal(p->run->osi.gprs[31], 31);

	/* the VMM's answer */
	p->run->osi.gprs[0] = 0xa0;
	p->run->osi.gprs[3] = 0xa3;
	p->run->osi.gprs[5] = 0xa5;
	p->run->osi.gprs[31] = 0xa31;
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[27], 0xa0);
	assert_int_equal(r.gpr[28], 0xa31);
	assert_int_equal(r.gpr[29], 0xa5);
	assert_int_equal(r.gpr[30], 0xa3);
}

/* Without the capability, or without both magic values, sc is the guest's system call; a
 * PAPR sc 1 of the kernel stays a hypercall whatever r3/r4 hold (book3s_pr.c asks first). */
static void test_osi_off_is_system_call(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put_osi_magic(p, SKVM_OSI_SC_MAGIC_R4);
	put(p, SC0);
	enter(p, 0);
	expect_interrupt(p, 0xc00, p->at, MSR_SF | MSR_ME);

	assert_int_equal(skvm_vcpu_enable_cap(p->vcpu, SKVM_CAP_PPC_OSI, 0), 0);
	p->at = CODE;
	put_osi_magic(p, SKVM_OSI_SC_MAGIC_R4 ^ 1);
	put(p, SC0);
	enter(p, 0);
	expect_interrupt(p, 0xc00, p->at, MSR_SF | MSR_ME);

	p->at = CODE;
	put_osi_magic(p, SKVM_OSI_SC_MAGIC_R4);
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), OSI_R3);
}

/* ---- which hcalls the hypervisor handles (SKVM_CAP_PPC_ENABLE_HCALL) ---- */

/* KVM's checks: a number the hypervisor implements, a multiple of 4 up to H_WATCHDOG, and
 * args[1] 0 or 1; every implemented one can be switched; a 440 VM has none of it. */
static void test_enable_hcall_args(void **state)
{
	struct pr *p = *state;
	static const uint64_t implemented[] = {SKVM_H_REMOVE,	SKVM_H_ENTER,	    SKVM_H_READ,
					       SKVM_H_CLEAR_MOD, SKVM_H_CLEAR_REF, SKVM_H_PROTECT,
					       SKVM_H_CEDE,	SKVM_H_BULK_REMOVE, SKVM_H_SET_MODE};
	/* numbers it does not take: none, not a multiple of 4, the VMM's, past H_WATCHDOG */
	static const uint64_t not_implemented[] = {0,
						   SKVM_H_ENTER + 2,
						   SKVM_H_PUT_TERM_CHAR,
						   SKVM_H_LOGICAL_CI_LOAD,
						   SKVM_H_XIRR,
						   0x460,
						   SKVM_H_RTAS,
						   1ull << 32 | SKVM_H_ENTER};
	struct skvm_enable_cap flagged = {.cap = SKVM_CAP_PPC_ENABLE_HCALL, .flags = 1,
					  .args = {SKVM_H_ENTER, 1}};
	struct skvm_vm *vm440;

	for (unsigned i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++) {
		assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, implemented[i], 0), 0);
		assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, implemented[i], 1), 0);
	}
	for (unsigned i = 0; i < sizeof(not_implemented) / sizeof(not_implemented[0]); i++)
		assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, not_implemented[i], 1),
				 -EINVAL);
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_ENTER, 2), -EINVAL);
	assert_int_equal(skvm_vm_enable_cap(p->vm, &flagged), -EINVAL);
	assert_int_equal(skvm_vm_enable_cap(p->vm, NULL), -EINVAL);

	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vm440), 0);
	assert_int_equal(skvm_check_extension(vm440, SKVM_CAP_PPC_ENABLE_HCALL), 0);
	flagged.flags = 0;
	assert_int_equal(skvm_vm_enable_cap(vm440, &flagged), -EINVAL);
	skvm_vm_destroy(vm440);
}

/* H_ENTER, enabled as a VM starts, is the hypervisor's; disabled it is the VMM's, which
 * answers it (the table stays untouched); enabled again the hypervisor's. */
static void test_enable_hcall_h_enter(void **state)
{
	struct pr *p = *state;
	uint64_t ptex = pteg_of(VSID, PAGE_EA) * 8, hpte;
	struct skvm_regs r;

	put_hcall(p, SKVM_H_ENTER, 0, ptex, pteh_of(VSID, PAGE_EA), PAGE_GPA | 0x10 | 2);
	put(p, mr(31, 3));
	put(p, mr(30, 4));
	put_h_remove_r30(p);
	put(p, li(3, 0x7777));
	put(p, SC1);

	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_ENTER, 0), 0);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), SKVM_H_ENTER);
	assert_int_equal(p->run->papr_hcall.args[1], ptex);
	for (unsigned i = 0; i < 128; i++) /* its PTEG */
		assert_int_equal(p->hpt[ptex * 16 + i], 0);
	p->run->papr_hcall.ret = (uint64_t)SKVM_H_PTEG_FULL;
	p->run->papr_hcall.args[0] = ptex + 3;
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[31], (uint64_t)SKVM_H_PTEG_FULL);
	assert_int_equal(r.gpr[30], ptex + 3);
	assert_int_equal(r.gpr[29], (uint64_t)SKVM_H_NOT_FOUND); /* H_REMOVE: still in */

	/* H_REMOVE disabled too: the VMM's, though H_ENTER is the hypervisor's again */
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_ENTER, 1), 0);
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_REMOVE, 0), 0);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), SKVM_H_REMOVE);
	assert_int_equal(r.gpr[31], SKVM_H_SUCCESS);
	assert_int_equal(r.gpr[30] & ~7ull, ptex);
	memcpy(&hpte, p->hpt + r.gpr[30] * 16, 8);
	assert_int_equal(__builtin_bswap64(hpte) >> 7, pteh_of(VSID, PAGE_EA) >> 7);
	assert_int_equal(__builtin_bswap64(hpte) & 1, 1); /* valid */
	p->run->papr_hcall.ret = SKVM_H_SUCCESS;
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	assert_int_equal(r.gpr[29], SKVM_H_SUCCESS);
	memcpy(&hpte, p->hpt + r.gpr[30] * 16, 8);
	assert_int_equal(__builtin_bswap64(hpte) & 1, 1); /* the VMM left it */
}

/* H_CEDE disabled goes to the VMM and the vcpu does not wait; enabled it waits (here for
 * the decrementer). */
static void test_enable_hcall_h_cede(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put(p, li(3, 5120));
	put(p, mtspr(SPRN_DEC, 3)); /* 10 us: the wait ends whoever handles it */
	put(p, li(3, SKVM_H_CEDE));
	put(p, SC1);
	put(p, B_SELF);
	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_CEDE, 0), 0);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), SKVM_H_CEDE);
	assert_int_equal(r.msr & MSR_EE, 0);
	assert_int_equal(r.pc, CODE + 16);

	assert_int_equal(vm_enable_cap(p, SKVM_CAP_PPC_ENABLE_HCALL, SKVM_H_CEDE, 1), 0);
	enter(p, 0);
	expect_interrupt(p, 0x900, CODE + 16, MSR_SF | MSR_ME | MSR_EE);
}

/* SKVM_CAP_EXIT_TIMING on a PR vcpu: each trapped exit is timed as its kind (an SPR move
 * with a handler of its own goes through the trap then), the stretches in the guest between
 * them too; switched off, exits are counted and no longer timed. */
static void test_exit_timing(void **state)
{
	struct pr *p = *state;
	static const enum skvm_exit_type kinds[] = {SKVM_EXITS_EMULATED_MFSPR,
						    SKVM_EXITS_EMULATED_MFMSR, SKVM_EXITS_HCALL};
	struct skvm_exit_stat st[SKVM_EXITS_NR], again[SKVM_EXITS_NR];
	struct skvm_regs r;

	put(p, mfspr(3, SPRN_PVR));
	put(p, mfmsr(4));
	put(p, li(3, 0x7777));
	put(p, SC1);
	enter(p, 0);
	assert_int_equal(skvm_vcpu_enable_cap(p->vcpu, SKVM_CAP_EXIT_TIMING, 1), 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	skvm_vcpu_get_exit_stats(p->vcpu, st);
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct skvm_exit_stat *s = &st[kinds[i]];

		assert_int_equal(s->count, 1);
		assert_true(s->total_ns > 0);
		assert_true(s->min_ns == s->total_ns && s->max_ns == s->total_ns); /* one sample */
	}
	assert_true(st[SKVM_EXITS_TIMEINGUEST].count >= 3);
	assert_true(st[SKVM_EXITS_TIMEINGUEST].total_ns > 0);

	assert_int_equal(skvm_vcpu_enable_cap(p->vcpu, SKVM_CAP_EXIT_TIMING, 0), 0);
	enter(p, 0);
	assert_int_equal(run_to_hcall(p, &r), 0x7777);
	skvm_vcpu_get_exit_stats(p->vcpu, again);
	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		assert_int_equal(again[kinds[i]].count, 2);
		assert_int_equal(again[kinds[i]].total_ns, st[kinds[i]].total_ns);
	}
	assert_int_equal(again[SKVM_EXITS_TIMEINGUEST].count, st[SKVM_EXITS_TIMEINGUEST].count);
}

/* ---- guest debug (KVM_SET_GUEST_DEBUG) ---- */

#define SW_BP 0x00dddd00u /* KVMPPC_INST_SW_BREAKPOINT */
#define MSR_SE (1ull << 10)
#define DBG_STEP (SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_SINGLESTEP)

static void set_debug(struct pr *p, uint32_t control)
{
	struct skvm_guest_debug dbg = {.control = control};

	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, &dbg), 0);
}

/* The PC only: the guest's decoded code stays as it is. */
static void set_pc(struct pr *p, uint64_t pc)
{
	struct skvm_regs r;

	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	r.pc = pc;
	assert_int_equal(skvm_vcpu_set_regs(p->vcpu, &r), 0);
}

static void expect_debug_exit(struct pr *p, uint64_t pc)
{
	struct skvm_regs r = run_regs(p);

	assert_int_equal(p->run->exit_reason, SKVM_EXIT_DEBUG);
	assert_int_equal(p->run->debug.arch.address, pc);
	assert_int_equal(p->run->debug.arch.status, 0);
	assert_int_equal(r.pc, pc);
}

/* As KVM PR: software breakpoints and single step, no hardware compares. */
static void test_guest_debug_controls(void **state)
{
	struct pr *p = *state;
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_HW_BP};
	struct skvm_vm *vm440;
	uint32_t inst = 0;

	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_SET_GUEST_DEBUG), 1);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_PPC_GUEST_DEBUG_SSTEP), 1);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_GUEST_DEBUG_HW_BPS), 0);
	assert_int_equal(skvm_check_extension(p->vm, SKVM_CAP_GUEST_DEBUG_HW_WPS), 0);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vm440), 0);
	assert_int_equal(skvm_check_extension(vm440, SKVM_CAP_GUEST_DEBUG_HW_BPS), 4);
	skvm_vm_destroy(vm440);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_DEBUG_INST, &inst), 0);
	assert_int_equal(inst, SW_BP);
	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, &dbg), -EINVAL);
	dbg.control = SKVM_GUESTDBG_SINGLESTEP;
	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, &dbg), -EINVAL);
	dbg.control = SKVM_GUESTDBG_ENABLE | (1u << 5);
	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, &dbg), -EINVAL);
	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, NULL), -EINVAL);
	dbg.control = SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_SW_BP;
	assert_int_equal(skvm_vcpu_set_guest_debug(p->vcpu, &dbg), 0);
}

/* The debugger's breakpoint in code the vcpu has run (and decoded) already, in both byte
 * orders: planted by a write and skvm_vm_flush_icache of its word, it exits before it runs;
 * put back the same way, the instruction it replaced runs. Without guest debug it is the
 * guest's illegal instruction. */
static void test_sw_breakpoint(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	for (int le = 0; le < 2; le++) {
		p->le = le;
		p->at = CODE;
		put(p, li(14, 1));
		put(p, li(15, 2));
		put(p, li(3, 0x7777));
		put(p, SC1);
		enter(p, le ? MSR_LE : 0);
		assert_int_equal(run_to_hcall(p, &r), 0x7777);
		assert_int_equal(r.gpr[15], 2);

		set_debug(p, SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_USE_SW_BP);
		put_word(p, CODE + 4, SW_BP);
		assert_int_equal(skvm_vm_flush_icache(p->vm, CODE + 4, 4), 0);
		r.gpr[14] = r.gpr[15] = 0; /* (r4-r12 are the last hcall's outputs) */
		r.pc = CODE;
		assert_int_equal(skvm_vcpu_set_regs(p->vcpu, &r), 0);
		expect_debug_exit(p, CODE + 4);
		assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
		assert_int_equal(r.gpr[14], 1);
		assert_int_equal(r.gpr[15], 0);
		/* a run again at the breakpoint stops there again */
		expect_debug_exit(p, CODE + 4);

		put_word(p, CODE + 4, li(15, 2));
		assert_int_equal(skvm_vm_flush_icache(p->vm, CODE + 4, 4), 0);
		assert_int_equal(run_to_hcall(p, &r), 0x7777);
		assert_int_equal(r.gpr[15], 2);

		/* guest debug off: the guest's own program interrupt (illegal instruction) */
		set_debug(p, 0);
		put_word(p, CODE + 4, SW_BP);
		assert_int_equal(skvm_vm_flush_icache(p->vm, CODE + 4, 4), 0);
		set_pc(p, CODE);
		assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0x700));
		assert_int_equal(r.srr0, CODE + 4);
		assert_int_equal(r.srr1, MSR_SF | MSR_ME | (le ? MSR_LE : 0) | 0x80000);
	}
	p->le = false;
}

/* An HPTE for ea (segment VSID) to gpa, written into the table as the VMM sees it. */
static void map_page(struct pr *p, uint64_t ea, uint64_t gpa)
{
	uint64_t ptex = pteg_of(VSID, ea) * 8;
	uint64_t v = __builtin_bswap64(pteh_of(VSID, ea));
	uint64_t rw = __builtin_bswap64(gpa | 0x10 | 0x180 | 2); /* M, R, C, PP = 2 */

	memcpy(p->hpt + ptex * 16, &v, 8);
	memcpy(p->hpt + ptex * 16 + 8, &rw, 8);
}

static void set_segment(struct pr *p)
{
	struct skvm_sregs s;

	assert_int_equal(skvm_vcpu_get_sregs(p->vcpu, &s), 0);
	s.u.s.ppc64.slb[0].slbe = SEG_EA | (1ull << 27);
	s.u.s.ppc64.slb[0].slbv = VSID << 12;
	assert_int_equal(skvm_vcpu_set_sregs(p->vcpu, &s), 0);
}

/* Single step: one instruction per run, with exact PCs, through translated code (IR and
 * DR on), a system call into its real-mode vector, the vector's code, and an hcall that
 * exits to the VMM before its step ends; a breakpoint under single step; the guest's own
 * MSR[SE] trace interrupt is where its step ends. */
static void test_single_step(void **state)
{
	struct pr *p = *state;
	const uint64_t xlate = MSR_IR | MSR_DR;
	static const struct {
		uint64_t pc, r3, msr;
	} steps[] = {
		{PAGE_EA + 4, 1, MSR_IR | MSR_DR},  {PAGE_EA + 8, 2, MSR_IR | MSR_DR},
		{PAGE_EA + 16, 2, MSR_IR | MSR_DR}, /* the branch skipped li r3,99 */
		{0xc00, 2, 0},			    /* sc: the vector, not yet run */
		{0xc04, 0, 0},			    /* li r3,0 at the vector */
		{0xc08, VEC_EXIT(0xc00), 0},
	};
	struct skvm_regs r;

	set_segment(p);
	map_page(p, PAGE_EA, PAGE_GPA);
	p->at = PAGE_GPA;
	put(p, li(3, 1));
	put(p, 0x38630001u); /* addi r3,r3,1 */
	put(p, 0x48000008u); /* b .+8 */
	put(p, li(3, 99));
	put(p, SC0);
	enter(p, 0);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	set_debug(p, DBG_STEP);
	r.pc = PAGE_EA;
	r.msr = MSR_SF | MSR_ME | xlate;
	assert_int_equal(skvm_vcpu_set_regs(p->vcpu, &r), 0);
	for (unsigned i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		expect_debug_exit(p, steps[i].pc);
		assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
		assert_int_equal(r.gpr[3], steps[i].r3);
		assert_int_equal(r.msr, MSR_SF | MSR_ME | steps[i].msr);
	}
	assert_int_equal(r.srr0, PAGE_EA + 20);
	/* sc 1 at the vector: the hcall's exit first, the step's at the next run */
	r = run_regs(p);
	assert_int_equal(p->run->exit_reason, SKVM_EXIT_PAPR_HCALL);
	p->run->papr_hcall.ret = 0x55;
	expect_debug_exit(p, 0xc0c);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	assert_int_equal(r.gpr[3], 0x55);

	/* a breakpoint under single step: its exit, the instruction not run */
	put_word(p, 0xc0c, SW_BP);
	assert_int_equal(skvm_vm_flush_icache(p->vm, 0xc0c, 4), 0);
	expect_debug_exit(p, 0xc0c);
	expect_debug_exit(p, 0xc0c);

	/* the guest's own trace (MSR[SE]): its interrupt is the step's end, SRR0 the next */
	p->at = CODE;
	put(p, li(3, 7));
	enter(p, MSR_SE);
	expect_debug_exit(p, 0xd00);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	assert_int_equal(r.gpr[3], 7);
	assert_int_equal(r.srr0, CODE + 4);
	assert_int_equal(r.srr1, MSR_SF | MSR_ME | MSR_SE);

	/* single step off: the guest runs freely to its trace vector's hcall */
	set_debug(p, SKVM_GUESTDBG_ENABLE);
	set_pc(p, 0xd00);
	assert_int_equal(run_to_hcall(p, &r), VEC_EXIT(0xd00));
}

/* An interrupt that comes between two steps (the external input, with MSR[EE]) is taken
 * as the next run enters the guest, as the 440's: that step runs the vector's first
 * instruction, and SRR0 is the instruction not yet run. A breakpoint in problem state
 * exits too. */
static void test_single_step_async_interrupt(void **state)
{
	struct pr *p = *state;
	struct skvm_regs r;

	put(p, li(3, 1));
	put(p, li(3, 2));
	put(p, SW_BP);
	enter(p, MSR_EE);
	set_debug(p, DBG_STEP);
	expect_debug_exit(p, CODE + 4);
	assert_int_equal(skvm_vcpu_interrupt(p->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	expect_debug_exit(p, 0x504);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	assert_int_equal(r.gpr[3], 0); /* li r3,0 at the vector */
	assert_int_equal(r.srr0, CODE + 4);
	assert_int_equal(r.srr1, MSR_SF | MSR_ME | MSR_EE);
	assert_int_equal(r.msr, MSR_SF | MSR_ME);
	assert_int_equal(skvm_vcpu_interrupt(p->vcpu, SKVM_INTERRUPT_UNSET, false), 0);

	/* the guest's user mode: the breakpoint is the debugger's all the same */
	set_debug(p, SKVM_GUESTDBG_ENABLE);
	enter(p, MSR_PR);
	expect_debug_exit(p, CODE + 8);
	assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
	assert_int_equal(r.gpr[3], 2);
	assert_int_equal(r.msr, MSR_SF | MSR_ME | MSR_PR);
}

/* KVM_TRANSLATE on a PR vcpu: the EA through the current data context, the guest's R and
 * C bits left as they are. */
static void test_translate(void **state)
{
	struct pr *p = *state;
	struct skvm_translation tr = {.linear_address = PAGE_EA + 0x123};
	uint64_t rbits;

	set_segment(p);
	map_page(p, PAGE_EA, PAGE_GPA);
	rbits = __builtin_bswap64(PAGE_GPA | 0x10 | 2); /* R and C clear */
	memcpy(p->hpt + pteg_of(VSID, PAGE_EA) * 128 + 8, &rbits, 8);
	enter(p, MSR_DR);
	assert_int_equal(skvm_vcpu_translate(p->vcpu, &tr), 0);
	assert_int_equal(tr.valid, 1);
	assert_int_equal(tr.physical_address, PAGE_GPA + 0x123);
	assert_memory_equal(p->hpt + pteg_of(VSID, PAGE_EA) * 128 + 8, &rbits, 8);
	/* no HPTE, no segment: not valid */
	tr.linear_address = PAGE_EA + 0x1000;
	assert_int_equal(skvm_vcpu_translate(p->vcpu, &tr), 0);
	assert_int_equal(tr.valid, 0);
	tr.linear_address = 0x30000000;
	assert_int_equal(skvm_vcpu_translate(p->vcpu, &tr), 0);
	assert_int_equal(tr.valid, 0);
	/* real mode: the top four bits do not count */
	enter(p, 0);
	tr.linear_address = 0xc000000000001234ull;
	assert_int_equal(skvm_vcpu_translate(p->vcpu, &tr), 0);
	assert_int_equal(tr.valid, 1);
	assert_int_equal(tr.physical_address, 0x1234);
}

/* Single step over a vector load from MMIO: one exit per element, then the step's debug
 * exit after the instruction, the register loaded. */
static void test_single_step_vector_mmio(void **state)
{
	struct pr *p = *state;
	const uint64_t msr_vec = 1ull << 25;
	uint8_t m[16];
	uint64_t out[2];

	put_li64(p, 20, MMIO);
	put(p, x31(103, 1, 20, 0)); /* lvx v1,0,r20 */
	put(p, NOP);
	enter(p, msr_vec);
	set_debug(p, DBG_STEP);
	for (unsigned i = 0; i < 5; i++)
		expect_debug_exit(p, CODE + 4 * (i + 1));
	for (unsigned i = 0; i < 16; i++)
		m[i] = (uint8_t)(0xa0 + i);
	mmio_fragment(p, 0, 8, false, m);
	mmio_fragment(p, 8, 8, false, m + 8);
	expect_debug_exit(p, CODE + 24);
	assert_int_equal(skvm_vcpu_get_one_reg(p->vcpu, SKVM_REG_PPC_VR(1), out), 0);
	assert_int_equal(out[1], 0xa0a1a2a3a4a5a6a7ull);
	assert_int_equal(out[0], 0xa8a9aaabacadaeafull);
	expect_debug_exit(p, CODE + 28);
	set_debug(p, 0);
}

/* The guest's own trace (MSR[SE]) over MMIO accesses: an access that exits to the VMM still
 * completes with SE set, so its trace interrupt comes once the VMM has completed it: after
 * a load (RT loaded), a store, and the last element of a vector load. SRR0 is the next
 * instruction, SRR1 the traced MSR. */
static void test_trace_over_mmio(void **state)
{
	struct pr *p = *state;
	const uint64_t traced = MSR_SF | MSR_ME | MSR_SE | (1ull << 25); /* SE, VEC */
	const uint8_t word[4] = {0x12, 0x34, 0x56, 0x78};
	const uint8_t m[16] = {0xa0};
	struct skvm_regs r;

	put_vectors(p);
	put(p, lwz(4, 4, 20));
	put(p, stw(4, 8, 20));
	put(p, x31(103, 1, 20, 0)); /* lvx v1,0,r20 */
	enter(p, 0);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
		r.pc = CODE + 4 * i;
		r.msr = traced;
		r.gpr[20] = MMIO;
		assert_int_equal(skvm_vcpu_set_regs(p->vcpu, &r), 0);
		if (i == 0) {
			mmio_fragment(p, 4, 4, false, word);
		} else if (i == 1) {
			mmio_fragment(p, 8, 4, true, word);
		} else {
			mmio_fragment(p, 0, 8, false, m);
			mmio_fragment(p, 8, 8, false, m + 8);
		}
		expect_interrupt(p, 0xd00, CODE + 4 * i + 4, traced);
		assert_int_equal(skvm_vcpu_get_regs(p->vcpu, &r), 0);
		assert_int_equal(r.gpr[4], 0x12345678); /* the load completed first */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_vm_and_reset_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_privileged_in_supervisor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_reg_sprs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vector_facilities, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facility_unavailable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facilities_enabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_system_call_and_rfid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dsi_and_segment_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h_enter_access_h_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h_remove_64k_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hcall_to_vmm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_epapr_hypercall, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kick_ends_cede, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_both_byte_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_sign_extends_lwa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmio_vectors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_step_vector_mmio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trace_over_mmio, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hpt_not_guest_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_and_decrementer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_le_interrupts_by_h_set_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decode_cache_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compiled_runs_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_icache_while_running, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osi_exit_and_gprs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_osi_off_is_system_call, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_hcall_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_hcall_h_enter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_hcall_h_cede, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit_timing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_debug_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sw_breakpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_single_step_async_interrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
