/* The PowerPC 440 board (see ppc440.h).
 *
 * Start state, as QEMU's bamboo leaves it (shared/guests/ppc440/README.md): RAM from physical
 * 0, the ELF at its physical addresses, PC = entry, MSR = 0, r1 = 16 MiB - 8, r3 = 0x1800000
 * (where the device tree will go), every other register at the 440's reset value.
 *
 * Boot TLB: QEMU installs two 2 GiB identity entries, a size no 440 has. softkvm writes only
 * real 256 MiB pages, identity-mapped, TS=0, TID=0, supervisor read/write/execute:
 *   entry 0     RAM 0x00000000-0x0fffffff
 *   entry 1     I/O 0xe0000000-0xefffffff (caching-inhibited, guarded: UART, testdev, PCI)
 *   entry 2     I/O 0xf0000000-0xffffffff (caching-inhibited, guarded)
 *   entry 3...  RAM above 256 MiB, one entry per 256 MiB
 * Everything else is invalid. Like QEMU's, these entries are only there until the guest
 * replaces them (head_44x.S keeps the entry it runs from, then rebuilds the TLB); unlike
 * QEMU's, 0x10000000-0xdfffffff is not mapped beyond RAM.
 *
 * Devices: UART0 (ns16550) at 0xef600300 on UIC0 input 0; the softkvm test device at
 * 0xef700000; UIC0 on DCRs 0xc0-0xc8 driving the vcpu's external and critical inputs.
 */
#include "boards/ppc440.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "devices/ns16550.h"
#include "devices/testdev.h"
#include "devices/uic.h"
#include "loader.h"
#include "log.h"
#include "ram.h"

#define PPC440_UART0_BASE    0xef600300u
#define PPC440_UART0_IRQ     0
#define PPC440_TESTDEV_BASE  0xef700000u
#define PPC440_UIC0_DCR_BASE 0xc0u
#define PPC440_BOOT_STACK    ((16u << 20) - 8)
#define PPC440_FDT_ADDR	     0x01800000u

/* The vcpu's interrupt inputs, as lines of the UIC's outputs. */
enum { PPC440_INPUT_EXTERNAL, PPC440_INPUT_CRITICAL };

/* 440 TLB words (Linux arch/powerpc/include/asm/mmu-44x.h). */
#define TLB44X_EPN_MASK	 0xfffffc00u /* word 0 */
#define TLB44X_VALID	 0x00000200u
#define TLB44X_SIZE_256M 0x00000090u
#define TLB44X_RPN_MASK	 0xfffffc00u /* word 1; ERPN (bits 28-31) stays 0 */
#define TLB44X_I	 0x00000400u /* word 2 */
#define TLB44X_G	 0x00000100u
#define TLB44X_SX	 0x00000004u
#define TLB44X_SW	 0x00000002u
#define TLB44X_SR	 0x00000001u
#define TLB44X_PAGE_256M (256u << 20)

struct ppc440_board {
	struct vmm_machine m;
	const char *kernel;
	uint8_t *kernel_image; /* read once: a reboot does not depend on the file any more */
	size_t kernel_size;
	struct vmm_ram ram;
	struct skvm_sregs sregs_reset; /* the hypervisor's power-on state of the vcpu */

	struct uic uic0;
	struct ns16550 uart0;
	struct testdev testdev;
};

static struct ppc440_board *to_board(struct vmm_machine *m)
{
	return vmm_container_of(m, struct ppc440_board, m);
}

static int ppc440_cpu_input(void *opaque, unsigned line, bool level)
{
	struct ppc440_board *b = opaque;

	return skvm_vcpu_interrupt(b->m.vcpu,
				   level ? SKVM_INTERRUPT_SET_LEVEL : SKVM_INTERRUPT_UNSET,
				   line == PPC440_INPUT_CRITICAL);
}

