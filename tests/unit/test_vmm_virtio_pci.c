// SPDX-License-Identifier: MIT
/* The virtio-pci modern transport (vmm/virtio/pci.c) on the PCI model (vmm/pci/), with
 * virtio-rng, driven as Linux's virtio_pci_modern drives it: configuration cycles through
 * the host bridge, the capability list walked to find the common, notify, ISR and device
 * structures, BAR accesses through the bridge's window on the MMIO bus, INTA on a fake
 * interrupt controller. Also what a buggy or hostile driver does: read-only fields, a queue
 * select beyond the device's queues, accesses of the wrong width, a broken ring, BAR sizing
 * and moving, Interrupt Disable, machine reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <time.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/pci/config.c"
#include "../../vmm/pci/phb.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/pci.c"
#include "../../vmm/virtio/rng.c"
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/virtqueue.c"
#include "virtq_driver.h"

#define WIN_GPA	 0x200080000000ull /* the window, guest-physical (QEMU spapr's) */
#define WIN_PCI	 0x80000000u	   /* and on the PCI bus */
#define WIN_SIZE 0x80000000u
#define QNUM	 16
#define LSI	 0x1200u

struct fix {
	struct skvm_vm *vm;
	struct vmm_bus bus;
	struct pci_phb phb;
	struct drv drv;
	struct virtio_pci *vp;
	pthread_mutex_t lock;
	bool level[4]; /* the bridge's INTx lines as the controller sees them */
	unsigned raised;
	/* what the capability walk found: BAR 0 offsets of each structure */
	uint32_t common, notify, isr, devcfg, notify_mult;
	uint64_t bar; /* BAR 0, guest-physical */
};

static int intx_set(void *opaque, unsigned line, bool level)
{
	struct fix *f = opaque;

	pthread_mutex_lock(&f->lock);
	if (level && !f->level[line - LSI])
		f->raised++;
	f->level[line - LSI] = level;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static bool line(struct fix *f)
{
	bool l;

	pthread_mutex_lock(&f->lock);
	l = f->level[pci_phb_intx_of_slot(0)];
	pthread_mutex_unlock(&f->lock);
	return l;
}

static struct pci_function *fn(struct fix *f)
{
	return pci_phb_find(&f->phb, 0, 0);
}

static uint32_t cfg(struct fix *f, unsigned off, unsigned size)
{
	uint32_t v;

	assert_int_equal(pci_cfg_read(fn(f), off, size, &v), 0);
	return v;
}

static void cfg_w(struct fix *f, unsigned off, unsigned size, uint32_t v)
{
	assert_int_equal(pci_cfg_write(fn(f), off, size, v), 0);
}

/* A little-endian load or store of size bytes at BAR 0 + off. */
static uint32_t rd(struct fix *f, uint64_t off, unsigned size)
{
	uint8_t b[4] = {0};
	uint32_t v = 0;

	assert_int_equal(vmm_bus_mmio(&f->bus, f->bar + off, b, size, false), 0);
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)b[i] << (8 * i);
	return v;
}

