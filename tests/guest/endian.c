// SPDX-License-Identifier: MIT
/* Little-endian pages (the 440's E storage attribute, TLB word 2 bit 0x80) and accesses that
 * straddle RAM and a device.
 *
 * The same RAM is mapped twice, big-endian (E=0) and little-endian (E=1): bytes written
 * through one alias are read through the other. As the PPC440x5 user's manual (2.1.3
 * "Byte ordering") has it, an E=1 page reverses the bytes of every scalar access within its
 * size, whatever its alignment: halfwords, words, FP doublewords, each word of lmw/stmw,
 * lwarx/stwcx.; string instructions move bytes in address order either way; lhbrx & co.
 * reverse once more; instruction words fetched from such a page are reversed too. MMIO
 * through an E=1 page reaches the device in the same reversed byte order.
 *
 * Then a load, a store, lmw and a string load that run from the end of a RAM page into a
 * device page (softkvm's test device, whose first word reads "SKVM"; under QEMU, which has
 * no such device, whatever that address reads): the RAM bytes come from RAM, the rest from
 * the device.
 *
 * QEMU-BUG: le *: QEMU 7.2 ignores the E bit (its 440 tlbwe keeps only word 2 bits 0xff00 and
 * the permissions): data, fetches and device accesses through an E=1 page are big-endian there
 */
#include "sys.h"
#include "ldst_asm.h"

#define PG 0x1000u
#define VA_BE 0x40000000u    /* pages[0..2], E=0 */
#define VA_LE 0x40100000u    /* pages[0..2], E=1 */
#define VA_XBE 0x40200000u   /* pages[2] executable, E=0 */
#define VA_XLE 0x40300000u   /* pages[2] executable, E=1 */
#define VA_EDGE 0x40400000u  /* pages[1], then the test device's page, E=0 */
#define VA_LEDEV 0x40500000u /* the test device's page, E=1 */
#define TESTDEV 0xef700000u
#define TESTDEV_ID 0x534b564du
#define TESTDEV_SCRATCH 0x100u /* 256 bytes of byte memory */

static uint8_t pages[3][PG] __attribute__((aligned(PG)));

static void map_pages(void)
{
	uint32_t e = SYS_TLB_FIRST;

	for (uint32_t i = 0; i < 3; i++) {
		tlb_map(e++, VA_BE + i * PG, (uint32_t)pages[i], TLB_4K, 0, TLB_SR | TLB_SW);
		tlb_map(e++, VA_LE + i * PG, (uint32_t)pages[i], TLB_4K, 0, TLB_SR | TLB_SW | TLB_E);
	}
	tlb_map(e++, VA_XBE, (uint32_t)pages[2], TLB_4K, 0, TLB_SRWX);
	tlb_map(e++, VA_XLE, (uint32_t)pages[2], TLB_4K, 0, TLB_SRWX | TLB_E);
	tlb_map(e++, VA_EDGE, (uint32_t)pages[1], TLB_4K, 0, TLB_SR | TLB_SW);
	tlb_map(e++, VA_EDGE + PG, TESTDEV, TLB_4K, 0, TLB_SR | TLB_SW | TLB_I | TLB_G);
	tlb_map(e++, VA_LEDEV, TESTDEV, TLB_4K, 0, TLB_SR | TLB_SW | TLB_I | TLB_G | TLB_E);
}

/* Write bytes through the big-endian alias. */
static void put(uint32_t off, const uint8_t *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		ST("stb", b[i], 0, VA_BE + off + i);
}

static uint32_t be_word(uint32_t off)
{
	return LD("lwz", 0, VA_BE + off);
}

