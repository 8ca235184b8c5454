/* ePAPR hypercalls and the KVM magic page: the guest ABI (Linux's
 * arch/powerpc/include/uapi/asm/kvm_para.h, epapr_hcalls.h and include/uapi/linux/kvm_para.h).
 *
 * A hypercall is `sc` from supervisor mode with r0 = KVM_SC_MAGIC_R0; r11 holds the token
 * (vendor << 16 | number), r3-r10 the arguments. On return r3 is the ePAPR status and
 * r4 the first result.
 */
#ifndef SOFTKVM_KVM_PARAVIRT_H
#define SOFTKVM_KVM_PARAVIRT_H

#include <stddef.h>
#include <stdint.h>

#define EV_EPAPR_VENDOR_ID 1
#define EV_KVM_VENDOR_ID 42
#define EV_HCALL_TOKEN_OF(vendor, nr) (((uint32_t)(vendor) << 16) | (nr))
#define EV_HCALL_TOKEN(nr) EV_HCALL_TOKEN_OF(EV_EPAPR_VENDOR_ID, nr)
#define KVM_HCALL_TOKEN(nr) EV_HCALL_TOKEN_OF(EV_KVM_VENDOR_ID, nr)

/* ePAPR hypercall numbers (vendor EV_EPAPR_VENDOR_ID) */
#define EV_IDLE 16

/* KVM hypercall numbers (vendor EV_KVM_VENDOR_ID) */
#define KVM_HC_FEATURES 3
#define KVM_HC_PPC_MAP_MAGIC_PAGE 4

/* ePAPR status codes (r3) */
#define EV_SUCCESS 0
#define EV_EINVAL 8
#define EV_UNIMPLEMENTED 12

/* KVM_HC_FEATURES: bit numbers of the result */
#define KVM_FEATURE_MAGIC_PAGE 1

/* KVM_HC_PPC_MAP_MAGIC_PAGE: what the page holds (result), how it is mapped (r4 in) */
#define KVM_MAGIC_FEAT_SR (1u << 0)
#define KVM_MAGIC_FEAT_MAS0_TO_SPRG7 (1u << 1)
#define MAGIC_PAGE_FLAG_NOT_MAPPED_NX (1u << 0)

/* The magic page: struct kvm_vcpu_arch_shared. Every field is in guest (big-endian) byte
 * order; 64-bit fields hold the 32-bit register in their low half. The offsets are ABI. */
struct kvm_vcpu_arch_shared {
	uint64_t scratch1;
	uint64_t scratch2;
	uint64_t scratch3;
	uint64_t critical; /* the guest may not take interrupts while this == r1 */
	uint64_t sprg0;
	uint64_t sprg1;
	uint64_t sprg2;
	uint64_t sprg3;
	uint64_t srr0;
	uint64_t srr1;
	uint64_t dar; /* DEAR on BookE */
	uint64_t msr;
	uint32_t dsisr;
	uint32_t int_pending; /* an interrupt is pending */
	uint32_t sr[16];
	uint32_t mas0;
	uint32_t mas1;
	uint64_t mas7_3;
	uint64_t mas2;
	uint32_t mas4;
	uint32_t mas6;
	uint32_t esr;
	uint32_t pir;
	uint64_t sprg4;
	uint64_t sprg5;
	uint64_t sprg6;
	uint64_t sprg7;
};

_Static_assert(offsetof(struct kvm_vcpu_arch_shared, critical) == 24, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, msr) == 88, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, dsisr) == 96, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, sr) == 104, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, mas7_3) == 176, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, esr) == 200, "magic page ABI");
_Static_assert(offsetof(struct kvm_vcpu_arch_shared, sprg4) == 208, "magic page ABI");
_Static_assert(sizeof(struct kvm_vcpu_arch_shared) == 240, "magic page ABI");

#endif
