// SPDX-License-Identifier: MIT
/* The gdb stub's layers below its sockets: the packet framing (checksums, escapes, acks,
 * Ctrl-C, garbage, bad checksums, packets too long), the commands answered without the vcpu
 * (qSupported, the target description, unsupported hardware breakpoints) and those on a
 * real VM's vcpu: the 'g' layout, single registers, memory through the guest TLB (a
 * mapping that is not one-to-one, the current PID and address space, short reads at the
 * end of RAM), software breakpoints (planted, hidden from reads, kept under writes,
 * removed, pending until their address is mapped), resuming and bad packets; and on a
 * Book3S PR vcpu gdb's 64-bit little-endian layout, memory through real mode and the
 * SLB/HPT, its breakpoint bytes, and no hardware breakpoints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../vmm/error.c"
#include "../../vmm/gdb_cmd.c"
#include "../../vmm/gdb_packet.c"
#include "../../vmm/gdb_target.c"
#include "../../vmm/ram.c"

/* ---- framing ---- */

/* Feeds s; returns the last event that was not NONE (NONE if none). */
static enum gdb_rx_event feed(struct gdb_rx *rx, const char *s, size_t n)
{
	enum gdb_rx_event last = GDB_RX_NONE, e;

	for (size_t i = 0; i < n; i++) {
		e = gdb_rx_byte(rx, (uint8_t)s[i]);
		if (e != GDB_RX_NONE)
			last = e;
	}
	return last;
}
#define FEED(rx, lit) feed(rx, lit, sizeof(lit) - 1)

static void test_rx_packets(void **state)
{
	struct gdb_rx *rx = malloc(sizeof(*rx));

	(void)state;
	gdb_rx_init(rx);
	/* 'g' is 0x67: its checksum is 67, in either case */
	assert_int_equal(FEED(rx, "$g#67"), GDB_RX_PACKET);
	assert_int_equal(rx->len, 1);
	assert_string_equal((char *)rx->buf, "g");
	assert_int_equal(FEED(rx, "$qC#B4"), GDB_RX_PACKET);
	assert_string_equal((char *)rx->buf, "qC");
	/* acks, Ctrl-C, and noise between packets */
	assert_int_equal(FEED(rx, "+"), GDB_RX_ACK);
	assert_int_equal(FEED(rx, "-"), GDB_RX_NAK);
	assert_int_equal(FEED(rx, "\x03"), GDB_RX_INTERRUPT);
	assert_int_equal(FEED(rx, "xyz\n\r#00"), GDB_RX_NONE);
	/* an escaped '}' '#' '$' '*': "X}" + 0x5d, 0x03, 0x04, 0x0a */
	assert_int_equal(FEED(rx, "$a}]}\x03}\x04}\x0a#"), GDB_RX_NONE);
	uint8_t sum = (uint8_t)('a' + '}' + ']' + '}' + 3 + '}' + 4 + '}' + 10);
	char cs[3];
	snprintf(cs, sizeof(cs), "%02x", sum);
	assert_int_equal(feed(rx, cs, 2), GDB_RX_PACKET);
	assert_int_equal(rx->len, 5);
	assert_memory_equal(rx->buf, "a}#$*", 5);
	/* a 0x03 inside a packet is data, not an interrupt */
	assert_int_equal(FEED(rx, "$\x03#03"), GDB_RX_PACKET);
	assert_int_equal(rx->buf[0], 3);
	free(rx);
}

static void test_rx_bad_packets(void **state)
{
	struct gdb_rx *rx = malloc(sizeof(*rx));
	char *big;

	(void)state;
	gdb_rx_init(rx);
	assert_int_equal(FEED(rx, "$g#68"), GDB_RX_BAD); /* wrong checksum */
	assert_int_equal(FEED(rx, "$g#6z"), GDB_RX_BAD); /* not hex */
	assert_int_equal(FEED(rx, "$g#z"), GDB_RX_BAD);
	/* a '$' restarts: the unfinished packet is dropped, the next one counts */
	assert_int_equal(FEED(rx, "$mmm$g#67"), GDB_RX_PACKET);
	assert_string_equal((char *)rx->buf, "g");
	/* one byte more than the buffer, with its right checksum: BAD, and no overrun */
	big = malloc(GDB_PACKET_MAX + 8);
	uint8_t sum = 0;
	big[0] = '$';
	for (size_t i = 1; i <= GDB_PACKET_MAX + 1; i++) {
		big[i] = 'a';
		sum += 'a';
	}
	snprintf(big + GDB_PACKET_MAX + 2, 5, "#%02x", sum);
	assert_int_equal(feed(rx, big, GDB_PACKET_MAX + 5), GDB_RX_BAD);
	/* exactly the buffer: fine */
	sum -= 'a';
	snprintf(big + GDB_PACKET_MAX + 1, 5, "#%02x", sum);
	assert_int_equal(feed(rx, big, GDB_PACKET_MAX + 4), GDB_RX_PACKET);
	assert_int_equal(rx->len, GDB_PACKET_MAX);
	/* and the receiver is fine afterwards */
	assert_int_equal(FEED(rx, "$g#67"), GDB_RX_PACKET);
	/* random bytes never overrun or crash it */
	srand(1);
	for (unsigned i = 0; i < 200000; i++)
		(void)gdb_rx_byte(rx, (uint8_t)rand());
	assert_true(rx->len <= GDB_PACKET_MAX);
	free(big);
	free(rx);
}

