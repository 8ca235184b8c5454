/* SPDX-License-Identifier: MIT */
/* The Book3S PR hypervisor's vcpu (book3s_pr.c in the seeds), built with -DCPU_WIDTH=64 only:
 * its struct cpu is the 64-bit POWER8 core's. The guest kernel runs in problem state on that
 * core; what it does in supervisor state is kept here (its MSR, SRR0/1, SPRGs, SLB...) and
 * its privileged instructions trap to pr_emulate.c.
 *
 *   pr_vcpu.c        create, registers, the KVM_RUN loop, halt (H_CEDE), kick, timebase/DEC
 *   pr_interrupts.c  Book3S interrupt delivery: vectors, SRR0/SRR1, the MSR on entry
 *   pr_emulate.c     the privileged instructions (book3s_emulate.c's set)
 *   pr_mmu.c         shadow misses through the SLB and HPT (kvm/book3s/xlate.c), real mode,
 *                    precise invalidation
 *   pr_papr.c        sc 1: PAPR hypercalls in the hypervisor or KVM_EXIT_PAPR_HCALL; the
 *                    ePAPR hypercall; OSI calls (KVM_EXIT_OSI)
 *   pr_mmio.c        MMIO exits of the 64-bit core and their completion
 *   pr_debug.c       guest debug: software breakpoints and single step
 *
 * kvm.h is included for the VM's slots (kvm_gpa_to_host...): its struct skvm_vcpu is the
 * 440's and is never touched from these files (its struct cpu is another size here).
 */
#ifndef SOFTKVM_BOOK3S_PR_VCPU_H
#define SOFTKVM_BOOK3S_PR_VCPU_H

#if CPU_WIDTH != 64
#error "the Book3S PR hypervisor is built with -DCPU_WIDTH=64 (Makefile: PR_SRC)"
#endif

#include <pthread.h>

#include <softkvm/papr.h>

#include "kvm/book3s/mmu_ops.h"
#include "kvm/kvm.h"
#include "kvm/book3s/pr.h"

/* MSR bits (Power ISA 2.07 Book III-S 4.2.1) */
#define MSR_SF (1ULL << 63)
#define MSR_HV (1ULL << 60)
#define MSR_VEC (1ULL << 25)
#define MSR_VSX (1ULL << 23)
#define MSR_EE (1ULL << 15)
#define MSR_PR (1ULL << 14)
#define MSR_FP (1ULL << 13)
#define MSR_ME (1ULL << 12)
#define MSR_FE0 (1ULL << 11)
#define MSR_SE (1ULL << 10)
#define MSR_BE (1ULL << 9)
#define MSR_FE1 (1ULL << 8)
#define MSR_IR (1ULL << 5)
#define MSR_DR (1ULL << 4)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)
/* LPCR fields a PR partition has (H_SET_MODE sets them for every vcpu) */
#define LPCR_ILE (1ULL << 25)  /* interrupts little-endian */
#define LPCR_AIL (3ULL << 23)  /* alternate interrupt location: 3 = 0xc000000000004000 */
#define LPCR_AIL_3 (3ULL << 23)
#define AIL_BASE 0xc000000000004000ULL

/* what a guest may hold in its MSR (no HV: the partition is not the hypervisor) */
#define PR_MSR_MASK (MSR_SF | MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | MSR_FP | MSR_ME | MSR_FE0 | \
		     MSR_SE | MSR_BE | MSR_FE1 | MSR_IR | MSR_DR | MSR_RI | MSR_LE)

/* Interrupt vectors (Book III-S 6.5) */
#define VEC_SYSTEM_RESET 0x100
#define VEC_MACHINE_CHECK 0x200
#define VEC_EXTERNAL 0x500
#define VEC_ALIGNMENT 0x600
#define VEC_PROGRAM 0x700
#define VEC_FP_UNAVAIL 0x800
#define VEC_DECREMENTER 0x900
#define VEC_SYSCALL 0xc00
#define VEC_TRACE 0xd00
#define VEC_VMX_UNAVAIL 0xf20
#define VEC_VSX_UNAVAIL 0xf40
#define VEC_FAC_UNAVAIL 0xf60

/* SRR1 bits 33:36 and 42:47 are the interrupt's own; the rest are the MSR's. */
#define SRR1_INT_BITS 0x00000000783f0000ULL
#define SRR1_PROGFPE 0x0000000000100000ULL  /* program: FP enabled exception */
#define SRR1_PROGILL 0x0000000000080000ULL  /* illegal instruction */
#define SRR1_PROGPRIV 0x0000000000040000ULL /* privileged instruction */
#define SRR1_PROGTRAP 0x0000000000020000ULL /* trap */
#define SRR1_WAKE_EE 0x0000000000200000ULL   /* (unused here: no power-saving states) */

