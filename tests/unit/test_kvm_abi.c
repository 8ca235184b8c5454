// SPDX-License-Identifier: MIT
/* softkvm's API against Linux's own: every number (capabilities, exit reasons, KVM_INTERRUPT
 * values, ONE_REG ids, sregs feature bits, flags) and the layout of every structure that
 * mirrors one of Linux's, compared with the powerpc <linux/kvm.h> and <asm/kvm.h> of Debian's
 * linux-libc-dev-powerpc-cross -- not with our own copy of them. The Makefile puts only
 * those headers' linux/, asm/ and asm-generic/ ahead of the host's. Both ABIs have the same
 * natural alignment for the fixed-size types these structures use, so offsets compiled here
 * are the powerpc ones. scripts/check-abi-names.sh checks that every Linux-numbered name of
 * include/softkvm/ is compared here. (No <errno.h>: it would find powerpc's asm/errno.h.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <linux/kvm.h>

#include <softkvm/skvm.h>

#ifndef KVM_SREGS_E_IMPL_FSL
#error "powerpc <asm/kvm.h> not found: install linux-libc-dev-powerpc-cross (scripts/install-deps.sh)"
#endif

#define SAME(ours, linux) assert_int_equal((uint64_t)(ours), (uint64_t)(linux))

/* A member at the same offset with the same size in both structures. */
#define FIELD(ours, linux, member)                                                                 \
	do {                                                                                       \
		assert_int_equal(offsetof(ours, member), offsetof(linux, member));                 \
		assert_int_equal(sizeof(((ours *)0)->member), sizeof(((linux *)0)->member));       \
	} while (0)

static void test_api_version(void **state)
{
	(void)state;
	SAME(SKVM_API_VERSION, KVM_API_VERSION);
	SAME(skvm_get_api_version(), KVM_API_VERSION);
}

static void test_capabilities(void **state)
{
	(void)state;
	SAME(SKVM_CAP_USER_MEMORY, KVM_CAP_USER_MEMORY);
	SAME(SKVM_CAP_NR_VCPUS, KVM_CAP_NR_VCPUS);
	SAME(SKVM_CAP_NR_MEMSLOTS, KVM_CAP_NR_MEMSLOTS);
	SAME(SKVM_CAP_SYNC_MMU, KVM_CAP_SYNC_MMU);
	SAME(SKVM_CAP_DESTROY_MEMORY_REGION_WORKS, KVM_CAP_DESTROY_MEMORY_REGION_WORKS);
	SAME(SKVM_CAP_SET_GUEST_DEBUG, KVM_CAP_SET_GUEST_DEBUG);
	SAME(SKVM_CAP_IRQFD, KVM_CAP_IRQFD);
	SAME(SKVM_CAP_IOEVENTFD, KVM_CAP_IOEVENTFD);
	SAME(SKVM_CAP_INTERNAL_ERROR_DATA, KVM_CAP_INTERNAL_ERROR_DATA);
	SAME(SKVM_CAP_PPC_PAIRED_SINGLES, KVM_CAP_PPC_PAIRED_SINGLES);
	SAME(SKVM_CAP_PPC_OSI, KVM_CAP_PPC_OSI);
	SAME(SKVM_CAP_PPC_UNSET_IRQ, KVM_CAP_PPC_UNSET_IRQ);
	SAME(SKVM_CAP_ENABLE_CAP, KVM_CAP_ENABLE_CAP);
	SAME(SKVM_CAP_PPC_GET_PVINFO, KVM_CAP_PPC_GET_PVINFO);
	SAME(SKVM_CAP_PPC_IRQ_LEVEL, KVM_CAP_PPC_IRQ_LEVEL);
	SAME(SKVM_CAP_PPC_BOOKE_SREGS, KVM_CAP_PPC_BOOKE_SREGS);
	SAME(SKVM_CAP_MAX_VCPUS, KVM_CAP_MAX_VCPUS);
	SAME(SKVM_CAP_PPC_HIOR, KVM_CAP_PPC_HIOR);
	SAME(SKVM_CAP_PPC_PAPR, KVM_CAP_PPC_PAPR);
	SAME(SKVM_CAP_SW_TLB, KVM_CAP_SW_TLB);
	SAME(SKVM_CAP_ONE_REG, KVM_CAP_ONE_REG);
	SAME(SKVM_CAP_PPC_GET_SMMU_INFO, KVM_CAP_PPC_GET_SMMU_INFO);
	SAME(SKVM_CAP_READONLY_MEM, KVM_CAP_READONLY_MEM);
	SAME(SKVM_CAP_IRQFD_RESAMPLE, KVM_CAP_IRQFD_RESAMPLE);
	SAME(SKVM_CAP_PPC_BOOKE_WATCHDOG, KVM_CAP_PPC_BOOKE_WATCHDOG);
	SAME(SKVM_CAP_PPC_EPR, KVM_CAP_PPC_EPR);
	SAME(SKVM_CAP_ENABLE_CAP_VM, KVM_CAP_ENABLE_CAP_VM);
	SAME(SKVM_CAP_IOEVENTFD_NO_LENGTH, KVM_CAP_IOEVENTFD_NO_LENGTH);
	SAME(SKVM_CAP_PPC_ENABLE_HCALL, KVM_CAP_PPC_ENABLE_HCALL);
	SAME(SKVM_CAP_CHECK_EXTENSION_VM, KVM_CAP_CHECK_EXTENSION_VM);
	SAME(SKVM_CAP_IMMEDIATE_EXIT, KVM_CAP_IMMEDIATE_EXIT);
	SAME(SKVM_CAP_GUEST_DEBUG_HW_BPS, KVM_CAP_GUEST_DEBUG_HW_BPS);
	SAME(SKVM_CAP_GUEST_DEBUG_HW_WPS, KVM_CAP_GUEST_DEBUG_HW_WPS);
	SAME(SKVM_CAP_PPC_GUEST_DEBUG_SSTEP, KVM_CAP_PPC_GUEST_DEBUG_SSTEP);
	SAME(SKVM_CAP_HALT_POLL, KVM_CAP_HALT_POLL);
}

