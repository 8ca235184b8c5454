// SPDX-License-Identifier: MIT
/* The pseries board's device tree and RAM layout, read back with libfdt as Linux's pseries
 * platform reads them: the POWER8 cpu nodes, memory, /rtas with the tokens RTAS answers,
 * /vdevice, the XICS presentation controller, the PCI host bridge, /chosen and the memory
 * reservations; the
 * board's refusals (kernels that do not fit); the vty's input. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/boards/pseries.c"
#include "../../vmm/boards/pseries_fdt.c"
#include "../../vmm/boot_files.c"
#include "../../vmm/bus.c"
#include "../../vmm/console.c"
#include "../../vmm/devtree.c"
#include "../../vmm/error.c"
#include "../../vmm/loader.c"
#include "../../vmm/log.c"
#include "../../vmm/papr/hcall.c"
#include "../../vmm/papr/rtas.c"
#include "../../vmm/papr/xics.c"
#include "../../vmm/boards/pseries_pci.c"
#include "../../vmm/boards/pseries_smp.c"
#include "../../vmm/pci/config.c"
#include "../../vmm/pci/phb.c"
#include "../../vmm/ram.c"
#include "../../vmm/virtio/device.c"
#include "../../vmm/virtio/mmio.c"
#include "../../vmm/virtio/pci.c"
#include "../../vmm/virtio/rng.c"
#include "../../vmm/virtio/transport.c"
#include "../../vmm/virtio/virtqueue.c"

/* The vcpu loop's part for secondary vcpus stood in: no vcpu runs in these tests. */
int vmm_vcpu_run_secondary(struct vmm_machine *m, unsigned cpu, struct skvm_vcpu *vcpu,
			   struct vmm_err *err)
{
	(void)m, (void)cpu, (void)vcpu, (void)err;
	return VMM_SECONDARY_STOPPED;
}

/* ... and the gdb stub's (m->gdb stays NULL here). */
void vmm_gdb_wake(struct vmm_gdb *g)
{
	(void)g;
}

/* The board's device list (pseries_virtio.c) stood in: one virtio-rng function per --disk,
 * so that the tree's PCI nodes come from real virtio-pci functions without disk images. */
int pseries_add_virtio(const struct pseries_config *cfg, const struct vmm_chardev *console,
		       struct pci_phb *phb, struct virtio_pci **vpci, unsigned *nr,
		       struct vmm_err *err)
{
	(void)console;
	for (unsigned i = 0; i < cfg->nr_disks; i++) {
		struct virtio_dev *d;
		int rc = virtio_rng_create(&d);

		if (!rc)
			rc = virtio_pci_plug(d, phb, &vpci[*nr], err);
		if (rc)
			return rc;
		(*nr)++;
	}
	return 0;
}

void pseries_remove_virtio(struct virtio_pci **vpci, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		virtio_pci_remove(vpci[i]);
}

struct fixture {
	char dir[64], kernel[96], initrd[96], dtb[96];
	struct vmm_machine *m;
	struct vmm_err err;
};

/* A ppc64le "vmlinux": one segment linked at 0xc000000000000000, p_paddr 0, memsz bytes. */
static void write_kernel(const char *path, uint64_t memsz)
{
	uint8_t img[0x200] = {0};
	FILE *f = fopen(path, "wb");

	memcpy(img, ELFMAG, SELFMAG);
	img[EI_CLASS] = ELFCLASS64;
	img[EI_DATA] = ELFDATA2LSB;
	img[EI_VERSION] = EV_CURRENT;
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_type), 2, ET_EXEC);
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_machine), 2, EM_PPC64);
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_entry), 8, 0xc000000000000000ull);
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_phoff), 8, sizeof(Elf64_Ehdr));
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_phentsize), 2, sizeof(Elf64_Phdr));
	vmm_store_le(img + offsetof(Elf64_Ehdr, e_phnum), 2, 1);
	uint8_t *ph = img + sizeof(Elf64_Ehdr);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_type), 4, PT_LOAD);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_flags), 4, PF_R | PF_W | PF_X);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_offset), 8, 0x100);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_vaddr), 8, 0xc000000000000000ull);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_paddr), 8, 0);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_filesz), 8, 0x100);
	vmm_store_le(ph + offsetof(Elf64_Phdr, p_memsz), 8, memsz);
	assert_non_null(f);
	assert_int_equal(fwrite(img, 1, sizeof(img), f), sizeof(img));
	fclose(f);
}

