// SPDX-License-Identifier: MIT
/* The decoded-code cache: one struct cpu_code_page per guest-physical page that has run. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "code_key.h"
#include "cpu.h"
#include "decode.h"
#include "exec.h"

#define CODE_HASH_BITS 12
#define CODE_MAX_TLBS 8

struct cpu_code_cache {
	struct cpu_code_page *hash[1u << CODE_HASH_BITS];
	struct cpu_code_page *oldest, *youngest; /* every page, in creation order */
	uint64_t nr_pages, max_pages;
	uint64_t created, evicted;
	struct shadow_tlb *tlbs[CODE_MAX_TLBS]; /* shadow TLBs to write-protect code in */
	struct cpu_decoder *dec;
};

static unsigned hash_of(uint32_t key)
{
	return (key * 0x9e3779b1u) >> (32 - CODE_HASH_BITS);
}

struct cpu_code_cache *cpu_code_cache_create(void)
{
	struct cpu_code_cache *cc = calloc(1, sizeof(*cc));
	if (!cc)
		return NULL;
	cc->dec = cpu_decoder_create();
	if (!cc->dec) {
		free(cc);
		return NULL;
	}
	cc->max_pages = CPU_CODE_CACHE_DEFAULT_BYTES / sizeof(struct cpu_code_page);
	return cc;
}

void cpu_code_cache_destroy(struct cpu_code_cache *cc)
{
	if (!cc)
		return;
	cpu_code_cache_flush(cc);
	cpu_decoder_destroy(cc->dec);
	free(cc);
}

const struct cpu_decoder *cpu_code_cache_decoder(const struct cpu_code_cache *cc)
{
	return cc->dec;
}

static struct cpu_code_page *find(const struct cpu_code_cache *cc, uint32_t key)
{
	struct cpu_code_page *p = cc->hash[hash_of(key)];
	while (p && p->key != key)
		p = p->hash_next;
	return p;
}

/* Only the handler is reset: an instruction whose own slot a store invalidates may still
 * read its decoded fields after the store (stwu updating RA). op_decode rewrites all. */
static void reset_slots(struct cpu_code_page *p)
{
	for (unsigned i = 0; i < CPU_CODE_PAGE_INSNS; i++)
		p->insns[i].fn = op_decode;
	p->insns[CPU_CODE_PAGE_INSNS] = (struct cpu_dinsn){.fn = op_page_end};
	p->live = false;
	p->writes = 0;
}

/* Unlink p from its hash chain and cut every shadow-TLB link to it. */
static void unlink_page(struct cpu_code_cache *cc, struct cpu_code_page *p)
{
	struct cpu_code_page **link = &cc->hash[hash_of(p->key)];

	while (*link != p)
		link = &(*link)->hash_next;
	*link = p->hash_next;
	for (unsigned t = 0; t < CODE_MAX_TLBS; t++)
		if (cc->tlbs[t])
			for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
				if (cc->tlbs[t]->e[i].code == p)
					cc->tlbs[t]->e[i].code = NULL;
}

/* The oldest page, taken out of the cache for reuse. */
static struct cpu_code_page *evict_oldest(struct cpu_code_cache *cc)
{
	struct cpu_code_page *p = cc->oldest;

	cc->oldest = p->fifo_next;
	if (!cc->oldest)
		cc->youngest = NULL;
	unlink_page(cc, p);
	cc->nr_pages--;
	return p;
}

struct cpu_code_page *cpu_code_cache_get(struct cpu_code_cache *cc, uint32_t key,
					 const uint8_t *host)
{
	struct cpu_code_page *p = find(cc, key);
	if (p)
		return p;
	if (cc->nr_pages >= cc->max_pages) {
		p = evict_oldest(cc);
		cc->evicted++;
	} else {
		p = malloc(sizeof(*p));
		if (!p)
			return NULL;
		memset(p->insns, 0, sizeof(p->insns));
	}
	p->key = key;
	p->host = host;
	reset_slots(p);
	unsigned h = hash_of(key);
	p->hash_next = cc->hash[h];
	cc->hash[h] = p;
	p->fifo_next = NULL;
	if (cc->youngest)
		cc->youngest->fifo_next = p;
	else
		cc->oldest = p;
	cc->youngest = p;
	cc->nr_pages++;
	cc->created++;
	return p;
}

int cpu_code_cache_set_limit(struct cpu_code_cache *cc, uint64_t bytes)
{
	if (bytes < CPU_CODE_CACHE_MIN_BYTES)
		return -EINVAL;
	cc->max_pages = bytes / sizeof(struct cpu_code_page);
	for (; cc->nr_pages > cc->max_pages; cc->evicted++)
		free(evict_oldest(cc));
	return 0;
}

void cpu_code_cache_get_stats(const struct cpu_code_cache *cc, struct cpu_code_cache_stats *st)
{
	*st = (struct cpu_code_cache_stats){.pages = cc->nr_pages,
					    .max_pages = cc->max_pages,
					    .created = cc->created,
					    .evicted = cc->evicted};
}

bool cpu_code_cache_has_page(const struct cpu_code_cache *cc, uint32_t ppn)
{
	const struct cpu_code_page *p = find(cc, ppn), *le = find(cc, ppn | CPU_CODE_KEY_LE);
	return (p && p->live) || (le && le->live);
}

