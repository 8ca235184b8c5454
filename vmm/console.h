/* SPDX-License-Identifier: MIT */
/* The console: the host terminal (or pipe, or file) behind the guest's serial port.
 *
 * Output is buffered: written out at each newline, when the buffer fills, VMM_CONSOLE_FLUSH_MS
 * after a partial line (a shell prompt) was left in it, and by vmm_console_flush / _stop.
 * A boot's ~8,000 characters then cost a write(2) per line instead of one per byte.
 *
 * Input: vmm_console_start starts an I/O thread that reads stdin as it arrives, handles the
 * escape key and queues the rest for the guest, then calls the wake callback (the VMM kicks
 * the vcpu, whose loop polls the UART, which pulls the queued bytes and raises its interrupt),
 * so input reaches a guest that sleeps in MSR[WE] at once. End of input (a pipe closed) only
 * means no more input: the guest keeps running. Without the thread (unit tests) input is
 * read directly, never blocking.
 *
 * Terminal: when stdin is a terminal and we are in its foreground, it is switched to raw mode
 * (no echo, no line editing, no signals from keys: Ctrl-C goes to the guest) while the thread
 * runs, and restored by vmm_console_stop, at exit (atexit), and on every other catchable
 * signal whose default action ends the process (SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM,
 * SIGSEGV, SIGBUS, ..., the real-time signals: restore, then die of the signal, so the exit
 * status is the signal's) unless the process already ignores or handles it (SIGPIPE).
 * SIGINT and SIGTERM end the run through the watchdog, so they restore it too.
 *
 * Escape key, as QEMU's: Ctrl-A x quits (exit status 0), Ctrl-A h (or ?) prints the keys,
 * Ctrl-A Ctrl-A sends one Ctrl-A to the guest; any other key after Ctrl-A is dropped. Active
 * on pipes too (like QEMU's -serial mon:stdio), so a script can quit with "\001x".
 *
 * What the guest writes is never interpreted: no text on the console ends or changes a run
 * (power-off, halt and panic come from the guest's devices and its vcpu, see vcpu_loop.h).
 * Only when it last wrote is kept, to tell when it has gone quiet (vmm_console_watch_quiet,
 * for the panic grace).
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "chardev.h"
#include "error.h"

#define VMM_CONSOLE_OUT_SIZE	 4096
#define VMM_CONSOLE_IN_SIZE	 4096
#define VMM_CONSOLE_FLUSH_MS	 10
#define VMM_CONSOLE_ESCAPE	 0x01 /* Ctrl-A */

enum vmm_console_event {
	VMM_CONSOLE_NONE = 0,
	VMM_CONSOLE_QUIT, /* Ctrl-A x */
};

/* The escape-key state machine: one input byte in, what to do out. */
enum vmm_escape_action {
	VMM_ESCAPE_PASS,    /* send *out to the guest */
	VMM_ESCAPE_SWALLOW, /* nothing to send (the escape key itself, an unknown command) */
	VMM_ESCAPE_QUIT,
	VMM_ESCAPE_HELP,
};
enum vmm_escape_action vmm_console_escape(bool *pending, uint8_t in, uint8_t *out);

struct vmm_console {
	int in_fd; /* -1: no input */
	int out_fd;
	bool in_tty;
	atomic_bool in_eof; /* input ended, failed, or is absent: never read again */

	void (*wake)(void *opaque); /* from any thread: "look at the console" */
	void *wake_opaque;

	pthread_mutex_t lock; /* the queues */
	/* input queued for the guest (I/O thread in, vcpu thread out) */
	uint8_t in_buf[VMM_CONSOLE_IN_SIZE];
	size_t in_head;
	atomic_size_t in_count;
	bool esc_pending;
	/* output not yet written */
	uint8_t out_buf[VMM_CONSOLE_OUT_SIZE];
	size_t out_len;
	int out_error;	 /* a failed write: the negative errno every later write returns */
	bool out_timer;	 /* the I/O thread was told about the partial line */
	uint64_t flush_at_ns; /* CLOCK_MONOTONIC: when it writes the partial line out */
	atomic_uint_least64_t last_output_ns; /* CLOCK_MONOTONIC of the last guest write */
	/* vmm_console_watch_quiet, timed by the I/O thread */
	bool quiet_armed;
	uint64_t quiet_ns, quiet_since_ns, quiet_deadline_ns;
	atomic_bool quiet_reached;
	atomic_int event; /* enum vmm_console_event */

	/* the I/O thread */
	pthread_t thread;
	bool running;
	int notify_fd; /* eventfd: partial output to time, or stop */
	atomic_bool stopping;
};

void vmm_console_init(struct vmm_console *con, int in_fd, int out_fd);
/* Raw mode (see above) and the I/O thread; wake is called from it (and from the vcpu thread,
 * for output events). On failure nothing was changed. */
VMM_MUST_CHECK int vmm_console_start(struct vmm_console *con, void (*wake)(void *opaque),
				     void *opaque, struct vmm_err *err);
/* Stops the thread, writes what is buffered, restores the terminal. Safe to call twice. */
void vmm_console_stop(struct vmm_console *con);
/* Frees what init set up (after stop). */
void vmm_console_destroy(struct vmm_console *con);

/* Guest output: buffered (see above). A negative errno (EPIPE when the reader went away)
 * means guest output can no longer be delivered. */
VMM_MUST_CHECK int vmm_console_write(struct vmm_console *con, const uint8_t *buf, size_t len);
/* Writes out what is buffered now. */
VMM_MUST_CHECK int vmm_console_flush(struct vmm_console *con);
/* Whatever input is available now, never blocking: bytes read, or 0. Input errors end input
 * (with a warning) rather than the VM. */
ssize_t vmm_console_read(struct vmm_console *con, uint8_t *buf, size_t len);
/* The console as a device backend. */
struct vmm_chardev vmm_console_chardev(struct vmm_console *con);

/* The event seen (VMM_CONSOLE_NONE if none). */
enum vmm_console_event vmm_console_event(struct vmm_console *con);
/* When the guest last wrote output (CLOCK_MONOTONIC ns; 0: never). Any thread. */
uint64_t vmm_console_last_output_ns(struct vmm_console *con);
/* Asks the I/O thread to call the wake callback once guest output has been quiet for
 * quiet_ns (counted from now or the last output, whichever is later), or max_ns from now
 * at the latest; vmm_console_quiet then says true. -ENOTCONN without the thread (nothing
 * would wake the caller). */
VMM_MUST_CHECK int vmm_console_watch_quiet(struct vmm_console *con, uint64_t quiet_ns,
					   uint64_t max_ns);
bool vmm_console_quiet(struct vmm_console *con);

/* Puts the terminal back as it was, if the console changed it. Async-signal-safe: for the
 * paths that end the process with _exit. */
void vmm_console_restore_terminal(void);

#endif
