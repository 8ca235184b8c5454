/* SPDX-License-Identifier: MIT */
/* The hypervisor's internal state and the interfaces between its parts.
 *
 *   vm.c        VM object, memory slots, dirty log, guest-physical -> host lookup, caps
 *   vcpu.c      vcpu object, KVM_RUN loop (complete previous exit, deliver, cpu_run,
 *               halt), the instruction budget, kick, KVM_INTERRUPT, cross-thread requests
 *   regs.c      registers (regs, sregs, one_reg) and the guest TLB entries of the API
 *   exits.c     the core's trap handler: dispatches every hardware exit; what every exit
 *               ends with (delivery, timers, accounting and timing)
 *   mmio.c      MMIO and DCR heavyweight exits and their completion (little-endian pages)
 *   mmio_split.c  MMIO one exit cannot complete: a series of exits, the instruction re-run
 *   stats.c     per-exit-type counting and timing (timing.c in the seeds)
 *   booke/      the BookE/440 CPU: emulate.c (the emulation of every instruction the
 *               hypervisor emulates, found by layer: ppc440_emulate.c -> booke_emulate.c ->
 *               spr.c and emulate.c's own; emulation.h: how each is written once and
 *               reached both from a trap and from its pre-decoded handler), tlb.c (the
 *               64-entry guest TLB and shadow refills), interrupts.c (pending bitmap,
 *               priorities, delivery), timer.c (timebase, decrementer, FIT, watchdog),
 *               halt.c (a vcpu halted for good: SKVM_EXIT_SHUTDOWN), debug.c (hardware
 *               breakpoints and watchpoints: IAC1-4, DAC1-2); booke.h is their own
 *   paravirt.c  ePAPR hypercalls and the magic page (paravirt.h: the guest ABI)
 *   eventfd.c   ioeventfds (stores that signal an eventfd without an exit) and irqfds
 *               (eventfds that drive the VMM's interrupt controller, from a thread of ours)
 */
#ifndef SOFTKVM_KVM_H
#define SOFTKVM_KVM_H

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include <softkvm/skvm.h>

#include "cpu/cpu.h"
#include "halt_poll.h"
#include "kvm/book3s/pr.h"
#include "paravirt.h"

#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

/* ---- emulation results (arch/powerpc/include/asm/kvm_ppc.h vocabulary) ---- */
enum emulation_result {
	EMULATE_DONE,	   /* done (kvmppc_emulate_instruction advances the PC) */
	EMULATE_DO_MMIO,   /* run->mmio is set up: exit to userspace */
	EMULATE_DO_DCR,	   /* run->dcr is set up (kvm_start_dcr): exit to userspace */
	EMULATE_FAIL,	   /* not an instruction this layer knows: the illegal-instruction
			    * program interrupt, unless another layer knows it */
	EMULATE_EXIT_USER, /* run->exit_reason is set (reset, hypercall for userspace) */
	EMULATE_AGAIN,	   /* an interrupt was raised instead (kvmppc_program_interrupt): it is
			    * taken at the instruction */
};

/* ---- memory slots ---- */
struct kvm_memslot {
	bool used;
	uint32_t flags;
	uint64_t base_gfn; /* guest-physical page number */
	uint64_t npages;
	uint8_t *host;
	uint64_t *dirty_bitmap; /* when SKVM_MEM_LOG_DIRTY_PAGES */
};

/* ---- eventfd.c ---- */
struct kvm_kernel_ioeventfd {
	uint64_t addr, datamatch;
	uint32_t len; /* 0: any length */
	bool wildcard; /* no DATAMATCH */
	int fd;
};
struct kvm_kernel_irqfd {
	int fd, resamplefd;
	uint32_t gsi;
	bool resample;
	bool dead; /* poll said its descriptor is gone: not polled again */
};
struct kvm_eventfds {
	pthread_mutex_t lock;
	struct kvm_kernel_ioeventfd *io;
	unsigned nr_io; /* read without the lock as "any at all?" */
	unsigned cap_io;
	struct skvm_irqchip chip; /* chip.set_irq == NULL: none yet */
	struct kvm_kernel_irqfd *irq;
	unsigned nr_irq, cap_irq;
	/* the irqfd thread: started by the first irqfd, stopped with the VM */
	pthread_t thread;
	bool thread_started, stopping;
	int wake_fd;	     /* eventfd: the set of irqfds changed, or stop */
	uint64_t generation; /* bumped at every change of irq[] */
};
void kvm_eventfds_init(struct kvm_eventfds *ev);
void kvm_eventfds_destroy(struct kvm_eventfds *ev);
/* A guest store of len (1, 2, 4, 8) bytes at gpa, data in bus order: true if an ioeventfd
 * took it (its eventfd signalled: the store is complete). Any vcpu thread. */
bool kvm_ioeventfd_write(struct kvm_eventfds *ev, uint64_t gpa, const uint8_t *data,
			 unsigned len);

