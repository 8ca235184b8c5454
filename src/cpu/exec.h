/* SPDX-License-Identifier: MIT */
/* What instruction handlers share: guest memory access through the shadow TLB, branching,
 * traps and CR0. Every handler file includes this. */
#ifndef SOFTKVM_EXEC_H
#define SOFTKVM_EXEC_H

#include <string.h>

#include "cpu.h"
#include "dispatch.h"
#include "handlers.h"

/* For the helpers a handler is built from, so that each handler folds to straight code. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* ---- big-endian guest memory ---- */

static inline uint16_t load_be16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return __builtin_bswap16(v);
}
static inline uint32_t load_be32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return __builtin_bswap32(v);
}
static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return __builtin_bswap64(v);
}
static inline void store_be16(uint8_t *p, uint16_t v)
{
	v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
}
static inline void store_be32(uint8_t *p, uint32_t v)
{
	v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
}
static inline void store_be64(uint8_t *p, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(p, &v, 8);
}

/* ---- little-endian guest memory (the 64-bit core's MSR[LE]) ---- */

static inline uint16_t load_le16(const uint8_t *p)
{
	return __builtin_bswap16(load_be16(p));
}
static inline uint32_t load_le32(const uint8_t *p)
{
	return __builtin_bswap32(load_be32(p));
}
static inline uint64_t load_le64(const uint8_t *p)
{
	return __builtin_bswap64(load_be64(p));
}
static inline void store_le16(uint8_t *p, uint16_t v)
{
	store_be16(p, __builtin_bswap16(v));
}
static inline void store_le32(uint8_t *p, uint32_t v)
{
	store_be32(p, __builtin_bswap32(v));
}
static inline void store_le64(uint8_t *p, uint64_t v)
{
	store_be64(p, __builtin_bswap64(v));
}

/* size (1, 2, 4 or 8: a constant at every call) bytes at p in byte order le */
static ALWAYS_INLINE uint64_t load_ordered(const uint8_t *p, unsigned size, bool le)
{
	return size == 8   ? (le ? load_le64(p) : load_be64(p))
	       : size == 4 ? (le ? load_le32(p) : load_be32(p))
	       : size == 2 ? (le ? load_le16(p) : load_be16(p))
			   : *p;
}
static ALWAYS_INLINE void store_ordered(uint8_t *p, unsigned size, bool le, uint64_t v)
{
	if (size == 8)
		le ? store_le64(p, v) : store_be64(p, v);
	else if (size == 4)
		le ? store_le32(p, (uint32_t)v) : store_be32(p, (uint32_t)v);
	else if (size == 2)
		le ? store_le16(p, (uint16_t)v) : store_be16(p, (uint16_t)v);
	else
		*p = (uint8_t)v;
}

/* ---- data access ----
 * cpu_load/cpu_store translate ea through the shadow TLB. The value is the big-endian
 * interpretation of the bytes at ea (reversed on a little-endian page: mem_slow.c). On a
 * shadow-TLB hit that is all. Otherwise the slow
 * path splits unaligned accesses that cross a page and traps to the hypervisor (which
 * refills the shadow TLB, delivers a DTLB miss/DSI, or starts an MMIO exit). When the
 * access cannot complete now they return false: the handler must then return
 * cpu_fault_next(c) at once, without changing any register.
 * mflags describe the instruction for an MMIO completion (CPU_MEM_*). */
#define CPU_MEM_SIGN (1u << 0)	  /* the loaded value is sign-extended into RT */
#define CPU_MEM_BYTEREV (1u << 1) /* the loaded value is byte-reversed into RT */
#define CPU_MEM_FP (1u << 2)	  /* RT is an FPR (lfd: 8 bytes; lfs: converted single) */
#define CPU_MEM_UPDATE (1u << 3)  /* RA receives ea (update form) */
#define CPU_MEM_MULTI (1u << 4)	  /* part of lmw/stmw/string/dcbz/lwarx/stwcx. or of a split
				   * access: on MMIO, the hypervisor's series of exits */
