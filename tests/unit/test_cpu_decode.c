// SPDX-License-Identifier: MIT
/* Unit tests of the decoder and disassembler derived from the instruction table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cpu/decode.h"
#include "cpu/handlers.h"

static int setup(void **state)
{
	*state = cpu_decoder_create();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	cpu_decoder_destroy(*state);
	return 0;
}

/* Every table entry decodes back to itself from its canonical encoding. */
static void test_table_round_trip(void **state)
{
	const struct cpu_decoder *dec = *state;
	for (unsigned i = 0; i < cpu_insn_count; i++) {
		const struct cpu_insn_info *in = &cpu_insn_table[i];
		uint32_t w = (uint32_t)in->primary << 26;
		if (!(in->arch & CPU_ARCH))
			continue; /* the 64-bit core's (test_cpu64_int.c) */
		if (in->form == FORM_A)
			w |= (uint32_t)in->xo << 1;
		else if (in->form == FORM_XO || in->form == FORM_X || in->form == FORM_XL ||
			 in->form == FORM_XFX || in->form == FORM_XFXM || in->form == FORM_CMP)
			w |= (uint32_t)in->xo << 1;
		struct cpu_dinsn d;
		int got = cpu_decode(dec, w, &d);
		if (got != (int)i)
			fail_msg("%s: decoded as %d", in->mnemonic, got);
	}
}

static void test_illegal(void **state)
{
	struct cpu_dinsn d;
	assert_int_equal(cpu_decode(*state, 0x00000000, &d), -1);
	assert_ptr_equal(d.fn, op_illegal);
	assert_int_equal(cpu_decode(*state, 0xfc000002, &d), -1); /* 63, X-form xo 1 */
	/* the 64-bit core's instructions are illegal on the 440 */
	assert_int_equal(cpu_decode(*state, 0xe8610008, &d), -1); /* ld r3,8(r1) */
	assert_ptr_equal(d.fn, op_illegal);
	assert_int_equal(cpu_decode(*state, 0x7c6307b4, &d), -1); /* extsw r3,r3 */
	assert_int_equal(cpu_decode(*state, 0x78630020, &d), -1); /* rldicl r3,r3,0,32 */
}

static void test_d_form(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0x3861fff0, &d); /* addi r3,r1,-16 */
	assert_ptr_equal(d.fn, op_addi);
	assert_int_equal(d.rt, 3);
	assert_int_equal(d.ra, 1);
	assert_int_equal(d.imm, -16);
	cpu_decode(*state, 0x38600005, &d); /* li r3,5: (RA|0) */
	assert_int_equal(d.ra, CPU_GPR_ZERO);
	cpu_decode(*state, 0x3c60ffff, &d); /* lis r3,-1 */
	assert_int_equal((uint32_t)d.imm, 0xffff0000u);
	cpu_decode(*state, 0x6063ffff, &d); /* ori r3,r3,0xffff: unsigned */
	assert_int_equal(d.imm, 0xffff);
	cpu_decode(*state, 0x84230004, &d); /* lwzu r1,4(r3): RA is not (RA|0) */
	assert_int_equal(d.ra, 3);
}

static void test_rotate_mask(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0x5463103a, &d); /* rlwinm r3,r3,2,0,29 */
	assert_int_equal(d.rb, 2);
	assert_int_equal((uint32_t)d.imm, 0xfffffffcu);
	cpu_decode(*state, 0x5463f0be, &d); /* rlwinm r3,r3,30,2,31 */
	assert_int_equal((uint32_t)d.imm, 0x3fffffffu);
	cpu_decode(*state, 0x546307c2, &d); /* rlwinm r3,r3,0,31,1: the mask wraps */
	assert_int_equal(d.mb, 31);
	assert_int_equal(d.me, 1);
	assert_int_equal((uint32_t)d.imm, 0xc0000001u);
}

