/* SPDX-License-Identifier: MIT */
/* A fake guest memory and the driver's side of a split virtqueue in it, for the virtqueue and
 * virtio-mmio unit tests: 64 KiB of "RAM" at guest-physical RAM_GPA, the descriptor table at
 * +0, the driver area at +0x1000, the device area at +0x2000, buffers from +0x4000.
 * Everything little-endian, as a modern driver writes it. Include after the .c under test. */
#ifndef SOFTKVM_TEST_VIRTQ_DRIVER_H
#define SOFTKVM_TEST_VIRTQ_DRIVER_H

#include <endian.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guest_mem.h"

#define RAM_GPA	  0x10000ull
#define RAM_LEN	  0x10000ull
#define DESC_GPA  (RAM_GPA)
#define AVAIL_GPA (RAM_GPA + 0x1000)
#define USED_GPA  (RAM_GPA + 0x2000)
#define BUF_GPA	  (RAM_GPA + 0x4000)

struct drv {
	struct vmm_ram ram;
	struct vmm_guest_mem mem;
	uint16_t num, avail_idx;
};

static inline void drv_init(struct drv *d, uint16_t num)
{
	memset(d, 0, sizeof(*d));
	d->ram.host = aligned_alloc(4096, RAM_LEN);
	memset(d->ram.host, 0, RAM_LEN);
	d->ram.gpa = RAM_GPA;
	d->ram.size = RAM_LEN;
	d->mem.region[0] = &d->ram;
	d->mem.nr = 1;
	d->num = num;
}

static inline void drv_free(struct drv *d)
{
	free(d->ram.host);
}

static inline uint8_t *drv_host(struct drv *d, uint64_t gpa)
{
	return d->ram.host + (gpa - RAM_GPA);
}

static inline void drv_put16(struct drv *d, uint64_t gpa, uint16_t v)
{
	v = htole16(v);
	memcpy(drv_host(d, gpa), &v, 2);
}

static inline uint16_t drv_get16(struct drv *d, uint64_t gpa)
{
	uint16_t v;

	memcpy(&v, drv_host(d, gpa), 2);
	return le16toh(v);
}

static inline uint32_t drv_get32(struct drv *d, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, drv_host(d, gpa), 4);
	return le32toh(v);
}

/* Descriptor i of the table at table_gpa. */
static inline void drv_desc_at(struct drv *d, uint64_t table_gpa, unsigned i, uint64_t addr,
			       uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *p = drv_host(d, table_gpa + 16ull * i);
	uint64_t a = htole64(addr);
	uint32_t l = htole32(len);

	memcpy(p, &a, 8);
	memcpy(p + 8, &l, 4);
	drv_put16(d, table_gpa + 16ull * i + 12, flags);
	drv_put16(d, table_gpa + 16ull * i + 14, next);
}

static inline void drv_desc(struct drv *d, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
			    uint16_t next)
{
	drv_desc_at(d, DESC_GPA, i, addr, len, flags, next);
}

/* Makes head available (ring entry, then the index). */
static inline void drv_publish(struct drv *d, uint16_t head)
{
	drv_put16(d, AVAIL_GPA + 4 + 2ull * (d->avail_idx % d->num), head);
	d->avail_idx++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	drv_put16(d, AVAIL_GPA + 2, d->avail_idx);
}

static inline uint16_t drv_used_idx(struct drv *d)
{
	return drv_get16(d, USED_GPA + 2);
}

/* Used ring entry n: id and len. */
static inline uint32_t drv_used_id(struct drv *d, unsigned n)
{
	return drv_get32(d, USED_GPA + 4 + 8ull * (n % d->num));
}

static inline uint32_t drv_used_len(struct drv *d, unsigned n)
{
	return drv_get32(d, USED_GPA + 8 + 8ull * (n % d->num));
}

/* The driver's used_event (EVENT_IDX) and the device's avail_event. */
static inline void drv_set_used_event(struct drv *d, uint16_t v)
{
	drv_put16(d, AVAIL_GPA + 4 + 2ull * d->num, v);
}

static inline uint16_t drv_avail_event(struct drv *d)
{
	return drv_get16(d, USED_GPA + 4 + 8ull * d->num);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Waits for cond (the device works on its own thread), 5 s at most: a bound for failures
 * only. */
#define WAIT_FOR(cond)                                                                             \
	do {                                                                                       \
		uint64_t until_ = now_ns() + 5000000000ull;                                        \
		while (!(cond) && now_ns() < until_) {                                             \
			struct timespec ts_ = {0, 1000000};                                        \
			nanosleep(&ts_, NULL);                                                     \
		}                                                                                  \
		assert_true(cond);                                                                 \
	} while (0)

#endif
