// SPDX-License-Identifier: MIT
/* A virtio device's life and its thread (see virtio.h): placing it (bus region, ioeventfds,
 * irqfd, thread), the thread's loop, interrupts, DEVICE_NEEDS_RESET, removal. */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"
#include "virtio/virtio.h"

void virtio_dev_init(struct virtio_dev *d, const struct virtio_device_ops *ops)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->host_fd = -1;
	d->ctl_fd = -1;
	d->irq_fd = -1;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		d->kick_fd[q] = -1;
		virtq_reset(&d->vq[q], ops->queue_max);
	}
	pthread_mutex_init(&d->lock, NULL);
}

static void eventfd_add(int fd)
{
	uint64_t one = 1;

	/* fails only when the counter is about to overflow: it is signalled already */
	(void)!write(fd, &one, sizeof(one));
}

/* The counter of a non-blocking eventfd, consumed (0: not signalled). */
static uint64_t eventfd_take(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == (ssize_t)sizeof(v) ? v : 0;
}

/* ---- what devices call ---- */

bool virtio_dev_live(const struct virtio_dev *d)
{
	return (d->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK |
			     VIRTIO_STATUS_DEVICE_NEEDS_RESET)) ==
	       (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_FEATURES_OK);
}

void virtio_dev_count(struct virtio_dev *d, uint64_t bytes)
{
	atomic_fetch_add_explicit(&d->stats.requests, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&d->stats.bytes, bytes, memory_order_relaxed);
}

/* InterruptStatus |= bits; the UIC input is pulsed when a bit is new: while the guest has not
 * acknowledged a bit, it will look at what the bit stands for anyway (it reads
 * InterruptStatus and acknowledges before it looks at the rings). The pulse is an edge, as an
 * irqfd without RESAMPLE makes it: on the board's line itself when it has given one (the
 * calling thread drives the controller: no wake-up of the irqfd thread on the way), else
 * through the irqfd. */
void virtio_dev_interrupt(struct virtio_dev *d, uint32_t bits)
{
	uint32_t old = atomic_fetch_or(&d->isr, bits);
	const struct vmm_irq *line = &d->slot.irq;

	if ((old & bits) == bits)
		return;
	atomic_fetch_add_explicit(&d->stats.interrupts, 1, memory_order_relaxed);
	if (d->irq_level) { /* PCI INTx: held until the driver reads the ISR (lock held) */
		if (!old)
			(void)vmm_irq_set(line, true);
	} else if (line->set) {
		(void)line->set(line->opaque, line->line, true);
		(void)line->set(line->opaque, line->line, false);
	} else if (d->irq_fd >= 0) {
		eventfd_add(d->irq_fd);
	}
}

void virtio_dev_signal_queue(struct virtio_dev *d, unsigned q)
{
	if (q < d->ops->num_queues && virtq_should_signal(&d->vq[q]))
		virtio_dev_interrupt(d, VIRTIO_MMIO_INT_VRING);
}

void virtio_dev_config_changed(struct virtio_dev *d)
{
	d->config_generation++;
	virtio_dev_interrupt(d, VIRTIO_MMIO_INT_CONFIG);
}

