// SPDX-License-Identifier: MIT
/* A minimal bare-metal runner for 64-bit little-endian test programs on a SKVM_VM_PPC_PR VM,
 * through the public API only (what the pseries board will do, much reduced): 64 MiB of
 * RAM at 0, the hashed page table in a slot of its own, PAPR on, the program (a flat
 * binary) at 0x400000 entered in supervisor state with MSR = SF | ME | LE and r3 = 0 (no
 * device tree), as QEMU's pseries enters a bare-metal kernel. The console is
 * H_PUT_TERM_CHAR; the program ends with the runner's own hypercall 0xff00 (r4: the exit
 * status); 0xff01 and 0xff02 raise and lower the calling vcpu's external input (a level,
 * KVM_INTERRUPT SET_LEVEL / UNSET); any other hypercall gets H_FUNCTION.
 *
 * --smp N runs N vcpus, each on a thread of its own, all entering the program with r3 = the
 * vcpu's number. Vcpu 0's 0xff00 ends the run (the others are kicked out); another vcpu's
 * ends that vcpu only, and a status it gives other than 0 fails the run.
 *   usage: runner [--smp N] PROGRAM.bin   exit status: the program's, 2 if it ended otherwise */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <softkvm/papr.h>
#include <softkvm/skvm.h>

#define RAM_SIZE (64u << 20)
#define LOAD_ADDR 0x400000u
#define HPT_GPA 0x40000000ull
#define HPT_SIZE (256u << 10) /* HTABSIZE 0 */
#define H_RUNNER_EXIT 0xff00
#define H_RUNNER_IRQ_RAISE 0xff01
#define H_RUNNER_IRQ_LOWER 0xff02
#define MAX_VCPUS 8
#define MSR_SF (1ull << 63)
#define MSR_ME (1ull << 12)
#define MSR_LE 1ull

static int fail(const char *what, int rc)
{
	fprintf(stderr, "runner: %s: %s\n", what, strerror(-rc));
	return 2;
}

static pthread_mutex_t console_lock = PTHREAD_MUTEX_INITIALIZER;

static void put_term_chars(const struct skvm_run *run)
{
	uint64_t len = run->papr_hcall.args[1];
	char buf[16];

	if (len > 16)
		len = 16;
	for (unsigned i = 0; i < len; i++) /* the bytes of r6, then r7, high byte first */
		buf[i] = (char)(run->papr_hcall.args[2 + i / 8] >> (56 - 8 * (i % 8)));
	pthread_mutex_lock(&console_lock);
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
	pthread_mutex_unlock(&console_lock);
}

struct vcpu_thread {
	struct skvm_vcpu *vcpu;
	unsigned id;
	int status; /* what 0xff00 gave, or 2 */
	pthread_t thread;
};

static struct vcpu_thread vcpus[MAX_VCPUS];
static unsigned nr_vcpus = 1;
static int done; /* vcpu 0 ended the run */

static void end_run(void)
{
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	for (unsigned i = 1; i < nr_vcpus; i++)
		skvm_vcpu_kick(vcpus[i].vcpu);
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;
	struct skvm_run *run = skvm_vcpu_run_data(t->vcpu);
	struct skvm_regs regs;
	int rc;

	t->status = 2;
	for (;;) {
		rc = skvm_vcpu_run(t->vcpu);
		if (__atomic_load_n(&done, __ATOMIC_SEQ_CST) && t->id != 0) {
			t->status = 0; /* the run is over: whatever this vcpu was doing */
			return NULL;
		}
		if (rc) {
			fail("skvm_vcpu_run", rc);
			break;
		}
		if (run->exit_reason != SKVM_EXIT_PAPR_HCALL) {
			if (skvm_vcpu_get_regs(t->vcpu, &regs) == 0)
				fprintf(stderr, "runner: vcpu %u: exit %u at pc 0x%llx\n", t->id,
					run->exit_reason, (unsigned long long)regs.pc);
			break;
		}
		switch (run->papr_hcall.nr) {
		case SKVM_H_PUT_TERM_CHAR:
			put_term_chars(run);
			run->papr_hcall.ret = SKVM_H_SUCCESS;
			break;
		case H_RUNNER_EXIT:
			t->status = (int)run->papr_hcall.args[0];
			if (t->id == 0)
				end_run();
			return NULL;
		case H_RUNNER_IRQ_RAISE:
		case H_RUNNER_IRQ_LOWER:
			rc = skvm_vcpu_interrupt(t->vcpu,
						 run->papr_hcall.nr == H_RUNNER_IRQ_RAISE
							 ? SKVM_INTERRUPT_SET_LEVEL
							 : SKVM_INTERRUPT_UNSET,
						 false);
			run->papr_hcall.ret = rc ? (uint64_t)SKVM_H_PARAMETER : SKVM_H_SUCCESS;
			break;
		default:
			run->papr_hcall.ret = (uint64_t)SKVM_H_FUNCTION;
			break;
		}
	}
	if (t->id == 0)
		end_run();
	return NULL;
}

