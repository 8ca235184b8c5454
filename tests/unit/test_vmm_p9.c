// SPDX-License-Identifier: MIT
/* The 9P2000.L server (vmm/virtio/p9_server.c) driven directly with crafted messages, as a
 * hostile guest would send them: a share directory inside a scratch directory that also holds
 * a canary file and a secret directory. Each test checks what the server answers (a reply
 * type, an errno, bytes) and, at the end, that the canary outside still has its content and
 * nothing was created outside the share. Covered: the normal path (version, attach, walk,
 * lopen, read, write, lcreate, readdir, mkdir, rename, link, unlink, getattr, statfs), ".."
 * and names with '/' in Twalk, symlinks to the outside made on the host and by the client,
 * hard links of a symlink, renames and creates through names that leave the directory,
 * absurd sizes, counts and strings, the fid table's bound, and a read-only share. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../vmm/error.c"
#include "../../vmm/virtio/p9_fid.c"
#include "../../vmm/virtio/p9_server.c"

#define CANARY "CANARY-OUTSIDE-DO-NOT-TOUCH\n"
#define ROOT   1u /* the attached fid */

struct fx {
	char top[64], share[96], path[256];
	struct p9_server s;
	uint8_t msg[P9_MSIZE_MAX + 64];
	uint8_t rep[P9_MSIZE_MAX];
	size_t rlen;
	struct p9_buf r; /* the reply's body, for reading */
	uint16_t tag;
};

static const char *at(struct fx *f, const char *rel)
{
	snprintf(f->path, sizeof(f->path), "%s/%s", f->top, rel);
	return f->path;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static char *read_file(const char *path, char *buf, size_t len)
{
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, len - 1, fp);
	buf[n] = 0;
	fclose(fp);
	return buf;
}

/* ---- building messages ---- */

static struct p9_buf begin(struct fx *f)
{
	struct p9_buf m = {.p = f->msg, .len = sizeof(f->msg), .pos = P9_HDR_SIZE};

	return m;
}

static void str(struct p9_buf *m, const char *s)
{
	p9_put_str(m, s, strlen(s));
}

/* Sends m (type, the size as built unless size_override), with the reply capacity cap; returns
 * the reply's type (0: no reply) with f->r at its body. */
static uint8_t send_cap(struct fx *f, struct p9_buf *m, uint8_t type, size_t cap)
{
	size_t len = m->pos;
	struct p9_buf h = {.p = f->msg, .len = P9_HDR_SIZE};

	assert_false(m->bad);
	p9_put32(&h, (uint32_t)len);
	p9_put8(&h, type);
	p9_put16(&h, ++f->tag);
	f->rlen = p9_server_handle(&f->s, f->msg, len, f->rep, cap);
	if (f->rlen == 0)
		return 0;
	f->r = (struct p9_buf){.p = f->rep, .len = f->rlen};
	assert_int_equal(p9_get32(&f->r), f->rlen);
	type = p9_get8(&f->r);
	assert_int_equal(p9_get16(&f->r), f->tag);
	return type;
}

static uint8_t send(struct fx *f, struct p9_buf *m, uint8_t type)
{
	return send_cap(f, m, type, sizeof(f->rep));
}

/* The errno of an Rlerror reply, or 0 if the reply is type+1 of the request. */
static int err_of(struct fx *f, uint8_t rtype, uint8_t ttype)
{
	if (rtype == P9_RLERROR)
		return (int)p9_get32(&f->r);
	assert_int_equal(rtype, ttype + 1);
	return 0;
}

static int walk(struct fx *f, uint32_t fid, uint32_t newfid, unsigned n, const char **names)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, fid);
	p9_put32(&m, newfid);
	p9_put16(&m, (uint16_t)n);
	for (unsigned i = 0; i < n; i++)
		str(&m, names[i]);
	return err_of(f, send(f, &m, P9_TWALK), P9_TWALK);
}

static int walk1(struct fx *f, uint32_t fid, uint32_t newfid, const char *name)
{
	return walk(f, fid, newfid, 1, &name);
}

static int lopen(struct fx *f, uint32_t fid, uint32_t flags)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, fid);
	p9_put32(&m, flags);
	return err_of(f, send(f, &m, P9_TLOPEN), P9_TLOPEN);
}

