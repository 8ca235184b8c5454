/* SPDX-License-Identifier: MIT */
/* ePAPR hypercalls and the KVM magic page: the guest ABI (Linux's
 * arch/powerpc/include/uapi/asm/kvm_para.h, epapr_hcalls.h and include/uapi/linux/kvm_para.h).
 *
 * A hypercall is `sc` from supervisor mode with r0 = KVM_SC_MAGIC_R0; r11 holds the token
 * (vendor << 16 | number), r3-r10 the arguments. On return r3 is the ePAPR status and
 * r4 the first result.
 *
 * The magic page: a guest that asks (KVM_HC_PPC_MAP_MAGIC_PAGE) finds the hypervisor's copy
 * of some of its supervisor registers mapped at an address of its choice, so that its
 * kernel can read and write them with loads and stores instead of trapping instructions
 * (Linux's arch/powerpc/kernel/kvm.c rewrites its own mfmsr, mfspr/mtspr SPRGn, SRRn, DEAR,
 * ESR, wrtee(i) and mtmsr that way). While the guest's rewritten code is in a critical
 * section (`critical` equals its r1, in supervisor mode) the hypervisor delivers no
 * asynchronous interrupt; `int_pending` tells that code an interrupt waits, so that it
 * traps to take it.
 */
#ifndef SOFTKVM_KVM_PARAVIRT_H
#define SOFTKVM_KVM_PARAVIRT_H

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define KVM_SC_MAGIC_R0 0x4b564d21 /* "KVM!" in r0 marks a hypercall */

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
#define EV_UNIMPLEMENTED 12

/* KVM_HC_FEATURES: bit numbers of the result */
#define KVM_FEATURE_MAGIC_PAGE 1

/* KVM_HC_PPC_MAP_MAGIC_PAGE(r3 = guest-physical address, r4 = effective address | flags):
 * what the page holds beyond the base set (r4 out: ESR, PIR, SPRG4-7, and e500's MAS
 * registers). The one flag asks for a mapping without execute permission, which is the
 * only one there is. */
#define KVM_MAGIC_FEAT_MAS0_TO_SPRG7 (1u << 1)

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

/* The page's fields are big-endian; a 64-bit field holds a 32-bit register in its low word
 * (bytes 4-7), which is what a 32-bit guest loads and stores. */
static inline uint32_t kvm_shared_get32(const uint32_t *f)
{
	uint32_t v;
	memcpy(&v, f, sizeof(v));
	return be32toh(v);
}
static inline void kvm_shared_set32(uint32_t *f, uint32_t v)
{
	v = htobe32(v);
	memcpy(f, &v, sizeof(v));
}
static inline uint32_t kvm_shared_get(const uint64_t *f)
{
	return kvm_shared_get32((const uint32_t *)f + 1);
}
static inline void kvm_shared_set(uint64_t *f, uint32_t v)
{
	kvm_shared_set32((uint32_t *)f + 1, v);
}
/* The bits of mask from v, in place: in the page's byte order, so that a guest flipping one
 * bit (wrteei) costs no byte swaps on the chain of updates. */
static inline void kvm_shared_update(uint64_t *f, uint32_t mask, uint32_t v)
{
	uint32_t *p = (uint32_t *)f + 1, be;
	memcpy(&be, p, sizeof(be));
	be = (be & ~htobe32(mask)) | htobe32(v & mask);
	memcpy(p, &be, sizeof(be));
}

#endif
