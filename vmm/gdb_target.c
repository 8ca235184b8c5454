// SPDX-License-Identifier: MIT
/* What gdb debugs (see gdb_target.h). */
#include "gdb_target.h"

#include <errno.h>
#include <string.h>

#include "ram.h"
#include "softkvm/skvm.h"

/* gdb's own features (gdb/features/rs6000/power-core.xml, power64-core.xml, power-fpu.xml):
 * with these names gdb-multiarch knows the registers whatever powerpc architecture the
 * user sets. */
#define GPR32(n)	    "<reg name=\"r" #n "\" bitsize=\"32\" type=\"uint32\"/>\n"
#define GPR64(n)	    "<reg name=\"r" #n "\" bitsize=\"64\" type=\"uint64\"/>\n"
#define FPR(n)		    "<reg name=\"f" #n "\" bitsize=\"64\" type=\"ieee_double\"/>\n"
#define FOUR(R, a, b, c, d) R(a) R(b) R(c) R(d)
#define GPRS(R)                                                                                    \
	FOUR(R, 0, 1, 2, 3) FOUR(R, 4, 5, 6, 7) FOUR(R, 8, 9, 10, 11) FOUR(R, 12, 13, 14, 15)     \
	FOUR(R, 16, 17, 18, 19) FOUR(R, 20, 21, 22, 23) FOUR(R, 24, 25, 26, 27)                   \
	FOUR(R, 28, 29, 30, 31)
/* pc, msr, lr and ctr are a GPR's width; cr and xer 32 bits in both */
#define SPRS(bits, type)                                                                           \
	"<reg name=\"pc\" bitsize=\"" bits "\" type=\"code_ptr\" regnum=\"64\"/>\n"               \
	"<reg name=\"msr\" bitsize=\"" bits "\" type=\"" type "\"/>\n"                            \
	"<reg name=\"cr\" bitsize=\"32\" type=\"uint32\"/>\n"                                     \
	"<reg name=\"lr\" bitsize=\"" bits "\" type=\"code_ptr\"/>\n"                             \
	"<reg name=\"ctr\" bitsize=\"" bits "\" type=\"" type "\"/>\n"                            \
	"<reg name=\"xer\" bitsize=\"32\" type=\"uint32\"/>\n"
/* clang-format off */
#define TARGET_XML(arch, gprs, sprs)                                                               \
	"<?xml version=\"1.0\"?>\n"                                                                \
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"                                            \
	"<target version=\"1.0\">\n"                                                               \
	"<architecture>" arch "</architecture>\n"                                                  \
	"<feature name=\"org.gnu.gdb.power.core\">\n"                                              \
	gprs sprs                                                                                  \
	"</feature>\n"                                                                             \
	"<feature name=\"org.gnu.gdb.power.fpu\">\n"                                               \
	"<reg name=\"f0\" bitsize=\"64\" type=\"ieee_double\" regnum=\"32\"/>\n"                 \
	FPR(1) FPR(2) FPR(3) FOUR(FPR, 4, 5, 6, 7) FOUR(FPR, 8, 9, 10, 11)                         \
	FOUR(FPR, 12, 13, 14, 15) FOUR(FPR, 16, 17, 18, 19) FOUR(FPR, 20, 21, 22, 23)              \
	FOUR(FPR, 24, 25, 26, 27) FOUR(FPR, 28, 29, 30, 31)                                        \
	"<reg name=\"fpscr\" bitsize=\"32\" group=\"float\" regnum=\"70\"/>\n"                    \
	"</feature>\n"                                                                             \
	"</target>\n"
/* clang-format on */

/* The 440: the address, the PID in bits 32-39 and MSR[IS] (fetch) or MSR[DS] (data) in bit
 * 40, as its KVM_TRANSLATE takes them. */
static uint64_t linear_440(uint64_t addr, const struct skvm_regs *r, bool fetch)
{
	return (uint32_t)addr | (r->pid & 0xff) << 32 |
	       (uint64_t)((r->msr & (fetch ? PPC_MSR_IS : PPC_MSR_DS)) != 0) << 40;
}

