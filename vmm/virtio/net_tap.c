// SPDX-License-Identifier: MIT
/* The TAP backend: frames to and from a host TAP device that exists already (made by the
 * user, e.g. `ip tuntap add tap0 mode tap user $USER`): softkvm never creates one. No vnet
 * header (IFF_VNET_HDR): the device offers no offloads, so there is nothing to carry in it. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "virtio/net_backend.h"

#define TAP_BURST 64 /* frames read per round: the device thread does other work between */

struct net_tap {
	struct net_backend be;
	int fd;
	uint8_t buf[65536];
};

static void tap_send(struct net_backend *be, const uint8_t *frame, size_t len)
{
	struct net_tap *t = (struct net_tap *)be;

	(void)!write(t->fd, frame, len); /* a full host queue loses it, as a wire would */
}

static void tap_interest(struct net_tap *t, bool rx_open)
{
	struct epoll_event ev = {.events = rx_open ? EPOLLIN : 0, .data.fd = t->fd};

	(void)epoll_ctl(t->be.epfd, EPOLL_CTL_MOD, t->fd, &ev);
}

static void tap_poll(struct net_backend *be, bool rx_open)
{
	struct net_tap *t = (struct net_tap *)be;

	for (unsigned i = 0; rx_open && i < TAP_BURST; i++) {
		ssize_t n = read(t->fd, t->buf, sizeof(t->buf));

		if (n <= 0)
			break;
		(void)t->be.deliver(t->be.opaque, t->buf, (size_t)n);
	}
	tap_interest(t, rx_open);
}

static void tap_quiesce(struct net_backend *be)
{
	tap_interest((struct net_tap *)be, false);
}

static void tap_destroy(struct net_backend *be)
{
	struct net_tap *t = (struct net_tap *)be;

	if (t->fd >= 0)
		close(t->fd);
	free(t);
}

static const struct net_backend_ops tap_ops = {
    .send = tap_send,
    .poll = tap_poll,
    .quiesce = tap_quiesce,
    .destroy = tap_destroy,
};

int net_tap_create(const struct net_opts *o, int epfd, net_deliver_fn deliver, void *opaque,
		   struct net_backend **out, struct vmm_err *err)
{
	struct net_tap *t;
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};
	/* registered without interest: the first round (DRIVER_OK) opens it */
	struct epoll_event ev = {.events = 0};
	int rc;

	*out = NULL;
	if (!if_nametoindex(o->ifname))
		return vmm_err_set(err, -ENODEV, "--net tap: no network device '%s' on the host",
				   o->ifname);
	t = calloc(1, sizeof(*t));
	if (!t)
		return vmm_err_set(err, -ENOMEM, "--net tap: out of memory");
	t->be = (struct net_backend){.ops = &tap_ops, .epfd = epfd, .deliver = deliver,
				     .opaque = opaque};
	t->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t->fd < 0) {
		rc = -errno;
		tap_destroy(&t->be);
		return vmm_err_set(err, rc, "--net tap: /dev/net/tun: %s", strerror(-rc));
	}
	memcpy(ifr.ifr_name, o->ifname, strnlen(o->ifname, IFNAMSIZ - 1));
	ev.data.fd = t->fd;
	if (ioctl(t->fd, TUNSETIFF, &ifr) || epoll_ctl(epfd, EPOLL_CTL_ADD, t->fd, &ev)) {
		rc = -errno;
		tap_destroy(&t->be);
		return vmm_err_set(err, rc, "--net tap: cannot attach to '%s' (not a TAP device, "
					    "or not yours?): %s",
				   o->ifname, strerror(-rc));
	}
	*out = &t->be;
	return 0;
}
