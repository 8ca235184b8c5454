// SPDX-License-Identifier: MIT
/* virtio-blk from a bare-metal driver, on the first --disk (0xef712000: the slot after the
 * console and the rng): identification and config space (capacity), feature negotiation (a
 * bit not offered refused, VERSION_1 + FLUSH accepted), then a round trip through the disk:
 * the sector the host wrote before the run (BLK_HOST_SECTOR) read as the host made it, a
 * two-sector pattern written to BLK_WRITE_SECTOR and read back through a different buffer,
 * a flush, GET_ID (the serial), and a write past the end refused with IOERR. The runner,
 * tests/guest/virtio_blk.sh, makes the image and the host's sector, passes --disk
 * IMG,serial=GUESTBLK and checks the image's bytes afterwards: the pattern where the guest
 * wrote it, everything else as it was. Without a disk (run.sh runs every guest bare) the
 * checks are skipped.
 *
 * SOFTKVM-ONLY: QEMU's bamboo has no virtio-mmio devices (its reads there return 0).
 */
#include "virtio_mmio.h"

#define BLK		0xef712000u
#define QSIZE		8
#define TICKS_1S	400000000ull	/* timebase: 400 MHz */

/* What virtio_blk.sh makes and checks (keep the two in step). */
#define BLK_SECTORS	64	/* a 32 KiB image */
#define BLK_HOST_SECTOR	1	/* the host's pattern: byte i is (i * 3 + 0x11) & 0xff */
#define BLK_WRITE_SECTOR 4	/* the guest's pattern, two sectors: byte i is (i * 7 + 0x5a) */
#define BLK_SERIAL	"GUESTBLK"

#define F_FLUSH		(1u << 9)
#define F_BLK_SIZE	(1u << 6)
#define T_IN		0
#define T_OUT		1
#define T_FLUSH		4
#define T_GET_ID	8
#define S_OK		0
#define S_IOERR		1

struct blk_hdr {
	uint32_t type, reserved;
	uint64_t sector;
};

static struct desc desc[QSIZE] __attribute__((aligned(16)));
static volatile uint16_t avail[2 + QSIZE + 1] __attribute__((aligned(4)));
static volatile uint32_t used[1 + 2 * QSIZE + 1] __attribute__((aligned(4)));
static struct blk_hdr hdr __attribute__((aligned(16)));
static uint8_t wbuf[1024] __attribute__((aligned(64)));
static uint8_t rbuf[1024 + 16] __attribute__((aligned(64)));
static volatile uint8_t status;
static uint16_t avail_idx;

static uint16_t used_idx(void)
{
	return le16(((volatile uint16_t *)used)[1]);
}

static uint16_t wait_idx;
static bool used_reached(void) { return used_idx() == wait_idx; }

/* One request: the header, an optional data buffer (device-writable for reads), the status
 * byte; true once the device used it (within a second: it runs on a host thread). */
static bool request(uint32_t type, uint64_t sector, void *data, uint32_t len, bool data_wr)
{
	unsigned n = 0;

	hdr.type = le32(type);
	hdr.reserved = 0;
	hdr.sector = __builtin_bswap64(sector);
	status = 0xee;
	set_desc(&desc[n], (uint32_t)&hdr, sizeof(hdr), D_NEXT, (uint16_t)(n + 1));
	n++;
	if (len) {
		set_desc(&desc[n], (uint32_t)data, len, D_NEXT | (data_wr ? D_WRITE : 0),
			 (uint16_t)(n + 1));
		n++;
	}
	set_desc(&desc[n], (uint32_t)&status, 1, D_WRITE, 0);
	avail[2 + avail_idx % QSIZE] = le16(0);
	sync();
	avail_idx++;
	avail[1] = le16(avail_idx);
	sync();
	vw(BLK, QUEUE_NOTIFY, 0);
	wait_idx = avail_idx;
	return spin_until(used_reached, TICKS_1S);
}

static uint32_t last_used_len(void)
{
	return le32(used[1 + 2 * ((avail_idx - 1) % QSIZE) + 1]);
}

static void test_id_config(void)
{
	report_prefix_push("id");
	report_eq(vr(BLK, MAGIC), 0x74726976, "magic");
	report_eq(vr(BLK, DEVICE_ID), 2, "device id 2 (block)");
	report_eq(vr(BLK, CONFIG), BLK_SECTORS, "capacity low word: %u sectors", BLK_SECTORS);
	report_eq(vr(BLK, CONFIG + 4), 0, "capacity high word");
	vw(BLK, DEV_FEAT_SEL, 0);
	report_eq(vr(BLK, DEV_FEAT) & F_FLUSH, F_FLUSH, "FLUSH offered");
	vw(BLK, DEV_FEAT_SEL, 1);
	report_eq(vr(BLK, DEV_FEAT) & F_VERSION_1, F_VERSION_1, "VERSION_1 offered");
	report_prefix_pop();
}

