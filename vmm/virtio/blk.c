// SPDX-License-Identifier: MIT
/* virtio-blk (see blk.h).
 *
 * Asynchronous I/O: a pool of BLK_WORKERS threads doing preadv/pwritev/fdatasync/fallocate.
 * The device thread (lock held) decodes and checks a request, queues it and goes on; a worker
 * does the I/O without any lock of the device's, puts the request on the done list and writes
 * the done eventfd, which is the device's host_fd: the device thread then pushes the requests
 * back and interrupts the guest. What the page cache can take at once is done on the device
 * thread (blk_try_now, RWF_NOWAIT). io_uring (liburing) in the pool's place was measured
 * and lost: io_uring completes page-cache hits inline just as blk_try_now does, but its
 * submission and completion rings cost more per request than one preadv2, and buffered
 * writes it cannot do at once go to its own kernel workers, no cheaper than ours
 * (bench/README.md has the figures).
 *
 * Reset (driver or machine) drops the requests not started and waits for those a worker is
 * doing: after it no worker touches guest memory.
 */
#define _GNU_SOURCE
#include "virtio/blk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "byteorder.h"
#include "machine.h"

#define BLK_WORKERS	 4
#define BLK_QUEUE_MAX	 128
#define BLK_HDR_SIZE	 16
#define BLK_CONFIG_SIZE	 60
#define BLK_BOUNCE	 (1u << 20) /* O_DIRECT bounce buffer for unaligned guest buffers */
#define BLK_DIRECT_ALIGN 4096u

/* One request between the device thread and a worker. */
struct blk_io {
	struct blk_io *next;
	uint16_t head;
	uint32_t type;
	uint64_t offset, len; /* bytes in the image */
	bool unmap;	      /* write-zeroes may punch a hole */
	uint8_t *status;      /* the last writable byte of the request */
	uint32_t written;     /* used length when it succeeds */
	uint8_t result;	      /* VIRTIO_BLK_S_* */
	unsigned niov;
	struct iovec iov[];
};

struct virtio_blk {
	struct virtio_dev vdev;
	int fd;
	bool ro, direct;
	uint64_t sectors;
	char serial[VIRTIO_BLK_SERIAL_MAX];
	uint8_t config[BLK_CONFIG_SIZE];
	atomic_uint_fast64_t flushes, errors;

	/* the pool (plock) */
	pthread_mutex_t plock;
	pthread_cond_t work, idle;
	struct blk_io *todo, **todo_tail, *done;
	unsigned busy; /* requests a worker holds */
	bool stop;
	pthread_t worker[BLK_WORKERS];
	unsigned nr_workers;

	struct virtq_req req; /* virtq_pop's scratch (device thread) */
};

/* ---- I/O (workers, no device lock) ---- */

/* Advances iov/niov by n bytes (a short transfer). */
static void iov_advance(struct iovec **iov, unsigned *niov, size_t n)
{
	while (n && *niov) {
		if (n < (*iov)->iov_len) {
			(*iov)->iov_base = (char *)(*iov)->iov_base + n;
			(*iov)->iov_len -= n;
			return;
		}
		n -= (*iov)->iov_len;
		(*iov)++;
		(*niov)--;
	}
	while (*niov && (*iov)->iov_len == 0) {
		(*iov)++;
		(*niov)--;
	}
}

/* O_DIRECT with guest buffers the file system will not take: through an aligned bounce
 * buffer, a chunk at a time. */
