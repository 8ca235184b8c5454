// SPDX-License-Identifier: MIT
/* The 64-bit core's vector crypto (Power ISA 2.07 Book I 5.11): AES rounds (vcipher,
 * vcipherlast, vncipher, vncipherlast, vsbox) and the SHA-2 sigma functions (vshasigmaw,
 * vshasigmad). Linux's POWER8 entry advertises them to programs (PPC_FEATURE2_VEC_CRYPTO in
 * AT_HWCAP2), so OpenSSL and friends use them as soon as they see a POWER8.
 *
 * The AES state is the register's 16 bytes in the architecture's order, column by column as
 * FIPS-197 lays out its input: byte 4 * col + row. The S-box is computed once from its
 * definition (the inverse in GF(2^8) followed by the affine map).
 */
#include <pthread.h>

#include "vmx.h"

#if CPU_IS64

static uint8_t sbox[256], inv_sbox[256];
static pthread_once_t sbox_once = PTHREAD_ONCE_INIT;

/* multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1 */
static uint8_t gmul(uint8_t a, uint8_t b)
{
	uint8_t p = 0;

	while (b) {
		if (b & 1)
			p ^= a;
		a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
		b >>= 1;
	}
	return p;
}

static uint8_t rotl8(uint8_t x, unsigned n)
{
	return (uint8_t)(x << n | x >> (8 - n));
}

static void sbox_build(void)
{
	for (unsigned x = 0; x < 256; x++) {
		uint8_t inv = 0;

		for (unsigned y = 1; y < 256 && x; y++) /* 0 has no inverse: it maps to 0 */
			if (gmul((uint8_t)x, (uint8_t)y) == 1) {
				inv = (uint8_t)y;
				break;
			}
		uint8_t s = (uint8_t)(inv ^ rotl8(inv, 1) ^ rotl8(inv, 2) ^ rotl8(inv, 3) ^
				      rotl8(inv, 4) ^ 0x63);
		sbox[x] = s;
		inv_sbox[s] = (uint8_t)x;
	}
}

static void sub_bytes(uint8_t s[16], const uint8_t box[256])
{
	pthread_once(&sbox_once, sbox_build);
	for (unsigned i = 0; i < 16; i++)
		s[i] = box[s[i]];
}

/* row r moves r columns left (inverse: right) */
static void shift_rows(uint8_t s[16], bool inverse)
{
	uint8_t t[16];

	for (unsigned col = 0; col < 4; col++)
		for (unsigned row = 0; row < 4; row++) {
			unsigned from = inverse ? (col + 4 - row) % 4 : (col + row) % 4;

			t[4 * col + row] = s[4 * from + row];
		}
	memcpy(s, t, 16);
}

static void mix_columns(uint8_t s[16], bool inverse)
{
	static const uint8_t fwd[4] = {2, 3, 1, 1}, inv[4] = {14, 11, 13, 9};
	const uint8_t *m = inverse ? inv : fwd;

	for (unsigned col = 0; col < 4; col++) {
		uint8_t *a = s + 4 * col, r[4];

		for (unsigned row = 0; row < 4; row++)
			r[row] = (uint8_t)(gmul(a[0], m[(4 - row) % 4]) ^ gmul(a[1], m[(5 - row) % 4]) ^
					   gmul(a[2], m[(6 - row) % 4]) ^ gmul(a[3], m[(7 - row) % 4]));
		memcpy(a, r, 4);
	}
}

static void add_round_key(uint8_t s[16], const uint8_t k[16])
{
	for (unsigned i = 0; i < 16; i++)
		s[i] ^= k[i];
}

enum aes_round { CIPHER, CIPHER_LAST, NCIPHER, NCIPHER_LAST, SBOX };

static ALWAYS_INLINE const struct cpu_dinsn *aes(struct cpu *c, const struct cpu_dinsn *d,
						 enum aes_round kind)
{
	union cpu_vr s = c->vr[d->ra];
	const union cpu_vr key = c->vr[d->rb];

	switch (kind) {
	case CIPHER:
	case CIPHER_LAST:
		sub_bytes(s.b, sbox);
		shift_rows(s.b, false);
		if (kind == CIPHER)
			mix_columns(s.b, false);
		add_round_key(s.b, key.b);
		break;
	case NCIPHER:
	case NCIPHER_LAST:
		shift_rows(s.b, true);
		sub_bytes(s.b, inv_sbox);
		add_round_key(s.b, key.b);
		if (kind == NCIPHER)
			mix_columns(s.b, true);
		break;
	case SBOX:
		sub_bytes(s.b, sbox);
		break;
	}
	c->vr[d->rt] = s;
	return d + 1;
}

#define VCRYPTO(name, expr)                                                                        \
	CPU_HANDLER(op_##name)                                                                     \
	{                                                                                          \
		VMX_CHECK(c, d);                                                                   \
		CPU_GOTO(c, (expr));                                                               \
	}

VCRYPTO(vcipher, aes(c, d, CIPHER))
VCRYPTO(vcipherlast, aes(c, d, CIPHER_LAST))
VCRYPTO(vncipher, aes(c, d, NCIPHER))
VCRYPTO(vncipherlast, aes(c, d, NCIPHER_LAST))
VCRYPTO(vsbox, aes(c, d, SBOX))

static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return x >> n | x << (32 - n);
}

static inline uint64_t ror64(uint64_t x, unsigned n)
{
	return x >> n | x << (64 - n);
}

/* SHA-256's and SHA-512's sigma functions (FIPS 180-4 4.1.2, 4.1.3): the instruction's RB
 * field is ST (1: the upper-case Sigma of the compression, 0: the lower-case sigma of the
 * message schedule) and SIX, whose bit for each element picks sigma0 (0) or sigma1 (1):
 * SIX's bit i (from its most significant) for word i, bit 2i for doubleword i. */
static ALWAYS_INLINE const struct cpu_dinsn *vshasigma(struct cpu *c, const struct cpu_dinsn *d,
						       unsigned w)
{
	const union cpu_vr a = c->vr[d->ra];
	bool st = (d->rb >> 4) & 1;
	unsigned six = d->rb & 15;
	union cpu_vr r;

	for (unsigned i = 0; i < 16 / w; i++) {
		bool one = (six >> (3 - (w == 4 ? i : 2 * i))) & 1;
		uint64_t x = vget(&a, w, i), y;

		if (w == 4) {
			uint32_t v = (uint32_t)x;

			y = !st ? (!one ? ror32(v, 7) ^ ror32(v, 18) ^ v >> 3
					: ror32(v, 17) ^ ror32(v, 19) ^ v >> 10)
				: (!one ? ror32(v, 2) ^ ror32(v, 13) ^ ror32(v, 22)
					: ror32(v, 6) ^ ror32(v, 11) ^ ror32(v, 25));
		} else {
			y = !st ? (!one ? ror64(x, 1) ^ ror64(x, 8) ^ x >> 7
					: ror64(x, 19) ^ ror64(x, 61) ^ x >> 6)
				: (!one ? ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39)
					: ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41));
		}
		vset(&r, w, i, y);
	}
	c->vr[d->rt] = r;
	return d + 1;
}

VCRYPTO(vshasigmaw, vshasigma(c, d, 4))
VCRYPTO(vshasigmad, vshasigma(c, d, 8))

#endif
