// SPDX-License-Identifier: MIT
/* ioeventfds and irqfds (src/kvm/eventfd.c): stores that signal an eventfd and complete
 * without an MMIO exit (datamatch in KVM's byte order, any-length, update forms, deassign),
 * irqfds driving a controller from the hypervisor's thread (edge and resample semantics, ack,
 * deassign), KVM's error codes, and a halted vcpu woken by an irqfd through a controller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <linux/kvm.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "run_fixture.h"

_Static_assert(SKVM_CAP_IRQFD == KVM_CAP_IRQFD, "Linux's number");
_Static_assert(SKVM_CAP_IOEVENTFD == KVM_CAP_IOEVENTFD, "Linux's number");
_Static_assert(SKVM_CAP_IRQFD_RESAMPLE == KVM_CAP_IRQFD_RESAMPLE, "Linux's number");
_Static_assert(SKVM_CAP_IOEVENTFD_NO_LENGTH == KVM_CAP_IOEVENTFD_NO_LENGTH, "Linux's number");
_Static_assert(SKVM_IOEVENTFD_FLAG_DATAMATCH == KVM_IOEVENTFD_FLAG_DATAMATCH, "Linux's bit");
_Static_assert(SKVM_IOEVENTFD_FLAG_PIO == KVM_IOEVENTFD_FLAG_PIO, "Linux's bit");
_Static_assert(SKVM_IOEVENTFD_FLAG_DEASSIGN == KVM_IOEVENTFD_FLAG_DEASSIGN, "Linux's bit");
_Static_assert(SKVM_IRQFD_FLAG_DEASSIGN == KVM_IRQFD_FLAG_DEASSIGN, "Linux's bit");
_Static_assert(SKVM_IRQFD_FLAG_RESAMPLE == KVM_IRQFD_FLAG_RESAMPLE, "Linux's bit");

static inline uint32_t stwbrx(unsigned rs, unsigned ra, unsigned rb)
{
	return 0x7c00052cu | R(rs) << 21 | R(ra) << 16 | R(rb) << 11;
}
static inline uint32_t stwu(unsigned rs, int16_t d, unsigned ra)
{
	return 0x94000000u | R(rs) << 21 | R(ra) << 16 | (uint16_t)d;
}
static inline uint32_t stb(unsigned rs, int16_t d, unsigned ra)
{
	return 0x98000000u | R(rs) << 21 | R(ra) << 16 | (uint16_t)d;
}
static inline uint32_t sth(unsigned rs, int16_t d, unsigned ra)
{
	return 0xb0000000u | R(rs) << 21 | R(ra) << 16 | (uint16_t)d;
}

static int new_eventfd(void)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	assert_true(fd >= 0);
	return fd;
}

/* The eventfd's counter, consumed (0 if it was not signalled). */
static uint64_t take(int fd)
{
	uint64_t v = 0;

	if (read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}

static void signal_fd(int fd)
{
	uint64_t one = 1;

	assert_int_equal(write(fd, &one, sizeof(one)), (ssize_t)sizeof(one));
}

static struct skvm_ioeventfd io(uint64_t addr, uint32_t len, int fd, uint32_t flags,
				uint64_t datamatch)
{
	return (struct skvm_ioeventfd){
	    .addr = addr, .len = len, .fd = fd, .flags = flags, .datamatch = datamatch};
}

/* ---- ioeventfd ---- */

static void test_ioeventfd_datamatch(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
	    lis(3, MMIO_BASE >> 16),
	    li(4, 1),
	    stwbrx(4, 0, 3), /* bus 01 00 00 00: matches 1 */
	    li(4, 2),
	    stwbrx(4, 0, 3), /* 02 00 00 00: no match, exits */
	    li(4, 1),
	    stw(4, 0, 3), /* 00 00 00 01: 0x01000000 on this host: exits */
	    B_SELF,
	};
	struct skvm_ioeventfd a;
	struct skvm_exit_stat st[SKVM_EXITS_NR];
	int fd = new_eventfd();

	a = io(MMIO_BASE, 4, fd, SKVM_IOEVENTFD_FLAG_DATAMATCH, 1);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);
	put(f, CODE, code, 8);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE), 0x02000000);
	assert_int_equal(take(fd), 1); /* the first store, without an exit */
	assert_int_equal(expect_store(f, MMIO_BASE), 0x00000001);
	assert_int_equal(take(fd), 0);
	expect_halt(f, CODE + 28);
	skvm_vcpu_get_exit_stats(f->vcpu, st);
	assert_int_equal(st[SKVM_EXITS_IOEVENTFD].count, 1);
	assert_int_equal(st[SKVM_EXITS_MMIO].count, 2);
	close(fd);
}

