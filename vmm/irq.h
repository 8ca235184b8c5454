/* An interrupt line: what a device drives and an interrupt controller (or the vcpu's external
 * and critical inputs) receives. Levels only; the receiver decides whether it latches edges.
 */
#ifndef VMM_IRQ_H
#define VMM_IRQ_H

#include <stdbool.h>

struct vmm_irq {
	/* 0 or a negative errno (a host failure, e.g. the hypervisor refused the input). */
	int (*set)(void *opaque, unsigned line, bool level);
	void *opaque;
	unsigned line;
};

/* Drives the line; an unconnected line (set == NULL) goes nowhere. */
static inline int vmm_irq_set(const struct vmm_irq *irq, bool level)
{
	return irq->set ? irq->set(irq->opaque, irq->line, level) : 0;
}

#endif
