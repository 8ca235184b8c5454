// SPDX-License-Identifier: MIT
/* TLB invalidation of the Book3S-64 MMU, turned into what a shadow of translations must drop:
 * tlbie/tlbiel by virtual address and page size (RB as POWER8 reads it), tlbiel's whole-TLB
 * forms, and the page an HPTE maps when a hypercall changes or removes it. */
#include "kvm/book3s/mmu_ops.h"

void book3s_inval_page(const struct book3s_inval_ops *ops, uint64_t vpn, unsigned shift)
{
	if (ops && ops->page)
		ops->page(ops->opaque, vpn & BOOK3S_INVAL_VPN_MASK & ~((1ULL << (shift - 12)) - 1),
			  shift);
}

void book3s_inval_segment(const struct book3s_inval_ops *ops, uint64_t ea, unsigned seg_shift)
{
	if (ops && ops->segment)
		ops->segment(ops->opaque, ea, seg_shift);
}

void book3s_inval_all(const struct book3s_inval_ops *ops)
{
	if (ops && ops->all)
		ops->all(ops->opaque);
}

/* RB (ISA 2.07 tlbie): L = bit 63. L=0: VA[14:65] in 0:51 and AP (the actual size of a 4 KiB
 * base page) in 56:58. L=1: VA in 0:43 with LP (and more VA) in 44:51, whose low nibble is
 * 0001 for 64 KiB pages; 16 MiB otherwise. B in 54:55 does not narrow what is dropped. */
void book3s_tlbie(const struct book3s_inval_ops *ops, uint64_t rb)
{
	unsigned shift;

	if (!(rb & 1)) {
		unsigned ap = (unsigned)(rb >> 5) & 7;

		shift = ap == 5 ? 16 : ap == 4 ? 24 : 12; /* AP is the actual size's L||LP */
	} else {
		shift = ((rb >> 12) & 0xf) == 1 ? 16 : 24;
	}
	book3s_inval_page(ops, rb >> 12, shift);
}

/* tlbiel: IS (RB 52:53) = 0 is one page as tlbie; the others drop a congruence class or the
 * whole TLB (Linux's tlbiel_all loops over the classes with IS=3): everything, then. */
void book3s_tlbiel(const struct book3s_inval_ops *ops, uint64_t rb)
{
	if ((rb >> 10) & 3)
		book3s_inval_all(ops);
	else
		book3s_tlbie(ops, rb);
}

/* An HPTE holds VA bits 0:54 (AVA); the bits down to the page come from its PTEG index, which
 * is the hash (or its complement): the low 11 bits of the page index within the segment are
 * those of the hash XOR the VSID's (Linux's compute_tlbie_rb reasons the same way). */
void book3s_inval_hpte(const struct book3s_inval_ops *ops, uint64_t v, uint64_t r, uint64_t ptex)
{
	unsigned base, actual, seg = v & HPTE_V_1TB_SEG ? SID_SHIFT_1T : SID_SHIFT;
	uint64_t ava = (v & HPTE_V_AVPN) >> HPTE_V_AVPN_SHIFT;
	uint64_t group = ptex / HPTES_PER_GROUP;
	uint64_t vsid = ava >> (seg - 23), low;

	/* An entry no translation can match left nothing behind. */
	if (!book3s_hpte_page_shifts(v, r, &base, &actual))
		return;
	if (v & HPTE_V_SECONDARY)
		group = ~group;
	low = (group ^ vsid) & 0x7ff;
	book3s_inval_page(ops, ava << 11 | ((low << (base - 12)) & 0x7ff), actual);
}