static int blk_bounce(struct virtio_blk *b, struct iovec *iov, unsigned niov, uint64_t off,
		      bool write)
{
	void *buf;
	int rc = 0;

	if (posix_memalign(&buf, BLK_DIRECT_ALIGN, BLK_BOUNCE))
		return -ENOMEM;
	while (niov && !rc) {
		size_t chunk = 0;
		ssize_t n;

		/* gather (write) or size (read) up to BLK_BOUNCE bytes */
		for (unsigned i = 0; i < niov && chunk < BLK_BOUNCE; i++) {
			size_t take = iov[i].iov_len < BLK_BOUNCE - chunk ? iov[i].iov_len
									  : BLK_BOUNCE - chunk;

			if (write)
				memcpy((char *)buf + chunk, iov[i].iov_base, take);
			chunk += take;
		}
		n = write ? pwrite(b->fd, buf, chunk, (off_t)off)
			  : pread(b->fd, buf, chunk, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		if (!write) {
			size_t done = 0;

			for (unsigned i = 0; i < niov && done < (size_t)n; i++) {
				size_t take = iov[i].iov_len < (size_t)n - done ? iov[i].iov_len
										: (size_t)n - done;

				memcpy(iov[i].iov_base, (char *)buf + done, take);
				done += take;
			}
		}
		off += (uint64_t)n;
		iov_advance(&iov, &niov, (size_t)n);
	}
	free(buf);
	return rc;
}

static int blk_rw(struct virtio_blk *b, struct blk_io *io, bool write)
{
	struct iovec *iov = io->iov;
	unsigned niov = io->niov;
	uint64_t off = io->offset;

	while (niov) {
		ssize_t n = write ? pwritev(b->fd, iov, (int)niov, (off_t)off)
				  : preadv(b->fd, iov, (int)niov, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL && b->direct)
			return blk_bounce(b, iov, niov, off, write);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO; /* the image shrank under us */
		off += (uint64_t)n;
		iov_advance(&iov, &niov, (size_t)n);
	}
	return 0;
}

/* Zeroes by writing, where the file system has no ZERO_RANGE. */
static int blk_write_zeroes_slow(struct virtio_blk *b, uint64_t off, uint64_t len)
{
	void *buf;
	int rc = 0;

	if (posix_memalign(&buf, BLK_DIRECT_ALIGN, BLK_BOUNCE))
		return -ENOMEM;
	memset(buf, 0, BLK_BOUNCE);
	while (len && !rc) {
		size_t chunk = len < BLK_BOUNCE ? len : BLK_BOUNCE;
		ssize_t n = pwrite(b->fd, buf, chunk, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			rc = n < 0 ? -errno : -EIO;
		else {
			off += (uint64_t)n;
			len -= (uint64_t)n;
		}
	}
	free(buf);
	return rc;
}

static uint8_t blk_do(struct virtio_blk *b, struct blk_io *io)
{
	int rc = 0;

	switch (io->type) {
	case VIRTIO_BLK_T_IN:
		rc = blk_rw(b, io, false);
		break;
	case VIRTIO_BLK_T_OUT:
		rc = blk_rw(b, io, true);
		break;
	case VIRTIO_BLK_T_FLUSH:
		atomic_fetch_add(&b->flushes, 1);
		while ((rc = fdatasync(b->fd)) < 0 && errno == EINTR)
			;
		rc = rc < 0 ? -errno : 0;
		break;
	case VIRTIO_BLK_T_DISCARD:
		/* advisory: a file system that cannot punch holes has done its part */
		if (fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)io->offset,
			      (off_t)io->len) < 0 &&
		    errno != EOPNOTSUPP)
			rc = -errno;
		break;
	case VIRTIO_BLK_T_WRITE_ZEROES:
		/* a punched hole reads as zeroes too; ZERO_RANGE keeps the blocks allocated */
		if (fallocate(b->fd,
			      (io->unmap ? FALLOC_FL_PUNCH_HOLE : FALLOC_FL_ZERO_RANGE) |
				  FALLOC_FL_KEEP_SIZE,
			      (off_t)io->offset, (off_t)io->len) < 0) {
			rc = -errno;
			if (rc == -EOPNOTSUPP || rc == -EINVAL)
				rc = blk_write_zeroes_slow(b, io->offset, io->len);
		}
		break;
	}
	return rc ? VIRTIO_BLK_S_IOERR : VIRTIO_BLK_S_OK;
}

