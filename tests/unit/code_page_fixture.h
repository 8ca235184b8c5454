/* Hand-made code pages for unit tests that call instruction handlers directly.
 *
 * With threaded dispatch (exec.h) a handler does not return the next instruction: it
 * jumps into it. Filling every slot of a test page with test_stop_here makes that jump
 * return the slot it reached, so a test can call one handler and compare where it went. */
#ifndef SOFTKVM_TEST_CODE_PAGE_FIXTURE_H
#define SOFTKVM_TEST_CODE_PAGE_FIXTURE_H

#include "cpu/cpu.h"

static inline const struct cpu_dinsn *test_stop_here(struct cpu *c, const struct cpu_dinsn *d)
{
	(void)c;
	return d;
}

static inline void test_code_page_fill(struct cpu_code_page *page)
{
	for (unsigned i = 0; i <= CPU_CODE_PAGE_INSNS; i++)
		page->insns[i].fn = test_stop_here;
}

#endif
