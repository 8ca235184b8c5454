/* SPDX-License-Identifier: MIT */
/* What every board gives the generic VMM code: the VM, its vcpu and run structure, the MMIO
 * and DCR buses, and how to bring the machine to its power-on state. A board embeds this
 * struct and finds itself again with vmm_container_of. (kvmtool's generic/per-arch split.)
 */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "error.h"
#include "ram.h"
#include "softkvm/skvm.h"

#define vmm_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct vmm_machine;
struct vmm_gdb;

/* What the guest asked of the machine through its devices (syscon-poweroff and -reboot,
 * pvpanic): bits a device sets while it handles an MMIO or DCR access, on the vcpu thread;
 * the vcpu loop acts on them right after that exit. */
enum vmm_guest_request {
	VMM_GUEST_POWEROFF = 1u << 0,
	VMM_GUEST_RESET = 1u << 1,
	VMM_GUEST_PANIC = 1u << 2,
	VMM_GUEST_CPU_FAILED = 1u << 3, /* a secondary vcpu's internal error (cpu_failure) */
};

/* What stopped a secondary vcpu that failed (VMM_GUEST_CPU_FAILED). */
struct vmm_cpu_failure {
	uint32_t suberror; /* enum skvm_internal_error */
	uint64_t pc;
	uint32_t insn;
};

struct vmm_machine_ops {
	const char *name;
	/* Power-on state: devices reset, kernel (re)loaded, vcpu at its entry with the boot
	 * registers and TLB. Used for the first boot and for every guest-requested reboot. */
	VMM_MUST_CHECK int (*reset)(struct vmm_machine *m, struct vmm_err *err);
	/* Optional, on the vcpu thread after a kick: host I/O arrived (console input), hand it
	 * to the devices so they raise their interrupts. */
	VMM_MUST_CHECK int (*poll)(struct vmm_machine *m, struct vmm_err *err);
	/* Optional: could a device still raise the vcpu's critical (crit) or external input,
	 * the guest running no more code to change how its interrupt controller routes them?
	 * Asked when the hypervisor reports the vcpu halted for good (SKVM_EXIT_SHUTDOWN).
	 * Without it the answer is yes, and such a vcpu waits forever, as on hardware. */
	bool (*input_may_rise)(struct vmm_machine *m, bool crit);
	/* A PAPR hypercall the hypervisor left to the VMM (SKVM_EXIT_PAPR_HCALL, in
	 * run->papr_hcall) of vcpu cpu, on that vcpu's thread: the board answers it in
	 * place. 0, VMM_VCPU_STOPS when the vcpu stops itself (RTAS stop-self: it runs no
	 * more until the board starts it again), or a negative errno. Boards without it get
	 * none (their VM type makes none). */
	VMM_MUST_CHECK int (*papr_hcall)(struct vmm_machine *m, unsigned cpu, struct skvm_run *run,
					 struct vmm_err *err);
	void (*destroy)(struct vmm_machine *m);
};

struct vmm_machine {
	const struct vmm_machine_ops *ops;
	struct skvm_vm *vm;
	enum skvm_vm_type vm_type; /* what the board created vm as (the gdb stub's layout) */
	struct skvm_vcpu *vcpu; /* the boot vcpu, vcpus[0]: the machine's loop runs it */
	struct skvm_vcpu *const *vcpus; /* every vcpu, nr_vcpus of them */
	unsigned nr_vcpus;
	struct skvm_run *run;
	struct vmm_bus mmio;
	struct vmm_bus dcr;
	const struct vmm_ram *ram; /* guest RAM (the gdb stub reads and writes it) */
	const void *fdt; /* the flattened device tree the guest boots with, or NULL */
	unsigned reboots;
	/* enum vmm_guest_request bits, for the vcpu loop (atomic: secondary vcpus raise
	 * them from their threads and kick the boot vcpu) */
	uint32_t guest_requests;
	struct vmm_cpu_failure cpu_failure;
	struct vmm_gdb *gdb; /* the gdb stub every vcpu stops for, or NULL (set before the run) */
};

#define VMM_VCPU_STOPS 1

#endif
