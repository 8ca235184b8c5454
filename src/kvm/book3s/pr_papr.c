// SPDX-License-Identifier: MIT
/* sc from a Book3S guest that is not its own system call (book3s_pr_papr.c and book3s_pr.c in
 * the seeds): sc 1 from a PAPR guest's kernel, whose hypercalls the hypervisor handles where
 * the table below says so (the hashed-page-table ones, H_CEDE, H_SET_MODE's interrupt byte
 * order and location) and the VMM otherwise, as SKVM_EXIT_PAPR_HCALL (console, XICS,
 * RTAS...), putting the result in run->papr_hcall.ret (r3) and args (r4..r12) for the next
 * run; the ePAPR/KVM hypercall; Mac-on-Linux's OSI call (SKVM_EXIT_OSI). */
#include "kvm/book3s/pr_vcpu.h"
#include "kvm/paravirt.h"

#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
#define H_SET_MODE_ENDIAN_BIG 0
#define H_SET_MODE_ENDIAN_LITTLE 1

/* H_SET_MODE(mflags, resource, value1, value2): the interrupt byte order and the alternate
 * interrupt location (AIL 0 or 3, as KVM offers them: Linux asks for 3; the ISA's AIL 2,
 * interrupts at 0x18000, is refused as KVM does, where QEMU's TCG takes it), for the whole
 * partition as PAPR says (Linux asks once, from the boot cpu); the rest, the breakpoint
 * registers, go to the VMM. KVM PR leaves the byte order to QEMU, which sets LPCR[ILE],
 * and refuses AIL; here the hypervisor does both, and a VMM may still set them through
 * SKVM_REG_PPC_LPCR_64. */
static bool set_mode(struct book3s_pr_vcpu *v)
{
	uint64_t *gpr = v->cpu.gpr, mflags = gpr[4];
	uint64_t mask = gpr[5] == H_SET_MODE_RESOURCE_LE ? LPCR_ILE : LPCR_AIL;

	if (gpr[5] != H_SET_MODE_RESOURCE_LE && gpr[5] != H_SET_MODE_RESOURCE_ADDR_TRANS_MODE)
		return false;
	if (gpr[6])
		gpr[3] = (uint64_t)SKVM_H_P3;
	else if (gpr[7])
		gpr[3] = (uint64_t)SKVM_H_P4;
	else if (mask == LPCR_ILE && mflags > H_SET_MODE_ENDIAN_LITTLE)
		gpr[3] = (uint64_t)SKVM_H_UNSUPPORTED_FLAG_START;
	else if (mask == LPCR_AIL && mflags != 0 && mflags != 3)
		gpr[3] = (uint64_t)SKVM_H_UNSUPPORTED_FLAG_START;
	else {
		pr_set_partition_lpcr(v->pvm, mask,
				      mask == LPCR_ILE ? (mflags ? LPCR_ILE : 0) : mflags << 23);
		gpr[3] = SKVM_H_SUCCESS;
	}
	return true;
}

/* What an in-hypervisor hcall did: finished (the guest goes on after it), finished with the
 * vcpu waiting (H_CEDE), or nothing: the VMM is to handle it after all. */
enum pr_hcall_done { PR_HCALL_TO_VMM, PR_HCALL_DONE, PR_HCALL_WAIT };

static enum pr_hcall_done hpt_hcall(struct book3s_pr_vcpu *v)
{
	if (!book3s_papr_hpt_hcall(&v->papr, v->cpu.gpr))
		return PR_HCALL_TO_VMM;
	pr_inval_sync(v); /* the other vcpus' translations are gone before it returns */
	return PR_HCALL_DONE;
}

static enum pr_hcall_done cede(struct book3s_pr_vcpu *v)
{
	/* PAPR: the processor waits with MSR[EE] on until an interrupt */
	v->cpu.gpr[3] = SKVM_H_SUCCESS;
	pr_set_msr(v, v->msr | MSR_EE);
	v->ceded = true;
	return PR_HCALL_WAIT;
}

static enum pr_hcall_done h_set_mode(struct book3s_pr_vcpu *v)
{
	return set_mode(v) ? PR_HCALL_DONE : PR_HCALL_TO_VMM;
}

/* The hcalls the hypervisor implements, by nr / 4: the one list of them.
 * SKVM_CAP_PPC_ENABLE_HCALL switches any of these between the hypervisor and the VMM, and
 * refuses every other number. on_by_default: enabled when the VM is created. KVM enables the
 * hcalls it handled before that capability existed; softkvm handled all of these then (KVM
 * PR leaves H_READ and H_CLEAR_REF/MOD to QEMU, which softkvm's VMM would have to copy). */
