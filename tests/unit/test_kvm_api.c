// SPDX-License-Identifier: MIT
/* The public API without running a guest (src/kvm/vm.c, vcpu.c, regs.c, stats.c): VM and
 * vcpu lifetime, memory slots, the dirty log, capabilities, pvinfo, register round trips,
 * kicks, the guest TLB entries and the exit statistics. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvm/kvm.h"

#define PG SKVM_PAGE_SIZE
#define RAM_PAGES 256

struct fix {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	uint8_t *ram; /* RAM_PAGES pages, page aligned */
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f || skvm_vm_create(SKVM_VM_PPC_440, &f->vm) || skvm_vcpu_create(f->vm, 0, &f->vcpu))
		return -1;
	f->ram = aligned_alloc(PG, (size_t)RAM_PAGES * PG);
	if (!f->ram)
		return -1;
	memset(f->ram, 0, (size_t)RAM_PAGES * PG);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	skvm_vm_destroy(f->vm);
	free(f->ram);
	free(f);
	return 0;
}

static int set_slot(struct fix *f, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		    void *host)
{
	struct skvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = host,
	};
	return skvm_vm_set_memory_region(f->vm, &r);
}

/* ---- VM and vcpu lifetime ---- */

static void test_vm_create_type(void **state)
{
	struct skvm_vm *vm = (struct skvm_vm *)1;

	(void)state;
	assert_int_equal(skvm_vm_create(1, &vm), -EINVAL);
	assert_null(vm);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vm), 0);
	assert_non_null(vm);
	skvm_vm_destroy(vm);
	skvm_vm_destroy(NULL);
}

static void test_vm_many(void **state)
{
	struct skvm_vm *vms[16];

	(void)state;
	/* No hidden globals: VMs come and go, several alive at once, each with vcpus. */
	for (unsigned round = 0; round < 4; round++) {
		for (unsigned i = 0; i < 16; i++) {
			struct skvm_vcpu *a, *b;

			assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &vms[i]), 0);
			assert_int_equal(skvm_vcpu_create(vms[i], 0, &a), 0);
			assert_int_equal(skvm_vcpu_create(vms[i], 1, &b), 0);
			assert_ptr_not_equal(a, b);
		}
		for (unsigned i = 0; i < 16; i++)
			skvm_vm_destroy(vms[i]);
	}
}

static void test_vcpu_create_limits(void **state)
{
	struct fix *f = *state;
	struct skvm_vcpu *v;

	assert_int_equal(skvm_vcpu_create(f->vm, 0, &v), -EEXIST);
	assert_null(v);
	for (uint32_t id = 1; id < 8; id++)
		assert_int_equal(skvm_vcpu_create(f->vm, id, &v), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_MAX_VCPUS), 8);
	assert_int_equal(skvm_vcpu_create(f->vm, 8, &v), -EINVAL); /* as KVM past the most */
}

static void test_vcpu_reset_state(void **state)
{
	struct fix *f = *state;
	struct skvm_regs regs;
	struct skvm_sregs sregs;

	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	assert_int_equal(regs.pc, 0xfffffffc);
	assert_int_equal(regs.msr, 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &sregs), 0);
	assert_int_equal(sregs.pvr, 0x422218d3);
	assert_ptr_equal(skvm_vcpu_run_data(f->vcpu), skvm_vcpu_run_data(f->vcpu));
}

/* ---- memory slots ---- */

static void test_slot_alignment(void **state)
{
	struct fix *f = *state;

	assert_int_equal(set_slot(f, 0, 0, 0x800, 16 * PG, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG + 1, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, f->ram + 8), -EINVAL);
	assert_int_equal(set_slot(f, SKVM_MAX_MEM_SLOTS, 0, 0, 16 * PG, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 0, 1u << 7, 0, 16 * PG, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, NULL), -EINVAL);
	assert_int_equal(set_slot(f, 0, 0, 1ull << 36, 16 * PG, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, f->ram), 0);
}

