// SPDX-License-Identifier: MIT
/* The pseries device tree: what SLOF and QEMU's spapr would have left for the kernel, as far
 * as this board has it (see pseries.c). Properties are those Linux's pseries platform reads:
 * arch/powerpc/kernel/prom.c (cpu features, page sizes, RTAS), platforms/pseries/ (XICS,
 * the vty, NVRAM, RAS event sources), mm/book3s64/hash_utils.c (ibm,pft-size,
 * ibm,segment-page-sizes). */
#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boards/pseries.h"
#include "devtree.h"
#include "papr/hcall.h"
#include "papr/rtas.h"

#define PSERIES_CPU_HZ	 1000000000u /* what /proc/cpuinfo shows */
#define PSERIES_TB_HZ	 512000000u  /* POWER8's timebase */
#define PSERIES_L1_BYTES 32768u
#define PSERIES_LINE	 128u
#define PSERIES_PVR	 0x004d0200u /* POWER8 DD2.0 */


/* ibm,pa-features of an ISA 2.07 (POWER8) partition: a length byte, a zero, then the
 * feature bytes (PAPR+ "ibm,pa-features"; Linux reads them in prom.c ibm_pa_features). Byte
 * 0: MMU, FPU, SLB, RUN, DABR, no-execute; byte 1: ... cache-inhibited large pages; byte 5:
 * true little-endian; byte 22 (transactional memory) 0: the core has none, and Linux then
 * clears CPU_FTR_TM and PPC_FEATURE2_HTM(_NOSC) (tests/linux/test_pseries_shell.py reads
 * the guest's hwcaps); nothing at byte 40, so no radix MMU. */
static const uint8_t pseries_pa_features[26] = {
    24,	  0,	0xf6, 0x3f, 0xc7, 0xc0, 0x80, 0xf0, 0x80, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x80, 0x00, 0x80, 0x00, 0x00, 0x00};

/* The hypercalls the partition may make (PAPR+ "ibm,hypertas-functions"): only the sets
 * this hypervisor and VMM implement. pft: H_ENTER/H_REMOVE/H_PROTECT/H_READ (KVM); term:
 * the vty; interrupt: XICS; splpar: H_REGISTER_VPA, H_CEDE, H_CONFER, H_PROD; bulk:
 * H_BULK_REMOVE (KVM); set-mode: H_SET_MODE; tce: H_PUT_TCE, H_GET_TCE (the PHB's DMA
 * window). Their presence also tells Linux it runs in an
 * LPAR (FW_FEATURE_LPAR). */
