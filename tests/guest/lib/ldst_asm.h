/* SPDX-License-Identifier: MIT */
/* ldst_asm.h - one load or store instruction as an expression, for the load/store and MMIO
 * tests: insn is the mnemonic, d a displacement, base and idx registers' values. The
 * update forms (LDU, LDUX, STU, STUX) write the updated address back into base. */
#ifndef GUEST_LDST_ASM_H
#define GUEST_LDST_ASM_H

#include <stdint.h>

#define LD(insn, d, base) ({ uint32_t v_;						\
	__asm__ __volatile__(insn " %0, " #d "(%1)" : "=r"(v_) : "b"(base) : "memory"); v_; })
#define LDX(insn, base, idx) ({ uint32_t v_;						\
	__asm__ __volatile__(insn " %0, %1, %2" : "=r"(v_) : "b"(base), "r"(idx) : "memory"); \
	v_; })
#define LDU(insn, d, base) ({ uint32_t v_;						\
	__asm__ __volatile__(insn " %0, " #d "(%1)" : "=&r"(v_), "+b"(base) : : "memory"); v_; })
#define LDUX(insn, base, idx) ({ uint32_t v_;						\
	__asm__ __volatile__(insn " %0, %1, %2" : "=&r"(v_), "+b"(base) : "r"(idx) : "memory"); \
	v_; })
#define ST(insn, v, d, base)								\
	__asm__ __volatile__(insn " %0, " #d "(%1)" : : "r"(v), "b"(base) : "memory")
#define STX(insn, v, base, idx)								\
	__asm__ __volatile__(insn " %0, %1, %2" : : "r"(v), "b"(base), "r"(idx) : "memory")
#define STU(insn, v, d, base)								\
	__asm__ __volatile__(insn " %1, " #d "(%0)" : "+b"(base) : "r"(v) : "memory")
#define STUX(insn, v, base, idx)							\
	__asm__ __volatile__(insn " %1, %0, %2" : "+b"(base) : "r"(v), "r"(idx) : "memory")

#endif
