// SPDX-License-Identifier: MIT
/* The VMM's PAPR hypercalls and RTAS calls as a pseries guest makes them: registers in and
 * out (struct papr_hcall is KVM_EXIT_PAPR_HCALL's r3-r12), RTAS argument buffers in guest
 * RAM, and what reaches the console, the board and guest memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../vmm/bus.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"
#include "../../vmm/papr/hcall.c"
#include "../../vmm/papr/rtas.c"
#include "../../vmm/papr/xics.c"
#include "../../vmm/pci/config.c"
#include "../../vmm/pci/phb.c"

#define RAM_SIZE (1u << 20)
#define ARGS	 0x8000u /* where the tests put RTAS argument buffers */
#define DEV_BASE 0xf0000000u
/* 2026-12-03 05:00:00.5 UTC */
#define NOW_NS	 (1796274000ll * 1000000000ll + 500000000ll)

struct fixture {
	uint8_t *mem;
	struct vmm_ram ram;
	struct vmm_bus bus;
	struct xics xics;
	struct rtas rtas;
	struct papr papr;
	uint32_t requests;
	char out[256];
	size_t out_len;
	const char *in;
	unsigned prodded, stopped_self;
	uint32_t started_cpu;
	uint64_t started_entry, started_r3;
	uint64_t dev_last_write;
	bool cpu1_running;
};

static int con_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct fixture *f = opaque;

	assert_true(f->out_len + len < sizeof(f->out));
	memcpy(f->out + f->out_len, buf, len);
	f->out_len += len;
	return 0;
}

static ssize_t con_read(void *opaque, uint8_t *buf, size_t len)
{
	struct fixture *f = opaque;
	size_t n = strlen(f->in);

	if (n > len)
		n = len;
	memcpy(buf, f->in, n);
	f->in += n;
	return (ssize_t)n;
}

static int put_char(void *opaque, uint8_t c)
{
	return con_write(opaque, &c, 1);
}

static void prod(void *opaque, unsigned cpu)
{
	((struct fixture *)opaque)->prodded = cpu + 100;
}

static uint64_t timebase(void *opaque)
{
	return 0x123456789ull;
}

static int cpu_state(void *opaque, uint32_t cpu)
{
	struct fixture *f = opaque;

	if (cpu > 1)
		return -1;
	return cpu == 0 || f->cpu1_running ? 2 : 0;
}

static int start_cpu(void *opaque, uint32_t cpu, uint64_t entry, uint64_t r3)
{
	struct fixture *f = opaque;

	if (cpu_state(opaque, cpu) != 0)
		return RTAS_OUT_HW_ERROR;
	f->started_cpu = cpu;
	f->started_entry = entry;
	f->started_r3 = r3;
	f->cpu1_running = true;
	return RTAS_OUT_SUCCESS;
}

static void stop_self(void *opaque, unsigned cpu)
{
	((struct fixture *)opaque)->stopped_self = cpu + 100;
}

static int64_t now_ns(void *opaque)
{
	return NOW_NS;
}

static void xics_output(void *opaque, unsigned server, bool level)
{
}

/* a 4-byte register at DEV_BASE (big-endian): reads 0xcafef00d, remembers writes */
static int dev_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	*value = 0xcafef00d;
	return 0;
}

static int dev_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	((struct fixture *)opaque)->dev_last_write = value;
	return 0;
}

static const struct vmm_device_ops dev_ops = {
    .name = "reg", .read = dev_read, .write = dev_write, .access_sizes = 4};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct rtas_ops rops = {.opaque = f,
				.put_char = put_char,
				.cpu_state = cpu_state,
				.start_cpu = start_cpu,
				.stop_self = stop_self,
				.now_ns = now_ns};

	vmm_log_set_level(VMM_LOG_ERR);
	f->mem = calloc(1, RAM_SIZE);
	f->ram = (struct vmm_ram){.host = f->mem, .gpa = 0, .size = RAM_SIZE};
	f->in = "";
	vmm_bus_init(&f->bus, "mmio");
	assert_int_equal(vmm_bus_register(&f->bus, DEV_BASE, 4, &dev_ops, f), 0);
	assert_int_equal(xics_init(&f->xics, 2, 16, xics_output, f), 0);
	rtas_init(&f->rtas, &f->ram, &f->xics, &rops, &f->requests, 2);
	f->papr = (struct papr){
	    .ram = &f->ram,
	    .mmio = &f->bus,
	    .console = {.write = con_write, .read = con_read, .opaque = f},
	    .xics = &f->xics,
	    .rtas = &f->rtas,
	    .ops = {.opaque = f, .prod = prod, .timebase = timebase},
	    .nr_cpus = 2,
	};
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rtas_destroy(&f->rtas);
	xics_destroy(&f->xics);
	vmm_bus_destroy(&f->bus);
	free(f->mem);
	free(f);
	return 0;
}

