// SPDX-License-Identifier: MIT
/* The PR guest's translations on the 64-bit core (book3s_64_mmu.c and book3s_mmu_hpte.c in
 * the seeds). The core translates through its shadow TLB of 4 KiB host pages; a miss runs
 * the guest's own translation (kvm/book3s/xlate.c: real mode, or SLB then HPT) and fills
 * one shadow entry, or gives the guest the storage interrupt the translation failed with.
 *
 * Each fill records which virtual page and effective page it came from (pr_stags.h), so that
 * slbie, tlbie and the HPT hypercalls drop exactly the entries they must: an entry is
 * dropped by cpu_shadow_invalidate_gtlb with the gidx every translated fill carries.
 * Real-mode entries (PR_GIDX_REAL) depend on nothing the guest's MMU changes. */
#include "kvm/book3s/pr_vcpu.h"

/* PAPR's real mode area is the guest's memory; what is not RAM there is MMIO. */
#define PR_RMA_SIZE (1ULL << 60)

struct book3s_mmu_ctx pr_mmu_ctx(const struct book3s_pr_vcpu *v)
{
	return (struct book3s_mmu_ctx){
		.slb = &v->slb,
		.hpt = &v->pvm->hpt,
		.msr = v->msr,
		.amr = v->amr,
		.iamr = v->iamr,
		.rma_size = PR_RMA_SIZE,
	};
}

static void drop_ea(void *opaque, uint64_t ea)
{
	struct book3s_pr_vcpu *v = opaque;

	cpu_shadow_invalidate_gtlb(&v->cpu, PR_GIDX_XLATE, ea, SHADOW_PAGE_SIZE);
}

static void drop_slot(struct book3s_pr_vcpu *v, unsigned i)
{
	pr_stags_forget(&v->stags, i);
	drop_ea(v, v->stags.tag[i].ea);
}

static void drop_if_vpn(struct book3s_pr_vcpu *v, unsigned i, uint64_t want, unsigned drop)
{
	if (pr_stags_used(&v->stags, i) &&
	    ((v->stags.tag[i].vpn & BOOK3S_INVAL_VPN_MASK) >> drop) == want)
		drop_slot(v, i);
}

/* A translation of virtual page vpn can only be in the slot of its effective page, and an
 * effective address's offset in its segment (256 MiB or 1 TiB) is the virtual address's: the
 * slot index, the effective page's low SHADOW_TLB_BITS bits, is the vpn's, whatever segment
 * (or segments, aliased) it was reached through. So a page's slots are known without
 * looking anything up; a page that covers the whole shadow (16 MiB) is looked for in every
 * slot. */
_Static_assert(SHADOW_PAGE_SHIFT + SHADOW_TLB_BITS <= SID_SHIFT,
	       "a shadow slot's index lies within a segment's offset");

static void inval_page(void *opaque, uint64_t vpn, unsigned shift)
{
	struct book3s_pr_vcpu *v = opaque;
	unsigned drop = shift > 12 ? shift - 12 : 0;
	uint64_t want = (vpn & BOOK3S_INVAL_VPN_MASK) >> drop;

	if (drop >= SHADOW_TLB_BITS) {
		for (unsigned i = 0; i < SHADOW_TLB_SIZE; i++)
			drop_if_vpn(v, i, want, drop);
		return;
	}
	for (uint64_t p = vpn >> drop << drop; p < (vpn >> drop << drop) + (1ULL << drop); p++)
		drop_if_vpn(v, (unsigned)(p & (SHADOW_TLB_SIZE - 1)), want, drop);
}

/* Drops the used slots whose effective page is in the segment of ea, visiting only the
 * slots of its bucket (pr_stags.h). */
static void inval_segment(void *opaque, uint64_t ea, unsigned seg_shift)
{
	struct book3s_pr_vcpu *v = opaque;

	pr_stags_drop_segment(&v->stags, ea, seg_shift, drop_ea, v);
}

static void inval_all(void *opaque)
{
	inval_segment(opaque, 0, 64);
}

void pr_shadow_flush(struct book3s_pr_vcpu *v)
{
	cpu_shadow_flush(&v->cpu);
	pr_stags_clear(&v->stags);
}