static void test_ioeventfd_wildcard_and_any_length(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {
	    lis(3, MMIO_BASE >> 16),
	    li(4, 7),
	    stwu(4, 0x10, 3), /* the 4-byte wildcard at +0x10; r3 updated to it */
	    stb(4, 0x10, 3),  /* +0x20, any length: a byte... */
	    sth(4, 0x10, 3),  /* ...and a halfword */
	    stb(4, 0, 3),     /* +0x10 with 1 byte: its length is 4, so this exits */
	    B_SELF,
	};
	struct skvm_ioeventfd a, b;
	int fd1 = new_eventfd(), fd2 = new_eventfd();

	a = io(MMIO_BASE + 0x10, 4, fd1, 0, 0);
	b = io(MMIO_BASE + 0x20, 0, fd2, 0, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &b), 0);
	put(f, CODE, code, 7);
	start(f, 0);
	assert_int_equal(skvm_vcpu_run(f->vcpu), 0);
	assert_int_equal(f->run->exit_reason, SKVM_EXIT_MMIO);
	assert_int_equal(f->run->mmio.phys_addr, MMIO_BASE + 0x10);
	assert_int_equal(f->run->mmio.len, 1);
	assert_int_equal(gpr(f, 3), MMIO_BASE + 0x10); /* stwu's update went through */
	assert_int_equal(take(fd1), 1);
	assert_int_equal(take(fd2), 2);
	expect_halt(f, CODE + 24);

	/* deassigned, the same store exits again */
	assert_int_equal(
	    skvm_vm_ioeventfd(
		f->vm,
		&(struct skvm_ioeventfd){
		    .addr = a.addr, .len = 4, .fd = fd1, .flags = SKVM_IOEVENTFD_FLAG_DEASSIGN}),
	    0);
	start(f, 0);
	assert_int_equal(expect_store(f, MMIO_BASE + 0x10), 7);
	assert_int_equal(take(fd1), 0);
	close(fd1);
	close(fd2);
}

static void test_ioeventfd_errors(void **state)
{
	struct fix *f = *state;
	int fd = new_eventfd(), fd2 = new_eventfd(), p[2];
	struct skvm_ioeventfd a;
	const uint32_t DM = SKVM_IOEVENTFD_FLAG_DATAMATCH, DE = SKVM_IOEVENTFD_FLAG_DEASSIGN;

	assert_int_equal(pipe(p), 0);
	a = io(MMIO_BASE, 3, fd, 0, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL); /* length */
	a = io(MMIO_BASE, 0, fd, DM, 5);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL); /* datamatch, any length */
	a = io(MMIO_BASE, 4, fd, SKVM_IOEVENTFD_FLAG_PIO, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL);
	a = io(MMIO_BASE, 4, fd, 1u << 7, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL);
	a = io(UINT64_MAX - 1, 4, fd, 0, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL); /* wraps */
	a = io(MMIO_BASE, 4, 1000, 0, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EBADF);
	a = io(MMIO_BASE, 4, p[0], 0, 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EINVAL); /* not an eventfd */

	a = io(MMIO_BASE, 4, fd, DM, 1);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EEXIST);
	a = io(MMIO_BASE, 4, fd2, DM, 2); /* another value at the same place: fine */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);
	a = io(MMIO_BASE, 4, fd2, 0, 0); /* but not a wildcard over them */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EEXIST);
	a = io(MMIO_BASE, 0, fd2, 0, 0); /* nor any length */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -EEXIST);
	a = io(MMIO_BASE, 2, fd2, 0, 0); /* another length is another store */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);

	a = io(MMIO_BASE, 4, fd, DM | DE, 3); /* no such datamatch */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -ENOENT);
	a = io(MMIO_BASE, 4, fd2, DM | DE, 1); /* the other fd's */
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -ENOENT);
	a = io(MMIO_BASE, 4, fd, DM | DE, 1);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), 0);
	assert_int_equal(skvm_vm_ioeventfd(f->vm, &a), -ENOENT);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_IOEVENTFD), 1);
	assert_int_equal(skvm_check_extension(f->vm, SKVM_CAP_IRQFD), 1);
	close(fd);
	close(fd2);
	close(p[0]);
	close(p[1]);
}

