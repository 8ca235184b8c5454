#ifndef SOFTKVM_FUZZ_VIRTQ_H
#define SOFTKVM_FUZZ_VIRTQ_H
#include <stddef.h>
#include <stdint.h>
/* Run one input as a guest's virtqueue (see fuzz_virtq.c). Returns 0; a bug shows as a crash
 * or a sanitizer report. */
int fuzz_virtq_run(const uint8_t *data, size_t size);
#endif