#define KVM_MAX_VCPUS 8
struct skvm_vm {
	struct kvm_memslot slots[SKVM_MAX_MEM_SLOTS];
	struct kvm_eventfds eventfds;
	/* decoded guest code: the group every 440 vcpu's own cache joins, so that each stays
	 * coherent with every vcpu's stores (code_cache.h) */
	struct cpu_code_cache *code;
	struct skvm_vcpu *vcpus[KVM_MAX_VCPUS];
	unsigned nr_vcpus;
	pthread_mutex_t lock;
	/* SKVM_VM_PPC_PR: the Book3S PR hypervisor's part (kvm/book3s/pr.h); NULL for a 440 */
	struct book3s_pr_vm *pr;
	uint32_t max_halt_poll_ns; /* SKVM_CAP_HALT_POLL (atomic: read by running vcpus) */
};

/* Post a KVM_REQ_* to a vcpu from any thread: it is carried out on the vcpu thread before
 * the guest runs again (the core is kicked, a halted vcpu woken). */
void kvm_vcpu_post_request(struct skvm_vcpu *vcpu, uint32_t req);

/* The slot holding guest-physical address gpa, or NULL. */
struct kvm_memslot *kvm_gpa_to_slot(struct skvm_vm *vm, uint64_t gpa);
/* Host pointer of gpa, or NULL if it is not RAM (write: NULL for read-only slots). */
uint8_t *kvm_gpa_to_host(struct skvm_vm *vm, uint64_t gpa, bool write);
void kvm_mark_page_dirty(struct kvm_memslot *slot, uint64_t gpa);
/* The shadow permissions to fill for a page of slot, from the guest TLB's perm (SHADOW_PERM_*):
 * W is withheld in a read-only slot and, in a dirty-logging slot, unless the access that
 * missed is a write -- which marks the page dirty. The booke TLB code calls this for every
 * fill of RAM, so that every first write to a page after skvm_vm_get_dirty_log traps. */
unsigned kvm_slot_shadow_perm(struct kvm_memslot *slot, uint64_t gpa, unsigned perm,
			      enum cpu_access acc);

/* ---- 440 guest TLB ---- */
#define PPC440_TLB_ENTRIES 64
struct ppc440_tlbe {
	uint32_t word0, word1, word2; /* as tlbwe writes them */
	uint8_t tid;
};

/* ---- pending interrupts: one bit per BookE interrupt, by priority (lower first) ---- */
enum booke_irqprio {
	BOOKE_IRQPRIO_DATA_STORAGE = 0,
	BOOKE_IRQPRIO_INST_STORAGE,
	BOOKE_IRQPRIO_ALIGNMENT,
	BOOKE_IRQPRIO_PROGRAM,
	BOOKE_IRQPRIO_FP_UNAVAIL,
	BOOKE_IRQPRIO_SYSCALL,
	BOOKE_IRQPRIO_AP_UNAVAIL,
	BOOKE_IRQPRIO_DTLB_MISS,
	BOOKE_IRQPRIO_ITLB_MISS,
	BOOKE_IRQPRIO_MACHINE_CHECK,
	BOOKE_IRQPRIO_DEBUG,
	BOOKE_IRQPRIO_CRITICAL,
	BOOKE_IRQPRIO_WATCHDOG,
	BOOKE_IRQPRIO_EXTERNAL,
	BOOKE_IRQPRIO_FIT,
	BOOKE_IRQPRIO_DECREMENTER,
	BOOKE_IRQPRIO_MAX,
};

/* IVOR numbers */
enum {
	BOOKE_IVOR_CRITICAL = 0,
	BOOKE_IVOR_MACHINE_CHECK = 1,
	BOOKE_IVOR_DATA_STORAGE = 2,
	BOOKE_IVOR_INST_STORAGE = 3,
	BOOKE_IVOR_EXTERNAL = 4,
	BOOKE_IVOR_ALIGNMENT = 5,
	BOOKE_IVOR_PROGRAM = 6,
	BOOKE_IVOR_FP_UNAVAIL = 7,
	BOOKE_IVOR_SYSCALL = 8,
	BOOKE_IVOR_AP_UNAVAIL = 9,
	BOOKE_IVOR_DECREMENTER = 10,
	BOOKE_IVOR_FIT = 11,
	BOOKE_IVOR_WATCHDOG = 12,
	BOOKE_IVOR_DTLB_MISS = 13,
	BOOKE_IVOR_ITLB_MISS = 14,
	BOOKE_IVOR_DEBUG = 15,
};

/* Timer state (booke/timer.c). The timebase runs at 400 MHz from host monotonic time. */
struct booke_timer {
	uint64_t tb_base_ns;  /* host time at which TB == tb_at_base */
	uint64_t tb_at_base;
	uint32_t tcr, tsr, decar;
	uint32_t dec_at_load; /* DEC value written ... */
	uint64_t dec_load_tb; /* ... at this host tick (TB without the guest's writes) */
	bool dec_running;     /* DEC > 0 and counting */
	uint64_t next_event_tb; /* earliest host tick at which something may fire (cache) */
	uint64_t last_tb;       /* TB up to which FIT and watchdog edges were counted */
	bool wdt_reset;         /* the watchdog's final expiry asked for a reset */
};