static void *blk_worker(void *arg)
{
	struct virtio_blk *b = arg;

	pthread_mutex_lock(&b->plock);
	for (;;) {
		struct blk_io *io;
		uint64_t one = 1;

		while (!b->todo && !b->stop)
			pthread_cond_wait(&b->work, &b->plock);
		if (b->stop)
			break;
		io = b->todo;
		b->todo = io->next;
		if (!b->todo)
			b->todo_tail = &b->todo;
		b->busy++;
		pthread_mutex_unlock(&b->plock);

		io->result = blk_do(b, io);

		pthread_mutex_lock(&b->plock);
		io->next = b->done;
		b->done = io;
		b->busy--;
		if (!b->busy)
			pthread_cond_broadcast(&b->idle);
		(void)!write(b->vdev.host_fd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&b->plock);
	return NULL;
}

/* ---- requests (device thread, device lock held) ---- */

/* The bytes [off, off + len) of iov[0..n) as iovecs into out (at most n + 1 of them). */
static unsigned iov_slice(const struct iovec *iov, unsigned n, uint64_t off, uint64_t len,
			  struct iovec *out)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n && len; i++) {
		uint64_t l = iov[i].iov_len;

		if (off >= l) {
			off -= l;
			continue;
		}
		l -= off;
		if (l > len)
			l = len;
		out[k++] = (struct iovec){(char *)iov[i].iov_base + off, (size_t)l};
		len -= l;
		off = 0;
	}
	return k;
}

/* Is [sector, sector + bytes / 512) inside the image, bytes whole sectors? */
static bool blk_range_ok(const struct virtio_blk *b, uint64_t sector, uint64_t bytes)
{
	return bytes % VIRTIO_BLK_SECTOR == 0 && sector <= b->sectors &&
	       bytes / VIRTIO_BLK_SECTOR <= b->sectors - sector;
}

/* Decodes one request into io (allocated here) or answers it at once: returns the status to
 * push now, or -1 when io went to the pool. *written is the used length for an immediate
 * answer. */
static int blk_decode(struct virtio_blk *b, const struct virtq_req *req, uint8_t *status,
		      struct blk_io **out, uint32_t *written)
{
	uint8_t hdr[BLK_HDR_SIZE];
	uint32_t type;
	uint64_t sector, data_len;
	struct blk_io *io;

	*out = NULL;
	*written = 1;
	if (req->rd_len < BLK_HDR_SIZE ||
	    virtq_req_copy_from(req, 0, hdr, sizeof(hdr)) != sizeof(hdr))
		return VIRTIO_BLK_S_IOERR;
	type = (uint32_t)vmm_load_le(hdr, 4);
	sector = vmm_load_le(hdr + 8, 8);

