// SPDX-License-Identifier: MIT
/* The 440's debug facilities in internal debug mode (Book E, the 440 user's manual: DBCR0,
 * DBSR, IAC1-4, DAC1-2): with DBCR0[IDM] and an IACn enable, reaching the instruction at
 * IACn is a debug event; with DACnR/DACnW, a load/store of DACn's address is one. With
 * MSR[DE] = 1 the event is the debug interrupt (critical class: CSRR0 = the instruction,
 * which has not run; CSRR1 = the MSR; DBSR records which compare), taken before the
 * instruction; with MSR[DE] = 0 the event is recorded in DBSR with DBSR[IDE], the
 * instruction completes, and the interrupt comes when MSR[DE] is set. Without IDM nothing
 * happens. DBCR1/DBCR2 are left 0 (exact compares, any privilege).
 *
 * QEMU-BUG: iac*: QEMU 7.2's bamboo raises no debug event for the 440's instruction address
 * compares (with DBCR0[IDM] and the IACn enables set, no interrupt comes and DBSR stays 0)
 * QEMU-BUG: dac*: same as "iac*", for the data address compares
 * QEMU-BUG: imprecise*: same as "iac*": DBSR records nothing with MSR[DE] = 0 either
 */
#include "sys.h"

/* Functions whose instructions the compares aim at, with labels on those instructions. */
uint32_t iac_func(uint32_t x);
extern const char iac_at[];
void dac_store(volatile uint32_t *p, uint32_t v);
extern const char dac_store_at[];
uint32_t dac_load(volatile uint32_t *p);
extern const char dac_load_at[];
__asm__(".text\n"
	".globl iac_func\niac_func:\n\taddi 3,3,1\n"
	".globl iac_at\niac_at:\n\taddi 3,3,2\n\tblr\n"
	".globl dac_store\ndac_store:\n"
	".globl dac_store_at\ndac_store_at:\n\tstw 4,0(3)\n\tblr\n"
	".globl dac_load\ndac_load:\n"
	".globl dac_load_at\ndac_load_at:\n\tlwz 3,0(3)\n\tblr\n");

#define DBCR0_IDM	0x40000000
#define DBCR0_IAC(n)	(0x00800000u >> (n))		/* n = 0..3 */
#define DBCR0_DACR(n)	(0x00080000u >> (2 * (n)))	/* n = 0..1 */
#define DBCR0_DACW(n)	(0x00040000u >> (2 * (n)))
#define DBSR_IDE	0x80000000
#define SPRN_DAC2	317

static volatile uint32_t watched[4] __attribute__((aligned(16)));
static volatile uint32_t hits, hit_csrr0, hit_dbsr, hit_csrr1;

/* Records the event and turns the compares off, so that the instruction runs on return. */
static void on_debug(struct ex_regs *r)
{
	hits++;
	hit_csrr0 = r->csrr0;
	hit_csrr1 = r->csrr1;
	hit_dbsr = mfspr(SPRN_DBSR);
	mtspr(SPRN_DBCR0, 0);
	mtspr(SPRN_DBSR, 0xffffffff);
}

static void arm(uint32_t dbcr0)
{
	hits = hit_csrr0 = hit_dbsr = hit_csrr1 = 0;
	mtspr(SPRN_DBSR, 0xffffffff);
	mtspr(SPRN_DBCR0, dbcr0);
	isync();
}

static void disarm(void)
{
	mtspr(SPRN_DBCR0, 0);
	mtspr(SPRN_DBSR, 0xffffffff);
	isync();
}

static void set_iac(unsigned n, uint32_t addr)
{
	switch (n) {
	case 0: mtspr(SPRN_IAC1, addr); break;
	case 1: mtspr(SPRN_IAC1 + 1, addr); break;
	case 2: mtspr(SPRN_IAC1 + 2, addr); break;
	default: mtspr(SPRN_IAC1 + 3, addr); break;
	}
}

