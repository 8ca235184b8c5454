// SPDX-License-Identifier: MIT
/* The VMM bus: region map, splitting of wide or misaligned accesses into the sizes a device
 * declared (in its byte order), rejection of what cannot be split, unclaimed accesses, DCRs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"

/* A device that records every access it sees and reads back offset-derived values. */
struct rec {
	unsigned n;
	struct {
		bool write;
		uint64_t offset;
		unsigned size;
		uint64_t value;
	} log[16];
	int fail; /* returned by every access when set */
	unsigned resets, fdts;
};

static void rec_log(struct rec *r, bool write, uint64_t offset, unsigned size, uint64_t value)
{
	if (r->n < 16)
		r->log[r->n] = (typeof(r->log[0])){write, offset, size, value};
	r->n++;
}

static int rec_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct rec *r = opaque;

	/* byte k of the device holds 0xa0 + k: so reads are checkable after splitting */
	*value = 0;
	for (unsigned i = 0; i < size; i++)
		*value = *value << 8 | (uint8_t)(0xa0 + offset + i);
	rec_log(r, false, offset, size, *value);
	return r->fail;
}

static int rec_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct rec *r = opaque;

	rec_log(r, true, offset, size, value);
	return r->fail;
}

static void rec_reset(void *opaque)
{
	((struct rec *)opaque)->resets++;
}

static int rec_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	((struct rec *)opaque)->fdts++;
	return 0;
}

#define REC_OPS(id, sizes, e)                                                                      \
	static const struct vmm_device_ops id = {                                                  \
	    .name = #id,                                                                           \
	    .read = rec_read,                                                                      \
	    .write = rec_write,                                                                    \
	    .access_sizes = (sizes),                                                               \
	    .endian = (e),                                                                         \
	    .reset = rec_reset,                                                                    \
	    .fdt = rec_fdt,                                                                        \
	}
REC_OPS(bytes_ops, 1, VMM_BIG_ENDIAN);
REC_OPS(words_ops, 4, VMM_BIG_ENDIAN);
REC_OPS(any_ops, 1 | 2 | 4 | 8, VMM_BIG_ENDIAN);
REC_OPS(le_ops, 2, VMM_LITTLE_ENDIAN);

static void test_register(void **state)
{
	struct vmm_bus bus;
	struct rec a = {0}, b = {0}, c = {0};
	static const struct vmm_device_ops no_sizes = {
	    .name = "x", .read = rec_read, .write = rec_write};
	static const struct vmm_device_ops odd_sizes = {
	    .name = "x", .read = rec_read, .write = rec_write, .access_sizes = 3 | 16};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x2000, 0x100, &bytes_ops, &a), 0);
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x1000, &words_ops, &b), 0); /* adjacent */
	assert_int_equal(vmm_bus_register(&bus, 0x3000, 0x10, &any_ops, &c), 0);
	assert_int_equal(vmm_bus_register(&bus, 0x20ff, 1, &any_ops, &c), -EEXIST);
	assert_int_equal(vmm_bus_register(&bus, 0x0fff, 2, &any_ops, &c), -EEXIST);
	assert_int_equal(vmm_bus_register(&bus, 0x0, 0x10000, &any_ops, &c), -EEXIST);
	assert_int_equal(vmm_bus_register(&bus, 0x2000, 0x100, &any_ops, &c), -EEXIST);
	assert_int_equal(vmm_bus_register(&bus, 0x5000, 0, &any_ops, &c), -EINVAL);
	assert_int_equal(vmm_bus_register(&bus, UINT64_MAX, 2, &any_ops, &c), -EINVAL);
	assert_int_equal(vmm_bus_register(&bus, 0x5000, 1, &no_sizes, &c), -EINVAL);
	assert_int_equal(vmm_bus_register(&bus, 0x5000, 1, &odd_sizes, &c), -EINVAL);
	assert_int_equal(vmm_bus_register(&bus, 0x5000, 1, NULL, &c), -EINVAL);

	assert_int_equal(bus.nr, 3);
	assert_ptr_equal(vmm_bus_find(&bus, 0x1000)->opaque, &b);
	assert_ptr_equal(vmm_bus_find(&bus, 0x1fff)->opaque, &b);
	assert_ptr_equal(vmm_bus_find(&bus, 0x2000)->opaque, &a);
	assert_ptr_equal(vmm_bus_find(&bus, 0x300f)->opaque, &c);
	assert_null(vmm_bus_find(&bus, 0x0fff));
	assert_null(vmm_bus_find(&bus, 0x2100));
	assert_null(vmm_bus_find(&bus, 0x3010));
	for (size_t i = 1; i < bus.nr; i++)
		assert_true(bus.regions[i - 1].base < bus.regions[i].base);
	vmm_bus_destroy(&bus);
}