	switch (type) {
	case VIRTIO_BLK_T_IN:
		/* data: every writable byte but the status; nothing readable besides the header */
		data_len = req->wr_len - 1;
		if (req->rd_len != BLK_HDR_SIZE || !blk_range_ok(b, sector, data_len))
			return VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_OUT:
		/* data: every readable byte after the header; only the status writable */
		data_len = req->rd_len - BLK_HDR_SIZE;
		if (b->ro || req->wr_len != 1 || !blk_range_ok(b, sector, data_len))
			return VIRTIO_BLK_S_IOERR;
		break;
	case VIRTIO_BLK_T_FLUSH:
		data_len = 0;
		if (b->ro)
			return VIRTIO_BLK_S_OK; /* nothing was written */
		break;
	case VIRTIO_BLK_T_GET_ID: {
		size_t n = req->wr_len - 1 < VIRTIO_BLK_SERIAL_MAX ? req->wr_len - 1
								   : VIRTIO_BLK_SERIAL_MAX;

		if (req->rd_len != BLK_HDR_SIZE)
			return VIRTIO_BLK_S_IOERR;
		virtq_req_copy_to(req, 0, b->serial, n);
		*written = (uint32_t)n + 1;
		return VIRTIO_BLK_S_OK;
	}
	case VIRTIO_BLK_T_DISCARD:
	case VIRTIO_BLK_T_WRITE_ZEROES: {
		/* one segment (we say max_*_seg = 1): le64 sector, le32 sectors, le32 flags */
		uint8_t seg[16];
		uint32_t num, flags;

		if (b->ro || req->rd_len != BLK_HDR_SIZE + sizeof(seg) || req->wr_len != 1 ||
		    virtq_req_copy_from(req, BLK_HDR_SIZE, seg, sizeof(seg)) != sizeof(seg))
			return VIRTIO_BLK_S_IOERR;
		sector = vmm_load_le(seg, 8);
		num = (uint32_t)vmm_load_le(seg + 8, 4);
		flags = (uint32_t)vmm_load_le(seg + 12, 4);
		if (flags & ~1u || (type == VIRTIO_BLK_T_DISCARD && flags))
			return VIRTIO_BLK_S_UNSUPP;
		if (num > VIRTIO_BLK_MAX_IO ||
		    !blk_range_ok(b, sector, (uint64_t)num * VIRTIO_BLK_SECTOR))
			return VIRTIO_BLK_S_IOERR;
		if (!num)
			return VIRTIO_BLK_S_OK;
		io = calloc(1, sizeof(*io));
		if (!io)
			return VIRTIO_BLK_S_IOERR;
		io->unmap = flags & 1;
		io->len = (uint64_t)num * VIRTIO_BLK_SECTOR;
		goto queued;
	}
	default:
		return VIRTIO_BLK_S_UNSUPP;
	}

	io = calloc(1, sizeof(*io) + (req->nr_rd + req->nr_wr + 1) * sizeof(struct iovec));
	if (!io)
		return VIRTIO_BLK_S_IOERR;
	io->len = data_len;
	if (type == VIRTIO_BLK_T_IN) {
		io->niov = iov_slice(req->iov + req->nr_rd, req->nr_wr, 0, data_len, io->iov);
		io->written = (uint32_t)data_len + 1; /* at most 4 GiB * segments: see below */
	} else if (type == VIRTIO_BLK_T_OUT) {
		io->niov = iov_slice(req->iov, req->nr_rd, BLK_HDR_SIZE, data_len, io->iov);
	}
	if (data_len > UINT32_MAX - 1) { /* a used length cannot say more */
		free(io);
		return VIRTIO_BLK_S_IOERR;
	}
queued:
	io->type = type;
	io->head = req->head;
	io->offset = sector * VIRTIO_BLK_SECTOR;
	io->status = status;
	if (!io->written)
		io->written = 1;
	*out = io;
	return -1;
}

/* The request's status byte: the last writable byte (NULL if it has none). */
static uint8_t *blk_status_byte(const struct virtq_req *req)
{
	const struct iovec *last;

	if (!req->nr_wr)
		return NULL;
	last = &req->iov[req->nr_rd + req->nr_wr - 1];
	return (uint8_t *)last->iov_base + last->iov_len - 1;
}

/* A read or write the page cache can take without waiting (RWF_NOWAIT: no disk I/O, no
 * lock to sleep on) is done at once on the device thread: a thread switch there and back
 * saved, and nothing that could stall. Anything else (a miss, a short transfer, cache=none,
 * a flush) goes to the I/O threads, which redo it whole. */
static bool blk_try_now(struct virtio_blk *b, struct blk_io *io)
{
	ssize_t n;

	if (b->direct || !io->len || io->niov > IOV_MAX)
		return false;
	if (io->type == VIRTIO_BLK_T_IN)
		n = preadv2(b->fd, io->iov, (int)io->niov, (off_t)io->offset, RWF_NOWAIT);
	else if (io->type == VIRTIO_BLK_T_OUT)
		n = pwritev2(b->fd, io->iov, (int)io->niov, (off_t)io->offset, RWF_NOWAIT);
	else
		return false;
	return n >= 0 && (uint64_t)n == io->len;
}

