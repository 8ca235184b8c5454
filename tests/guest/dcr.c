// SPDX-License-Identifier: MIT
/* Device control registers: mfdcr/mtdcr against UIC0 (DCRs 0xc0-0xc8 on QEMU's bamboo and on
 * softkvm's board), the UIC's register semantics, its two outputs (external input, IVOR4,
 * gated by MSR[EE]; critical input, IVOR0, gated by MSR[CE]), mfdcr/mtdcr in problem state
 * (privileged), and an unknown DCR.
 *
 * UIC0 registers (offsets from 0xc0): SR 0 (status, write one to clear), SRS 1 (write one to
 * set SR bits), ER 2 (enable), CR 3 (1 = critical), PR 4 (polarity), TR 5 (1 = edge), MSR 6
 * (SR & ER, read only).  Input n is bit 0x80000000 >> n.  The tests use inputs 20-23, which
 * nothing is wired to on either board (QEMU: UARTs on 0-1, SDRAM ECC 14, PCI 25-28; softkvm:
 * UART0 on 0, virtio-console and virtio-rng on 16 and 17; 20-23 would be virtio slots 4-7,
 * empty unless devices are added on the command line), and touch only those bits of each register.
 *
 * An unknown DCR (0x3ff): no device answers.  What a 440 does is up to the chip's DCR bus (the
 * core's manual leaves it undefined); QEMU 7.2 raises an illegal-instruction program interrupt
 * (ESR[PIL], SRR0 = the mfdcr/mtdcr, the target register unchanged), and softkvm matches that.
 */
#include "sys.h"

#define UIC_SR		0xc0
#define UIC_SRS		0xc1
#define UIC_ER		0xc2
#define UIC_CR		0xc3
#define UIC_PR		0xc4
#define UIC_TR		0xc5
#define UIC_MSR		0xc6
#define DCR_UNKNOWN	0x3ff

#define IN20		0x00000800
#define IN21		0x00000400
#define IN22		0x00000200
#define IN23		0x00000100
#define MINE		(IN20 | IN21 | IN22 | IN23)

#define mfdcr(n) ({ uint32_t v_;							\
	__asm__ __volatile__("mfdcr %0, %1" : "=r"(v_) : "i"(n) : "memory"); v_; })
#define mtdcr(n, v)									\
	__asm__ __volatile__("mtdcr %0, %1" : : "i"(n), "r"((uint32_t)(v)) : "memory")

/* Read-modify-write only our bits. */
#define set_mine(n, v)	mtdcr(n, (mfdcr(n) & ~MINE) | (v))

/* Write our bits of a read/write register and read them back; the register is restored. */
#define CHECK_RW(name, n) do {								\
	uint32_t old_ = mfdcr(n), got_;							\
	set_mine(n, IN20 | IN22);							\
	got_ = mfdcr(n);								\
	mtdcr(n, old_);									\
	report_eq(got_ & MINE, IN20 | IN22, name " write/read");			\
	report_eq(got_ & ~MINE, old_ & ~MINE, name " other bits kept");			\
} while (0)

static void test_registers(void)
{
	report_prefix_push("uic");
	CHECK_RW("er", UIC_ER);
	CHECK_RW("cr", UIC_CR);
	CHECK_RW("pr", UIC_PR);
	CHECK_RW("tr", UIC_TR);

	/* SR: set through SRS, clear by writing ones; MSR = SR & ER */
	mtdcr(UIC_SR, MINE);
	report_eq(mfdcr(UIC_SR) & MINE, 0, "sr clear");
	set_mine(UIC_ER, IN20 | IN21);
	mtdcr(UIC_SRS, IN21 | IN22);
	report_eq(mfdcr(UIC_SR) & MINE, IN21 | IN22, "srs sets sr bits");
	report_eq(mfdcr(UIC_MSR) & MINE, IN21, "msr = sr & er");
	mtdcr(UIC_MSR, 0xffffffff);
	report_eq(mfdcr(UIC_MSR) & MINE, IN21, "msr read only");
	mtdcr(UIC_SR, 0);
	report_eq(mfdcr(UIC_SR) & MINE, IN21 | IN22, "sr: writing 0 clears nothing");
	mtdcr(UIC_SR, IN22);
	report_eq(mfdcr(UIC_SR) & MINE, IN21, "sr: writing 1 clears that bit");
	report_eq(mfdcr(UIC_MSR) & MINE, IN21, "msr follows sr");
	set_mine(UIC_ER, 0);
	report_eq(mfdcr(UIC_MSR) & MINE, 0, "msr follows er");
	mtdcr(UIC_SR, MINE);
	report_prefix_pop();
}

static volatile uint32_t ext_hits, crit_hits, irq_pc, irq_msr1, irq_msr;

static void on_external(struct ex_regs *r)
{
	ext_hits++;
	irq_pc = r->srr0;
	irq_msr1 = r->srr1;
	irq_msr = mfmsr();
	mtdcr(UIC_SR, IN23);	/* the UIC drops its output: no second interrupt */
}

static void on_critical(struct ex_regs *r)
{
	crit_hits++;
	irq_pc = r->csrr0;
	irq_msr1 = r->csrr1;
	irq_msr = mfmsr();
	mtdcr(UIC_SR, IN23);
}

