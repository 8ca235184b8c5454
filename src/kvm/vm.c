// SPDX-License-Identifier: MIT
/* The VM object: memory slots, the dirty log, guest-physical lookups, capabilities and
 * paravirt info (virt/kvm/kvm_main.c and arch/powerpc/kvm/powerpc.c in the seeds).
 *
 * Locking: vm->lock serialises the VM-wide calls and guards entry into skvm_vcpu_run (a
 * vcpu enters with vm->lock held for a moment, see vcpu.c), so a slot change that finds no
 * vcpu inside run may rewrite the slots and flush every vcpu's shadow TLB without racing
 * a running core. Lookups from running vcpus take no lock: the slots cannot change under
 * them. Lock order: vm->lock, then a vcpu's lock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvm.h"
#include "cpu/jit.h"
#include "kvm/book3s/mmu_ops.h"
#include "kvm/vm_stats.h"

#define PAGE_SHIFT 12
#define VALID_FLAGS (SKVM_MEM_LOG_DIRTY_PAGES | SKVM_MEM_READONLY)
/* The 440's real addresses are 36 bits wide (ERPN:RPN). */
#define GPA_LIMIT (1ull << 36)

int skvm_vm_create(unsigned long type, struct skvm_vm **out)
{
	struct skvm_vm *vm;

	*out = NULL;
	if (type != SKVM_VM_PPC_440 && type != SKVM_VM_PPC_PR)
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	vm->code = cpu_code_cache_create();
	if (!vm->code) {
		free(vm);
		return -ENOMEM;
	}
	vm->max_halt_poll_ns = HALT_POLL_NS_DEFAULT;
	kvm_eventfds_init(&vm->eventfds);
	if (pthread_mutex_init(&vm->lock, NULL)) {
		cpu_code_cache_destroy(vm->code);
		free(vm);
		return -ENOMEM;
	}
	if (type == SKVM_VM_PPC_PR) {
		int rc = book3s_pr_vm_create(vm, &vm->pr);

		if (rc) {
			skvm_vm_destroy(vm);
			return rc;
		}
	}
	*out = vm;
	return 0;
}

void skvm_vm_destroy(struct skvm_vm *vm)
{
	if (!vm)
		return;
	/* first the irqfd thread: it may call into the VMM's controller, which drives the vcpus */
	kvm_eventfds_destroy(&vm->eventfds);
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		kvm_vcpu_destroy(vm->vcpus[i]);
	vm->nr_vcpus = 0;
	for (unsigned i = 0; i < SKVM_MAX_MEM_SLOTS; i++)
		free(vm->slots[i].dirty_bitmap);
	book3s_pr_vm_destroy(vm->pr);
	cpu_code_cache_destroy(vm->code);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}

/* ---- memory slots ---- */

static uint64_t bitmap_words(uint64_t npages)
{
	return (npages + 63) / 64;
}

static bool any_vcpu_in_run(struct skvm_vm *vm)
{
	bool busy = false;

	for (unsigned i = 0; i < vm->nr_vcpus && !busy; i++) {
		struct skvm_vcpu *vcpu = vm->vcpus[i];

		pthread_mutex_lock(&vcpu->lock);
		busy = vcpu->in_run;
		pthread_mutex_unlock(&vcpu->lock);
	}
	return busy;
}

/* The memory map changed: nothing translated or decoded from the old one may survive. */
static void flush_translations(struct skvm_vm *vm)
{
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		cpu_shadow_flush(&vm->vcpus[i]->cpu);
	cpu_code_cache_flush(vm->code);
	if (vm->pr)
		book3s_pr_vm_flush(vm->pr);
}

static bool overlaps(const struct skvm_vm *vm, uint32_t except, uint64_t gfn, uint64_t npages)
{
	for (uint32_t i = 0; i < SKVM_MAX_MEM_SLOTS; i++) {
		const struct kvm_memslot *s = &vm->slots[i];

		if (i == except || !s->used)
			continue;
		if (gfn < s->base_gfn + s->npages && s->base_gfn < gfn + npages)
			return true;
	}
	return false;
}

