// SPDX-License-Identifier: MIT
/* Exit statistics (see stats.h). */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>

struct stats_row {
	const char *name;
	struct skvm_exit_stat s;
};

static int stats_by_count(const void *a, const void *b)
{
	const struct stats_row *x = a, *y = b;

	if (x->s.count != y->s.count)
		return x->s.count < y->s.count ? 1 : -1;
	return x->s.total_ns < y->s.total_ns ? 1 : x->s.total_ns > y->s.total_ns ? -1 : 0;
}

static void stats_bus(FILE *out, const struct vmm_bus *bus)
{
	const struct vmm_bus_stats *s = &bus->stats;

	for (size_t i = 0; i < bus->nr; i++) {
		const struct vmm_region *r = &bus->regions[i];

		if (r->reads || r->writes)
			fprintf(out,
				"  %-4s %-10s 0x%08" PRIx64 " %12" PRIu64 " reads %12" PRIu64
				" writes\n",
				bus->name, r->ops->name, r->base, r->reads, r->writes);
	}
	for (size_t i = 0; i < bus->nr; i++)
		if (bus->regions[i].ops->stats)
			bus->regions[i].ops->stats(bus->regions[i].opaque, out);
	if (s->unclaimed_reads || s->unclaimed_writes || s->rejected)
		fprintf(out,
			"  %-4s unclaimed: %" PRIu64 " reads, %" PRIu64
			" writes; illegal size: %" PRIu64 "\n",
			bus->name, s->unclaimed_reads, s->unclaimed_writes, s->rejected);
}

/* KVM's halt-polling statistics, when the vcpu waited at all */
static void stats_halt_poll(FILE *out, struct skvm_vcpu *vcpu)
{
	struct skvm_halt_stats h;

	skvm_vcpu_get_halt_stats(vcpu, &h);
	if (!h.attempted_poll && !h.wait_ns)
		return;
	fprintf(out,
		"  halt polls: %" PRIu64 " of %" PRIu64 " ended without sleeping (%.3f ms polled "
		"then, %.3f ms polled in vain); %.3f ms slept\n",
		h.successful_poll, h.attempted_poll, (double)h.poll_success_ns / 1e6,
		(double)h.poll_fail_ns / 1e6, (double)h.wait_ns / 1e6);
}

static void stats_decode_cache(FILE *out, struct skvm_vm *vm)
{
	struct skvm_vm_stats st;

	skvm_vm_get_stats(vm, &st);
	fprintf(out,
		"  decoded code: %" PRIu64 " pages (%.1f MiB) of at most %" PRIu64
		"; %" PRIu64 " decoded, %" PRIu64 " evicted\n",
		st.decode_pages, (double)(st.decode_pages * st.decode_page_bytes) / (1 << 20),
		st.decode_max_pages, st.decode_created, st.decode_evicted);
	if (st.compiled_runs)
		fprintf(out,
			"  compiled runs: %" PRIu64 " (%" PRIu64 " instructions), %.1f MiB of host code"
			" held, %" PRIu64 " full-region resets\n",
			st.compiled_runs, st.compiled_insns, (double)st.compiled_bytes / (1 << 20),
			st.compiled_resets);
}

void vmm_stats_print(FILE *out, struct vmm_machine *m, double wall_s)
{
	struct skvm_exit_stat stats[SKVM_EXITS_NR];
	struct stats_row rows[SKVM_EXITS_NR];
	size_t n = 0;
	uint64_t total = 0, exit_ns = 0;

	skvm_vcpu_get_exit_stats(m->vcpu, stats);
	for (int i = 0; i < SKVM_EXITS_NR; i++) {
		if (i == SKVM_EXITS_TIMEINGUEST || (!stats[i].count && !stats[i].total_ns))
			continue;
		rows[n].name = skvm_exit_type_name((enum skvm_exit_type)i);
		rows[n].s = stats[i];
		total += stats[i].count;
		exit_ns += stats[i].total_ns;
		n++;
	}
	qsort(rows, n, sizeof(rows[0]), stats_by_count);

	fprintf(out, "softkvm: vcpu 0 exits (%.3f s wall, %u reboot(s))\n", wall_s, m->reboots);
	fprintf(out, "  %-20s %12s %7s %12s %10s\n", "exit", "count", "%", "total ms", "mean us");
	for (size_t i = 0; i < n; i++) {
		const struct skvm_exit_stat *s = &rows[i].s;
		double pct = total ? 100.0 * (double)s->count / (double)total : 0.0;
		double mean_us = s->count ? (double)s->total_ns / (double)s->count / 1e3 : 0.0;

		fprintf(out, "  %-20s %12" PRIu64 " %7.2f %12.3f %10.3f\n", rows[i].name, s->count,
			pct, (double)s->total_ns / 1e6, mean_us);
	}
	fprintf(out, "  %-20s %12" PRIu64 "\n", "total", total);
	if (stats[SKVM_EXITS_TIMEINGUEST].total_ns)
		fprintf(out, "  time in guest %.3f ms, in exits %.3f ms\n",
			(double)stats[SKVM_EXITS_TIMEINGUEST].total_ns / 1e6,
			(double)exit_ns / 1e6);
	stats_halt_poll(out, m->vcpu);
	stats_bus(out, &m->mmio);
	stats_bus(out, &m->dcr);
	stats_decode_cache(out, m->vm);
}
