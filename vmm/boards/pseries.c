// SPDX-License-Identifier: MIT
/* The pseries board (see pseries.h): a PAPR partition as QEMU 7.2's pseries machine gives it
 * to a kernel, entered without firmware.
 *
 * Entry (issue 10; kexec's and QEMU's conventions): the vcpu starts in 64-bit big-endian
 * real mode (MSR[SF]; the kernel's first instructions switch a little-endian kernel to LE)
 * at the entry point, r3 = the device tree, r4 = the kernel's load address, r5 = 0 (no Open
 * Firmware client interface: Linux skips prom_init and takes the tree as it is).
 *
 * RAM layout (guest-physical), QEMU spapr's where it has one:
 *   kernel   an ELF at PSERIES_KERNEL_BASE + (p_paddr & 0x0fffffff) (QEMU's
 *            translate_kernel_address; vmlinux, p_paddr 0, lands at 4 MiB and copies itself
 *            down to 0), a flat binary at PSERIES_KERNEL_BASE
 *   initrd   the first 64 KiB boundary after the kernel
 *   RTAS     one page at rma_top - 1 MiB - 4 KiB: the 20-byte entry code (rtas.h)
 *   tree     at rma_top - 1 MiB (room for the largest tree), rma_top = min(RAM, 1 GiB):
 *            what Linux's hash MMU maps from the start (ppc64_rma_size)
 * The tree reserves (/memreserve/) RTAS, itself and the initrd.
 *
 * The hashed page table is 1/128 of RAM rounded up to a power of two, at least 256 KiB
 * (ibm,pft-size; QEMU's rule), kept outside guest RAM by the hypervisor as with KVM PR.
 *
 * Interrupts: XICS (papr/xics.h) with sources 0x1000-0x13ff: 0x1000 the EPOW event source,
 * 0x1100 the vty. Console: the vty (hvc0) through H_PUT_TERM_CHAR / H_GET_TERM_CHAR.
 *
 * virtio: Linux 6.1's pseries platform never creates platform devices from the device tree
 * (drivers/of/platform.c's default populate does nothing on PPC but displays, and
 * arch/powerpc/platforms/pseries/ populates no bus), so virtio,mmio nodes would be ignored
 * whatever their addresses: virtio-console, virtio-rng (always there, as on the 440) and
 * --disk, --share, --net and --vsock are virtio-pci functions (virtio/pci.h,
 * pseries_virtio.c) on one PAPR PHB (pci/pci.h, pseries_pci.c), as QEMU's spapr has them:
 * config space through RTAS (papr/rtas.c), BARs assigned here in the PHB's 32-bit window
 * (an MMIO region on the machine's bus), INTA-INTD on XICS sources 0x1200-0x1203.
 *
 * The VM is a SKVM_VM_PPC_PR (Book3S PR hypervisor) with PAPR on: the guest's HPT hcalls,
 * H_CEDE and H_SET_MODE's LE and AIL stay in the hypervisor; the rest come out as SKVM_EXIT_PAPR_HCALL
 * to papr/hcall.c (console, RTAS, XICS...), which the shared vcpu loop hands to the board.
 * XICS drives each vcpu's external input as a level (skvm_vcpu_interrupt); server n is vcpu
 * n. SMP (--cpus): vcpu 0 runs the machine's loop; the others (pseries_smp.c) wait on their
 * own threads, stopped, until RTAS start-cpu.
 *
 * The vty's input: the console's bytes wait in a small buffer of the board's, and source
 * 0x1100 is held while it is not empty, as a level (H_GET_TERM_CHAR drains it).
 */
#include "boards/pseries.h"
#include "boot_files.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "devtree.h"
#include "guest_mem.h"
#include "loader.h"
#include "log.h"
#include "papr/hcall.h"
#include "papr/papr.h"
#include "papr/rtas.h"
#include "ram.h"
#include "softkvm/ppc.h"
#include "virtio/pci.h"
#include "boards/pseries_smp.h"

