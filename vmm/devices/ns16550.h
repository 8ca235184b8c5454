/* SPDX-License-Identifier: MIT */
/* National Semiconductor 16550A UART, as the 440EP's UART0/1: eight 1-byte registers
 * (reg-shift 0), big-endian bus. Transmission is instant (THRE and TEMT are always set), so
 * the guest never waits for the line; input comes from a non-blocking backend, pulled when the
 * guest looks for it (LSR, RBR, IIR) or when the board calls ns16550_poll (the backend's
 * reader thread woke the vcpu), or pushed with ns16550_receive.
 *
 * Device tree (fdt hook): "serial@<base>" with device_type "serial", compatible "ns16550",
 * reg, virtual-reg, clock-frequency, current-speed and, when the line is wired to a controller
 * in the tree, interrupt-parent and interrupts, as arch/powerpc/boot/dts/bamboo.dts has it.
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

#define NS16550_CLOCK_DEFAULT 11059200u /* the 440EP boards' UART clock (QEMU's bamboo.dts) */
#define NS16550_SPEED_DEFAULT 115200u

struct ns16550 {
	const char *name;
	struct vmm_chardev backend;
	struct vmm_irq irq;
	/* Device tree only (transmission is instant whatever the divisor says): the input
	 * clock and the line speed the firmware "left" (clock-frequency, current-speed). */
	uint32_t clock_hz, speed;

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
/* Host input became available (the backend's reader said so): pulls it into an empty
 * receive FIFO and raises the interrupt if enabled. 0 or a negative errno. */
VMM_MUST_CHECK int ns16550_poll(struct ns16550 *uart);
/* Host input pushed into the receive FIFO: the number of bytes taken (the rest does not fit
 * now), or a negative errno from the interrupt line. */
VMM_MUST_CHECK int ns16550_receive(struct ns16550 *uart, const uint8_t *buf, size_t len);

#endif
