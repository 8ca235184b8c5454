/* The console: the host terminal (or pipe, or file) behind the guest's serial port. Today it
 * writes guest output to stdout and polls stdin without blocking; switching a terminal to raw
 * mode and escape keys (Ctrl-A x) belong here next.
 */
#ifndef VMM_CONSOLE_H
#define VMM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "chardev.h"
#include "error.h"

struct vmm_console {
	int in_fd; /* -1: no input */
	int out_fd;
	bool in_eof; /* input ended, failed, or is absent: never polled again */
	bool in_tty;
};

void vmm_console_init(struct vmm_console *con, int in_fd, int out_fd);
/* All of buf, waiting if out_fd is non-blocking and full. A negative errno (EPIPE when the
 * reader went away) means guest output can no longer be delivered. */
VMM_MUST_CHECK int vmm_console_write(struct vmm_console *con, const uint8_t *buf, size_t len);
/* Whatever input is available now, never blocking: bytes read, or 0. Input errors end input
 * (with a warning) rather than the VM. */
ssize_t vmm_console_read(struct vmm_console *con, uint8_t *buf, size_t len);
/* The console as a device backend. */
struct vmm_chardev vmm_console_chardev(struct vmm_console *con);

#endif
