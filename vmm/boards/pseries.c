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
 * whatever their addresses: --disk, --share, --net and --vsock are virtio-pci functions
 * (virtio/pci.h) on one PAPR PHB (pci/pci.h, pseries_pci.c), as QEMU's spapr has them:
 * config space through RTAS (papr/rtas.c), BARs assigned here in the PHB's 32-bit window
 * (an MMIO region on the machine's bus), INTA-INTD on XICS sources 0x1200-0x1203.
 *
 * Running needs the Book3S PR hypervisor (issue 9): libsoftkvm has no VM type for POWER8 yet,
 * so pseries_create builds the device tree only (cfg->dtb_only, --dump-dtb) and refuses to
 * run.
 */
#include "boards/pseries.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "devtree.h"
#include "loader.h"
#include "log.h"
#include "papr/rtas.h"
#include "ram.h"

#define PSERIES_RMA_MAX	    (1ull << 30)
#define PSERIES_FDT_ROOM    (1ull << 20)
#define PSERIES_RTAS_SIZE   4096u
#define PSERIES_INITRD_ALIGN (64u << 10)
#define PSERIES_HTAB_MIN_SHIFT 18

struct pseries_board {
	struct vmm_machine m;
	const char *kernel, *initrd;
	uint8_t *kernel_image, *initrd_image;
	size_t kernel_size, initrd_size;
	void *fdt; /* packed */
	struct vmm_ram ram;
	struct pseries_layout layout;
	unsigned nr_cpus;
	struct pci_phb phb;
	struct virtio_pci *vpci[PSERIES_MAX_VIRTIO];
	unsigned nr_vpci;
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
	pseries_remove_virtio(b->vpci, b->nr_vpci);
	if (m->vm)
		skvm_vm_destroy(m->vm);
	vmm_ram_free(&b->ram);
	vmm_bus_destroy(&m->mmio);
	vmm_bus_destroy(&m->dcr);
	free(b->kernel_image);
	free(b->initrd_image);
	free(b->fdt);
	free(b);
}

static int pseries_reset(struct vmm_machine *m, struct vmm_err *err)
{
	return vmm_err_set(err, -ENOTSUP,
			   "pseries needs the Book3S PR hypervisor, not yet available "
			   "(only --dump-dtb works)");
}

static const struct vmm_machine_ops pseries_machine_ops = {
    .name = "pseries",
    .reset = pseries_reset,
    .destroy = pseries_destroy,
};

/* The kernel file into RAM: a 64-bit ELF of either byte order, else a flat binary. */
static int pseries_load_kernel(struct pseries_board *b, struct vmm_elf_info *info,
			       struct vmm_err *err)
{
	static const struct vmm_elf_place place = {
	    .accept = VMM_ELF_PPC64, .mask = PSERIES_KERNEL_MASK, .base = PSERIES_KERNEL_BASE};

	if (vmm_is_elf(b->kernel_image, b->kernel_size))
		return vmm_elf_load_placed(b->kernel_image, b->kernel_size, b->kernel, &place,
					   &b->ram, info, err);
	return vmm_flat_load(b->kernel_image, b->kernel_size, b->kernel, PSERIES_KERNEL_BASE,
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
	l->initrd_size = b->initrd_size;
	l->initrd_addr = (info->high + PSERIES_INITRD_ALIGN - 1) & ~(uint64_t)(PSERIES_INITRD_ALIGN - 1);
	if (info->high > l->rtas_addr)
		return vmm_err_set(err, -ENOSPC,
				   "%s ends at 0x%08" PRIx64 ": no room for RTAS and the device tree "
				   "below 0x%08" PRIx64 " in %s of RAM (use a larger --memory)",
				   b->kernel, info->high, l->rtas_addr,
				   vmm_format_size(b->ram.size, rs, sizeof(rs)));
	if (b->initrd_size && l->initrd_addr + b->initrd_size > l->rtas_addr)
		return vmm_err_set(err, -EFBIG,
				   "%s (%s) does not fit between the kernel (0x%08" PRIx64
				   ") and RTAS (0x%08" PRIx64 ") in %s of RAM (use a larger --memory)",
				   b->initrd, vmm_format_size(b->initrd_size, sz, sizeof(sz)),
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
	if (b->initrd_size)
		memcpy(vmm_ram_ptr(&b->ram, l->initrd_addr, b->initrd_size), b->initrd_image,
		       b->initrd_size);
	memset(vmm_ram_ptr(&b->ram, l->rtas_addr, l->rtas_size), 0, l->rtas_size);
	rtas_blob(vmm_ram_ptr(&b->ram, l->rtas_addr, RTAS_BLOB_SIZE));
	memcpy(vmm_ram_ptr(&b->ram, l->fdt_addr, fdt_totalsize(b->fdt)), b->fdt,
	       fdt_totalsize(b->fdt));
	return 0;
}

/* The ePAPR hypercall sequence for /hypervisor. KVM gives every PR guest the same one
 * (powerpc.c kvm_vm_ioctl_get_pvinfo); until libsoftkvm has the Book3S VM type, a BookE VM
 * is asked for it. */
static int pseries_pvinfo(struct skvm_ppc_pvinfo *pv, struct vmm_err *err)
{
	struct skvm_vm *vm;
	int rc = skvm_vm_create(SKVM_VM_PPC_440, &vm);

	if (rc)
		return vmm_err_set(err, rc, "cannot create the VM: %s", strerror(-rc));
	rc = skvm_vm_get_pvinfo(vm, pv);
	skvm_vm_destroy(vm);
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
	struct pseries_fdt_params p = {
	    .ram_size = b->ram.size, .nr_cpus = b->nr_cpus, .layout = &b->layout, .phb = &b->phb};
	struct vmm_fdt_chosen chosen = {
	    .bootargs = cfg->cmdline,
	    .initrd_start = b->layout.initrd_addr,
	    .initrd_end = b->layout.initrd_addr + b->initrd_size,
	    .stdout_path = cfg->dtb ? NULL : PSERIES_VTY_PATH,
	};
	int rc;

	if (cfg->dtb) {
		rc = vmm_fdt_load(cfg->dtb, &b->fdt, err);
	} else {
		if (!cfg->no_paravirt) {
			rc = pseries_pvinfo(&pv, err);
			if (rc)
				return rc;
			p.pv = &pv;
		}
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

/* The PHB and its functions, in command-line order by kind: disks, shares, NICs, vsock. */
static int pseries_add_pci(struct pseries_board *b, const struct pseries_config *cfg,
			   struct vmm_err *err)
{
	struct vmm_irq intx[4];
	int rc;

	/* the XICS sources as the tree names them (level: <source 1>, as the vty's); the
	 * lines are driven once the board has its XICS instance (with the vcpu loop) */
	for (unsigned i = 0; i < 4; i++)
		intx[i] = (struct vmm_irq){.line = PSERIES_IRQ_LSI + i,
					   .fdt_parent = PSERIES_PHANDLE_XICP,
					   .fdt_sense = 1};
	pci_phb_init(&b->phb, PSERIES_PHB_BUID, PSERIES_PHB_MEM_GPA, PSERIES_PHB_MEM_PCI,
		     PSERIES_PHB_MEM_SIZE, intx);
	rc = pci_phb_attach(&b->phb, &b->m.mmio);
	if (rc)
		return vmm_err_set(err, rc, "cannot map the PCI window: %s", strerror(-rc));
	if (!rc)
		rc = pseries_add_virtio(cfg, &b->phb, b->vpci, &b->nr_vpci, err);
	return rc;
}

static int pseries_check_config(const struct pseries_config *cfg, struct vmm_err *err)
{
	char sz[32];

	if (cfg->ram_size < PSERIES_RAM_MIN || cfg->ram_size > PSERIES_RAM_MAX ||
	    cfg->ram_size % (1u << 20))
		return vmm_err_set(
		    err, -EINVAL,
		    "memory size %s: the pseries board takes 128 MiB to 16 GiB in whole MiB",
		    vmm_format_size(cfg->ram_size, sz, sizeof(sz)));
	if (cfg->nr_cpus > PSERIES_MAX_CPUS)
		return vmm_err_set(err, -EINVAL, "%u vcpus: the pseries board takes 1 to %u",
				   cfg->nr_cpus, PSERIES_MAX_CPUS);
	if (cfg->cmdline && strlen(cfg->cmdline) > PSERIES_CMDLINE_MAX)
		return vmm_err_set(err, -E2BIG,
				   "kernel command line of %zu bytes: Linux takes at most %u",
				   strlen(cfg->cmdline), PSERIES_CMDLINE_MAX);
	if (!cfg->dtb_only)
		return vmm_err_set(err, -ENOTSUP,
				   "pseries needs the Book3S PR hypervisor, not yet available "
				   "(only --dump-dtb works)");
	return 0;
}

int pseries_create(const struct pseries_config *cfg, struct vmm_console *console,
		   struct vmm_machine **out, struct vmm_err *err)
{
	struct pseries_board *b;
	struct vmm_elf_info info;
	char sz[32];
	int rc;

	*out = NULL;
	rc = pseries_check_config(cfg, err);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return vmm_err_set(err, -ENOMEM, "out of memory");
	b->m.ops = &pseries_machine_ops;
	b->kernel = cfg->kernel;
	b->initrd = cfg->initrd;
	b->nr_cpus = cfg->nr_cpus ? cfg->nr_cpus : 1;
	vmm_bus_init(&b->m.mmio, "mmio");
	vmm_bus_init(&b->m.dcr, "dcr");

	rc = vmm_read_file(cfg->kernel, VMM_KERNEL_FILE_MAX, "the largest kernel file accepted",
			   &b->kernel_image, &b->kernel_size, err);
	if (rc)
		goto fail;
	rc = vmm_ram_alloc(&b->ram, 0, cfg->ram_size);
	if (rc) {
		vmm_err_set(err, rc, "cannot allocate %s of guest RAM: %s",
			    vmm_format_size(cfg->ram_size, sz, sizeof(sz)), strerror(-rc));
		goto fail;
	}
	b->m.ram = &b->ram;
	if (cfg->initrd) {
		rc = vmm_read_file(cfg->initrd, b->ram.size, "guest RAM", &b->initrd_image,
				   &b->initrd_size, err);
		if (rc)
			goto fail;
		if (!b->initrd_size) {
			rc = vmm_err_set(err, -EINVAL, "%s: empty initrd", cfg->initrd);
			goto fail;
		}
	}
	rc = pseries_load_kernel(b, &info, err);
	if (!rc && !info.entry_loaded)
		pr_warn("%s: entry point 0x%08" PRIx64 " is outside the loaded segments",
			b->kernel, info.entry);
	if (!rc)
		rc = pseries_layout(b, &info, err);
	if (!rc)
		rc = pseries_add_pci(b, cfg, err);
	if (!rc)
		rc = pseries_build_fdt(b, cfg, err);
	if (!rc)
		rc = pseries_load_images(b, err);
	if (rc)
		goto fail;
	b->m.fdt = b->fdt;
	(void)console;
	*out = &b->m;
	return 0;

fail:
	pseries_destroy(&b->m);
	return rc;
}
