// SPDX-License-Identifier: MIT
/* Checks the test framework itself: formatting, the report helpers, handler installation,
 * and that an exception round trip preserves (and lets a handler change) the interrupted
 * context. */
#include "guest.h"

static int traps;

static void trap_handler(struct ex_regs *regs)
{
	traps++;
	regs->gpr[4] = regs->esr;
	regs->gpr[5] = regs->gpr[5] + 1;	/* a handler may change the interrupted context */
	regs->srr0 += 4;
}

struct roundtrip {
	uint32_t esr, r5, r30, cr;
};

static struct roundtrip trap_roundtrip(void)
{
	/* A register variable is only r5 inside the asm: set it just before, copy it after. */
	register uint32_t r5 __asm__("r5") = 41;
	struct roundtrip t;

	__asm__ __volatile__("li 4, 0\n\t"
			     "li 30, 0x1234\n\t"
			     "crset 2\n\t"		/* CR0[EQ] must survive the exception */
			     "tw 31, 0, 0\n\t"
			     "mr %0, 4\n\t"
			     "mr %2, 30\n\t"
			     "mfcr %1"
			     : "=&r"(t.esr), "=&r"(t.cr), "=&r"(t.r30), "+r"(r5)
			     : : "r4", "r30", "cr0");
	t.r5 = r5;
	return t;
}

int main(void)
{
	struct roundtrip t;
	char buf[64];

	snprintf(buf, sizeof(buf), "%d %u %x %08x %s %c %5d|%-3x|%*u", -42, 42u, 0xbeefu, 0x12u,
		 "str", 'c', 7, 0xa, 3, 9u);
	report(!strcmp(buf, "-42 42 beef 00000012 str c     7|a  |  9"), "printf formats");
	snprintf(buf, sizeof(buf), "%llx %lld %X %o", 0x123456789abcdefull, -5ll, 0xabcu, 8u);
	report(!strcmp(buf, "123456789abcdef -5 ABC 10"), "printf long long, X, o");
	report_eq(snprintf(buf, 4, "abcdef"), 6, "snprintf truncation length");
	report(!strcmp(buf, "abc"), "snprintf truncation text");

	install_exception_handler(IVOR_PROGRAM, trap_handler);
	t = trap_roundtrip();
	install_exception_handler(IVOR_PROGRAM, NULL);
	mtmsr(0);	/* QEMU's rfi may have set MSR[CE] (see branch.c) */
	report_eq(traps, 1, "trap handler ran once");
	report_eq(t.esr, ESR_PTR, "handler saw ESR[PTR]");
	report_eq(t.r30, 0x1234, "gpr preserved across exception");
	report_eq(t.r5, 42, "handler changed a gpr");
	report_eq(CR_FIELD(t.cr, 0) & CR_EQ, CR_EQ, "cr preserved across exception");
	return 0;
}
