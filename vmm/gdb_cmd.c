// SPDX-License-Identifier: MIT
/* GDB remote protocol commands (see gdb_cmd.h). Packets are NUL-terminated after their
 * payload (gdb_rx), so text is parsed with C strings; binary data ('X') by its length. */
#include "gdb_cmd.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The memory a single 'm' returns or 'M'/'X' writes: its hex fits in one packet. */
#define GDB_MEM_MAX (GDB_PACKET_MAX / 2)

static bool starts(const uint8_t *pkt, const char *prefix)
{
	return !strncmp((const char *)pkt, prefix, strlen(prefix));
}

/* A thread id ("-1", or hex) of one of threads: 0 with *tid its number (1..threads), 0 for
 * "any" or -1 for "all"; -EINVAL if it is none of these. p is moved past it. */
static int parse_thread(const char **p, unsigned threads, long *tid)
{
	uint64_t v;

	if (**p == '-') {
		if ((*p)[1] != '1')
			return -EINVAL;
		*p += 2;
		*tid = -1;
		return 0;
	}
	if (gdb_parse_hex(p, &v) || v > threads)
		return -EINVAL;
	*tid = (long)v;
	return 0;
}

/* ---- answered by the stub's thread ---- */

/* qfThreadInfo: every vcpu's thread at once ("m01,02"); qsThreadInfo then ends the list. */
static void thread_list(unsigned threads, struct gdb_reply *r)
{
	gdb_reply_str(r, "m");
	for (unsigned i = 1; i <= threads; i++)
		gdb_reply_fmt(r, i > 1 ? ",%02x" : "%02x", i);
}

/* qThreadExtraInfo,ID: what gdb's `info threads` shows beside the thread, hex-encoded. */
static void thread_name(const char *args, unsigned threads, struct gdb_reply *r)
{
	char name[32];
	long tid;

	if (parse_thread(&args, threads, &tid) || *args || tid <= 0) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	snprintf(name, sizeof(name), "vcpu %ld", tid - 1);
	gdb_reply_hex(r, (const uint8_t *)name, strlen(name));
}

