/* SPDX-License-Identifier: MIT */
/* The --gdb address: "tcp:HOST:PORT", HOST an IPv4 or IPv6 address or a name (IPv6 may be
 * in brackets), empty for 127.0.0.1 (never every interface unless asked: gdb reads and
 * writes the whole guest); PORT 0 to 65535, 0 for any free port. */
#ifndef VMM_GDB_ADDRESS_H
#define VMM_GDB_ADDRESS_H

#include <stddef.h>

#include "error.h"

#define VMM_GDB_HOST_MAX 64
#define VMM_GDB_PORT_MAX 6

struct vmm_gdb_address {
	char host[VMM_GDB_HOST_MAX]; /* never empty: 127.0.0.1 for "" */
	char port[VMM_GDB_PORT_MAX];
};

/* -EINVAL (message in err) for anything else. */
VMM_MUST_CHECK int vmm_gdb_parse_address(const char *spec, struct vmm_gdb_address *a,
					 struct vmm_err *err);

#endif
