/* SPDX-License-Identifier: MIT */
/* The command line: `softkvm run --kernel FILE [options]`, `softkvm --help`,
 * `softkvm run --help`. Parsing only; main() acts on the result. */
#ifndef VMM_CLI_H
#define VMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "virtio/9p.h"

#define VMM_MAX_SHARES 8 /* --share options */
#include "virtio/blk.h"
#include "virtio/net.h"
#include "virtio/vsock.h"

enum vmm_command {
	VMM_CMD_NONE = 0, /* only --help */
	VMM_CMD_RUN,
};

enum vmm_machine_kind {
	VMM_MACHINE_PPC440 = 0, /* the default */
	VMM_MACHINE_PSERIES,
};

struct vmm_cli {
	enum vmm_command command;
	bool help; /* print the help of command and exit 0 */
	enum vmm_machine_kind machine; /* --machine */
	bool memory_given;	       /* --memory was on the command line */

	/* run */
	const char *kernel;
	const char *initrd;   /* NULL: none */
	const char *append;   /* kernel command line; NULL: none */
	const char *dtb;      /* NULL: the board's own device tree */
	const char *dump_dtb; /* write the device tree there and exit */
	uint64_t memory;
	unsigned cpus;	       /* --cpus (pseries); 1 by default */
	uint64_t decode_cache; /* bytes of host memory for decoded guest code; 0: default */
	int64_t halt_poll_ns;  /* --halt-poll-ns; -1: the library's default */
	int jit;	       /* --jit: 1 on, 0 off, -1 the library's default (on where it can) */
	bool no_reboot;
	bool no_paravirt; /* no /hypervisor node: no hypercalls, no magic page for the guest */
	bool stats;
	struct vmm_share share[VMM_MAX_SHARES]; /* --share DIR,tag=T[,ro] */
	unsigned nr_shares;
	const char *gdb;  /* "tcp:HOST:PORT": serve gdb there; NULL: no gdb stub */
	bool gdb_wait;	  /* the guest waits for gdb to connect and continue */
	double timeout_s; /* 0: none */
	int verbose;
	struct virtio_blk_opts disks[VIRTIO_BLK_MAX_DISKS]; /* --disk, in order */
	unsigned nr_disks;
	struct net_opts net[NET_MAX_NICS]; /* --net, in order */
	unsigned nr_net;
	const struct vsock_opts *vsock; /* --vsock; NULL: none */
	struct vsock_opts vsock_opts;
};

/* -EINVAL with a message for a usage error (exit status 2). */
VMM_MUST_CHECK int vmm_cli_parse(int argc, char **argv, struct vmm_cli *cli, struct vmm_err *err);
void vmm_cli_help(FILE *out, enum vmm_command command);

/* "256M", "1G", "64MiB", "1048576": bytes (binary units, K M G T). */
VMM_MUST_CHECK int vmm_parse_size(const char *s, uint64_t *bytes);
/* "10", "0.5": non-negative seconds. */
VMM_MUST_CHECK int vmm_parse_seconds(const char *s, double *seconds);

#endif
