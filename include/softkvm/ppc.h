/* SPDX-License-Identifier: MIT */
/* softkvm public API: PowerPC register sets, as Linux's arch/powerpc/include/uapi/asm/kvm.h. */
#ifndef SOFTKVM_PPC_H
#define SOFTKVM_PPC_H

#include <stdint.h>

/* struct kvm_regs for powerpc. */
struct skvm_regs {
	uint64_t pc;
	uint64_t cr;
	uint64_t ctr;
	uint64_t lr;
	uint64_t xer;
	uint64_t msr;
	uint64_t srr0;
	uint64_t srr1;
	uint64_t pid;
	uint64_t sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
	uint64_t gpr[32];
};

/* struct kvm_sregs for powerpc, member for member (the u.e part is BookE's; u.s is Book3S's
 * and unused on a 440). u.e.features says which groups of registers a GET filled and a SET
 * writes; a SET leaves the groups it does not name as they are. u.e.update_special names
 * the registers that change on their own while the vcpu is outside KVM_RUN (TSR, DEC, MCSR,
 * DBSR): a SET writes them only when asked, so that restoring what an earlier GET read does
 * not lose a timer event that happened since. A GET returns update_special = 0. */
struct skvm_sregs {
	uint32_t pvr; /* read-only: a SET with another value is -EINVAL */
	union {
		struct {
			uint64_t sdr1;
			struct {
				struct {
					uint64_t slbe;
					uint64_t slbv;
				} slb[64];
			} ppc64;
			struct {
				uint32_t sr[16];
				uint64_t ibat[8];
				uint64_t dbat[8];
			} ppc32;
		} s;
		struct {
			union {
				/* SKVM_SREGS_E_IMPL_440 (softkvm's): the 440's own registers */
				struct {
					uint32_t mmucr;
					uint32_t ccr0, ccr1;
				} ppc440;
				uint8_t pad[256];
			} impl;
			uint32_t features;	 /* SKVM_SREGS_E_* */
			uint32_t impl_id;	 /* SKVM_SREGS_E_IMPL_* */
			uint32_t update_special; /* SKVM_SREGS_E_UPDATE_* */
			uint32_t pir;		 /* read-only: a SET with another value is -EINVAL */
			uint64_t sprg8;
			uint64_t sprg9;
			uint64_t csrr0;
			uint64_t dsrr0;
			uint64_t mcsrr0;
			uint32_t csrr1;
			uint32_t dsrr1;
			uint32_t mcsrr1;
			uint32_t esr;
			uint64_t dear;
			uint64_t ivpr;
			uint64_t mcivpr;
			uint64_t mcsr; /* SKVM_SREGS_E_UPDATE_MCSR */
			uint32_t tsr;  /* SKVM_SREGS_E_UPDATE_TSR */
			uint32_t tcr;
			uint32_t decar;
			uint32_t dec; /* SKVM_SREGS_E_UPDATE_DEC */
			uint64_t tb;  /* read-only (consistent with dec); set it with
				       * SKVM_REG_PPC_TB_OFFSET */
			uint32_t dbsr; /* SKVM_SREGS_E_UPDATE_DBSR */
			uint32_t dbcr[3];
			uint32_t iac[4];
			uint32_t dac[2];
			uint32_t dvc[2];
			uint8_t num_iac; /* read-only */
			uint8_t num_dac; /* read-only */
			uint8_t num_dvc; /* read-only */
			uint8_t pad;
			uint32_t epr;
			uint32_t vrsave; /* USPRG0 on BookE */
			uint32_t epcr;
			uint32_t mas0;
			uint32_t mas1;
			uint64_t mas2;
			uint64_t mas7_3;
			uint32_t mas4;
			uint32_t mas6;
			uint32_t ivor_low[16]; /* IVOR0-15 */
			uint32_t ivor_high[18];
			uint32_t mmucfg;
			uint32_t eptcfg;
			uint32_t tlbcfg[4];
			uint32_t tlbps[4];
			uint32_t eplc, epsc;
		} e;
		uint8_t pad[1020];
	} u;
};

