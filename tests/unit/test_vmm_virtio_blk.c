// SPDX-License-Identifier: MIT
/* virtio-blk (vmm/virtio/blk.c) against a fake guest memory and a real image file: the
 * device's queue_notify decodes requests and hands them to its I/O threads, the test waits for
 * the done eventfd (its host_fd) and runs host_event as the device thread would, then checks
 * the used ring, the status byte, the guest buffers and the image. Also the --disk option
 * parser and the open-time errors (directory, missing, locked). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/virtio/blk.c"
#include "../../vmm/virtio/blk_opts.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define QNUM	 16
#define SECTORS	 64 /* a 32 KiB image */
#define HDR_GPA	 (BUF_GPA)
#define DATA_GPA (BUF_GPA + 0x1000)
#define ST_GPA	 (BUF_GPA + 0x3000)

struct fix {
	char path[64];
	struct drv drv;
	struct virtio_dev *dev;
	struct virtio_blk *blk;
	uint16_t used_seen;
};

static void make_image(const char *path, unsigned sectors)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint8_t buf[VIRTIO_BLK_SECTOR];

	assert_true(fd >= 0);
	for (unsigned s = 0; s < sectors; s++) {
		memset(buf, (int)(s + 1), sizeof(buf));
		assert_int_equal(pwrite(fd, buf, sizeof(buf), (off_t)s * sizeof(buf)), sizeof(buf));
	}
	close(fd);
}

static struct fix *fix_new(const char *opts_tail)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct virtio_blk_opts o;
	struct vmm_err err = {""};
	char arg[128];

	snprintf(f->path, sizeof(f->path), "/tmp/skvm-blk-unit-%d.img", getpid());
	make_image(f->path, SECTORS);
	snprintf(arg, sizeof(arg), "%s%s", f->path, opts_tail);
	assert_int_equal(virtio_blk_parse(arg, &o, &err), 0);
	assert_int_equal(virtio_blk_create(&o, &f->dev, &err), 0);
	f->blk = vmm_container_of(f->dev, struct virtio_blk, vdev);
	drv_init(&f->drv, QNUM);
	f->dev->vq[0].num = QNUM;
	f->dev->vq[0].desc_gpa = DESC_GPA;
	f->dev->vq[0].avail_gpa = AVAIL_GPA;
	f->dev->vq[0].used_gpa = USED_GPA;
	assert_int_equal(virtq_enable(&f->dev->vq[0], QNUM, &f->drv.mem, false, true), 0);
	return f;
}

static void fix_free(struct fix *f)
{
	f->dev->ops->destroy(f->dev);
	drv_free(&f->drv);
	unlink(f->path);
	free(f);
}

static void put_hdr(struct fix *f, uint32_t type, uint64_t sector)
{
	uint8_t *p = drv_host(&f->drv, HDR_GPA);

	vmm_store_le(p, 4, type);
	vmm_store_le(p + 4, 4, 0);
	vmm_store_le(p + 8, 8, sector);
}

/* Runs the device on what was published until one more request is used; returns its used
 * length, *status its status byte. */
static uint32_t run(struct fix *f, uint8_t *status)
{
	struct virtio_dev *d = f->dev;

	assert_int_equal(d->ops->queue_notify(d, 0), 0);
	while (drv_used_idx(&f->drv) == f->used_seen) {
		struct pollfd p = {.fd = d->host_fd, .events = POLLIN};

		assert_int_equal(poll(&p, 1, 5000), 1); /* the I/O threads answer */
		assert_int_equal(d->ops->host_event(d), 0);
	}
	f->used_seen++;
	*status = *drv_host(&f->drv, ST_GPA);
	return drv_used_len(&f->drv, f->used_seen - 1u);
}

/* header (readable) + data (len bytes, readable or writable) + status (writable) */
static uint32_t request(struct fix *f, uint32_t type, uint64_t sector, uint32_t len,
			bool data_writable, uint8_t *status)
{
	uint16_t i = 0;

	put_hdr(f, type, sector);
	*drv_host(&f->drv, ST_GPA) = 0xee;
	drv_desc(&f->drv, i, HDR_GPA, 16, VIRTQ_DESC_F_NEXT, (uint16_t)(i + 1));
	i++;
	if (len) {
		drv_desc(&f->drv, i, DATA_GPA, len,
			 VIRTQ_DESC_F_NEXT | (data_writable ? VIRTQ_DESC_F_WRITE : 0),
			 (uint16_t)(i + 1));
		i++;
	}
	drv_desc(&f->drv, i, ST_GPA, 1, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&f->drv, 0);
	return run(f, status);
}

static void image_read(struct fix *f, uint64_t off, void *buf, size_t len)
{
	int fd = open(f->path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, buf, len, (off_t)off), (ssize_t)len);
	close(fd);
}

