// SPDX-License-Identifier: MIT
/* The PowerPC 440 board (see ppc440.h).
 *
 * Start state, as QEMU's bamboo leaves it (shared/guests/ppc440/README.md): RAM from physical
 * 0, the ELF at its physical addresses, PC = entry, MSR = 0, r1 = 16 MiB - 8, r3 = the device
 * tree, every other register at the 440's reset value (head_44x.S reads only r3; r4-r7 stay 0
 * as QEMU leaves them, not the ePAPR values).
 *
 * RAM layout, QEMU's when the kernel is small enough:
 *   kernel       its ELF physical addresses (vmlinux: 0 - ~7 MiB)
 *   device tree  0x1800000 (FDT_ADDR), or the first page after the kernel if it ends above
 *   initrd       0x1900000, or the first page after the kernel and the tree if they end above
 * All of it must fit in RAM, or the board refuses to start.
 *
 * Device tree: a Bamboo one (arch/powerpc/boot/dts/bamboo.dts, QEMU's pc-bios/bamboo.dts)
 * reduced to what the board has, so that Linux's ppc44x_simple platform (compatible
 * "amcc,bamboo") probes only real devices: cpu (440EP, 400 MHz CPU and timebase, 32 KiB
 * caches of 32-byte lines), memory, UIC0, plb4 > opb > ebc and UART0, /chosen, aliases and
 * the ePAPR /hypervisor node. No UIC1, SDR, CPR, DMA, MAL, EMAC, IIC, USB or PCI nodes: no
 * device behind them. --dtb replaces the tree; only /chosen is edited in it.
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
 * 0xef700000; a syscon with Linux's syscon-poweroff and syscon-reboot nodes at 0xef701000;
 * a pvpanic device (qemu,pvpanic-mmio) at 0xef702000; UIC0 on DCRs 0xc0-0xc8 driving the
 * vcpu's external and critical inputs. The syscon, pvpanic and test device are softkvm's:
 * QEMU's bamboo has none of them (there a poweroff ends in Linux's "System Halted" spin).
 *
 * virtio-mmio slots (softkvm's too): slot n at 0xef710000 + n * 0x1000 on UIC0 input 16 + n,
 * edge-triggered (<16+n 1> in the device tree: each device thread pulses its input), for up
 * to 14 devices (inputs 16-29; a real 440EP cascades UIC1 into inputs 30 and 31, and only
 * UART0's input 0 is taken besides, so UIC1 is not needed yet). Slot 0 is virtio-console
 * (hvc0), slot 1 virtio-rng, always there; further devices take the next slots in the
 * order they are added. The device threads drive their UIC0 inputs themselves (the UIC is
 * the VMM's, thread-safe): an irqfd would add a wake-up of the hypervisor's irqfd thread to
 * every interrupt. The UIC is still the VMM's irqchip for irqfds (gsi n is UIC0 input n, and
 * a write to UIC0's SR acknowledges (skvm_vm_irqchip_ack) the inputs written as 1), for any
 * device that uses one.
 *
 * Console input goes to the console the kernel uses: hvc0 when the last console= of the
 * command line names hvc (console=hvc0), else UART0; both write their output to the same
 * console.
 */
#include "boards/ppc440.h"
#include "boot_files.h"

#include <errno.h>
#include <inttypes.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "devices/ns16550.h"
#include "devices/pvpanic.h"
#include "devices/syscon.h"
#include "devices/testdev.h"
#include "devices/uic.h"
#include "devtree.h"
#include "guest_mem.h"
#include "loader.h"
#include "log.h"
#include "ram.h"
#include "virtio/9p.h"
#include "virtio/blk.h"
#include "virtio/console.h"
#include "virtio/net.h"
#include "virtio/rng.h"
#include "virtio/vsock.h"
#include "virtio/virtio.h"

