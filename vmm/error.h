/* SPDX-License-Identifier: MIT */
/* Error reporting for setup code: a fallible function returns a negative errno and, when its
 * caller passes a struct vmm_err, a one-line message saying what failed and why. Only main()
 * prints it ("softkvm: <msg>"), so the board, loader and devices never print and exit.
 */
#ifndef VMM_ERROR_H
#define VMM_ERROR_H

#define VMM_MUST_CHECK __attribute__((warn_unused_result))

struct vmm_err {
	char msg[256];
};

/* Formats the message into err (if not NULL) and returns errnum, a negative errno, so that
 * `return vmm_err_set(err, -ENOEXEC, "%s: not an ELF file", path);` reads naturally. */
int vmm_err_set(struct vmm_err *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
