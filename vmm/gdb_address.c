// SPDX-License-Identifier: MIT
/* The --gdb address (see gdb_address.h). */
#include "gdb_address.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int parse(const char *spec, struct vmm_gdb_address *a)
{
	const char *h, *colon, *port;
	size_t n;

	if (strncmp(spec, "tcp:", 4))
		return -EINVAL;
	h = spec + 4;
	colon = strrchr(h, ':');
	if (!colon)
		return -EINVAL;
	port = colon + 1;
	n = strlen(port);
	if (n == 0 || n >= sizeof(a->port) || strspn(port, "0123456789") != n)
		return -EINVAL;
	if (strtol(port, NULL, 10) > 65535)
		return -EINVAL;
	memcpy(a->port, port, n + 1);
	n = (size_t)(colon - h);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n >= sizeof(a->host))
		return -EINVAL;
	if (n == 0) {
		strcpy(a->host, "127.0.0.1");
		return 0;
	}
	memcpy(a->host, h, n);
	a->host[n] = 0;
	return 0;
}

int vmm_gdb_parse_address(const char *spec, struct vmm_gdb_address *a, struct vmm_err *err)
{
	if (parse(spec, a))
		return vmm_err_set(
		    err, -EINVAL,
		    "run: bad --gdb address '%s' (tcp:HOST:PORT, e.g. tcp:127.0.0.1:1234)", spec);
	return 0;
}
