// SPDX-License-Identifier: MIT
/* The PAPR hypercall dispatcher (see hcall.h). Checks and return codes are PAPR's, as QEMU's
 * hw/ppc/spapr_hcall.c and spapr_vty.c apply them. */
#include "papr/hcall.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/random.h>

#include "byteorder.h"
#include "papr/papr.h"

#define VPA_MIN_SIZE	       640 /* struct lppaca */
#define VPA_SIZE_OFFSET	       4
#define VPA_SHARED_PROC_OFFSET 9 /* lppaca.__old_status */
#define VPA_SHARED_PROC	       0x2
#define SLB_SHADOW_MIN_SIZE    8
#define DTL_MIN_SIZE	       48
#define DCACHE_LINE	       128 /* POWER8 */
#define PAGE_4K		       4096u

/* The vty's unit address, or 0: the one vty then, as QEMU's spapr and PowerVM take it (Linux's
 * early debug console on an LPAR writes to terminal 0). */
static bool papr_is_vty(uint64_t reg)
{
	return reg == PAPR_VTY_REG || reg == 0;
}

/* Up to 16 characters, packed big-endian into two registers. */
static long papr_put_term_char(struct papr *p, struct papr_hcall *h, int *host_err)
{
	uint8_t buf[16];
	uint64_t len = h->args[1];

	if (!papr_is_vty(h->args[0]))
		return SKVM_H_PARAMETER;
	if (len > sizeof(buf))
		return SKVM_H_PARAMETER;
	vmm_store_be(buf, 8, h->args[2]);
	vmm_store_be(buf + 8, 8, h->args[3]);
	*host_err = len ? p->console.write(p->console.opaque, buf, (size_t)len) : 0;
	return SKVM_H_SUCCESS;
}

static long papr_get_term_char(struct papr *p, struct papr_hcall *h, int *host_err)
{
	uint8_t buf[16] = {0};
	ssize_t n = 0;

	if (!papr_is_vty(h->args[0]))
		return SKVM_H_PARAMETER;
	if (p->console.read)
		n = p->console.read(p->console.opaque, buf, sizeof(buf));
	if (n < 0) {
		*host_err = (int)n;
		n = 0;
	}
	h->args[0] = (uint64_t)n;
	h->args[1] = vmm_load_be(buf, 8);
	h->args[2] = vmm_load_be(buf + 8, 8);
	return SKVM_H_SUCCESS;
}

/* SKVM_H_SET_MODE(mflags, resource, value1, value2): the hypervisor keeps the interrupt
 * byte order and AIL to itself (pr_papr.c); what reaches the VMM is CIABR or DAWR, and the
 * guest has no hardware breakpoints. */
static long papr_set_mode(struct papr *p, struct papr_hcall *h)
{
	(void)p;
	(void)h;
	return SKVM_H_P2;
}

static long papr_prod(struct papr *p, struct papr_hcall *h)
{
	if (h->args[0] >= p->nr_cpus)
		return SKVM_H_PARAMETER;
	p->ops.prod(p->ops.opaque, (unsigned)h->args[0]);
	return SKVM_H_SUCCESS;
}

/* The size field of an area the guest registers (be16 for the VPA, be32 otherwise). */
static long papr_area_size(struct papr *p, uint64_t addr, unsigned width, uint64_t *size)
{
	const uint8_t *f = vmm_ram_ptr(p->ram, addr + VPA_SIZE_OFFSET, width);

	if (!addr)
		return SKVM_H_HARDWARE;
	if (!f)
		return SKVM_H_PARAMETER;
	*size = vmm_load_be(f, width);
	return SKVM_H_SUCCESS;
}

/* SKVM_H_REGISTER_VPA(flags, cpu, address) */
static long papr_register_vpa(struct papr *p, struct papr_hcall *h)
{
	uint64_t func = h->args[0] >> H_VPA_FUNC_SHIFT, addr = h->args[2], size;
	struct papr_vpa *v;
	uint8_t *shared;
	long rc;

	if (h->args[0] & ((1ull << H_VPA_FUNC_SHIFT) - 1) || h->args[1] >= p->nr_cpus)
		return SKVM_H_PARAMETER;
	v = &p->vpa[h->args[1]];
	switch (func) {
	case H_VPA_REG_VPA:
		rc = papr_area_size(p, addr, 2, &size);
		if (rc)
			return rc;
		if (addr % DCACHE_LINE || size < VPA_MIN_SIZE ||
		    addr / PAGE_4K != (addr + size - 1) / PAGE_4K || !vmm_ram_ptr(p->ram, addr, size))
			return SKVM_H_PARAMETER;
		v->vpa = addr;
		/* a shared processor: Linux's spinlocks then confer to the lock holder */
		shared = vmm_ram_ptr(p->ram, addr + VPA_SHARED_PROC_OFFSET, 1);
		*shared |= VPA_SHARED_PROC;
		return SKVM_H_SUCCESS;
	case H_VPA_REG_SLB:
	case H_VPA_REG_DTL:
		rc = papr_area_size(p, addr, 4, &size);
		if (rc)
			return rc;
		if (size < (func == H_VPA_REG_SLB ? SLB_SHADOW_MIN_SIZE : DTL_MIN_SIZE) ||
		    (func == H_VPA_REG_SLB && addr / PAGE_4K != (addr + size - 1) / PAGE_4K) ||
		    !vmm_ram_ptr(p->ram, addr, size))
			return SKVM_H_PARAMETER;
		if (!v->vpa)
			return SKVM_H_RESOURCE;
		*(func == H_VPA_REG_SLB ? &v->slb_shadow : &v->dtl) = addr;
		return SKVM_H_SUCCESS;
	case H_VPA_DEREG_VPA:
		if (v->slb_shadow || v->dtl)
			return SKVM_H_RESOURCE;
		v->vpa = 0;
		return SKVM_H_SUCCESS;
	case H_VPA_DEREG_SLB:
		v->slb_shadow = 0;
		return SKVM_H_SUCCESS;
	case H_VPA_DEREG_DTL:
		v->dtl = 0;
		return SKVM_H_SUCCESS;
	default:
		return SKVM_H_PARAMETER;
	}
}

