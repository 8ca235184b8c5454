// SPDX-License-Identifier: MIT
/* The console (see console.h).
 *
 * The saved terminal state is process-wide on purpose, like the log level: it describes the
 * process's own stdin, and the atexit and fatal-signal paths that restore it cannot be handed
 * a pointer. Nothing about a VM depends on it.
 */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* The one piece of process-wide state in the VMM besides the log level: the terminal is
 * the process's, and a fatal-signal handler (which gets no context) must restore it. */
static struct termios console_saved_tty;
static volatile sig_atomic_t console_tty_fd = -1; /* >= 0 while the terminal is raw */
static bool console_handlers_installed;

/* Every catchable signal whose default action ends the process, but SIGINT and SIGTERM (the
 * watchdog stops the run in order) and SIGPIPE (main ignores it); the real-time signals too
 * (console_install_handlers). */
static const int console_fatal_signals[] = {
    SIGHUP,  SIGQUIT,	SIGILL,	 SIGTRAP, SIGABRT,   SIGBUS,  SIGFPE, SIGUSR1, SIGSEGV, SIGUSR2,
    SIGALRM, SIGSTKFLT, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGIO,  SIGPWR,  SIGSYS,
};

static const char console_help[] = "\n"
				   "C-a h    print this help\n"
				   "C-a x    exit softkvm\n"
				   "C-a C-a  send C-a to the guest\n";

static uint64_t console_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- the terminal ---- */

void vmm_console_restore_terminal(void)
{
	int fd = console_tty_fd;

	if (fd < 0)
		return;
	console_tty_fd = -1;
	(void)tcsetattr(fd, TCSADRAIN, &console_saved_tty);
}

static void console_fatal_signal(int signo)
{
	/* SA_RESETHAND put the default action back: restore, then die of the signal. */
	vmm_console_restore_terminal();
	raise(signo);
}

/* Only over the default action: a signal the process ignores (SIGHUP under nohup) or
 * handles itself stays as it is. */
static void console_catch_fatal(int signo)
{
	struct sigaction sa, old;

	if (sigaction(signo, NULL, &old) || old.sa_handler != SIG_DFL)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = console_fatal_signal;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(signo, &sa, NULL);
}

static void console_install_handlers(void)
{
	if (console_handlers_installed)
		return;
	console_handlers_installed = true;
	atexit(vmm_console_restore_terminal);
	for (size_t i = 0; i < sizeof(console_fatal_signals) / sizeof(console_fatal_signals[0]);
	     i++)
		console_catch_fatal(console_fatal_signals[i]);
	for (int signo = SIGRTMIN; signo <= SIGRTMAX; signo++)
		console_catch_fatal(signo);
}

/* Raw input as QEMU's stdio character device sets it, with the signal keys off too (Ctrl-C
 * and Ctrl-Z are the guest's); output processing stays on so our own messages still start
 * at the left margin. */
static int console_make_raw(int fd)
{
	struct termios tty;

	if (tcgetattr(fd, &tty))
		return -errno;
	console_saved_tty = tty;
	tty.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	tty.c_oflag |= OPOST;
	tty.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | IEXTEN | ISIG);
	tty.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
	tty.c_cflag |= CS8;
	tty.c_cc[VMIN] = 1;
	tty.c_cc[VTIME] = 0;
	console_install_handlers();
	console_tty_fd = fd;
	if (tcsetattr(fd, TCSADRAIN, &tty)) {
		int rc = -errno;

		console_tty_fd = -1;
		return rc;
	}
	return 0;
}

static bool console_in_foreground(const struct vmm_console *con)
{
	/* A read from our terminal while we run in the background would stop the whole
	 * process (SIGTTIN). */
	return !con->in_tty || tcgetpgrp(con->in_fd) == getpgrp();
}

/* ---- events ---- */

static void console_wake(struct vmm_console *con)
{
	if (con->wake)
		con->wake(con->wake_opaque);
}

static bool console_set_event(struct vmm_console *con, enum vmm_console_event ev)
{
	int none = VMM_CONSOLE_NONE;

	return atomic_compare_exchange_strong(&con->event, &none, (int)ev);
}

static void console_notify_thread(struct vmm_console *con)
{
	uint64_t one = 1;

	if (con->running)
		while (write(con->notify_fd, &one, sizeof(one)) < 0 && errno == EINTR)
			;
}