/* u.e.features (KVM_SREGS_E_*): the groups a 440 has. */
#define SKVM_SREGS_E_BASE (1u << 0)    /* CSRR0/1 ESR DEAR MCSR TSR TCR DEC TB VRSAVE */
#define SKVM_SREGS_E_ARCH206 (1u << 1) /* PIR MCSRR0/1 DECAR IVPR */
#define SKVM_SREGS_E_IVOR (1u << 5)    /* IVOR0-15 */
#define SKVM_SREGS_E_DEBUG (1u << 7)   /* DBSR DBCR0-2 IAC1-4 DAC1-2 DVC1-2 */
/* u.e.update_special (KVM_SREGS_E_UPDATE_*) */
#define SKVM_SREGS_E_UPDATE_MCSR (1u << 0)
#define SKVM_SREGS_E_UPDATE_TSR (1u << 1)
#define SKVM_SREGS_E_UPDATE_DEC (1u << 2)
#define SKVM_SREGS_E_UPDATE_DBSR (1u << 3)
/* u.e.impl_id (KVM_SREGS_E_IMPL_*): Linux has NONE (0) and FSL (1); softkvm's 440 part
 * (u.e.impl.ppc440) has a number of its own, far from Linux's. */
#define SKVM_SREGS_E_IMPL_NONE 0u
#define SKVM_SREGS_E_IMPL_440 0x4400u

/* KVM_GET_ONE_REG ids: KVM_REG_PPC | size | number, the numbers Linux uses. */
#define SKVM_REG_PPC 0x1000000000000000ULL
#define SKVM_REG_SIZE_U32 0x0020000000000000ULL
#define SKVM_REG_SIZE_U64 0x0030000000000000ULL
#define SKVM_REG_SIZE_U128 0x0040000000000000ULL
#define SKVM_REG_SIZE_SHIFT 52
#define SKVM_REG_SIZE_MASK 0x00f0000000000000ULL
#define SKVM_REG_SIZE(id) (1u << (((id) & SKVM_REG_SIZE_MASK) >> SKVM_REG_SIZE_SHIFT))

#define SKVM_REG_PPC_IAC1 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x02)
#define SKVM_REG_PPC_IAC2 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x03)
#define SKVM_REG_PPC_IAC3 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x04)
#define SKVM_REG_PPC_IAC4 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x05)
#define SKVM_REG_PPC_DAC1 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x06)
#define SKVM_REG_PPC_DAC2 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x07)
#define SKVM_REG_PPC_FPR0 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x20)
#define SKVM_REG_PPC_FPR(n) (SKVM_REG_PPC_FPR0 + (n))
#define SKVM_REG_PPC_FPSCR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x80)
#define SKVM_REG_PPC_TCR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x89)
#define SKVM_REG_PPC_TSR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x8a)
#define SKVM_REG_PPC_OR_TSR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x87)
#define SKVM_REG_PPC_CLEAR_TSR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x88)
#define SKVM_REG_PPC_DEBUG_INST (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x8b)
#define SKVM_REG_PPC_TB_OFFSET (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x9c)
#define SKVM_REG_PPC_VRSAVE (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0xb4)
#define SKVM_REG_PPC_DBSR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0xbb)
/* Book3S (SKVM_VM_PPC_PR) */
#define SKVM_REG_PPC_DAR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xc)
#define SKVM_REG_PPC_DSISR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0xd)
#define SKVM_REG_PPC_LPCR_64 (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xb5) /* ILE and AIL count */
#define SKVM_REG_PPC_DABR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x8)
#define SKVM_REG_PPC_DSCR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x9)
#define SKVM_REG_PPC_AMR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xe)
#define SKVM_REG_PPC_UAMOR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xf)
#define SKVM_REG_PPC_IAMR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0x9f)
#define SKVM_REG_PPC_FSCR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xa3)
#define SKVM_REG_PPC_EBBHR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xa5)
#define SKVM_REG_PPC_EBBRR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xa6)
#define SKVM_REG_PPC_BESCR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xa7)
#define SKVM_REG_PPC_TAR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xa8)
#define SKVM_REG_PPC_CIABR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xac)
#define SKVM_REG_PPC_PPR (SKVM_REG_PPC | SKVM_REG_SIZE_U64 | 0xb6)
/* (and SKVM_REG_PPC_VRSAVE above, the 440's too) */
/* The vector registers (VMX) and VSX's VSR0-31 (whose doubleword 0 is FPR n; VSR32-63 are
 * VR0-31). A 128-bit value is the register as one 128-bit number in the host's byte order,
 * as Linux gives it on a little-endian host: bytes 0-7 doubleword 1, bytes 8-15 doubleword 0. */
