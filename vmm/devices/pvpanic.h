/* SPDX-License-Identifier: MIT */
/* QEMU's pvpanic device on MMIO, as Linux's pvpanic-mmio driver finds it (compatible
 * "qemu,pvpanic-mmio", Documentation/devicetree/bindings/misc/pvpanic-mmio.txt; the
 * register's meaning is QEMU's hw/misc/pvpanic.c):
 *
 *   0x0  EVENT, one byte. Reads: the events the device supports (PVPANIC_PANICKED |
 *        PVPANIC_CRASH_LOADED), which Linux masks its events with at probe. Writes:
 *          PANICKED      the guest kernel panicked (VMM_GUEST_PANIC: the run ends with
 *                        the panic's exit status once the kernel is done, see vcpu_loop.h);
 *          CRASH_LOADED  it panicked and goes on into its crash kernel: noted, the guest
 *                        runs on (QEMU does the same);
 *          0             nothing; other bits are ignored (noted once).
 *   0x1  reserved: reads 0, writes ignored.
 *
 * Byte accesses (the bus splits wider ones). Linux's panic notifier writes EVENT after
 * the panic message and stack dump, before "Rebooting in N seconds" or "---[ end Kernel
 * panic".
 */
#ifndef VMM_DEVICES_PVPANIC_H
#define VMM_DEVICES_PVPANIC_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"

#define PVPANIC_SIZE	     2
#define PVPANIC_EVENT_OFFSET 0
/* Linux's include/uapi/misc/pvpanic.h */
#define PVPANIC_PANICKED     (1u << 0)
#define PVPANIC_CRASH_LOADED (1u << 1)

struct pvpanic {
	uint32_t *requests; /* enum vmm_guest_request bits */
	bool crash_loaded;  /* CRASH_LOADED was written (noted once per boot) */
	bool warned;	    /* an unknown event was written */
};

extern const struct vmm_device_ops pvpanic_ops;

void pvpanic_init(struct pvpanic *dev, uint32_t *requests);

#endif
