/* SPDX-License-Identifier: MIT */
/* softkvm test device: a fixed register window for guest tests (tests/guest), at guest-physical
 * 0xef700000 on the ppc440 board, 4 KiB, big-endian, every access width 1, 2, 4 and 8.
 *
 *   0x000-0x003  ID, read-only: 0x534b564d ("SKVM") as a 32-bit big-endian register; narrower
 *                loads see its bytes ('S' at 0x000), an 8-byte load at 0x000 returns
 *                0x534b564d00000000.
 *   0x100-0x1ff  scratch: 256 bytes that behave as plain big-endian memory for loads and
 *                stores of any width and alignment (a misaligned access is split by the bus
 *                into bytes), so a guest can check that MMIO loads and stores complete with
 *                the right value, byte order, sign or zero extension, byte-reversed forms and
 *                update forms for every width. Cleared at reset.
 *   elsewhere    reads 0, writes ignored.
 */
#ifndef VMM_DEVICES_TESTDEV_H
#define VMM_DEVICES_TESTDEV_H

#include <stdint.h>

#include "bus.h"

#define TESTDEV_SIZE	       0x1000
#define TESTDEV_ID	       0x534b564du /* "SKVM" */
#define TESTDEV_ID_OFFSET      0x000
#define TESTDEV_SCRATCH_OFFSET 0x100
#define TESTDEV_SCRATCH_SIZE   0x100

struct testdev {
	uint8_t scratch[TESTDEV_SCRATCH_SIZE];
};

extern const struct vmm_device_ops testdev_ops;

void testdev_init(struct testdev *dev);

#endif
