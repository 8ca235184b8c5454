// SPDX-License-Identifier: MIT
/* MMIO exits and their completion (src/kvm/mmio.c): for every width and form, a faked
 * data-access trap as the core reports it goes through kvm_start_mmio, the test plays
 * userspace (checks or fills run->mmio.data, in bus = big-endian order) and
 * kvm_complete_io must leave the right value in the right register. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kvm/kvm.h"

#define PC 0x00123450u
#define EA 0xe0000104u
#define GPA 0x1e0000104ull /* above 4 GiB: the 440's 36-bit physical space */

struct fix {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_run *run;
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	if (skvm_vm_create(SKVM_VM_PPC_440, &f.vm) || skvm_vcpu_create(f.vm, 0, &f.vcpu))
		return -1;
	f.run = skvm_vcpu_run_data(f.vcpu);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	skvm_vm_destroy(f->vm);
	return 0;
}

/* A trap as mem_slow.c's data_miss builds it. */
static struct cpu_trap data_trap(enum cpu_access acc, unsigned size, unsigned rt)
{
	return (struct cpu_trap){
		.kind = CPU_TRAP_DTLB_MISS,
		.pc = PC,
		.insn = 0x7c000000u | rt << 21,
		.ea = EA,
		.access = acc,
		.esr = acc == CPU_ACCESS_WRITE ? CPU_ESR_ST : 0,
		.mem = {.size = (uint8_t)size, .rt = (uint8_t)rt, .simple = 1},
	};
}

static void set_data(struct skvm_run *run, const uint8_t *bytes, unsigned n)
{
	memset(run->mmio.data, 0xee, sizeof(run->mmio.data)); /* junk past len */
	memcpy(run->mmio.data, bytes, n);
}

/* Start the load, check the exit, answer with bytes, complete. */
static void do_load(struct fix *f, const struct cpu_trap *t, const uint8_t *bytes)
{
	assert_int_equal(kvm_start_mmio(f->vcpu, t, GPA), EMULATE_DO_MMIO);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.phys_addr, GPA);
	assert_int_equal(f->run->mmio.len, t->mem.size);
	assert_int_equal(f->run->mmio.is_write, 0);
	assert_int_equal(f->vcpu->cpu.pc, PC + 4);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_MMIO_LOAD);
	set_data(f->run, bytes, t->mem.size);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_NONE);
}

static uint32_t load_gpr(struct fix *f, unsigned size, unsigned sign, unsigned byterev,
			 const uint8_t *bytes)
{
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, size, 7);

	t.mem.sign = (uint8_t)sign;
	t.mem.byterev = (uint8_t)byterev;
	f->vcpu->cpu.gpr[7] = 0xdeadbeef;
	do_load(f, &t, bytes);
	return f->vcpu->cpu.gpr[7];
}

static void test_load_byte(void **state)
{
	struct fix *f = *state;

	assert_int_equal(load_gpr(f, 1, 0, 0, (const uint8_t[]){0xab}), 0xab);
	assert_int_equal(load_gpr(f, 1, 0, 0, (const uint8_t[]){0x80}), 0x80); /* lbz: no sign */
}

static void test_load_half(void **state)
{
	struct fix *f = *state;
	const uint8_t neg[] = {0x80, 0x01}, pos[] = {0x7f, 0xfe};

	assert_int_equal(load_gpr(f, 2, 0, 0, neg), 0x8001);	    /* lhz */
	assert_int_equal(load_gpr(f, 2, 1, 0, neg), 0xffff8001);   /* lha */
	assert_int_equal(load_gpr(f, 2, 1, 0, pos), 0x7ffe);	    /* lha, positive */
	assert_int_equal(load_gpr(f, 2, 0, 1, neg), 0x0180);	    /* lhbrx */
	assert_int_equal(load_gpr(f, 2, 0, 1, (const uint8_t[]){0x01, 0x80}), 0x8001);
}

static void test_load_word(void **state)
{
	struct fix *f = *state;
	const uint8_t w[] = {0x12, 0x34, 0x56, 0x78};

	assert_int_equal(load_gpr(f, 4, 0, 0, w), 0x12345678);	  /* lwz */
	assert_int_equal(load_gpr(f, 4, 0, 1, w), 0x78563412);	  /* lwbrx */
	assert_int_equal(load_gpr(f, 4, 0, 0, (const uint8_t[]){0xff, 0, 0, 1}), 0xff000001);
}

