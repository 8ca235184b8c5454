/* SPDX-License-Identifier: MIT */
/* The software PowerPC 440 core: "the silicon".
 *
 * The core executes the problem-state ISA. Addresses are translated only through the
 * shadow TLB (shadow_tlb.h), whose entries hold host pointers. Whatever a real core would
 * trap into the hypervisor for -- a privileged instruction, `sc`, a shadow-TLB miss, an
 * illegal instruction, FP unavailable, an expired budget -- is handed to the hypervisor's
 * trap handler (struct cpu_trap_ops). A lightweight trap (emulate mfspr, refill the shadow
 * TLB, deliver an interrupt) is handled without leaving cpu_run; a heavyweight one makes
 * cpu_run return.
 *
 * Instructions are decoded once: guest code is cached as pages of decoded instructions
 * keyed by guest-physical page (decode.c), invalidated when the guest writes to them.
 * The core knows nothing of devices, Linux or the public API.
 */
#ifndef SOFTKVM_CPU_H
#define SOFTKVM_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu_width.h"
#include "shadow_tlb.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

struct cpu;
struct cpu_dinsn;
struct cpu_code_page;

/* A decoded instruction's handler. It returns the next decoded instruction to run, or
 * NULL to leave cpu_run (cpu->pc then holds the guest PC to resume at). */
typedef const struct cpu_dinsn *(*cpu_handler)(struct cpu *c, const struct cpu_dinsn *d);

/* Which instruction of the table (insn_table.h) a decoded instruction is: CPU_OP_<cname>.
 * The hypervisor tells the instructions it emulates apart by it, never by their bits. */
enum cpu_op {
#define INSN(cname, mnem, form, primary, xo, flags, arch, handler) CPU_OP_##cname,
#include "insn_table.h"
#undef INSN
	CPU_OP_NR,
	CPU_OP_ILLEGAL = CPU_OP_NR, /* no table entry */
};

/* One decoded instruction. What each field holds depends on the form (decode.h). Register
 * fields that name (RA|0) hold CPU_GPR_ZERO when RA is 0, so handlers never test for 0. */
struct cpu_dinsn {
	cpu_handler fn;
	uint8_t rt; /* RT, RS, FRT, FRS; BO (B, XL forms); crbD (XL); crfD (compares, mcrxr) */
	uint8_t ra; /* RA, FRA; BI (B, XL); crbA (XL) */
	uint8_t rb; /* RB, FRB; NB (lswi, stswi); SH (M form, srawi); crbB (XL) */
	union {
		uint8_t frc; /* A form: FRC; VA: vC; XX4: XC */
		uint8_t mb;  /* M form: MB; XX3D: DM, SHW */
	};
	uint8_t me;	/* M form: ME */
	uint8_t flags;	/* CPU_D_*: the instruction's one-bit fields */
	uint16_t op;	/* enum cpu_op */
	int32_t imm;	     /* SIMM/UIMM/D, branch displacement, SPR/DCR number, mask */
	uint32_t insn;	     /* the raw instruction word */
};

#define CPU_GPR_ZERO 32 /* gpr[32] is always 0: decoders map (RA|0) with RA=0 here */

/* struct cpu_dinsn.flags (one byte, so that a handler tests several at once) */
#define CPU_D_RC 0x01u	    /* Rc: the record form (sets CR0, or CR1 for FP) */
#define CPU_D_OE 0x02u	    /* OE (XO form): sets XER[OV] and XER[SO] */
#define CPU_D_AA 0x04u	    /* AA (I, B forms): the target is absolute */
#define CPU_D_LK 0x08u	    /* LK (I, B, XL forms): LR = the next instruction */
#define CPU_D_IN_PAGE 0x10u /* I, B forms: the relative target is in the same code page */
#define CPU_D_L 0x20u	    /* compares: L=1, a 64-bit compare (the 64-bit core only) */

