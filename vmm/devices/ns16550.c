// SPDX-License-Identifier: MIT
/* The 16550A UART (see ns16550.h). Register semantics from the 16550A data sheet; Linux's
 * 8250 driver is the main client (it probes with loopback, relies on THRE interrupts firing
 * again after each THR write, and reads IIR to find the interrupt source). */
#include "devices/ns16550.h"

#include <libfdt.h>
#include <string.h>

#include "devtree.h"
#include "log.h"

enum {
	UART_RBR_THR = 0, /* DLAB=1: DLL */
	UART_IER = 1,	  /* DLAB=1: DLM */
	UART_IIR_FCR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_MSR = 6,
	UART_SCR = 7,
};

#define UART_IER_RDI  0x01 /* receive data available */
#define UART_IER_THRI 0x02 /* transmit holding register empty */
#define UART_IER_RLSI 0x04 /* receiver line status */
#define UART_IER_MSI  0x08 /* modem status */

#define UART_IIR_NO_INT	 0x01
#define UART_IIR_MSI	 0x00
#define UART_IIR_THRI	 0x02
#define UART_IIR_RDI	 0x04
#define UART_IIR_RLSI	 0x06
#define UART_IIR_ID_MASK 0x0f
#define UART_IIR_FIFOS	 0xc0

#define UART_FCR_ENABLE	  0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_TRIGGER  0xc0

#define UART_LCR_DLAB 0x80

#define UART_MCR_DTR  0x01
#define UART_MCR_RTS  0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

#define UART_LSR_DR   0x01
#define UART_LSR_OE   0x02
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40

#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS  0x10
#define UART_MSR_DSR  0x20
#define UART_MSR_RI   0x40
#define UART_MSR_DCD  0x80

void ns16550_init(struct ns16550 *u, const char *name, const struct vmm_chardev *backend,
		  const struct vmm_irq *irq)
{
	memset(u, 0, sizeof(*u));
	u->name = name;
	u->clock_hz = NS16550_CLOCK_DEFAULT;
	u->speed = NS16550_SPEED_DEFAULT;
	if (backend)
		u->backend = *backend;
	if (irq)
		u->irq = *irq;
}

static void uart_rx_push(struct ns16550 *u, uint8_t c)
{
	if (u->rx_count == NS16550_FIFO_SIZE) {
		u->lsr_errors |= UART_LSR_OE;
		return;
	}
	u->rx_fifo[(u->rx_head + u->rx_count) % NS16550_FIFO_SIZE] = c;
	u->rx_count++;
}

static uint8_t uart_rx_pop(struct ns16550 *u)
{
	uint8_t c;

	if (!u->rx_count)
		return 0;
	c = u->rx_fifo[u->rx_head];
	u->rx_head = (u->rx_head + 1) % NS16550_FIFO_SIZE;
	u->rx_count--;
	return c;
}

/* Only when the FIFO is empty: a guest polling LSR for THRE costs one poll(2) at most, and
 * none while input is waiting. In loopback the receiver is cut off from the line. */
static int uart_pull_input(struct ns16550 *u)
{
	uint8_t buf[NS16550_FIFO_SIZE];
	ssize_t n;

	if (u->rx_count || (u->mcr & UART_MCR_LOOP) || !u->backend.read)
		return 0;
	n = u->backend.read(u->backend.opaque, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	for (ssize_t i = 0; i < n; i++)
		uart_rx_push(u, buf[i]);
	return 0;
}

/* Modem inputs: in loopback they are the modem outputs; otherwise a cable to a terminal that
 * is always there (DCD, DSR, CTS), as QEMU reports. */
static uint8_t uart_modem_status(const struct ns16550 *u)
{
	uint8_t s = 0;

	if (!(u->mcr & UART_MCR_LOOP))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	if (u->mcr & UART_MCR_RTS)
		s |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		s |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		s |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		s |= UART_MSR_DCD;
	return s;
}

static uint8_t uart_iir(const struct ns16550 *u)
{
	uint8_t fifos = (u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFOS : 0;

	if ((u->ier & UART_IER_RLSI) && u->lsr_errors)
		return fifos | UART_IIR_RLSI;
	if ((u->ier & UART_IER_RDI) && u->rx_count)
		return fifos | UART_IIR_RDI;
	if ((u->ier & UART_IER_THRI) && u->thr_irq)
		return fifos | UART_IIR_THRI;
	if ((u->ier & UART_IER_MSI) && u->msr_delta)
		return fifos | UART_IIR_MSI;
	return fifos | UART_IIR_NO_INT;
}

static int uart_update_irq(struct ns16550 *u)
{
	bool level = !(uart_iir(u) & UART_IIR_NO_INT);

	if (level == u->irq_level)
		return 0;
	u->irq_level = level;
	return vmm_irq_set(&u->irq, level);
}

static void uart_write_mcr(struct ns16550 *u, uint8_t v)
{
	uint8_t old = uart_modem_status(u), now;

	u->mcr = v & UART_MCR_MASK;
	now = uart_modem_status(u);
	if ((old ^ now) & UART_MSR_CTS)
		u->msr_delta |= UART_MSR_DCTS;
	if ((old ^ now) & UART_MSR_DSR)
		u->msr_delta |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(now & UART_MSR_RI))
		u->msr_delta |= UART_MSR_TERI;
	if ((old ^ now) & UART_MSR_DCD)
		u->msr_delta |= UART_MSR_DDCD;
}

static int ns16550_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct ns16550 *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t v = 0;
	int rc = 0, irq_rc;

	switch (offset) {
	case UART_RBR_THR:
		if (dlab) {
			v = u->dll;
			break;
		}
		rc = uart_pull_input(u);
		v = uart_rx_pop(u);
		break;
	case UART_IER:
		v = dlab ? u->dlm : u->ier;
		break;
	case UART_IIR_FCR:
		rc = uart_pull_input(u);
		v = uart_iir(u);
		if ((v & UART_IIR_ID_MASK) == UART_IIR_THRI)
			u->thr_irq = false; /* reading IIR acknowledges THRE */
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		rc = uart_pull_input(u);
		v = UART_LSR_THRE | UART_LSR_TEMT | u->lsr_errors;
		if (u->rx_count)
			v |= UART_LSR_DR;
		u->lsr_errors = 0;
		break;
	case UART_MSR:
		v = uart_modem_status(u) | u->msr_delta;
		u->msr_delta = 0;
		break;
	case UART_SCR:
		v = u->scr;
		break;
	}
	*value = v;
	irq_rc = uart_update_irq(u);
	return rc ? rc : irq_rc;
}

