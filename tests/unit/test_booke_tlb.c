// SPDX-License-Identifier: MIT
/* The 440 guest TLB (src/kvm/booke/tlb.c) through the emulated instructions: tlbwe/tlbre
 * of the three words and MMUCR[STID], tlbsx(.), the match rules (valid, TS, TID 0 or PID,
 * every page size and where it ends), permissions, and the shadow TLB it feeds: refills,
 * TLB-miss/DSI/ISI interrupts, MMIO and machine checks outside RAM, and invalidation when
 * an entry is rewritten. Instructions are handed to kvmppc_emulate_instruction in a
 * hand-made struct cpu_trap, as the core's trap would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/exec.h"
#include "kvm/booke/booke.h"
#include "kvm/kvm.h"
#include "vcpu_fixture.h"

#define RAM_SIZE (4u << 20)
#define IVPR 0x00000000u

/* ---- encodings (x_form, mtspr: vcpu_fixture.h) ---- */
static uint32_t tlbwe(unsigned rs, unsigned ra, unsigned ws)
{
	return x_form(tlbwe, rs, ra, ws);
}
static uint32_t tlbre(unsigned rt, unsigned ra, unsigned ws)
{
	return x_form(tlbre, rt, ra, ws);
}
static uint32_t tlbsx(unsigned rt, unsigned ra, unsigned rb, bool rc)
{
	return x_form(tlbsx, rt, ra, rb) | rc;
}
static int setup(void **state)
{
	struct vcpu_fix *f = vcpu_fix_create(RAM_SIZE);
	struct skvm_vcpu *v = f->vcpu;
	v->ivpr = IVPR;
	v->cpu.pc = PC;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	vcpu_fix_destroy(*state);
	return 0;
}

/* tlbwe of all three words of entry idx (TID from MMUCR[STID] = tid). */
static void write_entry(struct skvm_vcpu *v, unsigned idx, uint32_t w0, uint32_t w1, uint32_t w2,
			uint8_t tid)
{
	struct cpu *c = &v->cpu;
	c->gpr[3] = idx;
	v->mmucr = (v->mmucr & ~0xffu) | tid;
	c->gpr[4] = w0;
	assert_int_equal(emulate(v, tlbwe(4, 3, 0)), EMULATE_DONE);
	c->gpr[4] = w1;
	assert_int_equal(emulate(v, tlbwe(4, 3, 1)), EMULATE_DONE);
	c->gpr[4] = w2;
	assert_int_equal(emulate(v, tlbwe(4, 3, 2)), EMULATE_DONE);
	assert_int_equal(c->pc, PC + 4);
}

#define W0(epn, size, ts) ((epn) | PPC44x_TLB_VALID | ((size) << 4) | ((ts) ? PPC44x_TLB_TS : 0))
#define SZ_4K 1
#define SZ_16M 7
#define RWX_S (PPC44x_TLB_SR | PPC44x_TLB_SW | PPC44x_TLB_SX)
#define RWX_U (PPC44x_TLB_UR | PPC44x_TLB_UW | PPC44x_TLB_UX)

/* A shadow-TLB miss for ea, as the core reports it. */
static enum cpu_resume miss(struct skvm_vcpu *v, uint32_t ea, enum cpu_access acc)
{
	struct cpu_trap t = {
		.kind = acc == CPU_ACCESS_EXEC ? CPU_TRAP_ITLB_MISS : CPU_TRAP_DTLB_MISS,
		.pc = acc == CPU_ACCESS_EXEC ? ea : PC,
		.insn = acc == CPU_ACCESS_EXEC ? 0 : 0x80640000u, /* lwz r3,0(r4) */
		.ea = ea,
		.access = acc,
		.mem = {.size = 4, .rt = 3, .simple = 1},
	};
	v->cpu.pc = t.pc;
	return ppc440_handle_tlb_miss(v, &t);
}

static bool shadow_read(struct skvm_vcpu *v, uint32_t ea)
{
	return shadow_tlb_read_ptr(&v->cpu.stlb, v->cpu.dtag, ea, 4) != NULL;
}
static bool shadow_write(struct skvm_vcpu *v, uint32_t ea)
{
	return shadow_tlb_write_ptr(&v->cpu.stlb, v->cpu.dtag, ea, 4) != NULL;
}