/* What the hypervisor's trap handler tells the core to do next. */
enum cpu_resume {
	CPU_RESUME_NEXT,    /* trap handled; go on with the next instruction (same context) */
	CPU_RESUME_RETRY,   /* re-execute the same instruction (e.g. shadow TLB refilled) */
	CPU_RESUME_REFETCH, /* state changed (PC, MSR, TLB): fetch again at cpu->pc */
	CPU_RESUME_STOP,    /* heavyweight: leave cpu_run with cpu->pc as set by the handler */
	CPU_RESUME_DATA,    /* data-access trap only: the hypervisor did the access (or
			     * answered the probe) itself; see struct cpu_mem_op */
	CPU_RESUME_TRAP,    /* from an emulation handler only (emulation.h): not here, take
			     * the trap instead */
	CPU_RESUME_END,	    /* from an emulation handler only: done, and the exit needs the
			     * hypervisor's end (cpu_trap_ops.emulation_end) */
};

/* Why the core trapped. */
enum cpu_trap_kind {
	CPU_TRAP_EMULATE,      /* an instruction the hypervisor emulates: privileged, an SPR
				* move the core does not do itself, sc */
	CPU_TRAP_ITLB_MISS,    /* no shadow entry for the fetch address */
	CPU_TRAP_DTLB_MISS,    /* no shadow entry for a data access (or no permission) */
	CPU_TRAP_PROGRAM,      /* illegal instruction or trap (esr says which) */
	CPU_TRAP_FP_UNAVAIL,   /* FP instruction with the guest's MSR[FP] = 0 */
	CPU_TRAP_ALIGNMENT,    /* lwarx/stwcx./dcbz misalignment the 440 faults on */
	CPU_TRAP_BUDGET,       /* the instruction budget ran out or the core was kicked */
	CPU_TRAP_INTERNAL,     /* the core cannot go on (host out of memory): stop */
	CPU_TRAP_VEC_UNAVAIL,  /* the 64-bit core: VMX instruction with MSR[VEC] = 0 */
	CPU_TRAP_VSX_UNAVAIL,  /* the 64-bit core: VSX instruction with MSR[VSX] = 0 */
};

/* ESR bits (reg_booke.h) the core reports with CPU_TRAP_PROGRAM/ALIGNMENT/DTLB_MISS. */
#define CPU_ESR_PIL (1u << 27)	/* illegal instruction */
#define CPU_ESR_PPR (1u << 26)	/* privileged instruction */
#define CPU_ESR_PTR (1u << 25)	/* trap */
#define CPU_ESR_FP (1u << 24)	/* floating point */
#define CPU_ESR_ST (1u << 23)	/* store */
#define CPU_ESR_DLK (1u << 21) /* dcache lock */
#define CPU_ESR_PUO (1u << 18) /* unimplemented operation */

enum cpu_access {
	CPU_ACCESS_READ = 0,
	CPU_ACCESS_WRITE = 1,
	CPU_ACCESS_EXEC = 2,
};

/* The details of a trap, filled by the core before it calls the handler. */
struct cpu_trap {
	enum cpu_trap_kind kind;
	cpu_ureg pc;   /* address of the trapping instruction */
	uint32_t insn; /* its instruction word (0 for a fetch miss) */
	const struct cpu_dinsn *d; /* decoded form, or NULL */
	cpu_ureg ea;		   /* data/fetch address for TLB misses and alignment */
	enum cpu_access access;	   /* for TLB misses */
	uint32_t esr;		   /* ESR bits for program/alignment/DSI-style traps */
	/* A data access that misses: what the instruction does with it (for MMIO). */
	struct cpu_mem_op {
		uint8_t size;	    /* 1, 2, 4 or 8 bytes */
		uint8_t rt;	    /* target/source register */
		uint8_t sign;	    /* sign-extend the loaded value (lha, lhau, lhax, lhaux) */
		uint8_t byterev;    /* lhbrx/lwbrx/sthbrx/stwbrx */
		uint8_t fp;	    /* FP register (lfs/lfd/stfs/stfd...) */
		uint8_t ra_update;  /* RA to update with ea (update forms), or 0 */
		uint8_t simple;	    /* one aligned-or-not single access MMIO can complete */
		uint8_t raw;	    /* move the bytes as they are: no page byte order (strings,
				     * and each page's part of an access that crosses pages) */
		uint8_t probe;	    /* no access: only the page's byte order is wanted */
		uint8_t le;	    /* out with CPU_RESUME_DATA: the page is little-endian (E=1) */
		uint64_t store_val; /* for stores: value to write (before byte order) */
		uint64_t load_val;  /* out with CPU_RESUME_DATA for a load: the value, in the
				     * page's byte order unless raw (as a load from RAM gives it) */
	} mem;
};

