// SPDX-License-Identifier: MIT
/* The UIC register file and output logic (see uic.h). */
#include "devices/uic.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include "devtree.h"
#include "log.h"

#define UIC_BIT(line) (0x80000000u >> (line))
#define UIC_VCR_PRO   0x00000001u
#define UIC_VCR_VCB   0xfffffffcu

void uic_init(struct uic *uic, const char *name, const struct vmm_irq *out_int,
	      const struct vmm_irq *out_crit)
{
	memset(uic, 0, sizeof(*uic));
	pthread_mutex_init(&uic->lock, NULL);
	uic->name = name;
	if (out_int)
		uic->out_int = *out_int;
	if (out_crit)
		uic->out_crit = *out_crit;
}

static int uic_update(struct uic *uic)
{
	uint32_t pending = uic->sr & uic->er;
	bool int_level = (pending & ~uic->cr) != 0;
	bool crit_level = (pending & uic->cr) != 0;
	int rc;

	if (int_level != uic->int_level) {
		uic->int_level = int_level;
		rc = vmm_irq_set(&uic->out_int, int_level);
		if (rc)
			return rc;
	}
	if (crit_level != uic->crit_level) {
		uic->crit_level = crit_level;
		return vmm_irq_set(&uic->out_crit, crit_level);
	}
	return 0;
}

int uic_set_irq(void *opaque, unsigned line, bool level)
{
	struct uic *uic = opaque;
	uint32_t bit, was;

	int rc;

	if (line >= UIC_INPUTS)
		return 0;
	pthread_mutex_lock(&uic->lock);
	bit = UIC_BIT(line);
	was = uic->inputs & bit;
	uic->inputs = level ? uic->inputs | bit : uic->inputs & ~bit;
	if (uic->tr & bit) {
		if (level && !was)
			uic->sr |= bit; /* edge: latched until software clears it */
	} else {
		uic->sr = level ? uic->sr | bit : uic->sr & ~bit;
	}
	rc = uic_update(uic);
	pthread_mutex_unlock(&uic->lock);
	return rc;
}

/* Vector of the highest-priority pending critical input: VCB + 512 * its rank, input 0 first
 * unless PRO gives input 31 the top. 0 when none is pending. Linux does not use it. */
static uint32_t uic_vector(const struct uic *uic)
{
	uint32_t crit = uic->sr & uic->er & uic->cr;
	unsigned rank;

	if (!crit)
		return 0;
	if (uic->vcr & UIC_VCR_PRO)
		rank = (unsigned)__builtin_ctz(crit); /* input 31 is bit 0 */
	else
		rank = (unsigned)__builtin_clz(crit); /* input 0 is bit 31 */
	return (uic->vcr & UIC_VCR_VCB) + 512u * rank;
}

static int uic_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
	struct uic *uic = opaque;

	pthread_mutex_lock(&uic->lock);
	switch (offset) {
	case UIC_SR:
	case UIC_SRS:
		*value = uic->sr;
		break;
	case UIC_ER:
		*value = uic->er;
		break;
	case UIC_CR:
		*value = uic->cr;
		break;
	case UIC_PR:
		*value = uic->pr;
		break;
	case UIC_TR:
		*value = uic->tr;
		break;
	case UIC_MSR:
		*value = uic->sr & uic->er;
		break;
	case UIC_VR:
		*value = uic_vector(uic);
		break;
	case UIC_VCR:
		*value = uic->vcr;
		break;
	default:
		*value = 0;
	}
	pthread_mutex_unlock(&uic->lock);
	return 0;
}

