// SPDX-License-Identifier: MIT
/* Loads and stores to device memory, every width and form: what a hypervisor must get right
 * when it completes an MMIO access (the value into the right register, zero or sign extended,
 * byte-reversed or not, RA updated to the EA for update forms, FP single <-> double conversion,
 * 8-byte FP accesses, unaligned accesses).
 *
 * Two devices:
 *  - UART0's scratch register SCR (0xef600307, one byte): byte forms, on every platform.
 *  - softkvm's test device at 0xef700000: ID register at +0 reading 0x534b564d ('SKVM') and
 *    256 bytes of big-endian scratch at +0x100, accessible at any width and alignment.
 *    QEMU has no such device (its reads there return 0): the scratch checks then run against
 *    a RAM buffer instead, under the same names, so that QEMU validates what they expect and
 *    the two runs compare check by check.  An INFO line says which one was used.
 * Both through entry 1 of lib/sys.h's layout: 0xe0000000-0xefffffff, I=1 G=1.
 */
#include "sys.h"
#include "ldst_asm.h"

#define UART_SCR	0xef600307
#define TESTDEV		0xef700000
#define TESTDEV_ID	0x534b564d
#define TESTDEV_SCRATCH	(TESTDEV + 0x100)

static uint8_t ram_scratch[256] __attribute__((aligned(256)));
static uint32_t fp_in[4] __attribute__((aligned(8)));	/* FP values to load, as bits */
static uint32_t fp_out[4] __attribute__((aligned(8)));	/* FP registers stored back */

static void test_uart_scr(void)
{
	uint32_t a, v;

	report_prefix_push("uart scr");
	ST("stb", 0x5a, 0, UART_SCR);
	report_eq(LD("lbz", 0, UART_SCR), 0x5a, "stb/lbz");
	ST("stb", 0x1a5, 0, UART_SCR);
	report_eq(LD("lbz", 0, UART_SCR), 0xa5, "stb stores the low byte, lbz zero extends");
	STX("stbx", 0x3c, UART_SCR - 7, 7);
	report_eq(LDX("lbzx", UART_SCR - 3, 3), 0x3c, "stbx/lbzx");
	a = UART_SCR - 1;
	STU("stbu", 0x96, 1, a);
	report_eq(a, UART_SCR, "stbu updates ra");
	a = UART_SCR - 2;
	v = LDU("lbzu", 2, a);
	report_eq(v, 0x96, "lbzu value");
	report_eq(a, UART_SCR, "lbzu updates ra");
	a = UART_SCR + 5;
	STUX("stbux", 0x69, a, -5);
	report_eq(a, UART_SCR, "stbux updates ra");
	a = UART_SCR - 0x100;
	v = LDUX("lbzux", a, 0x100);
	report_eq(v, 0x69, "lbzux value");
	report_eq(a, UART_SCR, "lbzux updates ra");
	report_prefix_pop();
}

static void test_widths(uint32_t b)
{
	report_prefix_push("width");
	ST("stw", 0x11223344, 0, b);
	report_eq(LD("lwz", 0, b), 0x11223344, "stw/lwz");
	report_eq(LD("lbz", 0, b), 0x11, "big-endian byte 0");
	report_eq(LD("lbz", 3, b), 0x44, "big-endian byte 3");
	report_eq(LD("lhz", 2, b), 0x3344, "lhz of a word's low half");
	ST("sth", 0x18001, 8, b);
	report_eq(LD("lhz", 8, b), 0x8001, "sth stores the low half, lhz zero extends");
	report_eq(LD("lha", 8, b), 0xffff8001, "lha sign extends");
	ST("sth", 0x7ffe, 8, b);
	report_eq(LD("lha", 8, b), 0x7ffe, "lha positive");
	ST("stb", 0xfe, 16, b);
	report_eq(LD("lbz", 16, b), 0xfe, "stb/lbz");
	report_eq(LD("lwz", 16, b) >> 24, 0xfe, "stb touched one byte");
	ST("stw", 0, 16, b);
	ST("stb", 0x77, 17, b);
	report_eq(LD("lwz", 16, b), 0x00770000, "stb at +1 inside a word");
	report_prefix_pop();
}

