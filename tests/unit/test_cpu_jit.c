// SPDX-License-Identifier: MIT
/* Compiled runs of the 440 core against its interpreter (jit_differential.h): on
 * big-endian pages, and on little-endian ones (the E attribute), whose instructions runs
 * decode little-endian and whose data accesses, slow-tagged, always leave compiled code
 * for the handlers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bare_machine.h"

static const uint64_t jit_modes[] = {
    BARE_MSR_USER,
    BARE_MSR_USER | BARE_MSR_LE, /* the pages little-endian */
};

#include "jit_differential.h"

int main(void)
{
	const struct CMUnitTest tests[] = {JIT_DIFFERENTIAL_TESTS};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