#define CPU_MEM_RAW (1u << 5)	  /* bytes in address order whatever the page's byte order
				   * (strings; each page's part of a split access) */

bool cpu_load_slow(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		   unsigned mflags, uint64_t *val);
/* Translate ea for an access of kind acc without making it (icbi; the byte order of an
 * access that crosses pages). *ram is the shadow entry when ea is RAM, NULL when it is not
 * (*le is then the page's byte order, from the hypervisor). False when the translation
 * faulted: the handler returns cpu_fault_next(c). */
bool cpu_translate_data(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned mflags,
			enum cpu_access acc, const struct shadow_tlb_entry **ram, bool *le);
bool cpu_store_slow(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		    unsigned mflags, uint64_t val);
/* Where an atomic access (st*cx.) of kind acc at ea lands: translated as a load or store
 * would be (the hypervisor refills or faults), without accessing. *host is the host address
 * when ea is RAM, NULL when it is not (*le is then the page's byte order); *code is set when
 * a store there must also reach the code cache (the page holds decoded code). False when the
 * translation faulted: the handler returns cpu_fault_next(c). */
bool cpu_atomic_target(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		       enum cpu_access acc, uint8_t **host, bool *le, bool *code);

static inline const struct cpu_dinsn *cpu_fault_next(struct cpu *c)
{
	return c->fault_next;
}

/* Effective addresses: D-form (RA|0) + D and X-form (RA|0) + RB. (RA|0) needs no test:
 * the decoder gives ra = CPU_GPR_ZERO for RA = 0 (cpu.h). */
/* An address as the current mode computes it: the 64-bit core in 32-bit mode (MSR[SF]=0)
 * drops the upper 32 bits of every effective address and branch target. */
static ALWAYS_INLINE cpu_ureg cpu_ea_wrap(const struct cpu *c, cpu_ureg ea)
{
#if CPU_IS64
	return ea & c->ea_mask;
#else
	(void)c;
	return ea;
#endif
}
static ALWAYS_INLINE cpu_ureg cpu_ea_d(const struct cpu *c, const struct cpu_dinsn *d)
{
	return cpu_ea_wrap(c, c->gpr[d->ra] + (cpu_ureg)(cpu_sreg)d->imm);
}
static ALWAYS_INLINE cpu_ureg cpu_ea_x(const struct cpu *c, const struct cpu_dinsn *d)
{
	return cpu_ea_wrap(c, c->gpr[d->ra] + c->gpr[d->rb]);
}
/* Update forms (mflags has CPU_MEM_UPDATE): RA receives ea, once the access went through. */
static ALWAYS_INLINE void cpu_ea_update(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
					unsigned mflags)
{
	if (mflags & CPU_MEM_UPDATE)
		c->gpr[d->ra] = ea;
}

/* The byte order the helpers' fast path moves: a little-endian page's data tags carry
 * SHADOW_TAG_SLOW (shadow_tlb.h), which keeps big-endian accesses off it. On the 64-bit core
 * such pages are the rule (MSR[LE]: ppc64le), so with MSR[LE] set the helpers match them and
 * move the bytes little-endian (everything else, and a RAW access, reaches them through the
 * slow path); the 440's rare little-endian pages always take the slow path. */
static ALWAYS_INLINE bool cpu_data_le(const struct cpu *c, unsigned mflags)
{
#if CPU_IS64
	return c->le && !(mflags & CPU_MEM_RAW);
#else
	(void)c;
	(void)mflags;
	return false;
#endif
}

/* The data context tag of an access in that byte order. */
static ALWAYS_INLINE uint64_t cpu_data_tag(const struct cpu *c, bool le)
{
	return le ? c->dtag | SHADOW_TAG_SLOW : c->dtag;
}

/* One body for every size; size and mflags are constants at each call. */
static ALWAYS_INLINE bool cpu_load_sized(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
					 unsigned size, unsigned mflags, uint64_t *val)
{
	bool le = cpu_data_le(c, mflags);
	uint8_t *p = shadow_tlb_read_ptr(&c->stlb, cpu_data_tag(c, le), ea, size);
	if (likely(p != 0)) {
		*val = load_ordered(p, size, le);
		return true;
	}
	return cpu_load_slow(c, d, ea, size, mflags, val);
}

static ALWAYS_INLINE bool cpu_store_sized(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
					  unsigned size, unsigned mflags, uint64_t val)
{
	bool le = cpu_data_le(c, mflags);
	uint8_t *p = shadow_tlb_write_ptr(&c->stlb, cpu_data_tag(c, le), ea, size);
	if (likely(p != 0)) {
		store_ordered(p, size, le, val);
		return true;
	}
	return cpu_store_slow(c, d, ea, size, mflags, val);
}

#define CPU_LOAD_STORE_N(bits, type)                                                               \
	static inline bool cpu_load##bits(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,    \
					  unsigned mflags, type *val)                              \
	{                                                                                          \
		uint64_t v;                                                                        \
		bool ok = cpu_load_sized(c, d, ea, bits / 8, mflags, &v);                          \
		*val = (type)v;                                                                    \
		return ok;                                                                         \
	}                                                                                          \
	static inline bool cpu_store##bits(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,   \
					   unsigned mflags, type val)                              \
	{                                                                                          \
		return cpu_store_sized(c, d, ea, bits / 8, mflags, val);                           \
	}