static void test_tlbwe_tlbre_roundtrip(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	/* parity bits of word 0 and reserved bits of words 1 and 2 read back as 0 */
	write_entry(v, 5, 0xc000025fu, 0x1234567fu, 0xffffffffu, 0x42);
	v->mmucr = 0x00010000u;
	c->gpr[3] = 5 + 64; /* the index is RA's low 6 bits */
	assert_int_equal(emulate(v, tlbre(6, 3, 0)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 0xc0000250u);
	assert_int_equal(v->mmucr, 0x00010042u); /* tlbre word 0 loads MMUCR[STID] */
	assert_int_equal(emulate(v, tlbre(6, 3, 1)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 0x1234540fu);
	assert_int_equal(emulate(v, tlbre(6, 3, 2)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 0x0000ffbfu);
	assert_int_equal(v->tlb[5].tid, 0x42);

	/* WS > 2 is an invalid form: program interrupt, illegal */
	assert_int_equal(emulate(v, tlbwe(4, 3, 3)), EMULATE_AGAIN);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_PROGRAM));
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PIL);
	assert_int_equal(kvmppc_get_srr0(v), PC);
}

static void test_tlbsx(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	write_entry(v, 7, W0(0x10000000u, SZ_4K, 0), 0x00100000u, RWX_S, 0);
	write_entry(v, 9, W0(0x20000000u, SZ_4K, 0), 0x00101000u, RWX_S, 5);
	write_entry(v, 11, W0(0x30000000u, SZ_4K, 1), 0x00102000u, RWX_S, 0);

	c->gpr[4] = 0x10000000u;
	c->gpr[5] = 0x123;
	v->mmucr = 9; /* TID 0 matches any STID */
	c->cr = 0;
	c->xer_so = 1;
	assert_int_equal(emulate(v, tlbsx(6, 4, 5, true)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 7);
	assert_int_equal(c->cr >> 28, CR_EQ | CR_SO);

	c->gpr[4] = 0x20000000u; /* TID 5: STID 9 misses, STID 5 hits */
	assert_int_equal(emulate(v, tlbsx(6, 4, 5, true)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 0xffffffffu);
	assert_int_equal(c->cr >> 28, CR_SO);
	v->mmucr = 5;
	assert_int_equal(emulate(v, tlbsx(6, 4, 5, false)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 9);
	assert_int_equal(c->cr >> 28, CR_SO); /* no record form: CR untouched */

	c->gpr[4] = 0x30000000u; /* TS=1 entry: found only with MMUCR[STS] */
	assert_int_equal(emulate(v, tlbsx(6, 4, 5, true)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 0xffffffffu);
	v->mmucr = PPC44x_MMUCR_STS;
	c->gpr[0] = 0x30000000u; /* RA = 0 means 0, not r0 */
	c->gpr[5] = 0x30000004u;
	assert_int_equal(emulate(v, tlbsx(6, 0, 5, true)), EMULATE_DONE);
	assert_int_equal(c->gpr[6], 11);
}

static void test_match_rules(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;

	write_entry(v, 3, W0(0x10000000u, SZ_4K, 0), 0, RWX_S, 0);
	write_entry(v, 4, W0(0x20000000u, SZ_4K, 1), 0, RWX_S, 0);
	write_entry(v, 5, W0(0x30000000u, SZ_4K, 0), 0, RWX_S, 7);
	write_entry(v, 6, 0x40000000u | (SZ_4K << 4), 0, RWX_S, 0); /* not valid */

	assert_int_equal(ppc440_tlb_lookup(v, 0x10000abcu, 0, 0), 3);
	assert_int_equal(ppc440_tlb_lookup(v, 0x10000abcu, 99, 0), 3); /* TID 0: any PID */
	assert_int_equal(ppc440_tlb_lookup(v, 0x10000abcu, 0, 1), -1); /* TS differs */
	assert_int_equal(ppc440_tlb_lookup(v, 0x20000000u, 0, 0), -1);
	assert_int_equal(ppc440_tlb_lookup(v, 0x20000000u, 0, 1), 4);
	assert_int_equal(ppc440_tlb_lookup(v, 0x30000000u, 7, 0), 5);
	assert_int_equal(ppc440_tlb_lookup(v, 0x30000000u, 6, 0), -1);
	assert_int_equal(ppc440_tlb_lookup(v, 0x30000000u, 0, 0), -1); /* PID 0 vs TID 7 */
	assert_int_equal(ppc440_tlb_lookup(v, 0x40000000u, 0, 0), -1);

	/* the lowest index wins when entries overlap */
	write_entry(v, 1, W0(0x10000000u, SZ_16M, 0), 0, RWX_S, 0);
	assert_int_equal(ppc440_tlb_lookup(v, 0x10000abcu, 0, 0), 1);
}

static void test_every_size(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	static const struct {
		unsigned field;
		uint32_t bytes;
	} sizes[] = {{0, 1u << 10},  {1, 1u << 12},  {2, 1u << 14}, {3, 1u << 16},
		     {4, 1u << 18},  {5, 1u << 20},  {7, 1u << 24}, {9, 1u << 28}};
	const uint32_t base = 0x50000000u;

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		/* EPN bits below the page size are ignored in the compare */
		write_entry(v, 20, W0(base | (sizes[i].bytes >> 1 & ~0x3ffu), sizes[i].field, 0),
			    0, RWX_S, 0);
		assert_int_equal(ppc440_tlb_lookup(v, base, 0, 0), 20);
		assert_int_equal(ppc440_tlb_lookup(v, base + sizes[i].bytes - 1, 0, 0), 20);
		assert_int_equal(ppc440_tlb_lookup(v, base + sizes[i].bytes, 0, 0), -1);
		assert_int_equal(ppc440_tlb_lookup(v, base - 1, 0, 0), -1);
	}
}

static void test_refill_and_permissions(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	/* 0x10000000 -> RAM 0x200000, supervisor read only; user read/write */
	write_entry(v, 2, W0(0x10000000u, SZ_4K, 0), 0x00200000u,
		    PPC44x_TLB_SR | PPC44x_TLB_UR | PPC44x_TLB_UW, 0);
	f->ram[0x200010] = 0xab;

	assert_int_equal(miss(v, 0x10000010u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_true(shadow_read(v, 0x10000010u));
	assert_false(shadow_write(v, 0x10000010u));
	assert_int_equal(*shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x10000010u, 1), 0xab);

	/* supervisor store: no SW -> DSI with ESR[ST], DEAR */
	kvmppc_set_esr(v, 0);
	assert_int_equal(miss(v, 0x10000020u, CPU_ACCESS_WRITE), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_DATA_STORAGE));
	assert_int_equal(kvmppc_get_srr0(v), PC);
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_ME);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_ST);
	assert_int_equal(kvmppc_get_dear(v), 0x10000020u);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME);

	/* user mode: read and write allowed, fetch is not (ISI) */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_EE | PPC_MSR_ME);
	assert_int_equal(miss(v, 0x10000020u, CPU_ACCESS_WRITE), CPU_RESUME_RETRY);
	assert_true(shadow_write(v, 0x10000020u));
	assert_int_equal(miss(v, 0x10000040u, CPU_ACCESS_EXEC), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_INST_STORAGE));
	assert_int_equal(kvmppc_get_srr0(v), 0x10000040u);
	assert_int_equal(kvmppc_get_srr1(v), PPC_MSR_PR | PPC_MSR_EE | PPC_MSR_ME);
	assert_int_equal(kvmppc_get_msr(v), PPC_MSR_ME); /* PR and EE cleared */
}

