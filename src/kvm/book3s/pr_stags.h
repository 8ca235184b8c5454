/* SPDX-License-Identifier: MIT */
/* What filled each shadow-TLB slot of a PR vcpu with a translated entry (pr_mmu.c): its
 * virtual page and effective page, and an index of the used slots by segment, so that
 * dropping a segment's translations (slbie, slbmte, slbia) visits the slots that segment
 * holds, not every used slot.
 *
 * The index keeps one bitmap of slots per bucket of 1 TiB effective regions (a hash of
 * EA >> 40), and per bucket a word saying which of its 64-bit words are not empty. Every
 * segment, 256 MiB or 1 TiB, lies within one 1 TiB region, so all the slots of one segment
 * are in one bucket; the bucket may also hold other segments' slots, which the visit tells
 * apart by their effective page. */
#ifndef SOFTKVM_BOOK3S_PR_STAGS_H
#define SOFTKVM_BOOK3S_PR_STAGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/shadow_tlb.h"

#define PR_STAG_BUCKET_BITS 4
#define PR_STAG_BUCKETS (1u << PR_STAG_BUCKET_BITS)
#define PR_STAG_REGION_SHIFT 40 /* the largest segment: 1 TiB */
#define PR_STAG_WORDS (SHADOW_TLB_SIZE / 64)

_Static_assert(PR_STAG_WORDS <= 64, "a bucket's non-empty words fit one summary word");

struct pr_shadow_tag {
	uint64_t vpn; /* VA >> 12 of a translated entry */
	uint64_t ea;  /* its effective page */
};

struct pr_stags {
	struct pr_shadow_tag tag[SHADOW_TLB_SIZE]; /* valid where the slot is used */
	uint64_t used[PR_STAG_BUCKETS][PR_STAG_WORDS]; /* by the bucket of tag[].ea */
	uint64_t nonempty[PR_STAG_BUCKETS];	       /* bit w: used[b][w] != 0 */
};

/* Called for each slot a drop removes from the index, with the slot's effective page. */
typedef void pr_stag_drop_fn(void *opaque, uint64_t ea);

void pr_stags_clear(struct pr_stags *s);
/* Slot holds the translation of virtual page vpn at effective page ea (replacing whatever
 * it held). */
void pr_stags_set(struct pr_stags *s, unsigned slot, uint64_t vpn, uint64_t ea);
bool pr_stags_used(const struct pr_stags *s, unsigned slot);
/* Forgets slot (it holds no translated entry now), without calling anything. */
void pr_stags_forget(struct pr_stags *s, unsigned slot);
/* Forgets every used slot whose effective page is in the segment of ea, 1 << seg_shift
 * bytes (every used slot for seg_shift 64), calling drop for each. */
void pr_stags_drop_segment(struct pr_stags *s, uint64_t ea, unsigned seg_shift,
			   pr_stag_drop_fn *drop, void *opaque);

#endif
