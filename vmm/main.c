// SPDX-License-Identifier: MIT
/* softkvm: the command. Parses the command line, builds the board, runs the vcpu loop and
 * turns how the run ended into a message and an exit status. The only place that prints
 * results and exits. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boards/ppc440.h"
#include "boards/pseries.h"
#include "cli.h"
#include "console.h"
#include "devtree.h"
#include "gdbstub.h"
#include "log.h"
#include "stats.h"
#include "vcpu_loop.h"
#include "watchdog.h"

enum {
	EXIT_GUEST_DONE = 0,
	EXIT_ERROR = 1,
	EXIT_USAGE = 2,
	EXIT_INTERNAL = 3,
	EXIT_TIMEOUT = 4,
	EXIT_PANIC = 5,
};

static double main_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The watchdog's last resort, in its thread: the vcpu did not leave skvm_vcpu_run. _exit
 * skips atexit, so the terminal is restored here. */
static void main_stuck(void *opaque, enum vmm_watchdog_reason reason, int signo)
{
	const struct vmm_cli *cli = opaque;

	vmm_console_restore_terminal();
	if (reason == VMM_WATCHDOG_TIMEOUT) {
		pr_err("timeout after %g s (the vcpu did not stop)", cli->timeout_s);
		_exit(EXIT_TIMEOUT);
	}
	pr_err("%s: the vcpu did not stop, exiting", strsignal(signo));
	_exit(128 + signo);
}

/* SIGINT or SIGTERM before the guest runs (a slow file, --dump-dtb into a FIFO nobody
 * reads): no thread, no raw terminal and nothing to flush yet, so exit at once with the
 * status a run would give. In signal context: write(2) of fixed text, then _exit. */
static void main_interrupted_early(int signo)
{
	static const char intr[] = "softkvm: interrupted by SIGINT\n";
	static const char term[] = "softkvm: interrupted by SIGTERM\n";

	vmm_console_restore_terminal();
	if (signo == SIGINT)
		(void)!write(STDERR_FILENO, intr, sizeof(intr) - 1);
	else
		(void)!write(STDERR_FILENO, term, sizeof(term) - 1);
	_exit(128 + signo);
}

static int main_stop_status(const struct vmm_cli *cli, const struct vmm_stop *stop)
{
	char buf[32];

	switch (stop->reason) {
	case VMM_STOP_SHUTDOWN:
		pr_info("guest powered off");
		return EXIT_GUEST_DONE;
	case VMM_STOP_HALTED:
		pr_info("guest halted at pc=0x%08" PRIx64 " (nothing can wake its vcpu)", stop->pc);
		return EXIT_GUEST_DONE;
	case VMM_STOP_RESET:
		pr_info("guest reset (--no-reboot)");
		return EXIT_GUEST_DONE;
	case VMM_STOP_INTERNAL_ERROR:
		pr_err("internal error: %s at pc=0x%08" PRIx64 " insn=0x%08" PRIx32,
		       vmm_internal_error_name(stop->suberror, buf, sizeof(buf)), stop->pc,
		       stop->insn);
		return EXIT_INTERNAL;
	case VMM_STOP_TIMEOUT:
		pr_err("timeout after %g s", cli->timeout_s);
		return EXIT_TIMEOUT;
	case VMM_STOP_SIGNAL:
		pr_err("interrupted by %s", stop->signo == SIGINT ? "SIGINT" : "SIGTERM");
		return 128 + stop->signo;
	case VMM_STOP_QUIT:
		pr_info("quit (Ctrl-A x)");
		return EXIT_GUEST_DONE;
	case VMM_STOP_PANIC:
		pr_err("guest kernel panic");
		return EXIT_PANIC;
	case VMM_STOP_GDB_KILL:
		pr_info("killed from gdb");
		return EXIT_GUEST_DONE;
	}
	return EXIT_ERROR;
}

/* What the console and the watchdog wake: the vcpu, in the guest or parked for gdb. */
struct main_kick {
	struct skvm_vcpu *vcpu;
	struct vmm_gdb *gdb;
};

/* From the console's or the watchdog's thread: the vcpu loop looks at the console (Ctrl-A
 * x, its quiet watch), the UART and the watchdog's reason. */
static void main_kick(void *opaque)
{
	const struct main_kick *k = opaque;

	skvm_vcpu_kick(k->vcpu);
	if (k->gdb)
		vmm_gdb_wake(k->gdb);
}

