// SPDX-License-Identifier: MIT
/* The core's run loop: fetch through the shadow TLB, dispatch decoded instructions, and
 * hand traps to the hypervisor. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "code_key.h"
#include "cpu.h"
#include "decode.h"
#include "emulation.h"
#include "exec.h"

int cpu_init(struct cpu *c, struct cpu_code_cache *code, const struct cpu_trap_ops *ops,
	     void *opaque)
{
	memset(c, 0, sizeof(*c));
	c->code = code;
	c->ops = ops;
	c->opaque = opaque;
	c->icbi_ppn = UINT32_MAX; /* no page */
	cpu_shadow_flush(c);
	cpu_set_context(c, 0, 0);
	return cpu_code_cache_attach(code, &c->stlb);
}

void cpu_destroy(struct cpu *c)
{
	free(c->step_page);
	c->step_page = NULL;
	if (c->code)
		cpu_code_cache_detach(c->code, &c->stlb);
	c->code = NULL;
}

#if CPU_IS64
/* Book3S: PR, IR/DR (the translation on or off) and the hypervisor's shadow context id
 * make the tag's context (shadow_tlb.h); SF and LE are the core's modes. */
void cpu_set_context(struct cpu *c, cpu_ureg msr, uint32_t pid)
{
	uint64_t pr = (msr >> 14) & 1, ir = (msr >> 5) & 1, dr = (msr >> 4) & 1;
	uint64_t base = (pr << 6) | ((pid & 0x1f) << 1);
	c->dtag = (base | dr) << SHADOW_CTX_SHIFT;
	c->itag = (base | ir) << SHADOW_CTX_SHIFT;
	c->fp_enabled = (msr >> 13) & 1;
	c->fp_exc_mode = ((msr >> 11) & 1) | ((msr >> 8) & 1);
	c->vec_enabled = (msr >> 25) & 1;
	c->vsx_enabled = (msr >> 23) & 1;
	c->sf = msr >> 63;
	c->le = msr & 1;
	c->ea_mask = c->sf ? ~(cpu_ureg)0 : 0xffffffffu;
}
#else
void cpu_set_context(struct cpu *c, cpu_ureg msr, uint32_t pid)
{
	uint64_t pr = (msr >> 14) & 1, is = (msr >> 5) & 1, ds = (msr >> 4) & 1;
	uint64_t base = (pr << 9) | (pid & 0xff);
	c->dtag = (base | (ds << 8)) << SHADOW_CTX_SHIFT;
	c->itag = (base | (is << 8)) << SHADOW_CTX_SHIFT;
	c->fp_enabled = (msr >> 13) & 1;
	c->fp_exc_mode = ((msr >> 11) & 1) | ((msr >> 8) & 1);
}
#endif

static enum cpu_resume trap(struct cpu *c)
{
	return c->ops->trap(c->opaque, c, &c->trap);
}

/* The budget ran out (or the core was kicked) with the core about to fetch at pc: let the
 * hypervisor look at timers and requests. False if it stops the core. */
static bool budget_trap(struct cpu *c, cpu_ureg pc)
{
	c->pc = pc & ~(cpu_ureg)3;
	c->trap = (struct cpu_trap){.kind = CPU_TRAP_BUDGET, .pc = c->pc};
	return trap(c) != CPU_RESUME_STOP;
}

/* The slot of pc in the code page its shadow entry links to, or NULL when that takes more
 * than a look (a miss, a page not yet linked, a single step). */
static inline const struct cpu_dinsn *fetch_hit(struct cpu *c, cpu_ureg pc)
{
	const struct shadow_tlb_fetch *x = shadow_tlb_fetch_of(&c->stlb, pc);
	struct cpu_code_page *p = x->code;

	if (unlikely(x->tag_x != (c->itag | (pc & SHADOW_PAGE_MASK)) || !p || c->step_armed))
		return NULL;
	c->page = p;
	c->page_va = pc & SHADOW_PAGE_MASK;
	return &p->insns[(pc & ~SHADOW_PAGE_MASK) >> 2];
}

/* Everything but the hit, kept out of line so that a fetch that hits (every branch out of
 * a page) needs no stack frame. */
