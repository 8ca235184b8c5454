// SPDX-License-Identifier: MIT
/* The 440 UTLB as software sees it: tlbwe/tlbre of the three words and MMUCR[STID], tlbsx.,
 * translation by TID/PID and TS/MSR[DS], every page size from 4 KiB to 256 MiB (and where each
 * ends), and that rewriting or invalidating an entry takes effect at once (the shadow-TLB
 * coherence a hypervisor must keep), for data and for instruction fetch.  Permissions: a page
 * without SW gives a DSI, a supervisor-only TS=1 page a DSI in problem state.
 *
 * Test mappings live at 0x40000000 and up, backed by page-aligned buffers in the image (RAM
 * is identity mapped by entry 0, so the test can check through both addresses).
 *
 * QEMU-BUG: tlbsx: sts mismatch misses: QEMU 7.2's tlbsx ignores MMUCR[STS] (ppcemb_tlb_search
 * compares EPN and TID only); the 440 compares TS with MMUCR[STS]
 * QEMU-BUG: tlbre: word 2 keeps e: QEMU 7.2 keeps only word 2 bits 0xff00 and the permissions
 * (helper_440_tlbwe), so the E (little-endian) attribute reads back as 0
 * QEMU-BUG: rewrite: sw removed*: QEMU 7.2 does not flush its soft TLB when tlbwe changes
 * word 2 (helper_440_tlbwe), so a page whose write permission was taken away stays writable
 * for as long as its earlier translation is cached
 */
#include "sys.h"

#define E(n)		(SYS_TLB_FIRST + (n))
#define VA_RT		0x7fff0000u	/* round trip entry, never accessed */
#define VA_TS1		0x41000000
#define VA_PID		0x42000000
#define VA_TSM		0x43000000
#define VA_X		0x44000000	/* remapped between page A and page B */
#define VA_Y		0x45000000
#define VA_CODE		0x46000000
#define VA_USER		0x47000000
#define VA_SIZE		0x60000000	/* page size tests: 256 MiB aligned, next 256 MiB free */

static uint32_t pages[4][1024] __attribute__((aligned(4096)));	/* A, B, code A, code B */
#define PAGE_A		((uint32_t)pages[0])
#define PAGE_B		((uint32_t)pages[1])
#define CODE_A		((uint32_t)pages[2])
#define CODE_B		((uint32_t)pages[3])
/* Accessed through other virtual addresses too, so always as volatile. */
#define PW(p, i)	(*(volatile uint32_t *)&pages[p][i])
static volatile uint32_t probe;	/* for the page size tests */

static uint32_t ld(uint32_t ea)
{
	uint32_t pc;

	return probe_lwz(ea, &pc);
}

/* Did the last access take exactly one data TLB miss at dear? */
static bool dtlb_missed(uint32_t n_before, uint32_t dear)
{
	return caught.n == n_before + 1 && caught.ivor == IVOR_DTLB && caught.dear == dear;
}

static void test_roundtrip(void)
{
	const uint32_t w0 = VA_RT | TLB_V | TLB_TS | TLB_64K;
	const uint32_t w1 = 0x12340000 | 0x3;		/* RPN, ERPN = 3 */
	const uint32_t w2 = TLB_U0 | TLB_U2 | TLB_W | TLB_I | TLB_M | TLB_G |
			    TLB_UX | TLB_UR | TLB_SX | TLB_SR;

	report_prefix_push("tlbre");
	tlb_write(E(0), w0, w1, w2, 0x5a);
	mtspr(SPRN_MMUCR, MMUCR_STS | 0x11);
	report_eq(tlbre(E(0), 0), w0, "word 0");
	report_eq(mfspr(SPRN_MMUCR), MMUCR_STS | 0x5a, "word 0 sets mmucr stid");
	mtspr(SPRN_MMUCR, 0x22);
	report_eq(tlbre(E(0), 1), w1, "word 1");
	report_eq(tlbre(E(0), 2), w2, "word 2");
	report_eq(mfspr(SPRN_MMUCR), 0x22, "words 1 and 2 leave mmucr");
	mtspr(SPRN_MMUCR, 0);

	/* An invalid entry keeps its fields too. */
	tlb_write(E(1), VA_RT | TLB_4K, 0x00abc000, TLB_U1 | TLB_U3 | TLB_UW | TLB_SW, 0);
	mtspr(SPRN_MMUCR, 0x33);
	report_eq(tlbre(E(1), 0), VA_RT | TLB_4K, "invalid entry word 0");
	report_eq(tlbre(E(1), 1), 0x00abc000, "invalid entry word 1");
	report_eq(tlbre(E(1), 2), TLB_U1 | TLB_U3 | TLB_UW | TLB_SW, "invalid entry word 2");
	report_eq(mfspr(SPRN_MMUCR), 0, "invalid entry tid 0");
	tlbwe(E(1), 2, TLB_E | TLB_SR);
	report_eq(tlbre(E(1), 2), TLB_E | TLB_SR, "word 2 keeps e");
	mtspr(SPRN_MMUCR, 0);
	report_prefix_pop();
}

