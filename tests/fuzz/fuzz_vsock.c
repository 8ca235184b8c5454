// SPDX-License-Identifier: MIT
/* Fuzz harness for virtio-vsock's packet decoder and protocol (vmm/virtio/vsock_proto.c):
 * an input is a script of steps, each one byte naming what happens next, interleaving the
 * guest's packets, the guest's receive buffers and the host's Unix sockets (connecting to
 * the device's socket with good and bad CONNECT lines, accepting the guest's connections on
 * PATH_6000, writing, shutting down, closing). The protocol runs on real sockets in a scratch
 * directory. Whatever the bytes say: no access outside a packet's or a receive buffer's own
 * bytes (each is a heap block of exactly its size: AddressSanitizer), a used length within
 * the buffer, never more than VSOCK_MAX_CONNS connections or VSOCK_BUF_ALLOC bytes buffered
 * in one (abort, so libFuzzer reports it), and the harness ends.
 *
 * Steps (byte s, then its arguments from the input):
 *   s % 8 == 0..2  a guest packet: 44 header bytes, shaped (below) unless bit 3 of s, then
 *                  a payload of p bytes (p from two bytes, at most 3000), in 1-3 buffers
 *   3              a receive buffer of n bytes (two bytes, n < 5000) in 1-2 buffers
 *   4              the host dials the device's socket and writes CONNECT line k
 *   5              the host accepts a guest connection on PATH_6000
 *   6              host socket k writes n bytes, shuts down, or closes (by the next byte)
 *   7              the device looks at its host sockets
 * Shaping (so most packets reach the state machine): the source CID is the guest's and the
 * destination 2 unless the header's own bits say otherwise, the ports come from small sets,
 * the op is one of 0-8 and the type mostly STREAM.
 * Built two ways: libFuzzer (`make fuzz`: build-fuzz/fuzz_vsock) and, with
 * FUZZ_VSOCK_STANDALONE, a deterministic driver of N inputs from a seed that the suite runs
 * under the sanitizers: fuzz_vsock_standalone [N [SEED]]. */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "byteorder.h"
#include "virtio/vsock.h"

#define GUEST_CID 3
#define HOST_FDS  8

struct fz {
	char dir[64];
	struct vsock_opts o;
	struct vsock_proto *p;
	int listen6000;
	int host[HOST_FDS];
};

struct in {
	const uint8_t *d;
	size_t n, at;
};

static unsigned take(struct in *in, unsigned bytes)
{
	unsigned v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v = v << 8 | (in->at < in->n ? in->d[in->at++] : 0);
	return v;
}

static void fz_die(const char *why)
{
	fprintf(stderr, "fuzz_vsock: %s\n", why);
	abort();
}

static int fz_init(struct fz *f)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	struct vmm_err err;
	char opt[128];

	memset(f, 0, sizeof(*f));
	strcpy(f->dir, "/tmp/softkvm-fuzz-vsock-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(opt, sizeof(opt), "%d,uds=%s/v.sock", GUEST_CID, f->dir);
	f->p = calloc(1, sizeof(*f->p));
	if (!f->p || vsock_parse_opts(opt, &f->o, &err) || vsock_proto_init(f->p, &f->o, &err))
		return -1;
	snprintf(a.sun_path, sizeof(a.sun_path), "%s_6000", f->o.path);
	f->listen6000 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (bind(f->listen6000, (struct sockaddr *)&a, sizeof(a)) || listen(f->listen6000, 64))
		return -1;
	for (unsigned i = 0; i < HOST_FDS; i++)
		f->host[i] = -1;
	return 0;
}

static void check(const struct fz *f)
{
	unsigned n = 0;

	for (unsigned i = 0; i < VSOCK_MAX_CONNS; i++) {
		const struct vsock_conn *c = f->p->conn[i];

		if (!c)
			continue;
		n++;
		if (c->buf_len > VSOCK_BUF_ALLOC || c->slot != i)
			fz_die("a connection's buffer beyond its bound");
	}
	if (n > VSOCK_MAX_CONNS || f->p->rst_count > VSOCK_RST_BACKLOG)
		fz_die("more connections or RSTs than the bounds");
}