static int ns16550_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct ns16550 *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t v = (uint8_t)value, old;
	int rc = 0, irq_rc;

	switch (offset) {
	case UART_RBR_THR:
		if (dlab) {
			u->dll = v;
			break;
		}
		if (u->mcr & UART_MCR_LOOP)
			uart_rx_push(u, v);
		else if (u->backend.write)
			rc = u->backend.write(u->backend.opaque, &v, 1);
		/* Sent at once: the holding register is empty again, which interrupts anew. */
		u->thr_irq = true;
		break;
	case UART_IER:
		if (dlab) {
			u->dlm = v;
			break;
		}
		old = u->ier;
		u->ier = v & 0x0f;
		if ((u->ier & UART_IER_THRI) && !(old & UART_IER_THRI))
			u->thr_irq = true; /* enabling THRI with THR empty interrupts at once */
		break;
	case UART_IIR_FCR:
		if (((v ^ u->fcr) & UART_FCR_ENABLE) || (v & UART_FCR_CLEAR_RX))
			u->rx_head = u->rx_count = 0;
		u->fcr = v & (UART_FCR_ENABLE | UART_FCR_TRIGGER);
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		uart_write_mcr(u, v);
		break;
	case UART_LSR: /* factory test */
	case UART_MSR:
		break;
	case UART_SCR:
		u->scr = v;
		break;
	}
	irq_rc = uart_update_irq(u);
	return rc ? rc : irq_rc;
}

int ns16550_receive(struct ns16550 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;
	int rc;

	while (n < len && u->rx_count < NS16550_FIFO_SIZE)
		uart_rx_push(u, buf[n++]);
	rc = uart_update_irq(u);
	return rc ? rc : (int)n;
}

int ns16550_poll(struct ns16550 *u)
{
	int rc = uart_pull_input(u);

	return rc ? rc : uart_update_irq(u);
}

static void ns16550_reset(void *opaque)
{
	struct ns16550 *u = opaque;
	struct vmm_chardev backend = u->backend;
	struct vmm_irq irq = u->irq;
	uint32_t clock_hz = u->clock_hz, speed = u->speed;
	bool was_raised = u->irq_level;

	ns16550_init(u, u->name, &backend, &irq);
	u->clock_hz = clock_hz;
	u->speed = speed;
	if (was_raised && vmm_irq_set(&u->irq, false))
		pr_warn("%s: cannot lower the interrupt line at reset", u->name);
}

static int ns16550_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	struct ns16550 *u = opaque;
	int node = vmm_fdt_add_node(fdt, parent, "serial", region->base);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "serial");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "compatible", "ns16550");
	if (!rc)
		rc = vmm_fdt_setprop_reg(fdt, parent, node, region->base, region->size);
	if (!rc && region->base <= UINT32_MAX)
		rc = fdt_setprop_u32(fdt, node, "virtual-reg", (uint32_t)region->base);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "clock-frequency", u->clock_hz);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "current-speed", u->speed);
	if (!rc && u->irq.fdt_parent) {
		uint32_t irqs[2] = {u->irq.line, u->irq.fdt_sense};

		rc = fdt_setprop_u32(fdt, node, "interrupt-parent", u->irq.fdt_parent);
		if (!rc)
			rc = vmm_fdt_setprop_cells(fdt, node, "interrupts", irqs, 2);
	}
	return rc;
}

const struct vmm_device_ops ns16550_ops = {
    .name = "ns16550",
    .read = ns16550_read,
    .write = ns16550_write,
    .access_sizes = 1,
    .endian = VMM_BIG_ENDIAN,
    .reset = ns16550_reset,
    .fdt = ns16550_fdt,
};
