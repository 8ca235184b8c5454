/* SPDX-License-Identifier: MIT */
/* Helpers for the system-level tests (exceptions.c, tlb.c, timers.c, mmio.c, dcr.c): the 440
 * TLB instructions, one known TLB layout, problem-state calls, and handlers that record an
 * exception and resume.  Header-only: everything is static inline, so a test that includes it
 * pays only for what it uses.
 *
 * The TLB layout (sys_mmu_setup) replaces whatever the loader left.  QEMU's bamboo leaves two
 * 2 GiB entries covering all of the address space, and QEMU uses the first matching entry, so
 * a test mapping would never be seen next to them; softkvm's board leaves 256 MiB entries.
 * After sys_mmu_setup, on both:
 *   entry 0   TS=0 0x00000000-0x0fffffff -> RAM,  supervisor RWX
 *   entry 1   TS=0 0xe0000000-0xefffffff -> I/O,  supervisor RW, I=1 G=1 (UART, test device)
 *   entry 2   TS=0 0xf0000000-0xffffffff -> I/O,  supervisor RW, I=1 G=1
 *   entry 3   TS=1 0x00000000-0x0fffffff -> RAM,  user and supervisor RWX (problem state)
 *   entries 4-63 invalid; tests use SYS_TLB_FIRST and up, at virtual addresses from 0x40000000.
 */
#ifndef GUEST_SYS_H
#define GUEST_SYS_H

#include "guest.h"

/* TLB word 0 */
#define TLB_EPN_MASK	0xfffffc00
#define TLB_V		0x00000200
#define TLB_TS		0x00000100
#define TLB_4K		0x00000010
#define TLB_16K		0x00000020
#define TLB_64K		0x00000030
#define TLB_256K	0x00000040
#define TLB_1M		0x00000050
#define TLB_16M		0x00000070
#define TLB_256M	0x00000090
/* TLB word 1: RPN, ERPN in the low 4 bits */
#define TLB_ERPN_MASK	0x0000000f
/* TLB word 2 */
#define TLB_U0		0x00008000
#define TLB_U1		0x00004000
#define TLB_U2		0x00002000
#define TLB_U3		0x00001000
#define TLB_W		0x00000800
#define TLB_I		0x00000400
#define TLB_M		0x00000200
#define TLB_G		0x00000100
#define TLB_E		0x00000080
#define TLB_UX		0x00000020
#define TLB_UW		0x00000010
#define TLB_UR		0x00000008
#define TLB_SX		0x00000004
#define TLB_SW		0x00000002
#define TLB_SR		0x00000001
#define TLB_SRWX	(TLB_SR | TLB_SW | TLB_SX)
#define TLB_URWX	(TLB_UR | TLB_UW | TLB_UX)

#define MMUCR_STS	0x00010000
#define MMUCR_STID	0x000000ff

#define SYS_TLB_USER	3	/* the TS=1 problem-state mapping */
#define SYS_TLB_FIRST	8	/* first entry free for tests */

/* TSR / TCR */
#define TSR_ENW		0x80000000
#define TSR_WIS		0x40000000
#define TSR_WRS		0x30000000
#define TSR_DIS		0x08000000
#define TSR_FIS		0x04000000
#define TCR_WP(n)	((uint32_t)(n) << 30)
#define TCR_WRC(n)	((uint32_t)(n) << 28)
#define TCR_WIE		0x08000000
#define TCR_DIE		0x04000000
#define TCR_FP(n)	((uint32_t)(n) << 24)
#define TCR_FIE		0x00800000
#define TCR_ARE		0x00400000

/* QEMU 7.2 also puts the classic program-interrupt reason into SRR1 (0x00100000 FP,
 * 0x00080000 illegal, 0x00040000 privileged, 0x00020000 trap); a 440 saves only the MSR.  Two
 * of those are MSR[WE] and MSR[CE] on BookE, so a handler that returns with rfi must drop them
 * or QEMU halts (WE) or takes critical interrupts (CE) afterwards. */
#define QEMU_SRR1_REASONS	0x001e0000

/* The instructions, one word at a time. */
static inline void tlbwe(uint32_t idx, int word, uint32_t v)
{
	switch (word) {
	case 0:
		__asm__ __volatile__("tlbwe %0, %1, 0" : : "r"(v), "r"(idx) : "memory");
		break;
	case 1:
		__asm__ __volatile__("tlbwe %0, %1, 1" : : "r"(v), "r"(idx) : "memory");
		break;
	default:
		__asm__ __volatile__("tlbwe %0, %1, 2" : : "r"(v), "r"(idx) : "memory");
		break;
	}
}

