// SPDX-License-Identifier: MIT
/* The gdb stub's connection and its rendezvous with the vcpu thread (see gdbstub.h). */
#define _GNU_SOURCE /* accept4 */
#include "gdbstub.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gdb_address.h"
#include "gdb_cmd.h"
#include "gdb_packet.h"
#include "log.h"

/* Framed bytes waiting for gdb: a few replies. A peer that lets this fill stops reading. */
#define GDB_OUTBOX    (8 * (2 * GDB_PACKET_MAX + 4))
#define GDB_FRAME_MAX (2 * GDB_PACKET_MAX + 4)
#define GDB_FLUSH_MS  1000 /* at the end, how long a last reply may take to leave */

struct vmm_gdb {
	struct vmm_machine *m;
	int listen_fd;
	int event_fd; /* wakes the stub's thread: output queued, or its end */
	pthread_t thread;
	char address[80];

	/* the stub's thread only */
	const char *target_xml; /* the layout's (gdb_target_init, before the thread starts) */
	int client_fd;
	struct gdb_rx rx;
	struct gdb_reply local; /* a local command's reply being built */

	pthread_mutex_t lock;
	pthread_cond_t cond; /* the parked vcpu thread waits on it */
	/* under lock */
	bool connected;
	unsigned conn;	     /* counts connections: which one a packet came from */
	bool no_ack;	     /* QStartNoAckMode answered */
	bool shutdown;	     /* vmm_gdb_stop: the stub's thread ends */
	bool drop;	     /* the connection is to be dropped (stopped reading) */
	bool stop_request;   /* the vcpu is to park (gdb attached, Ctrl-C, --gdb-wait) */
	int stop_signal;     /* ... with this signal */
	bool detach_request; /* the connection ended: breakpoints are to go */
	bool woken;	     /* vmm_gdb_wake */
	bool parked;	     /* the vcpu thread is in vmm_gdb_park */
	bool gdb_running;    /* gdb resumed the guest and waits for a stop reply */
	bool inbox_full;     /* a vcpu packet waits in inbox (even after its connection closed:
			      * a 'k' just before the close still kills) */
	unsigned inbox_conn; /* the connection it came from: its reply goes nowhere else */
	size_t inbox_len;
	uint8_t inbox[GDB_PACKET_MAX + 1];
	size_t out_len;
	uint8_t outbox[GDB_OUTBOX];
	size_t last_len; /* the last packet sent, for a NAK */
	uint8_t last[GDB_FRAME_MAX];
	/* stop_request || detach_request, read without the lock by vmm_gdb_poll */
	atomic_bool attention;

	/* the vcpu thread only */
	struct gdb_session s;
};

/* ---- addresses ---- */

