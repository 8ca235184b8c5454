/* SPDX-License-Identifier: MIT */
/* A 440 VM with 1 MiB of RAM at 0, a vcpu with 256 MiB TLB entries over RAM and over MMIO at
 * 0xe0000000, and a watchdog thread, for unit tests that run small guest programs through
 * the public API (skvm_vcpu_run). Every interrupt vector i (ivpr = 0, ivor[i] = VEC(i))
 * stores i to MMIO at 0xe0000100, so an MMIO write exit there says which interrupt the
 * guest took. Include it after <cmocka.h>. */
#ifndef SOFTKVM_TEST_RUN_FIXTURE_H
#define SOFTKVM_TEST_RUN_FIXTURE_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvm/kvm.h"

#define PG SKVM_PAGE_SIZE
#define RAM_SIZE (1u << 20)
#define CODE 0x1000u
#define VEC(i) (0x2000u + 0x20u * (i))
#define MMIO_BASE 0xe0000000u
#define VEC_REPORT (MMIO_BASE + 0x100)

/* ---- a few instruction encodings ---- */
#define R(n) ((uint32_t)(n))
static inline uint32_t li(unsigned rd, int16_t v) { return 0x38000000u | R(rd) << 21 | (uint16_t)v; }
static inline uint32_t lis(unsigned rd, uint16_t v) { return 0x3c000000u | R(rd) << 21 | v; }
static inline uint32_t ori(unsigned ra, unsigned rs, uint16_t v)
{
	return 0x60000000u | R(rs) << 21 | R(ra) << 16 | v;
}
static inline uint32_t addi(unsigned rd, unsigned ra, int16_t v)
{
	return 0x38000000u | R(rd) << 21 | R(ra) << 16 | (uint16_t)v;
}
static inline uint32_t stw(unsigned rs, int16_t d, unsigned ra)
{
	return 0x90000000u | R(rs) << 21 | R(ra) << 16 | (uint16_t)d;
}
static inline uint32_t lwz(unsigned rt, int16_t d, unsigned ra)
{
	return 0x80000000u | R(rt) << 21 | R(ra) << 16 | (uint16_t)d;
}
static inline uint32_t lhau(unsigned rt, int16_t d, unsigned ra)
{
	return 0xac000000u | R(rt) << 21 | R(ra) << 16 | (uint16_t)d;
}
static inline uint32_t branch(int32_t rel) { return 0x48000000u | ((uint32_t)rel & 0x03fffffcu); }
static inline uint32_t mtmsr(unsigned rs) { return 0x7c000124u | R(rs) << 21; }
static inline uint32_t dcr_field(unsigned dcrn) { return (dcrn & 0x1f) << 16 | ((dcrn >> 5) & 0x1f) << 11; }
static inline uint32_t mfdcr(unsigned rt, unsigned dcrn) { return 0x7c000286u | R(rt) << 21 | dcr_field(dcrn); }
static inline uint32_t mtdcr(unsigned dcrn, unsigned rs) { return 0x7c000386u | R(rs) << 21 | dcr_field(dcrn); }
static inline uint32_t bc(unsigned bo, unsigned bi, int16_t rel)
{
	return 0x40000000u | R(bo) << 21 | R(bi) << 16 | ((uint16_t)rel & 0xfffcu);
}
#define SC 0x44000002u
#define B_SELF 0x48000000u

/* A test that goes wrong must fail, not hang: after WATCHDOG_MS a watchdog thread kicks
 * the vcpu until the test ends, so a stuck skvm_vcpu_run returns -EINTR. */
#define WATCHDOG_MS 5000

