/* SPDX-License-Identifier: MIT */
/* The VM's statistics (skvm_vm_get_stats) from its code cache's, one way for both VM types
 * (the 64-bit core's cache is a build of its own, so each side asks its own cache). */
#ifndef SOFTKVM_KVM_VM_STATS_H
#define SOFTKVM_KVM_VM_STATS_H

#include <stddef.h>

#include <softkvm/skvm.h>

#include "cpu/cpu.h"

static inline void kvm_vm_stats_of(const struct cpu_code_cache_stats *cs, size_t page_bytes,
				   struct skvm_vm_stats *st)
{
	*st = (struct skvm_vm_stats){.decode_pages = cs->pages,
				     .decode_max_pages = cs->max_pages,
				     .decode_page_bytes = page_bytes,
				     .decode_created = cs->created,
				     .decode_evicted = cs->evicted,
				     .compiled_runs = cs->runs,
				     .compiled_insns = cs->run_insns,
				     .compiled_bytes = cs->run_bytes,
				     .compiled_resets = cs->run_resets};
}

#endif
