// SPDX-License-Identifier: MIT
/* The 9P2000.L server (see p9_server.h). Each handler decodes its whole request first, checks
 * the decoder (a short or garbled message changes nothing on the host), then acts; it returns
 * 0 with its reply body written, or a negative errno that becomes Rlerror. */
#define _GNU_SOURCE
#include "virtio/p9_server.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "virtio/p9_wire.h"

/* Linux's 9P2000.L open flags (P9_DOTL_*): the generic Linux values, whatever the guest's
 * architecture uses for its own O_* (v9fs translates). */
#define P9_DOTL_ACCMODE	     03u
#define P9_DOTL_CREATE	     0100u
#define P9_DOTL_EXCL	     0200u
#define P9_DOTL_TRUNC	     01000u
#define P9_DOTL_APPEND	     02000u
#define P9_DOTL_DSYNC	     010000u
#define P9_DOTL_SYNC	     04000000u
#define P9_DOTL_AT_REMOVEDIR 0x200u

/* Tsetattr's valid bits. */
#define P9_ATTR_MODE	  0x001u
#define P9_ATTR_UID	  0x002u
#define P9_ATTR_GID	  0x004u
#define P9_ATTR_SIZE	  0x008u
#define P9_ATTR_ATIME	  0x010u
#define P9_ATTR_MTIME	  0x020u
#define P9_ATTR_ATIME_SET 0x080u
#define P9_ATTR_MTIME_SET 0x100u

/* The mode bits a client may set: never set-user-ID or set-group-ID (a guest must not plant
 * a setuid program on the host, which matters when softkvm runs as root). */
#define P9_MODE_MASK 01777u

#define P9_GETATTR_BASIC 0x7ffull
#define P9_IOHDR	 11u /* size type tag count: what precedes Rread's data */
#define P9_MSIZE_MIN	 4096u

/* A name the client sent for one directory entry, NUL-terminated. */
struct p9_name {
	char s[NAME_MAX + 1];
};

/* One path component: not empty, no '/', no NUL; "." and ".." only if dots (Twalk). */
static int p9_check_name(struct p9_str n, struct p9_name *out, bool dots)
{
	if (n.len == 0 || n.len > NAME_MAX || memchr(n.s, '/', n.len) || memchr(n.s, 0, n.len))
		return -EINVAL;
	memcpy(out->s, n.s, n.len);
	out->s[n.len] = 0;
	if (!dots && (!strcmp(out->s, ".") || !strcmp(out->s, "..")))
		return -EINVAL;
	return 0;
}

