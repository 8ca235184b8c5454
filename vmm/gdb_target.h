/* SPDX-License-Identifier: MIT */
/* What gdb debugs, through the public API only: a vcpu's registers in the layout of gdb's
 * PowerPC description for the VM's type (a 440: gdb's 32-bit "powerpc:common", big-endian;
 * a Book3S PR VM: its 64-bit "powerpc:common64", little-endian as the ppc64le guests the
 * pseries board runs), guest memory as the guest sees it (skvm_vcpu_translate: the 440's
 * TLB, or the POWER8's real mode, SLB and HPT), software breakpoints (KVM_SET_GUEST_DEBUG's:
 * the instruction SKVM_REG_PPC_DEBUG_INST names, written into guest RAM), hardware
 * breakpoints and watchpoints where the VM has them (KVM_GUESTDBG_USE_HW_BP: the 440's
 * IAC1-4 and DAC1-2, in virtual addresses as gdb gives them; none on Book3S PR) and single
 * step.
 *
 * Registers and memory are those of the vcpu gdb has selected (t->vcpu: its MMU context for
 * virtual addresses); the breakpoints are the machine's, planted in the RAM every vcpu runs
 * from, and each vcpu's guest-debug state is set for it (gdb_target_set_debug). A call on a
 * vcpu is made while that vcpu is outside skvm_vcpu_run, as the API asks; the caller keeps
 * two calls on one target from overlapping (gdbstub.c: its target lock).
 *
 * A breakpoint lives in guest-physical memory: planted where its address translates when
 * gdb sets it (the 440: MSR[IS] and PID of that moment; Book3S: MSR[DR]'s context), removed
 * there again whatever the guest's mappings have become. A breakpoint whose address does
 * not translate yet (a kernel's virtual addresses, before its head code has set up its
 * mapping) is kept pending: the vcpu then runs one instruction at a time and plants it as
 * soon as the address translates, so `break start_kernel` works from the first
 * instruction, at single-step speed until then. On Book3S real mode translates every
 * address (its top four bits ignored), but a kernel runs at its own addresses (0xc000...)
 * only once it is where it belongs: ppc64's vmlinux first copies itself from 4 MiB down to
 * 0, over anything planted there. So with translation off a breakpoint waits until the PC
 * runs in the same quarter of the address space as the breakpoint's address (its top four
 * bits), or translation is on.
 */
#ifndef VMM_GDB_TARGET_H
#define VMM_GDB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "machine.h"

/* gdb's register numbers (its rs6000 tdescs "powerpc-32" and "powerpc-64": power.core then
 * power.fpu), the same in both layouts. */
enum {
	GDB_REG_R0 = 0,
	GDB_REG_F0 = 32,
	GDB_REG_PC = 64,
	GDB_REG_MSR,
	GDB_REG_CR,
	GDB_REG_LR,
	GDB_REG_CTR,
	GDB_REG_XER,
	GDB_REG_FPSCR,
	GDB_REG_COUNT
};
/* Bytes of the 'g' packet at most: 32 GPRs, 32 FPRs, then pc msr cr lr ctr xer fpscr, with
 * 64-bit GPRs, pc, msr, lr and ctr. */
#define GDB_REGS_MAX (32 * 8 + 32 * 8 + 4 * 8 + 3 * 4)

/* How the VM's type shows to gdb. */
struct gdb_layout {
	const char *xml;      /* the target description (qXfer:features:read:target.xml) */
	unsigned word;	      /* bytes of r0-r31, pc, msr, lr, ctr: 4 or 8 */
	bool le;	      /* registers and instruction words little-endian */
	uint64_t addr_max;    /* the last address gdb may name */
	/* skvm_translation's linear_address for addr in the vcpu's current context (fetch:
	 * an instruction's, else a data access's) */
	uint64_t (*linear)(uint64_t addr, const struct skvm_regs *r, bool fetch);
	/* whether a breakpoint at addr is planted where it translates now, or waits */
	bool (*plant_now)(uint64_t addr, const struct skvm_regs *r);
};

/* The layout of a VM of type vm_type (enum skvm_vm_type). */
const struct gdb_layout *gdb_layout_of(unsigned vm_type);

#define GDB_MAX_BREAKPOINTS 64
#define GDB_BREAKPOINT_KIND 4 /* Z0's kind: the instruction's size */

struct gdb_breakpoint {
	uint64_t addr;	    /* guest-virtual, as gdb gave it */
	uint64_t gpa;	    /* where it is planted */
	uint8_t saved[4];   /* the instruction it replaced */
	bool planted;	    /* false: pending, the address did not translate yet */
};