static void test_legal_access_passes_through(void **state)
{
	struct vmm_bus bus;
	struct rec r = {0};
	uint8_t data[8] = {0x12, 0x34, 0x56, 0x78};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &words_ops, &r), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1004, data, 4, true), 0);
	assert_int_equal(r.n, 1);
	assert_true(r.log[0].write);
	assert_int_equal(r.log[0].offset, 4);
	assert_int_equal(r.log[0].size, 4);
	assert_int_equal(r.log[0].value, 0x12345678); /* big-endian bytes */

	assert_int_equal(vmm_bus_mmio(&bus, 0x1008, data, 4, false), 0);
	assert_int_equal(r.log[1].offset, 8);
	assert_memory_equal(data, ((uint8_t[]){0xa8, 0xa9, 0xaa, 0xab}), 4);
	assert_int_equal(bus.regions[0].reads, 1);
	assert_int_equal(bus.regions[0].writes, 1);
	vmm_bus_destroy(&bus);
}

static void test_wide_access_is_split(void **state)
{
	struct vmm_bus bus;
	struct rec bytes = {0}, words = {0};
	uint8_t data[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &bytes_ops, &bytes), 0);
	assert_int_equal(vmm_bus_register(&bus, 0x2000, 0x100, &words_ops, &words), 0);

	/* a 4-byte store to a byte device: four byte stores, most significant first */
	assert_int_equal(vmm_bus_mmio(&bus, 0x1010, data, 4, true), 0);
	assert_int_equal(bytes.n, 4);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(bytes.log[i].offset, 0x10 + i);
		assert_int_equal(bytes.log[i].size, 1);
		assert_int_equal(bytes.log[i].value, data[i]);
	}
	/* a 2-byte load from it: two byte loads, combined big-endian */
	assert_int_equal(vmm_bus_mmio(&bus, 0x1020, data, 2, false), 0);
	assert_memory_equal(data, ((uint8_t[]){0xc0, 0xc1}), 2);
	assert_int_equal(bus.regions[0].reads, 1); /* counted as the guest made it */

	/* an 8-byte load from a word device: two word loads */
	assert_int_equal(vmm_bus_mmio(&bus, 0x2008, data, 8, false), 0);
	assert_int_equal(words.n, 2);
	assert_int_equal(words.log[0].offset, 8);
	assert_int_equal(words.log[1].offset, 12);
	assert_int_equal(words.log[0].size, 4);
	assert_memory_equal(data, ((uint8_t[]){0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf}), 8);
	assert_int_equal(bus.stats.rejected, 0);
	vmm_bus_destroy(&bus);
}

static void test_misaligned_access_is_split(void **state)
{
	struct vmm_bus bus;
	struct rec r = {0};
	uint8_t data[8] = {1, 2, 3, 4};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &any_ops, &r), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1002, data, 4, true), 0);
	assert_int_equal(r.n, 2); /* 2 + 2, aligned */
	assert_int_equal(r.log[0].size, 2);
	assert_int_equal(r.log[0].offset, 2);
	assert_int_equal(r.log[0].value, 0x0102);
	assert_int_equal(r.log[1].offset, 4);
	assert_int_equal(r.log[1].value, 0x0304);
	r.n = 0;
	assert_int_equal(vmm_bus_mmio(&bus, 0x1001, data, 4, true), 0);
	assert_int_equal(r.n, 4); /* bytes */
	vmm_bus_destroy(&bus);
}

static void test_narrow_or_misaligned_rejected(void **state)
{
	struct vmm_bus bus;
	struct rec r = {0};
	uint8_t data[8];

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &words_ops, &r), 0);
	memset(data, 0x55, sizeof(data));
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 2, false), 0); /* narrower than 4 */
	assert_memory_equal(data, ((uint8_t[]){0, 0}), 2);		 /* reads 0 */
	assert_int_equal(data[2], 0x55);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1002, data, 4, false), 0); /* misaligned */
	assert_int_equal(vmm_bus_mmio(&bus, 0x1001, data, 1, true), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x10fc, data, 8, false), 0); /* crosses the end */
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 0, false), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 16, true), 0);
	assert_int_equal(r.n, 0); /* the device never saw any of it */
	assert_int_equal(bus.stats.rejected, 6);
	assert_int_equal(bus.regions[0].reads + bus.regions[0].writes, 0);
	vmm_bus_destroy(&bus);
}

static void test_little_endian_device(void **state)
{
	struct vmm_bus bus;
	struct rec r = {0};
	uint8_t data[8] = {0x01, 0x02, 0x03, 0x04};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &le_ops, &r), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 4, true), 0);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.log[0].value, 0x0201); /* bytes 0-1, little-endian */
	assert_int_equal(r.log[1].offset, 2);
	assert_int_equal(r.log[1].value, 0x0403);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 2, false), 0);
	/* the device's value 0xa0a1 goes out least significant byte first */
	assert_memory_equal(data, ((uint8_t[]){0xa1, 0xa0}), 2);
	vmm_bus_destroy(&bus);
}