static void test_xo_and_oe(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0x7c632214, &d); /* add r3,r3,r4 */
	assert_ptr_equal(d.fn, op_add);
	assert_int_equal(d.op, CPU_OP_add);
	assert_int_equal(d.flags & CPU_D_RC, 0);
	assert_int_equal(d.flags & CPU_D_OE, 0);
	cpu_decode(*state, 0x7c632615, &d); /* addo. r3,r3,r4 */
	assert_ptr_equal(d.fn, op_add);
	assert_int_equal(d.flags & CPU_D_RC, CPU_D_RC);
	assert_int_equal(d.flags & CPU_D_OE, CPU_D_OE);
}

static void test_branch_fields(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0x4200fff8, &d); /* bdnz .-8 */
	assert_ptr_equal(d.fn, op_bc);
	assert_int_equal(d.rt, 16);
	assert_int_equal(d.imm, -8);
	cpu_decode(*state, 0x4bfffffd, &d); /* bl .-4 */
	assert_int_equal(d.imm, -4);
	assert_int_equal(d.flags & CPU_D_LK, CPU_D_LK);
	assert_int_equal(d.flags & CPU_D_AA, 0);
	cpu_decode(*state, 0x4e800020, &d); /* blr */
	assert_ptr_equal(d.fn, op_bclr);
	assert_int_equal(d.rt, 20);
}

/* The privileged dispatch: SPRs the core owns stay in the core, others trap. */
static void test_spr_dispatch(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0x7c6802a6, &d); /* mflr r3 */
	assert_ptr_equal(d.fn, op_mfspr);
	assert_int_equal(d.imm, 8);
	cpu_decode(*state, 0x7c7f42a6, &d); /* mfpvr r3 (SPR 287) */
	assert_ptr_equal(d.fn, op_emulate);
	assert_int_equal(d.imm, 287);
	cpu_decode(*state, 0x7c7043a6, &d); /* mtsprg0 r3 (SPR 272) */
	assert_ptr_equal(d.fn, op_emulate);
	cpu_decode(*state, 0x7c6c42e6, &d); /* mftb r3 */
	assert_ptr_equal(d.fn, op_emulate);
	cpu_decode(*state, 0x7c0000a6, &d); /* mfmsr r0 */
	assert_ptr_equal(d.fn, op_emulate);
	cpu_decode(*state, 0x44000002, &d); /* sc */
	assert_ptr_equal(d.fn, op_emulate);
	assert_int_equal(d.op, CPU_OP_sc);
}

static void test_fp_forms(void **state)
{
	struct cpu_dinsn d;
	cpu_decode(*state, 0xfc22187a, &d); /* fmadd f1,f2,f1,f3 */
	assert_ptr_equal(d.fn, op_fmadd);
	assert_int_equal(d.rt, 1);
	assert_int_equal(d.ra, 2);
	assert_int_equal(d.rb, 3);
	assert_int_equal(d.frc, 1);
	cpu_decode(*state, 0xfc000890, &d); /* fmr f0,f1 */
	assert_ptr_equal(d.fn, op_fmr);
	cpu_decode(*state, 0xec221024, &d); /* fdivs f1,f2,f2 */
	assert_ptr_equal(d.fn, op_fdivs);
}

static void test_disassemble(void **state)
{
	char buf[64];
	cpu_disassemble(*state, 0x3861fff0, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, "addi r3,r1,-16");
	cpu_disassemble(*state, 0x7c632615, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, "addo. r3,r3,r4");
	cpu_disassemble(*state, 0x80610008, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, "lwz r3,8(r1)");
	cpu_disassemble(*state, 0x4bfffffd, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, "bl 0xffc");
	cpu_disassemble(*state, 0x00000000, 0x1000, buf, sizeof(buf));
	assert_string_equal(buf, ".long 0x00000000");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_table_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_illegal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_d_form, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rotate_mask, setup, teardown),
		cmocka_unit_test_setup_teardown(test_xo_and_oe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_branch_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spr_dispatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disassemble, setup, teardown),
	};
	return cmocka_run_group_tests_name("cpu_decode", tests, NULL, NULL);
}