#define PSERIES_RMA_MAX	    (1ull << 30)
#define PSERIES_FDT_ROOM    (1ull << 20)
#define PSERIES_RTAS_SIZE   4096u
#define PSERIES_INITRD_ALIGN (64u << 10)
#define PSERIES_HTAB_MIN_SHIFT 18
/* Where the hashed page table's own memory slot lies: above the largest RAM and below the
 * hypervisor's guest-physical limit (64 GiB), never in the guest's memory map. */
#define PSERIES_HPT_GPA (32ull << 30)
#define PSERIES_VTY_BUF 256u

#define PSERIES_LPCR_ILE (1ull << 25)

struct pseries_board {
	struct vmm_machine m;
	struct vmm_boot_files files;
	void *fdt; /* packed */
	struct vmm_ram ram;
	struct pseries_layout layout;
	unsigned nr_cpus;
	struct pci_phb phb;
	struct virtio_pci *vpci[PSERIES_MAX_VIRTIO];
	unsigned nr_vpci;
	struct vmm_guest_mem gmem; /* RAM as the virtio devices reach it */
	uint64_t tce[PSERIES_DMA_WINDOW / 4096]; /* the PHB's DMA window (H_PUT_TCE) */

	uint8_t *hpt; /* the hashed page table's slot (aligned to its size) */
	uint64_t hpt_bytes;
	struct vmm_chardev console;
	struct xics xics;
	struct rtas rtas;
	struct papr papr;
	bool xics_ready, rtas_ready;
	struct skvm_vcpu *vcpus[PSERIES_MAX_CPUS]; /* vcpus[0] is m.vcpu */
	struct pseries_smp smp;
	uint64_t lpcr; /* the partition's LPCR as RTAS last saw it (start-cpu copies it) */
	bool stop_self[PSERIES_MAX_CPUS]; /* RTAS stop-self of that vcpu, being carried out */
	/* console input for H_GET_TERM_CHAR (any vcpu's thread: vty_lock) */
	pthread_mutex_t vty_lock;
	uint8_t vty_buf[PSERIES_VTY_BUF];
	unsigned vty_len;
};

static struct pseries_board *to_board(struct vmm_machine *m)
{
	return vmm_container_of(m, struct pseries_board, m);
}

uint32_t pseries_htab_shift(uint64_t ram_size)
{
	uint32_t shift = 0;

	while (shift < 63 && (1ull << shift) < ram_size)
		shift++;
	shift = shift > 7 ? shift - 7 : 0;
	return shift < PSERIES_HTAB_MIN_SHIFT ? PSERIES_HTAB_MIN_SHIFT : shift;
}

static void pseries_destroy(struct vmm_machine *m)
{
	struct pseries_board *b;

	if (!m)
		return;
	b = to_board(m);
	pseries_smp_destroy(&b->smp); /* the secondaries' threads first: they use everything */
	pseries_remove_virtio(b->vpci, b->nr_vpci);
	if (m->vm)
		skvm_vm_destroy(m->vm);
	if (b->rtas_ready)
		rtas_destroy(&b->rtas);
	if (b->xics_ready)
		xics_destroy(&b->xics);
	free(b->hpt);
	pthread_mutex_destroy(&b->vty_lock);
	vmm_ram_free(&b->ram);
	vmm_bus_destroy(&m->mmio);
	vmm_bus_destroy(&m->dcr);
	vmm_boot_files_free(&b->files);
	free(b->fdt);
	free(b);
}

static int pseries_load_images(struct pseries_board *b, struct vmm_err *err);

/* ---- the vty ---- */

/* Source 0x1100 follows the buffer: held while input waits. */
static void pseries_vty_update(struct pseries_board *b)
{
	(void)xics_set_irq(&b->xics, PSERIES_IRQ_VTY, b->vty_len != 0);
}

/* The console's waiting input into the buffer's room (vty_lock held): 0 or the console's
 * negative errno. */
