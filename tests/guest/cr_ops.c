// SPDX-License-Identifier: MIT
/* Compares, condition-register logic and moves between CR, XER and GPRs.
 * Every check sets the whole CR to a known pattern first and compares the whole CR after:
 * an instruction must change exactly the field or bit it names. */
#include "guest.h"

#define CLOBBER_CR	"cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"

/* The CR pattern 'before' with field f replaced by v. */
static uint32_t with_field(uint32_t before, int f, uint32_t v)
{
	int sh = 28 - 4 * f;

	return (before & ~(0xfu << sh)) | (v << sh);
}

/* Compare a with b into field f, XER = xin; returns the CR after (CR before = crin). */
#define CMP(insn, f, a, b, xin, crin) ({						\
	uint32_t cr_;									\
	__asm__ __volatile__("mtxer %[x]\n\tmtcr %[ci]\n\t" insn " " #f ", %[ra], %[rb]\n\t" \
			     "mfcr %[co]"						\
			     : [co] "=r"(cr_)						\
			     : [ra] "r"(a), [rb] "r"(b), [x] "r"(xin), [ci] "r"(crin)	\
			     : CLOBBER_CR, "xer");					\
	cr_; })
#define CMPI(insn, f, a, imm, xin, crin) ({						\
	uint32_t cr_;									\
	__asm__ __volatile__("mtxer %[x]\n\tmtcr %[ci]\n\t" insn " " #f ", %[ra], " #imm "\n\t" \
			     "mfcr %[co]"						\
			     : [co] "=r"(cr_)						\
			     : [ra] "r"(a), [x] "r"(xin), [ci] "r"(crin)		\
			     : CLOBBER_CR, "xer");					\
	cr_; })

static void test_compares(void)
{
	const uint32_t cr = 0x12345678;

	report_prefix_push("cmpw");
	report_eq(CMP("cmpw", 0, 1, 2, 0, cr), with_field(cr, 0, CR_LT), "1<2 cr0");
	report_eq(CMP("cmpw", 3, 0xffffffff, 1, 0, cr), with_field(cr, 3, CR_LT), "-1<1 cr3");
	report_eq(CMP("cmpw", 7, 0x7fffffff, 0x80000000, 0, cr), with_field(cr, 7, CR_GT),
		  "max>min cr7");
	report_eq(CMP("cmpw", 5, 5, 5, XER_SO, cr), with_field(cr, 5, CR_EQ | CR_SO), "eq so cr5");
	report_eq(CMP("cmpw", 1, 0x80000000, 0x7fffffff, XER_OV | XER_CA, 0),
		  with_field(0, 1, CR_LT), "ov/ca not copied");
	report_prefix_pop();

	report_prefix_push("cmplw");
	report_eq(CMP("cmplw", 0, 0xffffffff, 1, 0, cr), with_field(cr, 0, CR_GT), "ffffffff>1");
	report_eq(CMP("cmplw", 2, 0x7fffffff, 0x80000000, 0, cr), with_field(cr, 2, CR_LT),
		  "7fffffff<80000000");
	report_eq(CMP("cmplw", 6, 0, 0, XER_SO, cr), with_field(cr, 6, CR_EQ | CR_SO), "eq so");
	report_prefix_pop();

	report_prefix_push("cmpwi");
	report_eq(CMPI("cmpwi", 0, 0xffffffff, -1, 0, cr), with_field(cr, 0, CR_EQ), "-1==-1");
	report_eq(CMPI("cmpwi", 4, 0xffff8000, -32768, XER_SO, cr),
		  with_field(cr, 4, CR_EQ | CR_SO), "sign-extended imm so");
	report_eq(CMPI("cmpwi", 1, 0x8000, 0x7fff, 0, cr), with_field(cr, 1, CR_GT), "8000>7fff");
	report_eq(CMPI("cmpwi", 2, 0x80000000, 0, 0, cr), with_field(cr, 2, CR_LT), "min<0");
	report_prefix_pop();

	report_prefix_push("cmplwi");
	report_eq(CMPI("cmplwi", 0, 0x0000ffff, 0xffff, 0, cr), with_field(cr, 0, CR_EQ),
		  "imm zero-extended");
	report_eq(CMPI("cmplwi", 3, 0xffffffff, 0xffff, 0, cr), with_field(cr, 3, CR_GT),
		  "ffffffff>ffff");
	report_eq(CMPI("cmplwi", 7, 0, 1, XER_SO, cr), with_field(cr, 7, CR_LT | CR_SO), "0<1 so");
	report_prefix_pop();
}

/* CR logical op on bits (bt, ba, bb) with CR = crin before; returns the CR after. */
#define CROP(insn, bt, ba, bb, crin) ({							\
	uint32_t cr_;									\
	__asm__ __volatile__("mtcr %[ci]\n\t" insn " " #bt ", " #ba ", " #bb "\n\tmfcr %[co]" \
			     : [co] "=r"(cr_) : [ci] "r"(crin) : CLOBBER_CR);		\
	cr_; })

#define BIT(n)	(0x80000000u >> (n))

/* Bits 0..7 of CR_IN are 0011 0101: (0,4) = 00, (0,5) = 01, (2,4) = 10, (2,5) = 11.
 * The target bit 20 starts as the opposite of the expected result. */
#define CR_IN	0x35000000u

