// SPDX-License-Identifier: MIT
/* The vcpu object and KVM_RUN: complete the previous exit, deliver, run the core, halt.
 *
 * Threads. The vcpu thread is the one that calls skvm_vcpu_run; other threads may only
 * call skvm_vcpu_kick and skvm_vcpu_interrupt (and, on the VM, skvm_vm_get_dirty_log):
 * the calls on the vcpu's state find it taken (ioctl_lock) and return -EBUSY.
 * Those never touch guest state: they post a request under vcpu->lock, then cpu_kick()
 * the core (which ends its budget at the next taken branch) and signal the halt condvar.
 * The vcpu thread carries requests out itself, in kvm_prepare_to_enter. A userspace kick
 * (user_kick) returns -EINTR; a request from an interrupt or the dirty log does not.
 *
 * Halted for good. A vcpu that waits (MSR[WE], or a branch to itself found where a budget
 * ends) with nothing able to wake it returns SKVM_EXIT_SHUTDOWN, once per wait (booke/halt.c
 * says when; kvmppc_set_msr starts a new wait).
 *
 * The budget. The core counts taken branches, not time, so the budget is 3/4 of the time
 * to the next timer event divided by a measured cost per taken branch: each budget that
 * runs out on its own gives a sample (host time since arming / branches), folded into a
 * running average (ps_per_branch, starting at 2 ns). A budget that ends before the event
 * re-arms for what is left, so the event is taken at most about one minimum budget late.
 * Budgets are clamped to [BUDGET_MIN, BUDGET_MAX] taken branches: the floor bounds the
 * exit rate when an event is due at once, the ceiling (a few ms of guest time) bounds
 * how long a wrong estimate can delay a timer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvm.h"

#define BUDGET_MIN 1000
#define BUDGET_MAX 1000000
#define PS_PER_BRANCH_INIT 2000u
#define PS_PER_BRANCH_MIN 250u
#define PS_PER_BRANCH_MAX 100000u

#define PPC440EPB_PVR 0x422218d3u /* QEMU's bamboo: 440EPb */
#define RESET_PC 0xfffffffcu

static const struct cpu_trap_ops kvm_trap_ops = {
	.trap = kvm_handle_exit,
	.emulation = kvmppc_emulation_handler,
	.emulation_end = kvmppc_emulation_end,
};

/* ---- creation ---- */

static int init_sync(struct skvm_vcpu *vcpu)
{
	pthread_condattr_t attr;
	int rc;

	if (pthread_mutex_init(&vcpu->ioctl_lock, NULL))
		return -ENOMEM;
	if (pthread_mutex_init(&vcpu->lock, NULL)) {
		pthread_mutex_destroy(&vcpu->ioctl_lock);
		return -ENOMEM;
	}
	if (pthread_condattr_init(&attr))
		goto err_lock;
	/* halt deadlines come from CLOCK_MONOTONIC, like the timebase */
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (!rc)
		rc = pthread_cond_init(&vcpu->wake, &attr);
	if (!rc) {
		rc = pthread_cond_init(&vcpu->req_done, NULL);
		if (rc)
			pthread_cond_destroy(&vcpu->wake);
	}
	pthread_condattr_destroy(&attr);
	if (rc)
		goto err_lock;
	return 0;
err_lock:
	pthread_mutex_destroy(&vcpu->lock);
	pthread_mutex_destroy(&vcpu->ioctl_lock);
	return -ENOMEM;
}

/* The 440's power-on state, as QEMU's bamboo board leaves it. */
static void reset_state(struct skvm_vcpu *vcpu)
{
	vcpu->pvr = PPC440EPB_PVR;
	kvmppc_set_pir(vcpu, vcpu->id);
	vcpu->cpu.pc = RESET_PC;
	vcpu->ext_req = vcpu->crit_req = -1;
	vcpu->ps_per_branch = PS_PER_BRANCH_INIT;
	vcpu->exits_to_timer_check = 1;
	kvmppc_set_tb(vcpu, 0);
	kvmppc_set_tcr(vcpu, 0);
	kvmppc_clear_tsr_bits(vcpu, UINT32_MAX);
	kvmppc_set_dec(vcpu, 0);
	ppc440_tlb_reset(vcpu);
	kvmppc_set_msr(vcpu, 0);
	vcpu->halted = false;
	vcpu->mmio_split.n = 0;
	vcpu->mmio_split.pending = false;
}

