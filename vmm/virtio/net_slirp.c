// SPDX-License-Identifier: MIT
/* The user-mode network backend: libslirp's TCP/IP stack in the device thread. The guest
 * sees 10.0.2.0/24: the host (and its 127.0.0.1) at 10.0.2.2, DNS at 10.0.2.3, itself at
 * 10.0.2.15 by DHCP, as with QEMU's -netdev user; hostfwd listens on the host.
 *
 * libslirp asks its caller to poll: each round fills the descriptors it wants
 * (slirp_pollfds_fill), polls them without waiting, lets it act (slirp_pollfds_poll), then
 * fills again and mirrors that interest into the device's epoll set, with a timerfd for its
 * TCP timers and its own timers, so the device thread sleeps in one poll on the epoll fd. Every
 * descriptor is re-registered each round (MOD, or ADD if epoll forgot a closed one), so a
 * descriptor number slirp closed and reused is never missed. */
#include <errno.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "virtio/net_backend.h"

#define SLIRP_MAX_TIMERS 4

struct slirp_timer {
	bool used, armed;
	int64_t expire_ms;
	SlirpTimerCb cb;
	void *cb_opaque;
};

struct net_slirp {
	struct net_backend be;
	Slirp *slirp;
	int tfd;
	bool rx_open;
	struct pollfd *pfd; /* this round's descriptors */
	unsigned nfds, cap;
	int *reg; /* descriptors in the epoll set */
	unsigned nreg, reg_cap;
	struct slirp_timer timer[SLIRP_MAX_TIMERS];
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
	struct net_slirp *s = opaque;

	(void)s->be.deliver(s->be.opaque, buf, len); /* a drop is the device's to count */
	return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
	pr_debug("virtio-net: slirp: %s", msg);
}

static int64_t cb_clock_get_ns(void *opaque)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct net_slirp *s = opaque;

	for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++)
		if (!s->timer[i].used) {
			s->timer[i] = (struct slirp_timer){.used = true, .cb = cb, .cb_opaque = cb_opaque};
			return &s->timer[i];
		}
	pr_warn("virtio-net: slirp wants more than %d timers", SLIRP_MAX_TIMERS);
	return NULL;
}

static void cb_timer_free(void *timer, void *opaque)
{
	if (timer)
		*(struct slirp_timer *)timer = (struct slirp_timer){0};
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct slirp_timer *t = timer;

	if (t) {
		t->armed = true;
		t->expire_ms = expire_ms;
	}
}

static void cb_register_poll_fd(int fd, void *opaque)
{
}

static void cb_unregister_poll_fd(int fd, void *opaque)
{
}

/* Slirp's sockets can take more host data: the next round (after this one) asks again. */
static void cb_notify(void *opaque)
{
}

static const SlirpCb slirp_callbacks = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_get_ns,
    .timer_new = cb_timer_new,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_register_poll_fd,
    .unregister_poll_fd = cb_unregister_poll_fd,
    .notify = cb_notify,
};

/* slirp_pollfds_fill's add_poll: while frames wait for guest buffers (rx closed), read no
 * more from the host. -1 (never asked about) if the array cannot grow. */
static int add_poll(int fd, int events, void *opaque)
{
	struct net_slirp *s = opaque;
	short ev = 0;

	if (s->nfds == s->cap) {
		unsigned cap = s->cap ? 2 * s->cap : 16;
		struct pollfd *p = realloc(s->pfd, cap * sizeof(*p));

		if (!p)
			return -1;
		s->pfd = p;
		s->cap = cap;
	}
	if ((events & SLIRP_POLL_IN) && s->rx_open)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	s->pfd[s->nfds] = (struct pollfd){.fd = fd, .events = ev};
	return (int)s->nfds++;
}

