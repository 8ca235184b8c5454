/* SPDX-License-Identifier: MIT */
/* The shadow TLB: what the software core translates through.
 *
 * A direct-mapped array of 4 KiB entries indexed by guest-virtual page. An entry maps one
 * guest-virtual page to host memory (host = addend + ea) and carries one tag per access
 * kind. A tag is the access context (MSR[PR], TS, PID: see cpu_set_context) in the upper
 * 32 bits and the virtual page in the lower 32, so a lookup is one compare; a context
 * switch (PID write, rfi to user) needs no flush. An access that is not aligned to its
 * size never matches (the low address bits stay in the compared value) and takes the
 * slow path, which splits it.
 *
 * The hypervisor fills entries from the guest TLB (cpu_shadow_fill) and invalidates the
 * ones a guest TLB entry backed when the guest replaces it (cpu_shadow_invalidate_gtlb).
 *
 * A little-endian page (the 440's E storage attribute) keeps the fast path's one compare:
 * its data tags carry SHADOW_TAG_SLOW, which no context has, so its loads and stores
 * always take the slow path (mem_slow.c), which byte-reverses them. Its fetch tag is
 * plain: fetches go through the code cache, which decodes such a page little-endian.
 */
#ifndef SOFTKVM_SHADOW_TLB_H
#define SOFTKVM_SHADOW_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_width.h"

#define SHADOW_TLB_BITS 12
#define SHADOW_TLB_SIZE (1u << SHADOW_TLB_BITS)
#define SHADOW_PAGE_SHIFT 12
#define SHADOW_PAGE_SIZE (1u << SHADOW_PAGE_SHIFT)
#define SHADOW_PAGE_MASK (~(cpu_ureg)(SHADOW_PAGE_SIZE - 1))
#define SHADOW_TAG_INVALID UINT64_MAX

/* Guest permissions an entry grants in its context. */
#define SHADOW_PERM_R 1u
#define SHADOW_PERM_W 2u
#define SHADOW_PERM_X 4u
/* Not a permission but a page attribute that travels with them: little-endian (E=1). */
#define SHADOW_ATTR_LE 8u

/* Where the access context sits in a tag, and the slow bit: in a data tag, it matches no
 * access on the fast path (see above). The 440's addresses are 32 bits, so the context
 * takes the upper half. A 64-bit address leaves no upper half free, but a tag keeps only
 * the low bits of the page offset that an aligned access of up to 16 bytes has zero
 * (size - 1): the context takes bits 4-10 and the slow bit bit 11. */
#if CPU_IS64
#define SHADOW_CTX_SHIFT 4
#define SHADOW_CTX_MAX 0x7fu
#define SHADOW_TAG_SLOW (1ull << 11)
#else
#define SHADOW_CTX_SHIFT 32
#define SHADOW_TAG_SLOW (1ull << 63)
#endif

#define SHADOW_NO_GTLB 0xff /* entry not backed by a guest TLB entry (real mode, tests) */

struct cpu_code_page;

/* An entry is split in two, each in its own array at the entry's index, so that a data
 * access reads one cache line and a fetch another: what loads and stores read (tags and
 * addend) with what fills and the slow path read beside them, 32 bytes and aligned; and
 * what a fetch reads, 16 bytes. */
struct shadow_tlb_entry {
	uint64_t tag_r, tag_w;
	uintptr_t addend; /* host address = addend + guest-virtual address */
	uint32_t ppn;	  /* guest-physical page number */
	uint8_t perm;	  /* SHADOW_PERM_*: what the guest TLB allows (tag_w may be withheld),
			   * and SHADOW_ATTR_LE */
	uint8_t gidx;	  /* guest TLB entry behind it, or SHADOW_NO_GTLB */
} __attribute__((aligned(32)));

struct shadow_tlb_fetch {
	uint64_t tag_x;
	struct cpu_code_page *code; /* decoded code of the entry's ppn; set at the first fetch */
} __attribute__((aligned(16)));