static void test_reversed(uint32_t b)
{
	report_prefix_push("byte-reversed");
	STX("stwbrx", 0x11223344, b, 0x20);
	report_eq(LD("lwz", 0x20, b), 0x44332211, "stwbrx");
	report_eq(LDX("lwbrx", b, 0x20), 0x11223344, "lwbrx");
	STX("sthbrx", 0x1234, b, 0x28);
	report_eq(LD("lhz", 0x28, b), 0x3412, "sthbrx");
	report_eq(LDX("lhbrx", b, 0x28), 0x1234, "lhbrx");
	ST("sth", 0x0180, 0x2a, b);
	report_eq(LDX("lhbrx", b, 0x2a), 0x8001, "lhbrx zero extends");
	report_prefix_pop();
}

static void test_indexed_update(uint32_t b)
{
	uint32_t a, v;

	report_prefix_push("indexed");
	STX("stwx", 0xa1b2c3d4, b, 0x30);
	report_eq(LDX("lwzx", b, 0x30), 0xa1b2c3d4, "stwx/lwzx");
	STX("sthx", 0x9876, b, 0x34);
	report_eq(LDX("lhzx", b, 0x34), 0x9876, "sthx/lhzx");
	report_eq(LDX("lhax", b, 0x34), 0xffff9876, "lhax");
	STX("stbx", 0xc7, b, 0x36);
	report_eq(LDX("lbzx", b, 0x36), 0xc7, "stbx/lbzx");
	report_prefix_pop();

	report_prefix_push("update");
	ST("stw", 0, 0x3c, b);
	a = b;
	STU("stwu", 0x01020304, 0x38, a);
	report_eq(a, b + 0x38, "stwu ra");
	a = b + 0x40;
	STU("sthu", 0xf00d, -4, a);
	report_eq(a, b + 0x3c, "sthu ra");
	a = b + 0x3c;
	STU("stbu", 0xee, 2, a);
	report_eq(a, b + 0x3e, "stbu ra");
	report_eq(LD("lwz", 0x38, b), 0x01020304, "stwu value");
	report_eq(LD("lwz", 0x3c, b), 0xf00dee00, "sthu, stbu values");
	a = b;
	v = LDU("lwzu", 0x38, a);
	report(v == 0x01020304 && a == b + 0x38, "lwzu");
	a = b + 0x30;
	v = LDU("lhzu", 0xc, a);
	report(v == 0xf00d && a == b + 0x3c, "lhzu");
	a = b + 0x30;
	v = LDU("lhau", 0xc, a);
	report(v == 0xfffff00d && a == b + 0x3c, "lhau");
	a = b + 0x40;
	v = LDU("lbzu", -2, a);
	report(v == 0xee && a == b + 0x3e, "lbzu");
	a = b + 0x100;
	v = LDUX("lwzux", a, -0xc8);
	report(v == 0x01020304 && a == b + 0x38, "lwzux");
	a = b;
	v = LDUX("lhzux", a, 0x3c);
	report(v == 0xf00d && a == b + 0x3c, "lhzux");
	a = b;
	v = LDUX("lhaux", a, 0x3c);
	report(v == 0xfffff00d && a == b + 0x3c, "lhaux");
	a = b + 0x3e;
	v = LDUX("lbzux", a, 0);
	report(v == 0xee && a == b + 0x3e, "lbzux");
	a = b;
	STUX("stwux", 0x55667788, a, 0x44);
	report(LD("lwz", 0x44, b) == 0x55667788 && a == b + 0x44, "stwux");
	a = b + 0x50;
	STUX("sthux", 0x99aa, a, -8);
	report(LD("lhz", 0x48, b) == 0x99aa && a == b + 0x48, "sthux");
	a = b + 0x4a;
	STUX("stbux", 0xbb, a, 0);
	report(LD("lbz", 0x4a, b) == 0xbb && a == b + 0x4a, "stbux");
	report_prefix_pop();
}

