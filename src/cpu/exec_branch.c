// SPDX-License-Identifier: MIT
/* Branches and condition-register instructions.
 *
 * BO (Book I, 32-bit): 0x10 ignore the condition, 0x08 the CR bit value to branch on,
 * 0x04 leave CTR alone, 0x02 with a CTR decrement: branch on CTR == 0 (else != 0),
 * 0x01 prediction hint. Bits a form ignores (z) are ignored here too, as the 440 does.
 * CR bit numbers count from the MSB: bit 0 is CR0[LT].
 */
#include "exec.h"

/* Taken relative branch (b, bc). Same effect as cpu_branch(c, d, pc + imm): when the
 * decoder found the target slot in the same code page (CPU_D_IN_PAGE, see decode.h) and budget
 * is left, it is found by pointer arithmetic alone, without converting d to a guest PC
 * and back; anything else goes through branch_rel_far, kept out of line so the fast path
 * needs no stack frame. */
static __attribute__((noinline)) const struct cpu_dinsn *branch_rel_far(struct cpu *c,
									 const struct cpu_dinsn *d)
{
	return cpu_branch(c, d, cpu_pc_of(c, d) + (cpu_ureg)(cpu_sreg)d->imm);
}

/* The far way as a handler of its own, tail-called: a branch handler that calls nothing
 * needs no stack frame on its fast path. */
static __attribute__((noinline)) CPU_HANDLER(op_branch_rel_far)
{
	CPU_GOTO(c, branch_rel_far(c, d));
}

#define BRANCH_REL(c, d)                                                                        \
	do {                                                                                    \
		if (likely((d)->flags & CPU_D_IN_PAGE) && likely((c)->budget > 0)) {             \
			(c)->budget--;                                                          \
			CPU_NEXT(c, (d) + ((d)->imm >> 2));                                     \
		}                                                                               \
		CPU_TAIL(op_branch_rel_far);                                                    \
	} while (0)

/* Decrement CTR; is it still non-zero? (The 64-bit core in 32-bit mode tests the low
 * word.) */
static inline bool ctr_dec_nonzero(struct cpu *c)
{
	--c->ctr;
#if CPU_IS64
	return (c->ctr & c->ea_mask) != 0; /* the mode's width, as for addresses */
#else
	return c->ctr != 0;
#endif
}

/* Does BO (with the CR bit BI) let the branch be taken? Decrements CTR when BO says so. */
static inline bool bo_taken(struct cpu *c, unsigned bo, unsigned bi)
{
	bool ok = true;
	if (!(bo & 0x04))
		ok = ctr_dec_nonzero(c) != ((bo & 0x02) != 0);
	if (!(bo & 0x10))
		ok &= !(((c->cr >> (31 - bi)) ^ (bo >> 3)) & 1);
	return ok;
}

CPU_HANDLER(op_b)
{
	if (likely(!(d->flags & (CPU_D_AA | CPU_D_LK))))
		BRANCH_REL(c, d);
	if ((d->flags & CPU_D_LK))
		c->lr = cpu_pc_of(c, d) + 4;
	if ((d->flags & CPU_D_AA))
		CPU_GOTO(c, cpu_branch(c, d, (cpu_ureg)(cpu_sreg)d->imm));
	BRANCH_REL(c, d);
}

/* Every bc form: link, CTR and condition as BO says. */
static __attribute__((noinline)) const struct cpu_dinsn *bc_general(struct cpu *c,
								     const struct cpu_dinsn *d)
{
	if ((d->flags & CPU_D_LK))
		c->lr = cpu_pc_of(c, d) + 4;
	if (!bo_taken(c, d->rt, d->ra))
		return d + 1;
	if ((d->flags & CPU_D_AA))
		return cpu_branch(c, d, (cpu_ureg)(cpu_sreg)d->imm);
	return branch_rel_far(c, d);
}

static __attribute__((noinline)) CPU_HANDLER(op_bc_general)
{
	CPU_GOTO(c, bc_general(c, d));
}

CPU_HANDLER(op_bc)
{
	unsigned bo = d->rt;
	if (likely(!(d->flags & (CPU_D_AA | CPU_D_LK)))) {
		/* bdnz: the loop instruction */
		if (likely(bo == 16)) {
			if (likely(ctr_dec_nonzero(c)))
				BRANCH_REL(c, d);
			CPU_NEXT(c, d + 1);
		}
		/* bt / bf (with or without hint bits) */
		if (likely((bo & 0x14) == 0x04)) {
			if (((c->cr >> (31 - d->ra)) ^ (bo >> 3)) & 1)
				CPU_NEXT(c, d + 1);
			BRANCH_REL(c, d);
		}
	}
	CPU_TAIL(op_bc_general);
}

CPU_HANDLER(op_bclr)
{
	cpu_ureg target = c->lr & ~(cpu_ureg)3;
	unsigned bo = d->rt;
	/* blr */
	if (likely((bo & 0x14) == 0x14 && !(d->flags & CPU_D_LK)))
		CPU_GOTO(c, cpu_branch(c, d, target));
	if ((d->flags & CPU_D_LK))
		c->lr = cpu_pc_of(c, d) + 4;
	if (!bo_taken(c, bo, d->ra))
		CPU_NEXT(c, d + 1);
	CPU_GOTO(c, cpu_branch(c, d, target));
}

CPU_HANDLER(op_bcctr)
{
	cpu_ureg target = c->ctr & ~(cpu_ureg)3;
	unsigned bo = d->rt;
	/* BO asking to decrement CTR is an invalid form of bcctr; like QEMU for every
	 * non-Book3S core, treat it as an illegal instruction. */
	if (unlikely(!(bo & 0x04)))
		CPU_GOTO(c, cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PIL));
	if ((d->flags & CPU_D_LK))
		c->lr = cpu_pc_of(c, d) + 4;
	if (!(bo & 0x10) && (((c->cr >> (31 - d->ra)) ^ (bo >> 3)) & 1))
		CPU_NEXT(c, d + 1);
	CPU_GOTO(c, cpu_branch(c, d, target));
}

/* ---- condition register ---- */

CPU_HANDLER(op_mcrf)
{
	/* XL form: the 3-bit field numbers sit in the top of the 5-bit BO/BI fields */
	unsigned dst = d->rt >> 2, src = d->ra >> 2;
	cpu_set_crf(c, dst, (c->cr >> (28 - 4 * src)) & 0xf);
	CPU_NEXT(c, d + 1);
}

static inline uint32_t cr_bit(const struct cpu *c, unsigned bit)
{
	return (c->cr >> (31 - bit)) & 1;
}

static inline void cr_set_bit(struct cpu *c, unsigned bit, uint32_t v)
{
	unsigned s = 31 - bit;
	c->cr = (c->cr & ~(1u << s)) | ((v & 1) << s);
}

#define CR_LOGIC(name, expr)                                                                       \
	CPU_HANDLER(name)                                                                          \
	{                                                                                          \
		uint32_t a = cr_bit(c, d->ra), b = cr_bit(c, d->rb);                               \
		cr_set_bit(c, d->rt, (expr));                                                      \
		return d + 1;                                                                      \
	}

/* clang-format off */
CR_LOGIC(op_crand, a & b)
CR_LOGIC(op_crandc, a & ~b)
CR_LOGIC(op_creqv, ~(a ^ b))
CR_LOGIC(op_crnand, ~(a & b))
CR_LOGIC(op_crnor, ~(a | b))
CR_LOGIC(op_cror, a | b)
CR_LOGIC(op_crorc, a | ~b)
CR_LOGIC(op_crxor, a ^ b)
/* clang-format on */
