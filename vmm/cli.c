// SPDX-License-Identifier: MIT
/* Command-line parsing and help texts (see cli.h). */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "boards/ppc440.h"
#include "boards/pseries.h"
#include "gdb_address.h"

#define CLI_MAX_TIMEOUT_S 1e7
#define CLI_MIN_DECODE_CACHE (1u << 20)	    /* the hypervisor's floor */

static const char cli_main_help[] =
    "Usage: softkvm COMMAND [OPTIONS]\n"
    "       softkvm COMMAND --help\n"
    "\n"
    "softkvm runs PowerPC guests on a user-space reimplementation of Linux KVM whose\n"
    "\"hardware\" is a software PowerPC core: 32-bit Linux on a PowerPC 440 board\n"
    "(BookE, the default) and 64-bit Linux of either byte order on a POWER8 pseries\n"
    "board with one or more vcpus (Book3S PR: run --machine pseries).\n"
    "\n"
    "Commands:\n"
    "  run         boot a guest kernel (see 'softkvm run --help')\n"
    "\n"
    "Options:\n"
    "  -h, --help  show this help and exit\n";

static const char cli_run_help[] =
    "Usage: softkvm run --kernel FILE [OPTIONS]\n"
    "\n"
    "Boot FILE on a PowerPC 440 board (QEMU's bamboo as a guest sees it): RAM from\n"
    "address 0, UART0 (ns16550) at 0xef600300 on UIC0 input 0 and on the console,\n"
    "UIC0 on DCR 0xc0, the softkvm test device at 0xef700000, and virtio-mmio devices\n"
    "(virtio,mmio in the device tree) on their own threads: virtio-console (Linux's\n"
    "hvc0) at 0xef710000 on UIC0 input 16 and virtio-rng (host getrandom) at 0xef711000\n"
    "on input 17; each --net NIC (virtio-net) takes the next slot and input (0xef712000,\n"
    "input 18, ...). The vcpu starts at the ELF entry with MSR=0, r1=16 MiB-8, r3=the\n"
    "device tree (0x1800000 unless the kernel reaches beyond it) and identity TLB\n"
    "mappings of RAM and 0xe0000000-0xffffffff.\n"
    "A Linux vmlinux (linked at 0xc0000000, physical addresses from 0) boots as is:\n"
    "  softkvm run --kernel vmlinux --initrd rootfs.cpio.gz --append console=ttyS0\n"
    "\n"
    "--machine pseries: a PAPR partition with a POWER8 vcpu (hvc0 on the /vdevice vty,\n"
    "XICS, RTAS), a 64-bit ELF of either byte order placed as QEMU's pseries places it\n"
    "(0x400000 + its physical address) or a flat binary at 0x400000, entered with\n"
    "r3 = its device tree (console=hvc0). It takes 128M to 16G of memory;\n"
    "virtio-console (hvc1: hvc0 is the vty), virtio-rng and --disk, --share, --net\n"
    "and --vsock are virtio-pci functions on its PCI host bridge.\n"
    "\n"
    "Options:\n"
    "      --machine ppc440|pseries\n"
    "                         the board (default ppc440)\n"
    "      --cpus N           pseries: N vcpus, each on its own host thread (default 1;\n"
    "                         the ppc440 has one)\n"
    "  -k, --kernel FILE      the guest's kernel (required; at most 1 GiB): on the ppc440\n"
    "                         a 32-bit big-endian PowerPC ELF executable, loaded at its\n"
    "                         physical addresses; on pseries as said above\n"
    "  -i, --initrd FILE      initial RAM disk (e.g. a gzipped cpio archive), announced in\n"
    "                         /chosen; ppc440: loaded at 0x1900000 (or the first page\n"
    "                         after the kernel and the device tree); pseries: at the\n"
    "                         first 64 KiB boundary after the kernel\n"
    "  -a, --append CMDLINE   kernel command line: /chosen/bootargs (at most 2047 bytes)\n"
    "      --dtb FILE         boot with this flattened device tree (at most 1 MiB) instead\n"
    "                         of the board's own; only /chosen is edited in it (bootargs\n"
    "                         if --append is given, the initrd)\n"
    "      --dump-dtb FILE    write the device tree the guest would get to FILE and exit\n"
    "                         (decompile it with: dtc -I dtb -O dts FILE)\n"
    "  -m, --memory SIZE      guest RAM: a number of bytes or with a K, M or G suffix,\n"
    "                         e.g. 128M, 256M, 1G, in whole MiB: 32M to 2G on the ppc440,\n"
    "                         128M to 16G on pseries (default 256M)\n"
    "      --decode-cache SIZE  host memory for decoded guest code (at least 1M; default\n"
    "                         32M): the oldest decoded pages make way for new ones, so\n"
    "                         softkvm's memory stays near guest RAM + this whatever the\n"
    "                         guest runs\n"
    "      --jit on|off       compile runs of simple guest instructions to host code as\n"
    "                         they are first run (default on, x86-64 hosts); off only\n"
    "                         interprets: the same results, slower\n"
    "      --halt-poll-ns NS  how long a waiting vcpu may spin before it sleeps (KVM's\n"
    "                         halt polling, adaptive up to NS; default 10000, 0 never):\n"
    "                         longer trades host CPU for I/O latency\n"
    "      --disk FILE[,ro][,cache=writeback|none][,serial=S]\n"
    "                         a virtio-blk disk on the raw image FILE (a regular file,\n"
    "                         sparse or not, or a block device), up to 8: the guest sees\n"
    "                         them as /dev/vda, /dev/vdb, ... in this order (on the\n"
    "                         ppc440 the next virtio-mmio slots). ro: read-only (the\n"
    "                         guest's writes fail); cache=none:\n"
    "                         O_DIRECT, bypassing the host's page cache (default\n"
    "                         writeback: the page cache, with the guest's flushes\n"
    "                         fdatasync'ed); serial=S: up to 20 characters for\n"
    "                         /dev/disk/by-id and /sys/block/vdX/serial. FILE is locked\n"
    "                         (an fcntl OFD lock, shared for ro): a FILE another softkvm\n"
    "                         uses is an error. Commas cannot appear in FILE.\n"
    "      --net user[,hostfwd=PROTO:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT]...[,mac=MAC]\n"
    "      --net tap,ifname=NAME[,mac=MAC]\n"
    "                         add a virtio-net NIC (repeat for more, at most 8; eth0, eth1,\n"
    "                         ... in order; ppc440: the next virtio-mmio slots and UIC0\n"
    "                         inputs;\n"
    "                         default MAC 52:54:00:12:34:56, then :57, ...). user: libslirp\n"
    "                         user-mode networking (DHCP gives 10.0.2.15, the host is\n"
    "                         10.0.2.2, DNS 10.0.2.3); hostfwd (tcp or udp, repeatable)\n"
    "                         forwards a host port to the guest, e.g.\n"
    "                         hostfwd=tcp:127.0.0.1:2222-:22. tap: an existing host TAP device\n"
    "                         (made beforehand: ip tuntap add NAME mode tap)\n"
    "      --vsock CID[,uds=PATH]\n"
    "                         a virtio-vsock device (ppc440: the next virtio-mmio slot)\n"
    "                         giving the guest the context id CID (3 to 4294967294); its host\n"
    "                         end is the Unix socket PATH (default softkvm-vsock-CID.sock\n"
    "                         in the current directory; removed at exit), as Firecracker\n"
    "                         offers it: a host program connects to PATH and writes\n"
    "                         \"CONNECT PORT\\n\", softkvm answers \"OK HOSTPORT\\n\" once\n"
    "                         the guest accepts on PORT; a guest connection to CID 2\n"
    "                         port P goes to the Unix socket PATH_P (listen there first)\n"
    "      --no-reboot        when the guest resets, exit (status 0) instead of rebooting\n"
    "      --no-paravirt      no ePAPR /hypervisor node in the device tree: the guest finds\n"
    "                         no hypercalls and no magic page, and runs as on hardware\n"
    "      --stats            at exit, print the vcpu's exits by type (count, total and\n"
    "                         mean host time), the device access counts and each virtio\n"
    "                         device's requests, bytes, notifications and interrupts on\n"
    "                         stderr (for a disk also its flushes and failed requests)\n"
    "      --share DIR,tag=T[,ro]\n"
    "                         the host directory DIR in the guest (virtio-9p,\n"
    "                         9P2000.L; mount -t 9p -o trans=virtio,version=9p2000.L\n"
    "                         T /mnt): the guest reaches nothing outside DIR (its\n"
    "                         symlinks are never followed on the host); ro answers\n"
    "                         EROFS to every change. Up to 8, each a virtio device in\n"
    "                         the next free slot (--dump-dtb shows where)\n"
    "      --timeout SECONDS  stop the guest after SECONDS (may be fractional) and exit\n"
    "                         with status 4; 0 means no timeout (the default)\n"
    "      --gdb tcp:HOST:PORT  serve the GDB remote protocol there (HOST: an address\n"
    "                         of this machine, 127.0.0.1 if empty; PORT 0 picks a free\n"
    "                         one; the address is printed on stderr). gdb attaching\n"
    "                         stops the guest; see \"Debugging\" below\n"
    "      --gdb-wait         with --gdb: the guest waits for gdb before its first\n"
    "                         instruction\n"
    "  -v, --verbose          more messages on stderr: -v info, -vv debug\n"
    "  -h, --help             show this help and exit\n"
    "\n"
    "The kernel, initrd and dtb must be regular files (not a FIFO, a device or a\n"
    "directory), read whole before the guest starts.\n"
    "\n"
    "Console: guest output (UART0 and hvc0 alike) goes to standard output, standard\n"
    "input to the console the kernel uses: hvc0 if the last console= of --append names\n"
    "it (console=ttyS0 console=hvc0), else UART0.\n"
    "A terminal is put in raw mode (Ctrl-C goes to the guest) and restored at exit.\n"
    "Escape keys: Ctrl-A x exit, Ctrl-A h help, Ctrl-A Ctrl-A send Ctrl-A. Pipes work\n"
    "too: input is sent as it arrives, and its end leaves the guest running. A closed\n"
    "standard input, output or error is taken as /dev/null.\n"
    "\n"
    "Debugging: gdb-multiarch FILE -ex 'target remote HOST:PORT' (FILE: the kernel with\n"
    "its symbols, e.g. vmlinux). Registers: r0-r31, pc, msr, cr, lr, ctr, xer, f0-f31,\n"
    "fpscr (ppc440: 32-bit; pseries: 64-bit, little-endian); memory as the guest sees\n"
    "it now, through its TLB or its SLB and page table (RAM only, not devices);\n"
    "software breakpoints (a breakpoint on an address not mapped yet is planted once\n"
    "the guest maps it, the guest running one instruction at a time until then);\n"
    "single step; Ctrl-C; detach (the guest runs on); kill (softkvm exits with status\n"
    "0). ppc440: hardware breakpoints (hbreak, 4) and watchpoints (watch, 2); pseries:\n"
    "none (watch needs gdb's 'set can-use-hw-watchpoints 0'). With --cpus N each vcpu is\n"
    "a gdb thread (thread 1: vcpu 0); all-stop: one vcpu's breakpoint or step stops all,\n"
    "continue resumes all, stepi steps only the selected thread's vcpu.\n"
    "\n"
    "How a guest ends -- through its devices and its vcpu, never through what it prints:\n"
    "  power-off  writing the board's power-off register (syscon-poweroff in the device\n"
    "             tree, 0x5555 at 0xef701000): Linux's poweroff does that;\n"
    "  halt       its vcpu waits for good: MSR[WE] or a branch to itself with every\n"
    "             interrupt that could wake it disabled (Linux's halt, which prints\n"
    "             \"System Halted, OK to turn off power\" and spins);\n"
    "  reset      DBCR0[RST] (Linux's reboot), the watchdog or syscon-reboot (0x7777 at\n"
    "             0xef701000): reboots the board, or exits with --no-reboot;\n"
    "  panic      its pvpanic device (qemu,pvpanic-mmio at 0xef702000), which Linux's\n"
    "             panic writes: softkvm exits once the kernel resets, halts, or its\n"
    "             console has been quiet for 250 ms (at most 5 s after the panic).\n"
    "\n"
    "Exit status:\n"
    "  0    the guest powered off or halted, reset with --no-reboot, Ctrl-A x, or\n"
    "       gdb's kill\n"
    "  1    error (bad kernel, initrd or dtb file, too little memory, console gone, ...)\n"
    "  2    usage error\n"
    "  3    internal error: the hypervisor cannot continue the guest\n"
    "  4    --timeout expired\n"
    "  5    the guest kernel panicked (its pvpanic device)\n"
    "  130  interrupted by SIGINT; 143 terminated by SIGTERM\n"
    "Any other signal whose default is to end a program (SIGHUP, SIGQUIT, SIGUSR1,\n"
    "SIGUSR2, SIGALRM, SIGSEGV, ...) kills softkvm as it would any program (a shell\n"
    "shows 128 + the signal's number), after putting the terminal back as it was;\n"
    "SIGPIPE is ignored (output to a closed pipe is an error, status 1).\n";