#define PPC440_UART0_BASE    0xef600300u
#define PPC440_UART0_IRQ     0
#define PPC440_TESTDEV_BASE  0xef700000u
#define PPC440_SYSCON_BASE   0xef701000u
#define PPC440_PVPANIC_BASE  0xef702000u
#define PPC440_UIC0_DCR_BASE 0xc0u
#define PPC440_VIRTIO_BASE   0xef710000u
#define PPC440_VIRTIO_STRIDE 0x1000u
#define PPC440_VIRTIO_IRQ0   16u /* UIC0 inputs 16-29 */
#define PPC440_VIRTIO_SLOTS  14u
#define PPC440_GSIS	     32u /* UIC0's inputs */
#define PPC440_BOOT_STACK    ((16u << 20) - 8)
#define PPC440_FDT_ADDR	     0x01800000u
#define PPC440_INITRD_ADDR   0x01900000u
#define PPC440_PAGE	     4096u

/* Clocks (QEMU's bamboo: CPU and timebase at 400 MHz; its dtb's PLB, OPB and UART clocks). */
#define PPC440_CPU_HZ  400000000u
#define PPC440_TB_HZ   400000000u
#define PPC440_PLB_HZ  133333332u
#define PPC440_OPB_HZ  66666666u
#define PPC440_UART_HZ 11059200u

#define PPC440_UART0_PATH "/plb/opb/serial@ef600300"

enum { PPC440_PHANDLE_CPU0 = 1, PPC440_PHANDLE_UIC0, PPC440_PHANDLE_SYSCON };

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
	struct vmm_boot_files files; /* read once: a reboot does not depend on the files any more */
	void *fdt;		       /* packed */
	uint64_t fdt_addr, initrd_addr; /* guest-physical */
	struct vmm_ram ram;
	struct skvm_sregs sregs_reset; /* the hypervisor's power-on state of the vcpu */

	struct uic uic0;
	struct ns16550 uart0;
	struct testdev testdev;
	struct syscon syscon;
	struct pvpanic pvpanic;

	struct vmm_guest_mem gmem; /* RAM as the virtio devices reach it */
	struct virtio_dev *virtio[PPC440_VIRTIO_SLOTS];
	unsigned nr_virtio;
	struct virtio_dev *hvc; /* virtio-console */
	const struct virtio_blk_opts *disks; /* added after the rng, in this order */
	unsigned nr_disks;
	bool hvc_input;		/* console input goes to hvc0, not UART0 */
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

/* The timebase starts again from 0. KVM_SET_SREGS leaves TB alone; its one writer is
 * KVM_REG_PPC_TB_OFFSET (guest TB = host TB + offset). */
static int ppc440_reset_timebase(struct skvm_vcpu *vcpu)
{
	struct skvm_sregs now;
	uint64_t offset;
	int rc;

	rc = skvm_vcpu_get_one_reg(vcpu, SKVM_REG_PPC_TB_OFFSET, &offset);
	if (!rc)
		rc = skvm_vcpu_get_sregs(vcpu, &now);
	if (rc)
		return rc;
	offset -= now.u.e.tb;
	return skvm_vcpu_set_one_reg(vcpu, SKVM_REG_PPC_TB_OFFSET, &offset);
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
	m->guest_requests = 0;

	rc = vmm_elf_load(b->files.kernel_image, b->files.kernel_size, b->files.kernel, &b->ram, &info, err);
	if (rc)
		return rc;
	/* Placed by ppc440_layout: these fit. */
	memcpy(vmm_ram_ptr(&b->ram, b->fdt_addr, fdt_totalsize(b->fdt)), b->fdt,
	       fdt_totalsize(b->fdt));
	if (b->files.initrd_size)
		memcpy(vmm_ram_ptr(&b->ram, b->initrd_addr, b->files.initrd_size), b->files.initrd_image,
		       b->files.initrd_size);
	/* a reset empties the instruction cache: no code decoded before it may survive */
	rc = skvm_vm_flush_icache(m->vm, b->ram.gpa, b->ram.size);
	if (rc)
		return vmm_err_set(err, rc, "cannot flush the decoded code: %s", strerror(-rc));
	rc = ppc440_boot_tlb(b, err);
	if (rc)
		return rc;
	/* all of the power-on state, the timers' registers too (a checkpoint restore) */
	sregs.u.e.update_special = UINT32_MAX;
	rc = skvm_vcpu_set_sregs(m->vcpu, &sregs);
	if (!rc)
		rc = ppc440_reset_timebase(m->vcpu);
	if (rc)
		return vmm_err_set(err, rc, "cannot reset the vcpu's special registers: %s",
				   strerror(-rc));
	memset(&regs, 0, sizeof(regs));
	regs.pc = info.entry;
	regs.msr = 0;
	regs.gpr[1] = PPC440_BOOT_STACK;
	regs.gpr[3] = b->fdt_addr;
	rc = skvm_vcpu_set_regs(m->vcpu, &regs);
	if (rc)
		return vmm_err_set(err, rc, "cannot set the vcpu's registers: %s", strerror(-rc));
	m->run->immediate_exit = 0;

	pr_info("%s: %u segment(s) at 0x%08" PRIx64 "-0x%08" PRIx64 ", entry 0x%08" PRIx64,
		b->files.kernel, info.nr_segments, info.low, info.high - 1, info.entry);
	pr_info("device tree at 0x%08" PRIx64 " (%u bytes)", b->fdt_addr, fdt_totalsize(b->fdt));
	if (b->files.initrd_size)
		pr_info("%s at 0x%08" PRIx64 "-0x%08" PRIx64, b->files.initrd, b->initrd_addr,
			b->initrd_addr + b->files.initrd_size - 1);
	return 0;
}