static void test_exit_reasons(void **state)
{
	(void)state;
	SAME(SKVM_EXIT_UNKNOWN, KVM_EXIT_UNKNOWN);
	SAME(SKVM_EXIT_HYPERCALL, KVM_EXIT_HYPERCALL);
	SAME(SKVM_EXIT_DEBUG, KVM_EXIT_DEBUG);
	SAME(SKVM_EXIT_MMIO, KVM_EXIT_MMIO);
	SAME(SKVM_EXIT_SHUTDOWN, KVM_EXIT_SHUTDOWN);
	SAME(SKVM_EXIT_INTR, KVM_EXIT_INTR);
	SAME(SKVM_EXIT_DCR, KVM_EXIT_DCR);
	SAME(SKVM_EXIT_INTERNAL_ERROR, KVM_EXIT_INTERNAL_ERROR);
	SAME(SKVM_EXIT_OSI, KVM_EXIT_OSI);
	SAME(SKVM_EXIT_PAPR_HCALL, KVM_EXIT_PAPR_HCALL);
	SAME(SKVM_VM_PPC_PR, KVM_VM_PPC_PR);
	SAME(SKVM_EXIT_WATCHDOG, KVM_EXIT_WATCHDOG);
	SAME(SKVM_EXIT_SYSTEM_EVENT, KVM_EXIT_SYSTEM_EVENT);
	SAME(SKVM_SYSTEM_EVENT_SHUTDOWN, KVM_SYSTEM_EVENT_SHUTDOWN);
	SAME(SKVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_RESET);
	SAME(SKVM_INTERNAL_ERROR_EMULATION, KVM_INTERNAL_ERROR_EMULATION);
	/* softkvm's own suberrors stay clear of Linux's */
	assert_true(SKVM_INTERNAL_ERROR_UNSUPPORTED > KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON + 100);
	assert_true(SKVM_INTERNAL_ERROR_CHECKSTOP > KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON + 100);
}

static void test_interrupt_values(void **state)
{
	(void)state;
	SAME(SKVM_INTERRUPT_SET, KVM_INTERRUPT_SET);
	SAME(SKVM_INTERRUPT_UNSET, KVM_INTERRUPT_UNSET);
	SAME(SKVM_INTERRUPT_SET_LEVEL, KVM_INTERRUPT_SET_LEVEL);
}