void virtio_dev_needs_reset(struct virtio_dev *d, int q, const char *why)
{
	if (d->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	d->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	if (!d->warned) {
		d->warned = true;
		if (q >= 0)
			pr_warn("%s at 0x%08" PRIx64 ": queue %d: %s; the device needs a reset "
				"(further ones only at -vv)",
				d->ops->name, d->slot.base, q, why);
		else
			pr_warn("%s at 0x%08" PRIx64 ": %s; the device needs a reset "
				"(further ones only at -vv)",
				d->ops->name, d->slot.base, why);
	} else {
		pr_debug("%s: queue %d: %s; the device needs a reset", d->ops->name, q, why);
	}
	virtio_dev_config_changed(d);
}

void virtio_dev_reset_locked(struct virtio_dev *d)
{
	if (d->ops->reset)
		d->ops->reset(d);
	d->status = 0;
	d->device_features_sel = d->driver_features_sel = 0;
	d->driver_features = d->features = 0;
	d->queue_sel = 0;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		virtq_reset(&d->vq[q], d->ops->queue_max);
	if (atomic_exchange(&d->isr, 0) && d->irq_level)
		(void)vmm_irq_set(&d->slot.irq, false);
	d->kick_all = false;
}

uint32_t virtio_dev_take_isr(struct virtio_dev *d)
{
	uint32_t v = atomic_exchange(&d->isr, 0);

	if (v && d->irq_level)
		(void)vmm_irq_set(&d->slot.irq, false);
	return v;
}

void virtio_dev_kick_all(struct virtio_dev *d)
{
	d->kick_all = true;
	if (d->ctl_fd >= 0)
		eventfd_add(d->ctl_fd);
}

void virtio_dev_notify(struct virtio_dev *d, uint32_t q)
{
	if (q < d->ops->num_queues && d->kick_fd[q] >= 0)
		eventfd_add(d->kick_fd[q]);
}

/* ---- the device thread ---- */

static void signal_queues(struct virtio_dev *d)
{
	for (unsigned q = 0; q < d->ops->num_queues; q++)
		virtio_dev_signal_queue(d, q);
}

/* Requests on queue q (lock held): the device's rounds until the queue stays empty, then the
 * interrupts the driver asked for, on every queue: serving one queue can fill another
 * (virtio-net's transmit delivers the answers libslirp gives at once to the receive queue). */
static void serve_queue(struct virtio_dev *d, unsigned q)
{
	struct virtq *vq = &d->vq[q];
	int rc;

	if (!virtio_dev_live(d) || !vq->ready)
		return; /* a kick before DRIVER_OK or for a queue not set up: nothing to do */
	do {
		virtq_disable_notify(vq);
		rc = d->ops->queue_notify(d, q);
	} while (rc == 0 && virtq_enable_notify(vq));
	if (rc == VIRTIO_QUEUE_WAIT)
		(void)virtq_enable_notify(vq);
	if (rc < 0)
		virtio_dev_needs_reset(d, (int)q, vq->error ? vq->error : strerror(-rc));
	signal_queues(d);
}

static void serve_host(struct virtio_dev *d)
{
	int rc;

	if (!virtio_dev_live(d))
		return;
	rc = d->ops->host_event(d);
	if (rc < 0)
		virtio_dev_needs_reset(d, -1, strerror(-rc));
	signal_queues(d);
}

static void *device_thread(void *arg)
{
	struct virtio_dev *d = arg;
	unsigned nq = d->ops->num_queues;
	struct pollfd pfd[VIRTIO_MAX_QUEUES + 2];

	for (unsigned q = 0; q < nq; q++)
		pfd[q] = (struct pollfd){.fd = d->kick_fd[q], .events = POLLIN};
	pfd[nq] = (struct pollfd){.fd = d->ctl_fd, .events = POLLIN};
	bool host_ok = d->ops->host_event && d->host_fd >= 0;

	for (;;) {
		bool all;

		/* host_fd only while the driver is live: host_event is not called otherwise, and a
		 * readable host_fd nobody reads would spin this thread (DRIVER_OK wakes it) */
		pthread_mutex_lock(&d->lock);
		pfd[nq + 1] = (struct pollfd){
		    .fd = host_ok && virtio_dev_live(d) ? d->host_fd : -1, .events = POLLIN};
		pthread_mutex_unlock(&d->lock);

		if (poll(pfd, nq + 2, -1) < 0)
			continue; /* EINTR */
		if (pfd[nq].revents)
			(void)eventfd_take(d->ctl_fd);
		pthread_mutex_lock(&d->lock);
		if (d->stopping) {
			pthread_mutex_unlock(&d->lock);
			break;
		}
		all = d->kick_all;
		d->kick_all = false;
		for (unsigned q = 0; q < nq; q++) {
			uint64_t kicks = pfd[q].revents ? eventfd_take(d->kick_fd[q]) : 0;

			atomic_fetch_add_explicit(&d->stats.notifications, kicks,
						  memory_order_relaxed);
			if (kicks || all)
				serve_queue(d, q);
		}
		if (pfd[nq + 1].revents & (POLLIN | POLLHUP | POLLERR))
			serve_host(d);
		pthread_mutex_unlock(&d->lock);
		if (pfd[nq + 1].revents & POLLNVAL)
			host_ok = false;
	}
	return NULL;
}

/* ---- placing and removing ---- */

static void undo(struct virtio_dev *d)
{
	struct skvm_vm *vm = d->host.vm;

	if (d->thread_started) {
		pthread_mutex_lock(&d->lock);
		d->stopping = true;
		pthread_mutex_unlock(&d->lock);
		eventfd_add(d->ctl_fd);
		pthread_join(d->thread, NULL);
		d->thread_started = false;
	}
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
		if (d->ioeventfd[q]) {
			struct skvm_ioeventfd a = {
			    .addr = d->notify_addr,
			    .len = d->notify_len,
			    .fd = d->kick_fd[q],
			    .datamatch = q,
			    .flags = SKVM_IOEVENTFD_FLAG_DATAMATCH | SKVM_IOEVENTFD_FLAG_DEASSIGN,
			};

			if (skvm_vm_ioeventfd(vm, &a))
				pr_warn("%s: cannot deassign the ioeventfd of queue %u",
					d->ops->name, q);
			d->ioeventfd[q] = false;
		}
		if (d->kick_fd[q] >= 0)
			close(d->kick_fd[q]);
		d->kick_fd[q] = -1;
	}
	if (d->irqfd) {
		struct skvm_irqfd a = {
		    .fd = d->irq_fd, .gsi = d->slot.gsi, .flags = SKVM_IRQFD_FLAG_DEASSIGN};

		if (skvm_vm_irqfd(vm, &a))
			pr_warn("%s: cannot deassign its irqfd", d->ops->name);
		d->irqfd = false;
	}
	if (d->irq_fd >= 0)
		close(d->irq_fd);
	if (d->ctl_fd >= 0)
		close(d->ctl_fd);
	d->irq_fd = d->ctl_fd = -1;
}

