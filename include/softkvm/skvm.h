/* SPDX-License-Identifier: MIT */
/* softkvm public API: VMs, memory slots, vcpus, the run structure and its exits.
 *
 * Every call mirrors one KVM ioctl (named in its comment) so that a VMM written for
 * KVM maps onto softkvm line for line. Fallible calls return 0 or a negative errno.
 * A VM and its vcpus are independent objects: many VMs may live in one process.
 */
#ifndef SOFTKVM_SKVM_H
#define SOFTKVM_SKVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppc.h"

#define SKVM_MUST_CHECK __attribute__((warn_unused_result))

/* Everything declared here is libsoftkvm.so's exported API; the library is built with
 * -fvisibility=hidden, so nothing else in it is. */
#pragma GCC visibility push(default)

struct skvm_vm;
struct skvm_vcpu;

/* KVM_GET_API_VERSION: KVM_API_VERSION, the version of the interface these calls mirror. */
#define SKVM_API_VERSION 12
int skvm_get_api_version(void);

/* VM types for skvm_vm_create (KVM_CREATE_VM's machine type). */
enum skvm_vm_type {
	SKVM_VM_PPC_440 = 0, /* PowerPC 440 (BookE) guest, as arch/powerpc/kvm/44x.c */
	/* KVM_VM_PPC_PR: a Book3S-64 guest on the 64-bit POWER8 core, as book3s_pr.c (its
	 * vcpus start as a POWER8 out of reset: MSR = SF | ME, PC = 0x100) */
	SKVM_VM_PPC_PR = 2,
};

/* KVM_CREATE_VM. */
SKVM_MUST_CHECK int skvm_vm_create(unsigned long type, struct skvm_vm **out);
/* close(vm_fd): destroys the VM and every vcpu still attached to it. */
void skvm_vm_destroy(struct skvm_vm *vm);

/* ---- memory slots ---- */

#define SKVM_MEM_LOG_DIRTY_PAGES (1u << 0) /* KVM_MEM_LOG_DIRTY_PAGES */
#define SKVM_MEM_READONLY (1u << 1)	   /* KVM_MEM_READONLY: guest writes exit as MMIO */
#define SKVM_MAX_MEM_SLOTS 32
#define SKVM_PAGE_SIZE 4096u

/* struct kvm_userspace_memory_region. Sizes and addresses are multiples of 4 KiB. */
struct skvm_userspace_memory_region {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size; /* 0 deletes the slot */
	void *userspace_addr; /* host memory, owned by the caller */
};

/* KVM_SET_USER_MEMORY_REGION. Overlapping slots are -EEXIST. */
SKVM_MUST_CHECK int skvm_vm_set_memory_region(struct skvm_vm *vm,
					      const struct skvm_userspace_memory_region *region);

/* KVM_GET_DIRTY_LOG: copies the slot's dirty bitmap (one bit per 4 KiB page, bit n of
 * 64-bit word n/64) into bitmap and clears it. -ENOENT if the slot does not log. */
SKVM_MUST_CHECK int skvm_vm_get_dirty_log(struct skvm_vm *vm, uint32_t slot, uint64_t *bitmap);

/* VM-wide statistics (the VM's KVM_GET_STATS_FD). The decoded-code cache is softkvm's
 * instruction cache: pages of guest code decoded once, keyed by guest-physical page. */
struct skvm_vm_stats {
	uint64_t decode_pages;	   /* decoded pages held now */
	uint64_t decode_max_pages; /* the bound (SKVM_CAP_DECODE_CACHE_BYTES) */
	uint64_t decode_page_bytes; /* host bytes one decoded page takes */
	uint64_t decode_created;   /* pages decoded since the VM was created */
	uint64_t decode_evicted;   /* pages that made way for newer ones */
	/* compiled runs (SKVM_CAP_COMPILED_RUNS): runs of simple instructions the 64-bit core
	 * turned into host code as it decoded them */
	uint64_t compiled_runs;	   /* runs compiled since the VM was created */
	uint64_t compiled_insns;   /* instructions in them */
	uint64_t compiled_bytes;   /* host code held now */
	uint64_t compiled_resets;  /* times a vcpu's full region of host code was dropped */
};
void skvm_vm_get_stats(struct skvm_vm *vm, struct skvm_vm_stats *st);

/* softkvm: the host wrote instructions into guest memory [gpa, gpa + size) behind the
 * guests' back (loading a kernel, a reset). On a PowerPC host a KVM VMM flushes the host's
 * instruction cache over such a range (QEMU's cpu_flush_icache_range); softkvm's "icache"
 * is its decoded-code cache, and this drops that range from it. A vcpu sees the new
 * instructions from its next entry into skvm_vcpu_run, or at its next exit check if it is
 * running (any thread may call this). A guest that changes its own code, or that a device
 * DMAs code to, does what the architecture asks of it instead (icbi, then isync). */
SKVM_MUST_CHECK int skvm_vm_flush_icache(struct skvm_vm *vm, uint64_t gpa, uint64_t size);

/* ---- vcpus ---- */

/* KVM_CREATE_VCPU. The vcpu starts in the 440's reset state (MSR=0, PC=0xfffffffc). */
SKVM_MUST_CHECK int skvm_vcpu_create(struct skvm_vm *vm, uint32_t id, struct skvm_vcpu **out);

