// SPDX-License-Identifier: MIT
/* Split virtqueues (see virtqueue.h). Layout (VIRTIO 1.2, 2.7.5-2.7.8), all little-endian:
 *   descriptor table  num x {le64 addr; le32 len; le16 flags; le16 next}   16-byte aligned
 *   driver area       le16 flags; le16 idx; le16 ring[num]; le16 used_event   2-byte aligned
 *   device area       le16 flags; le16 idx; {le32 id; le32 len} ring[num]; le16 avail_event
 *                                                                            4-byte aligned
 */
#include "virtio/virtqueue.h"

#include <endian.h>
#include <errno.h>
#include <string.h>

#define DESC_SIZE 16u

/* ---- ring fields ---- */

static uint16_t ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return le16toh(v);
}

static void st16(uint8_t *p, uint16_t v)
{
	v = htole16(v);
	memcpy(p, &v, 2);
}

/* The indices the other side publishes: read once, after which the entries they cover are
 * read (acquire); ours are published after the entries they cover (release). */
static uint16_t ld16_acquire(const uint8_t *p)
{
	return le16toh(__atomic_load_n((const uint16_t *)p, __ATOMIC_ACQUIRE));
}

static void st16_release(uint8_t *p, uint16_t v)
{
	__atomic_store_n((uint16_t *)p, htole16(v), __ATOMIC_RELEASE);
}

static uint8_t *avail_ring(const struct virtq *vq, unsigned i)
{
	return vq->avail + 4 + 2 * i;
}

static uint8_t *used_event(const struct virtq *vq)
{
	return vq->avail + 4 + 2 * vq->num;
}

static uint8_t *avail_event(const struct virtq *vq)
{
	return vq->used + 4 + 8 * vq->num;
}

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct desc read_desc(const uint8_t *table, unsigned i)
{
	const uint8_t *p = table + DESC_SIZE * i;
	struct desc d;

	memcpy(&d.addr, p, 8);
	memcpy(&d.len, p + 8, 4);
	d.addr = le64toh(d.addr);
	d.len = le32toh(d.len);
	d.flags = ld16(p + 12);
	d.next = ld16(p + 14);
	return d;
}

/* ---- setup ---- */

void virtq_reset(struct virtq *vq, uint16_t max)
{
	memset(vq, 0, sizeof(*vq));
	vq->num = max;
}

static int vq_fail(struct virtq *vq, const char *why)
{
	vq->error = why;
	vq->broken = true;
	return vq->ready ? -EIO : -EINVAL;
}

int virtq_enable(struct virtq *vq, uint16_t max, const struct vmm_guest_mem *mem, bool event_idx,
		 bool indirect)
{
	uint16_t n = vq->num;

	vq->ready = false;
	if (n == 0 || n > max || (n & (n - 1)))
		return vq_fail(vq, "queue size not a power of two up to the maximum");
	if ((vq->desc_gpa & 15) || (vq->avail_gpa & 1) || (vq->used_gpa & 3))
		return vq_fail(vq, "misaligned ring");
	vq->desc = vmm_guest_ptr(mem, vq->desc_gpa, (uint64_t)DESC_SIZE * n);
	vq->avail = vmm_guest_ptr(mem, vq->avail_gpa, 6 + 2ull * n);
	vq->used = vmm_guest_ptr(mem, vq->used_gpa, 6 + 8ull * n);
	if (!vq->desc || !vq->avail || !vq->used)
		return vq_fail(vq, "ring outside RAM");
	vq->mem = mem;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	vq->last_avail = 0;
	vq->used_idx = 0;
	vq->signalled_used = 0;
	vq->broken = false;
	vq->error = NULL;
	vq->ready = true;
	return 0;
}

/* ---- requests ---- */

/* Adds one buffer to the request. */
static int add_buffer(struct virtq *vq, struct virtq_req *req, const struct desc *d)
{
	void *p;

	if (d->flags & VIRTQ_DESC_F_WRITE) {
		req->wr_len += d->len;
	} else {
		if (req->nr_wr)
			return vq_fail(vq, "device-readable buffer after a device-writable one");
		req->rd_len += d->len;
	}
	if (!d->len)
		return 0;
	p = vmm_guest_ptr(vq->mem, d->addr, d->len);
	if (!p)
		return vq_fail(vq, "buffer outside RAM");
	/* walk_chain counted it: at most VIRTQ_MAX_SEGS buffers, so iov[] has room */
	req->iov[req->nr_rd + req->nr_wr] = (struct iovec){.iov_base = p, .iov_len = d->len};
	if (d->flags & VIRTQ_DESC_F_WRITE)
		req->nr_wr++;
	else
		req->nr_rd++;
	return 0;
}

/* The chain from head: the queue's own descriptors, possibly ending in one indirect table
 * (2.7.5.3: zero or more direct descriptors, then a single indirect one). Each table is
 * walked at most its size of steps, so a loop ends as "chain longer than its table". */