static void test_load_to_r0(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 4, 0);

	do_load(f, &t, (const uint8_t[]){0xca, 0xfe, 0xba, 0xbe});
	assert_int_equal(f->vcpu->cpu.gpr[0], 0xcafebabe);
	assert_int_equal(f->vcpu->cpu.gpr[CPU_GPR_ZERO], 0);
}

static void test_load_update(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 2, 9);

	/* lhau r9,4(r5): RA gets the EA at the exit, RT the value at completion */
	t.mem.sign = 1;
	t.mem.ra_update = 5;
	f->vcpu->cpu.gpr[5] = EA - 4;
	assert_int_equal(kvm_start_mmio(f->vcpu, &t, GPA), EMULATE_DO_MMIO);
	assert_int_equal(f->vcpu->cpu.gpr[5], EA);
	set_data(f->run, (const uint8_t[]){0xff, 0xfe}, 2);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[9], 0xfffffffe);
	assert_int_equal(f->vcpu->cpu.gpr[5], EA);
}

static uint64_t load_fpr(struct fix *f, unsigned size, const uint8_t *bytes)
{
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, size, 12);

	t.mem.fp = 1;
	f->vcpu->cpu.fpr[12] = 0x5555555555555555ull;
	f->vcpu->cpu.gpr[12] = 0x12121212;
	do_load(f, &t, bytes);
	assert_int_equal(f->vcpu->cpu.gpr[12], 0x12121212); /* the GPR of the same number is not touched */
	return f->vcpu->cpu.fpr[12];
}

static void test_load_fp_single(void **state)
{
	struct fix *f = *state;

	/* lfs: the single is widened to double exactly */
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0x3f, 0x80, 0, 0}), 0x3ff0000000000000ull);
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0xc0, 0x49, 0x0f, 0xdb}),
			 0xc00921fb60000000ull); /* -pi */
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0x80, 0, 0, 0}), 0x8000000000000000ull);
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0x7f, 0x80, 0, 0}), 0x7ff0000000000000ull);
	/* signaling NaN stays signaling (no quieting on load) */
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0x7f, 0x80, 0, 1}), 0x7ff0000020000000ull);
	/* smallest single denormal 2^-149 */
	assert_int_equal(load_fpr(f, 4, (const uint8_t[]){0, 0, 0, 1}), 0x36a0000000000000ull);
}

static void test_load_fp_double(void **state)
{
	struct fix *f = *state;
	const uint8_t d[] = {0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18};

	assert_int_equal(load_fpr(f, 8, d), 0x400921fb54442d18ull); /* lfd: raw */
}

static void test_load_fp_update(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 8, 3);

	t.mem.fp = 1;
	t.mem.ra_update = 31;
	do_load(f, &t, (const uint8_t[]){0xbf, 0xf0, 0, 0, 0, 0, 0, 0});
	assert_int_equal(f->vcpu->cpu.fpr[3], 0xbff0000000000000ull);
	assert_int_equal(f->vcpu->cpu.gpr[31], EA);
}

static void check_store(struct fix *f, unsigned size, uint64_t val, const uint8_t *expect,
			unsigned ra_update)
{
	struct cpu_trap t = data_trap(CPU_ACCESS_WRITE, size, 4);

	t.mem.store_val = val;
	t.mem.ra_update = (uint8_t)ra_update;
	f->vcpu->io_pending = KVM_IO_NONE;
	assert_int_equal(kvm_start_mmio(f->vcpu, &t, GPA), EMULATE_DO_MMIO);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.is_write, 1);
	assert_int_equal(f->run->mmio.len, size);
	assert_int_equal(f->run->mmio.phys_addr, GPA);
	assert_memory_equal(f->run->mmio.data, expect, size);
	assert_int_equal(f->vcpu->cpu.pc, PC + 4);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_NONE);
	if (ra_update)
		assert_int_equal(f->vcpu->cpu.gpr[ra_update], EA);
}