static void write_bytes(const char *path, size_t n, uint8_t fill)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc(fill, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	vmm_log_set_level(VMM_LOG_ERR);
	strcpy(f->dir, "/tmp/softkvm-pseries-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->kernel, sizeof(f->kernel), "%s/vmlinux", f->dir);
	snprintf(f->initrd, sizeof(f->initrd), "%s/initrd", f->dir);
	snprintf(f->dtb, sizeof(f->dtb), "%s/given.dtb", f->dir);
	write_kernel(f->kernel, 0x1000000); /* 16 MiB: 0x400000-0x13fffff */
	write_bytes(f->initrd, 1000, 0x5a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->m)
		f->m->ops->destroy(f->m);
	unlink(f->kernel);
	unlink(f->initrd);
	unlink(f->dtb);
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct pseries_config config(struct fixture *f)
{
	return (struct pseries_config){.kernel = f->kernel,
				       .initrd = f->initrd,
				       .cmdline = "console=hvc0 quiet",
				       .ram_size = 256ull << 20,
				       .nr_cpus = 1};
}

static int create(struct fixture *f, const struct pseries_config *cfg)
{
	if (f->m)
		f->m->ops->destroy(f->m);
	f->m = NULL;
	return pseries_create(cfg, NULL, &f->m, &f->err);
}

static int node(struct fixture *f, const char *path)
{
	int n = fdt_path_offset(f->m->fdt, path);

	if (n < 0)
		fail_msg("no node %s", path);
	return n;
}

/* A property's cells, which must be exactly want. */
static void expect_cells(struct fixture *f, const char *path, const char *prop,
			 const uint32_t *want, unsigned n)
{
	int len;
	const fdt32_t *v = fdt_getprop(f->m->fdt, node(f, path), prop, &len);

	if (!v)
		fail_msg("no %s in %s", prop, path);
	assert_int_equal(len, (int)(n * 4));
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(fdt32_to_cpu(v[i]), want[i]);
}

static void expect_u32(struct fixture *f, const char *path, const char *prop, uint32_t want)
{
	expect_cells(f, path, prop, &want, 1);
}

static void expect_str(struct fixture *f, const char *path, const char *prop,
			  const char *want)
{
	const char *v = fdt_getprop(f->m->fdt, node(f, path), prop, NULL);

	if (!v)
		fail_msg("no %s in %s", prop, path);
	assert_string_equal(v, want);
}

#define CPU0 "/cpus/PowerPC,POWER8@0"

static void test_cpus(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	static const uint32_t page_sizes[] = {12, 0, 1, 12, 0, 16, 0x110, 1, 16, 1,
					      24, 0x100, 1, 24, 0};
	static const uint32_t pft[] = {0, 21};
	static const uint32_t segment_sizes[] = {28, 40, 0xffffffff, 0xffffffff}; /* 1 TiB too */
	const uint8_t *pa;
	int len;

	assert_int_equal(create(f, &cfg), 0);
	expect_str(f, "/", "device_type", "chrp");
	expect_u32(f, "/", "#address-cells", 2);
	expect_str(f, CPU0, "device_type", "cpu");
	expect_u32(f, CPU0, "reg", 0);
	expect_u32(f, CPU0, "cpu-version", 0x004d0200);
	expect_u32(f, CPU0, "timebase-frequency", 512000000);
	expect_u32(f, CPU0, "d-cache-block-size", 128);
	expect_u32(f, CPU0, "i-cache-size", 32768);
	expect_u32(f, CPU0, "ibm,slb-size", 32);
	expect_u32(f, CPU0, "ibm,ppc-interrupt-server#s", 0);
	expect_cells(f, CPU0, "ibm,segment-page-sizes", page_sizes, 15);
	expect_cells(f, CPU0, "ibm,processor-segment-sizes", segment_sizes, 4);
	expect_cells(f, CPU0, "ibm,pft-size", pft, 2); /* 2 MiB of HPT for 256 MiB */
	assert_non_null(fdt_getprop(f->m->fdt, node(f, CPU0), "64-bit", &len));
	pa = fdt_getprop(f->m->fdt, node(f, CPU0), "ibm,pa-features", &len);
	assert_non_null(pa);
	assert_int_equal(len, 26);
	assert_int_equal(pa[0], 24);
	assert_int_equal(pa[2] & 0xc0, 0xc0); /* MMU, FPU */
	assert_int_equal(pa[2 + 5] & 0x80, 0x80); /* true little-endian */
	assert_int_equal(pa[2 + 22], 0);	  /* no transactional memory */
	assert_true(fdt_path_offset(f->m->fdt, "/cpus/PowerPC,POWER8@1") < 0);
}

static void test_smp_servers(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	static const uint32_t servers[] = {0, 4};

	cfg.nr_cpus = 4;
	assert_int_equal(create(f, &cfg), 0);
	expect_u32(f, "/cpus/PowerPC,POWER8@3", "reg", 3);
	expect_u32(f, "/cpus/PowerPC,POWER8@3", "ibm,ppc-interrupt-server#s", 3);
	expect_cells(f, "/interrupt-controller", "ibm,interrupt-server-ranges", servers, 2);
	cfg.nr_cpus = PSERIES_MAX_CPUS + 1;
	assert_int_equal(create(f, &cfg), -EINVAL);
	assert_string_equal(f->err.msg, "65 vcpus: the pseries board takes 1 to 64");
}

/* The secondary vcpus: stopped at power-on; RTAS start-cpu starts a stopped one (here the
 * stand-in loop stops it again at once) at its entry with r3 and the partition's LPCR;
 * the boot vcpu and vcpus that do not exist are refused; a reset parks them all. */
static void test_smp_start_stop(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	struct pseries_board *b;
	struct skvm_regs regs;
	uint64_t lpcr;

	cfg.nr_cpus = 3;
	assert_int_equal(create(f, &cfg), 0);
	b = to_board(f->m);
	assert_int_equal(pseries_rtas_cpu_state(b, 0), 2);
	assert_int_equal(pseries_rtas_cpu_state(b, 1), 0);
	assert_int_equal(pseries_rtas_cpu_state(b, 2), 0);
	assert_int_equal(pseries_rtas_cpu_state(b, 3), -1);
	assert_int_equal(pseries_rtas_start_cpu(b, 0, 0x100, 0), -1);
	assert_int_equal(pseries_rtas_start_cpu(b, 3, 0x100, 0), -1);
	b->lpcr = 1ull << 25; /* ILE, as an RTAS call from the boot vcpu would have seen it */
	assert_int_equal(pseries_rtas_start_cpu(b, 2, 0x12340, 2), 0);
	pthread_mutex_lock(&b->smp.lock);
	while (b->smp.cpu[2].state != PSERIES_CPU_STOPPED)
		pthread_cond_wait(&b->smp.cond, &b->smp.lock);
	pthread_mutex_unlock(&b->smp.lock);
	assert_int_equal(skvm_vcpu_get_regs(b->vcpus[2], &regs), 0);
	assert_int_equal(regs.pc, 0x12340);
	assert_int_equal(regs.gpr[3], 2);
	assert_int_equal(regs.msr, 1ull << 63 | 1ull << 12);
	assert_int_equal(skvm_vcpu_get_one_reg(b->vcpus[2], SKVM_REG_PPC_LPCR_64, &lpcr), 0);
	assert_int_equal(lpcr, 1ull << 25);
	/* the hypercall the next run completes holds the entry registers too */
	assert_int_equal(skvm_vcpu_run_data(b->vcpus[2])->papr_hcall.ret, 2);
	assert_int_equal(pseries_rtas_start_cpu(b, 1, 0x100, 1), 0);
	assert_int_equal(f->m->ops->reset(f->m, &f->err), 0);
	assert_int_equal(pseries_rtas_cpu_state(b, 1), 0);
	assert_int_equal(pseries_rtas_cpu_state(b, 2), 0);
	assert_int_equal(b->lpcr, 0);
}

static void test_memory_rtas_vdevice(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	static const uint32_t mem[] = {0, 0, 0, 0x10000000};
	static const char *const calls[] = {
	    "display-character", "get-time-of-day", "set-time-of-day", "power-off",
	    "system-reboot", "event-scan", "query-cpu-stopped-state", "start-cpu", "stop-self",
	    "ibm,set-xive", "ibm,get-xive", "ibm,int-off", "ibm,int-on", "nvram-fetch",
	    "nvram-store", "ibm,os-term", "ibm,get-system-parameter"};
	const char *hyp;
	int len;

	assert_int_equal(create(f, &cfg), 0);
	expect_str(f, "/memory@0", "device_type", "memory");
	expect_cells(f, "/memory@0", "reg", mem, 4);

	/* RTAS a page below the tree, the tree 1 MiB below the top of RAM */
	expect_u32(f, "/rtas", "linux,rtas-base", 0x0ff00000 - 0x1000);
	expect_u32(f, "/rtas", "linux,rtas-entry", 0x0ff00000 - 0x1000);
	expect_u32(f, "/rtas", "rtas-size", 0x1000);
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		expect_u32(f, "/rtas", calls[i], rtas_token(calls[i]));
	hyp = fdt_getprop(f->m->fdt, node(f, "/rtas"), "ibm,hypertas-functions", &len);
	assert_non_null(hyp);
	assert_string_equal(hyp, "hcall-pft");
	assert_non_null(memmem(hyp, (size_t)len, "hcall-splpar", 13));
	assert_non_null(fdt_getprop(f->m->fdt, node(f, "/rtas"), "ibm,extended-os-term", &len));

	expect_str(f, "/vdevice", "compatible", "IBM,vdevice");
	expect_str(f, "/vdevice/vty@71000000", "compatible", "hvterm1");
	expect_u32(f, "/vdevice/vty@71000000", "reg", PAPR_VTY_REG);
	expect_u32(f, "/vdevice/nvram@71000001", "#bytes", RTAS_NVRAM_SIZE);
	expect_str(f, "/interrupt-controller", "compatible", "IBM,ppc-xicp");
	expect_str(f, "/ibm,random-v1", "compatible", "ibm,random-v1");
	expect_str(f, "/hypervisor", "compatible", "linux,kvm");
}

/* /chosen, and what the tree keeps from the kernel's hands. */
static void test_chosen_reservations(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	uint64_t addr, size;

	assert_int_equal(create(f, &cfg), 0);
	expect_str(f, "/chosen", "bootargs", "console=hvc0 quiet");
	expect_str(f, "/chosen", "linux,stdout-path", "/vdevice/vty@71000000");
	/* the kernel (16 MiB at 4 MiB) ends at 0x1400000: the initrd there, 64 KiB aligned */
	expect_u32(f, "/chosen", "linux,initrd-start", 0x1400000);
	expect_u32(f, "/chosen", "linux,initrd-end", 0x1400000 + 1000);
	assert_int_equal(fdt_num_mem_rsv(f->m->fdt), 3);
	assert_int_equal(fdt_get_mem_rsv(f->m->fdt, 0, &addr, &size), 0);
	assert_int_equal(addr, 0x0feff000);
	assert_int_equal(size, 0x1000);
	assert_int_equal(fdt_get_mem_rsv(f->m->fdt, 1, &addr, &size), 0);
	assert_int_equal(addr, 0x0ff00000);
	assert_int_equal(fdt_get_mem_rsv(f->m->fdt, 2, &addr, &size), 0);
	assert_int_equal(addr, 0x1400000);
	assert_int_equal(size, 1000);
	/* the kernel is in RAM where QEMU would put it */
	assert_int_equal(f->m->ram->host[0x400100], 0);
	assert_true(fdt_check_full(f->m->fdt, fdt_totalsize(f->m->fdt)) == 0);

	/* no initrd, no paravirt */
	cfg.initrd = NULL;
	cfg.no_paravirt = true;
	assert_int_equal(create(f, &cfg), 0);
	assert_int_equal(fdt_num_mem_rsv(f->m->fdt), 2);
	assert_true(fdt_path_offset(f->m->fdt, "/hypervisor") < 0);
	assert_null(fdt_getprop(f->m->fdt, node(f, "/chosen"), "linux,initrd-start", NULL));
}

/* Guest RAM at power-on: RTAS's entry code (the H_RTAS hypercall) and the tree where /rtas
 * and r3 say, the initrd where /chosen says. */
static void test_ram_images(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	uint8_t blob[RTAS_BLOB_SIZE];
	const uint8_t *ram;

	assert_int_equal(create(f, &cfg), 0);
	ram = f->m->ram->host;
	rtas_blob(blob);
	assert_memory_equal(ram + 0x0feff000, blob, RTAS_BLOB_SIZE);
	assert_int_equal(ram[0x0feff000 + RTAS_BLOB_SIZE], 0);
	assert_int_equal(vmm_load_be(ram + 0x0feff000 + 8, 4), 0x6063f000); /* ori r3,r3,H_RTAS */
	assert_memory_equal(ram + 0x0ff00000, f->m->fdt, fdt_totalsize(f->m->fdt));
	assert_int_equal(fdt_magic(ram + 0x0ff00000), FDT_MAGIC);
	assert_int_equal(ram[0x1400000], 0x5a);
	assert_int_equal(ram[0x1400000 + 999], 0x5a);
	assert_int_equal(ram[0x1400000 + 1000], 0);
}

/* QEMU's rule: 1/128 of RAM, rounded up, at least 256 KiB; the tree stays below 1 GiB. */
static void test_htab_and_large_ram(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	static const uint32_t pft[] = {0, 24};

	assert_int_equal(pseries_htab_shift(128ull << 20), 20);
	assert_int_equal(pseries_htab_shift(256ull << 20), 21);
	assert_int_equal(pseries_htab_shift(300ull << 20), 22);
	assert_int_equal(pseries_htab_shift(1ull << 30), 23);
	assert_int_equal(pseries_htab_shift(16ull << 20), 18);
	cfg.ram_size = 2ull << 30;
	assert_int_equal(create(f, &cfg), 0);
	expect_cells(f, CPU0, "ibm,pft-size", pft, 2);
	expect_u32(f, "/rtas", "linux,rtas-base", 0x3ff00000 - 0x1000);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);

	cfg.ram_size = 64ull << 20;
	assert_int_equal(create(f, &cfg), -EINVAL);
	/* a kernel reaching into the RTAS page */
	write_kernel(f->kernel, 0x0feff000 - 0x400000 + 1);
	cfg = config(f);
	assert_int_equal(create(f, &cfg), -ENOSPC);
	assert_non_null(strstr(f->err.msg, "no room for RTAS and the device tree"));
	/* one that fits, with an initrd that does not */
	write_kernel(f->kernel, 0x0fefe000 - 0x400000);
	assert_int_equal(create(f, &cfg), -EFBIG);
	assert_non_null(strstr(f->err.msg, "does not fit between the kernel"));
	/* a 32-bit kernel */
	write_bytes(f->kernel, 64, 0);
	memcpy(f->err.msg, "", 1);
	FILE *k = fopen(f->kernel, "wb");
	uint8_t e32[52] = {0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2MSB, EV_CURRENT};
	fwrite(e32, 1, sizeof(e32), k);
	fclose(k);
	assert_int_equal(create(f, &cfg), -ENOTSUP);
	assert_non_null(strstr(f->err.msg, "not 64-bit PowerPC"));
}

/* Not an ELF: a flat binary at 0x400000, QEMU's pseries bare-metal convention. */
static void test_flat_kernel(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);

	write_bytes(f->kernel, 0x12345, 0x60);
	assert_int_equal(create(f, &cfg), 0);
	assert_int_equal(f->m->ram->host[PSERIES_KERNEL_BASE], 0x60);
	assert_int_equal(f->m->ram->host[PSERIES_KERNEL_BASE + 0x12344], 0x60);
	assert_int_equal(f->m->ram->host[PSERIES_KERNEL_BASE + 0x12345], 0);
	expect_u32(f, "/chosen", "linux,initrd-start", 0x420000);
}

