// SPDX-License-Identifier: MIT
/* The decoded-code cache: one struct cpu_code_page per guest-physical page that has run. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "code_key.h"
#include "cpu.h"
#include "decode.h"
#include "exec.h"
#include "jit.h"

#define CODE_HASH_BITS 12
#define CODE_MAX_TLBS 8

struct cpu_code_cache {
	struct cpu_code_page *hash[1u << CODE_HASH_BITS];
	struct cpu_code_page *oldest, *youngest; /* every page, in creation order */
	uint64_t nr_pages, max_pages;
	uint64_t created, evicted;
	struct shadow_tlb *tlbs[CODE_MAX_TLBS]; /* shadow TLBs to write-protect code in */
	struct cpu_decoder *dec;
	struct cpu_code_domain *dom;	  /* the vcpus' caches it is one of, or NULL */
	struct cpu_code_cache *dom_next; /* the next cache of dom */
	bool group;			  /* dom's group: the VM's, no core runs it */
	bool compile;			  /* compile runs as slots are decoded (jit.h) */
	struct cpu_jit *jit;		  /* their region, made at the first run */
};

/* The caches of vcpus that run on threads of their own (cpu_code_cache_join): a store into
 * code, a fill that would let stores through, and a page becoming code are looked at across
 * all of them, one at a time (lock, recursive: has_page inside a fill). */
struct cpu_code_domain {
	pthread_mutex_t lock;
	unsigned refs;
	struct cpu_code_cache *first;
};

void cpu_code_cache_lock(struct cpu_code_cache *cc)
{
	if (cc->dom)
		pthread_mutex_lock(&cc->dom->lock);
}

void cpu_code_cache_unlock(struct cpu_code_cache *cc)
{
	if (cc->dom)
		pthread_mutex_unlock(&cc->dom->lock);
}

/* Every cache a store or an invalidation must reach: the domain's, or cc alone. */
#define FOR_EACH_MEMBER(m, cc) for (m = (cc)->dom ? (cc)->dom->first : (cc); m; m = (cc)->dom ? m->dom_next : NULL)

int cpu_code_cache_join(struct cpu_code_cache *cc, struct cpu_code_cache *group)
{
	if (!group->dom) {
		struct cpu_code_domain *dom = calloc(1, sizeof(*dom));
		pthread_mutexattr_t attr;
		int rc;

		if (!dom)
			return -ENOMEM;
		rc = pthread_mutexattr_init(&attr);
		if (!rc) {
			rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
			if (!rc)
				rc = pthread_mutex_init(&dom->lock, &attr);
			pthread_mutexattr_destroy(&attr);
		}
		if (rc) {
			free(dom);
			return -ENOMEM;
		}
		dom->refs = 1;
		dom->first = group;
		group->dom = dom;
		group->group = true;
	}
	pthread_mutex_lock(&group->dom->lock);
	cc->max_pages = group->max_pages; /* the bound set on the group (set_limit) */
	cc->compile = group->compile;
	cc->dom = group->dom;
	cc->dom_next = cc->dom->first;
	cc->dom->first = cc;
	cc->dom->refs++;
	pthread_mutex_unlock(&group->dom->lock);
	return 0;
}

static void leave(struct cpu_code_cache *cc)
{
	struct cpu_code_domain *dom = cc->dom;
	struct cpu_code_cache **link;
	bool last;

	if (!dom)
		return;
	pthread_mutex_lock(&dom->lock);
	for (link = &dom->first; *link != cc; link = &(*link)->dom_next)
		;
	*link = cc->dom_next;
	last = --dom->refs == 0;
	pthread_mutex_unlock(&dom->lock);
	cc->dom = NULL;
	if (last) {
		pthread_mutex_destroy(&dom->lock);
		free(dom);
	}
}

/* How many times a page became live, in any cache of the process (cpu_code_cache_live_gen). */
static uint64_t live_gen;

uint64_t cpu_code_cache_live_gen(void)
{
	return __atomic_load_n(&live_gen, __ATOMIC_SEQ_CST);
}

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
	cc->compile = true;
	return cc;
}

static void flush_one(struct cpu_code_cache *cc);

