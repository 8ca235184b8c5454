// SPDX-License-Identifier: MIT
/* The 440's 64-entry unified guest TLB and the shadow TLB refills it feeds (the seeds'
 * 44x_tlb.c).
 *
 * Entries hold the three words tlbwe writes (mmu-44x.h) and the TID it took from
 * MMUCR[STID]. An entry of size 1 KiB << 2*SIZE translates an address when it is valid,
 * its TS equals the access's address space (MSR[IS] for fetches, MSR[DS] for data), its
 * TID is 0 or the PID, and the address falls in its page. Several matching entries are a
 * guest error on a 440; the lowest index wins here (QEMU does the same).
 *
 * A shadow-TLB miss looks the address up: found and permitted, the 4 KiB piece of the
 * page that holds the address is mapped in the shadow TLB (tagged with the entry's index,
 * so a tlbwe that changes the entry removes exactly what it backed); found and not
 * permitted, the guest gets a data/instruction storage interrupt; not found, a TLB miss
 * interrupt. Addresses outside RAM become MMIO exits (data) or machine checks (fetch).
 *
 * A little-endian entry (E=1) fills shadow entries with SHADOW_ATTR_LE: the core reverses
 * its RAM accesses and decodes its code little-endian; its MMIO is reversed by mmio.c.
 *
 * Limits: the shadow granule is 4 KiB, so a 1 KiB page maps its whole 4 KiB frame (and
 * must sit at the same offset in it as its virtual address).
 */
#include <errno.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "booke.h"

/* A lookup key packs what an entry matches on into 32 bits: the EPN (bits 10-31, at
 * least 1 KiB pages), V, TS and the TID in the bits below, where the EPN has none. */
#define KEY_VALID 0x200u
#define KEY_TS 0x100u
#define KEY_TID 0xffu

/* Bytes an entry maps: 1 KiB << 2*SIZE (the 440 defines SIZE 0-5, 7 and 9; others are
 * taken at face value, as QEMU does, up to the whole address space). */
static uint64_t tlbe_bytes(uint32_t word0)
{
	return 1024ull << (2 * ((word0 & PPC44x_TLB_SIZE_MASK) >> PPC44x_TLB_SIZE_SHIFT));
}

static uint32_t page_mask(uint64_t bytes)
{
	return bytes >= (1ull << 32) ? 0 : (uint32_t) ~(bytes - 1);
}

/* The guest-physical address entry e maps ea to (the seeds' tlb_xlate). */
static uint64_t tlbe_xlate(const struct ppc440_tlbe *e, uint32_t ea)
{
	uint64_t bytes = tlbe_bytes(e->word0);
	uint64_t rpn = ((uint64_t)(e->word1 & PPC44x_TLB_ERPN_MASK) << 32) |
		       (e->word1 & PPC44x_TLB_RPN_MASK);

	return (rpn & ~(bytes - 1)) | (ea & (bytes - 1));
}

static void update_key(struct skvm_vcpu *vcpu, unsigned i)
{
	const struct ppc440_tlbe *e = &vcpu->tlb[i];
	uint32_t pm = page_mask(tlbe_bytes(e->word0));
	uint32_t key = (e->word0 & pm) | (e->word0 & (PPC44x_TLB_VALID | PPC44x_TLB_TS)) | e->tid;

	vcpu->tlb_keys.key[i] = key;
	vcpu->tlb_keys.mask[i] = pm | KEY_VALID | KEY_TS | (e->tid ? KEY_TID : 0);
}

int ppc440_tlb_lookup(const struct skvm_vcpu *vcpu, uint32_t ea, uint32_t pid, unsigned ts)
{
	const struct ppc440_tlb_keys *k = &vcpu->tlb_keys;
	uint32_t q = (ea & PPC44x_TLB_EPN_MASK) | KEY_VALID | (ts ? KEY_TS : 0) | (pid & KEY_TID);

#ifdef __SSE2__
	/* four entries per compare: a miss (the common case in a TLB-miss storm) reads all */
	const __m128i qv = _mm_set1_epi32((int)q), zero = _mm_setzero_si128();
	for (unsigned i = 0; i < PPC440_TLB_ENTRIES; i += 4) {
		__m128i x = _mm_xor_si128(qv, _mm_loadu_si128((const __m128i *)&k->key[i]));
		x = _mm_and_si128(x, _mm_loadu_si128((const __m128i *)&k->mask[i]));
		int m = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(x, zero)));
		if (m)
			return (int)i + __builtin_ctz((unsigned)m);
	}