static const char *const pseries_hypertas[] = {
    "hcall-pft", "hcall-term",	   "hcall-interrupt", "hcall-splpar",
    "hcall-bulk", "hcall-set-mode", "hcall-tce",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ibm,processor-segment-sizes: 256 MiB segments, and 1 TiB ones when KVM_PPC_GET_SMMU_INFO
 * says so; four cells, the -1s ending the list (as PAPR and QEMU write it). */
static int pseries_fdt_segment_sizes(void *fdt, int cpu, const struct skvm_ppc_smmu_info *smmu)
{
	uint32_t cells[4] = {28, 0xffffffff, 0xffffffff, 0xffffffff};

	if (smmu->flags & SKVM_PPC_1T_SEGMENTS)
		cells[1] = 40;
	return vmm_fdt_setprop_cells(fdt, cpu, "ibm,processor-segment-sizes", cells, N(cells));
}

/* ibm,segment-page-sizes, as QEMU's spapr writes KVM_PPC_GET_SMMU_INFO's answer: per base page
 * size <shift, SLB encoding, number of actual sizes, then shift and PTE encoding of each>. */
static int pseries_fdt_page_sizes(void *fdt, int cpu, const struct skvm_ppc_smmu_info *smmu)
{
	const char *name = "ibm,segment-page-sizes";
	int rc = fdt_setprop(fdt, cpu, name, NULL, 0);

	for (unsigned i = 0; !rc && i < SKVM_PPC_PAGE_SIZES_MAX_SZ; i++) {
		const struct skvm_ppc_one_seg_page_size *s = &smmu->sps[i];
		uint32_t n = 0;

		if (!s->page_shift)
			continue;
		while (n < SKVM_PPC_PAGE_SIZES_MAX_SZ && s->enc[n].page_shift)
			n++;
		rc = fdt_appendprop_u32(fdt, cpu, name, s->page_shift);
		if (!rc)
			rc = fdt_appendprop_u32(fdt, cpu, name, s->slb_enc);
		if (!rc)
			rc = fdt_appendprop_u32(fdt, cpu, name, n);
		for (unsigned j = 0; !rc && j < n; j++) {
			rc = fdt_appendprop_u32(fdt, cpu, name, s->enc[j].page_shift);
			if (!rc)
				rc = fdt_appendprop_u32(fdt, cpu, name, s->enc[j].pte_enc);
		}
	}
	return rc;
}

static int pseries_fdt_cpu(void *fdt, int cpus, unsigned id, const struct pseries_fdt_params *p)
{
	uint32_t pft[2] = {0, p->layout->htab_shift};
	uint32_t gserver[2] = {id, 0};
	int cpu, rc;
	char name[40];

	snprintf(name, sizeof(name), "PowerPC,POWER8@%x", id);
	cpu = fdt_add_subnode(fdt, cpus, name);
	if (cpu < 0)
		return cpu;
	rc = fdt_setprop_string(fdt, cpu, "device_type", "cpu");
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "reg", id);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "cpu-version", PSERIES_PVR);
	if (!rc)
		rc = fdt_setprop_string(fdt, cpu, "status", "okay");
	if (!rc)
		rc = fdt_setprop_empty(fdt, cpu, "64-bit");
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "clock-frequency", PSERIES_CPU_HZ);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "timebase-frequency", PSERIES_TB_HZ);
	/* cache geometry: Linux's cacheinfo and the dcbz/icbi loops use the block sizes */
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "d-cache-block-size", PSERIES_LINE);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "d-cache-line-size", PSERIES_LINE);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "i-cache-block-size", PSERIES_LINE);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "i-cache-line-size", PSERIES_LINE);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "d-cache-size", PSERIES_L1_BYTES);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "i-cache-size", PSERIES_L1_BYTES);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "slb-size", p->smmu->slb_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "ibm,slb-size", p->smmu->slb_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "ibm,vmx", 2); /* VMX and VSX */
	/* no "ibm,dfp" (QEMU's POWER8 has it): without it Linux leaves PPC_FEATURE_HAS_DFP out of
	 * AT_HWCAP, as the core has no decimal floating point (its instructions are illegal) */
	if (!rc)
		rc = pseries_fdt_segment_sizes(fdt, cpu, p->smmu);
	if (!rc)
		rc = pseries_fdt_page_sizes(fdt, cpu, p->smmu);
	if (!rc)
		rc = fdt_setprop(fdt, cpu, "ibm,pa-features", pseries_pa_features,
				 sizeof(pseries_pa_features));
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, cpu, "ibm,pft-size", pft, 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "ibm,chip-id", 0);
	/* one thread per core: the vcpu's XICS server is its id */
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "ibm,ppc-interrupt-server#s", id);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, cpu, "ibm,ppc-interrupt-gserver#s", gserver, 2);
	return rc;
}

static int pseries_fdt_cpus(void *fdt, const struct pseries_fdt_params *p)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus"), rc;

	if (cpus < 0)
		return cpus;
	rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	for (unsigned i = 0; !rc && i < p->nr_cpus; i++)
		rc = pseries_fdt_cpu(fdt, cpus, i, p);
	return rc;
}

static int pseries_fdt_memory(void *fdt, uint64_t size)
{
	int node = vmm_fdt_add_node(fdt, 0, "memory", 0), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "memory");
	return rc ? rc : vmm_fdt_setprop_reg(fdt, 0, node, 0, size);
}

