// SPDX-License-Identifier: MIT
/* ioeventfds and irqfds (virt/kvm/eventfd.c in the seeds); the semantics are in skvm.h.
 *
 * ioeventfds are looked up on the vcpu thread at every MMIO store the core traps
 * (kvm_mmio_access), under ev->lock: assignments are rare, the lookup is a short scan, and
 * a VM without any pays one relaxed load.
 *
 * irqfds are served by one thread per VM (KVM's irqfd work items), started by the first
 * irqfd: it polls every irqfd plus wake_fd, and on a signal drives the VMM's controller
 * through chip.set_irq with ev->lock held. Holding the lock there is what makes a deassign
 * final: skvm_vm_irqfd removes the entry under the same lock, and the thread only reads and
 * injects for entries present under it, so once a deassign returns its eventfd is neither
 * read nor injected again. Lock order: ev->lock, then whatever set_irq takes (the VMM's
 * controller, then the vcpu's lock in skvm_vcpu_interrupt); the controller calls
 * skvm_vm_irqchip_ack without its own lock, so the order never reverses.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "kvm.h"

#define IOEVENTFD_MAX 1000 /* KVM's NR_IOBUS_DEVS */
#define IRQFD_MAX     1024
#define GSI_MAX	      1024
#define IOEVENTFD_FLAGS                                                                            \
	(SKVM_IOEVENTFD_FLAG_DATAMATCH | SKVM_IOEVENTFD_FLAG_PIO | SKVM_IOEVENTFD_FLAG_DEASSIGN)
#define IRQFD_FLAGS (SKVM_IRQFD_FLAG_DEASSIGN | SKVM_IRQFD_FLAG_RESAMPLE)

void kvm_eventfds_init(struct kvm_eventfds *ev)
{
	memset(ev, 0, sizeof(*ev));
	pthread_mutex_init(&ev->lock, NULL);
	ev->wake_fd = -1;
}

static void eventfd_add(int fd)
{
	uint64_t one = 1;

	/* Only fails when the counter would overflow (EAGAIN): it is already signalled. */
	(void)!write(fd, &one, sizeof(one));
}

void kvm_eventfds_destroy(struct kvm_eventfds *ev)
{
	pthread_mutex_lock(&ev->lock);
	ev->stopping = true;
	pthread_mutex_unlock(&ev->lock);
	if (ev->thread_started) {
		eventfd_add(ev->wake_fd);
		pthread_join(ev->thread, NULL);
	}
	if (ev->wake_fd >= 0)
		close(ev->wake_fd);
	free(ev->io);
	free(ev->irq);
	pthread_mutex_destroy(&ev->lock);
}

/* An open descriptor that is an eventfd: 0, -EBADF or -EINVAL (KVM: eventfd_ctx_fdget).
 * Where /proc cannot say what it is, an open descriptor is taken on trust. */
static int check_eventfd(int fd)
{
	char path[64], target[64];
	ssize_t n;

	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return 0;
	target[n] = '\0';
	return strcmp(target, "anon_inode:[eventfd]") == 0 ? 0 : -EINVAL;
}

