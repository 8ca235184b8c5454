/* SPDX-License-Identifier: MIT */
/* Where a differential case lives, for run64.c and loader.S (gen.py and diff64.py say the
 * same): one buffer at BUF holding the initial state, the data the case loads and stores,
 * its code, and the dump of the final state. A slot is 8 bytes in the target's byte order;
 * a 32-bit target uses the low word (big-endian: the slot's second word). */
#ifndef SOFTKVM_DIFF64_LAYOUT_H
#define SOFTKVM_DIFF64_LAYOUT_H

#define D64_BUF 0x01100000	/* the buffer, and the value r31 keeps throughout */
#define D64_EPILOGUE 0x01000000 /* the case's code ends with `ba D64_EPILOGUE` */
#define D64_INIT 0x0000		/* slots: the initial state */
#define D64_DATA 0x1000		/* the data area, D64_DATA_SIZE bytes */
#define D64_DATA_SIZE 0x2000
#define D64_CODE 0x4000		/* the case's code, at most D64_CODE_SIZE bytes */
#define D64_CODE_SIZE 0x2000
#define D64_IMAGE_SIZE 0x6000	/* what the loader reads: init, data and code */
#define D64_SCRATCH 0x3ff0	/* 16 bytes the loader moves VSRs through */
#define D64_DUMP 0x6000		/* slots: the final state */

/* slot numbers */
#define D64_S_GPR 0
#define D64_S_CR 32
#define D64_S_XER 33
#define D64_S_LR 34
#define D64_S_CTR 35
#define D64_S_FPR 36
#define D64_S_FPSCR 68
#define D64_S_VR 70	/* 32 vector registers, two slots each, 16-byte aligned (stvx) */
#define D64_S_VSCR 134	/* two slots: a vector whose low word is VSCR, as stvx stores it */
#define D64_S_VSRLO 136	/* VSR0-31's doubleword 1 (doubleword 0 is the FPR) */
#define D64_NSLOTS 168

#endif