static struct skvm_440_tlb_entry ppc440_tlb_256m(uint32_t addr, uint32_t attrs)
{
	return (struct skvm_440_tlb_entry){
	    .word0 = (addr & TLB44X_EPN_MASK) | TLB44X_VALID | TLB44X_SIZE_256M,
	    .word1 = addr & TLB44X_RPN_MASK,
	    .word2 = attrs | TLB44X_SX | TLB44X_SW | TLB44X_SR,
	    .tid = 0,
	};
}

static int ppc440_boot_tlb(struct ppc440_board *b, struct vmm_err *err)
{
	struct skvm_440_tlb_entry tlb[SKVM_440_TLB_ENTRIES];
	unsigned ram_pages = (unsigned)((b->ram.size + TLB44X_PAGE_256M - 1) / TLB44X_PAGE_256M);

	memset(tlb, 0, sizeof(tlb));
	tlb[0] = ppc440_tlb_256m(0, 0);
	tlb[1] = ppc440_tlb_256m(0xe0000000u, TLB44X_I | TLB44X_G);
	tlb[2] = ppc440_tlb_256m(0xf0000000u, TLB44X_I | TLB44X_G);
	for (unsigned i = 1; i < ram_pages; i++)
		tlb[2 + i] = ppc440_tlb_256m(i * TLB44X_PAGE_256M, 0);

	for (unsigned i = 0; i < SKVM_440_TLB_ENTRIES; i++) {
		int rc = skvm_vcpu_set_tlb_entry(b->m.vcpu, i, &tlb[i]);

		if (rc)
			return vmm_err_set(err, rc, "cannot set guest TLB entry %u: %s", i,
					   strerror(-rc));
	}
	return 0;
}

static int ppc440_reset(struct vmm_machine *m, struct vmm_err *err)
{
	struct ppc440_board *b = to_board(m);
	struct vmm_elf_info info;
	struct skvm_sregs sregs = b->sregs_reset;
	struct skvm_regs regs;
	int rc;

	vmm_bus_reset(&m->dcr);
	vmm_bus_reset(&m->mmio);

	rc = vmm_elf_load(b->kernel_image, b->kernel_size, b->kernel, &b->ram, &info, err);
	if (rc)
		return rc;
	rc = ppc440_boot_tlb(b, err);
	if (rc)
		return rc;
	rc = skvm_vcpu_set_sregs(m->vcpu, &sregs);
	if (rc)
		return vmm_err_set(err, rc, "cannot reset the vcpu's special registers: %s",
				   strerror(-rc));
	memset(&regs, 0, sizeof(regs));
	regs.pc = info.entry;
	regs.msr = 0;
	regs.gpr[1] = PPC440_BOOT_STACK;
	regs.gpr[3] = PPC440_FDT_ADDR;
	rc = skvm_vcpu_set_regs(m->vcpu, &regs);
	if (rc)
		return vmm_err_set(err, rc, "cannot set the vcpu's registers: %s", strerror(-rc));
	m->run->immediate_exit = 0;

	pr_info("%s: %u segment(s) at 0x%08" PRIx64 "-0x%08" PRIx64 ", entry 0x%08" PRIx32,
		b->kernel, info.nr_segments, info.low, info.high - 1, info.entry);
	return 0;
}

static void ppc440_destroy(struct vmm_machine *m)
{
	struct ppc440_board *b;

	if (!m)
		return;
	b = to_board(m);
	if (m->vm)
		skvm_vm_destroy(m->vm); /* and its vcpu */
	vmm_ram_free(&b->ram);
	vmm_bus_destroy(&m->mmio);
	vmm_bus_destroy(&m->dcr);
	free(b->kernel_image);
	free(b);
}

static const struct vmm_machine_ops ppc440_machine_ops = {
    .name = "ppc440",
    .reset = ppc440_reset,
    .destroy = ppc440_destroy,
};