/* Room for one more element in a growing array. */
static int grow(void **arr, unsigned *cap, unsigned nr, size_t elem, unsigned max)
{
	unsigned ncap;
	void *p;

	if (nr < *cap)
		return 0;
	if (nr >= max)
		return -ENOSPC;
	ncap = *cap ? 2 * *cap : 8;
	if (ncap > max)
		ncap = max;
	p = realloc(*arr, (size_t)ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* ---- ioeventfd ---- */

/* KVM's ioeventfd_check_collision: would both take some store? */
static bool io_collides(const struct kvm_kernel_ioeventfd *a, const struct kvm_kernel_ioeventfd *b)
{
	if (a->addr != b->addr)
		return false;
	if (!a->len || !b->len)
		return true;
	return a->len == b->len && (a->wildcard || b->wildcard || a->datamatch == b->datamatch);
}

int skvm_vm_ioeventfd(struct skvm_vm *vm, const struct skvm_ioeventfd *args)
{
	struct kvm_eventfds *ev;
	struct kvm_kernel_ioeventfd p;
	int rc = 0;

	if (!vm || !args || (args->flags & ~IOEVENTFD_FLAGS) ||
	    (args->flags & SKVM_IOEVENTFD_FLAG_PIO))
		return -EINVAL;
	switch (args->len) {
	case 0:
		if (args->flags & SKVM_IOEVENTFD_FLAG_DATAMATCH)
			return -EINVAL;
		break;
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	p = (struct kvm_kernel_ioeventfd){
	    .addr = args->addr,
	    .len = args->len,
	    .wildcard = !(args->flags & SKVM_IOEVENTFD_FLAG_DATAMATCH),
	    .datamatch = (args->flags & SKVM_IOEVENTFD_FLAG_DATAMATCH) ? args->datamatch : 0,
	    .fd = args->fd,
	};
	ev = &vm->eventfds;

	if (args->flags & SKVM_IOEVENTFD_FLAG_DEASSIGN) {
		pthread_mutex_lock(&ev->lock);
		rc = -ENOENT;
		for (unsigned i = 0; i < ev->nr_io; i++) {
			struct kvm_kernel_ioeventfd *q = &ev->io[i];

			if (q->fd == p.fd && q->addr == p.addr && q->len == p.len &&
			    q->wildcard == p.wildcard &&
			    (p.wildcard || q->datamatch == p.datamatch)) {
				ev->io[i] = ev->io[ev->nr_io - 1];
				__atomic_store_n(&ev->nr_io, ev->nr_io - 1, __ATOMIC_RELAXED);
				rc = 0;
				break;
			}
		}
		pthread_mutex_unlock(&ev->lock);
		return rc;
	}

	rc = check_eventfd(args->fd);
	if (rc)
		return rc;
	pthread_mutex_lock(&ev->lock);
	for (unsigned i = 0; i < ev->nr_io && !rc; i++)
		if (io_collides(&ev->io[i], &p))
			rc = -EEXIST;
	if (!rc)
		rc = grow((void **)&ev->io, &ev->cap_io, ev->nr_io, sizeof(p), IOEVENTFD_MAX);
	if (!rc) {
		ev->io[ev->nr_io] = p;
		__atomic_store_n(&ev->nr_io, ev->nr_io + 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&ev->lock);
	return rc;
}

/* The store's value as KVM compares it: its bus-order bytes as a host-order number. */
static uint64_t bus_value(const uint8_t *data, unsigned len)
{
	uint8_t b1;
	uint16_t b2;
	uint32_t b4;
	uint64_t b8;

	switch (len) {
	case 1:
		memcpy(&b1, data, 1);
		return b1;
	case 2:
		memcpy(&b2, data, 2);
		return b2;
	case 4:
		memcpy(&b4, data, 4);
		return b4;
	default:
		memcpy(&b8, data, 8);
		return b8;
	}
}

bool kvm_ioeventfd_write(struct kvm_eventfds *ev, uint64_t gpa, const uint8_t *data, unsigned len)
{
	uint64_t val;
	bool hit = false;

	if (!__atomic_load_n(&ev->nr_io, __ATOMIC_RELAXED))
		return false;
	val = bus_value(data, len);
	pthread_mutex_lock(&ev->lock);
	for (unsigned i = 0; i < ev->nr_io; i++) {
		const struct kvm_kernel_ioeventfd *p = &ev->io[i];

		if (p->addr != gpa)
			continue;
		if (p->len && (p->len != len || (!p->wildcard && p->datamatch != val)))
			continue;
		eventfd_add(p->fd);
		hit = true;
		break;
	}
	pthread_mutex_unlock(&ev->lock);
	return hit;
}

/* ---- irqchip and irqfd ---- */

int skvm_vm_set_irqchip(struct skvm_vm *vm, const struct skvm_irqchip *chip)
{
	struct kvm_eventfds *ev;
	int rc = 0;

	if (!vm || !chip || !chip->set_irq || !chip->nr_gsis || chip->nr_gsis > GSI_MAX)
		return -EINVAL;
	ev = &vm->eventfds;
	pthread_mutex_lock(&ev->lock);
	if (ev->chip.set_irq)
		rc = -EEXIST;
	else
		ev->chip = *chip;
	pthread_mutex_unlock(&ev->lock);
	return rc;
}

/* An irqfd was signalled (ev->lock held). */
static void irqfd_inject(struct kvm_eventfds *ev, const struct kvm_kernel_irqfd *f)
{
	(void)ev->chip.set_irq(ev->chip.opaque, f->gsi, 1);
	if (!f->resample)
		(void)ev->chip.set_irq(ev->chip.opaque, f->gsi, 0);
}

/* Handle what poll reported for the irqfds it was given (ev->lock held, and irq[] as it was
 * then: same generation). */
static void irqfd_serve(struct kvm_eventfds *ev, const struct pollfd *pfd)
{
	for (unsigned i = 0; i < ev->nr_irq; i++) {
		struct kvm_kernel_irqfd *f = &ev->irq[i];
		uint64_t count;

		if (pfd[i].revents & POLLNVAL) {
			f->dead = true; /* closed without a deassign: nothing to wait for */
			continue;
		}
		if (!(pfd[i].revents & (POLLIN | POLLERR | POLLHUP)))
			continue;
		if (read(f->fd, &count, sizeof(count)) == (ssize_t)sizeof(count))
			irqfd_inject(ev, f);
		else if (errno != EAGAIN && errno != EINTR)
			f->dead = true;
	}
}

static void *irqfd_thread(void *arg)
{
	struct kvm_eventfds *ev = arg;
	struct pollfd *pfd = NULL;
	unsigned cap = 0;

	for (;;) {
		uint64_t gen, count;
		unsigned n;

		pthread_mutex_lock(&ev->lock);
		if (ev->stopping) {
			pthread_mutex_unlock(&ev->lock);
			break;
		}
		n = ev->nr_irq;
		if (n + 1 > cap) {
			struct pollfd *p = realloc(pfd, (n + 1) * sizeof(*p));

			if (p) {
				pfd = p;
				cap = n + 1;
			} else {
				n = cap ? cap - 1
					: 0; /* serve what fits; retried at the next change */
			}
		}
		if (!pfd) {
			pthread_mutex_unlock(&ev->lock);
			break; /* no memory for even the wake-up: irqfds go unserved */
		}
		for (unsigned i = 0; i < n; i++)
			pfd[i] = (struct pollfd){.fd = ev->irq[i].dead ? -1 : ev->irq[i].fd,
						 .events = POLLIN};
		pfd[n] = (struct pollfd){.fd = ev->wake_fd, .events = POLLIN};
		gen = ev->generation;
		pthread_mutex_unlock(&ev->lock);

		if (poll(pfd, n + 1, -1) < 0)
			continue; /* EINTR */
		if (pfd[n].revents & POLLIN)
			(void)!read(ev->wake_fd, &count, sizeof(count));
		pthread_mutex_lock(&ev->lock);
		/* Changed meanwhile: poll again over the new set (poll is level-triggered, so
		 * a signal it saw is seen again). */
		if (gen == ev->generation && n == ev->nr_irq)
			irqfd_serve(ev, pfd);
		pthread_mutex_unlock(&ev->lock);
	}
	free(pfd);
	return NULL;
}

/* ev->lock held. */
static int irqfd_start_thread(struct kvm_eventfds *ev)
{
	if (ev->thread_started)
		return 0;
	if (ev->wake_fd < 0) {
		ev->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (ev->wake_fd < 0)
			return -errno;
	}
	/* a library's thread takes none of the process's signals: they are the VMM's */
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&ev->thread, NULL, irqfd_thread, ev);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc)
		return -rc;
	ev->thread_started = true;
	return 0;
}

static void irqfd_changed(struct kvm_eventfds *ev)
{
	ev->generation++;
	if (ev->wake_fd >= 0)
		eventfd_add(ev->wake_fd);
}

static int irqfd_deassign(struct kvm_eventfds *ev, const struct skvm_irqfd *args)
{
	pthread_mutex_lock(&ev->lock);
	for (unsigned i = 0; i < ev->nr_irq; i++) {
		struct kvm_kernel_irqfd *f = &ev->irq[i];

		if (f->fd != args->fd || f->gsi != args->gsi)
			continue;
		/* KVM's resampler shutdown: the level it held goes */
		if (f->resample && ev->chip.set_irq)
			(void)ev->chip.set_irq(ev->chip.opaque, f->gsi, 0);
		ev->irq[i] = ev->irq[ev->nr_irq - 1];
		__atomic_store_n(&ev->nr_irq, ev->nr_irq - 1, __ATOMIC_RELAXED);
		irqfd_changed(ev);
		break;
	}
	pthread_mutex_unlock(&ev->lock);
	return 0;
}

int skvm_vm_irqfd(struct skvm_vm *vm, const struct skvm_irqfd *args)
{
	bool resample;
	struct kvm_eventfds *ev;
	int rc;

	if (!vm || !args || (args->flags & ~IRQFD_FLAGS))
		return -EINVAL;
	ev = &vm->eventfds;
	if (args->flags & SKVM_IRQFD_FLAG_DEASSIGN)
		return irqfd_deassign(ev, args);

	resample = args->flags & SKVM_IRQFD_FLAG_RESAMPLE;
	rc = check_eventfd(args->fd);
	if (!rc && resample)
		rc = args->resamplefd == args->fd ? -EINVAL : check_eventfd(args->resamplefd);
	if (rc)
		return rc;
	pthread_mutex_lock(&ev->lock);
	if (!ev->chip.set_irq)
		rc = -EAGAIN;
	else if (args->gsi >= ev->chip.nr_gsis)
		rc = -EINVAL;
	for (unsigned i = 0; i < ev->nr_irq && !rc; i++)
		if (ev->irq[i].fd == args->fd)
			rc = -EBUSY;
	if (!rc)
		rc = grow((void **)&ev->irq, &ev->cap_irq, ev->nr_irq, sizeof(ev->irq[0]),
			  IRQFD_MAX);
	if (!rc)
		rc = irqfd_start_thread(ev);
	if (!rc) {
		ev->irq[ev->nr_irq] = (struct kvm_kernel_irqfd){
		    .fd = args->fd,
		    .resamplefd = resample ? args->resamplefd : -1,
		    .gsi = args->gsi,
		    .resample = resample,
		};
		__atomic_store_n(&ev->nr_irq, ev->nr_irq + 1, __ATOMIC_RELAXED);
		irqfd_changed(ev);
	}
	pthread_mutex_unlock(&ev->lock);
	return rc;
}

void skvm_vm_irqchip_ack(struct skvm_vm *vm, uint32_t gsi)
{
	struct kvm_eventfds *ev;
	bool lowered = false;

	if (!vm)
		return;
	ev = &vm->eventfds;
	if (!__atomic_load_n(&ev->nr_irq, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&ev->lock);
	for (unsigned i = 0; i < ev->nr_irq; i++) {
		const struct kvm_kernel_irqfd *f = &ev->irq[i];

		if (!f->resample || f->gsi != gsi)
			continue;
		if (!lowered) {
			(void)ev->chip.set_irq(ev->chip.opaque, gsi, 0);
			lowered = true;
		}
		eventfd_add(f->resamplefd);
	}
	pthread_mutex_unlock(&ev->lock);
}
