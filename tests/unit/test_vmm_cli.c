// SPDX-License-Identifier: MIT
/* The softkvm command line: sizes, timeouts, the run options and usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../vmm/cli.c"
#include "../../vmm/gdb_address.c"
#include "../../vmm/error.c"
#include "../../vmm/virtio/blk_opts.c"
#include "../../vmm/virtio/net_opts.c"
#include "../../vmm/virtio/vsock_opts.c"

#define ARGV(...)	     ((char *[]){"softkvm", __VA_ARGS__, NULL})
#define ARGC(...)	     ((int)(sizeof((char *[]){"softkvm", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(cli, err, ...) vmm_cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), cli, err)

static void test_sizes(void **state)
{
	uint64_t v;

	assert_int_equal(vmm_parse_size("256M", &v), 0);
	assert_int_equal(v, 256ull << 20);
	assert_int_equal(vmm_parse_size("1G", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(vmm_parse_size("1g", &v), 0);
	assert_int_equal(v, 1ull << 30);
	assert_int_equal(vmm_parse_size("64MiB", &v), 0);
	assert_int_equal(v, 64ull << 20);
	assert_int_equal(vmm_parse_size("512MB", &v), 0);
	assert_int_equal(v, 512ull << 20);
	assert_int_equal(vmm_parse_size("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(vmm_parse_size("16777216", &v), 0);
	assert_int_equal(v, 16ull << 20);

	const char *bad[] = {"",
			     "M",
			     "-1",
			     " 1M",
			     "1X",
			     "1Mx",
			     "1 M",
			     "0",
			     "0M",
			     "99999999999999999999",
			     "17179869184G",
			     "1.5G"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vmm_parse_size(bad[i], &v), -EINVAL);
}

static void test_seconds(void **state)
{
	double s;

	assert_int_equal(vmm_parse_seconds("10", &s), 0);
	assert_true(s == 10.0);
	assert_int_equal(vmm_parse_seconds("0.5", &s), 0);
	assert_true(s == 0.5);
	assert_int_equal(vmm_parse_seconds("0", &s), 0);
	assert_true(s == 0.0);
	const char *bad[] = {"", "-1", "1s", "inf", "nan", "1e99", " 1", "x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vmm_parse_seconds(bad[i], &s), -EINVAL);
}

static void test_run_options(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};

	assert_int_equal(PARSE(&cli, &err, "run", "--kernel", "k.elf"), 0);
	assert_int_equal(cli.command, VMM_CMD_RUN);
	assert_string_equal(cli.kernel, "k.elf");
	assert_int_equal(cli.memory, 256ull << 20);
	assert_false(cli.no_reboot || cli.no_paravirt || cli.stats || cli.help);
	assert_true(cli.timeout_s == 0);
	assert_int_equal(cli.verbose, 0);

	assert_int_equal(PARSE(&cli, &err, "run", "-vv", "--memory", "1G", "--no-reboot", "--stats",
			       "--timeout", "2.5", "-k", "x.elf", "-v", "--no-paravirt"),
			 0);
	assert_string_equal(cli.kernel, "x.elf");
	assert_int_equal(cli.memory, 1ull << 30);
	assert_int_equal(cli.halt_poll_ns, -1); /* not given: the library's default */
	assert_true(cli.no_reboot && cli.stats && cli.no_paravirt);
	assert_true(cli.timeout_s == 2.5);
	assert_int_equal(cli.verbose, 3);

	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--halt-poll-ns", "200000"), 0);
	assert_int_equal(cli.halt_poll_ns, 200000);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--halt-poll-ns", "0"), 0);
	assert_int_equal(cli.halt_poll_ns, 0);
	assert_int_equal(cli.jit, -1); /* not given: the library's default */
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--machine", "pseries", "--jit", "off"), 0);
	assert_int_equal(cli.jit, 0);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--machine", "pseries", "--jit", "on"), 0);
	assert_int_equal(cli.jit, 1);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--jit", "on"), 0); /* the ppc440 too */
	assert_int_equal(cli.jit, 1);

	assert_int_equal(PARSE(&cli, &err, "run", "--kernel=a.elf", "-m128M"), 0);
	assert_string_equal(cli.kernel, "a.elf");
	assert_int_equal(cli.memory, 128ull << 20);
	assert_null(cli.initrd);
	assert_null(cli.append);
	assert_null(cli.dtb);
	assert_null(cli.dump_dtb);

	assert_int_equal(PARSE(&cli, &err, "run", "-k", "vmlinux", "--initrd", "rootfs.cpio.gz",
			       "--append", "console=ttyS0 quiet", "--dtb", "b.dtb", "--dump-dtb",
			       "out.dtb"),
			 0);
	assert_string_equal(cli.initrd, "rootfs.cpio.gz");
	assert_string_equal(cli.append, "console=ttyS0 quiet");
	assert_string_equal(cli.dtb, "b.dtb");
	assert_string_equal(cli.dump_dtb, "out.dtb");
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "v", "-i", "r.gz", "-a", ""), 0);
	assert_string_equal(cli.initrd, "r.gz");
	assert_string_equal(cli.append, "");
	assert_null(cli.gdb);
	assert_false(cli.gdb_wait);
	assert_int_equal(
	    PARSE(&cli, &err, "run", "-k", "v", "--gdb", "tcp:127.0.0.1:1234", "--gdb-wait"), 0);
	assert_string_equal(cli.gdb, "tcp:127.0.0.1:1234");
	assert_true(cli.gdb_wait);
	/* every vcpu is a thread of gdb's */
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "v", "--machine", "pseries", "--cpus", "2",
			       "--gdb", "tcp::0"),
			 0);
	assert_int_equal(cli.cpus, 2);
	assert_string_equal(cli.gdb, "tcp::0");
}