/* T ID: is the thread alive (every vcpu's is, for the machine's life). */
static void thread_alive(const char *args, unsigned threads, struct gdb_reply *r)
{
	long tid;

	if (parse_thread(&args, threads, &tid) || *args || tid <= 0)
		gdb_reply_error(r, -ENOENT);
	else
		gdb_reply_str(r, "OK");
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH: "m" + data when more follows, "l" + data at
 * the end. */
static void xfer_features(const char *args, const char *xml, struct gdb_reply *r)
{
	static const char annex[] = "target.xml:";
	size_t size = strlen(xml);
	uint64_t off, len;

	if (strncmp(args, annex, strlen(annex))) {
		gdb_reply_error(r, -ENOENT);
		return;
	}
	args += strlen(annex);
	if (gdb_parse_hex(&args, &off) || *args++ != ',' || gdb_parse_hex(&args, &len) || *args) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	if (off >= size) {
		gdb_reply_str(r, "l");
		return;
	}
	/* room for the type letter; gdb_frame escapes what needs it */
	if (len > GDB_PACKET_MAX - 1)
		len = GDB_PACKET_MAX - 1;
	if (len > size - off)
		len = size - off;
	gdb_reply_str(r, off + len < size ? "m" : "l");
	gdb_reply_bytes(r, (const uint8_t *)xml + off, (size_t)len);
}

bool gdb_cmd_local(const uint8_t *pkt, size_t len, const char *xml, unsigned threads,
		   struct gdb_reply *r, bool *no_ack)
{
	const char *s = (const char *)pkt;

	(void)len; /* every local command is text */
	if (starts(pkt, "qSupported")) {
		gdb_reply_fmt(r,
			      "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;"
			      "vContSupported+;hwbreak-",
			      GDB_PACKET_MAX);
	} else if (!strcmp(s, "QStartNoAckMode")) {
		gdb_reply_str(r, "OK");
		*no_ack = true;
	} else if (starts(pkt, "qXfer:features:read:")) {
		xfer_features(s + strlen("qXfer:features:read:"), xml, r);
	} else if (starts(pkt, "qAttached")) {
		gdb_reply_str(r, "1"); /* to a running machine: gdb's quit detaches, never kills */
	} else if (!strcmp(s, "qfThreadInfo")) {
		thread_list(threads, r);
	} else if (!strcmp(s, "qsThreadInfo")) {
		gdb_reply_str(r, "l");
	} else if (starts(pkt, "qThreadExtraInfo,")) {
		thread_name(s + strlen("qThreadExtraInfo,"), threads, r);
	} else if (s[0] == 'T') {
		thread_alive(s + 1, threads, r);
	} else if (!strcmp(s, "vCont?")) {
		gdb_reply_str(r, "vCont;c;C;s;S");
	} else if (s[0] == '?' || s[0] == 'g' || s[0] == 'G' || s[0] == 'p' || s[0] == 'P' ||
		   s[0] == 'm' || s[0] == 'M' || s[0] == 'X' || s[0] == 'Z' || s[0] == 'z' ||
		   s[0] == 'c' || s[0] == 'C' || s[0] == 's' || s[0] == 'S' || s[0] == 'D' ||
		   s[0] == 'k' || s[0] == 'H' || !strcmp(s, "qC") || starts(pkt, "vCont;")) {
		return false; /* the vcpus' */
	}
	/* everything else: unknown, the empty reply (qOffsets, qSymbol, vMustReplyEmpty, '!') */
	return true;
}

/* ---- answered while the vcpus are stopped ---- */

int gdb_session_init(struct gdb_session *s, struct vmm_machine *m)
{
	memset(s, 0, sizeof(*s));
	s->vcpus = m->vcpus;
	s->nr_threads = m->nr_vcpus;
	s->cont = -1;
	s->step = -1;
	s->signo = SIGTRAP;
	return gdb_target_init(&s->target, m);
}

void gdb_session_select(struct gdb_session *s, unsigned cpu)
{
	s->sel = cpu;
	s->target.vcpu = s->vcpus[cpu];
}

void gdb_cmd_stop_reply(struct gdb_reply *r, const struct gdb_session *s)
{
	static const char *const watch_name[] = {
		[GDB_HW_WATCH] = "watch", [GDB_HW_RWATCH] = "rwatch", [GDB_HW_AWATCH] = "awatch"};

	gdb_reply_fmt(r, "T%02xthread:%02x;", s->signo & 0xff, s->stop_cpu + 1);
	if (s->stop_watch)
		gdb_reply_fmt(r, "%s:%08" PRIx64 ";", watch_name[s->stop_watch],
			      s->stop_watch_addr);
}

/* "ADDR,LEN" followed by end (a ',' or ':' or NUL): an address of the target's, a length. */
static int parse_addr_len(const struct gdb_session *s, const char **p, uint64_t *addr,
			  uint64_t *n, char end)
{
	if (gdb_parse_hex(p, addr) || *addr > s->target.layout->addr_max || *(*p)++ != ',' ||
	    gdb_parse_hex(p, n) || **p != end)
		return -EINVAL;
	if (end)
		(*p)++;
	return 0;
}

static void cmd_read_mem(struct gdb_session *s, const char *args, struct gdb_reply *r)
{
	uint8_t buf[GDB_MEM_MAX];
	uint64_t addr, n;
	size_t done;
	int rc;

	if (parse_addr_len(s, &args, &addr, &n, 0)) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	if (n > GDB_MEM_MAX)
		n = GDB_MEM_MAX; /* a short read: gdb asks again for the rest */
	if (n == 0)
		return; /* the empty reply is the zero bytes asked for */
	rc = gdb_target_read_mem(&s->target, addr, buf, (size_t)n, &done);
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_hex(r, buf, done);
}

/* 'M': hex data; 'X': binary data (already unescaped), len bytes of packet in all. */
static void cmd_write_mem(struct gdb_session *s, const uint8_t *pkt, size_t len, bool binary,
			  struct gdb_reply *r)
{
	const char *args = (const char *)pkt + 1;
	uint8_t buf[GDB_MEM_MAX];
	const uint8_t *data = buf;
	uint64_t addr, n;
	size_t have;
	int rc;

	if (parse_addr_len(s, &args, &addr, &n, ':') || n > GDB_MEM_MAX) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	have = len - (size_t)((const uint8_t *)args - pkt);
	if (binary) {
		if (have != n) {
			gdb_reply_error(r, -EINVAL);
			return;
		}
		data = (const uint8_t *)args;
	} else if (have != 2 * n || gdb_hex_decode(args, buf, (size_t)n)) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	rc = n ? gdb_target_write_mem(&s->target, addr, data, (size_t)n) : 0;
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_str(r, "OK");
}

static void cmd_read_regs(struct gdb_session *s, struct gdb_reply *r)
{
	uint8_t regs[GDB_REGS_MAX];
	int rc = gdb_target_read_regs(&s->target, regs);

	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_hex(r, regs, gdb_target_regs_bytes(&s->target));
}

static void cmd_write_regs(struct gdb_session *s, const char *hex, struct gdb_reply *r)
{
	uint8_t regs[GDB_REGS_MAX];
	size_t n = gdb_target_regs_bytes(&s->target);
	int rc = -EINVAL;

	if (strlen(hex) == 2 * n && !gdb_hex_decode(hex, regs, n))
		rc = gdb_target_write_regs(&s->target, regs);
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_str(r, "OK");
}

static void cmd_read_reg(struct gdb_session *s, const char *args, struct gdb_reply *r)
{
	uint8_t v[8];
	uint64_t regno;
	size_t size;
	int rc = -EINVAL;

	if (!gdb_parse_hex(&args, &regno) && !*args)
		rc = regno < GDB_REG_COUNT
			 ? gdb_target_read_reg(&s->target, (unsigned)regno, v, &size)
			 : -ENOENT;
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_hex(r, v, size);
}

static void cmd_write_reg(struct gdb_session *s, const char *args, struct gdb_reply *r)
{
	uint8_t v[8];
	uint64_t regno;
	size_t digits;
	int rc = -EINVAL;

	if (!gdb_parse_hex(&args, &regno) && *args++ == '=') {
		digits = strlen(args);
		if (regno >= GDB_REG_COUNT)
			rc = -ENOENT;
		else if ((digits == 8 || digits == 16) && !gdb_hex_decode(args, v, digits / 2))
			rc = gdb_target_write_reg(&s->target, (unsigned)regno, v, digits / 2);
	}
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_str(r, "OK");
}

/* ZTYPE,ADDR,KIND / zTYPE,ADDR,KIND (conditions after ';' are not asked for: ignored):
 * type 0 a software breakpoint, 1 a hardware one (KIND: 4, the instruction's size), 2-4 a
 * write, read, access watchpoint (KIND: its length, 1-8). */
static void cmd_breakpoint(struct gdb_session *s, const char *args, bool insert,
			   struct gdb_reply *r)
{
	uint64_t addr, kind;
	unsigned type = (unsigned)(args[0] - '0');
	int rc = 0;

	if (type > GDB_HW_AWATCH || args[1] != ',') {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	args += 2;
	if (gdb_parse_hex(&args, &addr) || addr > s->target.layout->addr_max || *args++ != ',' ||
	    gdb_parse_hex(&args, &kind) || (*args && *args != ';') ||
	    (type <= GDB_HW_BREAK ? kind != GDB_BREAKPOINT_KIND : kind == 0 || kind > 8) ||
	    (type == GDB_HW_BREAK && (addr & 3))) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	if (type == 0)
		rc = insert ? gdb_target_insert_bp(&s->target, addr)
			    : gdb_target_remove_bp(&s->target, addr);
	else if (insert)
		rc = gdb_target_insert_hw(&s->target, (enum gdb_hw_type)type, addr);
	else
		gdb_target_remove_hw(&s->target, (enum gdb_hw_type)type, addr);
	if (rc)
		gdb_reply_error(r, rc);
	else
		gdb_reply_str(r, "OK");
}

/* c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR]: gdb's signal means nothing to a machine. */
static enum gdb_action cmd_resume(struct gdb_session *s, const char *args, bool step,
				  bool with_signal, struct gdb_reply *r)
{
	uint64_t v;
	int rc;

	if (with_signal) {
		if (gdb_parse_hex(&args, &v))
			goto bad;
		if (*args == ';')
			args++;
		else if (*args)
			goto bad;
	}
	if (*args) {
		if (gdb_parse_hex(&args, &v) || *args || v > s->target.layout->addr_max)
			goto bad;
		rc = gdb_target_set_pc(&s->target, v);
		if (rc) {
			gdb_reply_error(r, rc);
			return GDB_ACTION_NONE;
		}
	}
	s->step = !step ? -1 : s->cont >= 0 ? s->cont : (int)s->sel;
	return GDB_ACTION_CONTINUE;
bad:
	gdb_reply_error(r, -EINVAL);
	return GDB_ACTION_NONE;
}

/* vCont;ACTION[:TID][;ACTION[:TID]]...: the first step action steps its thread (none or
 * -1: the selected one) and nothing else runs; without one, every vcpu runs. */
static enum gdb_action cmd_vcont(struct gdb_session *s, const char *args, struct gdb_reply *r)
{
	int step = -1;
	uint64_t sig;
	long tid;

	do {
		char a = *args;

		if (a != 'c' && a != 'C' && a != 's' && a != 'S')
			goto bad;
		args++;
		if ((a == 'C' || a == 'S') && gdb_parse_hex(&args, &sig))
			goto bad;
		tid = -1;
		if (*args == ':' && (args++, parse_thread(&args, s->nr_threads, &tid)))
			goto bad;
		if (*args && *args != ';')
			goto bad;
		if ((a == 's' || a == 'S') && step < 0)
			step = tid > 0 ? (int)tid - 1 : (int)s->sel;
	} while (*args && *++args);
	s->step = step;
	return GDB_ACTION_CONTINUE;
bad:
	gdb_reply_error(r, -EINVAL);
	return GDB_ACTION_NONE;
}

/* Hg ID / Hc ID: the thread later packets (g, m, ...) or 's' are about. */
static void cmd_thread(struct gdb_session *s, const char *args, struct gdb_reply *r)
{
	char op = *args++;
	long tid;

	if ((op != 'g' && op != 'c') || parse_thread(&args, s->nr_threads, &tid) || *args) {
		gdb_reply_error(r, -EINVAL);
		return;
	}
	if (op == 'g' && tid > 0)
		gdb_session_select(s, (unsigned)tid - 1);
	else if (op == 'c')
		s->cont = tid > 0 ? (int)tid - 1 : -1;
	gdb_reply_str(r, "OK");
}

enum gdb_action gdb_cmd_vcpu(struct gdb_session *s, const uint8_t *pkt, size_t len,
			     struct gdb_reply *r)
{
	const char *args = (const char *)pkt + (len ? 1 : 0);

	switch (len ? pkt[0] : 0) {
	case '?':
		gdb_cmd_stop_reply(r, s);
		return GDB_ACTION_NONE;
	case 'g':
		cmd_read_regs(s, r);
		return GDB_ACTION_NONE;
	case 'G':
		cmd_write_regs(s, args, r);
		return GDB_ACTION_NONE;
	case 'p':
		cmd_read_reg(s, args, r);
		return GDB_ACTION_NONE;
	case 'P':
		cmd_write_reg(s, args, r);
		return GDB_ACTION_NONE;
	case 'm':
		cmd_read_mem(s, args, r);
		return GDB_ACTION_NONE;
	case 'M':
	case 'X':
		cmd_write_mem(s, pkt, len, pkt[0] == 'X', r);
		return GDB_ACTION_NONE;
	case 'Z':
	case 'z':
		cmd_breakpoint(s, args, pkt[0] == 'Z', r);
		return GDB_ACTION_NONE;
	case 'c':
	case 's':
		return cmd_resume(s, args, pkt[0] == 's', false, r);
	case 'C':
	case 'S':
		return cmd_resume(s, args, pkt[0] == 'S', true, r);
	case 'v':
		if (starts(pkt, "vCont;"))
			return cmd_vcont(s, args + strlen("Cont;"), r);
		return GDB_ACTION_NONE;
	case 'H':
		cmd_thread(s, args, r);
		return GDB_ACTION_NONE;
	case 'q':
		if (!strcmp(args, "C"))
			gdb_reply_fmt(r, "QC%02x", s->sel + 1);
		return GDB_ACTION_NONE;
	case 'D':
		gdb_reply_str(r, "OK");
		return GDB_ACTION_DETACH;
	case 'k':
		return GDB_ACTION_KILL;
	}
	return GDB_ACTION_NONE; /* unknown: the empty reply */
}
