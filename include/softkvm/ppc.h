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

/* struct kvm_sregs, the BookE members (u.e) that a 440 has. */
struct skvm_sregs {
	uint32_t pvr;
	uint32_t pir;
	uint32_t csrr0, csrr1, mcsrr0, mcsrr1;
	uint32_t esr, dear, mcsr;
	uint32_t tcr, tsr, dec, decar;
	uint64_t tb;
	uint32_t ivpr;
	uint32_t ivor[16];
	uint32_t mmucr;
	uint32_t ccr0, ccr1;
	uint32_t dbcr0, dbcr1, dbcr2, dbsr;
};

/* KVM_GET_ONE_REG ids: KVM_REG_PPC | size | number, the numbers Linux uses. */
#define SKVM_REG_PPC 0x1000000000000000ULL
#define SKVM_REG_SIZE_U32 0x0020000000000000ULL
#define SKVM_REG_SIZE_U64 0x0030000000000000ULL
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
/* softkvm's own ids (Linux has none for these): numbers from 0x1000 up. */
#define SKVM_REG_PPC_DEC (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0x1000)
#define SKVM_REG_PPC_VRSAVE (SKVM_REG_PPC | SKVM_REG_SIZE_U32 | 0xb4)

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