#else
	for (unsigned i = 0; i < PPC440_TLB_ENTRIES; i++)
		if (((q ^ k->key[i]) & k->mask[i]) == 0)
			return (int)i;
#endif
	return -1;
}

/* Drop the shadow entries a valid entry backed. */
static void invalidate_shadow(struct skvm_vcpu *vcpu, unsigned i, const struct ppc440_tlbe *old)
{
	uint64_t bytes = tlbe_bytes(old->word0);
	uint32_t va = old->word0 & page_mask(bytes);

	if (!(old->word0 & PPC44x_TLB_VALID))
		return;
	/* beyond 16 MiB the shadow TLB is scanned whole anyway */
	if (bytes > (1ull << 31))
		bytes = 1ull << 31;
	cpu_shadow_invalidate_gtlb(&vcpu->cpu, i, va, (uint32_t)bytes);
}

static void replace(struct skvm_vcpu *vcpu, unsigned i, const struct ppc440_tlbe *n)
{
	struct ppc440_tlbe *e = &vcpu->tlb[i];

	if (e->word0 == n->word0 && e->word1 == n->word1 && e->word2 == n->word2 &&
	    e->tid == n->tid)
		return;
	invalidate_shadow(vcpu, i, e);
	*e = *n;
	update_key(vcpu, i);
}

void ppc440_tlb_reset(struct skvm_vcpu *vcpu)
{
	for (unsigned i = 0; i < PPC440_TLB_ENTRIES; i++) {
		vcpu->tlb[i] = (struct ppc440_tlbe){0};
		update_key(vcpu, i);
	}
	cpu_shadow_flush(&vcpu->cpu);
}

int ppc440_tlb_write_entry(struct skvm_vcpu *vcpu, unsigned index, const struct ppc440_tlbe *e)
{
	struct ppc440_tlbe n;

	if (index >= PPC440_TLB_ENTRIES)
		return -EINVAL;
	n = (struct ppc440_tlbe){.word0 = e->word0 & PPC44x_TLB_WORD0_MASK,
				 .word1 = e->word1 & PPC44x_TLB_WORD1_MASK,
				 .word2 = e->word2 & PPC44x_TLB_WORD2_MASK,
				 .tid = e->tid};
	replace(vcpu, index, &n);
	return 0;
}

void ppc440_tlbwe(struct skvm_vcpu *vcpu, unsigned index, unsigned ws, uint32_t val)
{
	struct ppc440_tlbe *e = &vcpu->tlb[index];
	uint32_t w;
	uint8_t tid;

	switch (ws) {
	case 0:
		w = val & PPC44x_TLB_WORD0_MASK;
		tid = (uint8_t)(vcpu->mmucr & PPC44x_MMUCR_STID);
		if (w == e->word0 && tid == e->tid)
			return;
		invalidate_shadow(vcpu, index, e);
		e->word0 = w;
		e->tid = tid;
		update_key(vcpu, index);
		return;
	case 1:
		w = val & PPC44x_TLB_WORD1_MASK;
		if (w == e->word1)
			return;
		invalidate_shadow(vcpu, index, e);
		e->word1 = w;
		return;
	default:
		w = val & PPC44x_TLB_WORD2_MASK;
		if (w == e->word2)
			return;
		invalidate_shadow(vcpu, index, e);
		e->word2 = w;
		return;
	}
}

uint32_t ppc440_tlbre(struct skvm_vcpu *vcpu, unsigned index, unsigned ws)
{
	const struct ppc440_tlbe *e = &vcpu->tlb[index];

	switch (ws) {
	case 0:
		vcpu->mmucr = (vcpu->mmucr & ~PPC44x_MMUCR_STID) | e->tid;
		return e->word0;
	case 1:
		return e->word1;
	default:
		return e->word2;
	}
}