static void test_slot_overlap(void **state)
{
	struct fix *f = *state;

	assert_int_equal(set_slot(f, 0, 0, 0x100000, 16 * PG, f->ram), 0);
	/* every kind of overlap */
	assert_int_equal(set_slot(f, 1, 0, 0x100000, 16 * PG, f->ram + 16 * PG), -EEXIST);
	assert_int_equal(set_slot(f, 1, 0, 0x0ff000, 2 * PG, f->ram + 16 * PG), -EEXIST);
	assert_int_equal(set_slot(f, 1, 0, 0x10f000, 2 * PG, f->ram + 16 * PG), -EEXIST);
	assert_int_equal(set_slot(f, 1, 0, 0x104000, 1 * PG, f->ram + 16 * PG), -EEXIST);
	assert_int_equal(set_slot(f, 1, 0, 0x0f0000, 64 * PG, f->ram + 16 * PG), -EEXIST);
	/* adjacent on both sides is fine */
	assert_int_equal(set_slot(f, 1, 0, 0x110000, 4 * PG, f->ram + 16 * PG), 0);
	assert_int_equal(set_slot(f, 2, 0, 0x0fc000, 4 * PG, f->ram + 20 * PG), 0);

	assert_ptr_equal(kvm_gpa_to_slot(f->vm, 0x100000), &f->vm->slots[0]);
	assert_ptr_equal(kvm_gpa_to_slot(f->vm, 0x10ffff), &f->vm->slots[0]);
	assert_ptr_equal(kvm_gpa_to_slot(f->vm, 0x110000), &f->vm->slots[1]);
	assert_ptr_equal(kvm_gpa_to_slot(f->vm, 0x0fffff), &f->vm->slots[2]);
	assert_null(kvm_gpa_to_slot(f->vm, 0x114000));
	assert_null(kvm_gpa_to_slot(f->vm, 0));
	assert_ptr_equal(kvm_gpa_to_host(f->vm, 0x100123, false), f->ram + 0x123);
	assert_ptr_equal(kvm_gpa_to_host(f->vm, 0x111008, true), f->ram + 17 * PG + 8);
	assert_null(kvm_gpa_to_host(f->vm, 0xe0000000, false));
}

static void test_slot_delete_and_modify(void **state)
{
	struct fix *f = *state;

	assert_int_equal(set_slot(f, 3, 0, 0x200000, 8 * PG, NULL), -EINVAL); /* no host */
	assert_int_equal(set_slot(f, 3, 0, 0, 0, NULL), -EINVAL); /* delete an empty slot */
	assert_int_equal(set_slot(f, 3, 0, 0x200000, 8 * PG, f->ram), 0);
	/* size, backing and READONLY cannot change in place */
	assert_int_equal(set_slot(f, 3, 0, 0x200000, 4 * PG, f->ram), -EINVAL);
	assert_int_equal(set_slot(f, 3, 0, 0x200000, 8 * PG, f->ram + PG), -EINVAL);
	assert_int_equal(set_slot(f, 3, SKVM_MEM_READONLY, 0x200000, 8 * PG, f->ram), -EINVAL);
	/* the same again is a no-op; a move is allowed */
	assert_int_equal(set_slot(f, 3, 0, 0x200000, 8 * PG, f->ram), 0);
	assert_int_equal(set_slot(f, 3, 0, 0x300000, 8 * PG, f->ram), 0);
	assert_null(kvm_gpa_to_slot(f->vm, 0x200000));
	assert_ptr_equal(kvm_gpa_to_host(f->vm, 0x300000, true), f->ram);
	/* delete frees the range for another slot */
	assert_int_equal(set_slot(f, 4, 0, 0x300000, 8 * PG, f->ram + 8 * PG), -EEXIST);
	assert_int_equal(set_slot(f, 3, 0, 0x300000, 0, NULL), 0);
	assert_null(kvm_gpa_to_slot(f->vm, 0x300000));
	assert_int_equal(set_slot(f, 4, 0, 0x300000, 8 * PG, f->ram + 8 * PG), 0);
}

static void test_slot_readonly(void **state)
{
	struct fix *f = *state;

	assert_int_equal(set_slot(f, 0, SKVM_MEM_READONLY, 0xfff00000, 16 * PG, f->ram), 0);
	assert_ptr_equal(kvm_gpa_to_host(f->vm, 0xfff00010, false), f->ram + 0x10);
	assert_null(kvm_gpa_to_host(f->vm, 0xfff00010, true));
	/* a write fill never gets W */
	assert_int_equal(kvm_slot_shadow_perm(kvm_gpa_to_slot(f->vm, 0xfff00000), 0xfff00000,
					      SHADOW_PERM_R | SHADOW_PERM_W | SHADOW_PERM_X,
					      CPU_ACCESS_WRITE),
			 SHADOW_PERM_R | SHADOW_PERM_X);
}

