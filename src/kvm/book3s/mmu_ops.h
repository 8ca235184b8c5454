/* SPDX-License-Identifier: MIT */
/* The Book3S-64 hash MMU of a POWER8 guest, as the Book3S PR hypervisor emulates it (the seeds'
 * book3s_64_mmu.c and book3s_pr_papr.c): the SLB of each vcpu, the hashed page table the guest
 * edits through PAPR hypercalls, effective-to-real translation with the storage interrupts it
 * raises, and the invalidations a shadow of its translations needs.
 *
 * Who owns what:
 *   struct book3s_slb   per vcpu, touched only by its own thread (slb.c);
 *   struct book3s_hpt   per VM, a window on the table the VMM allocated and named by SDR1
 *                       (hpt.c); every vcpu translates through it and edits it by hcalls
 *                       (papr_hpt.c) at the same time: see hpt.c for the locking;
 *   book3s_inval_ops    the shadow translations' owner, told exactly what each slbie, slbia,
 *                       slbmte, tlbie(l) and hcall changed (tlbie.c).
 * Nothing here allocates or knows a VM: the PR hypervisor wires it to vcpus. */
#ifndef SOFTKVM_BOOK3S_MMU_OPS_H
#define SOFTKVM_BOOK3S_MMU_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <softkvm/ppc.h>

#include "kvm/book3s/mmu_bits.h"

/* ---- invalidation (tlbie.c) ---- */

/* What a shadow of translations must drop. vpn is a virtual page number (virtual address
 * >> 12) of which only the low 52 bits count (a tlbie's RB carries no more): drop every
 * translation whose vpn, masked with BOOK3S_INVAL_VPN_MASK, lies in the 2^shift-byte page
 * that starts at vpn. segment(): every translation of effective addresses in [ea, ea +
 * 2^seg_shift). all(): everything. Any callback may be NULL; dropping more is always
 * correct. They run with no HPT entry locked (an implementation may wait for other vcpus). */
#define BOOK3S_INVAL_VPN_MASK ((1ULL << 52) - 1)
struct book3s_inval_ops {
	void *opaque;
	void (*page)(void *opaque, uint64_t vpn, unsigned shift);
	void (*segment)(void *opaque, uint64_t ea, unsigned seg_shift);
	void (*all)(void *opaque);
};

void book3s_inval_page(const struct book3s_inval_ops *ops, uint64_t vpn, unsigned shift);
void book3s_inval_segment(const struct book3s_inval_ops *ops, uint64_t ea, unsigned seg_shift);
void book3s_inval_all(const struct book3s_inval_ops *ops);
/* tlbie RB,RS / tlbiel RB as POWER8 defines RB (L, AP or LP, B; tlbiel's IS). */
void book3s_tlbie(const struct book3s_inval_ops *ops, uint64_t rb);
void book3s_tlbiel(const struct book3s_inval_ops *ops, uint64_t rb);
/* The page an HPTE (v, r) at index ptex maps, as hcalls that change it invalidate it. */
void book3s_inval_hpte(const struct book3s_inval_ops *ops, uint64_t v, uint64_t r, uint64_t ptex);

/* ---- page sizes (pgsize.c) ---- */

/* The base page shift of a segment from slbmte's RS (L||LP): 12, 16, 24; 0 for an encoding
 * POWER8 lacks. */
unsigned book3s_slb_base_shift(uint64_t rs);
/* Base and actual page shift of an HPTE from its L bit and LP field, the POWER8 set of 4 KiB,
 * 64 KiB and 16 MiB pages including mixed sizes (MPSS); false for anything else. */
bool book3s_hpte_page_shifts(uint64_t v, uint64_t r, unsigned *base, unsigned *actual);
/* KVM_PPC_GET_SMMU_INFO for a POWER8, as KVM PR reports it (but with the core's SLB size). */
void book3s_smmu_info_power8(struct skvm_ppc_smmu_info *info);

/* ---- SLB (slb.c) ---- */

#define BOOK3S_SLB_MAX 64
#define BOOK3S_SLB_POWER8 32