void vmm_cli_help(FILE *out, enum vmm_command command)
{
	fputs(command == VMM_CMD_RUN ? cli_run_help : cli_main_help, out);
}

int vmm_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned long long v;
	const char *u;
	char *end;
	unsigned shift = 0;

	if (!isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		shift = 10 * (unsigned)(u - units + 1);
		end++;
		if (strcasecmp(end, "") && strcasecmp(end, "iB") && strcasecmp(end, "B"))
			return -EINVAL;
	}
	if (v == 0 || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*bytes = (uint64_t)v << shift;
	return 0;
}

int vmm_parse_seconds(const char *s, double *seconds)
{
	char *end;
	double v;

	if (!isdigit((unsigned char)s[0]) && s[0] != '.')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > CLI_MAX_TIMEOUT_S)
		return -EINVAL;
	*seconds = v;
	return 0;
}

/* "DIR,tag=T[,ro]" (DIR itself is checked when the device opens it). */
static int cli_parse_share(const char *arg, struct vmm_share *sh, struct vmm_err *err)
{
	const char *comma = strchr(arg, ',');
	size_t dlen = comma ? (size_t)(comma - arg) : strlen(arg);

	memset(sh, 0, sizeof(*sh));
	if (dlen == 0 || dlen >= sizeof(sh->dir))
		return vmm_err_set(err, -EINVAL, "run: --share '%s': a directory is needed first",
				   arg);
	memcpy(sh->dir, arg, dlen);
	while (comma) {
		const char *opt = comma + 1;
		size_t olen;

		comma = strchr(opt, ',');
		olen = comma ? (size_t)(comma - opt) : strlen(opt);
		if (olen == 2 && !strncmp(opt, "ro", 2)) {
			sh->ro = true;
		} else if (olen > 4 && !strncmp(opt, "tag=", 4) && olen - 4 <= VIRTIO_9P_TAG_MAX) {
			memcpy(sh->tag, opt + 4, olen - 4);
			sh->tag[olen - 4] = 0;
		} else {
			return vmm_err_set(err, -EINVAL,
					   "run: --share '%s': unknown option '%.*s' (tag=T of 1 to "
					   "%u bytes, ro)",
					   arg, (int)olen, opt, VIRTIO_9P_TAG_MAX);
		}
	}
	if (!sh->tag[0])
		return vmm_err_set(err, -EINVAL, "run: --share '%s': tag=T is required", arg);
	return 0;
}

