/* SPDX-License-Identifier: MIT */
/* Register numbers and bits of the PowerPC 440 (BookE) that the tests use, and accessors. */
#ifndef GUEST_PPC440_H
#define GUEST_PPC440_H

#include <stdint.h>

#define SPRN_XER	1
#define SPRN_LR		8
#define SPRN_CTR	9
#define SPRN_DEC	22
#define SPRN_SRR0	26
#define SPRN_SRR1	27
#define SPRN_PID	48
#define SPRN_DECAR	54
#define SPRN_CSRR0	58
#define SPRN_CSRR1	59
#define SPRN_DEAR	61
#define SPRN_ESR	62
#define SPRN_IVPR	63
#define SPRN_SPRG4R	260	/* user-readable SPRG4-7 */
#define SPRN_TBL_R	268
#define SPRN_TBU_R	269
#define SPRN_SPRG0	272
#define SPRN_SPRG1	273
#define SPRN_SPRG2	274
#define SPRN_SPRG3	275
#define SPRN_SPRG4W	276
#define SPRN_TBL_W	284
#define SPRN_TBU_W	285
#define SPRN_PVR	287
#define SPRN_DBSR	304
#define SPRN_DBCR0	308
#define SPRN_DBCR1	309
#define SPRN_DBCR2	310
#define SPRN_IAC1	312
#define SPRN_DAC1	316
#define SPRN_TSR	336
#define SPRN_TCR	340
#define SPRN_IVOR(n)	(400 + (n))
#define SPRN_MCSRR0	570
#define SPRN_MCSRR1	571
#define SPRN_MCSR	572
#define SPRN_MMUCR	946
#define SPRN_CCR0	947

/* MSR */
#define MSR_WE		0x00040000
#define MSR_CE		0x00020000
#define MSR_EE		0x00008000
#define MSR_PR		0x00004000
#define MSR_FP		0x00002000
#define MSR_ME		0x00001000
#define MSR_FE0		0x00000800
#define MSR_DWE		0x00000400
#define MSR_DE		0x00000200
#define MSR_FE1		0x00000100
#define MSR_IS		0x00000020
#define MSR_DS		0x00000010

/* ESR */
#define ESR_MCI		0x80000000
#define ESR_PIL		0x08000000	/* illegal instruction */
#define ESR_PPR		0x04000000	/* privileged instruction */
#define ESR_PTR		0x02000000	/* trap */
#define ESR_FP		0x01000000
#define ESR_ST		0x00800000	/* store */
#define ESR_DLK		0x00200000
#define ESR_ILK		0x00100000
#define ESR_AP		0x00080000
#define ESR_PUO		0x00040000	/* unimplemented operation */
#define ESR_BO		0x00020000
#define ESR_PIE		0x00010000	/* imprecise */

/* Interrupt vector numbers (IVORn) */
#define IVOR_CRITICAL	0
#define IVOR_MCHECK	1
#define IVOR_DSI	2
#define IVOR_ISI	3
#define IVOR_EXTERNAL	4
#define IVOR_ALIGNMENT	5
#define IVOR_PROGRAM	6
#define IVOR_FPUNAVAIL	7
#define IVOR_SYSCALL	8
#define IVOR_APUNAVAIL	9
#define IVOR_DEC	10
#define IVOR_FIT	11
#define IVOR_WATCHDOG	12
#define IVOR_DTLB	13
#define IVOR_ITLB	14
#define IVOR_DEBUG	15

#define mfspr(n) ({ uint32_t __v; \
	__asm__ __volatile__("mfspr %0, %1" : "=r"(__v) : "i"(n)); __v; })
#define mtspr(n, v) \
	__asm__ __volatile__("mtspr %0, %1" : : "i"(n), "r"((uint32_t)(v)) : "memory")

static inline uint32_t mfmsr(void)
{
	uint32_t v;

	__asm__ __volatile__("mfmsr %0" : "=r"(v));
	return v;
}

static inline void mtmsr(uint32_t v)
{
	__asm__ __volatile__("mtmsr %0; isync" : : "r"(v) : "memory");
}

static inline void isync(void)
{
	__asm__ __volatile__("isync" : : : "memory");
}

static inline uint32_t mfcr(void)
{
	uint32_t v;

	__asm__ __volatile__("mfcr %0" : "=r"(v));
	return v;
}

static inline uint32_t mfxer(void)
{
	uint32_t v;

	__asm__ __volatile__("mfxer %0" : "=r"(v));
	return v;
}

static inline void mtxer(uint32_t v)
{
	__asm__ __volatile__("mtxer %0" : : "r"(v));
}

/* XER bits */
#define XER_SO		0x80000000
#define XER_OV		0x40000000
#define XER_CA		0x20000000

/* CR field f (0..7) of a CR image, as a 4-bit value LT GT EQ SO */
#define CR_FIELD(cr, f)	(((cr) >> (28 - 4 * (f))) & 0xf)
#define CR_LT		8
#define CR_GT		4
#define CR_EQ		2
#define CR_SO		1

/* System reset through DBCR0[RST]: QEMU (-no-reboot) and softkvm end the run.  Until the
 * reset takes effect the core waits (MSR[WE], nothing enabled) rather than spins: QEMU 7.2
 * sometimes fails to stop a vCPU spinning in a one-instruction loop while it shuts down
 * (seen with about one run in four under load), and then hangs. */
static inline void __attribute__((noreturn)) machine_reset(void)
{
	mtspr(SPRN_DBCR0, 0x30000000);
	isync();
	for (;;)
		mtmsr(MSR_WE);
}

#endif
