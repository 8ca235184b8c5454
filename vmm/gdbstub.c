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

/* A vcpu as the stub sees it. */
struct gdb_vcpu {
	enum {
		GDB_VCPU_OUT,	 /* its thread does not run it (a secondary not started) */
		GDB_VCPU_RUN,	 /* between runs or in the guest */
		GDB_VCPU_PARKED, /* in vmm_gdb_park */
	} state;		 /* under lock, changed by the vcpu's own thread only */
	bool woken;		 /* under lock: vmm_gdb_wake since its thread last parked */
	/* its own thread: the watchpoint its last debug exit met (or 0), for its stop */
	enum gdb_hw_type watch;
	uint64_t watch_addr;
};

struct vmm_gdb {
	struct vmm_machine *m;
	unsigned nr; /* the machine's vcpus */
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
	pthread_cond_t cond; /* parked vcpu threads wait on it */
	/* under lock */
	bool connected;
	unsigned conn;	     /* counts connections: which one a packet came from */
	bool no_ack;	     /* QStartNoAckMode answered */
	bool shutdown;	     /* vmm_gdb_stop: the stub's thread ends, parked vcpus stop */
	bool drop;	     /* the connection is to be dropped (stopped reading) */
	int step;	     /* while halted, this vcpu alone runs (one step); -1: none */
	bool stop_new;	     /* a stop gdb has not been told of: */
	int stop_signal;     /* ... its signal */
	int stop_cpu;	     /* ... its vcpu (-1: the selected one) */
	enum gdb_hw_type stop_watch; /* ... the watchpoint it met (or 0) */
	uint64_t stop_watch_addr;
	bool detach_request; /* the connection ended: breakpoints are to go */
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
	/* all-stop: every vcpu but step is to park (written under lock, read without it by
	 * vmm_gdb_poll) */
	atomic_bool halt;

	/* The session, between the vcpu threads: those in the guest meet breakpoints and plant
	 * pending ones; vcpu 0 serves gdb while the others are parked. */
	pthread_mutex_t target_lock;
	struct gdb_session s;

