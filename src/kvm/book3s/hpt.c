// SPDX-License-Identifier: MIT
/* The guest's hashed page table: where it is (SDR1, bounds-checked against the memory the VMM
 * gave it), the primary and secondary hash of a virtual address in 256 MiB and 1 TiB
 * segments, the search of a PTEG pair (ISA 2.07 Book III-S 5.7.7), and the locked updates of
 * its entries, R and C included.
 *
 * Concurrency. Every vcpu thread translates through the table while others change it by
 * hcalls, so entries are read and written with atomics on the big-endian words in place:
 *  - A writer (hcall, or a translation setting R/C) owns an entry by setting HPTE_V_HVLOCK in
 *    its first word with a compare-and-swap, as Linux's HV KVM does; it writes the second word,
 *    then releases the first with its new value. The lock lives in the table, so it costs no
 *    memory that grows with the table, and it serializes every read-modify-write of an entry:
 *    two H_ENTERs never pick the same free slot, and an R/C update cannot undo a concurrent
 *    H_PROTECT or resurrect an H_REMOVEd entry (it re-checks both words under the lock).
 *  - A reader (the PTEG search, H_READ) takes no lock: it reads word 0, word 1, then word 0
 *    again, and retries while the entry is locked or word 0 changed, a per-entry seqcount
 *    with the lock bit as its odd state. Waiting on a locked entry matters: a translation
 *    must see H_REMOVE/H_PROTECT either not started or finished, never a miss in between.
 *  - Shadows filled from a translation are dropped by the hcall's invalidation, which runs
 *    after the entry is unlocked; inval_seq, bumped before it, lets a filler that raced with
 *    it notice (read it before translating, compare after installing: mmu_notifier_retry).
 * Stale lock bits (a table loaded from elsewhere) are cleared when the table is bound; guests
 * cannot set the bit (H_ENTER strips it). */
#include <endian.h>
#include <sched.h>

#include "kvm/book3s/mmu_ops.h"

#define LOCK_BE htobe64(HPTE_V_HVLOCK)
#define VALID_BE htobe64(HPTE_V_VALID)

int book3s_hpt_bind(struct book3s_hpt *hpt, uint64_t sdr1, void *region, size_t len)
{
	unsigned n = (unsigned)(sdr1 & SDR1_HTABSIZE);
	uintptr_t org = (uintptr_t)(sdr1 & SDR1_HTABORG), lo = (uintptr_t)region;
	uint64_t bytes;

	hpt->base = NULL;
	if (n > SDR1_HTABSIZE_MAX)
		return -1;
	bytes = 1ULL << (18 + n);
	if (!region || org < lo || org - lo > len || len - (org - lo) < bytes)
		return -1;
	hpt->base = (uint8_t *)org;
	hpt->sdr1 = sdr1;
	hpt->bytes = bytes;
	hpt->nptegs = bytes / HPTEG_BYTES;
	for (uint64_t i = 0; i < hpt->nptegs * HPTES_PER_GROUP; i++) {
		uint64_t *w = (uint64_t *)(hpt->base + i * HPTE_BYTES);

		__atomic_and_fetch(w, ~LOCK_BE, __ATOMIC_RELAXED);
	}
	return 0;
}

static uint64_t *hpte_words(const struct book3s_hpt *hpt, uint64_t ptex)
{
	return (uint64_t *)(hpt->base + ptex * HPTE_BYTES);
}

/* Another vcpu holds the entry for a few instructions, unless its thread was preempted. */
static void relax(unsigned spin)
{
	if (spin > 64)
		sched_yield();
#if defined(__x86_64__) || defined(__i386__)
	else
		__builtin_ia32_pause();
#endif
}

struct book3s_hpte book3s_hpte_read(const struct book3s_hpt *hpt, uint64_t ptex)
{
	uint64_t *w = hpte_words(hpt, ptex);

	for (unsigned spin = 0;; spin++) {
		uint64_t v = __atomic_load_n(&w[0], __ATOMIC_ACQUIRE);
		uint64_t r = __atomic_load_n(&w[1], __ATOMIC_RELAXED);

		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (!(v & LOCK_BE) && __atomic_load_n(&w[0], __ATOMIC_RELAXED) == v)
			return (struct book3s_hpte){be64toh(v), be64toh(r)};
		relax(spin);
	}
}

