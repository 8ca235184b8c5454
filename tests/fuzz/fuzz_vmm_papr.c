// SPDX-License-Identifier: MIT
/* Fuzzing the VMM's PAPR side: hostile hypercalls (struct papr_hcall as KVM_EXIT_PAPR_HCALL
 * delivers them), RTAS argument buffers and interrupt lines, in any order, against one
 * partition of 2 vcpus and 64 KiB of RAM. After every step:
 *   - the hypercall answers a PAPR status the dispatcher documents, never a host error;
 *   - XICS is consistent: a vcpu's external input is raised exactly when its ICP presents an
 *     interrupt, and what it presents is more favoured than its CPPR;
 *   - an RTAS call writes guest RAM only inside its own argument buffer, unless it is one of
 *     the calls that fill a guest buffer (nvram-fetch, ibm,get-system-parameter);
 * and AddressSanitizer watches every access. libFuzzer: LLVMFuzzerTestOneInput;
 * FUZZ_VMM_PAPR_STANDALONE: a deterministic driver of N generated inputs from a seed, which the
 * suite runs, and which fails if the inputs never reach the calls' successful paths. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "log.h"
#include "machine.h"
#include "papr/hcall.h"
#include "papr/papr.h"
#include "papr/rtas.h"
#include "papr/xics.h"

#define FZ_RAM	   (64u << 10)
#define FZ_CPUS	   2u
#define FZ_SOURCES 16u

struct fz {
	uint8_t *mem, *before;
	struct vmm_ram ram;
	struct vmm_bus bus;
	struct xics xics;
	struct rtas rtas;
	struct papr papr;
	uint32_t requests;
	bool level[FZ_CPUS];
	uint64_t successes, rtas_ok, presented;
};

static void fz_fail(struct fz *f, const char *what, uint64_t a, uint64_t b)
{
	fprintf(stderr, "FAIL: %s (0x%" PRIx64 ", 0x%" PRIx64 ")\n", what, a, b);
	abort();
}

static int con_write(void *opaque, const uint8_t *buf, size_t len)
{
	return 0;
}

static ssize_t con_read(void *opaque, uint8_t *buf, size_t len)
{
	if (len)
		buf[0] = 'x';
	return len ? 1 : 0;
}

static int put_char(void *opaque, uint8_t c)
{
	return 0;
}

static void prod(void *opaque, unsigned cpu)
{
}

static uint64_t timebase(void *opaque)
{
	return 1;
}

static int cpu_state(void *opaque, uint32_t cpu)
{
	return cpu < FZ_CPUS ? 0 : -1;
}

static int start_cpu(void *opaque, uint32_t cpu, uint64_t entry, uint64_t r3)
{
	return RTAS_OUT_SUCCESS;
}

static void stop_self(void *opaque, unsigned cpu)
{
}

static int64_t now_ns(void *opaque)
{
	return 1700000000ll * 1000000000ll;
}

static void output(void *opaque, unsigned server, bool level)
{
	struct fz *f = opaque;

	if (server >= FZ_CPUS)
		fz_fail(f, "output for a server that does not exist", server, level);
	f->level[server] = level;
}

static void fz_init(struct fz *f)
{
	struct rtas_ops rops = {.opaque = f,
				.put_char = put_char,
				.cpu_state = cpu_state,
				.start_cpu = start_cpu,
				.stop_self = stop_self,
				.now_ns = now_ns};

	memset(f, 0, sizeof(*f));
	vmm_log_set_level(VMM_LOG_ERR); /* unclaimed CI accesses are the point, not news */
	f->mem = calloc(1, FZ_RAM);
	f->before = malloc(FZ_RAM);
	if (!f->mem || !f->before)
		abort();
	f->ram = (struct vmm_ram){.host = f->mem, .gpa = 0, .size = FZ_RAM};
	vmm_bus_init(&f->bus, "mmio");
	if (xics_init(&f->xics, FZ_CPUS, FZ_SOURCES, output, f))
		abort();
	rtas_init(&f->rtas, &f->ram, &f->xics, &rops, &f->requests, FZ_CPUS);
	f->papr = (struct papr){
	    .ram = &f->ram,
	    .mmio = &f->bus,
	    .console = {.write = con_write, .read = con_read, .opaque = f},
	    .xics = &f->xics,
	    .rtas = &f->rtas,
	    .ops = {.opaque = f, .prod = prod, .timebase = timebase},
	    .nr_cpus = FZ_CPUS,
	};
}