static void test_frame(void **state)
{
	uint8_t out[32];
	struct gdb_rx rx;

	(void)state;
	assert_int_equal(gdb_frame((const uint8_t *)"OK", 2, out, sizeof(out)), 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* the four special bytes are escaped, and the result reads back as it was */
	size_t n = gdb_frame((const uint8_t *)"$#}*x", 5, out, sizeof(out));
	assert_int_equal(n, 1 + 9 + 3);
	assert_memory_equal(out, "$}\x04}\x03}]}\x0ax#", 11);
	gdb_rx_init(&rx);
	assert_int_equal(feed(&rx, (const char *)out, n), GDB_RX_PACKET);
	assert_memory_equal(rx.buf, "$#}*x", 5);
	/* too small a buffer: nothing */
	assert_int_equal(gdb_frame((const uint8_t *)"OK", 2, out, 5), 0);
	assert_int_equal(gdb_frame((const uint8_t *)"}}", 2, out, 7), 0);
}

static void test_hex(void **state)
{
	const char *p;
	uint64_t v;
	uint8_t b[3];

	(void)state;
	p = "1aF,";
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_int_equal(v, 0x1af);
	assert_int_equal(*p, ',');
	p = "ffffffffffffffff";
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_true(v == UINT64_MAX);
	p = "00000000000000000001"; /* leading zeros are not an overflow */
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_int_equal(v, 1);
	p = "10000000000000000";
	assert_int_equal(gdb_parse_hex(&p, &v), -EINVAL);
	p = ",1";
	assert_int_equal(gdb_parse_hex(&p, &v), -EINVAL);
	assert_int_equal(gdb_hex_decode("00ff7A", b, 3), 0);
	assert_memory_equal(b, "\x00\xff\x7a", 3);
	assert_int_equal(gdb_hex_decode("0g", b, 1), -EINVAL);
	assert_int_equal(gdb_hex_decode("0", b, 1), -EINVAL); /* stops at the NUL */
}

/* ---- commands without the vcpu ---- */

static void reply_is(const struct gdb_reply *r, const char *want)
{
	assert_false(r->overflow);
	assert_int_equal(r->len, strlen(want));
	assert_memory_equal(r->buf, want, r->len);
}

static bool local(const char *pkt, struct gdb_reply *r, bool *no_ack)
{
	r->len = 0;
	r->overflow = false;
	return gdb_cmd_local((const uint8_t *)pkt, strlen(pkt), gdb_layout_of(SKVM_VM_PPC_440)->xml,
			     1, r, no_ack);
}

static void test_local_commands(void **state)
{
	struct gdb_reply r;
	bool no_ack = false;
	const char *gdb_target_xml = gdb_layout_of(SKVM_VM_PPC_440)->xml;
	size_t xml = strlen(gdb_target_xml);

	(void)state;
	assert_true(local("qSupported:multiprocess+;swbreak+;xmlRegisters=i386", &r, &no_ack));
	reply_is(&r, "PacketSize=1000;qXfer:features:read+;QStartNoAckMode+;vContSupported+;"
		     "hwbreak-");
	assert_true(local("vCont?", &r, &no_ack));
	reply_is(&r, "vCont;c;C;s;S");
	/* hardware breakpoints and watchpoints: the vcpu's, as Z0 */
	for (const char *z = "1234"; *z; z++) {
		char pkt[32];
		snprintf(pkt, sizeof(pkt), "Z%c,100000,4", *z);
		assert_false(local(pkt, &r, &no_ack));
		pkt[0] = 'z';
		assert_false(local(pkt, &r, &no_ack));
	}
	/* the target description, in pieces */
	assert_true(local("qXfer:features:read:target.xml:0,10", &r, &no_ack));
	assert_int_equal(r.len, 1 + 0x10);
	assert_int_equal(r.buf[0], 'm');
	assert_memory_equal(r.buf + 1, gdb_target_xml, 0x10);
	char pkt[64];
	snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,ffffffffff", xml - 5);
	assert_true(local(pkt, &r, &no_ack));
	assert_int_equal(r.len, 6);
	assert_int_equal(r.buf[0], 'l');
	assert_true(local("qXfer:features:read:target.xml:ffffffff,10", &r, &no_ack));
	reply_is(&r, "l");
	assert_true(local("qXfer:features:read:other.xml:0,10", &r, &no_ack));
	assert_int_equal(r.buf[0], 'E');
	assert_true(local("qXfer:features:read:target.xml:0", &r, &no_ack));
	assert_int_equal(r.buf[0], 'E');
	assert_true(local("qXfer:features:read:target.xml:0,1x", &r, &no_ack));
	assert_int_equal(r.buf[0], 'E');
	/* it names gdb's standard features and the 71 registers */
	assert_non_null(strstr(gdb_target_xml, "org.gnu.gdb.power.core"));
	assert_non_null(strstr(gdb_target_xml, "org.gnu.gdb.power.fpu"));
	unsigned regs = 0;
	for (const char *s = gdb_target_xml; (s = strstr(s, "<reg ")); s++)
		regs++;
	assert_int_equal(regs, GDB_REG_COUNT);
	assert_non_null(strstr(gdb_target_xml, "name=\"f31\""));
	assert_non_null(strstr(gdb_target_xml, "<architecture>powerpc:common</architecture>"));
	assert_non_null(strstr(gdb_target_xml, "<reg name=\"r31\" bitsize=\"32\""));
	/* no-ack mode, thread queries, unknown packets */
	assert_true(local("QStartNoAckMode", &r, &no_ack));
	reply_is(&r, "OK");
	assert_true(no_ack);
	assert_true(local("qfThreadInfo", &r, &no_ack));
	reply_is(&r, "m01");
	assert_true(local("T1", &r, &no_ack));
	reply_is(&r, "OK");
	assert_true(local("qSymbol::", &r, &no_ack));
	reply_is(&r, "");
	assert_true(local("", &r, &no_ack));
	reply_is(&r, "");
	/* these are the vcpu's */
	assert_false(local("g", &r, &no_ack));
	assert_false(local("m100000,4", &r, &no_ack));
	assert_false(local("Z0,100000,4", &r, &no_ack));
	assert_false(local("vCont;c", &r, &no_ack));
	assert_false(local("?", &r, &no_ack));
	assert_false(local("Hg0", &r, &no_ack)); /* the selected thread is the session's */
	assert_false(local("qC", &r, &no_ack));
}

/* ---- commands on a vcpu ---- */

#define RAM_SIZE   (2u << 20)
#define CODE	   0x1000u     /* guest-physical */
#define VA_KERNEL  0xc0000000u /* 1 MiB page mapped to physical 0 */
#define VA_USER	   0x20000000u /* 4 KiB page, PID 5, AS 1, mapped to physical 0x3000 */
#define DEBUG_INST 0x00dddd00u
#define GDB_REGS_440 (32 * 4 + 32 * 8 + 7 * 4) /* the 'g' packet's bytes */

struct fix {
	struct vmm_ram ram;
	struct vmm_machine m;
	struct gdb_session s;
	struct gdb_reply r;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	struct skvm_userspace_memory_region region = {.memory_size = RAM_SIZE};

	assert_int_equal(vmm_ram_alloc(&f->ram, 0, RAM_SIZE), 0);
	region.userspace_addr = f->ram.host;
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_440, &f->m.vm), 0);
	assert_int_equal(skvm_vm_set_memory_region(f->m.vm, &region), 0);
	assert_int_equal(skvm_vcpu_create(f->m.vm, 0, &f->m.vcpu), 0);
	f->m.ram = &f->ram;
	struct skvm_440_tlb_entry k = {.word0 = VA_KERNEL | 0x200 | 0x50, .word2 = 0x3f};
	struct skvm_440_tlb_entry u = {
	    .word0 = VA_USER | 0x200 | 0x100 | 0x10, .word1 = 0x3000, .word2 = 0x3f, .tid = 5};
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->m.vcpu, 0, &k), 0);
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->m.vcpu, 1, &u), 0);
	f->m.vcpus = &f->m.vcpu;
	f->m.nr_vcpus = 1;
	assert_int_equal(gdb_session_init(&f->s, &f->m), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	skvm_vm_destroy(f->m.vm);
	vmm_ram_free(&f->ram);
	free(f);
	return 0;
}