static int main_dump_dtb(const struct vmm_cli *cli, struct vmm_machine *m)
{
	struct vmm_err err = {""};

	if (vmm_fdt_write_file(m->fdt, cli->dump_dtb, &err)) {
		pr_err("%s", err.msg);
		return EXIT_ERROR;
	}
	pr_info("device tree written to %s", cli->dump_dtb);
	return EXIT_GUEST_DONE;
}

/* The board the command line names. */
static int main_create(const struct vmm_cli *cli, struct vmm_console *console,
		       struct vmm_machine **m, struct vmm_err *err)
{
	struct ppc440_config cfg = {
	    .kernel = cli->kernel,
	    .initrd = cli->initrd,
	    .cmdline = cli->append,
	    .dtb = cli->dtb,
	    .ram_size = cli->memory,
	    .shares = cli->share,
	    .nr_shares = cli->nr_shares,
	    .disks = cli->disks,
	    .nr_disks = cli->nr_disks,
	    .net = cli->net,
	    .nr_net = cli->nr_net,
	    .no_paravirt = cli->no_paravirt,
	    .vsock = cli->vsock,
	};
	struct pseries_config ps = {
	    .kernel = cli->kernel,
	    .initrd = cli->initrd,
	    .cmdline = cli->append,
	    .dtb = cli->dtb,
	    .ram_size = cli->memory,
	    .nr_cpus = cli->cpus,
	    .no_paravirt = cli->no_paravirt,
	    .disks = cli->disks,
	    .nr_disks = cli->nr_disks,
	    .shares = cli->share,
	    .nr_shares = cli->nr_shares,
	    .net = cli->net,
	    .nr_net = cli->nr_net,
	    .vsock = cli->vsock,
	};

	if (cli->machine == VMM_MACHINE_PSERIES)
		return pseries_create(&ps, console, m, err);
	return ppc440_create(&cfg, console, m, err);
}

/* The VM's tunables the options ask for (decode cache, halt polling, exit timing), before it
 * runs; non-zero (the message printed) when one cannot be set. */
static int main_tune_vm(const struct vmm_cli *cli, struct vmm_machine *m)
{
	int rc = 0;

	if (cli->decode_cache) {
		struct skvm_enable_cap cap = {.cap = SKVM_CAP_DECODE_CACHE_BYTES,
					      .args = {cli->decode_cache}};

		rc = skvm_vm_enable_cap(m->vm, &cap);
		if (rc) {
			pr_err("cannot set the decode cache to %" PRIu64 " bytes: %s",
			       cli->decode_cache, strerror(-rc));
			return rc;
		}
	}
	if (cli->jit >= 0) {
		struct skvm_enable_cap cap = {.cap = SKVM_CAP_COMPILED_RUNS, .args = {(uint64_t)cli->jit}};

		rc = skvm_vm_enable_cap(m->vm, &cap);
		if (rc) {
			pr_err("cannot turn compiled runs %s: %s", cli->jit ? "on" : "off",
			       strerror(-rc));
			return rc;
		}
	}
	if (cli->halt_poll_ns >= 0) {
		struct skvm_enable_cap cap = {.cap = SKVM_CAP_HALT_POLL,
					      .args = {(uint64_t)cli->halt_poll_ns}};

		rc = skvm_vm_enable_cap(m->vm, &cap);
		if (rc) {
			pr_err("cannot set halt polling to %" PRId64 " ns: %s", cli->halt_poll_ns,
			       strerror(-rc));
			return rc;
		}
	}
	if (cli->stats) {
		rc = skvm_vcpu_enable_cap(m->vcpu, SKVM_CAP_EXIT_TIMING, 1);
		if (rc)
			pr_warn("exit timing unavailable (%s): --stats shows counts only",
				strerror(-rc));
	}
	return 0;
}

