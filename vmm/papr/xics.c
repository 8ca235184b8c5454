// SPDX-License-Identifier: MIT
/* XICS (see xics.h). The ICP and ICS halves call each other: a source is presented to its
 * server (icp_present), an ICP that cannot take it rejects it back (ics_reject), and an ICP
 * that becomes free asks every source to send again (ics_resend). */
#include "papr/xics.h"

#include <errno.h>
#include <string.h>

#include "papr/papr.h"

#define CPPR(xirr) ((uint8_t)((xirr) >> 24))
#define XISR(xirr) ((xirr)&XICS_XISR_MASK)

static void icp_update_output(struct xics *x, unsigned server)
{
	struct xics_icp *icp = &x->icp[server];
	bool level = XISR(icp->xirr) != 0;

	if (level != icp->output) {
		icp->output = level;
		x->output(x->opaque, server, level);
	}
}

static struct xics_source *ics_source(struct xics *x, uint32_t irq)
{
	if (irq < XICS_IRQ_BASE || irq - XICS_IRQ_BASE >= x->nr_sources)
		return NULL;
	return &x->src[irq - XICS_IRQ_BASE];
}

/* The ICP gave the source back (a more favoured interrupt took its place): it will be sent
 * again when the ICP asks for resends. */
static void ics_reject(struct xics *x, uint32_t irq)
{
	struct xics_source *s = ics_source(x, irq);

	if (s)
		s->sent = false;
}

static void icp_present(struct xics *x, uint32_t irq, unsigned server, uint8_t priority);

/* A level source sends while its line is asserted, it is unmasked and not already sent. */
static void ics_resend_one(struct xics *x, uint32_t irq)
{
	struct xics_source *s = ics_source(x, irq);

	if (s->priority != XICS_PRIO_MASKED && s->asserted && !s->sent &&
	    s->server < x->nr_servers) {
		s->sent = true;
		icp_present(x, irq, s->server, s->priority);
	}
}

static void ics_resend(struct xics *x)
{
	for (unsigned i = 0; i < x->nr_sources; i++)
		ics_resend_one(x, XICS_IRQ_BASE + i);
}

/* Offer irq at priority to server: taken if more favoured than both the CPPR and what the
 * ICP already holds, which is then rejected; else rejected itself. */
static void icp_present(struct xics *x, uint32_t irq, unsigned server, uint8_t priority)
{
	struct xics_icp *icp = &x->icp[server];

	if (priority >= CPPR(icp->xirr) ||
	    (XISR(icp->xirr) && icp->pending_priority <= priority)) {
		ics_reject(x, irq);
		return;
	}
	if (XISR(icp->xirr))
		ics_reject(x, XISR(icp->xirr));
	icp->xirr = (icp->xirr & ~XICS_XISR_MASK) | irq;
	icp->pending_priority = priority;
	icp_update_output(x, server);
}

/* The IPI (MFRR) against what the ICP holds. */
static void icp_check_ipi(struct xics *x, unsigned server)
{
	struct xics_icp *icp = &x->icp[server];

	if (XISR(icp->xirr) && icp->pending_priority <= icp->mfrr)
		return;
	if (XISR(icp->xirr) && XISR(icp->xirr) != XICS_IPI)
		ics_reject(x, XISR(icp->xirr));
	icp->xirr = (icp->xirr & ~XICS_XISR_MASK) | XICS_IPI;
	icp->pending_priority = icp->mfrr;
	icp_update_output(x, server);
}

/* The ICP can take more: the IPI if it is favoured enough, then every source. */
static void icp_resend(struct xics *x, unsigned server)
{
	struct xics_icp *icp = &x->icp[server];

	if (icp->mfrr < CPPR(icp->xirr))
		icp_check_ipi(x, server);
	ics_resend(x);
}

