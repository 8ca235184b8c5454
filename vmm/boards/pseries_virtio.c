// SPDX-License-Identifier: MIT
/* The pseries board's virtio devices (see pseries.h): each a virtio-pci function on the
 * PHB, the same devices as the 440's virtio-mmio ones. Apart from pseries.c so that the
 * board's unit test can stand in its own devices. */
#include <errno.h>
#include <string.h>

#include "boards/pseries.h"
#include "virtio/9p.h"
#include "virtio/console.h"
#include "virtio/pci.h"
#include "virtio/rng.h"
#include "virtio/vsock.h"

/* d (created with status rc) as the next function; on failure d is destroyed. */
static int pseries_plug(int rc, struct virtio_dev *d, struct pci_phb *phb,
			struct virtio_pci **vpci, unsigned *nr, struct vmm_err *err)
{
	if (rc)
		return rc;
	if (*nr == PSERIES_MAX_VIRTIO) {
		virtio_dev_remove(d);
		return vmm_err_set(err, -ENOSPC, "more than %u virtio devices on pseries",
				   PSERIES_MAX_VIRTIO);
	}
	rc = virtio_pci_plug(d, phb, &vpci[*nr], err);
	if (rc) {
		virtio_dev_remove(d);
		return rc;
	}
	(*nr)++;
	return 0;
}

/* A device constructor's plain errno as a message. */
static int pseries_created(int rc, const char *what, struct vmm_err *err)
{
	return rc ? vmm_err_set(err, rc, "cannot create the %s: %s", what, strerror(-rc)) : 0;
}

int pseries_add_virtio(const struct pseries_config *cfg, const struct vmm_chardev *console,
		       struct pci_phb *phb, struct virtio_pci **vpci, unsigned *nr,
		       struct vmm_err *err)
{
	/* output only: the vty (hvc0) reads the console's input */
	struct vmm_chardev hvc = {.write = console->write, .opaque = console->opaque};
	struct virtio_dev *d = NULL;
	int rc;

	rc = pseries_created(virtio_console_create(&hvc, &d), "virtio console", err);
	rc = pseries_plug(rc, d, phb, vpci, nr, err);
	if (!rc) {
		rc = pseries_created(virtio_rng_create(&d), "virtio rng", err);
		rc = pseries_plug(rc, d, phb, vpci, nr, err);
	}
	for (unsigned i = 0; !rc && i < cfg->nr_disks; i++) {
		rc = virtio_blk_create(&cfg->disks[i], &d, err);
		rc = pseries_plug(rc, d, phb, vpci, nr, err);
	}
	for (unsigned i = 0; !rc && i < cfg->nr_shares; i++) {
		rc = virtio_9p_create(&cfg->shares[i], &d, err);
		rc = pseries_plug(rc, d, phb, vpci, nr, err);
	}
	for (unsigned i = 0; !rc && i < cfg->nr_net; i++) {
		rc = virtio_net_create(&cfg->net[i], &d, err);
		rc = pseries_plug(rc, d, phb, vpci, nr, err);
	}
	if (!rc && cfg->vsock) {
		rc = virtio_vsock_create(cfg->vsock, &d, err);
		rc = pseries_plug(rc, d, phb, vpci, nr, err);
	}
	return rc;
}

void pseries_remove_virtio(struct virtio_pci **vpci, unsigned nr)
{
	for (unsigned i = 0; i < nr; i++)
		virtio_pci_remove(vpci[i]);
}