static void test_one_reg_ids(void **state)
{
	(void)state;
	SAME(SKVM_REG_PPC, KVM_REG_PPC);
	SAME(SKVM_REG_SIZE_U32, KVM_REG_SIZE_U32);
	SAME(SKVM_REG_SIZE_U64, KVM_REG_SIZE_U64);
	SAME(SKVM_REG_SIZE_MASK, KVM_REG_SIZE_MASK);
	SAME(SKVM_REG_SIZE_SHIFT, KVM_REG_SIZE_SHIFT);
	SAME(SKVM_REG_SIZE(SKVM_REG_PPC_TCR), 4);
	SAME(SKVM_REG_SIZE(SKVM_REG_PPC_IAC1), 8);
	SAME(SKVM_REG_PPC_IAC1, KVM_REG_PPC_IAC1);
	SAME(SKVM_REG_PPC_IAC2, KVM_REG_PPC_IAC2);
	SAME(SKVM_REG_PPC_IAC3, KVM_REG_PPC_IAC3);
	SAME(SKVM_REG_PPC_IAC4, KVM_REG_PPC_IAC4);
	SAME(SKVM_REG_PPC_DAC1, KVM_REG_PPC_DAC1);
	SAME(SKVM_REG_PPC_DAC2, KVM_REG_PPC_DAC2);
	SAME(SKVM_REG_PPC_FPR0, KVM_REG_PPC_FPR0);
	for (unsigned n = 0; n < 32; n++)
		SAME(SKVM_REG_PPC_FPR(n), KVM_REG_PPC_FPR(n));
	SAME(SKVM_REG_PPC_FPSCR, KVM_REG_PPC_FPSCR);
	SAME(SKVM_REG_PPC_TCR, KVM_REG_PPC_TCR);
	SAME(SKVM_REG_PPC_TSR, KVM_REG_PPC_TSR);
	SAME(SKVM_REG_PPC_OR_TSR, KVM_REG_PPC_OR_TSR);
	SAME(SKVM_REG_PPC_CLEAR_TSR, KVM_REG_PPC_CLEAR_TSR);
	SAME(SKVM_REG_PPC_DEBUG_INST, KVM_REG_PPC_DEBUG_INST);
	SAME(SKVM_REG_PPC_TB_OFFSET, KVM_REG_PPC_TB_OFFSET);
	SAME(SKVM_REG_PPC_DAR, KVM_REG_PPC_DAR);
	SAME(SKVM_REG_PPC_DSISR, KVM_REG_PPC_DSISR);
	SAME(SKVM_REG_PPC_LPCR_64, KVM_REG_PPC_LPCR_64);
	SAME(SKVM_REG_PPC_DABR, KVM_REG_PPC_DABR);
	SAME(SKVM_REG_PPC_DSCR, KVM_REG_PPC_DSCR);
	SAME(SKVM_REG_PPC_AMR, KVM_REG_PPC_AMR);
	SAME(SKVM_REG_PPC_UAMOR, KVM_REG_PPC_UAMOR);
	SAME(SKVM_REG_PPC_IAMR, KVM_REG_PPC_IAMR);
	SAME(SKVM_REG_PPC_FSCR, KVM_REG_PPC_FSCR);
	SAME(SKVM_REG_PPC_TAR, KVM_REG_PPC_TAR);
	SAME(SKVM_REG_PPC_EBBHR, KVM_REG_PPC_EBBHR);
	SAME(SKVM_REG_PPC_EBBRR, KVM_REG_PPC_EBBRR);
	SAME(SKVM_REG_PPC_BESCR, KVM_REG_PPC_BESCR);
	SAME(SKVM_REG_PPC_CIABR, KVM_REG_PPC_CIABR);
	SAME(SKVM_REG_PPC_PPR, KVM_REG_PPC_PPR);
	SAME(SKVM_REG_SIZE_U128, KVM_REG_SIZE_U128);
	SAME(SKVM_REG_PPC_VR0, KVM_REG_PPC_VR0);
	SAME(SKVM_REG_PPC_VR31, KVM_REG_PPC_VR31);
	for (unsigned n = 0; n < 32; n++) {
		SAME(SKVM_REG_PPC_VR(n), KVM_REG_PPC_VR(n));
		SAME(SKVM_REG_PPC_VSR(n), KVM_REG_PPC_VSR(n));
	}
	SAME(SKVM_REG_PPC_VSR0, KVM_REG_PPC_VSR0);
	SAME(SKVM_REG_PPC_VSR31, KVM_REG_PPC_VSR31);
	SAME(SKVM_REG_PPC_VSCR, KVM_REG_PPC_VSCR);
	SAME(SKVM_REG_PPC_VRSAVE, KVM_REG_PPC_VRSAVE);
	SAME(SKVM_REG_PPC_DBSR, KVM_REG_PPC_DBSR);
	/* softkvm's own id is one Linux does not use (its numbers stop below 0x100) */
	assert_true((SKVM_REG_PPC_DEC & 0xffff) >= 0x1000);
}

