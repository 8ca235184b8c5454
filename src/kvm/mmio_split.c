// SPDX-License-Identifier: MIT
/* MMIO that one exit cannot complete: lmw/stmw, strings, lwarx/stwcx., dcbz, and each
 * page's part of an access that crosses a page boundary (a load running from the end of
 * RAM into unbacked space, a store straddling RAM and a device).
 *
 * Such an instruction may touch RAM, several device registers, or both, and only its own
 * execution knows how to put the pieces together. So each access of it that reaches MMIO
 * (a fragment) becomes an exit of its own, and the instruction is re-executed after each:
 * the first execution stops at its first fragment with the instruction not done (PC at
 * it, no register written); userspace completes the fragment like any MMIO exit; the
 * next run re-executes the instruction alone (cpu_step) and answers the fragments already
 * done from the record (CPU_RESUME_DATA: the data of a load, nothing again for a store),
 * until a new fragment exits or the instruction completes. Its RAM parts are simply done
 * again. That is how x86 KVM completes its split MMIO (emulator re-execution with the
 * MMIO results cached), and a guest sees what a 440 gives: the RAM bytes from RAM, the
 * rest from the bus, where unbacked space reads 0 (vmm/bus.h).
 *
 * A fragment moves bytes in address order; unless it is raw (strings, parts of a split
 * access: the core orders those) a little-endian page reverses it within its size.
 */
#include <string.h>

#include "kvm.h"

/* Reverse the low size (1..8) bytes of v. */
static uint64_t bswap_n(uint64_t v, unsigned size)
{
	return __builtin_bswap64(v) >> (64 - 8 * size);
}

/* The next fragment of a re-execution, answered from the record. */
static bool replayed(struct kvm_mmio_split *s, struct cpu_trap *t, uint64_t gpa, bool rev)
{
	bool write = t->access == CPU_ACCESS_WRITE;

	if (!s->replay || s->pc != t->pc || s->insn != t->insn || s->next >= s->n)
		return false;
	const struct kvm_mmio_frag *f = &s->frag[s->next];
	if (f->gpa != gpa || f->len != t->mem.size || f->write != write)
		return false;
	s->next++;
	if (!write) {
		uint64_t v = 0;
		for (unsigned i = 0; i < f->len; i++)
			v = (v << 8) | f->data[i];
		t->mem.load_val = rev ? bswap_n(v, f->len) : v;
	}
	return true;
}

enum cpu_resume kvm_mmio_split(struct skvm_vcpu *vcpu, struct cpu_trap *t, uint64_t gpa, bool le)
{
	struct kvm_mmio_split *s = &vcpu->mmio_split;
	bool write = t->access == CPU_ACCESS_WRITE, rev = le && !t->mem.raw;
	unsigned len = t->mem.size;

	t->mem.le = le;
	if (replayed(s, t, gpa, rev))
		return CPU_RESUME_DATA;

	/* A new fragment: the first of a first execution, or the one after those recorded
	 * (a re-execution that went another way keeps only what matched). */
	if (!s->replay || s->pc != t->pc || s->insn != t->insn)
		s->next = 0;
	s->n = s->next;
	s->pc = t->pc;
	s->insn = t->insn;
	if (s->n >= KVM_MMIO_SPLIT_MAX || len == 0 || len > 8) {
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		s->n = 0;
		return CPU_RESUME_STOP;
	}

	struct kvm_mmio_frag *f = &s->frag[s->n++];
	*f = (struct kvm_mmio_frag){.gpa = gpa, .len = (uint8_t)len, .write = write};
	if (write) {
		uint64_t v = rev ? bswap_n(t->mem.store_val, len) : t->mem.store_val;
		for (unsigned i = 0; i < len; i++)
			f->data[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
	}
	kvm_mmio_exit(vcpu, gpa, len, write);
	memcpy(vcpu->run.mmio.data, f->data, len); /* the store's bytes */
	vcpu->io_pending = KVM_IO_MMIO_SPLIT;
	vcpu->cpu.pc = t->pc; /* the instruction is not done: it runs again */
	return CPU_RESUME_STOP;
}

void kvm_mmio_split_complete(struct skvm_vcpu *vcpu)
{
	struct kvm_mmio_split *s = &vcpu->mmio_split;
	struct kvm_mmio_frag *f = &s->frag[s->n - 1];

	if (!f->write)
		memcpy(f->data, vcpu->run.mmio.data, f->len);
	s->pending = true;
}

void kvm_mmio_split_resume(struct skvm_vcpu *vcpu)
{
	struct kvm_mmio_split *s = &vcpu->mmio_split;
	struct cpu *c = &vcpu->cpu;
	int rc;

	s->pending = false;
	if (c->pc != s->pc) {
		s->n = 0; /* userspace moved the PC: the instruction is abandoned */
		return;
	}
	s->replay = true;
	s->next = 0;
	rc = cpu_step(c);
	s->replay = false;
	if (rc) {
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, c->pc, 0);
		return;
	}
	/* done, or interrupted (it starts afresh later), unless a new fragment exited */
	if (vcpu->io_pending != KVM_IO_MMIO_SPLIT)
		s->n = 0;
}
