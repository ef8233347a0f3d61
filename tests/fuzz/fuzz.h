/* fuzz.h - what each fuzz target gives tests/fuzz/replay.c besides its
 * libFuzzer entry point: whether the reader accepts a seed (valid-* seeds
 * must be accepted, bad-* refused), with the reason in msg when not. */
#ifndef DCTDIFF_FUZZ_H
#define DCTDIFF_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int fuzz_seed_accepted(const char *name, const uint8_t *data, size_t size, char *msg,
                       size_t msg_size);

#endif