/* ---- irqfd ---- */

#define MAX_EVENTS 64
struct chip {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct {
		uint32_t gsi;
		int level;
	} ev[MAX_EVENTS];
	unsigned n;
	struct skvm_vcpu *vcpu; /* when set: gsi 3 drives the vcpu's external input */
};

static int chip_set_irq(void *opaque, uint32_t gsi, int level)
{
	struct chip *c = opaque;

	pthread_mutex_lock(&c->lock);
	if (c->n < MAX_EVENTS) {
		c->ev[c->n].gsi = gsi;
		c->ev[c->n].level = level;
		c->n++;
	}
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->lock);
	if (c->vcpu && gsi == 3)
		return skvm_vcpu_interrupt(
		    c->vcpu, level ? SKVM_INTERRUPT_SET_LEVEL : SKVM_INTERRUPT_UNSET, false);
	return 0;
}

/* Waits (5 s at most: the bound is only there so that a failure fails) until the chip has
 * seen n events. */
static void chip_wait(struct chip *c, unsigned n)
{
	uint64_t until = now_ns() + 5000000000ull;

	pthread_mutex_lock(&c->lock);
	while (c->n < n && now_ns() < until) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&c->cond, &c->lock, &ts);
	}
	pthread_mutex_unlock(&c->lock);
	assert_true(c->n >= n);
}

static void expect_event(struct chip *c, unsigned i, uint32_t gsi, int level)
{
	assert_int_equal(c->ev[i].gsi, gsi);
	assert_int_equal(c->ev[i].level, level);
}

static void chip_init(struct chip *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
}

