// SPDX-License-Identifier: MIT
/* Interrupts as Book E and the 440 define them: for each cause, the vector taken (IVPR | IVOR),
 * SRR0 (the faulting instruction, or the next one for sc and asynchronous interrupts), SRR1
 * (the MSR at the time), ESR and DEAR, and the MSR the handler runs with (base class: CE, ME,
 * DE kept, everything else cleared).  Also rfi/rfci/rfmci, and MSR[EE] masking the decrementer.
 *
 * SRR1 on program interrupts is compared with QEMU's extra reason bits (QEMU_SRR1_REASONS in
 * lib/sys.h) masked; one check compares it exactly.
 *
 * QEMU-BUG: sc: new msr keeps ce and de: QEMU 7.2 keeps only MSR[ME] on every interrupt
 * (powerpc_excp_booke); Book E and the 440 keep CE, ME and DE on base-class interrupts
 * QEMU-BUG: illegal: srr1 exact: QEMU 7.2 adds the classic reason bit 0x00080000 to SRR1
 * QEMU-BUG: mtmsr: sets me: QEMU 7.2's mtmsr never changes MSR[ME] (gen_mtmsr applies the
 * Book III-S rule "mtmsr does not alter S, ME, or LE"); on Book E mtmsr writes the whole MSR
 * QEMU-BUG: mtmsr: clears me: same as "mtmsr: sets me"
 * QEMU-BUG: itlb miss: branch to unmapped: dear unchanged: QEMU 7.2 sets DEAR to the address
 * and clears ESR on an instruction TLB miss (get_physical_address_wtlb's caller, as for a data
 * miss); Book E updates only SRR0, SRR1 and MSR for it, and so does KVM (booke.c)
 * QEMU-BUG: itlb miss: branch to unmapped: esr unchanged: see "dear unchanged"
 * QEMU-BUG: alignment: esr cleared: QEMU 7.2 leaves ESR as it was on an alignment interrupt
 * (ppc_cpu_do_unaligned_access); Book E sets ESR (ST, FP, ... for the access), other bits 0
 */
#include "sys.h"

extern const char vectors[];	/* lib/start.S: 16-byte stubs, one per IVOR */

static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t code_b[4096] __attribute__((aligned(4096)));
static uint32_t word[4] __attribute__((aligned(16)));

#define VA_RO		0x40000000	/* page_a, supervisor read only */
#define VA_WO		0x40001000	/* page_a, supervisor write only */
#define VA_NX		0x40002000	/* code_b, no execute, later executable */
#define VA_UNMAPPED	0x50000000

#define ADDR_OF_LABEL(reg)	"lis " reg ", 1f@ha\n\taddi " reg ", " reg ", 1f@l\n"

static void expect(uint32_t n, uint32_t ivor, uint32_t srr0, const char *what)
{
	char name[64];

	snprintf(name, sizeof(name), "%s: taken once", what);
	report_eq(caught.n, n, "%s", name);
	snprintf(name, sizeof(name), "%s: ivor", what);
	report_eq(caught.ivor, ivor, "%s", name);
	snprintf(name, sizeof(name), "%s: srr0", what);
	report_eq(caught.srr0, srr0, "%s", name);
}

static void test_sc(void)
{
	const uint32_t before = MSR_ME | MSR_CE | MSR_DE | MSR_EE | MSR_FP | MSR_IS | MSR_DS;
	uint32_t pc;

	install_exception_handler(IVOR_SYSCALL, catch_record);
	caught.n = 0;
	msr_set(before);
	__asm__ __volatile__("sc\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l" : "=b"(pc) : : "memory");
	msr_set(0);
	report_prefix_push("sc");
	expect(1, IVOR_SYSCALL, pc, "supervisor");
	report_eq(caught.srr1, before, "srr1 = msr");
	report_eq(caught.msr & ~(MSR_CE | MSR_DE), MSR_ME,
		  "new msr clears ee pr fp is ds, keeps me");
	report_eq(caught.msr & (MSR_CE | MSR_DE), MSR_CE | MSR_DE, "new msr keeps ce and de");
	report_prefix_pop();
}

