/* SPDX-License-Identifier: MIT */
/* 9P2000.L on the wire: message numbers and the little-endian marshalling of a message held
 * whole in a host buffer. A reader never goes past its buffer: a field that does not fit sets
 * `bad` and reads as 0 (a string as empty), so a handler decodes every field first and checks
 * `bad` once. A writer likewise sets `bad` when the reply would not fit its capacity. */
#ifndef VMM_VIRTIO_P9_WIRE_H
#define VMM_VIRTIO_P9_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Message types (T = request, R = its reply: T + 1). */
enum {
	P9_RLERROR = 7,
	P9_TSTATFS = 8,
	P9_TLOPEN = 12,
	P9_TLCREATE = 14,
	P9_TSYMLINK = 16,
	P9_TMKNOD = 18,
	P9_TRENAME = 20,
	P9_TREADLINK = 22,
	P9_TGETATTR = 24,
	P9_TSETATTR = 26,
	P9_TXATTRWALK = 30,
	P9_TXATTRCREATE = 32,
	P9_TREADDIR = 40,
	P9_TFSYNC = 50,
	P9_TLOCK = 52,
	P9_TGETLOCK = 54,
	P9_TLINK = 70,
	P9_TMKDIR = 72,
	P9_TRENAMEAT = 74,
	P9_TUNLINKAT = 76,
	P9_TVERSION = 100,
	P9_TAUTH = 102,
	P9_TATTACH = 104,
	P9_TFLUSH = 108,
	P9_TWALK = 110,
	P9_TREAD = 116,
	P9_TWRITE = 118,
	P9_TCLUNK = 120,
	P9_TREMOVE = 122,
};

#define P9_HDR_SIZE  7u	 /* size[4] type[1] tag[2] */
#define P9_QID_SIZE  13u /* type[1] version[4] path[8] */
#define P9_NOFID     0xffffffffu
#define P9_MAXWELEM  16u /* names in one Twalk */
#define P9_QTDIR     0x80
#define P9_QTSYMLINK 0x02
#define P9_QTFILE    0x00

struct p9_qid {
	uint8_t type;
	uint32_t version;
	uint64_t path;
};

/* A string in a message: not NUL-terminated, may hold any byte (the server checks). */
struct p9_str {
	const char *s;
	uint16_t len;
};

struct p9_buf {
	uint8_t *p;
	size_t len, pos; /* reader: bytes there; writer: capacity */
	bool bad;
};

static inline const uint8_t *p9_take(struct p9_buf *b, size_t n)
{
	const uint8_t *q;

	if (b->bad || n > b->len - b->pos) {
		b->bad = true;
		return NULL;
	}
	q = b->p + b->pos;
	b->pos += n;
	return q;
}

static inline uint64_t p9_get_le(struct p9_buf *b, unsigned n)
{
	const uint8_t *q = p9_take(b, n);
	uint64_t v = 0;

	for (unsigned i = 0; q && i < n; i++)
		v |= (uint64_t)q[i] << (8 * i);
	return v;
}

static inline uint8_t p9_get8(struct p9_buf *b)
{
	return (uint8_t)p9_get_le(b, 1);
}
static inline uint16_t p9_get16(struct p9_buf *b)
{
	return (uint16_t)p9_get_le(b, 2);
}
static inline uint32_t p9_get32(struct p9_buf *b)
{
	return (uint32_t)p9_get_le(b, 4);
}
static inline uint64_t p9_get64(struct p9_buf *b)
{
	return p9_get_le(b, 8);
}

static inline struct p9_str p9_get_str(struct p9_buf *b)
{
	uint16_t n = p9_get16(b);
	const uint8_t *q = p9_take(b, n);

	return q ? (struct p9_str){(const char *)q, n} : (struct p9_str){"", 0};
}

/* Writer: room for n more bytes, or NULL (and bad). */
static inline uint8_t *p9_room(struct p9_buf *b, size_t n)
{
	return (uint8_t *)p9_take(b, n);
}

static inline void p9_put_le(struct p9_buf *b, unsigned n, uint64_t v)
{
	uint8_t *q = p9_room(b, n);

	for (unsigned i = 0; q && i < n; i++)
		q[i] = (uint8_t)(v >> (8 * i));
}

static inline void p9_put8(struct p9_buf *b, uint8_t v)
{
	p9_put_le(b, 1, v);
}
static inline void p9_put16(struct p9_buf *b, uint16_t v)
{
	p9_put_le(b, 2, v);
}
static inline void p9_put32(struct p9_buf *b, uint32_t v)
{
	p9_put_le(b, 4, v);
}
static inline void p9_put64(struct p9_buf *b, uint64_t v)
{
	p9_put_le(b, 8, v);
}

static inline void p9_put_bytes(struct p9_buf *b, const void *src, size_t n)
{
	uint8_t *q = p9_room(b, n);

	if (q && n)
		memcpy(q, src, n);
}

static inline void p9_put_str(struct p9_buf *b, const char *s, size_t n)
{
	if (n > UINT16_MAX) {
		b->bad = true;
		return;
	}
	p9_put16(b, (uint16_t)n);
	p9_put_bytes(b, s, n);
}

static inline void p9_put_qid(struct p9_buf *b, const struct p9_qid *q)
{
	p9_put8(b, q->type);
	p9_put32(b, q->version);
	p9_put64(b, q->path);
}

#endif