static inline uint32_t tlbre(uint32_t idx, int word)
{
	uint32_t v;

	switch (word) {
	case 0:
		__asm__ __volatile__("tlbre %0, %1, 0" : "=r"(v) : "r"(idx) : "memory");
		break;
	case 1:
		__asm__ __volatile__("tlbre %0, %1, 1" : "=r"(v) : "r"(idx) : "memory");
		break;
	default:
		__asm__ __volatile__("tlbre %0, %1, 2" : "=r"(v) : "r"(idx) : "memory");
		break;
	}
	return v;
}

/* tlbsx. of ea (with MMUCR[STID,STS] as they are): returns CR0 (4 bits); *idx gets RT. */
static inline uint32_t tlbsx_dot(uint32_t ea, uint32_t *idx)
{
	uint32_t rt = 0xdeadbeef, cr;

	__asm__ __volatile__("tlbsx. %0, 0, %2\n\tmfcr %1"
			     : "+&r"(rt), "=r"(cr) : "r"(ea) : "cr0", "memory");
	*idx = rt;
	return CR_FIELD(cr, 0);
}

/* Write a whole entry; word 0 takes its TID from MMUCR[STID]. */
static inline void tlb_write(uint32_t idx, uint32_t w0, uint32_t w1, uint32_t w2, uint32_t tid)
{
	uint32_t mmucr = mfspr(SPRN_MMUCR);

	mtspr(SPRN_MMUCR, (mmucr & ~MMUCR_STID) | tid);
	tlbwe(idx, 0, w0);
	tlbwe(idx, 1, w1);
	tlbwe(idx, 2, w2);
	mtspr(SPRN_MMUCR, mmucr);
	isync();
}

static inline void tlb_invalidate(uint32_t idx)
{
	tlbwe(idx, 0, 0);
	isync();
}

/* Map one page of `size_bits` (TLB_4K ...) in address space ts (0/1): va -> pa, TID 0. */
static inline void tlb_map(uint32_t idx, uint32_t va, uint32_t pa, uint32_t size_bits, int ts,
			   uint32_t attr)
{
	tlb_write(idx, va | TLB_V | size_bits | (ts ? TLB_TS : 0), pa, attr, 0);
}

static inline void sys_mmu_setup(void)
{
	mtspr(SPRN_PID, 0);
	mtspr(SPRN_MMUCR, 0);
	tlb_map(0, 0x00000000, 0x00000000, TLB_256M, 0, TLB_SRWX);
	tlb_map(1, 0xe0000000, 0xe0000000, TLB_256M, 0, TLB_SR | TLB_SW | TLB_I | TLB_G);
	tlb_map(2, 0xf0000000, 0xf0000000, TLB_256M, 0, TLB_SR | TLB_SW | TLB_I | TLB_G);
	tlb_map(SYS_TLB_USER, 0x00000000, 0x00000000, TLB_256M, 1, TLB_SRWX | TLB_URWX);
	for (uint32_t i = SYS_TLB_USER + 1; i < 64; i++)
		tlb_invalidate(i);
}

/* Set the whole MSR, through rfi: QEMU 7.2's mtmsr never changes MSR[ME] (a Book III-S rule
 * that it applies to BookE too), so mtmsr cannot be used to set or clear ME. */
static inline void msr_set(uint32_t v)
{
	uint32_t t;

	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\t"
			     "mtsrr0 %0\n\tmtsrr1 %1\n\trfi\n1:"
			     : "=&b"(t) : "r"(v) : "memory");
}