static void test_store_widths(void **state)
{
	struct fix *f = *state;

	check_store(f, 1, 0x5a, (const uint8_t[]){0x5a}, 0);
	check_store(f, 2, 0xbeef, (const uint8_t[]){0xbe, 0xef}, 0);
	check_store(f, 4, 0x11223344, (const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 0);
	/* stfd: the raw double */
	check_store(f, 8, 0x0102030405060708ull,
		    (const uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 0);
	/* stwu, sthu: RA updated at the exit */
	check_store(f, 4, 0xa0b0c0d0, (const uint8_t[]){0xa0, 0xb0, 0xc0, 0xd0}, 6);
	check_store(f, 2, 0x1234, (const uint8_t[]){0x12, 0x34}, 8);

	/* completing a store leaves the registers alone */
	f->vcpu->cpu.gpr[4] = 0x44444444;
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[4], 0x44444444);
}

static void test_store_byterev(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_WRITE, 4, 4);

	/* stwbrx: the core hands over the value already reversed; it goes out as given */
	t.mem.byterev = 1;
	t.mem.store_val = 0x44332211;
	assert_int_equal(kvm_start_mmio(f->vcpu, &t, GPA), EMULATE_DO_MMIO);
	assert_memory_equal(f->run->mmio.data, ((const uint8_t[]){0x44, 0x33, 0x22, 0x11}), 4);
}

static void test_unsupported(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 4, 3);

	/* lmw and friends: not a single access MMIO can complete */
	t.mem.simple = 0;
	t.mem.ra_update = 4;
	t.insn = 0xb8640000u; /* lmw r3,0(r4) */
	f->vcpu->cpu.gpr[4] = 0x4444;
	f->vcpu->cpu.gpr[3] = 0x3333;
	assert_int_equal(kvm_start_mmio(f->vcpu, &t, GPA), EMULATE_EXIT_USER);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_INTERNAL_ERROR);
	assert_int_equal(f->run->internal.suberror, SKVM_INTERNAL_ERROR_UNSUPPORTED);
	assert_int_equal(f->run->internal.ndata, 2);
	assert_int_equal(f->run->internal.data[0], PC);
	assert_int_equal(f->run->internal.data[1], 0xb8640000u);
	assert_int_equal(f->vcpu->cpu.pc, PC);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_NONE);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[3], 0x3333); /* nothing to complete */
	assert_int_equal(f->vcpu->cpu.gpr[4], 0x4444);
}

static void test_dcr_read(void **state)
{
	struct fix *f = *state;

	f->vcpu->io_pending = KVM_IO_DCR_READ;
	f->vcpu->io = (struct cpu_mem_op){.size = 4, .rt = 17};
	f->run->dcr.data = 0x87654321;
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[17], 0x87654321);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_NONE);
}

static void test_hcall_result(void **state)
{
	struct fix *f = *state;

	f->vcpu->io_pending = KVM_IO_HCALL;
	f->run->hcall.ret = 12;
	f->run->hcall.ret2 = 0xabcdef01;
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[3], 12);
	assert_int_equal(f->vcpu->cpu.gpr[4], 0xabcdef01);
	/* completed once only */
	f->vcpu->cpu.gpr[3] = 0;
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[3], 0);
}

static void test_internal_error(void **state)
{
	struct fix *f = *state;

	kvm_internal_error(f->vcpu, SKVM_INTERNAL_ERROR_EMULATION, 0x1000, 0x7c0004ac);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_INTERNAL_ERROR);
	assert_int_equal(f->run->internal.suberror, SKVM_INTERNAL_ERROR_EMULATION);
	assert_int_equal(f->run->internal.data[0], 0x1000);
	assert_int_equal(f->run->internal.data[1], 0x7c0004ac);
}

/* Through a little-endian (E=1) page: the bus sees the bytes reversed; a load is reversed
 * before sign extension, and lwbrx comes out big-endian. */
static void test_le_page(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 4, 3);

	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->vcpu->cpu.pc, PC + 4);
	set_data(f->run, (const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 4);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[3], 0x44332211u);

	t = data_trap(CPU_ACCESS_READ, 2, 4);
	t.mem.sign = 1;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	set_data(f->run, (const uint8_t[]){0x01, 0x80}, 2);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[4], 0xffff8001u);

	t = data_trap(CPU_ACCESS_READ, 4, 5);
	t.mem.byterev = 1;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	set_data(f->run, (const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 4);
	kvm_complete_io(f->vcpu);
	assert_int_equal(f->vcpu->cpu.gpr[5], 0x11223344u);

	t = data_trap(CPU_ACCESS_READ, 8, 6);
	t.mem.fp = 1;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	set_data(f->run, (const uint8_t[]){0, 0, 0, 0, 0, 0, 0xf0, 0x3f}, 8);
	kvm_complete_io(f->vcpu);
	assert_true(f->vcpu->cpu.fpr[6] == 0x3ff0000000000000ull);

	t = data_trap(CPU_ACCESS_WRITE, 4, 7);
	t.mem.store_val = 0x11223344;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	assert_true(f->run->mmio.is_write);
	assert_memory_equal(f->run->mmio.data, ((const uint8_t[]){0x44, 0x33, 0x22, 0x11}), 4);
	t = data_trap(CPU_ACCESS_WRITE, 4, 7);
	t.mem.store_val = 0x11223344;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, false), CPU_RESUME_STOP);
	assert_memory_equal(f->run->mmio.data, ((const uint8_t[]){0x11, 0x22, 0x33, 0x44}), 4);
}

