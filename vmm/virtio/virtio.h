/* SPDX-License-Identifier: MIT */
/* virtio devices: what a device implements and what the transport does for it.
 * (vmm/virtio/README.md tells how to add a device; this is the reference.)
 *
 *   virtio.h      this: spec numbers, struct virtio_dev, the device ops, the calls a device
 *                 makes; device.c (thread, interrupts, add/remove), mmio.c (registers)
 *   virtqueue.h   split virtqueues: pop a request, push it back used, notification
 *                 suppression (EVENT_IDX), hostile-ring checks
 *   rng.c, console.c  the devices, one file each (+ a header with its create call)
 *
 * Transports: virtio-mmio version 2 (VIRTIO 1.2, 4.2: modern only; mmio.c) and virtio-pci
 * modern (4.1; pci.c, pci.h: the pseries board's), both mapping their registers onto the
 * same semantics (transport.c). The transport offers
 * VIRTIO_F_VERSION_1 (required: FEATURES_OK is refused without it), INDIRECT_DESC and
 * EVENT_IDX on top of the device's own features, keeps device status (FEATURES_OK only for a
 * subset of what was offered; DEVICE_NEEDS_RESET when the driver breaks the protocol; reset
 * on a 0 write or a machine reset), config generation, queue setup (QueueReady checks the
 * rings: virtqueue.h) and InterruptStatus/ACK.
 *
 * Threads (as KVM VMMs run their devices):
 *   vcpu thread    the register accesses (MMIO exits), under the device's lock, except
 *                  InterruptStatus/ACK (atomic) -- so a device thread that holds its lock
 *                  long stalls the vcpu only if the guest touches that device's registers;
 *   device thread  one per device, woken by its queues' ioeventfds (a QueueNotify store
 *                  signals them in the hypervisor: no exit, skvm_vm_ioeventfd with
 *                  datamatch = queue index) and by its host_fd; it calls queue_notify and
 *                  host_event with the device's lock held, and raises the interrupt: it
 *                  pulses the board's UIC input itself (slot.irq; the board declares the
 *                  input edge-triggered in the device tree). KVM's way, an irqfd
 *                  (skvm_vm_irqfd: the hypervisor's irqfd thread pulses the input), is used
 *                  for a slot without such a line: on the 440 the UIC is the VMM's own, so
 *                  the irqfd would only add a wake-up of the irqfd thread to every
 *                  interrupt (tens of microseconds on the guest's I/O round trip).
 * So between two register accesses of the guest the device is quiescent, and a reset (guest
 * or machine) taken under the lock is never concurrent with request processing. Stopping
 * (virtio_dev_remove) joins the thread before anything is freed.
 *
 * A device's requests: queue_notify pops (virtq_pop), handles and pushes (virtq_push) until
 * the queue is empty or it cannot go on; then the transport re-enables notifications, calls
 * it again if requests arrived meanwhile, and interrupts the guest if the driver asked for
 * it. A negative return (a broken ring: -EIO from virtq_pop) sets DEVICE_NEEDS_RESET, with a
 * config-change interrupt; the device then does nothing until the driver resets it. A request
 * that is well-formed as a ring entry but wrong for the device (too short, a bad type) is the
 * device's to drop: push it back with len 0 (or the device's error status), never an access
 * outside its buffers.
 */
#ifndef VMM_VIRTIO_VIRTIO_H
#define VMM_VIRTIO_VIRTIO_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bus.h"
#include "error.h"
#include "guest_mem.h"
#include "irq.h"
#include "softkvm/skvm.h"
#include "virtio/virtqueue.h"

/* Device IDs (VIRTIO 1.2, 5). */
enum {
	VIRTIO_ID_NET = 1,
	VIRTIO_ID_BLOCK = 2,
	VIRTIO_ID_CONSOLE = 3,
	VIRTIO_ID_RNG = 4,
	VIRTIO_ID_9P = 9,
	VIRTIO_ID_VSOCK = 19,
};

/* Device status (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE	 1u
#define VIRTIO_STATUS_DRIVER		 2u
#define VIRTIO_STATUS_DRIVER_OK		 4u
#define VIRTIO_STATUS_FEATURES_OK	 8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED		 128u

/* Reserved feature bits (6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32
#define VIRTIO_FEATURE(bit)    (1ull << (bit))

/* virtio-mmio (4.2.2): registers, InterruptStatus bits. */
#define VIRTIO_MMIO_MAGIC	 0x74726976u /* "virt" */
#define VIRTIO_MMIO_VERSION	 2u
#define VIRTIO_MMIO_VENDOR	 0x4d564b53u /* "SKVM" */
#define VIRTIO_MMIO_SIZE	 0x200u
#define VIRTIO_MMIO_CONFIG	 0x100u
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050u
#define VIRTIO_MMIO_INT_VRING	 1u
#define VIRTIO_MMIO_INT_CONFIG	 2u

#define VIRTIO_MAX_QUEUES 8

struct virtio_dev;