/* --dtb: the given tree, only /chosen edited. */
static void test_given_dtb(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	uint8_t buf[1024];
	FILE *out;

	assert_int_equal(fdt_create_empty_tree(buf, sizeof(buf)), 0);
	assert_int_equal(fdt_setprop_string(buf, 0, "model", "mine"), 0);
	out = fopen(f->dtb, "wb");
	fwrite(buf, 1, fdt_totalsize(buf), out);
	fclose(out);
	cfg.dtb = f->dtb;
	assert_int_equal(create(f, &cfg), 0);
	expect_str(f, "/", "model", "mine");
	expect_str(f, "/chosen", "bootargs", "console=hvc0 quiet");
	assert_true(fdt_path_offset(f->m->fdt, "/cpus") < 0);
}

/* The PCI host bridge as Linux's pSeries_discover_phbs and of_scan_bus read it, with two
 * functions: their identification, config-space and BAR addresses, the BAR each got in the
 * 32-bit window (what RTAS config reads return too) and the INTx routing to XICS. */
#define PHB "/pci@800000020000000"
static void test_phb(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	struct virtio_blk_opts two[2] = {{0}};
	struct pseries_board *b;
	const fdt32_t *map;
	int len;

	cfg.disks = two;
	cfg.nr_disks = 2;
	assert_int_equal(create(f, &cfg), 0);
	expect_str(f, PHB, "device_type", "pci");
	expect_str(f, PHB, "compatible", "IBM,Logical_PHB");
	expect_u32(f, PHB, "#address-cells", 3);
	expect_u32(f, PHB, "#size-cells", 2);
	expect_u32(f, PHB, "#interrupt-cells", 1);
	expect_cells(f, PHB, "reg", (uint32_t[]){0x08000000, 0x20000000, 0, 0}, 4);
	expect_cells(f, PHB, "ranges",
		     (uint32_t[]){0x02000000, 0, 0x80000000, 0x2000, 0x80000000, 0, 0x80000000}, 7);
	expect_cells(f, PHB, "bus-range", (uint32_t[]){0, 0}, 2);
	expect_u32(f, PHB, "ibm,pci-config-space-type", 0);
	expect_u32(f, PHB, "ibm,pe-total-#msi", 0); /* INTx only; without it Linux logs an error */
	assert_non_null(fdt_getprop(f->m->fdt, node(f, PHB), "used-by-rtas", NULL));
	expect_cells(f, PHB, "interrupt-map-mask", (uint32_t[]){0xf800, 0, 0, 7}, 4);
	expect_cells(f, PHB, "ibm,dma-window", (uint32_t[]){0x80000000, 0, 0, 0, 16 << 20}, 5);
	expect_u32(f, PHB, "ibm,#dma-address-cells", 2);
	expect_u32(f, PHB, "ibm,#dma-size-cells", 2);
	/* 32 slots x 4 pins; slot 1 pin A -> INTB = source 0x1201, level */
	map = fdt_getprop(f->m->fdt, node(f, PHB), "interrupt-map", &len);
	assert_non_null(map);
	assert_int_equal(len, 32 * 4 * 7 * 4);
	assert_int_equal(fdt32_to_cpu(map[0]), 0);
	assert_int_equal(fdt32_to_cpu(map[5]), 0x1200);
	assert_int_equal(fdt32_to_cpu(map[4 * 7 + 0]), 0x800);
	assert_int_equal(fdt32_to_cpu(map[4 * 7 + 3]), 1);
	assert_int_equal(fdt32_to_cpu(map[4 * 7 + 4]), PSERIES_PHANDLE_XICP);
	assert_int_equal(fdt32_to_cpu(map[4 * 7 + 5]), 0x1201);
	assert_int_equal(fdt32_to_cpu(map[4 * 7 + 6]), 1);
	assert_int_equal(fdt32_to_cpu(map[5 * 7 + 5]), 0x1202); /* slot 1 pin B */

	expect_u32(f, PHB "/pci1af4,1044@0", "vendor-id", 0x1af4);
	expect_u32(f, PHB "/pci1af4,1044@0", "device-id", 0x1044);
	expect_u32(f, PHB "/pci1af4,1044@0", "revision-id", 1);
	expect_u32(f, PHB "/pci1af4,1044@0", "class-code", 0xff0000);
	expect_u32(f, PHB "/pci1af4,1044@0", "subsystem-id", 4);
	expect_u32(f, PHB "/pci1af4,1044@0", "interrupts", 1);
	expect_cells(f, PHB "/pci1af4,1044@1", "reg",
		     (uint32_t[]){0x800, 0, 0, 0, 0, 0x02000810, 0, 0, 0, 0x4000}, 10);
	expect_cells(f, PHB "/pci1af4,1044@0", "assigned-addresses",
		     (uint32_t[]){0x02000010, 0, 0x80000000, 0, 0x4000}, 5);
	expect_cells(f, PHB "/pci1af4,1044@1", "assigned-addresses",
		     (uint32_t[]){0x02000810, 0, 0x80004000, 0, 0x4000}, 5);
	assert_true(fdt_path_offset(f->m->fdt, PHB "/pci1af4,1044@2") < 0);
	/* the window is on the machine's bus: slot 1's num_queues through it */
	b = to_board(f->m);
	uint8_t v[2];
	assert_int_equal(vmm_bus_mmio(&b->m.mmio, PSERIES_PHB_MEM_GPA + 0x4000 + 0x12, v, 2, false), 0);
	assert_int_equal(v[0] | v[1] << 8, 1);
	/* and without devices there is no bridge: Linux 6.1 sets up every PHB's DMA window
	 * (pci_dma_bus_setup_pSeriesLP), which this one does not have */
	cfg.nr_disks = 0;
	assert_int_equal(create(f, &cfg), 0);
	assert_true(fdt_path_offset(f->m->fdt, PHB) < 0);
}

