/* test_rng.c - Philox4x32-10 against the published known-answer vectors, and
 * the properties generation relies on: any slice of a stream equals the same
 * slice drawn whole, streams differ by seed/sample/step, normals are N(0,1). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "generate/rng.h"

static void test_known_answers(void)
{
    /* Random123 kat_vectors, philox4x32 with 10 rounds: counter, key, result */
    static const uint32_t kat[3][10] = {
        { 0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 },
        { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
          0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd },
        { 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0,
          0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 },
    };
    for (int i = 0; i < 3; i++) {
        uint32_t out[4];
        rng_philox4x32(kat[i], kat[i] + 4, out);
        for (int j = 0; j < 4; j++)
            CHECK(out[j] == kat[i][6 + j], "KAT %d word %d: %08x, expected %08x", i, j,
                  out[j], kat[i][6 + j]);
    }
}

static void test_slices(void)
{
    enum { N = 103 };
    float whole[N], part[N];
    rng_normal(42, 3, 7, 0, N, whole);
    for (int first = 0; first < 9; first++) {
        const size_t n = (size_t)(N - first - first % 4);
        rng_normal(42, 3, 7, (uint64_t)first, n, part);
        CHECK(memcmp(part, whole + first, n * sizeof(float)) == 0,
              "slice from %d differs from the whole stream", first);
    }
}

static double correlation(const float *a, const float *b, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * b[i];
    return s / (double)n;
}

static void test_streams_and_moments(void)
{
    const size_t n = 200000;
    float *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    rng_normal(1, 0, 0, 0, n, a);
    double m1 = 0, m2 = 0, m4 = 0;
    for (size_t i = 0; i < n; i++) {
        m1 += a[i];
        m2 += (double)a[i] * a[i];
        m4 += pow(a[i], 4);
    }
    m1 /= n;
    m2 /= n;
    m4 /= n;
    /* 6 standard errors: the mean's is 1/sqrt(n), the variance's sqrt(2/n),
     * the fourth moment's sqrt(96/n) */
    CHECK(fabs(m1) < 6.0 / sqrt(n), "mean %g", m1);
    CHECK(fabs(m2 - 1.0) < 6.0 * sqrt(2.0 / n), "variance %g", m2);
    CHECK(fabs(m4 - 3.0) < 6.0 * sqrt(96.0 / n), "fourth moment %g", m4);
    const struct { uint64_t seed; uint32_t sample, step; } other[] = {
        { 2, 0, 0 }, { 1, 1, 0 }, { 1, 0, 1 }, { 1ull << 32, 0, 0 },
    };
    for (size_t k = 0; k < sizeof other / sizeof *other; k++) {
        rng_normal(other[k].seed, other[k].sample, other[k].step, 0, n, b);
        double c = correlation(a, b, n);
        CHECK(fabs(c) < 6.0 / sqrt(n), "stream %zu correlates %g with the first", k, c);
    }
    free(a);
    free(b);
}

static void test_below(void)
{
    enum { BOUND = 10, DRAWS = 20000 };
    int hist[BOUND] = { 0 };
    for (uint32_t s = 0; s < DRAWS; s++) {
        uint32_t v = rng_below(9, s, RNG_STEP_LABEL, BOUND);
        if (!CHECK(v < BOUND, "draw %u out of range", v))
            return;
        hist[v]++;
    }
    double chi = 0;
    for (int i = 0; i < BOUND; i++) {
        double e = DRAWS / (double)BOUND;
        chi += (hist[i] - e) * (hist[i] - e) / e;
    }
    /* 9 degrees of freedom: P(chi2 > 33) < 2e-4 */
    CHECK(chi < 33.0, "label draws not uniform: chi2 %g", chi);
    CHECK(rng_below(9, 0, RNG_STEP_LABEL, 1) == 0, "bound 1 gives 0");
}

int main(void)
{
    test_known_answers();
    test_slices();
    test_streams_and_moments();
    test_below();
    return check_finish("test_rng");
}
