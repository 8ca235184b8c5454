// SPDX-License-Identifier: MIT
/* The 9p fid table (see p9_fid.h). */
#include "virtio/p9_fid.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "virtio/p9_wire.h"

static struct p9_fid **p9_fid_slot(struct p9_fid_table *t, uint32_t fid)
{
	struct p9_fid **pp = &t->bucket[fid % P9_FID_BUCKETS];

	while (*pp && (*pp)->fid != fid)
		pp = &(*pp)->next;
	return pp;
}

struct p9_fid *p9_fid_find(struct p9_fid_table *t, uint32_t fid)
{
	return *p9_fid_slot(t, fid);
}

int p9_fid_add(struct p9_fid_table *t, uint32_t fid, int path_fd, bool is_dir, struct p9_fid **out)
{
	struct p9_fid **pp = p9_fid_slot(t, fid), *f;

	*out = NULL;
	if (*pp || fid == P9_NOFID) {
		close(path_fd);
		return -EEXIST;
	}
	if (t->count >= P9_MAX_FIDS) {
		close(path_fd);
		return -ENFILE;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(path_fd);
		return -ENOMEM;
	}
	*f = (struct p9_fid){.fid = fid, .path_fd = path_fd, .io_fd = -1, .is_dir = is_dir};
	*pp = f;
	t->count++;
	*out = f;
	return 0;
}

static void p9_fid_free(struct p9_fid *f)
{
	close(f->path_fd);
	if (f->io_fd >= 0)
		close(f->io_fd);
	free(f);
}

void p9_fid_del(struct p9_fid_table *t, uint32_t fid)
{
	struct p9_fid **pp = p9_fid_slot(t, fid), *f = *pp;

	if (!f)
		return;
	*pp = f->next;
	t->count--;
	p9_fid_free(f);
}

void p9_fid_clear(struct p9_fid_table *t)
{
	for (unsigned i = 0; i < P9_FID_BUCKETS; i++) {
		while (t->bucket[i]) {
			struct p9_fid *f = t->bucket[i];

			t->bucket[i] = f->next;
			p9_fid_free(f);
		}
	}
	t->count = 0;
}
