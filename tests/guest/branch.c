// SPDX-License-Identifier: MIT
/* Branches: every BO form of bc (condition, CTR decrement, both), the y hint bit, LK on taken
 * and untaken branches, bclr/bcctr (low two target bits ignored), absolute forms (ba/bla to the
 * image, bca/bcla to a stub copied into the first 32 KiB), and tw/twi with every TO bit. */
#include "guest.h"

#define CLOBBER_CR	"cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"
#define EQ0		0x20000000u	/* CR0[EQ], bit 2 */

/* bc BO,BI with CR = crin, CTR = ctrin: returns 1 if taken; *ctrout = CTR after. */
#define BC(bo, bi, crin, ctrin, ctrout) ({						\
	uint32_t t_;									\
	__asm__ __volatile__("mtcr %[c]\n\tmtctr %[n]\n\tli %[t], 0\n\t"		\
			     "bc " #bo ", " #bi ", 1f\n\tb 2f\n1:\tli %[t], 1\n2:\tmfctr %[no]" \
			     : [t] "=&r"(t_), [no] "=r"(ctrout)				\
			     : [c] "r"(crin), [n] "r"(ctrin) : CLOBBER_CR, "ctr");	\
	t_; })

#define CHECK_BC(name, bo, bi, crin, ctrin, exp_taken, exp_ctr) do {			\
	uint32_t ctr_, taken_ = BC(bo, bi, crin, ctrin, ctr_);				\
	bool ok_ = taken_ == (exp_taken) && ctr_ == (uint32_t)(exp_ctr);		\
	report(ok_, "bc %d,%d %s", bo, bi, name);					\
	if (!ok_)									\
		printf("INFO: taken=%u ctr=%08x, expected taken=%u ctr=%08x\n",		\
		       taken_, ctr_, (exp_taken), (uint32_t)(exp_ctr));			\
} while (0)

static void test_bc(void)
{
	CHECK_BC("bdnzf cond0 ctr2", 0, 2, 0, 2, 1, 1);
	CHECK_BC("bdnzf cond0 ctr1", 0, 2, 0, 1, 0, 0);
	CHECK_BC("bdnzf cond1 ctr2", 0, 2, EQ0, 2, 0, 1);
	CHECK_BC("bdnzf+y cond0 ctr2", 1, 2, 0, 2, 1, 1);
	CHECK_BC("bdzf cond0 ctr1", 2, 2, 0, 1, 1, 0);
	CHECK_BC("bdzf cond0 ctr2", 2, 2, 0, 2, 0, 1);
	CHECK_BC("bdzf cond1 ctr1", 2, 2, EQ0, 1, 0, 0);
	CHECK_BC("bdzf+y cond0 ctr1", 3, 2, 0, 1, 1, 0);
	CHECK_BC("bf cond0", 4, 2, 0, 7, 1, 7);
	CHECK_BC("bf cond1", 4, 2, EQ0, 7, 0, 7);
	CHECK_BC("bf+y cond0", 5, 2, 0, 0, 1, 0);
	CHECK_BC("bdnzt cond1 ctr2", 8, 2, EQ0, 2, 1, 1);
	CHECK_BC("bdnzt cond1 ctr1", 8, 2, EQ0, 1, 0, 0);
	CHECK_BC("bdnzt cond0 ctr2", 8, 2, 0, 2, 0, 1);
	CHECK_BC("bdnzt+y cond1 ctr0", 9, 2, EQ0, 0, 1, 0xffffffff);
	CHECK_BC("bdzt cond1 ctr1", 10, 2, EQ0, 1, 1, 0);
	CHECK_BC("bdzt cond1 ctr2", 10, 2, EQ0, 2, 0, 1);
	CHECK_BC("bdzt cond0 ctr1", 10, 2, 0, 1, 0, 0);
	CHECK_BC("bdzt+y cond1 ctr1", 11, 2, EQ0, 1, 1, 0);
	CHECK_BC("bt cond1", 12, 2, EQ0, 3, 1, 3);
	CHECK_BC("bt cond0", 12, 2, 0, 3, 0, 3);
	CHECK_BC("bt+y cond1", 13, 2, EQ0, 3, 1, 3);
	CHECK_BC("bt bit31 set", 12, 31, 0x00000001, 3, 1, 3);
	CHECK_BC("bt bit31 clear", 12, 31, 0xfffffffe, 3, 0, 3);
	CHECK_BC("bf bit0 set", 4, 0, 0x80000000, 3, 0, 3);
	CHECK_BC("bdnz ctr2", 16, 0, 0, 2, 1, 1);
	CHECK_BC("bdnz ctr1", 16, 0, 0xffffffff, 1, 0, 0);
	CHECK_BC("bdnz ctr0 wraps", 16, 0, 0, 0, 1, 0xffffffff);
	CHECK_BC("bdnz+y ctr2", 17, 0, 0, 2, 1, 1);
	CHECK_BC("bdz ctr1", 18, 0, 0, 1, 1, 0);
	CHECK_BC("bdz ctr2", 18, 0, 0xffffffff, 2, 0, 1);
	CHECK_BC("bdz ctr0 wraps", 18, 0, 0, 0, 0, 0xffffffff);
	CHECK_BC("bdz+y ctr1", 19, 0, 0, 1, 1, 0);
	CHECK_BC("always cond0", 20, 2, 0, 5, 1, 5);
	CHECK_BC("always cond1", 20, 2, EQ0, 0, 1, 0);
}