uint64_t book3s_hpte_lock(const struct book3s_hpt *hpt, uint64_t ptex)
{
	uint64_t *w = hpte_words(hpt, ptex);

	for (unsigned spin = 0;; spin++) {
		uint64_t v = __atomic_load_n(&w[0], __ATOMIC_RELAXED);

		if (!(v & LOCK_BE) && __atomic_compare_exchange_n(&w[0], &v, v | LOCK_BE, false,
								  __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return be64toh(v);
		relax(spin);
	}
}

bool book3s_hpte_trylock_free(const struct book3s_hpt *hpt, uint64_t ptex)
{
	uint64_t *w = hpte_words(hpt, ptex);
	uint64_t v = __atomic_load_n(&w[0], __ATOMIC_RELAXED);

	return !(v & (LOCK_BE | VALID_BE)) &&
	       __atomic_compare_exchange_n(&w[0], &v, v | LOCK_BE, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

uint64_t book3s_hpte_locked_r(const struct book3s_hpt *hpt, uint64_t ptex)
{
	return be64toh(__atomic_load_n(&hpte_words(hpt, ptex)[1], __ATOMIC_RELAXED));
}

void book3s_hpte_set_locked_r(const struct book3s_hpt *hpt, uint64_t ptex, uint64_t r)
{
	__atomic_store_n(&hpte_words(hpt, ptex)[1], htobe64(r), __ATOMIC_RELAXED);
}

void book3s_hpte_unlock(const struct book3s_hpt *hpt, uint64_t ptex, uint64_t v)
{
	__atomic_store_n(&hpte_words(hpt, ptex)[0], htobe64(v & ~HPTE_V_HVLOCK), __ATOMIC_RELEASE);
}

uint64_t book3s_hpt_inval_seq(const struct book3s_hpt *hpt)
{
	return __atomic_load_n(&hpt->inval_seq, __ATOMIC_SEQ_CST);
}

void book3s_hpt_inval_begin(struct book3s_hpt *hpt)
{
	__atomic_add_fetch(&hpt->inval_seq, 1, __ATOMIC_SEQ_CST);
}

static uint64_t seg_offset(const struct book3s_slbe *s, uint64_t ea)
{
	return ea & ((1ULL << s->seg_shift) - 1);
}

uint64_t book3s_hpt_hash(const struct book3s_slbe *s, uint64_t ea)
{
	uint64_t page = seg_offset(s, ea) >> s->base_shift;
	uint64_t hash;

	if (s->seg_shift == SID_SHIFT)
		hash = s->vsid ^ page;
	else
		hash = s->vsid ^ (s->vsid << 25) ^ page;
	return hash & 0x7fffffffffULL;
}

uint64_t book3s_va_vpn(const struct book3s_slbe *s, uint64_t ea)
{
	return s->vsid << (s->seg_shift - 12) | seg_offset(s, ea) >> 12;
}

/* Does entry e translate the page whose AVA (VA >> 23) is ava in segment s? */
static bool hpte_matches(const struct book3s_slbe *s, struct book3s_hpte e, uint64_t ava,
			 bool secondary, unsigned *actual)
{
	uint64_t mask = HPTE_V_AVPN;
	unsigned base;

	if (!(e.v & HPTE_V_VALID) || !(e.v & HPTE_V_SECONDARY) != !secondary)
		return false;
	if ((e.v & HPTE_V_B) != (s->vsid_word & SLB_VSID_B))
		return false;
	/* L and LP give both sizes (L=1 for a large page even in a 4 KiB segment). */
	if (!book3s_hpte_page_shifts(e.v, e.r, &base, actual) || base != s->base_shift)
		return false;
	/* AVA bits inside a page larger than 2^23 bytes are not compared. */
	if (*actual > 23)
		mask &= ~(((1ULL << (*actual - 23)) - 1) << HPTE_V_AVPN_SHIFT);
	return (e.v & mask) == ((ava << HPTE_V_AVPN_SHIFT) & mask);
}

bool book3s_hpt_find(const struct book3s_hpt *hpt, const struct book3s_slbe *s, uint64_t ea,
		     struct book3s_hpt_hit *hit)
{
	uint64_t hash = book3s_hpt_hash(s, ea);
	uint64_t ava = book3s_va_vpn(s, ea) >> 11;

	if (!hpt->base || !s->base_shift)
		return false;
	for (int secondary = 0; secondary < 2; secondary++) {
		uint64_t group = (secondary ? ~hash : hash) & (hpt->nptegs - 1);

		for (unsigned i = 0; i < HPTES_PER_GROUP; i++) {
			uint64_t ptex = group * HPTES_PER_GROUP + i;
			struct book3s_hpte e;

			/* a free entry (neither valid nor being written) matches nothing: one
			 * load instead of the consistent read */
			if (!(__atomic_load_n(hpte_words(hpt, ptex), __ATOMIC_ACQUIRE) &
			      (VALID_BE | LOCK_BE)))
				continue;
			e = book3s_hpte_read(hpt, ptex);

			if (hpte_matches(s, e, ava, secondary, &hit->shift)) {
				hit->ptex = ptex;
				hit->e = e;
				return true;
			}
		}
	}
	return false;
}

bool book3s_hpt_set_rc(const struct book3s_hpt *hpt, const struct book3s_hpt_hit *hit,
		       uint64_t bits)
{
	uint64_t v = book3s_hpte_lock(hpt, hit->ptex);
	uint64_t r = book3s_hpte_locked_r(hpt, hit->ptex);
	bool same = v == hit->e.v && (r & ~(HPTE_R_R | HPTE_R_C)) == (hit->e.r & ~(HPTE_R_R | HPTE_R_C));

	if (same)
		book3s_hpte_set_locked_r(hpt, hit->ptex, r | bits);
	book3s_hpte_unlock(hpt, hit->ptex, v);
	return same;
}