/* Reads up to count bytes at 0 into buf (NUL-terminated); the errno or 0. */
static int readf(struct fx *f, uint32_t fid, uint32_t count, char *buf, size_t len)
{
	struct p9_buf m = begin(f);
	uint32_t n;
	int e;

	p9_put32(&m, fid);
	p9_put64(&m, 0);
	p9_put32(&m, count);
	e = err_of(f, send(f, &m, P9_TREAD), P9_TREAD);
	if (e)
		return e;
	n = p9_get32(&f->r);
	assert_true(n < len);
	memcpy(buf, p9_take(&f->r, n), n);
	buf[n] = 0;
	return 0;
}

static int clunk(struct fx *f, uint32_t fid)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, fid);
	return err_of(f, send(f, &m, P9_TCLUNK), P9_TCLUNK);
}

static int lcreate(struct fx *f, uint32_t fid, const char *name, uint32_t flags)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, fid);
	str(&m, name);
	p9_put32(&m, flags);
	p9_put32(&m, 0644);
	p9_put32(&m, 0);
	return err_of(f, send(f, &m, P9_TLCREATE), P9_TLCREATE);
}

static int renameat_(struct fx *f, uint32_t od, const char *on, uint32_t nd, const char *nn)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, od);
	str(&m, on);
	p9_put32(&m, nd);
	str(&m, nn);
	return err_of(f, send(f, &m, P9_TRENAMEAT), P9_TRENAMEAT);
}

static int unlinkat_(struct fx *f, uint32_t d, const char *name, uint32_t flags)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, d);
	str(&m, name);
	p9_put32(&m, flags);
	return err_of(f, send(f, &m, P9_TUNLINKAT), P9_TUNLINKAT);
}

static int mkdir_(struct fx *f, uint32_t d, const char *name)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, d);
	str(&m, name);
	p9_put32(&m, 0755);
	p9_put32(&m, 0);
	return err_of(f, send(f, &m, P9_TMKDIR), P9_TMKDIR);
}

static int symlink_(struct fx *f, uint32_t d, const char *name, const char *target)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, d);
	str(&m, name);
	str(&m, target);
	p9_put32(&m, 0);
	return err_of(f, send(f, &m, P9_TSYMLINK), P9_TSYMLINK);
}

static int link_(struct fx *f, uint32_t d, uint32_t fid, const char *name)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, d);
	p9_put32(&m, fid);
	str(&m, name);
	return err_of(f, send(f, &m, P9_TLINK), P9_TLINK);
}

static int write_(struct fx *f, uint32_t fid, const char *data)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, fid);
	p9_put64(&m, 0);
	p9_put32(&m, (uint32_t)strlen(data));
	p9_put_bytes(&m, data, strlen(data));
	return err_of(f, send(f, &m, P9_TWRITE), P9_TWRITE);
}

static void version_attach(struct fx *f)
{
	struct p9_buf m = begin(f);

	p9_put32(&m, 65536);
	str(&m, "9P2000.L");
	assert_int_equal(err_of(f, send(f, &m, P9_TVERSION), P9_TVERSION), 0);
	assert_int_equal(p9_get32(&f->r), 65536);
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put32(&m, P9_NOFID);
	str(&m, "root");
	str(&m, "");
	p9_put32(&m, 0);
	assert_int_equal(err_of(f, send(f, &m, P9_TATTACH), P9_TATTACH), 0);
	assert_int_equal(p9_get8(&f->r), P9_QTDIR);
}

/* ---- fixture: top/{share/{a.txt,sub/b.txt,etc_link->top/secret,to_canary->canary},
 * canary.txt, secret/passwd} ---- */

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static int setup_ro(void **state, bool ro)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct vmm_err err;
	char target[256];

	strcpy(f->top, "/tmp/softkvm-p9-XXXXXX");
	assert_non_null(mkdtemp(f->top));
	snprintf(f->share, sizeof(f->share), "%s/share", f->top);
	assert_int_equal(mkdir(f->share, 0755), 0);
	assert_int_equal(mkdir(at(f, "share/sub"), 0755), 0);
	assert_int_equal(mkdir(at(f, "secret"), 0755), 0);
	write_file(at(f, "canary.txt"), CANARY);
	write_file(at(f, "secret/passwd"), CANARY);
	write_file(at(f, "share/a.txt"), "inside a\n");
	write_file(at(f, "share/sub/b.txt"), "inside b\n");
	snprintf(target, sizeof(target), "%s/secret", f->top);
	assert_int_equal(symlink(target, at(f, "share/etc_link")), 0);
	snprintf(target, sizeof(target), "%s/canary.txt", f->top);
	assert_int_equal(symlink(target, at(f, "share/to_canary")), 0);
	snprintf(target, sizeof(target), "%s/made_outside", f->top);
	assert_int_equal(symlink(target, at(f, "share/dangling")), 0);
	assert_int_equal(p9_server_init(&f->s, f->share, ro, &err), 0);
	version_attach(f);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_ro(state, false);
}
static int setup_readonly(void **state)
{
	return setup_ro(state, true);
}

