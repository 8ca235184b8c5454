/* SPDX-License-Identifier: MIT */
/* softkvm public API: PAPR hypercalls (sc 1) as a Book3S guest makes them: the hcall numbers
 * (r3 on entry), the return codes (r3 on return) and the flags of the page-table hcalls, with
 * the numbers of Linux's arch/powerpc/include/asm/hvcall.h, so a VMM that handles
 * KVM_EXIT_PAPR_HCALL finds the values it knows. */
#ifndef SOFTKVM_PAPR_H
#define SOFTKVM_PAPR_H

/* Return codes. */
#define SKVM_H_SUCCESS 0
#define SKVM_H_BUSY 1
#define SKVM_H_CLOSED 2
#define SKVM_H_NOT_AVAILABLE 3
#define SKVM_H_CONSTRAINED 4
#define SKVM_H_PARTIAL 5
#define SKVM_H_IN_PROGRESS 14
#define SKVM_H_PAGE_REGISTERED 15
#define SKVM_H_PARTIAL_STORE 16
#define SKVM_H_PENDING 17
#define SKVM_H_CONTINUE 18
#define SKVM_H_LONG_BUSY_ORDER_1_MSEC 9900
#define SKVM_H_TOO_HARD 9999
#define SKVM_H_HARDWARE (-1)
#define SKVM_H_FUNCTION (-2)
#define SKVM_H_PRIVILEGE (-3)
#define SKVM_H_PARAMETER (-4)
#define SKVM_H_BAD_MODE (-5)
#define SKVM_H_PTEG_FULL (-6)
#define SKVM_H_NOT_FOUND (-7)
#define SKVM_H_RESERVED_DABR (-8)
#define SKVM_H_NO_MEM (-9)
#define SKVM_H_AUTHORITY (-10)
#define SKVM_H_PERMISSION (-11)
#define SKVM_H_DROPPED (-12)
#define SKVM_H_RESOURCE (-16)
#define SKVM_H_P2 (-55)
#define SKVM_H_P3 (-56)
#define SKVM_H_P4 (-57)
#define SKVM_H_NOOP (-63)
#define SKVM_H_TOO_BIG (-64)
#define SKVM_H_UNSUPPORTED (-67)
#define SKVM_H_OVERLAP (-68)
#define SKVM_H_STATE (-75)
#define SKVM_H_IN_USE (-77)
#define SKVM_H_UNSUPPORTED_FLAG_START (-256)
#define SKVM_H_UNSUPPORTED_FLAG_END (-511)

/* Flags (r4) of the page-table hcalls: bit n in PAPR's numbering is 1 << (63 - n). */
#define SKVM_H_BIT(n) (1ULL << (63 - (n)))
#define SKVM_H_LARGE_PAGE SKVM_H_BIT(16)
#define SKVM_H_EXACT SKVM_H_BIT(24)  /* H_ENTER: this slot or H_PTEG_FULL */
#define SKVM_H_R_XLATE SKVM_H_BIT(25) /* logical page numbers (what a guest's HPT holds) */
#define SKVM_H_READ_4 SKVM_H_BIT(26) /* H_READ: four entries */
#define SKVM_H_AVPN SKVM_H_BIT(32)   /* r6 is an AVPN the entry must have */
#define SKVM_H_ANDCOND SKVM_H_BIT(33) /* r6 is a mask the entry's first word must miss */
#define SKVM_H_LOCAL SKVM_H_BIT(35)
#define SKVM_H_ICACHE_INVALIDATE SKVM_H_BIT(40)
#define SKVM_H_ICACHE_SYNCHRONIZE SKVM_H_BIT(41)
#define SKVM_H_COALESCE_CAND SKVM_H_BIT(42)
#define SKVM_H_ZERO_PAGE SKVM_H_BIT(48) /* H_ENTER: zero the page first (RAM only) */
#define SKVM_H_COPY_PAGE SKVM_H_BIT(49)
#define SKVM_H_N SKVM_H_BIT(61)
#define SKVM_H_PP1 SKVM_H_BIT(62)
#define SKVM_H_PP2 SKVM_H_BIT(63)

/* H_BULK_REMOVE: each of r4..r11's four (translation specifier high, low) pairs. */
#define SKVM_H_BULK_REMOVE_TYPE 0xc000000000000000ULL
#define SKVM_H_BULK_REMOVE_REQUEST 0x4000000000000000ULL
#define SKVM_H_BULK_REMOVE_RESPONSE 0x8000000000000000ULL
#define SKVM_H_BULK_REMOVE_END 0xc000000000000000ULL
#define SKVM_H_BULK_REMOVE_CODE 0x3000000000000000ULL
#define SKVM_H_BULK_REMOVE_SUCCESS 0x0000000000000000ULL
#define SKVM_H_BULK_REMOVE_NOT_FOUND 0x1000000000000000ULL
#define SKVM_H_BULK_REMOVE_PARM 0x2000000000000000ULL
#define SKVM_H_BULK_REMOVE_HW 0x3000000000000000ULL
#define SKVM_H_BULK_REMOVE_RC 0x0c00000000000000ULL
#define SKVM_H_BULK_REMOVE_FLAGS 0x0300000000000000ULL
#define SKVM_H_BULK_REMOVE_ABSOLUTE 0x0000000000000000ULL
#define SKVM_H_BULK_REMOVE_ANDCOND 0x0100000000000000ULL
#define SKVM_H_BULK_REMOVE_AVPN 0x0200000000000000ULL
#define SKVM_H_BULK_REMOVE_PTEX 0x00ffffffffffffffULL
#define SKVM_H_BULK_REMOVE_MAX_BATCH 4

/* Hypercall numbers (r3 on entry). */
#define SKVM_H_REMOVE 0x04
#define SKVM_H_ENTER 0x08
#define SKVM_H_READ 0x0c
#define SKVM_H_CLEAR_MOD 0x10
#define SKVM_H_CLEAR_REF 0x14
#define SKVM_H_PROTECT 0x18
#define SKVM_H_GET_TCE 0x1c
#define SKVM_H_PUT_TCE 0x20
#define SKVM_H_SET_SPRG0 0x24
#define SKVM_H_SET_DABR 0x28
#define SKVM_H_PAGE_INIT 0x2c
#define SKVM_H_LOGICAL_CI_LOAD 0x3c
#define SKVM_H_LOGICAL_CI_STORE 0x40
#define SKVM_H_GET_TERM_CHAR 0x54
#define SKVM_H_PUT_TERM_CHAR 0x58
#define SKVM_H_EOI 0x64
#define SKVM_H_CPPR 0x68
#define SKVM_H_IPI 0x6c
#define SKVM_H_IPOLL 0x70
#define SKVM_H_XIRR 0x74
#define SKVM_H_REGISTER_VPA 0xdc
#define SKVM_H_CEDE 0xe0
#define SKVM_H_CONFER 0xe4
#define SKVM_H_PROD 0xe8
#define SKVM_H_BULK_REMOVE 0x124
#define SKVM_H_SET_XDABR 0x134
#define SKVM_H_STUFF_TCE 0x138
#define SKVM_H_PUT_TCE_INDIRECT 0x13c
#define SKVM_H_XIRR_X 0x2fc
#define SKVM_H_RANDOM 0x300
#define SKVM_H_SET_MODE 0x31c
#define SKVM_H_CLEAR_HPT 0x358
#define SKVM_H_RESIZE_HPT_PREPARE 0x36c
#define SKVM_H_RESIZE_HPT_COMMIT 0x370
#define SKVM_H_REGISTER_PROC_TBL 0x37c
#define SKVM_H_RTAS 0xf000

#endif
