/* SPDX-License-Identifier: MIT */
/* An interrupt line: what a device drives and an interrupt controller (or the vcpu's external
 * and critical inputs) receives. Levels only; the receiver decides whether it latches edges.
 */
#ifndef VMM_IRQ_H
#define VMM_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct vmm_irq {
	/* 0 or a negative errno (a host failure, e.g. the hypervisor refused the input). */
	int (*set)(void *opaque, unsigned line, bool level);
	void *opaque;
	unsigned line;
	/* How the device tree names this line, for the device's fdt hook: the controller's
	 * phandle (0: not in the tree) and the sense cell of a two-cell specifier
	 * <line sense> (#interrupt-cells = 2, as the 4xx UIC and most controllers use). */
	uint32_t fdt_parent;
	uint32_t fdt_sense;
};

/* Sense cells of a two-cell interrupt specifier (Linux's IRQ_TYPE_*). */
#define VMM_IRQ_TYPE_EDGE_RISING  1
#define VMM_IRQ_TYPE_LEVEL_HIGH	  4
#define VMM_IRQ_TYPE_LEVEL_LOW	  8

/* Drives the line; an unconnected line (set == NULL) goes nowhere. */
static inline int vmm_irq_set(const struct vmm_irq *irq, bool level)
{
	return irq->set ? irq->set(irq->opaque, irq->line, level) : 0;
}

#endif