static int pseries_vty_pull(struct pseries_board *b)
{
	ssize_t n = 0;

	if (b->console.read && b->vty_len < PSERIES_VTY_BUF)
		n = b->console.read(b->console.opaque, b->vty_buf + b->vty_len,
				    PSERIES_VTY_BUF - b->vty_len);
	if (n > 0)
		b->vty_len += (unsigned)n;
	pseries_vty_update(b);
	return n < 0 ? (int)n : 0;
}

/* H_GET_TERM_CHAR's read: from the buffer, which the console refills once it is empty --
 * the console's wake-up came once, for input longer than the buffer too (a pasted line). */
static ssize_t pseries_vty_read(void *opaque, uint8_t *buf, size_t len)
{
	struct pseries_board *b = opaque;
	size_t n;

	pthread_mutex_lock(&b->vty_lock);
	n = len < b->vty_len ? len : b->vty_len;
	memcpy(buf, b->vty_buf, n);
	memmove(b->vty_buf, b->vty_buf + n, b->vty_len - n);
	b->vty_len -= (unsigned)n;
	if (!b->vty_len)
		(void)pseries_vty_pull(b); /* a failure ends input: poll reports it */
	else
		pseries_vty_update(b);
	pthread_mutex_unlock(&b->vty_lock);
	return (ssize_t)n;
}

static int pseries_vty_write(void *opaque, const uint8_t *buf, size_t len)
{
	struct pseries_board *b = opaque;

	return b->console.write ? b->console.write(b->console.opaque, buf, len) : 0;
}

/* After a kick: the console's input into the buffer. */
static int pseries_poll(struct vmm_machine *m, struct vmm_err *err)
{
	struct pseries_board *b = to_board(m);
	int rc;

	pthread_mutex_lock(&b->vty_lock);
	rc = pseries_vty_pull(b);
	pthread_mutex_unlock(&b->vty_lock);
	if (rc)
		return vmm_err_set(err, rc, "vty: console input failed: %s", strerror(-rc));
	return 0;
}

/* ---- what XICS, RTAS and the hypercalls ask of the board ---- */

static void pseries_xics_output(void *opaque, unsigned server, bool level)
{
	struct pseries_board *b = opaque;

	if (server < b->nr_cpus)
		(void)skvm_vcpu_interrupt(b->vcpus[server],
					  level ? SKVM_INTERRUPT_SET_LEVEL : SKVM_INTERRUPT_UNSET, 0);
}

/* The PHB's INTx lines (device threads): XICS sources. */
static int pseries_set_irq(void *opaque, unsigned line, bool level)
{
	struct pseries_board *b = opaque;

	return xics_set_irq(&b->xics, line, level);
}

static int pseries_rtas_put_char(void *opaque, uint8_t c)
{
	return pseries_vty_write(opaque, &c, 1);
}

static int pseries_rtas_cpu_state(void *opaque, uint32_t cpu)
{
	struct pseries_board *b = opaque;

	return pseries_smp_state(&b->smp, cpu);
}

static int pseries_rtas_start_cpu(void *opaque, uint32_t cpu, uint64_t entry, uint64_t r3)
{
	struct pseries_board *b = opaque;

	return pseries_smp_start(&b->smp, cpu, entry, r3, __atomic_load_n(&b->lpcr, __ATOMIC_RELAXED));
}

/* On the caller's thread, in its hypercall: the vcpu stops once the call has returned. */
static void pseries_rtas_stop_self(void *opaque, unsigned cpu)
{
	struct pseries_board *b = opaque;

	b->stop_self[cpu] = true;
}

static int64_t pseries_now_ns(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void pseries_prod(void *opaque, unsigned cpu)
{
	struct pseries_board *b = opaque;

	/* a kick ends H_CEDE (as a signal ends KVM PR's); a running vcpu just exits once */
	if (cpu < b->nr_cpus)
		skvm_vcpu_kick(b->vcpus[cpu]);
}

static uint64_t pseries_timebase(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) * 64 / 125;
}

static int pseries_papr_hcall(struct vmm_machine *m, unsigned cpu, struct skvm_run *run,
			      struct vmm_err *err)
{
	struct pseries_board *b = to_board(m);
	struct papr_hcall h;
	uint64_t lpcr;
	int rc;

