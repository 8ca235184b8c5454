// SPDX-License-Identifier: MIT
/* The console backend: buffered output (newline, full buffer, flush, the I/O thread's timer),
 * input polled without blocking or queued by the I/O thread, end of input and a closed stdin
 * as "no input", a vanished reader as an error, the Ctrl-A escape keys, guest text that
 * never ends a run (whatever it says), and the quiet watch of the panic grace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../vmm/console.c"
#include "../../vmm/error.c"
#include "../../vmm/log.c"

#define WRITE(con, s) vmm_console_write(con, (const uint8_t *)(s), strlen(s))

/* What the pipe holds now (never waits): the number of bytes read into buf. */
static ssize_t drain(int fd, char *buf, size_t len)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	memset(buf, 0, len);
	if (poll(&p, 1, 0) <= 0)
		return 0;
	n = read(fd, buf, len - 1);
	return n < 0 ? 0 : n;
}

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Waits up to ms for fd to become readable. */
static bool readable_within(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, ms) == 1;
}

/* A console with no input whose output goes into a pipe: read it at out[0]. */
static void init_to_pipe(struct vmm_console *con, int out[2])
{
	assert_int_equal(pipe(out), 0);
	vmm_console_init(con, -1, out[1]);
}

static void close_pipe(int p[2])
{
	close(p[0]);
	close(p[1]);
}

static void test_output(void **state)
{
	struct vmm_console con;
	struct vmm_chardev cd;
	char buf[64];
	int p[2];

	init_to_pipe(&con, p);
	cd = vmm_console_chardev(&con);
	assert_int_equal(cd.write(cd.opaque, (const uint8_t *)"guest\n", 6), 0);
	assert_int_equal(drain(p[0], buf, sizeof(buf)), 6);
	assert_string_equal(buf, "guest\n");
	close(p[0]);
	assert_int_equal(WRITE(&con, "x"), 0); /* buffered: nothing written yet */
	assert_int_equal(vmm_console_flush(&con), -EPIPE);
	assert_int_equal(WRITE(&con, "y"), -EPIPE); /* and it stays so */
	close(p[1]);
	vmm_console_destroy(&con);
}

static void test_output_buffered(void **state)
{
	struct vmm_console con;
	char buf[VMM_CONSOLE_OUT_SIZE + 64];
	int p[2];

	init_to_pipe(&con, p);
	for (const char *c = "/ # "; *c; c++) /* one byte at a time, as the UART sends */
		assert_int_equal(vmm_console_write(&con, (const uint8_t *)c, 1), 0);
	assert_int_equal(drain(p[0], buf, sizeof(buf)), 0);
	assert_int_equal(WRITE(&con, "ls\r\nbin"), 0); /* the newline writes the line out */
	assert_int_equal(drain(p[0], buf, sizeof(buf)), 8);
	assert_string_equal(buf, "/ # ls\r\n");
	assert_int_equal(vmm_console_flush(&con), 0);
	assert_int_equal(drain(p[0], buf, sizeof(buf)), 3);
	assert_string_equal(buf, "bin");

	/* A full buffer is written without waiting for a newline. */
	for (size_t i = 0; i < VMM_CONSOLE_OUT_SIZE; i++)
		assert_int_equal(WRITE(&con, "z"), 0);
	assert_int_equal(drain(p[0], buf, sizeof(buf)), VMM_CONSOLE_OUT_SIZE);
	close_pipe(p);
	vmm_console_destroy(&con);
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
	vmm_console_destroy(&con);
}

static void test_no_input(void **state)
{
	struct vmm_console con;
	uint8_t buf[4];
	int p[2];

	vmm_console_init(&con, -1, STDOUT_FILENO);
	assert_true(con.in_eof);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0);
	vmm_console_destroy(&con);

	assert_int_equal(pipe(p), 0); /* a closed descriptor, as CI's stdin may be */
	close(p[0]);
	close(p[1]);
	vmm_console_init(&con, p[0], STDOUT_FILENO);
	assert_true(con.in_eof);
	vmm_console_destroy(&con);
}

static void test_escape_keys(void **state)
{
	bool pending = false;
	uint8_t out = 0;

	assert_int_equal(vmm_console_escape(&pending, 'a', &out), VMM_ESCAPE_PASS);
	assert_int_equal(out, 'a');
	assert_int_equal(vmm_console_escape(&pending, 0x01, &out), VMM_ESCAPE_SWALLOW);
	assert_true(pending);
	assert_int_equal(vmm_console_escape(&pending, 0x01, &out), VMM_ESCAPE_PASS);
	assert_int_equal(out, 0x01); /* Ctrl-A Ctrl-A: one Ctrl-A */
	assert_false(pending);
	assert_int_equal(vmm_console_escape(&pending, 0x01, &out), VMM_ESCAPE_SWALLOW);
	assert_int_equal(vmm_console_escape(&pending, 'x', &out), VMM_ESCAPE_QUIT);
	assert_int_equal(vmm_console_escape(&pending, 0x01, &out), VMM_ESCAPE_SWALLOW);
	assert_int_equal(vmm_console_escape(&pending, 'h', &out), VMM_ESCAPE_HELP);
	assert_int_equal(vmm_console_escape(&pending, 0x01, &out), VMM_ESCAPE_SWALLOW);
	assert_int_equal(vmm_console_escape(&pending, 'q', &out), VMM_ESCAPE_SWALLOW);
	assert_false(pending);
	assert_int_equal(vmm_console_escape(&pending, 'x', &out), VMM_ESCAPE_PASS); /* plain x */
	assert_int_equal(out, 'x');
}

static unsigned wakes;

static void count_wake(void *opaque)
{
	(void)opaque;
	__atomic_add_fetch(&wakes, 1, __ATOMIC_SEQ_CST);
}