static void test_config(void **state)
{
	struct fix *f = fix_new("");

	assert_int_equal(blk_config_read(f->dev, 0, 4), SECTORS);
	assert_int_equal(blk_config_read(f->dev, 4, 4), 0);
	assert_int_equal(blk_config_read(f->dev, 12, 4), VIRTIO_BLK_SEG_MAX);
	assert_int_equal(blk_config_read(f->dev, 20, 4), 512);
	assert_int_equal(blk_config_read(f->dev, 40, 4), 1); /* max_discard_seg */
	assert_int_equal(blk_config_read(f->dev, 58, 4), 0); /* past the end: 0 */
	assert_true(f->dev->ops->features & VIRTIO_FEATURE(VIRTIO_BLK_F_FLUSH));
	assert_false(f->dev->ops->features & VIRTIO_FEATURE(VIRTIO_BLK_F_RO));
	fix_free(f);
}

static void test_read_write_flush(void **state)
{
	struct fix *f = fix_new(",serial=ABC");
	uint8_t st, buf[1024], *data = drv_host(&f->drv, DATA_GPA);

	assert_int_equal(request(f, VIRTIO_BLK_T_IN, 2, 1024, true, &st), 1025);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	assert_int_equal(data[0], 3);
	assert_int_equal(data[1023], 4);

	memset(data, 0x5a, 1024);
	assert_int_equal(request(f, VIRTIO_BLK_T_OUT, 10, 1024, false, &st), 1);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	image_read(f, 10 * 512, buf, 1024);
	for (unsigned i = 0; i < 1024; i++)
		assert_int_equal(buf[i], 0x5a);

	assert_int_equal(request(f, VIRTIO_BLK_T_FLUSH, 0, 0, false, &st), 1);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	assert_int_equal(atomic_load(&f->blk->flushes), 1);

	memset(data, 0, 32);
	assert_int_equal(request(f, VIRTIO_BLK_T_GET_ID, 0, 20, true, &st), 21);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	assert_memory_equal(data, "ABC\0", 4);
	fix_free(f);
}

static void test_discard_write_zeroes(void **state)
{
	struct fix *f = fix_new("");
	uint8_t st, buf[6 * 512], *seg = drv_host(&f->drv, DATA_GPA);

	vmm_store_le(seg, 8, 8);      /* sector */
	vmm_store_le(seg + 8, 4, 4);  /* sectors */
	vmm_store_le(seg + 12, 4, 0); /* flags */
	assert_int_equal(request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, &st), 1);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	image_read(f, 7 * 512, buf, 6 * 512);
	assert_int_equal(buf[511], 8); /* sector 7 untouched */
	for (unsigned i = 512; i < 5 * 512; i++)
		assert_int_equal(buf[i], 0); /* 8..11 zero */
	assert_int_equal(buf[5 * 512], 13);  /* sector 12 untouched */

	vmm_store_le(seg, 8, 16);
	vmm_store_le(seg + 12, 4, 0);
	assert_int_equal(request(f, VIRTIO_BLK_T_DISCARD, 0, 16, false, &st), 1);
	assert_int_equal(st, VIRTIO_BLK_S_OK);

	vmm_store_le(seg + 12, 4, 1); /* unmap is for write-zeroes only */
	request(f, VIRTIO_BLK_T_DISCARD, 0, 16, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_UNSUPP);
	vmm_store_le(seg, 8, SECTORS - 2); /* past the end */
	vmm_store_le(seg + 12, 4, 0);
	request(f, VIRTIO_BLK_T_WRITE_ZEROES, 0, 16, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	fix_free(f);
}