static uint32_t user_sc(uint32_t arg)
{
	uint32_t pc;

	(void)arg;
	__asm__ __volatile__("li 0, 0x77\n\tsc\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l"
			     : "=b"(pc) : : "r0", "memory");
	return pc;
}

static void test_user_sc(void)
{
	uint32_t pc;

	caught.n = 0;
	pc = run_user(user_sc, 0, USER_MSR);
	report_prefix_push("sc");
	expect(1, IVOR_SYSCALL, pc, "user");
	report_eq(caught.srr1, USER_MSR, "user: srr1 = msr");
	report_eq(caught.msr & ~(MSR_CE | MSR_DE), 0, "user: new msr clears pr is ds");
	report_prefix_pop();
	install_exception_handler(IVOR_SYSCALL, NULL);
}

/* Privileged instructions in problem state: each returns the address of the instruction. */
#define USER_INSN(fn, insn)								\
static uint32_t fn(uint32_t arg)							\
{											\
	uint32_t pc;									\
	(void)arg;									\
	__asm__ __volatile__(ADDR_OF_LABEL("%0") "1:\t" insn				\
			     : "=&b"(pc) : : "r4", "memory");				\
	return pc;									\
}
USER_INSN(user_mfmsr, "mfmsr 4")
USER_INSN(user_mtmsr, "mtmsr 4")
USER_INSN(user_mfspr_srr0, "mfspr 4, 26")
USER_INSN(user_mtspr_sprg0, "mtspr 272, 4")
USER_INSN(user_wrteei, "wrteei 1")
USER_INSN(user_rfi, "rfi")
USER_INSN(user_tlbsx, "tlbsx 4, 0, 4")

static uint32_t user_mfspr_sprg4(uint32_t arg)
{
	(void)arg;
	return mfspr(SPRN_SPRG4R);
}

static void test_privileged(void)
{
	static const struct { const char *name; uint32_t (*fn)(uint32_t); } t[] = {
		{ "mfmsr", user_mfmsr }, { "mtmsr", user_mtmsr },
		{ "mfspr srr0", user_mfspr_srr0 }, { "mtspr sprg0", user_mtspr_sprg0 },
		{ "wrteei", user_wrteei }, { "rfi", user_rfi }, { "tlbsx", user_tlbsx },
	};

	report_prefix_push("privileged");
	catch_install(catch_skip);
	for (unsigned int i = 0; i < ARRAY_SIZE(t); i++) {
		uint32_t pc;

		caught.n = 0;
		pc = run_user(t[i].fn, 0, USER_MSR);
		expect(1, IVOR_PROGRAM, pc, t[i].name);
		report_eq(caught.esr, ESR_PPR, "%s: esr = ppr", t[i].name);
		report_eq(caught.srr1 & ~QEMU_SRR1_REASONS, USER_MSR, "%s: srr1 = msr", t[i].name);
	}
	mtspr(SPRN_SPRG4W, 0x5a5a1234);
	caught.n = 0;
	report_eq(run_user(user_mfspr_sprg4, 0, USER_MSR), 0x5a5a1234, "user mfspr sprg4 allowed");
	report_eq(caught.n, 0, "user mfspr sprg4 no exception");
	catch_install(NULL);
	report_prefix_pop();
}

