// SPDX-License-Identifier: MIT
/* The Book3S PR vcpu: creation, registers, the KVM_RUN loop, H_CEDE's wait, kicks, and the
 * timebase and decrementer (book3s_pr.c and book3s.c in the seeds). The run loop is the
 * 440's (vcpu.c) in outline: complete the last exit, carry out requests, deliver what is
 * pending, run the core on a budget, handle its traps; a halted (ceded) vcpu sleeps until
 * an interrupt, its decrementer or a kick. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvm/book3s/pr_vcpu.h"
#include "kvm/vm_stats.h"

/* Taken branches between looks at the clock and at kicks: the decrementer's resolution
 * while the guest runs. */
#define PR_BUDGET 20000

/* ---- the VM's part ---- */

int book3s_pr_vm_create(struct skvm_vm *vm, struct book3s_pr_vm **out)
{
	struct book3s_pr_vm *pvm = calloc(1, sizeof(*pvm));

	*out = NULL;
	if (!pvm)
		return -ENOMEM;
	pvm->vm = vm;
	pr_papr_init_hcalls(pvm);
	pvm->code = cpu_code_cache_create();
	if (!pvm->code || pthread_mutex_init(&pvm->lock, NULL)) {
		if (pvm->code)
			cpu_code_cache_destroy(pvm->code);
		free(pvm);
		return -ENOMEM;
	}
	if (pthread_cond_init(&pvm->inval_done, NULL)) {
		pthread_mutex_destroy(&pvm->lock);
		cpu_code_cache_destroy(pvm->code);
		free(pvm);
		return -ENOMEM;
	}
	*out = pvm;
	return 0;
}

void book3s_pr_vm_destroy(struct book3s_pr_vm *pvm)
{
	if (!pvm)
		return;
	cpu_code_cache_destroy(pvm->code);
	pthread_cond_destroy(&pvm->inval_done);
	pthread_mutex_destroy(&pvm->lock);
	free(pvm);
}

int book3s_pr_vm_set_code_limit(struct book3s_pr_vm *pvm, uint64_t bytes)
{
	return cpu_code_cache_set_limit(pvm->code, bytes); /* and every vcpu's: one domain */
}

void book3s_pr_vm_get_stats(struct book3s_pr_vm *pvm, struct skvm_vm_stats *st)
{
	struct cpu_code_cache_stats cs;

	cpu_code_cache_get_stats(pvm->code, &cs);
	kvm_vm_stats_of(&cs, sizeof(struct cpu_code_page), st);
}

void book3s_pr_vm_set_compile(struct book3s_pr_vm *pvm, bool on)
{
	cpu_code_cache_set_compile(pvm->code, on); /* and every vcpu's: one domain */
}

void book3s_pr_vm_flush(struct book3s_pr_vm *pvm)
{
	for (unsigned i = 0; i < pvm->nr_vcpus; i++)
		pr_shadow_flush(pvm->vcpus[i]);
	cpu_code_cache_flush(pvm->code);
}

void book3s_pr_vm_flush_code(struct book3s_pr_vm *pvm, uint64_t ppn_lo, uint64_t ppn_hi)
{
	cpu_code_cache_invalidate_range(pvm->code, (uint32_t)ppn_lo, (uint32_t)ppn_hi); /* every vcpu's */
}

/* ---- timebase and decrementer ---- */

static uint64_t host_ticks(void)
{
	struct timespec ts;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	return ns / 125 * 64 + ns % 125 * 64 / 125; /* 512 MHz */
}

uint64_t pr_get_tb(const struct book3s_pr_vcpu *v)
{
	return host_ticks() + (uint64_t)v->tb_offset;
}

uint32_t pr_get_dec(const struct book3s_pr_vcpu *v)
{
	return v->dec_value - (uint32_t)(pr_get_tb(v) - v->dec_tb);
}

/* mtdec: the exception goes (book3s.c: mtdec dequeues it) and comes back once the new
 * value has counted past zero; a negative value raises it at once. */