static int blk_queue_notify(struct virtio_dev *d, unsigned q)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);
	int rc;

	while ((rc = virtq_pop(&d->vq[q], &b->req)) > 0) {
		const struct virtq_req *req = &b->req;
		uint8_t *status = blk_status_byte(req);
		struct blk_io *io;
		uint32_t written;
		int st;

		if (!status) { /* nowhere to answer: drop it */
			atomic_fetch_add(&b->errors, 1);
			virtq_push(&d->vq[q], req->head, 0);
			virtio_dev_count(d, 0);
			continue;
		}
		st = blk_decode(b, req, status, &io, &written);
		if (st >= 0) {
			if (st != VIRTIO_BLK_S_OK)
				atomic_fetch_add(&b->errors, 1);
			*status = (uint8_t)st;
			virtq_push(&d->vq[q], req->head, st == VIRTIO_BLK_S_OK ? written : 1);
			virtio_dev_count(d, 0);
			continue;
		}
		if (blk_try_now(b, io)) {
			*status = VIRTIO_BLK_S_OK;
			virtq_push(&d->vq[q], io->head, io->written);
			virtio_dev_count(d, io->len);
			free(io);
			continue;
		}
		pthread_mutex_lock(&b->plock);
		*b->todo_tail = io;
		b->todo_tail = &io->next;
		pthread_cond_signal(&b->work);
		pthread_mutex_unlock(&b->plock);
	}
	return rc;
}

/* Completions: push what the workers finished. */
static int blk_host_event(struct virtio_dev *d)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);
	struct blk_io *io, *next;
	uint64_t v;

	(void)!read(d->host_fd, &v, sizeof(v));
	pthread_mutex_lock(&b->plock);
	io = b->done;
	b->done = NULL;
	pthread_mutex_unlock(&b->plock);
	for (; io; io = next) {
		bool ok = io->result == VIRTIO_BLK_S_OK;

		next = io->next;
		*io->status = io->result;
		if (!ok)
			atomic_fetch_add(&b->errors, 1);
		if (!d->vq[0].broken)
			virtq_push(&d->vq[0], io->head, ok ? io->written : 1);
		virtio_dev_count(
		    d, ok && (io->type == VIRTIO_BLK_T_IN || io->type == VIRTIO_BLK_T_OUT) ? io->len
											   : 0);
		free(io);
	}
	return 0;
}

static void blk_free_list(struct blk_io *io)
{
	while (io) {
		struct blk_io *next = io->next;

		free(io);
		io = next;
	}
}

/* Drops what no worker took, waits for what they hold, forgets what they finished. */
static void blk_reset(struct virtio_dev *d)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);
	uint64_t v;

	pthread_mutex_lock(&b->plock);
	blk_free_list(b->todo);
	b->todo = NULL;
	b->todo_tail = &b->todo;
	while (b->busy)
		pthread_cond_wait(&b->idle, &b->plock);
	blk_free_list(b->done);
	b->done = NULL;
	pthread_mutex_unlock(&b->plock);
	(void)!read(d->host_fd, &v, sizeof(v));
}

static uint64_t blk_config_read(struct virtio_dev *d, uint32_t offset, unsigned size)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);

	if (offset >= BLK_CONFIG_SIZE || size > BLK_CONFIG_SIZE - offset)
		return 0;
	return vmm_load_le(b->config + offset, size);
}

static void blk_stats(struct virtio_dev *d, FILE *out)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);

	fprintf(out, "  %-14s %10" PRIu64 " flushes %10" PRIu64 " errors\n", "",
		(uint64_t)atomic_load(&b->flushes), (uint64_t)atomic_load(&b->errors));
}