static void test_link(void)
{
	uint32_t lr, next, t;

	__asm__ __volatile__("bcl 20, 31, 1f\n1:\tmflr %0\n\t"
			     "lis %1, 1b@ha\n\taddi %1, %1, 1b@l"
			     : "=r"(lr), "=b"(next) : : "lr");
	report_eq(lr, next, "bcl taken sets lr");
	__asm__ __volatile__("crset 2\n\tbcl 4, 2, 2f\n1:\tmflr %0\n\t"
			     "lis %1, 1b@ha\n\taddi %1, %1, 1b@l\n2:"
			     : "=r"(lr), "=b"(next) : : "lr", "cr0");
	report_eq(lr, next, "bcl not taken sets lr");
	__asm__ __volatile__("li %2, 0\n\tbl 1f\n2:\tli %2, 9\n1:\tmflr %0\n\t"
			     "lis %1, 2b@ha\n\taddi %1, %1, 2b@l"
			     : "=r"(lr), "=b"(next), "=&r"(t) : : "lr");
	report(lr == next && t == 0, "bl");

	/* bclr: target from LR, its low two bits ignored */
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tori %0, %0, 3\n\tmtlr %0\n\t"
			     "li %0, 0\n\tblr\n\tli %0, 2\n1:\tori %0, %0, 1"
			     : "=&b"(t) : : "lr");
	report_eq(t, 1, "blr ignores lr low bits");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtlr %0\n\t"
			     "blrl\n2:\tb 3f\n1:\tmflr %0\n\tlis %1, 2b@ha\n\taddi %1, %1, 2b@l\n3:"
			     : "=&b"(lr), "=&b"(next) : : "lr");
	report_eq(lr, next, "blrl target from old lr, new lr = next");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtlr %0\n\tli %0, 1\n\t"
			     "mtctr %0\n\tli %0, 0\n\tbdnzlr\n\tli %0, 5\n1:\tmfctr %1"
			     : "=&b"(t), "=r"(next) : : "lr", "ctr");
	report(t == 5 && next == 0, "bdnzlr ctr1 not taken");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtlr %0\n\tcrclr 2\n\t"
			     "li %0, 0\n\tbeqlr\n\tli %0, 5\n1:"
			     : "=&b"(t) : : "lr", "cr0");
	report_eq(t, 5, "beqlr not taken");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtlr %0\n\tcrset 2\n\t"
			     "li %0, 0\n\tbeqlr\n\tli %0, 5\n1:"
			     : "=&b"(t) : : "lr", "cr0");
	report_eq(t, 0, "beqlr taken");

	/* bcctr: target from CTR (low bits ignored), CTR itself unchanged */
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tori %0, %0, 2\n\tmtctr %0\n\t"
			     "li %0, 0\n\tbctr\n\tli %0, 2\n1:\tmfctr %1"
			     : "=&b"(t), "=r"(next) : : "ctr");
	report(t == 0 && (next & 3) == 2, "bctr ignores ctr low bits, keeps ctr");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtctr %0\n\t"
			     "bctrl\n2:\tb 3f\n1:\tmflr %0\n\tlis %1, 2b@ha\n\taddi %1, %1, 2b@l\n3:"
			     : "=&b"(lr), "=&b"(next) : : "lr", "ctr");
	report_eq(lr, next, "bctrl sets lr");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtctr %0\n\tcrclr 2\n\t"
			     "li %0, 0\n\tbeqctr\n\tli %0, 5\n1:"
			     : "=&b"(t) : : "ctr", "cr0");
	report_eq(t, 5, "beqctr not taken");
	__asm__ __volatile__("lis %0, 1f@ha\n\taddi %0, %0, 1f@l\n\tmtctr %0\n\tcrclr 2\n\t"
			     "li %0, 0\n\tbnectrl\n2:\tli %0, 5\n1:\tmflr %0"
			     : "=&b"(t) : : "ctr", "cr0", "lr");
	__asm__ __volatile__("lis %0, 2b@ha\n\taddi %0, %0, 2b@l" : "=b"(next));
	report_eq(t, next, "bnectrl taken sets lr");
}