void cpu_code_cache_destroy(struct cpu_code_cache *cc)
{
	if (!cc)
		return;
	leave(cc);
	flush_one(cc);
	cpu_jit_destroy(cc->jit);
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
static void reset_slot(struct cpu_code_page *p, unsigned i)
{
	__atomic_store_n(&p->insns[i].fn, op_decode, __ATOMIC_RELAXED);
}

/* A page's slots are reset by whatever thread stores into it, while its owner may be
 * decoding one: the generation, bumped before, lets op_decode see that it read a word
 * that may be stale. */
static void slots_changing(struct cpu_code_page *p)
{
	__atomic_fetch_add(&p->gen, 1, __ATOMIC_SEQ_CST);
}

static void reset_slots(struct cpu_code_page *p)
{
	slots_changing(p);
	for (unsigned i = 0; i < CPU_CODE_PAGE_INSNS; i++)
		reset_slot(p, i);
	p->insns[CPU_CODE_PAGE_INSNS] = (struct cpu_dinsn){.fn = op_page_end};
	memset(p->run_len, 0, sizeof(p->run_len));
	p->has_runs = false;
	__atomic_store_n(&p->live, false, __ATOMIC_RELAXED);
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
				if (cc->tlbs[t]->x[i].code == p)
					cc->tlbs[t]->x[i].code = NULL;
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

static struct cpu_code_page *get(struct cpu_code_cache *cc, uint32_t key, const uint8_t *host)
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
		p->gen = 0;
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

/* Under the domain's lock: another vcpu's store may look up this cache meanwhile. */
struct cpu_code_page *cpu_code_cache_get(struct cpu_code_cache *cc, uint32_t key,
					 const uint8_t *host)
{
	struct cpu_code_page *p;

	cpu_code_cache_lock(cc);
	p = get(cc, key, host);
	cpu_code_cache_unlock(cc);
	return p;
}

int cpu_code_cache_set_limit(struct cpu_code_cache *cc, uint64_t bytes)
{
	struct cpu_code_cache *m;

	if (bytes < CPU_CODE_CACHE_MIN_BYTES)
		return -EINVAL;
	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc) {
		m->max_pages = bytes / sizeof(struct cpu_code_page);
		for (; m->nr_pages > m->max_pages; m->evicted++)
			free(evict_oldest(m));
	}
	cpu_code_cache_unlock(cc);
	return 0;
}

void cpu_code_cache_get_stats(struct cpu_code_cache *cc, struct cpu_code_cache_stats *st)
{
	const struct cpu_code_cache *m;

	*st = (struct cpu_code_cache_stats){0};
	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc) {
		st->pages += m->nr_pages;
		st->max_pages += m->group ? 0 : m->max_pages;
		st->created += m->created;
		st->evicted += m->evicted;
		struct cpu_jit_stats js;
		cpu_jit_get_stats(m->jit, &js);
		st->runs += js.runs;
		st->run_insns += js.insns;
		st->run_bytes += js.bytes;
		st->run_resets += js.resets;
	}
	cpu_code_cache_unlock(cc);
}

static bool live(const struct cpu_code_page *p)
{
	return p && __atomic_load_n(&p->live, __ATOMIC_RELAXED);
}

bool cpu_code_cache_has_page(const struct cpu_code_cache *cc, uint32_t ppn)
{
	const struct cpu_code_cache *m;
	bool has = false;

	cpu_code_cache_lock((struct cpu_code_cache *)cc);
	FOR_EACH_MEMBER(m, cc)
		if (live(find(m, ppn)) || live(find(m, ppn | CPU_CODE_KEY_LE)))
			has = true;
	cpu_code_cache_unlock((struct cpu_code_cache *)cc);
	return has;
}

void cpu_code_cache_invalidate(struct cpu_code_cache *cc, uint32_t ppn)
{
	struct cpu_code_cache *m;

	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc) {
		struct cpu_code_page *p = find(m, ppn), *le = find(m, ppn | CPU_CODE_KEY_LE);
		if (live(p))
			reset_slots(p);
		if (live(le))
			reset_slots(le);
	}
	cpu_code_cache_unlock(cc);
}