/* /rtas: where the entry code is (Linux enters no firmware, so prom_init's
 * linux,rtas-base/-entry are ours to give), the tokens, what the platform offers. */
static int pseries_fdt_rtas(void *fdt, const struct pseries_layout *l)
{
	int node = fdt_add_subnode(fdt, 0, "rtas"), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_u32(fdt, node, "linux,rtas-base", (uint32_t)l->rtas_addr);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "linux,rtas-entry", (uint32_t)l->rtas_addr);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "rtas-size", (uint32_t)l->rtas_size);
	if (!rc)
		rc = vmm_fdt_setprop_strings(fdt, node, "ibm,hypertas-functions", pseries_hypertas,
					     N(pseries_hypertas));
	/* Linux's event-scan daemon wants a rate (scans per minute); 1, as QEMU */
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "rtas-event-scan-rate", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "rtas-error-log-max", 2048);
	/* a panic calls ibm,os-term: softkvm then exits with the panic status */
	if (!rc)
		rc = fdt_setprop_empty(fdt, node, "ibm,extended-os-term");
	if (!rc)
		rc = rtas_fdt_tokens(fdt, node);
	return rc;
}

/* /vdevice: the virtual I/O bus. The vty is hvc0 (hvc_vio, compatible hvterm1, its unit
 * address the H_PUT_TERM_CHAR term number); the NVRAM is what nvram-fetch/-store reach. */
static int pseries_fdt_vdevice(void *fdt)
{
	uint32_t vty_irq[2] = {PSERIES_IRQ_VTY, 1}; /* level: held while input waits */
	int vdev = fdt_add_subnode(fdt, 0, "vdevice"), vty, nvram, rc;

	if (vdev < 0)
		return vdev;
	rc = fdt_setprop_string(fdt, vdev, "device_type", "vdevice");
	if (!rc)
		rc = fdt_setprop_string(fdt, vdev, "compatible", "IBM,vdevice");
	if (!rc)
		rc = fdt_setprop_u32(fdt, vdev, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, vdev, "#size-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, vdev, "#interrupt-cells", 2);
	if (!rc)
		rc = fdt_setprop_empty(fdt, vdev, "interrupt-controller");
	if (rc)
		return rc;

	vty = vmm_fdt_add_node(fdt, vdev, "vty", PAPR_VTY_REG);
	if (vty < 0)
		return vty;
	rc = fdt_setprop_u32(fdt, vty, "reg", PAPR_VTY_REG);
	if (!rc)
		rc = fdt_setprop_string(fdt, vty, "device_type", "serial");
	if (!rc)
		rc = fdt_setprop_string(fdt, vty, "compatible", "hvterm1");
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, vty, "interrupts", vty_irq, 2);
	if (rc)
		return rc;

	nvram = vmm_fdt_add_node(fdt, vdev, "nvram", PAPR_VTY_REG + 1);
	if (nvram < 0)
		return nvram;
	rc = fdt_setprop_u32(fdt, nvram, "reg", PAPR_VTY_REG + 1);
	if (!rc)
		rc = fdt_setprop_string(fdt, nvram, "device_type", "nvram");
	if (!rc)
		rc = fdt_setprop_string(fdt, nvram, "compatible", "softkvm,nvram");
	if (!rc)
		rc = fdt_setprop_u32(fdt, nvram, "#bytes", RTAS_NVRAM_SIZE);
	return rc;
}

/* The presentation controller Linux's icp-hv driver looks for; the source controller is
 * reached through RTAS only (ics-rtas), so it has no node. */
static int pseries_fdt_xicp(void *fdt, unsigned nr_cpus)
{
	uint32_t servers[2] = {0, nr_cpus};
	int node = fdt_add_subnode(fdt, 0, "interrupt-controller"), rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type",
				"PowerPC-External-Interrupt-Presentation");
	if (!rc)
		rc = fdt_setprop_string(fdt, node, "compatible", "IBM,ppc-xicp");
	if (!rc)
		rc = fdt_setprop_empty(fdt, node, "interrupt-controller");
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, node, "ibm,interrupt-server-ranges", servers, 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#address-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", PSERIES_PHANDLE_XICP);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "linux,phandle", PSERIES_PHANDLE_XICP);
	return rc;
}