/* hcall(nr, r4, r5, ...) from vcpu 0: r3 on return */
static long hcall(struct fixture *f, struct papr_hcall *h, uint64_t nr, unsigned n, ...)
{
	va_list ap;

	memset(h, 0, sizeof(*h));
	h->nr = nr;
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		h->args[i] = va_arg(ap, uint64_t);
	va_end(ap);
	assert_int_equal(papr_hcall(&f->papr, 0, h), 0);
	return (long)h->ret;
}

static void test_put_term_char(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	/* "Hello, pseries!\n" as hvc_vio packs it: 16 bytes, big-endian, in r6 and r7 */
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TERM_CHAR, 4, (uint64_t)PAPR_VTY_REG, 16ull,
			       0x48656c6c6f2c2070ull, 0x736572696573210aull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->out_len, 16);
	assert_memory_equal(f->out, "Hello, pseries!\n", 16);
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TERM_CHAR, 4, (uint64_t)PAPR_VTY_REG, 2ull,
			       0x6f6b000000000000ull, 0ull),
			 SKVM_H_SUCCESS);
	assert_memory_equal(f->out + 16, "ok", 2);
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TERM_CHAR, 4, (uint64_t)PAPR_VTY_REG, 17ull, 0ull,
			       0ull),
			 SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TERM_CHAR, 4, 1ull, 1ull, 0x4100000000000000ull,
			       0ull),
			 SKVM_H_PARAMETER);
	assert_int_equal(f->out_len, 18);
	/* terminal 0 is the vty, as under QEMU and PowerVM (Linux's early debug uses it) */
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TERM_CHAR, 4, 0ull, 1ull, 0x4100000000000000ull,
			       0ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->out_len, 19);
	assert_memory_equal(f->out + 18, "A", 1);
}

static void test_get_term_char(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	f->in = "abc";
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TERM_CHAR, 1, (uint64_t)PAPR_VTY_REG), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 3);
	assert_int_equal(h.args[1], 0x6162630000000000ull);
	assert_int_equal(h.args[2], 0);
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TERM_CHAR, 1, (uint64_t)PAPR_VTY_REG), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0);
	f->in = "0123456789abcdefXYZ";
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TERM_CHAR, 1, (uint64_t)PAPR_VTY_REG), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 16);
	assert_int_equal(h.args[1], 0x3031323334353637ull);
	assert_int_equal(h.args[2], 0x3839616263646566ull);
	assert_string_equal(f->in, "XYZ");
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TERM_CHAR, 1, 0ull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 3);
	assert_int_equal(h.args[1], 0x58595a0000000000ull);
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TERM_CHAR, 1, 1ull), SKVM_H_PARAMETER);
}

/* LE and AIL are the hypervisor's: the VMM hears only of CIABR and DAWR (and whatever
 * else), and has no hardware breakpoints to offer. */
static void test_set_mode(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	assert_int_equal(hcall(f, &h, SKVM_H_SET_MODE, 4, 0ull, 1ull, 0x1000ull, 0ull), SKVM_H_P2);
	assert_int_equal(hcall(f, &h, SKVM_H_SET_MODE, 4, 0ull, 2ull, 0x1000ull, 0ull), SKVM_H_P2);
	assert_int_equal(hcall(f, &h, SKVM_H_SET_MODE, 4, 0ull, 99ull, 0ull, 0ull), SKVM_H_P2);
}

