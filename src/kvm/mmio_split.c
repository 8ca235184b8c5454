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
 *
 * The record (kvm_mmio_frag and the replay around a re-execution) serves both cores: the
 * Book3S PR hypervisor completes its vector and multiple accesses with it (pr_mmio.c), as
 * Linux's KVM on Book3S completes a vector MMIO with one exit per element.
 */
#include <string.h>

#include "kvm.h"

/* Reverse the low size (1..8) bytes of v. */
static uint64_t bswap_n(uint64_t v, unsigned size)
{
	return __builtin_bswap64(v) >> (64 - 8 * size);
}

/* The next fragment of a re-execution, answered from the record. */
static bool replayed(struct kvm_mmio_split *s, uint64_t pc, uint32_t insn, uint64_t gpa,
		     unsigned len, bool write, bool rev, uint64_t *val)
{
	if (!s->replay || s->pc != pc || s->insn != insn || s->next >= s->n)
		return false;
	const struct kvm_mmio_frag *f = &s->frag[s->next];
	if (f->gpa != gpa || f->len != len || f->write != write)
		return false;
	s->next++;
	if (!write) {
		uint64_t v = 0;
		for (unsigned i = 0; i < f->len; i++)
			v = (v << 8) | f->data[i];
		*val = rev ? bswap_n(v, f->len) : v;
	}
	return true;
}

enum kvm_frag kvm_mmio_frag(struct kvm_mmio_split *s, uint64_t pc, uint32_t insn, uint64_t gpa,
			    unsigned len, bool write, bool rev, uint64_t *val)
{
	if (replayed(s, pc, insn, gpa, len, write, rev, val))
		return KVM_FRAG_REPLAYED;

	/* A new fragment: the first of a first execution, or the one after those recorded
	 * (a re-execution that went another way keeps only what matched). */
	if (!s->replay || s->pc != pc || s->insn != insn)
		s->next = 0;
	s->n = s->next;
	s->pc = pc;
	s->insn = insn;
	if (s->n >= KVM_MMIO_SPLIT_MAX || len == 0 || len > 8) {
		s->n = 0;
		return KVM_FRAG_TOO_MANY;
	}

	struct kvm_mmio_frag *f = &s->frag[s->n++];
	*f = (struct kvm_mmio_frag){.gpa = gpa, .len = (uint8_t)len, .write = write};
	if (write) {
		uint64_t v = rev ? bswap_n(*val, len) : *val;
		for (unsigned i = 0; i < len; i++)
			f->data[i] = (uint8_t)(v >> (8 * (len - 1 - i)));
	}
	return KVM_FRAG_NEW;
}

void kvm_mmio_frag_done(struct kvm_mmio_split *s, const uint8_t *data)
{
	struct kvm_mmio_frag *f = &s->frag[s->n - 1];

	if (!f->write)
		memcpy(f->data, data, f->len);
	s->pending = true;
}

bool kvm_mmio_replay_begin(struct kvm_mmio_split *s, uint64_t pc)
{
	s->pending = false;
	if (pc != s->pc) {
		s->n = 0; /* userspace moved the PC: the instruction is abandoned */
		return false;
	}
	s->replay = true;
	s->next = 0;
	return true;
}

void kvm_mmio_replay_end(struct kvm_mmio_split *s, bool exited_again)
{
	s->replay = false;
	/* done, or interrupted (it starts afresh later), unless a new fragment exited */
	if (!exited_again)
		s->n = 0;
}

/* ---- the 440's ---- */

enum cpu_resume kvm_mmio_split(struct skvm_vcpu *vcpu, struct cpu_trap *t, uint64_t gpa, bool le)
{
	struct kvm_mmio_split *s = &vcpu->mmio_split;
	bool write = t->access == CPU_ACCESS_WRITE, rev = le && !t->mem.raw;
	uint64_t val = t->mem.store_val;

	t->mem.le = le;
	switch (kvm_mmio_frag(s, t->pc, t->insn, gpa, t->mem.size, write, rev, &val)) {
	case KVM_FRAG_REPLAYED:
		if (!write)
			t->mem.load_val = val;
		return CPU_RESUME_DATA;
	case KVM_FRAG_TOO_MANY:
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_UNSUPPORTED, t->pc, t->insn);
		return CPU_RESUME_STOP;
	case KVM_FRAG_NEW:
		break;
	}
	kvm_mmio_exit(vcpu, gpa, t->mem.size, write);
	memcpy(vcpu->run.mmio.data, s->frag[s->n - 1].data, t->mem.size); /* a store's bytes */
	vcpu->io_pending = KVM_IO_MMIO_SPLIT;
	vcpu->cpu.pc = t->pc; /* the instruction is not done: it runs again */
	return CPU_RESUME_STOP;
}

void kvm_mmio_split_complete(struct skvm_vcpu *vcpu)
{
	kvm_mmio_frag_done(&vcpu->mmio_split, vcpu->run.mmio.data);
}

void kvm_mmio_split_resume(struct skvm_vcpu *vcpu)
{
	struct cpu *c = &vcpu->cpu;
	int rc;

	if (!kvm_mmio_replay_begin(&vcpu->mmio_split, c->pc))
		return;
	rc = cpu_step(c);
	kvm_mmio_replay_end(&vcpu->mmio_split, vcpu->io_pending == KVM_IO_MMIO_SPLIT);
	if (rc)
		kvm_internal_error(vcpu, SKVM_INTERNAL_ERROR_EMULATION, c->pc, 0);
}