/* Exit reasons in struct skvm_run (KVM_EXIT_*). */
enum skvm_exit_reason {
	SKVM_EXIT_UNKNOWN = 0,
	SKVM_EXIT_HYPERCALL = 3, /* ePAPR hypercall the hypervisor does not handle itself */
	SKVM_EXIT_DEBUG = 4,	 /* breakpoint or single step (KVM_SET_GUEST_DEBUG) */
	SKVM_EXIT_MMIO = 6,
	SKVM_EXIT_SHUTDOWN = 8, /* the vcpu halted for good (see below) */
	SKVM_EXIT_INTR = 10, /* kicked or immediate_exit: returned with -EINTR */
	SKVM_EXIT_DCR = 15,	     /* mfdcr/mtdcr of a DCR no in-hypervisor device claims */
	SKVM_EXIT_INTERNAL_ERROR = 17,
	SKVM_EXIT_OSI = 18,	   /* Book3S: an OSI call, with SKVM_CAP_PPC_OSI (below) */
	SKVM_EXIT_PAPR_HCALL = 19, /* Book3S: an `sc 1` PAPR hypercall for the VMM (below) */
	SKVM_EXIT_WATCHDOG = 21,     /* the watchdog's final expiry, with SKVM_CAP_PPC_BOOKE_WATCHDOG */
	SKVM_EXIT_SYSTEM_EVENT = 24, /* guest reset or power-off */
};

/* SKVM_EXIT_SHUTDOWN (KVM_EXIT_SHUTDOWN's number): the vcpu waits -- MSR[WE], or a branch to
 * itself (`b .`, `bc 20,x,.`) -- and nothing the hypervisor owns can ever wake it: MSR[EE]
 * is 0 (so neither the external input, the decrementer nor the FIT can be taken), no
 * interrupt that MSR lets in is pending, no watchdog reset is armed (TCR[WRC] = 0), and
 * with MSR[CE] the watchdog interrupt is off (TCR[WIE] = 0) and the critical input is low,
 * with MSR[DE] no debug event is enabled (DBCR0[IDM] = 0). What is left is the critical
 * input (when MSR[CE] = 1), which only userspace can raise: a VMM that can still raise it
 * runs the vcpu again, which then waits as before and is not reported again until its MSR
 * changes (an interrupt, or a register write from userspace). Linux's halt on a 440
 * (machine_hang: interrupts off, `while (1);` with MSR[CE] set) ends here. */

enum skvm_system_event_type {
	SKVM_SYSTEM_EVENT_SHUTDOWN = 1,
	SKVM_SYSTEM_EVENT_RESET = 2,
};

enum skvm_dcr_status {
	SKVM_DCR_OK = 0,
	SKVM_DCR_UNCLAIMED = 1,
};

/* run->internal.suberror. Linux's numbers where Linux has the case (KVM_INTERNAL_ERROR_*),
 * softkvm's own from 0x10000. data[0] is the guest PC, data[1] the instruction (0 when
 * there is none), ndata = 2. */
enum skvm_internal_error {
	SKVM_INTERNAL_ERROR_EMULATION = 1,	   /* an instruction the hypervisor cannot emulate */
	SKVM_INTERNAL_ERROR_UNSUPPORTED = 0x10000, /* e.g. an access one exit cannot carry */
	SKVM_INTERNAL_ERROR_CHECKSTOP = 0x10001,   /* machine check with MSR[ME]=0: the core stops */
};

/* run->debug.arch.status (KVMPPC_DEBUG_*): what stopped the vcpu; 0 for a software
 * breakpoint or a single step. */
#define SKVM_DEBUG_NONE 0u
#define SKVM_DEBUG_BREAKPOINT (1u << 1)	 /* a hardware breakpoint (IAC) */
#define SKVM_DEBUG_WATCH_WRITE (1u << 2) /* a store hit a watchpoint (DAC) */
#define SKVM_DEBUG_WATCH_READ (1u << 3)	 /* a load hit a watchpoint (DAC) */

/* struct kvm_run, the page shared between the hypervisor and userspace. Every member
 * softkvm uses sits where Linux's struct kvm_run has it (tests/unit/test_kvm_abi.c). */
