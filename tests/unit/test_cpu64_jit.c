// SPDX-License-Identifier: MIT
/* Compiled runs of the 64-bit core against its interpreter (jit_differential.h): in 64-bit
 * mode of both byte orders and in 32-bit mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bare_machine.h"

/* little-endian first: the budget and single-step tests run in it */
static const uint64_t jit_modes[] = {
    BARE_MSR_USER | BARE_MSR_SF | BARE_MSR_LE,
    BARE_MSR_USER | BARE_MSR_SF,
    BARE_MSR_USER, /* 32-bit mode */
};

#include "jit_differential.h"

int main(void)
{
	const struct CMUnitTest tests[] = {JIT_DIFFERENTIAL_TESTS};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