/* RAS: the EPOW (environmental and power warning) source Linux's ras.c requests; it never
 * fires (softkvm has no power supply to fail). */
static int pseries_fdt_event_sources(void *fdt)
{
	uint32_t range[2] = {PSERIES_IRQ_EPOW, 1}, irq[2] = {PSERIES_IRQ_EPOW, 0};
	int node = fdt_add_subnode(fdt, 0, "event-sources"), epow, rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_empty(fdt, node, "interrupt-controller");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#address-cells", 0);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, node, "interrupt-ranges", range, 2);
	if (rc)
		return rc;
	epow = fdt_add_subnode(fdt, node, "epow-events");
	return epow < 0 ? epow : vmm_fdt_setprop_cells(fdt, epow, "interrupts", irq, 2);
}

/* H_RANDOM's advertisement: Linux's pseries rng.c then seeds from it. */
static int pseries_fdt_rng(void *fdt)
{
	int node = fdt_add_subnode(fdt, 0, "ibm,random-v1");

	return node < 0 ? node : fdt_setprop_string(fdt, node, "compatible", "ibm,random-v1");
}

int pseries_fdt_build(const struct pseries_fdt_params *p, void **out, struct vmm_err *err)
{
	/* softkvm's own, then QEMU's: programs written for QEMU's pseries find theirs */
	static const char *const compatible[] = {"softkvm,pseries", "qemu,pseries"};
	const struct pseries_layout *l = p->layout;
	void *fdt;
	int rc;

	rc = vmm_fdt_create(&fdt, err);
	if (rc)
		return rc;
	/* what stays the guest's: RTAS (entered in real mode), the tree, the initrd */
	rc = fdt_add_mem_rsv(fdt, l->rtas_addr, l->rtas_size);
	if (!rc)
		rc = fdt_add_mem_rsv(fdt, l->fdt_addr, VMM_FDT_SIZE);
	if (!rc && l->initrd_size)
		rc = fdt_add_mem_rsv(fdt, l->initrd_addr, l->initrd_size);
	if (!rc)
		rc = fdt_setprop_u32(fdt, 0, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, 0, "#size-cells", 2);
	/* "chrp": what Linux's pSeries_probe checks */
	if (!rc)
		rc = fdt_setprop_string(fdt, 0, "device_type", "chrp");
	if (!rc)
		rc = fdt_setprop_string(fdt, 0, "model", "softkvm pseries (PAPR partition, POWER8)");
	if (!rc)
		rc = vmm_fdt_setprop_strings(fdt, 0, "compatible", compatible, 2);
	if (!rc)
		rc = pseries_fdt_cpus(fdt, p);
	if (!rc)
		rc = pseries_fdt_memory(fdt, p->ram_size);
	if (!rc)
		rc = pseries_fdt_rtas(fdt, l);
	if (!rc)
		rc = pseries_fdt_vdevice(fdt);
	if (!rc)
		rc = pseries_fdt_xicp(fdt, p->nr_cpus);
	if (!rc)
		rc = pseries_fdt_event_sources(fdt);
	if (!rc)
		rc = pseries_fdt_rng(fdt);
	if (!rc && p->phb)
		rc = pseries_fdt_phb(fdt, p->phb);
	if (rc) {
		free(fdt);
		return vmm_err_set(err, rc == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL,
				   "device tree: cannot build the pseries nodes: %s",
				   fdt_strerror(rc));
	}
	if (p->pv) {
		rc = vmm_fdt_add_hypervisor(fdt, p->pv, err);
		if (rc) {
			free(fdt);
			return rc;
		}
	}
	*out = fdt;
	return 0;
}
