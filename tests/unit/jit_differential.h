/* SPDX-License-Identifier: MIT */
/* Compiled runs (src/cpu/jit.h) against the interpreter, for either core (test_cpu_jit.c:
 * the 440, test_cpu64_jit.c: the 64-bit one): the same programs on a bare core
 * (bare_machine.h) with runs compiled and without must end in the same state (every GPR,
 * CR, XER, CTR, LR, the PC and the data they stored). The programs are made of the
 * instructions runs compile, with random fields and edge-case register values, so that
 * compiled code runs, leaves for a handler (a shadow-TLB miss, an unaligned access, a
 * spent budget) and comes back. Each test also checks that runs were compiled at all:
 * without that it would prove nothing. Include it after <cmocka.h>; a test file gives the
 * modes (MSR values) its core has. */
#ifndef SOFTKVM_TEST_JIT_DIFFERENTIAL_H
#define SOFTKVM_TEST_JIT_DIFFERENTIAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bare_machine.h"

#define BASE 0x10000000ull
#define RAM 0x4000
#define DATA 0x2000 /* r30 points here */
#define END 0x48000002u /* ba 0: fetching there stops the core */

#define D_(op, rt, ra, imm) ((uint32_t)(op) << 26 | (rt) << 21 | (ra) << 16 | ((imm) & 0xffff))
#define X_(rt, ra, rb, xo) (31u << 26 | (rt) << 21 | (ra) << 16 | (rb) << 11 | (xo) << 1)
#define MI_(rs, ra, sh, mb, me) (20u << 26 | (rs) << 21 | (ra) << 16 | (sh) << 11 | (mb) << 6 | (me) << 1)
#define M_(rs, ra, sh, mb, me) (21u << 26 | (rs) << 21 | (ra) << 16 | (sh) << 11 | (mb) << 6 | (me) << 1)
#define MD_(rs, ra, sh, m, xo)                                                                  \
	(30u << 26 | (rs) << 21 | (ra) << 16 | ((sh) & 31) << 11 | ((m) & 31) << 6 |             \
	 ((m) >> 5) << 5 | (xo) << 2 | ((sh) >> 5) << 1)
#define BC_(bo, bi, disp) (16u << 26 | (bo) << 21 | (bi) << 16 | ((disp) & 0xfffc))
#define B_(disp) (18u << 26 | ((disp) & 0x3fffffc))
#define MTCTR(rs) (31u << 26 | (rs) << 21 | 9u << 16 | 467u << 1)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const uint64_t interesting[] = {
    0, 1, ~0ull, 0x7fffffffull, 0x80000000ull, 0xffffffffull, 0x8000000000000000ull,
    0x7fffffffffffffffull, 0x00000000ffff0000ull, 0x123456789abcdef0ull, 0xfedcba9876543210ull,
    0x100, 0xffffffff80000000ull};

/* a register the programs may write: not r0 (RA|0), r27 (the update forms' pointer), r28
 * (an index), r29 (a loop count) or r30 (the data pointer) */
static unsigned dst(void)
{
	return 3 + rnd(24);
}
static unsigned src(void)
{
	return rnd(32);
}

/* What only the 64-bit core has: 0, which random_insn draws again, on the 440 */
#define ONLY64(insn) (CPU_IS64 ? (insn) : 0u)

