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
 * Guest output is watched line by line for what only the console shows (vmm_console_event):
 *   "System Halted, OK to turn off power"   Linux's machine_hang() after poweroff/halt on
 *       a board without a power-off hook (the 44x): the CPU then spins with interrupts off,
 *       so there is no hypervisor-visible event to wait for.
 *   "Kernel panic - not syncing: ..."       a panic: confirmed by the panic's last line
 *       ("---[ end Kernel panic" or "Rebooting in N seconds"), by a guest reset while it is
 *       pending (panic=-1 restarts at once), or VMM_CONSOLE_PANIC_GRACE_S after the line.
 * Each event calls the wake callback, so the vcpu loop sees it at once.
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
#define VMM_CONSOLE_LINE_SIZE	 256
#define VMM_CONSOLE_FLUSH_MS	 10
#define VMM_CONSOLE_PANIC_GRACE_S 5
#define VMM_CONSOLE_ESCAPE	 0x01 /* Ctrl-A */

enum vmm_console_event {
	VMM_CONSOLE_NONE = 0,
	VMM_CONSOLE_QUIT,   /* Ctrl-A x */
	VMM_CONSOLE_HALTED, /* "System Halted, OK to turn off power" */
	VMM_CONSOLE_PANIC,  /* a guest kernel panic, confirmed */
};

/* What one complete line of guest output says (without its newline). */
enum vmm_console_line {
	VMM_LINE_PLAIN = 0,
	VMM_LINE_HALTED,
	VMM_LINE_PANIC,	    /* "Kernel panic - not syncing: ..." */
	VMM_LINE_PANIC_END, /* "---[ end Kernel panic" or "Rebooting in " */
};
enum vmm_console_line vmm_console_classify(const char *line);

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

	pthread_mutex_t lock; /* the queues, the line and the panic text */
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
	/* the guest's current output line, for vmm_console_classify */
	char line[VMM_CONSOLE_LINE_SIZE];
	size_t line_len;
	char panic_text[VMM_CONSOLE_LINE_SIZE];
	atomic_bool panic_pending;
	uint64_t panic_at_ns;	 /* when an unconfirmed panic counts anyway */
	uint64_t panic_grace_ns; /* VMM_CONSOLE_PANIC_GRACE_S; tests shorten it */
	atomic_int event; /* enum vmm_console_event; the first one stays */

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

/* The first event seen (VMM_CONSOLE_NONE if none); for a panic, text gets the panic line's
 * message (may be NULL). */
enum vmm_console_event vmm_console_event(struct vmm_console *con, char *text, size_t len);
/* A panic line was seen (confirmed or not: a guest reset now confirms it); text gets its
 * message (may be NULL). */
bool vmm_console_panic_seen(struct vmm_console *con, char *text, size_t len);

/* Puts the terminal back as it was, if the console changed it. Async-signal-safe: for the
 * paths that end the process with _exit. */
void vmm_console_restore_terminal(void);

#endif
