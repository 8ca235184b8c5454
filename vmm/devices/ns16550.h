/* National Semiconductor 16550A UART, as the 440EP's UART0/1: eight 1-byte registers
 * (reg-shift 0), big-endian bus. Transmission is instant (THRE and TEMT are always set), so
 * the guest never waits for the line; input comes from a non-blocking backend, pulled when the
 * guest looks for it (LSR, RBR, IIR) or pushed with ns16550_receive.
 */
#ifndef VMM_DEVICES_NS16550_H
#define VMM_DEVICES_NS16550_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "chardev.h"
#include "irq.h"

#define NS16550_REG_SIZE  8 /* bytes of MMIO space (reg-shift 0) */
#define NS16550_FIFO_SIZE 16

struct ns16550 {
	const char *name;
	struct vmm_chardev backend;
	struct vmm_irq irq;

	uint8_t rx_fifo[NS16550_FIFO_SIZE];
	unsigned rx_head, rx_count;

	uint8_t ier, lcr, mcr, fcr, scr, dll, dlm;
	uint8_t lsr_errors; /* overrun: reported once by LSR */
	uint8_t msr_delta;  /* DCTS/DDSR/TERI/DDCD since MSR was last read */
	bool thr_irq;	    /* THR-empty interrupt pending (cleared by IIR read or THR write) */
	bool irq_level;	    /* the output line as last driven */
};

extern const struct vmm_device_ops ns16550_ops;

/* backend and irq are copied; either may be all zero (no host side / not wired). */
void ns16550_init(struct ns16550 *uart, const char *name, const struct vmm_chardev *backend,
		  const struct vmm_irq *irq);
/* Host input pushed into the receive FIFO: the number of bytes taken (the rest does not fit
 * now), or a negative errno from the interrupt line. */
VMM_MUST_CHECK int ns16550_receive(struct ns16550 *uart, const uint8_t *buf, size_t len);

#endif
