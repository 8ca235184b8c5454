// SPDX-License-Identifier: MIT
/* The 16550 UART as a guest drives it through the bus: LSR, SCR, DLAB, IIR/interrupts,
 * loopback (Linux's 8250 probe), input from the backend, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/devices/ns16550.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"

#define BASE 0xef600300u
enum {
	RBR = 0,
	THR = 0,
	DLL = 0,
	IER = 1,
	DLM = 1,
	IIR = 2,
	FCR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5,
	MSR = 6,
	SCR = 7
};

struct host {
	uint8_t out[64];
	size_t out_len;
	int out_error;
	uint8_t in[64];
	size_t in_len, in_pos;
	unsigned reads; /* backend polls */
	bool irq;
	unsigned irq_changes;
};

static int host_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct host *h = opaque;

	if (h->out_error)
		return h->out_error;
	memcpy(h->out + h->out_len, buf, len);
	h->out_len += len;
	return 0;
}

static ssize_t host_read(void *opaque, uint8_t *buf, size_t len)
{
	struct host *h = opaque;
	size_t n = h->in_len - h->in_pos;

	h->reads++;
	if (n > len)
		n = len;
	memcpy(buf, h->in + h->in_pos, n);
	h->in_pos += n;
	return (ssize_t)n;
}

static int host_irq(void *opaque, unsigned line, bool level)
{
	struct host *h = opaque;

	assert_int_equal(line, 7);
	h->irq = level;
	h->irq_changes++;
	return 0;
}

struct fixture {
	struct host host;
	struct ns16550 uart;
	struct vmm_bus bus;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct vmm_chardev cd = {.write = host_write, .read = host_read, .opaque = &f->host};
	struct vmm_irq irq = {.set = host_irq, .opaque = &f->host, .line = 7};

	ns16550_init(&f->uart, "uart0", &cd, &irq);
	vmm_bus_init(&f->bus, "mmio");
	assert_int_equal(vmm_bus_register(&f->bus, BASE, NS16550_REG_SIZE, &ns16550_ops, &f->uart),
			 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	vmm_bus_destroy(&f->bus);
	free(f);
	return 0;
}

static uint8_t rd(struct fixture *f, unsigned reg)
{
	uint8_t v = 0xee;

	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + reg, &v, 1, false), 0);
	return v;
}

static void wr(struct fixture *f, unsigned reg, uint8_t v)
{
	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + reg, &v, 1, true), 0);
}

static void input(struct fixture *f, const char *s)
{
	memcpy(f->host.in + f->host.in_len, s, strlen(s));
	f->host.in_len += strlen(s);
}

static void test_transmit(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, LSR), 0x60); /* THRE | TEMT, no data */
	wr(f, THR, 'o');
	wr(f, THR, 'k');
	assert_int_equal(f->host.out_len, 2);
	assert_memory_equal(f->host.out, "ok", 2);
	assert_int_equal(rd(f, LSR), 0x60); /* never busy */
	assert_false(f->host.irq);
}

static void test_receive(void **state)
{
	struct fixture *f = *state;

	input(f, "hi");
	assert_int_equal(rd(f, LSR), 0x61); /* DR */
	assert_int_equal(rd(f, RBR), 'h');
	assert_int_equal(rd(f, LSR), 0x61);
	assert_int_equal(rd(f, RBR), 'i');
	assert_int_equal(rd(f, LSR), 0x60);
	assert_int_equal(rd(f, RBR), 0); /* empty */
}

static void test_backend_polled_only_when_empty(void **state)
{
	struct fixture *f = *state;

	input(f, "abc");
	rd(f, LSR); /* pulls all three */
	assert_int_equal(f->host.reads, 1);
	rd(f, LSR);
	rd(f, RBR);
	rd(f, IIR);
	assert_int_equal(f->host.reads, 1); /* data waiting: no host call */
}

static void test_scratch(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, SCR), 0);
	wr(f, SCR, 0x5a);
	assert_int_equal(rd(f, SCR), 0x5a);
	wr(f, SCR, 0xa5);
	assert_int_equal(rd(f, SCR), 0xa5);
}

static void test_dlab(void **state)
{
	struct fixture *f = *state;

	wr(f, IER, 0x05);
	wr(f, LCR, 0x83); /* DLAB, 8N1 */
	wr(f, DLL, 0x0c);
	wr(f, DLM, 0x01);
	assert_int_equal(rd(f, DLL), 0x0c);
	assert_int_equal(rd(f, DLM), 0x01);
	assert_int_equal(f->host.out_len, 0); /* DLL is not THR */
	wr(f, LCR, 0x03);
	assert_int_equal(rd(f, LCR), 0x03);
	assert_int_equal(rd(f, IER), 0x05); /* IER untouched by DLM */
	wr(f, LCR, 0x83);
	assert_int_equal(rd(f, DLL), 0x0c); /* kept */
	input(f, "x");
	assert_int_equal(rd(f, RBR), 0x0c); /* DLAB: not the receiver */
	wr(f, LCR, 0x03);
	assert_int_equal(rd(f, RBR), 'x');
}