	memcpy(&h, &run->papr_hcall, sizeof(h));
	/* The hypervisor keeps H_SET_MODE(LE) to itself: the partition's interrupt byte
	 * order is read from the vcpu making an RTAS call (its own, so not running), for
	 * start-cpu to give to the vcpus it starts. */
	if (h.nr == SKVM_H_RTAS && !skvm_vcpu_get_one_reg(b->vcpus[cpu], SKVM_REG_PPC_LPCR_64, &lpcr))
		__atomic_store_n(&b->lpcr, lpcr, __ATOMIC_RELAXED);
	rc = papr_hcall(&b->papr, cpu, &h);
	memcpy(&run->papr_hcall, &h, sizeof(h));
	if (rc)
		return vmm_err_set(err, rc, "hypercall 0x%" PRIx64 " failed: %s", h.nr,
				   strerror(-rc));
	if (b->stop_self[cpu]) {
		b->stop_self[cpu] = false;
		return VMM_VCPU_STOPS;
	}
	return 0;
}

/* ---- power-on ---- */

/* Every vcpu's timebase starts again from 0, the same for all (the 440's way: TB_OFFSET is
 * its one writer). */
static int pseries_reset_timebase(struct pseries_board *b)
{
	uint64_t offset = 0 - pseries_timebase(NULL);
	int rc = 0;

	for (unsigned i = 0; !rc && i < b->nr_cpus; i++)
		rc = skvm_vcpu_set_one_reg(b->vcpus[i], SKVM_REG_PPC_TB_OFFSET, &offset);
	return rc;
}

/* The vcpus as at power-on (the secondaries stopped: pseries_smp_stop_all), an empty HPT
 * and SLB, vcpu 0 at the kernel's entry (see the top of the file). */
static int pseries_reset_vcpus(struct pseries_board *b, struct vmm_err *err)
{
	struct skvm_sregs sregs;
	int rc = 0;

	memset(b->hpt, 0, b->hpt_bytes);
	for (unsigned i = 0; !rc && i < b->nr_cpus; i++) {
		rc = skvm_vcpu_get_sregs(b->vcpus[i], &sregs);
		if (!rc) {
			memset(&sregs.u.s.ppc64, 0, sizeof(sregs.u.s.ppc64));
			sregs.u.s.sdr1 =
			    PSERIES_HPT_GPA | (b->layout.htab_shift - PSERIES_HTAB_MIN_SHIFT);
			rc = skvm_vcpu_set_sregs(b->vcpus[i], &sregs);
		}
	}
	if (!rc)
		rc = pseries_reset_timebase(b);
	if (rc)
		return vmm_err_set(err, rc, "cannot reset the vcpus' special registers: %s",
				   strerror(-rc));
	b->lpcr = 0;
	rc = pseries_vcpu_enter(b->m.vcpu, b->layout.entry, b->layout.fdt_addr,
				b->layout.kernel_low, 0);
	if (rc)
		return vmm_err_set(err, rc, "cannot set the vcpu's registers: %s", strerror(-rc));
	return 0;
}

static int pseries_reset(struct vmm_machine *m, struct vmm_err *err)
{
	struct pseries_board *b = to_board(m);
	int rc;

	pseries_smp_stop_all(&b->smp);
	vmm_bus_reset(&m->mmio);
	pci_phb_reset(&b->phb); /* and the virtio devices behind it */
	memset(b->tce, 0, sizeof(b->tce));
	m->guest_requests = 0;
	xics_reset(&b->xics);
	pthread_mutex_lock(&b->vty_lock);
	b->vty_len = 0;
	pseries_vty_update(b);
	pthread_mutex_unlock(&b->vty_lock);
	rc = pseries_load_images(b, err);
	if (rc)
		return rc;
	rc = skvm_vm_flush_icache(m->vm, b->ram.gpa, b->ram.size);
	if (rc)
		return vmm_err_set(err, rc, "cannot flush the decoded code: %s", strerror(-rc));
	rc = pseries_reset_vcpus(b, err);
	if (rc)
		return rc;
	m->run->immediate_exit = 0;
	pr_info("%s: 0x%08" PRIx64 "-0x%08" PRIx64 ", entry 0x%08" PRIx64, b->files.kernel,
		b->layout.kernel_low, b->layout.kernel_high - 1, b->layout.entry);
	pr_info("device tree at 0x%08" PRIx64 " (%u bytes), RTAS at 0x%08" PRIx64,
		b->layout.fdt_addr, fdt_totalsize(b->fdt), b->layout.rtas_addr);
	return 0;
}