static void test_sregs_bits(void **state)
{
	(void)state;
	SAME(SKVM_SREGS_E_BASE, KVM_SREGS_E_BASE);
	SAME(SKVM_SREGS_E_ARCH206, KVM_SREGS_E_ARCH206);
	SAME(SKVM_SREGS_E_IVOR, KVM_SREGS_E_IVOR);
	SAME(SKVM_SREGS_E_DEBUG, KVM_SREGS_E_DEBUG);
	SAME(SKVM_SREGS_E_UPDATE_MCSR, KVM_SREGS_E_UPDATE_MCSR);
	SAME(SKVM_SREGS_E_UPDATE_TSR, KVM_SREGS_E_UPDATE_TSR);
	SAME(SKVM_SREGS_E_UPDATE_DEC, KVM_SREGS_E_UPDATE_DEC);
	SAME(SKVM_SREGS_E_UPDATE_DBSR, KVM_SREGS_E_UPDATE_DBSR);
	SAME(SKVM_SREGS_E_IMPL_NONE, KVM_SREGS_E_IMPL_NONE);
	assert_true(SKVM_SREGS_E_IMPL_440 != KVM_SREGS_E_IMPL_FSL);
}

static void test_flags(void **state)
{
	(void)state;
	SAME(SKVM_MEM_LOG_DIRTY_PAGES, KVM_MEM_LOG_DIRTY_PAGES);
	SAME(SKVM_MEM_READONLY, KVM_MEM_READONLY);
	SAME(SKVM_IOEVENTFD_FLAG_DATAMATCH, KVM_IOEVENTFD_FLAG_DATAMATCH);
	SAME(SKVM_IOEVENTFD_FLAG_PIO, KVM_IOEVENTFD_FLAG_PIO);
	SAME(SKVM_IOEVENTFD_FLAG_DEASSIGN, KVM_IOEVENTFD_FLAG_DEASSIGN);
	SAME(SKVM_IRQFD_FLAG_DEASSIGN, KVM_IRQFD_FLAG_DEASSIGN);
	SAME(SKVM_IRQFD_FLAG_RESAMPLE, KVM_IRQFD_FLAG_RESAMPLE);
	SAME(SKVM_PPC_PVINFO_FLAGS_EV_IDLE, KVM_PPC_PVINFO_FLAGS_EV_IDLE);
	SAME(SKVM_GUESTDBG_ENABLE, KVM_GUESTDBG_ENABLE);
	SAME(SKVM_GUESTDBG_SINGLESTEP, KVM_GUESTDBG_SINGLESTEP);
	SAME(SKVM_GUESTDBG_USE_SW_BP, KVM_GUESTDBG_USE_SW_BP);
	SAME(SKVM_GUESTDBG_USE_HW_BP, KVM_GUESTDBG_USE_HW_BP);
	SAME(SKVM_DEBUG_NONE, KVMPPC_DEBUG_NONE);
	SAME(SKVM_DEBUG_BREAKPOINT, KVMPPC_DEBUG_BREAKPOINT);
	SAME(SKVM_DEBUG_WATCH_WRITE, KVMPPC_DEBUG_WATCH_WRITE);
	SAME(SKVM_DEBUG_WATCH_READ, KVMPPC_DEBUG_WATCH_READ);
	SAME(SKVM_PPC_PAGE_SIZES_REAL, KVM_PPC_PAGE_SIZES_REAL);
	SAME(SKVM_PPC_1T_SEGMENTS, KVM_PPC_1T_SEGMENTS);
	SAME(SKVM_PPC_NO_HASH, KVM_PPC_NO_HASH);
	SAME(SKVM_PPC_PAGE_SIZES_MAX_SZ, KVM_PPC_PAGE_SIZES_MAX_SZ);
}

