// SPDX-License-Identifier: MIT
/* The slow path of guest data access: unaligned accesses, page crossings, shadow-TLB
 * misses (trapped to the hypervisor), stores into pages that hold decoded code, and every
 * access to a little-endian page.
 *
 * Byte order. A little-endian page (the 440's E=1) reverses the bytes of each scalar
 * access within its size, whatever its alignment: halfword, word, doubleword (lfd/stfd),
 * each word of lmw/stmw, lwarx/stwcx.; strings move bytes in address order either way
 * (CPU_MEM_RAW), and lhbrx & co. reverse once more (exec_ldst.c). An access that crosses
 * into the next page is split into one part per page; the parts move raw bytes and the
 * whole value takes the first page's byte order (pages of different order under one
 * access are a guest error the architecture leaves undefined). Loads and stores on RAM
 * are reversed here; the hypervisor reverses what goes to MMIO.
 *
 * MMIO. A single access within one page (simple) becomes one MMIO exit that the next run
 * completes. Any other access that reaches MMIO -- a page's part of a split access, each
 * word of lmw/stmw, string bytes, lwarx/stwcx., dcbz -- is done by the hypervisor as a
 * series of exits, re-executing the instruction after each (kvm/mmio_split.c): the trap
 * then answers CPU_RESUME_DATA with the data.
 */
#include "cpu.h"
#include "exec.h"

static bool crosses_page(cpu_ureg ea, unsigned size)
{
	return (ea & ~SHADOW_PAGE_MASK) + size > SHADOW_PAGE_SIZE;
}

/* Reverse the low size (1..8) bytes of v. */
static uint64_t bswap_n(uint64_t v, unsigned size)
{
	return __builtin_bswap64(v) >> (64 - 8 * size);
}

/* Does the entry's byte order apply to this access? */
static bool reversed(const struct shadow_tlb_entry *e, unsigned mflags)
{
	return shadow_entry_le(e) && !(mflags & CPU_MEM_RAW);
}

/* Trap a data-access miss within one page; on RETRY the caller looks up again. probe asks
 * only for the page's byte order (CPU_RESUME_DATA with trap.mem.le) where it is not RAM. */
static enum cpu_resume data_miss(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
				 unsigned size, unsigned mflags, enum cpu_access acc, uint64_t val,
				 bool probe)
{
	cpu_ureg pc = cpu_pc_of(c, d);
	c->pc = pc;
	c->trap = (struct cpu_trap){
		.kind = CPU_TRAP_DTLB_MISS,
		.pc = pc,
		.insn = d->insn,
		.d = d,
		.ea = ea,
		.access = acc,
		.esr = acc == CPU_ACCESS_WRITE ? CPU_ESR_ST : 0,
		.mem = {.size = (uint8_t)size,
			.rt = d->rt,
			.sign = !!(mflags & CPU_MEM_SIGN),
			.byterev = !!(mflags & CPU_MEM_BYTEREV),
			.fp = !!(mflags & CPU_MEM_FP),
			.ra_update = (mflags & CPU_MEM_UPDATE) ? d->ra : 0,
			.simple = !(mflags & CPU_MEM_MULTI),
			.raw = !!(mflags & CPU_MEM_RAW),
			.probe = probe,
			.store_val = val},
	};
	return c->ops->trap(c->opaque, c, &c->trap);
}

/* The trap did not resolve the access: leave the instruction as the handler said. */
static bool fault(struct cpu *c, const struct cpu_dinsn *d, enum cpu_resume r)
{
	c->fault_next = cpu_resume(c, d, r);
	return false;
}

bool cpu_translate_data(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned mflags,
			enum cpu_access acc, const struct shadow_tlb_entry **ram, bool *le)
{
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		uint64_t tag = c->dtag | (ea & SHADOW_PAGE_MASK);
		if (shadow_tag_match(e->tag_r, tag) || shadow_tag_match(e->tag_w, tag)) {
			*ram = e;
			*le = shadow_entry_le(e);
			return true;
		}
		enum cpu_resume r = data_miss(c, d, ea, 1, mflags | CPU_MEM_MULTI, acc, 0, true);
		if (r == CPU_RESUME_DATA) {
			*ram = NULL;
			*le = c->trap.mem.le;
			return true;
		}
		if (r != CPU_RESUME_RETRY)
			return fault(c, d, r);
	}
}

bool cpu_atomic_target(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		       enum cpu_access acc, uint8_t **host, bool *le, bool *code)
{
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		uint64_t tag = c->dtag | (ea & SHADOW_PAGE_MASK);
		bool w = shadow_tag_match(e->tag_w, tag);

		/* a store may go where the write tag is withheld only for decoded code */
		if (acc == CPU_ACCESS_WRITE ? w || (shadow_tag_match(e->tag_r, tag) &&
						     (e->perm & SHADOW_PERM_W))
					    : shadow_tag_match(e->tag_r, tag)) {
			*host = (uint8_t *)(e->addend + ea);
			*le = shadow_entry_le(e);
			*code = acc == CPU_ACCESS_WRITE && !w;
			return true;
		}
		enum cpu_resume r = data_miss(c, d, ea, size, CPU_MEM_MULTI, acc, 0, true);
		if (r == CPU_RESUME_DATA) {
			*host = NULL;
			*le = c->trap.mem.le;
			*code = false;
			return true;
		}
		if (r != CPU_RESUME_RETRY)
			return fault(c, d, r);
	}
}