/* The hypervisor side of the core: kvm/ installs these. */
struct cpu_trap_ops {
	/* Handle a trap; may change any state of the core (PC, registers, shadow TLB). */
	enum cpu_resume (*trap)(void *opaque, struct cpu *c, struct cpu_trap *t);
	/* At decode time, for an instruction d the hypervisor emulates (CPU_TRAP_EMULATE): the
	 * handler that emulates it in place of the trap (emulation.h), or NULL to trap. */
	cpu_handler (*emulation)(void *opaque, const struct cpu_dinsn *d);
	/* After such a handler's CPU_RESUME_END: end the exit and say what the core does next
	 * (NEXT, REFETCH at c->pc, or STOP). */
	enum cpu_resume (*emulation_end)(void *opaque, struct cpu *c, const struct cpu_dinsn *d);
};

/* Guest-visible state the core owns. The hypervisor reads and writes it directly. */
struct cpu {
	cpu_ureg gpr[33]; /* gpr[32] == 0, see CPU_GPR_ZERO */
	uint32_t cr;
	cpu_ureg lr, ctr;
	/* XER, kept in pieces because the arithmetic touches them separately */
	uint8_t xer_so, xer_ov, xer_ca;
	uint8_t xer_bc;	     /* byte count for lswx/stswx */
	uint32_t xer_rest;   /* other XER bits as written (read back unchanged) */
	uint64_t fpr[32];    /* IEEE double bit patterns */
	uint32_t fpscr;
	cpu_ureg pc;	     /* valid whenever cpu_run is not executing */
	/* The l*arx reservation (exec_ldst.c), valid if reserve: the effective address, and
	 * for RAM the host address of the reserved bytes (which names the guest-physical
	 * location) with the bytes as l*arx read them, which st*cx. compares and swaps
	 * atomically, so that reservations work across vcpus on their own host threads. */
	cpu_ureg reserve_addr;
	uint8_t *reserve_host;	   /* NULL: not RAM (MMIO), the reservation is the EA alone */
	uint64_t reserve_raw[2];   /* the bytes read, as memory holds them (16 for lqarx) */
	uint8_t reserve_size;
	bool reserve;
#if CPU_IS64
	/* ---- the 64-bit core's modes (cpu_set_context) ---- */
	bool sf;		/* MSR[SF]: 64-bit mode */
	bool le;		/* MSR[LE]: little-endian (the hypervisor maps pages with LE) */
	cpu_ureg ea_mask;	/* ~0 in 64-bit mode, 0xffffffff in 32-bit mode */
	bool vec_enabled;	/* MSR[VEC] */
	bool vsx_enabled;	/* MSR[VSX] */
	uint32_t vscr;		/* VSCR: NJ, SAT */
	/* vector registers, bytes in the architecture's order (exec_vmx.c) */
	union cpu_vr {
		uint8_t b[16];
		uint64_t d[2];
	} vr[32] __attribute__((aligned(16)));
	/* The 64 VSX registers are these, with no copy (cpu_vsr_get/cpu_vsr_set): VSR0-31
	 * are fpr[i] (doubleword 0) and vsr_lo[i] (doubleword 1), VSR32-63 are vr[0-31]. */
	uint64_t vsr_lo[32];
#endif

	/* ---- context the hypervisor sets (cpu_set_context) ---- */
	bool fp_enabled;     /* guest MSR[FP] */
	uint8_t fp_exc_mode; /* guest MSR[FE0,FE1] != 0: FP enabled exceptions are precise */
	uint64_t dtag;	     /* data shadow-TLB context tag (DS, PID) */
	uint64_t itag;	     /* fetch shadow-TLB context tag (IS, PID) */

