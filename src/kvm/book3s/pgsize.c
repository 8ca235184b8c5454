// SPDX-License-Identifier: MIT
/* Page sizes of the POWER8 hash MMU: a segment's base page size from its SLB entry (L||LP),
 * an HPTE's base and actual page size from its L bit and LP field, and what
 * KVM_PPC_GET_SMMU_INFO reports. The encodings are POWER8's ibm,segment-page-sizes (the ones
 * Linux's kvmppc_hpte_page_shifts knows), limited to 4 KiB, 64 KiB and 16 MiB: 16 GiB pages
 * need memory a PR guest is never given. */
#include <string.h>

#include "kvm/book3s/mmu_ops.h"

unsigned book3s_slb_base_shift(uint64_t rs)
{
	if (!(rs & SLB_VSID_L))
		return 12;
	switch (rs & SLB_VSID_LP) {
	case SLB_VSID_LP_00:
		return 24;
	case SLB_VSID_LP_01:
		return 16;
	}
	return 0;
}

bool book3s_hpte_page_shifts(uint64_t v, uint64_t r, unsigned *base, unsigned *actual)
{
	/* The LP field is the low 8 bits of the RPN; only those below the actual page size are
	 * page-size bits (the rest address the page), so the low nibble decides first. */
	unsigned lp = (unsigned)((r & HPTE_R_LP) >> HPTE_R_LP_SHIFT);

	if (!(v & HPTE_V_LARGE)) {
		*base = *actual = 12;
		return true;
	}
	switch (lp & 0xf) {
	case 0x0: /* 16 MiB in a 16 MiB segment */
		if (lp)
			return false;
		*base = *actual = 24;
		return true;
	case 0x1: /* 64 KiB in 64 KiB */
		*base = *actual = 16;
		return true;
	case 0x7: /* 64 KiB in a 4 KiB segment */
		*base = 12;
		*actual = 16;
		return true;
	case 0x8:
		if (lp == 0x08) { /* 16 MiB in a 64 KiB segment */
			*base = 16;
			*actual = 24;
			return true;
		}
		if (lp == 0x38) { /* 16 MiB in a 4 KiB segment */
			*base = 12;
			*actual = 24;
			return true;
		}
		return false;
	}
	return false;
}

void book3s_smmu_info_power8(struct skvm_ppc_smmu_info *info)
{
	memset(info, 0, sizeof(*info));
	/* KVM PR offers 1 TiB segments with 64 KiB pages (BOOK3S_HFLAG_MULTI_PGSIZE). It reports
	 * a 64-entry SLB for every 64-bit core; a POWER8 has 32, and that is what the core
	 * implements, so a VMM's ibm,slb-size never names entries slbmte would drop. */
	info->flags = SKVM_PPC_1T_SEGMENTS;
	info->slb_size = BOOK3S_SLB_POWER8;
	info->sps[0].page_shift = 12;
	info->sps[0].slb_enc = 0;
	info->sps[0].enc[0].page_shift = 12;
	info->sps[0].enc[0].pte_enc = 0;
	info->sps[1].page_shift = 16;
	info->sps[1].slb_enc = SLB_VSID_L | SLB_VSID_LP_01;
	info->sps[1].enc[0].page_shift = 16;
	info->sps[1].enc[0].pte_enc = 1;
	info->sps[2].page_shift = 24;
	info->sps[2].slb_enc = SLB_VSID_L;
	info->sps[2].enc[0].page_shift = 24;
	info->sps[2].enc[0].pte_enc = 0;
}