static enum gdb_action cmd(struct fix *f, const char *pkt)
{
	f->r.len = 0;
	f->r.overflow = false;
	return gdb_cmd_vcpu(&f->s, (const uint8_t *)pkt, strlen(pkt), &f->r);
}

static void cmd_ok(struct fix *f, const char *pkt, const char *want)
{
	assert_int_equal(cmd(f, pkt), GDB_ACTION_NONE);
	reply_is(&f->r, want);
}

static void cmd_err(struct fix *f, const char *pkt)
{
	assert_int_equal(cmd(f, pkt), GDB_ACTION_NONE);
	assert_true(f->r.len == 3 && f->r.buf[0] == 'E');
}

static uint32_t ram_word(struct fix *f, uint32_t gpa)
{
	const uint8_t *p = f->ram.host + gpa;
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void set_regs(struct fix *f, uint32_t pc, uint32_t msr, uint32_t pid)
{
	struct skvm_regs r;

	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	r.pc = pc;
	r.msr = msr;
	r.pid = pid;
	assert_int_equal(skvm_vcpu_set_regs(f->m.vcpu, &r), 0);
}

static void test_registers(void **state)
{
	struct fix *f = *state;
	struct skvm_regs r;
	uint64_t fpr = 0x3ff8000000000000ull; /* 1.5 */
	char g[2 * GDB_REGS_440 + 1];

	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	r.gpr[0] = 0x01020304;
	r.gpr[31] = 0xa0b0c0d0;
	r.pc = 0xc0001000;
	r.cr = 0x22000042;
	r.lr = 0x11111110;
	r.ctr = 0x33;
	r.xer = 0x20000000;
	assert_int_equal(skvm_vcpu_set_regs(f->m.vcpu, &r), 0);
	assert_int_equal(skvm_vcpu_set_one_reg(f->m.vcpu, SKVM_REG_PPC_FPR(1), &fpr), 0);

	assert_int_equal(cmd(f, "g"), GDB_ACTION_NONE);
	assert_int_equal(f->r.len, 2 * GDB_REGS_440);
	memcpy(g, f->r.buf, f->r.len);
	g[f->r.len] = 0;
	assert_memory_equal(g, "01020304", 8);
	assert_memory_equal(g + 31 * 8, "a0b0c0d0", 8);
	assert_memory_equal(g + 32 * 8 + 16, "3ff8000000000000", 16); /* f1 */
	const char *spr = g + 32 * 8 + 32 * 16;			      /* pc msr cr lr ctr xer */
	assert_memory_equal(spr,
			    "c0001000"
			    "00000000"
			    "22000042"
			    "11111110"
			    "00000033"
			    "20000000",
			    48);
	cmd_ok(f, "p40", "c0001000");
	cmd_ok(f, "p21", "3ff8000000000000");
	cmd_ok(f, "p1f", "a0b0c0d0");
	cmd_err(f, "p47"); /* past fpscr */
	cmd_err(f, "pffffffffffffffffff");
	cmd_err(f, "p");

	/* writes: one register, then all of them back as they were read */
	cmd_ok(f, "P43=12345678", "OK");	 /* lr */
	cmd_ok(f, "P22=4000000000000000", "OK"); /* f2 = 2.0 */
	cmd_ok(f, "P46=00000000", "OK");	 /* fpscr */
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_int_equal(r.lr, 0x12345678);
	assert_int_equal(skvm_vcpu_get_one_reg(f->m.vcpu, SKVM_REG_PPC_FPR(2), &fpr), 0);
	assert_true(fpr == 0x4000000000000000ull);
	cmd_err(f, "P43=123");	    /* a register is 4 bytes */
	cmd_err(f, "P22=12345678"); /* an FPR is 8 */
	cmd_err(f, "P43=1234567z");
	cmd_err(f, "P99=12345678");
	cmd_err(f, "P43");

	char G[2 * GDB_REGS_440 + 2] = "G";
	memcpy(G + 1, g, 2 * GDB_REGS_440 + 1);
	cmd_ok(f, G, "OK");
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_int_equal(r.lr, 0x11111110);
	assert_int_equal(skvm_vcpu_get_one_reg(f->m.vcpu, SKVM_REG_PPC_FPR(2), &fpr), 0);
	assert_true(fpr == 0);
	G[100] = 0;
	cmd_err(f, G); /* too short */
	cmd_err(f, "G");
}

static void test_memory(void **state)
{
	struct fix *f = *state;

	memcpy(f->ram.host + 0x1000, "\x11\x22\x33\x44", 4);
	memcpy(f->ram.host + 0x3ffe, "\xaa\xbb\xcc\xdd", 4);
	set_regs(f, CODE, 0, 0);
	/* through the kernel's mapping: virtual 0xc0001000 is physical 0x1000 */
	cmd_ok(f, "mc0001000,4", "11223344");
	cmd_err(f, "m1000,4"); /* virtual 0x1000 is not mapped */
	/* the user page is PID 5 and AS 1 only */
	cmd_err(f, "m20000ffe,2");
	set_regs(f, CODE, PPC_MSR_DS, 5);
	cmd_ok(f, "m20000ffe,2", "aabb");
	/* reads stop where the mapping ends: a short read */
	cmd_ok(f, "m20000ffe,8", "aabb");
	set_regs(f, CODE, 0, 0);
	/* ... as at the end of the kernel's 1 MiB page */
	cmd_ok(f, "mc00ffffe,4", "0000");
	cmd_ok(f, "mc0001000,0", "");
	/* a huge length: at most half a packet of data */
	assert_int_equal(cmd(f, "mc0000000,100000000"), GDB_ACTION_NONE);
	assert_int_equal(f->r.len, GDB_PACKET_MAX);
	cmd_err(f, "m100000000,4");
	cmd_err(f, "mc0001000");
	cmd_err(f, "mc0001000,");
	cmd_err(f, "mzz,4");

	/* writes, hex and binary, reach guest RAM */
	cmd_ok(f, "Mc0001000,2:beef", "OK");
	assert_int_equal(ram_word(f, 0x1000), 0xbeef3344);
	/* binary data as the receiver leaves it (unescaped): "#*" */
	assert_int_equal(gdb_cmd_vcpu(&f->s, (const uint8_t *)"Xc0001002,2:#*", 14, &f->r),
			 GDB_ACTION_NONE);
	assert_int_equal(ram_word(f, 0x1000), 0xbeef232a);
	f->r.len = 0;
	cmd_ok(f, "Xc0001000,0:", "OK"); /* gdb's probe for X */
	cmd_err(f, "Mc0001000,2:bee");
	cmd_err(f, "Mc0001000,2:beefff");
	cmd_err(f, "Mc0001000,ffffffff:00");
	cmd_err(f, "Xc0001000,4:ab");
	cmd_err(f, "M1000,1:00"); /* not mapped: nothing written */
	/* all or nothing: the second page of this write is not mapped */
	set_regs(f, CODE, PPC_MSR_DS, 5);
	cmd_err(f, "M20000fff,2:0102");
	assert_int_equal(f->ram.host[0x3fff], 0xbb);
	set_regs(f, CODE, 0, 0);
	cmd_err(f, "Mffffffff,2:0102"); /* past 4 GiB */
}

static void test_breakpoints(void **state)
{
	struct fix *f = *state;

	memcpy(f->ram.host + 0x2000, "\x38\x60\x00\x01\x38\x60\x00\x02", 8); /* li r3,1; li r3,2 */
	set_regs(f, 0xc0002000, 0, 0);
	cmd_ok(f, "Z0,c0002004,4", "OK");
	assert_int_equal(ram_word(f, 0x2004), DEBUG_INST);
	assert_true(gdb_target_is_bp(&f->s.target, 0xc0002004));
	/* reads show the instruction it replaced; a write over it changes that, and the
	 * breakpoint stays */
	cmd_ok(f, "mc0002000,8", "3860000138600002");
	cmd_ok(f, "Mc0002004,4:38600009", "OK");
	assert_int_equal(ram_word(f, 0x2004), DEBUG_INST);
	cmd_ok(f, "Z0,c0002004,4", "OK"); /* twice is once */
	assert_int_equal(f->s.target.nr_bp, 1);
	cmd_ok(f, "z0,c0002004,4", "OK");
	assert_int_equal(ram_word(f, 0x2004), 0x38600009);
	assert_false(gdb_target_is_bp(&f->s.target, 0xc0002004));
	cmd_ok(f, "z0,c0002004,4", "OK"); /* removing what is not there */

	cmd_err(f, "Z0,c0002002,4"); /* misaligned */
	cmd_err(f, "Z0,c0002000,2"); /* not a 4-byte instruction */
	cmd_err(f, "Z0,c0002000");
	cmd_err(f, "Z0,zz,4");
	cmd_err(f, "Z5,c0002000,4");
	cmd_ok(f, "Z0,c0002000,4;X1,0", "OK"); /* a condition gdb was not asked for: ignored */
	cmd_ok(f, "z0,c0002000,4", "OK");

	/* hardware ones: four breakpoints, two watchpoints, nothing written into RAM */
	for (unsigned i = 0; i < 4; i++) {
		char pkt[32];
		snprintf(pkt, sizeof(pkt), "Z1,c00020%02x,4", 4 * i);
		cmd_ok(f, pkt, "OK");
	}
	cmd_ok(f, "Z1,c0002000,4", "OK"); /* twice is once */
	cmd_err(f, "Z1,c0002010,4");	  /* a fifth */
	cmd_err(f, "Z1,c0002002,4");	  /* misaligned */
	assert_int_equal(ram_word(f, 0x2000), 0x38600001);
	cmd_ok(f, "Z2,c0003000,4", "OK");
	cmd_ok(f, "Z3,c0003004,1", "OK");
	cmd_err(f, "Z4,c0003008,4"); /* a third watchpoint */
	cmd_err(f, "Z2,c0003008,0"); /* no length */
	cmd_err(f, "Z2,c0003008,9");
	assert_int_equal(gdb_target_watch_at(&f->s.target, 0xc0003004), GDB_HW_RWATCH);
	cmd_ok(f, "z3,c0003004,1", "OK");
	cmd_ok(f, "Z4,c0003008,4", "OK");
	assert_int_equal(gdb_target_watch_at(&f->s.target, 0xc0003008), GDB_HW_AWATCH);
	assert_int_equal(gdb_target_watch_at(&f->s.target, 0xc0003004), 0);
	assert_int_equal(f->s.target.nr_hw, 6);
	/* they become the vcpu's hardware compares (KVM_SET_GUEST_DEBUG takes 4 + 2) */
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, true, false), 0);
	for (unsigned i = 0; i < 4; i++) {
		char pkt[32];
		snprintf(pkt, sizeof(pkt), "z1,c00020%02x,4", 4 * i);
		cmd_ok(f, pkt, "OK");
	}
	cmd_ok(f, "z2,c0003000,4", "OK");
	cmd_ok(f, "z4,c0003008,4", "OK");
	cmd_ok(f, "z4,c0003008,4", "OK"); /* removing what is not there */
	assert_int_equal(f->s.target.nr_hw, 0);
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, true, false), 0);

	/* pending: virtual 0xd0000000 is not mapped yet */
	cmd_ok(f, "Z0,d0000100,4", "OK");
	assert_false(gdb_target_is_bp(&f->s.target, 0xd0000100));
	assert_true(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	struct skvm_440_tlb_entry e = {
	    .word0 = 0xd0000000u | 0x200 | 0x10, .word1 = 0x5000, .word2 = 0x3f};
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->m.vcpu, 2, &e), 0);
	assert_false(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	assert_true(gdb_target_is_bp(&f->s.target, 0xd0000100));
	assert_int_equal(ram_word(f, 0x5100), DEBUG_INST);
	/* the mapping goes: removal still finds where it was planted */
	e.word0 = 0;
	assert_int_equal(skvm_vcpu_set_tlb_entry(f->m.vcpu, 2, &e), 0);
	cmd_ok(f, "z0,d0000100,4", "OK");
	assert_int_equal(ram_word(f, 0x5100), 0);

	/* a reset reloads the code: the breakpoint goes back, over the new instruction */
	cmd_ok(f, "Z0,c0002000,4", "OK");
	memcpy(f->ram.host + 0x2000, "\x38\x60\x00\x07", 4);
	gdb_target_replant(&f->s.target);
	assert_int_equal(ram_word(f, 0x2000), DEBUG_INST);
	cmd_ok(f, "mc0002000,4", "38600007");
	gdb_target_remove_all_bp(&f->s.target);
	assert_int_equal(ram_word(f, 0x2000), 0x38600007);
	assert_int_equal(f->s.target.nr_bp, 0);

	/* the table is bounded */
	for (unsigned i = 0; i < GDB_MAX_BREAKPOINTS; i++) {
		char pkt[32];
		snprintf(pkt, sizeof(pkt), "Z0,%x,4", 0xc0010000u + 4 * i);
		cmd_ok(f, pkt, "OK");
	}
	cmd_err(f, "Z0,c0020000,4");
	gdb_target_remove_all_bp(&f->s.target);
	for (unsigned i = 0; i < GDB_MAX_BREAKPOINTS; i++)
		assert_int_equal(ram_word(f, 0x10000 + 4 * i), 0);
}