void pr_set_dec(struct book3s_pr_vcpu *v, uint32_t dec)
{
	v->dec_tb = pr_get_tb(v);
	v->dec_value = dec;
	pr_set_pending(v, PR_IRQ_DECREMENTER, (int32_t)dec < 0);
}

/* Guest ticks until the decrementer's exception, or UINT64_MAX when it is raised already. */
static uint64_t dec_ticks_left(const struct book3s_pr_vcpu *v)
{
	uint64_t elapsed;

	if ((v->pending & (1u << PR_IRQ_DECREMENTER)) || (int32_t)v->dec_value < 0)
		return UINT64_MAX;
	elapsed = pr_get_tb(v) - v->dec_tb;
	return elapsed > v->dec_value ? 0 : v->dec_value + 1 - elapsed;
}

static void timer_update(struct book3s_pr_vcpu *v)
{
	if (dec_ticks_left(v) == 0) {
		pr_set_pending(v, PR_IRQ_DECREMENTER, true);
		v->dec_value = UINT32_MAX; /* fired: counts on negative, fires no more */
		v->dec_tb = pr_get_tb(v);
	}
}

/* ---- creation and registers ---- */

void pr_internal_error(struct book3s_pr_vcpu *v, uint32_t suberror, uint64_t pc, uint32_t insn)
{
	struct skvm_run *run = v->run;

	run->exit_reason = SKVM_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.ndata = 2;
	run->internal.data[0] = pc;
	run->internal.data[1] = insn;
	v->cpu.pc = pc;
}

static enum cpu_resume pr_trap(void *opaque, struct cpu *c, struct cpu_trap *t);
static const struct cpu_trap_ops pr_trap_ops = {.trap = pr_trap, .emulation = pr_emulation_of};

/* A POWER8 thread out of reset, as the ISA's system reset leaves it. */
static void reset_state(struct book3s_pr_vcpu *v)
{
	v->pvr = PR_PVR_POWER8;
	v->pir = v->id;
	v->cpu.pc = VEC_SYSTEM_RESET;
	v->ext_req = -1;
	v->dec_value = UINT32_MAX;
	pr_set_pending(v, PR_IRQ_DECREMENTER, false);
	pr_set_msr(v, MSR_SF | MSR_ME);
}

int book3s_pr_vcpu_create(struct book3s_pr_vm *pvm, struct skvm_vm *vm, uint32_t id,
			  struct skvm_run *run, struct book3s_pr_vcpu **out)
{
	size_t size = (sizeof(struct book3s_pr_vcpu) + 63) & ~(size_t)63;
	struct book3s_pr_vcpu *v = aligned_alloc(64, size);
	int rc;

	*out = NULL;
	if (!v)
		return -ENOMEM;
	memset(v, 0, sizeof(*v));
	v->pvm = pvm;
	v->vm = vm;
	v->run = run;
	v->id = id;
	if (pthread_mutex_init(&v->lock, NULL)) {
		free(v);
		return -ENOMEM;
	}
	if (pthread_cond_init(&v->wake, NULL)) {
		pthread_mutex_destroy(&v->lock);
		free(v);
		return -ENOMEM;
	}
	/* its own decoded code, coherent with the other vcpus' (code_cache.h) */
	v->code = cpu_code_cache_create();
	rc = v->code ? cpu_code_cache_join(v->code, pvm->code) : -ENOMEM;
	if (!rc)
		rc = cpu_init(&v->cpu, v->code, &pr_trap_ops, v);
	if (rc) {
		cpu_code_cache_destroy(v->code);
		pthread_cond_destroy(&v->wake);
		pthread_mutex_destroy(&v->lock);
		free(v);
		return rc;
	}
	pr_mmu_init(v);
	pr_shadow_flush(v);
	reset_state(v);
	pthread_mutex_lock(&pvm->lock);
	pvm->vcpus[pvm->nr_vcpus++] = v;
	pthread_mutex_unlock(&pvm->lock);
	*out = v;
	return 0;
}

