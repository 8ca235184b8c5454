/* SPDX-License-Identifier: MIT */
/* One 440 VM with RAM and a vcpu, for unit tests that drive the hypervisor directly
 * (privileged-instruction emulation, guest TLB, interrupt delivery) rather than through a
 * VMM. The vcpu starts in supervisor state with MSR[ME] set and IVORn = VEC(n) (IVPR 0),
 * so a test can tell which interrupt was taken from the PC alone. Include it after <cmocka.h>. */
#ifndef SOFTKVM_TEST_VCPU_FIXTURE_H
#define SOFTKVM_TEST_VCPU_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
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

/* Emulate insn as if the core had trapped on it at PC: decoded as the core decodes it. */
static inline enum emulation_result emulate(struct skvm_vcpu *v, uint32_t insn)
{
	struct cpu_dinsn d;
	cpu_decode(cpu_code_cache_decoder(v->vm->code), insn, &d);
	v->cpu.pc = PC;
	return kvmppc_emulate_instruction(v, &d);
}

/* ---- encodings of the instructions these tests emulate, from the instruction table ---- */

/* Instruction op with the fields at bits 6-10, 11-15 and 16-20 (X form, XL form). */
static inline uint32_t insn_of(enum cpu_op op, unsigned rt, unsigned ra, unsigned rb)
{
	const struct cpu_insn_info *in = &cpu_insn_table[op];
	return (uint32_t)in->primary << 26 | rt << 21 | ra << 16 | rb << 11 | (uint32_t)in->xo << 1;
}
#define x_form(op, rt, ra, rb) insn_of(CPU_OP_##op, rt, ra, rb)
static inline uint32_t spr_field(unsigned spr)
{
	return (spr & 31) << 16 | (spr >> 5) << 11;
}
static inline uint32_t mtspr(unsigned spr, unsigned rs)
{
	return insn_of(CPU_OP_mtspr, rs, 0, 0) | spr_field(spr);
}
static inline uint32_t mfspr(unsigned rt, unsigned spr)
{
	return insn_of(CPU_OP_mfspr, rt, 0, 0) | spr_field(spr);
}

#endif