_Static_assert(sizeof(struct shadow_tlb_entry) == 32 && sizeof(struct shadow_tlb_fetch) == 16,
	       "an access reads one cache line");

struct shadow_tlb {
	struct shadow_tlb_entry e[SHADOW_TLB_SIZE];
	struct shadow_tlb_fetch x[SHADOW_TLB_SIZE];
};

static inline unsigned shadow_tlb_index(cpu_ureg ea)
{
	return (unsigned)(ea >> SHADOW_PAGE_SHIFT) & (SHADOW_TLB_SIZE - 1);
}

static inline struct shadow_tlb_entry *shadow_tlb_entry_of(struct shadow_tlb *t, cpu_ureg ea)
{
	return &t->e[shadow_tlb_index(ea)];
}

static inline struct shadow_tlb_fetch *shadow_tlb_fetch_of(struct shadow_tlb *t, cpu_ureg ea)
{
	return &t->x[shadow_tlb_index(ea)];
}

/* The slow path's test: does data tag (tag_r or tag_w) grant the access with tag `want`
 * (context | page), whether or not the page is a slow one? */
static inline bool shadow_tag_match(uint64_t tag, uint64_t want)
{
	return (tag & ~SHADOW_TAG_SLOW) == want;
}

static inline bool shadow_entry_le(const struct shadow_tlb_entry *e)
{
	return (e->perm & SHADOW_ATTR_LE) != 0;
}

/* Does a data read (write) of size bytes at ea in context ctx hit? Then *host is where. */
static inline bool shadow_tlb_read_hit(struct shadow_tlb *t, uint64_t ctx, cpu_ureg ea,
				       unsigned size, uint8_t **host)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(t, ea);
	*host = (uint8_t *)(e->addend + ea);
	return __builtin_expect(e->tag_r == (ctx | (ea & (SHADOW_PAGE_MASK | (size - 1)))), 1);
}

static inline bool shadow_tlb_write_hit(struct shadow_tlb *t, uint64_t ctx, cpu_ureg ea,
					unsigned size, uint8_t **host)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(t, ea);
	*host = (uint8_t *)(e->addend + ea);
	return __builtin_expect(e->tag_w == (ctx | (ea & (SHADOW_PAGE_MASK | (size - 1)))), 1);
}

/* Host pointer for a data read of size bytes at ea in context ctx, or NULL (slow path). */
static inline uint8_t *shadow_tlb_read_ptr(struct shadow_tlb *t, uint64_t ctx, cpu_ureg ea,
					   unsigned size)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(t, ea);
	if (__builtin_expect(e->tag_r == (ctx | (ea & (SHADOW_PAGE_MASK | (size - 1)))), 1))
		return (uint8_t *)(e->addend + ea);
	return 0;
}

static inline uint8_t *shadow_tlb_write_ptr(struct shadow_tlb *t, uint64_t ctx, cpu_ureg ea,
					    unsigned size)
{
	struct shadow_tlb_entry *e = shadow_tlb_entry_of(t, ea);
	if (__builtin_expect(e->tag_w == (ctx | (ea & (SHADOW_PAGE_MASK | (size - 1)))), 1))
		return (uint8_t *)(e->addend + ea);
	return 0;
}

/* Host pointer of the instruction at ea (word aligned) for a fetch in context ctx (the
 * core's itag), or NULL: a miss, which only the core's fetch path resolves. */
static inline const uint8_t *shadow_tlb_fetch_ptr(struct shadow_tlb *t, uint64_t ctx, cpu_ureg ea)
{
	if (shadow_tlb_fetch_of(t, ea)->tag_x == (ctx | (ea & SHADOW_PAGE_MASK)))
		return (const uint8_t *)(shadow_tlb_entry_of(t, ea)->addend + ea);
	return 0;
}

#endif
