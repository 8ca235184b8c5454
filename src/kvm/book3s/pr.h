/* SPDX-License-Identifier: MIT */
/* The seam between the hypervisor's common code (built for the 440's 32-bit core) and the
 * Book3S PR hypervisor (src/kvm/book3s/pr_*.c, built with -DCPU_WIDTH=64 against the 64-bit
 * core, whose struct cpu is another size). Nothing here depends on the core's width: the
 * common code holds a PR vcpu by an opaque pointer and forwards the API calls of a
 * SKVM_VM_PPC_PR VM to these functions; the 440's paths do not change.
 */
#ifndef SOFTKVM_BOOK3S_PR_H
#define SOFTKVM_BOOK3S_PR_H

#include <stdbool.h>
#include <stdint.h>

#include <softkvm/skvm.h>

struct book3s_pr_vm;
struct book3s_pr_vcpu;

/* The VM's part: the 64-bit core's decoded-code cache and the guest's hashed page table. */
int book3s_pr_vm_create(struct skvm_vm *vm, struct book3s_pr_vm **out)
	__attribute__((warn_unused_result));
void book3s_pr_vm_destroy(struct book3s_pr_vm *pvm);
/* The memory map changed: drop every translation and decoded page (no vcpu runs). */
void book3s_pr_vm_flush(struct book3s_pr_vm *pvm);
/* skvm_vm_flush_icache: the host wrote guest code at guest-physical pages [lo, hi]; vcpus
 * may be running meanwhile (they run the new code from their next instruction there). */
void book3s_pr_vm_flush_code(struct book3s_pr_vm *pvm, uint64_t ppn_lo, uint64_t ppn_hi);

/* SKVM_CAP_PPC_ENABLE_HCALL: hcall handled in the hypervisor (on) or by the VMM; -EINVAL as
 * KVM's (skvm.h). Any thread. */
int book3s_pr_vm_enable_hcall(struct book3s_pr_vm *pvm, uint64_t hcall, uint64_t on)
	__attribute__((warn_unused_result));

/* SKVM_CAP_DECODE_CACHE_BYTES: the bound of each vcpu's decoded-code cache (no vcpu runs). */
int book3s_pr_vm_set_code_limit(struct book3s_pr_vm *pvm, uint64_t bytes)
	__attribute__((warn_unused_result));
/* skvm_vm_get_stats: the vcpus' decoded-code caches together. */
void book3s_pr_vm_get_stats(struct book3s_pr_vm *pvm, struct skvm_vm_stats *st);
/* Compiled runs (SKVM_CAP_COMPILED_RUNS) on or off (no vcpu running). */
void book3s_pr_vm_set_compile(struct book3s_pr_vm *pvm, bool on);

/* KVM_CREATE_VCPU of a PR VM; run is the vcpu's struct skvm_run. */
int book3s_pr_vcpu_create(struct book3s_pr_vm *pvm, struct skvm_vm *vm, uint32_t id,
			  struct skvm_run *run, struct book3s_pr_vcpu **out)
	__attribute__((warn_unused_result));
void book3s_pr_vcpu_destroy(struct book3s_pr_vcpu *v);

/* KVM_RUN (the caller holds the vcpu): 0, or -EINTR with exit_reason SKVM_EXIT_INTR. */
int book3s_pr_vcpu_run(struct book3s_pr_vcpu *v);
/* skvm_vcpu_kick (any thread). */
void book3s_pr_vcpu_kick(struct book3s_pr_vcpu *v);
/* KVM_INTERRUPT: the external input (SKVM_INTERRUPT_SET, _SET_LEVEL: high; _UNSET: low).
 * Any thread. */
int book3s_pr_vcpu_interrupt(struct book3s_pr_vcpu *v, uint32_t irq);
/* MSR[EE] as the guest has it (ready_for_interrupt_injection). */
bool book3s_pr_vcpu_ee(const struct book3s_pr_vcpu *v);

int book3s_pr_get_regs(struct book3s_pr_vcpu *v, struct skvm_regs *regs);
int book3s_pr_set_regs(struct book3s_pr_vcpu *v, const struct skvm_regs *regs);
/* The Book3S part of struct kvm_sregs: PVR, SDR1 and the SLB. */
int book3s_pr_get_sregs(struct book3s_pr_vcpu *v, struct skvm_sregs *s);
int book3s_pr_set_sregs(struct book3s_pr_vcpu *v, const struct skvm_sregs *s);
int book3s_pr_get_one_reg(struct book3s_pr_vcpu *v, uint64_t id, void *value);
int book3s_pr_set_one_reg(struct book3s_pr_vcpu *v, uint64_t id, const void *value);
/* skvm_vcpu_get_exit_stats: the vcpu's exits counted by kind, timed with
 * SKVM_CAP_EXIT_TIMING. */
void book3s_pr_get_exit_stats(const struct book3s_pr_vcpu *v,
			      struct skvm_exit_stat stats[SKVM_EXITS_NR]);
/* skvm_vcpu_get_halt_stats: its H_CEDE waits' halt polling. */
void book3s_pr_get_halt_stats(const struct book3s_pr_vcpu *v, struct skvm_halt_stats *stats);
/* KVM_SET_GUEST_DEBUG (control checked by the caller): ENABLE, SINGLESTEP, USE_SW_BP;
 * -EINVAL for USE_HW_BP (no hardware breakpoints on PR). */
int book3s_pr_set_guest_debug(struct book3s_pr_vcpu *v, uint32_t control)
	__attribute__((warn_unused_result));
/* KVM_TRANSLATE: the effective address tr->linear_address as the vcpu's data accesses
 * translate it now (MSR[DR]: SLB and HPT, or real mode), nothing checked or recorded. */
int book3s_pr_translate(struct book3s_pr_vcpu *v, struct skvm_translation *tr)
	__attribute__((warn_unused_result));
/* KVM_ENABLE_CAP on the vcpu: SKVM_CAP_PPC_PAPR, SKVM_CAP_PPC_OSI, SKVM_CAP_EXIT_TIMING. */
int book3s_pr_enable_cap(struct book3s_pr_vcpu *v, enum skvm_cap cap, uint64_t arg);

#endif