static void test_loads(void)
{
	static const uint8_t b[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
	static const uint8_t neg[2] = {0x01, 0x80};
	uint32_t a, v;

	report_prefix_push("le load");
	put(0, b, 8);
	report_eq(LD("lwz", 0, VA_LE), 0x44332211, "lwz");
	report_eq(LD("lhz", 0, VA_LE), 0x2211, "lhz");
	report_eq(LD("lbz", 1, VA_LE), 0x22, "lbz");
	report_eq(LD("lwz", 1, VA_LE), 0x55443322, "lwz unaligned");
	report_eq(LD("lhz", 3, VA_LE), 0x5544, "lhz unaligned");
	report_eq(LDX("lwzx", VA_LE, 4), 0x88776655, "lwzx");
	report_eq(LDX("lwbrx", VA_LE, 0), 0x11223344, "lwbrx reverses back");
	report_eq(LDX("lhbrx", VA_LE, 2), 0x3344, "lhbrx reverses back");
	put(0x10, neg, 2);
	report_eq(LD("lha", 0x10, VA_LE), 0xffff8001, "lha sign extends the reversed half");
	report_eq(LD("lhz", 0x10, VA_LE), 0x8001, "lhz zero extends");
	a = VA_LE;
	v = LDU("lwzu", 4, a);
	report_eq(v, 0x88776655, "lwzu value");
	report_eq(a, VA_LE + 4, "lwzu updates ra");
	a = VA_LE + 0x10;
	v = LDUX("lhaux", a, -0x10);
	report_eq(v, 0x2211, "lhaux value");
	report_eq(a, VA_LE, "lhaux updates ra");
	report_prefix_pop();
}

static void test_stores(void)
{
	uint32_t a;

	report_prefix_push("le store");
	ST("stw", 0xa1b2c3d4, 0x20, VA_LE);
	report_eq(be_word(0x20), 0xd4c3b2a1, "stw");
	ST("sth", 0x1234, 0x24, VA_LE);
	report_eq(be_word(0x24) >> 16, 0x3412, "sth");
	ST("stb", 0x5a, 0x26, VA_LE);
	report_eq(be_word(0x24), 0x34125a00, "stb");
	ST("stw", 0x01020304, 0x29, VA_LE);
	report_eq(LD("lwz", 0x29, VA_BE), 0x04030201, "stw unaligned");
	STX("stwbrx", 0x11223344, VA_LE, 0x30);
	report_eq(be_word(0x30), 0x11223344, "stwbrx reverses back");
	STX("sthbrx", 0x5566, VA_LE, 0x34);
	report_eq(be_word(0x34) >> 16, 0x5566, "sthbrx reverses back");
	a = VA_LE + 0x30;
	STU("stwu", 0xcafef00d, 8, a);
	report_eq(a, VA_LE + 0x38, "stwu updates ra");
	report_eq(be_word(0x38), 0x0df0feca, "stwu value");
	a = VA_LE + 0x40;
	STUX("sthux", 0xbeef, a, 4);
	report_eq(a, VA_LE + 0x44, "sthux updates ra");
	report_eq(be_word(0x44) >> 16, 0xefbe, "sthux value");
	report_prefix_pop();
}

/* A word across the boundary of two little-endian pages, both ways. */
static void test_page_cross(void)
{
	static const uint8_t b[4] = {0xa0, 0xb1, 0xc2, 0xd3};

	report_prefix_push("le cross");
	put(PG - 2, b, 4);
	report_eq(LD("lwz", 0, VA_LE + PG - 2), 0xd3c2b1a0, "lwz across pages");
	report_eq(LD("lhz", 0, VA_LE + PG - 1), 0xc2b1, "lhz across pages");
	ST("stw", 0x10203040, 0, VA_LE + PG - 1);
	report_eq(LD("lwz", 0, VA_BE + PG - 1), 0x40302010, "stw across pages");
	report_prefix_pop();
}

/* lmw 30 / lswi 30 at ea: r30 and r31 into *a and *b (r31 is not a register variable's). */
static void lmw30(uint32_t ea, uint32_t *a, uint32_t *b)
{
	__asm__ __volatile__("lmw 30, 0(%2)\n\tmr %0, 30\n\tmr %1, 31"
			     : "=r"(*a), "=r"(*b) : "b"(ea) : "r30", "r31", "memory");
}

static void lswi30_6(uint32_t ea, uint32_t *a, uint32_t *b)
{
	__asm__ __volatile__("lswi 30, %2, 6\n\tmr %0, 30\n\tmr %1, 31"
			     : "=r"(*a), "=r"(*b) : "b"(ea) : "r30", "r31", "memory");
}

/* stmw 30 at ea of a and b. */
static void stmw30(uint32_t ea, uint32_t a, uint32_t b)
{
	__asm__ __volatile__("mr 30, %1\n\tmr 31, %2\n\tstmw 30, 0(%0)"
			     : : "b"(ea), "r"(a), "r"(b) : "r30", "r31", "memory");
}

static void test_multiple(void)
{
	static const uint8_t s[7] = {'e', 'n', 'd', 'i', 'a', 'n', '!'};
	uint32_t x, y;

	report_prefix_push("le multiple");
	stmw30(VA_LE + 0x100, 0x11223344, 0x99aabbcc);
	report_eq(be_word(0x100), 0x44332211, "stmw reverses each word 1");
	report_eq(be_word(0x104), 0xccbbaa99, "stmw reverses each word 2");
	lmw30(VA_LE + 0x104, &x, &y);
	report_eq(x, 0x99aabbcc, "lmw 1");
	report_eq(y, 0, "lmw 2");

	/* strings: bytes in address order, whatever the page's order */
	put(0x120, s, 7);
	__asm__ __volatile__("lswi 5, %2, 7\n\tmr %0, 5\n\tmr %1, 6"
			     : "=r"(x), "=r"(y) : "b"(VA_LE + 0x120) : "r5", "r6", "memory");
	report_eq(x, 0x656e6469, "lswi word");
	report_eq(y, 0x616e2100, "lswi tail");
	__asm__ __volatile__("lis 5, 0x4142\n\tori 5, 5, 0x4344\n\tlis 6, 0x4546\n\t"
			     "stswi 5, %0, 6"
			     : : "b"(VA_LE + 0x130) : "r5", "r6", "memory");
	report_eq(be_word(0x130), 0x41424344, "stswi word");
	report_eq(be_word(0x134) >> 16, 0x4546, "stswi tail");
	report_prefix_pop();
}

static void test_atomic_dcbz(void)
{
	uint32_t v, cr;

	report_prefix_push("le reserve");
	ST("stw", 0x01020304, 0x140, VA_BE);
	__asm__ __volatile__("lwarx %0, 0, %1" : "=r"(v) : "r"(VA_LE + 0x140) : "memory");
	report_eq(v, 0x04030201, "lwarx");
	__asm__ __volatile__("stwcx. %1, 0, %2\n\tmfcr %0"
			     : "=r"(cr) : "r"(0xaabbccdd), "r"(VA_LE + 0x140) : "cr0", "memory");
	report_eq(CR_FIELD(cr, 0) & 2, 2, "stwcx. succeeds");
	report_eq(be_word(0x140), 0xddccbbaa, "stwcx. value");
	__asm__ __volatile__("dcbz 0, %0" : : "r"(VA_LE + 0x140) : "memory");
	report_eq(be_word(0x140) | be_word(0x15c), 0, "dcbz");
	report_prefix_pop();
}

static __attribute__((noinline)) void test_fp(void)
{
	static const uint8_t one_le[4] = {0x00, 0x00, 0x80, 0x3f};		      /* 1.0f */
	static const uint8_t two_le[8] = {0, 0, 0, 0, 0, 0, 0x00, 0x40};	      /* 2.0 */
	double d;
	float f;

	report_prefix_push("le fp");
	put(0x200, one_le, 4);
	put(0x208, two_le, 8);
	__asm__ __volatile__("lfs %0, 0(%1)" : "=f"(f) : "b"(VA_LE + 0x200) : "memory");
	report(f == 1.0f, "lfs");
	__asm__ __volatile__("lfd %0, 0(%1)" : "=f"(d) : "b"(VA_LE + 0x208) : "memory");
	report(d == 2.0, "lfd");
	d = 0.5; /* 0x3fe0000000000000 */
	__asm__ __volatile__("stfd %0, 0(%1)" : : "f"(d), "b"(VA_LE + 0x210) : "memory");
	report_eq(be_word(0x210), 0, "stfd low word first");
	report_eq(be_word(0x214), 0x0000e03f, "stfd high word reversed");
	f = -1.0f; /* 0xbf800000 */
	__asm__ __volatile__("stfs %0, 0(%1)" : : "f"(f), "b"(VA_LE + 0x218) : "memory");
	report_eq(be_word(0x218), 0x000080bf, "stfs");
	report_prefix_pop();
}

/* One word that is an instruction both ways: big-endian it is li r3,0x6338, little-endian
 * (bytes 38 60 63 38 read from the other end) addi r3,r3,0x6038. Then blr big-endian, a
 * harmless subfic r0 little-endian, and blr little-endian. */
static uint32_t call(uint32_t va)
{
	register uint32_t r3 __asm__("r3") = 0;
	__asm__ __volatile__("mtctr %1\n\tbctrl" : "+r"(r3) : "r"(va)
			     : "r0", "ctr", "lr", "xer", "cr0", "memory");
	return r3;
}

static void test_fetch(void)
{
	report_prefix_push("le fetch");
	ST("stw", 0x38606338, 0x0, VA_BE + 2 * PG);
	ST("stw", 0x4e800020, 0x4, VA_BE + 2 * PG);
	ST("stw", 0x2000804e, 0x8, VA_BE + 2 * PG);
	__asm__ __volatile__("sync\n\ticbi 0, %0\n\tisync" : : "r"(VA_BE + 2 * PG) : "memory");
	report_eq(call(VA_XBE), 0x6338, "big-endian mapping");
	report_eq(call(VA_XLE), 0x6038, "little-endian mapping of the same page");
	report_eq(call(VA_XBE), 0x6338, "big-endian again, not the other's decoding");
	/* code written through the little-endian alias: plain stores, as a loader would */
	ST("stw", 0x38600000 | 0x4c45, 0x0, VA_LE + 2 * PG); /* li r3,0x4c45 ("LE") */
	ST("stw", 0x4e800020, 0x4, VA_LE + 2 * PG);	      /* blr */
	__asm__ __volatile__("sync\n\ticbi 0, %0\n\tisync" : : "r"(VA_LE + 2 * PG) : "memory");
	report_eq(call(VA_XLE), 0x4c45, "code stored little-endian runs");
	report_prefix_pop();
}

/* Device accesses through a little-endian page: the test device's scratch is byte memory.
 * Without the device (QEMU) the same checks run on RAM laid out alike, as mmio.c does. */
static void test_mmio(uint32_t id)
{
	uint32_t dev = VA_LEDEV, be = TESTDEV, ls, bs, x, y;

	report_prefix_push("le mmio");
	if (id != TESTDEV_ID) {
		dev = VA_LE + 0x400;
		be = VA_BE + 0x400;
		ST("stw", TESTDEV_ID, 0, be);
	}
	ls = dev + TESTDEV_SCRATCH; /* the scratch through the little-endian page ... */
	bs = be + TESTDEV_SCRATCH;  /* ... and through the big-endian one */
	report_eq(LD("lwz", 0, dev), 0x4d564b53, "id word reversed");
	ST("stw", 0x11223344, 0, ls);
	report_eq(LD("lwz", 0, bs), 0x44332211, "stw reaches the device reversed");
	report_eq(LD("lhz", 2, ls), 0x1122, "lhz");
	ST("sth", 0x0180, 4, bs);
	report_eq(LD("lha", 4, ls), 0xffff8001, "lha");
	report_eq(LDX("lwbrx", ls, 0), 0x44332211, "lwbrx reverses back");
	stmw30(ls + 8, 0xa0b0c0d0, 0x01020304);
	report_eq(LD("lwz", 8, bs), 0xd0c0b0a0, "stmw word 1");
	report_eq(LD("lwz", 12, bs), 0x04030201, "stmw word 2");
	lmw30(ls + 8, &x, &y);
	report_eq(x, 0xa0b0c0d0, "lmw word 1");
	report_eq(y, 0x01020304, "lmw word 2");
	report_prefix_pop();
}

/* Accesses from the last bytes of a RAM page into a device page (big-endian). head is what
 * the device's first word reads. */
static void test_edge(uint32_t head)
{
	static const uint8_t b[4] = {0xde, 0xad, 0xbe, 0xef};
	uint32_t edge = VA_EDGE + PG, x, y;

	report_prefix_push("ram to device");
	put(PG + PG - 4, b, 4);
	report_eq(LD("lwz", -2, edge), 0xbeef0000 | (head >> 16), "lwz");
	report_eq(LD("lhz", -1, edge), 0xef00 | (head >> 24), "lhz");
	ST("stw", 0x01020304, -2, edge);
	report_eq(LD("lwz", -4, edge), 0xdead0102, "stw: the RAM half");
	lmw30(edge - 4, &x, &y);
	report_eq(x, 0xdead0102, "lmw: the RAM word");
	report_eq(y, head, "lmw: the device word");
	lswi30_6(edge - 3, &x, &y);
	report_eq(x, 0xad010200 | (head >> 24), "lswi word");
	report_eq(y, (head << 8) & 0xffff0000, "lswi tail");
	report_prefix_pop();
}

int main(void)
{
	uint32_t id;

	sys_mmu_setup();
	map_pages();
	test_loads();
	test_stores();
	test_page_cross();
	test_multiple();
	test_atomic_dcbz();
	msr_set(MSR_FP);
	test_fp();
	msr_set(0);
	test_fetch();
	id = LD("lwz", 0, TESTDEV);
	report_info("test device id reads 0x%08x", id);
	test_mmio(id);
	test_edge(id);
	return 0;
}