/* One instruction of those runs compile, with random fields, or 0 (ONLY64). */
static uint32_t random_insn_or_0(void)
{
	unsigned rt = dst(), ra = src(), rb = src(), crf = rnd(8), l = rnd(2);
	int16_t simm = (int16_t)(rnd(2) ? rnd(65536) : rnd(64) - 32);
	/* loads and stores through r30: mostly aligned, now and then not, now and then past
	 * the page (another shadow entry: a miss on first use) */
	int disp = (int)(rnd(4) ? rnd(64) * 8 : rnd(512)) - 128;

	uint32_t rc = rnd(4) == 0; /* the record form, now and then */

	switch (rnd(77)) {
	case 0: return D_(14, rt, ra, simm);	       /* addi */
	case 1: return D_(15, rt, ra, simm);	       /* addis */
	case 2: return D_(24, src(), rt, simm);	       /* ori RA,RS,UI */
	case 3: return D_(25, src(), rt, simm);	       /* oris */
	case 4: return D_(26, src(), rt, simm);	       /* xori */
	case 5: return D_(27, src(), rt, simm);	       /* xoris */
	case 6: return X_(rt, ra, rb, 266) | rc;       /* add */
	case 7: return X_(rt, ra, rb, 40) | rc;	       /* subf */
	case 8: return X_(rt, ra, 0, 104) | rc;	       /* neg */
	case 9: return X_(src(), rt, rb, 444) | rc;    /* or: RA = RS | RB */
	case 10: return X_(src(), rt, rb, 28) | rc;    /* and */
	case 11: return X_(src(), rt, rb, 316) | rc;   /* xor */
	case 12: return X_(src(), rt, rb, 124) | rc;   /* nor */
	case 13: return X_(src(), rt, rb, 60) | rc;    /* andc */
	case 14: return ONLY64(X_(src(), rt, 0, 986) | rc); /* extsw */
	case 15: return M_(src(), rt, rnd(32), rnd(32), rnd(32)) | rc; /* rlwinm */
	case 16: return ONLY64(MD_(src(), rt, rnd(64), rnd(64), 0) | rc); /* rldicl */
	case 17: return ONLY64(MD_(src(), rt, rnd(64), rnd(64), 1) | rc); /* rldicr */
	case 18: return D_(11, crf << 2 | l, ra, simm);	    /* cmpi */
	case 19: return D_(10, crf << 2 | l, ra, simm);	    /* cmpli */
	case 20: return X_(crf << 2 | l, ra, rb, 0);	    /* cmp */
	case 21: return X_(crf << 2 | l, ra, rb, 32);	    /* cmpl */
	case 22: return D_(34, rt, 30, disp);		    /* lbz */
	case 23: return D_(40, rt, 30, disp);		    /* lhz */
	case 24: return D_(32, rt, 30, disp);		    /* lwz */
	case 25: return ONLY64(D_(58, rt, 30, disp & ~3)); /* ld */
	case 26: return D_(38, src(), 30, disp);	    /* stb */
	case 27: return D_(44, src(), 30, disp);	    /* sth */
	case 28: return D_(36, src(), 30, disp);	    /* stw */
	case 29: return ONLY64(D_(62, src(), 30, disp & ~3)); /* std */
	case 30: return D_(28, src(), rt, simm);	    /* andi. */
	case 31: return D_(29, src(), rt, simm);	    /* andis. */
	case 32: return D_(7, rt, ra, simm);		    /* mulli */
	case 33: return X_(rt, ra, rb, 235) | rc;	    /* mullw */
	case 34: return ONLY64(X_(rt, ra, rb, 233) | rc); /* mulld */
	case 35: return X_(src(), rt, 0, 954) | rc;	    /* extsb */
	case 36: return X_(src(), rt, 0, 922) | rc;	    /* extsh */
	case 37: return X_(src(), rt, rb, 24) | rc;	    /* slw */
	case 38: return X_(src(), rt, rb, 536) | rc;	    /* srw */
	case 39: return ONLY64(X_(src(), rt, rb, 27) | rc); /* sld */
	case 40: return ONLY64(X_(src(), rt, rb, 539) | rc); /* srd */
	case 41: return X_(rt, 8, 0, 339);		    /* mflr */
	case 42: return X_(rt, 9, 0, 339);		    /* mfctr */
	case 43: return X_(src(), 8, 0, 467);		    /* mtlr */
	case 44: return X_(rt, 30, 28, 23);		    /* lwzx (r28: a small index) */
	case 45: return ONLY64(X_(rt, 30, 28, 21));	    /* ldx */
	case 46: return X_(src(), 30, 28, 151);	    /* stwx */
	case 47: return ONLY64(X_(src(), 30, 28, 149));   /* stdx */
	case 48: return D_(42, rt, 30, disp);		    /* lha */
	case 49: return ONLY64(D_(58, rt, 30, (disp & ~3) | 2)); /* lwa */
	case 50: return D_(33, rt, 27, disp & 0x7c);	    /* lwzu through r27 */
	case 51: return MI_(src(), rt, rnd(32), rnd(32), rnd(32)) | rc; /* rlwimi */
	case 52: return ONLY64(MD_(src(), rt, rnd(64), rnd(64), 2) | rc); /* rldic */
	case 53: return ONLY64(MD_(src(), rt, rnd(64), rnd(64), 3) | rc); /* rldimi */
	case 54: return X_(rt, 0, 0, 19);				 /* mfcr */
	case 55: return X_(rt, 0, 0, 19) | 1u << 20 | 1u << (12 + rnd(8)); /* mfocrf */
	case 56: return X_(src(), 0, 0, 144) | rnd(256) << 12;	 /* mtcrf */
	case 57: return X_(src(), 0, 0, 144) | 1u << 20 | 1u << (12 + rnd(8)); /* mtocrf */
	case 58: return rnd(2) ? 0x7c0004acu : 0x7c2004acu;		 /* sync, lwsync */
	case 59: return D_(3, rnd(4) ? 0 : rnd(32), ra, simm);	 /* twi: now and then traps */
	case 60: return ONLY64(D_(2, rnd(4) ? 0 : rnd(32), ra, simm)); /* tdi */
	case 61: return D_(12, rt, ra, simm);			 /* addic */
	case 62: return D_(13, rt, ra, simm);			 /* addic. */
	case 63: return D_(8, rt, ra, simm);			 /* subfic */
	case 64: return X_(rt, ra, rb, 10) | rc;		 /* addc */
	case 65: return X_(rt, ra, rb, 8) | rc;			 /* subfc */
	case 66: return X_(rt, ra, rb, 138) | rc;		 /* adde */
	case 67: return X_(rt, ra, rb, 136) | rc;		 /* subfe */
	case 68: return X_(rt, ra, 0, 202) | rc;		 /* addze */
	case 69: return X_(rt, ra, 0, 200) | rc;		 /* subfze */
	case 70: return X_(rt, ra, 0, 234) | rc;		 /* addme */
	case 71: return X_(rt, ra, 0, 232) | rc;		 /* subfme */
	case 72: return X_(src(), rt, rnd(32), 824) | rc;	 /* srawi */
	case 73: return X_(src(), rt, 0, 26) | rc;		 /* cntlzw */
	case 74: return ONLY64(X_(src(), rt, 0, 58) | rc);	 /* cntlzd */
	case 75: return X_(rt, ra, rb, 138) | 1u << 10;		 /* adde with OE: the handler's */
	default: /* stdu (stwu on the 440) through r27 */
		return CPU_IS64 ? D_(62, src(), 27, (disp & 0x78) | 1) : D_(37, src(), 27, disp & 0x7c);
	}
}