static void vm_inval_page(void *opaque, uint64_t vpn, unsigned shift);
static void vm_inval_segment(void *opaque, uint64_t ea, unsigned seg_shift);
static void vm_inval_all(void *opaque);
static void *papr_guest_ram(void *opaque, uint64_t gpa, uint64_t len);
static void papr_ram_written(void *opaque, uint64_t gpa, uint64_t len);

void pr_mmu_init(struct book3s_pr_vcpu *v)
{
	v->inval = (struct book3s_inval_ops){
		.opaque = v, .page = inval_page, .segment = inval_segment, .all = inval_all};
	v->vm_inval = (struct book3s_inval_ops){.opaque = v,
						.page = vm_inval_page,
						.segment = vm_inval_segment,
						.all = vm_inval_all};
	v->papr = (struct book3s_papr_hpt){.hpt = &v->pvm->hpt,
					   .inval = &v->vm_inval,
					   .guest_ram = papr_guest_ram,
					   .ram_written = papr_ram_written,
					   .opaque = v};
	book3s_slb_init(&v->slb, BOOK3S_SLB_POWER8);
}

/* ---- invalidation across vcpus ----
 * tlbie and the HPT hcalls drop translations in every vcpu's shadow before the instruction
 * ends, as the architecture's tlbie (with tlbsync/ptesync) and PAPR's H_REMOVE promise: the
 * caller's own at once, each other vcpu's by that vcpu itself (its shadow is its thread's),
 * queued under pvm->lock, the vcpu kicked so that its budget ends at its next taken branch,
 * and carried out there (or when it next enters the guest). The caller then waits for
 * every vcpu that is inside cpu_run; one outside it (stopped in the VMM, ceded) carries its
 * queue out before it runs guest code again. A waiting vcpu carries out its own queue, so
 * two vcpus invalidating at once do not wait for each other forever. A fill racing with
 * the hcall is caught by the table's invalidation sequence (pr_handle_miss). */

static void apply_one(struct book3s_pr_vcpu *v, const struct pr_inval *q)
{
	if (q->kind == PR_INVAL_PAGE)
		inval_page(v, q->arg, q->shift);
	else
		inval_segment(v, q->arg, q->shift);
}

/* Under pvm->lock. */
static void apply_locked(struct book3s_pr_vcpu *v)
{
	if (v->inval_applied == v->inval_posted)
		return;
	if (v->inval_all)
		inval_all(v);
	else
		for (unsigned i = 0; i < v->inval_n; i++)
			apply_one(v, &v->inval_q[i]);
	v->inval_n = 0;
	v->inval_all = false;
	v->inval_applied = v->inval_posted;
	pthread_cond_broadcast(&v->pvm->inval_done);
}

void pr_inval_apply(struct book3s_pr_vcpu *v)
{
	if (__atomic_load_n(&v->inval_posted, __ATOMIC_ACQUIRE) == v->inval_applied)
		return; /* nothing asked (a stale answer is caught by the kick that follows) */
	pthread_mutex_lock(&v->pvm->lock);
	apply_locked(v);
	pthread_mutex_unlock(&v->pvm->lock);
}

void pr_enter_guest(struct book3s_pr_vcpu *v)
{
	pthread_mutex_lock(&v->pvm->lock);
	v->in_guest = true;
	apply_locked(v);
	pthread_mutex_unlock(&v->pvm->lock);
}

void pr_leave_guest(struct book3s_pr_vcpu *v)
{
	pthread_mutex_lock(&v->pvm->lock);
	v->in_guest = false;
	pthread_cond_broadcast(&v->pvm->inval_done);
	pthread_mutex_unlock(&v->pvm->lock);
}

static void post_others(struct book3s_pr_vcpu *self, const struct pr_inval *q)
{
	struct book3s_pr_vm *pvm = self->pvm;

	pthread_mutex_lock(&pvm->lock);
	for (unsigned i = 0; i < pvm->nr_vcpus; i++) {
		struct book3s_pr_vcpu *o = pvm->vcpus[i];

		if (o == self)
			continue;
		if (q == NULL || o->inval_n == PR_INVAL_QUEUE)
			o->inval_all = true;
		else
			o->inval_q[o->inval_n++] = *q;
		__atomic_store_n(&o->inval_posted, o->inval_posted + 1, __ATOMIC_RELEASE);
		cpu_kick(&o->cpu);
		self->inval_wait = true;
	}
	pthread_mutex_unlock(&pvm->lock);
}

