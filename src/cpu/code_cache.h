/* SPDX-License-Identifier: MIT */
/* Decoded code, cached per guest-physical page.
 *
 * A code page holds one decoded instruction per word of a 4 KiB guest-physical page plus
 * a sentinel that continues into the next virtual page. Slots start as "decode me" stubs
 * and are decoded on first execution, so an invalidated page (the guest wrote to it) only
 * resets its slots.
 *
 * The cache is bounded: at most max_pages code pages (cpu_code_cache_set_limit). A new page
 * beyond that takes over the oldest one (first in, first out), whose decoded instructions
 * are dropped and whose shadow-TLB links are cut. That is safe because a page is only ever
 * created inside cpu_fetch, when the core that asks is leaving the page it ran in; cores
 * that share a cache must therefore not run concurrently (one vcpu thread at a time).
 *
 * Vcpus that run at the same time, each on its host thread (Book3S SMP), have a cache each
 * -- per vcpu by design: only its own core decodes, runs and evicts its pages -- joined into
 * one domain (cpu_code_cache_join), so that the caches stay coherent with every vcpu's
 * stores as a POWER8's instruction caches are (Linux relies on it: with a coherent icache it
 * does not icbi what it wrote). What crosses threads: a store into code resets the slots it
 * overlaps in every member (the handler pointer only, atomically, bumping the page's
 * generation so a decode racing with it starts again); a page becoming code withdraws write
 * permission for it from every member's shadow TLB, and a fill grants it only where no
 * member has code, both under the domain's lock; lookups of a cache by another thread take
 * it too. Pages are freed only when no core runs (flush, set_limit, destroy), so a pointer
 * into another vcpu's page never dangles.
 */
#ifndef SOFTKVM_CODE_CACHE_H
#define SOFTKVM_CODE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_CODE_PAGE_INSNS 1024

struct cpu_code_page {
	uint32_t key;	     /* guest-physical page and byte order (code_key.h) */
	bool live;	     /* some slot is decoded: writes to the page must invalidate it */
	uint32_t gen;	     /* bumped before another thread resets slots (code_cache.c) */
	uint32_t writes;     /* guest stores into the page since it became live */
	const uint8_t *host; /* the guest-physical page in host memory */
	struct cpu_code_page *hash_next;
	struct cpu_code_page *fifo_next; /* the next younger page (eviction order) */
	struct cpu_dinsn insns[CPU_CODE_PAGE_INSNS + 1]; /* +1: end-of-page sentinel */
	/* compiled runs (jit.h): the length of the run whose handler a slot holds, else 0 */
	uint8_t run_len[CPU_CODE_PAGE_INSNS];
	bool has_runs;
};

/* The code page of key (code_key.h; created with stub slots if new, evicting the oldest
 * page when the cache is full), or NULL if out of memory. Only cpu_fetch calls it. */
struct cpu_code_page *cpu_code_cache_get(struct cpu_code_cache *cc, uint32_t key,
					 const uint8_t *host);
/* A guest store of len bytes at offset off of physical page ppn: drop the decoded slots it
 * overlaps. Returns false when the page has taken so many stores that it is treated as
 * data from now on (every slot dropped, the page no longer live): the caller may then let
 * stores through the shadow TLB again. */
bool cpu_code_cache_store(struct cpu_code_cache *cc, uint32_t ppn, uint32_t off, unsigned len);
/* Make cc one of group's domain (group: a cache no core runs, the VM's), before cc's core
 * runs; cc takes group's bound. Every call on a member then acts on every member: has_page,
 * invalidate(_range), store, flush, set_limit (each member's own bound), get_stats (the
 * sums; the bound of the caches cores run). A cache leaves its domain when destroyed. */
int cpu_code_cache_join(struct cpu_code_cache *cc, struct cpu_code_cache *group)
	__attribute__((warn_unused_result));
/* Held around a shadow-TLB fill, so that write permission and a page becoming code are
 * decided one at a time across the domain (nothing for a cache of its own). Recursive. */
void cpu_code_cache_lock(struct cpu_code_cache *cc);
void cpu_code_cache_unlock(struct cpu_code_cache *cc);
/* Drop every decoded page (memory map changed). No core may be running. */
void cpu_code_cache_flush(struct cpu_code_cache *cc);
/* Register a core's shadow TLB so pages that become code can be write-protected in it. */
int cpu_code_cache_attach(struct cpu_code_cache *cc, struct shadow_tlb *t)
	__attribute__((warn_unused_result));
void cpu_code_cache_detach(struct cpu_code_cache *cc, struct shadow_tlb *t);
/* Bound the cache to bytes of decoded code (at least CPU_CODE_CACHE_MIN_BYTES); pages
 * beyond a smaller new bound are evicted at once. No core may be running. */
#define CPU_CODE_CACHE_MIN_BYTES (1u << 20)
#define CPU_CODE_CACHE_DEFAULT_BYTES (32u << 20)
int cpu_code_cache_set_limit(struct cpu_code_cache *cc, uint64_t bytes)
	__attribute__((warn_unused_result));
/* Drop the decoded instructions of guest-physical pages [ppn_lo, ppn_hi] (host writes to
 * guest RAM: loader, DMA). The domain's cores may be running, as for invalidate: the pages
 * are looked at under the domain's lock, which adding and evicting pages take too. */
void cpu_code_cache_invalidate_range(struct cpu_code_cache *cc, uint32_t ppn_lo, uint32_t ppn_hi);
struct cpu_code_cache_stats {
	uint64_t pages;	    /* code pages held now */
	uint64_t max_pages; /* the bound */
	uint64_t created;   /* pages made since the cache was created */
	uint64_t evicted;   /* pages taken over by younger ones */
	uint64_t runs;	    /* runs compiled (jit.h) */
	uint64_t run_insns; /* instructions in them */
	uint64_t run_bytes; /* compiled code held now */
	uint64_t run_resets; /* times a full region of compiled code was dropped */
};
void cpu_code_cache_get_stats(struct cpu_code_cache *cc, struct cpu_code_cache_stats *st);
/* Compile runs of instructions (jit.h) as they are decoded: on (the default where the host
 * can) or off, for every member; off drops every run. No core may be running. */
void cpu_code_cache_set_compile(struct cpu_code_cache *cc, bool on);

/* For jit.c: decode slot i of p as its first execution would (handler for the page's byte
 * order, the hypervisor's emulation hook), without touching the slot. False if illegal. */
bool cpu_code_decode(struct cpu *c, const struct cpu_code_page *p, unsigned i, struct cpu_dinsn *n);
/* Is p a little-endian page (its instructions and its loads and stores)? */
bool cpu_code_page_le(const struct cpu_code_page *p);
/* Install fn, a run of n instructions, as slot i's handler / drop it (the slot is decoded
 * again at its next execution). */
void cpu_code_page_set_run(struct cpu_code_page *p, unsigned i, unsigned n, cpu_handler fn);
void cpu_code_page_drop_run(struct cpu_code_page *p, unsigned i);
/* Drop every run of cc's own pages (its region of compiled code is full). Only its core's
 * thread, outside compiled code. */
void cpu_code_cache_drop_runs(struct cpu_code_cache *cc);

/* The decoder tables (built once per cache, see decode.c). */
const struct cpu_decoder *cpu_code_cache_decoder(const struct cpu_code_cache *cc);

#endif
