// SPDX-License-Identifier: MIT
/* Integer loads and stores, load/store multiple and string, lwarx/stwcx., cache blocks.
 *
 * Every access goes through the cpu_loadN/cpu_storeN helpers of exec.h. When one fails the
 * handler returns cpu_fault_next() before touching a register, so the hypervisor can
 * retry the instruction, deliver a DSI/DTLB miss, or complete it as MMIO from the flags.
 * Instructions that access several words read everything into a buffer first and only
 * then write registers; stores that fault midway may have written a prefix, which the
 * architecture allows for multiple/string stores.
 *
 * The value a load helper returns and a store helper takes is always the big-endian
 * interpretation of the bytes in memory, reversed on a little-endian page (mem_slow.c);
 * sign extension and the byte-reversed forms are done here (the CPU_MEM_* flags only tell
 * an MMIO completion what to do). lhbrx on a little-endian page thus reverses twice.
 */
#include "exec.h"

/* ---- single loads and stores ----
 * Called with constant size and flags, so each handler folds to its own straight line. */

/* What a load does with the value it read: sign extension (lha, lwa) or byte reversal, RT,
 * RA. */
static ALWAYS_INLINE void load_done(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
				    unsigned size, unsigned mflags, cpu_ureg v)
{
	if (mflags & CPU_MEM_SIGN)
		v = size == 4 ? (cpu_ureg)(cpu_sreg)(int32_t)v : (cpu_ureg)(cpu_sreg)(int16_t)v;
	if (mflags & CPU_MEM_BYTEREV)
		v = size == 8	? (cpu_ureg)__builtin_bswap64(v)
		    : size == 4 ? __builtin_bswap32((uint32_t)v)
				: __builtin_bswap16((uint16_t)v);
	c->gpr[d->rt] = v;
	/* RA = RT is an invalid form for update loads; RA wins here. */
	cpu_ea_update(c, d, ea, mflags);
}

/* The slow halves (shadow-TLB miss, unaligned, MMIO) are handlers of their own, tail-called
 * by the fast path with nothing changed yet (they compute ea and the value again), so that
 * the fast path of a load or store handler is straight-line code without a stack frame. */
static ALWAYS_INLINE const struct cpu_dinsn *load_slow(struct cpu *c, const struct cpu_dinsn *d,
						      cpu_ureg ea, unsigned size,
						      unsigned mflags)
{
	uint64_t v;
	if (unlikely(!cpu_load_slow(c, d, ea, size, mflags, &v)))
		return cpu_fault_next(c);
	load_done(c, d, ea, size, mflags, (cpu_ureg)v);
	return d + 1;
}

/* The value a store writes: RS as the instruction's size and byte reversal have it. */
static ALWAYS_INLINE cpu_ureg store_value(const struct cpu *c, const struct cpu_dinsn *d,
					  unsigned size, unsigned mflags)
{
	cpu_ureg v = c->gpr[d->rt];

	if (mflags & CPU_MEM_BYTEREV)
		v = size == 8	? (cpu_ureg)__builtin_bswap64(v)
		    : size == 4 ? __builtin_bswap32((uint32_t)v)
				: __builtin_bswap16((uint16_t)v);
	if (size == 4)
		v = (uint32_t)v;
	else if (size == 2)
		v &= 0xffff;
	else if (size == 1)
		v &= 0xff;
	return v;
}

static ALWAYS_INLINE const struct cpu_dinsn *store_slow(struct cpu *c, const struct cpu_dinsn *d,
						       cpu_ureg ea, unsigned size,
						       unsigned mflags)
{
	if (unlikely(!cpu_store_slow(c, d, ea, size, mflags, store_value(c, d, size, mflags))))
		return cpu_fault_next(c);
	cpu_ea_update(c, d, ea, mflags);
	return d + 1;
}