/* A probe (the first page of an access that crosses into another) only learns the order. */
static void test_probe(void **state)
{
	struct fix *f = *state;
	struct cpu_trap t = data_trap(CPU_ACCESS_WRITE, 1, 3);

	t.mem.simple = 0;
	t.mem.probe = 1;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_DATA);
	assert_int_equal(t.mem.le, 1);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_UNKNOWN);
	assert_int_equal(f->vcpu->io_pending, KVM_IO_NONE);
}

/* An access one exit cannot complete (lmw here): each fragment exits once with the PC at
 * the instruction; when the instruction is re-executed the fragments done are answered
 * from the record, and the next new one exits. */
static void test_split(void **state)
{
	struct fix *f = *state;
	struct kvm_mmio_split *s = &f->vcpu->mmio_split;
	struct cpu_trap t = data_trap(CPU_ACCESS_READ, 4, 30);

	t.mem.simple = 0;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.len, 4);
	assert_false(f->run->mmio.is_write);
	assert_int_equal(f->vcpu->cpu.pc, PC); /* not done: it runs again */
	assert_int_equal(f->vcpu->io_pending, KVM_IO_MMIO_SPLIT);
	set_data(f->run, (const uint8_t[]){0x11, 0x22, 0x33, 0x44}, 4);
	kvm_complete_io(f->vcpu);
	assert_true(s->pending);
	assert_int_equal(f->vcpu->cpu.gpr[30], 0); /* no register written by the hypervisor */

	/* the re-execution, as kvm_mmio_split_resume runs it */
	s->replay = true;
	s->next = 0;
	f->run->exit_reason = SKVM_EXIT_UNKNOWN;
	t = data_trap(CPU_ACCESS_READ, 4, 30);
	t.mem.simple = 0;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_DATA);
	assert_int_equal(t.mem.load_val, 0x44332211u); /* E=1: reversed */
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_UNKNOWN);
	t = data_trap(CPU_ACCESS_READ, 4, 30);
	t.mem.simple = 0;
	t.mem.raw = 1; /* a string's bytes: never reversed */
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA + 4, true), CPU_RESUME_STOP);
	assert_int_equal(f->run->mmio.phys_addr, GPA + 4);
	assert_int_equal(s->n, 2);
	set_data(f->run, (const uint8_t[]){0xaa, 0xbb, 0xcc, 0xdd}, 4);
	kvm_complete_io(f->vcpu);
	s->replay = true;
	s->next = 0;
	f->run->exit_reason = SKVM_EXIT_UNKNOWN;
	t = data_trap(CPU_ACCESS_READ, 4, 30);
	t.mem.simple = 0;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_DATA);
	t.mem.raw = 1;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA + 4, true), CPU_RESUME_DATA);
	assert_int_equal(t.mem.load_val, 0xaabbccddu);

	/* a store fragment goes out in bus order, reversed for E=1 */
	s->replay = false;
	t = data_trap(CPU_ACCESS_WRITE, 4, 31);
	t.mem.simple = 0;
	t.mem.store_val = 0x01020304;
	assert_int_equal(kvm_mmio_access(f->vcpu, &t, GPA, true), CPU_RESUME_STOP);
	assert_true(f->run->mmio.is_write);
	assert_memory_equal(f->run->mmio.data, ((const uint8_t[]){4, 3, 2, 1}), 4);
	assert_int_equal(s->n, 1); /* a first execution starts a new record */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_word, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_to_r0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_fp_single, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_fp_double, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_fp_update, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_byterev, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsupported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_le_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dcr_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hcall_result, setup, teardown),
		cmocka_unit_test_setup_teardown(test_internal_error, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
