// SPDX-License-Identifier: MIT
/* Paravirtualisation as Linux's KVM_GUEST code uses it (arch/powerpc/kernel/kvm.c): the ePAPR
 * hypercalls (sc with r0 = "KVM!", token in r11, status in r3, result in r4) and the magic
 * page, which the hypervisor maps where the guest asks and in which it keeps MSR, SRR0/1,
 * SPRG0-7, DEAR, ESR and PIR (struct kvm_vcpu_arch_shared: 64-bit big-endian fields, the
 * register in the low word), tells the guest an interrupt waits (int_pending) and delivers
 * no asynchronous interrupt while the guest's `critical` equals its r1.
 *
 * SOFTKVM-ONLY: a hypervisor's paravirtualisation, which QEMU's TCG bamboo does not have
 * (there sc with r0 = "KVM!" is the guest's own system call); run.sh --qemu and
 * diff-qemu.sh leave this program out.
 */
#include "sys.h"

#define SC_MAGIC_R0	0x4b564d21
#define KVM_HCALL(n)	((42u << 16) | (n))
#define EV_HCALL(n)	((1u << 16) | (n))
#define KVM_HC_FEATURES	3
#define KVM_HC_MAP_MAGIC_PAGE 4
#define EV_IDLE		16
#define EV_SUCCESS	0
#define EV_UNIMPLEMENTED 12
#define FEATURE_MAGIC_PAGE (1u << 1)
#define MAGIC_FEAT_MAS0_TO_SPRG7 (1u << 1)
#define MAGIC_NOT_MAPPED_NX 1u

#define SPRN_PIR	286

/* Where Linux puts it (KVM_MAGIC_PAGE = -4096), and the low words of its fields. */
#define MAGIC		0xfffff000u
#define MG_SCRATCH1	(MAGIC + 0 + 4)
#define MG_CRITICAL	(MAGIC + 24 + 4)
#define MG_SPRG(n)	(MAGIC + ((n) < 4 ? 32 + 8 * (n) : 208 + 8 * ((n) - 4)) + 4)
#define MG_SRR0		(MAGIC + 64 + 4)
#define MG_SRR1		(MAGIC + 72 + 4)
#define MG_DEAR		(MAGIC + 80 + 4)
#define MG_MSR		(MAGIC + 88 + 4)
#define MG_INT_PENDING	(MAGIC + 100)
#define MG_ESR		(MAGIC + 200)
#define MG_PIR		(MAGIC + 204)

#define RO_PAGE		0x40000000u	/* a supervisor read-only page, for a DSI */