static void test_prod_confer_unknown(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	assert_int_equal(hcall(f, &h, SKVM_H_PROD, 1, 1ull), SKVM_H_SUCCESS);
	assert_int_equal(f->prodded, 101);
	assert_int_equal(hcall(f, &h, SKVM_H_PROD, 1, 2ull), SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_CONFER, 2, (uint64_t)-1, 0ull), SKVM_H_SUCCESS);
	/* SKVM_H_CEDE is the hypervisor's own (book3s_pr_papr.c), never the VMM's */
	assert_int_equal(hcall(f, &h, SKVM_H_CEDE, 0), SKVM_H_FUNCTION);
	assert_int_equal(hcall(f, &h, 0x1234, 0), SKVM_H_FUNCTION);
	assert_int_equal(hcall(f, &h, H_GET_CPU_CHARACTERISTICS, 0), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0);
	assert_int_equal(h.args[1], 0);
}

/* The DMA window's TCEs: stored and read back for the window's liobn and I/O addresses
 * only; without a window every TCE hcall is H_PARAMETER. */
static void test_tce(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;
	uint64_t tce[4] = {0};

	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TCE, 3, 0x80000000ull, 0ull, 3ull), SKVM_H_PARAMETER);
	f->papr.tce = (struct papr_tce){.liobn = 0x80000000u, .entry = tce, .nr = 4};
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TCE, 3, 0x80000000ull, 0x3000ull,
			       0x1234003ull), SKVM_H_SUCCESS);
	assert_int_equal(tce[3], 0x1234003ull);
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TCE, 2, 0x80000000ull, 0x3fffull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0x1234003ull);
	assert_int_equal(hcall(f, &h, SKVM_H_PUT_TCE, 3, 0x80000000ull, 0x4000ull, 1ull),
			 SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_GET_TCE, 2, 0x80000001ull, 0ull), SKVM_H_PARAMETER);
	f->papr.tce.entry = NULL;
}

static void test_random(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;
	uint64_t a;

	assert_int_equal(hcall(f, &h, SKVM_H_RANDOM, 0), SKVM_H_SUCCESS);
	a = h.args[0];
	assert_int_equal(hcall(f, &h, SKVM_H_RANDOM, 0), SKVM_H_SUCCESS);
	assert_true(a != h.args[0]); /* fails once in 2^64 runs */
}

static void test_logical_ci(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_STORE, 3, 4ull, 0x100ull, 0x11223344ull),
			 SKVM_H_SUCCESS);
	assert_memory_equal(f->mem + 0x100, "\x11\x22\x33\x44", 4);
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_LOAD, 2, 2ull, 0x102ull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0x3344);
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_LOAD, 2, 4ull, (uint64_t)DEV_BASE), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0xcafef00d);
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_STORE, 3, 4ull, (uint64_t)DEV_BASE, 0x5aa5ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->dev_last_write, 0x5aa5);
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_LOAD, 2, 3ull, 0x100ull), SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_LOAD, 2, 4ull, 0x102ull), SKVM_H_PARAMETER);
	/* nothing there: reads 0, as the bus answers an unclaimed load */
	assert_int_equal(hcall(f, &h, SKVM_H_LOGICAL_CI_LOAD, 2, 8ull, 0xe0000000ull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0);
}

#define VPA_FLAGS(func) ((uint64_t)(func) << H_VPA_FUNC_SHIFT)

static void put_be(struct fixture *f, uint64_t addr, unsigned n, uint64_t v)
{
	vmm_store_be(f->mem + addr, n, v);
}