static uint32_t random_insn(void)
{
	uint32_t insn;

	while (!(insn = random_insn_or_0()))
		;
	return insn;
}

/* A random program of about n instructions with branches: now and then a bt/bf or a b, with
 * link or without, over the next one, a bt/bf out of the page, and a loop: mtctr r29 (1 to 4), a few instructions, bdnz back to them. */
static unsigned random_program(uint32_t *w, unsigned n)
{
	unsigned k = 0;

	while (k < n) {
		unsigned pick = rnd(12);
		if (pick == 0 && k + 2 < n) {
			w[k++] = BC_(rnd(2) ? 12 : 4, rnd(32), 8) | rnd(2); /* bt/bf(l) .+8 */
		} else if (pick == 1 && k + 6 < n) {
			unsigned body = 1 + rnd(4);
			w[k++] = MTCTR(29);
			for (unsigned i = 0; i < body; i++)
				w[k++] = random_insn();
			w[k] = BC_(16, 0, -(int)(4 * body));
			k++;
		} else if (pick == 2 && k + 2 < n) {
			w[k++] = B_(8) | rnd(2); /* b .+8 (or bl): over one */
		} else if (pick == 3) { /* bt/bf to the next page, which holds no code: it stops */
			w[k++] = BC_(rnd(2) ? 12 : 4, rnd(32), 0x1000);
		} else {
			w[k++] = random_insn();
		}
	}
	return k;
}