/* Nothing outside the share changed: the canary and the secret keep their content, no new
 * entry appeared beside them. */
static void assert_outside_intact(struct fx *f)
{
	char buf[128];
	DIR *d = opendir(f->top);
	struct dirent *e;
	int n = 0;

	assert_string_equal(read_file(at(f, "canary.txt"), buf, sizeof(buf)), CANARY);
	assert_string_equal(read_file(at(f, "secret/passwd"), buf, sizeof(buf)), CANARY);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	assert_int_equal(n, 3); /* share, canary.txt, secret */
	d = opendir(at(f, "secret"));
	n = 0;
	while ((e = readdir(d)))
		n++;
	closedir(d);
	assert_int_equal(n, 3);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];

	assert_outside_intact(f);
	p9_server_destroy(&f->s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->top);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* ---- the normal path (the server works, so the refusals below mean something) ---- */

static void test_read_write_create(void **state)
{
	struct fx *f = *state;
	const char *path[] = {"sub", "b.txt"};
	char buf[256];

	assert_int_equal(walk(f, ROOT, 2, 2, path), 0);
	assert_int_equal(p9_get16(&f->r), 2);
	assert_int_equal(lopen(f, 2, O_RDONLY), 0);
	assert_int_equal(walk(f, 2, 2, 0, NULL), 0); /* to itself: stays open */
	assert_int_equal(readf(f, 2, 100, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "inside b\n");
	assert_int_equal(clunk(f, 2), 0);

	assert_int_equal(walk1(f, ROOT, 3, "sub"), 0);
	assert_int_equal(lcreate(f, 3, "new.txt", O_RDWR), 0);
	assert_int_equal(write_(f, 3, "hello host\n"), 0);
	assert_int_equal(p9_get32(&f->r), 11);
	assert_string_equal(read_file(at(f, "share/sub/new.txt"), buf, sizeof(buf)),
			    "hello host\n");
	assert_int_equal(walk1(f, ROOT, 4, "sub"), 0);
	{ /* no setuid or setgid file from the guest */
		struct p9_buf m;
		struct stat st;

		assert_int_equal(walk1(f, ROOT, 6, "sub"), 0);
		m = begin(f);
		p9_put32(&m, 6);
		str(&m, "suid");
		p9_put32(&m, O_RDWR);
		p9_put32(&m, 06755);
		p9_put32(&m, 0);
		assert_int_equal(err_of(f, send(f, &m, P9_TLCREATE), P9_TLCREATE), 0);
		assert_int_equal(stat(at(f, "share/sub/suid"), &st), 0);
		assert_int_equal(st.st_mode & 06000, 0);
		m = begin(f);
		p9_put32(&m, 6);
		p9_put32(&m, 0x1); /* mode */
		p9_put32(&m, 04777);
		p9_put32(&m, 0);
		p9_put32(&m, 0);
		for (int i = 0; i < 5; i++)
			p9_put64(&m, 0);
		assert_int_equal(err_of(f, send(f, &m, P9_TSETATTR), P9_TSETATTR), 0);
		assert_int_equal(stat(at(f, "share/sub/suid"), &st), 0);
		assert_int_equal(st.st_mode & 07777, 0777);
	}
	assert_int_equal(mkdir_(f, 4, "d"), 0);
	assert_int_equal(renameat_(f, 4, "new.txt", ROOT, "moved.txt"), 0);
	assert_int_equal(access(at(f, "share/moved.txt"), F_OK), 0);
	assert_int_equal(walk1(f, ROOT, 5, "moved.txt"), 0);
	assert_int_equal(link_(f, 4, 5, "hard.txt"), 0);
	assert_int_equal(access(at(f, "share/sub/hard.txt"), F_OK), 0);
	assert_int_equal(unlinkat_(f, 4, "hard.txt", 0), 0);
	assert_int_equal(unlinkat_(f, 4, "d", 0x200), 0);
	assert_int_equal(access(at(f, "share/sub/d"), F_OK), -1);
}

static void test_readdir_lists_the_share(void **state)
{
	struct fx *f = *state;
	struct p9_buf m;
	char names[512] = "";
	uint32_t n;

	assert_int_equal(walk(f, ROOT, 2, 0, NULL), 0);
	assert_int_equal(lopen(f, 2, O_RDONLY), 0);
	m = begin(f);
	p9_put32(&m, 2);
	p9_put64(&m, 0);
	p9_put32(&m, 8192);
	assert_int_equal(err_of(f, send(f, &m, P9_TREADDIR), P9_TREADDIR), 0);
	n = p9_get32(&f->r);
	assert_int_equal(n, f->r.len - f->r.pos);
	while (f->r.pos < f->r.len) {
		struct p9_str s;

		p9_take(&f->r, P9_QID_SIZE + 8 + 1);
		s = p9_get_str(&f->r);
		strncat(names, s.s, s.len);
		strcat(names, " ");
	}
	assert_false(f->r.bad);
	assert_non_null(strstr(names, "a.txt "));
	assert_non_null(strstr(names, "etc_link "));
	assert_null(strstr(names, "canary.txt"));
	assert_null(strstr(names, "passwd"));
}

/* A directory larger than one reply: read on from each reply's last offset, every entry
 * comes exactly once. */
static void test_readdir_continues(void **state)
{
	struct fx *f = *state;
	static char seen[600];
	unsigned total = 0;
	uint64_t off = 0;

	for (int i = 0; i < 600; i++) {
		snprintf(f->path, sizeof(f->path), "%s/share/sub/entry%03d", f->top, i);
		write_file(f->path, "");
	}
	assert_int_equal(walk1(f, ROOT, 2, "sub"), 0);
	assert_int_equal(lopen(f, 2, O_RDONLY), 0);
	for (int round = 0; round < 1000; round++) {
		struct p9_buf m = begin(f);
		uint32_t n;

		p9_put32(&m, 2);
		p9_put64(&m, off);
		p9_put32(&m, 1000);
		assert_int_equal(err_of(f, send(f, &m, P9_TREADDIR), P9_TREADDIR), 0);
		n = p9_get32(&f->r);
		assert_true(n <= 1000);
		if (n == 0)
			break;
		while (f->r.pos < f->r.len) {
			struct p9_str s;
			int k;

			p9_take(&f->r, P9_QID_SIZE);
			off = p9_get64(&f->r);
			p9_get8(&f->r);
			s = p9_get_str(&f->r);
			if (s.len == 8 && sscanf(s.s, "entry%3d", &k) == 1) {
				assert_int_equal(seen[k], 0);
				seen[k] = 1;
			}
			total++;
		}
	}
	assert_int_equal(total, 600 + 3); /* ., .., b.txt */
	for (int i = 0; i < 600; i++)
		assert_int_equal(seen[i], 1);
}

/* ---- hostile walks ---- */

static void test_walk_dotdot_stays_inside(void **state)
{
	struct fx *f = *state;
	const char *up[] = {"..", "..", "..", "canary.txt"};
	const char *sub_up[] = {"sub", "..", "..", "canary.txt"};
	const char *secret[] = {"..", "secret", "passwd"};
	struct stat st;

	/* ".." of the root is the root: the walk ends at the share, where canary.txt is not */
	assert_int_equal(walk(f, ROOT, 2, 3, up), 0);
	assert_int_equal(p9_get16(&f->r), 3);
	p9_take(&f->r, 2 * P9_QID_SIZE + 1 + 4);
	assert_int_equal(p9_get64(&f->r), (stat(f->share, &st), st.st_ino));
	assert_int_equal(walk(f, 2, 3, 1, &up[3]), ENOENT);
	assert_int_equal(walk(f, ROOT, 4, 4, up), 0);
	assert_int_equal(p9_get16(&f->r), 3); /* partial: the 4th name is not there */
	assert_null(p9_fid_find(&f->s.fids, 4));
	assert_int_equal(walk(f, ROOT, 4, 4, sub_up), 0);
	assert_int_equal(p9_get16(&f->r), 3);
	assert_null(p9_fid_find(&f->s.fids, 4));
	assert_int_equal(walk(f, ROOT, 4, 3, secret), 0);
	assert_int_equal(p9_get16(&f->r), 1);
	assert_null(p9_fid_find(&f->s.fids, 4));
}

static void test_walk_names_with_slash_or_nul(void **state)
{
	struct fx *f = *state;
	struct p9_buf m;
	static const char *bad[] = {"../canary.txt", "sub/../../canary.txt", "/etc/passwd", "/", "",
				    "sub/"};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(walk1(f, ROOT, 2, bad[i]), EINVAL);
	m = begin(f); /* "a.txt\0/../x": a NUL inside the name */
	p9_put32(&m, ROOT);
	p9_put32(&m, 2);
	p9_put16(&m, 1);
	p9_put_str(&m, "a.txt\0/..", 9);
	assert_int_equal(err_of(f, send(f, &m, P9_TWALK), P9_TWALK), EINVAL);
	assert_null(p9_fid_find(&f->s.fids, 2));
}

static void test_host_symlinks_are_not_followed(void **state)
{
	struct fx *f = *state;
	const char *through[] = {"etc_link", "passwd"};
	char buf[256];

	/* walking through a symlink to a directory outside: it is a symlink, not a directory */
	assert_int_equal(walk(f, ROOT, 2, 2, through), 0);
	assert_int_equal(p9_get16(&f->r), 1);
	assert_int_equal(p9_get8(&f->r), P9_QTSYMLINK);
	assert_null(p9_fid_find(&f->s.fids, 2));
	/* the symlink itself: opening it is refused, its target is only text */
	assert_int_equal(walk1(f, ROOT, 3, "to_canary"), 0);
	assert_int_equal(lopen(f, 3, O_RDONLY), ELOOP);
	assert_int_equal(readf(f, 3, 100, buf, sizeof(buf)), EBADF);
	assert_int_equal(walk1(f, ROOT, 4, "etc_link"), 0);
	assert_int_equal(lopen(f, 4, O_RDONLY), ELOOP);
	assert_int_equal(lcreate(f, 4, "x", O_RDWR), ENOTDIR);
	assert_int_equal(mkdir_(f, 4, "x"), ENOTDIR);
}

static void test_client_symlink_to_root(void **state)
{
	struct fx *f = *state;
	const char *through[] = {"root", "tmp"};
	struct p9_buf m;

	assert_int_equal(symlink_(f, ROOT, "root", "/"), 0);
	assert_int_equal(walk(f, ROOT, 2, 2, through), 0);
	assert_int_equal(p9_get16(&f->r), 1); /* stops at the link */
	assert_null(p9_fid_find(&f->s.fids, 2));
	assert_int_equal(walk1(f, ROOT, 3, "root"), 0);
	m = begin(f);
	p9_put32(&m, 3);
	assert_int_equal(err_of(f, send(f, &m, P9_TREADLINK), P9_TREADLINK), 0);
	assert_int_equal(p9_get16(&f->r), 1);
	assert_int_equal(lopen(f, 3, O_RDONLY), ELOOP);
	/* creating through the link's name, or making a directory in it */
	assert_int_equal(lcreate(f, 3, "x", O_RDWR), ENOTDIR);
	assert_int_equal(symlink_(f, ROOT, "root/x", "/"), EINVAL);
}

static void test_links_renames_creates_stay_inside(void **state)
{
	struct fx *f = *state;
	struct stat st;

	/* a hard link of a symlink to the outside would be a link to the canary */
	assert_int_equal(walk1(f, ROOT, 2, "to_canary"), 0);
	assert_int_equal(link_(f, ROOT, 2, "hl"), EPERM);
	assert_int_equal(stat(at(f, "canary.txt"), &st), 0);
	assert_int_equal(st.st_nlink, 1);
	assert_int_equal(link_(f, ROOT, ROOT, "hl"), EPERM); /* a directory */
	/* names that leave the directory, in every operation that takes one */
	assert_int_equal(renameat_(f, ROOT, "../canary.txt", ROOT, "stolen"), EINVAL);
	assert_int_equal(renameat_(f, ROOT, "a.txt", ROOT, "../a.txt"), EINVAL);
	assert_int_equal(renameat_(f, ROOT, "a.txt", ROOT, ".."), EINVAL);
	assert_int_equal(renameat_(f, ROOT, "..", ROOT, "x"), EINVAL);
	assert_int_equal(unlinkat_(f, ROOT, "../canary.txt", 0), EINVAL);
	assert_int_equal(unlinkat_(f, ROOT, "..", 0x200), EINVAL);
	assert_int_equal(mkdir_(f, ROOT, "../evil"), EINVAL);
	assert_int_equal(symlink_(f, ROOT, "../evil", "/"), EINVAL);
	assert_int_equal(link_(f, ROOT, 2, "../evil"), EINVAL);
	assert_int_equal(walk(f, ROOT, 3, 0, NULL), 0);
	assert_int_equal(lcreate(f, 3, "../evil", O_RDWR), EINVAL);
	/* creating through a dangling symlink whose target is outside */
	assert_int_equal(lcreate(f, 3, "dangling", O_RDWR), ELOOP);
	assert_int_equal(lstat(at(f, "made_outside"), &st), -1);
	/* renaming a symlink to the outside moves the link, not the canary */
	assert_int_equal(renameat_(f, ROOT, "to_canary", ROOT, "renamed"), 0);
	assert_int_equal(lstat(at(f, "share/renamed"), &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

/* ---- absurd messages ---- */

static void test_absurd_sizes_counts_strings(void **state)
{
	struct fx *f = *state;
	struct p9_buf m;
	char buf[64];
	int before = open_fds();

	/* a read of 4 GiB is cut to the reply's room */
	assert_int_equal(walk1(f, ROOT, 2, "a.txt"), 0);
	assert_int_equal(lopen(f, 2, O_RDONLY), 0);
	assert_int_equal(readf(f, 2, 0xffffffffu, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "inside a\n");
	/* a write whose count runs past the message */
	m = begin(f);
	p9_put32(&m, 2);
	p9_put64(&m, 0);
	p9_put32(&m, 0x7fffffff);
	p9_put_bytes(&m, "xx", 2);
	assert_int_equal(err_of(f, send(f, &m, P9_TWRITE), P9_TWRITE), EINVAL);
	/* a walk of 65535 names, a string longer than the message */
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put32(&m, 9);
	p9_put16(&m, 0xffff);
	assert_int_equal(err_of(f, send(f, &m, P9_TWALK), P9_TWALK), EINVAL);
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put32(&m, 9);
	p9_put16(&m, 1);
	p9_put16(&m, 0xffff);
	p9_put_bytes(&m, "abc", 3);
	assert_int_equal(err_of(f, send(f, &m, P9_TWALK), P9_TWALK), EINVAL);
	/* 17 names (the protocol's limit is 16) */
	{
		const char *many[17];

		for (int i = 0; i < 17; i++)
			many[i] = ".";
		assert_int_equal(walk(f, ROOT, 9, 17, many), EINVAL);
	}
	/* a size field beyond what arrived, one below the header */
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put64(&m, 0x7ff);
	assert_int_equal(err_of(f, send(f, &m, P9_TGETATTR), P9_TGETATTR), 0);
	{
		struct p9_buf h = {.p = f->msg, .len = 4};

		p9_put32(&h, 1000);
		f->rlen = p9_server_handle(&f->s, f->msg, 11, f->rep, sizeof(f->rep));
		f->r = (struct p9_buf){.p = f->rep, .len = f->rlen};
		p9_get32(&f->r);
		assert_int_equal(p9_get8(&f->r), P9_RLERROR);
		p9_get16(&f->r);
		assert_int_equal(p9_get32(&f->r), EMSGSIZE);
		h.pos = 0;
		p9_put32(&h, 3);
		f->rlen = p9_server_handle(&f->s, f->msg, 11, f->rep, sizeof(f->rep));
		assert_int_equal(f->rep[4], P9_RLERROR);
	}
	assert_non_null(p9_fid_find(&f->s.fids, ROOT)); /* none of that clunked it */
	/* too short for a header; no room for any reply */
	assert_int_equal(p9_server_handle(&f->s, f->msg, 6, f->rep, sizeof(f->rep)), 0);
	m = begin(f);
	p9_put32(&m, ROOT);
	assert_int_equal(send_cap(f, &m, P9_TGETATTR, 10), 0);
	/* a reply that does not fit the room given: an error that does */
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put64(&m, 0x7ff);
	assert_int_equal(err_of(f, send_cap(f, &m, P9_TGETATTR, 64), P9_TGETATTR), EMSGSIZE);
	/* unknown, reply-typed, unsupported messages */
	m = begin(f);
	assert_int_equal(err_of(f, send(f, &m, 255), 255), EOPNOTSUPP);
	m = begin(f);
	assert_int_equal(err_of(f, send(f, &m, P9_TWALK + 1), P9_TWALK + 1), EOPNOTSUPP);
	m = begin(f);
	p9_put32(&m, ROOT);
	p9_put32(&m, 9);
	str(&m, "user.x");
	assert_int_equal(err_of(f, send(f, &m, P9_TXATTRWALK), P9_TXATTRWALK), EOPNOTSUPP);
	/* fids: unknown ones, taken ones, P9_NOFID */
	assert_int_equal(clunk(f, 12345), EBADF);
	assert_int_equal(walk1(f, 777, 8, "a.txt"), EBADF);
	assert_int_equal(walk1(f, ROOT, 2, "a.txt"), EEXIST);
	assert_int_equal(walk1(f, ROOT, P9_NOFID, "a.txt"), EEXIST);
	assert_int_equal(clunk(f, 2), 0);
	/* Tversion with an absurd msize */
	m = begin(f);
	p9_put32(&m, 0);
	str(&m, "9P2000.L");
	assert_int_equal(err_of(f, send(f, &m, P9_TVERSION), P9_TVERSION), EINVAL);
	assert_int_equal(open_fds(), before);
}

static void test_fid_table_is_bounded(void **state)
{
	struct fx *f = *state;
	int before = open_fds(), e = 0;
	uint32_t i;

	for (i = 100; i < 100 + P9_MAX_FIDS + 10 && !e; i++)
		e = walk(f, ROOT, i, 0, NULL);
	assert_int_equal(e, ENFILE);
	assert_int_equal(f->s.fids.count, P9_MAX_FIDS);
	p9_server_reset(&f->s);
	assert_int_equal(f->s.fids.count, 0);
	assert_int_equal(open_fds(), before - 1); /* the root fid went too */
}

/* ---- a read-only share ---- */

static void test_readonly_refuses_changes(void **state)
{
	struct fx *f = *state;
	struct p9_buf m;
	char buf[64];

	assert_int_equal(walk1(f, ROOT, 2, "a.txt"), 0);
	assert_int_equal(lopen(f, 2, O_WRONLY), EROFS);
	assert_int_equal(lopen(f, 2, O_RDONLY | 01000 /* TRUNC */), EROFS);
	assert_int_equal(lopen(f, 2, O_RDONLY), 0);
	assert_int_equal(write_(f, 2, "x"), EROFS);
	assert_int_equal(readf(f, 2, 64, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "inside a\n");
	assert_int_equal(walk(f, ROOT, 3, 0, NULL), 0);
	assert_int_equal(lcreate(f, 3, "new", O_RDWR), EROFS);
	assert_int_equal(mkdir_(f, ROOT, "d"), EROFS);
	assert_int_equal(symlink_(f, ROOT, "s", "/"), EROFS);
	assert_int_equal(walk1(f, ROOT, 4, "a.txt"), 0);
	assert_int_equal(link_(f, ROOT, 4, "h"), EROFS);
	assert_int_equal(renameat_(f, ROOT, "a.txt", ROOT, "b"), EROFS);
	assert_int_equal(unlinkat_(f, ROOT, "a.txt", 0), EROFS);
	m = begin(f);
	p9_put32(&m, 4);
	p9_put32(&m, 0x8); /* size */
	for (int i = 0; i < 3; i++)
		p9_put32(&m, 0);
	for (int i = 0; i < 5; i++)
		p9_put64(&m, 0);
	assert_int_equal(err_of(f, send(f, &m, P9_TSETATTR), P9_TSETATTR), EROFS);
	assert_string_equal(read_file(at(f, "share/a.txt"), buf, sizeof(buf)), "inside a\n");
	assert_int_equal(access(at(f, "share/new"), F_OK), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_read_write_create, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readdir_lists_the_share, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readdir_continues, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_dotdot_stays_inside, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walk_names_with_slash_or_nul, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_symlinks_are_not_followed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_client_symlink_to_root, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_links_renames_creates_stay_inside, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_absurd_sizes_counts_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fid_table_is_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readonly_refuses_changes, setup_readonly,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