/* --gdb's address: tcp:HOST:PORT, 127.0.0.1 when HOST is empty, IPv6 in brackets. */
static void test_gdb_address(void **state)
{
	struct vmm_gdb_address a;

	assert_int_equal(vmm_gdb_parse_address("tcp:127.0.0.1:1234", &a, NULL), 0);
	assert_string_equal(a.host, "127.0.0.1");
	assert_string_equal(a.port, "1234");
	assert_int_equal(vmm_gdb_parse_address("tcp::0", &a, NULL), 0);
	assert_string_equal(a.host, "127.0.0.1");
	assert_string_equal(a.port, "0");
	assert_int_equal(vmm_gdb_parse_address("tcp:[::1]:65535", &a, NULL), 0);
	assert_string_equal(a.host, "::1");
	assert_int_equal(vmm_gdb_parse_address("tcp:0.0.0.0:1", &a, NULL), 0);
	assert_string_equal(a.host, "0.0.0.0");
	const char *bad[] = {"",
			     "1234",
			     "tcp:1234",
			     "udp:127.0.0.1:1",
			     "tcp:127.0.0.1:",
			     "tcp:127.0.0.1:65536",
			     "tcp:127.0.0.1:-1",
			     "tcp:127.0.0.1:12a",
			     "tcp:h:0000001"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vmm_gdb_parse_address(bad[i], &a, NULL), -EINVAL);
}

/* Every option is in the help text. */
static void test_help_texts(void **state)
{
	static const char *const run_opts[] = {
	    "--kernel",	   "--initrd", "--append",  "--dtb",	 "--dump-dtb", "--memory",
	    "--no-reboot", "--stats",  "--timeout", "--verbose", "--help",     "--share",
	    "--gdb",	   "--gdb-wait", "--no-paravirt", "--disk", "--net", "--vsock",
	    "--machine ppc440|pseries", "--cpus N", "--halt-poll-ns NS", "--decode-cache",
	    "--jit on|off",
	};
	char buf[16384] = "";
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");

	vmm_cli_help(f, VMM_CMD_RUN);
	fclose(f);
	for (size_t i = 0; i < sizeof(run_opts) / sizeof(run_opts[0]); i++)
		assert_non_null(strstr(buf, run_opts[i]));
	assert_non_null(strstr(buf, "Ctrl-A x"));
	assert_non_null(strstr(buf, "5    the guest kernel panicked"));
	assert_non_null(strstr(buf, "never through what it prints"));
	assert_null(strstr(buf, "on the console and exits")); /* the console no longer decides */
	f = fmemopen(buf, sizeof(buf) - 1, "w");
	vmm_cli_help(f, VMM_CMD_NONE);
	fclose(f);
	assert_non_null(strstr(buf, "run"));
	assert_non_null(strstr(buf, "--help"));
}