void pr_inval_sync(struct book3s_pr_vcpu *self)
{
	struct book3s_pr_vm *pvm = self->pvm;

	if (!self->inval_wait)
		return;
	self->inval_wait = false;
	pthread_mutex_lock(&pvm->lock);
	for (;;) {
		bool pending = false;

		for (unsigned i = 0; i < pvm->nr_vcpus; i++) {
			struct book3s_pr_vcpu *o = pvm->vcpus[i];

			if (o != self && o->in_guest && o->inval_applied != o->inval_posted)
				pending = true;
		}
		if (!pending)
			break;
		apply_locked(self);
		pthread_cond_wait(&pvm->inval_done, &pvm->lock);
	}
	pthread_mutex_unlock(&pvm->lock);
}

static void vm_inval_page(void *opaque, uint64_t vpn, unsigned shift)
{
	struct pr_inval q = {.kind = PR_INVAL_PAGE, .arg = vpn, .shift = (uint8_t)shift};

	inval_page(opaque, vpn, shift);
	post_others(opaque, &q);
}

static void vm_inval_segment(void *opaque, uint64_t ea, unsigned seg_shift)
{
	struct pr_inval q = {.kind = PR_INVAL_SEGMENT, .arg = ea, .shift = (uint8_t)seg_shift};

	inval_segment(opaque, ea, seg_shift);
	post_others(opaque, &q);
}

static void vm_inval_all(void *opaque)
{
	inval_all(opaque);
	post_others(opaque, NULL);
}

/* H_ENTER's H_ZERO_PAGE: the host address of guest RAM [gpa, gpa + len) in one slot. */
static void *papr_guest_ram(void *opaque, uint64_t gpa, uint64_t len)
{
	struct book3s_pr_vcpu *v = opaque;
	struct kvm_memslot *slot = kvm_gpa_to_slot(v->vm, gpa);
	uint64_t base;

	if (!slot || (slot->flags & SKVM_MEM_READONLY) || pr_gpa_in_hpt(v->pvm, gpa, len))
		return NULL;
	base = slot->base_gfn << SHADOW_PAGE_SHIFT;
	if (len > (slot->npages << SHADOW_PAGE_SHIFT) - (gpa - base))
		return NULL;
	return slot->host + (gpa - base);
}

static void papr_ram_written(void *opaque, uint64_t gpa, uint64_t len)
{
	struct book3s_pr_vcpu *v = opaque;

	for (uint64_t p = gpa >> SHADOW_PAGE_SHIFT; p <= (gpa + len - 1) >> SHADOW_PAGE_SHIFT; p++)
		cpu_code_cache_invalidate(v->cpu.code, (uint32_t)p);
}

/* A translation the guest's SLB and HPT do not have is a miss reflected to it (the "real"
 * miss of KVM's exit kinds); one they forbid, its storage interrupt. */
static void account_fault(struct book3s_pr_vcpu *v, const struct book3s_fault *f)
{
	switch (f->vector) {
	case BOOK3S_VEC_DSI:
		pr_account(v, f->dsisr & DSISR_NOHPTE ? SKVM_EXITS_DTLB_REAL_MISS : SKVM_EXITS_DSI);
		break;
	case BOOK3S_VEC_DSEG:
		pr_account(v, SKVM_EXITS_DTLB_REAL_MISS);
		break;
	case BOOK3S_VEC_ISI:
		pr_account(v, f->srr1 & SRR1_ISI_NOPT ? SKVM_EXITS_ITLB_REAL_MISS : SKVM_EXITS_ISI);
		break;
	default:
		pr_account(v, SKVM_EXITS_ITLB_REAL_MISS);
		break;
	}
}

static enum cpu_resume deliver_fault(struct book3s_pr_vcpu *v, const struct cpu_trap *t,
				     const struct book3s_fault *f)
{
	account_fault(v, f);
	switch (f->vector) {
	case BOOK3S_VEC_DSI:
		pr_dsi(v, t->pc, f->dar, (uint32_t)f->dsisr);
		break;
	case BOOK3S_VEC_DSEG:
		v->dar = f->dar;
		pr_inject(v, BOOK3S_VEC_DSEG, t->pc, 0);
		break;
	default: /* ISI, ISeg: SRR0 is the address fetched */
		pr_inject(v, f->vector, t->ea, f->srr1);
		break;
	}
	return CPU_RESUME_REFETCH;
}