#define CR_TRUTH(insn, truth) do {							\
	const char *t_ = (truth);							\
	uint32_t e_, pre_;								\
	e_ = t_[0] == '1' ? BIT(20) : 0; pre_ = CR_IN | (BIT(20) & ~e_);		\
	report_eq(CROP(insn, 20, 0, 4, pre_), CR_IN | e_, insn " 0,0");		\
	e_ = t_[1] == '1' ? BIT(20) : 0; pre_ = CR_IN | (BIT(20) & ~e_);		\
	report_eq(CROP(insn, 20, 0, 5, pre_), CR_IN | e_, insn " 0,1");		\
	e_ = t_[2] == '1' ? BIT(20) : 0; pre_ = CR_IN | (BIT(20) & ~e_);		\
	report_eq(CROP(insn, 20, 2, 4, pre_), CR_IN | e_, insn " 1,0");		\
	e_ = t_[3] == '1' ? BIT(20) : 0; pre_ = CR_IN | (BIT(20) & ~e_);		\
	report_eq(CROP(insn, 20, 2, 5, pre_), CR_IN | e_, insn " 1,1");		\
} while (0)

static void test_cr_logic(void)
{
	/* results for (a,b) = 00, 01, 10, 11 */
	CR_TRUTH("crand", "0001");
	CR_TRUTH("cror", "0111");
	CR_TRUTH("crxor", "0110");
	CR_TRUTH("crnand", "1110");
	CR_TRUTH("crnor", "1000");
	CR_TRUTH("creqv", "1001");
	CR_TRUTH("crandc", "0010");
	CR_TRUTH("crorc", "1011");
	/* target = source: the result replaces an operand */
	report_eq(CROP("crnor", 2, 2, 2, CR_IN), CR_IN & ~BIT(2), "crnot in place");
	report_eq(CROP("crxor", 31, 31, 31, 0xffffffff), 0xfffffffe, "crclr bit 31");
	report_eq(CROP("creqv", 0, 0, 0, 0), BIT(0), "crset bit 0");
	report_eq(CROP("cror", 31, 0, 31, 0x80000000), 0x80000001, "cror across fields");
}

static void test_cr_moves(void)
{
	uint32_t out, xo;

	__asm__ __volatile__("mtcr %1\n\tmcrf 5, 2\n\tmfcr %0" : "=r"(out) : "r"(0x12345678)
			     : CLOBBER_CR);
	report_eq(out, 0x12345378, "mcrf 5,2");
	__asm__ __volatile__("mtcr %1\n\tmcrf 0, 7\n\tmfcr %0" : "=r"(out) : "r"(0x12345678)
			     : CLOBBER_CR);
	report_eq(out, 0x82345678, "mcrf 0,7");
	__asm__ __volatile__("mtcr %1\n\tmcrf 4, 4\n\tmfcr %0" : "=r"(out) : "r"(0x12345678)
			     : CLOBBER_CR);
	report_eq(out, 0x12345678, "mcrf 4,4");

	__asm__ __volatile__("mtcr %1\n\tmtcrf 0x81, %2\n\tmfcr %0" : "=r"(out)
			     : "r"(0x12345678), "r"(0xabcdef9a) : CLOBBER_CR);
	report_eq(out, 0xa234567a, "mtcrf 0x81");
	__asm__ __volatile__("mtcr %1\n\tmtcrf 0x00, %2\n\tmfcr %0" : "=r"(out)
			     : "r"(0x12345678), "r"(0xabcdef9a) : CLOBBER_CR);
	report_eq(out, 0x12345678, "mtcrf 0x00");
	__asm__ __volatile__("mtcr %1\n\tmtcrf 0x3c, %2\n\tmfcr %0" : "=r"(out)
			     : "r"(0x12345678), "r"(0xabcdef9a) : CLOBBER_CR);
	report_eq(out, 0x12cdef78, "mtcrf 0x3c");
	__asm__ __volatile__("mtcr %1\n\tmfcr %0" : "=r"(out) : "r"(0xfedcba98) : CLOBBER_CR);
	report_eq(out, 0xfedcba98, "mtcr/mfcr");

	__asm__ __volatile__("mtxer %2\n\tmtcr %3\n\tmcrxr 3\n\tmfcr %0\n\tmfxer %1"
			     : "=r"(out), "=r"(xo) : "r"(XER_SO | XER_CA | 0x15), "r"(0)
			     : CLOBBER_CR, "xer");
	report_eq(out, 0x000a0000, "mcrxr cr3 field");
	report_eq(xo & 0xe000007f, 0x15, "mcrxr clears so/ov/ca");
	__asm__ __volatile__("mtxer %2\n\tmtcr %3\n\tmcrxr 0\n\tmfcr %0\n\tmfxer %1"
			     : "=r"(out), "=r"(xo) : "r"(XER_OV), "r"(0xffffffff)
			     : CLOBBER_CR, "xer");
	report_eq(out, 0x4fffffff, "mcrxr cr0 ov");
	report_eq(xo & 0xe000007f, 0, "mcrxr cleared ov");
}

static void test_xer(void)
{
	uint32_t v;

	/* Implemented XER bits of the 440: SO, OV, CA and the byte count (25..31); the others
	 * are reserved and not checked. */
	mtxer(0xe000007f);
	v = mfxer();
	report_eq(v & 0xe000007f, 0xe000007f, "mtxer/mfxer all implemented bits");
	mtxer(0x40000005);
	v = mfxer();
	report_eq(v & 0xe000007f, 0x40000005, "mtxer/mfxer ov, count 5");
	__asm__ __volatile__("mtxer %1\n\tmfspr %0, 1" : "=r"(v) : "r"(0xa0000011) : "xer");
	report_eq(v & 0xe000007f, 0xa0000011, "mfspr 1 is xer");
	__asm__ __volatile__("mtspr 1, %1\n\tmfxer %0" : "=r"(v) : "r"(0x20000000) : "xer");
	report_eq(v & 0xe000007f, 0x20000000, "mtspr 1 is xer");
	mtxer(0);
}

int main(void)
{
	test_compares();
	test_cr_logic();
	test_cr_moves();
	test_xer();
	return 0;
}