struct skvm_run {
	/* in */
	uint8_t request_interrupt_window; /* unused on PowerPC */
	uint8_t immediate_exit;		  /* return -EINTR at once, as KVM's immediate_exit */
	uint8_t padding1[6];
	/* out */
	uint32_t exit_reason;
	/* 1 when the vcpu would take the external input now (MSR[EE] = 1): what
	 * KVM_INTERRUPT sets is delivered at the next entry; else it stays pending */
	uint8_t ready_for_interrupt_injection;
	uint8_t if_flag;
	uint16_t flags;
	uint64_t cr8;	    /* x86 only */
	uint64_t apic_base; /* x86 only */
	union {
		/* SKVM_EXIT_MMIO: data is in guest byte order (as on the bus). For a load,
		 * userspace fills data[0..len) and the next skvm_vcpu_run completes it. */
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		/* SKVM_EXIT_DCR: for a read, userspace sets data before the next run. If no
		 * device answers at dcrn, userspace sets status = SKVM_DCR_UNCLAIMED and the
		 * guest takes an illegal-instruction program interrupt at the mfdcr/mtdcr
		 * (as QEMU's 440 does); the hypervisor clears status at each DCR exit. */
		struct {
			uint32_t dcrn;
			uint32_t data;
			uint8_t is_write;
			uint8_t status;
		} dcr;
		/* SKVM_EXIT_HYPERCALL: nr from r11, args from r3..r10; ret goes to r3 and
		 * ret2 to r4 at the next run (ePAPR: r3 = status). */
		struct {
			uint64_t nr;
			uint64_t args[8];
			uint64_t ret;
			uint64_t ret2;
		} hcall; /* softkvm's: Linux has no ePAPR hypercall exit */
		/* SKVM_EXIT_PAPR_HCALL (SKVM_VM_PPC_PR with SKVM_CAP_PPC_PAPR enabled): the
		 * guest kernel's `sc 1` with nr from r3 and args from r4..r12. At the next run
		 * ret goes to r3 and args[0..8] back to r4..r12 (a VMM writes its outputs
		 * there), as KVM does. */
		struct {
			uint64_t nr;
			uint64_t ret;
			uint64_t args[9];
		} papr_hcall;
		/* SKVM_EXIT_OSI (a SKVM_VM_PPC_PR vcpu with SKVM_CAP_PPC_OSI enabled): the
		 * guest's `sc` with SKVM_OSI_SC_MAGIC_R3/_R4 in the low words of r3/r4 (Mac-on-
		 * Linux's OSI call), from either privilege state, unless it is a PAPR `sc 1` of
		 * the guest kernel (that one is a hypercall). gprs are the guest's r0..r31;
		 * the VMM changes those it answers in, and the next run loads all 32 back into
		 * the guest, which goes on after the sc. */
		struct {
			uint64_t gprs[32];
		} osi;
		struct {
			uint32_t type; /* enum skvm_system_event_type */
			uint32_t ndata;
			uint64_t data[16];
		} system_event;
		struct {
			uint32_t suberror; /* enum skvm_internal_error */
			uint32_t ndata;	   /* 2: data[0] = PC, data[1] = instruction */
			uint64_t data[16];
		} internal;
		/* SKVM_EXIT_DEBUG (struct kvm_debug_exit_arch): address is the PC of the
		 * instruction to execute next (a breakpoint's, or the one after a step);
		 * status SKVM_DEBUG_* */
		struct {
			struct {
				uint64_t address;
				uint32_t status;
				uint32_t reserved;
			} arch;
		} debug;
		char padding[256];
	};
};

/* The OSI call's magic values (Linux's OSI_SC_MAGIC_R3/_R4, kvm_book3s.h). */
#define SKVM_OSI_SC_MAGIC_R3 0x113724fau
#define SKVM_OSI_SC_MAGIC_R4 0x77810f9bu

/* mmap(vcpu_fd) of struct kvm_run: valid for the vcpu's whole life. */
struct skvm_run *skvm_vcpu_run_data(struct skvm_vcpu *vcpu);

/* KVM_RUN: runs the guest until a heavyweight exit; run->exit_reason says which.
 * Returns 0, -EINTR when kicked (exit_reason SKVM_EXIT_INTR), -EBUSY when the vcpu is
 * already running on another thread or another call has it. */
SKVM_MUST_CHECK int skvm_vcpu_run(struct skvm_vcpu *vcpu);

/* A signal to the vcpu thread: makes a running or halted skvm_vcpu_run return -EINTR
 * soon. Safe to call from any thread; a kick that arrives while the vcpu is outside
 * skvm_vcpu_run takes effect at its next entry. */
void skvm_vcpu_kick(struct skvm_vcpu *vcpu);

/* ---- registers ----
 * These calls, skvm_vcpu_translate, the TLB entry calls, skvm_vcpu_set_guest_debug,
 * skvm_vcpu_enable_cap and skvm_vcpu_run take the vcpu for their duration (KVM's vcpu
 * mutex): while it runs, or while another of them is under way, they return -EBUSY (KVM
 * would wait). Call them from the thread that runs the vcpu, or while it does not run. */

/* KVM_GET_REGS / KVM_SET_REGS (struct kvm_regs for powerpc). */
SKVM_MUST_CHECK int skvm_vcpu_get_regs(struct skvm_vcpu *vcpu, struct skvm_regs *regs);
SKVM_MUST_CHECK int skvm_vcpu_set_regs(struct skvm_vcpu *vcpu, const struct skvm_regs *regs);
/* KVM_GET_SREGS / KVM_SET_SREGS (struct kvm_sregs, BookE part). */
SKVM_MUST_CHECK int skvm_vcpu_get_sregs(struct skvm_vcpu *vcpu, struct skvm_sregs *sregs);
SKVM_MUST_CHECK int skvm_vcpu_set_sregs(struct skvm_vcpu *vcpu, const struct skvm_sregs *sregs);
/* KVM_GET_ONE_REG / KVM_SET_ONE_REG: id is a SKVM_REG_PPC_* (KVM_REG_PPC_*) id; value
 * points to as many bytes as the id's size field says. -ENOENT for an unknown id. */
SKVM_MUST_CHECK int skvm_vcpu_get_one_reg(struct skvm_vcpu *vcpu, uint64_t id, void *value);
SKVM_MUST_CHECK int skvm_vcpu_set_one_reg(struct skvm_vcpu *vcpu, uint64_t id, const void *value);