/* Book3S PR: the effective address, in MSR[DR]'s context (IR's is the same but for the
 * few instructions that switch translation). */
static uint64_t linear_book3s(uint64_t addr, const struct skvm_regs *r, bool fetch)
{
	(void)r;
	(void)fetch;
	return addr;
}

static bool plant_now_440(uint64_t addr, const struct skvm_regs *r)
{
	(void)addr;
	(void)r;
	return true;
}

/* Book3S: with MSR[IR] off, once the PC runs where the address points (see gdb_target.h) */
#define BOOK3S_MSR_IR 0x20u
static bool plant_now_book3s(uint64_t addr, const struct skvm_regs *r)
{
	return (r->msr & BOOK3S_MSR_IR) || addr >> 60 == r->pc >> 60;
}

static const struct gdb_layout layout_440 = {
	.xml = TARGET_XML("powerpc:common", GPRS(GPR32), SPRS("32", "uint32")),
	.word = 4,
	.le = false,
	.addr_max = UINT32_MAX,
	.linear = linear_440,
	.plant_now = plant_now_440,
};

/* little-endian: the byte order of the ppc64le kernels and programs the pseries board
 * runs, which gdb takes from their ELF files (`set endian little` without one) */
static const struct gdb_layout layout_book3s = {
	.xml = TARGET_XML("powerpc:common64", GPRS(GPR64), SPRS("64", "uint64")),
	.word = 8,
	.le = true,
	.addr_max = UINT64_MAX,
	.linear = linear_book3s,
	.plant_now = plant_now_book3s,
};

const struct gdb_layout *gdb_layout_of(unsigned vm_type)
{
	return vm_type == SKVM_VM_PPC_PR ? &layout_book3s : &layout_440;
}

static void put_word(uint8_t *p, uint64_t v, size_t size, bool le);

int gdb_target_init(struct gdb_target *t, struct vmm_machine *m)
{
	uint32_t inst;
	int rc;

	memset(t, 0, sizeof(*t));
	t->m = m;
	t->vcpu = m->vcpu;
	t->layout = gdb_layout_of(m->vm_type);
	rc = skvm_vcpu_get_one_reg(t->vcpu, SKVM_REG_PPC_DEBUG_INST, &inst);
	if (rc)
		return rc;
	put_word(t->trap, inst, 4, t->layout->le);
	t->max_hw_break = (unsigned)skvm_check_extension(m->vm, SKVM_CAP_GUEST_DEBUG_HW_BPS);
	t->max_hw_watch = (unsigned)skvm_check_extension(m->vm, SKVM_CAP_GUEST_DEBUG_HW_WPS);
	if (t->max_hw_break + t->max_hw_watch > GDB_MAX_HW)
		t->max_hw_break = t->max_hw_watch = 0;
	return 0;
}

/* ---- registers ---- */