static void test_layout_regs(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct skvm_regs), sizeof(struct kvm_regs));
	FIELD(struct skvm_regs, struct kvm_regs, pc);
	FIELD(struct skvm_regs, struct kvm_regs, cr);
	FIELD(struct skvm_regs, struct kvm_regs, ctr);
	FIELD(struct skvm_regs, struct kvm_regs, lr);
	FIELD(struct skvm_regs, struct kvm_regs, xer);
	FIELD(struct skvm_regs, struct kvm_regs, msr);
	FIELD(struct skvm_regs, struct kvm_regs, srr0);
	FIELD(struct skvm_regs, struct kvm_regs, srr1);
	FIELD(struct skvm_regs, struct kvm_regs, pid);
	FIELD(struct skvm_regs, struct kvm_regs, sprg0);
	FIELD(struct skvm_regs, struct kvm_regs, sprg7);
	FIELD(struct skvm_regs, struct kvm_regs, gpr);
}

#define SREG(m) FIELD(struct skvm_sregs, struct kvm_sregs, u.e.m)
static void test_layout_sregs(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct skvm_sregs), sizeof(struct kvm_sregs));
	FIELD(struct skvm_sregs, struct kvm_sregs, pvr);
	FIELD(struct skvm_sregs, struct kvm_sregs, u);
	FIELD(struct skvm_sregs, struct kvm_sregs, u.s.sdr1);
	FIELD(struct skvm_sregs, struct kvm_sregs, u.s.ppc64);
	FIELD(struct skvm_sregs, struct kvm_sregs, u.s.ppc32);
	FIELD(struct skvm_sregs, struct kvm_sregs, u.e.impl);
	SREG(features);
	SREG(impl_id);
	SREG(update_special);
	SREG(pir);
	SREG(sprg8);
	SREG(sprg9);
	SREG(csrr0);
	SREG(dsrr0);
	SREG(mcsrr0);
	SREG(csrr1);
	SREG(dsrr1);
	SREG(mcsrr1);
	SREG(esr);
	SREG(dear);
	SREG(ivpr);
	SREG(mcivpr);
	SREG(mcsr);
	SREG(tsr);
	SREG(tcr);
	SREG(decar);
	SREG(dec);
	SREG(tb);
	SREG(dbsr);
	SREG(dbcr);
	SREG(iac);
	SREG(dac);
	SREG(dvc);
	SREG(num_iac);
	SREG(num_dac);
	SREG(num_dvc);
	SREG(epr);
	SREG(vrsave);
	SREG(epcr);
	SREG(mas0);
	SREG(mas1);
	SREG(mas2);
	SREG(mas7_3);
	SREG(mas4);
	SREG(mas6);
	SREG(ivor_low);
	SREG(ivor_high);
	SREG(mmucfg);
	SREG(eptcfg);
	SREG(tlbcfg);
	SREG(tlbps);
	SREG(eplc);
	SREG(epsc);
}

#define RUN(m) FIELD(struct skvm_run, struct kvm_run, m)
static void test_layout_run(void **state)
{
	(void)state;
	RUN(request_interrupt_window);
	RUN(immediate_exit);
	RUN(exit_reason);
	RUN(ready_for_interrupt_injection);
	RUN(if_flag);
	RUN(flags);
	RUN(cr8);
	RUN(apic_base);
	RUN(mmio);
	RUN(mmio.phys_addr);
	RUN(mmio.data);
	RUN(mmio.len);
	RUN(mmio.is_write);
	RUN(dcr.dcrn);
	RUN(dcr.data);
	RUN(dcr.is_write);
	RUN(internal);
	RUN(internal.suberror);
	RUN(internal.ndata);
	RUN(internal.data);
	RUN(debug.arch.address);
	RUN(debug.arch.status);
	RUN(debug.arch.reserved);
	RUN(system_event.type);
	RUN(system_event.ndata);
	RUN(system_event.data);
	RUN(papr_hcall.nr);
	RUN(papr_hcall.ret);
	RUN(papr_hcall.args);
	RUN(osi.gprs);
	RUN(padding);
	/* softkvm's own members fit in the union's 256 bytes */
	assert_true(offsetof(struct skvm_run, hcall) + sizeof(((struct skvm_run *)0)->hcall) <=
		    offsetof(struct kvm_run, padding) + 256);
	assert_true(offsetof(struct skvm_run, dcr.status) >= offsetof(struct kvm_run, dcr.is_write) + 1);
}