static void blk_destroy(struct virtio_dev *d)
{
	struct virtio_blk *b = vmm_container_of(d, struct virtio_blk, vdev);

	pthread_mutex_lock(&b->plock);
	b->stop = true;
	pthread_cond_broadcast(&b->work);
	pthread_mutex_unlock(&b->plock);
	for (unsigned i = 0; i < b->nr_workers; i++)
		pthread_join(b->worker[i], NULL);
	blk_free_list(b->todo);
	blk_free_list(b->done);
	pthread_mutex_destroy(&b->plock);
	pthread_cond_destroy(&b->work);
	pthread_cond_destroy(&b->idle);
	if (d->host_fd >= 0)
		close(d->host_fd);
	if (b->fd >= 0)
		close(b->fd); /* releases the OFD lock */
	free(b);
}

static const struct virtio_device_ops virtio_blk_ops_rw = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_max = BLK_QUEUE_MAX,
    .features = VIRTIO_FEATURE(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_FEATURE(VIRTIO_BLK_F_BLK_SIZE) |
		VIRTIO_FEATURE(VIRTIO_BLK_F_FLUSH) | VIRTIO_FEATURE(VIRTIO_BLK_F_DISCARD) |
		VIRTIO_FEATURE(VIRTIO_BLK_F_WRITE_ZEROES),
    .config_size = BLK_CONFIG_SIZE,
    .config_read = blk_config_read,
    .queue_notify = blk_queue_notify,
    .host_event = blk_host_event,
    .reset = blk_reset,
    .stats = blk_stats,
    .destroy = blk_destroy,
};

static const struct virtio_device_ops virtio_blk_ops_ro = {
    .name = "virtio-blk",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_max = BLK_QUEUE_MAX,
    .features = VIRTIO_FEATURE(VIRTIO_BLK_F_SEG_MAX) | VIRTIO_FEATURE(VIRTIO_BLK_F_BLK_SIZE) |
		VIRTIO_FEATURE(VIRTIO_BLK_F_FLUSH) | VIRTIO_FEATURE(VIRTIO_BLK_F_RO),
    .config_size = BLK_CONFIG_SIZE,
    .config_read = blk_config_read,
    .queue_notify = blk_queue_notify,
    .host_event = blk_host_event,
    .reset = blk_reset,
    .stats = blk_stats,
    .destroy = blk_destroy,
};

/* The config space (5.2.4), fixed for the device's life. */
static void blk_fill_config(struct virtio_blk *b)
{
	uint8_t *c = b->config;

	vmm_store_le(c + 0, 8, b->sectors);	     /* capacity */
	vmm_store_le(c + 12, 4, VIRTIO_BLK_SEG_MAX); /* seg_max */
	vmm_store_le(c + 20, 4, VIRTIO_BLK_SECTOR);  /* blk_size */
	vmm_store_le(c + 36, 4, VIRTIO_BLK_MAX_IO);  /* max_discard_sectors */
	vmm_store_le(c + 40, 4, 1);		     /* max_discard_seg */
	vmm_store_le(c + 44, 4, 8);		     /* discard_sector_alignment: 4 KiB */
	vmm_store_le(c + 48, 4, VIRTIO_BLK_MAX_IO);  /* max_write_zeroes_sectors */
	vmm_store_le(c + 52, 4, 1);		     /* max_write_zeroes_seg */
	c[56] = 1;				     /* write_zeroes_may_unmap */
}

