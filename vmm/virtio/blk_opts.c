// SPDX-License-Identifier: MIT
/* --disk FILE[,ro][,cache=writeback|none][,serial=S]: the option string (see blk.h). Apart
 * from the device so that the command line is parsed (and tested) without it. */
#include <errno.h>
#include <string.h>

#include "virtio/blk.h"

int virtio_blk_parse(const char *arg, struct virtio_blk_opts *o, struct vmm_err *err)
{
	char *p, *opt;

	memset(o, 0, sizeof(*o));
	if (strlen(arg) >= sizeof(o->opts_buf))
		return vmm_err_set(err, -EINVAL, "--disk: argument too long");
	strcpy(o->opts_buf, arg);
	p = o->opts_buf;
	o->path = strsep(&p, ",");
	if (!*o->path)
		return vmm_err_set(
		    err, -EINVAL,
		    "--disk: missing FILE (--disk FILE[,ro][,cache=writeback|none][,serial=S])");
	while ((opt = strsep(&p, ",")) != NULL) {
		if (!strcmp(opt, "ro")) {
			o->ro = true;
		} else if (!strcmp(opt, "cache=writeback")) {
			o->direct = false;
		} else if (!strcmp(opt, "cache=none")) {
			o->direct = true;
		} else if (!strncmp(opt, "serial=", 7)) {
			const char *s = opt + 7;

			if (!*s || strlen(s) > VIRTIO_BLK_SERIAL_MAX)
				return vmm_err_set(err, -EINVAL,
						   "--disk %s: serial must be 1 to %u characters",
						   o->path, VIRTIO_BLK_SERIAL_MAX);
			for (const char *c = s; *c; c++)
				if (*c < 0x21 || *c > 0x7e)
					return vmm_err_set(err, -EINVAL,
							   "--disk %s: serial must be printable "
							   "ASCII without spaces",
							   o->path);
			strcpy(o->serial, s);
		} else {
			return vmm_err_set(err, -EINVAL,
					   "--disk %s: unknown suboption '%s' (ro, "
					   "cache=writeback, cache=none, serial=S)",
					   o->path, opt);
		}
	}
	return 0;
}
