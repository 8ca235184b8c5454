// SPDX-License-Identifier: MIT
/* The softkvm test device (layout in testdev.h). The window is byte-addressed memory: a load
 * gathers its bytes, a store scatters them, so every width follows from the byte view. */
#include "devices/testdev.h"

#include <string.h>

#include "byteorder.h"

void testdev_init(struct testdev *dev)
{
	memset(dev, 0, sizeof(*dev));
}

static uint8_t *testdev_scratch(struct testdev *dev, uint64_t offset)
{
	if (offset - TESTDEV_SCRATCH_OFFSET < TESTDEV_SCRATCH_SIZE)
		return &dev->scratch[offset - TESTDEV_SCRATCH_OFFSET];
	return NULL;
}

static uint8_t testdev_byte(struct testdev *dev, uint64_t offset)
{
	static const uint8_t id[4] = {'S', 'K', 'V', 'M'};
	uint8_t *p;

	if (offset - TESTDEV_ID_OFFSET < sizeof(id))
		return id[offset - TESTDEV_ID_OFFSET];
	p = testdev_scratch(dev, offset);
	return p ? *p : 0;
}

static int testdev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	uint8_t bytes[8];

	for (unsigned i = 0; i < size; i++)
		bytes[i] = testdev_byte(opaque, offset + i);
	*value = vmm_load_be(bytes, size);
	return 0;
}

static int testdev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	uint8_t bytes[8];

	vmm_store_be(bytes, size, value);
	for (unsigned i = 0; i < size; i++) {
		uint8_t *p = testdev_scratch(opaque, offset + i);

		if (p)
			*p = bytes[i];
	}
	return 0;
}

static void testdev_reset(void *opaque)
{
	testdev_init(opaque);
}

const struct vmm_device_ops testdev_ops = {
    .name = "testdev",
    .read = testdev_read,
    .write = testdev_write,
    .access_sizes = 1 | 2 | 4 | 8,
    .endian = VMM_BIG_ENDIAN,
    .reset = testdev_reset,
};