static void wr(struct fix *f, uint64_t off, unsigned size, uint32_t v)
{
	uint8_t b[4];

	for (unsigned i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	assert_int_equal(vmm_bus_mmio(&f->bus, f->bar + off, b, size, true), 0);
}

/* Walks the capability list as virtio_pci_modern's probe does. */
static void find_caps(struct fix *f)
{
	unsigned seen = 0;

	assert_true(cfg(f, PCI_STATUS, 2) & PCI_STATUS_CAP_LIST);
	for (unsigned pos = cfg(f, PCI_CAPABILITY_LIST, 1), n = 0; pos; n++) {
		assert_true(n < 48 && pos >= 0x40 && pos % 4 == 0);
		if (cfg(f, pos, 1) == PCI_CAP_ID_VNDR) {
			unsigned type = cfg(f, pos + 3, 1);
			uint32_t off = cfg(f, pos + 8, 4);

			assert_int_equal(cfg(f, pos + 4, 1), 0); /* BAR 0 */
			assert_true(cfg(f, pos + 12, 4) >= 0x38 || type != 1);
			switch (type) {
			case VIRTIO_PCI_CAP_COMMON_CFG:
				f->common = off;
				break;
			case VIRTIO_PCI_CAP_NOTIFY_CFG:
				assert_int_equal(cfg(f, pos + 2, 1), 20);
				f->notify = off;
				f->notify_mult = cfg(f, pos + 16, 4);
				break;
			case VIRTIO_PCI_CAP_ISR_CFG:
				f->isr = off;
				break;
			case VIRTIO_PCI_CAP_DEVICE_CFG:
				f->devcfg = off;
				break;
			}
			seen |= 1u << type;
		}
		pos = cfg(f, pos + 1, 1);
	}
	assert_int_equal(seen, 0x1e);
	f->bar = WIN_GPA + ((cfg(f, PCI_BAR0, 4) & ~15u) - WIN_PCI);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct vmm_irq intx[4];
	struct virtio_host host;
	struct virtio_dev *d;
	struct vmm_err err;

	pthread_mutex_init(&f->lock, NULL);
	for (unsigned i = 0; i < 4; i++)
		intx[i] = (struct vmm_irq){.set = intx_set, .opaque = f, .line = LSI + i};
	if (skvm_vm_create(SKVM_VM_PPC_440, &f->vm))
		return -1;
	vmm_bus_init(&f->bus, "mmio");
	drv_init(&f->drv, QNUM);
	pci_phb_init(&f->phb, 0x800000020000000ull, WIN_GPA, WIN_PCI, WIN_SIZE, intx);
	if (pci_phb_attach(&f->phb, &f->bus))
		return -1;
	host = (struct virtio_host){.vm = f->vm, .mem = &f->drv.mem, .mmio = &f->bus};
	if (virtio_rng_create(&d))
		return -1;
	if (virtio_pci_add(d, &host, &f->phb, &f->vp, &err)) {
		virtio_dev_remove(d);
		return -1;
	}
	find_caps(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	virtio_pci_remove(f->vp);
	assert_null(fn(f));
	skvm_vm_destroy(f->vm);
	vmm_bus_destroy(&f->bus);
	drv_free(&f->drv);
	free(f);
	return 0;
}

/* common configuration fields (4.1.4.3) */
enum {
	DFSEL = 0x00, DF = 0x04, GFSEL = 0x08, GF = 0x0c, MSIX = 0x10, NUMQ = 0x12, STATUS = 0x14,
	GEN = 0x15, QSEL = 0x16, QSIZE = 0x18, QMSIX = 0x1a, QENABLE = 0x1c, QNOFF = 0x1e,
	QDESC = 0x20, QDRIVER = 0x28, QDEVICE = 0x30,
};

#define ALL_OK                                                                                     \
	(VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |            \
	 VIRTIO_STATUS_DRIVER_OK)
#define F_ALL                                                                                      \
	(VIRTIO_FEATURE(VIRTIO_F_VERSION_1) | VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX) |                 \
	 VIRTIO_FEATURE(VIRTIO_F_INDIRECT_DESC))

static uint32_t negotiate(struct fix *f, uint64_t features)
{
	uint32_t c = f->common;

	wr(f, c + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(f, c + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(f, c + GFSEL, 4, 0);
	wr(f, c + GF, 4, (uint32_t)features);
	wr(f, c + GFSEL, 4, 1);
	wr(f, c + GF, 4, (uint32_t)(features >> 32));
	wr(f, c + STATUS, 1,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	return rd(f, c + STATUS, 1);
}

static void setup_queue(struct fix *f, uint64_t desc)
{
	uint32_t c = f->common;

	wr(f, c + QSEL, 2, 0);
	wr(f, c + QSIZE, 2, QNUM);
	wr(f, c + QDESC, 4, (uint32_t)desc);
	wr(f, c + QDESC + 4, 4, (uint32_t)(desc >> 32));
	wr(f, c + QDRIVER, 4, (uint32_t)AVAIL_GPA);
	wr(f, c + QDRIVER + 4, 4, 0);
	wr(f, c + QDEVICE, 4, (uint32_t)USED_GPA);
	wr(f, c + QDEVICE + 4, 4, 0);
	wr(f, c + QENABLE, 2, 1);
}

static void bring_up(struct fix *f)
{
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, DESC_GPA);
	assert_int_equal(rd(f, f->common + QENABLE, 2), 1);
	wr(f, f->common + STATUS, 1, ALL_OK);
}

static void post_rng_buffer(struct fix *f, uint16_t head, uint32_t len)
{
	memset(drv_host(&f->drv, BUF_GPA), 0, len);
	drv_desc(&f->drv, head, BUF_GPA, len, VIRTQ_DESC_F_WRITE, 0);
	drv_publish(&f->drv, head);
}

static void test_header(void **state)
{
	struct fix *f = *state;
	uint32_t v;

	assert_int_equal(cfg(f, PCI_VENDOR_ID, 2), 0x1af4);
	assert_int_equal(cfg(f, PCI_DEVICE_ID, 2), 0x1040 + VIRTIO_ID_RNG);
	assert_int_equal(cfg(f, PCI_REVISION_ID, 1), 1); /* modern only */
	assert_int_equal(cfg(f, PCI_SUBSYSTEM_ID, 2), VIRTIO_ID_RNG);
	assert_int_equal(cfg(f, PCI_HEADER_TYPE, 1), 0);
	assert_int_equal(cfg(f, PCI_INTERRUPT_PIN, 1), 1);
	/* assigned by the VMM in the window, decoding on */
	assert_int_equal(cfg(f, PCI_BAR0, 4), WIN_PCI);
	assert_true(cfg(f, PCI_COMMAND, 2) & PCI_COMMAND_MEMORY);
	/* read-only fields stay */
	cfg_w(f, PCI_VENDOR_ID, 4, 0x12345678);
	assert_int_equal(cfg(f, PCI_VENDOR_ID, 4), (0x1040u + VIRTIO_ID_RNG) << 16 | 0x1af4);
	cfg_w(f, PCI_CAPABILITY_LIST, 1, 0);
	assert_int_not_equal(cfg(f, PCI_CAPABILITY_LIST, 1), 0);
	cfg_w(f, 0x40, 4, 0xffffffff); /* the first capability */
	assert_int_equal(cfg(f, 0x40, 1), PCI_CAP_ID_VNDR);
	/* BAR sizing: all-ones reads back the size's mask, then the address is put back */
	cfg_w(f, PCI_BAR0, 4, 0xffffffff);
	assert_int_equal(cfg(f, PCI_BAR0, 4), ~(VIRTIO_PCI_BAR_SIZE - 1));
	cfg_w(f, PCI_BAR0, 4, WIN_PCI);
	/* absent BARs read 0 and stay 0 */
	cfg_w(f, PCI_BAR0 + 4, 4, 0xffffffff);
	assert_int_equal(cfg(f, PCI_BAR0 + 4, 4), 0);
	/* bad config cycles: odd width, misaligned, beyond 256 bytes */
	assert_int_equal(pci_cfg_read(fn(f), 1, 2, &v), -EINVAL);
	assert_int_equal(v, PCI_MISSING);
	assert_int_equal(pci_cfg_read(fn(f), 0, 3, &v), -EINVAL);
	assert_int_equal(pci_cfg_read(fn(f), 256, 4, &v), -EINVAL);
	assert_int_equal(pci_cfg_write(fn(f), 2, 4, 0), -EINVAL);
	assert_int_equal(cfg(f, PCI_DEVICE_ID, 2), 0x1040 + VIRTIO_ID_RNG);
	/* only function 0 of bus 0's slots exists */
	assert_null(pci_phb_find(&f->phb, 0, 1));
	assert_null(pci_phb_find(&f->phb, 1, 0));
	assert_null(pci_phb_find(&f->phb, 0, 8));
	assert_null(pci_phb_find(&f->phb, 0, 0x1000));
}

static void test_identification(void **state)
{
	struct fix *f = *state;
	uint32_t c = f->common;

	assert_int_equal(f->notify_mult, 0);
	assert_int_equal(rd(f, c + NUMQ, 2), 1);
	assert_int_equal(rd(f, c + MSIX, 2), 0xffff); /* no MSI-X */
	wr(f, c + DFSEL, 4, 0);
	assert_int_equal(rd(f, c + DF, 4), (1u << 28) | (1u << 29));
	wr(f, c + DFSEL, 4, 1);
	assert_int_equal(rd(f, c + DF, 4), 1);
	wr(f, c + DFSEL, 4, 2);
	assert_int_equal(rd(f, c + DF, 4), 0);
	wr(f, c + QSEL, 2, 0);
	assert_int_equal(rd(f, c + QSIZE, 2), 64); /* the maximum until the driver lowers it */
	assert_int_equal(rd(f, c + QNOFF, 2), 0);
	assert_int_equal(rd(f, c + QMSIX, 2), 0xffff);
	assert_int_equal(rd(f, c + STATUS, 1), 0);
	/* FEATURES_OK refused without VERSION_1 */
	assert_false(negotiate(f, VIRTIO_FEATURE(VIRTIO_F_EVENT_IDX)) &
		     VIRTIO_STATUS_FEATURES_OK);
	wr(f, c + STATUS, 1, 0);
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	wr(f, c + GFSEL, 4, 0);
	assert_int_equal(rd(f, c + GF, 4), (1u << 28) | (1u << 29));
}

/* --stats through the bridge's window (the bus region's stats hook): the function's line
 * as virtio-mmio prints one, at its BAR's guest-physical address. */
static void expect_stats(struct fix *f, unsigned requests, unsigned bytes, unsigned kicks,
			 unsigned irqs)
{
	char *text = NULL, want[160];
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	pci_phb_window_ops.stats(&f->phb, out);
	assert_int_equal(fclose(out), 0);
	snprintf(want, sizeof(want),
		 "  virtio-rng     0x%08" PRIx64 " %10u requests %12u bytes %10u notifications "
		 "%10u interrupts\n",
		 f->bar, requests, bytes, kicks, irqs);
	assert_string_equal(text, want);
	free(text);
}

static void test_request_and_intx(void **state)
{
	struct fix *f = *state;
	uint8_t zero[64] = {0};

	bring_up(f);
	assert_false(line(f));
	post_rng_buffer(f, 0, 64);
	wr(f, f->notify, 2, 0); /* the queue's index, 16 bits, as vp_notify */
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
	assert_int_equal(drv_used_len(&f->drv, 0), 64);
	assert_memory_not_equal(drv_host(&f->drv, BUF_GPA), zero, 64);
	WAIT_FOR(line(f)); /* INTA held... */
	assert_true(cfg(f, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	/* ...Interrupt Disable masks it without losing it... */
	cfg_w(f, PCI_COMMAND, 2, cfg(f, PCI_COMMAND, 2) | PCI_COMMAND_INTX_DISABLE);
	assert_false(line(f));
	assert_true(cfg(f, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	cfg_w(f, PCI_COMMAND, 2, cfg(f, PCI_COMMAND, 2) & ~PCI_COMMAND_INTX_DISABLE);
	assert_true(line(f));
	/* ...until the driver reads the ISR, which clears it */
	assert_int_equal(rd(f, f->isr, 1), VIRTIO_MMIO_INT_VRING);
	assert_false(line(f));
	assert_false(cfg(f, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT);
	assert_int_equal(rd(f, f->isr, 1), 0);
	assert_int_equal(f->raised, 2);
	assert_int_equal(atomic_load(&f->vp->dev->stats.interrupts), 1);
	/* a notify for a queue that is not there does nothing */
	wr(f, f->notify, 2, 5);
	/* a second request (EVENT_IDX: the driver asks for an interrupt after entry 1) */
	drv_set_used_event(&f->drv, 1);
	post_rng_buffer(f, 1, 8);
	wr(f, f->notify, 2, 0);
	WAIT_FOR(drv_used_idx(&f->drv) == 2);
	WAIT_FOR(line(f));
	assert_int_equal(rd(f, f->isr, 1), VIRTIO_MMIO_INT_VRING);
	assert_int_equal(atomic_load(&f->vp->dev->stats.notifications), 2);
	expect_stats(f, 2, 72, 2, 2);
}

static void test_bad_input(void **state)
{
	struct fix *f = *state;
	uint32_t c = f->common;

	/* read-only fields ignore writes */
	wr(f, c + NUMQ, 2, 7);
	assert_int_equal(rd(f, c + NUMQ, 2), 1);
	wr(f, c + DF, 4, 0xffffffff);
	wr(f, c + DFSEL, 4, 1);
	assert_int_equal(rd(f, c + DF, 4), 1);
	wr(f, c + GEN, 1, 9);
	assert_int_equal(rd(f, c + GEN, 1), 0);
	wr(f, c + QNOFF, 2, 3);
	assert_int_equal(rd(f, c + QNOFF, 2), 0);
	/* wrong widths: ignored, read 0 */
	assert_int_equal(rd(f, c + NUMQ, 1), 0);
	assert_int_equal(rd(f, c + DF, 2), 0);
	wr(f, c + QSIZE, 4, 5); /* a 32-bit store over queue_size and queue_msix_vector */
	assert_int_equal(rd(f, c + QSIZE, 2), 64);
	wr(f, c + QSEL, 4, 0x00050000); /* misaligned: the bus splits it into two 16-bit */
	assert_int_equal(rd(f, c + QSEL, 2), 0);
	assert_int_equal(rd(f, c + QSIZE, 2), 5);
	wr(f, c + QSIZE, 2, 64);
	wr(f, c + STATUS, 2, VIRTIO_STATUS_ACKNOWLEDGE);
	assert_int_equal(rd(f, c + STATUS, 1), 0);
	/* a misaligned 32-bit load across fields: the bus splits it, every piece is refused */
	assert_int_equal(rd(f, c + 0x13, 4), 0);
	/* beyond the structures: 0, and stores vanish */
	assert_int_equal(rd(f, 0x38, 4), 0);
	wr(f, 0x1004, 4, 0xffffffff);
	assert_int_equal(rd(f, 0x2100, 4), 0);
	/* a queue select beyond the device's queues: size 0, its fields inert */
	wr(f, c + QSEL, 2, 5);
	assert_int_equal(rd(f, c + QSIZE, 2), 0);
	wr(f, c + QSIZE, 2, 8);
	wr(f, c + QDESC, 4, 0x1000);
	wr(f, c + QENABLE, 2, 1);
	assert_int_equal(rd(f, c + QENABLE, 2), 0);
	assert_int_equal(rd(f, c + QDESC, 4), 0);
	wr(f, c + QSEL, 2, 0xffff);
	assert_int_equal(rd(f, c + QSIZE, 2), 0);
	/* a queue enabled before FEATURES_OK: DEVICE_NEEDS_RESET, with a config interrupt */
	wr(f, c + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	setup_queue(f, DESC_GPA);
	assert_int_equal(rd(f, c + QENABLE, 2), 0);
	assert_true(rd(f, c + STATUS, 1) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	assert_true(line(f));
	assert_int_equal(rd(f, f->isr, 1), VIRTIO_MMIO_INT_CONFIG);
	assert_int_equal(rd(f, c + GEN, 1), 1);
	/* reset: status 0 reads back 0 at once */
	wr(f, c + STATUS, 1, 0);
	assert_int_equal(rd(f, c + STATUS, 1), 0);
	/* rings outside RAM */
	assert_true(negotiate(f, F_ALL) & VIRTIO_STATUS_FEATURES_OK);
	setup_queue(f, 0x4000000000ull);
	assert_int_equal(rd(f, c + QENABLE, 2), 0);
	assert_true(rd(f, c + STATUS, 1) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	wr(f, c + STATUS, 1, 0);
	/* a broken ring while live: DEVICE_NEEDS_RESET, nothing used */
	bring_up(f);
	wr(f, c + QDESC, 4, 0x1234); /* an enabled queue's fields are read-only */
	assert_int_equal(rd(f, c + QDESC, 4), (uint32_t)DESC_GPA);
	wr(f, c + QSIZE, 2, 4);
	assert_int_equal(rd(f, c + QSIZE, 2), QNUM);
	drv_desc(&f->drv, 0, BUF_GPA, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0); /* a loop */
	drv_publish(&f->drv, 0);
	wr(f, f->notify, 2, 0);
	WAIT_FOR(rd(f, c + STATUS, 1) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	WAIT_FOR(line(f));
	assert_int_equal(drv_used_idx(&f->drv), 0);
	/* a reset lowers the line with the ISR */
	wr(f, c + STATUS, 1, 0);
	assert_false(line(f));
	assert_int_equal(rd(f, f->isr, 1), 0);
	/* a new driver works */
	memset(drv_host(&f->drv, RAM_GPA), 0, 0x4000);
	f->drv.avail_idx = 0;
	bring_up(f);
	post_rng_buffer(f, 0, 8);
	wr(f, f->notify, 2, 0);
	WAIT_FOR(drv_used_idx(&f->drv) == 1);
}

/* The window decodes the BARs as they are now: decoding off, a moved BAR, machine reset. */
static void test_window_and_reset(void **state)
{
	struct fix *f = *state;
	uint32_t c = f->common;
	uint64_t old = f->bar;

	assert_int_equal(rd(f, c + NUMQ, 2), 1);
	cfg_w(f, PCI_COMMAND, 2, 0); /* memory decoding off: nothing answers */
	assert_int_equal(rd(f, c + NUMQ, 2), 0xffff);
	wr(f, c + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	assert_true(f->phb.unclaimed >= 2);
	cfg_w(f, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	assert_int_equal(rd(f, c + STATUS, 1), 0);
	/* moved by the guest: found at the new address, not at the old */
	cfg_w(f, PCI_BAR0, 4, WIN_PCI + 0x100000);
	f->bar = WIN_GPA + 0x100000;
	assert_int_equal(rd(f, c + NUMQ, 2), 1);
	wr(f, c + STATUS, 1, VIRTIO_STATUS_ACKNOWLEDGE);
	f->bar = old;
	assert_int_equal(rd(f, c + NUMQ, 2), 0xffff);
	/* machine reset: the VMM's assignment back, the device's state gone */
	pci_phb_reset(&f->phb);
	assert_int_equal(cfg(f, PCI_BAR0, 4), WIN_PCI);
	assert_int_equal(rd(f, c + STATUS, 1), 0);
}

/* The window fills up: -ENOSPC, and the device stays the caller's. */
static void test_no_room(void **state)
{
	struct vmm_irq intx[4] = {{0}};
	struct pci_phb small;
	struct pci_function a, b;

	pci_phb_init(&small, 1, 0x1000000, 0x1000000, 0x8000, intx);
	pci_function_init(&a, "a", &virtio_pci_function_ops, NULL, 1, 2, 0, 0, 0, 0);
	pci_function_add_bar(&a, 0, 0x4000);
	pci_function_init(&b, "b", &virtio_pci_function_ops, NULL, 1, 2, 0, 0, 0, 0);
	pci_function_add_bar(&b, 0, 0x4000);
	assert_int_equal(pci_phb_plug(&small, &a), 0);
	assert_int_equal(pci_phb_plug(&small, &b), 0);
	assert_int_equal(b.cfg[PCI_BAR0 + 1], 0x40);
	assert_int_equal(pci_phb_plug(&small, &b), -ENOSPC);
	assert_int_equal(small.slot[2], NULL);
	(void)state;
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_header),
	    T(test_identification),
	    T(test_request_and_intx),
	    T(test_bad_input),
	    T(test_window_and_reset),
	    cmocka_unit_test(test_no_room),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm virtio-pci", tests, NULL, NULL);
}