/* The thread takes no process signal (SIGINT, SIGTERM are the watchdog's to take). */
static int start_thread(struct virtio_dev *d)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&d->thread, NULL, device_thread, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return -rc;
	d->thread_started = true;
	return 0;
}

int virtio_dev_start(struct virtio_dev *d, const struct virtio_host *host,
		     const struct virtio_mmio_slot *slot, uint64_t notify_addr,
		     unsigned notify_len, struct vmm_err *err)
{
	const char *what = "an eventfd";
	int rc = 0;

	d->host = *host;
	d->slot = *slot;
	d->notify_addr = notify_addr;
	d->notify_len = notify_len;
	if (d->irq_level && !slot->irq.set)
		return vmm_err_set(err, -EINVAL, "%s: a level interrupt needs the board's line",
				   d->ops->name);
	if (!d->ops->num_queues || d->ops->num_queues > VIRTIO_MAX_QUEUES ||
	    d->ops->config_size > 0x100)
		return vmm_err_set(err, -EINVAL, "%s: bad device description", d->ops->name);
	d->ctl_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (!slot->irq.set) /* no line of the board's to drive: the hypervisor's irqfd */
		d->irq_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->ctl_fd < 0 || (!slot->irq.set && d->irq_fd < 0))
		rc = -errno;
	for (unsigned q = 0; !rc && q < d->ops->num_queues; q++) {
		struct skvm_ioeventfd a = {
		    .addr = notify_addr,
		    .len = notify_len,
		    .datamatch = q,
		    .flags = SKVM_IOEVENTFD_FLAG_DATAMATCH,
		};

		d->kick_fd[q] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (d->kick_fd[q] < 0) {
			rc = -errno;
			break;
		}
		a.fd = d->kick_fd[q];
		what = "its queue notify ioeventfd";
		rc = skvm_vm_ioeventfd(host->vm, &a);
		d->ioeventfd[q] = !rc;
	}
	if (!rc && d->irq_fd >= 0) {
		struct skvm_irqfd a = {.fd = d->irq_fd, .gsi = slot->gsi};

		what = "its irqfd";
		rc = skvm_vm_irqfd(host->vm, &a);
		d->irqfd = !rc;
	}
	if (!rc) {
		what = "its thread";
		rc = start_thread(d);
	}
	if (rc) {
		undo(d);
		return vmm_err_set(err, rc, "%s at 0x%08" PRIx64 ": cannot set up %s: %s",
				   d->ops->name, slot->base, what, strerror(-rc));
	}
	return 0;
}

void virtio_dev_stop(struct virtio_dev *d)
{
	undo(d);
}

int virtio_dev_add(struct virtio_dev *d, const struct virtio_host *host,
		   const struct virtio_mmio_slot *slot, struct vmm_err *err)
{
	int rc = virtio_dev_start(d, host, slot, slot->base + VIRTIO_MMIO_QUEUE_NOTIFY, 4, err);

	if (rc)
		return rc;
	/* last: once there, the region cannot be taken back */
	rc = vmm_bus_register(host->mmio, slot->base, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, d);
	if (rc) {
		undo(d);
		return vmm_err_set(err, rc, "%s at 0x%08" PRIx64 ": cannot set up %s: %s",
				   d->ops->name, slot->base, "its register block", strerror(-rc));
	}
	return 0;
}

void virtio_dev_remove(struct virtio_dev *d)
{
	if (!d)
		return;
	undo(d);
	pthread_mutex_destroy(&d->lock);
	if (d->ops->destroy)
		d->ops->destroy(d);
}

void virtio_dev_print_stats(struct virtio_dev *d, FILE *out)
{
	fprintf(out,
		"  %-14s 0x%08" PRIx64 " %10" PRIu64 " requests %12" PRIu64 " bytes %10" PRIu64
		" notifications %10" PRIu64 " interrupts\n",
		d->ops->name, d->slot.base, (uint64_t)atomic_load(&d->stats.requests),
		(uint64_t)atomic_load(&d->stats.bytes),
		(uint64_t)atomic_load(&d->stats.notifications),
		(uint64_t)atomic_load(&d->stats.interrupts));
	if (d->ops->stats)
		d->ops->stats(d, out);
}
