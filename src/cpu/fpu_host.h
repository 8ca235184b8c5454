/* SPDX-License-Identifier: MIT */
/* The host's floating point, as the FPU (fpu_arith.c) uses it: the one seam between the
 * PowerPC FPU's semantics and the host it runs on.
 *
 *   fh_round(rn)      compute in rounding mode rn (FPSCR[RN] order) from now on, with the
 *                     exception flags cleared
 *   fh_host()         back to what host code runs with (round to nearest)
 *   fh_flags()        the FH_* flags raised since fh_round
 *   FH_FRESH(x)       x is a value the compiler must compute again after a mode change
 *                     and may not merge with another rounding of the same operation
 *   fh_sqrt(x)        square root, rounded in the current mode
 *   fh_single(x)      x rounded to single precision in the current mode
 *   fh_int32(x, trunc, fl)  x converted to a 32-bit integer, rounded in the current mode
 *                     or truncated; *fl: FH_INVALID for NaN or out of range (the result
 *                     is then INT32_MIN), FH_INEXACT
 *
 * Two implementations, chosen at build time: x86-64's SSE unit driven directly (MXCSR;
 * fpu_host_sse.h), and portable C through <fenv.h> (fpu_host_c.h), which every other host
 * gets and `make FPU=portable` selects on x86-64 too (the suite runs both). Either is IEEE
 * 754 in double precision with every exception masked and denormals kept exact.
 */
#ifndef SOFTKVM_FPU_HOST_H
#define SOFTKVM_FPU_HOST_H

#include <stdbool.h>
#include <stdint.h>

#define FH_INVALID 0x01u
#define FH_DIVBYZERO 0x04u
#define FH_OVERFLOW 0x08u
#define FH_UNDERFLOW 0x10u
#define FH_INEXACT 0x20u

#if defined(__x86_64__) && !defined(SOFTKVM_FPU_PORTABLE)
#include "fpu_host_sse.h"
#else
#include "fpu_host_c.h"
#endif

#endif