static void fz_fini(struct fz *f)
{
	rtas_destroy(&f->rtas);
	xics_destroy(&f->xics);
	vmm_bus_destroy(&f->bus);
	free(f->mem);
	free(f->before);
}

/* The input, consumed a few bytes at a time; zeros once it runs out. */
struct src {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct src *s, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++) {
		v = v << 8 | (s->left ? *s->p : 0);
		if (s->left) {
			s->p++;
			s->left--;
		}
	}
	return v;
}

/* A 64-bit value with a bias toward what the calls check: small numbers, RAM addresses,
 * source numbers, term numbers, the area flags. */
static uint64_t take_arg(struct src *s)
{
	switch (take(s, 1) % 8) {
	case 0:
		return take(s, 1);
	case 1:
		return take(s, 2) % FZ_RAM;
	case 2:
		return XICS_IRQ_BASE + take(s, 1) % (FZ_SOURCES + 2);
	case 3:
		return PAPR_VTY_REG;
	case 4:
		return (take(s, 1) % 8) << H_VPA_FUNC_SHIFT;
	case 5:
		return take(s, 1) % 3;
	default:
		return take(s, 8);
	}
}

static const uint64_t fz_hcalls[] = {
    SKVM_H_PUT_TERM_CHAR, SKVM_H_GET_TERM_CHAR, SKVM_H_SET_MODE,	 SKVM_H_PROD, SKVM_H_CONFER,
    SKVM_H_REGISTER_VPA,  H_GET_CPU_CHARACTERISTICS, SKVM_H_RANDOM, SKVM_H_LOGICAL_CI_LOAD,
    SKVM_H_LOGICAL_CI_STORE, SKVM_H_RTAS, SKVM_H_CPPR, SKVM_H_EOI, SKVM_H_IPI, SKVM_H_XIRR, SKVM_H_XIRR_X, SKVM_H_IPOLL, SKVM_H_CEDE,
};