/* A 440 vcpu decodes (and compiles) into a cache of its own in the VM's domain, as Book3S
 * PR's do (pr_vcpu.c): compiled runs belong to the thread that runs them. */
static int own_code_cache(struct skvm_vcpu *vcpu)
{
	if (vcpu->vm->pr)
		return 0;
	vcpu->code = cpu_code_cache_create();
	if (!vcpu->code)
		return -ENOMEM;
	if (cpu_code_cache_join(vcpu->code, vcpu->vm->code)) {
		cpu_code_cache_destroy(vcpu->code);
		vcpu->code = NULL;
		return -ENOMEM;
	}
	return 0;
}

int skvm_vcpu_create(struct skvm_vm *vm, uint32_t id, struct skvm_vcpu **out)
{
	struct skvm_vcpu *vcpu;
	int rc;

	*out = NULL;
	if (!vm)
		return -EINVAL;
	pthread_mutex_lock(&vm->lock);
	/* as KVM: -EINVAL past the most vcpus (SKVM_CAP_MAX_VCPUS), -EEXIST for an id taken */
	rc = vm->nr_vcpus >= KVM_MAX_VCPUS ? -EINVAL : 0;
	for (unsigned i = 0; i < vm->nr_vcpus && !rc; i++)
		if (vm->vcpus[i]->id == id)
			rc = -EEXIST;
	if (rc)
		goto out;
	/* large (the shadow TLB is inside): never on a stack; aligned for the magic page */
	vcpu = aligned_alloc(_Alignof(struct skvm_vcpu), sizeof(*vcpu));
	if (!vcpu) {
		rc = -ENOMEM;
		goto out;
	}
	memset(vcpu, 0, sizeof(*vcpu));
	vcpu->vm = vm;
	vcpu->id = id;
	vcpu->exit_type = KVM_EXIT_NONE;
	vcpu->context = UINT32_MAX; /* none yet: the reset state's MSR sets it */
	rc = init_sync(vcpu);
	if (rc) {
		free(vcpu);
		goto out;
	}
	rc = own_code_cache(vcpu);
	if (!rc)
		rc = cpu_init(&vcpu->cpu, vcpu->code ? vcpu->code : vm->code, &kvm_trap_ops, vcpu);
	if (!rc && vm->pr) {
		rc = book3s_pr_vcpu_create(vm->pr, vm, id, &vcpu->run, &vcpu->pr);
		if (rc)
			cpu_destroy(&vcpu->cpu);
	}
	if (rc) {
		cpu_code_cache_destroy(vcpu->code);
		pthread_cond_destroy(&vcpu->req_done);
		pthread_cond_destroy(&vcpu->wake);
		pthread_mutex_destroy(&vcpu->lock);
		pthread_mutex_destroy(&vcpu->ioctl_lock);
		free(vcpu);
		goto out;
	}
	reset_state(vcpu);
	vm->vcpus[vm->nr_vcpus++] = vcpu;
	*out = vcpu;
out:
	pthread_mutex_unlock(&vm->lock);
	return rc;
}

void kvm_vcpu_destroy(struct skvm_vcpu *vcpu)
{
	if (!vcpu)
		return;
	book3s_pr_vcpu_destroy(vcpu->pr);
	cpu_destroy(&vcpu->cpu);
	cpu_code_cache_destroy(vcpu->code);
	pthread_cond_destroy(&vcpu->req_done);
	pthread_cond_destroy(&vcpu->wake);
	pthread_mutex_destroy(&vcpu->lock);
	pthread_mutex_destroy(&vcpu->ioctl_lock);
	free(vcpu);
}

struct skvm_run *skvm_vcpu_run_data(struct skvm_vcpu *vcpu)
{
	return &vcpu->run;
}

/* ---- requests from other threads ---- */

void kvm_vcpu_post_request(struct skvm_vcpu *vcpu, uint32_t req)
{
	__atomic_or_fetch(&vcpu->requests, req, __ATOMIC_SEQ_CST);
	cpu_kick(&vcpu->cpu);
	pthread_cond_broadcast(&vcpu->wake);
}