static const struct vmm_machine_ops pseries_machine_ops = {
    .name = "pseries",
    .reset = pseries_reset,
    .poll = pseries_poll,
    .papr_hcall = pseries_papr_hcall,
    .destroy = pseries_destroy,
};

/* The kernel file into RAM: a 64-bit ELF of either byte order, else a flat binary. */
static int pseries_load_kernel(struct pseries_board *b, struct vmm_elf_info *info,
			       struct vmm_err *err)
{
	static const struct vmm_elf_place place = {
	    .accept = VMM_ELF_PPC64, .mask = PSERIES_KERNEL_MASK, .base = PSERIES_KERNEL_BASE};

	if (vmm_is_elf(b->files.kernel_image, b->files.kernel_size))
		return vmm_elf_load_placed(b->files.kernel_image, b->files.kernel_size, b->files.kernel, &place,
					   &b->ram, info, err);
	return vmm_flat_load(b->files.kernel_image, b->files.kernel_size, b->files.kernel, PSERIES_KERNEL_BASE,
			     &b->ram, info, err);
}

/* Where everything goes (see the top of the file), checked against RAM. */
static int pseries_layout(struct pseries_board *b, const struct vmm_elf_info *info,
			  struct vmm_err *err)
{
	struct pseries_layout *l = &b->layout;
	uint64_t rma_top = b->ram.size < PSERIES_RMA_MAX ? b->ram.size : PSERIES_RMA_MAX;
	char sz[32], rs[32];

	l->kernel_low = info->low;
	l->kernel_high = info->high;
	l->entry = info->entry;
	l->fdt_addr = rma_top - PSERIES_FDT_ROOM;
	l->rtas_addr = l->fdt_addr - PSERIES_RTAS_SIZE;
	l->rtas_size = PSERIES_RTAS_SIZE;
	l->htab_shift = pseries_htab_shift(b->ram.size);
	l->initrd_size = b->files.initrd_size;
	l->initrd_addr = (info->high + PSERIES_INITRD_ALIGN - 1) & ~(uint64_t)(PSERIES_INITRD_ALIGN - 1);
	if (info->high > l->rtas_addr)
		return vmm_err_set(err, -ENOSPC,
				   "%s ends at 0x%08" PRIx64 ": no room for RTAS and the device tree "
				   "below 0x%08" PRIx64 " in %s of RAM (use a larger --memory)",
				   b->files.kernel, info->high, l->rtas_addr,
				   vmm_format_size(b->ram.size, rs, sizeof(rs)));
	if (b->files.initrd_size && l->initrd_addr + b->files.initrd_size > l->rtas_addr)
		return vmm_err_set(err, -EFBIG,
				   "%s (%s) does not fit between the kernel (0x%08" PRIx64
				   ") and RTAS (0x%08" PRIx64 ") in %s of RAM (use a larger --memory)",
				   b->files.initrd, vmm_format_size(b->files.initrd_size, sz, sizeof(sz)),
				   l->initrd_addr, l->rtas_addr,
				   vmm_format_size(b->ram.size, rs, sizeof(rs)));
	return 0;
}

/* Guest RAM as the vcpu finds it at power-on: the kernel (again: a reboot must not keep what
 * the guest did to it), the initrd, RTAS's entry code, the tree. The layout is checked. */