static void guest_packet(struct fz *f, struct in *in, unsigned s)
{
	static const uint32_t ports[] = {
	    6000, 6000, 6001, 5000, VSOCK_HOST_PORT_BASE, VSOCK_HOST_PORT_BASE + 1, 0, 0xffffffffu};
	static struct virtq_req req;
	uint8_t hdr[VSOCK_HDR_LEN];
	unsigned plen = take(in, 2) % 3000, nbuf = 1 + take(in, 1) % 3, off = 0;
	size_t total = VSOCK_HDR_LEN + plen;
	uint8_t *whole = malloc(total);

	for (unsigned i = 0; i < VSOCK_HDR_LEN; i++)
		hdr[i] = (uint8_t)take(in, 1);
	if (!(s & 8)) {
		static const uint16_t ops[16] = {1, 1, 2, 2, 3, 4, 5, 5, 5, 5, 6, 7, 0, 8, 99, 4};
		static const uint32_t gports[4] = {1000, 5000, 1001, 0};
		uint8_t sel = hdr[0];

		if ((sel & 3) != 3) /* a quarter keep their own CIDs */
			vmm_store_le(hdr, 8, GUEST_CID);
		if ((sel & 3) != 2)
			vmm_store_le(hdr + 8, 8, VSOCK_HOST_CID);
		vmm_store_le(hdr + 16, 4, gports[(sel >> 2) % 4]);
		vmm_store_le(hdr + 20, 4, ports[(sel >> 4) % 8]);
		if (hdr[24] & 7) /* else the len stays as random as it came */
			vmm_store_le(hdr + 24, 4, hdr[24] & 8 ? plen + (hdr[25] & 3) : plen);
		if (hdr[28] & 7)
			vmm_store_le(hdr + 28, 2, VSOCK_TYPE_STREAM);
		vmm_store_le(hdr + 30, 2, ops[hdr[30] % 16]);
		vmm_store_le(hdr + 32, 4, hdr[32] & 3);
		if (hdr[36] & 1) /* mostly a generous buf_alloc, so data flows */
			vmm_store_le(hdr + 36, 4, 1u << 16);
	}
	memcpy(whole, hdr, VSOCK_HDR_LEN);
	for (size_t i = VSOCK_HDR_LEN; i < total; i++)
		whole[i] = (uint8_t)(i * 31);
	memset(&req, 0, sizeof(req));
	/* split into nbuf heap blocks of exactly their size */
	for (unsigned b = 0; b < nbuf && off < total; b++) {
		size_t len = b + 1 == nbuf ? total - off : 1 + take(in, 2) % (total - off);
		uint8_t *p = malloc(len);

		memcpy(p, whole + off, len);
		req.iov[req.nr_rd++] = (struct iovec){p, len};
		req.rd_len += len;
		off += (unsigned)len;
	}
	free(whole);
	vsock_proto_tx(f->p, &req);
	for (unsigned b = 0; b < req.nr_rd; b++)
		free(req.iov[b].iov_base);
}

static void guest_receives(struct fz *f, struct in *in)
{
	static struct virtq_req req;
	unsigned n = take(in, 2) % 5000, first = n ? take(in, 2) % (n + 1) : 0;
	uint32_t used = 0;
	int rc;

	memset(&req, 0, sizeof(req));
	if (first)
		req.iov[req.nr_wr++] = (struct iovec){malloc(first), first};
	if (n - first)
		req.iov[req.nr_wr++] = (struct iovec){malloc(n - first), n - first};
	req.wr_len = n;
	rc = vsock_proto_rx(f->p, &req, &used);
	if (rc < 0 && rc != -ENOSPC)
		fz_die("an unexpected error from rx");
	if (rc == 1 && (used > n || used < VSOCK_HDR_LEN))
		fz_die("a used length outside the buffer");
	for (unsigned b = 0; b < req.nr_wr; b++)
		free(req.iov[b].iov_base);
}

static int free_host_slot(struct fz *f, unsigned k)
{
	for (unsigned i = 0; i < HOST_FDS; i++)
		if (f->host[(k + i) % HOST_FDS] < 0)
			return (int)((k + i) % HOST_FDS);
	return -1;
}