struct outcome {
	uint64_t gpr[32], ctr, lr, pc;
	uint32_t cr, xer;
	enum cpu_trap_kind stop;
	uint8_t data[RAM - DATA];
	uint64_t runs;
};

/* The state m ended in, into o; then m goes. */
static void outcome_of(struct bare_machine *m, struct outcome *o)
{
	struct cpu_code_cache_stats st;

	memset(o, 0, sizeof(*o));
	for (unsigned i = 0; i < 32; i++)
		o->gpr[i] = m->c.gpr[i];
	o->ctr = m->c.ctr;
	o->lr = m->c.lr;
	o->pc = m->c.pc;
	o->cr = m->c.cr;
	o->xer = cpu_get_xer(&m->c);
	o->stop = m->last.kind;
	memcpy(o->data, m->ram + DATA, sizeof(o->data));
	cpu_code_cache_get_stats(m->cc, &st);
	o->runs = st.runs;
	bare_destroy(m);
}

static void run_once(uint64_t msr, const uint32_t *w, unsigned n, const uint64_t *gpr, bool compile,
		     int64_t budget, struct outcome *o)
{
	struct bare_machine *m = bare_create(BASE, RAM, msr);
	uint32_t end = END;

	assert_non_null(m);
	cpu_code_cache_set_compile(m->cc, compile);
	bare_put_code(m, BASE, w, n);
	bare_put_code(m, BASE + 4 * n, &end, 1);
	for (unsigned i = 0; i < 32; i++)
		m->c.gpr[i] = (cpu_ureg)gpr[i];
	m->c.ctr = 3;
	m->c.pc = BASE;
	m->c.budget = budget;
	cpu_run(&m->c);
	outcome_of(m, o);
}

static void random_registers(uint64_t *gpr)
{
	for (unsigned i = 0; i < 32; i++)
		gpr[i] = rnd(2) ? interesting[rnd(sizeof(interesting) / sizeof(interesting[0]))]
				: (uint64_t)rnd(1u << 31) << 33 ^ rnd(1u << 31);
	gpr[27] = BASE + DATA + 0x200 + 8 * rnd(4); /* moved by lwzu/stdu: stays in the data */
	gpr[28] = rnd(4) ? 8 * rnd(32) : rnd(256); /* an index, now and then unaligned */
	gpr[29] = 1 + rnd(4); /* a loop count (no program writes r29) */
	gpr[30] = BASE + DATA + 0x100;
}

/* Many random programs, compiled and interpreted, in one mode: the same state at the end.
 * Returns how many runs were compiled. */
static uint64_t same_as_interpreter(uint64_t msr, int64_t budget)
{
	uint64_t runs = 0;

	for (unsigned t = 0; t < 300; t++) {
		uint32_t w[48];
		uint64_t gpr[32];
		struct outcome a, b;
		unsigned n = random_program(w, 8 + rnd(32));

		random_registers(gpr);
		run_once(msr, w, n, gpr, true, budget, &a);
		run_once(msr, w, n, gpr, false, budget, &b);
		for (unsigned i = 0; i < 32; i++)
			if (a.gpr[i] != b.gpr[i])
				fail_msg("mode %#llx, program %u: r%u %#llx compiled, %#llx interpreted",
				 (unsigned long long)msr, t, i,
					 (unsigned long long)a.gpr[i], (unsigned long long)b.gpr[i]);
		assert_int_equal(a.cr, b.cr);
		assert_int_equal(a.xer, b.xer);
		assert_int_equal(a.ctr, b.ctr);
		assert_int_equal(a.pc, b.pc);
		assert_int_equal(a.stop, b.stop);
		assert_memory_equal(a.data, b.data, sizeof(a.data));
		assert_int_equal(b.runs, 0);
		runs += a.runs;
	}
	return runs;
}