static int check_region(const struct skvm_userspace_memory_region *r)
{
	if (r->slot >= SKVM_MAX_MEM_SLOTS || (r->flags & ~VALID_FLAGS))
		return -EINVAL;
	if ((r->guest_phys_addr | r->memory_size) & (SKVM_PAGE_SIZE - 1))
		return -EINVAL;
	if ((uintptr_t)r->userspace_addr & (SKVM_PAGE_SIZE - 1))
		return -EINVAL;
	if (r->memory_size == 0)
		return 0;
	if (!r->userspace_addr || r->guest_phys_addr >= GPA_LIMIT ||
	    r->memory_size > GPA_LIMIT - r->guest_phys_addr)
		return -EINVAL;
	if ((uintptr_t)r->userspace_addr + r->memory_size < (uintptr_t)r->userspace_addr)
		return -EINVAL;
	return 0;
}

/* Called with vm->lock held and no vcpu in run. */
static int set_region_locked(struct skvm_vm *vm, const struct skvm_userspace_memory_region *r)
{
	struct kvm_memslot *s = &vm->slots[r->slot];
	uint64_t gfn = r->guest_phys_addr >> PAGE_SHIFT;
	uint64_t npages = r->memory_size >> PAGE_SHIFT;
	bool log = r->flags & SKVM_MEM_LOG_DIRTY_PAGES;
	uint64_t *bitmap = NULL;

	if (npages == 0) { /* delete */
		if (!s->used)
			return -EINVAL;
		free(s->dirty_bitmap);
		memset(s, 0, sizeof(*s));
		flush_translations(vm);
		return 0;
	}

	if (s->used) {
		/* As KVM: a slot may move or change LOG_DIRTY_PAGES, not change size, backing
		 * or READONLY (delete and re-create it for that). */
		if (npages != s->npages || (uint8_t *)r->userspace_addr != s->host ||
		    ((r->flags ^ s->flags) & SKVM_MEM_READONLY))
			return -EINVAL;
		if (gfn == s->base_gfn && r->flags == s->flags)
			return 0;
	}
	if (overlaps(vm, r->slot, gfn, npages))
		return -EEXIST;

	if (log && !s->dirty_bitmap) {
		bitmap = calloc(bitmap_words(npages), sizeof(uint64_t));
		if (!bitmap)
			return -ENOMEM;
	} else if (log) {
		bitmap = s->dirty_bitmap;
		if (gfn != s->base_gfn) /* moved: the old page numbers mean nothing now */
			memset(bitmap, 0, bitmap_words(npages) * sizeof(uint64_t));
	} else {
		free(s->dirty_bitmap);
	}

	s->used = true;
	s->flags = r->flags;
	s->base_gfn = gfn;
	s->npages = npages;
	s->host = r->userspace_addr;
	s->dirty_bitmap = bitmap;
	/* Also needed for a pure LOG_DIRTY_PAGES change: pages already writable in a shadow TLB
	 * must trap once more to be logged. */
	flush_translations(vm);
	return 0;
}