static void test_register_vpa(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	put_be(f, 0x10000 + 4, 2, 640); /* lppaca.size */
	put_be(f, 0x11000 + 4, 4, 0x100); /* slb_shadow.size */
	put_be(f, 0x12000 + 4, 4, 0x1000); /* a dispatch trace log */
	/* the SLB shadow and the DTL need the VPA first */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_SLB), 1ull,
			       0x11000ull),
			 SKVM_H_RESOURCE);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 1ull,
			       0x10000ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->papr.vpa[1].vpa, 0x10000);
	assert_int_equal(f->mem[0x10009], 0x2); /* a shared processor */
	assert_int_equal(f->papr.vpa[0].vpa, 0);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_SLB), 1ull,
			       0x11000ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_DTL), 1ull,
			       0x12000ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->papr.vpa[1].slb_shadow, 0x11000);
	assert_int_equal(f->papr.vpa[1].dtl, 0x12000);
	/* the VPA goes last */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_DEREG_VPA), 1ull, 0ull),
			 SKVM_H_RESOURCE);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_DEREG_SLB), 1ull, 0ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_DEREG_DTL), 1ull, 0ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_DEREG_VPA), 1ull, 0ull),
			 SKVM_H_SUCCESS);
	assert_int_equal(f->papr.vpa[1].vpa, 0);

	/* PAPR's checks */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 0ull, 0ull),
			 SKVM_H_HARDWARE);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 0ull,
			       0x10040ull),
			 SKVM_H_PARAMETER); /* not on a cache line */
	put_be(f, 0x13e00 + 4, 2, 640);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 0ull,
			       0x13e00ull),
			 SKVM_H_PARAMETER); /* crosses a 4 KiB page */
	put_be(f, 0x14000 + 4, 2, 100);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 0ull,
			       0x14000ull),
			 SKVM_H_PARAMETER); /* too small */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 0ull,
			       (uint64_t)RAM_SIZE),
			 SKVM_H_PARAMETER); /* outside RAM */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA), 2ull,
			       0x10000ull),
			 SKVM_H_PARAMETER); /* no such cpu */
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(4), 0ull, 0x10000ull),
			 SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_REGISTER_VPA, 3, VPA_FLAGS(H_VPA_REG_VPA) | 1, 0ull,
			       0x10000ull),
			 SKVM_H_PARAMETER);
	assert_int_equal(f->papr.vpa[0].vpa, 0);
}

/* An RTAS call as Linux's rtas_call makes it: the buffer, then SKVM_H_RTAS with its address. */
static long rtas(struct fixture *f, const char *name, unsigned nargs, unsigned nret,
		 const uint32_t *args)
{
	struct papr_hcall h;

	put_be(f, ARGS, 4, rtas_token(name));
	put_be(f, ARGS + 4, 4, nargs);
	put_be(f, ARGS + 8, 4, nret);
	for (unsigned i = 0; i < nargs; i++)
		put_be(f, ARGS + 12 + 4 * i, 4, args[i]);
	for (unsigned i = 0; i < nret; i++)
		put_be(f, ARGS + 12 + 4 * (nargs + i), 4, 0xdeadbeef);
	return hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)ARGS);
}

static uint32_t rtas_out(struct fixture *f, unsigned nargs, unsigned i)
{
	return (uint32_t)vmm_load_be(f->mem + ARGS + 12 + 4 * (nargs + i), 4);
}

static void test_rtas_time(void **state)
{
	struct fixture *f = *state;
	static const uint32_t set[7] = {2030, 1, 2, 3, 4, 5, 6};

	assert_int_equal(rtas(f, "get-time-of-day", 0, 8, NULL), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 0, 0), 0);
	assert_int_equal(rtas_out(f, 0, 1), 2026);
	assert_int_equal(rtas_out(f, 0, 2), 12);
	assert_int_equal(rtas_out(f, 0, 3), 3);
	assert_int_equal(rtas_out(f, 0, 4), 5);
	assert_int_equal(rtas_out(f, 0, 5), 0);
	assert_int_equal(rtas_out(f, 0, 6), 0);
	assert_int_equal(rtas_out(f, 0, 7), 500000000);

	assert_int_equal(rtas(f, "set-time-of-day", 7, 1, set), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 7, 0), 0);
	assert_int_equal(rtas(f, "get-time-of-day", 0, 8, NULL), SKVM_H_SUCCESS);
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(rtas_out(f, 0, 1 + i), set[i]);

	static const uint32_t bad[7] = {2030, 13, 2, 3, 4, 5, 6};
	assert_int_equal(rtas(f, "set-time-of-day", 7, 1, bad), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 7, 0), RTAS_OUT_PARAM_ERROR);
}

static void test_rtas_console_power(void **state)
{
	struct fixture *f = *state;
	static const uint32_t c = 'Z', mask[2] = {0, 0};

	assert_int_equal(rtas(f, "display-character", 1, 1, &c), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 0), 0);
	assert_int_equal(f->out_len, 1);
	assert_int_equal(f->out[0], 'Z');

	assert_int_equal(rtas(f, "power-off", 2, 1, mask), SKVM_H_SUCCESS);
	assert_int_equal(f->requests, VMM_GUEST_POWEROFF);
	assert_int_equal(rtas(f, "system-reboot", 0, 1, NULL), SKVM_H_SUCCESS);
	assert_int_equal(f->requests, VMM_GUEST_POWEROFF | VMM_GUEST_RESET);
	f->requests = 0;
	memcpy(f->mem + 0x9000, "Kernel panic - not syncing", 27);
	static const uint32_t msg = 0x9000;
	assert_int_equal(rtas(f, "ibm,os-term", 1, 1, &msg), SKVM_H_SUCCESS);
	assert_int_equal(f->requests, VMM_GUEST_PANIC);
	assert_int_equal(rtas_out(f, 1, 0), 0);
}