/* What the next skvm_vcpu_run must complete before resuming the guest. */
enum kvm_io_pending {
	KVM_IO_NONE,
	KVM_IO_MMIO_LOAD,
	KVM_IO_MMIO_SPLIT, /* a fragment of an access one exit cannot complete (mmio_split.c) */
	KVM_IO_DCR_READ,
	KVM_IO_DCR_WRITE,
	KVM_IO_HCALL,
};

/* The MMIO fragments of the instruction being completed (mmio_split.c). The most one
 * instruction makes: lswx of 127 bytes, 31 words and 3 bytes, one of which crosses a page
 * (two parts): 35. */
#define KVM_MMIO_SPLIT_MAX 40
struct kvm_mmio_frag {
	uint64_t gpa;
	uint8_t len;
	bool write;
	uint8_t data[8]; /* bus order: what a store wrote, what a load read */
};
struct kvm_mmio_split {
	uint64_t pc;	   /* the instruction: where ... */
	uint32_t insn;	   /* ... and what */
	uint8_t n;	   /* fragments done */
	uint8_t next;	   /* during a re-execution: the next one to answer */
	bool replay;	   /* re-executing: answer fragments from frag[] */
	bool pending;	   /* the next run re-executes the instruction */
	struct kvm_mmio_frag frag[KVM_MMIO_SPLIT_MAX];
};

struct skvm_vcpu {
	struct cpu cpu; /* the core; container_of(cpu) gives the vcpu */
	/* the 440 core's decoded code, and its compiled runs, which only this vcpu's thread
	 * may run (a PR vcpu's 440 core never runs: it has the VM's) */
	struct cpu_code_cache *code;
	struct skvm_vm *vm;
	uint32_t id;
	struct skvm_run run;
	/* a vcpu of a SKVM_VM_PPC_PR VM: its 64-bit core and state (the API calls go there;
	 * the 440 state of this struct stays unused) */
	struct book3s_pr_vcpu *pr;

	/* ---- BookE / 440 supervisor state ---- */
	/* The magic page (paravirt.h): the home of MSR, SRR0/1, SPRG0-7, DEAR, ESR, PIR and
	 * int_pending, in the guest's byte order, whether or not the guest has it mapped (as
	 * vcpu->arch.shared in KVM). Read and written only through the accessors below, so
	 * what the guest stores into its mapping is what the hypervisor sees. A page of its
	 * own inside the vcpu, at a fixed offset, so reaching MSR takes no pointer. */
	union {
		struct kvm_vcpu_arch_shared shared;
		uint8_t page[SHADOW_PAGE_SIZE];
	} magic __attribute__((aligned(SHADOW_PAGE_SIZE)));
	uint32_t pid, mmucr;
	uint32_t context; /* MSR's context bits | PID << 24, as the core was last told them */
	uint32_t usprg0;
	uint32_t csrr0, csrr1, mcsrr0, mcsrr1;
	uint32_t mcsr;
	uint32_t ivpr, ivor[16];
	uint32_t pvr;
	uint32_t ccr0, ccr1;
	uint32_t dbcr0, dbcr1, dbcr2, dbsr;
	uint32_t iac[4], dac[2], dvc[2];
	uint32_t rstcfg, ivlim, dvlim, inv[4], itv[4], dnv[4], dtv[4]; /* cache regs: stored */
	struct booke_timer timer;
	struct ppc440_tlbe tlb[PPC440_TLB_ENTRIES];
	/* Match keys of the guest TLB entries, kept in step with tlb[] by booke/tlb.c: a
	 * lookup is ((query ^ key) & mask) == 0 over 64 entries. */
	struct ppc440_tlb_keys {
		uint32_t key[PPC440_TLB_ENTRIES];
		uint32_t mask[PPC440_TLB_ENTRIES];
	} tlb_keys;

	/* ---- interrupts ---- */
	uint32_t pending;     /* bit n = enum booke_irqprio n (kvmppc_set_pending writes it) */
	/* What the end of the exit under way must look at, said where it happens: */
	uint32_t exit_checks; /* KVM_CHECK_*, through kvm_exit_checks / kvm_exit_check */
	bool ext_level;	      /* external input held high (level) */
	bool crit_level;      /* critical input held high */
	uint32_t queued_esr;  /* ESR/DEAR for the queued storage/program interrupts */
	uint32_t queued_dear;

	/* ---- heavyweight exit completion ---- */
	enum kvm_io_pending io_pending;
	struct cpu_mem_op io; /* what to do with an MMIO load's data */
	struct kvm_mmio_split mmio_split;