void cpu_code_cache_invalidate(struct cpu_code_cache *cc, uint32_t ppn)
{
	struct cpu_code_page *p = find(cc, ppn), *le = find(cc, ppn | CPU_CODE_KEY_LE);
	if (p && p->live)
		reset_slots(p);
	if (le && le->live)
		reset_slots(le);
}

void cpu_code_cache_invalidate_range(struct cpu_code_cache *cc, uint32_t ppn_lo, uint32_t ppn_hi)
{
	for (struct cpu_code_page *p = cc->oldest; p; p = p->fifo_next)
		if (p->live && cpu_code_key_ppn(p->key) >= ppn_lo &&
		    cpu_code_key_ppn(p->key) <= ppn_hi)
			reset_slots(p);
}

/* Stores into a page that also holds code are common (data beside code, a kernel page
 * reused for data): after this many the page counts as data until code runs there again. */
#define CODE_PAGE_MAX_WRITES 256

static bool store_one(struct cpu_code_cache *cc, uint32_t key, uint32_t off, unsigned len)
{
	struct cpu_code_page *p = find(cc, key);
	if (!p || !p->live)
		return false;
	if (++p->writes > CODE_PAGE_MAX_WRITES) {
		reset_slots(p);
		return false;
	}
	for (unsigned i = off >> 2; i <= ((off + len - 1) >> 2) && i < CPU_CODE_PAGE_INSNS; i++)
		p->insns[i].fn = op_decode;
	return true;
}

bool cpu_code_cache_store(struct cpu_code_cache *cc, uint32_t ppn, uint32_t off, unsigned len)
{
	bool le = store_one(cc, ppn | CPU_CODE_KEY_LE, off, len);
	return store_one(cc, ppn, off, len) || le;
}

/* A page is about to hold decoded code: writes to it must now take the slow path. */
static void write_protect(struct cpu_code_cache *cc, uint32_t ppn)
{
	for (unsigned t = 0; t < CODE_MAX_TLBS; t++) {
		struct shadow_tlb *tlb = cc->tlbs[t];
		if (!tlb)
			continue;
		for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
			if (tlb->e[i].ppn == ppn)
				tlb->e[i].tag_w = SHADOW_TAG_INVALID;
	}
}

void cpu_code_cache_flush(struct cpu_code_cache *cc)
{
	while (cc->oldest) {
		struct cpu_code_page *p = cc->oldest;
		cc->oldest = p->fifo_next;
		free(p);
	}
	cc->youngest = NULL;
	cc->nr_pages = 0;
	memset(cc->hash, 0, sizeof(cc->hash));
	for (unsigned t = 0; t < CODE_MAX_TLBS; t++)
		if (cc->tlbs[t])
			for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
				cc->tlbs[t]->e[i].code = NULL;
}

int cpu_code_cache_attach(struct cpu_code_cache *cc, struct shadow_tlb *t)
{
	for (unsigned i = 0; i < CODE_MAX_TLBS; i++) {
		if (!cc->tlbs[i]) {
			cc->tlbs[i] = t;
			return 0;
		}
	}
	return -ENOSPC;
}

void cpu_code_cache_detach(struct cpu_code_cache *cc, struct shadow_tlb *t)
{
	for (unsigned i = 0; i < CODE_MAX_TLBS; i++)
		if (cc->tlbs[i] == t)
			cc->tlbs[i] = NULL;
}

/* Decode the slot d on first execution, then run it. */
CPU_HANDLER(op_decode)
{
	struct cpu_code_page *p = c->page;
	struct cpu_dinsn *slot = (struct cpu_dinsn *)d; /* slots live in the page's writable array */
	unsigned i = (unsigned)(slot - p->insns);
	uint32_t w = cpu_code_word(p, i);

	if (!p->live) {
		write_protect(c->code, cpu_code_key_ppn(p->key));
		p->live = true;
	}
	int entry = cpu_decode(c->code->dec, w, slot);
	if (entry >= 0 && !(slot->flags & CPU_D_AA)) {
		enum cpu_form form = cpu_insn_table[entry].form;
		int32_t target = (int32_t)i + (slot->imm >> 2);
		if ((form == FORM_I || form == FORM_B) && target >= 0 &&
		    target < CPU_CODE_PAGE_INSNS)
			slot->flags |= CPU_D_IN_PAGE;
	}
	if (slot->fn == op_bc && slot->rt == 16 &&
	    (slot->flags & (CPU_D_AA | CPU_D_LK | CPU_D_IN_PAGE)) == CPU_D_IN_PAGE)
		slot->fn = op_bdnz_in_page;
#if CPU_IS64
	if (entry >= 0 && (p->key & CPU_CODE_KEY_LE) && cpu_le_handlers[entry])
		slot->fn = cpu_le_handlers[entry];
#endif
	if (slot->fn == op_emulate && c->ops->emulation) {
		cpu_handler h = c->ops->emulation(c->opaque, slot);
		if (h)
			slot->fn = h;
	}
	CPU_NEXT(c, slot); /* a tail call: decoding must not nest frames */
}