/* The interrupts that wait for the guest to take them, by priority (lower first). */
enum pr_irq {
	PR_IRQ_SYSTEM_RESET,
	PR_IRQ_MACHINE_CHECK,
	PR_IRQ_EXTERNAL,
	PR_IRQ_DECREMENTER,
	PR_IRQ_NR,
};

/* KVM's MAX_HCALL_OPCODE (H_WATCHDOG): SKVM_CAP_PPC_ENABLE_HCALL's highest hcall */
#define PR_HCALL_MAX 0x45cu

/* The POWER8 the guest sees. */
#define PR_PVR_POWER8 0x004d0200u
#define PR_TB_HZ 512000000ULL

/* What the next run completes. */
enum pr_io { PR_IO_NONE, PR_IO_MMIO_LOAD, PR_IO_MMIO_SPLIT, PR_IO_PAPR_HCALL, PR_IO_OSI };

/* Per shadow-TLB slot: what filled it, for precise invalidation (pr_mmu.c). */
struct pr_shadow_tag {
	uint64_t vpn; /* VA >> 12 of a translated entry */
	uint64_t ea;  /* its effective page */
};
/* cpu_shadow_fill's gidx of the PR hypervisor's entries (cpu_shadow_invalidate_gtlb drops
 * them by it) */
#define PR_GIDX_XLATE 0u
#define PR_GIDX_REAL 1u

struct book3s_pr_vm {
	struct skvm_vm *vm;
	/* the 64-bit core's decoded code: no core runs this one, each vcpu's joins it
	 * (code_cache.h), and what is asked of it reaches them all */
	struct cpu_code_cache *code;
	struct book3s_hpt hpt;       /* the guest's hashed page table (SDR1) */
	/* where it lies in guest-physical space: never mapped for the guest (a store there
	 * could leave an entry locked, mmu_ops.h), only reached through hcalls */
	uint64_t hpt_gpa, hpt_bytes;
	pthread_mutex_t lock;	     /* vcpus[], hpt binding, the vcpus' invalidation queues */
	pthread_cond_t inval_done;   /* a vcpu carried out the invalidations queued for it */
	struct book3s_pr_vcpu *vcpus[KVM_MAX_VCPUS];
	unsigned nr_vcpus;
	/* SKVM_CAP_PPC_ENABLE_HCALL: bit nr/4 set for an hcall the hypervisor handles
	 * (pr_papr.c; KVM's enabled_hcalls); any thread changes it, atomically */
	uint64_t enabled_hcalls[PR_HCALL_MAX / 4 / 64 + 1];
};

/* An invalidation another vcpu's tlbie or HPT hcall asks of this vcpu's shadow (pr_mmu.c). */
enum pr_inval_kind { PR_INVAL_PAGE, PR_INVAL_SEGMENT };
struct pr_inval {
	uint64_t arg; /* vpn (PAGE) or ea (SEGMENT) */
	uint8_t kind, shift;
};
#define PR_INVAL_QUEUE 16

struct book3s_pr_vcpu {
	struct cpu cpu; /* the 64-bit core; container_of(cpu) gives the vcpu */
	struct cpu_code_cache *code; /* its decoded code, one of pvm->code's domain */
	struct book3s_pr_vm *pvm;
	struct skvm_vm *vm;
	struct skvm_run *run;
	uint32_t id;

	/* ---- the guest's supervisor state ---- */
	uint64_t msr; /* as the guest sees it (pr_set_msr alone writes it) */
	bool timing;  /* SKVM_CAP_EXIT_TIMING (beside msr: the SPR moves' fast path reads both) */
	uint64_t srr0, srr1, sprg[4], dar, cfar;
	uint32_t dsisr;
	uint64_t sdr1, dscr, ppr, tar, fscr, amr, iamr, uamor, ctrl, vrsave, dabr, dabrx, ciabr;
	uint64_t bescr, ebbhr, ebbrr; /* the event-based branch facility's (pr_emulate.c) */
	uint64_t hid[6]; /* HID0, 1, 4, 5 and the others: stored, no effect */
	uint64_t lpcr;	 /* only ILE means anything to a PR guest */
	uint32_t pvr, pir;
	struct book3s_slb slb;
	bool papr_enabled; /* SKVM_CAP_PPC_PAPR: sc 1 is a hypercall */
	bool osi_enabled;  /* SKVM_CAP_PPC_OSI */

	/* ---- timebase and decrementer (512 MHz from host monotonic time) ---- */
	int64_t tb_offset;   /* guest TB = host ticks + tb_offset */
	uint64_t dec_tb;     /* the guest TB at which DEC was written ... */
	uint32_t dec_value;  /* ... with this value */