	/* ---- run control ---- */
	/* KVM's vcpu->mutex: held by skvm_vcpu_run for the whole run and by every call on the
	 * vcpu's state (kvm_vcpu_lock); a call that finds it held returns -EBUSY */
	pthread_mutex_t ioctl_lock;
	bool halted;		/* MSR[WE] */
	bool halt_reported;	/* SKVM_EXIT_SHUTDOWN given for this wait (until MSR changes) */
	pthread_mutex_t lock;	/* protects wake-up state below */
	pthread_cond_t wake;
	bool wake_pending;	/* interrupt/kick arrived while halted */
	bool in_run;

	/* ---- cross-thread requests (vcpu.c). Written under lock by other threads; the vcpu
	 * thread reads `requests` without the lock as a hint and consumes under the lock. ---- */
	uint32_t requests;	 /* KVM_REQ_* bits */
	bool user_kick;		 /* skvm_vcpu_kick: the next check returns -EINTR */
	int8_t ext_req, crit_req; /* latest request for each input (vcpu.c), or -1 */
	uint32_t revoke_ppn_lo, revoke_ppn_hi; /* KVM_REQ_REVOKE_WRITE range */
	pthread_cond_t req_done;		/* signalled when a request has been carried out */

	/* ---- instruction budget (vcpu.c): taken branches per host time, measured ---- */
	int64_t budget_set;	  /* the budget last armed ... */
	uint64_t budget_start_ns; /* ... at this host time */
	uint32_t ps_per_branch;	  /* running estimate, picoseconds per taken branch */
	struct halt_poll halt_poll; /* MSR[WE] waits spin first (halt_poll.h) */
	uint32_t halt_spins;	  /* consecutive halt waits that found an event due at once */
	uint32_t exits_to_timer_check; /* lightweight exits until exits.c looks at the clock */
	uint64_t guest_enter_ns;  /* timing: when the guest was last entered */

	/* ---- paravirt: where the guest asked for its magic page (KVM_HC_PPC_MAP_MAGIC_PAGE) ---- */
	bool magic_mapped;
	uint32_t magic_page_ea;

	/* ---- statistics ---- */
	bool timing;
	bool watchdog_exit; /* SKVM_CAP_PPC_BOOKE_WATCHDOG: the final expiry exits to userspace */
	/* the exit being handled, once its kind is known (kvm_set_exit_type); KVM_EXIT_NONE
	 * between exits and until then */
	enum skvm_exit_type exit_type;
	struct kvm_emulated { /* for kvmppc_emulation_end: an emulation that left more to do */
		enum emulation_result er;
		bool advance;
		uint32_t pc;
		enum skvm_exit_type type;
	} emulated;
	struct skvm_exit_stat stats[SKVM_EXITS_NR];

	struct skvm_guest_debug dbg;
	/* ---- hardware debug compares (booke/debug.c) ---- */
	struct kvm_debug_watch {
		bool active;	   /* a compare is armed: pages holding its address are marked */
		bool vmm;	   /* the VMM's compares (USE_HW_BP), not the guest's */
		bool stepping;	   /* one instruction runs with the marked pages open */
		bool step_pending; /* the core stopped at a marked page: the run loop steps */
		uint8_t nr_iac, nr_dac;
		uint8_t iac_n[4], dac_n[2]; /* which IACn/DACn (for DBSR) */
		uint8_t dac_rw[2];	    /* 1: loads, 2: stores */
		uint32_t iac[4], dac[2];    /* the armed addresses */
	} watch, vmm_watch;		    /* armed now; what the VMM set */
	bool step_exited; /* a single step ended in an exit to userspace (report it next run) */
};

/* vcpu->exit_checks: the end of an exit that finds none has nothing to do but count it.
 * Read and written whole through these, so that the compiler never narrows a store to a
 * byte that a whole-word load then fails to forward from (a stall on every exit). */
static inline uint32_t kvm_exit_checks(const struct skvm_vcpu *vcpu)
{
	return __atomic_load_n(&vcpu->exit_checks, __ATOMIC_RELAXED);
}
static inline void kvm_exit_checks_set(struct skvm_vcpu *vcpu, uint32_t checks)
{
	__atomic_store_n(&vcpu->exit_checks, checks, __ATOMIC_RELAXED);
}
static inline void kvm_exit_check(struct skvm_vcpu *vcpu, uint32_t check)
{
	kvm_exit_checks_set(vcpu, kvm_exit_checks(vcpu) | check);
}
#define KVM_CHECK_REFETCH 1u /* the PC moved on its own, or MSR's context bits or the PID */
#define KVM_CHECK_IRQ 2u     /* with an interrupt pending, MSR changed or one was queued */
#define KVM_CHECK_HALT 4u    /* the vcpu halted (MSR[WE], EV_IDLE) */
#define KVM_CHECK_TIMER 8u   /* the next timer event moved: the budget must follow */

/* A call on the vcpu's state (registers, TLB entries, debug, caps, KVM_RUN) takes the vcpu
 * for its duration: -EBUSY if it is running or another call has it. KVM's ioctls would
 * wait on the vcpu mutex; a run may never end, so softkvm refuses at once. */
