/* SPDX-License-Identifier: MIT */
/* The core's register width. The files of src/cpu are compiled twice: as the 440 (32-bit,
 * the default) and, with -DCPU_WIDTH=64, as the 64-bit POWER8 core of Book3S, whose objects
 * get cpu64_-prefixed symbols (scripts/cpu64-syms.sh) so both cores link into one program.
 * Handlers are written once against cpu_ureg; what only the 64-bit core does (64-bit
 * instructions, MSR[SF], MSR[LE]) is behind CPU_IS64, a constant, so the 440's code is the
 * code it always was.
 */
#ifndef SOFTKVM_CPU_WIDTH_H
#define SOFTKVM_CPU_WIDTH_H

#include <stdint.h>

#ifndef CPU_WIDTH
#define CPU_WIDTH 32
#endif

/* Which architecture column of insn_table.h a core decodes (decode.h's INSN_A_*). */
#define CPU_A_440 1u /* the PowerPC 440 (BookE) */
#define CPU_A_S64 2u /* Book3S-64, Power ISA 2.07 (POWER8) problem state */

#if CPU_WIDTH == 64
typedef uint64_t cpu_ureg;
typedef int64_t cpu_sreg;
#define CPU_IS64 1
#define CPU_ARCH CPU_A_S64
#define CPU_CACHE_LINE 128u /* POWER8's data cache block (dcbz) */
#elif CPU_WIDTH == 32
typedef uint32_t cpu_ureg;
typedef int32_t cpu_sreg;
#define CPU_IS64 0
#define CPU_ARCH CPU_A_440
#define CPU_CACHE_LINE 32u /* the 440's data and instruction cache line */
#else
#error "CPU_WIDTH is 32 or 64"
#endif

#endif