static __attribute__((noinline)) const struct cpu_dinsn *fetch_slow(struct cpu *c, cpu_ureg pc)
{
	if (unlikely(c->step_armed)) {
		c->pc = pc & ~(cpu_ureg)3; /* a single step ends at the next fetch */
		return NULL;
	}
	for (;;) {
		pc &= ~(cpu_ureg)3;
		struct shadow_tlb_fetch *x = shadow_tlb_fetch_of(&c->stlb, pc);
		if (likely(x->tag_x == (c->itag | (pc & SHADOW_PAGE_MASK)))) {
			if (unlikely(!x->code)) {
				const struct shadow_tlb_entry *e = shadow_tlb_entry_of(&c->stlb, pc);
				const uint8_t *host = (const uint8_t *)(e->addend + (pc & SHADOW_PAGE_MASK));
				x->code = cpu_code_cache_get(c->code, cpu_code_key(e), host);
				if (!x->code) {
					c->pc = pc;
					c->trap = (struct cpu_trap){.kind = CPU_TRAP_INTERNAL, .pc = pc};
					trap(c);
					return NULL;
				}
			}
			return fetch_hit(c, pc);
		}
		c->pc = pc;
		c->trap = (struct cpu_trap){
			.kind = CPU_TRAP_ITLB_MISS, .pc = pc, .ea = pc, .access = CPU_ACCESS_EXEC};
		enum cpu_resume r = trap(c);
		if (r == CPU_RESUME_STOP)
			return NULL;
		if (r == CPU_RESUME_REFETCH)
			pc = c->pc;
		/* A miss that leads to another (an interrupt vector that is not mapped either)
		 * never reaches a branch: count each round as one, so that the budget and kicks
		 * still end it. */
		if (unlikely(--c->budget < 0)) {
			if (!budget_trap(c, pc))
				return NULL;
			pc = c->pc;
		}
	}
}

const struct cpu_dinsn *cpu_fetch(struct cpu *c, cpu_ureg pc)
{
	const struct cpu_dinsn *d;

	pc &= ~(cpu_ureg)3;
	d = fetch_hit(c, pc);
	return likely(d != NULL) ? d : fetch_slow(c, pc);
}

/* Every slot of a stepped page but the stepped one: the step ends before it runs. */
static CPU_HANDLER(op_step_stop)
{
	c->pc = cpu_pc_of(c, d);
	return NULL;
}

/* Threaded dispatch never returns between instructions, so a step runs the instruction
 * in a scratch copy of its code page whose other slots (and end sentinel) stop; leaving
 * the page goes through cpu_fetch, which stops while the step is armed. */
int cpu_step(struct cpu *c)
{
	if (!c->step_page) {
		c->step_page = calloc(1, sizeof(*c->step_page));
		if (!c->step_page)
			return -ENOMEM;
	}
	c->step_op = CPU_OP_ILLEGAL;
	const struct cpu_dinsn *d = cpu_fetch(c, c->pc);
	if (!d)
		return 0;
	struct cpu_code_page *real = c->page, *s = c->step_page;
	unsigned slot = (unsigned)(d - real->insns);
	s->key = real->key;
	s->host = real->host;
	s->live = true; /* a decode in the copy must not touch the real page's state */
	for (unsigned i = 0; i <= CPU_CODE_PAGE_INSNS; i++)
		s->insns[i].fn = op_step_stop;
	s->insns[slot] = *d;
	s->insns[slot].fn = op_decode; /* its own handler: the slot may hold a compiled run */
	c->page = s;
	c->step_armed = true;
	d = &s->insns[slot];
	while (d)
		d = d->fn(c, d);
	c->step_armed = false;
	if (s->insns[slot].fn != op_decode)
		c->step_op = s->insns[slot].op;
	return 0;
}

void cpu_run(struct cpu *c)
{
	const struct cpu_dinsn *d = cpu_fetch(c, c->pc);
	while (likely(d != NULL))
		d = d->fn(c, d);
}