/* Absolute branches.  abs_target is in the image (below 32 MiB, so reachable by ba/bla). */
__asm__(".pushsection .text\n"
	"abs_target:\n\tli 3, 0x55\n\tblr\n"
	"abs_jump:\n\tli 3, 0x66\n\tb abs_back\n"
	".popsection");

#define LOW_STUB	0x2000		/* below 32 KiB: reachable by bca/bcla */

static void test_absolute(void)
{
	volatile uint32_t *stub = (volatile uint32_t *)LOW_STUB;
	uint32_t r;

	__asm__ __volatile__("li 3, 0\n\tbla abs_target\n\tmr %0, 3" : "=r"(r) : : "r3", "lr");
	report_eq(r, 0x55, "bla");
	__asm__ __volatile__("li 3, 0\n\tba abs_jump\n\tli 3, 1\nabs_back:\n\tmr %0, 3"
			     : "=r"(r) : : "r3");
	report_eq(r, 0x66, "ba");

	stub[0] = 0x38600077;	/* li r3, 0x77 */
	stub[1] = 0x4e800020;	/* blr */
	__asm__ __volatile__("dcbst 0, %0\n\tsync\n\ticbi 0, %0\n\tsync\n\tisync"
			     : : "b"(LOW_STUB) : "memory");
	__asm__ __volatile__("li 3, 0\n\tbcla 20, 0, %1\n\tmr %0, 3"
			     : "=r"(r) : "i"(LOW_STUB) : "r3", "lr");
	report_eq(r, 0x77, "bcla always");
	__asm__ __volatile__("li 3, 0\n\tcrset 2\n\tbcla 12, 2, %1\n\tmr %0, 3"
			     : "=r"(r) : "i"(LOW_STUB) : "r3", "lr", "cr0");
	report_eq(r, 0x77, "bcla eq taken");
	__asm__ __volatile__("li 3, 0\n\tcrclr 2\n\tbcla 12, 2, %1\n\tmr %0, 3"
			     : "=r"(r) : "i"(LOW_STUB) : "r3", "lr", "cr0");
	report_eq(r, 0, "bcla eq not taken");
}

/* Traps: the handler records where and why, then skips the trap instruction. */
static volatile uint32_t traps, trap_srr0, trap_srr1, trap_esr;

static void trap_handler(struct ex_regs *regs)
{
	traps++;
	trap_srr0 = regs->srr0;
	trap_srr1 = regs->srr1;
	trap_esr = regs->esr;
	regs->srr0 += 4;
}

#define TRAP_ASM(insn, ops, ...) ({							\
	uint32_t pc_;									\
	__asm__ __volatile__("lis %[pc], 1f@ha\n\taddi %[pc], %[pc], 1f@l\n1:\t"	\
			     insn " " ops : [pc] "=&b"(pc_) : __VA_ARGS__ : "memory");	\
	pc_; })
