// SPDX-License-Identifier: MIT
/* RTAS calls (see rtas.h). Each call reads its argument cells and writes its return cells
 * through one frame: arguments past nargs read as 0, returns past nret are dropped, so a
 * short buffer never makes a call touch memory outside it. */
#include "papr/rtas.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "byteorder.h"
#include "log.h"
#include "machine.h"
#include "papr/papr.h"

struct rtas_frame {
	uint8_t *cells; /* host address of args[0] */
	uint32_t nargs, nret;
	unsigned caller;
	int host_err; /* a host failure inside the call (negative errno) */
};

static uint32_t rtas_arg(const struct rtas_frame *f, unsigned i)
{
	return i < f->nargs ? (uint32_t)vmm_load_be(f->cells + 4 * i, 4) : 0;
}

static void rtas_ret(struct rtas_frame *f, unsigned i, uint32_t v)
{
	if (i < f->nret)
		vmm_store_be(f->cells + 4 * (f->nargs + i), 4, v);
}

static void rtas_status(struct rtas_frame *f, int status)
{
	rtas_ret(f, 0, (uint32_t)status);
}

static void rtas_request(struct rtas *r, uint32_t what)
{
	__atomic_fetch_or(r->requests, what, __ATOMIC_SEQ_CST);
}

static void rtas_display_character(struct rtas *r, struct rtas_frame *f)
{
	int rc = r->ops.put_char(r->ops.opaque, (uint8_t)rtas_arg(f, 0));

	if (rc)
		f->host_err = rc;
	rtas_status(f, rc ? RTAS_OUT_HW_ERROR : RTAS_OUT_SUCCESS);
}

static void rtas_get_time_of_day(struct rtas *r, struct rtas_frame *f)
{
	int64_t ns;
	time_t secs;
	struct tm tm;

	pthread_mutex_lock(&r->lock);
	ns = r->ops.now_ns(r->ops.opaque) + r->tod_offset_ns;
	pthread_mutex_unlock(&r->lock);
	secs = (time_t)(ns / 1000000000);
	if (ns < 0 || !gmtime_r(&secs, &tm)) {
		rtas_status(f, RTAS_OUT_HW_ERROR);
		return;
	}
	rtas_status(f, RTAS_OUT_SUCCESS);
	rtas_ret(f, 1, (uint32_t)tm.tm_year + 1900);
	rtas_ret(f, 2, (uint32_t)tm.tm_mon + 1);
	rtas_ret(f, 3, (uint32_t)tm.tm_mday);
	rtas_ret(f, 4, (uint32_t)tm.tm_hour);
	rtas_ret(f, 5, (uint32_t)tm.tm_min);
	rtas_ret(f, 6, (uint32_t)tm.tm_sec);
	rtas_ret(f, 7, (uint32_t)(ns % 1000000000));
}