static void test_tlbsx(void)
{
	uint32_t idx, cr;

	/* E(0) from test_roundtrip: VA_RT, 64 KiB, TS=1, TID 0x5a */
	report_prefix_push("tlbsx");
	mtspr(SPRN_MMUCR, MMUCR_STS | 0x5a);
	cr = tlbsx_dot(VA_RT + 0xfffc, &idx);
	report_eq(cr, CR_EQ, "hit: cr0");
	report_eq(idx, E(0), "hit: index");
	mtspr(SPRN_MMUCR, MMUCR_STS | 0x5b);
	report_eq(tlbsx_dot(VA_RT, &idx), 0, "tid mismatch misses");
	mtspr(SPRN_MMUCR, MMUCR_STS | 0x5a);
	report_eq(tlbsx_dot(VA_RT + 0x10000, &idx), 0, "address past the page misses");
	mtspr(SPRN_MMUCR, 0x5a);
	report_eq(tlbsx_dot(VA_RT, &idx), 0, "sts mismatch misses");
	/* entry 0 (TID 0) matches whatever MMUCR[STID] says */
	mtspr(SPRN_MMUCR, 0x77);
	cr = tlbsx_dot((uint32_t)&probe, &idx);
	report_eq(cr, CR_EQ, "tid 0 entry: cr0");
	report_eq(idx, 0, "tid 0 entry: index");
	/* CR0[SO] is a copy of XER[SO] */
	mtxer(XER_SO);
	cr = tlbsx_dot((uint32_t)&probe, &idx);
	report_eq(cr, CR_EQ | CR_SO, "hit copies so");
	cr = tlbsx_dot(0x50000000, &idx);
	report_eq(cr, CR_SO, "miss copies so");
	mtxer(0);
	mtspr(SPRN_MMUCR, 0);
	tlb_invalidate(E(0));
	tlb_invalidate(E(1));
	report_prefix_pop();
}

