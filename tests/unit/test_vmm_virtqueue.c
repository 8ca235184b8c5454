// SPDX-License-Identifier: MIT
/* Split virtqueues (vmm/virtio/virtqueue.c) against a fake guest memory: requests with direct
 * and indirect descriptors, the used ring, notification suppression with and without
 * EVENT_IDX, and every hostile ring the device must refuse (-EIO, never an access outside
 * RAM: under ASan an access outside the fake RAM's allocation would be a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define NUM 16
#define W   VIRTQ_DESC_F_WRITE
#define N   VIRTQ_DESC_F_NEXT
#define I   VIRTQ_DESC_F_INDIRECT

struct fix {
	struct drv drv;
	struct virtq vq;
	struct virtq_req req;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	drv_init(&f->drv, NUM);
	virtq_reset(&f->vq, VIRTQ_MAX_SIZE);
	f->vq.num = NUM;
	f->vq.desc_gpa = DESC_GPA;
	f->vq.avail_gpa = AVAIL_GPA;
	f->vq.used_gpa = USED_GPA;
	assert_int_equal(virtq_enable(&f->vq, VIRTQ_MAX_SIZE, &f->drv.mem, false, true), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	drv_free(&f->drv);
	free(f);
	return 0;
}

static void expect_broken(struct fix *f, const char *why)
{
	assert_int_equal(virtq_pop(&f->vq, &f->req), -EIO);
	assert_non_null(f->vq.error);
	assert_string_equal(f->vq.error, why);
	/* and stays so: nothing more is taken, nothing pushed */
	assert_int_equal(virtq_pop(&f->vq, &f->req), -EIO);
	virtq_push(&f->vq, 0, 1);
	assert_int_equal(drv_used_idx(&f->drv), 0);
}

static void test_chain_and_used_ring(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;
	uint8_t in[12], out[] = "0123456789abcdef";

	memcpy(drv_host(d, BUF_GPA), "hello ", 6);
	memcpy(drv_host(d, BUF_GPA + 0x100), "world!", 6);
	drv_desc(d, 3, BUF_GPA, 6, N, 7);
	drv_desc(d, 7, BUF_GPA + 0x100, 6, N, 1);
	drv_desc(d, 1, BUF_GPA + 0x200, 0, W | N, 2); /* empty: left out */
	drv_desc(d, 2, BUF_GPA + 0x300, 4, W | N, 0);
	drv_desc(d, 0, BUF_GPA + 0x400, 8, W, 0);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 0);
	drv_publish(d, 3);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	assert_int_equal(f->req.head, 3);
	assert_int_equal(f->req.nr_rd, 2);
	assert_int_equal(f->req.nr_wr, 2);
	assert_int_equal(f->req.rd_len, 12);
	assert_int_equal(f->req.wr_len, 12);
	assert_ptr_equal(f->req.iov[0].iov_base, drv_host(d, BUF_GPA));
	assert_ptr_equal(f->req.iov[3].iov_base, drv_host(d, BUF_GPA + 0x400));
	assert_int_equal(virtq_req_copy_from(&f->req, 0, in, sizeof(in)), 12);
	assert_memory_equal(in, "hello world!", 12);
	assert_int_equal(virtq_req_copy_from(&f->req, 4, in, 4), 4); /* across buffers */
	assert_memory_equal(in, "o wo", 4);
	assert_int_equal(virtq_req_copy_to(&f->req, 2, out, 16), 10); /* short at the end */
	assert_memory_equal(drv_host(d, BUF_GPA + 0x300),
			    "\0\0"
			    "01",
			    4);
	assert_memory_equal(drv_host(d, BUF_GPA + 0x400), "23456789", 8);
	virtq_push(&f->vq, 3, 12);
	assert_int_equal(drv_used_idx(d), 1);
	assert_int_equal(drv_used_id(d, 0), 3);
	assert_int_equal(drv_used_len(d, 0), 12);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 0);
}

