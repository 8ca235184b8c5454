/* SPDX-License-Identifier: MIT */
/* Guest loads and stores of a device on a bus, for the device unit tests: size bytes, the
 * value as the big-endian CPU sees it; the bus must accept the access. */
#ifndef SOFTKVM_TEST_BUS_ACCESS_H
#define SOFTKVM_TEST_BUS_ACCESS_H

static inline uint64_t bus_load(struct vmm_bus *bus, uint64_t addr, unsigned size)
{
	uint8_t data[8];

	assert_int_equal(vmm_bus_mmio(bus, addr, data, size, false), 0);
	return vmm_load_be(data, size);
}

static inline void bus_store(struct vmm_bus *bus, uint64_t addr, unsigned size, uint64_t value)
{
	uint8_t data[8];

	vmm_store_be(data, size, value);
	assert_int_equal(vmm_bus_mmio(bus, addr, data, size, true), 0);
}

#endif
