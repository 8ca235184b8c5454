// SPDX-License-Identifier: MIT
/* The smallest program that embeds libsoftkvm, in the spirit of LWN's "Using the KVM API"
 * (https://lwn.net/Articles/658511/): create a VM, give it memory, write a few guest
 * instructions into it, run them and play the device their MMIO store reaches.
 *
 * The guest computes 2 + 2, stores the digit and a newline to a "serial port" that no
 * memory slot backs (so each store exits to us as MMIO), and halts with `b .`.
 *
 *   cc hello.c $(pkg-config --cflags --libs softkvm) -o hello && ./hello
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <softkvm/skvm.h>

#define RAM_SIZE    0x10000u	/* 64 KiB of guest RAM at guest-physical 0 */
#define CODE_ADDR   0x1000u	/* where the guest's instructions go */
#define SERIAL_ADDR 0x08000000u /* no slot here: accesses are MMIO exits */

/* A 440 always translates addresses through its TLB, so the guest needs an entry: one
 * 256 MiB page mapping virtual 0 to physical 0 for the supervisor (tlbwe's three words). */
#define TLB_VALID     0x200u
#define TLB_SIZE_256M 0x090u
#define TLB_SX_SW_SR  0x007u /* supervisor execute, write, read */

static const uint32_t guest_code[] = {
    0x38600002, /* li    r3, 2         */
    0x38630002, /* addi  r3, r3, 2     */
    0x38630030, /* addi  r3, r3, '0'   */
    0x3c800800, /* lis   r4, 0x0800    r4 = SERIAL_ADDR */
    0x98640000, /* stb   r3, 0(r4)     */
    0x3860000a, /* li    r3, '\n'      */
    0x98640000, /* stb   r3, 0(r4)     */
    0x48000000, /* b     .             interrupts off: a halt for good */
};

static int fail(const char *what, int rc)
{
	fprintf(stderr, "hello: %s: %s\n", what, strerror(-rc));
	return 1;
}

int main(void)
{
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_regs regs;
	struct skvm_run *run;
	uint8_t *ram;
	int rc;

	rc = skvm_vm_create(SKVM_VM_PPC_440, &vm);
	if (rc)
		return fail("skvm_vm_create", rc);

	/* Guest memory is ordinary host memory, lent to the VM as slot 0. */
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return fail("mmap", -ENOMEM);
	struct skvm_userspace_memory_region region = {
	    .slot = 0, .guest_phys_addr = 0, .memory_size = RAM_SIZE, .userspace_addr = ram};
	rc = skvm_vm_set_memory_region(vm, &region);
	if (rc)
		return fail("skvm_vm_set_memory_region", rc);

	/* PowerPC is big-endian: store each instruction's bytes most significant first. */
	for (size_t i = 0; i < sizeof(guest_code) / sizeof(guest_code[0]); i++)
		for (unsigned b = 0; b < 4; b++)
			ram[CODE_ADDR + 4 * i + b] = (uint8_t)(guest_code[i] >> (24 - 8 * b));
	rc = skvm_vm_flush_icache(vm, CODE_ADDR, sizeof(guest_code));
	if (rc)
		return fail("skvm_vm_flush_icache", rc);

	rc = skvm_vcpu_create(vm, 0, &vcpu);
	if (rc)
		return fail("skvm_vcpu_create", rc);
	struct skvm_440_tlb_entry tlb = {
	    .word0 = 0 | TLB_VALID | TLB_SIZE_256M, .word1 = 0, .word2 = TLB_SX_SW_SR};
	rc = skvm_vcpu_set_tlb_entry(vcpu, 0, &tlb);
	if (rc)
		return fail("skvm_vcpu_set_tlb_entry", rc);
	rc = skvm_vcpu_get_regs(vcpu, &regs);
	if (rc)
		return fail("skvm_vcpu_get_regs", rc);
	regs.pc = CODE_ADDR;
	rc = skvm_vcpu_set_regs(vcpu, &regs);
	if (rc)
		return fail("skvm_vcpu_set_regs", rc);

	run = skvm_vcpu_run_data(vcpu);
	for (;;) {
		rc = skvm_vcpu_run(vcpu);
		if (rc)
			return fail("skvm_vcpu_run", rc);
		switch (run->exit_reason) {
		case SKVM_EXIT_MMIO:
			if (run->mmio.is_write && run->mmio.len == 1 &&
			    run->mmio.phys_addr == SERIAL_ADDR)
				putchar(run->mmio.data[0]);
			else
				fprintf(stderr, "hello: unexpected MMIO at 0x%" PRIx64 "\n",
					run->mmio.phys_addr);
			break;
		case SKVM_EXIT_SHUTDOWN:
			rc = skvm_vcpu_get_regs(vcpu, &regs);
			if (rc)
				return fail("skvm_vcpu_get_regs", rc);
			printf("halted at 0x%" PRIx64 "\n", regs.pc);
			skvm_vm_destroy(vm); /* and its vcpu */
			munmap(ram, RAM_SIZE);
			return 0;
		default:
			fprintf(stderr, "hello: exit reason %" PRIu32 "\n", run->exit_reason);
			return 1;
		}
	}
}