struct book3s_slbe {
	uint64_t esid_word; /* slbmte's RB: ESID | V (slbmfee reads it back) */
	uint64_t vsid_word; /* slbmte's RS, its defined fields (slbmfev, slbfee. read it back) */
	uint64_t esid;      /* effective address >> seg_shift */
	uint64_t vsid;      /* within the implemented virtual address */
	uint8_t seg_shift;  /* 28 or 40 */
	uint8_t base_shift; /* 12, 16 or 24; 0: no HPTE ever matches */
	bool valid;         /* V and a segment size that exists: translations look at it */
};

struct book3s_slb {
	unsigned nr;
	struct book3s_slbe e[BOOK3S_SLB_MAX];
};

void book3s_slb_init(struct book3s_slb *slb, unsigned nr);
/* slbmte RS,RB: false (and nothing changes) when RB's index is beyond the SLB. */
bool book3s_slbmte(struct book3s_slb *slb, uint64_t rs, uint64_t rb,
		   const struct book3s_inval_ops *inval);
uint64_t book3s_slbmfee(const struct book3s_slb *slb, uint64_t rb);
uint64_t book3s_slbmfev(const struct book3s_slb *slb, uint64_t rb);
void book3s_slbie(struct book3s_slb *slb, uint64_t rb, const struct book3s_inval_ops *inval);
void book3s_slbia(struct book3s_slb *slb, const struct book3s_inval_ops *inval);
/* mtsrin RS,RB: segment register RB[32:35] as the SLB entry of that index (ISA 2.01 on a
 * 64-bit core, as KVM PR emulates it). */
void book3s_mtsrin(struct book3s_slb *slb, uint64_t rs, uint64_t rb,
		   const struct book3s_inval_ops *inval);
/* slbfee. RT,RB: true (CR0[EQ]) and *rt the entry's RS-form word when RB's EA has a segment. */
bool book3s_slbfee(const struct book3s_slb *slb, uint64_t rb, uint64_t *rt);
const struct book3s_slbe *book3s_slb_find(const struct book3s_slb *slb, uint64_t ea);

/* ---- the hashed page table (hpt.c) ---- */

struct book3s_hpt {
	uint8_t *base;     /* host address of HTABORG; NULL: no table */
	uint64_t sdr1;
	uint64_t nptegs;   /* 2^(11 + HTABSIZE) */
	uint64_t bytes;
	uint64_t inval_seq; /* bumped (atomically) before each hcall's invalidation */
};

struct book3s_hpte {
	uint64_t v, r; /* host byte order; the table itself is big-endian */
};

/* Names the table by SDR1 as KVM PR does for a PAPR guest: HTABORG is the host address of the
 * table, which must lie with its 2^(18 + HTABSIZE) bytes inside the caller's [region, region +
 * len). Clears stale lock bits. -1 when it does not fit or HTABSIZE > 28. Not concurrent with
 * anything else on the table. The region must not be guest RAM (a PAPR guest reaches its
 * table only through hcalls): a guest that could store to it could leave an entry locked
 * and every vcpu translating through that PTEG would wait for it. */
int book3s_hpt_bind(struct book3s_hpt *hpt, uint64_t sdr1, void *region, size_t len);
static inline uint64_t book3s_hpt_nptes(const struct book3s_hpt *hpt)
{
	return hpt->base ? hpt->nptegs * HPTES_PER_GROUP : 0;
}
/* The 39-bit primary hash of ea in segment s (the secondary one is its complement). */
uint64_t book3s_hpt_hash(const struct book3s_slbe *s, uint64_t ea);
/* Virtual page number (VA >> 12) of ea in segment s. */
uint64_t book3s_va_vpn(const struct book3s_slbe *s, uint64_t ea);

/* Entry access; ptex < book3s_hpt_nptes() is the caller's to check. */
struct book3s_hpte book3s_hpte_read(const struct book3s_hpt *hpt, uint64_t ptex);
uint64_t book3s_hpte_lock(const struct book3s_hpt *hpt, uint64_t ptex);
bool book3s_hpte_trylock_free(const struct book3s_hpt *hpt, uint64_t ptex);
uint64_t book3s_hpte_locked_r(const struct book3s_hpt *hpt, uint64_t ptex);
void book3s_hpte_set_locked_r(const struct book3s_hpt *hpt, uint64_t ptex, uint64_t r);
void book3s_hpte_unlock(const struct book3s_hpt *hpt, uint64_t ptex, uint64_t v);
uint64_t book3s_hpt_inval_seq(const struct book3s_hpt *hpt);
void book3s_hpt_inval_begin(struct book3s_hpt *hpt);