static void test_pid_ts(void)
{
	uint32_t n, v;

	PW(0, 0) = 0xaaaa0000;
	PW(1, 0) = 0xbbbb0000;
	report_prefix_push("pid");
	tlb_write(E(0), VA_PID | TLB_V | TLB_4K, PAGE_A, TLB_SR, 5);
	mtspr(SPRN_PID, 5);
	report_eq(ld(VA_PID), 0xaaaa0000, "tid 5 matches pid 5");
	mtspr(SPRN_PID, 6);
	n = caught.n;
	ld(VA_PID);
	report(dtlb_missed(n, VA_PID), "tid 5 misses with pid 6");
	mtspr(SPRN_PID, 0);
	n = caught.n;
	ld(VA_PID);
	report(dtlb_missed(n, VA_PID), "tid 5 misses with pid 0");
	tlb_write(E(0), VA_PID | TLB_V | TLB_4K, PAGE_B, TLB_SR, 0);
	mtspr(SPRN_PID, 0x99);
	report_eq(ld(VA_PID), 0xbbbb0000, "tid 0 matches any pid");
	mtspr(SPRN_PID, 0);
	report_eq(ld(VA_PID), 0xbbbb0000, "tid 0 matches pid 0");
	tlb_invalidate(E(0));
	report_prefix_pop();

	report_prefix_push("ts");
	tlb_map(E(0), VA_TSM, PAGE_A, TLB_4K, 1, TLB_SR);
	n = caught.n;
	ld(VA_TSM);
	report(dtlb_missed(n, VA_TSM), "ts 1 entry misses with msr ds 0");
	msr_set(MSR_DS);	/* no printing until DS is 0 again: the UART is mapped in TS=0 */
	v = ld(VA_TSM);
	msr_set(0);
	report_eq(v, 0xaaaa0000, "ts 1 entry used with msr ds 1");
	tlb_map(E(0), VA_TSM, PAGE_B, TLB_4K, 0, TLB_SR);
	report_eq(ld(VA_TSM), 0xbbbb0000, "ts 0 entry used with msr ds 0");
	msr_set(MSR_DS);
	n = caught.n;
	ld(VA_TSM);
	msr_set(0);
	report(dtlb_missed(n, VA_TSM), "ts 0 entry misses with msr ds 1");
	tlb_invalidate(E(0));
	report_prefix_pop();
}

static void test_sizes(void)
{
	static const struct { const char *name; uint32_t bits, size; } s[] = {
		{ "4k", TLB_4K, 4 << 10 }, { "16k", TLB_16K, 16 << 10 },
		{ "64k", TLB_64K, 64 << 10 }, { "256k", TLB_256K, 256 << 10 },
		{ "1m", TLB_1M, 1 << 20 }, { "16m", TLB_16M, 16 << 20 },
		{ "256m", TLB_256M, 256 << 20 },
	};

	report_prefix_push("size");
	for (unsigned int i = 0; i < ARRAY_SIZE(s); i++) {
		uint32_t pa = (uint32_t)&probe & ~(s[i].size - 1);
		uint32_t off = (uint32_t)&probe - pa, last = s[i].size - 4, n;

		probe = 0x51ce0000 + i;
		tlb_map(E(0), VA_SIZE, pa, s[i].bits, 0, TLB_SR | TLB_SW);
		report_eq(ld(VA_SIZE + off), 0x51ce0000 + i, "%s: read through", s[i].name);
		*(volatile uint32_t *)(VA_SIZE + off) = 0x5702e000 + i;
		report_eq(probe, 0x5702e000 + i, "%s: write through", s[i].name);
		report_eq(ld(VA_SIZE + last), *(volatile uint32_t *)(pa + last),
			  "%s: last word", s[i].name);
		n = caught.n;
		ld(VA_SIZE + s[i].size);
		report(dtlb_missed(n, VA_SIZE + s[i].size), "%s: next page misses", s[i].name);
		n = caught.n;
		ld(VA_SIZE - 4);
		report(dtlb_missed(n, VA_SIZE - 4), "%s: page before misses", s[i].name);
	}
	tlb_invalidate(E(0));
	report_prefix_pop();
}

static void sync_icache(uint32_t p)
{
	__asm__ __volatile__("dcbst 0, %0\n\tsync\n\ticbi 0, %0\n\tisync" : : "r"(p) : "memory");
}

