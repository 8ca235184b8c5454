/* SPDX-License-Identifier: MIT */
/* Field definitions of the Book3S-64 hash MMU (Power ISA 2.07B Book III-S chapter 5): the two
 * doublewords of a hashed page table entry, an SLB entry as slbmte's RS and RB hold it, SDR1,
 * and the DSISR/SRR1 bits of the storage interrupts. Values are masks on the 64-bit numbers
 * (the ISA counts bits from the left: ISA bit n is 1 << (63 - n)). */
#ifndef SOFTKVM_BOOK3S_MMU_BITS_H
#define SOFTKVM_BOOK3S_MMU_BITS_H

/* HPTE doubleword 0: B (segment size) | AVA (VA 0:54) | SW | L | H | V. */
#define HPTE_V_B 0xc000000000000000ULL
#define HPTE_V_B_SHIFT 62
#define HPTE_V_1TB_SEG 0x4000000000000000ULL
#define HPTE_V_AVPN 0x3fffffffffffff80ULL /* AVA, in place */
#define HPTE_V_AVPN_SHIFT 7
#define HPTE_V_SW 0x0000000000000078ULL
/* One of the software bits is the hypervisor's own: it locks the entry while an hcall or an
 * R/C update changes it (Linux's HPTE_V_HVLOCK); guests never see or set it. */
#define HPTE_V_HVLOCK 0x0000000000000040ULL
#define HPTE_V_LARGE 0x0000000000000004ULL     /* L: base page larger than 4 KiB */
#define HPTE_V_SECONDARY 0x0000000000000002ULL /* H: found through the secondary hash */
#define HPTE_V_VALID 0x0000000000000001ULL

/* HPTE doubleword 1: PP0 | TS | KEY 0:1 | ARPN (with LP in its low bits) | KEY 2:4 | R | C |
 * WIMG | N | PP1:2. */
#define HPTE_R_PP0 0x8000000000000000ULL
#define HPTE_R_TS 0x4000000000000000ULL
#define HPTE_R_KEY_HI 0x3000000000000000ULL
#define HPTE_R_RPN 0x0ffffffffffff000ULL
#define HPTE_R_LP 0x00000000000ff000ULL /* page-size bits, within the RPN */
#define HPTE_R_LP_SHIFT 12
#define HPTE_R_KEY_LO 0x0000000000000e00ULL
#define HPTE_R_R 0x0000000000000100ULL
#define HPTE_R_C 0x0000000000000080ULL
#define HPTE_R_WIMG 0x0000000000000078ULL
#define HPTE_R_W 0x0000000000000040ULL
#define HPTE_R_I 0x0000000000000020ULL
#define HPTE_R_M 0x0000000000000010ULL
#define HPTE_R_G 0x0000000000000008ULL
#define HPTE_R_N 0x0000000000000004ULL
#define HPTE_R_PP 0x0000000000000003ULL

#define HPTE_BYTES 16
#define HPTES_PER_GROUP 8
#define HPTEG_BYTES (HPTE_BYTES * HPTES_PER_GROUP)

/* slbmte RB: ESID (0:35) | V (36) | index (52:63). */
#define SLB_ESID_MASK 0xfffffffff0000000ULL    /* 256 MiB segment */
#define SLB_ESID_MASK_1T 0xffffff0000000000ULL /* 1 TiB segment */
#define SLB_ESID_V 0x0000000008000000ULL
#define SLB_INDEX_MASK 0x0000000000000fffULL
/* slbmte RS: B (0:1) | VSID (2:51) | Ks Kp N L C (52:56) | LP (58:59). */
#define SLB_VSID_B 0xc000000000000000ULL
#define SLB_VSID_B_1T 0x4000000000000000ULL
#define SLB_VSID_VSID 0x3ffffffffffff000ULL
#define SLB_VSID_SHIFT 12 /* VSID of a 256 MiB segment, in place */
#define SLB_VSID_SHIFT_1T 24
#define SLB_VSID_KS 0x0000000000000800ULL
#define SLB_VSID_KP 0x0000000000000400ULL
#define SLB_VSID_N 0x0000000000000200ULL
#define SLB_VSID_L 0x0000000000000100ULL
#define SLB_VSID_C 0x0000000000000080ULL
#define SLB_VSID_LP 0x0000000000000030ULL
#define SLB_VSID_LP_00 0x0000000000000000ULL
#define SLB_VSID_LP_01 0x0000000000000010ULL
#define SLB_VSID_FLAGS (SLB_VSID_KS | SLB_VSID_KP | SLB_VSID_N | SLB_VSID_L | SLB_VSID_C | SLB_VSID_LP)

#define SID_SHIFT 28    /* 256 MiB segments */
#define SID_SHIFT_1T 40 /* 1 TiB segments */
/* POWER8 implements 68 virtual-address bits: VSIDs of 40 (256 MiB) or 28 (1 TiB) bits. */
#define VA_BITS_POWER8 68

/* SDR1: HTABORG (the table's address, 256 KiB aligned) | HTABSIZE (2^(11+n) PTEGs). */
#define SDR1_HTABORG 0xfffffffffffc0000ULL
#define SDR1_HTABSIZE 0x000000000000001fULL
#define SDR1_HTABSIZE_MAX 28

/* DSISR of a data storage interrupt; SRR1 bits 33:36, 42 of an instruction storage one. */
#define DSISR_NOHPTE 0x40000000ULL    /* no HPTE for the access */
#define DSISR_PROTFAULT 0x08000000ULL /* PP/key protection (and outside the RMA) */
#define DSISR_ISSTORE 0x02000000ULL   /* the access was a store */
#define DSISR_KEYFAULT 0x00200000ULL  /* virtual page class key (AMR) protection */
#define SRR1_ISI_NOPT 0x40000000ULL   /* no HPTE for the fetch */
#define SRR1_ISI_N_OR_G 0x10000000ULL /* fetch from no-execute (HPTE or segment) or guarded */
#define SRR1_ISI_PROT 0x08000000ULL   /* PP protection */
#define SRR1_ISI_KEY 0x00200000ULL    /* IAMR protection */

/* Interrupt vectors of the storage interrupts. */
#define BOOK3S_VEC_DSI 0x300
#define BOOK3S_VEC_DSEG 0x380
#define BOOK3S_VEC_ISI 0x400
#define BOOK3S_VEC_ISEG 0x480

/* MSR bits the MMU reads. */
#define BOOK3S_MSR_PR (1ULL << 14)
#define BOOK3S_MSR_IR (1ULL << 5)
#define BOOK3S_MSR_DR (1ULL << 4)

/* Real mode: the top four bits of an effective address are ignored. */
#define BOOK3S_REAL_ADDR_MASK 0x0fffffffffffffffULL

#endif
