/* SPDX-License-Identifier: MIT */
/* The GDB remote serial protocol's framing, without I/O: `$payload#cs` packets with their
 * modulo-256 checksum and `}` escapes, the `+`/`-` acknowledgements and the bare 0x03 that
 * interrupts a running target (gdb's "Remote Protocol" appendix, "Overview").
 *
 * The receiver is a byte-at-a-time state machine with a fixed buffer: whatever a peer sends
 * (garbage, unterminated packets, bad checksums, packets longer than the buffer) ends in
 * one of the events below, never in a larger allocation or a crash.
 */
#ifndef VMM_GDB_PACKET_H
#define VMM_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The longest payload accepted (after unescaping) and sent: qSupported's PacketSize. */
#define GDB_PACKET_MAX 4096

enum gdb_rx_event {
	GDB_RX_NONE,	  /* nothing complete yet */
	GDB_RX_PACKET,	  /* rx->buf[0..len) is a packet's payload, checksum verified */
	GDB_RX_BAD,	  /* a packet with a wrong or malformed checksum, or too long: NAK it */
	GDB_RX_INTERRUPT, /* 0x03 between packets: stop the target */
	GDB_RX_ACK,	  /* '+' */
	GDB_RX_NAK,	  /* '-': send the last packet again */
};

struct gdb_rx {
	enum { GDB_RX_IDLE, GDB_RX_DATA, GDB_RX_ESCAPE, GDB_RX_CSUM1, GDB_RX_CSUM2 } state;
	uint8_t sum;	 /* of the raw bytes between '$' and '#' */
	uint8_t csum_hi; /* the checksum's first digit */
	bool overflow;	 /* the payload did not fit: the packet is BAD */
	size_t len;
	uint8_t buf[GDB_PACKET_MAX + 1]; /* NUL after the payload, for parsing its text */
};

void gdb_rx_init(struct gdb_rx *rx);
/* Feeds one received byte. Bytes between packets other than '+', '-' and 0x03 are ignored;
 * a '$' inside a packet starts a new one (the unfinished one is dropped). */
enum gdb_rx_event gdb_rx_byte(struct gdb_rx *rx, uint8_t byte);

/* Frames payload as `$...#cs` into out, escaping '$', '#', '}' and '*'. Returns the bytes
 * written, or 0 if they would not fit in cap (at most 2 * len + 4 are needed). */
size_t gdb_frame(const uint8_t *payload, size_t len, uint8_t *out, size_t cap);

/* A reply being built: appends past cap are dropped and remembered (overflow). */
struct gdb_reply {
	size_t len;
	bool overflow;
	uint8_t buf[GDB_PACKET_MAX];
};
void gdb_reply_str(struct gdb_reply *r, const char *s);
void gdb_reply_fmt(struct gdb_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gdb_reply_bytes(struct gdb_reply *r, const uint8_t *p, size_t n); /* raw (binary) */
void gdb_reply_hex(struct gdb_reply *r, const uint8_t *p, size_t n);   /* two digits a byte */
/* "Enn": an error reply carrying a (positive) errno value, as gdbserver sends them. */
void gdb_reply_error(struct gdb_reply *r, int negative_errno);

/* 0-15 for a hex digit (either case), else -1. */
int gdb_hex_digit(uint8_t c);
/* Parses hex digits at *p (at least one, at most 16 significant ones): advances *p past
 * them. -EINVAL for none or for a value over 64 bits. */
VMM_MUST_CHECK int gdb_parse_hex(const char **p, uint64_t *value);
/* Decodes exactly 2 * n hex digits at text into out. -EINVAL on a non-hex digit. */
VMM_MUST_CHECK int gdb_hex_decode(const char *text, uint8_t *out, size_t n);

#endif