static int get_revents(int idx, void *opaque)
{
	struct net_slirp *s = opaque;
	short r;
	int ev = 0;

	if (idx < 0 || (unsigned)idx >= s->nfds)
		return 0;
	r = s->pfd[idx].revents;
	if (r & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (r & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (r & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (r & (POLLERR | POLLNVAL))
		ev |= SLIRP_POLL_ERR;
	if (r & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

static void reg_remember(struct net_slirp *s, int fd)
{
	if (s->nreg == s->reg_cap) {
		unsigned cap = s->reg_cap ? 2 * s->reg_cap : 16;
		int *p = realloc(s->reg, cap * sizeof(*p));

		if (!p)
			return; /* forgotten: a closed descriptor leaves epoll by itself */
		s->reg = p;
		s->reg_cap = cap;
	}
	s->reg[s->nreg++] = fd;
}

/* The epoll set := this round's descriptors (and the timerfd, registered once). */
static void sync_epoll(struct net_slirp *s)
{
	unsigned old = s->nreg;

	for (unsigned i = 0; i < old; i++) {
		bool keep = false;

		for (unsigned j = 0; j < s->nfds && !keep; j++)
			keep = s->pfd[j].fd == s->reg[i];
		if (!keep)
			(void)epoll_ctl(s->be.epfd, EPOLL_CTL_DEL, s->reg[i], NULL);
	}
	s->nreg = 0;
	for (unsigned j = 0; j < s->nfds; j++) {
		struct epoll_event ev = {.events = 0, .data.fd = s->pfd[j].fd};

		if (s->pfd[j].events & POLLIN)
			ev.events |= EPOLLIN;
		if (s->pfd[j].events & POLLOUT)
			ev.events |= EPOLLOUT;
		if (s->pfd[j].events & POLLPRI)
			ev.events |= EPOLLPRI;
		if (epoll_ctl(s->be.epfd, EPOLL_CTL_MOD, s->pfd[j].fd, &ev) &&
		    epoll_ctl(s->be.epfd, EPOLL_CTL_ADD, s->pfd[j].fd, &ev))
			continue;
		reg_remember(s, s->pfd[j].fd);
	}
}

/* The timerfd for the earliest of slirp's timeout (ms from now) and its timers. */
static void arm_timer(struct net_slirp *s, uint32_t timeout_ms)
{
	int64_t now = now_ms(), wait = timeout_ms == UINT32_MAX ? -1 : (int64_t)timeout_ms;
	struct itimerspec its = {{0, 0}, {0, 0}};

	for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++) {
		const struct slirp_timer *t = &s->timer[i];

		if (t->used && t->armed) {
			int64_t w = t->expire_ms > now ? t->expire_ms - now : 0;

			if (wait < 0 || w < wait)
				wait = w;
		}
	}
	if (wait >= 0) {
		/* 0 would disarm: at least a microsecond */
		its.it_value.tv_sec = wait / 1000;
		its.it_value.tv_nsec = (wait % 1000) * 1000000 + 1000;
	}
	(void)timerfd_settime(s->tfd, 0, &its, NULL);
}

static void run_timers(struct net_slirp *s)
{
	int64_t now = now_ms();

	for (unsigned i = 0; i < SLIRP_MAX_TIMERS; i++) {
		struct slirp_timer *t = &s->timer[i];

		if (t->used && t->armed && t->expire_ms <= now) {
			t->armed = false;
			t->cb(t->cb_opaque);
		}
	}
}

static void slirp_be_poll(struct net_backend *be, bool rx_open)
{
	struct net_slirp *s = (struct net_slirp *)be;
	uint32_t timeout = UINT32_MAX;
	uint64_t ticks;
	int rc;

	(void)!read(s->tfd, &ticks, sizeof(ticks));
	run_timers(s);
	s->rx_open = rx_open;
	s->nfds = 0;
	slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
	rc = poll(s->pfd, s->nfds, 0);
	slirp_pollfds_poll(s->slirp, rc < 0, get_revents, s);

	timeout = UINT32_MAX;
	s->nfds = 0;
	slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
	sync_epoll(s);
	arm_timer(s, timeout);
}

static void slirp_be_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct net_slirp *s = (struct net_slirp *)be;

	slirp_input(s->slirp, frame, (int)len);
}

static void slirp_be_quiesce(struct net_backend *be)
{
	struct net_slirp *s = (struct net_slirp *)be;
	struct itimerspec off = {{0, 0}, {0, 0}};
	uint64_t ticks;

	s->nfds = 0;
	sync_epoll(s);
	(void)timerfd_settime(s->tfd, 0, &off, NULL);
	(void)!read(s->tfd, &ticks, sizeof(ticks));
}

static void slirp_be_destroy(struct net_backend *be)
{
	struct net_slirp *s = (struct net_slirp *)be;

	if (s->slirp)
		slirp_cleanup(s->slirp);
	if (s->tfd >= 0)
		close(s->tfd);
	free(s->pfd);
	free(s->reg);
	free(s);
}

static const struct net_backend_ops slirp_be_ops = {
    .send = slirp_be_send,
    .poll = slirp_be_poll,
    .quiesce = slirp_be_quiesce,
    .destroy = slirp_be_destroy,
};

int net_slirp_create(const struct net_opts *o, int epfd, net_deliver_fn deliver, void *opaque,
		     struct net_backend **out, struct vmm_err *err)
{
	struct net_slirp *s = calloc(1, sizeof(*s));
	struct epoll_event ev = {.events = EPOLLIN};
	SlirpConfig cfg = {
	    .version = 3,
	    .in_enabled = true,
	    .vnetwork = {htonl(0x0a000200)},	/* 10.0.2.0 */
	    .vnetmask = {htonl(0xffffff00)},	/* /24 */
	    .vhost = {htonl(0x0a000202)},	/* 10.0.2.2 */
	    .vdhcp_start = {htonl(0x0a00020f)}, /* 10.0.2.15 */
	    .vnameserver = {htonl(0x0a000203)}, /* 10.0.2.3 */
	    .vhostname = "softkvm",
	    .if_mtu = 1500,
	    .if_mru = 1500,
	};
	int rc;

	*out = NULL;
	if (!s)
		return vmm_err_set(err, -ENOMEM, "--net user: out of memory");
	s->be = (struct net_backend){.ops = &slirp_be_ops,
				     .tso_whole = true,
				     .rx_csum_valid = true,
				     .epfd = epfd,
				     .deliver = deliver,
				     .opaque = opaque};
	s->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (s->tfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, s->tfd, (ev.data.fd = s->tfd, &ev))) {
		rc = -errno;
		slirp_be_destroy(&s->be);
		return vmm_err_set(err, rc, "--net user: timerfd: %s", strerror(-rc));
	}
	s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
	if (!s->slirp) {
		slirp_be_destroy(&s->be);
		return vmm_err_set(err, -ENOMEM, "--net user: cannot start libslirp");
	}
	for (unsigned i = 0; i < o->nr_fwd; i++) {
		const struct net_hostfwd *f = &o->fwd[i];
		char host[INET_ADDRSTRLEN];

		errno = 0;
		if (slirp_add_hostfwd(s->slirp, f->udp, f->host_addr, f->host_port, f->guest_addr,
				      f->guest_port) < 0) {
			rc = errno ? -errno : -EADDRINUSE;
			inet_ntop(AF_INET, &f->host_addr, host, sizeof(host));
			slirp_be_destroy(&s->be);
			return vmm_err_set(err, rc, "--net user: hostfwd %s:%s:%u: cannot listen: %s",
					   f->udp ? "udp" : "tcp", host, f->host_port,
					   strerror(-rc));
		}
	}
	*out = &s->be;
	return 0;
}
