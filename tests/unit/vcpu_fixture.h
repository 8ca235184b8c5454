/* One 440 VM with RAM and a vcpu, for unit tests that drive the hypervisor directly
 * (privileged-instruction emulation, guest TLB, interrupt delivery) rather than through a
 * VMM. The vcpu starts in supervisor state with MSR[ME] set and IVORn = VEC(n) (IVPR 0),
 * so a test can tell which interrupt was taken from the PC alone. Include it after <cmocka.h>. */
#ifndef SOFTKVM_TEST_VCPU_FIXTURE_H
#define SOFTKVM_TEST_VCPU_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "kvm/booke/booke.h"
#include "kvm/kvm.h"

#define PC 0x1000u			/* where emulated instructions sit */
#define VEC(n) (0x100u + 0x10u * (n)) /* the vector of IVORn */

struct vcpu_fix {
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	uint8_t *ram; /* ram_size zeroed bytes at guest-physical 0, slot 0 */
};

static inline struct vcpu_fix *vcpu_fix_create(uint32_t ram_size)
{
	struct vcpu_fix *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->ram = aligned_alloc(4096, ram_size);
	assert_non_null(f->ram);
	memset(f->ram, 0, ram_size);
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &f->vm), 0);
	struct skvm_userspace_memory_region r = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = ram_size, .userspace_addr = f->ram};
	assert_int_equal(skvm_vm_set_memory_region(f->vm, &r), 0);
	assert_int_equal(skvm_vcpu_create(f->vm, 0, &f->vcpu), 0);
	for (unsigned i = 0; i < 16; i++)
		f->vcpu->ivor[i] = VEC(i);
	kvmppc_set_msr(f->vcpu, PPC_MSR_ME);
	return f;
}

static inline void vcpu_fix_destroy(struct vcpu_fix *f)
{
	skvm_vm_destroy(f->vm);
	free(f->ram);
	free(f);
}

/* Emulate insn as if the core had trapped on it at PC. */
static inline enum emulation_result emulate(struct skvm_vcpu *v, uint32_t insn)
{
	struct cpu_trap t = {.kind = CPU_TRAP_PRIV, .pc = PC, .insn = insn};
	v->cpu.pc = PC;
	return kvmppc_emulate_instruction(v, &t);
}

/* ---- encodings of the instructions these tests emulate ---- */

static inline uint32_t x_form(unsigned xo, unsigned rt, unsigned ra, unsigned rb)
{
	return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1;
}
static inline uint32_t spr_field(unsigned spr)
{
	return (spr & 31) << 16 | (spr >> 5) << 11;
}
static inline uint32_t mtspr(unsigned spr, unsigned rs)
{
	return 31u << 26 | rs << 21 | spr_field(spr) | XO_MTSPR << 1;
}

#endif