/* ---- output ---- */

static int console_write_all(struct vmm_console *con, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(con->out_fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				struct pollfd p = {.fd = con->out_fd, .events = POLLOUT};

				(void)poll(&p, 1, -1);
				continue;
			}
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int console_flush_locked(struct vmm_console *con)
{
	int rc;

	con->out_timer = false;
	if (con->out_error || !con->out_len)
		return con->out_error;
	rc = console_write_all(con, con->out_buf, con->out_len);
	con->out_len = 0;
	if (rc)
		con->out_error = rc;
	return rc;
}

int vmm_console_flush(struct vmm_console *con)
{
	int rc;

	pthread_mutex_lock(&con->lock);
	rc = console_flush_locked(con);
	pthread_mutex_unlock(&con->lock);
	return rc;
}

int vmm_console_write(struct vmm_console *con, const uint8_t *buf, size_t len)
{
	bool notify = false;
	int rc = 0;

	atomic_store(&con->last_output_ns, console_now_ns());
	pthread_mutex_lock(&con->lock);
	for (size_t i = 0; i < len && !rc; i++) {
		uint8_t c = buf[i];

		if (con->out_error) {
			rc = con->out_error;
			break;
		}
		con->out_buf[con->out_len++] = c;
		if (c == '\n' || con->out_len == sizeof(con->out_buf))
			rc = console_flush_locked(con);
	}
	if (!rc && con->out_len && !con->out_timer && con->running) {
		con->out_timer = true;
		con->flush_at_ns = console_now_ns() + VMM_CONSOLE_FLUSH_MS * 1000000ull;
		notify = true;
	}
	pthread_mutex_unlock(&con->lock);
	if (notify)
		console_notify_thread(con);
	return rc;
}

/* ---- input ---- */

enum vmm_escape_action vmm_console_escape(bool *pending, uint8_t in, uint8_t *out)
{
	if (!*pending) {
		if (in == VMM_CONSOLE_ESCAPE) {
			*pending = true;
			return VMM_ESCAPE_SWALLOW;
		}
		*out = in;
		return VMM_ESCAPE_PASS;
	}
	*pending = false;
	switch (in) {
	case VMM_CONSOLE_ESCAPE:
		*out = in;
		return VMM_ESCAPE_PASS;
	case 'x':
	case 'X':
		return VMM_ESCAPE_QUIT;
	case 'h':
	case 'H':
	case '?':
		return VMM_ESCAPE_HELP;
	default:
		return VMM_ESCAPE_SWALLOW;
	}
}

static void console_help_text(struct vmm_console *con)
{
	pthread_mutex_lock(&con->lock);
	if (!console_flush_locked(con))
		con->out_error = console_write_all(con, (const uint8_t *)console_help,
						   sizeof(console_help) - 1);
	pthread_mutex_unlock(&con->lock);
}

/* Raw bytes from the host in, bytes for the guest out (at most n): escapes applied. */
static size_t console_filter(struct vmm_console *con, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		switch (vmm_console_escape(&con->esc_pending, in[i], &out[k])) {
		case VMM_ESCAPE_PASS:
			k++;
			break;
		case VMM_ESCAPE_SWALLOW:
			break;
		case VMM_ESCAPE_QUIT:
			pr_debug("console: Ctrl-A x");
			if (console_set_event(con, VMM_CONSOLE_QUIT))
				console_wake(con);
			break;
		case VMM_ESCAPE_HELP:
			console_help_text(con);
			break;
		}
	}
	return k;
}

/* One read(2) of at most len bytes: > 0 bytes, 0 nothing now, -1 input ended. */
static ssize_t console_read_fd(struct vmm_console *con, uint8_t *buf, size_t len)
{
	ssize_t n = read(con->in_fd, buf, len);

	if (n > 0)
		return n;
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0)
		pr_warn("console: input failed (%s): no more guest input", strerror(errno));
	else
		pr_debug("console: end of input");
	atomic_store(&con->in_eof, true);
	return -1;
}