static void test_program(void)
{
	uint32_t pc;

	catch_install(catch_skip);
	msr_set(MSR_ME);

	caught.n = 0;
	__asm__ __volatile__(ADDR_OF_LABEL("%0") "1:\ttw 31, 0, 0" : "=&b"(pc) : : "memory");
	report_prefix_push("trap");
	expect(1, IVOR_PROGRAM, pc, "tw");
	report_eq(caught.esr, ESR_PTR, "esr = ptr");
	report_eq(caught.srr1 & ~QEMU_SRR1_REASONS, MSR_ME, "srr1 = msr");
	report_prefix_pop();

	caught.n = 0;
	__asm__ __volatile__(ADDR_OF_LABEL("%0") "1:\t.long 0" : "=&b"(pc) : : "memory");
	report_prefix_push("illegal");
	expect(1, IVOR_PROGRAM, pc, "word 0");
	report_eq(caught.esr, ESR_PIL, "esr = pil");
	report_eq(caught.srr1 & ~QEMU_SRR1_REASONS, MSR_ME, "srr1 = msr");
	report_eq(caught.srr1, MSR_ME, "srr1 exact");
	report_prefix_pop();

	/* lfd with MSR[FP] = 0 */
	caught.n = 0;
	__asm__ __volatile__(ADDR_OF_LABEL("%0") "1:\tlfd 1, 0(%1)"
			     : "=&b"(pc) : "b"(word) : "fr1", "memory");
	report_prefix_push("fp unavailable");
	expect(1, IVOR_FPUNAVAIL, pc, "lfd");
	report_eq(caught.srr1, MSR_ME, "srr1 = msr");
	report_prefix_pop();

	/* lwarx needs a word-aligned address */
	caught.n = 0;
	mtspr(SPRN_ESR, ESR_PTR);
	__asm__ __volatile__(ADDR_OF_LABEL("%0") "1:\tlwarx 4, 0, %1"
			     : "=&b"(pc) : "b"((uint8_t *)word + 2) : "r4", "memory");
	report_prefix_push("alignment");
	expect(1, IVOR_ALIGNMENT, pc, "lwarx");
	report_eq(caught.dear, (uint32_t)word + 2, "dear = ea");
	report_eq(caught.esr, 0, "esr cleared");
	report_prefix_pop();

	msr_set(0);
	catch_install(NULL);
}

static void sync_icache(void *p, uint32_t len)
{
	for (uint32_t off = 0; off < len; off += 32)
		__asm__ __volatile__("dcbst 0, %0\n\tsync\n\ticbi 0, %0" : : "r"((uint8_t *)p + off)
				     : "memory");
	isync();
}

