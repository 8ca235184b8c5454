// SPDX-License-Identifier: MIT
/* FP loads and stores: lfs/lfd, stfs/stfd (D, update, indexed, update indexed), stfiwx.
 *
 * Single-precision accesses convert with DOUBLE/SINGLE (fp_conv.h): bit moves that raise
 * no FP exception. Loads pass CPU_MEM_FP so an MMIO completion converts lfs data the same
 * way; stores hand the converted word. RA of an update form changes only after the access
 * went through.
 */
#include "fpu.h"

static ALWAYS_INLINE const struct cpu_dinsn *fp_load(struct cpu *c, const struct cpu_dinsn *d,
						     cpu_ureg ea, bool dbl, unsigned upd)
{
	uint64_t v;

	if (dbl) {
		if (unlikely(!cpu_load64(c, d, ea, CPU_MEM_FP | upd, &v)))
			return cpu_fault_next(c);
	} else {
		uint32_t w;
		if (unlikely(!cpu_load32(c, d, ea, CPU_MEM_FP | upd, &w)))
			return cpu_fault_next(c);
		v = cpu_fp_double_of_single(w);
	}
	cpu_set_fpr(c, d->rt, v);
	cpu_ea_update(c, d, ea, upd);
	return d + 1;
}

static ALWAYS_INLINE const struct cpu_dinsn *fp_store(struct cpu *c, const struct cpu_dinsn *d,
						      cpu_ureg ea, bool dbl, unsigned upd)
{
	uint64_t v = c->fpr[d->rt];
	bool ok;

	if (dbl)
		ok = cpu_store64(c, d, ea, CPU_MEM_FP | upd, v);
	else
		ok = cpu_store32(c, d, ea, CPU_MEM_FP | upd, cpu_fp_single_of_double(v));
	if (unlikely(!ok))
		return cpu_fault_next(c);
	cpu_ea_update(c, d, ea, upd);
	return d + 1;
}

#define U CPU_MEM_UPDATE

#define FP_LDST(name, fn, ea, dbl, upd)                                                            \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		FPU_CHECK(c, d);                                                                   \
		CPU_GOTO(c, fn(c, d, ea(c, d), dbl, upd));                                               \
	}

FP_LDST(lfs, fp_load, cpu_ea_d, false, 0)
FP_LDST(lfsu, fp_load, cpu_ea_d, false, U)
FP_LDST(lfsx, fp_load, cpu_ea_x, false, 0)
FP_LDST(lfsux, fp_load, cpu_ea_x, false, U)
FP_LDST(lfd, fp_load, cpu_ea_d, true, 0)
FP_LDST(lfdu, fp_load, cpu_ea_d, true, U)
FP_LDST(lfdx, fp_load, cpu_ea_x, true, 0)
FP_LDST(lfdux, fp_load, cpu_ea_x, true, U)
FP_LDST(stfs, fp_store, cpu_ea_d, false, 0)
FP_LDST(stfsu, fp_store, cpu_ea_d, false, U)
FP_LDST(stfsx, fp_store, cpu_ea_x, false, 0)
FP_LDST(stfsux, fp_store, cpu_ea_x, false, U)
FP_LDST(stfd, fp_store, cpu_ea_d, true, 0)
FP_LDST(stfdu, fp_store, cpu_ea_d, true, U)
FP_LDST(stfdx, fp_store, cpu_ea_x, true, 0)
FP_LDST(stfdux, fp_store, cpu_ea_x, true, U)

/* The low word of FRS, as is. */
CPU_HANDLER(op_stfiwx)
{
	FPU_CHECK(c, d);
	if (unlikely(!cpu_store32(c, d, cpu_ea_x(c, d), CPU_MEM_FP, (uint32_t)c->fpr[d->rt])))
		CPU_GOTO(c, cpu_fault_next(c));
	CPU_NEXT(c, d + 1);
}