static int pseries_load_images(struct pseries_board *b, struct vmm_err *err)
{
	struct vmm_elf_info info;
	const struct pseries_layout *l = &b->layout;
	int rc = pseries_load_kernel(b, &info, err);

	if (rc)
		return rc;
	if (b->files.initrd_size)
		memcpy(vmm_ram_ptr(&b->ram, l->initrd_addr, b->files.initrd_size), b->files.initrd_image,
		       b->files.initrd_size);
	memset(vmm_ram_ptr(&b->ram, l->rtas_addr, l->rtas_size), 0, l->rtas_size);
	rtas_blob(vmm_ram_ptr(&b->ram, l->rtas_addr, RTAS_BLOB_SIZE));
	memcpy(vmm_ram_ptr(&b->ram, l->fdt_addr, fdt_totalsize(b->fdt)), b->fdt,
	       fdt_totalsize(b->fdt));
	return 0;
}

/* The ePAPR hypercall sequence for /hypervisor, as the PR VM gives it (KVM gives every PR
 * guest the same one: powerpc.c kvm_vm_ioctl_get_pvinfo). */
static int pseries_pvinfo(struct pseries_board *b, struct skvm_ppc_pvinfo *pv,
			  struct vmm_err *err)
{
	int rc = skvm_vm_get_pvinfo(b->m.vm, pv);

	if (rc)
		return vmm_err_set(err, rc, "cannot read the hypercall sequence: %s",
				   strerror(-rc));
	return 0;
}

/* Builds (or, with --dtb, reads) the tree, fills /chosen and packs it. */
static int pseries_build_fdt(struct pseries_board *b, const struct pseries_config *cfg,
			     struct vmm_err *err)
{
	struct skvm_ppc_pvinfo pv;
	struct skvm_ppc_smmu_info smmu;
	/* no PCI host bridge without functions: nothing to probe, no DMA window to set up */
	struct pseries_fdt_params p = {.ram_size = b->ram.size,
				       .nr_cpus = b->nr_cpus,
				       .layout = &b->layout,
				       .smmu = &smmu,
				       .phb = b->nr_vpci ? &b->phb : NULL};
	struct vmm_fdt_chosen chosen = {
	    .bootargs = cfg->cmdline,
	    .initrd_start = b->layout.initrd_addr,
	    .initrd_end = b->layout.initrd_addr + b->files.initrd_size,
	    .stdout_path = cfg->dtb ? NULL : PSERIES_VTY_PATH,
	};
	int rc;

	if (cfg->dtb) {
		rc = vmm_fdt_load(cfg->dtb, &b->fdt, err);
	} else {
		if (!cfg->no_paravirt) {
			rc = pseries_pvinfo(b, &pv, err);
			if (rc)
				return rc;
			p.pv = &pv;
		}
		rc = skvm_vm_get_smmu_info(b->m.vm, &smmu);
		if (rc)
			return vmm_err_set(err, rc, "cannot read the MMU's page sizes: %s",
					   strerror(-rc));
		rc = pseries_fdt_build(&p, &b->fdt, err);
		if (!chosen.bootargs)
			chosen.bootargs = ""; /* as QEMU */
	}
	if (!rc)
		rc = vmm_fdt_set_chosen(b->fdt, &chosen, err);
	if (!rc)
		rc = cfg->dtb ? vmm_fdt_finish(b->fdt, err) : vmm_fdt_finish_built(b->fdt, err);
	if (!rc && cfg->dtb && fdt_totalsize(b->fdt) > PSERIES_FDT_ROOM)
		rc = vmm_err_set(err, -EFBIG, "%s: the device tree is larger than %llu bytes",
				 cfg->dtb, (unsigned long long)PSERIES_FDT_ROOM);
	return rc;
}

/* The PHB and its functions: the console and the rng, then in command-line order by kind
 * disks, shares, NICs, vsock. */
static int pseries_add_pci(struct pseries_board *b, const struct pseries_config *cfg,
			   struct vmm_err *err)
{
	struct vmm_irq intx[4];
	int rc;