/* Z1-Z4's types: a hardware breakpoint, a write, read and access watchpoint. */
enum gdb_hw_type { GDB_HW_BREAK = 1, GDB_HW_WATCH, GDB_HW_RWATCH, GDB_HW_AWATCH };
#define GDB_MAX_HW 16 /* struct skvm_guest_debug's bp[] */

struct gdb_hw {
	uint64_t addr;
	enum gdb_hw_type type;
};

struct gdb_target {
	struct vmm_machine *m;
	struct skvm_vcpu *vcpu; /* registers and memory: gdb's selected vcpu (m->vcpu at first) */
	const struct gdb_layout *layout;
	uint8_t trap[4];     /* SKVM_REG_PPC_DEBUG_INST, as the guest's code holds it */
	unsigned max_hw_break, max_hw_watch; /* SKVM_CAP_GUEST_DEBUG_HW_BPS, _HW_WPS */
	unsigned nr_bp;
	struct gdb_breakpoint bp[GDB_MAX_BREAKPOINTS];
	unsigned nr_hw;
	struct gdb_hw hw[GDB_MAX_HW];
};

VMM_MUST_CHECK int gdb_target_init(struct gdb_target *t, struct vmm_machine *m);

/* Bytes of the 'g' packet in this layout. */
size_t gdb_target_regs_bytes(const struct gdb_target *t);
/* Registers as the 'g' packet carries them (in the layout's byte order). */
VMM_MUST_CHECK int gdb_target_read_regs(struct gdb_target *t, uint8_t out[GDB_REGS_MAX]);
VMM_MUST_CHECK int gdb_target_write_regs(struct gdb_target *t, const uint8_t in[GDB_REGS_MAX]);
/* One register (gdb's number): its size in bytes (4 or 8) in *size. -ENOENT for no such. */
VMM_MUST_CHECK int gdb_target_read_reg(struct gdb_target *t, unsigned regno, uint8_t out[8],
				       size_t *size);
VMM_MUST_CHECK int gdb_target_write_reg(struct gdb_target *t, unsigned regno, const uint8_t *in,
					size_t size);
VMM_MUST_CHECK int gdb_target_set_pc(struct gdb_target *t, uint64_t pc);

/* Guest-virtual memory in the current data context. Reads stop at the first byte that is
 * not RAM or not mapped: the bytes read (0: -EFAULT). Writes are all or nothing, and drop
 * decoded code for what they change. Addresses past the layout's addr_max are not mapped. */
VMM_MUST_CHECK int gdb_target_read_mem(struct gdb_target *t, uint64_t addr, uint8_t *out,
				       size_t len, size_t *done);
VMM_MUST_CHECK int gdb_target_write_mem(struct gdb_target *t, uint64_t addr, const uint8_t *in,
					size_t len);

/* Z0/z0. Insert: -ENOSPC when the table is full, -EINVAL for a misaligned address or an
 * address that is mapped but not RAM. Removing an unknown breakpoint is not an error. */
VMM_MUST_CHECK int gdb_target_insert_bp(struct gdb_target *t, uint64_t addr);
VMM_MUST_CHECK int gdb_target_remove_bp(struct gdb_target *t, uint64_t addr);
void gdb_target_remove_all_bp(struct gdb_target *t);
/* Z1-Z4/z1-z4 (type 1-4) at addr: taken by the next gdb_target_set_debug. Insert: -ENOSPC
 * past the VM's breakpoints or watchpoints (the 440: four and two; Book3S PR: none);
 * inserting one twice is once. A watchpoint fires on an access that includes its first
 * byte (len is not looked at). Removing an unknown one is not an error. */
VMM_MUST_CHECK int gdb_target_insert_hw(struct gdb_target *t, enum gdb_hw_type type,
					uint64_t addr);
void gdb_target_remove_hw(struct gdb_target *t, enum gdb_hw_type type, uint64_t addr);
/* The kind of the watchpoint at addr (GDB_HW_WATCH, _RWATCH, _AWATCH), 0 if none. */
enum gdb_hw_type gdb_target_watch_at(const struct gdb_target *t, uint64_t addr);
/* Plants what is pending if its address translates now in vcpu's context; true if some are
 * still pending. */
bool gdb_target_plant_pending(struct gdb_target *t, struct skvm_vcpu *vcpu);
/* After a machine reset reloaded guest RAM: puts the planted ones back. */
void gdb_target_replant(struct gdb_target *t);
bool gdb_target_is_bp(const struct gdb_target *t, uint64_t addr);

/* KVM_SET_GUEST_DEBUG of vcpu for its next run: software breakpoints while debugging, the
 * hardware ones, single step if step (or while breakpoints are pending); off entirely when
 * !debugging. */
VMM_MUST_CHECK int gdb_target_set_debug(struct gdb_target *t, struct skvm_vcpu *vcpu,
					bool debugging, bool step);

#endif