static void test_slot_change_flushes(void **state)
{
	struct fix *f = *state;
	struct cpu *c = &f->vcpu->cpu;

	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, f->ram), 0);
	cpu_shadow_fill(c, CPU_ACCESS_READ, 0x5000, f->ram + 5 * PG, 5, SHADOW_PERM_R | SHADOW_PERM_W,
			SHADOW_NO_GTLB);
	assert_non_null(shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x5000, 4));
	assert_int_equal(set_slot(f, 1, 0, 0x100000, 16 * PG, f->ram + 16 * PG), 0);
	assert_null(shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x5000, 4));
}

static void test_slot_busy_while_running(void **state)
{
	struct fix *f = *state;

	/* white box: as if the vcpu thread were inside skvm_vcpu_run */
	f->vcpu->in_run = true;
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, f->ram), -EBUSY);
	f->vcpu->in_run = false;
	assert_int_equal(set_slot(f, 0, 0, 0, 16 * PG, f->ram), 0);
}

/* ---- dirty log ---- */

static void test_dirty_log(void **state)
{
	struct fix *f = *state;
	uint64_t bm[4];
	struct kvm_memslot *s;

	assert_int_equal(set_slot(f, 2, 0, 0x400000, 200 * PG, f->ram), 0);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), -ENOENT); /* not logging */
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 5, bm), -ENOENT); /* no slot */
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 99, bm), -EINVAL);

	/* switch logging on in place */
	assert_int_equal(set_slot(f, 2, SKVM_MEM_LOG_DIRTY_PAGES, 0x400000, 200 * PG, f->ram), 0);
	s = kvm_gpa_to_slot(f->vm, 0x400000);
	assert_non_null(s);
	memset(bm, 0xff, sizeof(bm));
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), 0);
	assert_int_equal(bm[0] | bm[1] | bm[2] | bm[3], 0);

	kvm_mark_page_dirty(s, 0x400000);
	kvm_mark_page_dirty(s, 0x405fff);
	kvm_mark_page_dirty(s, 0x400000 + 70 * PG);
	kvm_mark_page_dirty(s, 0x400000 + 199 * PG);
	kvm_mark_page_dirty(s, 0x400000 + 200 * PG); /* outside: ignored */
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), 0);
	assert_int_equal(bm[0], (1ull << 0) | (1ull << 5));
	assert_int_equal(bm[1], 1ull << 6);
	assert_int_equal(bm[3], 1ull << (199 - 192));
	/* harvesting cleared it */
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), 0);
	assert_int_equal(bm[0] | bm[1] | bm[2] | bm[3], 0);

	/* shadow fills: a read fill of a logged page gets no W, a write fill marks it */
	assert_int_equal(kvm_slot_shadow_perm(s, 0x403000, SHADOW_PERM_R | SHADOW_PERM_W,
					      CPU_ACCESS_READ),
			 SHADOW_PERM_R);
	assert_int_equal(kvm_slot_shadow_perm(s, 0x403000, SHADOW_PERM_R | SHADOW_PERM_W,
					      CPU_ACCESS_WRITE),
			 SHADOW_PERM_R | SHADOW_PERM_W);
	assert_int_equal(kvm_slot_shadow_perm(s, 0x404000, SHADOW_PERM_R, CPU_ACCESS_WRITE),
			 SHADOW_PERM_R); /* no W from the guest TLB: not dirtied */
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), 0);
	assert_int_equal(bm[0], 1ull << 3);

	/* logging off: -ENOENT again */
	assert_int_equal(set_slot(f, 2, 0, 0x400000, 200 * PG, f->ram), 0);
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 2, bm), -ENOENT);
}

static void test_dirty_log_revokes_write(void **state)
{
	struct fix *f = *state;
	struct cpu *c = &f->vcpu->cpu;
	uint64_t bm[1];

	assert_int_equal(set_slot(f, 0, SKVM_MEM_LOG_DIRTY_PAGES, 0, 16 * PG, f->ram), 0);
	assert_int_equal(set_slot(f, 1, 0, 0x100000, 16 * PG, f->ram + 16 * PG), 0);
	/* writable shadow entries in the logged slot and in another one */
	cpu_shadow_fill(c, CPU_ACCESS_WRITE, 0x7000, f->ram + 7 * PG, 7,
			SHADOW_PERM_R | SHADOW_PERM_W, SHADOW_NO_GTLB);
	cpu_shadow_fill(c, CPU_ACCESS_WRITE, 0x100000, f->ram + 16 * PG, 0x100,
			SHADOW_PERM_R | SHADOW_PERM_W, SHADOW_NO_GTLB);
	assert_non_null(shadow_tlb_write_ptr(&c->stlb, c->dtag, 0x7000, 4));
	assert_int_equal(skvm_vm_get_dirty_log(f->vm, 0, bm), 0);
	/* the next guest write to the logged page must trap; reads and the other slot go on */
	assert_null(shadow_tlb_write_ptr(&c->stlb, c->dtag, 0x7000, 4));
	assert_non_null(shadow_tlb_read_ptr(&c->stlb, c->dtag, 0x7000, 4));
	assert_non_null(shadow_tlb_write_ptr(&c->stlb, c->dtag, 0x100000, 4));
}