/* The guest TLB, as KVM_CONFIG_TLB / KVM_DIRTY_TLB expose it: a VMM sets the boot
 * mappings the firmware would have left (QEMU's bamboo leaves two identity entries). */
struct skvm_440_tlb_entry {
	uint32_t word0; /* EPN | V | TS | SIZE, as tlbwe word 0 */
	uint32_t word1; /* RPN | ERPN, as tlbwe word 1 */
	uint32_t word2; /* storage attributes and UX UW UR SX SW SR, as tlbwe word 2 */
	uint8_t tid;	/* translation ID (MMUCR[STID] at tlbwe) */
};
#define SKVM_440_TLB_ENTRIES 64
SKVM_MUST_CHECK int skvm_vcpu_set_tlb_entry(struct skvm_vcpu *vcpu, unsigned index,
					    const struct skvm_440_tlb_entry *e);
SKVM_MUST_CHECK int skvm_vcpu_get_tlb_entry(struct skvm_vcpu *vcpu, unsigned index,
					    struct skvm_440_tlb_entry *e);

/* struct kvm_translation. */
struct skvm_translation {
	/* in: the guest-virtual address in bits 0-31, the PID in bits 32-39 and the address
	 * space (MSR[IS] or MSR[DS]) in bit 40, as Linux's BookE KVM_TRANSLATE takes it */
	uint64_t linear_address;
	/* out */
	uint64_t physical_address;
	uint8_t valid;	   /* a guest TLB entry maps the address in that context */
	uint8_t writeable; /* 0: not reported (as on Linux's BookE) */
	uint8_t usermode;  /* 0: not reported (as on Linux's BookE) */
	uint8_t pad[5];
};
/* KVM_TRANSLATE: guest-virtual to guest-physical through the guest TLB, as the guest's own
 * accesses in that context would translate (permissions aside). 0 with valid = 0 when no
 * entry maps it. A SKVM_VM_PPC_PR vcpu (where KVM PR has no working KVM_TRANSLATE): the
 * whole of linear_address is the 64-bit effective address, translated as the vcpu's data
 * accesses would be now -- real mode if MSR[DR] is 0, else its SLB and the HPT --
 * permissions aside and without setting the guest's R or C bits; valid = 0 when that
 * fails (no segment, no HPTE, beyond the real mode area). */
SKVM_MUST_CHECK int skvm_vcpu_translate(struct skvm_vcpu *vcpu, struct skvm_translation *tr);

/* ---- interrupts ---- */

/* KVM_INTERRUPT for powerpc (struct kvm_interrupt's irq): raise or lower the external input. */
#define SKVM_INTERRUPT_SET 0xffffffffu	     /* -1U: once, withdrawn when delivered */
#define SKVM_INTERRUPT_UNSET 0xfffffffeu     /* -2U: lower the input, withdraw what is queued */
#define SKVM_INTERRUPT_SET_LEVEL 0xfffffffdu /* -3U: held until UNSET (SKVM_CAP_PPC_IRQ_LEVEL) */
/* irq is one of the three (-EINVAL otherwise, where Linux takes any other value as SET).
 * crit (softkvm's) drives the critical input instead (the UIC's critical output). Any
 * thread, at any time: the vcpu sees it before it next enters the guest. */
SKVM_MUST_CHECK int skvm_vcpu_interrupt(struct skvm_vcpu *vcpu, uint32_t irq, bool crit);

/* ---- ioeventfd and irqfd (KVM_IOEVENTFD, KVM_IRQFD: virt/kvm/eventfd.c) ----
 *
 * What lets a VMM run its devices on threads of their own, as KVM VMMs do (kvmtool, QEMU's
 * iothreads, Firecracker): a guest store that kicks a device signals an eventfd inside the
 * hypervisor, and a device thread raises an interrupt by writing an eventfd.
 *
 * The interrupt controller. KVM injects an irqfd into its in-kernel irqchip. softkvm has
 * none for the 440: its UIC is emulated by the VMM (as QEMU emulates it for KVM's 440 port),
 * so the VMM hands the hypervisor the one function that drives its controller's inputs
 * (skvm_vm_set_irqchip, in KVM_CREATE_IRQCHIP's place). The hypervisor's irqfd thread --
 * KVM's irqfd work items -- calls it when an irqfd is signalled; neither the vcpu thread nor
 * the device thread does that work, and the controller raises the vcpu's input with
 * skvm_vcpu_interrupt (thread-safe) as it does for any other line. The function is called
 * with an internal lock held: it must not call skvm_vm_irqfd or skvm_vm_irqchip_ack. */

/* The VMM's interrupt controller as the hypervisor drives it: input gsi (0..nr_gsis-1) to
 * level 1 or 0. Called from the hypervisor's irqfd thread (and from skvm_vm_irqchip_ack's
 * caller), so it must be thread-safe. 0 or a negative errno (the hypervisor ignores it). */
struct skvm_irqchip {
	int (*set_irq)(void *opaque, uint32_t gsi, int level);
	void *opaque;
	uint32_t nr_gsis; /* 1..1024 */
};
/* softkvm: registers the VMM's controller, once per VM (-EEXIST after that; -EINVAL for a
 * chip without set_irq or with a bad nr_gsis). irqfds need it (-EAGAIN before, as KVM says
 * for an irqfd on a VM whose controller is not initialised). */