void book3s_pr_vcpu_destroy(struct book3s_pr_vcpu *v)
{
	struct book3s_pr_vm *pvm;

	if (!v)
		return;
	pvm = v->pvm;
	pthread_mutex_lock(&pvm->lock);
	for (unsigned i = 0; i < pvm->nr_vcpus; i++)
		if (pvm->vcpus[i] == v)
			pvm->vcpus[i] = pvm->vcpus[--pvm->nr_vcpus];
	pthread_mutex_unlock(&pvm->lock);
	cpu_destroy(&v->cpu);
	cpu_code_cache_destroy(v->code);
	pthread_cond_destroy(&v->wake);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

int book3s_pr_get_regs(struct book3s_pr_vcpu *v, struct skvm_regs *r)
{
	struct cpu *c = &v->cpu;

	memset(r, 0, sizeof(*r));
	r->pc = c->pc;
	r->cr = c->cr;
	r->ctr = c->ctr;
	r->lr = c->lr;
	r->xer = cpu_get_xer(c);
	r->msr = v->msr;
	r->srr0 = v->srr0;
	r->srr1 = v->srr1;
	r->sprg0 = v->sprg[0];
	r->sprg1 = v->sprg[1];
	r->sprg2 = v->sprg[2];
	r->sprg3 = v->sprg[3];
	for (unsigned i = 0; i < 32; i++)
		r->gpr[i] = c->gpr[i];
	return 0;
}

int book3s_pr_set_regs(struct book3s_pr_vcpu *v, const struct skvm_regs *r)
{
	struct cpu *c = &v->cpu;

	c->cr = (uint32_t)r->cr;
	c->ctr = r->ctr;
	c->lr = r->lr;
	cpu_set_xer(c, (uint32_t)r->xer);
	v->srr0 = r->srr0;
	v->srr1 = r->srr1;
	v->sprg[0] = r->sprg0;
	v->sprg[1] = r->sprg1;
	v->sprg[2] = r->sprg2;
	v->sprg[3] = r->sprg3;
	for (unsigned i = 0; i < 32; i++)
		c->gpr[i] = r->gpr[i];
	c->pc = r->pc & ~3ULL;
	pr_set_msr(v, r->msr);
	return 0;
}

int book3s_pr_get_sregs(struct book3s_pr_vcpu *v, struct skvm_sregs *s)
{
	memset(s, 0, sizeof(*s));
	s->pvr = v->pvr;
	s->u.s.sdr1 = v->pvm->hpt.base ? v->pvm->hpt.sdr1 : v->sdr1;
	for (unsigned i = 0; i < v->slb.nr; i++) {
		s->u.s.ppc64.slb[i].slbe = book3s_slbmfee(&v->slb, i) | (v->slb.e[i].valid ? i : 0);
		s->u.s.ppc64.slb[i].slbv = book3s_slbmfev(&v->slb, i);
	}
	return 0;
}

/* SDR1 names the guest's hashed page table by its guest-physical address: it must lie in
 * one memory slot, which the VMM keeps out of the guest's memory map. (KVM PR takes a
 * userspace address there for a PAPR guest; a library cannot check one, a slot it can.)
 * The guest never reaches that memory but through hcalls: pr_mmu.c maps none of it. */
static int bind_hpt(struct book3s_pr_vcpu *v, uint64_t sdr1)
{
	uint64_t org = sdr1 & SDR1_HTABORG;
	struct kvm_memslot *slot = kvm_gpa_to_slot(v->vm, org);
	uint64_t base, host_sdr1;
	int rc = 0;

	if (sdr1 == 0) {
		v->pvm->hpt.base = NULL;
		return 0;
	}
	if (!slot)
		return -EINVAL;
	base = slot->base_gfn << SHADOW_PAGE_SHIFT;
	host_sdr1 = ((uint64_t)(uintptr_t)(slot->host + (org - base))) | (sdr1 & SDR1_HTABSIZE);
	if (host_sdr1 & ~(SDR1_HTABORG | SDR1_HTABSIZE))
		return -EINVAL;
	pthread_mutex_lock(&v->pvm->lock);
	if (book3s_hpt_bind(&v->pvm->hpt, host_sdr1, slot->host, slot->npages << SHADOW_PAGE_SHIFT))
		rc = -EINVAL;
	else
		v->pvm->hpt.sdr1 = sdr1; /* what the guest and the VMM see */
	v->pvm->hpt_gpa = org;
	v->pvm->hpt_bytes = v->pvm->hpt.bytes;
	pthread_mutex_unlock(&v->pvm->lock);
	return rc;
}

int book3s_pr_set_sregs(struct book3s_pr_vcpu *v, const struct skvm_sregs *s)
{
	int rc;

	if (s->pvr != v->pvr)
		return -EINVAL;
	rc = bind_hpt(v, s->u.s.sdr1);
	if (rc)
		return rc;
	v->sdr1 = s->u.s.sdr1;
	book3s_slb_init(&v->slb, BOOK3S_SLB_POWER8);
	for (unsigned i = 0; i < v->slb.nr && i < 64; i++)
		if (s->u.s.ppc64.slb[i].slbe & SLB_ESID_V)
			(void)book3s_slbmte(&v->slb, s->u.s.ppc64.slb[i].slbv,
					    (s->u.s.ppc64.slb[i].slbe & ~SLB_INDEX_MASK) | i, NULL);
	pr_shadow_flush(v);
	return 0;
}

/* ---- ONE_REG ---- */

/* The 64-bit SPRs the hypervisor keeps for the guest (mfspr/mtspr: pr_emulate.c), by id. */
static uint64_t *spr_of_reg(struct book3s_pr_vcpu *v, uint64_t id)
{
	switch (id) {
	case SKVM_REG_PPC_DABR: return &v->dabr;
	case SKVM_REG_PPC_DSCR: return &v->dscr;
	case SKVM_REG_PPC_AMR: return &v->amr;
	case SKVM_REG_PPC_UAMOR: return &v->uamor;
	case SKVM_REG_PPC_IAMR: return &v->iamr;
	case SKVM_REG_PPC_FSCR: return &v->fscr;
	case SKVM_REG_PPC_TAR: return &v->tar;
	case SKVM_REG_PPC_EBBHR: return &v->ebbhr;
	case SKVM_REG_PPC_EBBRR: return &v->ebbrr;
	case SKVM_REG_PPC_BESCR: return &v->bescr;
	case SKVM_REG_PPC_CIABR: return &v->ciabr;
	case SKVM_REG_PPC_PPR: return &v->ppr;
	default: return NULL;
	}
}

/* The vector and VSX registers (ppc.h: a 128-bit value is the register as one number in
 * the host's byte order, doubleword 1 first on this little-endian host). */
static int vsx_reg_index(uint64_t id)
{
	if (id >= SKVM_REG_PPC_VSR0 && id <= SKVM_REG_PPC_VSR31)
		return (int)(id - SKVM_REG_PPC_VSR0);
	if (id >= SKVM_REG_PPC_VR0 && id <= SKVM_REG_PPC_VR31)
		return 32 + (int)(id - SKVM_REG_PPC_VR0);
	return -1;
}

int book3s_pr_get_one_reg(struct book3s_pr_vcpu *v, uint64_t id, void *value)
{
	uint64_t v64, *spr = spr_of_reg(v, id);
	uint32_t v32;
	int vsr = vsx_reg_index(id);

	if (spr) {
		memcpy(value, spr, 8);
		return 0;
	}
	if (vsr >= 0) {
		struct cpu_vsr x = cpu_vsr_get(&v->cpu, (unsigned)vsr);
		uint64_t q[2] = {x.lo, x.hi};
		memcpy(value, q, 16);
		return 0;
	}
	if (id >= SKVM_REG_PPC_FPR(0) && id <= SKVM_REG_PPC_FPR(31)) {
		memcpy(value, &v->cpu.fpr[id - SKVM_REG_PPC_FPR(0)], 8);
		return 0;
	}
	switch (id) {
	case SKVM_REG_PPC_FPSCR: v64 = v->cpu.fpscr; break;
	case SKVM_REG_PPC_VSCR:
		memcpy(value, &v->cpu.vscr, 4);
		return 0;
	case SKVM_REG_PPC_DAR: v64 = v->dar; break;
	case SKVM_REG_PPC_LPCR_64: v64 = v->lpcr; break;
	case SKVM_REG_PPC_TB_OFFSET: v64 = (uint64_t)v->tb_offset; break;
	case SKVM_REG_PPC_DSISR:
		v32 = v->dsisr;
		memcpy(value, &v32, 4);
		return 0;
	case SKVM_REG_PPC_DEC:
		v32 = pr_get_dec(v);
		memcpy(value, &v32, 4);
		return 0;
	case SKVM_REG_PPC_VRSAVE:
		v32 = (uint32_t)v->vrsave;
		memcpy(value, &v32, 4);
		return 0;
	case SKVM_REG_PPC_DEBUG_INST: /* book3s_pr.c's, not book3s.c's trap (HV) */
		v32 = KVMPPC_INST_SW_BREAKPOINT;
		memcpy(value, &v32, 4);
		return 0;
	default: return -ENOENT;
	}
	memcpy(value, &v64, 8);
	return 0;
}

int book3s_pr_set_one_reg(struct book3s_pr_vcpu *v, uint64_t id, const void *value)
{
	uint64_t v64 = 0, *spr = spr_of_reg(v, id);
	uint32_t v32 = 0;

	int vsr = vsx_reg_index(id);

	if (spr) {
		memcpy(spr, value, 8);
		return 0;
	}
	if (vsr >= 0) {
		uint64_t q[2];
		memcpy(q, value, 16);
		cpu_vsr_set(&v->cpu, (unsigned)vsr, (struct cpu_vsr){q[1], q[0]});
		return 0;
	}
	if ((id & SKVM_REG_SIZE_MASK) == SKVM_REG_SIZE_U64)
		memcpy(&v64, value, 8);
	else
		memcpy(&v32, value, 4);
	if (id >= SKVM_REG_PPC_FPR(0) && id <= SKVM_REG_PPC_FPR(31)) {
		v->cpu.fpr[id - SKVM_REG_PPC_FPR(0)] = v64;
		return 0;
	}
	switch (id) {
	case SKVM_REG_PPC_FPSCR: v->cpu.fpscr = (uint32_t)v64; break;
	case SKVM_REG_PPC_VSCR: v->cpu.vscr = v32 & 0x00010001u; break; /* NJ, SAT */
	case SKVM_REG_PPC_DAR: v->dar = v64; break;
	case SKVM_REG_PPC_LPCR_64: v->lpcr = v64 & (LPCR_ILE | LPCR_AIL); break;
	case SKVM_REG_PPC_TB_OFFSET: v->tb_offset = (int64_t)v64; break;
	case SKVM_REG_PPC_DSISR: v->dsisr = v32; break;
	case SKVM_REG_PPC_DEC: pr_set_dec(v, v32); break;
	case SKVM_REG_PPC_VRSAVE: v->vrsave = v32; break;
	default: return -ENOENT;
	}
	return 0;
}

void book3s_pr_get_exit_stats(const struct book3s_pr_vcpu *v,
			      struct skvm_exit_stat stats[SKVM_EXITS_NR])
{
	memcpy(stats, v->stats, sizeof(v->stats));
}

int book3s_pr_enable_cap(struct book3s_pr_vcpu *v, enum skvm_cap cap, uint64_t arg)
{
	switch (cap) {
	case SKVM_CAP_PPC_PAPR:
		v->papr_enabled = true;
		return 0;
	case SKVM_CAP_PPC_OSI:
		v->osi_enabled = true;
		return 0;
	case SKVM_CAP_EXIT_TIMING:
		v->timing = arg != 0;
		return 0;
	default:
		return -EINVAL;
	}
}

/* ---- interrupts from userspace, kicks ---- */

int book3s_pr_vcpu_interrupt(struct book3s_pr_vcpu *v, uint32_t irq)
{
	int req;

	if (irq == SKVM_INTERRUPT_SET || irq == SKVM_INTERRUPT_SET_LEVEL)
		req = 1;
	else if (irq == SKVM_INTERRUPT_UNSET)
		req = 0;
	else
		return -EINVAL;
	pthread_mutex_lock(&v->lock);
	__atomic_store_n(&v->ext_req, req, __ATOMIC_RELEASE); /* cede_woken reads it unlocked */
	cpu_kick(&v->cpu);
	pthread_cond_broadcast(&v->wake);
	pthread_mutex_unlock(&v->lock);
	return 0;
}

bool book3s_pr_vcpu_ee(const struct book3s_pr_vcpu *v)
{
	return (v->msr & MSR_EE) != 0;
}

void book3s_pr_vcpu_kick(struct book3s_pr_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	__atomic_store_n(&v->user_kick, true, __ATOMIC_RELEASE);
	cpu_kick(&v->cpu);
	pthread_cond_broadcast(&v->wake);
	pthread_mutex_unlock(&v->lock);
}

static bool take_user_kick(struct book3s_pr_vcpu *v)
{
	bool kicked;

	pthread_mutex_lock(&v->lock);
	kicked = v->user_kick;
	v->user_kick = false;
	/* a kick ends the wait as a signal ends KVM PR's (kvm_vcpu_halt): the hcall is done,
	 * the guest goes on after it at the next run (H_PROD from the VMM is a kick) */
	if (kicked)
		v->ceded = false;
	pthread_mutex_unlock(&v->lock);
	return kicked;
}

/* Requests of other threads (KVM_INTERRUPT, another vcpu's HPT change), the timers, and the
 * delivery of what the guest takes now. */
static void prepare_to_enter(struct book3s_pr_vcpu *v)
{
	pthread_mutex_lock(&v->lock);
	if (v->ext_req >= 0) {
		pr_set_pending(v, PR_IRQ_EXTERNAL, v->ext_req == 1);
		v->ext_req = -1;
	}
	pthread_mutex_unlock(&v->lock);
	pr_inval_apply(v);
	timer_update(v);
	pr_deliver_pending(v);
}

void book3s_pr_get_halt_stats(const struct book3s_pr_vcpu *v, struct skvm_halt_stats *stats)
{
	*stats = v->halt_poll.stats;
}

static bool cede_woken(void *arg)
{
	struct book3s_pr_vcpu *v = arg;

	return __atomic_load_n(&v->user_kick, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&v->ext_req, __ATOMIC_ACQUIRE) >= 0;
}

static uint64_t ticks_to_ns(uint64_t ticks)
{
	return ticks / 64 * 125 + ticks % 64 * 125 / 64 + 1; /* 512 MHz */
}

/* H_CEDE: sleep until an interrupt is deliverable, the decrementer fires or a kick. True
 * for a user kick (the run returns -EINTR, the cede over). */
static bool cede_wait(struct book3s_pr_vcpu *v)
{
	uint64_t left = dec_ticks_left(v);
	struct halt_poll_wait w;
	bool kicked, slept = false;

	/* the decrementer bounds the poll: the timer update acts on it when we return */
	halt_poll_begin(&v->halt_poll, &w,
			__atomic_load_n(&v->vm->max_halt_poll_ns, __ATOMIC_RELAXED),
			left == UINT64_MAX ? UINT64_MAX : ticks_to_ns(left), cede_woken, v);
	pthread_mutex_lock(&v->lock);
	while (!v->user_kick && v->ext_req < 0) {
		uint64_t ticks = dec_ticks_left(v);
		struct timespec until;
		uint64_t ns;

		if (ticks == 0)
			break;
		slept = true;
		if (ticks == UINT64_MAX) {
			pthread_cond_wait(&v->wake, &v->lock);
			continue;
		}
		ns = ticks_to_ns(ticks);
		clock_gettime(CLOCK_REALTIME, &until);
		ns += (uint64_t)until.tv_nsec;
		until.tv_sec += (time_t)(ns / 1000000000ULL);
		until.tv_nsec = (long)(ns % 1000000000ULL);
		if (pthread_cond_timedwait(&v->wake, &v->lock, &until) == ETIMEDOUT)
			break;
	}
	kicked = v->user_kick;
	v->user_kick = false;
	/* a kick ends the wait as a signal ends KVM PR's (kvm_vcpu_halt): the hcall is done,
	 * the guest goes on after it at the next run (H_PROD from the VMM is a kick) */
	if (kicked)
		v->ceded = false;
	pthread_mutex_unlock(&v->lock);
	halt_poll_end(&v->halt_poll, &w, slept);
	return kicked;
}

static void arm_budget(struct book3s_pr_vcpu *v)
{
	__atomic_store_n(&v->cpu.kick, 0, __ATOMIC_RELAXED);
	v->cpu.budget = PR_BUDGET;
}

static enum cpu_resume handle_budget(struct book3s_pr_vcpu *v)
{
	if (__atomic_load_n(&v->cpu.kick, __ATOMIC_ACQUIRE) && take_user_kick(v)) {
		pr_account(v, SKVM_EXITS_SIGNAL);
		v->run->exit_reason = SKVM_EXIT_INTR;
		return CPU_RESUME_STOP;
	}
	pr_account(v, SKVM_EXITS_BUDGET);
	arm_budget(v);
	prepare_to_enter(v);
	if (v->msr & (MSR_SE | MSR_BE))
		return CPU_RESUME_STOP; /* trace: the run loop steps (pr_trace_step) */
	return CPU_RESUME_REFETCH;
}

/* The program interrupt's SRR1 cause from the core's ESR bits. */
static uint64_t program_cause(uint32_t esr)
{
	if (esr & CPU_ESR_PTR)
		return SRR1_PROGTRAP;
	if (esr & CPU_ESR_PPR)
		return SRR1_PROGPRIV;
	if (esr & CPU_ESR_FP)
		return SRR1_PROGFPE;
	return SRR1_PROGILL;
}

static enum cpu_resume handle_trap(struct book3s_pr_vcpu *v, struct cpu_trap *t)
{
	enum cpu_resume r;

	switch (t->kind) {
	case CPU_TRAP_EMULATE: {
		uint64_t ee = v->msr & MSR_EE;

		r = pr_emulate(v, t);
		/* a decrementer that went negative while EE was off is taken now */
		if (!ee && (v->msr & MSR_EE))
			timer_update(v);
		break;
	}
	case CPU_TRAP_ITLB_MISS:
	case CPU_TRAP_DTLB_MISS:
		r = pr_handle_miss(v, t);
		break;
	case CPU_TRAP_PROGRAM:
		if (pr_debug_sw_breakpoint(v, t))
			return CPU_RESUME_STOP;
		pr_account(v, SKVM_EXITS_PROGRAM);
		pr_program_interrupt(v, t->pc, program_cause(t->esr));
		r = CPU_RESUME_REFETCH;
		break;
	case CPU_TRAP_FP_UNAVAIL:
		pr_account(v, SKVM_EXITS_FP_UNAVAIL);
		pr_inject(v, VEC_FP_UNAVAIL, t->pc, 0);
		r = CPU_RESUME_REFETCH;
		break;
	case CPU_TRAP_VEC_UNAVAIL: /* the guest's MSR[VEC] = 0: its own lazy vector state */
		pr_inject(v, VEC_VMX_UNAVAIL, t->pc, 0);
		r = CPU_RESUME_REFETCH;
		break;
	case CPU_TRAP_VSX_UNAVAIL:
		pr_inject(v, VEC_VSX_UNAVAIL, t->pc, 0);
		r = CPU_RESUME_REFETCH;
		break;
	case CPU_TRAP_ALIGNMENT:
		pr_account(v, SKVM_EXITS_ALIGNMENT);
		v->dar = t->ea;
		pr_inject(v, VEC_ALIGNMENT, t->pc, 0);
		r = CPU_RESUME_REFETCH;
		break;
	case CPU_TRAP_BUDGET:
		r = handle_budget(v);
		break;
	default: /* CPU_TRAP_INTERNAL: the host is out of memory */
		pr_internal_error(v, SKVM_INTERNAL_ERROR_EMULATION, t->pc, t->insn);
		return CPU_RESUME_STOP;
	}
	if (r == CPU_RESUME_DATA || r == CPU_RESUME_STOP)
		return r;
	if (v->run->exit_reason != SKVM_EXIT_UNKNOWN || v->ceded)
		return CPU_RESUME_STOP;
	if (v->pending && pr_deliver_pending(v))
		return CPU_RESUME_REFETCH;
	return r;
}

/* Every exit of the core; with SKVM_CAP_EXIT_TIMING timed as the kind it was counted as. */
static enum cpu_resume pr_trap(void *opaque, struct cpu *c, struct cpu_trap *t)
{
	struct book3s_pr_vcpu *v = opaque;
	enum cpu_resume r;
	uint64_t t0;

	(void)c;
	if (likely(!v->timing))
		return handle_trap(v, t);
	t0 = kvm_exit_timing_begin(v->stats, v->guest_enter_ns);
	v->exit_type = KVM_EXIT_NONE;
	r = handle_trap(v, t);
	v->guest_enter_ns = kvm_exit_timing_end(v->stats, v->exit_type, t0);
	return r;
}

/* ---- KVM_RUN ---- */

int book3s_pr_vcpu_run(struct book3s_pr_vcpu *v)
{
	struct skvm_run *run = v->run;

	pr_complete_io(v);
	pr_trace_completed_io(v);
	if (run->immediate_exit | take_user_kick(v)) {
		run->exit_reason = SKVM_EXIT_INTR;
		return -EINTR;
	}
	if (unlikely(pr_debug_step_done(v)))
		return 0;
	run->exit_reason = SKVM_EXIT_UNKNOWN;
	/* its completion belongs to the previous exit: nothing is delivered before it */
	if (v->mmio_split.pending) {
		arm_budget(v);
		pr_mmio_split_resume(v);
		if (run->exit_reason == SKVM_EXIT_UNKNOWN)
			pr_trace_completed_io(v);
		/* under single step, completing the instruction ends the step */
		if (run->exit_reason == SKVM_EXIT_UNKNOWN && v->io != PR_IO_MMIO_SPLIT &&
		    (v->dbg_control & SKVM_GUESTDBG_SINGLESTEP)) {
			pr_account(v, SKVM_EXITS_DEBUG);
			pr_debug_exit(v, v->cpu.pc);
		}
	}
	while (run->exit_reason == SKVM_EXIT_UNKNOWN) {
		/* armed first: a kick from now on ends the budget it sets */
		arm_budget(v);
		prepare_to_enter(v);
		if (v->ceded) {
			if (cede_wait(v)) {
				pr_account(v, SKVM_EXITS_SIGNAL);
				run->exit_reason = SKVM_EXIT_INTR;
			} else {
				pr_account(v, SKVM_EXITS_HALT_WAKEUP);
			}
			continue;
		}
		pr_enter_guest(v);
		if (unlikely(v->timing))
			v->guest_enter_ns = kvm_now_ns();
		if (unlikely(v->dbg_control & SKVM_GUESTDBG_SINGLESTEP))
			pr_debug_step(v);
		else if (v->msr & (MSR_SE | MSR_BE))
			pr_trace_step(v);
		else
			cpu_run(&v->cpu);
		pr_leave_guest(v);
	}
	return run->exit_reason == SKVM_EXIT_INTR ? -EINTR : 0;
}