/* The fast halves: true when the shadow TLB had the page and the access is done. One body
 * for both data byte orders; le is a constant at every call, so each handler keeps only its
 * own order's code.
 *
 * Book3S: the byte order of data is MSR[LE], the instructions' own. A code page decoded
 * little-endian (code_key.h) therefore only ever runs with little-endian data, and its single
 * loads and stores get the little-endian forms at decode time (cpu_le_handlers,
 * code_cache.c): their fast path matches the little-endian shadow entries, whose data tags
 * carry SHADOW_TAG_SLOW (which keeps every big-endian handler off them), and moves the bytes
 * little-endian. A miss goes to the same slow path as any access, which reverses by the
 * entry's byte order. */
static ALWAYS_INLINE bool load_hit(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
				   unsigned size, unsigned mflags, bool le)
{
	uint8_t *p;
	if (unlikely(!shadow_tlb_read_hit(&c->stlb, cpu_data_tag(c, le), ea, size, &p)))
		return false;
	load_done(c, d, ea, size, mflags, (cpu_ureg)load_ordered(p, size, le));
	return true;
}

static ALWAYS_INLINE bool store_hit(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
				    unsigned size, unsigned mflags, bool le)
{
	uint8_t *p;

	if (unlikely(!shadow_tlb_write_hit(&c->stlb, cpu_data_tag(c, le), ea, size, &p)))
		return false;
	store_ordered(p, size, le, store_value(c, d, size, mflags));
	cpu_ea_update(c, d, ea, mflags);
	return true;
}

#define U CPU_MEM_UPDATE
#define S CPU_MEM_SIGN
#define BR CPU_MEM_BYTEREV

/* The single loads and stores: X(name, load or store, ea form, size, flags). */
/* clang-format off */
#define SINGLE_LDST(X)							\
	X(lwz, load, cpu_ea_d, 4, 0)	X(lwzu, load, cpu_ea_d, 4, U)	\
	X(lwzx, load, cpu_ea_x, 4, 0)	X(lwzux, load, cpu_ea_x, 4, U)	\
	X(lbz, load, cpu_ea_d, 1, 0)	X(lbzu, load, cpu_ea_d, 1, U)	\
	X(lbzx, load, cpu_ea_x, 1, 0)	X(lbzux, load, cpu_ea_x, 1, U)	\
	X(lhz, load, cpu_ea_d, 2, 0)	X(lhzu, load, cpu_ea_d, 2, U)	\
	X(lhzx, load, cpu_ea_x, 2, 0)	X(lhzux, load, cpu_ea_x, 2, U)	\
	X(lha, load, cpu_ea_d, 2, S)	X(lhau, load, cpu_ea_d, 2, S | U) \
	X(lhax, load, cpu_ea_x, 2, S)	X(lhaux, load, cpu_ea_x, 2, S | U) \
	X(stw, store, cpu_ea_d, 4, 0)	X(stwu, store, cpu_ea_d, 4, U)	\
	X(stwx, store, cpu_ea_x, 4, 0)	X(stwux, store, cpu_ea_x, 4, U)	\
	X(stb, store, cpu_ea_d, 1, 0)	X(stbu, store, cpu_ea_d, 1, U)	\
	X(stbx, store, cpu_ea_x, 1, 0)	X(stbux, store, cpu_ea_x, 1, U)	\
	X(sth, store, cpu_ea_d, 2, 0)	X(sthu, store, cpu_ea_d, 2, U)	\
	X(sthx, store, cpu_ea_x, 2, 0)	X(sthux, store, cpu_ea_x, 2, U)	\
	X(lhbrx, load, cpu_ea_x, 2, BR)	X(lwbrx, load, cpu_ea_x, 4, BR)	\
	X(sthbrx, store, cpu_ea_x, 2, BR) X(stwbrx, store, cpu_ea_x, 4, BR)
/* the 64-bit core's doublewords and algebraic words */
#define SINGLE_LDST64(X)						\
	X(ld, load, cpu_ea_d, 8, 0)	X(ldu, load, cpu_ea_d, 8, U)	\
	X(ldx, load, cpu_ea_x, 8, 0)	X(ldux, load, cpu_ea_x, 8, U)	\
	X(lwa, load, cpu_ea_d, 4, S)	X(lwax, load, cpu_ea_x, 4, S)	\
	X(lwaux, load, cpu_ea_x, 4, S | U) X(ldbrx, load, cpu_ea_x, 8, BR) \
	X(std, store, cpu_ea_d, 8, 0)	X(stdu, store, cpu_ea_d, 8, U)	\
	X(stdx, store, cpu_ea_x, 8, 0)	X(stdux, store, cpu_ea_x, 8, U)	\
	X(stdbrx, store, cpu_ea_x, 8, BR)