static void put_word(uint8_t *p, uint64_t v, size_t size, bool le)
{
	for (size_t i = 0; i < size; i++)
		p[le ? i : size - 1 - i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_word(const uint8_t *p, size_t size, bool le)
{
	uint64_t v = 0;

	for (size_t i = 0; i < size; i++)
		v |= (uint64_t)p[le ? i : size - 1 - i] << (8 * i);
	return v;
}

/* Where register regno sits in struct skvm_regs (NULL for the FP ones). */
static uint64_t *reg_field(struct skvm_regs *r, unsigned regno)
{
	if (regno < GDB_REG_F0)
		return &r->gpr[regno];
	switch (regno) {
	case GDB_REG_PC:
		return &r->pc;
	case GDB_REG_MSR:
		return &r->msr;
	case GDB_REG_CR:
		return &r->cr;
	case GDB_REG_LR:
		return &r->lr;
	case GDB_REG_CTR:
		return &r->ctr;
	case GDB_REG_XER:
		return &r->xer;
	}
	return NULL;
}

static size_t reg_size(const struct gdb_target *t, unsigned regno)
{
	if (regno >= GDB_REG_F0 && regno < GDB_REG_PC)
		return 8;
	if (regno == GDB_REG_CR || regno == GDB_REG_XER || regno == GDB_REG_FPSCR)
		return 4;
	return t->layout->word;
}

size_t gdb_target_regs_bytes(const struct gdb_target *t)
{
	size_t n = 0;

	for (unsigned i = 0; i < GDB_REG_COUNT; i++)
		n += reg_size(t, i);
	return n;
}

static uint64_t fp_id(unsigned regno)
{
	return regno == GDB_REG_FPSCR ? SKVM_REG_PPC_FPSCR : SKVM_REG_PPC_FPR(regno - GDB_REG_F0);
}

static int read_one(struct gdb_target *t, struct skvm_regs *r, unsigned regno, uint8_t *out)
{
	uint64_t *f = reg_field(r, regno), v;
	int rc;

	if (f) {
		v = *f;
	} else {
		rc = skvm_vcpu_get_one_reg(t->vcpu, fp_id(regno), &v);
		if (rc)
			return rc;
	}
	put_word(out, v, reg_size(t, regno), t->layout->le);
	return 0;
}

/* GPRs and SPRs go into r (written back by the caller); FP registers at once. */
static int write_one(struct gdb_target *t, struct skvm_regs *r, unsigned regno, const uint8_t *in)
{
	uint64_t *f = reg_field(r, regno), v = get_word(in, reg_size(t, regno), t->layout->le);

	if (f) {
		*f = v;
		return 0;
	}
	return skvm_vcpu_set_one_reg(t->vcpu, fp_id(regno), &v);
}

int gdb_target_read_regs(struct gdb_target *t, uint8_t out[GDB_REGS_MAX])
{
	struct skvm_regs r;
	size_t off = 0;
	int rc = skvm_vcpu_get_regs(t->vcpu, &r);

	for (unsigned i = 0; !rc && i < GDB_REG_COUNT; i++) {
		rc = read_one(t, &r, i, out + off);
		off += reg_size(t, i);
	}
	return rc;
}

int gdb_target_write_regs(struct gdb_target *t, const uint8_t in[GDB_REGS_MAX])
{
	struct skvm_regs r;
	size_t off = 0;
	int rc = skvm_vcpu_get_regs(t->vcpu, &r);

	for (unsigned i = 0; !rc && i < GDB_REG_COUNT; i++) {
		rc = write_one(t, &r, i, in + off);
		off += reg_size(t, i);
	}
	return rc ? rc : skvm_vcpu_set_regs(t->vcpu, &r);
}

int gdb_target_read_reg(struct gdb_target *t, unsigned regno, uint8_t out[8], size_t *size)
{
	struct skvm_regs r;
	int rc;

	if (regno >= GDB_REG_COUNT)
		return -ENOENT;
	rc = skvm_vcpu_get_regs(t->vcpu, &r);
	if (rc)
		return rc;
	*size = reg_size(t, regno);
	return read_one(t, &r, regno, out);
}

int gdb_target_write_reg(struct gdb_target *t, unsigned regno, const uint8_t *in, size_t size)
{
	struct skvm_regs r;
	int rc;

	if (regno >= GDB_REG_COUNT)
		return -ENOENT;
	if (size != reg_size(t, regno))
		return -EINVAL;
	rc = skvm_vcpu_get_regs(t->vcpu, &r);
	if (!rc)
		rc = write_one(t, &r, regno, in);
	return rc || !reg_field(&r, regno) ? rc : skvm_vcpu_set_regs(t->vcpu, &r);
}

int gdb_target_set_pc(struct gdb_target *t, uint64_t pc)
{
	struct skvm_regs r;
	int rc = skvm_vcpu_get_regs(t->vcpu, &r);

	if (rc)
		return rc;
	r.pc = pc;
	return skvm_vcpu_set_regs(t->vcpu, &r);
}

/* ---- memory ---- */

/* The smallest page of either MMU (the 440's 1 KiB): a translation holds at least this far. */
#define GDB_PAGE 1024u

/* addr in vcpu's current context (the layout says which). 0 or -EFAULT when it does not
 * translate. */
static int translate(struct gdb_target *t, struct skvm_vcpu *vcpu, uint64_t addr, bool fetch,
		     uint64_t *gpa)
{
	struct skvm_translation tr;
	struct skvm_regs r;
	int rc = skvm_vcpu_get_regs(vcpu, &r);

	if (rc)
		return rc;
	if (addr > t->layout->addr_max)
		return -EFAULT;
	memset(&tr, 0, sizeof(tr));
	tr.linear_address = t->layout->linear(addr, &r, fetch);
	rc = skvm_vcpu_translate(vcpu, &tr);
	if (rc)
		return rc;
	if (!tr.valid)
		return -EFAULT;
	*gpa = tr.physical_address;
	return 0;
}

/* The host bytes behind [addr, addr + len) when one translation covers them (len never
 * crosses a GDB_PAGE boundary) and they are RAM. */
static int host_ptr(struct gdb_target *t, uint64_t addr, size_t len, bool fetch, uint8_t **p,
		    uint64_t *gpa)
{
	int rc = translate(t, t->vcpu, addr, fetch, gpa);

	if (rc)
		return rc;
	*p = vmm_ram_ptr(t->m->ram, *gpa, len);
	return *p ? 0 : -EFAULT;
}

static size_t chunk(uint64_t addr, size_t len)
{
	size_t left = GDB_PAGE - (addr & (GDB_PAGE - 1));

	return len < left ? len : left;
}

static void bp_shadow(struct gdb_target *t, uint64_t gpa, uint8_t *data, size_t n, bool write);

int gdb_target_read_mem(struct gdb_target *t, uint64_t addr, uint8_t *out, size_t len, size_t *done)
{
	uint64_t gpa;
	uint8_t *p;
	int rc = 0;

	*done = 0;
	while (*done < len) {
		uint64_t a = addr + *done;
		size_t n = chunk(a, len - *done);

		if (a < addr || a > t->layout->addr_max)
			break; /* past the top of the address space */
		rc = host_ptr(t, a, n, false, &p, &gpa);
		if (rc)
			break;
		memcpy(out + *done, p, n);
		bp_shadow(t, gpa, out + *done, n, false);
		*done += n;
	}
	return *done ? 0 : (rc ? rc : -EFAULT);
}

int gdb_target_write_mem(struct gdb_target *t, uint64_t addr, const uint8_t *in, size_t len)
{
	uint64_t gpa;
	uint8_t *p;
	size_t off;
	int rc;

	if (len && (addr > t->layout->addr_max || len - 1 > t->layout->addr_max - addr))
		return -EFAULT;
	/* all of it first, so that a write is all or nothing */
	for (off = 0; off < len; off += chunk(addr + off, len - off)) {
		rc = host_ptr(t, addr + off, chunk(addr + off, len - off), false, &p, &gpa);
		if (rc)
			return rc;
	}
	for (off = 0; off < len;) {
		size_t n = chunk(addr + off, len - off);

		rc = host_ptr(t, addr + off, n, false, &p, &gpa);
		if (rc)
			return rc;
		memcpy(p, in + off, n);
		bp_shadow(t, gpa, p, n, true);
		/* the host wrote guest memory behind the guest's back */
		rc = skvm_vm_flush_icache(t->m->vm, gpa, n);
		if (rc)
			return rc;
		off += n;
	}
	return 0;
}

/* ---- breakpoints ---- */

static struct gdb_breakpoint *bp_find(struct gdb_target *t, uint64_t addr)
{
	for (unsigned i = 0; i < t->nr_bp; i++)
		if (t->bp[i].addr == addr)
			return &t->bp[i];
	return NULL;
}

bool gdb_target_is_bp(const struct gdb_target *t, uint64_t addr)
{
	for (unsigned i = 0; i < t->nr_bp; i++)
		if (t->bp[i].addr == addr && t->bp[i].planted)
			return true;
	return false;
}

/* gdb sees guest memory as if no breakpoint were planted (as gdbserver shows it): a read
 * gets the saved instructions, a write over a breakpoint changes what it saved and the
 * breakpoint stays. data is n bytes at gpa (read: the copy for gdb; write: guest RAM). */
static void bp_shadow(struct gdb_target *t, uint64_t gpa, uint8_t *data, size_t n, bool write)
{
	for (unsigned i = 0; i < t->nr_bp; i++) {
		struct gdb_breakpoint *b = &t->bp[i];

		if (!b->planted || b->gpa + 4 <= gpa || b->gpa >= gpa + n)
			continue;
		for (unsigned k = 0; k < 4; k++) {
			uint64_t a = b->gpa + k;

			if (a < gpa || a >= gpa + n)
				continue;
			if (write) {
				b->saved[k] = data[a - gpa];
				data[a - gpa] = t->trap[k];
			} else {
				data[a - gpa] = b->saved[k];
			}
		}
	}
}

static uint8_t *bp_host(struct gdb_target *t, const struct gdb_breakpoint *b)
{
	return vmm_ram_ptr(t->m->ram, b->gpa, 4);
}

/* Writes the instruction bytes at b's guest-physical address, and tells the hypervisor
 * that the code there changed (no stale decode of it may run). */
static int bp_write(struct gdb_target *t, const struct gdb_breakpoint *b, const uint8_t insn[4])
{
	memcpy(bp_host(t, b), insn, 4);
	return skvm_vm_flush_icache(t->m->vm, b->gpa, 4);
}

/* Plants b where its address translates now for vcpu: -EFAULT if it does not translate (or
 * is not to be planted yet), -EINVAL if it is not RAM. */
static int bp_plant(struct gdb_target *t, struct skvm_vcpu *vcpu, struct gdb_breakpoint *b)
{
	struct skvm_regs r;
	uint64_t gpa;
	uint8_t *p;
	int rc = skvm_vcpu_get_regs(vcpu, &r);

	if (!rc && !t->layout->plant_now(b->addr, &r))
		rc = -EFAULT;
	if (!rc)
		rc = translate(t, vcpu, b->addr, true, &gpa);
	if (rc)
		return rc;
	p = vmm_ram_ptr(t->m->ram, gpa, 4);
	if (!p)
		return -EINVAL;
	b->gpa = gpa;
	memcpy(b->saved, p, 4);
	rc = bp_write(t, b, t->trap);
	b->planted = !rc;
	return rc;
}

int gdb_target_insert_bp(struct gdb_target *t, uint64_t addr)
{
	struct gdb_breakpoint *b;
	int rc;

	if (addr & 3 || addr > t->layout->addr_max)
		return -EINVAL;
	if (bp_find(t, addr))
		return 0; /* gdb may insert one twice */
	if (t->nr_bp == GDB_MAX_BREAKPOINTS)
		return -ENOSPC;
	b = &t->bp[t->nr_bp];
	*b = (struct gdb_breakpoint){.addr = addr};
	rc = bp_plant(t, t->vcpu, b);
	if (rc && rc != -EFAULT)
		return rc;
	t->nr_bp++; /* planted, or pending until its address translates */
	return 0;
}

static void bp_unplant(struct gdb_target *t, struct gdb_breakpoint *b)
{
	uint8_t *p = b->planted ? bp_host(t, b) : NULL;

	/* unless the guest has written over it since (then its own word stays); the flush
	 * of a RAM word cannot fail */
	if (p && !memcmp(p, t->trap, 4))
		(void)bp_write(t, b, b->saved);
	b->planted = false;
}

int gdb_target_remove_bp(struct gdb_target *t, uint64_t addr)
{
	struct gdb_breakpoint *b = bp_find(t, addr);

	if (!b)
		return 0;
	bp_unplant(t, b);
	*b = t->bp[--t->nr_bp];
	return 0;
}

void gdb_target_remove_all_bp(struct gdb_target *t)
{
	while (t->nr_bp)
		bp_unplant(t, &t->bp[--t->nr_bp]);
	t->nr_hw = 0;
}

static unsigned hw_count(const struct gdb_target *t, bool watch)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->nr_hw; i++)
		n += (t->hw[i].type != GDB_HW_BREAK) == watch;
	return n;
}