int main(int argc, char **argv)
{
	struct skvm_vm *vm;
	struct skvm_regs regs;
	struct skvm_sregs sregs;
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE), *hpt = aligned_alloc(HPT_SIZE, HPT_SIZE);
	const char *prog;
	int status = 0;
	FILE *f;
	size_t n;
	int rc;

	if (argc == 4 && strcmp(argv[1], "--smp") == 0) {
		nr_vcpus = (unsigned)atoi(argv[2]);
		prog = argv[3];
	} else if (argc == 2) {
		prog = argv[1];
	} else {
		prog = NULL;
	}
	if (!prog || nr_vcpus < 1 || nr_vcpus > MAX_VCPUS) {
		fprintf(stderr, "usage: runner [--smp 1..%u] PROGRAM.bin\n", MAX_VCPUS);
		return 2;
	}
	if (!ram || !hpt)
		return fail("memory", -ENOMEM);
	memset(ram, 0, RAM_SIZE);
	memset(hpt, 0, HPT_SIZE);
	f = fopen(prog, "rb");
	if (!f) {
		perror(prog);
		return 2;
	}
	n = fread(ram + LOAD_ADDR, 1, RAM_SIZE - LOAD_ADDR, f);
	fclose(f);
	if (n == 0 || n == RAM_SIZE - LOAD_ADDR) {
		fprintf(stderr, "runner: %s: empty or larger than RAM\n", prog);
		return 2;
	}
	rc = skvm_vm_create(SKVM_VM_PPC_PR, &vm);
	if (rc)
		return fail("skvm_vm_create", rc);
	struct skvm_userspace_memory_region r0 = {
		.slot = 0, .memory_size = RAM_SIZE, .userspace_addr = ram};
	struct skvm_userspace_memory_region r1 = {
		.slot = 1, .guest_phys_addr = HPT_GPA, .memory_size = HPT_SIZE, .userspace_addr = hpt};
	if ((rc = skvm_vm_set_memory_region(vm, &r0)) || (rc = skvm_vm_set_memory_region(vm, &r1)))
		return fail("memory slots", rc);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		struct skvm_vcpu *vcpu;

		vcpus[i].id = i;
		if ((rc = skvm_vcpu_create(vm, i, &vcpu)))
			return fail("skvm_vcpu_create", rc);
		vcpus[i].vcpu = vcpu;
		if ((rc = skvm_vcpu_enable_cap(vcpu, SKVM_CAP_PPC_PAPR, 0)))
			return fail("SKVM_CAP_PPC_PAPR", rc);
		if ((rc = skvm_vcpu_get_sregs(vcpu, &sregs)))
			return fail("get_sregs", rc);
		sregs.u.s.sdr1 = HPT_GPA;
		if ((rc = skvm_vcpu_set_sregs(vcpu, &sregs)))
			return fail("SDR1", rc);
		if ((rc = skvm_vcpu_get_regs(vcpu, &regs)))
			return fail("get_regs", rc);
		regs.pc = LOAD_ADDR;
		regs.msr = MSR_SF | MSR_ME | MSR_LE;
		regs.gpr[3] = i;
		if ((rc = skvm_vcpu_set_regs(vcpu, &regs)))
			return fail("set_regs", rc);
	}
	alarm(30); /* a program that never ends is a failure, not a hung suite */
	for (unsigned i = 0; i < nr_vcpus; i++)
		if ((rc = -pthread_create(&vcpus[i].thread, NULL, vcpu_main, &vcpus[i])))
			return fail("pthread_create", rc);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		pthread_join(vcpus[i].thread, NULL);
		if (i == 0)
			status = vcpus[0].status;
		else if (vcpus[i].status != 0) {
			fprintf(stderr, "runner: vcpu %u ended with %d\n", i, vcpus[i].status);
			status = 2;
		}
	}
	skvm_vm_destroy(vm);
	free(ram);
	free(hpt);
	return status;
}