/* ---- capabilities, pvinfo ---- */

static void test_check_extension(void **state)
{
	struct fix *f = *state;

	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_NR_MEMSLOTS), SKVM_MAX_MEM_SLOTS);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_USER_MEMORY) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_READONLY_MEM) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_PPC_GET_PVINFO) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_PPC_BOOKE_SREGS) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_ONE_REG) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_IMMEDIATE_EXIT) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_SET_GUEST_DEBUG) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_EXIT_TIMING) > 0);
	assert_true(skvm_check_extension(f->vm, SKVM_CAP_PPC_DCR) > 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_PAPR), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_SW_TLB), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_PAIRED_SINGLES), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_OSI), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_EPR), 0);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_NR_VCPUS), 8);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_MAX_VCPUS), 8);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_UNSET_IRQ), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_IRQ_LEVEL), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_ENABLE_CAP), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_ENABLE_CAP_VM), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_INTERNAL_ERROR_DATA), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_PPC_GUEST_DEBUG_SSTEP), 1);
	assert_int_equal(skvm_check_extension(f->vm, (enum skvm_cap)12345), 0);
	assert_int_equal(skvm_get_api_version(), 12);
	assert_int_equal(skvm_check_extension(NULL, SKVM_CAP_NR_MEMSLOTS), SKVM_MAX_MEM_SLOTS);
}

static void test_pvinfo(void **state)
{
	struct fix *f = *state;
	struct skvm_ppc_pvinfo info;

	memset(&info, 0xff, sizeof(info));
	assert_int_equal(skvm_vm_get_pvinfo(f->vm, &info), 0);
	assert_int_equal(info.hcall[0], 0x3c004b56); /* lis r0,0x4b56 */
	assert_int_equal(info.hcall[1], 0x60004d21); /* ori r0,r0,0x4d21 */
	assert_int_equal(info.hcall[2], 0x44000002); /* sc */
	assert_int_equal(info.hcall[3], 0x60000000); /* nop */
	assert_int_equal(info.flags, SKVM_PPC_PVINFO_FLAGS_EV_IDLE);
}

/* ---- registers ---- */

static void test_regs_roundtrip(void **state)
{
	struct fix *f = *state;
	struct skvm_regs in, out;

	memset(&in, 0, sizeof(in));
	in.pc = 0xc0001234;
	in.cr = 0x12345678;
	in.ctr = 0xfedcba98;
	in.lr = 0xc0000100;
	in.xer = 0xe000007f; /* SO OV CA and a byte count */
	in.msr = PPC_MSR_CE | PPC_MSR_EE | PPC_MSR_ME | PPC_MSR_FP;
	in.srr0 = 0xc0002000;
	in.srr1 = PPC_MSR_EE | PPC_MSR_PR;
	in.pid = 0x2a;
	in.sprg0 = 0x10;
	in.sprg1 = 0x11;
	in.sprg2 = 0x12;
	in.sprg3 = 0x13;
	in.sprg4 = 0x14;
	in.sprg5 = 0x15;
	in.sprg6 = 0x16;
	in.sprg7 = 0x17;
	for (unsigned i = 0; i < 32; i++)
		in.gpr[i] = 0x01010101u * i + 7;
	assert_int_equal(skvm_vcpu_set_regs(f->vcpu, &in), 0);
	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &out), 0);
	assert_memory_equal(&in, &out, sizeof(in));
	/* the core's context follows: FP on, PID 0x2a in the tags */
	assert_true(f->vcpu->cpu.fp_enabled);
	assert_int_equal((f->vcpu->cpu.dtag >> 32) & 0xff, 0x2a);
}