/* Timebase, as one 64-bit value (user-readable SPRs 268/269). */
static inline uint64_t read_tb(void)
{
	uint32_t hi, lo, hi2;

	do {
		hi = mfspr(SPRN_TBU_R);
		lo = mfspr(SPRN_TBL_R);
		hi2 = mfspr(SPRN_TBU_R);
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
}

/* Spin until (*cond)() or `ticks` of timebase have passed; returns the condition. */
static inline bool spin_until(bool (*cond)(void), uint64_t ticks)
{
	uint64_t end = read_tb() + ticks;

	while (!cond())
		if (read_tb() > end)
			return cond();
	return true;
}

/* What the catch handlers saw at the last exception. */
struct caught {
	uint32_t n;		/* exceptions caught so far */
	uint32_t ivor, srr0, srr1, csrr0, csrr1, esr, dear;
	uint32_t msr;		/* MSR inside the handler: what the interrupt set */
};

static volatile struct caught caught __attribute__((unused));

static inline void catch_record(struct ex_regs *r)
{
	caught.n++;
	caught.ivor = r->ivor;
	caught.srr0 = r->srr0;
	caught.srr1 = r->srr1;
	caught.csrr0 = r->csrr0;
	caught.csrr1 = r->csrr1;
	caught.esr = r->esr;
	caught.dear = r->dear;
	caught.msr = mfmsr();
	if (r->ivor == IVOR_PROGRAM)
		r->srr1 &= ~QEMU_SRR1_REASONS;
}

/* Record, then resume after the faulting instruction. */
static inline void catch_skip(struct ex_regs *r)
{
	catch_record(r);
	r->srr0 += 4;
}

/* Record, then return to LR: for a fault on the target of a call (ISI, ITLB miss). */
static inline void catch_return(struct ex_regs *r)
{
	catch_record(r);
	r->srr0 = r->lr;
}

/* Install fn on every synchronous vector a test might trip (DSI, ISI, alignment, program,
 * FP unavailable, DTLB, ITLB), or NULL to remove them. */
static inline void catch_install(handler_fn fn)
{
	static const int v[] = { IVOR_DSI, IVOR_ISI, IVOR_ALIGNMENT, IVOR_PROGRAM,
				 IVOR_FPUNAVAIL, IVOR_DTLB, IVOR_ITLB };

	for (unsigned int i = 0; i < ARRAY_SIZE(v); i++)
		install_exception_handler(v[i], fn);
}

/* Loads and stores that give the address of the access instruction (for SRR0 checks).  A
 * load that faults and is skipped leaves PROBE_POISON. */
#define PROBE_POISON	0xdeadbeef

static inline uint32_t probe_lwz(uint32_t ea, uint32_t *pc)
{
	uint32_t v = PROBE_POISON, p;

	__asm__ __volatile__("lis %1, 1f@ha\n\taddi %1, %1, 1f@l\n1:\tlwz %0, 0(%2)"
			     : "+&r"(v), "=&b"(p) : "b"(ea) : "memory");
	*pc = p;
	return v;
}

static inline uint32_t probe_stw(uint32_t ea, uint32_t v)
{
	uint32_t p;

	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n1:\tstw %1, 0(%2)"
			     : "=&b"(p) : "r"(v), "b"(ea) : "memory");
	return p;
}

/* Problem state: run fn(arg) with MSR = msr (normally USER_MSR) and return its result.  fn
 * runs on the caller's stack, which the TS=1 entry 3 maps for user access; it returns to a
 * user-mode `sc` with r0 = USER_EXIT, which the syscall handler below turns into a return to
 * supervisor state.  Other system calls go to the handler that was installed before. */
#define USER_MSR	(MSR_PR | MSR_IS | MSR_DS)
#define USER_EXIT	0x5553

static handler_fn user_prev_sc __attribute__((unused));
static uint32_t user_return_msr __attribute__((unused));

static inline void user_sc_handler(struct ex_regs *r)
{
	if ((r->srr1 & MSR_PR) && r->gpr[0] == USER_EXIT) {
		r->srr1 = user_return_msr;
		return;
	}
	if (user_prev_sc) {
		user_prev_sc(r);
		return;
	}
	printf("FAIL: unexpected sc from problem state srr0=%08x\n", r->srr0);
	report_fail_raw();
	report_summary();
}

static inline uint32_t run_user(uint32_t (*fn)(uint32_t), uint32_t arg, uint32_t msr)
{
	uint32_t ret;

	user_return_msr = mfmsr();
	user_prev_sc = install_exception_handler(IVOR_SYSCALL, user_sc_handler);
	/* set right before the asm: the call above may use r3 */
	register uint32_t r3 __asm__("r3") = arg;
	__asm__ __volatile__("lis 0, 2f@h\n\tori 0, 0, 2f@l\n\tmtlr 0\n\t"
			     "mtsrr0 %1\n\tmtsrr1 %2\n\trfi\n"
			     "2:\tli 0, %3\n\tsc"
			     : "+r"(r3)
			     : "r"(fn), "r"(msr), "i"(USER_EXIT)
			     : "r0", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12",
			       "lr", "ctr", "xer", "cr0", "cr1", "cr5", "cr6", "cr7", "memory");
	ret = r3;
	install_exception_handler(IVOR_SYSCALL, user_prev_sc);
	return ret;
}

#endif