static void rtas_set_time_of_day(struct rtas *r, struct rtas_frame *f)
{
	uint32_t year = rtas_arg(f, 0), mon = rtas_arg(f, 1), day = rtas_arg(f, 2);
	uint32_t hour = rtas_arg(f, 3), min = rtas_arg(f, 4), sec = rtas_arg(f, 5);
	uint32_t ns = rtas_arg(f, 6);
	struct tm tm = {0};
	time_t t;

	if (year < 1970 || year > 9999 || mon < 1 || mon > 12 || day < 1 || day > 31 ||
	    hour > 23 || min > 59 || sec > 59 || ns > 999999999) {
		rtas_status(f, RTAS_OUT_PARAM_ERROR);
		return;
	}
	tm.tm_year = (int)year - 1900;
	tm.tm_mon = (int)mon - 1;
	tm.tm_mday = (int)day;
	tm.tm_hour = (int)hour;
	tm.tm_min = (int)min;
	tm.tm_sec = (int)sec;
	t = timegm(&tm);
	pthread_mutex_lock(&r->lock);
	r->tod_offset_ns = (int64_t)t * 1000000000 + ns - r->ops.now_ns(r->ops.opaque);
	pthread_mutex_unlock(&r->lock);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

static void rtas_power_off(struct rtas *r, struct rtas_frame *f)
{
	rtas_request(r, VMM_GUEST_POWEROFF);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

static void rtas_system_reboot(struct rtas *r, struct rtas_frame *f)
{
	rtas_request(r, VMM_GUEST_RESET);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

/* Linux's panic on pseries, when /rtas has ibm,extended-os-term: "OS terminated". */
static void rtas_os_term(struct rtas *r, struct rtas_frame *f)
{
	uint32_t addr = rtas_arg(f, 0);
	const char *msg = vmm_ram_ptr(r->ram, addr, 1);
	size_t room = msg ? (size_t)(r->ram->gpa + r->ram->size - addr) : 0;

	if (msg)
		pr_info("ibm,os-term: %.*s", (int)strnlen(msg, room < 256 ? room : 256), msg);
	rtas_request(r, VMM_GUEST_PANIC);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

/* No platform events: event-scan and check-exception find nothing. */
static void rtas_no_events(struct rtas *r, struct rtas_frame *f)
{
	rtas_status(f, RTAS_OUT_NO_ERRORS_FOUND);
}

static void rtas_query_cpu_stopped_state(struct rtas *r, struct rtas_frame *f)
{
	int state = r->ops.cpu_state(r->ops.opaque, rtas_arg(f, 0));

	if (state < 0) {
		rtas_status(f, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(f, RTAS_OUT_SUCCESS);
	rtas_ret(f, 1, (uint32_t)state);
}

static void rtas_start_cpu(struct rtas *r, struct rtas_frame *f)
{
	uint32_t cpu = rtas_arg(f, 0);

	if (r->ops.cpu_state(r->ops.opaque, cpu) < 0) {
		rtas_status(f, RTAS_OUT_PARAM_ERROR);
		return;
	}
	rtas_status(f, r->ops.start_cpu(r->ops.opaque, cpu, rtas_arg(f, 1), rtas_arg(f, 2)));
}

static void rtas_stop_self(struct rtas *r, struct rtas_frame *f)
{
	r->ops.stop_self(r->ops.opaque, f->caller);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

static void rtas_set_xive(struct rtas *r, struct rtas_frame *f)
{
	rtas_status(f, xics_set_xive(r->xics, rtas_arg(f, 0), rtas_arg(f, 1), rtas_arg(f, 2)));
}

static void rtas_get_xive(struct rtas *r, struct rtas_frame *f)
{
	uint32_t server, priority;
	int rc = xics_get_xive(r->xics, rtas_arg(f, 0), &server, &priority);

	rtas_status(f, rc);
	if (!rc) {
		rtas_ret(f, 1, server);
		rtas_ret(f, 2, priority);
	}
}

static void rtas_int_off(struct rtas *r, struct rtas_frame *f)
{
	rtas_status(f, xics_int_off(r->xics, rtas_arg(f, 0)));
}

static void rtas_int_on(struct rtas *r, struct rtas_frame *f)
{
	rtas_status(f, xics_int_on(r->xics, rtas_arg(f, 0)));
}

/* nvram-fetch and nvram-store: (offset, buffer, length) -> (status, bytes moved). */
static void rtas_nvram(struct rtas *r, struct rtas_frame *f, bool store)
{
	uint32_t offset = rtas_arg(f, 0), addr = rtas_arg(f, 1), len = rtas_arg(f, 2);
	uint8_t *buf = vmm_ram_ptr(r->ram, addr, len);

	if (offset > RTAS_NVRAM_SIZE || len > RTAS_NVRAM_SIZE - offset || !buf) {
		rtas_status(f, RTAS_OUT_PARAM_ERROR);
		rtas_ret(f, 1, 0);
		return;
	}
	pthread_mutex_lock(&r->lock);
	if (store)
		memcpy(r->nvram + offset, buf, len);
	else
		memcpy(buf, r->nvram + offset, len);
	pthread_mutex_unlock(&r->lock);
	rtas_status(f, RTAS_OUT_SUCCESS);
	rtas_ret(f, 1, len);
}

static void rtas_nvram_fetch(struct rtas *r, struct rtas_frame *f)
{
	rtas_nvram(r, f, false);
}

static void rtas_nvram_store(struct rtas *r, struct rtas_frame *f)
{
	rtas_nvram(r, f, true);
}

/* ibm,get-system-parameter (token, buffer, length): the value as a be16 length and its
 * bytes, cut to the buffer. */
static void rtas_get_system_parameter(struct rtas *r, struct rtas_frame *f)
{
	uint32_t param = rtas_arg(f, 0), addr = rtas_arg(f, 1), len = rtas_arg(f, 2);
	char val[160];
	size_t n;
	uint8_t *buf;

	switch (param) {
	case RTAS_SYSPARM_SPLPAR_CHARACTERISTICS:
		/* what Linux's lparcfg shows; QEMU's fields */
		n = (size_t)snprintf(val, sizeof(val),
				     "MaxEntCap=%u,DesMem=%" PRIu64 ",DesProcs=%u,MaxPlatProcs=%u",
				     r->nr_cpus * 100, r->ram_size >> 20, r->nr_cpus, r->nr_cpus) +
		    1;
		break;
	case RTAS_SYSPARM_DIAGNOSTICS_RUN_MODE:
		val[0] = 0; /* diagnostics never run */
		n = 1;
		break;
	default:
		rtas_status(f, RTAS_OUT_NOT_SUPPORTED);
		return;
	}
	buf = vmm_ram_ptr(r->ram, addr, len);
	if (!buf || len < 2) {
		rtas_status(f, RTAS_OUT_PARAM_ERROR);
		return;
	}
	if (n > len - 2)
		n = len - 2;
	vmm_store_be(buf, 2, n);
	memcpy(buf + 2, val, n);
	rtas_status(f, RTAS_OUT_SUCCESS);
}

/* PCI configuration space (PAPR+ 7.3.5): the config address is
 * (register bits 8-11) << 28 | bus << 16 | devfn << 8 | register bits 0-7, as Linux's
 * rtas_config_addr builds it. A call for no function, a width other than 1, 2 or 4, a
 * misaligned or out-of-range register is a hardware error (-1), as QEMU's spapr answers;
 * the ibm, forms name the bridge by its BUID (the PHB node's reg). */
static struct pci_function *rtas_pci_function(struct rtas *r, uint32_t addr, uint64_t buid,
					      bool by_buid, unsigned *reg)
{
	if (!r->phb || (by_buid && buid != r->phb->buid))
		return NULL;
	*reg = (addr & 0xff) | ((addr >> 20) & 0xf00);
	return pci_phb_find(r->phb, (addr >> 16) & 0xff, (addr >> 8) & 0xff);
}

static void rtas_pci_read(struct rtas *r, struct rtas_frame *f, uint32_t addr, uint64_t buid,
			  bool by_buid, uint32_t size)
{
	unsigned reg;
	uint32_t v = PCI_MISSING;
	struct pci_function *fn = rtas_pci_function(r, addr, buid, by_buid, &reg);

	if (!fn || pci_cfg_read(fn, reg, size, &v)) {
		rtas_status(f, RTAS_OUT_HW_ERROR);
		rtas_ret(f, 1, PCI_MISSING);
		return;
	}
	rtas_status(f, RTAS_OUT_SUCCESS);
	rtas_ret(f, 1, v);
}

static void rtas_pci_write(struct rtas *r, struct rtas_frame *f, uint32_t addr, uint64_t buid,
			   bool by_buid, uint32_t size, uint32_t value)
{
	unsigned reg;
	struct pci_function *fn = rtas_pci_function(r, addr, buid, by_buid, &reg);

	rtas_status(f, !fn || pci_cfg_write(fn, reg, size, value) ? RTAS_OUT_HW_ERROR
								  : RTAS_OUT_SUCCESS);
}

/* read-pci-config (addr, size) -> (status, value) */
static void rtas_read_pci_config(struct rtas *r, struct rtas_frame *f)
{
	rtas_pci_read(r, f, rtas_arg(f, 0), 0, false, rtas_arg(f, 1));
}

/* write-pci-config (addr, size, value) -> (status) */
static void rtas_write_pci_config(struct rtas *r, struct rtas_frame *f)
{
	rtas_pci_write(r, f, rtas_arg(f, 0), 0, false, rtas_arg(f, 1), rtas_arg(f, 2));
}

static uint64_t rtas_buid(const struct rtas_frame *f)
{
	return (uint64_t)rtas_arg(f, 1) << 32 | rtas_arg(f, 2);
}

/* ibm,read-pci-config (addr, buid hi, buid lo, size) -> (status, value) */
static void rtas_ibm_read_pci_config(struct rtas *r, struct rtas_frame *f)
{
	rtas_pci_read(r, f, rtas_arg(f, 0), rtas_buid(f), true, rtas_arg(f, 3));
}

/* ibm,write-pci-config (addr, buid hi, buid lo, size, value) -> (status) */
static void rtas_ibm_write_pci_config(struct rtas *r, struct rtas_frame *f)
{
	rtas_pci_write(r, f, rtas_arg(f, 0), rtas_buid(f), true, rtas_arg(f, 3), rtas_arg(f, 4));
}

struct rtas_call {
	const char *name;
	void (*fn)(struct rtas *r, struct rtas_frame *f);
	uint8_t min_args, max_args, nret; /* what PAPR gives the call */
};

/* The one table: tokens are RTAS_TOKEN_BASE + index. */
static const struct rtas_call rtas_calls[] = {
    {"display-character", rtas_display_character, 1, 1, 1},
    {"get-time-of-day", rtas_get_time_of_day, 0, 0, 8},
    {"set-time-of-day", rtas_set_time_of_day, 7, 7, 1},
    {"power-off", rtas_power_off, 2, 2, 1},
    {"system-reboot", rtas_system_reboot, 0, 0, 1},
    {"event-scan", rtas_no_events, 4, 4, 1},
    {"check-exception", rtas_no_events, 6, 7, 1},
    {"query-cpu-stopped-state", rtas_query_cpu_stopped_state, 1, 1, 2},
    {"start-cpu", rtas_start_cpu, 3, 3, 1},
    {"stop-self", rtas_stop_self, 0, 0, 1},
    {"ibm,set-xive", rtas_set_xive, 3, 3, 1},
    {"ibm,get-xive", rtas_get_xive, 1, 1, 3},
    {"ibm,int-off", rtas_int_off, 1, 1, 1},
    {"ibm,int-on", rtas_int_on, 1, 1, 1},
    {"nvram-fetch", rtas_nvram_fetch, 3, 3, 2},
    {"nvram-store", rtas_nvram_store, 3, 3, 2},
    {"ibm,os-term", rtas_os_term, 1, 1, 1},
    {"ibm,get-system-parameter", rtas_get_system_parameter, 3, 3, 1},
    {"read-pci-config", rtas_read_pci_config, 2, 2, 2},
    {"write-pci-config", rtas_write_pci_config, 3, 3, 1},
    {"ibm,read-pci-config", rtas_ibm_read_pci_config, 4, 4, 2},
    {"ibm,write-pci-config", rtas_ibm_write_pci_config, 5, 5, 1},
};
#define RTAS_NR_CALLS (sizeof(rtas_calls) / sizeof(rtas_calls[0]))

/* The NVRAM as firmware leaves it (SLOF under QEMU): one free-space partition over all of
 * it, so that Linux finds its layout and makes its own partitions (ibm,rtas-log,
 * lnx,oops-log) there; all zeros it reports "nvram corruption detected". A partition
 * header (nvram_64.c): signature, checksum, be16 length in 16-byte blocks, 12-byte name. */
#define NVRAM_SIG_FREE 0x7f
#define NVRAM_BLOCK    16u
static void rtas_nvram_format(uint8_t *nv)
{
	uint32_t len = RTAS_NVRAM_SIZE / NVRAM_BLOCK, sum = NVRAM_SIG_FREE + len, sum2;

	nv[0] = NVRAM_SIG_FREE;
	nv[2] = (uint8_t)(len >> 8);
	nv[3] = (uint8_t)len;
	memset(nv + 4, 'w', 12);
	/* Linux's checksum: the signature, the length and the name's six 16-bit words
	 * (0x7777 each, whatever the byte order), folded to 8 bits */
	sum += 6 * 0x7777u;
	sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
	sum2 = (sum >> 8) + (sum << 8);
	nv[1] = (uint8_t)((sum + sum2) >> 8);
}

void rtas_init(struct rtas *r, const struct vmm_ram *ram, struct xics *xics,
	       const struct rtas_ops *ops, uint32_t *requests, unsigned nr_cpus)
{
	memset(r, 0, sizeof(*r));
	r->ram = ram;
	r->xics = xics;
	r->ops = *ops;
	r->requests = requests;
	r->nr_cpus = nr_cpus;
	r->ram_size = ram->size;
	rtas_nvram_format(r->nvram);
	pthread_mutex_init(&r->lock, NULL);
}

void rtas_destroy(struct rtas *r)
{
	pthread_mutex_destroy(&r->lock);
}

long rtas_hcall(struct rtas *r, unsigned caller, uint64_t args, int *host_err)
{
	uint8_t *hdr = vmm_ram_ptr(r->ram, args, 12);
	struct rtas_frame f = {.caller = caller};
	const struct rtas_call *c;
	uint32_t token;

	*host_err = 0;
	if (!hdr)
		return SKVM_H_PARAMETER;
	token = (uint32_t)vmm_load_be(hdr, 4);
	f.nargs = (uint32_t)vmm_load_be(hdr + 4, 4);
	f.nret = (uint32_t)vmm_load_be(hdr + 8, 4);
	if (f.nargs > RTAS_MAX_CELLS || f.nret > RTAS_MAX_CELLS - f.nargs)
		return SKVM_H_PARAMETER;
	f.cells = vmm_ram_ptr(r->ram, args + 12, 4 * (f.nargs + f.nret));
	if (!f.cells)
		return SKVM_H_PARAMETER;
	if (token < RTAS_TOKEN_BASE || token - RTAS_TOKEN_BASE >= RTAS_NR_CALLS) {
		rtas_status(&f, RTAS_OUT_HW_ERROR);
		return SKVM_H_SUCCESS;
	}
	c = &rtas_calls[token - RTAS_TOKEN_BASE];
	if (f.nargs < c->min_args || f.nargs > c->max_args || f.nret != c->nret) {
		rtas_status(&f, RTAS_OUT_PARAM_ERROR);
		return SKVM_H_SUCCESS;
	}
	c->fn(r, &f);
	*host_err = f.host_err;
	return SKVM_H_SUCCESS;
}

void rtas_blob(uint8_t *buf)
{
	static const uint32_t code[RTAS_BLOB_SIZE / 4] = {
	    0x7c641b78,		   /* or r4,r3,r3: the argument buffer */
	    0x3c600000,		   /* lis r3,0 */
	    0x60630000 | SKVM_H_RTAS, /* ori r3,r3,SKVM_H_RTAS */
	    0x44000022,		   /* sc 1: to the hypervisor */
	    0x4e800020,		   /* blr */
	};

	for (unsigned i = 0; i < RTAS_BLOB_SIZE / 4; i++)
		vmm_store_be(buf + 4 * i, 4, code[i]);
}

int rtas_fdt_tokens(void *fdt, int node)
{
	for (unsigned i = 0; i < RTAS_NR_CALLS; i++) {
		int rc = fdt_setprop_u32(fdt, node, rtas_calls[i].name, RTAS_TOKEN_BASE + i);

		if (rc)
			return rc;
	}
	return 0;
}

uint32_t rtas_token(const char *name)
{
	for (unsigned i = 0; i < RTAS_NR_CALLS; i++)
		if (!strcmp(rtas_calls[i].name, name))
			return RTAS_TOKEN_BASE + i;
	return 0;
}