static int ppc440_add_devices(struct ppc440_board *b, struct vmm_console *console,
			      struct vmm_err *err)
{
	struct vmm_chardev con = vmm_console_chardev(console);
	struct vmm_irq cpu_ext = {
	    .set = ppc440_cpu_input, .opaque = b, .line = PPC440_INPUT_EXTERNAL};
	struct vmm_irq cpu_crit = {
	    .set = ppc440_cpu_input, .opaque = b, .line = PPC440_INPUT_CRITICAL};
	struct vmm_irq uart0_irq = {
	    .set = uic_set_irq, .opaque = &b->uic0, .line = PPC440_UART0_IRQ};
	int rc;

	uic_init(&b->uic0, "uic0", &cpu_ext, &cpu_crit);
	ns16550_init(&b->uart0, "uart0", &con, &uart0_irq);
	testdev_init(&b->testdev);

	rc = vmm_bus_register(&b->m.dcr, PPC440_UIC0_DCR_BASE, UIC_DCR_COUNT, &uic_ops, &b->uic0);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_UART0_BASE, NS16550_REG_SIZE, &ns16550_ops,
				      &b->uart0);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_TESTDEV_BASE, TESTDEV_SIZE, &testdev_ops,
				      &b->testdev);
	if (rc)
		return vmm_err_set(err, rc, "cannot place the devices: %s", strerror(-rc));
	return 0;
}

int ppc440_create(const struct ppc440_config *cfg, struct vmm_console *console,
		  struct vmm_machine **out, struct vmm_err *err)
{
	struct skvm_userspace_memory_region slot;
	struct ppc440_board *b;
	char sz[32];
	int rc;

	*out = NULL;
	if (cfg->ram_size < PPC440_RAM_MIN || cfg->ram_size > PPC440_RAM_MAX ||
	    cfg->ram_size % (1u << 20))
		return vmm_err_set(
		    err, -EINVAL,
		    "memory size %s: the ppc440 board takes 16 MiB to 2 GiB in whole MiB",
		    vmm_format_size(cfg->ram_size, sz, sizeof(sz)));
	b = calloc(1, sizeof(*b));
	if (!b)
		return vmm_err_set(err, -ENOMEM, "out of memory");
	b->m.ops = &ppc440_machine_ops;
	b->kernel = cfg->kernel;
	vmm_bus_init(&b->m.mmio, "mmio");
	vmm_bus_init(&b->m.dcr, "dcr");

	rc = vmm_read_file(cfg->kernel, &b->kernel_image, &b->kernel_size, err);
	if (rc)
		goto fail;
	rc = vmm_ram_alloc(&b->ram, 0, cfg->ram_size);
	if (rc) {
		vmm_err_set(err, rc, "cannot allocate %s of guest RAM: %s",
			    vmm_format_size(cfg->ram_size, sz, sizeof(sz)), strerror(-rc));
		goto fail;
	}
	rc = skvm_vm_create(SKVM_VM_PPC_440, &b->m.vm);
	if (rc) {
		vmm_err_set(err, rc, "cannot create the VM: %s", strerror(-rc));
		goto fail;
	}
	slot = (struct skvm_userspace_memory_region){
	    .slot = 0,
	    .guest_phys_addr = b->ram.gpa,
	    .memory_size = b->ram.size,
	    .userspace_addr = b->ram.host,
	};
	rc = skvm_vm_set_memory_region(b->m.vm, &slot);
	if (rc) {
		vmm_err_set(err, rc, "cannot register guest RAM: %s", strerror(-rc));
		goto fail;
	}
	rc = skvm_vcpu_create(b->m.vm, 0, &b->m.vcpu);
	if (rc) {
		vmm_err_set(err, rc, "cannot create the vcpu: %s", strerror(-rc));
		goto fail;
	}
	b->m.run = skvm_vcpu_run_data(b->m.vcpu);
	rc = skvm_vcpu_get_sregs(b->m.vcpu, &b->sregs_reset);
	if (rc) {
		vmm_err_set(err, rc, "cannot read the vcpu's special registers: %s", strerror(-rc));
		goto fail;
	}
	rc = ppc440_add_devices(b, console, err);
	if (rc)
		goto fail;
	*out = &b->m;
	return 0;

fail:
	ppc440_destroy(&b->m);
	return rc;
}