	/* ---- interrupts ---- */
	uint64_t injected; /* interrupts taken so far (pr_trace_step: did one come?) */
	uint32_t pending; /* 1 << enum pr_irq */
	bool ceded;	  /* H_CEDE: waits for an interrupt */
	struct halt_poll halt_poll; /* a cede spins first (halt_poll.h) */

	/* ---- exits ---- */
	enum pr_io io;
	struct cpu_mem_op io_op; /* what to do with an MMIO load's data */
	struct kvm_mmio_split mmio_split; /* an access one exit cannot carry (pr_mmio.c) */
	bool trace_owed; /* the access exited under MSR[SE]: trace it once completed */

	/* ---- guest debug (pr_debug.c) ---- */
	uint32_t dbg_control; /* KVM_SET_GUEST_DEBUG's SKVM_GUESTDBG_* */
	bool step_exited;     /* the last step exited to the VMM before its instruction ended */

	/* ---- cross-thread (under lock) ---- */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool user_kick;
	int ext_req; /* the latest KVM_INTERRUPT: 1 high, 0 low, -1 none */

	/* ---- invalidations from other vcpus (under pvm->lock; pr_mmu.c) ---- */
	struct pr_inval inval_q[PR_INVAL_QUEUE];
	unsigned inval_n;	/* queued */
	bool inval_all;		/* more than the queue holds: drop every translation */
	uint64_t inval_posted;	/* asked of this vcpu so far ... */
	uint64_t inval_applied; /* ... and carried out */
	bool in_guest;		/* in cpu_run: whoever asks waits until it is carried out */
	bool inval_wait;	/* this vcpu asked others: wait before its instruction ends */

	/* exits by kind (kvm_account_exit's counts for the 440): each is counted where its
	 * kind is known, once; with SKVM_CAP_EXIT_TIMING (timing) a trap's exit is timed too,
	 * as the kind it was last counted as (exit_type), by stats.c's kvm_exit_timing_* */
	struct skvm_exit_stat stats[SKVM_EXITS_NR];
	enum skvm_exit_type exit_type;
	uint64_t guest_enter_ns;

	struct pr_shadow_tag stag[SHADOW_TLB_SIZE];
	/* which stag[] hold a translated entry: slbie visits those, not every slot */
	uint64_t stag_used[SHADOW_TLB_SIZE / 64];
	struct book3s_inval_ops inval;	  /* this vcpu's own shadow (slbie, tlbiel) */
	struct book3s_inval_ops vm_inval; /* every vcpu's (tlbie, HPT hcalls) */
	struct book3s_papr_hpt papr;	  /* the HPT hcalls, invalidating through vm_inval */
};

static inline struct book3s_pr_vcpu *pr_vcpu_of(struct cpu *c)
{
	return container_of(c, struct book3s_pr_vcpu, cpu);
}

/* An event that is not an exit's kind (an interrupt delivered on the way into the guest, as
 * kvm_account_exit counts it for the 440): counted, never timed. */
static inline void pr_count_event(struct book3s_pr_vcpu *v, enum skvm_exit_type type)
{
	v->stats[type].count++;
}
/* The kind of the exit being handled: counted, and what exit timing charges it to. */
static inline void pr_account(struct book3s_pr_vcpu *v, enum skvm_exit_type type)
{
	pr_count_event(v, type);
	v->exit_type = type;
}

/* ---- pr_vcpu.c ---- */
uint64_t pr_get_tb(const struct book3s_pr_vcpu *v);
uint32_t pr_get_dec(const struct book3s_pr_vcpu *v);
void pr_set_dec(struct book3s_pr_vcpu *v, uint32_t dec);
void pr_internal_error(struct book3s_pr_vcpu *v, uint32_t suberror, uint64_t pc, uint32_t insn);

/* ---- pr_interrupts.c ---- */
/* The one place the guest's MSR changes: tells the core its new context (PR, IR/DR, LE, FP,
 * SF) and whether an interrupt is now deliverable. */
void pr_set_msr(struct book3s_pr_vcpu *v, uint64_t msr);
/* Take interrupt vec now: SRR0 = srr0, SRR1 = MSR with the interrupt's bits flags, the MSR
 * on entry, PC = vec (or its alternate location, LPCR[AIL]). */
void pr_inject(struct book3s_pr_vcpu *v, unsigned vec, uint64_t srr0, uint64_t flags);
/* H_SET_MODE: LPCR bits of the whole partition (every vcpu's, any thread). */
void pr_set_partition_lpcr(struct book3s_pr_vm *pvm, uint64_t mask, uint64_t bits);
/* MSR[SE] or MSR[BE]: run one instruction and take the trace interrupt it asks for. */
void pr_trace_step(struct book3s_pr_vcpu *v);
/* After an MMIO access's completion: the trace interrupt pr_trace_step owes it, once the
 * whole instruction is done (every element of a split access). */