/* Rewriting an entry must take effect at the next access, whatever was cached before. */
static void test_coherence(void)
{
	uint32_t (*volatile fn)(void) = (uint32_t (*)(void))VA_CODE;
	uint32_t n;

	PW(0, 1) = 0xaaaa0001;
	PW(1, 1) = 0xbbbb0001;
	report_prefix_push("rewrite");
	tlb_map(E(0), VA_X, PAGE_A, TLB_4K, 0, TLB_SR | TLB_SW);
	report_eq(ld(VA_X + 4), 0xaaaa0001, "first mapping");
	tlbwe(E(0), 1, PAGE_B);
	isync();
	report_eq(ld(VA_X + 4), 0xbbbb0001, "new rpn (word 1 only)");
	tlb_map(E(0), VA_X, PAGE_A, TLB_4K, 0, TLB_SR | TLB_SW);
	report_eq(ld(VA_X + 4), 0xaaaa0001, "whole entry rewritten");
	*(volatile uint32_t *)(VA_X + 8) = 0x12121212;
	report_eq(PW(0, 2), 0x12121212, "store goes to the current page");

	tlbwe(E(0), 0, VA_Y | TLB_V | TLB_4K);
	isync();
	report_eq(ld(VA_Y + 4), 0xaaaa0001, "new epn (word 0 only) maps");
	n = caught.n;
	ld(VA_X + 4);
	report(dtlb_missed(n, VA_X + 4), "old epn misses");

	tlbwe(E(0), 2, TLB_SR);
	isync();
	n = caught.n;
	probe_stw(VA_Y + 8, 0x34343434);
	report(caught.n == n + 1 && caught.ivor == IVOR_DSI && caught.esr == ESR_ST &&
	       caught.dear == VA_Y + 8, "sw removed (word 2 only): store dsi");
	report_eq(PW(0, 2), 0x12121212, "sw removed: memory unchanged");
	report_eq(ld(VA_Y + 8), 0x12121212, "sw removed: load still works");

	tlb_invalidate(E(0));
	n = caught.n;
	ld(VA_Y + 4);
	report(dtlb_missed(n, VA_Y + 4), "invalidated entry misses");
	/* the same page from another entry */
	tlb_map(E(1), VA_Y, PAGE_B, TLB_4K, 0, TLB_SR);
	report_eq(ld(VA_Y + 4), 0xbbbb0001, "same va from another entry");
	tlb_invalidate(E(1));

	/* Instruction side: the same va runs page A's code, then page B's. */
	((uint32_t *)CODE_A)[0] = 0x38600001;	/* li r3, 1 */
	((uint32_t *)CODE_A)[1] = 0x4e800020;	/* blr */
	((uint32_t *)CODE_B)[0] = 0x38600002;	/* li r3, 2 */
	((uint32_t *)CODE_B)[1] = 0x4e800020;
	sync_icache(CODE_A);
	sync_icache(CODE_B);
	tlb_map(E(2), VA_CODE, CODE_A, TLB_4K, 0, TLB_SR | TLB_SX);
	report_eq(fn(), 1, "code page a");
	tlbwe(E(2), 1, CODE_B);
	isync();
	report_eq(fn(), 2, "code page b after new rpn");
	tlb_invalidate(E(2));
	n = caught.n;
	(void)fn();
	report(caught.n == n + 1 && caught.ivor == IVOR_ITLB && caught.srr0 == VA_CODE,
	       "invalidated code page: itlb miss");
	report_prefix_pop();
}

static uint32_t user_load(uint32_t ea)
{
	uint32_t pc;

	return probe_lwz(ea, &pc);
}

static void test_user_perm(void)
{
	uint32_t n;

	report_prefix_push("user");
	PW(0, 3) = 0xaaaa0003;
	tlb_map(E(0), VA_USER, PAGE_A, TLB_4K, 1, TLB_SR | TLB_SW);
	n = caught.n;
	report_eq(run_user(user_load, VA_USER + 12, USER_MSR), PROBE_POISON,
		  "load from supervisor page: no data");
	report(caught.n == n + 1 && caught.ivor == IVOR_DSI && caught.dear == VA_USER + 12 &&
	       caught.esr == 0, "load from supervisor page: dsi");
	tlb_map(E(0), VA_USER, PAGE_A, TLB_4K, 1, TLB_SR | TLB_UR);
	report_eq(run_user(user_load, VA_USER + 12, USER_MSR), 0xaaaa0003, "load with ur");
	tlb_invalidate(E(0));
	report_prefix_pop();
}

int main(void)
{
	sys_mmu_setup();
	catch_install(catch_skip);
	install_exception_handler(IVOR_ITLB, catch_return);
	test_roundtrip();
	test_tlbsx();
	test_pid_ts();
	test_sizes();
	test_coherence();
	test_user_perm();
	return 0;
}