int gdb_target_insert_hw(struct gdb_target *t, enum gdb_hw_type type, uint64_t addr)
{
	bool watch = type != GDB_HW_BREAK;

	for (unsigned i = 0; i < t->nr_hw; i++)
		if (t->hw[i].type == type && t->hw[i].addr == addr)
			return 0;
	if (hw_count(t, watch) >= (watch ? t->max_hw_watch : t->max_hw_break))
		return -ENOSPC;
	t->hw[t->nr_hw++] = (struct gdb_hw){.addr = addr, .type = type};
	return 0;
}

void gdb_target_remove_hw(struct gdb_target *t, enum gdb_hw_type type, uint64_t addr)
{
	for (unsigned i = 0; i < t->nr_hw; i++)
		if (t->hw[i].type == type && t->hw[i].addr == addr) {
			t->hw[i] = t->hw[--t->nr_hw];
			return;
		}
}

enum gdb_hw_type gdb_target_watch_at(const struct gdb_target *t, uint64_t addr)
{
	for (unsigned i = 0; i < t->nr_hw; i++)
		if (t->hw[i].type != GDB_HW_BREAK && t->hw[i].addr == addr)
			return t->hw[i].type;
	return 0;
}

bool gdb_target_plant_pending(struct gdb_target *t, struct skvm_vcpu *vcpu)
{
	bool pending = false;

	for (unsigned i = 0; i < t->nr_bp; i++)
		if (!t->bp[i].planted && bp_plant(t, vcpu, &t->bp[i]))
			pending = true;
	return pending;
}

