// SPDX-License-Identifier: MIT
/* Fuzz harness for the 9P server's message decoder and operations (vmm/virtio/p9_server.c):
 * an input is a sequence of messages the guest sends, after a Tversion and a Tattach of fid
 * 0 that the harness makes (so that inputs reach the operations). The server works on a real
 * scratch directory, top/share (files, a subdirectory, symlinks to the outside), beside
 * top/canary.txt and top/secret/: whatever the bytes say, the decoder must stay inside its
 * message and reply buffers (AddressSanitizer) and nothing outside top/share may change or be
 * created -- checked after every input (abort on failure, so libFuzzer reports it).
 *
 * Input layout, repeated:
 *   0     reply room: 0 -> 0 bytes, 1 -> 10, 2 -> 64, else the whole buffer
 *   1     bit 0: keep the message's size field as given (else the harness writes the length)
 *   2-3   n, little-endian; then n bytes: the message (header included)
 * Built two ways, as fuzz_virtq: libFuzzer (`make fuzz`: build-fuzz/fuzz_p9) and the
 * deterministic fuzz_p9_standalone the suite runs under the sanitizers.
 */
#define _GNU_SOURCE
#include "fuzz_p9.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "virtio/p9_wire.h"

#define CANARY "CANARY-OUTSIDE\n"

static int fz_write(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp)
		return -1;
	fputs(text, fp);
	return fclose(fp);
}

static const char *fz_path(struct fuzz_p9 *fz, const char *rel, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", fz->top, rel);
	return buf;
}

int fuzz_p9_init(struct fuzz_p9 *fz)
{
	char a[160], b[160];
	struct vmm_err err;

	memset(fz, 0, sizeof(*fz));
	strcpy(fz->top, "/tmp/softkvm-fuzz-p9-XXXXXX");
	if (!mkdtemp(fz->top))
		return -1;
	if (mkdir(fz_path(fz, "share", a, sizeof(a)), 0755) ||
	    mkdir(fz_path(fz, "share/sub", a, sizeof(a)), 0755) ||
	    mkdir(fz_path(fz, "secret", a, sizeof(a)), 0755) ||
	    fz_write(fz_path(fz, "canary.txt", a, sizeof(a)), CANARY) ||
	    fz_write(fz_path(fz, "secret/passwd", a, sizeof(a)), CANARY) ||
	    fz_write(fz_path(fz, "share/a", a, sizeof(a)), "inside\n") ||
	    symlink(fz_path(fz, "secret", b, sizeof(b)),
		    fz_path(fz, "share/link_out", a, sizeof(a))) ||
	    symlink(fz_path(fz, "canary.txt", b, sizeof(b)),
		    fz_path(fz, "share/to_canary", a, sizeof(a))) ||
	    symlink(fz_path(fz, "made", b, sizeof(b)), fz_path(fz, "share/dang", a, sizeof(a))) ||
	    symlink("/", fz_path(fz, "share/sub/root", a, sizeof(a))) ||
	    chmod(fz_path(fz, "canary.txt", a, sizeof(a)), 0644) ||
	    chmod(fz_path(fz, "secret/passwd", a, sizeof(a)), 0644))
		return -1;
	fz->msg = malloc(P9_MSIZE_MAX);
	fz->rep = malloc(P9_MSIZE_MAX);
	if (!fz->msg || !fz->rep)
		return -1;
	return p9_server_init(&fz->s, fz_path(fz, "share", a, sizeof(a)), false, &err);
}

bool fuzz_p9_outside_intact(struct fuzz_p9 *fz)
{
	char p[160], buf[64] = "";
	const char *files[] = {"canary.txt", "secret/passwd"};
	struct stat st;

	for (unsigned i = 0; i < 2; i++) {
		FILE *fp = fopen(fz_path(fz, files[i], p, sizeof(p)), "r");
		size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;

		if (fp)
			fclose(fp);
		buf[n] = 0;
		if (strcmp(buf, CANARY) || stat(p, &st) || st.st_nlink != 1 ||
		    (st.st_mode & 07777) != 0644)
			return false;
	}
	return lstat(fz_path(fz, "made", p, sizeof(p)), &st) != 0;
}

static void fz_send(struct fuzz_p9 *fz, const uint8_t *m, size_t n, size_t cap, bool keep_size)
{
	struct p9_buf h = {.p = fz->msg, .len = 4};

	memcpy(fz->msg, m, n);
	if (!keep_size && n >= 4)
		p9_put32(&h, (uint32_t)n);
	(void)p9_server_handle(&fz->s, fz->msg, n, fz->rep, cap);
}

int fuzz_p9_run(struct fuzz_p9 *fz, const uint8_t *data, size_t size)
{
	uint8_t hello[64];
	struct p9_buf m = {.p = hello, .len = sizeof(hello), .pos = 4};

	p9_server_reset(&fz->s);
	p9_put8(&m, P9_TVERSION);
	p9_put16(&m, 0);
	p9_put32(&m, 1u << 16);
	p9_put_str(&m, P9_VERSION, strlen(P9_VERSION));
	fz_send(fz, hello, m.pos, P9_MSIZE_MAX, false);
	m.pos = 4;
	p9_put8(&m, P9_TATTACH);
	p9_put16(&m, 1);
	p9_put32(&m, 0);
	p9_put32(&m, P9_NOFID);
	p9_put_str(&m, "", 0);
	p9_put_str(&m, "", 0);
	p9_put32(&m, 0);
	fz_send(fz, hello, m.pos, P9_MSIZE_MAX, false);

	while (size >= 4) {
		size_t n = (size_t)data[2] | (size_t)data[3] << 8, cap;

		cap = data[0] == 0 ? 0 : data[0] == 1 ? 10 : data[0] == 2 ? 64 : P9_MSIZE_MAX;
		if (n > size - 4)
			n = size - 4;
		fz_send(fz, data + 4, n, cap, data[1] & 1);
		data += 4 + n;
		size -= 4 + n;
	}
	if (!fuzz_p9_outside_intact(fz))
		abort();
	return 0;
}

void fuzz_p9_fini(struct fuzz_p9 *fz)
{
	char cmd[128];

	p9_server_destroy(&fz->s);
	free(fz->msg);
	free(fz->rep);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fz->top);
	if (system(cmd))
		fprintf(stderr, "fuzz_p9: cannot remove %s\n", fz->top);
}

#ifndef FUZZ_P9_STANDALONE
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* libFuzzer gives no context: the one server lives as long as the process */
	static struct fuzz_p9 fz;
	static int ready;

	if (!ready) {
		if (fuzz_p9_init(&fz))
			abort();
		ready = 1;
	}
	return fuzz_p9_run(&fz, data, size);
}
#endif