void pr_trace_completed_io(struct book3s_pr_vcpu *v);
void pr_program_interrupt(struct book3s_pr_vcpu *v, uint64_t pc, uint64_t flags);
void pr_dsi(struct book3s_pr_vcpu *v, uint64_t pc, uint64_t dar, uint32_t dsisr);
static inline void pr_set_pending(struct book3s_pr_vcpu *v, enum pr_irq irq, bool on)
{
	if (on)
		v->pending |= 1u << irq;
	else
		v->pending &= ~(1u << irq);
}
/* The pending interrupts MSR lets in now. */
uint32_t pr_deliverable(const struct book3s_pr_vcpu *v);
/* Deliver the highest-priority deliverable one at c->pc; true if one was. */
bool pr_deliver_pending(struct book3s_pr_vcpu *v);

/* ---- pr_emulate.c ---- */
enum cpu_resume pr_emulate(struct book3s_pr_vcpu *v, const struct cpu_trap *t);
/* cpu_trap_ops.emulation: the handler that emulates d in place of its trap, or NULL. */
cpu_handler pr_emulation_of(void *opaque, const struct cpu_dinsn *d);

/* ---- pr_mmu.c ---- */
enum cpu_resume pr_handle_miss(struct book3s_pr_vcpu *v, struct cpu_trap *t);
void pr_shadow_flush(struct book3s_pr_vcpu *v);
/* The vcpu enters (leaves) cpu_run: carries out what others asked of it meanwhile. */
void pr_enter_guest(struct book3s_pr_vcpu *v);
void pr_leave_guest(struct book3s_pr_vcpu *v);
/* Carry out what other vcpus asked of this one (its budget ended: it may have been kicked). */
void pr_inval_apply(struct book3s_pr_vcpu *v);
/* After a tlbie or HPT hcall: wait until every vcpu in the guest has dropped the
 * translations it invalidated (cross-vcpu invalidation ends before the instruction). */
void pr_inval_sync(struct book3s_pr_vcpu *v);
void pr_mmu_init(struct book3s_pr_vcpu *v);
/* True if [gpa, gpa + len) touches the hashed page table's memory. */
static inline bool pr_gpa_in_hpt(const struct book3s_pr_vm *pvm, uint64_t gpa, uint64_t len)
{
	return pvm->hpt.base && gpa < pvm->hpt_gpa + pvm->hpt_bytes && pvm->hpt_gpa < gpa + len;
}
/* The translation context of the guest's MSR. */
struct book3s_mmu_ctx pr_mmu_ctx(const struct book3s_pr_vcpu *v);

/* ---- pr_papr.c ---- */
/* sc 1 from the guest kernel with PAPR on: in-hypervisor, or the VMM's exit. */
enum cpu_resume pr_papr_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc);
/* sc with r0 = KVM_SC_MAGIC_R0 from the guest kernel: the ePAPR/KVM paravirt hypercall. */
enum cpu_resume pr_kvm_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc);
/* sc with the OSI magic in r3/r4 and SKVM_CAP_PPC_OSI on: SKVM_EXIT_OSI with the GPRs. */
enum cpu_resume pr_osi_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc);
/* A new VM's enabled hcalls: KVM's default set (pr_papr.c's table says which). */
void pr_papr_init_hcalls(struct book3s_pr_vm *pvm);

/* ---- pr_debug.c ---- */
/* A program trap: true (the run exits SKVM_EXIT_DEBUG) if it is the debugger's software
 * breakpoint while guest debug is enabled. */
bool pr_debug_sw_breakpoint(struct book3s_pr_vcpu *v, const struct cpu_trap *t);
void pr_debug_exit(struct book3s_pr_vcpu *v, uint64_t pc);
/* SINGLESTEP: one instruction, then the debug exit (or the VMM's exit it made first). */
void pr_debug_step(struct book3s_pr_vcpu *v);
/* At the start of a run: true (the debug exit is set) if the last step's instruction,
 * which exited to the VMM, is now complete. */
bool pr_debug_step_done(struct book3s_pr_vcpu *v);

/* ---- pr_mmio.c ---- */
enum cpu_resume pr_mmio_access(struct book3s_pr_vcpu *v, struct cpu_trap *t, uint64_t gpa);
/* at the next run: the load's data, the VMM's hcall result or its OSI call's GPRs */
void pr_complete_io(struct book3s_pr_vcpu *v);
/* then, before anything else runs: re-execute an instruction whose MMIO takes a series of
 * exits (v->mmio_split.pending); sets run->exit_reason if it exits again */
void pr_mmio_split_resume(struct book3s_pr_vcpu *v);

#endif