static void expect_usage(int rc, const struct vmm_err *err, const char *msg);

/* --machine: ppc440 by default; pseries with its own default memory. */
static void test_machine(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};

	assert_int_equal(PARSE(&cli, &err, "run", "-k", "vmlinux"), 0);
	assert_int_equal(cli.machine, VMM_MACHINE_PPC440);
	assert_int_equal(PARSE(&cli, &err, "run", "--machine", "ppc440", "-k", "v"), 0);
	assert_int_equal(cli.machine, VMM_MACHINE_PPC440);
	assert_int_equal(PARSE(&cli, &err, "run", "--machine", "pseries", "-k", "v"), 0);
	assert_int_equal(cli.machine, VMM_MACHINE_PSERIES);
	assert_int_equal(cli.memory, PSERIES_RAM_DEFAULT);
	assert_int_equal(PARSE(&cli, &err, "run", "-m", "1G", "--machine", "pseries", "-k", "v"), 0);
	assert_int_equal(cli.memory, 1ull << 30);
	expect_usage(PARSE(&cli, &err, "run", "--machine", "bamboo", "-k", "v"), &err,
		     "run: unknown machine 'bamboo' (ppc440 or pseries)");
	/* virtio devices on pseries: virtio-pci functions */
	assert_int_equal(
	    PARSE(&cli, &err, "run", "--machine", "pseries", "-k", "v", "--disk", "d.img"), 0);
	assert_int_equal(cli.nr_disks, 1);
	/* --cpus: 1 by default, 1-64 on pseries, only 1 on the 440 */
	assert_int_equal(cli.cpus, 1);
	assert_int_equal(PARSE(&cli, &err, "run", "--machine", "pseries", "--cpus", "4", "-k", "v"),
			 0);
	assert_int_equal(cli.cpus, 4);
	expect_usage(PARSE(&cli, &err, "run", "--machine", "pseries", "--cpus", "0", "-k", "v"),
		     &err, "run: bad --cpus '0' (1 to 64)");
	expect_usage(PARSE(&cli, &err, "run", "--machine", "pseries", "--cpus", "2x", "-k", "v"),
		     &err, "run: bad --cpus '2x' (1 to 64)");
	expect_usage(PARSE(&cli, &err, "run", "--cpus", "2", "-k", "v"), &err,
		     "run: the ppc440 board has one vcpu (--cpus 1)");
}

static void test_help(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};

	assert_int_equal(PARSE(&cli, &err, "--help"), 0);
	assert_true(cli.help);
	assert_int_equal(cli.command, VMM_CMD_NONE);
	assert_int_equal(PARSE(&cli, &err, "-h"), 0);
	assert_true(cli.help);
	assert_int_equal(PARSE(&cli, &err, "run", "--help"), 0);
	assert_true(cli.help);
	assert_int_equal(cli.command, VMM_CMD_RUN);
	assert_int_equal(PARSE(&cli, &err, "run", "-h", "--bogus"), 0); /* help wins */
	assert_true(cli.help);
}

static void expect_usage(int rc, const struct vmm_err *err, const char *msg)
{
	assert_int_equal(rc, -EINVAL);
	assert_string_equal(err->msg, msg);
}