static void icp_set_cppr(struct xics *x, unsigned server, uint8_t cppr)
{
	struct xics_icp *icp = &x->icp[server];
	uint8_t old = CPPR(icp->xirr);

	icp->xirr = (icp->xirr & XICS_XISR_MASK) | (uint32_t)cppr << 24;
	if (cppr < old) {
		/* more favoured: what is presented may no longer qualify */
		if (XISR(icp->xirr) && cppr <= icp->pending_priority) {
			uint32_t irq = XISR(icp->xirr);

			icp->xirr &= ~XICS_XISR_MASK;
			icp->pending_priority = XICS_PRIO_MASKED;
			icp_update_output(x, server);
			if (irq != XICS_IPI)
				ics_reject(x, irq);
		}
	} else if (!XISR(icp->xirr)) {
		icp_resend(x, server);
	}
}

int xics_init(struct xics *x, unsigned nr_servers, unsigned nr_sources,
	      void (*output)(void *opaque, unsigned server, bool level), void *opaque)
{
	if (!nr_servers || nr_servers > XICS_MAX_SERVERS || !nr_sources ||
	    nr_sources > XICS_MAX_SOURCES || !output)
		return -EINVAL;
	memset(x, 0, sizeof(*x));
	pthread_mutex_init(&x->lock, NULL);
	x->nr_servers = nr_servers;
	x->nr_sources = nr_sources;
	x->output = output;
	x->opaque = opaque;
	xics_reset(x);
	return 0;
}

void xics_destroy(struct xics *x)
{
	pthread_mutex_destroy(&x->lock);
}

void xics_reset(struct xics *x)
{
	pthread_mutex_lock(&x->lock);
	for (unsigned i = 0; i < x->nr_servers; i++) {
		struct xics_icp *icp = &x->icp[i];

		icp->xirr = 0;
		icp->mfrr = XICS_PRIO_MASKED;
		icp->pending_priority = XICS_PRIO_MASKED;
		icp_update_output(x, i);
	}
	for (unsigned i = 0; i < x->nr_sources; i++) {
		struct xics_source *s = &x->src[i];

		s->server = 0;
		s->priority = XICS_PRIO_MASKED;
		s->saved_priority = XICS_PRIO_MASKED;
		s->sent = false;
	}
	pthread_mutex_unlock(&x->lock);
}

int xics_set_irq(struct xics *x, uint32_t irq, bool level)
{
	struct xics_source *s;
	int rc = 0;

	pthread_mutex_lock(&x->lock);
	s = ics_source(x, irq);
	if (!s) {
		rc = -EINVAL;
	} else {
		s->asserted = level;
		ics_resend_one(x, irq);
	}
	pthread_mutex_unlock(&x->lock);
	return rc;
}

long xics_h_cppr(struct xics *x, unsigned server, uint64_t cppr)
{
	pthread_mutex_lock(&x->lock);
	icp_set_cppr(x, server, (uint8_t)cppr);
	pthread_mutex_unlock(&x->lock);
	return SKVM_H_SUCCESS;
}

long xics_h_ipi(struct xics *x, uint64_t server, uint64_t mfrr)
{
	struct xics_icp *icp;

	if (server >= x->nr_servers)
		return SKVM_H_PARAMETER;
	pthread_mutex_lock(&x->lock);
	icp = &x->icp[server];
	icp->mfrr = (uint8_t)mfrr;
	if (icp->mfrr < CPPR(icp->xirr))
		icp_check_ipi(x, (unsigned)server);
	pthread_mutex_unlock(&x->lock);
	return SKVM_H_SUCCESS;
}

/* Accept: the presented interrupt's priority becomes the CPPR; the ICP holds nothing. With
 * nothing presented the CPPR stays (as KVM's book3s_xics.c; QEMU would set it to 0xff). */