static inline uint32_t rd(uint32_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void wr(uint32_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

/* A hypercall: r3 back, r4 in *out. */
static uint32_t hcall(uint32_t token, uint32_t a1, uint32_t a2, uint32_t *out)
{
	register uint32_t r0 __asm__("r0") = SC_MAGIC_R0;
	register uint32_t r3 __asm__("r3") = a1;
	register uint32_t r4 __asm__("r4") = a2;
	register uint32_t r11 __asm__("r11") = token;

	__asm__ __volatile__("sc"
			     : "+r"(r3), "+r"(r4), "+r"(r11), "+r"(r0)
			     :
			     : "r5", "r6", "r7", "r8", "r9", "r10", "r12", "ctr", "cr0", "memory");
	*out = r4;
	return r3;
}

static volatile uint32_t syscalls, decs;
static volatile uint32_t page_srr0, page_srr1, page_dear, page_esr; /* as a handler saw them */

/* A DSI: what the interrupt left in the page, then on past the store. */
static void on_dsi(struct ex_regs *r)
{
	page_srr0 = rd(MG_SRR0);
	page_srr1 = rd(MG_SRR1);
	page_dear = rd(MG_DEAR);
	page_esr = rd(MG_ESR);
	catch_skip(r);
}

static void on_syscall(struct ex_regs *r)
{
	(void)r;
	syscalls++;
}

static void on_dec(struct ex_regs *r)
{
	(void)r;
	decs++;
	mtspr(SPRN_TCR, 0);
	mtspr(SPRN_TSR, TSR_DIS);
}

static uint32_t user_hcall(uint32_t arg)
{
	uint32_t r4;

	(void)arg;
	return hcall(KVM_HCALL(KVM_HC_FEATURES), 0, 0, &r4);
}

static uint32_t user_read_magic(uint32_t arg)
{
	(void)arg;
	return rd(MAGIC);
}

static void test_hypercalls(void)
{
	uint32_t r3, r4;

	report_prefix_push("hcall");
	r3 = hcall(KVM_HCALL(KVM_HC_FEATURES), 0, 0, &r4);
	report_eq(r3, EV_SUCCESS, "features: success");
	report(r4 & FEATURE_MAGIC_PAGE, "features: the magic page");
	r3 = hcall(KVM_HCALL(99), 0, 0, &r4);
	report_eq(r3, EV_UNIMPLEMENTED, "unknown: unimplemented");
	report_eq(r4, 0, "unknown: no result");

	/* from problem state it is the guest's system call, which the hypervisor passes on */
	install_exception_handler(IVOR_SYSCALL, on_syscall);
	syscalls = 0;
	run_user(user_hcall, 0, USER_MSR);
	report_eq(syscalls, 1, "from user mode: the system call");

	/* ev_idle waits for an interrupt, then returns after it */
	install_exception_handler(IVOR_DEC, on_dec);
	decs = 0;
	mtspr(SPRN_TSR, TSR_DIS);
	mtspr(SPRN_TCR, TCR_DIE);
	mtspr(SPRN_DEC, 40000);
	msr_set(MSR_EE);
	r3 = hcall(EV_HCALL(EV_IDLE), 0, 0, &r4);
	msr_set(0);
	report_eq(r3, EV_SUCCESS, "ev_idle: success");
	report_eq(decs, 1, "ev_idle: returns after the interrupt");
	install_exception_handler(IVOR_DEC, NULL);
	report_prefix_pop();
}

static void test_magic_page(void)
{
	uint32_t r3, r4, pc;

	report_prefix_push("magic page");
	/* before: 0xfffff000 is what the guest TLB maps there (entry 2: I/O, reading 0) */
	report_eq(rd(MG_MSR), 0, "before: the guest's own mapping");

	r3 = hcall(KVM_HCALL(KVM_HC_MAP_MAGIC_PAGE), MAGIC, MAGIC | MAGIC_NOT_MAPPED_NX, &r4);
	report_eq(r3, EV_SUCCESS, "map: success");
	report_eq(r4, MAGIC_FEAT_MAS0_TO_SPRG7, "map: holds esr, pir and sprg4-7");

	report_eq(rd(MG_MSR), mfmsr(), "msr");
	report_eq(rd(MG_PIR), mfspr(SPRN_PIR), "pir");

	mtspr(SPRN_SPRG0, 0x11111111);
	mtspr(SPRN_SPRG3, 0x33333333);
	mtspr(SPRN_SPRG4W + 3, 0x77777777);
	report_eq(rd(MG_SPRG(0)), 0x11111111, "mtspr sprg0: in the page");
	report_eq(rd(MG_SPRG(3)), 0x33333333, "mtspr sprg3: in the page");
	report_eq(rd(MG_SPRG(7)), 0x77777777, "mtspr sprg7: in the page");
	wr(MG_SPRG(1), 0xa1a1a1a1);
	wr(MG_SPRG(5), 0xa5a5a5a5);
	report_eq(mfspr(SPRN_SPRG1), 0xa1a1a1a1, "sprg1 in the page: mfspr");
	report_eq(mfspr(SPRN_SPRG4R + 1), 0xa5a5a5a5, "sprg5 in the page: mfspr sprg5r");
	report_eq(mfspr(SPRN_SPRG4W + 1), 0xa5a5a5a5, "sprg5 in the page: mfspr sprg5");

	wr(MG_SRR0, 0x12345678);
	wr(MG_SRR1, MSR_CE);
	report_eq(mfspr(SPRN_SRR0), 0x12345678, "srr0 in the page: mfspr");
	report_eq(mfspr(SPRN_SRR1), MSR_CE, "srr1 in the page: mfspr");
	mtspr(SPRN_DEAR, 0xdea0);
	mtspr(SPRN_ESR, 0x1000);
	report_eq(rd(MG_DEAR), 0xdea0, "mtspr dear: in the page");
	report_eq(rd(MG_ESR), 0x1000, "mtspr esr: in the page");

	/* an interrupt writes SRR0/1, DEAR and ESR where the guest reads them */
	tlb_map(SYS_TLB_FIRST, RO_PAGE, 0x00200000, TLB_4K, 0, TLB_SR);
	install_exception_handler(IVOR_DSI, on_dsi);
	caught.n = 0;
	pc = probe_stw(RO_PAGE + 8, 1);
	install_exception_handler(IVOR_DSI, NULL);
	tlb_invalidate(SYS_TLB_FIRST);
	report_eq(caught.n, 1, "dsi: taken");
	report_eq(page_srr0, pc, "dsi: srr0 in the page");
	report_eq(page_srr1, 0, "dsi: srr1 in the page");
	report_eq(page_dear, RO_PAGE + 8, "dsi: dear in the page");
	report_eq(page_esr, 0x00800000, "dsi: esr (st) in the page");

	wr(MG_SCRATCH1, 0x5c5c5c5c);
	report_eq(rd(MG_SCRATCH1), 0x5c5c5c5c, "scratch: the guest's own");

	/* it needs no guest TLB entry, and user mode does not see it */
	tlb_invalidate(2);
	report_eq(rd(MG_SPRG(0)), 0x11111111, "no guest tlb entry needed");
	tlb_map(2, 0xf0000000, 0xf0000000, TLB_256M, 0, TLB_SR | TLB_SW | TLB_I | TLB_G);
	catch_install(catch_skip);
	caught.n = 0;
	run_user(user_read_magic, 0, USER_MSR);
	catch_install(NULL);
	report(caught.n == 1 && caught.ivor == IVOR_DTLB, "user mode: not mapped");
	report_prefix_pop();
}

/* Linux's rewritten mtmsr/wrtee: MSR[EE] is set by a store to the page, with no trap; the
 * rewritten code then traps (wrtee) when int_pending says an interrupt waits. */
static void test_msr_and_int_pending(void)
{
	uint32_t msr, taken;

	report_prefix_push("msr in the page");
	install_exception_handler(IVOR_DEC, on_dec);
	decs = 0;
	mtspr(SPRN_TSR, TSR_DIS);
	report_eq(rd(MG_INT_PENDING), 0, "int_pending: clear");
	mtspr(SPRN_TCR, TCR_DIE);
	mtspr(SPRN_DEC, 1000);
	for (uint64_t end = read_tb() + 400000; read_tb() < end;)
		;
	/* the decrementer fired with EE off */
	report(mfspr(SPRN_TSR) & TSR_DIS, "decrementer expired");
	report_eq(decs, 0, "ee off: not taken");
	report_eq(rd(MG_INT_PENDING), 1, "int_pending: set while one waits");
	/* no exit between the store and the trap, so that nothing else could take it */
	wr(MG_MSR, rd(MG_MSR) | MSR_EE);
	msr = mfmsr();
	__asm__ __volatile__("wrteei 1" : : : "memory");
	taken = decs;
	__asm__ __volatile__("wrteei 0" : : : "memory");
	report(msr & MSR_EE, "ee stored: mfmsr sees it");
	report_eq(taken, 1, "wrteei 1: taken");
	report_eq(rd(MG_INT_PENDING), 0, "int_pending: clear once taken");
	install_exception_handler(IVOR_DEC, NULL);
	report_prefix_pop();
}

/* While the guest's `critical` equals r1, a pending decrementer waits even with EE on. */
static void test_critical(void)
{
	uint32_t before;

	report_prefix_push("critical");
	install_exception_handler(IVOR_DEC, on_dec);
	decs = 0;
	mtspr(SPRN_TSR, TSR_DIS);
	mtspr(SPRN_TCR, TCR_DIE);
	mtspr(SPRN_DEC, 1000);
	for (uint64_t end = read_tb() + 400000; read_tb() < end;)
		;
	report(mfspr(SPRN_TSR) & TSR_DIS, "decrementer expired");
	/* one asm: r1 is the value stored */
	__asm__ __volatile__("stw 1, 0(%0)\n\twrteei 1\n\tnop\n\tnop\n\twrteei 0"
			     : : "b"(MG_CRITICAL) : "memory");
	before = decs;
	report_eq(before, 0, "not taken while critical == r1");
	wr(MG_CRITICAL, 0);
	__asm__ __volatile__("wrteei 1\n\tnop\n\twrteei 0" : : : "memory");
	report_eq(decs, 1, "taken once critical != r1");
	install_exception_handler(IVOR_DEC, NULL);
	report_prefix_pop();
}

int main(void)
{
	sys_mmu_setup();
	test_hypercalls();
	test_magic_page();
	test_msr_and_int_pending();
	test_critical();
	return 0;
}