static inline int kvm_vcpu_lock(struct skvm_vcpu *vcpu)
{
	return pthread_mutex_trylock(&vcpu->ioctl_lock) ? -EBUSY : 0;
}
static inline void kvm_vcpu_unlock(struct skvm_vcpu *vcpu)
{
	pthread_mutex_unlock(&vcpu->ioctl_lock);
}
/* The body of a public vcpu call: `call` with the vcpu taken. */
#define KVM_VCPU_CALL(vcpu, call)                                                                  \
	do {                                                                                       \
		int rc_ = kvm_vcpu_lock(vcpu);                                                     \
		if (rc_)                                                                           \
			return rc_;                                                                \
		rc_ = (call);                                                                      \
		kvm_vcpu_unlock(vcpu);                                                             \
		return rc_;                                                                        \
	} while (0)

/* Request bits (vcpu->requests). */
#define KVM_REQ_IRQ (1u << 0)	       /* ext_req/crit_req hold a KVM_INTERRUPT to apply */
#define KVM_REQ_REVOKE_WRITE (1u << 1) /* dirty log: cpu_shadow_revoke_write(revoke_ppn_*) */

static inline struct skvm_vcpu *vcpu_of(struct cpu *c)
{
	return container_of(c, struct skvm_vcpu, cpu);
}

/* ---- the registers the magic page holds (see struct skvm_vcpu) ----
 * kvmppc_get_REG / kvmppc_set_REG for srr0, srr1, dear, esr and pir, as Linux's
 * SHARED_WRAPPER in kvm_ppc.h; MSR is set by kvmppc_set_msr (interrupts.c) alone. */
#define KVM_SHARED_ACCESSORS(reg, field, get, set)                                                 \
	static inline uint32_t kvmppc_get_##reg(const struct skvm_vcpu *v)                         \
	{                                                                                          \
		return get(&v->magic.shared.field);                                                \
	}                                                                                          \
	static inline void kvmppc_set_##reg(struct skvm_vcpu *v, uint32_t val)                     \
	{                                                                                          \
		set(&v->magic.shared.field, val);                                                  \
	}
KVM_SHARED_ACCESSORS(srr0, srr0, kvm_shared_get, kvm_shared_set)
KVM_SHARED_ACCESSORS(srr1, srr1, kvm_shared_get, kvm_shared_set)
KVM_SHARED_ACCESSORS(dear, dar, kvm_shared_get, kvm_shared_set)
KVM_SHARED_ACCESSORS(esr, esr, kvm_shared_get32, kvm_shared_set32)
KVM_SHARED_ACCESSORS(pir, pir, kvm_shared_get32, kvm_shared_set32)
static inline uint32_t kvmppc_get_msr(const struct skvm_vcpu *v)
{
	return kvm_shared_get(&v->magic.shared.msr);
}
/* SPRG0-3 and SPRG4-7 are two runs of fields in the page. */
#define KVM_SHARED_SPRG(v, n)                                                                      \
	((n) < 4 ? &(v)->magic.shared.sprg0 + (n) : &(v)->magic.shared.sprg4 + ((n)&3))
static inline uint32_t kvmppc_get_sprg(const struct skvm_vcpu *v, unsigned n)
{
	return kvm_shared_get(KVM_SHARED_SPRG(v, n));
}
static inline void kvmppc_set_sprg(struct skvm_vcpu *v, unsigned n, uint32_t val)
{
	kvm_shared_set(KVM_SHARED_SPRG(v, n), val);
}

/* The software breakpoint KVM_REG_PPC_DEBUG_INST reports (KVMPPC_INST_SW_BREAKPOINT): an
 * illegal instruction that exits SKVM_EXIT_DEBUG while guest debug is enabled. */
#define KVMPPC_INST_SW_BREAKPOINT 0x00dddd00u

/* ---- exits.c / stats.c ----
 * An exit is counted where its kind is known: the code that knows names it with
 * kvm_set_exit_type (as KVM's kvmppc_set_exit_type), and the end of the exit counts and
 * times it, once (an emulated instruction unless said otherwise). Events outside an exit
 * (a delivery before entry, a halt) are counted on the spot with kvm_account_exit. */
enum cpu_resume kvm_handle_exit(void *opaque, struct cpu *c, struct cpu_trap *t);
static inline void kvm_account_exit(struct skvm_vcpu *vcpu, enum skvm_exit_type type)
{
	vcpu->stats[type].count++;
}
static inline void kvm_set_exit_type(struct skvm_vcpu *vcpu, enum skvm_exit_type type)
{
	vcpu->exit_type = type;
}
#define KVM_EXIT_NONE SKVM_EXITS_NR /* an exit of no kind to count (a replayed access) */
uint64_t kvm_now_ns(void);
/* Exit timing (SKVM_CAP_EXIT_TIMING), the one owner of it for the 440's exits and Book3S
 * PR's: an exit begins, the guest having run since guest_enter_ns (a TIMEINGUEST stretch);
 * returns the exit's start t0. It ends as an exit of kind type (KVM_EXIT_NONE: none, not
 * timed); returns the time the guest is entered again. */