/* What the call table and the buffer checks answer. */
static void test_rtas_bad_calls(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;
	static const uint32_t mask = 0;

	/* power-off with one argument: a parameter error, nothing requested */
	assert_int_equal(rtas(f, "power-off", 1, 1, &mask), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(f->requests, 0);
	/* an unknown token (nargs 1, nret 1 from the call above) */
	put_be(f, ARGS, 4, 0x1fff);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)ARGS), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), -1);
	put_be(f, ARGS, 4, RTAS_TOKEN_BASE + 1000);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)ARGS), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), -1);
	/* more than 16 cells, a buffer outside RAM or crossing its end */
	put_be(f, ARGS + 4, 4, 10);
	put_be(f, ARGS + 8, 4, 7);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)ARGS), SKVM_H_PARAMETER);
	put_be(f, ARGS + 4, 4, 0xffffffff);
	put_be(f, ARGS + 8, 4, 2);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)ARGS), SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)RAM_SIZE - 8), SKVM_H_PARAMETER);
	put_be(f, RAM_SIZE - 16, 4, rtas_token("get-time-of-day"));
	put_be(f, RAM_SIZE - 12, 4, 0);
	put_be(f, RAM_SIZE - 8, 4, 8);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, (uint64_t)RAM_SIZE - 16), SKVM_H_PARAMETER);
	assert_int_equal(hcall(f, &h, SKVM_H_RTAS, 1, ~0ull), SKVM_H_PARAMETER);
}