static void test_indirect(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;
	uint64_t table = BUF_GPA + 0x1000;

	/* two direct descriptors, then a table of three (2.7.5.3.2) */
	drv_desc(d, 0, BUF_GPA, 4, N, 1);
	drv_desc(d, 1, table, 48, I | W /* W ignored on a table */, 0);
	drv_desc_at(d, table, 0, BUF_GPA + 0x10, 4, N, 2);
	drv_desc_at(d, table, 2, BUF_GPA + 0x20, 8, W | N, 1);
	drv_desc_at(d, table, 1, BUF_GPA + 0x30, 16, W, 0);
	drv_publish(d, 0);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	assert_int_equal(f->req.nr_rd, 2);
	assert_int_equal(f->req.nr_wr, 2);
	assert_int_equal(f->req.rd_len, 8);
	assert_int_equal(f->req.wr_len, 24);
	assert_ptr_equal(f->req.iov[3].iov_base, drv_host(d, BUF_GPA + 0x30));

	/* a table as large as allowed */
	for (unsigned i = 0; i < VIRTQ_MAX_SEGS - 1; i++)
		drv_desc_at(d, table, i, BUF_GPA, 1, N, (uint16_t)(i + 1));
	drv_desc_at(d, table, VIRTQ_MAX_SEGS - 1, BUF_GPA, 1, W, 0);
	drv_desc(d, 2, table, 16 * VIRTQ_MAX_SEGS, I, 0);
	drv_publish(d, 2);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	assert_int_equal(f->req.nr_rd + f->req.nr_wr, VIRTQ_MAX_SEGS);
	/* one direct buffer before it is one too many */
	drv_desc(d, 3, BUF_GPA, 1, N, 2);
	drv_publish(d, 3);
	expect_broken(f, "descriptor chain too long");
}