uint64_t kvm_exit_timing_begin(struct skvm_exit_stat stats[SKVM_EXITS_NR], uint64_t guest_enter_ns);
uint64_t kvm_exit_timing_end(struct skvm_exit_stat stats[SKVM_EXITS_NR], enum skvm_exit_type type,
			     uint64_t t0);
/* One sample of ns for s: total, min and max (the count is the exit's, kept apart). */
void kvm_exit_stat_add(struct skvm_exit_stat *s, uint64_t ns);

/* ---- vcpu.c ---- */
/* Before (re-)entering the guest: carry out cross-thread requests (KVM_INTERRUPT, dirty-log
 * write revocation), update the timers and deliver what is pending. True if the vcpu must
 * return to userspace (run->exit_reason is set: the watchdog's final expiry, a reset or
 * SKVM_EXIT_WATCHDOG). */
bool kvm_prepare_to_enter(struct skvm_vcpu *vcpu);
/* Arm the core's instruction budget for the time left to the next timer event. */
void kvm_arm_budget(struct skvm_vcpu *vcpu);
/* CPU_TRAP_BUDGET: a kick or the budget ran out. Returns what the core does next (STOP
 * with run->exit_reason set when userspace must see it). */
enum cpu_resume kvm_handle_budget(struct skvm_vcpu *vcpu);
void kvm_vcpu_destroy(struct skvm_vcpu *vcpu);
/* The one place a system event (reset, power-off) exit is built. */
void kvm_system_event_exit(struct skvm_vcpu *vcpu, uint32_t type);
/* The one place a debug exit is built: SKVM_EXIT_DEBUG at address (the PC to execute
 * next), status SKVM_DEBUG_*. */
void kvm_debug_exit(struct skvm_vcpu *vcpu, uint32_t address, uint32_t status);

/* ---- mmio.c ---- */
/* The one place an MMIO exit is built: run->exit_reason and run->mmio for an access of
 * len bytes at gpa, its data zeroed (a store's bytes are the caller's to fill in). */
void kvm_mmio_exit(struct skvm_vcpu *vcpu, uint64_t gpa, unsigned len, bool write);
/* Set up an MMIO exit for the data access described by t at guest-physical gpa: fills
 * run->mmio and run->exit_reason, applies an update form's RA, remembers a load for
 * kvm_complete_io and sets the core's PC after the instruction (the access is the
 * instruction's last act: it completes at the next run). The caller returns
 * CPU_RESUME_STOP. Only for a simple access (t->mem.simple): others go to mmio_split.c
 * (kvm_mmio_access), and here become an internal-error exit (EMULATE_EXIT_USER). */
enum emulation_result kvm_start_mmio(struct skvm_vcpu *vcpu, const struct cpu_trap *t,
				     uint64_t gpa);
/* A data access of the core that reached MMIO at gpa through a page of byte order le
 * (E=1: little-endian): answers a probe (CPU_RESUME_DATA), hands an access one exit cannot
 * complete to mmio_split.c, or starts an MMIO exit (CPU_RESUME_STOP), reversing the data
 * for a little-endian page. */
enum cpu_resume kvm_mmio_access(struct skvm_vcpu *vcpu, struct cpu_trap *t, uint64_t gpa,
				bool le);
/* Complete the previous heavyweight exit (MMIO load, DCR read, hypercall). */
void kvm_complete_io(struct skvm_vcpu *vcpu);
/* Stop with an internal error for the instruction at pc. */
void kvm_internal_error(struct skvm_vcpu *vcpu, uint32_t suberror, uint32_t pc, uint32_t insn);

/* ---- mmio_split.c ---- */
/* The record, for both cores (its arguments are the same whatever the core's width): the
 * fragment of the instruction (pc, insn) of len bytes at gpa, reversed within len when rev
 * (a little-endian page, not raw). During a re-execution it is answered from the record
 * (KVM_FRAG_REPLAYED; a load's data in *val); else it is recorded as the next one
 * (KVM_FRAG_NEW: the caller makes its exit, a store's bytes in s->frag[s->n - 1].data,
 * from *val), unless the instruction made too many (KVM_FRAG_TOO_MANY: an internal error). */
enum kvm_frag { KVM_FRAG_REPLAYED, KVM_FRAG_NEW, KVM_FRAG_TOO_MANY };
enum kvm_frag kvm_mmio_frag(struct kvm_mmio_split *s, uint64_t pc, uint32_t insn, uint64_t gpa,
			    unsigned len, bool write, bool rev, uint64_t *val);
/* At the next run: what userspace did with the fragment (data: run->mmio.data). */
void kvm_mmio_frag_done(struct kvm_mmio_split *s, const uint8_t *data);
/* Around the re-execution of the instruction at pc (s->pending): begin is false when
 * userspace moved the PC (the instruction is abandoned); end says whether it exited with a
 * new fragment. */
