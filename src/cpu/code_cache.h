/* Decoded code, cached per guest-physical page.
 *
 * A code page holds one decoded instruction per word of a 4 KiB guest-physical page plus
 * a sentinel that continues into the next virtual page. Slots start as "decode me" stubs
 * and are decoded on first execution, so an invalidated page (the guest wrote to it) only
 * resets its slots. Pages are never freed while the VM lives (a running handler may still
 * point into one), except by cpu_code_cache_flush when no core is running.
 */
#ifndef SOFTKVM_CODE_CACHE_H
#define SOFTKVM_CODE_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#define CPU_CODE_PAGE_INSNS 1024

struct cpu_code_page {
	uint32_t ppn;
	bool live;	     /* some slot is decoded: writes to the page must invalidate it */
	uint32_t writes;     /* guest stores into the page since it became live */
	const uint8_t *host; /* the guest-physical page in host memory */
	struct cpu_code_page *hash_next;
	struct cpu_dinsn insns[CPU_CODE_PAGE_INSNS + 1]; /* +1: end-of-page sentinel */
};

/* The code page of ppn (created with stub slots if new), or NULL if out of memory. */
struct cpu_code_page *cpu_code_cache_get(struct cpu_code_cache *cc, uint32_t ppn,
					 const uint8_t *host);
/* A guest store of len bytes at offset off of physical page ppn: drop the decoded slots it
 * overlaps. Returns false when the page has taken so many stores that it is treated as
 * data from now on (every slot dropped, the page no longer live): the caller may then let
 * stores through the shadow TLB again. */
bool cpu_code_cache_store(struct cpu_code_cache *cc, uint32_t ppn, uint32_t off, unsigned len);
/* Drop every decoded page (memory map changed). No core may be running. */
void cpu_code_cache_flush(struct cpu_code_cache *cc);
/* Register a core's shadow TLB so pages that become code can be write-protected in it. */
int cpu_code_cache_attach(struct cpu_code_cache *cc, struct shadow_tlb *t)
	__attribute__((warn_unused_result));
void cpu_code_cache_detach(struct cpu_code_cache *cc, struct shadow_tlb *t);
/* The decoder tables (built once per cache, see decode.c). */
const struct cpu_decoder *cpu_code_cache_decoder(const struct cpu_code_cache *cc);

#endif