static void test_storage(void)
{
	/* volatile: the compiler must not turn the calls into direct branches to far addresses */
	uint32_t (*volatile fn)(void) = (uint32_t (*)(void))VA_NX;
	uint32_t pc, v;

	memset(page_a, 0, sizeof(page_a));
	*(volatile uint32_t *)page_a = 0x600dda7a;
	((uint32_t *)code_b)[0] = 0x3860002a;		/* li r3, 42 */
	((uint32_t *)code_b)[1] = 0x4e800020;		/* blr */
	sync_icache(code_b, 32);
	tlb_map(SYS_TLB_FIRST + 0, VA_RO, (uint32_t)page_a, TLB_4K, 0, TLB_SR);
	tlb_map(SYS_TLB_FIRST + 1, VA_WO, (uint32_t)page_a, TLB_4K, 0, TLB_SW);
	tlb_map(SYS_TLB_FIRST + 2, VA_NX, (uint32_t)code_b, TLB_4K, 0, TLB_SR | TLB_SW);
	catch_install(catch_skip);

	report_prefix_push("dsi");
	caught.n = 0;
	report_eq(probe_lwz(VA_RO, &pc), 0x600dda7a, "load from read-only page");
	report_eq(caught.n, 0, "load from read-only page: no exception");
	mtspr(SPRN_ESR, 0);
	pc = probe_stw(VA_RO + 0x124, 0x11111111);
	expect(1, IVOR_DSI, pc, "store to read-only page");
	report_eq(caught.dear, VA_RO + 0x124, "store to read-only page: dear");
	report_eq(caught.esr, ESR_ST, "store to read-only page: esr = st");
	report_eq(*(volatile uint32_t *)(page_a + 0x124), 0, "store to read-only page: no write");
	caught.n = 0;
	mtspr(SPRN_ESR, ESR_PTR);
	v = probe_lwz(VA_WO + 8, &pc);
	expect(1, IVOR_DSI, pc, "load from write-only page");
	report_eq(caught.dear, VA_WO + 8, "load from write-only page: dear");
	report_eq(caught.esr, 0, "load from write-only page: esr = 0");
	report_eq(v, PROBE_POISON, "load from write-only page: rt unchanged");
	report_prefix_pop();

	report_prefix_push("dtlb miss");
	caught.n = 0;
	mtspr(SPRN_ESR, ESR_PTR);
	v = probe_lwz(VA_UNMAPPED + 0x10, &pc);
	expect(1, IVOR_DTLB, pc, "load");
	report_eq(caught.dear, VA_UNMAPPED + 0x10, "load: dear");
	report_eq(caught.esr, 0, "load: esr = 0");
	report_eq(v, PROBE_POISON, "load: rt unchanged");
	caught.n = 0;
	pc = probe_stw(VA_UNMAPPED + 0x2002, 1);
	expect(1, IVOR_DTLB, pc, "store");
	report_eq(caught.dear, VA_UNMAPPED + 0x2002, "store: dear");
	report_eq(caught.esr, ESR_ST, "store: esr = st");
	report_prefix_pop();

	/* Instruction-side faults happen on the call target: return to the caller. */
	catch_install(catch_return);
	report_prefix_push("isi");
	caught.n = 0;
	mtspr(SPRN_ESR, ESR_ST);
	v = fn();
	expect(1, IVOR_ISI, VA_NX, "no execute");
	report_eq(caught.esr, 0, "no execute: esr = 0");
	report_eq(caught.srr1, 0, "no execute: srr1 = msr");
	tlb_map(SYS_TLB_FIRST + 2, VA_NX, (uint32_t)code_b, TLB_4K, 0, TLB_SR | TLB_SX);
	caught.n = 0;
	report_eq(fn(), 42, "execute once sx is set");
	report_eq(caught.n, 0, "execute once sx is set: no exception");
	report_prefix_pop();

	report_prefix_push("itlb miss");
	caught.n = 0;
	fn = (uint32_t (*)(void))(VA_UNMAPPED + 0x3000);
	mtspr(SPRN_DEAR, 0x0badd0e5);
	mtspr(SPRN_ESR, ESR_PTR);
	(void)fn();
	expect(1, IVOR_ITLB, VA_UNMAPPED + 0x3000, "branch to unmapped");
	report_eq(caught.srr1, 0, "branch to unmapped: srr1 = msr");
	report_eq(caught.dear, 0x0badd0e5, "branch to unmapped: dear unchanged");
	report_eq(caught.esr, ESR_PTR, "branch to unmapped: esr unchanged");
	report_prefix_pop();

	catch_install(NULL);
	for (int i = 0; i < 3; i++)
		tlb_invalidate(SYS_TLB_FIRST + i);
}

/* sc with IVOR8 pointed at vector 9's stub (low 4 bits set: ignored), and with IVPR's low
 * 16 bits set (ignored). */
static void test_vectors(void)
{
	uint32_t ivor8 = mfspr(SPRN_IVOR(8)), ivor9 = mfspr(SPRN_IVOR(9));
	uint32_t ivpr = mfspr(SPRN_IVPR), pc;

	report_prefix_push("vectors");
	report_eq(ivpr | ivor8, (uint32_t)vectors + 8 * 16, "ivpr | ivor8 = stub 8");
	install_exception_handler(IVOR_SYSCALL, catch_record);
	install_exception_handler(IVOR_APUNAVAIL, catch_record);

	caught.n = 0;
	mtspr(SPRN_IVOR(8), ivor9 | 0x8);
	__asm__ __volatile__("sc\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l" : "=b"(pc) : : "memory");
	mtspr(SPRN_IVOR(8), ivor8);
	expect(1, 9, pc, "sc through moved ivor8");

	caught.n = 0;
	mtspr(SPRN_IVPR, ivpr | 0xfff0);
	__asm__ __volatile__("sc\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l" : "=b"(pc) : : "memory");
	mtspr(SPRN_IVPR, ivpr);
	expect(1, IVOR_SYSCALL, pc, "ivpr low bits ignored");

	install_exception_handler(IVOR_SYSCALL, NULL);
	install_exception_handler(IVOR_APUNAVAIL, NULL);
	report_prefix_pop();
}