#define SKVM_REG_PPC_VR0 (SKVM_REG_PPC | SKVM_REG_SIZE_U128 | 0x40)
#define SKVM_REG_PPC_VR(n) (SKVM_REG_PPC_VR0 + (n))
#define SKVM_REG_PPC_VR31 (SKVM_REG_PPC | SKVM_REG_SIZE_U128 | 0x5f)
#define SKVM_REG_PPC_VSR0 (SKVM_REG_PPC | SKVM_REG_SIZE_U128 | 0x60)
#define SKVM_REG_PPC_VSR(n) (SKVM_REG_PPC_VSR0 + (n))
#define SKVM_REG_PPC_VSR31 (SKVM_REG_PPC | SKVM_REG_SIZE_U128 | 0x7f)
#define SKVM_REG_PPC_VSCR (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x81)
/* softkvm's own ids (Linux has none for these): numbers from 0x1000 up. */
#define SKVM_REG_PPC_DEC (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x1000)

/* KVM_PPC_GET_SMMU_INFO: the segment and page sizes a Book3S hash MMU offers (struct
 * kvm_ppc_smmu_info, field for field). */
#define SKVM_PPC_PAGE_SIZES_MAX_SZ 8
#define SKVM_PPC_PAGE_SIZES_REAL 0x00000001
#define SKVM_PPC_1T_SEGMENTS 0x00000002
#define SKVM_PPC_NO_HASH 0x00000004

struct skvm_ppc_one_page_size {
	uint32_t page_shift; /* actual page shift (or 0) */
	uint32_t pte_enc;    /* its encoding in the HPTE's LP field (>> 12) */
};

struct skvm_ppc_one_seg_page_size {
	uint32_t page_shift; /* base page shift of the segment (or 0) */
	uint32_t slb_enc;    /* the SLB's L||LP bits for it */
	struct skvm_ppc_one_page_size enc[SKVM_PPC_PAGE_SIZES_MAX_SZ];
};

struct skvm_ppc_smmu_info {
	uint64_t flags;
	uint32_t slb_size;
	uint16_t data_keys;  /* storage keys for data */
	uint16_t instr_keys; /* storage keys for instructions */
	struct skvm_ppc_one_seg_page_size sps[SKVM_PPC_PAGE_SIZES_MAX_SZ];
};

/* MSR bits of the 440 (reg_booke.h). */
#define PPC_MSR_WE (1u << 18)
#define PPC_MSR_CE (1u << 17)
#define PPC_MSR_EE (1u << 15)
#define PPC_MSR_PR (1u << 14)
#define PPC_MSR_FP (1u << 13)
#define PPC_MSR_ME (1u << 12)
#define PPC_MSR_FE0 (1u << 11)
#define PPC_MSR_DWE (1u << 10)
#define PPC_MSR_DE (1u << 9)
#define PPC_MSR_FE1 (1u << 8)
#define PPC_MSR_IS (1u << 5)
#define PPC_MSR_DS (1u << 4)

#endif
