// SPDX-License-Identifier: MIT
/* GDB remote protocol framing (see gdb_packet.h). */
#include "gdb_packet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define GDB_ESCAPE    '}'
#define GDB_INTERRUPT 0x03

void gdb_rx_init(struct gdb_rx *rx)
{
	rx->state = GDB_RX_IDLE;
	rx->len = 0;
	rx->sum = 0;
	rx->overflow = false;
	rx->buf[0] = 0;
}

int gdb_hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void rx_start(struct gdb_rx *rx)
{
	rx->state = GDB_RX_DATA;
	rx->len = 0;
	rx->sum = 0;
	rx->overflow = false;
}

static void rx_put(struct gdb_rx *rx, uint8_t b)
{
	if (rx->len < GDB_PACKET_MAX)
		rx->buf[rx->len++] = b;
	else
		rx->overflow = true;
}

enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t b)
{
	int d;

	switch (rx->state) {
	case GDB_RX_IDLE:
		if (b == '$')
			rx_start(rx);
		else if (b == '+')
			return GDB_RX_ACK;
		else if (b == '-')
			return GDB_RX_NAK;
		else if (b == GDB_INTERRUPT)
			return GDB_RX_INTERRUPT;
		return GDB_RX_NONE;
	case GDB_RX_DATA:
		if (b == '$') {
			rx_start(rx); /* gdb resynchronising: the unfinished packet is dropped */
		} else if (b == '#') {
			rx->state = GDB_RX_CSUM1;
		} else {
			rx->sum += b;
			if (b == GDB_ESCAPE)
				rx->state = GDB_RX_ESCAPE;
			else
				rx_put(rx, b);
		}
		return GDB_RX_NONE;
	case GDB_RX_ESCAPE:
		rx->sum += b;
		rx_put(rx, b ^ 0x20);
		rx->state = GDB_RX_DATA;
		return GDB_RX_NONE;
	case GDB_RX_CSUM1:
		d = gdb_hex_digit(b);
		if (d < 0) {
			rx->state = GDB_RX_IDLE;
			return GDB_RX_BAD;
		}
		rx->csum_hi = (uint8_t)d;
		rx->state = GDB_RX_CSUM2;
		return GDB_RX_NONE;
	case GDB_RX_CSUM2:
		rx->state = GDB_RX_IDLE;
		d = gdb_hex_digit(b);
		if (d < 0 || rx->overflow || (uint8_t)(rx->csum_hi << 4 | d) != rx->sum)
			return GDB_RX_BAD;
		rx->buf[rx->len] = 0;
		return GDB_RX_PACKET;
	}
	return GDB_RX_NONE;
}

static bool needs_escape(uint8_t b)
{
	return b == '$' || b == '#' || b == GDB_ESCAPE || b == '*';
}

size_t gdb_frame(const uint8_t *payload, size_t len, uint8_t *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t sum = 0;
	size_t n = 0;

	if (cap < 4)
		return 0;
	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t b = payload[i];

		if (n + (needs_escape(b) ? 2 : 1) + 3 > cap)
			return 0;
		if (needs_escape(b)) {
			out[n++] = GDB_ESCAPE;
			sum += GDB_ESCAPE;
			b ^= 0x20;
		}
		out[n++] = b;
		sum += b;
	}
	out[n++] = '#';
	out[n++] = (uint8_t)hex[sum >> 4];
	out[n++] = (uint8_t)hex[sum & 15];
	return n;
}

void gdb_reply_bytes(struct gdb_reply *r, const uint8_t *p, size_t n)
{
	if (n > sizeof(r->buf) - r->len) {
		r->overflow = true;
		n = sizeof(r->buf) - r->len;
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

void gdb_reply_str(struct gdb_reply *r, const char *s)
{
	gdb_reply_bytes(r, (const uint8_t *)s, strlen(s));
}

void gdb_reply_fmt(struct gdb_reply *r, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		r->overflow = true;
		return;
	}
	gdb_reply_bytes(r, (const uint8_t *)tmp, (size_t)n);
}

void gdb_reply_hex(struct gdb_reply *r, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		uint8_t two[2] = {(uint8_t)hex[p[i] >> 4], (uint8_t)hex[p[i] & 15]};

		gdb_reply_bytes(r, two, 2);
	}
}

void gdb_reply_error(struct gdb_reply *r, int negative_errno)
{
	int e = -negative_errno;

	gdb_reply_fmt(r, "E%02x", e > 0 && e < 256 ? e : EIO);
}

int gdb_parse_hex(const char **p, uint64_t *value)
{
	const char *s = *p;
	uint64_t v = 0;
	int d;

	if (gdb_hex_digit((uint8_t)*s) < 0)
		return -EINVAL;
	while ((d = gdb_hex_digit((uint8_t)*s)) >= 0) {
		if (v >> 60)
			return -EINVAL; /* a 17th significant digit */
		v = v << 4 | (uint64_t)d;
		s++;
	}
	*p = s;
	*value = v;
	return 0;
}

int gdb_hex_decode(const char *text, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi = gdb_hex_digit((uint8_t)text[2 * i]);
		int lo = hi < 0 ? -1 : gdb_hex_digit((uint8_t)text[2 * i + 1]);

		if (lo < 0)
			return -EINVAL;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}