void cpu_code_cache_invalidate_range(struct cpu_code_cache *cc, uint32_t ppn_lo, uint32_t ppn_hi)
{
	struct cpu_code_cache *m;

	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc)
		for (struct cpu_code_page *p = m->oldest; p; p = p->fifo_next)
			if (p->live && cpu_code_key_ppn(p->key) >= ppn_lo &&
			    cpu_code_key_ppn(p->key) <= ppn_hi)
				reset_slots(p);
	cpu_code_cache_unlock(cc);
}

/* ---- compiled runs (jit.h) ---- */

bool cpu_code_page_le(const struct cpu_code_page *p)
{
	return (p->key & CPU_CODE_KEY_LE) != 0;
}

void cpu_code_page_set_run(struct cpu_code_page *p, unsigned i, unsigned n, cpu_handler fn)
{
	p->run_len[i] = (uint8_t)n;
	__atomic_store_n(&p->has_runs, true, __ATOMIC_SEQ_CST);
	__atomic_store_n(&p->insns[i].fn, fn, __ATOMIC_SEQ_CST);
}

void cpu_code_page_drop_run(struct cpu_code_page *p, unsigned i)
{
	p->run_len[i] = 0;
	reset_slot(p, i);
}

/* The runs that cover any of slots [first, last] go with them. */
static void drop_runs_over(struct cpu_code_page *p, unsigned first, unsigned last)
{
	unsigned from = first >= CPU_JIT_MAX_RUN ? first - (CPU_JIT_MAX_RUN - 1) : 0;

	for (unsigned h = from; h <= last && h < CPU_CODE_PAGE_INSNS; h++)
		if (p->run_len[h] && h + p->run_len[h] > first)
			cpu_code_page_drop_run(p, h);
}

void cpu_code_cache_drop_runs(struct cpu_code_cache *cc)
{
	for (struct cpu_code_page *p = cc->oldest; p; p = p->fifo_next) {
		if (!p->has_runs)
			continue;
		slots_changing(p);
		drop_runs_over(p, 0, CPU_CODE_PAGE_INSNS - 1);
		p->has_runs = false;
	}
}

void cpu_code_cache_set_compile(struct cpu_code_cache *cc, bool on)
{
	struct cpu_code_cache *m;

	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc) {
		m->compile = on;
		if (!m->compile) {
			cpu_code_cache_drop_runs(m);
			cpu_jit_destroy(m->jit);
			m->jit = NULL;
		}
	}
	cpu_code_cache_unlock(cc);
}

/* Stores into a page that also holds code are common (data beside code, a kernel page
 * reused for data): after this many the page counts as data until code runs there again. */
#define CODE_PAGE_MAX_WRITES 256

static bool store_one(struct cpu_code_cache *cc, uint32_t key, uint32_t off, unsigned len)
{
	struct cpu_code_page *p = find(cc, key);
	if (!live(p))
		return false;
	if (++p->writes > CODE_PAGE_MAX_WRITES) {
		reset_slots(p);
		return false;
	}
	slots_changing(p);
	unsigned first = off >> 2, last = (off + len - 1) >> 2;
	for (unsigned i = first; i <= last && i < CPU_CODE_PAGE_INSNS; i++)
		reset_slot(p, i);
	if (__atomic_load_n(&p->has_runs, __ATOMIC_SEQ_CST))
		drop_runs_over(p, first, last);
	return true;
}

bool cpu_code_cache_store(struct cpu_code_cache *cc, uint32_t ppn, uint32_t off, unsigned len)
{
	struct cpu_code_cache *m;
	bool still = false;

	cpu_code_cache_lock(cc);
	FOR_EACH_MEMBER(m, cc) {
		bool le = store_one(m, ppn | CPU_CODE_KEY_LE, off, len);
		still |= store_one(m, ppn, off, len) || le;
	}
	cpu_code_cache_unlock(cc);
	return still;
}

/* A page is about to hold decoded code: writes to it must now take the slow path, in every
 * vcpu's shadow TLB (the others' while they run: a store of theirs already past its tag
 * test lands unseen, which only a guest storing into code another vcpu runs for the first
 * time, with nothing to order the two, can meet). Under the domain's lock, as fills are. */
