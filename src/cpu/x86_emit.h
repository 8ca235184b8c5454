/* SPDX-License-Identifier: MIT */
/* Writing x86-64 machine code into a buffer: the few instruction forms compiled runs
 * (jit.c) are made of. Register numbers are x86's (RAX = 0 ... R15 = 15). An emitter that
 * would pass its end stops writing and says so (x86_overflowed); the caller then drops what
 * it wrote. Operand order follows the Intel manual: op(dst, src). */
#ifndef SOFTKVM_X86_EMIT_H
#define SOFTKVM_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum x86_reg { X_RAX, X_RCX, X_RDX, X_RBX, X_RSP, X_RBP, X_RSI, X_RDI, X_R8 };

/* Condition codes (the low nibble of jcc/setcc/cmovcc). */
enum x86_cc {
	X_CC_B = 0x2,  /* unsigned below */
	X_CC_E = 0x4,  /* equal / zero */
	X_CC_NE = 0x5, /* not equal / not zero */
	X_CC_A = 0x7,  /* unsigned above */
	X_CC_L = 0xc,  /* signed less */
	X_CC_LE = 0xe, /* signed less or equal */
	X_CC_G = 0xf,  /* signed greater */
};

/* Two-operand ALU opcodes, "op r/m, reg" form; the "op reg, r/m" form is this + 2, and the
 * immediate form (0x81 /ext) takes ext = opcode >> 3. */
enum x86_alu { X_ADD = 0x01, X_OR = 0x09, X_AND = 0x21, X_SUB = 0x29, X_XOR = 0x31, X_CMP = 0x39 };

struct x86_emit {
	uint8_t *p, *end;
	bool overflow;
};

static inline void x86_byte(struct x86_emit *e, unsigned v)
{
	if (e->p < e->end)
		*e->p++ = (uint8_t)v;
	else
		e->overflow = true;
}
static inline void x86_u32(struct x86_emit *e, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		x86_byte(e, (v >> (8 * i)) & 0xff);
}
static inline void x86_u64(struct x86_emit *e, uint64_t v)
{
	x86_u32(e, (uint32_t)v);
	x86_u32(e, (uint32_t)(v >> 32));
}

/* REX for a 64-bit operation (w), a ModRM reg field and r/m (or SIB index/base) registers */
static inline void x86_rex(struct x86_emit *e, bool w, unsigned reg, unsigned rm)
{
	unsigned rex = (w ? 8u : 0) | ((reg & 8) ? 4u : 0) | ((rm & 8) ? 1u : 0);
	if (rex)
		x86_byte(e, 0x40 | rex);
}
/* opcode bytes: one, or 0x0f and one (opc > 0xff) */
static inline void x86_opcode(struct x86_emit *e, unsigned opc)
{
	if (opc > 0xff)
		x86_byte(e, opc >> 8);
	x86_byte(e, opc & 0xff);
}

/* opc reg, [base + disp32] (base neither rsp nor r12: no SIB) */
static inline void x86_mem(struct x86_emit *e, bool w, unsigned opc, unsigned reg, unsigned base,
			   uint32_t disp)
{
	x86_rex(e, w, reg, base);
	x86_opcode(e, opc);
	x86_byte(e, 0x80 | (reg & 7) << 3 | (base & 7));
	x86_u32(e, disp);
}
/* opc reg, [base + index + disp32] */
static inline void x86_mem_index(struct x86_emit *e, bool w, unsigned opc, unsigned reg,
				 unsigned base, unsigned index, uint32_t disp)
{
	x86_rex(e, w, reg, base);
	x86_opcode(e, opc);
	x86_byte(e, 0x80 | (reg & 7) << 3 | 4);
	x86_byte(e, (index & 7) << 3 | (base & 7));
	x86_u32(e, disp);
}
/* opc reg, [base] (base neither rsp, rbp, r12 nor r13) */
static inline void x86_mem0(struct x86_emit *e, bool w, unsigned opc, unsigned reg, unsigned base)
{
	x86_rex(e, w, reg, base);
	x86_opcode(e, opc);
	x86_byte(e, (reg & 7) << 3 | (base & 7));
}
/* opc rm, reg (register direct; for one-operand groups reg is the /ext) */
static inline void x86_rr(struct x86_emit *e, bool w, unsigned opc, unsigned reg, unsigned rm)
{
	x86_rex(e, w, reg, rm);
	x86_opcode(e, opc);
	x86_byte(e, 0xc0 | (reg & 7) << 3 | (rm & 7));
}
/* alu rm, imm32 (sign-extended to 64 bits when w) */
static inline void x86_alu_imm(struct x86_emit *e, bool w, enum x86_alu op, unsigned rm, uint32_t imm)
{
	x86_rr(e, w, 0x81, (unsigned)op >> 3, rm);
	x86_u32(e, imm);
}
/* shift/rotate group 0xc1: ext 0 rol, 4 shl, 5 shr */
static inline void x86_shift(struct x86_emit *e, bool w, unsigned ext, unsigned rm, unsigned count)
{
	x86_rr(e, w, 0xc1, ext, rm);
	x86_byte(e, count);
}
/* mov r32, imm32 (zero-extends) */
static inline void x86_mov_imm32(struct x86_emit *e, unsigned reg, uint32_t imm)
{
	x86_rex(e, false, 0, reg);
	x86_byte(e, 0xb8 + (reg & 7));
	x86_u32(e, imm);
}
/* movabs r64, imm64 */
static inline void x86_mov_imm64(struct x86_emit *e, unsigned reg, uint64_t imm)
{
	x86_rex(e, true, 0, reg);
	x86_byte(e, 0xb8 + (reg & 7));
	x86_u64(e, imm);
}
/* bswap r32/r64 */
static inline void x86_bswap(struct x86_emit *e, bool w, unsigned reg)
{
	x86_rex(e, w, 0, reg);
	x86_byte(e, 0x0f);
	x86_byte(e, 0xc8 + (reg & 7));
}

/* Jumps with a rel32 that x86_patch fills in later: return where the rel32 is. */
static inline uint8_t *x86_jcc(struct x86_emit *e, enum x86_cc cc)
{
	x86_byte(e, 0x0f);
	x86_byte(e, 0x80 | cc);
	uint8_t *at = e->p;
	x86_u32(e, 0);
	return at;
}
static inline uint8_t *x86_jmp(struct x86_emit *e)
{
	x86_byte(e, 0xe9);
	uint8_t *at = e->p;
	x86_u32(e, 0);
	return at;
}
static inline void x86_patch(uint8_t *at, const uint8_t *target)
{
	int32_t rel = (int32_t)(target - (at + 4));
	memcpy(at, &rel, 4);
}
/* jmp [reg] / jmp reg */
static inline void x86_jmp_mem(struct x86_emit *e, unsigned reg)
{
	x86_rex(e, false, 0, reg);
	x86_byte(e, 0xff);
	x86_byte(e, 0x20 | (reg & 7));
}
static inline void x86_jmp_reg(struct x86_emit *e, unsigned reg)
{
	x86_rr(e, false, 0xff, 4, reg);
}

static inline bool x86_overflowed(const struct x86_emit *e)
{
	return e->overflow;
}

#endif
