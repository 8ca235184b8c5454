/* The console backend: output written whole, input polled without blocking, end of input and
 * a closed stdin are "no input", a vanished reader is an error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../../vmm/console.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"

static void test_output(void **state)
{
	struct vmm_console con;
	struct vmm_chardev cd;
	char buf[16] = {0};
	int p[2];

	assert_int_equal(pipe(p), 0);
	vmm_console_init(&con, -1, p[1]);
	cd = vmm_console_chardev(&con);
	assert_int_equal(cd.write(cd.opaque, (const uint8_t *)"guest\n", 6), 0);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 6);
	assert_string_equal(buf, "guest\n");
	close(p[0]);
	assert_int_equal(vmm_console_write(&con, (const uint8_t *)"x", 1), -EPIPE);
	close(p[1]);
}

static void test_input(void **state)
{
	struct vmm_console con;
	uint8_t buf[16];
	int p[2];

	assert_int_equal(pipe(p), 0);
	vmm_console_init(&con, p[0], STDOUT_FILENO);
	assert_false(con.in_eof);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0); /* nothing yet: no wait */
	assert_int_equal(write(p[1], "ab", 2), 2);
	assert_int_equal(vmm_console_read(&con, buf, 1), 1);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'b');
	close(p[1]);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0);
	assert_true(con.in_eof); /* end of input: never polled again */
	close(p[0]);
}

static void test_no_input(void **state)
{
	struct vmm_console con;
	uint8_t buf[4];
	int p[2];

	vmm_console_init(&con, -1, STDOUT_FILENO);
	assert_true(con.in_eof);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0);

	assert_int_equal(pipe(p), 0); /* a closed descriptor, as CI's stdin may be */
	close(p[0]);
	close(p[1]);
	vmm_console_init(&con, p[0], STDOUT_FILENO);
	assert_true(con.in_eof);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_input),
	    cmocka_unit_test(test_no_input),
	};

	signal(SIGPIPE, SIG_IGN);
	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm console", tests, NULL, NULL);
}
