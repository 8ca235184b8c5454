/* SPDX-License-Identifier: MIT */
/* The 9p server's fid table: what each fid the client holds names on the host. A fid keeps
 * an O_PATH descriptor of its file (never a path: a rename elsewhere cannot redirect it) and,
 * once opened (Tlopen, Tlcreate), a descriptor for its I/O. The client picks the numbers;
 * the table bounds how many it may hold (P9_MAX_FIDS), so a guest cannot exhaust the host's
 * descriptors or memory. One thread uses a table (the device's). */
#ifndef VMM_VIRTIO_P9_FID_H
#define VMM_VIRTIO_P9_FID_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

#define P9_MAX_FIDS    4096u
#define P9_FID_BUCKETS 256u

struct p9_fid {
	uint32_t fid;
	int path_fd; /* O_PATH (O_NOFOLLOW: a symlink is the link itself) */
	int io_fd;   /* opened for I/O, or -1 */
	bool is_dir; /* path_fd is a directory */
	struct p9_fid *next;
};

struct p9_fid_table {
	struct p9_fid *bucket[P9_FID_BUCKETS];
	unsigned count;
};

/* The fid, or NULL. */
struct p9_fid *p9_fid_find(struct p9_fid_table *t, uint32_t fid);
/* A new fid owning path_fd (closed on failure too): 0, -EEXIST (in use; also P9_NOFID),
 * -ENFILE (table full), -ENOMEM. */
VMM_MUST_CHECK int p9_fid_add(struct p9_fid_table *t, uint32_t fid, int path_fd, bool is_dir,
			      struct p9_fid **out);
/* Closes and forgets the fid (no-op if absent). */
void p9_fid_del(struct p9_fid_table *t, uint32_t fid);
/* Forgets every fid (a reset, a new Tversion). */
void p9_fid_clear(struct p9_fid_table *t);

#endif
