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
#include "../../vmm/error.c"

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
	assert_true(cli.no_reboot && cli.stats && cli.no_paravirt);
	assert_true(cli.timeout_s == 2.5);
	assert_int_equal(cli.verbose, 3);

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
}

/* Every option is in the help text. */
static void test_help_texts(void **state)
{
	static const char *const run_opts[] = {
	    "--kernel", "--initrd",    "--append",  "--dtb",	 "--dump-dtb", "--memory",
	    "--no-reboot", "--stats", "--timeout", "--verbose", "--help", "--no-paravirt",
	};
	char buf[8192] = "";
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sizes),	 cmocka_unit_test(test_seconds),
	    cmocka_unit_test(test_run_options),	 cmocka_unit_test(test_help),
	    cmocka_unit_test(test_usage_errors), cmocka_unit_test(test_help_texts),
	};

	return cmocka_run_group_tests_name("vmm cli", tests, NULL, NULL);
}