/* The O_PATH descriptor of name in dir, never following a symlink nor leaving dir. */
static int p9_lookup(int dir_fd, const char *name)
{
	struct open_how how = {
	    .flags = O_PATH | O_NOFOLLOW | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, dir_fd, name, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

static int p9_dup(int fd)
{
	int r = fcntl(fd, F_DUPFD_CLOEXEC, 0);

	return r < 0 ? -errno : r;
}

static int p9_stat(int fd, struct stat *st)
{
	return fstatat(fd, "", st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

static bool p9_same(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* /proc/self/fd/N: reopens our own O_PATH descriptor (never a path the guest chose). */
static void p9_proc_path(int fd, char buf[32])
{
	snprintf(buf, 32, "/proc/self/fd/%d", fd);
}

static struct p9_qid p9_qid_of(const struct stat *st)
{
	struct p9_qid q = {.type = P9_QTFILE, .path = st->st_ino};

	if (S_ISDIR(st->st_mode))
		q.type = P9_QTDIR;
	else if (S_ISLNK(st->st_mode))
		q.type = P9_QTSYMLINK;
	return q;
}

static int p9_put_qid_of(struct p9_buf *out, int fd)
{
	struct stat st;
	int rc = p9_stat(fd, &st);
	struct p9_qid q;

	if (rc)
		return rc;
	q = p9_qid_of(&st);
	p9_put_qid(out, &q);
	return 0;
}

/* The qid of entry name of dir (one just made: mkdir, symlink), looked up beneath dir. */
static int p9_put_qid_of_name(struct p9_buf *out, int dir, const char *name)
{
	int fd = p9_lookup(dir, name), rc;

	if (fd < 0)
		return fd;
	rc = p9_put_qid_of(out, fd);
	close(fd);
	return rc;
}

static struct p9_fid *p9_fid_get(struct p9_server *s, uint32_t fid)
{
	return p9_fid_find(&s->fids, fid);
}

/* The fid's directory descriptor for an operation on one of its entries. */
static int p9_dir_of(struct p9_server *s, uint32_t fid, int *dir_fd)
{
	struct p9_fid *f = p9_fid_get(s, fid);

	if (!f)
		return -EBADF;
	if (!f->is_dir)
		return -ENOTDIR;
	*dir_fd = f->path_fd;
	return 0;
}

/* The directory fid's descriptor and the checked name of one of its entries: what every
 * request that creates, links, renames or removes an entry starts with. */
static int p9_entry_of(struct p9_server *s, uint32_t dfid, struct p9_str n, int *dir_fd,
		       struct p9_name *name)
{
	int rc = p9_dir_of(s, dfid, dir_fd);

	return rc ? rc : p9_check_name(n, name, false);
}

/* Is fd the shared directory or below it? Walks up by ".." until the root (yes) or the host's
 * filesystem root (no): a directory a host process moved out of the share is outside. */
static bool p9_beneath_root(struct p9_server *s, int fd)
{
	struct stat root, st, up;
	int cur = p9_dup(fd);
	bool ok = false;

	if (cur < 0 || p9_stat(s->root_fd, &root))
		goto out;
	for (unsigned depth = 0; depth < 4096; depth++) {
		int parent;

		if (p9_stat(cur, &st))
			break;
		if (p9_same(&st, &root)) {
			ok = true;
			break;
		}
		parent = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (parent < 0 || p9_stat(parent, &up) || p9_same(&up, &st)) {
			if (parent >= 0)
				close(parent);
			break;
		}
		close(cur);
		cur = parent;
	}
out:
	if (cur >= 0)
		close(cur);
	return ok;
}

/* One Twalk step from directory dir_fd: a new O_PATH descriptor. */
static int p9_walk_one(struct p9_server *s, int dir_fd, const char *name)
{
	struct stat st, root;
	int fd;

	if (!strcmp(name, "."))
		return p9_dup(dir_fd);
	if (strcmp(name, ".."))
		return p9_lookup(dir_fd, name);
	if (p9_stat(dir_fd, &st) || p9_stat(s->root_fd, &root))
		return -EIO;
	if (p9_same(&st, &root))
		return p9_dup(s->root_fd); /* ".." of the root is the root */
	fd = openat(dir_fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (!p9_beneath_root(s, fd)) {
		close(fd);
		return -EACCES;
	}
	return fd;
}

/* ---- the messages ---- */

static int p9_version(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t msize = p9_get32(in);
	struct p9_str v = p9_get_str(in);
	bool known = v.len == strlen(P9_VERSION) && !memcmp(v.s, P9_VERSION, v.len);

	if (in->bad || msize < P9_MSIZE_MIN)
		return -EINVAL;
	p9_fid_clear(&s->fids); /* a new session */
	s->msize = msize < P9_MSIZE_MAX ? msize : P9_MSIZE_MAX;
	p9_put32(out, s->msize);
	if (known)
		p9_put_str(out, P9_VERSION, strlen(P9_VERSION));
	else
		p9_put_str(out, "unknown", 7);
	return 0;
}

static int p9_attach(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fid = p9_get32(in);
	struct p9_fid *f;
	int fd, rc;

	(void)p9_get32(in);   /* afid: no authentication */
	(void)p9_get_str(in); /* uname */
	(void)p9_get_str(in); /* aname: there is one tree */
	(void)p9_get32(in);   /* n_uname */
	if (in->bad)
		return -EINVAL;
	if (p9_fid_get(s, fid))
		return -EEXIST;
	fd = p9_dup(s->root_fd);
	if (fd < 0)
		return fd;
	rc = p9_fid_add(&s->fids, fid, fd, true, &f);
	return rc ? rc : p9_put_qid_of(out, f->path_fd);
}

static int p9_walk(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in), newfidno = p9_get32(in);
	uint16_t nw = p9_get16(in);
	struct p9_str names[P9_MAXWELEM];
	struct p9_qid qids[P9_MAXWELEM];
	struct p9_fid *f = p9_fid_get(s, fidno), *nf;
	unsigned i;
	bool is_dir;
	int cur, rc = 0;

	for (i = 0; i < nw && i < P9_MAXWELEM; i++)
		names[i] = p9_get_str(in);
	if (in->bad || nw > P9_MAXWELEM)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (newfidno != fidno && p9_fid_get(s, newfidno))
		return -EEXIST;
	if (nw == 0 && newfidno == fidno) {
		p9_put16(out, 0); /* a fid walked to itself: nothing changes (it may be open) */
		return 0;
	}
	cur = p9_dup(f->path_fd);
	if (cur < 0)
		return cur;
	is_dir = f->is_dir;
	for (i = 0; i < nw; i++) {
		struct p9_name name;
		struct stat st;
		int next;

		rc = p9_check_name(names[i], &name, true);
		if (!rc && !is_dir)
			rc = -ENOTDIR;
		next = rc ? rc : p9_walk_one(s, cur, name.s);
		if (next < 0) {
			rc = next;
			break;
		}
		close(cur);
		cur = next;
		rc = p9_stat(cur, &st);
		if (rc)
			break;
		qids[i] = p9_qid_of(&st);
		is_dir = S_ISDIR(st.st_mode);
	}
	if (i < nw) {
		close(cur);
		if (i == 0)
			return rc;
	} else if (newfidno == fidno) {
		close(f->path_fd);
		if (f->io_fd >= 0)
			close(f->io_fd);
		f->path_fd = cur;
		f->io_fd = -1;
		f->is_dir = is_dir;
	} else {
		rc = p9_fid_add(&s->fids, newfidno, cur, is_dir, &nf);
		if (rc)
			return rc;
	}
	p9_put16(out, (uint16_t)i);
	for (unsigned k = 0; k < i; k++)
		p9_put_qid(out, &qids[k]);
	return 0;
}

/* The host open flags for a client's Tlopen/Tlcreate flags (what is honoured). */
static int p9_open_flags(uint32_t fl)
{
	int h = (int)(fl & P9_DOTL_ACCMODE);

	if (fl & P9_DOTL_TRUNC)
		h |= O_TRUNC;
	if (fl & P9_DOTL_APPEND)
		h |= O_APPEND;
	if (fl & P9_DOTL_DSYNC)
		h |= O_DSYNC;
	if (fl & P9_DOTL_SYNC)
		h |= O_SYNC;
	return h | O_CLOEXEC | O_NOCTTY;
}

static int p9_lopen(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in), flags = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	char path[32];
	struct stat st;
	struct p9_qid q;
	int acc = (int)(flags & P9_DOTL_ACCMODE), hflags, fd, rc;

	if (in->bad)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (f->io_fd >= 0 || acc == 3)
		return -EINVAL;
	rc = p9_stat(f->path_fd, &st);
	if (rc)
		return rc;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return -EPERM; /* devices, FIFOs, sockets stay closed */
	if (s->ro && (acc != O_RDONLY || (flags & P9_DOTL_TRUNC)))
		return -EROFS;
	hflags = p9_open_flags(flags & ~(uint32_t)(P9_DOTL_CREATE | P9_DOTL_EXCL));
	if (S_ISDIR(st.st_mode)) {
		if (acc != O_RDONLY)
			return -EISDIR;
		hflags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
	}
	p9_proc_path(f->path_fd, path);
	fd = open(path, hflags);
	if (fd < 0)
		return -errno;
	f->io_fd = fd;
	q = p9_qid_of(&st);
	p9_put_qid(out, &q);
	p9_put32(out, 0); /* iounit: msize - 24, the client's default */
	return 0;
}

static int p9_lcreate(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	struct p9_str n = p9_get_str(in);
	uint32_t flags = p9_get32(in), mode = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	struct p9_name name;
	struct open_how how = {.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
	char path[32];
	struct stat st;
	long fd;
	int pfd, rc;

	(void)p9_get32(in); /* gid: files belong to softkvm's user */
	if (in->bad)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (!f->is_dir)
		return -ENOTDIR;
	if (f->io_fd >= 0)
		return -EINVAL;
	rc = p9_check_name(n, &name, false);
	if (rc)
		return rc;
	if (s->ro)
		return -EROFS;
	if ((flags & P9_DOTL_ACCMODE) == 3)
		return -EINVAL;
	/* O_NOFOLLOW: a dangling symlink of that name is not created through; O_NONBLOCK: an
	 * existing FIFO does not block (and is refused below). */
	how.flags = (uint64_t)(p9_open_flags(flags) | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
			       ((flags & P9_DOTL_EXCL) ? O_EXCL : 0));
	how.mode = mode & P9_MODE_MASK;
	fd = syscall(SYS_openat2, f->path_fd, name.s, &how, sizeof(how));
	if (fd < 0)
		return -errno;
	if (fstat((int)fd, &st) || !S_ISREG(st.st_mode)) {
		close((int)fd);
		return -EPERM;
	}
	p9_proc_path((int)fd, path);
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0) {
		rc = -errno;
		close((int)fd);
		return rc;
	}
	close(f->path_fd);
	f->path_fd = pfd;
	f->io_fd = (int)fd;
	f->is_dir = false;
	p9_put_qid(out, &(struct p9_qid){.type = P9_QTFILE, .path = st.st_ino});
	p9_put32(out, 0);
	return 0;
}

static int p9_read(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	uint64_t off = p9_get64(in);
	uint32_t count = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	size_t room = out->len - out->pos - 4;
	uint8_t *data;
	ssize_t n;

	if (in->bad || off > INT64_MAX)
		return -EINVAL;
	if (!f || f->io_fd < 0)
		return -EBADF;
	if (f->is_dir)
		return -EISDIR;
	if (count > room)
		count = (uint32_t)room;
	data = out->p + out->pos + 4;
	do
		n = pread(f->io_fd, data, count, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	p9_put32(out, (uint32_t)n);
	(void)p9_room(out, (size_t)n);
	return 0;
}

static int p9_write(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	uint64_t off = p9_get64(in);
	uint32_t count = p9_get32(in);
	const uint8_t *data = p9_take(in, count);
	struct p9_fid *f = p9_fid_get(s, fidno);
	ssize_t n;

	if (in->bad || off > INT64_MAX)
		return -EINVAL;
	if (!f || f->io_fd < 0)
		return -EBADF;
	if (s->ro)
		return -EROFS;
	do
		n = pwrite(f->io_fd, data, count, (off_t)off);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	p9_put32(out, (uint32_t)n);
	return 0;
}

static int p9_clunk(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fid = p9_get32(in);

	if (in->bad)
		return -EINVAL;
	if (!p9_fid_get(s, fid))
		return -EBADF;
	p9_fid_del(&s->fids, fid);
	return 0;
}

static int p9_getattr(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	struct p9_fid *f;
	struct stat st;
	struct p9_qid q;
	int rc;

	(void)p9_get64(in); /* request_mask: the basic set is always there */
	if (in->bad)
		return -EINVAL;
	f = p9_fid_get(s, fidno);
	if (!f)
		return -EBADF;
	rc = p9_stat(f->path_fd, &st);
	if (rc)
		return rc;
	q = p9_qid_of(&st);
	p9_put64(out, P9_GETATTR_BASIC);
	p9_put_qid(out, &q);
	p9_put32(out, st.st_mode);
	p9_put32(out, st.st_uid);
	p9_put32(out, st.st_gid);
	p9_put64(out, st.st_nlink);
	p9_put64(out, st.st_rdev);
	p9_put64(out, (uint64_t)st.st_size);
	p9_put64(out, (uint64_t)st.st_blksize);
	p9_put64(out, (uint64_t)st.st_blocks);
	p9_put64(out, (uint64_t)st.st_atim.tv_sec);
	p9_put64(out, (uint64_t)st.st_atim.tv_nsec);
	p9_put64(out, (uint64_t)st.st_mtim.tv_sec);
	p9_put64(out, (uint64_t)st.st_mtim.tv_nsec);
	p9_put64(out, (uint64_t)st.st_ctim.tv_sec);
	p9_put64(out, (uint64_t)st.st_ctim.tv_nsec);
	for (int i = 0; i < 4; i++)
		p9_put64(out, 0); /* btime, gen, data_version: not given */
	return 0;
}

static int p9_setattr(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in), valid = p9_get32(in), mode = p9_get32(in);
	uint32_t uid = p9_get32(in), gid = p9_get32(in);
	uint64_t size = p9_get64(in);
	struct timespec ts[2];
	struct p9_fid *f;
	char path[32];
	struct stat st;
	int rc;

	ts[0].tv_sec = (time_t)p9_get64(in);
	ts[0].tv_nsec = (long)p9_get64(in);
	ts[1].tv_sec = (time_t)p9_get64(in);
	ts[1].tv_nsec = (long)p9_get64(in);
	if (in->bad || size > INT64_MAX)
		return -EINVAL;
	f = p9_fid_get(s, fidno);
	if (!f)
		return -EBADF;
	if (s->ro)
		return -EROFS;
	rc = p9_stat(f->path_fd, &st);
	if (rc)
		return rc;
	p9_proc_path(f->path_fd, path);
	if ((valid & (P9_ATTR_MODE | P9_ATTR_SIZE)) && S_ISLNK(st.st_mode))
		return -ELOOP; /* the /proc path would reach the link's target */
	if ((valid & P9_ATTR_MODE) && chmod(path, mode & P9_MODE_MASK))
		return -errno;
	if ((valid & (P9_ATTR_UID | P9_ATTR_GID)) &&
	    fchownat(f->path_fd, "", (valid & P9_ATTR_UID) ? uid : (uid_t)-1,
		     (valid & P9_ATTR_GID) ? gid : (gid_t)-1, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -errno;
	if (valid & P9_ATTR_SIZE) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (truncate(path, (off_t)size))
			return -errno;
	}
	if (valid & (P9_ATTR_ATIME | P9_ATTR_MTIME)) {
		if (!(valid & P9_ATTR_ATIME))
			ts[0].tv_nsec = UTIME_OMIT;
		else if (!(valid & P9_ATTR_ATIME_SET))
			ts[0].tv_nsec = UTIME_NOW;
		if (!(valid & P9_ATTR_MTIME))
			ts[1].tv_nsec = UTIME_OMIT;
		else if (!(valid & P9_ATTR_MTIME_SET))
			ts[1].tv_nsec = UTIME_NOW;
		if (utimensat(f->path_fd, "", ts, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
			return -errno;
	}
	return 0;
}

static int p9_readdir(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	uint64_t off = p9_get64(in);
	uint32_t count = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	struct p9_buf ents;
	uint8_t dbuf[16384] __attribute__((aligned(8)));
	bool full = false;

	if (in->bad || off > INT64_MAX)
		return -EINVAL;
	if (!f || f->io_fd < 0)
		return -EBADF;
	if (!f->is_dir)
		return -ENOTDIR;
	if (out->len - out->pos < 4)
		return -EMSGSIZE;
	if (count > out->len - out->pos - 4)
		count = (uint32_t)(out->len - out->pos - 4);
	ents = (struct p9_buf){.p = out->p + out->pos + 4, .len = count};
	if (lseek(f->io_fd, (off_t)off, SEEK_SET) < 0)
		return -errno;
	while (!full) {
		long n = syscall(SYS_getdents64, f->io_fd, dbuf, sizeof(dbuf));

		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		for (long pos = 0; pos < n;) {
			struct dirent64 *d = (struct dirent64 *)(dbuf + pos);
			size_t nlen = strnlen(d->d_name, NAME_MAX);
			struct p9_qid q = {.type = d->d_type == DT_DIR	 ? P9_QTDIR
						   : d->d_type == DT_LNK ? P9_QTSYMLINK
									 : P9_QTFILE,
					   .path = d->d_ino};
			size_t need = P9_QID_SIZE + 8 + 1 + 2 + nlen;

			if (need > ents.len - ents.pos) {
				full = true;
				break;
			}
			p9_put_qid(&ents, &q);
			p9_put64(&ents, (uint64_t)d->d_off);
			p9_put8(&ents, d->d_type);
			p9_put_str(&ents, d->d_name, nlen);
			pos += d->d_reclen;
		}
	}
	p9_put32(out, (uint32_t)ents.pos);
	(void)p9_room(out, ents.pos);
	return 0;
}

static int p9_mkdir(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t dfid = p9_get32(in);
	struct p9_str n = p9_get_str(in);
	uint32_t mode = p9_get32(in);
	struct p9_name name;
	int dir, rc;

	(void)p9_get32(in); /* gid */
	if (in->bad)
		return -EINVAL;
	rc = p9_entry_of(s, dfid, n, &dir, &name);
	if (rc)
		return rc;
	if (s->ro)
		return -EROFS;
	if (mkdirat(dir, name.s, mode & P9_MODE_MASK))
		return -errno;
	return p9_put_qid_of_name(out, dir, name.s);
}

static int p9_unlinkat(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t dfid = p9_get32(in);
	struct p9_str n = p9_get_str(in);
	uint32_t flags = p9_get32(in);
	struct p9_name name;
	int dir, rc;

	if (in->bad)
		return -EINVAL;
	rc = p9_entry_of(s, dfid, n, &dir, &name);
	if (rc)
		return rc;
	if (s->ro)
		return -EROFS;
	if (unlinkat(dir, name.s, (flags & P9_DOTL_AT_REMOVEDIR) ? AT_REMOVEDIR : 0))
		return -errno;
	return 0;
}

static int p9_renameat(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t ofid = p9_get32(in);
	struct p9_str on = p9_get_str(in);
	uint32_t nfid = p9_get32(in);
	struct p9_str nn = p9_get_str(in);
	struct p9_name oname, nname;
	int odir, ndir, rc;

	if (in->bad)
		return -EINVAL;
	rc = p9_entry_of(s, ofid, on, &odir, &oname);
	if (!rc)
		rc = p9_entry_of(s, nfid, nn, &ndir, &nname);
	if (rc)
		return rc;
	if (s->ro)
		return -EROFS;
	return renameat(odir, oname.s, ndir, nname.s) ? -errno : 0;
}

static int p9_symlink(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t dfid = p9_get32(in);
	struct p9_str n = p9_get_str(in), t = p9_get_str(in);
	struct p9_name name;
	char target[PATH_MAX];
	int dir, rc;

	(void)p9_get32(in); /* gid */
	if (in->bad)
		return -EINVAL;
	rc = p9_entry_of(s, dfid, n, &dir, &name);
	if (rc)
		return rc;
	/* Any target is fine: the host never follows it (p9_lookup's O_NOFOLLOW). */
	if (t.len == 0 || t.len >= sizeof(target) || memchr(t.s, 0, t.len))
		return -EINVAL;
	if (s->ro)
		return -EROFS;
	memcpy(target, t.s, t.len);
	target[t.len] = 0;
	if (symlinkat(target, dir, name.s))
		return -errno;
	return p9_put_qid_of_name(out, dir, name.s);
}

static int p9_readlink(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	char target[PATH_MAX];
	ssize_t n;

	if (in->bad)
		return -EINVAL;
	if (!f)
		return -EBADF;
	n = readlinkat(f->path_fd, "", target, sizeof(target));
	if (n < 0)
		return -errno;
	p9_put_str(out, target, (size_t)n);
	return 0;
}

static int p9_link(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t dfid = p9_get32(in), fidno = p9_get32(in);
	struct p9_str n = p9_get_str(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	struct p9_name name;
	char path[32];
	struct stat st;
	int dir, rc;

	if (in->bad)
		return -EINVAL;
	rc = p9_entry_of(s, dfid, n, &dir, &name);
	if (!rc && !f)
		rc = -EBADF;
	if (rc)
		return rc;
	if (s->ro)
		return -EROFS;
	rc = p9_stat(f->path_fd, &st);
	if (rc)
		return rc;
	/* Regular files only: linking through /proc must not reach a symlink's target. */
	if (!S_ISREG(st.st_mode))
		return -EPERM;
	p9_proc_path(f->path_fd, path);
	return linkat(AT_FDCWD, path, dir, name.s, AT_SYMLINK_FOLLOW) ? -errno : 0;
}

static int p9_statfs(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);
	struct statfs sf;

	if (in->bad)
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (fstatfs(f->path_fd, &sf))
		return -errno;
	p9_put32(out, (uint32_t)sf.f_type);
	p9_put32(out, (uint32_t)sf.f_bsize);
	p9_put64(out, sf.f_blocks);
	p9_put64(out, sf.f_bfree);
	p9_put64(out, sf.f_bavail);
	p9_put64(out, sf.f_files);
	p9_put64(out, sf.f_ffree);
	p9_put64(out, (uint64_t)(uint32_t)sf.f_fsid.__val[0] |
			  (uint64_t)(uint32_t)sf.f_fsid.__val[1] << 32);
	p9_put32(out, (uint32_t)sf.f_namelen);
	return 0;
}

static int p9_fsync(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	uint32_t fidno = p9_get32(in);
	struct p9_fid *f = p9_fid_get(s, fidno);

	if (in->bad)
		return -EINVAL;
	if (!f || f->io_fd < 0)
		return -EBADF;
	return fsync(f->io_fd) ? -errno : 0;
}

static int p9_flush(struct p9_server *s, struct p9_buf *in, struct p9_buf *out)
{
	(void)p9_get16(in); /* oldtag: every request is answered before the next is read */
	return in->bad ? -EINVAL : 0;
}

typedef int p9_handler(struct p9_server *s, struct p9_buf *in, struct p9_buf *out);

/* What each request type runs; the rest (Txattrwalk, Tlock, Tmknod, Tauth, the R-types,
 * ...) answer EOPNOTSUPP. */
static p9_handler *const p9_handlers[256] = {
    [P9_TVERSION] = p9_version,	  [P9_TATTACH] = p9_attach,	[P9_TWALK] = p9_walk,
    [P9_TLOPEN] = p9_lopen,	  [P9_TLCREATE] = p9_lcreate,	[P9_TREAD] = p9_read,
    [P9_TWRITE] = p9_write,	  [P9_TCLUNK] = p9_clunk,	[P9_TGETATTR] = p9_getattr,
    [P9_TSETATTR] = p9_setattr,	  [P9_TREADDIR] = p9_readdir,	[P9_TMKDIR] = p9_mkdir,
    [P9_TUNLINKAT] = p9_unlinkat, [P9_TRENAMEAT] = p9_renameat, [P9_TSYMLINK] = p9_symlink,
    [P9_TREADLINK] = p9_readlink, [P9_TLINK] = p9_link,		[P9_TSTATFS] = p9_statfs,
    [P9_TFSYNC] = p9_fsync,	  [P9_TFLUSH] = p9_flush,
};

static size_t p9_finish(struct p9_buf *out, uint8_t type, uint16_t tag)
{
	size_t len = out->pos;

	out->pos = 0;
	out->bad = false;
	p9_put32(out, (uint32_t)len);
	p9_put8(out, type);
	p9_put16(out, tag);
	return len;
}

size_t p9_server_handle(struct p9_server *s, uint8_t *msg, size_t len, uint8_t *rep, size_t cap)
{
	struct p9_buf in = {.p = msg, .len = len};
	struct p9_buf out = {.p = rep, .len = cap < s->msize ? cap : s->msize};
	uint32_t size = p9_get32(&in);
	uint8_t type = p9_get8(&in);
	uint16_t tag = p9_get16(&in);
	p9_handler *h;
	int rc;

	if (in.bad || out.len < P9_HDR_SIZE + 4)
		return 0;
	s->requests++;
	out.pos = P9_HDR_SIZE;
	if (size < P9_HDR_SIZE || size > len) {
		rc = -EMSGSIZE;
	} else {
		in.len = size;
		h = p9_handlers[type];
		rc = h ? h(s, &in, &out) : -EOPNOTSUPP;
		if (!rc && out.bad)
			rc = -EMSGSIZE;
	}
	if (rc >= 0)
		return p9_finish(&out, (uint8_t)(type + 1), tag);
	s->errors++;
	out.pos = P9_HDR_SIZE;
	out.bad = false;
	p9_put32(&out, (uint32_t)-rc);
	return p9_finish(&out, P9_RLERROR, tag);
}

int p9_server_init(struct p9_server *s, const char *dir, bool ro, struct vmm_err *err)
{
	struct stat st;

	*s = (struct p9_server){.root_fd = -1, .ro = ro, .msize = P9_MSIZE_MAX};
	s->root_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (s->root_fd < 0) {
		int e = errno;

		if (e == ENOTDIR || (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)))
			return vmm_err_set(err, -ENOTDIR, "shared directory %s: not a directory",
					   dir);
		return vmm_err_set(err, -e, "shared directory %s: %s", dir, strerror(e));
	}
	return 0;
}

void p9_server_reset(struct p9_server *s)
{
	p9_fid_clear(&s->fids);
	s->msize = P9_MSIZE_MAX;
}

void p9_server_destroy(struct p9_server *s)
{
	p9_fid_clear(&s->fids);
	if (s->root_fd >= 0)
		close(s->root_fd);
	s->root_fd = -1;
}