SKVM_MUST_CHECK int skvm_vm_set_irqchip(struct skvm_vm *vm, const struct skvm_irqchip *chip);

#define SKVM_IOEVENTFD_FLAG_DATAMATCH (1u << 0) /* KVM_IOEVENTFD_FLAG_DATAMATCH */
#define SKVM_IOEVENTFD_FLAG_PIO (1u << 1)       /* port I/O: none on PowerPC, -EINVAL */
#define SKVM_IOEVENTFD_FLAG_DEASSIGN (1u << 2)  /* KVM_IOEVENTFD_FLAG_DEASSIGN */

/* struct kvm_ioeventfd. */
struct skvm_ioeventfd {
	uint64_t datamatch;
	uint64_t addr; /* guest-physical MMIO address */
	uint32_t len;  /* 1, 2, 4 or 8; 0: any store at addr (then no DATAMATCH) */
	int32_t fd;    /* an eventfd */
	uint32_t flags;
};
/* KVM_IOEVENTFD. While assigned, a guest store of len bytes at addr (of any length with len
 * 0) -- and with DATAMATCH only one whose value equals datamatch -- adds 1 to the eventfd
 * and completes in the hypervisor: the vcpu goes on with the next instruction and there is
 * no SKVM_EXIT_MMIO (counted as SKVM_EXITS_IOEVENTFD). Other stores and every load there
 * exit as before. The value is the store's bytes as they are on the bus (the order of
 * run->mmio.data), read as a number in the host's byte order, as KVM compares them: on an
 * x86-64 host a little-endian register such as virtio-mmio's QueueNotify matches datamatch
 * = the queue index. Only a store a single exit would carry matches (not the pieces of
 * stmw, strings or a page-crossing store).
 * Errors as KVM's: -EINVAL (flags, len, PIO, DATAMATCH with len 0, a wrapping range),
 * -EBADF (fd is not open), -EEXIST (assign: an ioeventfd already takes such stores),
 * -ENOENT (deassign: none with this fd, addr, len and datamatch), -ENOSPC (1000 assigned).
 * Unlike KVM, softkvm holds no reference of its own: fd must stay open until deassigned.
 * Any thread, at any time. */
SKVM_MUST_CHECK int skvm_vm_ioeventfd(struct skvm_vm *vm, const struct skvm_ioeventfd *args);

#define SKVM_IRQFD_FLAG_DEASSIGN (1u << 0) /* KVM_IRQFD_FLAG_DEASSIGN */
#define SKVM_IRQFD_FLAG_RESAMPLE (1u << 1) /* KVM_IRQFD_FLAG_RESAMPLE */

/* struct kvm_irqfd. */
struct skvm_irqfd {
	int32_t fd; /* an eventfd */
	uint32_t gsi;
	uint32_t flags;
	int32_t resamplefd; /* an eventfd, with SKVM_IRQFD_FLAG_RESAMPLE */
};
/* KVM_IRQFD. Each write to fd (any value) is, on the irqfd thread:
 *   without RESAMPLE  an edge, as KVM injects it: set_irq(gsi, 1) then set_irq(gsi, 0). A
 *                     level-sensitive controller input sees a pulse it may miss: the
 *                     input should be edge-triggered (the 440 board declares its virtio
 *                     inputs so in the device tree);
 *   with RESAMPLE     a level: set_irq(gsi, 1), held until the guest acknowledges the input
 *                     at the controller (skvm_vm_irqchip_ack), which lowers it and adds 1
 *                     to resamplefd so that the device can raise it again if it still has
 *                     work for the guest (KVM's level-triggered irqfd for VFIO and virtio
 *                     INTx). Deassigning a raised one lowers it.
 * A gsi is one wire: its irqfds are not OR-ed with each other. Errors: -EAGAIN (no
 * irqchip), -EINVAL (flags, gsi >= nr_gsis, fd = resamplefd), -EBADF (a descriptor not
 * open), -EBUSY (fd is already an irqfd), -ENOMEM / -ENOSPC (1024 assigned); deassigning one
 * that is not there is 0, as in KVM. After a deassign returns, that irqfd no longer drives
 * the controller. fd and resamplefd must stay open until deassigned. */
SKVM_MUST_CHECK int skvm_vm_irqfd(struct skvm_vm *vm, const struct skvm_irqfd *args);

/* softkvm: the VMM's controller says the guest acknowledged input gsi (KVM's ack notifier,
 * kvm_notify_acked_irq: an EOI; the UIC's: a write to its status register clearing the
 * input's bit). Lowers the input held by RESAMPLE irqfds on gsi and signals their
 * resamplefds; nothing otherwise. Must not be called with the controller's own lock held. */
void skvm_vm_irqchip_ack(struct skvm_vm *vm, uint32_t gsi);

/* ---- capabilities ---- */

/* KVM_CAP_*, Linux's numbers. Those marked 0 are ones a /dev/kvm user may ask about and
 * softkvm has not (as a 440 host's KVM answers them); "PR" marks those only a SKVM_VM_PPC_PR
 * VM has (0 for a 440 VM and without a VM), "440" those only a 440 VM has (0 for a PR VM). */