/* The byte order of an access that crosses pages: its first page's. */
static bool first_page_le(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea,
			  unsigned mflags, enum cpu_access acc, bool *le)
{
	const struct shadow_tlb_entry *ram;

	*le = false;
	if (mflags & CPU_MEM_RAW)
		return true;
	return cpu_translate_data(c, d, ea, mflags, acc, &ram, le);
}

/* The two pages' parts of an access that crosses a page boundary. */
static bool load_split(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		       unsigned mflags, uint64_t *val)
{
	unsigned n0 = SHADOW_PAGE_SIZE - (ea & ~SHADOW_PAGE_MASK), n1 = size - n0;
	unsigned part = mflags | CPU_MEM_MULTI | CPU_MEM_RAW;
	uint64_t a, b;
	bool le;

	if (!first_page_le(c, d, ea, mflags, CPU_ACCESS_READ, &le) ||
	    !cpu_load_slow(c, d, ea, n0, part, &a) || !cpu_load_slow(c, d, ea + n0, n1, part, &b))
		return false;
	*val = (a << (8 * n1)) | b;
	if (le)
		*val = bswap_n(*val, size);
	return true;
}

static bool store_split(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
			unsigned mflags, uint64_t val)
{
	unsigned n0 = SHADOW_PAGE_SIZE - (ea & ~SHADOW_PAGE_MASK), n1 = size - n0;
	unsigned part = mflags | CPU_MEM_MULTI | CPU_MEM_RAW;
	bool le;

	if (!first_page_le(c, d, ea, mflags, CPU_ACCESS_WRITE, &le))
		return false;
	if (le)
		val = bswap_n(val, size);
	return cpu_store_slow(c, d, ea, n0, part, val >> (8 * n1)) &&
	       cpu_store_slow(c, d, ea + n0, n1, part, val & (~0ull >> (64 - 8 * n1)));
}

static uint64_t read_bytes(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = (v << 8) | p[i];
	return v;
}

static void write_bytes(uint8_t *p, unsigned size, uint64_t v)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * (size - 1 - i)));
}

bool cpu_load_slow(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		   unsigned mflags, uint64_t *val)
{
	if (crosses_page(ea, size))
		return load_split(c, d, ea, size, mflags, val);
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		if (shadow_tag_match(e->tag_r, c->dtag | (ea & SHADOW_PAGE_MASK))) {
			uint64_t v = read_bytes((const uint8_t *)(e->addend + ea), size);
			*val = reversed(e, mflags) ? bswap_n(v, size) : v;
			return true;
		}
		enum cpu_resume r = data_miss(c, d, ea, size, mflags, CPU_ACCESS_READ, 0, false);
		if (r == CPU_RESUME_DATA) {
			*val = c->trap.mem.load_val;
			return true;
		}
		if (r != CPU_RESUME_RETRY)
			return fault(c, d, r);
	}
}

bool cpu_store_slow(struct cpu *c, const struct cpu_dinsn *d, cpu_ureg ea, unsigned size,
		    unsigned mflags, uint64_t val)
{
	if (crosses_page(ea, size))
		return store_split(c, d, ea, size, mflags, val);
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		uint64_t tag = c->dtag | (ea & SHADOW_PAGE_MASK);
		uint8_t *p = (uint8_t *)(e->addend + ea);
		uint64_t v = reversed(e, mflags) ? bswap_n(val, size) : val;

		if (shadow_tag_match(e->tag_w, tag)) {
			write_bytes(p, size, v);
			return true;
		}
		/* Writable for the guest but withheld because the page holds decoded code:
		 * write through the host pointer, then drop the decoded slots the store
		 * overlaps (in that order: another vcpu decoding them meanwhile reads the new
		 * bytes or is reset after); the page stays write-protected while it holds
		 * code. */
		if (shadow_tag_match(e->tag_r, tag) && (e->perm & SHADOW_PERM_W)) {
			write_bytes(p, size, v);
			if (!cpu_code_cache_store(c->code, e->ppn, ea & ~SHADOW_PAGE_MASK, size)) {
				/* no code (left) in the page: stores go straight there again */
				cpu_code_cache_lock(c->code);
				if (!cpu_code_cache_has_page(c->code, e->ppn))
					e->tag_w = tag | (e->tag_r & SHADOW_TAG_SLOW);
				cpu_code_cache_unlock(c->code);
			}
			return true;
		}
		enum cpu_resume r = data_miss(c, d, ea, size, mflags, CPU_ACCESS_WRITE, val, false);
		if (r == CPU_RESUME_DATA)
			return true;
		if (r != CPU_RESUME_RETRY)
			return fault(c, d, r);
	}
}