static void test_rtas_cpus(void **state)
{
	struct fixture *f = *state;
	uint32_t args[3] = {1, 0x4000, 0x1234};

	assert_int_equal(rtas(f, "query-cpu-stopped-state", 1, 2, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 0), 0);
	assert_int_equal(rtas_out(f, 1, 1), 0); /* stopped */
	assert_int_equal(rtas(f, "start-cpu", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_int_equal(f->started_cpu, 1);
	assert_int_equal(f->started_entry, 0x4000);
	assert_int_equal(f->started_r3, 0x1234);
	assert_int_equal(rtas(f, "query-cpu-stopped-state", 1, 2, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 1), 2); /* running */
	assert_int_equal(rtas(f, "start-cpu", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_HW_ERROR);
	args[0] = 7;
	assert_int_equal(rtas(f, "start-cpu", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(rtas(f, "query-cpu-stopped-state", 1, 2, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(rtas(f, "stop-self", 0, 1, NULL), SKVM_H_SUCCESS);
	assert_int_equal(f->stopped_self, 100);
}

static void test_rtas_xive(void **state)
{
	struct fixture *f = *state;
	uint32_t args[3] = {XICS_IRQ_BASE + 3, 1, 5};

	assert_int_equal(rtas(f, "ibm,set-xive", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_int_equal(rtas(f, "ibm,get-xive", 1, 3, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 0), 0);
	assert_int_equal(rtas_out(f, 1, 1), 1);
	assert_int_equal(rtas_out(f, 1, 2), 5);
	assert_int_equal(rtas(f, "ibm,int-off", 1, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas(f, "ibm,get-xive", 1, 3, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 2), 0xff);
	assert_int_equal(rtas(f, "ibm,int-on", 1, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas(f, "ibm,get-xive", 1, 3, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 1, 2), 5);
	args[0] = 5;
	assert_int_equal(rtas(f, "ibm,get-xive", 1, 3, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(rtas_out(f, 1, 1), 0xdeadbeef); /* untouched */
}

/* The interrupt-controller hypercalls reach the same XICS. */
static void test_xics_hcalls(void **state)
{
	struct fixture *f = *state;
	struct papr_hcall h;

	assert_int_equal(xics_set_xive(&f->xics, XICS_IRQ_BASE + 1, 0, 5), 0);
	assert_int_equal(xics_set_irq(&f->xics, XICS_IRQ_BASE + 1, true), 0);
	assert_int_equal(hcall(f, &h, SKVM_H_CPPR, 1, 0xffull), SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_IPOLL, 1, 0ull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0xff001001u);
	assert_int_equal(h.args[1], 0xff);
	assert_int_equal(hcall(f, &h, SKVM_H_XIRR_X, 0), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0xff001001u);
	assert_int_equal(h.args[1], 0x123456789ull);
	assert_int_equal(hcall(f, &h, SKVM_H_EOI, 1, 0xff001001ull), SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_XIRR, 0), SKVM_H_SUCCESS);
	assert_int_equal(h.args[0], 0xff001001u); /* still asserted: presented again */
	assert_int_equal(hcall(f, &h, SKVM_H_IPI, 2, 1ull, 3ull), SKVM_H_SUCCESS);
	assert_int_equal(hcall(f, &h, SKVM_H_IPOLL, 1, 1ull), SKVM_H_SUCCESS);
	assert_int_equal(h.args[1], 3);
	assert_int_equal(hcall(f, &h, SKVM_H_IPI, 2, 9ull, 3ull), SKVM_H_PARAMETER);
}

static void test_rtas_nvram(void **state)
{
	struct fixture *f = *state;
	uint32_t args[3] = {100, 0xa000, 5};
	/* formatted as one free partition of 4096 16-byte blocks (Linux's nvram_checksum) */
	static const uint8_t header[16] = {0x7f, 0x29, 0x10, 0x00, 'w', 'w', 'w', 'w',
					   'w',	 'w',  'w',  'w',  'w', 'w', 'w', 'w'};

	assert_memory_equal(f->rtas.nvram, header, 16);
	memcpy(f->mem + 0xa000, "hello", 5);
	assert_int_equal(rtas(f, "nvram-store", 3, 2, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_int_equal(rtas_out(f, 3, 1), 5);
	assert_memory_equal(f->rtas.nvram + 100, "hello", 5);
	args[0] = 98;
	args[1] = 0xb000;
	args[2] = 9;
	assert_int_equal(rtas(f, "nvram-fetch", 3, 2, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 1), 9);
	assert_memory_equal(f->mem + 0xb000, "\0\0hello\0\0", 9);
	/* past the end of the NVRAM, or of RAM */
	args[0] = RTAS_NVRAM_SIZE - 4;
	assert_int_equal(rtas(f, "nvram-fetch", 3, 2, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_PARAM_ERROR);
	assert_int_equal(rtas_out(f, 3, 1), 0);
	args[0] = 0;
	args[1] = RAM_SIZE - 4;
	assert_int_equal(rtas(f, "nvram-store", 3, 2, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_PARAM_ERROR);
}

static void test_rtas_system_parameter(void **state)
{
	struct fixture *f = *state;
	static const char want[] = "MaxEntCap=200,DesMem=1,DesProcs=2,MaxPlatProcs=2";
	uint32_t args[3] = {RTAS_SYSPARM_SPLPAR_CHARACTERISTICS, 0xc000, 4000};

	assert_int_equal(rtas(f, "ibm,get-system-parameter", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_int_equal(vmm_load_be(f->mem + 0xc000, 2), sizeof(want));
	assert_string_equal((char *)f->mem + 0xc002, want);
	args[2] = 7; /* cut to the buffer */
	memset(f->mem + 0xc000, 0xee, 16);
	assert_int_equal(rtas(f, "ibm,get-system-parameter", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(vmm_load_be(f->mem + 0xc000, 2), 5);
	assert_memory_equal(f->mem + 0xc002, "MaxEn\xee", 6);
	args[0] = RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE;
	args[2] = 16;
	assert_int_equal(rtas(f, "ibm,get-system-parameter", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(vmm_load_be(f->mem + 0xc000, 3), 0x000100);
	args[0] = 44; /* CMO characteristics: not a shared-memory partition */
	assert_int_equal(rtas(f, "ibm,get-system-parameter", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_NOT_SUPPORTED);
	args[0] = 20;
	args[1] = RAM_SIZE - 1;
	assert_int_equal(rtas(f, "ibm,get-system-parameter", 3, 1, args), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 3, 0), RTAS_OUT_PARAM_ERROR);
}

static void test_rtas_events(void **state)
{
	struct fixture *f = *state;
	static const uint32_t args[7] = {0};

	assert_int_equal(rtas(f, "event-scan", 4, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 4, 0), RTAS_OUT_NO_ERRORS_FOUND);
	assert_int_equal(rtas(f, "check-exception", 6, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 6, 0), RTAS_OUT_NO_ERRORS_FOUND);
	assert_int_equal(rtas(f, "check-exception", 7, 1, args), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 7, 0), RTAS_OUT_NO_ERRORS_FOUND);
}

/* The entry code and the device tree's tokens. */
/* The four PCI config calls against a bridge with one function in slot 0 and INTA wired to
 * XICS source 3: reads, writes, the BUID check, and what a bad call gets (-1, all-ones). */
static const struct pci_function_ops plain_fn_ops = {0};

static int set_src(void *opaque, unsigned line, bool level)
{
	return xics_set_irq(opaque, line, level);
}

static void test_rtas_pci_config(void **state)
{
	struct fixture *f = *state;
	struct vmm_irq intx[4];
	struct pci_phb phb;
	struct pci_function fn;
	const uint32_t hi = 0x08000000, lo = 0x20000000; /* BUID 0x800000020000000 */
	uint32_t cmd_addr = 0x04;			/* bus 0, devfn 0, Command */

	for (unsigned i = 0; i < 4; i++)
		intx[i] = (struct vmm_irq){.set = set_src, .opaque = &f->xics, .line = XICS_IRQ_BASE + 3 + i};
	pci_phb_init(&phb, 0x800000020000000ull, 0x200080000000ull, 0x80000000u, 0x10000000u, intx);
	pci_function_init(&fn, "fn", &plain_fn_ops, NULL, 0x1af4, 0x1042, 0x010000, 1, 0x1af4, 2);
	pci_function_add_bar(&fn, 0, 0x4000);
	assert_int_equal(pci_phb_plug(&phb, &fn), 0);
	/* nothing reachable before the board hands RTAS its bridge */
	assert_int_equal(rtas(f, "read-pci-config", 2, 2, (uint32_t[]){0, 4}), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 2, 0), RTAS_OUT_HW_ERROR);
	assert_int_equal(rtas_out(f, 2, 1), 0xffffffffu);
	f->rtas.phb = &phb;

	assert_int_equal(rtas(f, "read-pci-config", 2, 2, (uint32_t[]){0, 4}), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 2, 0), 0);
	assert_int_equal(rtas_out(f, 2, 1), 0x10421af4);
	assert_int_equal(rtas(f, "ibm,read-pci-config", 4, 2, (uint32_t[]){0x10, hi, lo, 4}),
			 SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 4, 0), 0);
	assert_int_equal(rtas_out(f, 4, 1), 0x80000000u); /* BAR 0 as the VMM assigned it */
	assert_int_equal(rtas(f, "ibm,read-pci-config", 4, 2, (uint32_t[]){0x2, hi, lo, 2}),
			 SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 4, 1), 0x1042);
	/* writes: Interrupt Disable through ibm,write-pci-config, Interrupt Line through the
	 * plain call; a pending INTA reaches XICS only while it is enabled */
	assert_int_equal(rtas(f, "ibm,write-pci-config", 5, 1,
			      (uint32_t[]){cmd_addr, hi, lo, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_INTX_DISABLE}),
			 SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 5, 0), 0);
	assert_int_equal(pci_function_set_intx(&fn, 0, true), 0);
	assert_false(f->xics.src[3].asserted);
	assert_int_equal(rtas(f, "write-pci-config", 3, 1, (uint32_t[]){cmd_addr, 2, PCI_COMMAND_MEMORY}),
			 SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_true(f->xics.src[3].asserted);
	assert_int_equal(rtas(f, "write-pci-config", 3, 1, (uint32_t[]){0x3c, 1, 0x55}), SKVM_H_SUCCESS);
	assert_int_equal(fn.cfg[PCI_INTERRUPT_LINE], 0x55);
	/* a read-only register keeps its value */
	assert_int_equal(rtas(f, "write-pci-config", 3, 1, (uint32_t[]){0, 4, 0}), SKVM_H_SUCCESS);
	assert_int_equal(rtas_out(f, 3, 0), 0);
	assert_int_equal(fn.cfg[0], 0xf4);

	/* bad calls: -1 and all-ones, nothing changed */
	static const uint32_t bad[][4] = {
	    {0x0100, hi, lo, 4},     /* devfn 1: no such function */
	    {0x0800, hi, lo, 4},     /* slot 1: empty */
	    {0x10000, hi, lo, 4},    /* bus 1 */
	    {0x2, hi, lo, 4},	     /* misaligned */
	    {0x0, hi, lo, 3},	     /* width 3 */
	    {0x0, hi, lo, 8},	     /* width 8 */
	    {0x10000000, hi, lo, 4}, /* register 0x100: no extended space */
	    {0x0, hi, lo + 1, 4},    /* another BUID */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(rtas(f, "ibm,read-pci-config", 4, 2, bad[i]), SKVM_H_SUCCESS);
		assert_int_equal((int32_t)rtas_out(f, 4, 0), RTAS_OUT_HW_ERROR);
		assert_int_equal(rtas_out(f, 4, 1), 0xffffffffu);
		assert_int_equal(rtas(f, "ibm,write-pci-config", 5, 1,
				      (uint32_t[]){bad[i][0], bad[i][1], bad[i][2], bad[i][3], 0}),
				 SKVM_H_SUCCESS);
		assert_int_equal((int32_t)rtas_out(f, 5, 0), RTAS_OUT_HW_ERROR);
	}
	assert_int_equal(fn.cfg[PCI_COMMAND], PCI_COMMAND_MEMORY);
	/* the wrong number of arguments: a parameter error */
	assert_int_equal(rtas(f, "read-pci-config", 1, 2, (uint32_t[]){0}), SKVM_H_SUCCESS);
	assert_int_equal((int32_t)rtas_out(f, 1, 0), RTAS_OUT_PARAM_ERROR);
	f->rtas.phb = NULL;
}

static void test_rtas_blob_tokens(void **state)
{
	static const uint8_t want[RTAS_BLOB_SIZE] = {
	    0x7c, 0x64, 0x1b, 0x78, 0x3c, 0x60, 0x00, 0x00, 0x60, 0x63,
	    0xf0, 0x00, 0x44, 0x00, 0x00, 0x22, 0x4e, 0x80, 0x00, 0x20};
	uint8_t blob[RTAS_BLOB_SIZE], fdt[4096];
	const fdt32_t *tok;
	int node, len;

	rtas_blob(blob);
	assert_memory_equal(blob, want, sizeof(want));
	assert_int_equal(fdt_create_empty_tree(fdt, sizeof(fdt)), 0);
	node = fdt_add_subnode(fdt, 0, "rtas");
	assert_true(node > 0);
	assert_int_equal(rtas_fdt_tokens(fdt, node), 0);
	tok = fdt_getprop(fdt, node, "ibm,set-xive", &len);
	assert_non_null(tok);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(*tok), rtas_token("ibm,set-xive"));
	assert_true(rtas_token("ibm,set-xive") >= RTAS_TOKEN_BASE);
	assert_int_equal(rtas_token("no-such-call"), 0);
	assert_non_null(fdt_getprop(fdt, node, "start-cpu", &len));
	assert_non_null(fdt_getprop(fdt, node, "nvram-fetch", &len));
	assert_non_null(fdt_getprop(fdt, node, "ibm,read-pci-config", &len));
	assert_non_null(fdt_getprop(fdt, node, "write-pci-config", &len));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_put_term_char),     T(test_get_term_char),	T(test_set_mode),
	    T(test_prod_confer_unknown), T(test_tce), T(test_random),	T(test_logical_ci),
	    T(test_register_vpa),      T(test_rtas_time),	T(test_rtas_console_power),
	    T(test_rtas_bad_calls),    T(test_rtas_cpus),	T(test_rtas_xive),
	    T(test_xics_hcalls),       T(test_rtas_nvram),	T(test_rtas_system_parameter),
	    T(test_rtas_events),       T(test_rtas_pci_config),
	    cmocka_unit_test(test_rtas_blob_tokens),
	};

	return cmocka_run_group_tests_name("vmm papr", tests, NULL, NULL);
}
