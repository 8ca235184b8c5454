// SPDX-License-Identifier: MIT
/* Self-modifying code at scale: a routine rewritten before every call must run its newest
 * instructions each time. Every rewrite invalidates decoded instructions, so this also
 * checks that re-decoding costs no host resources that pile up (300,000 rewrites). */
#include "guest.h"

#define STUB 0x3000 /* a page of its own, below the image */
#define ROUNDS 300000u

static uint32_t call_stub(void)
{
	uint32_t r;
	__asm__ __volatile__("li 3, 0\n\tbcla 20, 0, %1\n\tmr %0, 3"
			     : "=r"(r) : "i"(STUB) : "r3", "lr", "ctr", "memory");
	return r;
}

static void write_stub(uint32_t imm)
{
	volatile uint32_t *stub = (volatile uint32_t *)STUB;
	stub[0] = 0x38600000u | (imm & 0x7fff); /* li r3, imm */
	stub[1] = 0x4e800020u;			 /* blr */
	__asm__ __volatile__("dcbst 0, %0\n\tsync\n\ticbi 0, %0\n\tsync\n\tisync"
			     : : "b"(STUB) : "memory");
}

int main(void)
{
	uint32_t wrong = 0, first_wrong = 0;
	for (uint32_t i = 0; i < ROUNDS; i++) {
		uint32_t want = (i * 7919u) & 0x7fff;
		write_stub(want);
		uint32_t got = call_stub();
		if (got != want && wrong++ == 0)
			first_wrong = i;
	}
	report(wrong == 0, "rewritten routine runs its newest code %u times (first wrong: %u)",
	       ROUNDS, first_wrong);

	/* the same routine rewritten within one page while code there keeps running */
	write_stub(0x1234);
	report_eq(call_stub(), 0x1234, "last rewrite wins");
	return 0;
}
