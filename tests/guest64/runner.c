// SPDX-License-Identifier: MIT
/* A minimal bare-metal runner for 64-bit little-endian test programs on a SKVM_VM_PPC_PR VM,
 * through the public API only (what the pseries board will do, much reduced): 64 MiB of
 * RAM at 0, the hashed page table in a slot of its own, PAPR on, the program (a flat
 * binary) at 0x400000 entered in supervisor state with MSR = SF | ME | LE and r3 = 0 (no
 * device tree), as QEMU's pseries enters a bare-metal kernel. The console is
 * H_PUT_TERM_CHAR; the program ends with the runner's own hypercall 0xff00 (r4: the exit
 * status); any other hypercall gets H_FUNCTION.
 *   usage: runner PROGRAM.bin    exit status: the program's, 2 if it ended otherwise */
#include <errno.h>
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
#define MSR_SF (1ull << 63)
#define MSR_ME (1ull << 12)
#define MSR_LE 1ull

static int fail(const char *what, int rc)
{
	fprintf(stderr, "runner: %s: %s\n", what, strerror(-rc));
	return 2;
}

static void put_term_chars(const struct skvm_run *run)
{
	uint64_t len = run->papr_hcall.args[1];
	char buf[16];

	if (len > 16)
		len = 16;
	for (unsigned i = 0; i < len; i++) /* the bytes of r6, then r7, high byte first */
		buf[i] = (char)(run->papr_hcall.args[2 + i / 8] >> (56 - 8 * (i % 8)));
	fwrite(buf, 1, len, stdout);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_run *run;
	struct skvm_regs regs;
	struct skvm_sregs sregs;
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE), *hpt = aligned_alloc(HPT_SIZE, HPT_SIZE);
	FILE *f;
	size_t n;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: runner PROGRAM.bin\n");
		return 2;
	}
	if (!ram || !hpt)
		return fail("memory", -ENOMEM);
	memset(ram, 0, RAM_SIZE);
	memset(hpt, 0, HPT_SIZE);
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	n = fread(ram + LOAD_ADDR, 1, RAM_SIZE - LOAD_ADDR, f);
	fclose(f);
	if (n == 0 || n == RAM_SIZE - LOAD_ADDR) {
		fprintf(stderr, "runner: %s: empty or larger than RAM\n", argv[1]);
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
	if ((rc = skvm_vcpu_create(vm, 0, &vcpu)))
		return fail("skvm_vcpu_create", rc);
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
	regs.gpr[3] = 0;
	if ((rc = skvm_vcpu_set_regs(vcpu, &regs)))
		return fail("set_regs", rc);
	run = skvm_vcpu_run_data(vcpu);
	alarm(30); /* a program that never ends is a failure, not a hung suite */
	for (;;) {
		rc = skvm_vcpu_run(vcpu);
		if (rc)
			return fail("skvm_vcpu_run", rc);
		if (run->exit_reason != SKVM_EXIT_PAPR_HCALL) {
			if (skvm_vcpu_get_regs(vcpu, &regs) == 0)
				fprintf(stderr, "runner: exit %u at pc 0x%llx\n", run->exit_reason,
					(unsigned long long)regs.pc);
			return 2;
		}
		switch (run->papr_hcall.nr) {
		case SKVM_H_PUT_TERM_CHAR:
			put_term_chars(run);
			run->papr_hcall.ret = SKVM_H_SUCCESS;
			break;
		case H_RUNNER_EXIT:
			rc = (int)run->papr_hcall.args[0];
			skvm_vm_destroy(vm);
			free(ram);
			free(hpt);
			return rc;
		default:
			run->papr_hcall.ret = (uint64_t)SKVM_H_FUNCTION;
			break;
		}
	}
}
