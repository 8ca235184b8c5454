/* SPDX-License-Identifier: MIT */
#ifndef SOFTKVM_FUZZ_CORE_H
#define SOFTKVM_FUZZ_CORE_H
#include <stddef.h>
#include <stdint.h>
/* Runs one input as a guest (see fuzz_core.c). Returns how many guest instructions trapped to
 * the hypervisor: a lower bound of what the guest executed, 0 if it ran nothing. A harness
 * that cannot set up its guest aborts; a bug in softkvm shows as a crash. */
uint64_t fuzz_core_run(const uint8_t *data, size_t size);
#endif