/* The including file's modes: jit_modes[], MSR values as cpu_set_context takes them. */
#define JIT_NR_MODES (sizeof(jit_modes) / sizeof(jit_modes[0]))

static bool mode_le(uint64_t msr)
{
	return (msr & BARE_MSR_LE) != 0;
}

/* Random programs in every mode: compiled code ran (over 300 runs) and ended as the
 * interpreter did. */
static void test_random_programs(void **state)
{
	(void)state;
	for (unsigned i = 0; i < JIT_NR_MODES; i++) {
		uint64_t runs = same_as_interpreter(jit_modes[i], 1 << 20);
		if (runs <= 300)
			fail_msg("mode %#llx: only %llu runs compiled", (unsigned long long)jit_modes[i],
				 (unsigned long long)runs);
	}
}

/* A budget that runs out inside the programs' loops and branches: the core stops at the
 * same instruction with the same state either way. */
static void test_budget_runs_out_alike(void **state)
{
	(void)state;
	uint64_t runs = 0;

	for (int64_t budget = 0; budget < 6; budget++)
		runs += same_as_interpreter(jit_modes[0], budget);
	assert_true(runs > 100);
}

/* A counted loop compiled into one run (bdnz back to its head): it counts to the end. */
static void test_loop(void **state)
{
	(void)state;
	const uint32_t w[] = {
	    D_(14, 3, 0, 0),	  /* li r3,0 */
	    D_(14, 4, 0, 1000),	  /* li r4,1000 */
	    MTCTR(4),		  /* mtctr r4 */
	    D_(14, 3, 3, 3),	  /* 1: addi r3,r3,3 */
	    X_(3, 5, 3, 444),	  /* mr r5,r3 */
	    D_(36, 5, 30, 0),	  /* stw r5,0(r30) */
	    BC_(16, 0, -12),	  /* bdnz 1b */
	};

	for (unsigned i = 0; i < JIT_NR_MODES; i++) {
		uint64_t gpr[32] = {0};
		struct outcome a;
		const uint8_t *low = a.data + (mode_le(jit_modes[i]) ? 0 : 2); /* the low half */

		gpr[30] = BASE + DATA;
		run_once(jit_modes[i], w, 7, gpr, true, 1 << 20, &a);
		assert_int_equal(a.gpr[3], 3000);
		assert_int_equal(a.ctr, 0);
		assert_int_equal(mode_le(jit_modes[i]) ? low[0] | low[1] << 8 : low[0] << 8 | low[1],
				 3000);
		assert_int_equal(a.pc, 0);
		assert_true(a.runs >= 1);
	}
}

/* A run that stores over one of its own later instructions: the new instruction runs. */
static void test_store_into_own_run(void **state)
{
	(void)state;
	const uint32_t w[] = {
	    D_(15, 4, 0, 0x3880),   /* lis r4,0x3880 */
	    D_(24, 4, 4, 7),	    /* ori r4,r4,7: r4 = "li r4,7" */
	    D_(36, 4, 30, 12),	    /* stw r4,12(r30): over the li below (r30 = BASE) */
	    D_(14, 4, 0, 1),	    /* li r4,1 -- replaced by li r4,7 */
	    D_(14, 5, 4, 0),	    /* addi r5,r4,0 */
	};

	for (unsigned i = 0; i < JIT_NR_MODES; i++) {
		uint64_t gpr[32] = {0};
		struct outcome a, b;

		gpr[30] = BASE;
		run_once(jit_modes[i], w, 5, gpr, true, 1 << 20, &a);
		run_once(jit_modes[i], w, 5, gpr, false, 1 << 20, &b);
		assert_int_equal(a.gpr[5], 7);
		assert_int_equal(b.gpr[5], 7);
		assert_true(a.runs >= 1);
	}
}

