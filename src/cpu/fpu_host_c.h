/* SPDX-License-Identifier: MIT */
/* fpu_host.h in portable C: <fenv.h> for the rounding mode and the exception flags, the
 * C operators and libm for the arithmetic (IEEE 754 on every host softkvm targets: with
 * FENV_ACCESS they round in the current mode and raise the flags). Values pass through a
 * volatile object where the compiler must not reuse or move them across a mode change.
 * Slower than fpu_host_sse.h: each instruction reads the flags through the C library.
 * Only fpu_host.h includes this. */
#include <fenv.h>
#include <math.h>

#ifdef __clang__
#pragma STDC FENV_ACCESS ON
#endif

static const int fh_mode[5] = {FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD,
			       FE_TONEAREST};

static inline void fh_round(unsigned rn)
{
	fesetround(fh_mode[rn]);
	feclearexcept(FE_ALL_EXCEPT);
}

static inline void fh_host(void)
{
	fesetround(FE_TONEAREST);
}

static inline unsigned fh_flags(void)
{
	int e = fetestexcept(FE_ALL_EXCEPT);

	return (e & FE_INVALID ? FH_INVALID : 0) | (e & FE_DIVBYZERO ? FH_DIVBYZERO : 0) |
	       (e & FE_OVERFLOW ? FH_OVERFLOW : 0) | (e & FE_UNDERFLOW ? FH_UNDERFLOW : 0) |
	       (e & FE_INEXACT ? FH_INEXACT : 0);
}

#define FH_FRESH(x)                                                                        \
	do {                                                                               \
		volatile __typeof__(x) fh_v_ = (x);                                        \
		(x) = fh_v_;                                                               \
	} while (0)

static inline double fh_sqrt(double x)
{
	return sqrt(x);
}

static inline double fh_single(double d)
{
	FH_FRESH(d);
	float s = (float)d;
	FH_FRESH(s);
	return (double)s;
}

static inline int32_t fh_int32(double d, bool truncate, unsigned *fl)
{
	FH_FRESH(d);
	double r = truncate ? trunc(d) : rint(d);
	FH_FRESH(r);

	if (!(r >= -2147483648.0 && r <= 2147483647.0)) { /* NaN too */
		*fl = FH_INVALID;
		return INT32_MIN;
	}
	*fl = r != d ? FH_INEXACT : 0;
	return (int32_t)r;
}