static void ppc440_destroy(struct vmm_machine *m)
{
	struct ppc440_board *b;

	if (!m)
		return;
	b = to_board(m);
	/* first the device threads: they use guest RAM and the VM's eventfds */
	for (unsigned i = 0; i < b->nr_virtio; i++)
		virtio_dev_remove(b->virtio[i]);
	b->nr_virtio = 0;
	if (m->vm)
		skvm_vm_destroy(m->vm); /* and its vcpu */
	vmm_ram_free(&b->ram);
	vmm_bus_destroy(&m->mmio);
	vmm_bus_destroy(&m->dcr);
	vmm_boot_files_free(&b->files);
	free(b->fdt);
	free(b);
}

static int ppc440_poll(struct vmm_machine *m, struct vmm_err *err)
{
	struct ppc440_board *b = to_board(m);
	int rc;

	if (b->hvc_input) {
		virtio_console_input(b->hvc); /* its thread pulls the input */
		return 0;
	}
	rc = ns16550_poll(&b->uart0);

	if (rc)
		return vmm_err_set(err, rc, "uart0: console input failed: %s", strerror(-rc));
	return 0;
}

/* UIC0 drives both inputs: an input it holds, or one an enabled source it routes there
 * (ER, and CR for the critical output) could raise. */
static bool ppc440_input_may_rise(struct vmm_machine *m, bool crit)
{
	return uic_output_may_rise(&to_board(m)->uic0, crit);
}

static const struct vmm_machine_ops ppc440_machine_ops = {
    .name = "ppc440",
    .reset = ppc440_reset,
    .poll = ppc440_poll,
    .input_may_rise = ppc440_input_may_rise,
    .destroy = ppc440_destroy,
};

/* The hypervisor's irqfds drive UIC0's inputs (gsi = input), from its irqfd thread. */
static int ppc440_set_gsi(void *opaque, uint32_t gsi, int level)
{
	return uic_set_irq(&((struct ppc440_board *)opaque)->uic0, gsi, level != 0);
}

/* The guest acknowledged UIC0 input line: irqfds holding it resample. */
static void ppc440_uic_ack(void *opaque, unsigned line)
{
	skvm_vm_irqchip_ack(((struct ppc440_board *)opaque)->m.vm, line);
}

/* Puts a virtio device in the next free slot (see the top of the file). On failure the
 * device is destroyed. */