static void test_features(void)
{
	report_prefix_push("features");
	vw(BLK, DEV_FEAT_SEL, 0);
	uint32_t offered = vr(BLK, DEV_FEAT);
	uint32_t unoffered = 0;

	for (unsigned bit = 0; bit < 24 && !unoffered; bit++)
		if (!(offered & (1u << bit)))
			unoffered = 1u << bit;
	report(unoffered != 0, "a device bit that is not offered exists (0x%08x)", offered);
	report_eq(virtio_negotiate(BLK, F_FLUSH | unoffered, F_VERSION_1) & S_FEATURES_OK, 0,
		  "a bit not offered: FEATURES_OK refused");
	report_eq(virtio_negotiate(BLK, F_FLUSH, 0) & S_FEATURES_OK, 0,
		  "without VERSION_1: FEATURES_OK refused");
	report_eq(virtio_negotiate(BLK, F_FLUSH, F_VERSION_1) & S_FEATURES_OK, S_FEATURES_OK,
		  "VERSION_1 + FLUSH accepted");
	vw(BLK, DRV_FEAT_SEL, 0);
	report_prefix_pop();
}

static void test_round_trip(void)
{
	char id[24];
	bool same = true, host_ok = true;

	report_prefix_push("io");
	virtio_negotiate(BLK, F_FLUSH, F_VERSION_1);
	virtio_queue_setup(BLK, 0, QSIZE, (uint32_t)desc, (uint32_t)avail, (uint32_t)used);
	report_eq(vr(BLK, QUEUE_READY), 1, "queue ready");
	vw(BLK, STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);

	/* what the host put there */
	memset(rbuf, 0, sizeof(rbuf));
	report(request(T_IN, BLK_HOST_SECTOR, rbuf, 512, true), "read of the host's sector used");
	report_eq(status, S_OK, "read status OK");
	report_eq(last_used_len(), 513, "read used length: 512 + status");
	for (unsigned i = 0; i < 512; i++)
		host_ok &= rbuf[i] == (uint8_t)(i * 3 + 0x11);
	report(host_ok, "the host's bytes");

	/* ours, out and back through another buffer */
	for (unsigned i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = (uint8_t)(i * 7 + 0x5a);
	report(request(T_OUT, BLK_WRITE_SECTOR, wbuf, sizeof(wbuf), false), "write used");
	report_eq(status, S_OK, "write status OK");
	memset(rbuf, 0xcc, sizeof(rbuf));
	report(request(T_IN, BLK_WRITE_SECTOR, rbuf, sizeof(wbuf), true), "read back used");
	report_eq(status, S_OK, "read back status OK");
	for (unsigned i = 0; i < sizeof(wbuf); i++)
		same &= rbuf[i] == wbuf[i];
	report(same, "read back: the bytes written");
	report_eq(rbuf[sizeof(wbuf)], 0xcc, "nothing written past the buffer");

	report(request(T_FLUSH, 0, NULL, 0, false), "flush used");
	report_eq(status, S_OK, "flush status OK");

	memset(id, 0, sizeof(id));
	report(request(T_GET_ID, 0, id, 20, true), "GET_ID used");
	report_eq(status, S_OK, "GET_ID status OK");
	report(memcmp(id, BLK_SERIAL, sizeof(BLK_SERIAL)) == 0, "GET_ID: serial %s", BLK_SERIAL);

	report(request(T_OUT, BLK_SECTORS - 1, wbuf, sizeof(wbuf), false),
	       "write across the end used");
	report_eq(status, S_IOERR, "write across the end: IOERR");
	report(request(T_IN, BLK_SECTORS, rbuf, 512, true), "read past the end used");
	report_eq(status, S_IOERR, "read past the end: IOERR");
	report_eq(vr(BLK, STATUS) & S_NEEDS_RESET, 0, "the device still works (no NEEDS_RESET)");
	vw(BLK, STATUS, 0);
	report_prefix_pop();
}

int main(void)
{
	if (vr(BLK, MAGIC) != 0x74726976 || vr(BLK, DEVICE_ID) != 2) {
		report_skip("no virtio-blk at 0x%08x: run by tests/guest/virtio_blk.sh with --disk",
			    BLK);
		return 0;
	}
	test_id_config();
	test_features();
	test_round_trip();
	return 0;
}