static inline const struct cpu_dinsn *resume(struct cpu *c, const struct cpu_dinsn *d,
					      enum cpu_resume r)
{
	switch (r) {
	case CPU_RESUME_NEXT:
		return d + 1;
	case CPU_RESUME_RETRY:
		return d;
	case CPU_RESUME_REFETCH:
		/* counted like a taken branch: a guest that only ever takes exceptions (a
		 * handler that faults again at once) must still reach a budget check */
		--c->budget;
		return cpu_branch_far(c, c->pc);
	case CPU_RESUME_STOP:
	default:
		return NULL;
	}
}

const struct cpu_dinsn *cpu_resume(struct cpu *c, const struct cpu_dinsn *d, enum cpu_resume r)
{
	return resume(c, d, r);
}

const struct cpu_dinsn *cpu_trap_insn(struct cpu *c, const struct cpu_dinsn *d,
				      enum cpu_trap_kind kind, uint32_t esr)
{
	cpu_ureg pc = cpu_pc_of(c, d);
	c->pc = pc;
	c->trap = (struct cpu_trap){.kind = kind, .pc = pc, .insn = d->insn, .d = d, .esr = esr};
	return cpu_resume(c, d, trap(c));
}

const struct cpu_dinsn *cpu_trap_data(struct cpu *c, const struct cpu_dinsn *d,
				      enum cpu_trap_kind kind, uint32_t esr, cpu_ureg ea)
{
	cpu_ureg pc = cpu_pc_of(c, d);
	c->pc = pc;
	c->trap = (struct cpu_trap){
		.kind = kind, .pc = pc, .insn = d->insn, .d = d, .esr = esr, .ea = ea};
	return cpu_resume(c, d, trap(c));
}

/* A taken branch whose target is outside the page, or whose budget ran out. */
const struct cpu_dinsn *cpu_branch_far(struct cpu *c, cpu_ureg target)
{
	if (unlikely(c->budget < 0)) {
		if (!budget_trap(c, target))
			return NULL;
		return cpu_fetch(c, c->pc);
	}
	return cpu_fetch(c, target);
}

/* Sentinel after a page's last slot: fall through into the next virtual page. */
CPU_HANDLER(op_page_end)
{
	--c->budget;
	return cpu_branch_far(c, c->page_va + SHADOW_PAGE_SIZE);
}

CPU_HANDLER(op_emulate)
{
	return cpu_trap_insn(c, d, CPU_TRAP_EMULATE, 0);
}

CPU_HANDLER(op_emulation_refetch)
{
	--c->budget; /* a taken branch, for the budget */
	CPU_GOTO(c, cpu_branch_far(c, c->pc));
}

CPU_HANDLER(op_emulation_end)
{
	CPU_GOTO(c, resume(c, d, c->ops->emulation_end(c->opaque, c, d)));
}

CPU_HANDLER(op_illegal)
{
	return cpu_trap_insn(c, d, CPU_TRAP_PROGRAM, CPU_ESR_PIL);
}

CPU_HANDLER(op_nop)
{
	CPU_NEXT(c, d + 1);
}

/* Barriers. Each vcpu runs on its own host thread and the VMM's device threads read and write
 * guest RAM too, so the guest's barriers become host fences (the host being x86-64, whose
 * only reordering is a store passing a later load, most of them cost nothing but keep the
 * compiler from moving guest accesses across them):
 *   sync (msync, the 440's and Book3S's L=0 "hwsync"; L=2 ptesync): every access before it
 *     before every one after it, store -> load included ("publish the index, sync, read the
 *     other side's event index" of virtio rings; Dekker-style flags): a full fence;
 *   lwsync (L=1): all but store -> load: acquire + release;
 *   eieio (mbar on the 440, the same opcode): stores and device accesses in order: release;
 *   isync: later instructions start after it (and are fetched with the current translation,
 *     a tlbwe may just have remapped the page): acquire, as it ends Linux's lock taking.
 * l*arx/st*cx. are atomics of their own (exec_ldst.c). */
CPU_HANDLER(op_msync)
{
	if (((d->insn >> 21) & 3) == 1)
		__atomic_thread_fence(__ATOMIC_ACQ_REL);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_mbar)
{
	__atomic_thread_fence(__ATOMIC_RELEASE);
	CPU_NEXT(c, d + 1);
}

CPU_HANDLER(op_isync)
{
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	CPU_GOTO(c, cpu_fetch(c, cpu_pc_of(c, d) + 4));
}
