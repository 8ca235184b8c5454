// SPDX-License-Identifier: MIT
/* The pseries board's secondary vcpus (see pseries_smp.h). One lock and one condition
 * variable for all of them: state changes are rare (boot, CPU hotplug, reboot). */
#include "boards/pseries_smp.h"

#include <errno.h>
#include <string.h>

#include "gdbstub.h"
#include "log.h"
#include "softkvm/ppc.h"
#include "vcpu_loop.h"

#define MSR_SF (1ull << 63)
#define MSR_ME (1ull << 12)

int pseries_vcpu_enter(struct skvm_vcpu *vcpu, uint64_t pc, uint64_t r3, uint64_t r4,
		       uint64_t lpcr)
{
	struct skvm_run *run = skvm_vcpu_run_data(vcpu);
	struct skvm_regs regs;
	int rc;

	memset(&regs, 0, sizeof(regs));
	regs.pc = pc;
	regs.msr = MSR_SF | MSR_ME; /* real mode, big-endian: the kernel's entry code switches */
	regs.gpr[3] = r3;
	regs.gpr[4] = r4;
	rc = skvm_vcpu_set_regs(vcpu, &regs);
	if (!rc)
		rc = skvm_vcpu_set_one_reg(vcpu, SKVM_REG_PPC_LPCR_64, &lpcr);
	if (rc)
		return rc;
	/* The vcpu last left through a hypercall (RTAS: system-reboot, stop-self) that the
	 * next KVM_RUN completes as KVM does: r3 = ret, r4-r12 = args. Those are the entry
	 * registers too. */
	run->papr_hcall.ret = regs.gpr[3];
	for (unsigned i = 0; i < 9; i++)
		run->papr_hcall.args[i] = regs.gpr[4 + i];
	return 0;
}

/* Runs a started vcpu until it stops (stop-self, a request for the boot vcpu, the board's
 * stop_req). Without the lock. */
static void cpu_run(struct pseries_cpu *c)
{
	struct pseries_smp *s = c->smp;
	struct vmm_err err = {""};
	int rc = pseries_vcpu_enter(c->vcpu, c->entry, c->r3, 0, c->lpcr);

	if (rc) {
		vmm_err_set(&err, rc, "cannot start vcpu %u: %s", c->index, strerror(-rc));
		rc = -1;
	}
	while (rc >= 0) {
		rc = vmm_vcpu_run_secondary(s->m, c->index, c->vcpu, &err);
		if (rc == VMM_SECONDARY_STOPPED)
			return;
		if (rc == VMM_SECONDARY_KICKED) {
			pthread_mutex_lock(&s->lock);
			rc = s->exiting || c->stop_req ? VMM_SECONDARY_STOPPED : 0;
			pthread_mutex_unlock(&s->lock);
			if (rc)
				return;
		}
	}
	/* a host failure: the run ends as an internal error of this vcpu */
	pr_err("%s", err.msg);
	s->m->cpu_failure = (struct vmm_cpu_failure){.suberror = SKVM_INTERNAL_ERROR_EMULATION};
	__atomic_fetch_or(&s->m->guest_requests, VMM_GUEST_CPU_FAILED, __ATOMIC_SEQ_CST);
	skvm_vcpu_kick(s->m->vcpu);
}

static void *cpu_thread(void *arg)
{
	struct pseries_cpu *c = arg;
	struct pseries_smp *s = c->smp;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->exiting && (c->state != PSERIES_CPU_STARTING || c->stop_req))
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->exiting)
			break;
		c->state = PSERIES_CPU_RUNNING;
		pthread_mutex_unlock(&s->lock);
		cpu_run(c);
		pthread_mutex_lock(&s->lock);
		c->state = PSERIES_CPU_STOPPED;
		pthread_cond_broadcast(&s->cond);
	}
	c->state = PSERIES_CPU_STOPPED;
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int pseries_smp_init(struct pseries_smp *s, struct vmm_machine *m, struct skvm_vcpu *const *vcpus,
		     unsigned nr, struct vmm_err *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->nr = nr;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	for (unsigned i = 0; i < nr; i++) {
		struct pseries_cpu *c = &s->cpu[i];

		*c = (struct pseries_cpu){.smp = s, .index = i, .vcpu = vcpus[i],
					  .state = i ? PSERIES_CPU_STOPPED : PSERIES_CPU_RUNNING};
		if (!i)
			continue;
		rc = pthread_create(&c->thread, NULL, cpu_thread, c);
		if (rc) {
			pseries_smp_destroy(s);
			return vmm_err_set(err, -rc, "cannot start vcpu %u's thread: %s", i,
					   strerror(rc));
		}
		c->has_thread = true;
	}
	return 0;
}

void pseries_smp_destroy(struct pseries_smp *s)
{
	if (!s->m)
		return;
	pthread_mutex_lock(&s->lock);
	s->exiting = true;
	pthread_cond_broadcast(&s->cond);
	for (unsigned i = 1; i < s->nr; i++)
		if (s->cpu[i].has_thread)
			skvm_vcpu_kick(s->cpu[i].vcpu);
	pthread_mutex_unlock(&s->lock);
	for (unsigned i = 1; i < s->nr; i++)
		if (s->cpu[i].has_thread)
			pthread_join(s->cpu[i].thread, NULL);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	s->m = NULL;
}

int pseries_smp_start(struct pseries_smp *s, unsigned cpu, uint64_t entry, uint64_t r3,
		      uint64_t lpcr)
{
	struct pseries_cpu *c = &s->cpu[cpu];
	int rc = -1;

	if (cpu == 0 || cpu >= s->nr)
		return -1;
	pthread_mutex_lock(&s->lock);
	if (c->state == PSERIES_CPU_STOPPED && !c->stop_req) {
		c->entry = entry;
		c->r3 = r3;
		c->lpcr = lpcr;
		c->state = PSERIES_CPU_STARTING;
		pthread_cond_broadcast(&s->cond);
		rc = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int pseries_smp_state(struct pseries_smp *s, unsigned cpu)
{
	int state;

	if (cpu >= s->nr)
		return -1;
	if (cpu == 0)
		return 2;
	pthread_mutex_lock(&s->lock);
	state = s->cpu[cpu].state == PSERIES_CPU_STOPPED ? 0 : 2;
	pthread_mutex_unlock(&s->lock);
	return state;
}

void pseries_smp_stop_all(struct pseries_smp *s)
{
	pthread_mutex_lock(&s->lock);
	for (unsigned i = 1; i < s->nr; i++) {
		struct pseries_cpu *c = &s->cpu[i];

		c->stop_req = true;
		if (c->state == PSERIES_CPU_STARTING)
			c->state = PSERIES_CPU_STOPPED;
		if (c->state == PSERIES_CPU_RUNNING)
			skvm_vcpu_kick(c->vcpu);
		if (c->state == PSERIES_CPU_RUNNING && s->m->gdb)
			vmm_gdb_wake(s->m->gdb); /* one parked for gdb returns too */
		while (c->state != PSERIES_CPU_STOPPED)
			pthread_cond_wait(&s->cond, &s->lock);
	}
	for (unsigned i = 1; i < s->nr; i++)
		s->cpu[i].stop_req = false;
	pthread_mutex_unlock(&s->lock);
}
