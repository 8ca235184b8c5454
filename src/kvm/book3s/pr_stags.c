// SPDX-License-Identifier: MIT
/* The shadow slots' tags and their index by segment (pr_stags.h).
 *
 * The invariant: a slot's bit is set in at most one bucket, that of tag[slot].ea, and only
 * while the slot holds a translated entry; tag[slot] changes only with its bit cleared. */
#include <string.h>

#include "kvm/book3s/pr_stags.h"

/* Linux's 1 TiB regions (user 0 and 0x7f, the kernel's 0xc00000, 0xc00800, 0xc00a00,
 * 0xc00c00) fall in different buckets: the multiply spreads the low bits up, the fold
 * brings the high ones down. */
static unsigned bucket_of(uint64_t ea)
{
	uint64_t x = (ea >> PR_STAG_REGION_SHIFT) * 0x9e3779b97f4a7c15ull;

	return (unsigned)((x ^ x >> 29) & (PR_STAG_BUCKETS - 1));
}

void pr_stags_clear(struct pr_stags *s)
{
	memset(s, 0, sizeof(*s));
}

bool pr_stags_used(const struct pr_stags *s, unsigned slot)
{
	return s->used[bucket_of(s->tag[slot].ea)][slot / 64] >> (slot % 64) & 1;
}

void pr_stags_forget(struct pr_stags *s, unsigned slot)
{
	unsigned b = bucket_of(s->tag[slot].ea), w = slot / 64;

	s->used[b][w] &= ~(1ull << (slot % 64));
	if (!s->used[b][w])
		s->nonempty[b] &= ~(1ull << w);
}

void pr_stags_set(struct pr_stags *s, unsigned slot, uint64_t vpn, uint64_t ea)
{
	unsigned b, w = slot / 64;

	pr_stags_forget(s, slot);
	s->tag[slot] = (struct pr_shadow_tag){.vpn = vpn, .ea = ea};
	b = bucket_of(ea);
	s->used[b][w] |= 1ull << (slot % 64);
	s->nonempty[b] |= 1ull << w;
}

static void drop_in_bucket(struct pr_stags *s, unsigned b, uint64_t ea, unsigned seg_shift,
			   pr_stag_drop_fn *drop, void *opaque)
{
	for (uint64_t words = s->nonempty[b]; words; words &= words - 1) {
		unsigned w = (unsigned)__builtin_ctzll(words);

		for (uint64_t bits = s->used[b][w]; bits; bits &= bits - 1) {
			unsigned bit = (unsigned)__builtin_ctzll(bits);
			uint64_t slot_ea = s->tag[w * 64 + bit].ea;

			if (seg_shift < 64 && slot_ea >> seg_shift != ea >> seg_shift)
				continue;
			s->used[b][w] &= ~(1ull << bit);
			drop(opaque, slot_ea);
		}
		if (!s->used[b][w])
			s->nonempty[b] &= ~(1ull << w);
	}
}

void pr_stags_drop_segment(struct pr_stags *s, uint64_t ea, unsigned seg_shift,
			   pr_stag_drop_fn *drop, void *opaque)
{
	if (seg_shift <= PR_STAG_REGION_SHIFT) {
		drop_in_bucket(s, bucket_of(ea), ea, seg_shift, drop, opaque);
		return;
	}
	for (unsigned b = 0; b < PR_STAG_BUCKETS; b++)
		drop_in_bucket(s, b, ea, seg_shift, drop, opaque);
}