	/* XICS sources as the tree names them (level: <source 1>, as the vty's) */
	for (unsigned i = 0; i < 4; i++)
		intx[i] = (struct vmm_irq){.set = pseries_set_irq,
					   .opaque = b,
					   .line = PSERIES_IRQ_LSI + i,
					   .fdt_parent = PSERIES_PHANDLE_XICP,
					   .fdt_sense = 1};
	pci_phb_init(&b->phb, PSERIES_PHB_BUID, PSERIES_PHB_MEM_GPA, PSERIES_PHB_MEM_PCI,
		     PSERIES_PHB_MEM_SIZE, intx);
	rc = pci_phb_attach(&b->phb, &b->m.mmio);
	if (rc)
		return vmm_err_set(err, rc, "cannot map the PCI window: %s", strerror(-rc));
	if (!rc)
		rc = pseries_add_virtio(cfg, &b->console, &b->phb, b->vpci, &b->nr_vpci, err);
	/* the devices' threads and their queue notifications in the hypervisor (ioeventfds) */
	b->gmem = (struct vmm_guest_mem){.region = {&b->ram}, .nr = 1};
	for (unsigned i = 0; !rc && i < b->nr_vpci; i++)
		rc = virtio_pci_start(
		    b->vpci[i], &(struct virtio_host){.vm = b->m.vm, .mem = &b->gmem, .mmio = &b->m.mmio},
		    err);
	return rc;
}

/* The PR VM: RAM in slot 0, the hashed page table in slot 1, the vcpus with PAPR on, the
 * secondaries' threads. */
static int pseries_create_vm(struct pseries_board *b, struct vmm_err *err)
{
	struct skvm_userspace_memory_region ram = {
	    .slot = 0,
	    .guest_phys_addr = b->ram.gpa,
	    .memory_size = b->ram.size,
	    .userspace_addr = b->ram.host,
	};
	struct skvm_userspace_memory_region hpt;
	int rc;

	b->hpt_bytes = 1ull << b->layout.htab_shift;
	b->hpt = aligned_alloc(b->hpt_bytes, b->hpt_bytes);
	if (!b->hpt)
		return vmm_err_set(err, -ENOMEM, "cannot allocate the hashed page table");
	hpt = (struct skvm_userspace_memory_region){
	    .slot = 1,
	    .guest_phys_addr = PSERIES_HPT_GPA,
	    .memory_size = b->hpt_bytes,
	    .userspace_addr = b->hpt,
	};
	b->m.vm_type = SKVM_VM_PPC_PR;
	rc = skvm_vm_create(b->m.vm_type, &b->m.vm);
	if (rc)
		return vmm_err_set(err, rc, "cannot create the VM: %s", strerror(-rc));
	rc = skvm_vm_set_memory_region(b->m.vm, &ram);
	if (!rc)
		rc = skvm_vm_set_memory_region(b->m.vm, &hpt);
	if (rc)
		return vmm_err_set(err, rc, "cannot register guest RAM: %s", strerror(-rc));
	for (unsigned i = 0; i < b->nr_cpus; i++) {
		rc = skvm_vcpu_create(b->m.vm, i, &b->vcpus[i]);
		if (rc)
			return vmm_err_set(err, rc, "cannot create vcpu %u: %s", i, strerror(-rc));
		rc = skvm_vcpu_enable_cap(b->vcpus[i], SKVM_CAP_PPC_PAPR, 0);
		if (rc)
			return vmm_err_set(err, rc, "cannot enable PAPR on vcpu %u: %s", i,
					   strerror(-rc));
	}
	b->m.vcpu = b->vcpus[0];
	b->m.vcpus = b->vcpus;
	b->m.nr_vcpus = b->nr_cpus;
	b->m.run = skvm_vcpu_run_data(b->m.vcpu);
	return pseries_smp_init(&b->smp, &b->m, b->vcpus, b->nr_cpus, err);
}

/* XICS, RTAS and the hypercalls, wired to the board (after the VM: XICS drives its vcpu). */
static int pseries_add_papr(struct pseries_board *b, struct vmm_console *console,
			    struct vmm_err *err)
{
	struct rtas_ops rops = {
	    .opaque = b,
	    .put_char = pseries_rtas_put_char,
	    .cpu_state = pseries_rtas_cpu_state,
	    .start_cpu = pseries_rtas_start_cpu,
	    .stop_self = pseries_rtas_stop_self,
	    .now_ns = pseries_now_ns,
	};
	int rc;

