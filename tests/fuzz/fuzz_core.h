/* SPDX-License-Identifier: MIT */
#ifndef SOFTKVM_FUZZ_CORE_H
#define SOFTKVM_FUZZ_CORE_H
#include <stddef.h>
#include <stdint.h>
/* Run one input as a guest (see fuzz_core.c). Returns 0; a bug shows as a crash. */
int fuzz_core_run(const uint8_t *data, size_t size);
#endif