static long papr_random(struct papr_hcall *h, int *host_err)
{
	uint64_t v;
	ssize_t n;

	do
		n = getrandom(&v, sizeof(v), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(v)) {
		*host_err = n < 0 ? -errno : -EIO;
		return SKVM_H_HARDWARE;
	}
	h->args[0] = v;
	return SKVM_H_SUCCESS;
}

/* SKVM_H_LOGICAL_CI_LOAD(size, addr) / _STORE(size, addr, value): big-endian, as the guest's
 * cache-inhibited load or store would be (RAM or a device). */
static long papr_logical_ci(struct papr *p, struct papr_hcall *h, bool store, int *host_err)
{
	uint64_t size = h->args[0], addr = h->args[1];
	uint8_t data[8], *ram;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return SKVM_H_PARAMETER;
	if (addr % size)
		return SKVM_H_PARAMETER;
	if (store)
		vmm_store_be(data, (unsigned)size, h->args[2]);
	ram = vmm_ram_ptr(p->ram, addr, size);
	if (ram && store)
		memcpy(ram, data, size);
	else if (ram)
		memcpy(data, ram, size);
	else
		*host_err = vmm_bus_mmio(p->mmio, addr, data, (unsigned)size, store);
	if (!store)
		h->args[0] = vmm_load_be(data, (unsigned)size);
	return SKVM_H_SUCCESS;
}

/* The entry of the window for (liobn, ioba), or NULL (H_PARAMETER). */
static uint64_t *papr_tce_entry(struct papr *p, uint64_t liobn, uint64_t ioba)
{
	uint64_t i = ioba / PAGE_4K;

	if (!p->tce.entry || liobn != p->tce.liobn || i >= p->tce.nr)
		return NULL;
	return &p->tce.entry[i];
}

/* SKVM_H_PUT_TCE(liobn, ioba, tce) / SKVM_H_GET_TCE(liobn, ioba) */
static long papr_tce(struct papr *p, struct papr_hcall *h, bool put)
{
	uint64_t *e = papr_tce_entry(p, h->args[0], h->args[1]);

	if (!e)
		return SKVM_H_PARAMETER;
	if (put)
		__atomic_store_n(e, h->args[2], __ATOMIC_RELAXED);
	else
		h->args[0] = __atomic_load_n(e, __ATOMIC_RELAXED);
	return SKVM_H_SUCCESS;
}

int papr_hcall(struct papr *p, unsigned caller, struct papr_hcall *h)
{
	int host_err = 0;
	long ret;

	switch (h->nr) {
	case SKVM_H_PUT_TERM_CHAR:
		ret = papr_put_term_char(p, h, &host_err);
		break;
	case SKVM_H_GET_TERM_CHAR:
		ret = papr_get_term_char(p, h, &host_err);
		break;
	case SKVM_H_SET_MODE:
		ret = papr_set_mode(p, h);
		break;
	case SKVM_H_PROD:
		ret = papr_prod(p, h);
		break;
	case SKVM_H_CONFER:
		/* a hint to run the lock holder: each vcpu has its own host thread */
		ret = SKVM_H_SUCCESS;
		break;
	case SKVM_H_REGISTER_VPA:
		ret = papr_register_vpa(p, h);
		break;
	case H_GET_CPU_CHARACTERISTICS:
		/* A software core does not speculate: no barrier, flush or favour-security
		 * behaviour is needed, so Linux leaves every mitigation off. */
		h->args[0] = 0;
		h->args[1] = 0;
		ret = SKVM_H_SUCCESS;
		break;
	case SKVM_H_RANDOM:
		ret = papr_random(h, &host_err);
		break;
	case SKVM_H_LOGICAL_CI_LOAD:
	case SKVM_H_LOGICAL_CI_STORE:
		ret = papr_logical_ci(p, h, h->nr == SKVM_H_LOGICAL_CI_STORE, &host_err);
		break;
	case SKVM_H_PUT_TCE:
	case SKVM_H_GET_TCE:
		ret = papr_tce(p, h, h->nr == SKVM_H_PUT_TCE);
		break;
	case SKVM_H_RTAS:
		ret = rtas_hcall(p->rtas, caller, h->args[0], &host_err);
		break;
	case SKVM_H_CPPR:
		ret = xics_h_cppr(p->xics, caller, h->args[0]);
		break;
	case SKVM_H_EOI:
		ret = xics_h_eoi(p->xics, caller, h->args[0]);
		break;
	case SKVM_H_IPI:
		ret = xics_h_ipi(p->xics, h->args[0], h->args[1]);
		break;
	case SKVM_H_XIRR:
		ret = xics_h_xirr(p->xics, caller, &h->args[0]);
		break;
	case SKVM_H_XIRR_X:
		ret = xics_h_xirr(p->xics, caller, &h->args[0]);
		h->args[1] = p->ops.timebase(p->ops.opaque);
		break;
	case SKVM_H_IPOLL:
		ret = xics_h_ipoll(p->xics, h->args[0], &h->args[0], &h->args[1]);
		break;
	default:
		ret = SKVM_H_FUNCTION;
		break;
	}
	h->ret = (uint64_t)ret;
	return host_err;
}