int ppc440_tlbsx(struct skvm_vcpu *vcpu, uint32_t ea)
{
	return ppc440_tlb_lookup(vcpu, ea, vcpu->mmucr & PPC44x_MMUCR_STID,
				 (vcpu->mmucr & PPC44x_MMUCR_STS) ? 1 : 0);
}

/* KVM_TRANSLATE as Linux's 44x does it (kvmppc_core_vcpu_translate): linear_address encodes
 * AS | PID | EA, so the caller names the context; the guest TLB's lowest matching entry
 * gives the physical address, whatever its permissions. */
static int vcpu_translate(struct skvm_vcpu *vcpu, struct skvm_translation *tr)
{
	uint32_t ea = (uint32_t)tr->linear_address;
	uint32_t pid = (uint32_t)(tr->linear_address >> 32) & 0xff;
	unsigned as = (unsigned)(tr->linear_address >> 40) & 1;
	int i = ppc440_tlb_lookup(vcpu, ea, pid, as);

	tr->valid = 0;
	tr->writeable = 0;
	tr->usermode = 0;
	tr->physical_address = 0;
	if (i < 0)
		return 0;
	tr->physical_address = tlbe_xlate(&vcpu->tlb[i], ea);
	tr->valid = 1;
	return 0;
}

int skvm_vcpu_translate(struct skvm_vcpu *vcpu, struct skvm_translation *tr)
{
	KVM_VCPU_CALL(vcpu, vcpu->pr ? book3s_pr_translate(vcpu->pr, tr) : vcpu_translate(vcpu, tr));
}

/* ---- shadow refills ---- */

static unsigned perm_of(uint32_t word2, bool user)
{
	unsigned p = 0;

	if (user) {
		if (word2 & PPC44x_TLB_UR)
			p |= SHADOW_PERM_R;
		if (word2 & PPC44x_TLB_UW)
			p |= SHADOW_PERM_W;
		if (word2 & PPC44x_TLB_UX)
			p |= SHADOW_PERM_X;
	} else {
		if (word2 & PPC44x_TLB_SR)
			p |= SHADOW_PERM_R;
		if (word2 & PPC44x_TLB_SW)
			p |= SHADOW_PERM_W;
		if (word2 & PPC44x_TLB_SX)
			p |= SHADOW_PERM_X;
	}
	return p;
}

static unsigned needed_perm(enum cpu_access acc)
{
	return acc == CPU_ACCESS_EXEC ? SHADOW_PERM_X
	       : acc == CPU_ACCESS_WRITE ? SHADOW_PERM_W
					 : SHADOW_PERM_R;
}

/* A guest TLB miss (no entry: DTLB/ITLB miss interrupt) or a permission violation (DSI/
 * ISI): the guest takes the interrupt for a fetch (no ESR/DEAR change) or for a data
 * access (ESR[ST] for a store, DEAR = ea). */
static enum cpu_resume storage_fault(struct skvm_vcpu *vcpu, const struct cpu_trap *t, bool miss)
{
	bool fetch = t->access == CPU_ACCESS_EXEC;

	vcpu->cpu.pc = t->pc;
	if (fetch) {
		kvm_set_exit_type(vcpu, miss ? SKVM_EXITS_ITLB_REAL_MISS : SKVM_EXITS_ISI);
		kvmppc_deliver_exception(
			vcpu, miss ? BOOKE_IRQPRIO_ITLB_MISS : BOOKE_IRQPRIO_INST_STORAGE, 0, 0);
	} else {
		kvm_set_exit_type(vcpu, miss ? SKVM_EXITS_DTLB_REAL_MISS : SKVM_EXITS_DSI);
		kvmppc_deliver_exception(
			vcpu, miss ? BOOKE_IRQPRIO_DTLB_MISS : BOOKE_IRQPRIO_DATA_STORAGE,
			t->access == CPU_ACCESS_WRITE ? CPU_ESR_ST : 0, t->ea);
	}
	return CPU_RESUME_REFETCH;
}

