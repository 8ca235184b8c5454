/* SPDX-License-Identifier: MIT */
/* A system controller ("syscon") register block that powers the machine off or resets it,
 * described to Linux with its generic nodes (Documentation/devicetree/bindings/power/reset/
 * syscon-poweroff.yaml and syscon-reboot.yaml), as QEMU's RISC-V virt board does with its
 * test finisher and the same values:
 *
 *   0x00  CONTROL, 32-bit big-endian: writing SYSCON_POWEROFF powers the machine off,
 *         SYSCON_REBOOT resets it; any other value does nothing. Reads 0.
 *   else  reserved: reads 0, writes ignored.
 *
 * Reads are 0 so that Linux's regmap_update_bits (read, merge, write only if it changed)
 * always writes. 4-byte accesses only (the binding's 32-bit access; reg-io-width 4); the
 * bus splits wider ones and rejects narrower ones. The request goes to *requests
 * (VMM_GUEST_POWEROFF / VMM_GUEST_RESET bits, see machine.h).
 *
 * Device tree (under the parent the bus gives): "syscon@<base>" (compatible "syscon",
 * big-endian, reg-io-width 4, phandle), then its siblings "poweroff" (compatible
 * "syscon-poweroff") and "reboot" (compatible "syscon-reboot"), each with regmap = the
 * syscon's phandle, offset 0 and its value. On a 440 Linux restarts through its own
 * ppc_md.restart (DBCR0) before any restart handler, so only poweroff is Linux's path;
 * the reboot value serves other guests.
 */
#ifndef VMM_DEVICES_SYSCON_H
#define VMM_DEVICES_SYSCON_H

#include <stdint.h>

#include "bus.h"

#define SYSCON_SIZE	      0x100
#define SYSCON_CONTROL_OFFSET 0x00
#define SYSCON_POWEROFF	      0x5555u
#define SYSCON_REBOOT	      0x7777u

struct syscon {
	uint32_t phandle;   /* of its node, for the poweroff and reboot nodes' regmap */
	uint32_t *requests; /* enum vmm_guest_request bits */
};

extern const struct vmm_device_ops syscon_ops;

void syscon_init(struct syscon *dev, uint32_t phandle, uint32_t *requests);

#endif