/* What the transport reports for --stats (all counts since the VM started). */
struct virtio_stats {
	atomic_uint_fast64_t requests;	    /* requests the device handled */
	atomic_uint_fast64_t bytes;	    /* payload bytes they moved (either way) */
	atomic_uint_fast64_t notifications; /* queue kicks from the guest */
	atomic_uint_fast64_t interrupts;    /* interrupts raised */
};

/* One per device type, const, with designated initialisers. Every hook but queue_notify is
 * optional. Unless said otherwise a hook runs with the device's lock held. */
struct virtio_device_ops {
	const char *name;     /* "virtio-rng": messages, --stats */
	uint32_t device_id;   /* VIRTIO_ID_* */
	unsigned num_queues;  /* 1..VIRTIO_MAX_QUEUES */
	uint16_t queue_max;   /* QueueNumMax: a power of two up to VIRTQ_MAX_SIZE */
	uint64_t features;    /* device-specific feature bits offered (bits 0-23, 50+) */
	uint32_t config_size; /* bytes of device config space (at most 0x100) */
	/* A driver read of config space: size bytes (1, 2, 4) at offset, little-endian as the
	 * spec lays the fields out. Absent: reads as 0. (vcpu thread) */
	uint64_t (*config_read)(struct virtio_dev *d, uint32_t offset, unsigned size);
	/* A driver write there (few fields are writable). Absent: ignored. (vcpu thread) */
	void (*config_write)(struct virtio_dev *d, uint32_t offset, unsigned size, uint64_t value);
	/* Queue q has requests (a kick, DRIVER_OK, or more arrived while it ran): handle them.
	 * 0 when it stopped because the queue is empty (the transport re-arms notifications
	 * and calls again if it is not), VIRTIO_QUEUE_WAIT when it left requests there on
	 * purpose (nothing for them yet: console input), a negative errno when the ring is
	 * broken (DEVICE_NEEDS_RESET). (device thread) */
	int (*queue_notify)(struct virtio_dev *d, unsigned q);
	/* d->host_fd became readable (host input for the device). Same returns. (device
	 * thread) */
	int (*host_event)(struct virtio_dev *d);
	/* The device back to its power-on state (driver reset, machine reset): forget what
	 * it holds of the driver's (rings, pending requests); no guest memory access after it
	 * returns. Queues and status are the transport's. */
	void (*reset)(struct virtio_dev *d);
	/* --stats: more lines about the device after the transport's (its own counters). */
	void (*stats)(struct virtio_dev *d, FILE *out);
	/* Frees the device (after virtio_dev_remove: no lock, no thread). */
	void (*destroy)(struct virtio_dev *d);
};

#define VIRTIO_QUEUE_WAIT 1

/* Where the board puts a device: its register block and its interrupt. */
struct virtio_mmio_slot {
	uint64_t base;	    /* VIRTIO_MMIO_SIZE bytes of MMIO */
	uint32_t gsi;	    /* the irqchip input an irqfd drives (skvm_vm_set_irqchip) */
	/* that input as the device tree names it (line, sense, parent); with .set, the device
	 * thread drives it itself (a pulse per interrupt) and no irqfd is assigned */
	struct vmm_irq irq;
};

/* What a device needs of the machine. */
struct virtio_host {
	struct skvm_vm *vm;		 /* ioeventfds and irqfds */
	const struct vmm_guest_mem *mem; /* the rings and buffers */
	struct vmm_bus *mmio;		 /* where the register block goes */
};

/* The transport's state of one device. A device embeds it (first or not) and finds itself
 * with vmm_container_of. */
struct virtio_dev {
	const struct virtio_device_ops *ops;
	int host_fd; /* a descriptor the device thread polls for host_event, or -1 */

	/* set by virtio_dev_add */
	struct virtio_host host;
	struct virtio_mmio_slot slot;
	pthread_mutex_t lock;

	/* the register file (lock) */
	uint32_t status;
	uint32_t device_features_sel, driver_features_sel;
	uint64_t driver_features; /* as written (checked at FEATURES_OK) */
	uint64_t features;	  /* negotiated: valid with FEATURES_OK */
	uint32_t queue_sel;
	uint32_t config_generation;
	struct virtq vq[VIRTIO_MAX_QUEUES];
	bool warned;	 /* DEVICE_NEEDS_RESET was reported once; later ones only at -vv */
	atomic_uint isr; /* InterruptStatus */

	/* the device thread */
	pthread_t thread;
	bool thread_started;
	int ctl_fd;			   /* eventfd: stop, or kick every queue */
	bool stopping, kick_all;	   /* (lock) */
	int kick_fd[VIRTIO_MAX_QUEUES];	   /* the queues' ioeventfds */
	bool ioeventfd[VIRTIO_MAX_QUEUES]; /* assigned in the hypervisor */
	uint64_t notify_addr;		   /* where the queues' ioeventfds are, */
	unsigned notify_len;		   /* with their width */
	bool irq_level;			   /* PCI INTx: slot.irq held while isr != 0 */
	int irq_fd;			   /* the irqfd (-1: slot.irq is driven directly) */
	bool irqfd;			   /* assigned */