struct fix {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_run *run;
	uint8_t *ram;
	pthread_t watchdog;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static inline void *watchdog_main(void *arg)
{
	struct fix *f = arg;
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += WATCHDOG_MS / 1000;
	pthread_mutex_lock(&f->lock);
	while (!f->done && pthread_cond_timedwait(&f->cond, &f->lock, &until) != ETIMEDOUT)
		;
	while (!f->done) {
		skvm_vcpu_kick(f->vcpu);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 20000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&f->cond, &f->lock, &until);
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static inline void put(struct fix *f, uint32_t addr, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t *p = f->ram + addr + 4 * i;
		p[0] = (uint8_t)(w[i] >> 24);
		p[1] = (uint8_t)(w[i] >> 16);
		p[2] = (uint8_t)(w[i] >> 8);
		p[3] = (uint8_t)w[i];
	}
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline struct skvm_440_tlb_entry tlb_256m(uint32_t addr, uint32_t attrs)
{
	/* EPN | V | SIZE=256M; RPN; attributes | UX UW UR SX SW SR */
	return (struct skvm_440_tlb_entry){
		.word0 = addr | 0x200 | 0x90, .word1 = addr, .word2 = attrs | 0x3f};
}

static inline int setup_flags(void **state, uint32_t slot_flags)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct skvm_userspace_memory_region r;
	struct skvm_440_tlb_entry e;
	struct skvm_sregs s;

	if (!f || skvm_vm_create(SKVM_VM_PPC_440, &f->vm) || skvm_vcpu_create(f->vm, 0, &f->vcpu))
		return -1;
	f->run = skvm_vcpu_run_data(f->vcpu);
	f->ram = aligned_alloc(PG, RAM_SIZE);
	if (!f->ram)
		return -1;
	memset(f->ram, 0, RAM_SIZE);
	r = (struct skvm_userspace_memory_region){
		.slot = 0, .flags = slot_flags, .memory_size = RAM_SIZE, .userspace_addr = f->ram};
	if (skvm_vm_set_memory_region(f->vm, &r))
		return -1;
	e = tlb_256m(0, 0);
	if (skvm_vcpu_set_tlb_entry(f->vcpu, 0, &e))
		return -1;
	e = tlb_256m(MMIO_BASE, 0x500); /* I | G */
	if (skvm_vcpu_set_tlb_entry(f->vcpu, 1, &e))
		return -1;
	if (skvm_vcpu_get_sregs(f->vcpu, &s))
		return -1;
	s.u.e.ivpr = 0;
	for (unsigned i = 0; i < 16; i++) {
		uint32_t v[] = {li(31, (int16_t)i), lis(30, MMIO_BASE >> 16),
				stw(31, VEC_REPORT & 0xffff, 30), B_SELF};
		s.u.e.ivor_low[i] = VEC(i);
		put(f, VEC(i), v, 4);
	}
	if (skvm_vcpu_set_sregs(f->vcpu, &s))
		return -1;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cond, NULL);
	if (pthread_create(&f->watchdog, NULL, watchdog_main, f))
		return -1;
	*state = f;
	return 0;
}

static inline int setup(void **state)
{
	return setup_flags(state, 0);
}

static inline int setup_logged(void **state)
{
	return setup_flags(state, SKVM_MEM_LOG_DIRTY_PAGES);
}

static inline int teardown(void **state)
{
	struct fix *f = *state;

	pthread_mutex_lock(&f->lock);
	f->done = true;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	pthread_join(f->watchdog, NULL);
	skvm_vm_destroy(f->vm);
	free(f->ram);
	free(f);
	return 0;
}

static inline void start(struct fix *f, uint32_t msr)
{
	struct skvm_regs regs;

	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	regs.pc = CODE;
	regs.msr = msr;
	assert_int_equal(skvm_vcpu_set_regs(f->vcpu, &regs), 0);
}

static inline void start_at(struct fix *f, uint32_t pc, uint32_t msr)
{
	struct skvm_regs regs;

	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	regs.pc = pc;
	regs.msr = msr;
	assert_int_equal(skvm_vcpu_set_regs(f->vcpu, &regs), 0);
}

static inline uint32_t gpr(struct fix *f, unsigned n)
{
	struct skvm_regs regs;

	assert_int_equal(skvm_vcpu_get_regs(f->vcpu, &regs), 0);
	return (uint32_t)regs.gpr[n];
}

/* Run to the next exit; it must be SKVM_EXIT_SHUTDOWN with the vcpu at pc (its `b .` with
 * interrupts off, as these programs end). */
static inline void expect_halt(struct fix *f, uint32_t pc)
{
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_SHUTDOWN);
	assert_int_equal(f->vcpu->cpu.pc, pc);
}

/* Run to the next exit; it must be an MMIO store to addr. Returns the stored word. */
static inline uint32_t expect_store(struct fix *f, uint32_t addr)
{
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.phys_addr, addr);
	assert_int_equal(f->run->mmio.is_write, 1);
	assert_int_equal(f->run->mmio.len, 4);
	return get_be32(f->run->mmio.data);
}

/* The guest took interrupt ivor (its vector reported itself). */
static inline void expect_vector(struct fix *f, unsigned ivor)
{
	assert_int_equal(expect_store(f, VEC_REPORT), ivor);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline void sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Another thread that does one thing to the vcpu after a delay. */
enum action { ACT_KICK, ACT_IRQ_LEVEL, ACT_CRIT_LEVEL };
struct later {
	pthread_t thread;
	struct skvm_vcpu *vcpu;
	unsigned ms;
	enum action act;
};

static inline void *later_main(void *arg)
{
	struct later *l = arg;

	sleep_ms(l->ms);
	if (l->act == ACT_KICK)
		skvm_vcpu_kick(l->vcpu);
	else if (skvm_vcpu_interrupt(l->vcpu, SKVM_INTERRUPT_SET_LEVEL, l->act == ACT_CRIT_LEVEL))
		abort();
	return NULL;
}

static inline void later_start(struct later *l, struct skvm_vcpu *vcpu, unsigned ms, enum action act)
{
	*l = (struct later){.vcpu = vcpu, .ms = ms, .act = act};
	assert_int_equal(pthread_create(&l->thread, NULL, later_main, l), 0);
}

static inline void later_join(struct later *l)
{
	pthread_join(l->thread, NULL);
}

#endif