static void test_indirect_without_feature(void **state)
{
	struct fix *f = *state;

	f->vq.ready = false;
	assert_int_equal(virtq_enable(&f->vq, VIRTQ_MAX_SIZE, &f->drv.mem, false, false), 0);
	drv_desc(&f->drv, 0, BUF_GPA + 0x1000, 16, I, 0);
	drv_desc_at(&f->drv, BUF_GPA + 0x1000, 0, BUF_GPA, 4, 0, 0);
	drv_publish(&f->drv, 0);
	expect_broken(f, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
}

static void test_nested_indirect(void **state)
{
	struct fix *f = *state;
	uint64_t t = BUF_GPA + 0x1000;

	drv_desc(&f->drv, 0, t, 32, I, 0);
	drv_desc_at(&f->drv, t, 0, BUF_GPA, 4, N, 1);
	drv_desc_at(&f->drv, t, 1, t, 32, I, 0);
	drv_publish(&f->drv, 0);
	expect_broken(f, "nested indirect table");
}

static void test_indirect_bad_tables(void **state)
{
	struct fix *f = *state;
	struct {
		uint64_t addr;
		uint32_t len;
		uint16_t flags;
		const char *why;
	} bad[] = {
	    {BUF_GPA, 0, I, "indirect table of a bad size"},
	    {BUF_GPA, 24, I, "indirect table of a bad size"},
	    {BUF_GPA, 16 * (VIRTQ_MAX_SEGS + 1), I, "indirect table of a bad size"},
	    {BUF_GPA, 16, I | N, "indirect descriptor with NEXT"},
	    {RAM_GPA + RAM_LEN - 16, 32, I, "indirect table outside RAM"},
	    {UINT64_MAX - 15, 32, I, "indirect table outside RAM"},
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (i) { /* a fresh queue each time */
			teardown(state);
			setup(state);
			f = *state;
		}
		drv_desc(&f->drv, 0, bad[i].addr, bad[i].len, bad[i].flags, 1);
		drv_publish(&f->drv, 0);
		expect_broken(f, bad[i].why);
	}
}

static void test_loops_and_indices(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;

	drv_desc(d, 0, BUF_GPA, 4, N, 1);
	drv_desc(d, 1, BUF_GPA, 4, N, 0);
	drv_publish(d, 0);
	expect_broken(f, "descriptor chain longer than its table (a loop?)");

	teardown(state);
	setup(state);
	f = *state;
	d = &f->drv;
	drv_desc(d, 5, BUF_GPA, 4, N, 5); /* itself */
	drv_publish(d, 5);
	expect_broken(f, "descriptor chain longer than its table (a loop?)");

	teardown(state);
	setup(state);
	f = *state;
	drv_publish(&f->drv, NUM);
	expect_broken(f, "head index outside the descriptor table");

	teardown(state);
	setup(state);
	f = *state;
	drv_desc(&f->drv, 0, BUF_GPA, 4, N, NUM + 3);
	drv_publish(&f->drv, 0);
	expect_broken(f, "next index outside the descriptor table");

	teardown(state);
	setup(state);
	f = *state;
	drv_put16(&f->drv, AVAIL_GPA + 2, NUM + 1); /* more entries than the ring holds */
	expect_broken(f, "avail index ran ahead by more than the queue size");
}

static void test_buffers_outside_ram(void **state)
{
	struct {
		uint64_t addr;
		uint32_t len;
	} bad[] = {
	    {RAM_GPA - 4, 8},		/* starts below */
	    {RAM_GPA + RAM_LEN - 4, 8}, /* runs past the end */
	    {RAM_GPA + RAM_LEN, 1},	/* just past */
	    {UINT64_MAX - 3, 8},	/* wraps */
	    {RAM_GPA, 0xffffffffu},	/* longer than RAM */
	    {0, 4},			/* nowhere near */
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fix *f;

		if (i) {
			teardown(state);
			setup(state);
		}
		f = *state;
		drv_desc(&f->drv, 0, bad[i].addr, bad[i].len, i % 2 ? W : 0, 0);
		drv_publish(&f->drv, 0);
		expect_broken(f, "buffer outside RAM");
	}
}

static void test_readable_after_writable(void **state)
{
	struct fix *f = *state;

	drv_desc(&f->drv, 0, BUF_GPA, 4, W | N, 1);
	drv_desc(&f->drv, 1, BUF_GPA, 4, 0, 0);
	drv_publish(&f->drv, 0);
	expect_broken(f, "device-readable buffer after a device-writable one");
}

static void test_enable_checks(void **state)
{
	struct fix *f = *state;
	struct {
		uint16_t num;
		uint64_t desc, avail, used;
		const char *why;
	} bad[] = {
	    {0, DESC_GPA, AVAIL_GPA, USED_GPA, "queue size not a power of two up to the maximum"},
	    {12, DESC_GPA, AVAIL_GPA, USED_GPA, "queue size not a power of two up to the maximum"},
	    {512, DESC_GPA, AVAIL_GPA, USED_GPA, "queue size not a power of two up to the maximum"},
	    {16, DESC_GPA + 8, AVAIL_GPA, USED_GPA, "misaligned ring"},
	    {16, DESC_GPA, AVAIL_GPA + 1, USED_GPA, "misaligned ring"},
	    {16, DESC_GPA, AVAIL_GPA, USED_GPA + 2, "misaligned ring"},
	    {16, RAM_GPA + RAM_LEN - 128, AVAIL_GPA, USED_GPA, "ring outside RAM"},
	    {16, DESC_GPA, RAM_GPA + RAM_LEN - 36, USED_GPA, "ring outside RAM"},
	    {16, DESC_GPA, AVAIL_GPA, RAM_GPA + RAM_LEN - 132, "ring outside RAM"},
	    {16, DESC_GPA, AVAIL_GPA, 0xfffffffffffffff0ull, "ring outside RAM"},
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		virtq_reset(&f->vq, VIRTQ_MAX_SIZE);
		f->vq.num = bad[i].num;
		f->vq.desc_gpa = bad[i].desc;
		f->vq.avail_gpa = bad[i].avail;
		f->vq.used_gpa = bad[i].used;
		assert_int_equal(virtq_enable(&f->vq, VIRTQ_MAX_SIZE, &f->drv.mem, true, true),
				 -EINVAL);
		assert_string_equal(f->vq.error, bad[i].why);
		assert_false(f->vq.ready);
		assert_int_equal(virtq_pop(&f->vq, &f->req), 0); /* not ready: nothing */
	}
	/* a descriptor table that ends where RAM does */
	virtq_reset(&f->vq, VIRTQ_MAX_SIZE);
	f->vq.num = 16;
	f->vq.desc_gpa = RAM_GPA + RAM_LEN - 256;
	f->vq.avail_gpa = AVAIL_GPA;
	f->vq.used_gpa = USED_GPA;
	assert_int_equal(virtq_enable(&f->vq, VIRTQ_MAX_SIZE, &f->drv.mem, true, true), 0);
}

static void test_notify_suppression(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;

	drv_desc(d, 0, BUF_GPA, 4, W, 0);
	/* without EVENT_IDX: NO_NOTIFY while processing, NO_INTERRUPT from the driver */
	virtq_disable_notify(&f->vq);
	assert_int_equal(drv_get16(d, USED_GPA) & VIRTQ_USED_F_NO_NOTIFY, VIRTQ_USED_F_NO_NOTIFY);
	assert_false(virtq_enable_notify(&f->vq));
	assert_int_equal(drv_get16(d, USED_GPA) & VIRTQ_USED_F_NO_NOTIFY, 0);
	drv_publish(d, 0);
	assert_true(virtq_enable_notify(&f->vq));  /* it arrived meanwhile: look again */
	assert_false(virtq_should_signal(&f->vq)); /* nothing pushed yet */
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	virtq_push(&f->vq, 0, 4);
	drv_put16(d, AVAIL_GPA, VIRTQ_AVAIL_F_NO_INTERRUPT);
	assert_false(virtq_should_signal(&f->vq));
	drv_put16(d, AVAIL_GPA, 0);
	drv_publish(d, 0);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	virtq_push(&f->vq, 0, 4);
	assert_true(virtq_should_signal(&f->vq));
	assert_false(virtq_should_signal(&f->vq)); /* once */
}

static void test_event_idx(void **state)
{
	struct fix *f = *state;
	struct drv *d = &f->drv;

	f->vq.ready = false;
	assert_int_equal(virtq_enable(&f->vq, VIRTQ_MAX_SIZE, &d->mem, true, true), 0);
	drv_desc(d, 0, BUF_GPA, 4, W, 0);
	drv_set_used_event(d, 0); /* interrupt when used passes 0 */
	for (unsigned i = 0; i < 3; i++)
		drv_publish(d, 0);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	virtq_push(&f->vq, 0, 4); /* used 1 */
	assert_true(virtq_should_signal(&f->vq));
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	virtq_push(&f->vq, 0, 4); /* used 2: the driver has not moved its event */
	assert_false(virtq_should_signal(&f->vq));
	drv_set_used_event(d, 2); /* wants one when used passes 2 */
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	virtq_push(&f->vq, 0, 4); /* used 3 */
	assert_true(virtq_should_signal(&f->vq));
	/* avail_event: where the device wants the next kick */
	assert_false(virtq_enable_notify(&f->vq));
	assert_int_equal(drv_avail_event(d), 3);
	drv_publish(d, 0);
	assert_true(virtq_enable_notify(&f->vq));
	/* a ring index wraps at 65536: the device follows it */
	f->vq.last_avail = 0xfffe;
	d->avail_idx = 0xfffe;
	drv_put16(d, AVAIL_GPA + 2, 0xfffe);
	drv_publish(d, 0);
	drv_publish(d, 0);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 1);
	assert_int_equal(virtq_pop(&f->vq, &f->req), 0);
	assert_int_equal(f->vq.last_avail, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_chain_and_used_ring),
	    T(test_indirect),
	    T(test_indirect_without_feature),
	    T(test_nested_indirect),
	    T(test_indirect_bad_tables),
	    T(test_loops_and_indices),
	    T(test_buffers_outside_ram),
	    T(test_readable_after_writable),
	    T(test_enable_checks),
	    T(test_notify_suppression),
	    T(test_event_idx),
	};
	return cmocka_run_group_tests_name("vmm virtqueue", tests, NULL, NULL);
}
