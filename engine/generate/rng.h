/* rng.h - counter-based random numbers (Philox4x32-10 + Box-Muller).
 *
 * Every value is a pure function of (seed, sample, step, index), so noise does
 * not depend on call order, thread count or batch size: sample i of a run
 * gets the same noise whether it is drawn alone or in a batch of eight. */
#ifndef DCTDIFF_RNG_H
#define DCTDIFF_RNG_H

#include <stddef.h>
#include <stdint.h>

/* Step values at or above this are reserved for draws that are not sampler
 * steps (initial noise, class labels). */
#define RNG_STEP_INIT_NOISE 0xFFFFFFFFu
#define RNG_STEP_LABEL      0xFFFFFFFEu

/* Draws that a conditioned run (edit.c) repeats for every RePaint pass of a
 * step have their own streams: the sampler's SDE noise, the noise of the
 * known part, the noise of a jump back.  Pass 0 of the SDE stream is the
 * plain step number, so unconditioned runs draw what they always drew. */
typedef enum { RNG_STREAM_SDE = 0, RNG_STREAM_KNOWN, RNG_STREAM_JUMP } rng_stream;
#define RNG_MAX_PASSES 4096   /* passes below this get keys of their own */
uint32_t rng_step_key(rng_stream stream, int pass, int step);

/* One Philox4x32-10 block: counter ctr[4] under key key[2] -> out[4]. */
void rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

/* Standard normal floats for elements [first, first + n) of the stream
 * (seed, sample, step). */
void rng_normal(uint64_t seed, uint32_t sample, uint32_t step, uint64_t first,
                size_t n, float *out);

/* A uniform integer in [0, bound) for (seed, sample, step); bound >= 1. */
uint32_t rng_below(uint64_t seed, uint32_t sample, uint32_t step, uint32_t bound);

#endif