/* clang-format on */

/* op_<name>_miss: the slow half; op_<name> (and op_<name>_le on the 64-bit core) the fast. */
#define LDST_MISS_HANDLER(name, kind, ea, size, mflags)                                            \
	static __attribute__((noinline)) CPU_HANDLER(op_##name##_miss)                             \
	{                                                                                          \
		CPU_GOTO(c, kind##_slow(c, d, ea(c, d), size, mflags));                            \
	}
#define LDST_FAST_HANDLER(name, kind, ea, size, mflags, le, suffix)                                \
	CPU_HANDLER(op_##name##suffix)                                                             \
	{                                                                                          \
		if (likely(kind##_hit(c, d, ea(c, d), size, mflags, le)))                          \
			CPU_NEXT(c, d + 1);                                                        \
		CPU_TAIL(op_##name##_miss);                                                        \
	}
#define LDST_HANDLER(name, kind, ea, size, mflags)                                                 \
	LDST_MISS_HANDLER(name, kind, ea, size, mflags)                                            \
	LDST_FAST_HANDLER(name, kind, ea, size, mflags, false, )
SINGLE_LDST(LDST_HANDLER)
#if CPU_IS64
SINGLE_LDST64(LDST_HANDLER)

#define LDST_LE_HANDLER(name, kind, ea, size, mflags)                                              \
	static LDST_FAST_HANDLER(name, kind, ea, size, mflags, true, _le)
SINGLE_LDST(LDST_LE_HANDLER)
SINGLE_LDST64(LDST_LE_HANDLER)

#define LDST_LE_ENTRY(name, kind, ea, size, mflags) [CPU_OP_##name] = op_##name##_le,
const cpu_handler cpu_le_handlers[CPU_OP_NR] = {SINGLE_LDST(LDST_LE_ENTRY)
							SINGLE_LDST64(LDST_LE_ENTRY)};
#endif

#undef U
#undef S
#undef BR

/* ---- load/store multiple and string ----
 * lmw/stmw move registers rt..r31 as words; the string forms move n bytes through
 * registers rt, rt+1, ... wrapping from r31 to r0, four bytes each, high byte first.
 * At most 32 registers (128 bytes) are involved. */

#define STRING_MAX 128

/* Read n bytes at ea into buf: whole words first (one shadow lookup each when aligned),
 * then the tail bytes. False if an access faulted. mflags: CPU_MEM_MULTI, plus
 * CPU_MEM_RAW for strings (a little-endian page reverses each word of lmw, not strings). */
static bool load_bytes(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, uint8_t *buf,
		       unsigned n, unsigned mflags)
{
	unsigned i = 0;

	for (; i + 4 <= n; i += 4) {
		uint32_t w;
		if (!cpu_load32(c, d, ea + i, mflags, &w))
			return false;
		store_be32(buf + i, w);
	}
	for (; i < n; i++) {
		uint32_t b;
		if (!cpu_load8(c, d, ea + i, mflags, &b))
			return false;
		buf[i] = (uint8_t)b;
	}
	return true;
}

static bool store_bytes(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
			const uint8_t *buf, unsigned n, unsigned mflags)
{
	unsigned i = 0;

	for (; i + 4 <= n; i += 4)
		if (!cpu_store32(c, d, ea + i, mflags, load_be32(buf + i)))
			return false;
	for (; i < n; i++)
		if (!cpu_store8(c, d, ea + i, mflags, buf[i]))
			return false;
	return true;
}

/* Load n (1..128) bytes at ea into registers from rt on; the last register's unused low
 * bytes become 0. Registers are written only once every byte has been read, so a fault
 * leaves them untouched. RA or RB inside the range is an invalid form: the registers
 * simply receive the loaded bytes (ea was computed before). */
static const struct cpu_dinsn *load_regs(struct cpu *c, const struct cpu_dinsn *d, unsigned rt,
					 cpu_ureg ea, unsigned n, unsigned mflags)
{
	uint8_t buf[STRING_MAX + 3];

	if (!load_bytes(c, d, ea, buf, n, mflags))
		return cpu_fault_next(c);
	buf[n] = buf[n + 1] = buf[n + 2] = 0;
	for (unsigned i = 0; i < n; i += 4)
		c->gpr[(rt + i / 4) & 31] = load_be32(buf + i);
	return d + 1;
}

/* Store n (1..128) bytes from registers rs on at ea. */
static const struct cpu_dinsn *store_regs(struct cpu *c, const struct cpu_dinsn *d, unsigned rs,
					  cpu_ureg ea, unsigned n, unsigned mflags)
{
	uint8_t buf[STRING_MAX];

	for (unsigned i = 0; i < n; i += 4)
		store_be32(buf + i, (uint32_t)c->gpr[(rs + i / 4) & 31]);
	if (!store_bytes(c, d, ea, buf, n, mflags))
		return cpu_fault_next(c);
	return d + 1;
}

#define MULTI CPU_MEM_MULTI
#define STRING (CPU_MEM_MULTI | CPU_MEM_RAW)

CPU_HANDLER(op_lmw)
{
	CPU_GOTO(c, load_regs(c, d, d->rt, cpu_ea_d(c, d), 4 * (32 - d->rt), MULTI));
}

CPU_HANDLER(op_stmw)
{
	CPU_GOTO(c, store_regs(c, d, d->rt, cpu_ea_d(c, d), 4 * (32 - d->rt), MULTI));
}

/* lswi/stswi: NB (in d->rb) of 0 means 32 bytes; the address is (RA|0). */
CPU_HANDLER(op_lswi)
{
	CPU_GOTO(c, load_regs(c, d, d->rt, cpu_ea_wrap(c, c->gpr[d->ra]), d->rb ? d->rb : 32,
			      STRING));
}

CPU_HANDLER(op_stswi)
{
	CPU_GOTO(c, store_regs(c, d, d->rt, cpu_ea_wrap(c, c->gpr[d->ra]), d->rb ? d->rb : 32,
			       STRING));
}

/* lswx/stswx: the byte count is XER[BC] (0..127); 0 touches neither memory nor RT. */
CPU_HANDLER(op_lswx)
{
	unsigned n = c->xer_bc & 127;

	if (n == 0)
		CPU_NEXT(c, d + 1);
	CPU_GOTO(c, load_regs(c, d, d->rt, cpu_ea_x(c, d), n, STRING));
}

CPU_HANDLER(op_stswx)
{
	unsigned n = c->xer_bc & 127;

	if (n == 0)
		CPU_NEXT(c, d + 1);
	CPU_GOTO(c, store_regs(c, d, d->rt, cpu_ea_x(c, d), n, STRING));
}

#undef MULTI
#undef STRING

/* lwarx/stwcx.: the larx/stcx. of the end of the file, as the 64-bit core's other sizes. */

/* ---- cache blocks ---- */

/* Zero the line holding ea. A line never crosses a page, so one shadow lookup covers it on
 * the fast path (zeros have no byte order: the current data order's tag); otherwise four doubleword stores let the slow path handle misses,
 * write-protected code pages and permissions. */
CPU_HANDLER(op_dcbz)
{
	cpu_ureg line = cpu_ea_x(c, d) & ~(cpu_ureg)(CPU_CACHE_LINE - 1);
	uint8_t *p = shadow_tlb_write_ptr(&c->stlb, cpu_data_tag(c, cpu_data_le(c, 0)), line,
					  CPU_CACHE_LINE);

	if (likely(p != 0)) {
		memset(p, 0, CPU_CACHE_LINE);
		CPU_NEXT(c, d + 1);
	}
	for (uint32_t off = 0; off < CPU_CACHE_LINE; off += 8)
		if (!cpu_store64(c, d, line + off, CPU_MEM_MULTI, 0))
			CPU_GOTO(c, cpu_fault_next(c));
	CPU_NEXT(c, d + 1);
}

/* dcbst, dcbf: the core has no data cache to write back. */
CPU_HANDLER(op_dcache_hint)
{
	CPU_NEXT(c, d + 1);
}

/* icbi: the architected way to make instructions written by a store or a DMA visible to
 * instruction fetch (Linux runs it over a page after a DMA into it, before executing it).
 * Drops the decoded code of the guest-physical page holding ea. ea is translated as a load
 * is: a shadow miss goes to the hypervisor, which refills, delivers the guest's DTLB miss
 * or DSI as the 440 does, or finds no RAM there (a probe: nothing to drop).
 * A guest runs it over every cache block of a page (32 in 4 KiB), mostly a page without
 * code: the page last found so stays so until some page becomes code, which the live
 * count (read before the look-up) tells without the code cache's lock. */
CPU_HANDLER(op_icbi)
{
	const struct shadow_tlb_entry *e;
	uint64_t gen;
	bool le;

	if (!cpu_translate_data(c, d, cpu_ea_x(c, d), 0, CPU_ACCESS_READ, &e, &le))
		CPU_GOTO(c, cpu_fault_next(c));
	if (e) {
		gen = cpu_code_cache_live_gen();
		if (e->ppn == c->icbi_ppn && gen == c->icbi_gen)
			CPU_NEXT(c, d + 1);
		if (cpu_code_cache_has_page(c->code, e->ppn)) {
			cpu_code_cache_invalidate(c->code, e->ppn);
		} else {
			c->icbi_ppn = e->ppn;
			c->icbi_gen = gen;
		}
	}
	CPU_NEXT(c, d + 1);
}

/* ---- load and reserve / store conditional, both cores ----
 * Each vcpu runs on its own host thread, so a reservation must see the other vcpus' stores.
 * l*arx reads the bytes once and keeps them with their host address (which names the
 * guest-physical location: another effective address of the same page reserves the same);
 * st*cx. succeeds only if that location still holds those bytes, replacing them with one
 * host compare-and-swap, a full fence as the architecture's st*cx. is a release. A store
 * that wrote back the same bytes in between goes unnoticed (the architecture would have
 * lost the reservation): lock-free code built on l*arx/st*cx. does not depend on that, and
 * QEMU's reservations behave the same. The reservation granule is the access itself: a
 * st*cx. to another address or of another size fails, which the architecture allows. An
 * access that is not RAM (MMIO) keeps the reservation by its effective address, without
 * atomicity (a device register has no other writer among the vcpus).
 *
 * lqarx/stqcx. move the even/odd register pair RT, RT+1: RT holds the doubleword at the lower
 * address in big-endian mode, the one at the higher address in little-endian mode. */

static bool access_n(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		     bool store, uint64_t *v)
{
	uint32_t w;
	bool ok;

	if (store) {
		switch (size) {
		case 1:
			return cpu_store8(c, d, ea, CPU_MEM_MULTI, (uint32_t)*v & 0xff);
		case 2:
			return cpu_store16(c, d, ea, CPU_MEM_MULTI, (uint32_t)*v & 0xffff);
		case 4:
			return cpu_store32(c, d, ea, CPU_MEM_MULTI, (uint32_t)*v);
		default:
			return cpu_store64(c, d, ea, CPU_MEM_MULTI, *v);
		}
	}
	switch (size) {
	case 1:
		ok = cpu_load8(c, d, ea, CPU_MEM_MULTI, &w);
		break;
	case 2:
		ok = cpu_load16(c, d, ea, CPU_MEM_MULTI, &w);
		break;
	case 4:
		ok = cpu_load32(c, d, ea, CPU_MEM_MULTI, &w);
		break;
	default:
		return cpu_load64(c, d, ea, CPU_MEM_MULTI, v);
	}
	*v = w;
	return ok;
}

/* The bytes of an aligned location of size 1..8 as one host access, in memory order. */
static uint64_t raw_load(const uint8_t *p, unsigned size)
{
	uint64_t raw = 0;

	switch (size) {
	case 1: {
		uint8_t v = __atomic_load_n(p, __ATOMIC_RELAXED);
		memcpy(&raw, &v, 1);
		break;
	}
	case 2: {
		uint16_t v = __atomic_load_n((const uint16_t *)p, __ATOMIC_RELAXED);
		memcpy(&raw, &v, 2);
		break;
	}
	case 4: {
		uint32_t v = __atomic_load_n((const uint32_t *)p, __ATOMIC_RELAXED);
		memcpy(&raw, &v, 4);
		break;
	}
	default: {
		uint64_t v = __atomic_load_n((const uint64_t *)p, __ATOMIC_RELAXED);
		memcpy(&raw, &v, 8);
		break;
	}
	}
	return raw;
}

/* Replace the size (1..8) bytes at p if they still are old; true if they were. */
static bool raw_cas(uint8_t *p, unsigned size, uint64_t old, uint64_t new)
{
	switch (size) {
	case 1: {
		uint8_t o, n;
		memcpy(&o, &old, 1);
		memcpy(&n, &new, 1);
		return __atomic_compare_exchange_n(p, &o, n, false, __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST);
	}
	case 2: {
		uint16_t o, n;
		memcpy(&o, &old, 2);
		memcpy(&n, &new, 2);
		return __atomic_compare_exchange_n((uint16_t *)p, &o, n, false, __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST);
	}
	case 4: {
		uint32_t o, n;
		memcpy(&o, &old, 4);
		memcpy(&n, &new, 4);
		return __atomic_compare_exchange_n((uint32_t *)p, &o, n, false, __ATOMIC_SEQ_CST,
						   __ATOMIC_SEQ_CST);
	}
	default:
		return __atomic_compare_exchange_n((uint64_t *)p, &old, new, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	}
}

/* A value (big-endian interpretation, as the load helpers give it) from the bytes in memory
 * order, and back; reversed on a little-endian page. */
static uint64_t raw_to_value(uint64_t raw, unsigned size, bool le)
{
	uint8_t b[8];
	uint64_t v = 0;

	memcpy(b, &raw, 8);
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)b[i] << (8 * (le ? i : size - 1 - i));
	return v;
}

static uint64_t value_to_raw(uint64_t v, unsigned size, bool le)
{
	uint8_t b[8] = {0};
	uint64_t raw;

	for (unsigned i = 0; i < size; i++)
		b[i] = (uint8_t)(v >> (8 * (le ? i : size - 1 - i)));
	memcpy(&raw, b, 8);
	return raw;
}

/* The 16 bytes of stqcx.: one compare-and-swap where the host has one. */
static bool raw_cas16(uint8_t *p, const uint64_t old[2], const uint64_t new[2])
{
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
	unsigned __int128 o, n;
	memcpy(&o, old, 16);
	memcpy(&n, new, 16);
	return __atomic_compare_exchange_n((unsigned __int128 *)p, &o, n, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
#else
	/* not atomic as a pair: each doubleword is */
	if (!raw_cas(p, 8, old[0], new[0]))
		return false;
	if (raw_cas(p + 8, 8, old[1], new[1]))
		return true;
	(void)raw_cas(p, 8, new[0], old[0]);
	return false;
#endif
}

/* Register pair order of lqarx/stqcx.: which doubleword of memory RT is. */
static unsigned pair_rt_offset(const struct cpu *c)
{
#if CPU_IS64
	return c->le ? 8 : 0;
#else
	(void)c;
	return 0;
#endif
}

static const struct cpu_dinsn *larx(struct cpu *c, const struct cpu_dinsn *d, unsigned size)
{
	cpu_ureg ea = cpu_ea_x(c, d);
	unsigned n = size > 8 ? 8 : size, hi = pair_rt_offset(c);
	uint64_t v[2] = {0, 0}, raw[2] = {0, 0};
	uint8_t *host;
	bool le, code;

	if (unlikely(ea & (size - 1)))
		return cpu_trap_data(c, d, CPU_TRAP_ALIGNMENT, 0, ea);
	if (!cpu_atomic_target(c, d, ea, n, CPU_ACCESS_READ, &host, &le, &code))
		return cpu_fault_next(c);
	if (host) {
		raw[0] = raw_load(host, n);
		v[0] = raw_to_value(raw[0], n, le);
		if (size == 16) {
			raw[1] = raw_load(host + 8, 8); /* a torn pair only fails the stqcx. */
			v[0] = raw_to_value(raw[hi / 8], 8, le);
			v[1] = raw_to_value(raw[1 - hi / 8], 8, le);
		}
	} else if (size == 16) {
		/* CPU_MEM_MULTI: on MMIO the instruction is re-executed with the data
		 * (mem_slow.c), so the reservation is made here too */
		if (!access_n(c, d, ea + hi, 8, false, &v[0]) ||
		    !access_n(c, d, ea + (8 - hi), 8, false, &v[1]))
			return cpu_fault_next(c);
	} else if (!access_n(c, d, ea, size, false, &v[0])) {
		return cpu_fault_next(c);
	}
	c->gpr[d->rt] = (cpu_ureg)v[0];
	if (size == 16)
		c->gpr[(d->rt + 1) & 31] = (cpu_ureg)v[1];
	c->reserve = true;
	c->reserve_addr = ea;
	c->reserve_host = host;
	c->reserve_size = (uint8_t)size;
	c->reserve_raw[0] = raw[0];
	c->reserve_raw[1] = raw[1];
	return d + 1;
}

static const struct cpu_dinsn *stcx(struct cpu *c, const struct cpu_dinsn *d, unsigned size)
{
	cpu_ureg ea = cpu_ea_x(c, d);
	unsigned n = size > 8 ? 8 : size, hi = pair_rt_offset(c);
	uint64_t v[2] = {c->gpr[d->rt], c->gpr[(d->rt + 1) & 31]};
	uint32_t ok = 0;
	uint8_t *host = NULL;
	bool le, code = false;

	if (unlikely(ea & (size - 1)))
		return cpu_trap_data(c, d, CPU_TRAP_ALIGNMENT, CPU_ESR_ST, ea);
	if (!c->reserve || c->reserve_size != size)
		goto done;
	if (c->reserve_host) {
		/* translated as a store (a fault keeps CR0 and the reservation for the retry) */
		if (!cpu_atomic_target(c, d, ea, n, CPU_ACCESS_WRITE, &host, &le, &code))
			return cpu_fault_next(c);
		if (host != c->reserve_host)
			goto done;
		if (size == 16) {
			uint64_t raw[2];
			raw[hi / 8] = value_to_raw(v[0], 8, le);
			raw[1 - hi / 8] = value_to_raw(v[1], 8, le);
			ok = raw_cas16(host, c->reserve_raw, raw) ? CR_EQ : 0;
		} else {
			ok = raw_cas(host, n, c->reserve_raw[0], value_to_raw(v[0], n, le)) ? CR_EQ
											    : 0;
		}
		if (ok && code)
			(void)cpu_code_cache_store(c->code, shadow_tlb_entry_of(&c->stlb, ea)->ppn,
						   (uint32_t)(ea & ~SHADOW_PAGE_MASK), size);
	} else if (c->reserve_addr == ea) {
		if (size == 16) {
			uint64_t lo = v[1];
			if (!access_n(c, d, ea + hi, 8, true, &v[0]) ||
			    !access_n(c, d, ea + (8 - hi), 8, true, &lo))
				return cpu_fault_next(c);
		} else if (!access_n(c, d, ea, size, true, &v[0])) {
			return cpu_fault_next(c);
		}
		ok = CR_EQ;
	}
done:
	c->reserve = false;
	cpu_set_crf(c, 0, ok | c->xer_so);
	return d + 1;
}

CPU_HANDLER(op_lwarx)
{
	CPU_GOTO(c, larx(c, d, 4));
}
CPU_HANDLER(op_stwcx_rc)
{
	CPU_GOTO(c, stcx(c, d, 4));
}

#if CPU_IS64
/* clang-format off */
CPU_HANDLER(op_lbarx) { CPU_GOTO(c, larx(c, d, 1)); }
CPU_HANDLER(op_lharx) { CPU_GOTO(c, larx(c, d, 2)); }
CPU_HANDLER(op_ldarx) { CPU_GOTO(c, larx(c, d, 8)); }
CPU_HANDLER(op_lqarx) { CPU_GOTO(c, larx(c, d, 16)); }
CPU_HANDLER(op_stbcx_rc) { CPU_GOTO(c, stcx(c, d, 1)); }
CPU_HANDLER(op_sthcx_rc) { CPU_GOTO(c, stcx(c, d, 2)); }
CPU_HANDLER(op_stdcx_rc) { CPU_GOTO(c, stcx(c, d, 8)); }
CPU_HANDLER(op_stqcx_rc) { CPU_GOTO(c, stcx(c, d, 16)); }
/* clang-format on */

/* The 16 bytes of lq/stq at once where the host can (a 16-byte compare-and-swap). */
static void raw_load16(const uint8_t *p, uint64_t raw[2])
{
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
	unsigned __int128 x = 0;
	/* the compare fails or stores back what is there: either way x is the memory */
	(void)__atomic_compare_exchange_n((unsigned __int128 *)p, &x, x, false, __ATOMIC_SEQ_CST,
					  __ATOMIC_SEQ_CST);
	memcpy(raw, &x, 16);
#else
	raw[0] = raw_load(p, 8);
	raw[1] = raw_load(p + 8, 8);
#endif
}

static void raw_store16(uint8_t *p, const uint64_t raw[2])
{
#ifdef __GCC_HAVE_SYNC_COMPARE_AND_SWAP_16
	unsigned __int128 x;
	memcpy(&x, raw, 16);
	__atomic_store_n((unsigned __int128 *)p, x, __ATOMIC_SEQ_CST);
#else
	memcpy(p, raw, 16);
#endif
}

/* lq, stq (2.07: problem state too, either byte order): the even/odd register pair in
 * lqarx's order, one quadword-aligned 16-byte access, single-copy atomic as the ISA says
 * (gcc's 128-bit atomic loads and stores for POWER8 are these). An odd RTp, and lq's RTp =
 * RA, are invalid forms: the illegal-instruction interrupt, as QEMU gives. */
static const struct cpu_dinsn *quad(struct cpu *c, const struct cpu_dinsn *d, bool store)
{
	unsigned hi = pair_rt_offset(c), ra = (d->insn >> 16) & 31;
	cpu_ureg ea = cpu_ea_d(c, d);
	uint64_t v[2] = {c->gpr[d->rt], c->gpr[(d->rt + 1) & 31]}, raw[2];
	uint8_t *host;
	bool le, code;

	if (unlikely((d->rt & 1) || (!store && d->rt == ra)))
		return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PIL);
	if (unlikely(ea & 15))
		return cpu_trap_data(c, d, CPU_TRAP_ALIGNMENT, store ? CPU_ESR_ST : 0, ea);
	if (!cpu_atomic_target(c, d, ea, 8, store ? CPU_ACCESS_WRITE : CPU_ACCESS_READ, &host,
			       &le, &code))
		return cpu_fault_next(c);
	if (host && store) {
		raw[hi / 8] = value_to_raw(v[0], 8, le);
		raw[1 - hi / 8] = value_to_raw(v[1], 8, le);
		raw_store16(host, raw);
		if (code)
			(void)cpu_code_cache_store(c->code, shadow_tlb_entry_of(&c->stlb, ea)->ppn,
						   (uint32_t)(ea & ~SHADOW_PAGE_MASK), 16);
		return d + 1;
	}
	if (host) {
		raw_load16(host, raw);
		v[0] = raw_to_value(raw[hi / 8], 8, le);
		v[1] = raw_to_value(raw[1 - hi / 8], 8, le);
	} else if (!access_n(c, d, ea + hi, 8, store, &v[0]) ||
		   !access_n(c, d, ea + (8 - hi), 8, store, &v[1])) {
		return cpu_fault_next(c); /* MMIO: re-executed with the data (CPU_MEM_MULTI) */
	}
	if (!store) {
		c->gpr[d->rt] = v[0];
		c->gpr[d->rt + 1] = v[1];
	}
	return d + 1;
}

CPU_HANDLER(op_lq)
{
	CPU_GOTO(c, quad(c, d, false));
}

CPU_HANDLER(op_stq)
{
	CPU_GOTO(c, quad(c, d, true));
}
#endif
