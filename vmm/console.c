/* The console (see console.h). */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

void vmm_console_init(struct vmm_console *con, int in_fd, int out_fd)
{
	con->in_fd = in_fd;
	con->out_fd = out_fd;
	/* CI runs us with stdin closed: then there is simply no input. */
	con->in_eof = in_fd < 0 || fcntl(in_fd, F_GETFL) < 0;
	con->in_tty = !con->in_eof && isatty(in_fd);
}

int vmm_console_write(struct vmm_console *con, const uint8_t *buf, size_t len)
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

ssize_t vmm_console_read(struct vmm_console *con, uint8_t *buf, size_t len)
{
	struct pollfd p = {.fd = con->in_fd, .events = POLLIN};
	ssize_t n;

	if (con->in_eof || poll(&p, 1, 0) <= 0)
		return 0;
	/* A read from our terminal while we run in the background would stop the whole
	 * process (SIGTTIN): leave the input for when we are in the foreground. */
	if (con->in_tty && tcgetpgrp(con->in_fd) != getpgrp())
		return 0;
	n = read(con->in_fd, buf, len);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0)
		pr_warn("console: input failed (%s): no more guest input", strerror(errno));
	con->in_eof = true;
	return 0;
}

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