struct book3s_hpt_hit {
	uint64_t ptex;
	struct book3s_hpte e;
	unsigned shift; /* actual page shift */
};
/* Searches the primary, then the secondary PTEG for the entry translating ea in segment s. */
bool book3s_hpt_find(const struct book3s_hpt *hpt, const struct book3s_slbe *s, uint64_t ea,
		     struct book3s_hpt_hit *hit);
/* Sets R/C bits in the entry hit found, if it is still what it was; false if it changed
 * (search again). */
bool book3s_hpt_set_rc(const struct book3s_hpt *hpt, const struct book3s_hpt_hit *hit,
		       uint64_t bits);

/* ---- translation (xlate.c) ---- */

/* BOOK3S_PROBE: a debugger's look at what a load would reach (MSR[DR]'s context): no
 * protection checked, no R or C recorded; its failures are a load's. */
enum book3s_access { BOOK3S_LOAD, BOOK3S_STORE, BOOK3S_FETCH, BOOK3S_PROBE };

struct book3s_mmu_ctx {
	const struct book3s_slb *slb;
	const struct book3s_hpt *hpt;
	uint64_t msr;       /* PR, IR, DR */
	uint64_t amr, iamr; /* virtual page class key masks */
	uint64_t rma_size;  /* real mode reaches [0, rma_size) */
};

#define BOOK3S_PROT_READ 1u
#define BOOK3S_PROT_WRITE 2u /* only once C is set: a shadow may then store freely */
#define BOOK3S_PROT_EXEC 4u

struct book3s_xlate {
	uint64_t ra;
	uint64_t vpn;        /* VA >> 12 (0 in real mode) */
	uint64_t ptex;       /* the HPTE used */
	uint64_t inval_seq;  /* book3s_hpt_inval_seq() before the search */
	unsigned page_shift; /* actual page size; 12 in real mode */
	unsigned wimg;
	unsigned prot;       /* what this MSR[PR] may do on the page without a new xlate */
	bool real;
};

struct book3s_fault {
	unsigned vector; /* BOOK3S_VEC_DSI, _DSEG, _ISI, _ISEG */
	uint64_t dar;    /* data interrupts: the EA */
	uint64_t dsisr;  /* DSI only */
	uint64_t srr1;   /* ISI only: bits 33:36 and 42 */
};

/* 0: *x holds the translation (R and C updated). 1: *f holds the interrupt to deliver. */
int book3s_xlate(const struct book3s_mmu_ctx *m, uint64_t ea, enum book3s_access acc,
		 struct book3s_xlate *x, struct book3s_fault *f);

/* ---- PAPR page-table hypercalls (papr_hpt.c) ---- */

struct book3s_papr_hpt {
	struct book3s_hpt *hpt;
	const struct book3s_inval_ops *inval; /* every vcpu's shadows */
	/* H_ZERO_PAGE: host address of guest RAM [gpa, gpa + len), or NULL (not RAM: no zeroing) */
	void *(*guest_ram)(void *opaque, uint64_t gpa, uint64_t len);
	/* the host wrote guest RAM (decoded code there is stale); may be NULL */
	void (*ram_written)(void *opaque, uint64_t gpa, uint64_t len);
	void *opaque;
};

long book3s_h_enter(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		    uint64_t pteh, uint64_t ptel, uint64_t *ptex_out);
long book3s_h_remove(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		     uint64_t avpn, uint64_t out[2]);
long book3s_h_bulk_remove(const struct book3s_papr_hpt *p, uint64_t args[8]);
long book3s_h_protect(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		      uint64_t avpn);
long book3s_h_read(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
		   uint64_t out[8]);
long book3s_h_clear_ref(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
			uint64_t *old_r);
long book3s_h_clear_mod(const struct book3s_papr_hpt *p, uint64_t flags, uint64_t ptex,
			uint64_t *old_r);
/* Decodes the hcall in gpr[3] with arguments gpr[4..11]: true when it is one of the above
 * (gpr[3] the return code, outputs from gpr[4]); false leaves gpr untouched. */
bool book3s_papr_hpt_hcall(const struct book3s_papr_hpt *p, uint64_t gpr[32]);

#endif
