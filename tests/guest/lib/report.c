// SPDX-License-Identifier: MIT
/* PASS/FAIL/SKIP lines, the prefix stack and the final summary. */
#include "libc.h"
#include "ppc440.h"
#include "report.h"

#define PREFIX_MAX	128

static unsigned int passed, failed, skipped;
static char prefix[PREFIX_MAX];
static size_t prefix_len[8];
static int prefix_depth;

void report_prefix_push(const char *p)
{
	size_t len = strlen(prefix);

	if (prefix_depth < (int)ARRAY_SIZE(prefix_len))
		prefix_len[prefix_depth] = len;
	prefix_depth++;
	snprintf(prefix + len, sizeof(prefix) - len, "%s: ", p);
}

void report_prefix_pop(void)
{
	if (prefix_depth == 0)
		return;
	prefix_depth--;
	if (prefix_depth < (int)ARRAY_SIZE(prefix_len))
		prefix[prefix_len[prefix_depth]] = '\0';
}

static void line(const char *kind, const char *fmt, va_list ap)
{
	printf("%s: %s", kind, prefix);
	vprintf(fmt, ap);
	putchar('\n');
}

bool report(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(pass ? "PASS" : "FAIL", fmt, ap);
	va_end(ap);
	if (pass)
		passed++;
	else
		failed++;
	return pass;
}

static bool report_eq_va(bool pass, uint64_t got, uint64_t expected, int digits,
			 const char *fmt, va_list ap)
{
	va_list ap2;

	va_copy(ap2, ap);
	line(pass ? "PASS" : "FAIL", fmt, ap);
	if (pass) {
		passed++;
	} else {
		failed++;
		printf("INFO: %s", prefix);
		vprintf(fmt, ap2);
		printf(": got 0x%0*llx expected 0x%0*llx\n", digits, got, digits, expected);
	}
	va_end(ap2);
	return pass;
}

bool report_eq(uint32_t got, uint32_t expected, const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = report_eq_va(got == expected, got, expected, 8, fmt, ap);
	va_end(ap);
	return r;
}

bool report_eq64(uint64_t got, uint64_t expected, const char *fmt, ...)
{
	va_list ap;
	bool r;

	va_start(ap, fmt);
	r = report_eq_va(got == expected, got, expected, 16, fmt, ap);
	va_end(ap);
	return r;
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("SKIP", fmt, ap);
	va_end(ap);
	skipped++;
}

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("INFO", fmt, ap);
	va_end(ap);
}

void report_fail_raw(void)
{
	failed++;
}

void report_summary(void)
{
	printf("SUMMARY: %s: %u passed, %u failed, %u skipped\n",
	       test_program_name, passed, failed, skipped);
	machine_reset();
}