void skvm_vcpu_kick(struct skvm_vcpu *vcpu)
{
	if (vcpu->pr) {
		book3s_pr_vcpu_kick(vcpu->pr);
		return;
	}
	pthread_mutex_lock(&vcpu->lock);
	__atomic_store_n(&vcpu->user_kick, true, __ATOMIC_RELEASE);
	cpu_kick(&vcpu->cpu);
	pthread_cond_broadcast(&vcpu->wake);
	pthread_mutex_unlock(&vcpu->lock);
}

/* What a KVM_INTERRUPT asked of an input, as ext_req/crit_req hold it (-1: nothing). */
enum kvm_input_req { INPUT_UNSET, INPUT_SET, INPUT_SET_LEVEL };

int skvm_vcpu_interrupt(struct skvm_vcpu *vcpu, uint32_t irq, bool crit)
{
	int8_t req;

	switch (irq) {
	case SKVM_INTERRUPT_UNSET:
		req = INPUT_UNSET;
		break;
	case SKVM_INTERRUPT_SET:
		req = INPUT_SET;
		break;
	case SKVM_INTERRUPT_SET_LEVEL:
		req = INPUT_SET_LEVEL;
		break;
	default:
		return -EINVAL;
	}
	if (vcpu->pr) /* Book3S has no critical input */
		return crit ? -EINVAL : book3s_pr_vcpu_interrupt(vcpu->pr, irq);
	pthread_mutex_lock(&vcpu->lock);
	if (crit)
		vcpu->crit_req = req;
	else
		vcpu->ext_req = req;
	kvm_vcpu_post_request(vcpu, KVM_REQ_IRQ);
	pthread_mutex_unlock(&vcpu->lock);
	return 0;
}

/* KVM_INTERRUPT semantics (kvmppc_core_queue_external / dequeue_external): SET queues
 * once, SET_LEVEL holds the input high, UNSET lowers it and withdraws what is queued. */
static void apply_input(struct skvm_vcpu *vcpu, int req, bool *level, enum booke_irqprio prio)
{
	switch (req) {
	case INPUT_UNSET:
		*level = false;
		kvmppc_set_pending(vcpu, 1u << prio, 0);
		break;
	case INPUT_SET:
		kvmppc_queue_irqprio(vcpu, prio);
		break;
	case INPUT_SET_LEVEL:
		*level = true;
		kvmppc_queue_irqprio(vcpu, prio);
		break;
	}
}

/* On the vcpu thread: carry out what other threads asked for. */
static void process_requests(struct skvm_vcpu *vcpu)
{
	int ext, crit;
	uint32_t req;

	pthread_mutex_lock(&vcpu->lock);
	req = __atomic_exchange_n(&vcpu->requests, 0, __ATOMIC_SEQ_CST);
	ext = vcpu->ext_req;
	crit = vcpu->crit_req;
	vcpu->ext_req = vcpu->crit_req = -1;
	if (req & KVM_REQ_REVOKE_WRITE) {
		cpu_shadow_revoke_write(&vcpu->cpu, vcpu->revoke_ppn_lo, vcpu->revoke_ppn_hi);
		pthread_cond_broadcast(&vcpu->req_done);
	}
	pthread_mutex_unlock(&vcpu->lock);
	if (req & KVM_REQ_IRQ) {
		apply_input(vcpu, ext, &vcpu->ext_level, BOOKE_IRQPRIO_EXTERNAL);
		apply_input(vcpu, crit, &vcpu->crit_level, BOOKE_IRQPRIO_CRITICAL);
	}
}

/* Takes a pending userspace kick, if any. */
static bool take_user_kick(struct skvm_vcpu *vcpu)
{
	bool kicked;

	pthread_mutex_lock(&vcpu->lock);
	kicked = vcpu->user_kick;
	vcpu->user_kick = false;
	pthread_mutex_unlock(&vcpu->lock);
	return kicked;
}

/* ---- delivery ---- */

bool kvm_prepare_to_enter(struct skvm_vcpu *vcpu)
{
	if (__atomic_load_n(&vcpu->requests, __ATOMIC_RELAXED))
		process_requests(vcpu);
	if (kvmppc_timer_update(vcpu)) {
		/* the watchdog's final expiry with TCR[WRC] set: the VMM's to act on when it
		 * asked (KVM_EXIT_WATCHDOG, as booke.c's KVM_REQ_WATCHDOG), else the reset the
		 * 440 would do itself */
		if (vcpu->watchdog_exit) {
			vcpu->run.exit_reason = SKVM_EXIT_WATCHDOG;
		} else {
			kvm_system_event_exit(vcpu, SKVM_SYSTEM_EVENT_RESET);
		}
		return true;
	}
	if (vcpu->pending)
		kvmppc_deliver_pending(vcpu);
	return false;
}