	/* ---- run control ---- */
	int64_t budget;		 /* taken branches left before CPU_TRAP_BUDGET */
	volatile int kick;	 /* set from another thread: stop soon */

	/* ---- single step (cpu_step) ---- */
	bool step_armed;		 /* the next fetch ends the step */
	uint16_t step_op;		 /* enum cpu_op of the instruction the last step ran */
	struct cpu_code_page *step_page; /* scratch copy of the page being stepped */

	/* ---- icbi: the last page found without code, and cpu_code_cache_live_gen then ---- */
	uint32_t icbi_ppn;
	uint64_t icbi_gen;

	/* ---- where the core is executing (valid inside cpu_run) ---- */
	struct cpu_code_page *page; /* decoded page being executed */
	cpu_ureg page_va;	    /* its guest-virtual base */

	struct shadow_tlb stlb;
	struct cpu_code_cache *code; /* decoded pages, keyed by guest-physical page */
	const struct cpu_trap_ops *ops;
	void *opaque;
	struct cpu_trap trap; /* scratch for the trap being delivered */
	const struct cpu_dinsn *fault_next; /* where to go after a failed access (exec.h) */
};

/* Setup / teardown. The core is embedded in the vcpu; code cache is per VM and shared
 * by its vcpus (it is keyed by physical address). */
int cpu_init(struct cpu *c, struct cpu_code_cache *code, const struct cpu_trap_ops *ops,
	     void *opaque) __attribute__((warn_unused_result));
void cpu_destroy(struct cpu *c);

struct cpu_code_cache *cpu_code_cache_create(void);
void cpu_code_cache_destroy(struct cpu_code_cache *cc);
/* The guest wrote to physical page ppn (or a DMA did): drop its decoded instructions. */
void cpu_code_cache_invalidate(struct cpu_code_cache *cc, uint32_t ppn);
/* True if physical page ppn holds decoded code (writes to it must invalidate). */
bool cpu_code_cache_has_page(const struct cpu_code_cache *cc, uint32_t ppn);
/* How many pages became code (decoded a slot) in any cache so far: a page has_page answered
 * false for stays without code while this stays the same. */
uint64_t cpu_code_cache_live_gen(void);

/* Run until a trap handler says CPU_RESUME_STOP. Returns with c->pc set. */
void cpu_run(struct cpu *c);

/* Execute one instruction at c->pc (KVM_GUESTDBG_SINGLESTEP, MSR[SE]): returns with c->pc at
 * the next instruction, or wherever an interrupt that instruction caused leads, and
 * c->step_op saying which instruction it was (CPU_OP_ILLEGAL if none ran). A trap handler
 * that stops (an MMIO exit) ends the step early as it ends cpu_run. Returns -ENOMEM if
 * the scratch page cannot be had. */
int cpu_step(struct cpu *c) __attribute__((warn_unused_result));

/* Set the translation/FP context after MSR or PID changes (the 64-bit core: MSR[SF, LE,
 * PR, FP, VEC, VSX, FE0/1, IR, DR]; pid is then the hypervisor's shadow context id, 0..31). */
void cpu_set_context(struct cpu *c, cpu_ureg msr, uint32_t pid);

/* Ask a running core to stop soon (any thread). */
static inline void cpu_kick(struct cpu *c)
{
	__atomic_store_n(&c->kick, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&c->budget, 0, __ATOMIC_RELAXED);
}

/* A CR field (0-7) and its bits. */
#define CR_LT 8u
#define CR_GT 4u
#define CR_EQ 2u
#define CR_SO 1u
static inline void cpu_set_crf(struct cpu *c, unsigned field, uint32_t bits)
{
	unsigned shift = 28 - 4 * field;
	c->cr = (c->cr & ~(0xfu << shift)) | (bits << shift);
}

/* XER as the guest sees it. */
uint32_t cpu_get_xer(const struct cpu *c);
void cpu_set_xer(struct cpu *c, uint32_t xer);