enum cpu_resume pr_handle_miss(struct book3s_pr_vcpu *v, struct cpu_trap *t)
{
	struct cpu *c = &v->cpu;
	bool fetch = t->kind == CPU_TRAP_ITLB_MISS, store = !fetch && t->access == CPU_ACCESS_WRITE;
	struct book3s_mmu_ctx m = pr_mmu_ctx(v);
	struct book3s_xlate x;
	struct book3s_fault f;
	uint64_t ea = t->ea, gpa, page;
	struct kvm_memslot *slot;
	unsigned perm, idx;
	uint32_t ppn;

	if (book3s_xlate(&m, ea, fetch ? BOOK3S_FETCH : store ? BOOK3S_STORE : BOOK3S_LOAD, &x, &f))
		return deliver_fault(v, t, &f);
	gpa = x.ra;
	/* the hashed page table is not the guest's memory: there, an access is the VMM's */
	slot = pr_gpa_in_hpt(v->pvm, gpa, 1) ? NULL : kvm_gpa_to_slot(v->vm, gpa);
	if (!slot) {
		if (!fetch) {
			pr_account(v, SKVM_EXITS_MMIO);
			return pr_mmio_access(v, t, gpa);
		}
		/* an instruction fetch from no memory: the machine check a POWER8 takes */
		pr_account(v, SKVM_EXITS_ITLB_REAL_MISS);
		pr_inject(v, VEC_MACHINE_CHECK, t->ea, 0);
		return CPU_RESUME_REFETCH;
	}
	page = gpa & ~(uint64_t)(SHADOW_PAGE_SIZE - 1);
	ppn = (uint32_t)(page >> SHADOW_PAGE_SHIFT);
	perm = (x.prot & BOOK3S_PROT_READ ? SHADOW_PERM_R : 0) |
	       (x.prot & BOOK3S_PROT_WRITE ? SHADOW_PERM_W : 0) |
	       (x.prot & BOOK3S_PROT_EXEC ? SHADOW_PERM_X : 0) |
	       (v->msr & MSR_LE ? SHADOW_ATTR_LE : 0);
	if (store && cpu_code_cache_has_page(c->code, ppn))
		cpu_code_cache_invalidate(c->code, ppn); /* self-modifying code */
	perm = kvm_slot_shadow_perm(slot, gpa, perm, t->access);
	pr_account(v, fetch ? SKVM_EXITS_ITLB_VIRT_MISS : SKVM_EXITS_DTLB_VIRT_MISS);
	idx = (unsigned)((ea >> SHADOW_PAGE_SHIFT) & (SHADOW_TLB_SIZE - 1));
	if (x.real)
		pr_stags_forget(&v->stags, idx);
	else
		pr_stags_set(&v->stags, idx, x.vpn, ea & SHADOW_PAGE_MASK);
	cpu_shadow_fill(c, t->access, ea & SHADOW_PAGE_MASK,
			slot->host + (page - (slot->base_gfn << SHADOW_PAGE_SHIFT)), ppn, perm,
			x.real ? PR_GIDX_REAL : PR_GIDX_XLATE);
	/* an hcall on another vcpu changed the table since the search: not this entry */
	if (!x.real && book3s_hpt_inval_seq(m.hpt) != x.inval_seq)
		drop_slot(v, idx);
	return CPU_RESUME_RETRY;
}

/* KVM_TRANSLATE (KVM PR has none that works: its ioctl answers 0 and leaves tr as it was).
 * Here a debugger's view: the EA as a load would reach it now, with neither protection
 * nor the guest's R/C bits in the way. */
int book3s_pr_translate(struct book3s_pr_vcpu *v, struct skvm_translation *tr)
{
	struct book3s_mmu_ctx m = pr_mmu_ctx(v);
	struct book3s_xlate x;
	struct book3s_fault f;

	if (!tr)
		return -EINVAL;
	tr->valid = 0;
	tr->writeable = 0;
	tr->usermode = 0;
	tr->physical_address = 0;
	if (book3s_xlate(&m, tr->linear_address, BOOK3S_PROBE, &x, &f))
		return 0;
	tr->physical_address = x.ra;
	tr->valid = 1;
	return 0;
}