static const struct pr_hcall {
	enum pr_hcall_done (*handle)(struct book3s_pr_vcpu *v);
	bool on_by_default;
} pr_hcalls[PR_HCALL_MAX / 4 + 1] = {
	[SKVM_H_REMOVE / 4] = {hpt_hcall, true},
	[SKVM_H_ENTER / 4] = {hpt_hcall, true},
	[SKVM_H_READ / 4] = {hpt_hcall, true},
	[SKVM_H_CLEAR_MOD / 4] = {hpt_hcall, true},
	[SKVM_H_CLEAR_REF / 4] = {hpt_hcall, true},
	[SKVM_H_PROTECT / 4] = {hpt_hcall, true},
	[SKVM_H_CEDE / 4] = {cede, true},
	[SKVM_H_BULK_REMOVE / 4] = {hpt_hcall, true},
	[SKVM_H_SET_MODE / 4] = {h_set_mode, true},
};

static const struct pr_hcall *hcall_of(uint64_t nr)
{
	if (nr > PR_HCALL_MAX || (nr & 3) || !pr_hcalls[nr / 4].handle)
		return NULL;
	return &pr_hcalls[nr / 4];
}

/* The bit of hcall nr (a multiple of 4, at most PR_HCALL_MAX) in pvm->enabled_hcalls. */
static uint64_t *enabled_word(struct book3s_pr_vm *pvm, uint64_t nr)
{
	return &pvm->enabled_hcalls[nr / 4 / 64];
}
static uint64_t enabled_bit(uint64_t nr)
{
	return 1ULL << (nr / 4 % 64);
}

void pr_papr_init_hcalls(struct book3s_pr_vm *pvm)
{
	for (uint64_t nr = 0; nr <= PR_HCALL_MAX; nr += 4)
		if (hcall_of(nr) && hcall_of(nr)->on_by_default)
			*enabled_word(pvm, nr) |= enabled_bit(nr);
}

int book3s_pr_vm_enable_hcall(struct book3s_pr_vm *pvm, uint64_t hcall, uint64_t on)
{
	if (on > 1 || !hcall_of(hcall)) /* hcall_of: a multiple of 4, in range, implemented */
		return -EINVAL;
	if (on)
		__atomic_fetch_or(enabled_word(pvm, hcall), enabled_bit(hcall), __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(enabled_word(pvm, hcall), ~enabled_bit(hcall), __ATOMIC_RELAXED);
	return 0;
}

enum cpu_resume pr_papr_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc)
{
	struct cpu *c = &v->cpu;
	struct skvm_run *run = v->run;
	uint64_t nr = c->gpr[3];
	const struct pr_hcall *h = hcall_of(nr);

	c->pc = next_pc;
	if (h && (__atomic_load_n(enabled_word(v->pvm, nr), __ATOMIC_RELAXED) & enabled_bit(nr))) {
		switch (h->handle(v)) {
		case PR_HCALL_DONE:
			return CPU_RESUME_NEXT;
		case PR_HCALL_WAIT:
			return CPU_RESUME_STOP;
		case PR_HCALL_TO_VMM:
			break;
		}
	}
	run->exit_reason = SKVM_EXIT_PAPR_HCALL;
	run->papr_hcall.nr = nr;
	run->papr_hcall.ret = 0;
	for (unsigned i = 0; i < 9; i++)
		run->papr_hcall.args[i] = c->gpr[4 + i];
	v->io = PR_IO_PAPR_HCALL;
	return CPU_RESUME_STOP;
}

/* sc from the guest kernel with r0 = KVM_SC_MAGIC_R0: the ePAPR hypercall of the /hypervisor
 * node's sequence (kvmppc_kvm_pv, which book3s_pr.c calls for it). No magic page on Book3S
 * yet: KVM_HC_FEATURES answers none, so the guest asks for nothing more. r11 is the token,
 * r3 the status, r4 the result. */
enum cpu_resume pr_kvm_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc)
{
	uint64_t *gpr = v->cpu.gpr;

	if ((uint32_t)gpr[11] == KVM_HCALL_TOKEN(KVM_HC_FEATURES)) {
		gpr[3] = EV_SUCCESS;
		gpr[4] = 0;
	} else {
		gpr[3] = EV_UNIMPLEMENTED;
	}
	v->cpu.pc = next_pc;
	return CPU_RESUME_NEXT;
}

/* sc with the OSI magic values in r3/r4 (SKVM_CAP_PPC_OSI): the VMM gets every GPR in
 * run->osi and gives them back for the next run (pr_complete_io), as book3s_pr.c does for
 * Mac-on-Linux. The guest goes on after the sc. */
enum cpu_resume pr_osi_hcall(struct book3s_pr_vcpu *v, uint64_t next_pc)
{
	struct skvm_run *run = v->run;

	run->exit_reason = SKVM_EXIT_OSI;
	for (unsigned i = 0; i < 32; i++)
		run->osi.gprs[i] = v->cpu.gpr[i];
	v->io = PR_IO_OSI;
	v->cpu.pc = next_pc;
	return CPU_RESUME_STOP;
}