/* The guest PC of a decoded instruction of the page being executed. */
static inline cpu_ureg cpu_pc_of(const struct cpu *c, const struct cpu_dinsn *d);

/* ---- shadow TLB maintenance (the hypervisor's side) ---- */

/* Map the guest-virtual page of va to host page `host` (guest-physical page ppn) with the
 * guest permissions perm (SHADOW_PERM_*, plus SHADOW_ATTR_LE for a little-endian page) in
 * the current context, for the access kind that missed. gidx is the guest TLB entry behind
 * the mapping. Write permission is withheld while the physical page holds decoded code. */
void cpu_shadow_fill(struct cpu *c, enum cpu_access acc, cpu_ureg va, uint8_t *host,
		     uint32_t ppn, unsigned perm, unsigned gidx);
/* Drop the shadow entries guest TLB entry gidx backed; it mapped [va, va + size). */
void cpu_shadow_invalidate_gtlb(struct cpu *c, unsigned gidx, cpu_ureg va, uint32_t size);
/* Drop the shadow entry that may map va's page (in any context). */
void cpu_shadow_invalidate_page(struct cpu *c, cpu_ureg va);
/* Drop every shadow entry. */
void cpu_shadow_flush(struct cpu *c);
/* Withdraw write permission for guest-physical pages [ppn_lo, ppn_hi] (dirty logging). */
void cpu_shadow_revoke_write(struct cpu *c, uint32_t ppn_lo, uint32_t ppn_hi);

/* ---- the instruction table's derived tools ---- */

struct cpu_decoder;
struct cpu_decoder *cpu_decoder_create(void);
void cpu_decoder_destroy(struct cpu_decoder *dec);
/* Decode one instruction word into *d (fn is the table's handler; the privileged hook is
 * not consulted). Returns the table index, or -1 for an illegal instruction. */
int cpu_decode(const struct cpu_decoder *dec, uint32_t insn, struct cpu_dinsn *d);
/* The disassembler derived from the instruction table: writes "addi r3,r1,16". */
void cpu_disassemble(const struct cpu_decoder *dec, uint32_t insn, cpu_ureg pc, char *buf,
		     unsigned len);

#include "code_cache.h"

static inline cpu_ureg cpu_pc_of(const struct cpu *c, const struct cpu_dinsn *d)
{
	return c->page_va + (cpu_ureg)((d - c->page->insns) << 2);
}

/* An FP instruction writes FPR i. On the 64-bit core that also makes doubleword 1 of VSR i
 * zero: undefined in Power ISA 2.07, zero on POWER8 and defined so by ISA 3.1 (QEMU 7.2
 * agrees). */
static inline void cpu_set_fpr(struct cpu *c, unsigned i, uint64_t v)
{
	c->fpr[i] = v;
#if CPU_IS64
	c->vsr_lo[i] = 0;
#endif
}

#if CPU_IS64
/* A VSX register's value: doubleword 0 (the most significant, the FPR of VSR0-31) and 1. */
struct cpu_vsr {
	uint64_t hi, lo;
};

static inline struct cpu_vsr cpu_vsr_get(const struct cpu *c, unsigned i)
{
	if (i < 32)
		return (struct cpu_vsr){c->fpr[i], c->vsr_lo[i]};
	uint64_t h, l;
	__builtin_memcpy(&h, c->vr[i - 32].b, 8);
	__builtin_memcpy(&l, c->vr[i - 32].b + 8, 8);
	return (struct cpu_vsr){__builtin_bswap64(h), __builtin_bswap64(l)};
}

static inline void cpu_vsr_set(struct cpu *c, unsigned i, struct cpu_vsr v)
{
	if (i < 32) {
		c->fpr[i] = v.hi;
		c->vsr_lo[i] = v.lo;
		return;
	}
	uint64_t h = __builtin_bswap64(v.hi), l = __builtin_bswap64(v.lo);
	__builtin_memcpy(c->vr[i - 32].b, &h, 8);
	__builtin_memcpy(c->vr[i - 32].b + 8, &l, 8);
}
#endif

#endif