#define TW(to, a, b)	TRAP_ASM("tw", #to ", %[ra], %[rb]", [ra] "r"(a), [rb] "r"(b))
#define TWI(to, a, i)	TRAP_ASM("twi", #to ", %[ra], " #i, [ra] "r"(a))

static void check_trap(const char *name, uint32_t before, uint32_t pc, bool expect)
{
	bool trapped = traps != before;
	bool ok = trapped == expect && (!expect || (trap_srr0 == pc && trap_esr == ESR_PTR));

	report(ok, "%s", name);
	if (!ok)
		printf("INFO: trapped=%d srr0=%08x esr=%08x, expected trapped=%d srr0=%08x esr=%08x\n",
		       trapped, trap_srr0, trap_esr, expect, pc, ESR_PTR);
}

#define CHECK_TW(name, to, a, b, expect) do {						\
	uint32_t n_ = traps, pc_ = TW(to, a, b);					\
	check_trap("tw " name, n_, pc_, expect);					\
} while (0)
#define CHECK_TWI(name, to, a, i, expect) do {						\
	uint32_t n_ = traps, pc_ = TWI(to, a, i);					\
	check_trap("twi " name, n_, pc_, expect);					\
} while (0)

static void test_traps(void)
{
	install_exception_handler(IVOR_PROGRAM, trap_handler);
	CHECK_TW("lt -1,1", 16, -1, 1, true);
	CHECK_TW("lt 1,-1", 16, 1, -1, false);
	CHECK_TW("gt 1,-1", 8, 1, -1, true);
	CHECK_TW("gt -1,1", 8, -1, 1, false);
	CHECK_TW("eq 5,5", 4, 5, 5, true);
	CHECK_TW("eq 5,6", 4, 5, 6, false);
	CHECK_TW("ltu 1,-1", 2, 1, -1, true);
	CHECK_TW("ltu -1,1", 2, -1, 1, false);
	CHECK_TW("gtu -1,1", 1, -1, 1, true);
	CHECK_TW("gtu 1,-1", 1, 1, -1, false);
	CHECK_TW("never", 0, 3, 3, false);
	CHECK_TW("always", 31, 1, 2, true);
	CHECK_TW("ne 5,5", 24, 5, 5, false);
	CHECK_TW("ne 5,6", 24, 5, 6, true);
	CHECK_TW("eq|ltu 3,3", 6, 3, 3, true);
	CHECK_TW("lt|gtu 2,1", 17, 2, 1, true);
	CHECK_TW("lt|gtu -1,1", 17, -1, 1, true);
	CHECK_TW("lt|gtu 1,-1", 17, 1, -1, false);
	CHECK_TWI("eq 5,5", 4, 5, 5, true);
	CHECK_TWI("lt -5,-4", 16, -5, -4, true);
	CHECK_TWI("gtu -1,-1", 1, -1, -1, false);
	CHECK_TWI("ltu 7fff,-1", 2, 0x7fff, -1, true);
	CHECK_TWI("gt 0,-32768", 8, 0, -32768, true);
	CHECK_TWI("gt -32769,-32768", 8, 0xffff7fff, -32768, false);

	/* SRR1 holds the MSR at the trap; a 440 puts the reason only in ESR, and rfi restores
	 * exactly that MSR. */
	/* QEMU-BUG: trap srr1 = msr: QEMU 7.2 also sets the classic reason bit 0x00020000 in SRR1
	 * (powerpc_excp_booke), which is MSR[CE] on BookE ... */
	/* QEMU-BUG: msr after rfi from trap: ... so its rfi then turns on MSR[CE] */
	mtmsr(0);
	TW(31, 0, 0);
	report_eq(trap_srr1, 0, "trap srr1 = msr");
	report_eq(mfmsr(), 0, "msr after rfi from trap");
	mtmsr(0);
	install_exception_handler(IVOR_PROGRAM, NULL);
}

int main(void)
{
	test_bc();
	test_link();
	test_absolute();
	test_traps();
	return 0;
}
