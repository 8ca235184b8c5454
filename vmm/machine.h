/* What every board gives the generic VMM code: the VM, its vcpu and run structure, the MMIO
 * and DCR buses, and how to bring the machine to its power-on state. A board embeds this
 * struct and finds itself again with vmm_container_of. (kvmtool's generic/per-arch split.)
 */
#ifndef VMM_MACHINE_H
#define VMM_MACHINE_H

#include <stddef.h>

#include "bus.h"
#include "error.h"
#include "softkvm/skvm.h"

#define vmm_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

struct vmm_machine;

struct vmm_machine_ops {
	const char *name;
	/* Power-on state: devices reset, kernel (re)loaded, vcpu at its entry with the boot
	 * registers and TLB. Used for the first boot and for every guest-requested reboot. */
	VMM_MUST_CHECK int (*reset)(struct vmm_machine *m, struct vmm_err *err);
	/* Optional, on the vcpu thread after a kick: host I/O arrived (console input), hand it
	 * to the devices so they raise their interrupts. */
	VMM_MUST_CHECK int (*poll)(struct vmm_machine *m, struct vmm_err *err);
	void (*destroy)(struct vmm_machine *m);
};

struct vmm_machine {
	const struct vmm_machine_ops *ops;
	struct skvm_vm *vm;
	struct skvm_vcpu *vcpu;
	struct skvm_run *run;
	struct vmm_bus mmio;
	struct vmm_bus dcr;
	const void *fdt; /* the flattened device tree the guest boots with, or NULL */
	unsigned reboots;
};

#endif