/* ---- the budget ---- */

void kvm_arm_budget(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;
	uint64_t ns = kvmppc_timer_ns_to_next_event(vcpu);
	int64_t budget = BUDGET_MAX;

	/* Aim at 3/4 of the way: a budget that ends early only re-arms for the rest, one that
	 * ends late delays the interrupt, and the cost per branch is only an average. */
	if (ns < (uint64_t)BUDGET_MAX * PS_PER_BRANCH_MAX / 1000)
		budget = (int64_t)(ns * 750 / vcpu->ps_per_branch);
	if (budget > BUDGET_MAX)
		budget = BUDGET_MAX;
	if (budget < BUDGET_MIN)
		budget = BUDGET_MIN;
	vcpu->budget_set = budget;
	kvm_exit_checks_set(vcpu, 0); /* armed for the deadline as it is; entering the guest */
	vcpu->budget_start_ns = kvm_now_ns();
	/* Another thread posts its request (or user_kick), then cpu_kick() stores kick = 1 and
	 * budget = 0. We clear kick, store our budget, then look for requests: whatever a
	 * poster did before our store is seen here, whatever it does after lands on top of our
	 * budget. Either way the kick is not lost. */
	__atomic_store_n(&c->kick, 0, __ATOMIC_SEQ_CST);
	__atomic_store_n(&c->budget, budget, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->kick, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&vcpu->requests, __ATOMIC_SEQ_CST) ||
	    __atomic_load_n(&vcpu->user_kick, __ATOMIC_SEQ_CST))
		cpu_kick(c);
}

static void calibrate(struct skvm_vcpu *vcpu)
{
	uint64_t elapsed = kvm_now_ns() - vcpu->budget_start_ns;
	uint64_t branches = (uint64_t)vcpu->budget_set + 1; /* it ran out at -1 */
	uint64_t sample = elapsed * 1000 / branches;

	if (sample < PS_PER_BRANCH_MIN)
		sample = PS_PER_BRANCH_MIN;
	if (sample > PS_PER_BRANCH_MAX)
		sample = PS_PER_BRANCH_MAX;
	vcpu->ps_per_branch = (uint32_t)((3ull * vcpu->ps_per_branch + sample) / 4);
}

/* The vcpu waits (MSR[WE] or a branch to itself): if nothing the hypervisor owns can ever
 * wake it, tell userspace, once for this wait (kvmppc_set_msr ends it). */
static bool report_halt(struct skvm_vcpu *vcpu)
{
	if (vcpu->halt_reported || !kvmppc_halted_for_good(vcpu))
		return false;
	vcpu->halt_reported = true;
	vcpu->run.exit_reason = SKVM_EXIT_SHUTDOWN;
	return true;
}

enum cpu_resume kvm_handle_budget(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;

	kvm_set_exit_type(vcpu, SKVM_EXITS_BUDGET);
	if (__atomic_load_n(&c->kick, __ATOMIC_ACQUIRE)) {
		if (take_user_kick(vcpu)) {
			/* counted as SKVM_EXITS_SIGNAL when the run returns */
			kvm_set_exit_type(vcpu, KVM_EXIT_NONE);
			vcpu->run.exit_reason = SKVM_EXIT_INTR;
			return CPU_RESUME_STOP;
		}
	} else {
		calibrate(vcpu);
	}
	if (kvm_prepare_to_enter(vcpu))
		return CPU_RESUME_STOP;
	if (vcpu->halted)
		return CPU_RESUME_STOP;
	/* A budget that ends at a branch to itself: the guest may be spinning for good (the
	 * cheap MSR test first: a kernel runs with EE set nearly all the time). */
	if (unlikely(!(kvmppc_get_msr(vcpu) & PPC_MSR_EE)) && kvmppc_at_branch_to_self(vcpu) &&
	    report_halt(vcpu))
		return CPU_RESUME_STOP;
	kvm_arm_budget(vcpu);
	return CPU_RESUME_REFETCH;
}

/* ---- halt ---- */

static void deadline_after(struct timespec *ts, uint64_t ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ns += (uint64_t)ts->tv_nsec;
	ts->tv_sec += (time_t)(ns / 1000000000u);
	ts->tv_nsec = (long)(ns % 1000000000u);
}