static int ppc440_add_virtio(struct ppc440_board *b, struct virtio_dev *d, struct vmm_err *err)
{
	struct virtio_host host = {.vm = b->m.vm, .mem = &b->gmem, .mmio = &b->m.mmio};
	struct virtio_mmio_slot slot;
	unsigned n = b->nr_virtio;
	int rc;

	if (n == PPC440_VIRTIO_SLOTS) {
		virtio_dev_remove(d);
		return vmm_err_set(err, -ENOSPC, "%s: the board has room for %u virtio devices",
				   d->ops->name, PPC440_VIRTIO_SLOTS);
	}
	slot = (struct virtio_mmio_slot){
	    .base = PPC440_VIRTIO_BASE + n * PPC440_VIRTIO_STRIDE,
	    .gsi = PPC440_VIRTIO_IRQ0 + n,
	    .irq = uic_irq(&b->uic0, PPC440_VIRTIO_IRQ0 + n, VMM_IRQ_TYPE_EDGE_RISING),
	};
	rc = virtio_dev_add(d, &host, &slot, err);
	if (rc) {
		virtio_dev_remove(d);
		return rc;
	}
	b->virtio[b->nr_virtio++] = d;
	return 0;
}

/* Does the kernel's console (the last console= on the command line) name hvc? */
static bool ppc440_console_is_hvc(const char *cmdline)
{
	const char *p = cmdline, *last = NULL;

	while (p && (p = strstr(p, "console=")) != NULL) {
		if (p == cmdline || p[-1] == ' ')
			last = p + strlen("console=");
		p += strlen("console=");
	}
	return last && strncmp(last, "hvc", 3) == 0;
}

static int ppc440_add_virtio_devices(struct ppc440_board *b, struct vmm_console *console,
				     struct vmm_err *err)
{
	struct vmm_chardev con = vmm_console_chardev(console);
	struct skvm_irqchip chip = {.set_irq = ppc440_set_gsi, .opaque = b, .nr_gsis = PPC440_GSIS};
	struct virtio_dev *d;
	int rc;

	rc = skvm_vm_set_irqchip(b->m.vm, &chip);
	if (rc)
		return vmm_err_set(err, rc, "cannot connect UIC0 to the hypervisor: %s",
				   strerror(-rc));
	b->uic0.ack = ppc440_uic_ack;
	b->uic0.ack_opaque = b;
	b->gmem = (struct vmm_guest_mem){.region = {&b->ram}, .nr = 1};

	if (!b->hvc_input)
		con.read = NULL; /* UART0 reads the input */
	rc = virtio_console_create(&con, &d);
	if (rc)
		return vmm_err_set(err, rc, "cannot create the virtio console: %s", strerror(-rc));
	rc = ppc440_add_virtio(b, d, err);
	if (rc)
		return rc;
	b->hvc = d;
	rc = virtio_rng_create(&d);
	if (rc)
		return vmm_err_set(err, rc, "cannot create the virtio rng: %s", strerror(-rc));
	rc = ppc440_add_virtio(b, d, err);
	/* slots, device-tree nodes and so Linux's probe order follow the command line: vda, vdb */
	for (unsigned i = 0; !rc && i < b->nr_disks; i++) {
		rc = virtio_blk_create(&b->disks[i], &d, err);
		if (!rc)
			rc = ppc440_add_virtio(b, d, err);
	}
	return rc;
}

/* A --share: virtio-9p in the next slot. */
static int ppc440_add_share(struct ppc440_board *b, const struct vmm_share *share,
			    struct vmm_err *err)
{
	struct virtio_dev *d;
	int rc = virtio_9p_create(share, &d, err);

	return rc ? rc : ppc440_add_virtio(b, d, err);
}