/* rfi/rfci/rfmci: jump to xSRR0 with MSR = xSRR1.  "flag" is set only if the return
 * instruction falls through. */
#define RETURN_TEST(name, spr0, spr1, insn, msr_val) do {				\
	uint32_t flag_, msr_;								\
	__asm__ __volatile__("li %0, 0\n\t" ADDR_OF_LABEL("%1")				\
			     "mtspr " #spr0 ", %1\n\tmtspr " #spr1 ", %2\n\t" insn "\n\t"	\
			     "li %0, 1\n1:\tmfmsr %1"						\
			     : "=&r"(flag_), "=&b"(msr_) : "r"(msr_val) : "memory");	\
	msr_set(0);									\
	report_eq(flag_, 0, name ": jumps to srr0");					\
	report_eq(msr_, msr_val, name ": msr = srr1");					\
} while (0)

static void test_return(void)
{
	report_prefix_push("return");
	RETURN_TEST("rfi", 26, 27, "rfi", MSR_ME | MSR_FP | MSR_IS | MSR_DS);
	RETURN_TEST("rfci", 58, 59, "rfci", MSR_ME | MSR_CE | MSR_FP);
	RETURN_TEST("rfmci", 570, 571, "rfmci", MSR_ME | MSR_DE);
	report_prefix_pop();

	/* Book E: mtmsr writes every MSR bit, ME included */
	report_prefix_push("mtmsr");
	mtmsr(MSR_ME | MSR_FP);
	report_eq(mfmsr(), MSR_ME | MSR_FP, "sets me");
	msr_set(MSR_ME | MSR_FP);
	mtmsr(MSR_FP);
	report_eq(mfmsr(), MSR_FP, "clears me");
	msr_set(0);
	report_prefix_pop();
}

static volatile uint32_t dec_hits, dec_srr0, dec_srr1;

static void on_dec(struct ex_regs *r)
{
	dec_hits++;
	dec_srr0 = r->srr0;
	dec_srr1 = r->srr1;
	mtspr(SPRN_TSR, TSR_DIS);
}

static bool dis_set(void)
{
	return mfspr(SPRN_TSR) & TSR_DIS;
}

static void test_masking(void)
{
	uint32_t pc;

	report_prefix_push("masking");
	install_exception_handler(IVOR_DEC, on_dec);
	msr_set(0);
	mtspr(SPRN_TSR, TSR_DIS);
	mtspr(SPRN_TCR, TCR_DIE);
	mtspr(SPRN_DEC, 4000);
	report(spin_until(dis_set, 40000000), "tsr dis set with ee = 0");
	report_eq(dec_hits, 0, "no decrementer interrupt with ee = 0");
	__asm__ __volatile__("wrteei 1\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l\n\twrteei 0"
			     : "=b"(pc) : : "memory");
	report_eq(dec_hits, 1, "decrementer interrupt right after wrteei 1");
	report_eq(dec_srr0, pc, "srr0 = instruction after wrteei");
	report_eq(dec_srr1, MSR_EE, "srr1 = msr with ee");
	report_eq(mfspr(SPRN_TSR) & TSR_DIS, 0, "handler cleared tsr dis");
	mtspr(SPRN_TCR, 0);
	install_exception_handler(IVOR_DEC, NULL);
	report_prefix_pop();
}

int main(void)
{
	sys_mmu_setup();
	test_sc();
	test_user_sc();
	test_privileged();
	test_program();
	test_storage();
	test_vectors();
	test_return();
	test_masking();
	return 0;
}
