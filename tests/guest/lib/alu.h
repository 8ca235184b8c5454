/* SPDX-License-Identifier: MIT */
/* Helpers for register-to-register instruction tests: run one instruction with a known XER and
 * a canary in CR0, and capture its result, XER and CR. */
#ifndef GUEST_ALU_H
#define GUEST_ALU_H

#include "guest.h"

#define ALU_CANARY	0xa	/* LT|EQ in CR0 before each instruction: no compare yields that */

struct alu_res {
	uint32_t d, xer, cr;
};

typedef void (*alu_fn)(uint32_t a, uint32_t b, uint32_t xin, struct alu_res *r);

/* One asm statement: "text" may use %[d] (result; also an input: it starts as in_d),
 * %[a], %[b] (base-register capable: "b" constraint, never r0).  XER = in_xer before. */
#define ALU_ASM(text, in_d, in_a, in_b, in_xer, out)				\
	__asm__ __volatile__("mtxer %[x]\n\tmtcrf 0x80, %[c]\n\t" text "\n\t"	\
			     "mfxer %[xo]\n\tmfcr %[cr]"				\
			     : [d] "=&r"((out).d), [xo] "=&r"((out).xer),		\
			       [cr] "=&r"((out).cr)					\
			     : [a] "b"(in_a), [b] "b"(in_b), [x] "r"(in_xer),		\
			       [c] "r"(ALU_CANARY << 28), "[d]"(in_d)			\
			     : "cr0", "xer")

/* A function of type alu_fn that runs "text" (in_d = 0). */
#define ALU_FN(fname, text)							\
static void fname(uint32_t a, uint32_t b, uint32_t xin, struct alu_res *r)	\
{										\
	ALU_ASM(text, 0, a, b, xin, *r);					\
}

/* CR0 of a record form: LT/GT/EQ from the 32-bit result, SO from XER[SO]. */
static inline uint32_t alu_cr0(uint32_t d, uint32_t xer)
{
	uint32_t c = (int32_t)d < 0 ? CR_LT : (int32_t)d > 0 ? CR_GT : CR_EQ;

	return c | (xer & XER_SO ? CR_SO : 0);
}

/* report() that result, XER and CR0 (bits in cr0_mask) are as expected. */
static inline bool alu_check(const char *name, struct alu_res r, uint32_t d, uint32_t xer,
			     uint32_t cr0)
{
	bool ok = r.d == d && r.xer == xer && CR_FIELD(r.cr, 0) == cr0;

	report(ok, "%s", name);
	if (!ok)
		printf("INFO: got d=%08x xer=%08x cr0=%x, expected d=%08x xer=%08x cr0=%x\n",
		       r.d, r.xer, CR_FIELD(r.cr, 0), d, xer, cr0);
	return ok;
}

#endif