static void test_unclaimed(void **state)
{
	struct vmm_bus bus;
	struct rec r = {0};
	uint8_t data[8];

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &any_ops, &r), 0);
	memset(data, 0xff, sizeof(data));
	assert_int_equal(vmm_bus_mmio(&bus, 0x0ffc, data, 4, false), 0);
	assert_memory_equal(data, ((uint8_t[]){0, 0, 0, 0, 0xff}), 5);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1100, data, 8, false), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0xef600400, data, 1, true), 0);
	assert_int_equal(bus.stats.unclaimed_reads, 2);
	assert_int_equal(bus.stats.unclaimed_writes, 1);
	assert_true(bus.warned_unclaimed);
	assert_int_equal(r.n, 0);
	vmm_bus_destroy(&bus);
}

static void test_device_error_propagates(void **state)
{
	struct vmm_bus bus;
	struct rec r = {.fail = -EPIPE};
	uint8_t data[8] = {0};
	uint32_t v = 0;

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &bytes_ops, &r), 0);
	assert_int_equal(vmm_bus_mmio(&bus, 0x1000, data, 4, true), -EPIPE);
	assert_int_equal(r.n, 1); /* stops at the failing piece */
	vmm_bus_destroy(&bus);

	vmm_bus_init(&bus, "dcr");
	assert_int_equal(vmm_bus_register(&bus, 0xc0, 9, &words_ops, &r), 0);
	assert_int_equal(vmm_bus_dcr(&bus, 0xc0, &v, false), -EPIPE);
	vmm_bus_destroy(&bus);
}

static void test_dcr(void **state)
{
	struct vmm_bus bus;
	struct rec uic = {0}, bytes = {0};
	uint32_t v;

	vmm_bus_init(&bus, "dcr");
	assert_int_equal(vmm_bus_register(&bus, 0xc0, 9, &words_ops, &uic), 0);
	assert_int_equal(vmm_bus_register(&bus, 0x10, 2, &bytes_ops, &bytes), 0);

	v = 0xdeadbeef;
	assert_int_equal(vmm_bus_dcr(&bus, 0xc2, &v, true), 0);
	assert_int_equal(uic.log[0].offset, 2); /* DCRs count registers, not bytes */
	assert_int_equal(uic.log[0].size, 4);
	assert_int_equal(uic.log[0].value, 0xdeadbeef);
	assert_int_equal(vmm_bus_dcr(&bus, 0xc8, &v, false), 0);
	assert_int_equal(uic.log[1].offset, 8);
	assert_int_equal(v, 0xa8a9aaab);

	v = 0x1234;
	assert_int_equal(vmm_bus_dcr(&bus, 0xc9, &v, false), -ENODEV); /* past UIC0 */
	assert_int_equal(v, 0x1234); /* nothing answered: the guest register stays */
	assert_int_equal(bus.stats.unclaimed_reads, 1);
	v = 0x1234;
	assert_int_equal(vmm_bus_dcr(&bus, 0x10, &v, false), 0); /* device without 4 */
	assert_int_equal(v, 0);
	assert_int_equal(bus.stats.rejected, 1);
	assert_int_equal(bytes.n, 0);
	vmm_bus_destroy(&bus);
}

static void test_reset_and_fdt_reach_every_device(void **state)
{
	struct vmm_bus bus;
	struct rec a = {0}, b = {0};

	vmm_bus_init(&bus, "mmio");
	assert_int_equal(vmm_bus_register(&bus, 0x1000, 0x100, &any_ops, &a), 0);
	assert_int_equal(vmm_bus_register(&bus, 0x2000, 0x100, &bytes_ops, &b), 0);
	vmm_bus_reset(&bus);
	assert_int_equal(a.resets, 1);
	assert_int_equal(b.resets, 1);
	assert_int_equal(vmm_bus_fdt(&bus, NULL, 0), 0);
	assert_int_equal(a.fdts + b.fdts, 2);
	vmm_bus_destroy(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_register),
	    cmocka_unit_test(test_legal_access_passes_through),
	    cmocka_unit_test(test_wide_access_is_split),
	    cmocka_unit_test(test_misaligned_access_is_split),
	    cmocka_unit_test(test_narrow_or_misaligned_rejected),
	    cmocka_unit_test(test_little_endian_device),
	    cmocka_unit_test(test_unclaimed),
	    cmocka_unit_test(test_device_error_propagates),
	    cmocka_unit_test(test_dcr),
	    cmocka_unit_test(test_reset_and_fdt_reach_every_device),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm bus", tests, NULL, NULL);
}