static void test_resume(void **state)
{
	struct fix *f = *state;
	struct skvm_regs r;

	f->s.signo = SIGTRAP;
	cmd_ok(f, "?", "T05thread:01;");
	assert_int_equal(cmd(f, "c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, -1);
	assert_int_equal(cmd(f, "s"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 0);
	assert_int_equal(cmd(f, "vCont;c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, -1);
	assert_int_equal(cmd(f, "vCont;s:1;c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 0);
	assert_int_equal(cmd(f, "c c0003000"), GDB_ACTION_NONE); /* no space allowed */
	assert_int_equal(cmd(f, "cc0003000"), GDB_ACTION_CONTINUE);
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_int_equal(r.pc, 0xc0003000);
	assert_int_equal(cmd(f, "C05;c0004000"), GDB_ACTION_CONTINUE);
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_int_equal(r.pc, 0xc0004000);
	assert_int_equal(cmd(f, "S0b"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 0);
	cmd_err(f, "vCont;x");
	cmd_err(f, "vCont;");
	cmd_err(f, "C");
	cmd_err(f, "c100000000");
	assert_int_equal(cmd(f, "D"), GDB_ACTION_DETACH);
	reply_is(&f->r, "OK");
	assert_int_equal(cmd(f, "D;1"), GDB_ACTION_DETACH);
	assert_int_equal(cmd(f, "k"), GDB_ACTION_KILL);
	cmd_ok(f, "vUnknown", "");
	cmd_ok(f, "", "");

	/* the guest debug state that resuming sets */
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, true, true), 0);
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, false, false), 0);
}

/* ---- a Book3S PR vcpu: gdb's 64-bit layout, little-endian ---- */

#define PR_HPT_GPA 0x10000000ull /* the table's slot, outside RAM as a VMM keeps it */
#define PR_HPT_SIZE (256u << 10)
#define PR_MSR_SF (1ull << 63)
#define PR_MSR_ME (1ull << 12)
#define PR_MSR_LE 1ull
#define PR_MSR_XLATE 0x30ull /* IR | DR */
#define PR_VSID 0x42ull
#define PR_SEG 0x10000000ull /* segment 1 of 256 MiB */
#define PR_REGS (32 * 8 + 32 * 8 + 4 * 8 + 3 * 4)

struct pr_fix {
	struct fix f; /* first: cmd() and friends take it */
	uint8_t *hpt;
};

static int setup_pr(void **state)
{
	struct pr_fix *p = calloc(1, sizeof(*p));
	struct fix *f = &p->f;
	struct skvm_userspace_memory_region ram = {.memory_size = RAM_SIZE};
	struct skvm_userspace_memory_region hpt = {
	    .slot = 1, .guest_phys_addr = PR_HPT_GPA, .memory_size = PR_HPT_SIZE};
	struct skvm_sregs sr;

	p->hpt = aligned_alloc(PR_HPT_SIZE, PR_HPT_SIZE);
	assert_non_null(p->hpt);
	memset(p->hpt, 0, PR_HPT_SIZE);
	hpt.userspace_addr = p->hpt;
	assert_int_equal(vmm_ram_alloc(&f->ram, 0, RAM_SIZE), 0);
	ram.userspace_addr = f->ram.host;
	f->m.vm_type = SKVM_VM_PPC_PR;
	assert_int_equal(skvm_vm_create(SKVM_VM_PPC_PR, &f->m.vm), 0);
	assert_int_equal(skvm_vm_set_memory_region(f->m.vm, &ram), 0);
	assert_int_equal(skvm_vm_set_memory_region(f->m.vm, &hpt), 0);
	assert_int_equal(skvm_vcpu_create(f->m.vm, 0, &f->m.vcpu), 0);
	assert_int_equal(skvm_vcpu_get_sregs(f->m.vcpu, &sr), 0);
	sr.u.s.sdr1 = PR_HPT_GPA;
	/* SLB entry 0: the segment at PR_SEG, VSID 0x42 */
	sr.u.s.ppc64.slb[0].slbe = PR_SEG | (1ull << 27);
	sr.u.s.ppc64.slb[0].slbv = PR_VSID << 12;
	assert_int_equal(skvm_vcpu_set_sregs(f->m.vcpu, &sr), 0);
	f->m.ram = &f->ram;
	f->m.vcpus = &f->m.vcpu;
	f->m.nr_vcpus = 1;
	assert_int_equal(gdb_session_init(&f->s, &f->m), 0);
	*state = p;
	return 0;
}

static int teardown_pr(void **state)
{
	struct pr_fix *p = *state;

	skvm_vm_destroy(p->f.m.vm);
	vmm_ram_free(&p->f.ram);
	free(p->hpt);
	free(p);
	return 0;
}

/* An HPTE for the 4 KiB page at ea in the segment of PR_SEG, to gpa (PP = 2: read/write). */
static void pr_map(struct pr_fix *p, uint64_t ea, uint64_t gpa)
{
	uint64_t pteg = ((PR_VSID ^ ((ea & 0x0fffffffull) >> 12)) & (PR_HPT_SIZE / 128 - 1));
	uint64_t va = PR_VSID << 28 | (ea & 0x0fffffffull);
	uint64_t v = __builtin_bswap64((va >> 23) << 7 | 1), r = __builtin_bswap64(gpa | 0x10 | 2);

	memcpy(p->hpt + pteg * 128, &v, 8);
	memcpy(p->hpt + pteg * 128 + 8, &r, 8);
}

static void pr_set_regs(struct fix *f, uint64_t pc, uint64_t msr)
{
	struct skvm_regs r;

	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	r.pc = pc;
	r.msr = msr;
	assert_int_equal(skvm_vcpu_set_regs(f->m.vcpu, &r), 0);
}

static void test_pr_description(void **state)
{
	struct pr_fix *p = *state;
	const char *xml = p->f.s.target.layout->xml;
	struct gdb_reply r = {.len = 0};
	bool no_ack = false;
	unsigned regs = 0;

	assert_ptr_equal(p->f.s.target.layout, gdb_layout_of(SKVM_VM_PPC_PR));
	assert_non_null(strstr(xml, "<architecture>powerpc:common64</architecture>"));
	assert_non_null(strstr(xml, "<reg name=\"r0\" bitsize=\"64\" type=\"uint64\"/>"));
	assert_non_null(strstr(xml, "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"64\"/>"));
	assert_non_null(strstr(xml, "<reg name=\"cr\" bitsize=\"32\""));
	assert_non_null(strstr(xml, "<reg name=\"xer\" bitsize=\"32\""));
	assert_non_null(strstr(xml, "<reg name=\"fpscr\" bitsize=\"32\""));
	for (const char *x = xml; (x = strstr(x, "<reg ")); x++)
		regs++;
	assert_int_equal(regs, GDB_REG_COUNT);
	assert_int_equal(gdb_target_regs_bytes(&p->f.s.target), PR_REGS);
	/* the stub's thread serves this description, in pieces */
	char *got = calloc(1, strlen(xml) + 1), pkt[64];
	size_t off = 0;

	assert_non_null(got);
	for (;;) {
		snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,800", off);
		r.len = 0;
		assert_true(gdb_cmd_local((const uint8_t *)pkt, strlen(pkt), xml, 1, &r, &no_ack));
		assert_true(r.len >= 1 && off + r.len - 1 <= strlen(xml));
		memcpy(got + off, r.buf + 1, r.len - 1);
		off += r.len - 1;
		if (r.buf[0] == 'l')
			break;
		assert_int_equal(r.buf[0], 'm');
	}
	assert_string_equal(got, xml);
	free(got);
}

static void test_pr_registers(void **state)
{
	struct fix *f = *state;
	struct skvm_regs r;
	char g[2 * PR_REGS + 2] = "G";

	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	r.gpr[0] = 0x0102030405060708ull;
	r.gpr[31] = 0xa0b0c0d0e0f00010ull;
	r.pc = 0xc000000000001000ull;
	r.msr = PR_MSR_SF | PR_MSR_ME | PR_MSR_LE;
	r.cr = 0x22000042;
	r.lr = 0xc000000000abcdefull;
	r.ctr = 0x33;
	r.xer = 0x20000000;
	assert_int_equal(skvm_vcpu_set_regs(f->m.vcpu, &r), 0);

	/* 64-bit GPRs, pc, msr, lr, ctr; 32-bit cr and xer; each least significant byte first */
	assert_int_equal(cmd(f, "g"), GDB_ACTION_NONE);
	assert_int_equal(f->r.len, 2 * PR_REGS);
	memcpy(g + 1, f->r.buf, f->r.len);
	g[1 + f->r.len] = 0;
	assert_memory_equal(g + 1, "0807060504030201", 16);
	assert_memory_equal(g + 1 + 31 * 16, "1000f0e0d0c0b0a0", 16);
	assert_memory_equal(g + 1 + 64 * 16,
			    "00100000000000c0" /* pc */
			    "0110000000000080" /* msr: SF | ME | LE */
			    "42000022"	       /* cr */
			    "efcdab00000000c0" /* lr */
			    "3300000000000000" /* ctr */
			    "00000020",	       /* xer */
			    80);
	cmd_ok(f, "p40", "00100000000000c0");
	cmd_ok(f, "p42", "42000022");
	cmd_err(f, "P40=00200000"); /* pc is 8 bytes here */
	cmd_ok(f, "P40=00200000000000c0", "OK");
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_true(r.pc == 0xc000000000002000ull);
	cmd_ok(f, g, "OK"); /* all of them back as they were */
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_true(r.pc == 0xc000000000001000ull);
	assert_true(r.gpr[31] == 0xa0b0c0d0e0f00010ull);
	/* a 64-bit address to resume at */
	assert_int_equal(cmd(f, "cc000000000003000"), GDB_ACTION_CONTINUE);
	assert_int_equal(skvm_vcpu_get_regs(f->m.vcpu, &r), 0);
	assert_true(r.pc == 0xc000000000003000ull);
}

/* Memory through the vcpu's translation now: real mode (the top four bits of the EA
 * ignored, so a kernel's 0xc000... addresses reach their RAM), then SLB and HPT. */
static void test_pr_memory(void **state)
{
	struct pr_fix *p = *state;
	struct fix *f = &p->f;

	memcpy(f->ram.host + 0x1000, "\x11\x22\x33\x44", 4);
	memcpy(f->ram.host + 0x3010, "\xaa\xbb\xcc\xdd", 4);
	pr_map(p, PR_SEG + 0x5000, 0x3000);
	pr_set_regs(f, 0x100, PR_MSR_SF | PR_MSR_ME);
	cmd_ok(f, "m1000,4", "11223344");
	cmd_ok(f, "mc000000000001000,4", "11223344");
	cmd_err(f, "m10005010,4"); /* real mode: beyond the 2 MiB of RAM */
	pr_set_regs(f, 0x100, PR_MSR_SF | PR_MSR_ME | PR_MSR_LE | PR_MSR_XLATE);
	cmd_ok(f, "m10005010,4", "aabbccdd");
	cmd_err(f, "m1000,4");	    /* no segment */
	cmd_err(f, "m10006000,4");  /* no HPTE */
	cmd_ok(f, "m10005ffe,4", "0000"); /* a short read where the mapping ends */
	cmd_ok(f, "M10005010,2:beef", "OK");
	assert_memory_equal(f->ram.host + 0x3010, "\xbe\xef\xcc\xdd", 4);
	cmd_err(f, "m1ffffffffffffffff,4"); /* past 64 bits */
	cmd_err(f, "Mffffffffffffffff,2:0102");
}

/* The breakpoint bytes where the address translates (00 dd dd 00 in either byte order),
 * hidden from reads; no hardware breakpoints or watchpoints (KVM PR has none). */
static void test_pr_breakpoints(void **state)
{
	struct pr_fix *p = *state;
	struct fix *f = &p->f;

	memcpy(f->ram.host + 0x3004, "\x01\x00\x60\x38", 4); /* li r3,1 little-endian */
	pr_map(p, PR_SEG + 0x5000, 0x3000);
	pr_set_regs(f, PR_SEG + 0x5000, PR_MSR_SF | PR_MSR_ME | PR_MSR_LE | PR_MSR_XLATE);
	cmd_ok(f, "Z0,10005004,4", "OK");
	assert_memory_equal(f->ram.host + 0x3004, "\x00\xdd\xdd\x00", 4);
	cmd_ok(f, "m10005004,4", "01006038");
	assert_true(gdb_target_is_bp(&f->s.target, PR_SEG + 0x5004));
	cmd_ok(f, "z0,10005004,4", "OK");
	assert_memory_equal(f->ram.host + 0x3004, "\x01\x00\x60\x38", 4);
	/* a kernel address in real mode waits until the PC runs at such addresses (the kernel
	 * has moved itself where it belongs), then goes where real mode takes it */
	pr_set_regs(f, 0x400000, PR_MSR_SF | PR_MSR_ME);
	cmd_ok(f, "Z0,c000000000002000,4", "OK");
	assert_memory_equal(f->ram.host + 0x2000, "\x00\x00\x00\x00", 4);
	assert_true(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	pr_set_regs(f, 0xc000000000000100ull, PR_MSR_SF | PR_MSR_ME);
	assert_false(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	assert_memory_equal(f->ram.host + 0x2000, "\x00\xdd\xdd\x00", 4);
	/* ... and one that does not translate yet (pending) */
	pr_set_regs(f, 0x100, PR_MSR_SF | PR_MSR_ME | PR_MSR_XLATE);
	cmd_ok(f, "Z0,10007000,4", "OK");
	assert_false(gdb_target_is_bp(&f->s.target, PR_SEG + 0x7000));
	assert_true(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	pr_map(p, PR_SEG + 0x7000, 0x4000);
	assert_false(gdb_target_plant_pending(&f->s.target, f->m.vcpu));
	assert_memory_equal(f->ram.host + 0x4000, "\x00\xdd\xdd\x00", 4);
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, true, false), 0);
	gdb_target_remove_all_bp(&f->s.target);
	assert_memory_equal(f->ram.host + 0x2000, "\x00\x00\x00\x00", 4);
	assert_memory_equal(f->ram.host + 0x4000, "\x00\x00\x00\x00", 4);
	/* no hardware compares: Z1-Z4 fail (ENOSPC), so gdb says it cannot insert them */
	cmd_ok(f, "Z1,10005004,4", "E1c");
	cmd_ok(f, "Z2,10005004,4", "E1c");
	cmd_ok(f, "Z4,10005004,8", "E1c");
	assert_int_equal(f->s.target.nr_hw, 0);
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, true, true), 0);
	assert_int_equal(gdb_target_set_debug(&f->s.target, f->m.vcpu, false, false), 0);
}

/* Two vcpus, two threads: the list, their names, which is alive; Hg moves registers and
 * memory to the other vcpu (its own MMU context); Hc and vCont choose the vcpu a step runs;
 * the stop reply names the vcpu that stopped. */
static void test_pr_threads(void **state)
{
	struct pr_fix *p = *state;
	struct fix *f = &p->f;
	struct skvm_vcpu *vcpus[2] = {f->m.vcpu, NULL};
	const char *xml = gdb_layout_of(SKVM_VM_PPC_PR)->xml;
	struct skvm_sregs sr;
	struct skvm_regs r;
	bool no_ack = false;

#define LOCAL2(pkt)                                                                                \
	(f->r.len = 0, gdb_cmd_local((const uint8_t *)(pkt), strlen(pkt), xml, 2, &f->r, &no_ack))
	assert_int_equal(skvm_vcpu_create(f->m.vm, 1, &vcpus[1]), 0);
	assert_int_equal(skvm_vcpu_get_sregs(vcpus[0], &sr), 0); /* the same SLB and HPT */
	assert_int_equal(skvm_vcpu_set_sregs(vcpus[1], &sr), 0);
	f->m.vcpus = vcpus;
	f->m.nr_vcpus = 2;
	assert_int_equal(gdb_session_init(&f->s, &f->m), 0);
	memcpy(f->ram.host + 0x3010, "\xaa\xbb\xcc\xdd", 4);
	pr_map(p, PR_SEG + 0x5000, 0x3000);
	pr_set_regs(f, 0x1000, PR_MSR_SF | PR_MSR_ME); /* vcpu 0: real mode */
	assert_int_equal(skvm_vcpu_get_regs(vcpus[1], &r), 0);
	r.pc = 0x2000;
	r.msr = PR_MSR_SF | PR_MSR_ME | PR_MSR_LE | PR_MSR_XLATE;
	assert_int_equal(skvm_vcpu_set_regs(vcpus[1], &r), 0);

	/* answered without the vcpus */
	assert_true(LOCAL2("qfThreadInfo"));
	reply_is(&f->r, "m01,02");
	assert_true(LOCAL2("qsThreadInfo"));
	reply_is(&f->r, "l");
	assert_true(LOCAL2("T2"));
	reply_is(&f->r, "OK");
	assert_true(LOCAL2("T3"));
	assert_int_equal(f->r.buf[0], 'E');
	assert_true(LOCAL2("T0"));
	assert_int_equal(f->r.buf[0], 'E');
	assert_true(LOCAL2("qThreadExtraInfo,2"));
	reply_is(&f->r, "766370752031"); /* "vcpu 1", hex */
	assert_true(LOCAL2("qThreadExtraInfo,3"));
	assert_int_equal(f->r.buf[0], 'E');
#undef LOCAL2

	/* registers and memory through the selected thread */
	cmd_ok(f, "qC", "QC01");
	cmd_ok(f, "p40", "0010000000000000"); /* vcpu 0's pc, little-endian */
	cmd_err(f, "m10005010,4");	      /* real mode: beyond RAM */
	cmd_ok(f, "Hg2", "OK");
	cmd_ok(f, "qC", "QC02");
	cmd_ok(f, "p40", "0020000000000000");
	cmd_ok(f, "m10005010,4", "aabbccdd"); /* its SLB and HPT */
	cmd_ok(f, "P3=0700000000000000", "OK");
	assert_int_equal(skvm_vcpu_get_regs(vcpus[1], &r), 0);
	assert_int_equal(r.gpr[3], 7);
	assert_int_equal(skvm_vcpu_get_regs(vcpus[0], &r), 0);
	assert_int_equal(r.gpr[3], 0);
	cmd_ok(f, "Hg0", "OK"); /* any thread: the selected one stays */
	cmd_ok(f, "Hg-1", "OK");
	cmd_ok(f, "qC", "QC02");
	cmd_err(f, "Hg3");
	cmd_err(f, "Hx1");
	cmd_err(f, "Hg");

	/* which vcpu a resume steps: only one, or none (every vcpu runs) */
	assert_int_equal(cmd(f, "vCont;s:1;c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 0);
	assert_int_equal(cmd(f, "vCont;c:1;s:2"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 1);
	assert_int_equal(cmd(f, "vCont;c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, -1);
	assert_int_equal(cmd(f, "vCont;s"), GDB_ACTION_CONTINUE); /* the selected thread */
	assert_int_equal(f->s.step, 1);
	assert_int_equal(cmd(f, "vCont;S05:-1"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 1);
	cmd_ok(f, "Hc1", "OK");
	assert_int_equal(cmd(f, "s"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 0);
	cmd_ok(f, "Hc-1", "OK");
	assert_int_equal(cmd(f, "s"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, 1);
	assert_int_equal(cmd(f, "c"), GDB_ACTION_CONTINUE);
	assert_int_equal(f->s.step, -1);
	cmd_err(f, "vCont;s:3");
	cmd_err(f, "vCont;s:");

	/* the stop reply names its vcpu's thread */
	f->s.signo = SIGTRAP;
	f->s.stop_cpu = 1;
	cmd_ok(f, "?", "T05thread:02;");
	/* each vcpu's guest debugging */
	assert_int_equal(gdb_target_set_debug(&f->s.target, vcpus[1], true, true), 0);
	assert_int_equal(gdb_target_set_debug(&f->s.target, vcpus[1], false, false), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rx_packets),
	    cmocka_unit_test(test_rx_bad_packets),
	    cmocka_unit_test(test_frame),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_local_commands),
	    cmocka_unit_test_setup_teardown(test_registers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_breakpoints, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pr_description, setup_pr, teardown_pr),
	    cmocka_unit_test_setup_teardown(test_pr_registers, setup_pr, teardown_pr),
	    cmocka_unit_test_setup_teardown(test_pr_memory, setup_pr, teardown_pr),
	    cmocka_unit_test_setup_teardown(test_pr_breakpoints, setup_pr, teardown_pr),
	    cmocka_unit_test_setup_teardown(test_pr_threads, setup_pr, teardown_pr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