static void test_usage_errors(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};

	expect_usage(vmm_cli_parse(1, ARGV(NULL), &cli, &err), &err, "missing command");
	expect_usage(PARSE(&cli, &err, "go"), &err, "unknown command 'go'");
	expect_usage(PARSE(&cli, &err, "--bogus"), &err, "unknown option '--bogus'");
	expect_usage(PARSE(&cli, &err, "run"), &err, "run: --kernel FILE is required");
	expect_usage(PARSE(&cli, &err, "run", "--kernel"), &err,
		     "run: option '--kernel' needs an argument");
	expect_usage(PARSE(&cli, &err, "run", "-k"), &err, "run: option '-k' needs an argument");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--bogus"), &err,
		     "run: unknown option '--bogus'");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "-q"), &err, "run: unknown option '-q'");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "extra"), &err,
		     "run: unexpected argument 'extra'");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "-m", "lots"), &err,
		     "run: bad memory size 'lots' (e.g. 256M, 1G)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--jit", "yes"), &err,
		     "run: bad --jit 'yes' (on or off)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--halt-poll-ns", "-1"), &err,
		     "run: bad --halt-poll-ns '-1' (0 to 4294967295)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--halt-poll-ns", "4294967296"), &err,
		     "run: bad --halt-poll-ns '4294967296' (0 to 4294967295)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--halt-poll-ns", "10us"), &err,
		     "run: bad --halt-poll-ns '10us' (0 to 4294967295)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--timeout", "-3"), &err,
		     "run: bad timeout '-3' (seconds, e.g. 10 or 0.5)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--initrd"), &err,
		     "run: option '--initrd' needs an argument");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--dtb"), &err,
		     "run: option '--dtb' needs an argument");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "-m", "0"), &err,
		     "run: bad memory size '0' (e.g. 256M, 1G)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "-m", "256X"), &err,
		     "run: bad memory size '256X' (e.g. 256M, 1G)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--gdb", "1234"), &err,
		     "run: bad --gdb address '1234' (tcp:HOST:PORT, e.g. tcp:127.0.0.1:1234)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--gdb-wait"), &err,
		     "run: --gdb-wait needs --gdb tcp:HOST:PORT");
}

/* --share DIR,tag=T[,ro]: parsed in order; a missing directory or tag, an unknown or empty
 * option, a tag too long, too many shares are usage errors. */
static void test_share_options(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};
	char long_tag[80] = "/d,tag=";

	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--share", "/srv/a,tag=src",
			       "--share", "rel dir,ro,tag=t2"),
			 0);
	assert_int_equal(cli.nr_shares, 2);
	assert_string_equal(cli.share[0].dir, "/srv/a");
	assert_string_equal(cli.share[0].tag, "src");
	assert_false(cli.share[0].ro);
	assert_string_equal(cli.share[1].dir, "rel dir");
	assert_string_equal(cli.share[1].tag, "t2");
	assert_true(cli.share[1].ro);
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--share", "/srv/a"), &err,
		     "run: --share '/srv/a': tag=T is required");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--share", ",tag=a"), &err,
		     "run: --share ',tag=a': a directory is needed first");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--share", "/a,tag=b,rw"), &err,
		     "run: --share '/a,tag=b,rw': unknown option 'rw' (tag=T of 1 to 64 bytes, ro)");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--share", "/a,tag="), &err,
		     "run: --share '/a,tag=': unknown option 'tag=' (tag=T of 1 to 64 bytes, ro)");
	memset(long_tag + 7, 'x', 65);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--share", long_tag), -EINVAL);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--share", "a,tag=1", "--share",
			       "a,tag=2", "--share", "a,tag=3", "--share", "a,tag=4", "--share",
			       "a,tag=5", "--share", "a,tag=6", "--share", "a,tag=7", "--share",
			       "a,tag=8", "--share", "a,tag=9"),
			 -EINVAL);
	assert_string_equal(err.msg, "run: at most 8 --share options");
}

/* --vsock CID[,uds=PATH]: the CID and path taken, at most one, a bad CID a usage error. */
static void test_vsock_options(void **state)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};

	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x"), 0);
	assert_null(cli.vsock);
	assert_int_equal(PARSE(&cli, &err, "run", "-k", "x", "--vsock", "42,uds=/tmp/v.sock"), 0);
	assert_non_null(cli.vsock);
	assert_int_equal(cli.vsock->cid, 42);
	assert_string_equal(cli.vsock->path, "/tmp/v.sock");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--vsock", "2"), &err,
		     "--vsock '2': the guest CID must be a number from 3 to 4294967294 "
		     "(--vsock CID[,uds=PATH])");
	expect_usage(PARSE(&cli, &err, "run", "-k", "x", "--vsock", "3", "--vsock", "4"), &err,
		     "run: at most one --vsock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),	 cmocka_unit_test(test_seconds),
	    cmocka_unit_test(test_run_options),	 cmocka_unit_test(test_help),
	    cmocka_unit_test(test_usage_errors), cmocka_unit_test(test_help_texts),
	    cmocka_unit_test(test_share_options),
	    cmocka_unit_test(test_vsock_options),
	    cmocka_unit_test(test_gdb_address),
	    cmocka_unit_test(test_machine),
	};

	return cmocka_run_group_tests_name("vmm cli", tests, NULL, NULL);
}