enum skvm_cap {
	SKVM_CAP_USER_MEMORY = 3,
	SKVM_CAP_NR_VCPUS = 9,	  /* vcpus per VM (recommended = the most) */
	SKVM_CAP_NR_MEMSLOTS = 10,
	SKVM_CAP_SYNC_MMU = 16,	  /* guest RAM is the caller's memory itself */
	SKVM_CAP_DESTROY_MEMORY_REGION_WORKS = 21, /* memory_size 0 deletes a slot */
	SKVM_CAP_SET_GUEST_DEBUG = 23,
	SKVM_CAP_IRQFD = 32,
	SKVM_CAP_IOEVENTFD = 36,
	SKVM_CAP_INTERNAL_ERROR_DATA = 40, /* run->internal.ndata and data[] */
	SKVM_CAP_PPC_PAIRED_SINGLES = 48,  /* 0: the 750CL's, not a 440's */
	SKVM_CAP_PPC_OSI = 52,		   /* PR: skvm_vcpu_enable_cap, SKVM_EXIT_OSI */
	SKVM_CAP_PPC_UNSET_IRQ = 53,	   /* SKVM_INTERRUPT_UNSET */
	SKVM_CAP_ENABLE_CAP = 54,	   /* skvm_vcpu_enable_cap */
	SKVM_CAP_PPC_GET_PVINFO = 57,
	SKVM_CAP_PPC_IRQ_LEVEL = 58,	   /* SKVM_INTERRUPT_SET_LEVEL */
	SKVM_CAP_PPC_BOOKE_SREGS = 62,	   /* 440 */
	SKVM_CAP_MAX_VCPUS = 66,
	SKVM_CAP_PPC_HIOR = 67,		   /* 0: PR's movable vector base (HIOR) is not there */
	SKVM_CAP_PPC_PAPR = 68,		   /* PR: skvm_vcpu_enable_cap, SKVM_EXIT_PAPR_HCALL */
	SKVM_CAP_SW_TLB = 69,		   /* 0: e500's shared TLB */
	SKVM_CAP_ONE_REG = 70,
	SKVM_CAP_PPC_GET_SMMU_INFO = 78,   /* PR: skvm_vm_get_smmu_info */
	SKVM_CAP_READONLY_MEM = 81,
	SKVM_CAP_IRQFD_RESAMPLE = 82,
	SKVM_CAP_PPC_BOOKE_WATCHDOG = 83,  /* 440: skvm_vcpu_enable_cap, SKVM_EXIT_WATCHDOG */
	SKVM_CAP_PPC_EPR = 86,		   /* 0: no MPIC proxy on a 440 */
	SKVM_CAP_ENABLE_CAP_VM = 98,	   /* skvm_vm_enable_cap */
	SKVM_CAP_IOEVENTFD_NO_LENGTH = 100, /* len 0: any store at the address */
	SKVM_CAP_PPC_ENABLE_HCALL = 104,   /* PR: skvm_vm_enable_cap, which hcalls stay in */
	SKVM_CAP_CHECK_EXTENSION_VM = 105, /* skvm_check_extension takes the VM */
	SKVM_CAP_IMMEDIATE_EXIT = 136,
	SKVM_CAP_GUEST_DEBUG_HW_BPS = 119,    /* 440: 4 hardware breakpoints (IAC1-4) */
	SKVM_CAP_GUEST_DEBUG_HW_WPS = 120,    /* 440: 2 hardware watchpoints (DAC1-2) */
	SKVM_CAP_PPC_GUEST_DEBUG_SSTEP = 176, /* SKVM_GUESTDBG_SINGLESTEP */
	SKVM_CAP_HALT_POLL = 182,	      /* skvm_vm_enable_cap: the longest halt poll, ns */
	/* softkvm: per-exit host timing (CONFIG_KVM_EXIT_TIMING), skvm_vcpu_enable_cap */
	SKVM_CAP_EXIT_TIMING = 0x10000,
	SKVM_CAP_PPC_DCR = 0x10001,	/* softkvm, 440: SKVM_EXIT_DCR for unclaimed DCRs */
	/* softkvm: bytes of host memory the VM's decoded-code cache may use (a bound on
	 * the host memory guest code costs; the oldest decoded pages make way for new
	 * ones). check_extension gives the default; skvm_vm_enable_cap sets it. */
	SKVM_CAP_DECODE_CACHE_BYTES = 0x10002,
	/* softkvm: the 64-bit core compiles runs of simple instructions to host code as it
	 * decodes them (on by default where it can: Book3S PR VMs on an x86-64 host). */
	SKVM_CAP_COMPILED_RUNS = 0x10003,
};

/* KVM_CHECK_EXTENSION: 0 if unsupported, else a positive value (a count where it is one).
 * vm may be NULL (the /dev/kvm form). */
int skvm_check_extension(struct skvm_vm *vm, enum skvm_cap cap);

/* struct kvm_enable_cap: cap is an enum skvm_cap; flags must be 0. */
struct skvm_enable_cap {
	uint32_t cap;
	uint32_t flags;
	uint64_t args[4];
	uint8_t pad[64];
};