static void host_dials(struct fz *f, struct in *in)
{
	static const char *const lines[] = {"CONNECT 5000\n",
					    "CONNECT 1000\n",
					    "CONNECT 0\n",
					    "CONNECT 4294967295\n",
					    "CONNECT\n",
					    "CONNECT 5000",
					    "CONNECT 5000\nearly data",
					    "OK 5\n",
					    "CONNECT 123456789012345678901234567890\n"};
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	unsigned k = take(in, 1);
	int slot = free_host_slot(f, k), s;

	if (slot < 0)
		return;
	strcpy(a.sun_path, f->o.path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a))) {
		if (s >= 0)
			close(s);
		return;
	}
	const char *l = lines[k % (sizeof(lines) / sizeof(lines[0]))];
	(void)!send(s, l, strlen(l), MSG_NOSIGNAL);
	f->host[slot] = s;
}

static void host_accepts(struct fz *f, struct in *in)
{
	int slot = free_host_slot(f, take(in, 1));
	int s;

	if (slot < 0)
		return;
	s = accept4(f->listen6000, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s >= 0)
		f->host[slot] = s;
}

static void host_acts(struct fz *f, struct in *in)
{
	static uint8_t buf[4096];
	unsigned k = take(in, 1) % HOST_FDS, what = take(in, 1), n = take(in, 2) % sizeof(buf);
	int s = f->host[k];

	if (s < 0)
		return;
	switch (what % 4) {
	case 0:
	case 1:
		memset(buf, (int)what, n);
		(void)!send(s, buf, n, MSG_NOSIGNAL);
		break;
	case 2:
		shutdown(s, what & 4 ? SHUT_RDWR : SHUT_WR);
		break;
	default:
		while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			;
		if (what & 4) {
			close(s);
			f->host[k] = -1;
		}
	}
}

static void device_looks(struct fz *f)
{
	struct pollfd pfd = {.fd = f->p->epfd, .events = POLLIN};

	for (unsigned i = 0; i < 4 && poll(&pfd, 1, 0) > 0; i++)
		vsock_proto_host(f->p);
}

static void fz_run(struct fz *f, const uint8_t *data, size_t size)
{
	struct in in = {data, size, 0};
	unsigned steps = 0;

	while (in.at < in.n && steps++ < 400) {
		unsigned s = take(&in, 1);

		switch (s % 8) {
		case 0:
		case 1:
		case 2:
			guest_packet(f, &in, s);
			break;
		case 3:
			guest_receives(f, &in);
			break;
		case 4:
			host_dials(f, &in);
			break;
		case 5:
			host_accepts(f, &in);
			break;
		case 6:
			host_acts(f, &in);
			break;
		default:
			device_looks(f);
		}
		check(f);
	}
	/* the next input starts afresh: the device reset, the host's ends closed */
	(void)vsock_proto_reset(f->p);
	for (unsigned i = 0; i < HOST_FDS; i++) {
		if (f->host[i] >= 0)
			close(f->host[i]);
		f->host[i] = -1;
	}
	for (int s; (s = accept4(f->listen6000, NULL, NULL, SOCK_CLOEXEC)) >= 0;)
		close(s);
	device_looks(f); /* the listener's backlog: accepted and dropped at the next reset */
	(void)vsock_proto_reset(f->p);
	f->p->next_host_port = VSOCK_HOST_PORT_BASE;
}

#ifdef FUZZ_VSOCK_STANDALONE /* libFuzzer never returns to tear down */
static void fz_fini(struct fz *f)
{
	char path[128];

	vsock_proto_fini(f->p);
	free(f->p);
	close(f->listen6000);
	snprintf(path, sizeof(path), "%s_6000", f->o.path);
	unlink(path);
	rmdir(f->dir);
}
#endif

#ifndef FUZZ_VSOCK_STANDALONE
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz f;
	static bool ready;

	if (!ready) {
		if (fz_init(&f))
			fz_die("cannot set up the scratch directory and sockets");
		ready = true;
	}
	fz_run(&f, data, size);
	return 0;
}
#else
static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t put(uint8_t *out, size_t at, size_t cap, uint64_t v, unsigned bytes)
{
	for (unsigned i = bytes; i-- > 0; v >>= 8)
		if (at + i < cap)
			out[at + i] = (uint8_t)v;
	return at + bytes;
}