/* A single step at the head of a compiled run runs one instruction, not the run. */
static void test_step_at_run_head(void **state)
{
	(void)state;
	const uint32_t w[] = {D_(14, 3, 0, 1), D_(14, 4, 0, 2), D_(14, 5, 0, 3), END};
	struct bare_machine *m = bare_create(BASE, RAM, jit_modes[0]);
	struct cpu_code_cache_stats st;

	assert_non_null(m);
	bare_put_code(m, BASE, w, 4);
	bare_run(m, BASE);
	cpu_code_cache_get_stats(m->cc, &st);
	assert_int_equal(st.runs, 1);
	m->c.gpr[3] = m->c.gpr[4] = m->c.gpr[5] = 0;
	m->c.pc = BASE;
	assert_int_equal(cpu_step(&m->c), 0);
	assert_int_equal(m->c.pc, BASE + 4);
	assert_int_equal(m->c.gpr[3], 1);
	assert_int_equal(m->c.gpr[4], 0);
	bare_destroy(m);
}

/* Calls between pages: bl to a function on the next page, bctrl to another, blr back, in a
 * counted loop; the far branches are compiled (the fetch's hit inline). The same state
 * compiled and interpreted, for budgets that run out anywhere in it too. */
static void calls_across_pages(uint64_t msr, int64_t budget, struct outcome *o, bool compile)
{
	const uint32_t main_code[] = {
	    D_(14, 3, 0, 0),		/* li r3,0 */
	    D_(14, 5, 0, 40),		/* li r5,40 */
	    D_(15, 6, 0, 0x1000),	/* lis r6,0x1000 */
	    D_(24, 6, 6, 0x1100),	/* ori r6,r6,0x1100: r6 = func2 */
	    B_(0x1000 - 16) | 1,	/* loop: bl func1 */
	    MTCTR(6),			/* mtctr r6 */
	    0x4e800421u,		/* bctrl */
	    D_(14, 5, 5, -1),		/* addi r5,r5,-1 */
	    D_(11, 0 << 2 | 1, 5, 0),	/* cmpdi r5,0 (cmpwi on the 440, which ignores L) */
	    BC_(4, 2, -20),		/* bne loop */
	    END,
	};
	const uint32_t func1[] = {D_(14, 3, 3, 3), 0x4e800020u};		    /* addi; blr */
	const uint32_t func2[] = {D_(14, 3, 3, 5), X_(3, 8, 5, 316), 0x4e800020u}; /* addi; xor; blr */
	struct bare_machine *m = bare_create(BASE, RAM, msr);

	assert_non_null(m);
	cpu_code_cache_set_compile(m->cc, compile);
	bare_put_code(m, BASE, main_code, sizeof(main_code) / 4);
	bare_put_code(m, BASE + 0x1000, func1, 2);
	bare_put_code(m, BASE + 0x1100, func2, 3);
	m->c.pc = BASE;
	m->c.budget = budget;
	cpu_run(&m->c);
	outcome_of(m, o);
}

static void test_calls_across_pages(void **state)
{
	(void)state;
	struct outcome a, b;

	for (unsigned i = 0; i < JIT_NR_MODES; i++) {
		calls_across_pages(jit_modes[i], 1 << 20, &a, true);
		calls_across_pages(jit_modes[i], 1 << 20, &b, false);
		assert_int_equal(a.gpr[3], 320);
		assert_memory_equal(&a, &b, offsetof(struct outcome, runs));
		assert_true(a.runs >= 3);
		for (int64_t budget = 0; budget < 40; budget++) {
			calls_across_pages(jit_modes[i], budget, &a, true);
			calls_across_pages(jit_modes[i], budget, &b, false);
			assert_memory_equal(&a, &b, offsetof(struct outcome, runs));
		}
	}
}

/* Every test above, for the including file's main */
#define JIT_DIFFERENTIAL_TESTS                                                                    \
	cmocka_unit_test(test_random_programs), cmocka_unit_test(test_budget_runs_out_alike),     \
	    cmocka_unit_test(test_loop), cmocka_unit_test(test_store_into_own_run),               \
	    cmocka_unit_test(test_step_at_run_head), cmocka_unit_test(test_calls_across_pages)

#endif