/* A fetch from an address that is not RAM: the bus errors, a machine check. */
static enum cpu_resume fetch_error(struct skvm_vcpu *vcpu, const struct cpu_trap *t)
{
	kvm_set_exit_type(vcpu, SKVM_EXITS_ISI);
	if (!booke_machine_check(vcpu, t->pc, MCSR_MCS | MCSR_IB, ESR_MCI))
		return CPU_RESUME_STOP;
	return CPU_RESUME_REFETCH;
}

enum cpu_resume ppc440_handle_tlb_miss(struct skvm_vcpu *vcpu, struct cpu_trap *t)
{
	struct cpu *c = &vcpu->cpu;
	bool fetch = t->access == CPU_ACCESS_EXEC, write = t->access == CPU_ACCESS_WRITE;
	uint32_t msr = kvmppc_get_msr(vcpu), ea = t->ea;
	unsigned ts = (msr & (fetch ? PPC_MSR_IS : PPC_MSR_DS)) ? 1 : 0;

	/* the magic page comes first, whatever the guest TLB says there (as KVM) */
	if (unlikely(vcpu->magic_mapped) && kvmppc_map_magic(vcpu, ea, t->access)) {
		kvm_set_exit_type(vcpu, SKVM_EXITS_DTLB_VIRT_MISS);
		return CPU_RESUME_RETRY;
	}

	int i = ppc440_tlb_lookup(vcpu, ea, vcpu->pid, ts);
	if (i < 0)
		return storage_fault(vcpu, t, true);

	const struct ppc440_tlbe *e = &vcpu->tlb[i];
	unsigned perm = perm_of(e->word2, (msr & PPC_MSR_PR) != 0);
	if (!(perm & needed_perm(t->access)))
		return storage_fault(vcpu, t, false);

	uint64_t gpa = tlbe_xlate(e, ea);

	if ((gpa ^ ea) & (SHADOW_PAGE_SIZE - 1)) {
		/* a 1 KiB page off its 4 KiB frame's offset */
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		return CPU_RESUME_STOP;
	}

	bool le = (e->word2 & PPC44x_TLB_E) != 0;
	uint64_t gpa_page = gpa & ~(uint64_t)(SHADOW_PAGE_SIZE - 1);
	struct kvm_memslot *slot = kvm_gpa_to_slot(vcpu->vm, gpa_page);
	if (!slot || (write && (slot->flags & SKVM_MEM_READONLY))) {
		if (fetch)
			return fetch_error(vcpu, t);
		return kvm_mmio_access(vcpu, t, gpa, le);
	}
	if (le)
		perm |= SHADOW_ATTR_LE;

	uint8_t *host = kvm_gpa_to_host(vcpu->vm, gpa_page, false);
	uint32_t ppn = (uint32_t)(gpa >> SHADOW_PAGE_SHIFT);
	/* The store goes through: the page's decoded code (if any) is stale from now on, and
	 * the fill would withhold W while it is cached. */
	if (write && cpu_code_cache_has_page(c->code, ppn))
		cpu_code_cache_invalidate(c->code, ppn);
	if (unlikely(vcpu->watch.active)) {
		enum cpu_resume r;

		if (kvmppc_debug_access(vcpu, t, &r))
			return r;
		perm &= ~kvmppc_debug_withheld(vcpu, ea);
	}
	perm = kvm_slot_shadow_perm(slot, gpa, perm, t->access);
	/* Code in the magic page's virtual page: a fill for the fetch must not let the
	 * guest's own mapping stand in for the magic page on its data side. */
	if (fetch && vcpu->magic_mapped && (ea & SHADOW_PAGE_MASK) == vcpu->magic_page_ea &&
	    !(msr & PPC_MSR_PR))
		perm &= ~(SHADOW_PERM_R | SHADOW_PERM_W);
	cpu_shadow_fill(c, t->access, ea & SHADOW_PAGE_MASK, host, ppn, perm, (unsigned)i);
	kvm_set_exit_type(vcpu, fetch ? SKVM_EXITS_ITLB_VIRT_MISS : SKVM_EXITS_DTLB_VIRT_MISS);
	return CPU_RESUME_RETRY;
}
