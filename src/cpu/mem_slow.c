/* The slow path of guest data access: unaligned accesses, page crossings, shadow-TLB
 * misses (trapped to the hypervisor) and stores into pages that hold decoded code. */
#include "cpu.h"
#include "exec.h"

static bool crosses_page(uint32_t ea, unsigned size)
{
	return (ea & ~SHADOW_PAGE_MASK) + size > SHADOW_PAGE_SIZE;
}

/* Trap a data-access miss; on RETRY the caller looks up again. */
static enum cpu_resume data_miss(struct cpu *c, const struct cpu_dinsn *d, uint32_t ea,
				 unsigned size, unsigned mflags, enum cpu_access acc, uint64_t val)
{
	uint32_t pc = cpu_pc_of(c, d);
	c->pc = pc;
	c->trap = (struct cpu_trap){
		.kind = CPU_TRAP_DTLB_MISS,
		.pc = pc,
		.insn = d->insn,
		.d = d,
		.ea = ea,
		.access = acc,
		.esr = acc == CPU_ACCESS_WRITE ? CPU_ESR_ST : 0,
		.mem = {.size = (mflags & CPU_MEM_PROBE) ? 0 : (uint8_t)size,
			.rt = d->rt,
			.sign = !!(mflags & CPU_MEM_SIGN),
			.byterev = !!(mflags & CPU_MEM_BYTEREV),
			.fp = !!(mflags & CPU_MEM_FP),
			.ra_update = (mflags & CPU_MEM_UPDATE) ? d->ra : 0,
			.simple = !(mflags & CPU_MEM_MULTI) && !crosses_page(ea, size),
			.store_val = val},
	};
	return c->ops->trap(c->opaque, c, &c->trap);
}

bool cpu_load_slow(struct cpu *c, const struct cpu_dinsn *d, uint32_t ea, unsigned size,
		   unsigned mflags, uint64_t *val)
{
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		if (e->tag_r == (c->dtag | (ea & SHADOW_PAGE_MASK))) {
			uint64_t v = 0;
			if (!crosses_page(ea, size)) {
				const uint8_t *p = (const uint8_t *)(e->addend + ea);
				for (unsigned i = 0; i < size; i++)
					v = (v << 8) | p[i];
				*val = v;
				return true;
			}
			for (unsigned i = 0; i < size; i++) {
				uint64_t b;
				if (!cpu_load_slow(c, d, ea + i, 1, mflags | CPU_MEM_MULTI, &b))
					return false;
				v = (v << 8) | b;
			}
			*val = v;
			return true;
		}
		enum cpu_resume r = data_miss(c, d, ea, size, mflags, CPU_ACCESS_READ, 0);
		if (r != CPU_RESUME_RETRY) {
			c->fault_next = cpu_resume(c, d, r);
			return false;
		}
	}
}

bool cpu_store_slow(struct cpu *c, const struct cpu_dinsn *d, uint32_t ea, unsigned size,
		    unsigned mflags, uint64_t val)
{
	for (;;) {
		struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, ea);
		uint64_t tag = c->dtag | (ea & SHADOW_PAGE_MASK);
		if (e->tag_w == tag) {
			if (!crosses_page(ea, size)) {
				uint8_t *p = (uint8_t *)(e->addend + ea);
				for (unsigned i = 0; i < size; i++)
					p[i] = (uint8_t)(val >> (8 * (size - 1 - i)));
				return true;
			}
			for (unsigned i = 0; i < size; i++)
				if (!cpu_store_slow(c, d, ea + i, 1, mflags | CPU_MEM_MULTI,
						    (val >> (8 * (size - 1 - i))) & 0xff))
					return false;
			return true;
		}
		/* Writable for the guest but withheld because the page holds decoded code:
		 * drop the decoded slots the store overlaps and write through the host
		 * pointer; the page stays write-protected while it holds code. */
		if (e->tag_r == tag && (e->perm & SHADOW_PERM_W) && e->tag_w != tag) {
			if (crosses_page(ea, size)) {
				for (unsigned i = 0; i < size; i++)
					if (!cpu_store_slow(c, d, ea + i, 1, mflags | CPU_MEM_MULTI,
							    (val >> (8 * (size - 1 - i))) & 0xff))
						return false;
				return true;
			}
			if (cpu_code_cache_store(c->code, e->ppn, ea & ~SHADOW_PAGE_MASK, size)) {
				uint8_t *p = (uint8_t *)(e->addend + ea);
				for (unsigned i = 0; i < size; i++)
					p[i] = (uint8_t)(val >> (8 * (size - 1 - i)));
				return true;
			}
			if (!cpu_code_cache_has_page(c->code, e->ppn)) {
				e->tag_w = tag; /* no code (left) in the page */
				continue;
			}
		}
		enum cpu_resume r = data_miss(c, d, ea, size, mflags, CPU_ACCESS_WRITE, val);
		if (r != CPU_RESUME_RETRY) {
			c->fault_next = cpu_resume(c, d, r);
			return false;
		}
	}
}
