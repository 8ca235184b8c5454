// SPDX-License-Identifier: MIT
/* virtio-console (see console.h). */
#include "virtio/console.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "machine.h"

#define CONSOLE_RXQ	    0
#define CONSOLE_TXQ	    1
#define CONSOLE_CONFIG_SIZE 12 /* cols, rows, max_nr_ports, emerg_wr: unused without features */

struct virtio_console {
	struct virtio_dev vdev;
	struct vmm_chardev backend;
	uint8_t rx[4096]; /* input read from the backend, not yet in a guest buffer */
	size_t rx_len;
	struct virtq_req req;
};

static struct virtio_console *to_console(struct virtio_dev *d)
{
	return vmm_container_of(d, struct virtio_console, vdev);
}

/* Host input into the guest's receive buffers, while there are both. */
static int console_receive(struct virtio_dev *d)
{
	struct virtio_console *c = to_console(d);
	struct virtq *vq = &d->vq[CONSOLE_RXQ];

	for (;;) {
		size_t n;
		int rc;

		if (!c->rx_len && c->backend.read) {
			ssize_t got = c->backend.read(c->backend.opaque, c->rx, sizeof(c->rx));

			c->rx_len = got > 0 ? (size_t)got : 0;
		}
		if (!c->rx_len)
			return VIRTIO_QUEUE_WAIT; /* the guest's buffers wait for input */
		rc = virtq_pop(vq, &c->req);
		if (rc <= 0)
			return rc; /* no buffer (the input waits for one), or a broken ring */
		n = virtq_req_copy_to(&c->req, 0, c->rx, c->rx_len);
		virtq_push(vq, c->req.head, (uint32_t)n);
		virtio_dev_count(d, n);
		memmove(c->rx, c->rx + n, c->rx_len - n);
		c->rx_len -= n;
	}
}

/* Guest output to the backend. A backend that fails (the terminal went away) loses it: the
 * guest is not to notice. */
static int console_transmit(struct virtio_dev *d)
{
	struct virtio_console *c = to_console(d);
	struct virtq *vq = &d->vq[CONSOLE_TXQ];
	int rc;

	while ((rc = virtq_pop(vq, &c->req)) > 0) {
		for (unsigned i = 0; i < c->req.nr_rd && c->backend.write; i++)
			(void)c->backend.write(c->backend.opaque, c->req.iov[i].iov_base,
					       c->req.iov[i].iov_len);
		virtq_push(vq, c->req.head, 0);
		virtio_dev_count(d, c->req.rd_len);
	}
	return rc;
}

static int console_queue_notify(struct virtio_dev *d, unsigned q)
{
	return q == CONSOLE_RXQ ? console_receive(d) : console_transmit(d);
}

static int console_host_event(struct virtio_dev *d)
{
	uint64_t v;
	int rc;

	(void)!read(d->host_fd, &v, sizeof(v));
	rc = console_receive(d);
	return rc < 0 ? rc : 0;
}

/* Input already read stays for the next driver: it is the user's typing, not the guest's. */
static void console_destroy(struct virtio_dev *d)
{
	if (d->host_fd >= 0)
		close(d->host_fd);
	free(to_console(d));
}

static const struct virtio_device_ops virtio_console_ops = {
    .name = "virtio-console",
    .device_id = VIRTIO_ID_CONSOLE,
    .num_queues = 2,
    .queue_max = 64,
    .config_size = CONSOLE_CONFIG_SIZE,
    .queue_notify = console_queue_notify,
    .host_event = console_host_event,
    .destroy = console_destroy,
};

int virtio_console_create(const struct vmm_chardev *backend, struct virtio_dev **out)
{
	struct virtio_console *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return -ENOMEM;
	virtio_dev_init(&c->vdev, &virtio_console_ops);
	c->backend = *backend;
	c->vdev.host_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->vdev.host_fd < 0) {
		int rc = -errno;

		free(c);
		return rc;
	}
	*out = &c->vdev;
	return 0;
}

void virtio_console_input(struct virtio_dev *d)
{
	uint64_t one = 1;

	(void)!write(d->host_fd, &one, sizeof(one));
}