/* KVM_ENABLE_CAP on the VM (-EINVAL for flags, a capability not listed or one the VM's type
 * has not):
 *   SKVM_CAP_DECODE_CACHE_BYTES  args[0]: bytes, at least 1 MiB (-EINVAL below; -EBUSY
 *                                while a vcpu runs).
 *   SKVM_CAP_COMPILED_RUNS       args[0]: 1 on, 0 off (-EINVAL above 1, or 1 where
 *                                check_extension says 0; -EBUSY while a vcpu runs). Off,
 *                                the core only interprets: the same results, slower.
 *   SKVM_CAP_HALT_POLL           args[0]: ns, at most UINT32_MAX (else -EINVAL; any time):
 *                                how long a waiting vcpu may spin before it sleeps, 10000
 *                                (PowerPC KVM's default) until set, 0 never; each vcpu
 *                                adapts its own window up to it as KVM's halt polling does.
 *   SKVM_CAP_PPC_ENABLE_HCALL    (PR) args[0]: a PAPR hcall number (papr.h), args[1]: 1 to
 *                                handle it in the hypervisor, 0 to send it to the VMM as
 *                                SKVM_EXIT_PAPR_HCALL; for every vcpu, any time. -EINVAL for
 *                                args[1] > 1, a number that is odd, above 0x45c (H_WATCHDOG)
 *                                or one the hypervisor does not implement: H_REMOVE, H_ENTER,
 *                                H_READ, H_CLEAR_MOD, H_CLEAR_REF, H_PROTECT, H_CEDE,
 *                                H_BULK_REMOVE, H_SET_MODE, all of them enabled at creation
 *                                (KVM's rule: those handled before the capability existed). */
SKVM_MUST_CHECK int skvm_vm_enable_cap(struct skvm_vm *vm, const struct skvm_enable_cap *cap);

/* KVM_ENABLE_CAP on a vcpu, arg standing for args[0]. Only capabilities that can be switched
 * are accepted; others are -EINVAL. SKVM_CAP_EXIT_TIMING: arg 1 on, 0 off.
 * SKVM_CAP_PPC_BOOKE_WATCHDOG (440; arg ignored, as Linux's): the watchdog's final expiry
 * with TCR[WRC] set exits SKVM_EXIT_WATCHDOG instead of the reset the 440 would do
 * (SKVM_SYSTEM_EVENT_RESET); the VMM acts on it and clears TSR with SKVM_REG_PPC_CLEAR_TSR.
 * SKVM_CAP_PPC_PAPR (PR; arg ignored): the guest kernel's `sc 1` is a PAPR hypercall,
 * handled in the hypervisor or SKVM_EXIT_PAPR_HCALL. SKVM_CAP_PPC_OSI (PR; arg ignored): an
 * `sc` with the OSI magic values exits SKVM_EXIT_OSI instead of being the guest's system
 * call. Neither can be switched off again, as in KVM. */
SKVM_MUST_CHECK int skvm_vcpu_enable_cap(struct skvm_vcpu *vcpu, enum skvm_cap cap,
					 uint64_t arg);

/* KVM_PPC_GET_PVINFO: the hypercall sequence for the guest's ePAPR /hypervisor node. */
struct skvm_ppc_pvinfo {
	uint32_t flags;
	uint32_t hcall[4];
};
#define SKVM_PPC_PVINFO_FLAGS_EV_IDLE (1u << 0)
SKVM_MUST_CHECK int skvm_vm_get_pvinfo(struct skvm_vm *vm, struct skvm_ppc_pvinfo *info);
/* KVM_PPC_GET_SMMU_INFO: a Book3S PR VM's segment and page sizes and SLB size (ppc.h), what a
 * VMM's ibm,segment-page-sizes and ibm,slb-size may offer; -ENOTTY for a 440 VM. */
SKVM_MUST_CHECK int skvm_vm_get_smmu_info(struct skvm_vm *vm, struct skvm_ppc_smmu_info *info);

/* ---- exit statistics (debugfs kvm/vcpuN/exit timing, arch/powerpc/kvm/timing.c) ---- */

enum skvm_exit_type {
	SKVM_EXITS_MMIO,
	SKVM_EXITS_DCR,
	SKVM_EXITS_SIGNAL,
	SKVM_EXITS_ITLB_REAL_MISS, /* reflected to the guest */
	SKVM_EXITS_ITLB_VIRT_MISS, /* filled from the guest TLB */
	SKVM_EXITS_DTLB_REAL_MISS,
	SKVM_EXITS_DTLB_VIRT_MISS,
	SKVM_EXITS_SYSCALL,
	SKVM_EXITS_ISI,
	SKVM_EXITS_DSI,
	SKVM_EXITS_EMULATED_INST, /* an emulated instruction of none of the kinds below */
	/* emulated instructions by kind (KVM's timing types EMULATED_*_EXITS) */
	SKVM_EXITS_EMULATED_MFMSR,
	SKVM_EXITS_EMULATED_MTMSR,
	SKVM_EXITS_EMULATED_WRTEE, /* wrtee, wrteei */
	SKVM_EXITS_EMULATED_MFSPR,
	SKVM_EXITS_EMULATED_MTSPR,
	SKVM_EXITS_EMULATED_MFTB, /* timebase reads: user-readable, but not held by the core */
	SKVM_EXITS_EMULATED_TLBWE,
	SKVM_EXITS_EMULATED_TLBSX,
	SKVM_EXITS_EMULATED_RFI, /* rfi, rfci, rfmci */
	SKVM_EXITS_EMULATED_MTMSRWE, /* MSR[WE] set: the vcpu waited */
	SKVM_EXITS_DEC,
	SKVM_EXITS_EXTINT,
	SKVM_EXITS_HALT_WAKEUP,
	SKVM_EXITS_USR_PR_INST, /* privileged instruction in user mode: program interrupt */
	SKVM_EXITS_FP_UNAVAIL,
	SKVM_EXITS_PROGRAM, /* illegal instruction / trap reflected to the guest */
	SKVM_EXITS_ALIGNMENT,
	SKVM_EXITS_HCALL,
	SKVM_EXITS_BUDGET, /* the core's instruction budget ran out (timer check) */
	SKVM_EXITS_DEBUG,
	SKVM_EXITS_IOEVENTFD, /* a store completed by signalling an ioeventfd (no exit to the VMM) */
	SKVM_EXITS_TIMEINGUEST, /* time in the guest between exits (timed only) */
	SKVM_EXITS_NR
};