static int walk_chain(struct virtq *vq, struct virtq_req *req, uint16_t head)
{
	const uint8_t *table = vq->desc;
	unsigned size = vq->num, i = head, steps = 0, total = 0;
	bool in_indirect = false;

	if (i >= size)
		return vq_fail(vq, "head index outside the descriptor table");
	for (;;) {
		struct desc d = read_desc(table, i);

		if (++steps > size)
			return vq_fail(vq, "descriptor chain longer than its table (a loop?)");
		if (d.flags & VIRTQ_DESC_F_INDIRECT) {
			if (in_indirect)
				return vq_fail(vq, "nested indirect table");
			if (!vq->indirect)
				return vq_fail(
				    vq, "indirect descriptor without VIRTIO_F_INDIRECT_DESC");
			if (d.flags & VIRTQ_DESC_F_NEXT)
				return vq_fail(vq, "indirect descriptor with NEXT");
			if (d.len == 0 || d.len % DESC_SIZE || d.len / DESC_SIZE > VIRTQ_MAX_SEGS)
				return vq_fail(vq, "indirect table of a bad size");
			table = vmm_guest_ptr(vq->mem, d.addr, d.len);
			if (!table)
				return vq_fail(vq, "indirect table outside RAM");
			size = d.len / DESC_SIZE;
			in_indirect = true;
			i = 0;
			steps = 0;
			continue;
		}
		if (++total > VIRTQ_MAX_SEGS)
			return vq_fail(vq, "descriptor chain too long");
		if (add_buffer(vq, req, &d))
			return -EIO;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = d.next;
		if (i >= size)
			return vq_fail(vq, "next index outside the descriptor table");
	}
}

int virtq_pop(struct virtq *vq, struct virtq_req *req)
{
	uint16_t avail_idx, head;

	if (!vq->ready)
		return 0;
	if (vq->broken)
		return -EIO;
	avail_idx = ld16_acquire(vq->avail + 2);
	if (avail_idx == vq->last_avail)
		return 0;
	if ((uint16_t)(avail_idx - vq->last_avail) > vq->num)
		return vq_fail(vq, "avail index ran ahead by more than the queue size");
	head = ld16(avail_ring(vq, vq->last_avail & (vq->num - 1)));
	vq->last_avail++;
	req->head = head;
	req->nr_rd = req->nr_wr = 0;
	req->rd_len = req->wr_len = 0;
	if (walk_chain(vq, req, head))
		return -EIO;
	return 1;
}

void virtq_push(struct virtq *vq, uint16_t head, uint32_t len)
{
	uint8_t *e;

	if (!vq->ready || vq->broken)
		return;
	e = vq->used + 4 + 8 * (vq->used_idx & (vq->num - 1));
	uint32_t id = htole32(head), l = htole32(len);

	memcpy(e, &id, 4);
	memcpy(e + 4, &l, 4);
	vq->used_idx++;
	st16_release(vq->used + 2, vq->used_idx);
}

void virtq_disable_notify(struct virtq *vq)
{
	if (!vq->ready || vq->event_idx)
		return;
	st16(vq->used, ld16(vq->used) | VIRTQ_USED_F_NO_NOTIFY);
}

bool virtq_enable_notify(struct virtq *vq)
{
	if (!vq->ready || vq->broken)
		return false;
	if (vq->event_idx)
		st16_release(avail_event(vq), vq->last_avail);
	else
		st16(vq->used, ld16(vq->used) & ~VIRTQ_USED_F_NO_NOTIFY);
	/* the driver publishes avail->idx, then reads our flag or event: both sides fence
	 * between their store and their load, or a notification could be lost */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return ld16_acquire(vq->avail + 2) != vq->last_avail;
}

/* vring_need_event: did new pass event since old? */
static bool need_event(uint16_t event, uint16_t new, uint16_t old)
{
	return (uint16_t)(new - event - 1) < (uint16_t)(new - old);
}

bool virtq_should_signal(struct virtq *vq)
{
	uint16_t old = vq->signalled_used, new = vq->used_idx;

	if (!vq->ready || old == new)
		return false; /* nothing pushed since the last time */
	vq->signalled_used = new;
	/* used->idx published before the driver's used_event or flags are read */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->event_idx)
		return need_event(ld16_acquire(used_event(vq)), new, old);
	return !(ld16(vq->avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
}

/* ---- copying ---- */

size_t virtq_req_copy_from(const struct virtq_req *req, uint64_t offset, void *dst, size_t len)
{
	size_t done = 0;

	for (unsigned i = 0; i < req->nr_rd && done < len; i++) {
		const struct iovec *v = &req->iov[i];
		size_t n;

		if (offset >= v->iov_len) {
			offset -= v->iov_len;
			continue;
		}
		n = v->iov_len - offset;
		if (n > len - done)
			n = len - done;
		memcpy((uint8_t *)dst + done, (const uint8_t *)v->iov_base + offset, n);
		done += n;
		offset = 0;
	}
	return done;
}

size_t virtq_req_copy_to(const struct virtq_req *req, uint64_t offset, const void *src, size_t len)
{
	size_t done = 0;

	for (unsigned i = req->nr_rd; i < req->nr_rd + req->nr_wr && done < len; i++) {
		const struct iovec *v = &req->iov[i];
		size_t n;

		if (offset >= v->iov_len) {
			offset -= v->iov_len;
			continue;
		}
		n = v->iov_len - offset;
		if (n > len - done)
			n = len - done;
		memcpy((uint8_t *)v->iov_base + offset, (const uint8_t *)src + done, n);
		done += n;
		offset = 0;
	}
	return done;
}