static void test_sregs_roundtrip(void **state)
{
	struct fix *f = *state;
	struct skvm_sregs in, out;

	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &in), 0);
	assert_int_equal(in.u.e.features, SKVM_SREGS_E_BASE | SKVM_SREGS_E_ARCH206 |
						  SKVM_SREGS_E_IVOR | SKVM_SREGS_E_DEBUG);
	assert_int_equal(in.u.e.impl_id, SKVM_SREGS_E_IMPL_440);
	assert_int_equal(in.u.e.update_special, 0);
	assert_int_equal(in.u.e.num_iac, 4);
	assert_int_equal(in.u.e.num_dac, 2);
	in.u.e.update_special = SKVM_SREGS_E_UPDATE_MCSR | SKVM_SREGS_E_UPDATE_TSR |
				SKVM_SREGS_E_UPDATE_DEC | SKVM_SREGS_E_UPDATE_DBSR;
	in.u.e.csrr0 = 0xc0000010;
	in.u.e.csrr1 = PPC_MSR_CE;
	in.u.e.mcsrr0 = 0xc0000020;
	in.u.e.mcsrr1 = PPC_MSR_ME;
	in.u.e.esr = 0x00800000;
	in.u.e.dear = 0xdeadbeec;
	in.u.e.mcsr = 0x80000000;
	in.u.e.vrsave = 0x12345678;
	in.u.e.ivpr = 0xc0000000;
	for (unsigned i = 0; i < 16; i++)
		in.u.e.ivor_low[i] = 0x100 + 0x20 * i;
	in.u.e.impl.ppc440.mmucr = 0x00000017;
	in.u.e.impl.ppc440.ccr0 = 0x00500000;
	in.u.e.dbcr[0] = 0x80000000; /* EDM */
	in.u.e.iac[2] = 0x1230;
	in.u.e.dac[1] = 0x4560;
	in.u.e.dbsr = 0x80000000; /* IDE */
	in.u.e.decar = 123456;
	in.u.e.tsr = 0x08000000; /* DIS */
	in.u.e.dec = 400000000; /* 1 s */
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &in), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	/* DEC counted down a little meanwhile, and so did the timebase */
	assert_true(out.u.e.dec <= in.u.e.dec && in.u.e.dec - out.u.e.dec < 400000000u);
	assert_true(out.u.e.tb >= in.u.e.tb && out.u.e.tb - in.u.e.tb < 400000000ull);
	out.u.e.dec = in.u.e.dec;
	out.u.e.tb = in.u.e.tb;
	assert_true(out.u.e.tsr & 0x08000000); /* DIS; FIS may have come on meanwhile */
	out.u.e.tsr = in.u.e.tsr;
	out.u.e.update_special = in.u.e.update_special;
	assert_memory_equal(&in, &out, sizeof(in));

	in.pvr ^= 1; /* the VMM cannot change the processor */
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &in), -EINVAL);
}

/* KVM_SET_SREGS writes only the groups `features` names, the registers that move on their
 * own only when update_special asks, never TB (read-only) and never another PIR. */
static void test_sregs_features_and_special(void **state)
{
	struct fix *f = *state;
	struct skvm_sregs s, out;

	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &s), 0);
	/* a pending decrementer event happens while userspace holds s */
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_OR_TSR, &(uint32_t){0x08000000}),
			 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_DEC, &(uint32_t){50000000}), 0);
	f->vcpu->mcsr = 0x40000000;
	f->vcpu->dbsr = 0x40000000;
	s.u.e.tb += 1000000000000ull; /* TB: ignored */
	s.u.e.csrr0 = 0x1110;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_int_equal(out.u.e.csrr0, 0x1110);
	assert_true(out.u.e.tsr & 0x08000000); /* DIS not rewritten with the old 0 */
	assert_true(out.u.e.dec > 0 && out.u.e.dec <= 50000000);
	assert_int_equal(out.u.e.mcsr, 0x40000000);
	assert_int_equal(out.u.e.dbsr, 0x40000000);
	assert_true(out.u.e.tb < 1000000000000ull);

	/* no feature bits: nothing at all changes */
	s.u.e.features = 0;
	s.u.e.impl_id = SKVM_SREGS_E_IMPL_NONE;
	s.u.e.update_special = UINT32_MAX;
	s.u.e.csrr0 = 0x2220;
	s.u.e.ivpr = 0x50000000;
	s.u.e.ivor_low[3] = 0x330;
	s.u.e.dbcr[0] = 0x80000000;
	s.u.e.impl.ppc440.ccr0 = 0x1;
	s.u.e.tsr = 0;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_int_equal(out.u.e.csrr0, 0x1110);
	assert_int_equal(out.u.e.ivpr, 0);
	assert_int_equal(out.u.e.ivor_low[3], 0);
	assert_int_equal(out.u.e.dbcr[0], 0);
	assert_int_equal(out.u.e.impl.ppc440.ccr0, 0);
	assert_true(out.u.e.tsr & 0x08000000);

	/* each group alone */
	s.u.e.features = SKVM_SREGS_E_IVOR;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_int_equal(out.u.e.ivor_low[3], 0x330);
	assert_int_equal(out.u.e.ivpr, 0);
	s.u.e.features = SKVM_SREGS_E_ARCH206;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_int_equal(out.u.e.ivpr, 0x50000000);
	assert_int_equal(out.u.e.csrr0, 0x1110);

	/* PIR is read-only: another value is refused, and nothing is written */
	s.u.e.features = SKVM_SREGS_E_ARCH206 | SKVM_SREGS_E_BASE;
	s.u.e.pir = 5;
	assert_int_equal(skvm_vcpu_set_sregs(f->vcpu, &s), -EINVAL);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_int_equal(out.u.e.pir, 0);
	assert_int_equal(out.u.e.csrr0, 0x1110);
	/* and TB is set through KVM_REG_PPC_TB_OFFSET alone */
	uint64_t off;
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_TB_OFFSET, &off), 0);
	off += 4000000000000ull;
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC_TB_OFFSET, &off), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->vcpu, &out), 0);
	assert_true(out.u.e.tb >= 4000000000000ull);
}