/* The --net NICs, in command-line order (eth0, eth1, ...), after the console and rng. */
static int ppc440_add_nics(struct ppc440_board *b, const struct ppc440_config *cfg,
			   struct vmm_err *err)
{
	for (unsigned i = 0; i < cfg->nr_net; i++) {
		struct virtio_dev *d;
		int rc = virtio_net_create(&cfg->net[i], &d, err);

		if (!rc)
			rc = ppc440_add_virtio(b, d, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* --vsock: virtio-vsock in the next slot (its Unix socket is bound now). */
static int ppc440_add_vsock(struct ppc440_board *b, const struct vsock_opts *o,
			    struct vmm_err *err)
{
	struct virtio_dev *d;
	int rc = virtio_vsock_create(o, &d, err);

	return rc ? rc : ppc440_add_virtio(b, d, err);
}

static int ppc440_add_devices(struct ppc440_board *b, struct vmm_console *console,
			      struct vmm_err *err)
{
	struct vmm_chardev con = vmm_console_chardev(console);
	struct vmm_irq cpu_ext = {
	    .set = ppc440_cpu_input, .opaque = b, .line = PPC440_INPUT_EXTERNAL};
	struct vmm_irq cpu_crit = {
	    .set = ppc440_cpu_input, .opaque = b, .line = PPC440_INPUT_CRITICAL};
	struct vmm_irq uart0_irq;
	int rc;

	uic_init(&b->uic0, "uic0", &cpu_ext, &cpu_crit);
	b->uic0.index = 0;
	b->uic0.model = "ibm,uic-440ep";
	b->uic0.phandle = PPC440_PHANDLE_UIC0;
	/* bamboo.dts: <0 4>, level-sensitive, high-active */
	uart0_irq = uic_irq(&b->uic0, PPC440_UART0_IRQ, VMM_IRQ_TYPE_LEVEL_HIGH);
	if (b->hvc_input)
		con.read = NULL; /* hvc0 reads the input */
	ns16550_init(&b->uart0, "uart0", &con, &uart0_irq);
	b->uart0.clock_hz = PPC440_UART_HZ;
	testdev_init(&b->testdev);
	syscon_init(&b->syscon, PPC440_PHANDLE_SYSCON, &b->m.guest_requests);
	pvpanic_init(&b->pvpanic, &b->m.guest_requests);

	rc = vmm_bus_register(&b->m.dcr, PPC440_UIC0_DCR_BASE, UIC_DCR_COUNT, &uic_ops, &b->uic0);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_UART0_BASE, NS16550_REG_SIZE, &ns16550_ops,
				      &b->uart0);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_TESTDEV_BASE, TESTDEV_SIZE, &testdev_ops,
				      &b->testdev);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_SYSCON_BASE, SYSCON_SIZE, &syscon_ops,
				      &b->syscon);
	if (!rc)
		rc = vmm_bus_register(&b->m.mmio, PPC440_PVPANIC_BASE, PVPANIC_SIZE, &pvpanic_ops,
				      &b->pvpanic);
	if (rc)
		return vmm_err_set(err, rc, "cannot place the devices: %s", strerror(-rc));
	return ppc440_add_virtio_devices(b, console, err);
}

/* ---- device tree and RAM layout ---- */

static int ppc440_fdt_cpus(void *fdt)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus"), cpu, rc;

	if (cpus < 0)
		return cpus;
	rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	if (rc)
		return rc;
	cpu = vmm_fdt_add_node(fdt, cpus, "cpu", 0);
	if (cpu < 0)
		return cpu;
	rc = fdt_setprop_string(fdt, cpu, "device_type", "cpu");
	if (!rc)
		rc = fdt_setprop_string(fdt, cpu, "model", "PowerPC,440EP");
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "reg", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "clock-frequency", PPC440_CPU_HZ);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "timebase-frequency", PPC440_TB_HZ);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "i-cache-line-size", 32);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "d-cache-line-size", 32);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "i-cache-size", 32768);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "d-cache-size", 32768);
	if (!rc)
		rc = fdt_setprop_empty(fdt, cpu, "dcr-controller");
	if (!rc)
		rc = fdt_setprop_string(fdt, cpu, "dcr-access-method", "native");
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "phandle", PPC440_PHANDLE_CPU0);
	return rc;
}

static int ppc440_fdt_memory(void *fdt, uint64_t size)
{
	int node = fdt_add_subnode(fdt, 0, "memory");
	uint32_t reg[3] = {0, 0, (uint32_t)size}; /* <0 0 size>: at most 2 GiB */
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop_string(fdt, node, "device_type", "memory");
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, node, "reg", reg, 3);
	return rc;
}

/* plb > opb > ebc: the buses Linux's ppc44x_simple probes ("ibm,plb4", "ibm,opb",
 * "ibm,ebc"). Returns the opb node (where the MMIO devices go) or a libfdt error. */