	if (console) /* none in the unit tests */
		b->console = vmm_console_chardev(console);
	rc = xics_init(&b->xics, b->nr_cpus, PSERIES_NR_IRQS, pseries_xics_output, b);
	if (rc)
		return vmm_err_set(err, rc, "cannot create XICS: %s", strerror(-rc));
	b->xics_ready = true;
	rtas_init(&b->rtas, &b->ram, &b->xics, &rops, &b->m.guest_requests, b->nr_cpus);
	b->rtas.phb = &b->phb;
	b->rtas_ready = true;
	b->papr = (struct papr){
	    .ram = &b->ram,
	    .mmio = &b->m.mmio,
	    .console = {.write = pseries_vty_write, .read = pseries_vty_read, .opaque = b},
	    .xics = &b->xics,
	    .rtas = &b->rtas,
	    .ops = {.opaque = b,
		    .prod = pseries_prod,
		    .timebase = pseries_timebase},
	    .nr_cpus = b->nr_cpus,
	    .tce = {.liobn = PSERIES_DMA_LIOBN, .entry = b->tce, .nr = PSERIES_DMA_WINDOW / 4096},
	};
	return 0;
}

static const struct vmm_boot_limits pseries_limits = {
    .board = "pseries",
    .ram_min = PSERIES_RAM_MIN,
    .ram_max = PSERIES_RAM_MAX,
    .cmdline_max = PSERIES_CMDLINE_MAX,
};

static int pseries_check_config(const struct pseries_config *cfg, struct vmm_err *err)
{
	int rc = vmm_boot_check_limits(&pseries_limits, cfg->ram_size, cfg->cmdline, err);

	if (!rc && cfg->nr_cpus > PSERIES_MAX_CPUS)
		rc = vmm_err_set(err, -EINVAL, "%u vcpus: the pseries board takes 1 to %u",
				 cfg->nr_cpus, PSERIES_MAX_CPUS);
	return rc;
}

int pseries_create(const struct pseries_config *cfg, struct vmm_console *console,
		   struct vmm_machine **out, struct vmm_err *err)
{
	struct pseries_board *b;
	struct vmm_elf_info info;
	int rc;

	*out = NULL;
	rc = pseries_check_config(cfg, err);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return vmm_err_set(err, -ENOMEM, "out of memory");
	b->m.ops = &pseries_machine_ops;
	pthread_mutex_init(&b->vty_lock, NULL);
	b->nr_cpus = cfg->nr_cpus ? cfg->nr_cpus : 1;
	vmm_bus_init(&b->m.mmio, "mmio");
	vmm_bus_init(&b->m.dcr, "dcr");

	rc = vmm_boot_files_read(&b->files, cfg->kernel, cfg->initrd, cfg->ram_size, err);
	if (!rc)
		rc = vmm_guest_ram_alloc(&b->ram, cfg->ram_size, err);
	if (rc)
		goto fail;
	b->m.ram = &b->ram;
	rc = pseries_load_kernel(b, &info, err);
	if (!rc && !info.entry_loaded)
		pr_warn("%s: entry point 0x%08" PRIx64 " is outside the loaded segments",
			b->files.kernel, info.entry);
	if (!rc)
		rc = pseries_layout(b, &info, err);
	if (!rc)
		rc = pseries_create_vm(b, err);
	if (!rc)
		rc = pseries_add_papr(b, console, err);
	if (!rc)
		rc = pseries_add_pci(b, cfg, err);
	if (!rc)
		rc = pseries_build_fdt(b, cfg, err);
	if (!rc)
		rc = pseries_load_images(b, err);
	if (rc)
		goto fail;
	b->m.fdt = b->fdt;
	*out = &b->m;
	return 0;

fail:
	pseries_destroy(&b->m);
	return rc;
}
