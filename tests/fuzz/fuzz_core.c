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
 *
 * A harness that quietly runs nothing finds nothing: guest RAM once came from calloc, which
 * skvm_vm_set_memory_region refuses (not page-aligned), and every input returned before the
 * guest ran. So a setup failure aborts with a message, and each run reports how many guest
 * instructions trapped to the hypervisor, which the standalone driver checks.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* A harness that cannot set up its guest is broken, not the input: say what failed, and
 * abort so that neither libFuzzer nor the suite can mistake it for a run. */
static void setup_check(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "fuzz_core: %s failed: %s\n", what, strerror(rc < 0 ? -rc : rc));
		abort();
	}
}

static void setup_guest(struct skvm_vm *vm, struct skvm_vcpu *vcpu, uint8_t *ram,
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
	setup_check(skvm_vm_set_memory_region(vm, &r), "skvm_vm_set_memory_region");
	/* 256 MiB identity page over RAM (the rest of it is MMIO), both address spaces,
	 * user and supervisor RWX. */
	for (unsigned ts = 0; ts < 2; ts++) {
		struct skvm_440_tlb_entry e = {.word0 = 0x200 | (ts << 8) | 0x90, .word2 = 0x3f};
		setup_check(skvm_vcpu_set_tlb_entry(vcpu, ts, &e), "skvm_vcpu_set_tlb_entry");
	}
	struct skvm_sregs s;
	setup_check(skvm_vcpu_get_sregs(vcpu, &s), "skvm_vcpu_get_sregs");
	s.u.e.ivpr = 0;
	for (unsigned i = 0; i < 16; i++)
		s.u.e.ivor_low[i] = CODE_ADDR;
	setup_check(skvm_vcpu_set_sregs(vcpu, &s), "skvm_vcpu_set_sregs");
	struct skvm_regs regs;
	setup_check(skvm_vcpu_get_regs(vcpu, &regs), "skvm_vcpu_get_regs");
	regs.pc = CODE_ADDR;
	regs.msr = msr;
	for (unsigned i = 0; i < 32; i++)
		regs.gpr[i] = 0x10000u + 0x100u * i; /* plausible pointers into RAM */
	setup_check(skvm_vcpu_set_regs(vcpu, &regs), "skvm_vcpu_set_regs");
}

/* Guest instructions that trapped to the hypervisor, from the exit statistics: each of these
 * exits is one instruction the core executed (or began to: a data TLB miss is retried).
 * Fetch misses and timer, interrupt and kick exits are left out: a guest whose code cannot
 * be fetched at all still takes them. A lower bound of what ran, but 0 means nothing did. */
static uint64_t trapped_instructions(struct skvm_vcpu *vcpu)
{
	static const enum skvm_exit_type insn_exits[] = {
	    SKVM_EXITS_MMIO,	       SKVM_EXITS_DCR,
	    SKVM_EXITS_DTLB_REAL_MISS, SKVM_EXITS_DTLB_VIRT_MISS,
	    SKVM_EXITS_SYSCALL,	       SKVM_EXITS_DSI,
	    SKVM_EXITS_EMULATED_INST,  SKVM_EXITS_EMULATED_MTMSRWE,
	    SKVM_EXITS_USR_PR_INST,    SKVM_EXITS_FP_UNAVAIL,
	    SKVM_EXITS_PROGRAM,	       SKVM_EXITS_ALIGNMENT,
	    SKVM_EXITS_HCALL,
	};
	struct skvm_exit_stat stats[SKVM_EXITS_NR];
	uint64_t n = 0;

	skvm_vcpu_get_exit_stats(vcpu, stats);
	for (size_t i = 0; i < sizeof(insn_exits) / sizeof(insn_exits[0]); i++)
		n += stats[insn_exits[i]].count;
	return n;
}

uint64_t fuzz_core_run(const uint8_t *data, size_t size)
{
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	/* Page-aligned, as skvm_vm_set_memory_region requires (and as a VMM's RAM is). */
	uint8_t *ram =
	    mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		setup_check(-errno, "mmap of guest RAM");
	setup_check(skvm_vm_create(SKVM_VM_PPC_440, &vm), "skvm_vm_create");
	setup_check(skvm_vcpu_create(vm, 0, &vcpu), "skvm_vcpu_create");
	setup_guest(vm, vcpu, ram, data, size);
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
	uint64_t trapped = trapped_instructions(vcpu);
	skvm_vm_destroy(vm);
	munmap(ram, RAM_SIZE);
	return trapped;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)fuzz_core_run(data, size);
	return 0;
}
