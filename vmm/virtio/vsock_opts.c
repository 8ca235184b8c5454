// SPDX-License-Identifier: MIT
/* --vsock CID[,uds=PATH] (see vsock.h). Apart from the device so that the command line is
 * parsed (and tested) without it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "virtio/vsock.h"

int vsock_parse_opts(const char *s, struct vsock_opts *o, struct vmm_err *err)
{
	const char *comma = strchr(s, ',');
	char *end;
	unsigned long long cid;

	memset(o, 0, sizeof(*o));
	errno = 0;
	cid = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || errno || (*end && end != comma) || cid < VSOCK_MIN_GUEST_CID ||
	    cid > VSOCK_MAX_GUEST_CID)
		return vmm_err_set(err, -EINVAL,
				   "--vsock '%s': the guest CID must be a number from %u to %u "
				   "(--vsock CID[,uds=PATH])",
				   s, VSOCK_MIN_GUEST_CID, VSOCK_MAX_GUEST_CID);
	o->cid = (uint32_t)cid;
	if (!comma) {
		snprintf(o->path, sizeof(o->path), "softkvm-vsock-%u.sock", o->cid);
		return 0;
	}
	if (strncmp(comma + 1, "uds=", 4))
		return vmm_err_set(err, -EINVAL, "--vsock '%s': unknown suboption '%s' (uds=PATH)",
				   s, comma + 1);
	if (!comma[5])
		return vmm_err_set(err, -EINVAL, "--vsock '%s': uds= needs a PATH", s);
	if (strlen(comma + 5) >= sizeof(o->path))
		return vmm_err_set(err, -ENAMETOOLONG,
				   "--vsock '%s': PATH too long for a Unix socket with its "
				   "_PORT suffix (at most %zu bytes)",
				   s, sizeof(o->path) - 1);
	strcpy(o->path, comma + 5);
	return 0;
}