ssize_t vmm_console_read(struct vmm_console *con, uint8_t *buf, size_t len)
{
	size_t n = 0;
	bool was_full;

	if (!con->running) {
		/* No thread: look at the descriptor now, never waiting. */
		struct pollfd p = {.fd = con->in_fd, .events = POLLIN};
		uint8_t raw[VMM_CONSOLE_IN_SIZE];
		ssize_t got;

		if (atomic_load(&con->in_eof) || poll(&p, 1, 0) <= 0 || !console_in_foreground(con))
			return 0;
		got = console_read_fd(con, raw, len < sizeof(raw) ? len : sizeof(raw));
		return got > 0 ? (ssize_t)console_filter(con, raw, (size_t)got, buf) : 0;
	}
	if (!atomic_load(&con->in_count))
		return 0; /* the common case, for every LSR poll: no lock */
	pthread_mutex_lock(&con->lock);
	was_full = atomic_load(&con->in_count) == sizeof(con->in_buf);
	while (n < len && atomic_load(&con->in_count)) {
		buf[n++] = con->in_buf[con->in_head];
		con->in_head = (con->in_head + 1) % sizeof(con->in_buf);
		atomic_fetch_sub(&con->in_count, 1);
	}
	pthread_mutex_unlock(&con->lock);
	if (was_full)
		console_notify_thread(con); /* it stopped reading: room again */
	return (ssize_t)n;
}

/* I/O thread: read what stdin has (at most the queue's room), queue it, wake the vcpu. */
static void console_thread_input(struct vmm_console *con)
{
	uint8_t raw[256], out[256];
	size_t room = sizeof(con->in_buf) - atomic_load(&con->in_count), k;
	ssize_t n;

	n = console_read_fd(con, raw, room < sizeof(raw) ? room : sizeof(raw));
	if (n <= 0)
		return;
	k = console_filter(con, raw, (size_t)n, out);
	if (!k)
		return;
	pthread_mutex_lock(&con->lock);
	for (size_t i = 0; i < k; i++) {
		size_t count = atomic_load(&con->in_count);

		con->in_buf[(con->in_head + count) % sizeof(con->in_buf)] = out[i];
		atomic_fetch_add(&con->in_count, 1);
	}
	pthread_mutex_unlock(&con->lock);
	console_wake(con);
}

/* I/O thread: the partial line and the quiet watch. Returns the poll timeout (ms). */
static int console_thread_timers(struct vmm_console *con)
{
	uint64_t now = console_now_ns(), next = UINT64_MAX;
	bool wake = false;

	pthread_mutex_lock(&con->lock);
	if (con->out_timer) {
		if (now >= con->flush_at_ns)
			(void)console_flush_locked(con); /* a failure shows at the next write */
		else
			next = con->flush_at_ns;
	}
	if (con->quiet_armed) {
		uint64_t last = atomic_load(&con->last_output_ns), at;

		at = (last > con->quiet_since_ns ? last : con->quiet_since_ns) + con->quiet_ns;
		if (at > con->quiet_deadline_ns)
			at = con->quiet_deadline_ns;
		if (now >= at) {
			con->quiet_armed = false;
			atomic_store(&con->quiet_reached, true);
			wake = true;
		} else if (at < next) {
			next = at;
		}
	}
	pthread_mutex_unlock(&con->lock);
	if (wake)
		console_wake(con);
	if (next == UINT64_MAX)
		return -1;
	return (int)((next - now + 999999) / 1000000);
}

static void *console_thread(void *arg)
{
	struct vmm_console *con = arg;

	while (!atomic_load(&con->stopping)) {
		struct pollfd fds[2] = {{.fd = con->notify_fd, .events = POLLIN}, {.fd = -1}};
		int timeout = console_thread_timers(con);
		bool want_input = !atomic_load(&con->in_eof) &&
				  atomic_load(&con->in_count) < sizeof(con->in_buf);
		uint64_t v;

		if (want_input && console_in_foreground(con)) {
			fds[1].fd = con->in_fd;
			fds[1].events = POLLIN;
		} else if (want_input && (timeout < 0 || timeout > 200)) {
			timeout = 200; /* in the background: look again later */
		}
		if (poll(fds, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			pr_warn("console: poll failed (%s): no more guest input", strerror(errno));
			atomic_store(&con->in_eof, true);
			continue;
		}
		if (fds[0].revents & POLLIN)
			(void)!read(con->notify_fd, &v, sizeof(v));
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR))
			console_thread_input(con);
		else if (fds[1].revents & POLLNVAL)
			atomic_store(&con->in_eof, true);
	}
	return NULL;
}