int skvm_vm_set_memory_region(struct skvm_vm *vm, const struct skvm_userspace_memory_region *r)
{
	int rc = check_region(r);

	if (rc)
		return rc;
	pthread_mutex_lock(&vm->lock);
	if (any_vcpu_in_run(vm))
		rc = -EBUSY;
	else
		rc = set_region_locked(vm, r);
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

struct kvm_memslot *kvm_gpa_to_slot(struct skvm_vm *vm, uint64_t gpa)
{
	uint64_t gfn = gpa >> PAGE_SHIFT;

	for (unsigned i = 0; i < SKVM_MAX_MEM_SLOTS; i++) {
		struct kvm_memslot *s = &vm->slots[i];

		if (s->used && gfn - s->base_gfn < s->npages)
			return s;
	}
	return NULL;
}

uint8_t *kvm_gpa_to_host(struct skvm_vm *vm, uint64_t gpa, bool write)
{
	struct kvm_memslot *s = kvm_gpa_to_slot(vm, gpa);

	if (!s || (write && (s->flags & SKVM_MEM_READONLY)))
		return NULL;
	return s->host + (gpa - (s->base_gfn << PAGE_SHIFT));
}

void kvm_mark_page_dirty(struct kvm_memslot *slot, uint64_t gpa)
{
	uint64_t rel;

	if (!slot || !slot->dirty_bitmap)
		return;
	rel = (gpa >> PAGE_SHIFT) - slot->base_gfn;
	if (rel >= slot->npages)
		return;
	/* vcpu threads mark while skvm_vm_get_dirty_log may be harvesting */
	__atomic_fetch_or(&slot->dirty_bitmap[rel / 64], 1ull << (rel % 64), __ATOMIC_RELAXED);
}

unsigned kvm_slot_shadow_perm(struct kvm_memslot *slot, uint64_t gpa, unsigned perm,
			      enum cpu_access acc)
{
	if (!slot)
		return perm;
	if (slot->flags & SKVM_MEM_READONLY)
		return perm & ~SHADOW_PERM_W;
	if (slot->dirty_bitmap && (perm & SHADOW_PERM_W)) {
		if (acc != CPU_ACCESS_WRITE)
			return perm & ~SHADOW_PERM_W;
		kvm_mark_page_dirty(slot, gpa);
	}
	return perm;
}

/* ---- dirty log ---- */

/* Withdraw write permission for [lo, hi] in one vcpu's shadow TLB. A vcpu outside run
 * cannot enter while we hold vm->lock, so its TLB is ours to change; a running one is
 * asked to do it itself and we wait, so that when skvm_vm_get_dirty_log returns no shadow
 * entry can still write to the slot without trapping. */
static void revoke_write(struct skvm_vcpu *vcpu, uint32_t lo, uint32_t hi)
{
	pthread_mutex_lock(&vcpu->lock);
	if (vcpu->in_run) {
		vcpu->revoke_ppn_lo = lo;
		vcpu->revoke_ppn_hi = hi;
		__atomic_or_fetch(&vcpu->requests, KVM_REQ_REVOKE_WRITE, __ATOMIC_SEQ_CST);
		cpu_kick(&vcpu->cpu);
		pthread_cond_broadcast(&vcpu->wake);
		while ((__atomic_load_n(&vcpu->requests, __ATOMIC_SEQ_CST) & KVM_REQ_REVOKE_WRITE) &&
		       vcpu->in_run)
			pthread_cond_wait(&vcpu->req_done, &vcpu->lock);
	}
	if (__atomic_load_n(&vcpu->requests, __ATOMIC_SEQ_CST) & KVM_REQ_REVOKE_WRITE)
		__atomic_and_fetch(&vcpu->requests, ~KVM_REQ_REVOKE_WRITE, __ATOMIC_SEQ_CST);
	if (!vcpu->in_run)
		cpu_shadow_revoke_write(&vcpu->cpu, lo, hi);
	pthread_mutex_unlock(&vcpu->lock);
}

int skvm_vm_get_dirty_log(struct skvm_vm *vm, uint32_t slot, uint64_t *bitmap)
{
	struct kvm_memslot *s;
	int rc = 0;

	if (slot >= SKVM_MAX_MEM_SLOTS || !bitmap)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	s = &vm->slots[slot];
	if (!s->used || !s->dirty_bitmap) {
		rc = -ENOENT;
	} else {
		uint64_t last = s->base_gfn + s->npages - 1;
		uint32_t lo = s->base_gfn > UINT32_MAX ? UINT32_MAX : (uint32_t)s->base_gfn;
		uint32_t hi = last > UINT32_MAX ? UINT32_MAX : (uint32_t)last;

		/* Harvest, then write-protect (as KVM's get_dirty_log_protect). Every writable
		 * shadow entry was filled, and its page marked, after the previous harvest's
		 * revocation, so this harvest reports its page; writes until the revocation
		 * below land before we return and the caller copies the page. After it, the
		 * first write traps and marks the page for the next harvest. */
		for (uint64_t w = 0; w < bitmap_words(s->npages); w++)
			bitmap[w] = __atomic_exchange_n(&s->dirty_bitmap[w], 0, __ATOMIC_SEQ_CST);
		for (unsigned i = 0; i < vm->nr_vcpus; i++)
			revoke_write(vm->vcpus[i], lo, hi);
	}
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

/* ---- capabilities, paravirt ---- */

int skvm_get_api_version(void)
{
	return SKVM_API_VERSION;
}

int skvm_check_extension(struct skvm_vm *vm, enum skvm_cap cap)
{
	/* without a VM, the 440's answers */
	bool pr = vm && vm->pr;

	switch (cap) {
	case SKVM_CAP_NR_MEMSLOTS:
		return SKVM_MAX_MEM_SLOTS;
	case SKVM_CAP_NR_VCPUS:
	case SKVM_CAP_MAX_VCPUS:
		return KVM_MAX_VCPUS;
	/* the 440's alone: BookE sregs, DCRs, its watchdog, hardware breakpoints and
	 * watchpoints (KVM PR has none for a debugger) */
	case SKVM_CAP_GUEST_DEBUG_HW_BPS:
		return pr ? 0 : 4; /* IAC1-4 */
	case SKVM_CAP_GUEST_DEBUG_HW_WPS:
		return pr ? 0 : 2; /* DAC1-2 */
	case SKVM_CAP_PPC_BOOKE_SREGS:
	case SKVM_CAP_PPC_DCR:
	case SKVM_CAP_PPC_BOOKE_WATCHDOG:
		return !pr;
	/* Book3S PR's alone */
	case SKVM_CAP_PPC_PAPR:
	case SKVM_CAP_PPC_OSI:
	case SKVM_CAP_PPC_GET_SMMU_INFO:
	case SKVM_CAP_PPC_ENABLE_HCALL:
		return pr;
	case SKVM_CAP_COMPILED_RUNS:
		return cpu_jit_supported();
	case SKVM_CAP_USER_MEMORY:
	case SKVM_CAP_SYNC_MMU:
	case SKVM_CAP_DESTROY_MEMORY_REGION_WORKS:
	case SKVM_CAP_READONLY_MEM:
	case SKVM_CAP_INTERNAL_ERROR_DATA:
	case SKVM_CAP_PPC_UNSET_IRQ:
	case SKVM_CAP_PPC_IRQ_LEVEL:
	case SKVM_CAP_ENABLE_CAP:
	case SKVM_CAP_ENABLE_CAP_VM:
	case SKVM_CAP_CHECK_EXTENSION_VM:
	case SKVM_CAP_PPC_GET_PVINFO:
	case SKVM_CAP_ONE_REG:
	case SKVM_CAP_IMMEDIATE_EXIT:
	case SKVM_CAP_SET_GUEST_DEBUG:
	case SKVM_CAP_PPC_GUEST_DEBUG_SSTEP:
	case SKVM_CAP_EXIT_TIMING:
	case SKVM_CAP_IRQFD:
	case SKVM_CAP_HALT_POLL:
	case SKVM_CAP_IOEVENTFD:
	case SKVM_CAP_IRQFD_RESAMPLE:
	case SKVM_CAP_IOEVENTFD_NO_LENGTH:
		return 1;
	case SKVM_CAP_DECODE_CACHE_BYTES:
		return CPU_CODE_CACHE_DEFAULT_BYTES;
	case SKVM_CAP_PPC_PAIRED_SINGLES:
	case SKVM_CAP_PPC_HIOR:
	case SKVM_CAP_SW_TLB:
	case SKVM_CAP_PPC_EPR:
		return 0;
	}
	return 0;
}

static int set_compiled_runs(struct skvm_vm *vm, uint64_t on)
{
	int rc = 0;

	if (on > 1 || (on && !skvm_check_extension(vm, SKVM_CAP_COMPILED_RUNS)))
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	if (any_vcpu_in_run(vm))
		rc = -EBUSY;
	else if (vm->pr)
		book3s_pr_vm_set_compile(vm->pr, on);
	else
		cpu_code_cache_set_compile(vm->code, on); /* and every vcpu's: one domain */
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

static int set_decode_cache(struct skvm_vm *vm, uint64_t bytes)
{
	int rc;

	pthread_mutex_lock(&vm->lock);
	if (any_vcpu_in_run(vm))
		rc = -EBUSY;
	else if (vm->pr)
		rc = book3s_pr_vm_set_code_limit(vm->pr, bytes);
	else
		rc = cpu_code_cache_set_limit(vm->code, bytes);
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

int skvm_vm_enable_cap(struct skvm_vm *vm, const struct skvm_enable_cap *cap)
{
	if (!vm || !cap || cap->flags)
		return -EINVAL;
	switch (cap->cap) {
	case SKVM_CAP_HALT_POLL:
		if (cap->args[0] > UINT32_MAX)
			return -EINVAL;
		__atomic_store_n(&vm->max_halt_poll_ns, (uint32_t)cap->args[0], __ATOMIC_RELAXED);
		return 0;
	case SKVM_CAP_DECODE_CACHE_BYTES:
		return set_decode_cache(vm, cap->args[0]);
	case SKVM_CAP_COMPILED_RUNS:
		return set_compiled_runs(vm, cap->args[0]);
	case SKVM_CAP_PPC_ENABLE_HCALL:
		if (!vm->pr)
			return -EINVAL; /* KVM has it on Book3S only */
		return book3s_pr_vm_enable_hcall(vm->pr, cap->args[0], cap->args[1]);
	default:
		return -EINVAL;
	}
}

void skvm_vm_get_stats(struct skvm_vm *vm, struct skvm_vm_stats *st)
{
	struct cpu_code_cache_stats cs;

	pthread_mutex_lock(&vm->lock);
	if (vm->pr) {
		book3s_pr_vm_get_stats(vm->pr, st);
		pthread_mutex_unlock(&vm->lock);
		return;
	}
	cpu_code_cache_get_stats(vm->code, &cs);
	pthread_mutex_unlock(&vm->lock);
	kvm_vm_stats_of(&cs, sizeof(struct cpu_code_page), st);
}

/* ---- host writes of guest code ---- */

int skvm_vm_flush_icache(struct skvm_vm *vm, uint64_t gpa, uint64_t size)
{
	if (!vm || !size || gpa >= GPA_LIMIT || size > GPA_LIMIT - gpa)
		return -EINVAL;
	uint32_t lo = (uint32_t)(gpa >> PAGE_SHIFT), hi = (uint32_t)((gpa + size - 1) >> PAGE_SHIFT);

	/* at once, running vcpus or not: every vcpu's cache is in the VM's domain, whose lock
	 * the range takes (a running vcpu decodes the new code at its next instruction there) */
	pthread_mutex_lock(&vm->lock);
	if (vm->pr)
		book3s_pr_vm_flush_code(vm->pr, lo, hi);
	else
		cpu_code_cache_invalidate_range(vm->code, lo, hi);
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

#define INSN_LIS_R0 0x3c000000u /* addis r0,0,imm */
#define INSN_ORI_R0 0x60000000u /* ori r0,r0,imm */
#define INSN_SC 0x44000002u
#define INSN_NOP 0x60000000u

int skvm_vm_get_smmu_info(struct skvm_vm *vm, struct skvm_ppc_smmu_info *info)
{
	if (!vm || !info)
		return -EINVAL;
	if (!vm->pr)
		return -ENOTTY; /* KVM has the ioctl on Book3S only */
	book3s_smmu_info_power8(info);
	return 0;
}

int skvm_vm_get_pvinfo(struct skvm_vm *vm, struct skvm_ppc_pvinfo *info)
{
	(void)vm;
	if (!info)
		return -EINVAL;
	/* The non-HV BookE sequence: r0 = KVM_SC_MAGIC_R0, then sc (kvm_vm_ioctl_get_pvinfo) */
	info->hcall[0] = INSN_LIS_R0 | (KVM_SC_MAGIC_R0 >> 16);
	info->hcall[1] = INSN_ORI_R0 | (KVM_SC_MAGIC_R0 & 0xffff);
	info->hcall[2] = INSN_SC;
	info->hcall[3] = INSN_NOP;
	info->flags = SKVM_PPC_PVINFO_FLAGS_EV_IDLE;
	return 0;
}