static uint32_t get32(struct fix *f, uint64_t id)
{
	uint32_t v = 0xdeadbeef;

	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, id, &v), 0);
	return v;
}

static void set32(struct fix *f, uint64_t id, uint32_t v)
{
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, id, &v), 0);
}

static uint64_t get64(struct fix *f, uint64_t id)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, id, &v), 0);
	return v;
}

static void set64(struct fix *f, uint64_t id, uint64_t v)
{
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, id, &v), 0);
}

static void test_one_reg(void **state)
{
	struct fix *f = *state;
	uint64_t v64 = 0;
	uint32_t v32 = 0;

	for (unsigned i = 0; i < 32; i++)
		set64(f, SKVM_REG_PPC_FPR(i), 0x4000000000000000ull + i);
	for (unsigned i = 0; i < 32; i++) {
		assert_int_equal(get64(f, SKVM_REG_PPC_FPR(i)), 0x4000000000000000ull + i);
		assert_int_equal(f->vcpu->cpu.fpr[i], 0x4000000000000000ull + i);
	}
	set64(f, SKVM_REG_PPC_FPSCR, 0x82004000);
	assert_int_equal(get64(f, SKVM_REG_PPC_FPSCR), 0x82004000);

	set64(f, SKVM_REG_PPC_IAC1, 0xc0001000);
	set64(f, SKVM_REG_PPC_IAC4, 0xc0004000);
	set64(f, SKVM_REG_PPC_DAC2, 0xc0008000);
	assert_int_equal(get64(f, SKVM_REG_PPC_IAC1), 0xc0001000);
	assert_int_equal(get64(f, SKVM_REG_PPC_IAC4), 0xc0004000);
	assert_int_equal(get64(f, SKVM_REG_PPC_DAC2), 0xc0008000);
	assert_int_equal(get64(f, SKVM_REG_PPC_DAC1), 0);

	set32(f, SKVM_REG_PPC_VRSAVE, 0xaa55aa55);
	assert_int_equal(get32(f, SKVM_REG_PPC_VRSAVE), 0xaa55aa55);

	set32(f, SKVM_REG_PPC_TCR, 0);
	assert_int_equal(get32(f, SKVM_REG_PPC_TCR), 0);

	/* TSR: set, OR, CLEAR (DIS and FIS, with their interrupts disabled in TCR) */
	set32(f, SKVM_REG_PPC_TSR, 0);
	/* the fixed-interval timer sets FIS every period and the watchdog ENW, then WIS, whatever
	 * TCR says (FIE and WIE only gate their interrupts): on a loaded host one may pass
	 * between a set and a get, so only DIS is compared exactly */
	assert_int_equal(get32(f, SKVM_REG_PPC_TSR) & ~0xc4000000u, 0);
	set32(f, SKVM_REG_PPC_OR_TSR, 0x08000000);
	set32(f, SKVM_REG_PPC_OR_TSR, 0x04000000);
	assert_int_equal(get32(f, SKVM_REG_PPC_TSR) & ~0xc0000000u, 0x0c000000);
	set32(f, SKVM_REG_PPC_CLEAR_TSR, 0x08000000);
	assert_int_equal(get32(f, SKVM_REG_PPC_TSR) & ~0xc0000000u, 0x04000000);
	set32(f, SKVM_REG_PPC_TSR, 0);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC_CLEAR_TSR, &v32), -EINVAL);
	/* OR_TSR's id reads as DEBUG_INST: the software breakpoint instruction */
	assert_int_equal(get32(f, SKVM_REG_PPC_DEBUG_INST), KVMPPC_INST_SW_BREAKPOINT);

	set32(f, SKVM_REG_PPC_DEC, 4000000000u);
	v32 = get32(f, SKVM_REG_PPC_DEC);
	assert_true(v32 <= 4000000000u && v32 > 3000000000u);

	/* TB_OFFSET: the guest timebase is the host's plus the offset */
	set64(f, SKVM_REG_PPC_TB_OFFSET, 1000000000000ull);
	v64 = get64(f, SKVM_REG_PPC_TB_OFFSET);
	assert_true(v64 >= 1000000000000ull - 400000 && v64 <= 1000000000000ull + 400000);

	/* unknown ids, and known numbers with the wrong size */
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x1,
					       &v64),
			 -ENOENT);
	assert_int_equal(skvm_vcpu_set_one_reg(f->vcpu, SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0xff,
					       &v32),
			 -ENOENT);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu,
					       (SKVM_REG_PPC_TCR & ~SKVM_REG_SIZE_MASK) |
						       SKVM_REG_SIZE_U64,
					       &v64),
			 -ENOENT);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu,
					       (SKVM_REG_PPC_FPR(3) & ~SKVM_REG_SIZE_MASK) |
						       SKVM_REG_SIZE_U32,
					       &v32),
			 -ENOENT);
	assert_int_equal(skvm_vcpu_get_one_reg(f->vcpu, 0x6030000000000001ull, &v64), -ENOENT);
	assert_int_equal(SKVM_REG_SIZE(SKVM_REG_PPC_TCR), 4);
	assert_int_equal(SKVM_REG_SIZE(SKVM_REG_PPC_FPR(0)), 8);
}

