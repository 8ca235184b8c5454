/* SPDX-License-Identifier: MIT */
/* The QEMU side of the differential: a Linux user program (no libc) that reads a case image
 * (layout.h) from stdin into its buffer, loads the initial state, jumps to the case's code
 * and, when the code branches to the epilogue, writes the final state and the data area
 * to stdout. Assembled with W64=1 for qemu-ppc64le/qemu-ppc64, W64=0 for qemu-ppc; run64.c
 * is the same on softkvm's 64-bit core. */
#include "layout.h"

	.abiversion 2	/* ppc64: the entry point is code, not a function descriptor */

#if W64
#define LDR ld
#define STR std
#define SLOT(n) ((n) * 8)
#else
#define LDR lwz
#define STR stw
#define SLOT(n) ((n) * 8 + 4) /* the low word of a big-endian slot */
#endif

	.text
	.globl _start
	/* at D64_EPILOGUE: r31 is still D64_BUF (cases never write it) */
epilogue:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STR \n, D64_DUMP + SLOT(D64_S_GPR + \n)(31)
	.endr
	mfcr 0
	STR 0, D64_DUMP + SLOT(D64_S_CR)(31)
	mfxer 0
	STR 0, D64_DUMP + SLOT(D64_S_XER)(31)
	mflr 0
	STR 0, D64_DUMP + SLOT(D64_S_LR)(31)
	mfctr 0
	STR 0, D64_DUMP + SLOT(D64_S_CTR)(31)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stfd \n, D64_DUMP + (D64_S_FPR + \n) * 8(31)
	.endr
#if W64
	/* VSR0-31's doubleword 1, before mffs writes FPR0 */
	li 0, D64_SCRATCH
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	stxvd2x \n, 31, 0
	ld 3, D64_SCRATCH + 8(31)
	std 3, D64_DUMP + (D64_S_VSRLO + \n) * 8(31)
	.endr
#endif
	mffs 0
	stfd 0, D64_DUMP + D64_S_FPSCR * 8(31)
#if W64
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	li 0, D64_DUMP + (D64_S_VR + 2 * \n) * 8
	stvx \n, 31, 0
	.endr
	mfvscr 0
	li 0, D64_DUMP + D64_S_VSCR * 8
	stvx 0, 31, 0
#endif
	li 0, 4			/* write(1, dump, slots) */
	li 3, 1
	addi 4, 31, D64_DUMP
	li 5, D64_NSLOTS * 8
	sc
	li 0, 4			/* write(1, data, size) */
	li 3, 1
	addi 4, 31, D64_DATA
	li 5, D64_DATA_SIZE
	sc
	li 0, 1			/* exit(0) */
	li 3, 0
	sc

_start:
	lis 31, D64_BUF@h
	ori 31, 31, D64_BUF@l
	li 0, 125		/* mprotect(buf, size, rwx): the case's code runs there */
	mr 3, 31
	lis 4, 1
	li 5, 7
	sc
	mr 4, 31
	li 5, D64_IMAGE_SIZE
1:	li 0, 3			/* read(0, p, left) until the image is in */
	li 3, 0
	sc
	cmpwi 3, 0
	ble 2f
	add 4, 4, 3
	subf 5, 3, 5
	cmpwi 5, 0
	bgt 1b
2:
#if W64
	li 0, D64_INIT + D64_S_VSCR * 8
	lvx 0, 31, 0
	mtvscr 0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	li 0, D64_INIT + (D64_S_VR + 2 * \n) * 8
	lvx \n, 31, 0
	.endr
#endif
	lfd 0, D64_INIT + D64_S_FPSCR * 8(31)
	mtfsf 0xff, 0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	lfd \n, D64_INIT + (D64_S_FPR + \n) * 8(31)
	.endr
#if W64
	/* VSR0-31: the FPR as doubleword 0, the slot's doubleword 1 */
	li 0, D64_SCRATCH
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld 3, D64_INIT + (D64_S_FPR + \n) * 8(31)
	std 3, D64_SCRATCH(31)
	ld 3, D64_INIT + (D64_S_VSRLO + \n) * 8(31)
	std 3, D64_SCRATCH + 8(31)
	lxvd2x \n, 31, 0
	.endr
#endif
	LDR 0, D64_INIT + SLOT(D64_S_CR)(31)
	mtcrf 0xff, 0
	LDR 0, D64_INIT + SLOT(D64_S_XER)(31)
	mtxer 0
	LDR 0, D64_INIT + SLOT(D64_S_LR)(31)
	mtlr 0
	LDR 0, D64_INIT + SLOT(D64_S_CTR)(31)
	mtctr 0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	LDR \n, D64_INIT + SLOT(D64_S_GPR + \n)(31)
	.endr
	ba D64_BUF + D64_CODE

	.bss
	.space 0x10000