static int ppc440_fdt_buses(void *fdt)
{
	static const char *const plb_compat[] = {"ibm,plb-440ep", "ibm,plb-440gp", "ibm,plb4"};
	static const char *const opb_compat[] = {"ibm,opb-440ep", "ibm,opb-440gp", "ibm,opb"};
	static const char *const ebc_compat[] = {"ibm,ebc-440ep", "ibm,ebc-440gp", "ibm,ebc"};
	/* OPB address -> PLB address: one-to-one, the ERPN bits unused (as on Bamboo) */
	static const uint32_t opb_ranges[] = {0x00000000, 0, 0x00000000, 0x80000000,
					      0x80000000, 0, 0x80000000, 0x80000000};
	static const uint32_t ebc_dcr[] = {0x012, 2};
	int plb, opb, ebc, rc;

	plb = fdt_add_subnode(fdt, 0, "plb");
	if (plb < 0)
		return plb;
	rc = vmm_fdt_setprop_strings(fdt, plb, "compatible", plb_compat, 3);
	if (!rc)
		rc = fdt_setprop_u32(fdt, plb, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, plb, "#size-cells", 1);
	if (!rc)
		rc = fdt_setprop_empty(fdt, plb, "ranges");
	if (!rc)
		rc = fdt_setprop_u32(fdt, plb, "clock-frequency", PPC440_PLB_HZ);
	if (rc)
		return rc;

	opb = fdt_add_subnode(fdt, plb, "opb");
	if (opb < 0)
		return opb;
	rc = vmm_fdt_setprop_strings(fdt, opb, "compatible", opb_compat, 3);
	if (!rc)
		rc = fdt_setprop_u32(fdt, opb, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, opb, "#size-cells", 1);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, opb, "ranges", opb_ranges, 8);
	if (!rc)
		rc = fdt_setprop_u32(fdt, opb, "clock-frequency", PPC440_OPB_HZ);
	if (rc)
		return rc;

	ebc = fdt_add_subnode(fdt, opb, "ebc");
	if (ebc < 0)
		return ebc;
	rc = vmm_fdt_setprop_strings(fdt, ebc, "compatible", ebc_compat, 3);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, ebc, "dcr-reg", ebc_dcr, 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, ebc, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, ebc, "#size-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, ebc, "clock-frequency", PPC440_OPB_HZ);
	return rc ? rc : opb;
}

/* The board's own tree, without /chosen; without /hypervisor when paravirt is false. */
static int ppc440_fdt_build(struct ppc440_board *b, bool paravirt, void **out,
			    struct vmm_err *err)
{
	struct skvm_ppc_pvinfo pv;
	void *fdt;
	int rc, opb, aliases;

	rc = vmm_fdt_create(&fdt, err);
	if (rc)
		return rc;
	rc = fdt_setprop_u32(fdt, 0, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, 0, "#size-cells", 1);
	if (!rc)
		rc = fdt_setprop_string(fdt, 0, "model", "amcc,bamboo");
	if (!rc)
		rc = fdt_setprop_string(fdt, 0, "compatible", "amcc,bamboo");
	if (!rc)
		rc = fdt_setprop_u32(fdt, 0, "dcr-parent", PPC440_PHANDLE_CPU0);
	if (!rc) {
		aliases = fdt_add_subnode(fdt, 0, "aliases");
		rc = aliases < 0 ? aliases
				 : fdt_setprop_string(fdt, aliases, "serial0", PPC440_UART0_PATH);
	}
	if (!rc)
		rc = ppc440_fdt_cpus(fdt);
	if (!rc)
		rc = ppc440_fdt_memory(fdt, b->ram.size);
	if (!rc)
		rc = vmm_bus_fdt(&b->m.dcr, fdt, 0); /* UIC0 */
	if (!rc) {
		opb = ppc440_fdt_buses(fdt);
		/* UART0, syscon (+ poweroff, reboot), pvpanic: under the OPB, whose children
		 * Linux's 44x platform probes (it creates no devices for root nodes) */
		rc = opb < 0 ? opb : vmm_bus_fdt(&b->m.mmio, fdt, opb);
	}
	if (rc) {
		free(fdt);
		return vmm_err_set(err, rc == -FDT_ERR_NOSPACE ? -ENOSPC : -EINVAL,
				   "device tree: cannot build the board's nodes: %s",
				   fdt_strerror(rc));
	}
	if (!paravirt) {
		*out = fdt;
		return 0;
	}
	rc = skvm_vm_get_pvinfo(b->m.vm, &pv);
	if (rc) {
		free(fdt);
		return vmm_err_set(err, rc, "cannot read the hypercall sequence: %s",
				   strerror(-rc));
	}
	/* No has-idle: 44x Linux then idles in epapr_ev_idle until its late initcall installs
	 * ppc44x_idle, but only e500 and book3s32 exception entries honour _TLF_NAPPING, so on a
	 * 440 an interrupt taken there returns into the hcall loop and (PREEMPT_NONE) the task it
	 * woke never runs: a boot that waits for a device's interrupt (a disk's partition scan
	 * completing off the vcpu thread) hangs. MSR[WE] idles the same. */
	pv.flags &= ~SKVM_PPC_PVINFO_FLAGS_EV_IDLE;
	rc = vmm_fdt_add_hypervisor(fdt, &pv, err);
	if (rc) {
		free(fdt);
		return rc;
	}
	*out = fdt;
	return 0;
}