	struct gdb_vcpu vcpu[]; /* nr */
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

/* Every vcpu but self (-1: all) leaves the guest and looks at the stub before its next run. */
static void kick_vcpus(struct vmm_gdb *g, int self)
{
	for (unsigned i = 0; i < g->nr; i++)
		if ((int)i != self)
			skvm_vcpu_kick(g->m->vcpus[i]);
}

/* A stop gdb is to be told of (under lock): the machine halts. */
static void stop_machine(struct vmm_gdb *g, int signo, int cpu)
{
	atomic_store(&g->halt, true);
	g->step = -1;
	g->stop_new = true;
	g->stop_signal = signo;
	g->stop_cpu = cpu;
	g->stop_watch = 0;
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
	/* a running machine stops, for vcpu 0 to drop the breakpoints now */
	atomic_store(&g->halt, true);
	g->step = -1;
	g->detach_request = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	kick_vcpus(g, -1);
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
	if (!atomic_load(&g->halt)) /* gdb attaching stops the guest */
		stop_machine(g, SIGTRAP, -1);
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	kick_vcpus(g, -1);
}

/* Ctrl-C: only while gdb waits for the guest to stop (a continue, or a long step). */
static void interrupt(struct vmm_gdb *g)
{
	bool kick = false;

	pthread_mutex_lock(&g->lock);
	if (g->gdb_running && !g->stop_new && (!atomic_load(&g->halt) || g->step >= 0)) {
		stop_machine(g, SIGINT, -1);
		kick = true;
	}
	pthread_mutex_unlock(&g->lock);
	if (kick)
		kick_vcpus(g, -1);
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
	if (gdb_cmd_local(g->rx.buf, g->rx.len, g->target_xml, g->nr, &g->local, &no_ack)) {
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
	struct vmm_gdb *g = calloc(1, sizeof(*g) + m->nr_vcpus * sizeof(g->vcpu[0]));
	int rc;

	if (!g)
		return vmm_err_set(err, -ENOMEM, "gdb: out of memory");
	g->m = m;
	g->nr = m->nr_vcpus;
	g->client_fd = -1;
	g->listen_fd = -1;
	g->vcpu[0].state = GDB_VCPU_RUN; /* the secondaries are OUT until the guest starts them */
	g->step = -1;
	atomic_init(&g->halt, false);
	if (wait)
		stop_machine(g, SIGTRAP, 0);
	rc = gdb_session_init(&g->s, m);
	if (rc) {
		free(g);
		return vmm_err_set(err, rc, "gdb: cannot read the debug instruction: %s",
				   strerror(-rc));
	}
	g->target_xml = g->s.target.layout->xml;
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
	pthread_mutex_init(&g->target_lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	rc = -pthread_create(&g->thread, NULL, gdb_thread, g);
	if (rc) {
		vmm_err_set(err, rc, "gdb: cannot start its thread: %s", strerror(-rc));
		close(g->event_fd);
		close(g->listen_fd);
		g->event_fd = g->listen_fd = -1;
		vmm_gdb_free(g);
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
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	close(g->event_fd);
	close(g->listen_fd);
	g->event_fd = g->listen_fd = -1;
}

void vmm_gdb_free(struct vmm_gdb *g)
{
	if (!g)
		return;
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->target_lock);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void vmm_gdb_wake(struct vmm_gdb *g)
{
	pthread_mutex_lock(&g->lock);
	/* kept until the thread parks: one on its way to park sees it too */
	for (unsigned i = 0; i < g->nr; i++)
		g->vcpu[i].woken = true;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

/* ---- the vcpu threads ---- */

/* Every vcpu's guest debugging as the session has it, for the next run (every vcpu is
 * parked or not started; target_lock held). */
static int set_debug_all(struct vmm_gdb *g)
{
	struct gdb_session *s = &g->s;
	int rc = 0;

	for (unsigned i = 0; !rc && i < g->nr; i++)
		rc = gdb_target_set_debug(&s->target, g->m->vcpus[i], s->debugging,
					  s->step == (int)i);
	return rc;
}

/* The connection is gone: its breakpoints go, the guest runs on undisturbed (every vcpu is
 * parked or not started). */
static void session_end(struct vmm_gdb *g)
{
	struct gdb_session *s = &g->s;

	pthread_mutex_lock(&g->target_lock);
	gdb_target_remove_all_bp(&s->target);
	s->debugging = false;
	s->step = -1;
	if (set_debug_all(g))
		pr_warn("gdb: cannot turn guest debugging off");
	pthread_mutex_unlock(&g->target_lock);
}

bool vmm_gdb_poll(struct vmm_gdb *g, unsigned cpu)
{
	bool park;

	/* the state is only the vcpu's own thread's to change */
	if (!atomic_load_explicit(&g->halt, memory_order_relaxed) &&
	    g->vcpu[cpu].state == GDB_VCPU_RUN)
		return false;
	pthread_mutex_lock(&g->lock);
	g->vcpu[cpu].state = GDB_VCPU_RUN;
	park = atomic_load(&g->halt) && g->step != (int)cpu;
	pthread_mutex_unlock(&g->lock);
	return park;
}

void vmm_gdb_leave(struct vmm_gdb *g, unsigned cpu, bool stopped)
{
	pthread_mutex_lock(&g->lock);
	if (stopped && g->step == (int)cpu) /* its step stopped it (RTAS stop-self) */
		stop_machine(g, SIGTRAP, (int)cpu);
	g->vcpu[cpu].state = GDB_VCPU_OUT;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

int vmm_gdb_debug_exit(struct vmm_gdb *g, unsigned cpu, uint64_t address, uint32_t status)
{
	struct gdb_session *s = &g->s;
	struct skvm_vcpu *vcpu = g->m->vcpus[cpu];
	struct gdb_vcpu *v = &g->vcpu[cpu];
	int signo = SIGTRAP;

	pthread_mutex_lock(&g->target_lock);
	v->watch = 0;
	if (!s->debugging) {
		signo = 0; /* a step requested before gdb went away */
	} else if (status & (SKVM_DEBUG_WATCH_READ | SKVM_DEBUG_WATCH_WRITE)) {
		v->watch = gdb_target_watch_at(&s->target, address);
		v->watch_addr = address;
	} else if (status & SKVM_DEBUG_BREAKPOINT) {
		/* a hardware breakpoint */
	} else if (s->step == (int)cpu || gdb_target_is_bp(&s->target, address)) {
		/* the end of its step, or a breakpoint */
	} else if (gdb_target_plant_pending(&s->target, vcpu) || s->target.nr_bp) {
		/* stepping towards a pending breakpoint's mapping (or just planted it) */
		signo = 0;
		if (gdb_target_set_debug(&s->target, vcpu, true, false)) {
			pr_warn("gdb: cannot set guest debugging");
			signo = SIGTRAP;
		}
	} /* else a debug instruction the guest has of its own */
	pthread_mutex_unlock(&g->target_lock);
	return signo;
}

void vmm_gdb_machine_reset(struct vmm_gdb *g)
{
	pthread_mutex_lock(&g->target_lock);
	gdb_target_replant(&g->s.target);
	pthread_mutex_unlock(&g->target_lock);
}

/* Every vcpu parked or not started, none stepping (under lock): gdb may have them. */
static bool machine_stopped(const struct vmm_gdb *g)
{
	if (g->step >= 0)
		return false;
	for (unsigned i = 0; i < g->nr; i++)
		if (g->vcpu[i].state == GDB_VCPU_RUN)
			return false;
	return true;
}

/* The stop into the session (its vcpu selected, for '?'), and to gdb if it waits for it
 * (under lock, the machine stopped). */
static void report_stop(struct vmm_gdb *g)
{
	struct gdb_session *s = &g->s;
	struct gdb_reply r;

	g->stop_new = false;
	pthread_mutex_lock(&g->target_lock);
	if (g->stop_cpu >= 0)
		gdb_session_select(s, (unsigned)g->stop_cpu);
	s->signo = g->stop_signal;
	s->stop_cpu = s->sel;
	s->stop_watch = g->stop_watch;
	s->stop_watch_addr = g->stop_watch_addr;
	if (g->gdb_running) {
		g->gdb_running = false;
		r.len = 0;
		r.overflow = false;
		gdb_cmd_stop_reply(&r, s);
		queue_packet(g, &r);
	}
	pthread_mutex_unlock(&g->target_lock);
}

/* Every vcpu runs again (under lock). */
static void release(struct vmm_gdb *g)
{
	atomic_store(&g->halt, false);
	g->step = -1;
	pthread_cond_broadcast(&g->cond);
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
	pthread_mutex_lock(&g->target_lock);
	act = gdb_cmd_vcpu(&g->s, pkt, len, &reply);
	if (act == GDB_ACTION_CONTINUE) {
		g->s.debugging = true;
		if (set_debug_all(g)) {
			gdb_reply_error(&reply, -EIO);
			act = GDB_ACTION_NONE;
		}
	}
	pthread_mutex_unlock(&g->target_lock);
	if (act == GDB_ACTION_DETACH || act == GDB_ACTION_KILL)
		session_end(g);

	pthread_mutex_lock(&g->lock);
	if (act == GDB_ACTION_KILL)
		return act;
	if (conn != g->conn || !g->connected)
		return GDB_ACTION_NONE; /* its gdb is gone: the connection's end releases */
	if (act != GDB_ACTION_CONTINUE)
		queue_packet(g, &reply);
	if (act == GDB_ACTION_DETACH) {
		release(g);
	} else if (act == GDB_ACTION_CONTINUE && g->s.step < 0) {
		g->gdb_running = true;
		release(g);
	} else if (act == GDB_ACTION_CONTINUE && g->vcpu[g->s.step].state == GDB_VCPU_OUT) {
		reply.len = 0; /* nothing runs it: it cannot step */
		gdb_reply_error(&reply, -ESRCH);
		queue_packet(g, &reply);
		act = GDB_ACTION_NONE;
	} else if (act == GDB_ACTION_CONTINUE) {
		g->gdb_running = true;
		g->step = g->s.step; /* only that vcpu runs */
		pthread_cond_broadcast(&g->cond);
	}
	return act;
}

/* Vcpu 0: gdb has the machine once every vcpu is parked, until it resumes it (under lock). */
static enum vmm_gdb_resume serve_parked(struct vmm_gdb *g)
{
	for (;;) {
		if (!atomic_load(&g->halt) || g->step == 0)
			return VMM_GDB_RESUME;
		if (g->vcpu[0].woken) {
			g->vcpu[0].woken = false;
			return VMM_GDB_WOKEN;
		}
		if (!machine_stopped(g)) {
			pthread_cond_wait(&g->cond, &g->lock);
			continue;
		}
		if (g->stop_new)
			report_stop(g);
		if (g->inbox_full) { /* first: a 'k' just before the connection closed kills */
			if (serve(g) == GDB_ACTION_KILL)
				return VMM_GDB_KILL;
			continue;
		}
		if (g->detach_request) {
			g->detach_request = false;
			pthread_mutex_unlock(&g->lock);
			session_end(g);
			pthread_mutex_lock(&g->lock);
			if (!g->connected) /* else a new gdb is already there */
				release(g);
			continue;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
}

/* The other vcpus: parked until the machine runs again, or this vcpu alone steps. */
static enum vmm_gdb_resume wait_parked(struct vmm_gdb *g, unsigned cpu)
{
	for (;;) {
		if (g->shutdown)
			return VMM_GDB_KILL;
		if (!atomic_load(&g->halt) || g->step == (int)cpu)
			return VMM_GDB_RESUME;
		if (g->vcpu[cpu].woken) {
			g->vcpu[cpu].woken = false;
			return VMM_GDB_WOKEN;
		}
		pthread_cond_wait(&g->cond, &g->lock);
	}
}

enum vmm_gdb_resume vmm_gdb_park(struct vmm_gdb *g, unsigned cpu, int signo)
{
	enum vmm_gdb_resume res;

	pthread_mutex_lock(&g->lock);
	if (signo && (!atomic_load(&g->halt) || g->step == (int)cpu)) {
		/* its stop halts the machine; one that comes while it is halted already comes
		 * again when the vcpu runs again (a breakpoint's PC stays at it) */
		stop_machine(g, signo, (int)cpu);
		g->stop_watch = g->vcpu[cpu].watch;
		g->stop_watch_addr = g->vcpu[cpu].watch_addr;
		kick_vcpus(g, (int)cpu);
	}
	g->vcpu[cpu].state = GDB_VCPU_PARKED;
	pthread_cond_broadcast(&g->cond);
	res = cpu ? wait_parked(g, cpu) : serve_parked(g);
	g->vcpu[cpu].state = GDB_VCPU_RUN;
	pthread_mutex_unlock(&g->lock);
	return res;
}
