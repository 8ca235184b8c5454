/* SPDX-License-Identifier: MIT */
/* kvm-unit-tests style results.  Each check prints one line:
 *   PASS: <prefix>: <name>      FAIL: <prefix>: <name>      SKIP: <prefix>: <name>
 * and report_summary() prints "SUMMARY: <test>: N passed, N failed, N skipped" and resets the
 * machine (the run ends).  Names must be unique within a test program and must not contain
 * measured values (scripts compare runs by name); details go on "INFO:" lines. */
#ifndef GUEST_REPORT_H
#define GUEST_REPORT_H

#include <stdbool.h>
#include <stdint.h>

bool report(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* report() of got == expected; on failure also prints "INFO: <name>: got 0x.. expected 0x..". */
bool report_eq(uint32_t got, uint32_t expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool report_eq64(uint64_t got, uint64_t expected, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void report_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* "INFO: ..." */
void report_prefix_push(const char *prefix);
void report_prefix_pop(void);
void report_summary(void) __attribute__((noreturn));
/* Count one failure whose line the caller already printed (exception dispatcher). */
void report_fail_raw(void);

/* Name of the running test program (file basename), set by the Makefile. */
extern const char test_program_name[];

#endif