CPU_LOAD_STORE_N(8, uint32_t)
CPU_LOAD_STORE_N(16, uint32_t)
CPU_LOAD_STORE_N(32, uint32_t)
CPU_LOAD_STORE_N(64, uint64_t)
#undef CPU_LOAD_STORE_N

/* Fetch at pc (shadow ITLB lookup, trapping on a miss). NULL: leave cpu_run. */
const struct cpu_dinsn *cpu_fetch(struct cpu *c, cpu_ureg pc);

/* Taken branch from d to target: counts the budget; stays inside the decoded page when
 * the target is in it. */
const struct cpu_dinsn *cpu_branch_far(struct cpu *c, cpu_ureg target);
static inline const struct cpu_dinsn *cpu_branch(struct cpu *c, const struct cpu_dinsn *d,
						 cpu_ureg target)
{
	target = cpu_ea_wrap(c, target);
	if (unlikely(--c->budget < 0))
		return cpu_branch_far(c, target);
	if (likely((target & SHADOW_PAGE_MASK) == c->page_va))
		return &c->page->insns[(target & ~SHADOW_PAGE_MASK) >> 2];
	return cpu_branch_far(c, target);
}

/* Trap to the hypervisor for the instruction d (kind, esr as in struct cpu_trap) and
 * return what to run next. */
const struct cpu_dinsn *cpu_trap_insn(struct cpu *c, const struct cpu_dinsn *d,
				      enum cpu_trap_kind kind, uint32_t esr);
/* The same for a trap that reports a data address (alignment): also sets trap.ea. */
const struct cpu_dinsn *cpu_trap_data(struct cpu *c, const struct cpu_dinsn *d,
				      enum cpu_trap_kind kind, uint32_t esr, cpu_ureg ea);
/* Turn a trap handler's answer into the next decoded instruction. */
const struct cpu_dinsn *cpu_resume(struct cpu *c, const struct cpu_dinsn *d, enum cpu_resume r);

/* MASK(b, e) of the ISA: ones from bit b to bit e (bit 0 the MSB), wrapping when b > e. */
static inline uint64_t mask64(unsigned b, unsigned e)
{
	/* (the fields are 6 bits: saying so spares the compiler's guard for shifts of 64) */
	b &= 63;
	e &= 63;
	uint64_t hi = ~0ull >> b, lo = ~0ull << (63 - e);
	return b <= e ? hi & lo : hi | lo;
}

/* The mask of rlwinm, rlwnm and rlwimi: MASK(MB + 32, ME + 32), which the decoder gives in
 * imm for the low word; when MB > ME it wraps through the whole upper word too (the 64-bit
 * core). */
static inline cpu_ureg rlw_mask(const struct cpu_dinsn *d)
{
	cpu_ureg m = (uint32_t)d->imm;
	if (CPU_IS64 && d->mb > d->me)
		m |= (cpu_ureg)((uint64_t)UINT32_MAX << 32);
	return m;
}

/* The CR bits a mtcrf/mfocrf FXM field names */
static inline uint32_t fxm_mask(uint32_t fxm)
{
	/* spread FXM bit i (CR field 7 - i) to bit 4i, then widen each to a nibble */
	uint32_t m = fxm & 0xff;
	m = (m | m << 12) & 0x000f000fu;
	m = (m | m << 6) & 0x03030303u;
	m = (m | m << 3) & 0x11111111u;
	return m * 0xf;
}

/* The SPRs the core keeps itself (op_mfspr, op_mtspr); the others are the hypervisor's. */
enum { SPR_XER = 1, SPR_LR = 8, SPR_CTR = 9 };

/* FP instructions start with: if (!c->fp_enabled) return cpu_fp_unavailable(c, d); */
static inline const struct cpu_dinsn *cpu_fp_unavailable(struct cpu *c, const struct cpu_dinsn *d)
{
	return cpu_trap_insn(c, d, CPU_TRAP_FP_UNAVAIL, 0);
}

/* ---- condition register ---- */

/* CR0 from a result (LT/GT/EQ from the signed value, SO copied from XER); the 64-bit
 * core in 32-bit mode looks at the low word only. */
static inline void cpu_set_cr0(struct cpu *c, cpu_ureg result)
{
#if CPU_IS64
	int64_t r = c->sf ? (int64_t)result : (int64_t)(int32_t)result;
#else
	int32_t r = (int32_t)result;
#endif
	uint32_t bits = r < 0 ? CR_LT : r > 0 ? CR_GT : CR_EQ;
	c->cr = (c->cr & 0x0fffffffu) | ((bits | c->xer_so) << 28);
}

#endif
