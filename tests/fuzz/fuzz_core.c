// SPDX-License-Identifier: MIT
/* Fuzz harness for the decoder + interpreter + hypervisor: random instruction words run as
 * a guest. Whatever the words do, the host process must survive: each input ends in guest
 * exceptions, MMIO exits (answered with zeros), a reset, an internal-error exit, or the
 * harness's kick after a few milliseconds.
 *
 * Input layout: 4 bytes of initial MSR bits (masked), then instruction words (big-endian)
 * placed at guest address 0x1000, where every interrupt vector also points.
 *
 * Built two ways: with libFuzzer (`make fuzz`, clang -fsanitize=fuzzer) and as a
 * deterministic standalone program (fuzz_standalone.c) that the test suite runs under
 * AddressSanitizer + UBSan.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <softkvm/skvm.h>

#include "fuzz_core.h"

#define RAM_SIZE (1u << 20)
#define CODE_ADDR 0x1000u
#define RUN_MS 3

/* The kicker thread ends each input's run after RUN_MS milliseconds. libFuzzer calls the
 * entry point with no context, so the harness keeps this one piece of state for itself. */
struct kicker {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct skvm_vcpu *vcpu; /* the vcpu to kick, NULL when idle */
	unsigned generation;
	bool started;
};
static struct kicker kicker = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0,
			       false};

static void *kicker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&kicker.lock);
	for (;;) {
		while (!kicker.vcpu)
			pthread_cond_wait(&kicker.cond, &kicker.lock);
		unsigned gen = kicker.generation;
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += RUN_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		while (kicker.vcpu && kicker.generation == gen &&
		       pthread_cond_timedwait(&kicker.cond, &kicker.lock, &until) != ETIMEDOUT)
			;
		/* Kick repeatedly until the harness says the run is over: one kick may land
		 * before the vcpu enters skvm_vcpu_run. */
		while (kicker.vcpu && kicker.generation == gen) {
			skvm_vcpu_kick(kicker.vcpu);
			pthread_mutex_unlock(&kicker.lock);
			struct timespec ms = {0, 1000000L};
			nanosleep(&ms, NULL);
			pthread_mutex_lock(&kicker.lock);
		}
	}
	return NULL;
}

static void kicker_arm(struct skvm_vcpu *vcpu)
{
	pthread_mutex_lock(&kicker.lock);
	if (!kicker.started) {
		pthread_t t;
		if (pthread_create(&t, NULL, kicker_main, NULL) == 0) {
			pthread_detach(t);
			kicker.started = true;
		}
	}
	kicker.vcpu = vcpu;
	kicker.generation++;
	pthread_cond_broadcast(&kicker.cond);
	pthread_mutex_unlock(&kicker.lock);
}

static void kicker_disarm(void)
{
	pthread_mutex_lock(&kicker.lock);
	kicker.vcpu = NULL;
	kicker.generation++;
	pthread_cond_broadcast(&kicker.cond);
	pthread_mutex_unlock(&kicker.lock);
}

static int setup_guest(struct skvm_vm *vm, struct skvm_vcpu *vcpu, uint8_t *ram,
		       const uint8_t *data, size_t size)
{
	uint32_t msr = 0;
	if (size >= 4)
		msr = (uint32_t)data[0] << 24 | data[1] << 16 | data[2] << 8 | data[3];
	/* PR, FP, EE, DS, IS, CE, ME, FE0/1, DE: the bits a guest can usefully hold */
	msr &= PPC_MSR_PR | PPC_MSR_FP | PPC_MSR_EE | PPC_MSR_DS | PPC_MSR_IS | PPC_MSR_CE |
	       PPC_MSR_ME | PPC_MSR_FE0 | PPC_MSR_FE1 | PPC_MSR_DE | PPC_MSR_WE;
	size_t code = size > 4 ? size - 4 : 0;
	if (code > RAM_SIZE - CODE_ADDR)
		code = RAM_SIZE - CODE_ADDR;
	memcpy(ram + CODE_ADDR, data + 4, code);

	struct skvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = ram};
	if (skvm_vm_set_memory_region(vm, &r))
		return -1;
	/* 256 MiB identity page over RAM (the rest of it is MMIO), both address spaces,
	 * user and supervisor RWX. */
	for (unsigned ts = 0; ts < 2; ts++) {
		struct skvm_440_tlb_entry e = {.word0 = 0x200 | (ts << 8) | 0x90, .word2 = 0x3f};
		if (skvm_vcpu_set_tlb_entry(vcpu, ts, &e))
			return -1;
	}
	struct skvm_sregs s;
	if (skvm_vcpu_get_sregs(vcpu, &s))
		return -1;
	s.ivpr = 0;
	for (unsigned i = 0; i < 16; i++)
		s.ivor[i] = CODE_ADDR;
	if (skvm_vcpu_set_sregs(vcpu, &s))
		return -1;
	struct skvm_regs regs;
	if (skvm_vcpu_get_regs(vcpu, &regs))
		return -1;
	regs.pc = CODE_ADDR;
	regs.msr = msr;
	for (unsigned i = 0; i < 32; i++)
		regs.gpr[i] = 0x10000u + 0x100u * i; /* plausible pointers into RAM */
	return skvm_vcpu_set_regs(vcpu, &regs);
}

int fuzz_core_run(const uint8_t *data, size_t size)
{
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	uint8_t *ram = calloc(1, RAM_SIZE);
	if (!ram || skvm_vm_create(SKVM_VM_PPC_440, &vm)) {
		free(ram);
		return 0;
	}
	if (skvm_vcpu_create(vm, 0, &vcpu) || setup_guest(vm, vcpu, ram, data, size)) {
		skvm_vm_destroy(vm);
		free(ram);
		return 0;
	}
	struct skvm_run *run = skvm_vcpu_run_data(vcpu);
	kicker_arm(vcpu);
	for (unsigned exits = 0; exits < 10000; exits++) {
		int rc = skvm_vcpu_run(vcpu);
		if (rc == -EINTR)
			break;
		if (rc)
			abort(); /* the API promises 0 or -EINTR */
		if (run->exit_reason == SKVM_EXIT_MMIO) {
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0, sizeof(run->mmio.data));
		} else if (run->exit_reason == SKVM_EXIT_DCR) {
			run->dcr.data = 0;
		} else if (run->exit_reason == SKVM_EXIT_HYPERCALL) {
			run->hcall.ret = (uint64_t)-1;
		} else {
			break; /* reset, shutdown, internal error, debug: the guest is done */
		}
	}
	kicker_disarm();
	skvm_vm_destroy(vm);
	free(ram);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_core_run(data, size);
}