static void test_tlb_miss_interrupts(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	assert_int_equal(miss(v, 0x7000a000u, CPU_ACCESS_WRITE), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_DTLB_MISS));
	assert_int_equal(kvmppc_get_dear(v), 0x7000a000u);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_ST);
	assert_int_equal(kvmppc_get_srr0(v), PC);

	kvmppc_set_msr(v, PPC_MSR_ME);
	kvmppc_set_esr(v, 0x1234);
	assert_int_equal(miss(v, 0x7000b000u, CPU_ACCESS_EXEC), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_ITLB_MISS));
	assert_int_equal(kvmppc_get_srr0(v), 0x7000b000u);
	assert_int_equal(kvmppc_get_esr(v), 0x1234); /* an ITLB miss leaves ESR alone */

	/* the entry is looked up with the address space of the access: MSR[DS] for data */
	write_entry(v, 0, W0(0x7000c000u, SZ_4K, 1), 0x00100000u, RWX_S, 0);
	kvmppc_set_msr(v, PPC_MSR_ME);
	assert_int_equal(miss(v, 0x7000c000u, CPU_ACCESS_READ), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_DTLB_MISS));
	kvmppc_set_msr(v, PPC_MSR_ME | PPC_MSR_DS);
	assert_int_equal(miss(v, 0x7000c000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_int_equal(miss(v, 0x7000c000u, CPU_ACCESS_EXEC), CPU_RESUME_REFETCH); /* IS=0 */
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_ITLB_MISS));
}