static void test_irqfd_edge_and_resample(void **state)
{
	struct fix *f = *state;
	struct chip c;
	struct skvm_irqchip chip = {.set_irq = chip_set_irq, .opaque = &c, .nr_gsis = 8};
	int fd = new_eventfd(), fd2 = new_eventfd(), rfd = new_eventfd(), fd3 = new_eventfd();
	struct skvm_irqfd a = {.fd = fd, .gsi = 5};
	struct skvm_irqfd r = {
	    .fd = fd2, .gsi = 6, .flags = SKVM_IRQFD_FLAG_RESAMPLE, .resamplefd = rfd};

	chip_init(&c);
	assert_int_equal(skvm_vm_irqfd(f->vm, &a), -EAGAIN); /* no controller yet */
	assert_int_equal(skvm_vm_set_irqchip(f->vm, &(struct skvm_irqchip){.nr_gsis = 8}), -EINVAL);
	assert_int_equal(skvm_vm_set_irqchip(f->vm, &chip), 0);
	assert_int_equal(skvm_vm_set_irqchip(f->vm, &chip), -EEXIST);
	assert_int_equal(skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = fd, .gsi = 8}), -EINVAL);
	assert_int_equal(skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = 1000, .gsi = 1}), -EBADF);
	assert_int_equal(skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = fd, .flags = 4}), -EINVAL);
	assert_int_equal(skvm_vm_irqfd(f->vm, &a), 0);
	assert_int_equal(skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = fd, .gsi = 2}), -EBUSY);

	/* an edge: up, then down */
	signal_fd(fd);
	chip_wait(&c, 2);
	expect_event(&c, 0, 5, 1);
	expect_event(&c, 1, 5, 0);

	/* a level: up, held until the guest acknowledges the input */
	assert_int_equal(skvm_vm_irqfd(f->vm, &r), 0);
	signal_fd(fd2);
	chip_wait(&c, 3);
	expect_event(&c, 2, 6, 1);
	skvm_vm_irqchip_ack(f->vm, 5); /* another input: nothing */
	assert_int_equal(c.n, 3);
	assert_int_equal(take(rfd), 0);
	skvm_vm_irqchip_ack(f->vm, 6);
	assert_int_equal(c.n, 4);
	expect_event(&c, 3, 6, 0);
	assert_int_equal(take(rfd), 1);
	/* raised again, then deassigned: the level goes with it */
	signal_fd(fd2);
	chip_wait(&c, 5);
	expect_event(&c, 4, 6, 1);
	r.flags = SKVM_IRQFD_FLAG_DEASSIGN;
	assert_int_equal(skvm_vm_irqfd(f->vm, &r), 0);
	assert_int_equal(c.n, 6);
	expect_event(&c, 5, 6, 0);

	/* deassigned, an irqfd is never read again: a signal stays in its counter while
	 * another irqfd's goes through */
	a.flags = SKVM_IRQFD_FLAG_DEASSIGN;
	assert_int_equal(skvm_vm_irqfd(f->vm, &a), 0);
	assert_int_equal(skvm_vm_irqfd(f->vm, &a), 0); /* not there: 0, as KVM */
	signal_fd(fd);
	assert_int_equal(skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = fd3, .gsi = 7}), 0);
	signal_fd(fd3);
	chip_wait(&c, 8);
	expect_event(&c, 6, 7, 1);
	expect_event(&c, 7, 7, 0);
	assert_int_equal(c.n, 8);
	assert_int_equal(take(fd), 1);
	close(fd);
	close(fd2);
	close(fd3);
	close(rfd);
}

/* The vcpu sleeps in MSR[WE]; the test thread only writes an eventfd: the hypervisor's irqfd
 * thread drives the controller, which raises the vcpu's input, which wakes it. */
static void test_irqfd_wakes_halted_vcpu(void **state)
{
	struct fix *f = *state;
	const uint32_t code[] = {lis(3, PPC_MSR_WE >> 16), ori(3, 3, PPC_MSR_EE), mtmsr(3), B_SELF};
	struct chip c;
	struct skvm_irqchip chip = {.set_irq = chip_set_irq, .opaque = &c, .nr_gsis = 4};
	int fd = new_eventfd(), rfd = new_eventfd();

	chip_init(&c);
	c.vcpu = f->vcpu;
	assert_int_equal(skvm_vm_set_irqchip(f->vm, &chip), 0);
	assert_int_equal(
	    skvm_vm_irqfd(f->vm, &(struct skvm_irqfd){.fd = fd,
						      .gsi = 3,
						      .flags = SKVM_IRQFD_FLAG_RESAMPLE,
						      .resamplefd = rfd}),
	    0);
	put(f, CODE, code, 4);
	start(f, 0);
	signal_fd(fd);
	expect_vector(f, BOOKE_IVOR_EXTERNAL);
	assert_int_equal(kvmppc_get_srr0(f->vcpu), CODE + 12);
	skvm_vm_irqchip_ack(f->vm, 3); /* lowers the vcpu's input again */
	assert_int_equal(take(rfd), 1);
	close(fd);
	close(rfd);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_ioeventfd_datamatch),     T(test_ioeventfd_wildcard_and_any_length),
	    T(test_ioeventfd_errors),	     T(test_irqfd_edge_and_resample),
	    T(test_irqfd_wakes_halted_vcpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