static int main_run(const struct vmm_cli *cli)
{
	struct main_kick kick = {0};
	struct vmm_watchdog wd = {.kick = main_kick,
				  .kick_opaque = &kick,
				  .timeout_s = cli->timeout_s,
				  .stuck = main_stuck,
				  .stuck_opaque = (void *)cli};
	struct vmm_machine *m = NULL;
	struct vmm_console console;
	struct vmm_run_opts opts = {.no_reboot = cli->no_reboot, .console = &console};
	struct vmm_stop stop;
	struct vmm_err err = {""};
	double start;
	int rc, status;

	rc = vmm_signals_catch(main_interrupted_early);
	if (rc) {
		pr_err("cannot catch SIGINT and SIGTERM: %s", strerror(-rc));
		return EXIT_ERROR;
	}
	/* A closed stdout must end the run with an error, not kill us silently. */
	signal(SIGPIPE, SIG_IGN);

	vmm_console_init(&console, STDIN_FILENO, STDOUT_FILENO);
	rc = main_create(cli, &console, &m, &err);
	if (rc) {
		pr_err("%s", err.msg);
		vmm_console_destroy(&console);
		return EXIT_ERROR;
	}
	if (cli->dump_dtb) {
		status = main_dump_dtb(cli, m);
		m->ops->destroy(m);
		vmm_console_destroy(&console);
		return status;
	}
	if (main_tune_vm(cli, m)) {
		m->ops->destroy(m);
		vmm_console_destroy(&console);
		return EXIT_ERROR;
	}
	rc = m->ops->reset(m, &err);
	/* From here the watchdog ends the run on SIGINT and SIGTERM. Before any thread
	 * exists, so that every thread inherits the mask. */
	if (!rc) {
		rc = vmm_signals_block();
		if (rc)
			vmm_err_set(&err, rc, "cannot block signals: %s", strerror(-rc));
	}
	kick.vcpu = m->vcpu;
	if (!rc && cli->gdb) {
		rc = vmm_gdb_start(cli->gdb, cli->gdb_wait, m, &kick.gdb, &err);
		m->gdb = kick.gdb;
	}
	if (!rc)
		rc = vmm_watchdog_start(&wd, &err);
	if (!rc) {
		rc = vmm_console_start(&console, main_kick, &kick, &err);
		if (rc)
			vmm_watchdog_stop(&wd);
	}
	if (rc) {
		pr_err("%s", err.msg);
		vmm_gdb_stop(kick.gdb, EXIT_ERROR);
		m->ops->destroy(m);
		vmm_gdb_free(kick.gdb);
		vmm_console_destroy(&console);
		return EXIT_ERROR;
	}
	if (kick.gdb)
		pr_notice("gdb: listening on %s%s", vmm_gdb_address(kick.gdb),
			  cli->gdb_wait ? "; the guest starts when gdb continues it" : "");

	start = main_now();
	rc = vmm_vcpu_loop(m, &opts, &wd, &stop, &err);
	/* Guest output first, the terminal back, then our messages. */
	vmm_console_stop(&console);
	vmm_watchdog_stop(&wd);
	if (cli->stats)
		vmm_stats_print(stderr, m, main_now() - start);
	if (rc) {
		pr_err("%s", err.msg);
		status = EXIT_ERROR;
	} else {
		status = main_stop_status(cli, &stop);
	}
	vmm_gdb_stop(kick.gdb, status); /* a gdb waiting for a stop learns of the exit */
	m->ops->destroy(m);		/* its vcpu threads gone, nothing uses the stub */
	vmm_gdb_free(kick.gdb);
	vmm_console_destroy(&console);
	return status;
}

/* Started with fd 0, 1 or 2 closed, the next descriptor we create (the watchdog's eventfd,
 * the console's, a file being loaded) would take its number, and the guest's console output
 * would be written into it. /dev/null takes every closed one first: no input, output
 * discarded. Before anything else opens a descriptor. */
static int main_open_std_fds(void)
{
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* The lower ones are open, so this takes fd itself. */
		nfd = open("/dev/null", O_RDWR);
		if (nfd < 0)
			return -errno;
		if (nfd != fd) {
			close(nfd);
			return -EBADF;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vmm_cli cli;
	struct vmm_err err = {""};
	int level, rc;

	rc = main_open_std_fds();
	if (rc) {
		pr_err("cannot open /dev/null for a closed standard descriptor: %s", strerror(-rc));
		return EXIT_ERROR;
	}
	if (vmm_cli_parse(argc, argv, &cli, &err)) {
		/* One line, the hint included. */
		pr_err("%s (see 'softkvm%s --help')", err.msg,
		       cli.command == VMM_CMD_RUN ? " run" : "");
		return EXIT_USAGE;
	}
	if (cli.help) {
		vmm_cli_help(stdout, cli.command);
		return EXIT_GUEST_DONE;
	}
	level = VMM_LOG_WARN + cli.verbose;
	vmm_log_set_level(level > VMM_LOG_DEBUG ? VMM_LOG_DEBUG : (enum vmm_log_level)level);
	return main_run(&cli);
}
