/* SPDX-License-Identifier: MIT */
/* Which decoded page a fetch uses: decoded code depends on the byte order of the mapping.
 *
 * A 440 reverses the bytes of each instruction word fetched through a little-endian (E=1)
 * page on the way into its instruction cache. So the decoded copy of a physical page
 * fetched through such a mapping reads its words little-endian, and lives in the code
 * cache under its own key, so that a big-endian mapping of the same page never runs its
 * slots (nor the other way round). A key is the guest-physical page number (below 2^24:
 * 36-bit physical addresses) with CPU_CODE_KEY_LE for the little-endian copy; everything
 * that invalidates by physical page drops both copies.
 */
#ifndef SOFTKVM_CODE_KEY_H
#define SOFTKVM_CODE_KEY_H

#include "cpu.h"
#include "exec.h"

#define CPU_CODE_KEY_LE 0x80000000u

/* The key of the code a fetch through shadow entry e runs. */
static inline uint32_t cpu_code_key(const struct shadow_tlb_entry *e)
{
	return e->ppn | (shadow_entry_le(e) ? CPU_CODE_KEY_LE : 0);
}

/* The guest-physical page number behind a key. */
static inline uint32_t cpu_code_key_ppn(uint32_t key)
{
	return key & ~CPU_CODE_KEY_LE;
}

/* Instruction word i of code page p, as the decoder must see it. */
static inline uint32_t cpu_code_word(const struct cpu_code_page *p, unsigned i)
{
	uint32_t w = load_be32(p->host + 4 * i);
	return (p->key & CPU_CODE_KEY_LE) ? __builtin_bswap32(w) : w;
}

#endif