static void test_hostile(void **state)
{
	struct fix *f = fix_new("");
	uint8_t st;
	struct stat sb;

	/* out of range: the last sector is fine, one past it is not, nor a wrapping sector */
	assert_int_equal(request(f, VIRTIO_BLK_T_IN, SECTORS - 1, 512, true, &st), 513);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	request(f, VIRTIO_BLK_T_IN, SECTORS - 1, 1024, true, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	request(f, VIRTIO_BLK_T_OUT, UINT64_MAX / 512, 512, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	request(f, VIRTIO_BLK_T_OUT, UINT64_MAX, 512, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	/* not whole sectors */
	request(f, VIRTIO_BLK_T_IN, 0, 100, true, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	/* data of the wrong direction: a read into device-readable memory, a write from
	 * device-writable memory */
	request(f, VIRTIO_BLK_T_IN, 0, 512, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	request(f, VIRTIO_BLK_T_OUT, 0, 512, true, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	/* unknown type */
	request(f, 3, 0, 0, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_UNSUPP);

	/* a header too short: 8 readable bytes */
	drv_desc(&f->drv, 0, HDR_GPA, 8, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&f->drv, 1, ST_GPA, 1, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&f->drv, 0);
	assert_int_equal(run(f, &st), 1);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);

	/* no writable byte at all: nowhere for a status, used with length 0 */
	put_hdr(f, VIRTIO_BLK_T_IN, 0);
	drv_desc(&f->drv, 0, HDR_GPA, 16, 0, 0);
	drv_publish(&f->drv, 0);
	assert_int_equal(run(f, &st), 0);

	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_size, SECTORS * 512); /* nothing written beyond the image */
	assert_int_equal(atomic_load(&f->blk->errors), 9);
	fix_free(f);
}

static void test_read_only(void **state)
{
	struct fix *f = fix_new(",ro");
	uint8_t st, buf[512];

	assert_true(f->dev->ops->features & VIRTIO_FEATURE(VIRTIO_BLK_F_RO));
	memset(drv_host(&f->drv, DATA_GPA), 0x77, 512);
	request(f, VIRTIO_BLK_T_OUT, 0, 512, false, &st);
	assert_int_equal(st, VIRTIO_BLK_S_IOERR);
	image_read(f, 0, buf, 512);
	assert_int_equal(buf[0], 1);
	assert_int_equal(request(f, VIRTIO_BLK_T_IN, 0, 512, true, &st), 513);
	assert_int_equal(st, VIRTIO_BLK_S_OK);
	fix_free(f);
}

/* Reset with requests queued: it returns only when no I/O thread holds one, and what was
 * done is not pushed afterwards. */
static void test_reset_drops(void **state)
{
	struct fix *f = fix_new("");

	/* flushes: always for the I/O threads (a read may be done at once from the page cache) */
	put_hdr(f, VIRTIO_BLK_T_FLUSH, 0);
	drv_desc(&f->drv, 0, HDR_GPA, 16, VIRTQ_DESC_F_NEXT, 1);
	drv_desc(&f->drv, 1, ST_GPA, 1, VIRTQ_DESC_F_WRITE, 0);
	for (unsigned i = 0; i < 8; i++)
		drv_publish(&f->drv, 0);
	assert_int_equal(f->dev->ops->queue_notify(f->dev, 0), 0);
	f->dev->ops->reset(f->dev);
	assert_int_equal(f->blk->busy, 0);
	assert_null(f->blk->todo);
	assert_null(f->blk->done);
	assert_int_equal(f->dev->ops->host_event(f->dev), 0);
	assert_int_equal(drv_used_idx(&f->drv), 0);
	fix_free(f);
}

static void test_open_errors(void **state)
{
	struct virtio_blk_opts o;
	struct vmm_err err = {""};
	struct virtio_dev *d, *d2;
	char path[64];

	assert_int_equal(virtio_blk_parse("/tmp", &o, &err), 0);
	assert_int_equal(virtio_blk_create(&o, &d, &err), -EISDIR);
	assert_non_null(strstr(err.msg, "is a directory"));
	assert_int_equal(virtio_blk_parse("/nonexistent/x.img", &o, &err), 0);
	assert_int_equal(virtio_blk_create(&o, &d, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "No such file"));
	assert_int_equal(virtio_blk_parse("/dev/null", &o, &err), 0);
	assert_int_equal(virtio_blk_create(&o, &d, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file or block device"));

	snprintf(path, sizeof(path), "/tmp/skvm-blk-lock-%d.img", getpid());
	make_image(path, 8);
	assert_int_equal(virtio_blk_parse(path, &o, &err), 0);
	assert_int_equal(virtio_blk_create(&o, &d, &err), 0);
	/* a second open (as another softkvm would: OFD locks are per open file) */
	assert_int_equal(virtio_blk_create(&o, &d2, &err), -EBUSY);
	assert_non_null(strstr(err.msg, "locked by another"));
	o.ro = true;
	assert_int_equal(virtio_blk_create(&o, &d2, &err), -EBUSY);
	d->ops->destroy(d);
	assert_int_equal(virtio_blk_create(&o, &d, &err), 0); /* two readers share */
	assert_int_equal(virtio_blk_create(&o, &d2, &err), 0);
	d->ops->destroy(d);
	d2->ops->destroy(d2);
	unlink(path);
}

static void test_parse(void **state)
{
	struct virtio_blk_opts o;
	struct vmm_err err = {""};

	assert_int_equal(virtio_blk_parse("a.img,ro,cache=none,serial=S-1", &o, &err), 0);
	assert_string_equal(o.path, "a.img");
	assert_true(o.ro);
	assert_true(o.direct);
	assert_string_equal(o.serial, "S-1");
	assert_int_equal(virtio_blk_parse("a.img,cache=writeback", &o, &err), 0);
	assert_false(o.direct || o.ro);
	assert_int_equal(virtio_blk_parse("a.img,rw", &o, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "unknown suboption 'rw'"));
	assert_int_equal(virtio_blk_parse("a.img,serial=123456789012345678901", &o, &err), -EINVAL);
	assert_int_equal(virtio_blk_parse("a.img,serial=a b", &o, &err), -EINVAL);
	assert_int_equal(virtio_blk_parse(",ro", &o, &err), -EINVAL);
	assert_int_equal(virtio_blk_parse("a.img,cache=unsafe", &o, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_config),
	    cmocka_unit_test(test_read_write_flush),
	    cmocka_unit_test(test_discard_write_zeroes),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_read_only),
	    cmocka_unit_test(test_reset_drops),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