/* Opens path as asked, checks what it is, locks it and measures it. */
static int blk_open(struct virtio_blk *b, const struct virtio_blk_opts *o, struct vmm_err *err)
{
	struct flock lk = {.l_type = o->ro ? F_RDLCK : F_WRLCK, .l_whence = SEEK_SET};
	struct stat st;
	int flags = (o->ro ? O_RDONLY : O_RDWR) | O_CLOEXEC | (o->direct ? O_DIRECT : 0);

	b->fd = open(o->path, flags);
	if (b->fd < 0 && errno == EINVAL && o->direct)
		return vmm_err_set(
		    err, -EINVAL,
		    "--disk %s: the file system refuses O_DIRECT (cache=none); use cache=writeback",
		    o->path);
	if (b->fd < 0 && errno == EISDIR)
		return vmm_err_set(err, -EISDIR, "--disk %s: is a directory", o->path);
	if (b->fd < 0)
		return vmm_err_set(err, -errno, "--disk %s: cannot open %s: %s", o->path,
				   o->ro ? "read-only" : "read-write", strerror(errno));
	if (fstat(b->fd, &st) < 0)
		return vmm_err_set(err, -errno, "--disk %s: %s", o->path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return vmm_err_set(err, -EISDIR, "--disk %s: is a directory", o->path);
	if (S_ISREG(st.st_mode)) {
		b->sectors = (uint64_t)st.st_size / VIRTIO_BLK_SECTOR;
	} else if (S_ISBLK(st.st_mode)) {
		uint64_t bytes;

		if (ioctl(b->fd, BLKGETSIZE64, &bytes) < 0)
			return vmm_err_set(err, -errno, "--disk %s: cannot get its size: %s",
					   o->path, strerror(errno));
		b->sectors = bytes / VIRTIO_BLK_SECTOR;
	} else {
		return vmm_err_set(err, -EINVAL, "--disk %s: not a regular file or block device",
				   o->path);
	}
	if (fcntl(b->fd, F_OFD_SETLK, &lk) < 0) {
		if (errno == EAGAIN || errno == EACCES)
			return vmm_err_set(
			    err, -EBUSY,
			    "--disk %s: locked by another process (is another softkvm using it?)",
			    o->path);
		return vmm_err_set(err, -errno, "--disk %s: cannot lock it: %s", o->path,
				   strerror(errno));
	}
	if (o->direct && b->sectors) {
		/* some file systems open O_DIRECT and refuse it at the first read */
		void *buf;
		ssize_t n;

		if (posix_memalign(&buf, BLK_DIRECT_ALIGN, BLK_DIRECT_ALIGN))
			return vmm_err_set(err, -ENOMEM, "--disk %s: out of memory", o->path);
		n = pread(b->fd, buf,
			  b->sectors * VIRTIO_BLK_SECTOR < BLK_DIRECT_ALIGN ? VIRTIO_BLK_SECTOR
									    : BLK_DIRECT_ALIGN,
			  0);
		free(buf);
		if (n < 0)
			return vmm_err_set(
			    err, -errno, "--disk %s: O_DIRECT reads fail (%s); use cache=writeback",
			    o->path, strerror(errno));
	}
	return 0;
}

int virtio_blk_create(const struct virtio_blk_opts *o, struct virtio_dev **out, struct vmm_err *err)
{
	struct virtio_blk *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b)
		return vmm_err_set(err, -ENOMEM, "--disk %s: out of memory", o->path);
	virtio_dev_init(&b->vdev, o->ro ? &virtio_blk_ops_ro : &virtio_blk_ops_rw);
	b->fd = -1;
	b->ro = o->ro;
	b->direct = o->direct;
	memcpy(b->serial, o->serial, strnlen(o->serial, VIRTIO_BLK_SERIAL_MAX));
	pthread_mutex_init(&b->plock, NULL);
	pthread_cond_init(&b->work, NULL);
	pthread_cond_init(&b->idle, NULL);
	b->todo_tail = &b->todo;
	rc = blk_open(b, o, err);
	if (!rc) {
		b->vdev.host_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (b->vdev.host_fd < 0)
			rc = vmm_err_set(err, -errno, "--disk %s: eventfd: %s", o->path,
					 strerror(errno));
	}
	for (unsigned i = 0; !rc && i < BLK_WORKERS; i++) {
		rc = -pthread_create(&b->worker[i], NULL, blk_worker, b);
		if (rc)
			rc = vmm_err_set(err, rc, "--disk %s: cannot start its I/O threads: %s",
					 o->path, strerror(-rc));
		else
			b->nr_workers++;
	}
	if (rc) {
		blk_destroy(&b->vdev);
		return rc;
	}
	blk_fill_config(b);
	*out = &b->vdev;
	return 0;
}