/* MSR[WE]: sleep until a timer event is due, a request arrives or userspace kicks.
 * Returns true for a userspace kick (the run returns -EINTR). */
static bool halt_woken(void *arg)
{
	struct skvm_vcpu *vcpu = arg;

	return __atomic_load_n(&vcpu->user_kick, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&vcpu->requests, __ATOMIC_ACQUIRE);
}

static bool halt_wait(struct skvm_vcpu *vcpu)
{
	struct halt_poll_wait w;
	bool kicked, slept = false;

	/* the next timer event bounds the poll: the timer update acts on it when we return */
	halt_poll_begin(&vcpu->halt_poll, &w,
			__atomic_load_n(&vcpu->vm->max_halt_poll_ns, __ATOMIC_RELAXED),
			kvmppc_timer_ns_to_next_event(vcpu), halt_woken, vcpu);
	pthread_mutex_lock(&vcpu->lock);
	for (;;) {
		uint64_t ns;
		struct timespec until;

		if (vcpu->user_kick || __atomic_load_n(&vcpu->requests, __ATOMIC_SEQ_CST))
			break;
		ns = kvmppc_timer_ns_to_next_event(vcpu);
		if (ns == 0) {
			/* Due now: the timer update will act on it. If it keeps being due without
			 * waking us (an event the guest masked), fall back to a short sleep rather
			 * than spin. */
			if (vcpu->halt_spins++ < 2)
				break;
			ns = 100000;
		}
		slept = true;
		if (ns == UINT64_MAX) {
			pthread_cond_wait(&vcpu->wake, &vcpu->lock);
			continue;
		}
		deadline_after(&until, ns);
		if (pthread_cond_timedwait(&vcpu->wake, &vcpu->lock, &until) == ETIMEDOUT)
			break;
	}
	kicked = vcpu->user_kick;
	vcpu->user_kick = false;
	pthread_mutex_unlock(&vcpu->lock);
	halt_poll_end(&vcpu->halt_poll, &w, slept);
	return kicked;
}

/* ---- KVM_RUN ---- */

/* Entry takes vm->lock, so that a memory-slot change (which holds it) never overlaps a run. */
static void enter_run(struct skvm_vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->vm->lock);
	pthread_mutex_lock(&vcpu->lock);
	vcpu->in_run = true;
	pthread_mutex_unlock(&vcpu->lock);
	pthread_mutex_unlock(&vcpu->vm->lock);
}

static void leave_run(struct skvm_vcpu *vcpu)
{
	pthread_mutex_lock(&vcpu->lock);
	vcpu->in_run = false;
	pthread_cond_broadcast(&vcpu->req_done); /* a dirty-log harvest may wait for us */
	pthread_mutex_unlock(&vcpu->lock);
}

void kvm_system_event_exit(struct skvm_vcpu *vcpu, uint32_t type)
{
	struct skvm_run *run = &vcpu->run;

	run->exit_reason = SKVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = 0;
}

void kvm_debug_exit(struct skvm_vcpu *vcpu, uint32_t address, uint32_t status)
{
	struct skvm_run *run = &vcpu->run;

	run->exit_reason = SKVM_EXIT_DEBUG;
	run->debug.arch.address = address;
	run->debug.arch.status = status;
	run->debug.arch.reserved = 0;
}

/* KVM_GUESTDBG_SINGLESTEP: one instruction, then SKVM_EXIT_DEBUG at the next PC. A step
 * whose instruction exits to userspace (MMIO, DCR, hypercall) reports that exit first and
 * the debug exit at the next run, once the instruction has completed. Other exits (reset,
 * internal error, kick) are reported as they are. */