/* One step of a script as fz_run reads it, with weights and arguments that keep connections
 * alive long enough for data to flow (mostly guest port 1000 to host port 6000, mostly RW),
 * and now and then anything. */
static size_t gen_step(uint64_t *seed, uint8_t *out, size_t at, size_t cap)
{
	unsigned w = (unsigned)(next(seed) % 100);

	if (w < 50) { /* a guest packet */
		unsigned plen =
		    next(seed) % 4 ? (unsigned)(next(seed) % 300) : (unsigned)(next(seed) % 3000);
		unsigned nbuf = (unsigned)(next(seed) % 3);
		uint8_t hdr[VSOCK_HDR_LEN];

		for (unsigned i = 0; i < VSOCK_HDR_LEN; i++)
			hdr[i] = (uint8_t)next(seed);
		if (next(seed) % 8) { /* the usual pair of ports, a valid len, STREAM */
			hdr[0] = (uint8_t)(next(seed) % 8 ? 0 : hdr[0] & 3);
			hdr[24] |= 1;
			hdr[28] |= 1;
			hdr[36] |= 1;
			if (next(seed) % 2)
				hdr[30] = 6; /* RW */
		}
		at = put(out, at, cap, next(seed) % 16 ? (uint64_t)(next(seed) % 3) : 8, 1);
		at = put(out, at, cap, plen, 2);
		at = put(out, at, cap, nbuf, 1);
		for (unsigned i = 0; i < VSOCK_HDR_LEN; i++)
			at = put(out, at, cap, hdr[i], 1);
		for (unsigned i = 0; i < nbuf; i++)
			at = put(out, at, cap, next(seed), 2);
		return at;
	}
	if (w < 70) { /* a receive buffer */
		at = put(out, at, cap, 3, 1);
		at = put(out, at, cap, next(seed) % 4 ? 44 + next(seed) % 4096 : next(seed), 2);
		return put(out, at, cap, next(seed), 2);
	}
	if (w < 77)
		return put(out, put(out, at, cap, 4, 1), cap, next(seed), 1);
	if (w < 84)
		return put(out, put(out, at, cap, 5, 1), cap, next(seed), 1);
	if (w < 92) {
		at = put(out, at, cap, 6, 1);
		at = put(out, at, cap, next(seed), 1);
		at = put(out, at, cap, next(seed) % 3 ? 0 : next(seed), 1); /* mostly writes */
		return put(out, at, cap, next(seed), 2);
	}
	return put(out, at, cap, 7, 1);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x76736f636bull;
	static uint8_t buf[16384];
	struct fz f;

	if (fz_init(&f)) {
		fprintf(stderr, "fuzz_vsock: cannot set up the scratch directory and sockets\n");
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned steps = 5 + (unsigned)(next(&seed) % 120);
		size_t len = 0;

		for (unsigned k = 0; k < steps && len < sizeof(buf); k++)
			len = gen_step(&seed, buf, len, sizeof(buf));
		fz_run(&f, buf, len < sizeof(buf) ? len : sizeof(buf));
	}
	uint64_t host = atomic_load(&f.p->c.host_conns), guest = atomic_load(&f.p->c.guest_conns);
	uint64_t rst = atomic_load(&f.p->c.rst_sent), bytes = atomic_load(&f.p->c.tx_bytes);
	uint64_t dropped = atomic_load(&f.p->c.dropped);

	fz_fini(&f);
	printf("fuzz_vsock: %u inputs: %" PRIu64 " connections from the host, %" PRIu64
	       " from the guest, %" PRIu64 " bytes passed to the host, %" PRIu64 " RSTs, %" PRIu64
	       " dropped\n",
	       n, host, guest, bytes, rst, dropped);
	/* inputs that never reach a connection would test only the decoder's refusals */
	if (n >= 100 && (!host || !guest || !bytes || !rst || !dropped)) {
		printf("FAIL: the inputs did not reach every part of the protocol\n");
		return 1;
	}
	return 0;
}
#endif