static int cli_parse_run(int argc, char **argv, struct vmm_cli *cli, struct vmm_err *err)
{
	enum {
		OPT_NO_REBOOT = 256,
		OPT_NO_PARAVIRT,
		OPT_STATS,
		OPT_TIMEOUT,
		OPT_DTB,
		OPT_DUMP_DTB,
		OPT_DECODE_CACHE,
		OPT_JIT,
		OPT_HALT_POLL,
		OPT_SHARE,
		OPT_GDB,
		OPT_GDB_WAIT,
		OPT_DISK,
		OPT_NET,
		OPT_VSOCK,
		OPT_MACHINE,
		OPT_CPUS,
	};
	static const struct option options[] = {
	    {"kernel", required_argument, NULL, 'k'},
	    {"initrd", required_argument, NULL, 'i'},
	    {"append", required_argument, NULL, 'a'},
	    {"dtb", required_argument, NULL, OPT_DTB},
	    {"dump-dtb", required_argument, NULL, OPT_DUMP_DTB},
	    {"memory", required_argument, NULL, 'm'},
	    {"decode-cache", required_argument, NULL, OPT_DECODE_CACHE},
	    {"jit", required_argument, NULL, OPT_JIT},
	    {"halt-poll-ns", required_argument, NULL, OPT_HALT_POLL},
	    {"no-reboot", no_argument, NULL, OPT_NO_REBOOT},
	    {"no-paravirt", no_argument, NULL, OPT_NO_PARAVIRT},
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"disk", required_argument, NULL, OPT_DISK},
	    {"timeout", required_argument, NULL, OPT_TIMEOUT},
	    {"share", required_argument, NULL, OPT_SHARE},
	    {"gdb", required_argument, NULL, OPT_GDB},
	    {"gdb-wait", no_argument, NULL, OPT_GDB_WAIT},
	    {"net", required_argument, NULL, OPT_NET},
	    {"vsock", required_argument, NULL, OPT_VSOCK},
	    {"machine", required_argument, NULL, OPT_MACHINE},
	    {"cpus", required_argument, NULL, OPT_CPUS},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	optind = 0; /* glibc: start afresh */
	while ((c = getopt_long(argc, argv, "+:k:i:a:m:vh", options, NULL)) != -1) {
		switch (c) {
		case 'k':
			cli->kernel = optarg;
			break;
		case 'i':
			cli->initrd = optarg;
			break;
		case 'a':
			cli->append = optarg;
			break;
		case OPT_DTB:
			cli->dtb = optarg;
			break;
		case OPT_DUMP_DTB:
			cli->dump_dtb = optarg;
			break;
		case OPT_MACHINE:
			if (!strcmp(optarg, "ppc440"))
				cli->machine = VMM_MACHINE_PPC440;
			else if (!strcmp(optarg, "pseries"))
				cli->machine = VMM_MACHINE_PSERIES;
			else
				return vmm_err_set(err, -EINVAL,
						   "run: unknown machine '%s' (ppc440 or pseries)",
						   optarg);
			break;
		case OPT_CPUS: {
			char *end;
			unsigned long n = strtoul(optarg, &end, 10);

			if (!*optarg || *end || n < 1 || n > PSERIES_MAX_CPUS)
				return vmm_err_set(err, -EINVAL, "run: bad --cpus '%s' (1 to %u)",
						   optarg, PSERIES_MAX_CPUS);
			cli->cpus = (unsigned)n;
			break;
		}
		case 'm':
			cli->memory_given = true;
			if (vmm_parse_size(optarg, &cli->memory))
				return vmm_err_set(err, -EINVAL,
						   "run: bad memory size '%s' (e.g. 256M, 1G)",
						   optarg);
			break;
		case OPT_DECODE_CACHE:
			if (vmm_parse_size(optarg, &cli->decode_cache) ||
			    cli->decode_cache < CLI_MIN_DECODE_CACHE)
				return vmm_err_set(
				    err, -EINVAL,
				    "run: bad decode cache size '%s' (at least 1M, e.g. 32M)", optarg);
			break;
		case OPT_JIT:
			if (strcmp(optarg, "on") && strcmp(optarg, "off"))
				return vmm_err_set(err, -EINVAL, "run: bad --jit '%s' (on or off)",
						   optarg);
			cli->jit = !strcmp(optarg, "on");
			break;
		case OPT_HALT_POLL: {
			char *end;
			unsigned long long ns;

			errno = 0;
			ns = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-' || ns > UINT32_MAX)
				return vmm_err_set(err, -EINVAL,
						   "run: bad --halt-poll-ns '%s' (0 to %u)", optarg,
						   UINT32_MAX);
			cli->halt_poll_ns = (int64_t)ns;
			break;
		}
		case OPT_DISK:
			if (cli->nr_disks == VIRTIO_BLK_MAX_DISKS)
				return vmm_err_set(err, -EINVAL, "run: at most %u --disk",
						   VIRTIO_BLK_MAX_DISKS);
			if (virtio_blk_parse(optarg, &cli->disks[cli->nr_disks], err))
				return -EINVAL;
			cli->nr_disks++;
			break;
		case OPT_NO_REBOOT:
			cli->no_reboot = true;
			break;
		case OPT_NO_PARAVIRT:
			cli->no_paravirt = true;
			break;
		case OPT_STATS:
			cli->stats = true;
			break;
		case OPT_TIMEOUT:
			if (vmm_parse_seconds(optarg, &cli->timeout_s))
				return vmm_err_set(
				    err, -EINVAL, "run: bad timeout '%s' (seconds, e.g. 10 or 0.5)",
				    optarg);
			break;
		case OPT_SHARE:
			if (cli->nr_shares == VMM_MAX_SHARES)
				return vmm_err_set(err, -EINVAL, "run: at most %u --share options",
						   VMM_MAX_SHARES);
			if (cli_parse_share(optarg, &cli->share[cli->nr_shares], err))
				return -EINVAL;
			cli->nr_shares++;
			break;
		case OPT_GDB: {
			struct vmm_gdb_address a;

			if (vmm_gdb_parse_address(optarg, &a, err))
				return -EINVAL;
			cli->gdb = optarg;
			break;
		}
		case OPT_GDB_WAIT:
			cli->gdb_wait = true;
			break;
		case OPT_NET:
			if (cli->nr_net == NET_MAX_NICS)
				return vmm_err_set(err, -EINVAL, "run: at most %d --net",
						   NET_MAX_NICS);
			if (net_parse_opts(optarg, cli->nr_net, &cli->net[cli->nr_net], err))
				return -EINVAL;
			cli->nr_net++;
			break;
		case OPT_VSOCK:
			if (cli->vsock)
				return vmm_err_set(err, -EINVAL, "run: at most one --vsock");
			if (vsock_parse_opts(optarg, &cli->vsock_opts, err))
				return -EINVAL;
			cli->vsock = &cli->vsock_opts;
			break;
		case 'v':
			cli->verbose++;
			break;
		case 'h':
			cli->help = true;
			return 0;
		case ':':
			return vmm_err_set(err, -EINVAL, "run: option '%s' needs an argument",
					   argv[optind - 1]);
		default:
			if (optopt && strncmp(argv[optind - 1], "--", 2))
				return vmm_err_set(err, -EINVAL, "run: unknown option '-%c'",
						   optopt);
			return vmm_err_set(err, -EINVAL, "run: unknown option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind < argc)
		return vmm_err_set(err, -EINVAL, "run: unexpected argument '%s'", argv[optind]);
	if (!cli->kernel)
		return vmm_err_set(err, -EINVAL, "run: --kernel FILE is required");
	if (cli->gdb_wait && !cli->gdb)
		return vmm_err_set(err, -EINVAL, "run: --gdb-wait needs --gdb tcp:HOST:PORT");
	if (cli->machine == VMM_MACHINE_PSERIES) {
		if (!cli->memory_given)
			cli->memory = PSERIES_RAM_DEFAULT;
	} else if (cli->cpus > 1) {
		return vmm_err_set(err, -EINVAL, "run: the ppc440 board has one vcpu (--cpus 1)");
	}
	if (!cli->cpus)
		cli->cpus = 1;
	return 0;
}

int vmm_cli_parse(int argc, char **argv, struct vmm_cli *cli, struct vmm_err *err)
{
	memset(cli, 0, sizeof(*cli));
	cli->memory = PPC440_RAM_DEFAULT;
	cli->halt_poll_ns = -1;
	cli->jit = -1;

	if (argc < 2)
		return vmm_err_set(err, -EINVAL, "missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		cli->help = true;
		return 0;
	}
	if (!strcmp(argv[1], "run")) {
		cli->command = VMM_CMD_RUN;
		return cli_parse_run(argc - 1, argv + 1, cli, err);
	}
	if (argv[1][0] == '-')
		return vmm_err_set(err, -EINVAL, "unknown option '%s'", argv[1]);
	return vmm_err_set(err, -EINVAL, "unknown command '%s'", argv[1]);
}
