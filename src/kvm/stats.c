// SPDX-License-Identifier: MIT
/* Per-exit-type statistics (arch/powerpc/kvm/timing.c in the seeds). Counting is always
 * on (kvm_account_exit in kvm.h, pr_account for Book3S PR: one increment); timing only with
 * SKVM_CAP_EXIT_TIMING, by kvm_exit_timing_begin/_end for both hypervisors' exits. */
#include <string.h>
#include <time.h>

#include "kvm.h"

uint64_t kvm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void kvm_exit_stat_add(struct skvm_exit_stat *s, uint64_t ns)
{
	s->total_ns += ns;
	/* min_ns == 0 means "no sample yet" (a 0 ns sample is simply replaced) */
	if (s->min_ns == 0 || ns < s->min_ns)
		s->min_ns = ns;
	if (ns > s->max_ns)
		s->max_ns = ns;
}

uint64_t kvm_exit_timing_begin(struct skvm_exit_stat stats[SKVM_EXITS_NR], uint64_t guest_enter_ns)
{
	uint64_t now = kvm_now_ns();

	/* time in the guest is not an exit of its own: it counts its stretches here */
	stats[SKVM_EXITS_TIMEINGUEST].count++;
	kvm_exit_stat_add(&stats[SKVM_EXITS_TIMEINGUEST], now - guest_enter_ns);
	return now;
}

uint64_t kvm_exit_timing_end(struct skvm_exit_stat stats[SKVM_EXITS_NR], enum skvm_exit_type type,
			     uint64_t t0)
{
	uint64_t now = kvm_now_ns();

	if (type != KVM_EXIT_NONE)
		kvm_exit_stat_add(&stats[type], now - t0);
	return now;
}

void skvm_vcpu_get_exit_stats(struct skvm_vcpu *vcpu, struct skvm_exit_stat stats[SKVM_EXITS_NR])
{
	if (vcpu->pr)
		book3s_pr_get_exit_stats(vcpu->pr, stats);
	else
		memcpy(stats, vcpu->stats, sizeof(vcpu->stats));
}

void skvm_vcpu_get_halt_stats(struct skvm_vcpu *vcpu, struct skvm_halt_stats *stats)
{
	if (vcpu->pr)
		book3s_pr_get_halt_stats(vcpu->pr, stats);
	else
		*stats = vcpu->halt_poll.stats;
}

static const char *const exit_names[SKVM_EXITS_NR] = {
	[SKVM_EXITS_MMIO] = "mmio",
	[SKVM_EXITS_DCR] = "dcr",
	[SKVM_EXITS_SIGNAL] = "signal",
	[SKVM_EXITS_ITLB_REAL_MISS] = "itlb_real_miss",
	[SKVM_EXITS_ITLB_VIRT_MISS] = "itlb_virt_miss",
	[SKVM_EXITS_DTLB_REAL_MISS] = "dtlb_real_miss",
	[SKVM_EXITS_DTLB_VIRT_MISS] = "dtlb_virt_miss",
	[SKVM_EXITS_SYSCALL] = "syscall",
	[SKVM_EXITS_ISI] = "isi",
	[SKVM_EXITS_DSI] = "dsi",
	[SKVM_EXITS_EMULATED_INST] = "emulated_inst",
	[SKVM_EXITS_EMULATED_MFMSR] = "emulated_mfmsr",
	[SKVM_EXITS_EMULATED_MTMSR] = "emulated_mtmsr",
	[SKVM_EXITS_EMULATED_WRTEE] = "emulated_wrtee",
	[SKVM_EXITS_EMULATED_MFSPR] = "emulated_mfspr",
	[SKVM_EXITS_EMULATED_MTSPR] = "emulated_mtspr",
	[SKVM_EXITS_EMULATED_MFTB] = "emulated_mftb",
	[SKVM_EXITS_EMULATED_TLBWE] = "emulated_tlbwe",
	[SKVM_EXITS_EMULATED_TLBSX] = "emulated_tlbsx",
	[SKVM_EXITS_EMULATED_RFI] = "emulated_rfi",
	[SKVM_EXITS_EMULATED_MTMSRWE] = "emulated_mtmsrwe",
	[SKVM_EXITS_DEC] = "dec",
	[SKVM_EXITS_EXTINT] = "extint",
	[SKVM_EXITS_HALT_WAKEUP] = "halt_wakeup",
	[SKVM_EXITS_USR_PR_INST] = "usr_pr_inst",
	[SKVM_EXITS_FP_UNAVAIL] = "fp_unavail",
	[SKVM_EXITS_PROGRAM] = "program",
	[SKVM_EXITS_ALIGNMENT] = "alignment",
	[SKVM_EXITS_HCALL] = "hcall",
	[SKVM_EXITS_BUDGET] = "budget",
	[SKVM_EXITS_DEBUG] = "debug",
	[SKVM_EXITS_IOEVENTFD] = "ioeventfd",
	[SKVM_EXITS_TIMEINGUEST] = "timeinguest",
};

const char *skvm_exit_type_name(enum skvm_exit_type type)
{
	if ((unsigned)type >= SKVM_EXITS_NR || !exit_names[type])
		return "unknown";
	return exit_names[type];
}