void gdb_target_replant(struct gdb_target *t)
{
	for (unsigned i = 0; i < t->nr_bp; i++) {
		struct gdb_breakpoint *b = &t->bp[i];
		uint8_t *p = b->planted ? bp_host(t, b) : NULL;

		if (!p)
			continue;
		if (memcmp(p, t->trap, 4)) /* reloaded: what is there now is the code */
			memcpy(b->saved, p, 4);
		if (bp_write(t, b, t->trap))
			b->planted = false;
	}
}

int gdb_target_set_debug(struct gdb_target *t, struct skvm_vcpu *vcpu, bool debugging, bool step)
{
	struct skvm_guest_debug dbg = {0};

	if (debugging)
		dbg.control = SKVM_GUESTDBG_ENABLE;
	if (debugging && (step || gdb_target_plant_pending(t, vcpu)))
		dbg.control |= SKVM_GUESTDBG_SINGLESTEP;
	if (debugging && t->nr_hw) {
		static const uint32_t kvm_type[] = {
			[GDB_HW_BREAK] = SKVM_DEBUG_BREAKPOINT,
			[GDB_HW_WATCH] = SKVM_DEBUG_WATCH_WRITE,
			[GDB_HW_RWATCH] = SKVM_DEBUG_WATCH_READ,
			[GDB_HW_AWATCH] = SKVM_DEBUG_WATCH_READ | SKVM_DEBUG_WATCH_WRITE,
		};
		dbg.control |= SKVM_GUESTDBG_USE_HW_BP;
		for (unsigned i = 0; i < t->nr_hw; i++) {
			dbg.arch.bp[i].addr = t->hw[i].addr;
			dbg.arch.bp[i].type = kvm_type[t->hw[i].type];
		}
	}
	return skvm_vcpu_set_guest_debug(vcpu, &dbg);
}