static void test_interrupts(void)
{
	uint32_t pc;

	report_prefix_push("external");
	install_exception_handler(IVOR_EXTERNAL, on_external);
	msr_set(0);
	set_mine(UIC_CR, 0);
	set_mine(UIC_ER, IN23);
	mtdcr(UIC_SRS, IN23);
	report_eq(mfdcr(UIC_MSR) & MINE, IN23, "pending in the uic");
	report_eq(ext_hits, 0, "masked by msr ee = 0");
	__asm__ __volatile__("wrteei 1\n1:\tlis %0, 1b@ha\n\taddi %0, %0, 1b@l\n\twrteei 0"
			     : "=b"(pc) : : "memory");
	report_eq(ext_hits, 1, "taken once after wrteei 1");
	report_eq(irq_pc, pc, "srr0 = instruction after wrteei");
	report_eq(irq_msr1, MSR_EE, "srr1 = msr");
	report_eq(irq_msr, 0, "handler runs with ee = 0");
	report_eq(mfdcr(UIC_SR) & MINE, 0, "handler cleared sr");
	install_exception_handler(IVOR_EXTERNAL, NULL);
	report_prefix_pop();

	report_prefix_push("critical");
	install_exception_handler(IVOR_CRITICAL, on_critical);
	set_mine(UIC_CR, IN23);
	mtdcr(UIC_SRS, IN23);
	msr_set(MSR_EE);
	msr_set(0);
	report_eq(crit_hits, 0, "not taken with msr ce = 0, ee = 1");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\t"
			     "mtsrr0 %0\n\tmtsrr1 %1\n\trfi\n1:"
			     : "=&b"(pc) : "r"(MSR_CE | MSR_ME) : "memory");
	msr_set(0);
	report_eq(crit_hits, 1, "taken once msr ce = 1");
	report_eq(irq_pc, pc, "csrr0 = first instruction with ce = 1");
	report_eq(irq_msr1, MSR_CE | MSR_ME, "csrr1 = msr");
	report_eq(irq_msr, MSR_ME, "handler runs with ce = 0, me kept");
	set_mine(UIC_ER, 0);
	set_mine(UIC_CR, 0);
	mtdcr(UIC_SR, MINE);
	install_exception_handler(IVOR_CRITICAL, NULL);
	report_prefix_pop();
}

static uint32_t user_mfdcr(uint32_t arg)
{
	uint32_t pc;

	(void)arg;
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n1:\tmfdcr 4, %1"
			     : "=&b"(pc) : "i"(UIC_ER) : "r4", "memory");
	return pc;
}

static uint32_t user_mtdcr(uint32_t arg)
{
	uint32_t pc;

	(void)arg;
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n1:\tmtdcr %1, 4"
			     : "=&b"(pc) : "i"(UIC_ER) : "r4", "memory");
	return pc;
}

static void test_faults(void)
{
	uint32_t pc, v, er = mfdcr(UIC_ER);

	catch_install(catch_skip);
	report_prefix_push("user");
	caught.n = 0;
	pc = run_user(user_mfdcr, 0, USER_MSR);
	report(caught.n == 1 && caught.ivor == IVOR_PROGRAM && caught.srr0 == pc &&
	       caught.esr == ESR_PPR, "mfdcr: privileged");
	caught.n = 0;
	pc = run_user(user_mtdcr, 0, USER_MSR);
	report(caught.n == 1 && caught.ivor == IVOR_PROGRAM && caught.srr0 == pc &&
	       caught.esr == ESR_PPR, "mtdcr: privileged");
	report_eq(mfdcr(UIC_ER), er, "mtdcr: er unchanged");
	report_prefix_pop();

	report_prefix_push("unknown dcr");
	caught.n = 0;
	v = 0x600d600d;
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n1:\tmfdcr %1, %2"
			     : "=&b"(pc), "+r"(v) : "i"(DCR_UNKNOWN) : "memory");
	report(caught.n == 1 && caught.ivor == IVOR_PROGRAM && caught.srr0 == pc,
	       "mfdcr: program interrupt");
	report_eq(caught.esr, ESR_PIL, "mfdcr: esr = pil");
	report_eq(caught.srr1 & ~QEMU_SRR1_REASONS, 0, "mfdcr: srr1 = msr");
	report_eq(v, 0x600d600d, "mfdcr: rt unchanged");
	caught.n = 0;
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n1:\tmtdcr %1, %0"
			     : "=&b"(pc) : "i"(DCR_UNKNOWN) : "memory");
	report(caught.n == 1 && caught.ivor == IVOR_PROGRAM && caught.srr0 == pc,
	       "mtdcr: program interrupt");
	report_eq(caught.esr, ESR_PIL, "mtdcr: esr = pil");
	report_prefix_pop();
	catch_install(NULL);
}

int main(void)
{
	sys_mmu_setup();
	report_info("uic0 at boot: sr=%08x er=%08x cr=%08x pr=%08x tr=%08x", mfdcr(UIC_SR),
		    mfdcr(UIC_ER), mfdcr(UIC_CR), mfdcr(UIC_PR), mfdcr(UIC_TR));
	test_registers();
	test_interrupts();
	test_faults();
	return 0;
}