static int uic_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
	struct uic *uic = opaque;
	uint32_t v = (uint32_t)value, acked = 0;
	int rc;

	pthread_mutex_lock(&uic->lock);
	switch (offset) {
	case UIC_SR:
		/* Level-sensitive inputs still asserted stay set. */
		uic->sr = (uic->sr & ~v) | (uic->inputs & ~uic->tr);
		acked = v;
		break;
	case UIC_SRS:
		uic->sr |= v;
		break;
	case UIC_ER:
		uic->er = v;
		break;
	case UIC_CR:
		uic->cr = v;
		break;
	case UIC_PR:
		uic->pr = v;
		break;
	case UIC_TR:
		uic->tr = v;
		break;
	case UIC_VCR:
		uic->vcr = v & (UIC_VCR_VCB | UIC_VCR_PRO);
		break;
	default: /* MSR and VR are read-only */
		break;
	}
	rc = uic_update(uic);
	pthread_mutex_unlock(&uic->lock);
	for (unsigned line = 0; uic->ack && acked && line < UIC_INPUTS; line++)
		if (acked & UIC_BIT(line))
			uic->ack(uic->ack_opaque, line);
	return rc;
}

/* Registers to their reset values; the input wires keep their level (devices lower their own
 * lines when they reset), all level-sensitive again. */
static void uic_reset(void *opaque)
{
	struct uic *uic = opaque;

	pthread_mutex_lock(&uic->lock);
	uic->er = uic->cr = uic->pr = uic->tr = uic->vcr = 0;
	uic->sr = uic->inputs;
	if (uic_update(uic))
		pr_warn("%s: cannot lower the CPU's interrupt inputs at reset", uic->name);
	pthread_mutex_unlock(&uic->lock);
}

bool uic_output_may_rise(struct uic *uic, bool crit)
{
	bool may;

	pthread_mutex_lock(&uic->lock);
	if (crit)
		may = uic->crit_level || (uic->er & uic->cr);
	else
		may = uic->int_level || (uic->er & ~uic->cr);
	pthread_mutex_unlock(&uic->lock);
	return may;
}

struct vmm_irq uic_irq(struct uic *uic, unsigned line, uint32_t sense)
{
	return (struct vmm_irq){
	    .set = uic_set_irq,
	    .opaque = uic,
	    .line = line,
	    .fdt_parent = uic->phandle,
	    .fdt_sense = sense,
	};
}

static int uic_fdt(void *opaque, void *fdt, int parent, const struct vmm_region *region)
{
	struct uic *uic = opaque;
	const char *compatible[] = {uic->model, "ibm,uic"};
	uint32_t dcr_reg[2] = {(uint32_t)region->base, (uint32_t)region->size};
	char name[32];
	int node, rc;

	snprintf(name, sizeof(name), "interrupt-controller%u", uic->index);
	node = fdt_add_subnode(fdt, parent, name);
	if (node < 0)
		return node;
	rc = uic->model ? vmm_fdt_setprop_strings(fdt, node, "compatible", compatible, 2)
			: fdt_setprop_string(fdt, node, "compatible", "ibm,uic");
	if (!rc)
		rc = fdt_setprop_empty(fdt, node, "interrupt-controller");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "cell-index", uic->index);
	if (!rc)
		rc = vmm_fdt_setprop_cells(fdt, node, "dcr-reg", dcr_reg, 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#address-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#size-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 2);
	if (!rc && uic->phandle)
		rc = fdt_setprop_u32(fdt, node, "phandle", uic->phandle);
	if (!rc && uic->out_int.fdt_parent) {
		/* Cascaded: Linux's uic_init_tree takes the UIC without "interrupts" as the
		 * primary one. */
		uint32_t irqs[4] = {uic->out_int.line, uic->out_int.fdt_sense, uic->out_crit.line,
				    uic->out_crit.fdt_sense};

		rc = vmm_fdt_setprop_cells(fdt, node, "interrupts", irqs,
					   uic->out_crit.fdt_parent ? 4 : 2);
		if (!rc)
			rc = fdt_setprop_u32(fdt, node, "interrupt-parent", uic->out_int.fdt_parent);
	}
	return rc;
}

const struct vmm_device_ops uic_ops = {
    .name = "uic",
    .read = uic_read,
    .write = uic_write,
    .access_sizes = 4,
    .reset = uic_reset,
    .fdt = uic_fdt,
};