static void check_status(struct fz *f, uint64_t nr, long ret)
{
	static const long documented[] = {SKVM_H_SUCCESS,   SKVM_H_HARDWARE, SKVM_H_FUNCTION, SKVM_H_PARAMETER,
					  SKVM_H_RESOURCE,  SKVM_H_P2,	   SKVM_H_P3,       SKVM_H_P4,
					  SKVM_H_UNSUPPORTED_FLAG_START};

	for (size_t i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (ret == documented[i]) {
			f->successes += ret == SKVM_H_SUCCESS;
			return;
		}
	fz_fail(f, "hypercall answered an undocumented status", nr, (uint64_t)ret);
}

static void check_xics(struct fz *f)
{
	for (unsigned i = 0; i < FZ_CPUS; i++) {
		const struct xics_icp *icp = &f->xics.icp[i];
		bool pending = (icp->xirr & XICS_XISR_MASK) != 0;

		if (f->level[i] != pending)
			fz_fail(f, "external input does not follow the ICP", i, icp->xirr);
		if (pending && icp->pending_priority >= icp->xirr >> 24)
			fz_fail(f, "ICP presents an interrupt its CPPR masks", icp->xirr,
				icp->pending_priority);
		f->presented += pending;
	}
}

static void fz_hcall(struct fz *f, struct src *s, struct papr_hcall *h, unsigned caller)
{
	uint8_t pick = (uint8_t)take(s, 1);

	h->nr = pick < 240 ? fz_hcalls[pick % (sizeof(fz_hcalls) / sizeof(fz_hcalls[0]))]
			   : take(s, 2);
	for (unsigned i = 0; i < 9; i++)
		h->args[i] = take_arg(s);
	if (papr_hcall(&f->papr, caller, h))
		fz_fail(f, "host error from a hypercall", h->nr, 0);
	check_status(f, h->nr, (long)h->ret);
}

/* An RTAS buffer in RAM, then SKVM_H_RTAS: only the buffer may change, or the call's own
 * destination buffer. */
static void fz_rtas(struct fz *f, struct src *s, unsigned caller)
{
	uint64_t args = take(s, 2) % FZ_RAM;
	uint32_t token = RTAS_TOKEN_BASE + (uint32_t)(take(s, 1) % 20);
	uint32_t nargs = (uint32_t)take(s, 1), nret = (uint32_t)take(s, 1);
	uint8_t *hdr = vmm_ram_ptr(&f->ram, args, 12);
	struct papr_hcall h = {.nr = SKVM_H_RTAS, .args = {args}};
	bool fills = token == rtas_token("nvram-fetch") ||
		     token == rtas_token("ibm,get-system-parameter");
	size_t frame;

	if (take(s, 1) % 4) { /* mostly sane sizes */
		nargs %= 8;
		nret %= 9;
	}
	if (!hdr)
		return;
	vmm_store_be(hdr, 4, token);
	vmm_store_be(hdr + 4, 4, nargs);
	vmm_store_be(hdr + 8, 4, nret);
	for (uint64_t i = 0; i < nargs && i < 16 && args + 12 + 4 * i + 4 <= FZ_RAM; i++)
		vmm_store_be(f->mem + args + 12 + 4 * i, 4, (uint32_t)take_arg(s));
	memcpy(f->before, f->mem, FZ_RAM);
	if (papr_hcall(&f->papr, caller, &h))
		fz_fail(f, "host error from RTAS", token, 0);
	if (h.ret != SKVM_H_SUCCESS && h.ret != (uint64_t)SKVM_H_PARAMETER)
		fz_fail(f, "SKVM_H_RTAS answered an undocumented status", token, h.ret);
	/* SKVM_H_SUCCESS: the whole frame is in RAM; its first return cell is the status */
	if (h.ret == SKVM_H_SUCCESS && nret && (int32_t)vmm_load_be(hdr + 12 + 4 * nargs, 4) >= 0)
		f->rtas_ok++;
	if (fills)
		return;
	frame = 12 + 4 * (size_t)(nargs + nret);
	for (size_t i = 0; i < FZ_RAM; i++)
		if (f->mem[i] != f->before[i] && (i < args || i >= args + frame))
			fz_fail(f, "RTAS wrote outside its buffer", token, i);
}

static void fz_run(struct fz *f, const uint8_t *data, size_t size)
{
	struct src s = {data, size};
	struct papr_hcall h;

	xics_reset(&f->xics);
	memset(f->papr.vpa, 0, sizeof(f->papr.vpa));
	while (s.left) {
		unsigned op = (unsigned)take(&s, 1), caller = op >> 7;

		memset(&h, 0, sizeof(h));
		switch (op % 4) {
		case 0:
		case 1:
			fz_hcall(f, &s, &h, caller);
			break;
		case 2:
			fz_rtas(f, &s, caller);
			break;
		default:
			if (xics_set_irq(&f->xics, XICS_IRQ_BASE + (uint32_t)(take(&s, 1) % FZ_SOURCES),
					 take(&s, 1) & 1))
				fz_fail(f, "a valid source refused", 0, 0);
			break;
		}
		check_xics(f);
	}
	for (uint32_t i = 0; i < FZ_SOURCES; i++)
		(void)xics_set_irq(&f->xics, XICS_IRQ_BASE + i, false);
}

#ifndef FUZZ_VMM_PAPR_STANDALONE
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz f;
	static bool ready;

	if (!ready) {
		fz_init(&f);
		ready = true;
	}
	fz_run(&f, data, size);
	return 0;
}
#else
static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 1000;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x70617072ull;
	static uint8_t buf[4096];
	struct fz f;

	fz_init(&f);
	for (unsigned i = 0; i < n; i++) {
		size_t len = 16 + next(&seed) % (sizeof(buf) - 16);

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)next(&seed);
		fz_run(&f, buf, len);
	}
	printf("fuzz_vmm_papr: %u inputs: %" PRIu64 " hypercalls succeeded, %" PRIu64
	       " RTAS calls succeeded, %" PRIu64 " steps with an interrupt presented\n",
	       n, f.successes, f.rtas_ok, f.presented);
	fz_fini(&f);
	if (n >= 100 && (!f.successes || !f.rtas_ok || !f.presented)) {
		printf("FAIL: the inputs did not reach the calls' successful paths\n");
		return 1;
	}
	return 0;
}
#endif