static int gdb_listen(struct vmm_gdb *g, const char *spec, struct vmm_err *err)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
				 .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct vmm_gdb_address a;
	char nhost[64], nport[8];
	struct addrinfo *ai;
	int one = 1, rc, fd;

	rc = vmm_gdb_parse_address(spec, &a, err);
	if (rc)
		return rc;
	rc = getaddrinfo(a.host, a.port, &hints, &ai);
	if (rc)
		return vmm_err_set(err, -EINVAL, "gdb: cannot resolve '%s': %s", a.host,
				   gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 1) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sslen)) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return vmm_err_set(err, rc, "gdb: cannot listen on %s: %s", spec + 4,
				   strerror(-rc));
	}
	freeaddrinfo(ai);
	if (getnameinfo((struct sockaddr *)&ss, sslen, nhost, sizeof(nhost), nport, sizeof(nport),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(nhost, sizeof(nhost), "?");
	snprintf(g->address, sizeof(g->address), strchr(nhost, ':') ? "[%s]:%s" : "%s:%s", nhost,
		 nport);
	g->listen_fd = fd;
	return 0;
}

const char *vmm_gdb_address(const struct vmm_gdb *g)
{
	return g->address;
}

/* ---- output (under lock) ---- */

static void notify_thread(struct vmm_gdb *g)
{
	uint64_t one = 1;

	while (write(g->event_fd, &one, sizeof(one)) < 0 && errno == EINTR)
		;
}

static void queue_raw(struct vmm_gdb *g, const uint8_t *p, size_t n)
{
	if (n > sizeof(g->outbox) - g->out_len) {
		g->drop = true; /* gdb does not read what it asked for */
		return;
	}
	memcpy(g->outbox + g->out_len, p, n);
	g->out_len += n;
}

static void queue_packet(struct vmm_gdb *g, const struct gdb_reply *r)
{
	size_t n;

	if (!g->connected)
		return;
	n = gdb_frame(r->buf, r->overflow ? 0 : r->len, g->last, sizeof(g->last));
	g->last_len = n;
	queue_raw(g, g->last, n);
	notify_thread(g);
}

/* ---- the stub's thread ---- */

static void close_client(struct vmm_gdb *g, const char *why)
{
	pr_info("gdb: %s", why);
	close(g->client_fd);
	g->client_fd = -1;
	pthread_mutex_lock(&g->lock);
	g->connected = false;
	g->no_ack = false;
	g->drop = false;
	g->gdb_running = false;
	g->out_len = 0;
	g->stop_request = false;
	g->detach_request = true;
	atomic_store(&g->attention, true);
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	skvm_vcpu_kick(g->m->vcpu); /* a running guest drops the breakpoints now */
}

static void accept_client(struct vmm_gdb *g)
{
	int one = 1, fd = accept4(g->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return;
	if (g->client_fd >= 0) {
		pr_warn("gdb: a second connection refused (one gdb at a time)");
		close(fd);
		return;
	}
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	g->client_fd = fd;
	gdb_rx_init(&g->rx);
	pr_info("gdb: connected");
	pthread_mutex_lock(&g->lock);
	g->connected = true;
	g->conn++;
	if (!g->parked) { /* gdb attaching stops the guest */
		g->stop_request = true;
		g->stop_signal = SIGTRAP;
		atomic_store(&g->attention, true);
	}
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	skvm_vcpu_kick(g->m->vcpu);
}

/* Ctrl-C: only while gdb waits for the guest to stop. */
static void interrupt(struct vmm_gdb *g)
{
	bool kick = false;

	pthread_mutex_lock(&g->lock);
	if (g->gdb_running && !g->parked && !g->stop_request) {
		g->stop_request = true;
		g->stop_signal = SIGINT;
		atomic_store(&g->attention, true);
		kick = true;
	}
	pthread_mutex_unlock(&g->lock);
	if (kick)
		skvm_vcpu_kick(g->m->vcpu);
}

static void packet(struct vmm_gdb *g)
{
	bool no_ack;

	pthread_mutex_lock(&g->lock);
	if (!g->no_ack)
		queue_raw(g, (const uint8_t *)"+", 1);
	no_ack = g->no_ack;
	pthread_mutex_unlock(&g->lock);

	g->local.len = 0;
	g->local.overflow = false;
	if (gdb_cmd_local(g->rx.buf, g->rx.len, g->target_xml, &g->local, &no_ack)) {
		pthread_mutex_lock(&g->lock);
		queue_packet(g, &g->local);
		g->no_ack = no_ack;
		pthread_mutex_unlock(&g->lock);
		return;
	}
	pthread_mutex_lock(&g->lock);
	if (g->inbox_full) {
		/* gdb waits for each reply: a second one in flight is a confused peer's */
		pr_debug("gdb: packet dropped (one is already waiting for the vcpu)");
	} else {
		memcpy(g->inbox, g->rx.buf, g->rx.len + 1);
		g->inbox_len = g->rx.len;
		g->inbox_conn = g->conn;
		g->inbox_full = true;
		pthread_cond_broadcast(&g->cond);
	}
	pthread_mutex_unlock(&g->lock);
}

static void receive(struct vmm_gdb *g)
{
	uint8_t buf[4096];
	ssize_t n = read(g->client_fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close_client(g, n ? "connection error" : "connection closed");
		return;
	}
	for (ssize_t i = 0; i < n && g->client_fd >= 0; i++) {
		switch (gdb_rx_byte(&g->rx, buf[i])) {
		case GDB_RX_PACKET:
			packet(g);
			break;
		case GDB_RX_BAD:
			pr_debug("gdb: bad packet (checksum or length)");
			pthread_mutex_lock(&g->lock);
			if (!g->no_ack)
				queue_raw(g, (const uint8_t *)"-", 1);
			pthread_mutex_unlock(&g->lock);
			break;
		case GDB_RX_NAK:
			pthread_mutex_lock(&g->lock);
			if (!g->no_ack)
				queue_raw(g, g->last, g->last_len);
			pthread_mutex_unlock(&g->lock);
			break;
		case GDB_RX_INTERRUPT:
			interrupt(g);
			break;
		case GDB_RX_ACK:
		case GDB_RX_NONE:
			break;
		}
	}
}

/* Sends what it can of the outbox without blocking. */
static void send_out(struct vmm_gdb *g)
{
	ssize_t n;

	pthread_mutex_lock(&g->lock);
	n = g->out_len ? send(g->client_fd, g->outbox, g->out_len, MSG_NOSIGNAL | MSG_DONTWAIT) : 0;
	if (n > 0) {
		memmove(g->outbox, g->outbox + n, g->out_len - (size_t)n);
		g->out_len -= (size_t)n;
	}
	pthread_mutex_unlock(&g->lock);
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		close_client(g, "connection error");
}

/* At the end: what is queued (the exit notice) may take GDB_FLUSH_MS to leave. */
static void flush_out(struct vmm_gdb *g)
{
	for (int waited = 0; g->client_fd >= 0 && waited < GDB_FLUSH_MS; waited += 10) {
		struct pollfd p = {.fd = g->client_fd, .events = POLLOUT};

		pthread_mutex_lock(&g->lock);
		bool empty = g->out_len == 0;
		pthread_mutex_unlock(&g->lock);
		if (empty)
			return;
		if (poll(&p, 1, 10) > 0)
			send_out(g);
	}
}

static void *gdb_thread(void *arg)
{
	struct vmm_gdb *g = arg;

	for (;;) {
		struct pollfd fds[3] = {
		    {.fd = g->event_fd, .events = POLLIN},
		    {.fd = g->listen_fd, .events = POLLIN},
		    {.fd = g->client_fd, .events = POLLIN},
		};
		bool shutdown, drop;
		uint64_t v;

		pthread_mutex_lock(&g->lock);
		if (g->out_len)
			fds[2].events |= POLLOUT;
		shutdown = g->shutdown;
		drop = g->drop;
		pthread_mutex_unlock(&g->lock);
		if (shutdown)
			break;
		if (drop && g->client_fd >= 0) {
			close_client(g, "dropped: it does not read its replies");
			continue;
		}
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("gdb: poll: %s", strerror(errno));
			break;
		}
		if (fds[0].revents & POLLIN)
			(void)!read(g->event_fd, &v, sizeof(v));
		if (fds[1].revents & POLLIN)
			accept_client(g);
		if (g->client_fd >= 0 && (fds[2].revents & POLLOUT))
			send_out(g);
		if (g->client_fd >= 0 && (fds[2].revents & (POLLIN | POLLHUP | POLLERR)))
			receive(g);
	}
	flush_out(g);
	if (g->client_fd >= 0)
		close(g->client_fd);
	g->client_fd = -1;
	return NULL;
}

int vmm_gdb_start(const char *spec, bool wait, struct vmm_machine *m, struct vmm_gdb **out,
		  struct vmm_err *err)
{
	struct vmm_gdb *g = calloc(1, sizeof(*g));
	int rc;

	if (!g)
		return vmm_err_set(err, -ENOMEM, "gdb: out of memory");
	g->m = m;
	g->client_fd = -1;
	g->listen_fd = -1;
	atomic_init(&g->attention, wait);
	g->stop_request = wait;
	g->stop_signal = SIGTRAP;
	rc = gdb_target_init(&g->s.target, m);
	if (rc) {
		free(g);
		return vmm_err_set(err, rc, "gdb: cannot read the debug instruction: %s",
				   strerror(-rc));
	}
	g->target_xml = g->s.target.layout->xml;
	g->s.signo = SIGTRAP;
	rc = gdb_listen(g, spec, err);
	if (rc) {
		free(g);
		return rc;
	}
	g->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (g->event_fd < 0) {
		rc = vmm_err_set(err, -errno, "gdb: eventfd: %s", strerror(errno));
		close(g->listen_fd);
		free(g);
		return rc;
	}
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	rc = -pthread_create(&g->thread, NULL, gdb_thread, g);
	if (rc) {
		vmm_err_set(err, rc, "gdb: cannot start its thread: %s", strerror(-rc));
		close(g->event_fd);
		close(g->listen_fd);
		pthread_cond_destroy(&g->cond);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void vmm_gdb_stop(struct vmm_gdb *g, int exit_status)
{
	struct gdb_reply r = {.len = 0};

	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	if (g->connected && g->gdb_running) {
		gdb_reply_fmt(&r, "W%02x", exit_status & 0xff);
		queue_packet(g, &r);
	}
	g->shutdown = true;
	notify_thread(g);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	close(g->event_fd);
	close(g->listen_fd);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void vmm_gdb_wake(struct vmm_gdb *g)
{
	pthread_mutex_lock(&g->lock);
	g->woken = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

/* ---- the vcpu thread ---- */

/* The connection is gone: its breakpoints go, the guest runs on undisturbed. */
static void session_end(struct vmm_gdb *g)
{
	struct gdb_session *s = &g->s;

	gdb_target_remove_all_bp(&s->target);
	s->debugging = false;
	s->step = false;
	if (gdb_target_set_debug(&s->target, false, false))
		pr_warn("gdb: cannot turn guest debugging off");
}

/* Resuming: breakpoints and single step as gdb asked, for the next run. */
static int session_resume(struct vmm_gdb *g)
{
	struct gdb_session *s = &g->s;

	s->debugging = true;
	return gdb_target_set_debug(&s->target, true, s->step);
}

int vmm_gdb_poll(struct vmm_gdb *g)
{
	bool detach, stop;
	int signo;

	if (!atomic_load_explicit(&g->attention, memory_order_relaxed))
		return 0;
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->attention, false);
	detach = g->detach_request;
	stop = g->stop_request;
	signo = g->stop_signal;
	g->detach_request = false;
	g->stop_request = false;
	pthread_mutex_unlock(&g->lock);
	if (detach)
		session_end(g);
	return stop ? signo : 0;
}

int vmm_gdb_debug_exit(struct vmm_gdb *g, uint64_t address, uint32_t status)
{
	struct gdb_session *s = &g->s;
	uint64_t pc = address;

	s->stop_watch = 0;
	if (!s->debugging)
		return 0; /* a step requested before gdb went away */
	if (status & (SKVM_DEBUG_WATCH_READ | SKVM_DEBUG_WATCH_WRITE)) {
		s->step = false;
		s->stop_watch = gdb_target_watch_at(&s->target, address);
		s->stop_watch_addr = address;
		return SIGTRAP;
	}
	if (status & SKVM_DEBUG_BREAKPOINT) {
		s->step = false;
		return SIGTRAP;
	}
	if (s->step || gdb_target_is_bp(&s->target, pc)) {
		s->step = false;
		return SIGTRAP;
	}
	if (gdb_target_plant_pending(&s->target) || s->target.nr_bp) {
		/* stepping towards a pending breakpoint's mapping (or just planted it) */
		if (session_resume(g)) {
			pr_warn("gdb: cannot set guest debugging");
			return SIGTRAP;
		}
		return 0;
	}
	return SIGTRAP; /* a debug instruction the guest has of its own */
}

void vmm_gdb_machine_reset(struct vmm_gdb *g)
{
	gdb_target_replant(&g->s.target);
}

/* One vcpu packet, with the lock dropped: the stub's thread goes on meanwhile. */
static enum gdb_action serve(struct vmm_gdb *g)
{
	uint8_t pkt[sizeof(g->inbox)];
	struct gdb_reply reply;
	enum gdb_action act;
	size_t len = g->inbox_len;
	unsigned conn = g->inbox_conn;

	memcpy(pkt, g->inbox, len + 1); /* with its NUL */
	g->inbox_full = false;
	pthread_mutex_unlock(&g->lock);

	reply.len = 0;
	reply.overflow = false;
	act = gdb_cmd_vcpu(&g->s, pkt, len, &reply);
	if (act == GDB_ACTION_CONTINUE && session_resume(g)) {
		gdb_reply_error(&reply, -EIO);
		act = GDB_ACTION_NONE;
	} else if (act == GDB_ACTION_DETACH || act == GDB_ACTION_KILL) {
		session_end(g);
	}

	pthread_mutex_lock(&g->lock);
	if (conn != g->conn || !g->connected)
		return act; /* its gdb is gone: nobody to answer or to tell of a stop */
	if (act != GDB_ACTION_CONTINUE && act != GDB_ACTION_KILL)
		queue_packet(g, &reply);
	if (act == GDB_ACTION_CONTINUE)
		g->gdb_running = true;
	return act;
}

enum vmm_gdb_resume vmm_gdb_park(struct vmm_gdb *g, int signo)
{
	enum vmm_gdb_resume res;
	struct gdb_reply r;

	pthread_mutex_lock(&g->lock);
	g->parked = true;
	g->stop_request = false;
	g->s.signo = signo; /* for '?' */
	if (g->gdb_running) {
		g->gdb_running = false;
		r.len = 0;
		r.overflow = false;
		gdb_cmd_stop_reply(&r, &g->s);
		queue_packet(g, &r);
	}
	for (;;) {
		if (g->inbox_full) {
			enum gdb_action act = serve(g);

			if (act == GDB_ACTION_CONTINUE || act == GDB_ACTION_DETACH) {
				res = VMM_GDB_RESUME;
				break;
			}
			if (act == GDB_ACTION_KILL) {
				res = VMM_GDB_KILL;
				break;
			}
			continue;
		}
		if (g->detach_request) {
			g->detach_request = false;
			pthread_mutex_unlock(&g->lock);
			session_end(g);
			pthread_mutex_lock(&g->lock);
			if (!g->connected) { /* else a new gdb is already there */
				res = VMM_GDB_RESUME;
				break;
			}
			continue;
		}
		if (g->woken) {
			g->woken = false;
			res = VMM_GDB_WOKEN;
			break;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
	g->parked = false;
	g->stop_request = false;
	pthread_mutex_unlock(&g->lock);
	return res;
}