static void single_step(struct skvm_vcpu *vcpu)
{
	struct skvm_run *run = &vcpu->run;
	struct cpu *c = &vcpu->cpu;
	int rc;

	/* a hardware breakpoint at the PC ends the step before its instruction */
	if (unlikely(vcpu->watch.active) && !kvmppc_debug_step_begin(vcpu)) {
		if (run->exit_reason == SKVM_EXIT_UNKNOWN) {
			/* the guest took its own debug interrupt: that was the step */
			kvm_debug_exit(vcpu, c->pc, SKVM_DEBUG_NONE);
			kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
		}
		return;
	}
	rc = cpu_step(c);
	if (vcpu->watch.stepping)
		kvmppc_debug_step_end(vcpu);
	if (rc) {
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, c->pc, 0);
		return;
	}
	switch (run->exit_reason) {
	case SKVM_EXIT_UNKNOWN:
		kvm_debug_exit(vcpu, c->pc, SKVM_DEBUG_NONE);
		kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
		break;
	case SKVM_EXIT_MMIO:
		/* a fragment: the instruction is not done (the next run completes the step) */
		vcpu->step_exited = vcpu->io_pending != KVM_IO_MMIO_SPLIT;
		break;
	case SKVM_EXIT_DCR:
	case SKVM_EXIT_HYPERCALL:
		vcpu->step_exited = true;
		break;
	default:
		break;
	}
}

/* The core stopped at a page a hardware compare marks (booke/debug.c): that one
 * instruction runs alone, after the compare with the IACs. A kick must still end a run
 * that steps every instruction (no budget runs out then). */
static void watch_step(struct skvm_vcpu *vcpu)
{
	if (kvmppc_debug_step_begin(vcpu)) {
		int rc = cpu_step(&vcpu->cpu);

		kvmppc_debug_step_end(vcpu);
		if (rc) {
			kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, vcpu->cpu.pc, 0);
			return;
		}
	}
	if (vcpu->run.exit_reason == SKVM_EXIT_UNKNOWN && take_user_kick(vcpu))
		vcpu->run.exit_reason = SKVM_EXIT_INTR;
}

/* An instruction whose MMIO took a series of exits runs again first (mmio_split.c): its
 * completion belongs to the previous exit, so nothing is delivered before it. Under single
 * step it ends the step. */
static void split_resume(struct skvm_vcpu *vcpu)
{
	struct skvm_run *run = &vcpu->run;

	kvm_arm_budget(vcpu);
	kvm_mmio_split_resume(vcpu);
	if (run->exit_reason == SKVM_EXIT_UNKNOWN && vcpu->io_pending != KVM_IO_MMIO_SPLIT &&
	    (vcpu->dbg.control & SKVM_GUESTDBG_SINGLESTEP)) {
		kvm_debug_exit(vcpu, vcpu->cpu.pc, SKVM_DEBUG_NONE);
		kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
	}
}

static int vcpu_run(struct skvm_vcpu *vcpu)
{
	struct skvm_run *run = &vcpu->run;
	struct cpu *c = &vcpu->cpu;
	bool was_halted = false;

	/* As KVM: the previous exit completes even when the run stops at once, so that
	 * immediate_exit leaves the registers consistent for userspace to read. */
	bool step_done = vcpu->step_exited;
	vcpu->step_exited = false;
	kvm_complete_io(vcpu);
	if (run->immediate_exit | take_user_kick(vcpu)) {
		/* what other threads asked for takes effect all the same, as KVM_INTERRUPT does
		 * in KVM before any run */
		if (__atomic_load_n(&vcpu->requests, __ATOMIC_SEQ_CST))
			process_requests(vcpu);
		run->exit_reason = SKVM_EXIT_INTR;
		kvm_account_exit(vcpu, SKVM_EXITS_SIGNAL);
		return -EINTR;
	}
	if (unlikely(step_done && (vcpu->dbg.control & SKVM_GUESTDBG_SINGLESTEP))) {
		/* the last step ended in an exit to userspace (MMIO, DCR, hypercall): its
		 * instruction is complete now, and that was the step */
		kvm_debug_exit(vcpu, vcpu->cpu.pc, SKVM_DEBUG_NONE);
		kvm_account_exit(vcpu, SKVM_EXITS_DEBUG);
		return 0;
	}
	enter_run(vcpu);
	run->exit_reason = SKVM_EXIT_UNKNOWN;
	if (unlikely(vcpu->mmio_split.pending))
		split_resume(vcpu);
	while (run->exit_reason == SKVM_EXIT_UNKNOWN) {
		if (kvm_prepare_to_enter(vcpu))
			break;
		if (unlikely(vcpu->halted)) {
			if (!was_halted)
				kvm_account_exit(vcpu, SKVM_EXITS_EMULATED_MTMSRWE);
			was_halted = true;
			if (report_halt(vcpu))
				break;
			if (halt_wait(vcpu)) {
				run->exit_reason = SKVM_EXIT_INTR;
				break;
			}
			continue;
		}
		if (was_halted) {
			kvm_account_exit(vcpu, SKVM_EXITS_HALT_WAKEUP);
			was_halted = false;
		}
		vcpu->halt_spins = 0;
		kvm_arm_budget(vcpu);
		if (unlikely(vcpu->timing))
			vcpu->guest_enter_ns = kvm_now_ns();
		if (unlikely(vcpu->dbg.control & SKVM_GUESTDBG_SINGLESTEP)) {
			single_step(vcpu);
			break;
		}
		cpu_run(c);
		if (run->exit_reason != SKVM_EXIT_UNKNOWN)
			break;
		if (unlikely(vcpu->watch.step_pending))
			watch_step(vcpu);
	}
	leave_run(vcpu);
	if (run->exit_reason == SKVM_EXIT_INTR) {
		kvm_account_exit(vcpu, SKVM_EXITS_SIGNAL);
		return -EINTR;
	}
	return 0;
}