long xics_h_xirr(struct xics *x, unsigned server, uint64_t *xirr)
{
	struct xics_icp *icp;

	pthread_mutex_lock(&x->lock);
	icp = &x->icp[server];
	*xirr = icp->xirr;
	if (XISR(icp->xirr))
		icp->xirr = (uint32_t)icp->pending_priority << 24;
	icp->pending_priority = XICS_PRIO_MASKED;
	icp_update_output(x, server);
	pthread_mutex_unlock(&x->lock);
	return SKVM_H_SUCCESS;
}

long xics_h_ipoll(struct xics *x, uint64_t server, uint64_t *xirr, uint64_t *mfrr)
{
	if (server >= x->nr_servers)
		return SKVM_H_PARAMETER;
	pthread_mutex_lock(&x->lock);
	*xirr = x->icp[server].xirr;
	*mfrr = x->icp[server].mfrr;
	pthread_mutex_unlock(&x->lock);
	return SKVM_H_SUCCESS;
}

/* End of interrupt: the source may send again, the CPPR is the one the guest writes back.
 * A CPPR more favoured than what is presented withdraws it, as SKVM_H_CPPR would (PAPR lets a
 * hypervisor ignore that guest mistake; KVM does; an interrupt presented below the CPPR
 * would be one the guest masked). */
long xics_h_eoi(struct xics *x, unsigned server, uint64_t xirr)
{
	struct xics_icp *icp;
	uint32_t irq = (uint32_t)xirr & XICS_XISR_MASK;

	pthread_mutex_lock(&x->lock);
	icp = &x->icp[server];
	ics_reject(x, irq); /* "sent" ends with the EOI as with a reject */
	icp_set_cppr(x, server, (uint8_t)(xirr >> 24));
	if (!XISR(icp->xirr))
		icp_resend(x, server);
	pthread_mutex_unlock(&x->lock);
	return SKVM_H_SUCCESS;
}

static int xics_write_xive(struct xics *x, uint32_t irq, uint32_t server, uint8_t priority,
			   uint8_t saved)
{
	struct xics_source *s = ics_source(x, irq);

	if (!s || server >= x->nr_servers)
		return RTAS_OUT_PARAM_ERROR;
	s->server = server;
	s->priority = priority;
	s->saved_priority = saved;
	ics_resend_one(x, irq);
	return RTAS_OUT_SUCCESS;
}

int xics_set_xive(struct xics *x, uint32_t irq, uint32_t server, uint32_t priority)
{
	int rc;

	if (priority > XICS_PRIO_MASKED)
		return RTAS_OUT_PARAM_ERROR;
	pthread_mutex_lock(&x->lock);
	rc = xics_write_xive(x, irq, server, (uint8_t)priority, (uint8_t)priority);
	pthread_mutex_unlock(&x->lock);
	return rc;
}

int xics_get_xive(struct xics *x, uint32_t irq, uint32_t *server, uint32_t *priority)
{
	struct xics_source *s;
	int rc = RTAS_OUT_PARAM_ERROR;

	pthread_mutex_lock(&x->lock);
	s = ics_source(x, irq);
	if (s) {
		*server = s->server;
		*priority = s->priority;
		rc = RTAS_OUT_SUCCESS;
	}
	pthread_mutex_unlock(&x->lock);
	return rc;
}

int xics_int_off(struct xics *x, uint32_t irq)
{
	struct xics_source *s;
	int rc = RTAS_OUT_PARAM_ERROR;

	pthread_mutex_lock(&x->lock);
	s = ics_source(x, irq);
	if (s)
		rc = xics_write_xive(x, irq, s->server, XICS_PRIO_MASKED, s->priority);
	pthread_mutex_unlock(&x->lock);
	return rc;
}

int xics_int_on(struct xics *x, uint32_t irq)
{
	struct xics_source *s;
	int rc = RTAS_OUT_PARAM_ERROR;

	pthread_mutex_lock(&x->lock);
	s = ics_source(x, irq);
	if (s)
		rc = xics_write_xive(x, irq, s->server, s->saved_priority, s->saved_priority);
	pthread_mutex_unlock(&x->lock);
	return rc;
}