	struct virtio_stats stats;
};

/* Initialises the transport state of a device (before its own fields). */
void virtio_dev_init(struct virtio_dev *d, const struct virtio_device_ops *ops);
/* Places the device: registers its block on the bus, assigns its ioeventfds (and its irqfd
 * when the slot's line has no .set),
 * starts its thread. On failure everything done is undone (the device stays the caller's). */
VMM_MUST_CHECK int virtio_dev_add(struct virtio_dev *d, const struct virtio_host *host,
				  const struct virtio_mmio_slot *slot, struct vmm_err *err);
/* Stops its thread, deassigns its eventfds and destroys it (ops->destroy). The bus region
 * stays (the bus goes with the machine) but must not be used again. NULL is a no-op. */
void virtio_dev_remove(struct virtio_dev *d);

/* ---- for devices ---- */

/* The driver is using the device: DRIVER_OK and FEATURES_OK set, DEVICE_NEEDS_RESET not. */
bool virtio_dev_live(const struct virtio_dev *d);
/* Has the driver accepted feature bit? (valid once live) */
static inline bool virtio_has_feature(const struct virtio_dev *d, unsigned bit)
{
	return (d->features >> bit) & 1;
}
/* --stats: the device's line (name, register block's address, the transport's counters),
 * then its own (ops->stats); the same for every transport. */
void virtio_dev_print_stats(struct virtio_dev *d, FILE *out);
/* One request handled, bytes of payload moved: for --stats. */
void virtio_dev_count(struct virtio_dev *d, uint64_t bytes);
/* After pushing outside queue_notify (a completion that came later): interrupt the guest if
 * it asked for it. Lock held. */
void virtio_dev_signal_queue(struct virtio_dev *d, unsigned q);
/* The device's config changed: a new generation and a config interrupt. Lock held. */
void virtio_dev_config_changed(struct virtio_dev *d);
/* The driver broke the protocol on queue q (or q < 0: elsewhere), why: DEVICE_NEEDS_RESET,
 * a config interrupt, one warning. Lock held. */
void virtio_dev_needs_reset(struct virtio_dev *d, int q, const char *why);

/* ---- the transport's, between its files ---- */
extern const struct vmm_device_ops virtio_mmio_ops;
void virtio_dev_interrupt(struct virtio_dev *d, uint32_t bits);
void virtio_dev_reset_locked(struct virtio_dev *d);
/* Wakes the device thread to look at every queue (DRIVER_OK). Lock held. */
void virtio_dev_kick_all(struct virtio_dev *d);
/* A QueueNotify the hypervisor did not take (no ioeventfd matched): do what it would. */
void virtio_dev_notify(struct virtio_dev *d, uint32_t q);
/* The ISR read by the driver: its bits, cleared, and a level line lowered. Lock held. */
uint32_t virtio_dev_take_isr(struct virtio_dev *d);
/* What virtio_dev_add does but the register block: a transport that places its registers
 * itself (pci.c) calls this with where a queue notification is stored (datamatch = queue
 * index, notify_len bytes), then virtio_dev_stop if it cannot place them. */
VMM_MUST_CHECK int virtio_dev_start(struct virtio_dev *d, const struct virtio_host *host,
				    const struct virtio_mmio_slot *slot, uint64_t notify_addr,
				    unsigned notify_len, struct vmm_err *err);
void virtio_dev_stop(struct virtio_dev *d);

/* transport.c: a machine reset (the bus device's reset op; takes the lock itself) */
void virtio_transport_machine_reset(void *opaque);
/* transport.c: the register semantics every transport shares (lock held) */
uint64_t virtio_offered(const struct virtio_dev *d);
/* the queue QueueSel names, or NULL */
struct virtq *virtio_selected_queue(struct virtio_dev *d);
/* the 32 feature bits DeviceFeaturesSel selects (0 beyond 63) */
uint32_t virtio_device_features_word(const struct virtio_dev *d);
/* DriverFeatures: the half DriverFeaturesSel selects, ignored once FEATURES_OK is set */
void virtio_write_driver_features(struct virtio_dev *d, uint32_t v);
/* a 32-bit half of a 64-bit register */
void virtio_set_half(uint64_t *addr, bool high, uint32_t v);
/* device_status: 0 resets; FEATURES_OK only for an acceptable subset; DRIVER_OK kicks */
void virtio_write_status(struct virtio_dev *d, uint32_t v);
/* queue_enable / QueueReady of vq (checks the rings, DEVICE_NEEDS_RESET if broken) */
void virtio_write_queue_ready(struct virtio_dev *d, struct virtq *vq, uint32_t v);
/* device-specific config space: reads 0 and ignores writes outside config_size */
uint64_t virtio_config_read(struct virtio_dev *d, uint64_t offset, unsigned size);
void virtio_config_write(struct virtio_dev *d, uint64_t offset, unsigned size, uint64_t value);

#endif