static void test_unaligned(uint32_t b)
{
	report_prefix_push("unaligned");
	ST("stw", 0, 0x50, b);
	ST("stw", 0, 0x54, b);
	ST("sth", 0xabcd, 0x51, b);
	report_eq(LD("lwz", 0x50, b), 0x00abcd00, "sth at +1");
	report_eq(LD("lhz", 0x51, b), 0xabcd, "lhz at +1");
	report_eq(LD("lha", 0x51, b), 0xffffabcd, "lha at +1");
	ST("stw", 0x12345678, 0x53, b);
	report_eq(LD("lwz", 0x50, b), 0x00abcd12, "stw at +3: first word");
	report_eq(LD("lwz", 0x54, b), 0x34567800, "stw at +3: second word");
	report_eq(LD("lwz", 0x53, b), 0x12345678, "lwz at +3");
	report_eq(LD("lwz", 0x52, b), 0xcd123456, "lwz at +2");
	report_eq(LDX("lwbrx", b, 0x53), 0x78563412, "lwbrx at +3");
	report_prefix_pop();
}

/* FP loads and stores: registers f1-f3 are loaded from / stored to RAM (fp_in, fp_out) around
 * each device access, in one asm, with MSR[FP] set by the caller. */
static void test_fp(uint32_t b)
{
	report_prefix_push("fp");
	fp_in[0] = 0x3ff80000;	/* 1.5 */
	fp_in[1] = 0x00000001;	/* ... plus one ulp: 8 bytes that are all significant */
	__asm__ __volatile__("lfd 1, 0(%0)\n\tstfd 1, 0x60(%1)" : : "b"(fp_in), "b"(b)
			     : "fr1", "memory");
	report_eq(LD("lwz", 0x60, b), 0x3ff80000, "stfd high word");
	report_eq(LD("lwz", 0x64, b), 0x00000001, "stfd low word");
	ST("stw", 0x400921fb, 0x68, b);		/* pi as a double */
	ST("stw", 0x54442d18, 0x6c, b);
	__asm__ __volatile__("lfd 2, 0x68(%1)\n\tstfd 2, 0(%0)" : : "b"(fp_out), "b"(b)
			     : "fr2", "memory");
	report_eq64((uint64_t)fp_out[0] << 32 | fp_out[1], 0x400921fb54442d18ull, "lfd");
	__asm__ __volatile__("lfdx 2, %0, %1\n\tstfdx 2, %0, %2" : : "b"(b), "r"(0x60), "r"(0x70)
			     : "fr2", "memory");
	report_eq64((uint64_t)LD("lwz", 0x70, b) << 32 | LD("lwz", 0x74, b),
		    0x3ff8000000000001ull, "lfdx/stfdx");

	/* single precision: stfs rounds the double to single, lfs widens single to double */
	__asm__ __volatile__("lfd 1, 0(%0)\n\tstfs 1, 0x78(%1)" : : "b"(fp_in), "b"(b)
			     : "fr1", "memory");
	report_eq(LD("lwz", 0x78, b), 0x3fc00000, "stfs 1.5");
	ST("stw", 0x40490fdb, 0x7c, b);		/* pi as a single */
	__asm__ __volatile__("lfs 3, 0x7c(%1)\n\tstfd 3, 0(%0)" : : "b"(fp_out), "b"(b)
			     : "fr3", "memory");
	report_eq64((uint64_t)fp_out[0] << 32 | fp_out[1], 0x400921fb60000000ull, "lfs pi");
	ST("stw", 0xc0a00000, 0x80, b);		/* -5.0f */
	__asm__ __volatile__("lfsx 3, %1, %2\n\tstfd 3, 0(%0)" : : "b"(fp_out), "b"(b), "r"(0x80)
			     : "fr3", "memory");
	report_eq64((uint64_t)fp_out[0] << 32 | fp_out[1], 0xc014000000000000ull, "lfsx -5");
	report_prefix_pop();
}

int main(void)
{
	uint32_t id, scratch;

	sys_mmu_setup();
	test_uart_scr();

	id = LD("lwz", 0, TESTDEV);
	if (id == TESTDEV_ID) {
		scratch = TESTDEV_SCRATCH;
		report_info("scratch: softkvm test device at 0x%08x", scratch);
	} else {
		scratch = (uint32_t)ram_scratch;
		report_info("scratch: RAM at 0x%08x (test device id reads 0x%08x)", scratch, id);
	}
	test_widths(scratch);
	test_reversed(scratch);
	test_indexed_update(scratch);
	test_unaligned(scratch);
	msr_set(MSR_FP);
	test_fp(scratch);
	msr_set(0);
	return 0;
}