int skvm_vcpu_run(struct skvm_vcpu *vcpu)
{
	int rc = kvm_vcpu_lock(vcpu);

	if (rc)
		return rc;
	if (vcpu->pr) {
		enter_run(vcpu);
		rc = book3s_pr_vcpu_run(vcpu->pr);
		leave_run(vcpu);
		vcpu->run.ready_for_interrupt_injection = book3s_pr_vcpu_ee(vcpu->pr);
		kvm_vcpu_unlock(vcpu);
		return rc;
	}
	rc = vcpu_run(vcpu);
	/* what a KVM_INTERRUPT now would meet: delivered at the next entry, or held */
	vcpu->run.ready_for_interrupt_injection = (kvmppc_get_msr(vcpu) & PPC_MSR_EE) != 0;
	kvm_vcpu_unlock(vcpu);
	return rc;
}

/* ---- capabilities, debug ---- */

static int vcpu_enable_cap(struct skvm_vcpu *vcpu, enum skvm_cap cap, uint64_t arg)
{
	switch (cap) {
	case SKVM_CAP_EXIT_TIMING:
		vcpu->timing = arg != 0;
		return 0;
	case SKVM_CAP_PPC_BOOKE_WATCHDOG:
		/* as booke.c: enabling is all there is (QEMU passes args[0] = 0) */
		vcpu->watchdog_exit = true;
		return 0;
	default:
		return -EINVAL;
	}
}

/* What either flavour takes: software breakpoints (SKVM_REG_PPC_DEBUG_INST planted by the
 * debugger), single step, and (the 440's) hardware breakpoints and watchpoints. */
static bool guest_debug_valid(const struct skvm_guest_debug *dbg)
{
	if (!dbg || (dbg->control & ~(SKVM_GUESTDBG_ENABLE | SKVM_GUESTDBG_SINGLESTEP |
				      SKVM_GUESTDBG_USE_SW_BP | SKVM_GUESTDBG_USE_HW_BP)))
		return false;
	return !(dbg->control & (SKVM_GUESTDBG_SINGLESTEP | SKVM_GUESTDBG_USE_HW_BP)) ||
	       (dbg->control & SKVM_GUESTDBG_ENABLE);
}

/* The 440's: hardware compares in booke/debug.c */
static int vcpu_set_guest_debug(struct skvm_vcpu *vcpu, const struct skvm_guest_debug *dbg)
{
	struct skvm_guest_debug old = vcpu->dbg;
	vcpu->dbg = *dbg;
	int rc = kvmppc_debug_set_vmm(vcpu, dbg);
	if (rc) {
		vcpu->dbg = old;
		kvmppc_debug_update(vcpu);
	}
	return rc;
}

int skvm_vcpu_enable_cap(struct skvm_vcpu *vcpu, enum skvm_cap cap, uint64_t arg)
{
	KVM_VCPU_CALL(vcpu, vcpu->pr ? book3s_pr_enable_cap(vcpu->pr, cap, arg)
				     : vcpu_enable_cap(vcpu, cap, arg));
}

int skvm_vcpu_set_guest_debug(struct skvm_vcpu *vcpu, const struct skvm_guest_debug *dbg)
{
	if (!guest_debug_valid(dbg))
		return -EINVAL;
	KVM_VCPU_CALL(vcpu, vcpu->pr ? book3s_pr_set_guest_debug(vcpu->pr, dbg->control)
				     : vcpu_set_guest_debug(vcpu, dbg));
}