static void test_iir_and_thre_interrupt(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, IIR), 0x01);
	wr(f, FCR, 0x07); /* enable and clear FIFOs */
	assert_int_equal(rd(f, IIR), 0xc1);
	wr(f, IER, 0x02); /* THRI with THR empty: interrupts at once */
	assert_true(f->host.irq);
	assert_int_equal(rd(f, IIR), 0xc2); /* ...and reading IIR acknowledges it */
	assert_false(f->host.irq);
	assert_int_equal(rd(f, IIR), 0xc1);
	wr(f, THR, 'a'); /* sent at once: THR empty again */
	assert_true(f->host.irq);
	assert_int_equal(rd(f, IIR), 0xc2);
	assert_false(f->host.irq);
	wr(f, IER, 0x00);
	assert_int_equal(rd(f, IER), 0x00);
}

static void test_receive_interrupt(void **state)
{
	struct fixture *f = *state;

	wr(f, IER, 0x03); /* RDI | THRI */
	assert_int_equal(rd(f, IIR), 0x02);
	input(f, "z");
	assert_int_equal(rd(f, IIR), 0x04); /* data has priority */
	assert_true(f->host.irq);
	assert_int_equal(rd(f, RBR), 'z');
	assert_false(f->host.irq); /* THRI was acknowledged above */
	assert_int_equal(rd(f, IIR), 0x01);
}

static void test_push_input_and_overrun(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[20];

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)('a' + i);
	wr(f, IER, 0x01);
	assert_int_equal(ns16550_receive(&f->uart, buf, sizeof(buf)), NS16550_FIFO_SIZE);
	assert_true(f->host.irq);
	for (unsigned i = 0; i < NS16550_FIFO_SIZE; i++)
		assert_int_equal(rd(f, RBR), 'a' + i);
	assert_false(f->host.irq);

	/* in loopback, a full FIFO overruns: OE is reported once by LSR */
	wr(f, MCR, 0x10);
	for (unsigned i = 0; i <= NS16550_FIFO_SIZE; i++)
		wr(f, THR, 'x');
	assert_int_equal(rd(f, LSR), 0x63); /* DR | OE */
	assert_int_equal(rd(f, LSR), 0x61);
}

static void test_loopback(void **state)
{
	struct fixture *f = *state;

	/* Linux 8250 autoconfig: MCR = LOOP | OUT2 | RTS must read MSR 0x90 in the top bits */
	wr(f, MCR, 0x1a);
	assert_int_equal(rd(f, MSR) & 0xf0, 0x90);
	wr(f, MCR, 0x1f);
	assert_int_equal(rd(f, MSR) & 0xf0, 0xf0);
	wr(f, THR, 'L'); /* loops back, not to the host */
	assert_int_equal(f->host.out_len, 0);
	assert_int_equal(rd(f, LSR), 0x61);
	assert_int_equal(rd(f, RBR), 'L');
	input(f, "h");
	assert_int_equal(rd(f, LSR), 0x60); /* the line is disconnected in loopback */
	wr(f, MCR, 0x00);
	assert_int_equal(rd(f, MSR), 0xb0 | 0x04); /* DCD DSR CTS, RI fell: TERI */
	assert_int_equal(rd(f, MSR), 0xb0);	   /* deltas cleared by reading */
	assert_int_equal(rd(f, RBR), 'h');
}

static void test_wide_access_split_into_registers(void **state)
{
	struct fixture *f = *state;
	uint8_t data[4] = {'a', 0x00, 0x00, 0x03}; /* THR, IER, FCR, LCR */

	assert_int_equal(vmm_bus_mmio(&f->bus, BASE, data, 4, true), 0);
	assert_int_equal(f->host.out_len, 1);
	assert_int_equal(rd(f, LCR), 0x03);
	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + 4, data, 4, false), 0); /* MCR LSR MSR SCR */
	assert_memory_equal(data, ((uint8_t[]){0x00, 0x60, 0xb0, 0x00}), 4);
}

static void test_host_error_propagates(void **state)
{
	struct fixture *f = *state;
	uint8_t v = 'x';

	f->host.out_error = -EPIPE;
	assert_int_equal(vmm_bus_mmio(&f->bus, BASE + THR, &v, 1, true), -EPIPE);
}

static void test_reset(void **state)
{
	struct fixture *f = *state;

	wr(f, SCR, 0x12);
	wr(f, LCR, 0x83);
	wr(f, IER, 0x02);
	wr(f, LCR, 0x03);
	wr(f, IER, 0x02);
	assert_true(f->host.irq);
	vmm_bus_reset(&f->bus);
	assert_false(f->host.irq);
	assert_int_equal(rd(f, SCR), 0);
	assert_int_equal(rd(f, LCR), 0);
	assert_int_equal(rd(f, IER), 0);
	assert_int_equal(rd(f, IIR), 0x01);
	wr(f, THR, '!'); /* still connected to the host */
	assert_int_equal(f->host.out[f->host.out_len - 1], '!');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_transmit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_receive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backend_polled_only_when_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scratch, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dlab, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_iir_and_thre_interrupt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_receive_interrupt, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_push_input_and_overrun, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_loopback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wide_access_split_into_registers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_host_error_propagates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};

	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm ns16550", tests, NULL, NULL);
}