static uint64_t ppc440_page_up(uint64_t addr)
{
	return (addr + PPC440_PAGE - 1) & ~(uint64_t)(PPC440_PAGE - 1);
}

/* Places the device tree and the initrd after the kernel (see the top of the file), fills in
 * /chosen and packs the tree. */
static int ppc440_layout(struct ppc440_board *b, const struct ppc440_config *cfg,
			 uint64_t kernel_end, struct vmm_err *err)
{
	struct vmm_fdt_chosen chosen = {
	    .bootargs = cfg->cmdline,
	    .stdout_path = cfg->dtb ? NULL : PPC440_UART0_PATH,
	};
	uint64_t fdt_end, initrd_end;
	char sz[32], rs[32];
	int rc;

	if (!cfg->dtb && !chosen.bootargs)
		chosen.bootargs = ""; /* as QEMU: the kernel's own CONFIG_CMDLINE is then used */
	b->fdt_addr = kernel_end <= PPC440_FDT_ADDR ? PPC440_FDT_ADDR : ppc440_page_up(kernel_end);
	/* A first guess: the tree's size does not depend on the initrd's address. */
	b->initrd_addr = PPC440_INITRD_ADDR;
	chosen.initrd_start = b->initrd_addr;
	chosen.initrd_end = b->initrd_addr + b->files.initrd_size;
	rc = vmm_fdt_set_chosen(b->fdt, &chosen, err);
	if (!rc)
		rc = cfg->dtb ? vmm_fdt_finish(b->fdt, err) : vmm_fdt_finish_built(b->fdt, err);
	if (rc)
		return rc;
	fdt_end = b->fdt_addr + fdt_totalsize(b->fdt);
	if (fdt_end > b->ram.size)
		return vmm_err_set(err, -ENOSPC,
				   "%s ends at 0x%08" PRIx64 ": no room for the device tree in %s "
				   "of RAM (use a larger --memory)",
				   b->files.kernel, kernel_end, vmm_format_size(b->ram.size, rs, sizeof(rs)));
	if (!b->files.initrd_size)
		return 0;
	if (fdt_end > b->initrd_addr)
		b->initrd_addr = ppc440_page_up(fdt_end);
	initrd_end = b->initrd_addr + b->files.initrd_size;
	if (initrd_end > b->ram.size)
		return vmm_err_set(err, -EFBIG,
				   "%s (%s) does not fit in %s of RAM above 0x%08" PRIx64
				   " (use a larger --memory)",
				   b->files.initrd, vmm_format_size(b->files.initrd_size, sz, sizeof(sz)),
				   vmm_format_size(b->ram.size, rs, sizeof(rs)), b->initrd_addr);
	/* Same size, so in place: the packed tree has no room to grow. */
	rc = fdt_setprop_inplace_u32(b->fdt, fdt_path_offset(b->fdt, "/chosen"),
				     "linux,initrd-start", (uint32_t)b->initrd_addr);
	if (!rc)
		rc = fdt_setprop_inplace_u32(b->fdt, fdt_path_offset(b->fdt, "/chosen"),
					     "linux,initrd-end", (uint32_t)initrd_end);
	if (rc)
		return vmm_err_set(err, -EINVAL, "device tree: cannot set the initrd: %s",
				   fdt_strerror(rc));
	return 0;
}