bool kvm_mmio_replay_begin(struct kvm_mmio_split *s, uint64_t pc);
void kvm_mmio_replay_end(struct kvm_mmio_split *s, bool exited_again);
/* A fragment of an access one exit cannot complete (t->mem.simple = 0) at gpa: answer it
 * from the record when the instruction is being re-executed (CPU_RESUME_DATA), else exit
 * with it (CPU_RESUME_STOP, PC at the instruction). */
enum cpu_resume kvm_mmio_split(struct skvm_vcpu *vcpu, struct cpu_trap *t, uint64_t gpa, bool le);
/* At the next run: record what userspace did with the fragment (KVM_IO_MMIO_SPLIT). */
void kvm_mmio_split_complete(struct skvm_vcpu *vcpu);
/* Then, before anything else runs: re-execute the instruction (mmio_split.pending). Sets
 * run->exit_reason when it exits again. */
void kvm_mmio_split_resume(struct skvm_vcpu *vcpu);

/* ---- booke/emulate.c ---- */
/* Emulate the instruction d, which the core met at vcpu->cpu.pc (CPU_TRAP_EMULATE), as
 * its layer's emulation does, and move the PC past it unless that emulation branched or
 * raised an interrupt at it (booke/emulation.h: kvm_emulation_finish). An instruction no
 * layer knows takes the illegal-instruction program interrupt (EMULATE_AGAIN). */
enum emulation_result kvmppc_emulate_instruction(struct skvm_vcpu *vcpu, const struct cpu_dinsn *d);
/* CPU_TRAP_EMULATE: emulate t->d and say what the core does next. */
enum cpu_resume kvmppc_emulate_trap(struct skvm_vcpu *vcpu, const struct cpu_trap *t);
/* Decode-time hook (struct cpu_trap_ops.emulation): the pre-decoded handler of d. */
cpu_handler kvmppc_emulation_handler(void *opaque, const struct cpu_dinsn *d);
/* struct cpu_trap_ops.emulation_end: the end of the exit of a pre-decoded emulation that
 * left more to do than going on (vcpu->emulated). */
enum cpu_resume kvmppc_emulation_end(void *opaque, struct cpu *c, const struct cpu_dinsn *d);

/* ---- booke/debug.c ---- */
/* Arm the compares again after DBCR0, IAC1-4, DAC1-2, DBSR or the guest debug changed. */
void kvmppc_debug_update(struct skvm_vcpu *vcpu);
/* KVM_SET_GUEST_DEBUG's hardware breakpoints and watchpoints (vcpu->dbg set already). */
int kvmppc_debug_set_vmm(struct skvm_vcpu *vcpu, const struct skvm_guest_debug *dbg);
/* The permissions a shadow fill of ea's page withholds (marked pages). */
unsigned kvmppc_debug_withheld(const struct skvm_vcpu *vcpu, uint32_t ea);
/* A TLB miss t on a page the guest may access, while a compare is armed: true if it is
 * the debug's (an event, or a stop for the run loop to step), with what the core does. */
bool kvmppc_debug_access(struct skvm_vcpu *vcpu, const struct cpu_trap *t, enum cpu_resume *r);
/* Around one instruction run alone (cpu_step) while a compare is armed: begin compares
 * the IACs with the PC and is false when an event stopped it (an exit or an interrupt is
 * set up); else the step runs with the marked pages open until end. */
bool kvmppc_debug_step_begin(struct skvm_vcpu *vcpu);
void kvmppc_debug_step_end(struct skvm_vcpu *vcpu);

/* ---- booke/interrupts.c ---- */
void kvmppc_set_msr(struct skvm_vcpu *vcpu, uint32_t msr);
/* Tell the core the translation and FP context of msr and pid when it changed (the PC is
 * then fetched again: KVM_CHECK_REFETCH). */
void kvmppc_set_context(struct skvm_vcpu *vcpu, uint32_t msr, uint32_t pid);
/* Program/DSI/ISI/alignment/TLB-miss: queue with ESR and DEAR, deliver at once. */
void kvmppc_deliver_exception(struct skvm_vcpu *vcpu, enum booke_irqprio prio, uint32_t esr,
			      uint32_t dear);
/* Deliver the highest-priority pending interrupt the guest takes now, which ends a halt
 * (the new MSR has no WE). True if the PC changed. EXTERNAL (CRITICAL) must stay pending
 * after delivery while ext_level (crit_level) is held: vcpu.c sets the levels and
 * queues/dequeues the bits for KVM_INTERRUPT. */
bool kvmppc_deliver_pending(struct skvm_vcpu *vcpu);
/* The pending interrupts the guest takes now: those MSR lets in, and only the synchronous
 * ones while the guest's paravirt code is in a critical section (magic page). */
uint32_t kvmppc_deliverable(const struct skvm_vcpu *vcpu);
/* Set the pending bits in mask to bits (and the magic page's int_pending with them).
 * Inline: a system call queues and takes one on every sc. */