/* A line longer than the vty's buffer, typed at once, comes out whole through
 * H_GET_TERM_CHAR after the one kick it gives: the buffer refills from the console as the
 * guest drains it (the rest used to wait for the next key pressed). Source 0x1100 is held
 * until the last byte has been read. */
static void test_vty_long_line(void **state)
{
	struct fixture *f = *state;
	struct pseries_config cfg = config(f);
	struct vmm_console con;
	struct pseries_board *b;
	uint8_t line[3 * PSERIES_VTY_BUF + 17], got[sizeof(line)];
	size_t n = 0;
	int fds[2];

	for (size_t i = 0; i < sizeof(line); i++)
		line[i] = (uint8_t)('a' + i % 26);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], line, sizeof(line)), (ssize_t)sizeof(line));
	vmm_console_init(&con, fds[0], STDOUT_FILENO);
	assert_int_equal(pseries_create(&cfg, &con, &f->m, &f->err), 0);
	b = to_board(f->m);
	assert_int_equal(f->m->ops->poll(f->m, &f->err), 0); /* the console's kick */
	while (n < sizeof(line)) {
		struct papr_hcall h = {.nr = SKVM_H_GET_TERM_CHAR, .args = {PAPR_VTY_REG}};
		uint8_t chunk[16];

		assert_true(b->xics.src[PSERIES_IRQ_VTY - XICS_IRQ_BASE].asserted);
		assert_int_equal(papr_hcall(&b->papr, 0, &h), 0);
		assert_int_equal(h.ret, SKVM_H_SUCCESS);
		if (!h.args[0])
			fail_msg("H_GET_TERM_CHAR gives nothing after %zu of %zu bytes", n,
				 sizeof(line));
		assert_true(h.args[0] <= 16 && n + h.args[0] <= sizeof(line));
		vmm_store_be(chunk, 8, h.args[1]);
		vmm_store_be(chunk + 8, 8, h.args[2]);
		memcpy(got + n, chunk, h.args[0]);
		n += h.args[0];
	}
	assert_memory_equal(got, line, sizeof(line));
	assert_false(b->xics.src[PSERIES_IRQ_VTY - XICS_IRQ_BASE].asserted);
	f->m->ops->destroy(f->m);
	f->m = NULL;
	vmm_console_destroy(&con);
	close(fds[0]);
	close(fds[1]);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_phb),
	    T(test_cpus),	    T(test_smp_servers), T(test_smp_start_stop),       T(test_memory_rtas_vdevice),
	    T(test_chosen_reservations), T(test_htab_and_large_ram), T(test_refusals),
	    T(test_flat_kernel),    T(test_given_dtb),	       T(test_ram_images),
	    T(test_vty_long_line),
	};

	return cmocka_run_group_tests_name("vmm pseries", tests, NULL, NULL);
}