static void test_iac(void)
{
	char name[48];

	for (unsigned n = 0; n < 4; n++) {
		snprintf(name, sizeof(name), "iac%u", n + 1);
		report_prefix_push(name);
		set_iac(n, (uint32_t)iac_at);
		arm(DBCR0_IDM | DBCR0_IAC(n));
		uint32_t got = iac_func(10);
		disarm();
		report_eq(hits, 1, "one debug interrupt");
		report_eq(hit_csrr0, (uint32_t)iac_at, "csrr0 is the instruction");
		report_eq(hit_dbsr, DBCR0_IAC(n), "dbsr says which");
		report_eq(hit_csrr1 & MSR_DE, MSR_DE, "csrr1 has de");
		report_eq(got, 13, "the instruction runs after the return");
		report_prefix_pop();
	}

	report_prefix_push("iac1 without idm");
	set_iac(0, (uint32_t)iac_at);
	arm(DBCR0_IAC(0));
	uint32_t got = iac_func(10);
	disarm();
	report_eq(hits, 0, "no event");
	report_eq(got, 13, "runs");
	report_prefix_pop();

	report_prefix_push("iac1 elsewhere");
	set_iac(0, (uint32_t)iac_at + 4);
	arm(DBCR0_IDM | DBCR0_IAC(0));
	got = iac_func(10);
	disarm();
	report_eq(hits, 1, "hit at the blr only");
	report_eq(hit_csrr0, (uint32_t)iac_at + 4, "csrr0 is the blr");
	report_eq(got, 13, "the function's result");
	report_prefix_pop();
}

static void set_dac(unsigned n, uint32_t addr)
{
	if (n == 0)
		mtspr(SPRN_DAC1, addr);
	else
		mtspr(SPRN_DAC2, addr);
}

static void test_dac(void)
{
	char name[48];

	for (unsigned n = 0; n < 2; n++) {
		snprintf(name, sizeof(name), "dac%uw", n + 1);
		report_prefix_push(name);
		watched[1] = 0;
		set_dac(n, (uint32_t)&watched[1]);
		arm(DBCR0_IDM | DBCR0_DACW(n));
		watched[0] = 5;	/* same page, not the watched word */
		uint32_t r = dac_load(&watched[1]); /* a load: not watched */
		report_eq(hits, 0, "other accesses: no event");
		report_eq(r, 0, "load");
		dac_store(&watched[1], 0x1234);
		disarm();
		report_eq(hits, 1, "one debug interrupt");
		report_eq(hit_csrr0, (uint32_t)dac_store_at, "csrr0 is the store");
		report_eq(hit_dbsr, DBCR0_DACW(n), "dbsr says which");
		report_eq(watched[1], 0x1234, "the store runs after the return");
		report_prefix_pop();

		snprintf(name, sizeof(name), "dac%ur", n + 1);
		report_prefix_push(name);
		set_dac(n, (uint32_t)&watched[1]);
		arm(DBCR0_IDM | DBCR0_DACR(n));
		dac_store(&watched[1], 0x5678); /* a store: not watched */
		report_eq(hits, 0, "a store: no event");
		r = dac_load(&watched[1]);
		disarm();
		report_eq(hits, 1, "one debug interrupt");
		report_eq(hit_csrr0, (uint32_t)dac_load_at, "csrr0 is the load");
		report_eq(hit_dbsr, DBCR0_DACR(n), "dbsr says which");
		report_eq(r, 0x5678, "the load runs after the return");
		report_prefix_pop();
	}
}

/* MSR[DE] = 0: the event is recorded (DBSR[IDE] with the compare's bit), the access done;
 * setting MSR[DE] then takes the interrupt. */
static void test_imprecise(void)
{
	report_prefix_push("imprecise");
	mtmsr(mfmsr() & ~MSR_DE);
	watched[2] = 0x42;
	mtspr(SPRN_DAC1, (uint32_t)&watched[2]);
	arm(DBCR0_IDM | DBCR0_DACR(0));
	uint32_t r = dac_load(&watched[2]);
	uint32_t dbsr = mfspr(SPRN_DBSR);
	report_eq(hits, 0, "no interrupt with de 0");
	report_eq(r, 0x42, "the load completes");
	report_eq(dbsr, DBSR_IDE | DBCR0_DACR(0), "dbsr records ide and dac1r");
	mtmsr(mfmsr() | MSR_DE);
	report_eq(hits, 1, "taken when de is set");
	disarm();
	report_prefix_pop();
}

int main(void)
{
	install_exception_handler(IVOR_DEBUG, on_debug);
	mtmsr(mfmsr() | MSR_DE);
	test_iac();
	test_dac();
	test_imprecise();
	mtmsr(mfmsr() & ~MSR_DE);
	return 0;
}
