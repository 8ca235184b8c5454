/* SPDX-License-Identifier: MIT */
/* A 9P2000.L file server over one host directory: the message in, the reply out, all in host
 * buffers (virtio-9p, 9p.c, moves them to and from the guest). What Linux's v9fs needs to
 * list, read, write, create, rename and delete: Tversion, Tattach, Twalk, Tlopen, Tlcreate,
 * Tread, Twrite, Tclunk, Tgetattr, Tsetattr, Treaddir, Tmkdir, Tunlinkat, Trenameat,
 * Tsymlink, Treadlink, Tlink, Tstatfs, Tfsync, Tflush; Txattrwalk and whatever else answer
 * Rlerror EOPNOTSUPP.
 *
 * Confinement (the guest is hostile): the client never reaches a host file outside the
 * directory. Every name it sends is one path component, checked (no '/', no NUL, not empty,
 * "." and ".." only in Twalk), and looked up from a fid's O_PATH descriptor with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) and O_NOFOLLOW: a symlink is never
 * followed on the host (the guest reads it with Treadlink and resolves it in its own
 * namespace). ".." from the root is the root (as 9p says); from below it is the parent of the
 * fid's directory. Creating, linking, renaming and removing use the *at calls on a checked
 * directory descriptor and one checked name, so they stay inside too; a file is reopened
 * for I/O only if it is a regular file or a directory (never a device, FIFO or socket, which
 * could block the device thread or reach host hardware).
 * A read-only server answers EROFS to everything that would modify the directory.
 * Owners: files are created as the user running softkvm (QEMU's security_model=none); the
 * set-user-ID and set-group-ID bits are never set (Tlcreate, Tmkdir, Tsetattr drop them). */
#ifndef VMM_VIRTIO_P9_SERVER_H
#define VMM_VIRTIO_P9_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "virtio/p9_fid.h"

/* The largest message either way (Tversion's msize is clamped to it). */
#define P9_MSIZE_MAX (512u << 10)
#define P9_VERSION   "9P2000.L"

struct p9_server {
	int root_fd; /* O_PATH of the directory */
	bool ro;
	uint32_t msize; /* negotiated (P9_MSIZE_MAX until Tversion) */
	struct p9_fid_table fids;
	/* what the server has done, for --stats and tests */
	uint64_t requests, errors;
};

/* Opens dir for serving: 0, or -errno with a message (not a directory, missing, ...). */
VMM_MUST_CHECK int p9_server_init(struct p9_server *s, const char *dir, bool ro,
				  struct vmm_err *err);
void p9_server_destroy(struct p9_server *s);
/* Forgets the client (every fid closed): a device reset. */
void p9_server_reset(struct p9_server *s);

/* Handles one message msg[0, len) (len bytes as they arrived; its size field says how many
 * belong to it) and writes the reply into rep[0, cap). Returns the reply's length, or 0 when
 * not even an error reply fits (cap < 11) or msg is too short for a header. */
size_t p9_server_handle(struct p9_server *s, uint8_t *msg, size_t len, uint8_t *rep, size_t cap);

#endif