static void write_protect(struct cpu_code_cache *cc, uint32_t ppn)
{
	struct cpu_code_cache *m;

	FOR_EACH_MEMBER(m, cc) {
		for (unsigned t = 0; t < CODE_MAX_TLBS; t++) {
			struct shadow_tlb *tlb = m->tlbs[t];
			if (!tlb)
				continue;
			for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
				if (tlb->e[i].ppn == ppn)
					__atomic_store_n(&tlb->e[i].tag_w, SHADOW_TAG_INVALID,
							 __ATOMIC_RELAXED);
		}
	}
}

void cpu_code_cache_flush(struct cpu_code_cache *cc)
{
	struct cpu_code_cache *m;

	FOR_EACH_MEMBER(m, cc)
		flush_one(m);
}

static void flush_one(struct cpu_code_cache *cc)
{
	while (cc->oldest) {
		struct cpu_code_page *p = cc->oldest;
		cc->oldest = p->fifo_next;
		free(p);
	}
	cc->youngest = NULL;
	cc->nr_pages = 0;
	cpu_jit_reset(cc->jit); /* no page is left to hold a run */
	memset(cc->hash, 0, sizeof(cc->hash));
	for (unsigned t = 0; t < CODE_MAX_TLBS; t++)
		if (cc->tlbs[t])
			for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
				cc->tlbs[t]->x[i].code = NULL;
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

bool cpu_code_decode(struct cpu *c, const struct cpu_code_page *p, unsigned i, struct cpu_dinsn *n)
{
	int entry = cpu_decode(c->code->dec, cpu_code_word(p, i), n);

	if (entry >= 0 && !(n->flags & CPU_D_AA)) {
		enum cpu_form form = cpu_insn_table[entry].form;
		int32_t target = (int32_t)i + (n->imm >> 2);
		if ((form == FORM_I || form == FORM_B) && target >= 0 &&
		    target < CPU_CODE_PAGE_INSNS)
			n->flags |= CPU_D_IN_PAGE;
	}
#if CPU_IS64
	if (entry >= 0 && cpu_code_page_le(p) && cpu_le_handlers[entry])
		n->fn = cpu_le_handlers[entry];
#endif
	if (n->fn == op_emulate && c->ops->emulation) {
		cpu_handler h = c->ops->emulation(c->opaque, n);
		if (h)
			n->fn = h;
	}
	return entry >= 0;
}

/* The first run this cache compiles makes its region; none can be had: interpret. */
static struct cpu_jit *jit_of(struct cpu_code_cache *cc)
{
	if (likely(cc->jit != NULL) || !cc->compile)
		return cc->jit;
	cc->jit = cpu_jit_create();
	cc->compile = cc->jit != NULL;
	return cc->jit;
}

/* Decode the slot d on first execution (and compile the run it starts), then run it. */
CPU_HANDLER(op_decode)
{
	struct cpu_code_page *p = c->page;
	struct cpu_dinsn *slot = (struct cpu_dinsn *)d; /* slots live in the page's writable array */
	unsigned i = (unsigned)(slot - p->insns);
	uint32_t gen = __atomic_load_n(&p->gen, __ATOMIC_SEQ_CST);
	struct cpu_dinsn n;

	if (!live(p)) {
		cpu_code_cache_lock(c->code);
		write_protect(c->code, cpu_code_key_ppn(p->key));
		__atomic_store_n(&p->live, true, __ATOMIC_RELAXED);
		__atomic_fetch_add(&live_gen, 1, __ATOMIC_SEQ_CST);
		cpu_code_cache_unlock(c->code);
	}
	cpu_code_decode(c, p, i, &n);
	/* Only this vcpu writes the slot's fields; other threads only reset its handler. */
	memcpy((char *)slot + sizeof(n.fn), (const char *)&n + sizeof(n.fn),
	       sizeof(n) - sizeof(n.fn));
	if (c->code->dom) {
		/* a store of another vcpu reset the page since the word was read: decode again */
		__atomic_store_n(&slot->fn, n.fn, __ATOMIC_SEQ_CST);
		if (__atomic_load_n(&p->gen, __ATOMIC_SEQ_CST) != gen)
			reset_slot(p, i);
	} else {
		slot->fn = n.fn;
	}
	if (c->code->compile && slot->fn == n.fn)
		cpu_jit_compile(jit_of(c->code), c, p, i);
	CPU_NEXT(c, slot); /* a tail call: decoding must not nest frames */
}