static void test_layout_others(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct skvm_enable_cap), sizeof(struct kvm_enable_cap));
	FIELD(struct skvm_enable_cap, struct kvm_enable_cap, cap);
	FIELD(struct skvm_enable_cap, struct kvm_enable_cap, flags);
	FIELD(struct skvm_enable_cap, struct kvm_enable_cap, args);
	FIELD(struct skvm_enable_cap, struct kvm_enable_cap, pad);
	assert_int_equal(sizeof(struct skvm_userspace_memory_region),
			 sizeof(struct kvm_userspace_memory_region));
	FIELD(struct skvm_userspace_memory_region, struct kvm_userspace_memory_region, slot);
	FIELD(struct skvm_userspace_memory_region, struct kvm_userspace_memory_region, flags);
	FIELD(struct skvm_userspace_memory_region, struct kvm_userspace_memory_region,
	      guest_phys_addr);
	FIELD(struct skvm_userspace_memory_region, struct kvm_userspace_memory_region,
	      memory_size);
	FIELD(struct skvm_userspace_memory_region, struct kvm_userspace_memory_region,
	      userspace_addr);

	assert_int_equal(sizeof(struct skvm_translation), sizeof(struct kvm_translation));
	FIELD(struct skvm_translation, struct kvm_translation, linear_address);
	FIELD(struct skvm_translation, struct kvm_translation, physical_address);
	FIELD(struct skvm_translation, struct kvm_translation, valid);
	FIELD(struct skvm_translation, struct kvm_translation, writeable);
	FIELD(struct skvm_translation, struct kvm_translation, usermode);

	assert_int_equal(sizeof(struct skvm_guest_debug), sizeof(struct kvm_guest_debug));
	FIELD(struct skvm_guest_debug, struct kvm_guest_debug, control);
	FIELD(struct skvm_guest_debug, struct kvm_guest_debug, arch.bp);
	FIELD(struct skvm_guest_debug, struct kvm_guest_debug, arch.bp[0].addr);
	FIELD(struct skvm_guest_debug, struct kvm_guest_debug, arch.bp[0].type);
	FIELD(struct skvm_guest_debug, struct kvm_guest_debug, arch.bp[15].reserved);

	/* without Linux's trailing padding, member for member */
	FIELD(struct skvm_ioeventfd, struct kvm_ioeventfd, datamatch);
	FIELD(struct skvm_ioeventfd, struct kvm_ioeventfd, addr);
	FIELD(struct skvm_ioeventfd, struct kvm_ioeventfd, len);
	FIELD(struct skvm_ioeventfd, struct kvm_ioeventfd, fd);
	FIELD(struct skvm_ioeventfd, struct kvm_ioeventfd, flags);
	FIELD(struct skvm_irqfd, struct kvm_irqfd, fd);
	FIELD(struct skvm_irqfd, struct kvm_irqfd, gsi);
	FIELD(struct skvm_irqfd, struct kvm_irqfd, flags);
	FIELD(struct skvm_irqfd, struct kvm_irqfd, resamplefd);
	FIELD(struct skvm_ppc_pvinfo, struct kvm_ppc_pvinfo, flags);
	FIELD(struct skvm_ppc_pvinfo, struct kvm_ppc_pvinfo, hcall);

	assert_int_equal(sizeof(struct skvm_ppc_smmu_info), sizeof(struct kvm_ppc_smmu_info));
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, flags);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, slb_size);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, data_keys);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, instr_keys);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, sps[0].page_shift);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, sps[0].slb_enc);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, sps[1].enc[0].page_shift);
	FIELD(struct skvm_ppc_smmu_info, struct kvm_ppc_smmu_info, sps[7].enc[7].pte_enc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_api_version),    cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_exit_reasons),   cmocka_unit_test(test_interrupt_values),
		cmocka_unit_test(test_one_reg_ids),    cmocka_unit_test(test_sregs_bits),
		cmocka_unit_test(test_flags),	       cmocka_unit_test(test_layout_regs),
		cmocka_unit_test(test_layout_sregs),   cmocka_unit_test(test_layout_run),
		cmocka_unit_test(test_layout_others),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