static inline void kvmppc_set_pending(struct skvm_vcpu *vcpu, uint32_t mask, uint32_t bits)
{
	if (bits & mask & ~vcpu->pending)
		kvm_exit_check(vcpu, KVM_CHECK_IRQ);
	vcpu->pending = (vcpu->pending & ~mask) | (bits & mask);
	kvm_shared_set32(&vcpu->magic.shared.int_pending, vcpu->pending != 0);
}
static inline void kvmppc_queue_irqprio(struct skvm_vcpu *vcpu, enum booke_irqprio prio)
{
	kvmppc_set_pending(vcpu, 1u << prio, 1u << prio);
}

/* What every exit that resumes the guest ends with (r from the exit's handling): an exit
 * reason set or a halt stops the core; an interrupt pending that the guest takes now is
 * delivered at c->pc; a timer deadline the exit moved re-arms the budget. Inline: the
 * pre-decoded emulations end with it too, and then it is the few tests of the plain case. */
static inline enum cpu_resume kvm_exit_resume(struct skvm_vcpu *vcpu, enum cpu_resume r)
{
	unsigned checks = kvm_exit_checks(vcpu);

	/* CPU_RESUME_DATA finishes an access inside an instruction: nothing may come between */
	if (r == CPU_RESUME_DATA)
		return r;
	if (r != CPU_RESUME_STOP) {
		if (unlikely(vcpu->run.exit_reason != SKVM_EXIT_UNKNOWN || vcpu->halted))
			r = CPU_RESUME_STOP;
		else if (unlikely(vcpu->pending) && kvmppc_deliver_pending(vcpu))
			r = CPU_RESUME_REFETCH;
		if (unlikely(checks & KVM_CHECK_TIMER))
			kvm_arm_budget(vcpu); /* DEC, TCR or TSR moved the deadline */
	}
	kvm_exit_checks_set(vcpu, 0); /* all seen to, with what a delivery here changed */
	return r;
}

/* ---- booke/halt.c ---- */
/* SKVM_EXIT_SHUTDOWN (see skvm.h): true if the vcpu, waiting in MSR[WE] or at a branch to
 * itself, can never be woken by anything but the critical input (and that only when
 * MSR[CE] lets it in). Checks MSR, TCR, DBCR0 and the pending interrupts; not where the
 * vcpu is. */
bool kvmppc_halted_for_good(const struct skvm_vcpu *vcpu);
/* True if the instruction at the core's PC is a branch to itself that is always taken
 * (`b .`, `bl .`, `bc 20,x,.`), as the core's fetch would read it now. False when the
 * fetch would miss (then the core has not been there yet). */
bool kvmppc_at_branch_to_self(struct skvm_vcpu *vcpu);

/* ---- booke/tlb.c ---- */
void ppc440_tlb_reset(struct skvm_vcpu *vcpu);
/* Handle a shadow-TLB miss from the core (CPU_TRAP_ITLB_MISS / CPU_TRAP_DTLB_MISS). */
enum cpu_resume ppc440_handle_tlb_miss(struct skvm_vcpu *vcpu, struct cpu_trap *t);
int ppc440_tlb_write_entry(struct skvm_vcpu *vcpu, unsigned index, const struct ppc440_tlbe *e);

/* ---- booke/timer.c ---- */
uint64_t kvmppc_get_tb(struct skvm_vcpu *vcpu);
void kvmppc_set_tb(struct skvm_vcpu *vcpu, uint64_t tb);
uint32_t kvmppc_get_dec(struct skvm_vcpu *vcpu);
void kvmppc_set_dec(struct skvm_vcpu *vcpu, uint32_t dec);
void kvmppc_set_decar(struct skvm_vcpu *vcpu, uint32_t decar);
void kvmppc_set_tcr(struct skvm_vcpu *vcpu, uint32_t tcr);
void kvmppc_clear_tsr_bits(struct skvm_vcpu *vcpu, uint32_t bits);
void kvmppc_set_tsr_bits(struct skvm_vcpu *vcpu, uint32_t bits);
/* Bring TSR up to date with the current time and queue timer interrupts (DEC, FIT,
 * watchdog). Returns true at the watchdog's final expiry with TCR[WRC] set (the caller
 * exits: a reset, or SKVM_EXIT_WATCHDOG). */
bool kvmppc_timer_update(struct skvm_vcpu *vcpu);
/* Nanoseconds (host) until the next timer event can fire; UINT64_MAX if none. */
uint64_t kvmppc_timer_ns_to_next_event(struct skvm_vcpu *vcpu);

/* ---- paravirt.c ---- */
/* The hypercall of an sc from supervisor mode with r0 == KVM_SC_MAGIC_R0 (kvmppc_kvm_pv):
 * EMULATE_DONE with the ePAPR status in r3 and the result in r4. */
enum emulation_result kvmppc_handle_hcall(struct skvm_vcpu *vcpu);
/* A data access of the guest kernel that missed at the magic page's address: map the
 * page there in the shadow TLB (no guest TLB entry needed, as KVM's kvmppc_map_magic).
 * False if ea is not the magic page's or the access is not the kernel's. */
bool kvmppc_map_magic(struct skvm_vcpu *vcpu, uint32_t ea, enum cpu_access acc);

#endif