static void test_outside_ram(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	write_entry(v, 1, W0(0xef600000u, SZ_4K, 0), 0xef600000u, RWX_S, 0);
	assert_int_equal(miss(v, 0xef600304u, CPU_ACCESS_READ), CPU_RESUME_STOP);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(v->run.mmio.phys_addr, 0xef600304u);
	assert_int_equal(v->run.mmio.len, 4);
	assert_int_equal(v->run.mmio.is_write, 0);
	v->run.exit_reason = SKVM_EXIT_UNKNOWN;

	/* ERPN: above 4 GiB, not RAM either */
	write_entry(v, 2, W0(0xd0000000u, SZ_4K, 0), 0x00000001u, RWX_S, 0);
	assert_int_equal(miss(v, 0xd0000008u, CPU_ACCESS_READ), CPU_RESUME_STOP);
	assert_int_equal(v->run.mmio.phys_addr, 0x100000008ull);
	v->run.exit_reason = SKVM_EXIT_UNKNOWN;

	/* a fetch there is a bus error: machine check, or a checkstop with MSR[ME]=0 */
	assert_int_equal(miss(v, 0xef600000u, CPU_ACCESS_EXEC), CPU_RESUME_REFETCH);
	assert_int_equal(c->pc, VEC(BOOKE_IVOR_MACHINE_CHECK));
	assert_int_equal(v->mcsrr0, 0xef600000u);
	assert_int_equal(v->mcsrr1, PPC_MSR_ME);
	assert_int_equal(kvmppc_get_msr(v), 0);
	assert_true(v->mcsr & MCSR_MCS);
	assert_int_equal(miss(v, 0xef600000u, CPU_ACCESS_EXEC), CPU_RESUME_STOP);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_INTERNAL_ERROR);
	assert_int_equal(v->run.internal.suberror, SKVM_INTERNAL_ERROR_CHECKSTOP);
}

static void test_readonly_and_dirty_slots(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	uint8_t *rom = aligned_alloc(4096, 2 * 4096);
	uint64_t bitmap[1] = {0};

	assert_non_null(rom);
	struct skvm_userspace_memory_region ro = {.slot = 1, .flags = SKVM_MEM_READONLY,
						   .guest_phys_addr = 0x10000000u,
						   .memory_size = 4096, .userspace_addr = rom};
	struct skvm_userspace_memory_region log = {.slot = 2, .flags = SKVM_MEM_LOG_DIRTY_PAGES,
						    .guest_phys_addr = 0x10001000u,
						    .memory_size = 4096,
						    .userspace_addr = rom + 4096};
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &ro), 0);
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &log), 0);
	write_entry(v, 4, W0(0x90000000u, SZ_4K, 0), 0x10000000u, RWX_S, 0);
	write_entry(v, 5, W0(0x90001000u, SZ_4K, 0), 0x10001000u, RWX_S, 0);

	/* read-only slot: reads map, writes never (they are MMIO) */
	assert_int_equal(miss(v, 0x90000000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_true(shadow_read(v, 0x90000000u));
	assert_false(shadow_write(v, 0x90000000u));
	assert_int_equal(miss(v, 0x90000000u, CPU_ACCESS_WRITE), CPU_RESUME_STOP);
	assert_int_equal(v->run.exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(v->run.mmio.is_write, 1);
	v->run.exit_reason = SKVM_EXIT_UNKNOWN;

	/* dirty-logged slot: W only for the store, which marks the page */
	assert_int_equal(miss(v, 0x90001000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_false(shadow_write(v, 0x90001000u));
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bitmap), 0);
	assert_int_equal(bitmap[0], 0);
	assert_int_equal(miss(v, 0x90001000u, CPU_ACCESS_WRITE), CPU_RESUME_RETRY);
	assert_true(shadow_write(v, 0x90001000u));
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bitmap), 0);
	assert_int_equal(bitmap[0], 1);
	free(rom);
}