/* ---- run control without a guest ---- */

static void test_kick_before_run(void **state)
{
	struct fix *f = *state;
	struct skvm_run *run = skvm_vcpu_run_data(f->vcpu);
	struct skvm_exit_stat st[SKVM_EXITS_NR];

	skvm_vcpu_kick(f->vcpu);
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_int_equal(run->exit_reason, SKVM_EXIT_INTR);
	/* immediate_exit, as KVM */
	run->immediate_exit = 1;
	run->exit_reason = SKVM_EXIT_UNKNOWN;
	assert_int_equal(skvm_vcpu_run(f->vcpu), -EINTR);
	assert_int_equal(run->exit_reason, SKVM_EXIT_INTR);
	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_SIGNAL].count, 2);
}

static void test_interrupt_args(void **state)
{
	struct fix *f = *state;

	/* Linux's values: -1U, -2U, -3U (not 0, 1, 2) */
	assert_int_equal(SKVM_INTERRUPT_SET, (uint32_t)-1);
	assert_int_equal(SKVM_INTERRUPT_UNSET, (uint32_t)-2);
	assert_int_equal(SKVM_INTERRUPT_SET_LEVEL, (uint32_t)-3);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, 7, false), -EINVAL);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, 0, false), -EINVAL);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, 1, false), -EINVAL);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET_LEVEL, false), 0);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_UNSET, false), 0);
	assert_int_equal(skvm_vcpu_interrupt(f->vcpu, SKVM_INTERRUPT_SET, true), 0);
}

static void test_enable_cap_and_debug(void **state)
{
	struct fix *f = *state;
	struct skvm_guest_debug dbg = {.control = SKVM_GUESTDBG_ENABLE};

	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_EXIT_TIMING, 1), 0);
	assert_true(f->vcpu->timing);
	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_EXIT_TIMING, 0), 0);
	assert_false(f->vcpu->timing);
	assert_int_equal(skvm_vcpu_enable_cap(f->vcpu, SKVM_CAP_ONE_REG, 1), -EINVAL);

	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	dbg.control |= SKVM_GUESTDBG_USE_SW_BP;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), 0);
	dbg.control |= 1u << 20;
	assert_int_equal(skvm_vcpu_set_guest_debug(f->vcpu, &dbg), -EINVAL);
}

/* ---- guest TLB ---- */