/* ---- life cycle ---- */

void vmm_console_init(struct vmm_console *con, int in_fd, int out_fd)
{
	memset(con, 0, sizeof(*con));
	con->in_fd = in_fd;
	con->out_fd = out_fd;
	con->notify_fd = -1;
	pthread_mutex_init(&con->lock, NULL);
	/* CI runs us with stdin closed: then there is simply no input. */
	atomic_init(&con->in_eof, in_fd < 0 || fcntl(in_fd, F_GETFL) < 0);
	con->in_tty = !atomic_load(&con->in_eof) && isatty(in_fd);
	atomic_init(&con->in_count, 0);
	atomic_init(&con->last_output_ns, 0);
	atomic_init(&con->quiet_reached, false);
	atomic_init(&con->event, VMM_CONSOLE_NONE);
	atomic_init(&con->stopping, false);
}

int vmm_console_start(struct vmm_console *con, void (*wake)(void *opaque), void *opaque,
		      struct vmm_err *err)
{
	bool raw = false;
	int rc;

	con->wake = wake;
	con->wake_opaque = opaque;
	con->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (con->notify_fd < 0)
		return vmm_err_set(err, -errno, "console: eventfd: %s", strerror(errno));
	if (con->in_tty && console_in_foreground(con)) {
		rc = console_make_raw(con->in_fd);
		if (rc)
			pr_warn("console: cannot put the terminal in raw mode: %s", strerror(-rc));
		raw = !rc;
	}
	atomic_store(&con->stopping, false);
	con->running = true; /* before the thread: writes must arm its timer from now on */
	rc = pthread_create(&con->thread, NULL, console_thread, con);
	if (rc) {
		con->running = false;
		if (raw)
			vmm_console_restore_terminal();
		close(con->notify_fd);
		con->notify_fd = -1;
		return vmm_err_set(err, -rc, "console: cannot start its thread: %s", strerror(rc));
	}
	return 0;
}

void vmm_console_stop(struct vmm_console *con)
{
	if (con->running) {
		atomic_store(&con->stopping, true);
		console_notify_thread(con);
		pthread_join(con->thread, NULL);
		con->running = false;
	}
	if (con->notify_fd >= 0) {
		close(con->notify_fd);
		con->notify_fd = -1;
	}
	if (vmm_console_flush(con))
		pr_debug("console: the last output could not be written");
	vmm_console_restore_terminal();
}

void vmm_console_destroy(struct vmm_console *con)
{
	vmm_console_stop(con);
	pthread_mutex_destroy(&con->lock);
}

enum vmm_console_event vmm_console_event(struct vmm_console *con)
{
	return (enum vmm_console_event)atomic_load(&con->event);
}

uint64_t vmm_console_last_output_ns(struct vmm_console *con)
{
	return atomic_load(&con->last_output_ns);
}

int vmm_console_watch_quiet(struct vmm_console *con, uint64_t quiet_ns, uint64_t max_ns)
{
	uint64_t now = console_now_ns();

	if (!con->running)
		return -ENOTCONN;
	pthread_mutex_lock(&con->lock);
	con->quiet_armed = true;
	con->quiet_ns = quiet_ns;
	con->quiet_since_ns = now;
	con->quiet_deadline_ns = now + max_ns;
	atomic_store(&con->quiet_reached, false);
	pthread_mutex_unlock(&con->lock);
	console_notify_thread(con);
	return 0;
}

bool vmm_console_quiet(struct vmm_console *con)
{
	return atomic_load(&con->quiet_reached);
}

/* ---- as a device backend ---- */

static int console_cd_write(void *opaque, const uint8_t *buf, size_t len)
{
	return vmm_console_write(opaque, buf, len);
}

static ssize_t console_cd_read(void *opaque, uint8_t *buf, size_t len)
{
	return vmm_console_read(opaque, buf, len);
}

struct vmm_chardev vmm_console_chardev(struct vmm_console *con)
{
	return (struct vmm_chardev){
	    .write = console_cd_write,
	    .read = console_cd_read,
	    .opaque = con,
	};
}