struct skvm_exit_stat {
	uint64_t count;
	uint64_t total_ns; /* 0 unless SKVM_CAP_EXIT_TIMING is enabled */
	uint64_t min_ns;
	uint64_t max_ns;
};

/* Copies the vcpu's per-type exit statistics. */
void skvm_vcpu_get_exit_stats(struct skvm_vcpu *vcpu, struct skvm_exit_stat stats[SKVM_EXITS_NR]);

/* Halt polling (SKVM_CAP_HALT_POLL), KVM's per-vcpu statistics of the same names: waits that
 * polled, those the poll ended (no sleep), the time spent polling in each case, and the time
 * slept. Read on the vcpu's thread or while it does not run. */
struct skvm_halt_stats {
	uint64_t attempted_poll, successful_poll;
	uint64_t poll_success_ns, poll_fail_ns, wait_ns;
};
void skvm_vcpu_get_halt_stats(struct skvm_vcpu *vcpu, struct skvm_halt_stats *stats);
/* "mmio", "dtlb_virt_miss", ...: the name of an exit type (never NULL). */
const char *skvm_exit_type_name(enum skvm_exit_type type);

/* ---- guest debug (KVM_SET_GUEST_DEBUG) ---- */

#define SKVM_GUESTDBG_ENABLE (1u << 0)
#define SKVM_GUESTDBG_SINGLESTEP (1u << 1)
#define SKVM_GUESTDBG_USE_SW_BP (1u << 16)
#define SKVM_GUESTDBG_USE_HW_BP (1u << 17)
/* struct kvm_guest_debug with powerpc's struct kvm_guest_debug_arch. */
struct skvm_guest_debug {
	uint32_t control;
	uint32_t pad;
	struct {
		struct {
			uint64_t addr; /* guest-virtual */
			uint32_t type; /* SKVM_DEBUG_BREAKPOINT, _WATCH_WRITE, _WATCH_READ */
			uint32_t reserved;
		} bp[16];
	} arch;
};
/* ENABLE: the software breakpoint instruction (SKVM_REG_PPC_DEBUG_INST) exits with
 * SKVM_EXIT_DEBUG instead of being the guest's illegal instruction (USE_SW_BP is accepted
 * and changes nothing, as on Linux's BookE). ENABLE|SINGLESTEP: every run executes one
 * instruction and exits SKVM_EXIT_DEBUG with debug.arch.address the next one.
 * ENABLE|USE_HW_BP: arch.bp[] entries with a type are hardware breakpoints
 * (SKVM_DEBUG_BREAKPOINT: up to 4, SKVM_CAP_GUEST_DEBUG_HW_BPS) and watchpoints
 * (SKVM_DEBUG_WATCH_READ and/or _WRITE: up to 2, SKVM_CAP_GUEST_DEBUG_HW_WPS), in the 440's
 * IAC1-4 and DAC1-2 in the VMM's place (the guest's own compares are off meanwhile). The
 * vcpu exits SKVM_EXIT_DEBUG before the instruction: a breakpoint with address = its PC and
 * status SKVM_DEBUG_BREAKPOINT, a watchpoint with address = the watched address and status
 * _WATCH_WRITE or _WATCH_READ (a watchpoint matches a RAM access that includes its byte).
 * -EINVAL: unknown control bits or types, more compares than the 440 has, SINGLESTEP or
 * USE_HW_BP without ENABLE.
 * A SKVM_VM_PPC_PR vcpu has the software breakpoint (its address in debug.arch.address,
 * in either guest privilege state and byte order) and single step (an instruction that
 * takes an interrupt ends its step at the vector, and the guest's own MSR[SE]/[BE] trace
 * interrupt still comes); like KVM PR, no hardware breakpoints or watchpoints:
 * SKVM_CAP_GUEST_DEBUG_HW_BPS and _HW_WPS are 0 for such a VM, and USE_HW_BP is -EINVAL. */
SKVM_MUST_CHECK int skvm_vcpu_set_guest_debug(struct skvm_vcpu *vcpu,
					      const struct skvm_guest_debug *dbg);

#pragma GCC visibility pop

#endif