/* From now on, wakes counts the console's wake-ups. */
static void count_wakes(struct vmm_console *con)
{
	con->wake = count_wake;
	wakes = 0;
}

static void test_escape_input(void **state)
{
	struct vmm_console con;
	uint8_t buf[16];
	char text[64];
	int in[2], out[2];

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	vmm_console_init(&con, in[0], out[1]);
	count_wakes(&con);
	assert_int_equal(write(in[1], "a\001\001b\001h", 6), 6);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "a\001b", 3);
	assert_true(drain(out[0], text, sizeof(text)) > 0); /* the help */
	assert_non_null(strstr(text, "C-a x"));
	assert_int_equal(vmm_console_event(&con), VMM_CONSOLE_NONE);
	assert_int_equal(write(in[1], "\001x", 2), 2);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0);
	assert_int_equal(vmm_console_event(&con), VMM_CONSOLE_QUIT);
	assert_int_equal(wakes, 1);
	close_pipe(in);
	close_pipe(out);
	vmm_console_destroy(&con);
}

/* What used to end a run when the guest printed it (console_spoof.sh): now only text. */
static void test_text_is_only_text(void **state)
{
	static const char *const lines[] = {
	    "[    0.45] System Halted, OK to turn off power\r\n",
	    "[    0.23] Kernel panic - not syncing: VFS: Unable to mount root fs\r\n",
	    "[    0.24] Rebooting in 180 seconds..\r\n",
	    "---[ end Kernel panic - not syncing: Attempted to kill init ]---\r\n",
	};
	struct vmm_console con;
	char text[128];
	int p[2];

	init_to_pipe(&con, p);
	count_wakes(&con);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(WRITE(&con, lines[i]), 0);
		assert_int_equal(drain(p[0], text, sizeof(text)), (ssize_t)strlen(lines[i]));
		assert_string_equal(text, lines[i]); /* passed through as it is */
	}
	assert_int_equal(vmm_console_event(&con), VMM_CONSOLE_NONE);
	assert_int_equal(wakes, 0);
	close_pipe(p);
	vmm_console_destroy(&con);
}

/* The I/O thread: input queued as it arrives (with a wake-up), a partial line written out on
 * the timer, end of input harmless, the quiet watch (output pushes it back; the maximum
 * ends it even while output goes on). */
static void test_thread(void **state)
{
	struct vmm_console con;
	struct vmm_err err = {""};
	uint8_t buf[16];
	char text[64];
	int in[2], out[2];
	uint64_t t0;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	vmm_console_init(&con, in[0], out[1]);
	wakes = 0;
	assert_int_equal(vmm_console_watch_quiet(&con, 1, 1), -ENOTCONN); /* no thread yet */
	assert_int_equal(vmm_console_start(&con, count_wake, NULL, &err), 0);

	assert_int_equal(write(in[1], "ls\n", 3), 3);
	for (int i = 0; i < 200 && !__atomic_load_n(&wakes, __ATOMIC_SEQ_CST); i++)
		usleep(5000);
	assert_true(wakes >= 1);
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "ls\n", 3);

	assert_int_equal(WRITE(&con, "/ # "), 0);
	assert_true(readable_within(out[0], 1000)); /* the prompt, without a newline */
	assert_int_equal(drain(out[0], text, sizeof(text)), 4);
	assert_string_equal(text, "/ # ");

	close(in[1]); /* end of input: nothing breaks */
	for (int i = 0; i < 200 && !atomic_load(&con.in_eof); i++)
		usleep(5000);
	assert_true(atomic_load(&con.in_eof));
	assert_int_equal(vmm_console_read(&con, buf, sizeof(buf)), 0);

	/* quiet for 100 ms, at most 2 s: output every 20 ms for 300 ms pushes it back */
	wakes = 0;
	t0 = now_ms();
	assert_int_equal(vmm_console_watch_quiet(&con, 100 * 1000000ull, 2000 * 1000000ull), 0);
	for (int i = 0; i < 15; i++) {
		assert_int_equal(WRITE(&con, "x"), 0);
		usleep(20000);
		assert_false(vmm_console_quiet(&con));
	}
	for (int i = 0; i < 400 && !vmm_console_quiet(&con); i++)
		usleep(5000);
	assert_true(vmm_console_quiet(&con));
	assert_true(now_ms() - t0 >= 380); /* output until 280 ms, then 100 ms of quiet */
	assert_int_equal(__atomic_load_n(&wakes, __ATOMIC_SEQ_CST), 1);
	/* the maximum: 50 ms although output never stops for 100 ms */
	assert_int_equal(vmm_console_watch_quiet(&con, 100 * 1000000ull, 50 * 1000000ull), 0);
	assert_false(vmm_console_quiet(&con));
	for (int i = 0; i < 200 && !vmm_console_quiet(&con); i++) {
		assert_int_equal(WRITE(&con, "y"), 0);
		usleep(5000);
	}
	assert_true(vmm_console_quiet(&con));
	(void)drain(out[0], text, sizeof(text));

	vmm_console_stop(&con);
	close(in[0]); /* in[1] is closed above */
	close_pipe(out);
	vmm_console_destroy(&con);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_output),	 cmocka_unit_test(test_output_buffered),
	    cmocka_unit_test(test_input),	 cmocka_unit_test(test_no_input),
	    cmocka_unit_test(test_escape_keys),	 cmocka_unit_test(test_escape_input),
	    cmocka_unit_test(test_text_is_only_text), cmocka_unit_test(test_thread),
	};

	signal(SIGPIPE, SIG_IGN);
	vmm_log_set_level(VMM_LOG_ERR);
	return cmocka_run_group_tests_name("vmm console", tests, NULL, NULL);
}