static void test_tlb_entries(void **state)
{
	struct fix *f = *state;
	/* 0x10000000, valid, TS 0, 4 KiB -> 0x20000000, supervisor RWX, TID 7 */
	struct skvm_440_tlb_entry in = {.word0 = 0x10000210, .word1 = 0x20000000, .word2 = 0x7,
					.tid = 7};
	struct skvm_440_tlb_entry out;

	assert_int_equal(skvm_vcpu_set_tlb_entry(f->vcpu, 5, &in), 0);
	assert_int_equal(skvm_vcpu_get_tlb_entry(f->vcpu, 5, &out), 0);
	assert_int_equal(out.word0, in.word0);
	assert_int_equal(out.word1, in.word1);
	assert_int_equal(out.word2, in.word2);
	assert_int_equal(out.tid, in.tid);
	assert_int_equal(f->vcpu->tlb[5].word0, in.word0);

	assert_int_equal(skvm_vcpu_set_tlb_entry(f->vcpu, SKVM_440_TLB_ENTRIES, &in), -EINVAL);
	assert_int_equal(skvm_vcpu_get_tlb_entry(f->vcpu, SKVM_440_TLB_ENTRIES, &out), -EINVAL);
	assert_int_equal(skvm_vcpu_get_tlb_entry(f->vcpu, 63, &out), 0);
}

/* ---- statistics ---- */

static void test_exit_stats_names(void **state)
{
	struct fix *f = *state;
	struct skvm_exit_stat st[SKVM_EXITS_NR];

	assert_string_equal(skvm_exit_type_name(SKVM_EXITS_MMIO), "mmio");
	assert_string_equal(skvm_exit_type_name(SKVM_EXITS_DTLB_VIRT_MISS), "dtlb_virt_miss");
	assert_string_equal(skvm_exit_type_name(SKVM_EXITS_NR), "unknown");
	assert_string_equal(skvm_exit_type_name((enum skvm_exit_type)-1), "unknown");
	for (int i = 0; i < SKVM_EXITS_NR; i++) {
		const char *n = skvm_exit_type_name((enum skvm_exit_type)i);

		assert_string_not_equal(n, "unknown");
		for (int j = 0; j < i; j++)
			assert_string_not_equal(n, skvm_exit_type_name((enum skvm_exit_type)j));
	}

	skvm_vcpu_get_exit_stats(f->vcpu, st);
	for (int i = 0; i < SKVM_EXITS_NR; i++)
		assert_int_equal(st[i].count, 0);

	kvm_account_exit(f->vcpu, SKVM_EXITS_DCR);
	kvm_exit_stat_add(&f->vcpu->stats[SKVM_EXITS_DCR], 300);
	kvm_account_exit(f->vcpu, SKVM_EXITS_DCR);
	kvm_exit_stat_add(&f->vcpu->stats[SKVM_EXITS_DCR], 100);
	/* an exit that began 5 us into the guest and ended as none to time */
	uint64_t t0 = kvm_exit_timing_begin(f->vcpu->stats, kvm_now_ns() - 5000);
	assert_true(kvm_exit_timing_end(f->vcpu->stats, KVM_EXIT_NONE, t0) >= t0);
	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_DCR].count, 2);
	assert_int_equal(st[SKVM_EXITS_DCR].total_ns, 400);
	assert_int_equal(st[SKVM_EXITS_DCR].min_ns, 100);
	assert_int_equal(st[SKVM_EXITS_DCR].max_ns, 300);
	assert_int_equal(st[SKVM_EXITS_TIMEINGUEST].count, 1);
	assert_true(st[SKVM_EXITS_TIMEINGUEST].total_ns >= 5000);

	uint64_t a = kvm_now_ns(), b = kvm_now_ns();
	assert_true(b >= a);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vm_create_type),
		cmocka_unit_test(test_vm_many),
		T(test_vcpu_create_limits),
		T(test_vcpu_reset_state),
		T(test_slot_alignment),
		T(test_slot_overlap),
		T(test_slot_delete_and_modify),
		T(test_slot_readonly),
		T(test_slot_change_flushes),
		T(test_slot_busy_while_running),
		T(test_dirty_log),
		T(test_dirty_log_revokes_write),
		T(test_check_extension),
		T(test_pvinfo),
		T(test_regs_roundtrip),
		T(test_sregs_roundtrip),
		T(test_sregs_features_and_special),
		T(test_one_reg),
		T(test_kick_before_run),
		T(test_interrupt_args),
		T(test_enable_cap_and_debug),
		T(test_tlb_entries),
		T(test_exit_stats_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
