/* SPDX-License-Identifier: MIT */
/* A bare-metal virtio-mmio driver's register-level pieces, shared by the virtio guest tests:
 * the registers (VIRTIO 1.2, 4.2.2: little-endian, reached with lwbrx/stwbrx from this
 * big-endian core), status and feature bits, the split queue's descriptor layout, feature
 * negotiation (3.1.1) and queue setup. The rings themselves stay with each test. */
#ifndef GUEST_VIRTIO_MMIO_H
#define GUEST_VIRTIO_MMIO_H

#include "sys.h"

/* virtio-mmio registers */
#define MAGIC		0x000
#define VERSION		0x004
#define DEVICE_ID	0x008
#define DEV_FEAT	0x010
#define DEV_FEAT_SEL	0x014
#define DRV_FEAT	0x020
#define DRV_FEAT_SEL	0x024
#define QUEUE_SEL	0x030
#define QUEUE_NUM_MAX	0x034
#define QUEUE_NUM	0x038
#define QUEUE_READY	0x044
#define QUEUE_NOTIFY	0x050
#define INT_STATUS	0x060
#define INT_ACK		0x064
#define STATUS		0x070
#define QUEUE_DESC	0x080
#define QUEUE_DRIVER	0x090
#define QUEUE_DEVICE	0x0a0
#define CONFIG		0x100

#define S_ACK		1
#define S_DRIVER	2
#define S_DRIVER_OK	4
#define S_FEATURES_OK	8
#define S_NEEDS_RESET	64

#define F_INDIRECT	(1u << 28)	/* in feature word 0 */
#define F_EVENT_IDX	(1u << 29)
#define F_VERSION_1	1u		/* bit 32: word 1 */

#define D_NEXT		1
#define D_WRITE		2
#define D_INDIRECT	4

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static inline uint32_t vr(uint32_t base, uint32_t off)
{
	uint32_t v;

	__asm__ __volatile__("lwbrx %0, 0, %1" : "=r"(v) : "r"(base + off) : "memory");
	return v;
}

static inline void vw(uint32_t base, uint32_t off, uint32_t v)
{
	__asm__ __volatile__("stwbrx %0, 0, %1" : : "r"(v), "r"(base + off) : "memory");
}

static inline uint16_t le16(uint16_t v) { return __builtin_bswap16(v); }
static inline uint32_t le32(uint32_t v) { return __builtin_bswap32(v); }
static inline void sync(void) { __asm__ __volatile__("sync" : : : "memory"); }

static inline void set_desc(struct desc *d, uint32_t addr, uint32_t len, uint16_t flags,
			    uint16_t next)
{
	d->addr = __builtin_bswap64(addr);
	d->len = le32(len);
	d->flags = le16(flags);
	d->next = le16(next);
}

/* Reset, then 3.1.1 up to FEATURES_OK with the two feature words; the status read back. */
static inline uint32_t virtio_negotiate(uint32_t base, uint32_t word0, uint32_t word1)
{
	vw(base, STATUS, 0);
	vw(base, STATUS, S_ACK);
	vw(base, STATUS, S_ACK | S_DRIVER);
	vw(base, DRV_FEAT_SEL, 0);
	vw(base, DRV_FEAT, word0);
	vw(base, DRV_FEAT_SEL, 1);
	vw(base, DRV_FEAT, word1);
	vw(base, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
	return vr(base, STATUS);
}

/* Queue q of num entries on rings at d (descriptors), a (driver area), u (device area). */
static inline void virtio_queue_setup(uint32_t base, unsigned q, uint32_t num, uint32_t d,
				      uint32_t a, uint32_t u)
{
	vw(base, QUEUE_SEL, q);
	vw(base, QUEUE_NUM, num);
	vw(base, QUEUE_DESC, d);
	vw(base, QUEUE_DESC + 4, 0);
	vw(base, QUEUE_DRIVER, a);
	vw(base, QUEUE_DRIVER + 4, 0);
	vw(base, QUEUE_DEVICE, u);
	vw(base, QUEUE_DEVICE + 4, 0);
	vw(base, QUEUE_READY, 1);
}

#endif
