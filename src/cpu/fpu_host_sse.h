/* SPDX-License-Identifier: MIT */
/* fpu_host.h on x86-64: the SSE unit, its MXCSR loaded with the guest's rounding mode,
 * every exception masked and FTZ/DAZ off (denormals exact), and afterwards set back to the
 * x86-64 ABI's initial value 0x1f80 (nearest, masked, no FTZ/DAZ): host code never runs
 * with guest settings, but a host thread that wants another MXCSR must set it again after
 * cpu_run. Only fpu_host.h includes this. */

/* MXCSR's flags are FH_*'s bits. Control words: every exception masked, DAZ and FTZ off. */
#define FH_MXCSR_MASKED 0x1f80u
/* Indexed by FPSCR[RN], then the host's. ldmxcsr reads these in place (measured on AMD
 * Zen: an ldmxcsr of a value just stored on the stack made fadd up to 4x slower). */
static const uint32_t fh_mxcsr[5] = {
	FH_MXCSR_MASKED,	   /* nearest */
	FH_MXCSR_MASKED | 0x6000u, /* toward zero */
	FH_MXCSR_MASKED | 0x4000u, /* toward +inf */
	FH_MXCSR_MASKED | 0x2000u, /* toward -inf */
	FH_MXCSR_MASKED,	   /* host */
};

/* Loading MXCSR also clears its flags; reading it (stmxcsr) is the costly part, so the FPU
 * reads it once per instruction. The volatile asm statements keep their order, and the
 * empty ones of FH_FRESH tie values to registers the compiler cannot see through. */
static inline __attribute__((always_inline)) void fh_round(unsigned rn)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(fh_mxcsr[rn]));
}

static inline __attribute__((always_inline)) void fh_host(void)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(fh_mxcsr[4]));
}

static inline __attribute__((always_inline)) unsigned fh_flags(void)
{
	uint32_t v;
	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v & 0x3f;
}

#define FH_FRESH(x) __asm__ volatile("" : "+x"(x))

static inline __attribute__((always_inline)) double fh_sqrt(double x)
{
	double r;
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
	return r;
}

static inline __attribute__((always_inline)) double fh_single(double d)
{
	FH_FRESH(d);
	float s = (float)d;
	FH_FRESH(s);
	return (double)s;
}

/* cvtsd2si answers 0x80000000 with IE for NaN and out-of-range values. */
static inline __attribute__((always_inline)) int32_t fh_int32(double d, bool truncate,
							      unsigned *fl)
{
	int32_t i;

	FH_FRESH(d);
	if (truncate)
		__asm__ volatile("cvttsd2si %1, %0" : "=r"(i) : "x"(d));
	else
		__asm__ volatile("cvtsd2si %1, %0" : "=r"(i) : "x"(d));
	*fl = fh_flags();
	return i;
}
