/* rng.c - Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011) and Box-Muller normals.
 *
 * Stream layout: key = the 64-bit seed; counter = (block lo, block hi, sample,
 * step), where block = element index / 4.  Each block yields four uniforms,
 * i.e. two Box-Muller pairs, i.e. four normals. */
#include "generate/rng.h"

#include <math.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void mulhilo(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t p = (uint64_t)a * b;
    *hi = (uint32_t)(p >> 32);
    *lo = (uint32_t)p;
}

void rng_philox4x32(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
    uint32_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint32_t k0 = key[0], k1 = key[1];
    for (int round = 0; round < 10; round++) {
        uint32_t hi0, lo0, hi1, lo1;
        mulhilo(PHILOX_M0, c0, &hi0, &lo0);
        mulhilo(PHILOX_M1, c2, &hi1, &lo1);
        uint32_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
        c0 = n0;
        c1 = lo1;
        c2 = n2;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0;
    out[1] = c1;
    out[2] = c2;
    out[3] = c3;
}

static void stream_block(uint64_t seed, uint32_t sample, uint32_t step,
                         uint64_t block, uint32_t out[4])
{
    const uint32_t key[2] = { (uint32_t)seed, (uint32_t)(seed >> 32) };
    const uint32_t ctr[4] = { (uint32_t)block, (uint32_t)(block >> 32), sample, step };
    rng_philox4x32(ctr, key, out);
}

/* (0, 1]: never 0, so the logarithm below stays finite. */
static double unit_open(uint32_t u)
{
    return ((double)u + 1.0) * (1.0 / 4294967296.0);
}

static void box_muller(uint32_t a, uint32_t b, float *z0, float *z1)
{
    double r = sqrt(-2.0 * log(unit_open(a)));
    double th = 6.283185307179586 * ((double)b * (1.0 / 4294967296.0));
    *z0 = (float)(r * cos(th));
    *z1 = (float)(r * sin(th));
}

void rng_normal(uint64_t seed, uint32_t sample, uint32_t step, uint64_t first,
                size_t n, float *out)
{
    size_t done = 0;
    while (done < n) {
        uint64_t idx = first + done;
        uint32_t bits[4];
        float z[4];
        stream_block(seed, sample, step, idx / 4, bits);
        box_muller(bits[0], bits[1], &z[0], &z[1]);
        box_muller(bits[2], bits[3], &z[2], &z[3]);
        for (unsigned j = (unsigned)(idx % 4); j < 4 && done < n; j++)
            out[done++] = z[j];
    }
}

uint32_t rng_below(uint64_t seed, uint32_t sample, uint32_t step, uint32_t bound)
{
    uint32_t bits[4];
    stream_block(seed, sample, step, 0, bits);
    /* 64 random bits reduced mod bound: bias below 2^-32 for any 32-bit bound. */
    uint64_t v = ((uint64_t)bits[1] << 32) | bits[0];
    return (uint32_t)(v % bound);
}

/* stream in bits 24.., pass in bits 10..23, step (< 1024) in bits 0..9: far
 * below the reserved RNG_STEP_INIT_NOISE and RNG_STEP_LABEL. */
uint32_t rng_step_key(rng_stream stream, int pass, int step)
{
    return (uint32_t)stream << 24 | (uint32_t)pass << 10 | (uint32_t)step;
}