/* Reads the files, checks the kernel, builds the tree and places everything in RAM. */
static int ppc440_load(struct ppc440_board *b, const struct ppc440_config *cfg,
		       struct vmm_err *err)
{
	struct vmm_elf_info info;
	int rc;

	/* Checks the whole file, and says where it ends; reset loads it again. */
	rc = vmm_elf_load(b->files.kernel_image, b->files.kernel_size, b->files.kernel, &b->ram, &info, err);
	if (rc)
		return rc;
	if (!info.entry_loaded) /* here, not at every reset */
		pr_warn("%s: entry point 0x%08" PRIx64 " is outside the loaded segments", b->files.kernel,
			info.entry);
	rc = cfg->dtb ? vmm_fdt_load(cfg->dtb, &b->fdt, err)
		      : ppc440_fdt_build(b, !cfg->no_paravirt, &b->fdt, err);
	if (rc)
		return rc;
	rc = ppc440_layout(b, cfg, info.high, err);
	if (rc)
		return rc;
	b->m.fdt = b->fdt;
	return 0;
}

static const struct vmm_boot_limits ppc440_limits = {
    .board = "ppc440",
    .ram_min = PPC440_RAM_MIN,
    .ram_max = PPC440_RAM_MAX,
    .cmdline_max = PPC440_CMDLINE_MAX,
};

int ppc440_create(const struct ppc440_config *cfg, struct vmm_console *console,
		  struct vmm_machine **out, struct vmm_err *err)
{
	struct skvm_userspace_memory_region slot;
	struct ppc440_board *b;
	int rc;

	*out = NULL;
	rc = vmm_boot_check_limits(&ppc440_limits, cfg->ram_size, cfg->cmdline, err);
	if (rc)
		return rc;
	b = calloc(1, sizeof(*b));
	if (!b)
		return vmm_err_set(err, -ENOMEM, "out of memory");
	b->m.ops = &ppc440_machine_ops;
	b->hvc_input = ppc440_console_is_hvc(cfg->cmdline);
	b->disks = cfg->disks;
	b->nr_disks = cfg->nr_disks;
	vmm_bus_init(&b->m.mmio, "mmio");
	vmm_bus_init(&b->m.dcr, "dcr");

	/* the initrd must fit in RAM: ppc440_layout says where, and why not */
	rc = vmm_boot_files_read(&b->files, cfg->kernel, cfg->initrd, cfg->ram_size, err);
	if (!rc)
		rc = vmm_guest_ram_alloc(&b->ram, cfg->ram_size, err);
	if (rc)
		goto fail;
	b->m.ram = &b->ram;
	b->m.vm_type = SKVM_VM_PPC_440;
	rc = skvm_vm_create(b->m.vm_type, &b->m.vm);
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
	b->m.vcpus = &b->m.vcpu;
	b->m.nr_vcpus = 1;
	b->m.run = skvm_vcpu_run_data(b->m.vcpu);
	rc = skvm_vcpu_get_sregs(b->m.vcpu, &b->sregs_reset);
	if (rc) {
		vmm_err_set(err, rc, "cannot read the vcpu's special registers: %s", strerror(-rc));
		goto fail;
	}
	rc = ppc440_add_devices(b, console, err);
	for (unsigned i = 0; !rc && i < cfg->nr_shares; i++)
		rc = ppc440_add_share(b, &cfg->shares[i], err);
	if (!rc)
		rc = ppc440_add_nics(b, cfg, err);
	if (!rc && cfg->vsock)
		rc = ppc440_add_vsock(b, cfg->vsock, err);
	if (!rc)
		rc = ppc440_load(b, cfg, err);
	if (rc)
		goto fail;
	*out = &b->m;
	return 0;

fail:
	ppc440_destroy(&b->m);
	return rc;
}