static void test_overwrite_invalidates_shadow(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct cpu *c = &v->cpu;

	write_entry(v, 8, W0(0x10000000u, SZ_4K, 0), 0x00200000u, RWX_S, 0);
	write_entry(v, 9, W0(0x10001000u, SZ_4K, 0), 0x00201000u, RWX_S, 0);
	assert_int_equal(miss(v, 0x10000000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_int_equal(miss(v, 0x10001000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_true(shadow_read(v, 0x10000000u));

	/* rewriting word 0 with a new EPN drops the old page only */
	c->gpr[3] = 8;
	c->gpr[4] = W0(0x10002000u, SZ_4K, 0);
	assert_int_equal(emulate(v, tlbwe(4, 3, 0)), EMULATE_DONE);
	assert_false(shadow_read(v, 0x10000000u));
	assert_true(shadow_read(v, 0x10001000u));
	assert_int_equal(miss(v, 0x10000000u, CPU_ACCESS_READ), CPU_RESUME_REFETCH); /* gone */

	/* a new RPN (word 1) on a valid entry drops its mapping too */
	assert_int_equal(miss(v, 0x10002000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	f->ram[0x200000] = 1;
	f->ram[0x203000] = 2;
	assert_int_equal(*shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x10002000u, 1), 1);
	c->gpr[4] = 0x00203000u;
	assert_int_equal(emulate(v, tlbwe(4, 3, 1)), EMULATE_DONE);
	assert_false(shadow_read(v, 0x10002000u));
	assert_int_equal(miss(v, 0x10002000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_int_equal(*shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x10002000u, 1), 2);

	/* and so does taking away a permission (word 2) */
	c->gpr[4] = PPC44x_TLB_SX;
	assert_int_equal(emulate(v, tlbwe(4, 3, 2)), EMULATE_DONE);
	assert_false(shadow_read(v, 0x10002000u));

	/* rewriting an entry with what it holds keeps the mapping */
	assert_int_equal(miss(v, 0x10001000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	c->gpr[3] = 9;
	c->gpr[4] = 0x00201000u;
	assert_int_equal(emulate(v, tlbwe(4, 3, 1)), EMULATE_DONE);
	assert_true(shadow_read(v, 0x10001000u));

	/* a large page: every 4 KiB piece that was filled goes */
	write_entry(v, 10, W0(0x20000000u, SZ_16M, 0), 0x00000000u, RWX_S, 0);
	assert_int_equal(miss(v, 0x20000000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_int_equal(miss(v, 0x20123000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_int_equal(miss(v, 0x203ff000u, CPU_ACCESS_READ), CPU_RESUME_RETRY);
	assert_true(shadow_read(v, 0x20123000u));
	c->gpr[3] = 10;
	c->gpr[4] = 10; /* Linux's __tlbil_va: tlbwe of the index itself, V=0 */
	assert_int_equal(emulate(v, tlbwe(4, 3, 0)), EMULATE_DONE);
	assert_false(shadow_read(v, 0x20000000u));
	assert_false(shadow_read(v, 0x20123000u));
	assert_false(shadow_read(v, 0x203ff000u));
	assert_true(shadow_read(v, 0x10001000u));
}

static void test_api_entries(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	struct skvm_440_tlb_entry e = {.word0 = W0(0, 9, 0), .word1 = 0, .word2 = RWX_S, .tid = 0};
	struct skvm_440_tlb_entry back;

	assert_int_equal(skvm_vcpu_set_tlb_entry(v, 0, &e), 0);
	assert_int_equal(skvm_vcpu_get_tlb_entry(v, 0, &back), 0);
	assert_int_equal(back.word0, e.word0);
	assert_int_equal(ppc440_tlb_lookup(v, 0x0fffffffu, 0, 0), 0);
	assert_int_equal(miss(v, 0x00100000u, CPU_ACCESS_EXEC), CPU_RESUME_RETRY);
	assert_int_not_equal(skvm_vcpu_set_tlb_entry(v, 64, &e), 0);

	ppc440_tlb_reset(v);
	assert_int_equal(ppc440_tlb_lookup(v, 0x00100000u, 0, 0), -1);
	assert_false(shadow_read(v, 0x00100000u));
}

/* KVM_TRANSLATE: linear_address = AS << 40 | PID << 32 | EA, through the guest TLB whatever
 * the permissions; TID 0 matches every PID; the ERPN gives the bits above 4 GiB. */
static uint64_t translate(struct skvm_vcpu *v, uint32_t ea, uint8_t pid, unsigned as, bool *valid)
{
	struct skvm_translation tr = {
	    .linear_address = (uint64_t)as << 40 | (uint64_t)pid << 32 | ea,
	    .physical_address = 0xdead,
	    .valid = 0xff,
	};

	assert_int_equal(skvm_vcpu_translate(v, &tr), 0);
	*valid = tr.valid;
	return tr.physical_address;
}

static void test_translate(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;
	bool valid;

	/* 16 MiB at 0xc0000000 -> 0x01000000, TID 0, AS 0, no permission at all */
	struct skvm_440_tlb_entry k = {.word0 = W0(0xc0000000u, SZ_16M, 0), .word1 = 0x01000000u};
	/* 4 KiB at 0x10002000 -> 0x3_00005000 (ERPN 3), TID 7, AS 1 */
	struct skvm_440_tlb_entry u = {
	    .word0 = W0(0x10002000u, SZ_4K, 1), .word1 = 0x00005000u | 3, .word2 = RWX_U, .tid = 7};
	assert_int_equal(skvm_vcpu_set_tlb_entry(v, 3, &k), 0);
	assert_int_equal(skvm_vcpu_set_tlb_entry(v, 4, &u), 0);

	assert_int_equal(translate(v, 0xc0abcdefu, 0, 0, &valid), 0x01abcdefu);
	assert_true(valid);
	assert_int_equal(translate(v, 0xc0abcdefu, 0x55, 0, &valid), 0x01abcdefu);
	assert_true(valid); /* TID 0: any PID */
	translate(v, 0xc0abcdefu, 0, 1, &valid);
	assert_false(valid); /* the other address space */
	translate(v, 0xc1000000u, 0, 0, &valid);
	assert_false(valid); /* just past the page */

	assert_int_equal(translate(v, 0x10002ffcu, 7, 1, &valid), 0x300005ffcull);
	assert_true(valid);
	translate(v, 0x10002ffcu, 6, 1, &valid);
	assert_false(valid); /* another PID */
	translate(v, 0x10002ffcu, 7, 0, &valid);
	assert_false(valid);
}

static void test_user_mode_is_privileged(void **state)
{
	struct vcpu_fix *f = *state;
	struct skvm_vcpu *v = f->vcpu;

	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	v->cpu.gpr[3] = 1;
	v->cpu.gpr[4] = W0(0x10000000u, SZ_4K, 0);
	assert_int_equal(emulate(v, tlbwe(4, 3, 0)), EMULATE_AGAIN);
	assert_int_equal(v->cpu.pc, VEC(BOOKE_IVOR_PROGRAM));
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PPR);
	assert_int_equal(v->tlb[1].word0, 0);

	/* mtspr MMUCR in user mode too */
	kvmppc_set_msr(v, PPC_MSR_PR | PPC_MSR_ME);
	assert_int_equal(emulate(v, mtspr(SPRN_MMUCR, 4)), EMULATE_AGAIN);
	assert_int_equal(kvmppc_get_esr(v), CPU_ESR_PPR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tlbwe_tlbre_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlbsx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refill_and_permissions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tlb_miss_interrupts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_and_dirty_slots, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overwrite_invalidates_shadow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_mode_is_privileged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_translate, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
