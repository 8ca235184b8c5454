/* SPDX-License-Identifier: MIT */
/* --stats: the vcpu's exits by type (count, total and mean host time, as kvm_stat and the
 * seeds' exit timing show them) and the buses' counters, as a table for main() to print. */
#ifndef VMM_STATS_H
#define VMM_STATS_H

#include <stdio.h>

#include "machine.h"

void vmm_stats_print(FILE *out, struct vmm_machine *m, double wall_s);

#endif
