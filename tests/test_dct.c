/* test_dct.c - the block DCT against the textbook double sum, round trips,
 * and the zig-zag orders listed in method.md §1.6. */
#include "check.h"
#include "core/dct.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static uint32_t rng_state = 12345;

static double uniform_pm128(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return (rng_state >> 8) / (double)(1u << 24) * 256.0 - 128.0;
}

/* The definition in dct.h, evaluated directly; inverse sums over (u, v). */
static void naive_dct(const double *in, double *out, int B, int inverse)
{
    for (int i = 0; i < B; i++)
        for (int j = 0; j < B; j++) {
            double s = 0;
            for (int k = 0; k < B; k++)
                for (int l = 0; l < B; l++) {
                    int u = inverse ? k : i, v = inverse ? l : j;
                    int y = inverse ? i : k, x = inverse ? j : l;
                    s += in[k * B + l] * sqrt((u ? 2.0 : 1.0) / B) * sqrt((v ? 2.0 : 1.0) / B) *
                         cos(M_PI * (2 * y + 1) * u / (2.0 * B)) *
                         cos(M_PI * (2 * x + 1) * v / (2.0 * B));
                }
            out[i * B + j] = s;
        }
}

static void check_block_size(int B)
{
    enum { N = 16 * 16 };
    double src[N], want[N], got_d[N], back_d[N];
    float src_f[N], got_f[N], want_f[N];
    char label[64];
    for (int inverse = 0; inverse <= 1; inverse++) {
        /* Inverse input: coefficients of the size a forward pass produces. */
        for (int i = 0; i < B * B; i++) {
            src_f[i] = (float)(uniform_pm128() * (inverse ? B : 1));
            src[i] = src_f[i];
        }
        naive_dct(src, want, B, inverse);
        memcpy(got_d, src, sizeof got_d);
        memcpy(got_f, src_f, sizeof got_f);
        (inverse ? dct_inverse_d : dct_forward_d)(got_d, B);
        (inverse ? dct_inverse_f : dct_forward_f)(got_f, B);
        for (int i = 0; i < B * B; i++)
            want_f[i] = (float)want[i];
        snprintf(label, sizeof label, "B=%d %s double vs naive", B, inverse ? "inverse" : "forward");
        check_close_d(label, got_d, want, (size_t)(B * B), 1e-9, 0);
        /* Float rounding grows with the number of terms and the input's
         * scale: allow B ulps of the largest input (3.0e-5 for B=2 and 2.4e-4
         * for B=16 on +-128 pixels; measured about 3e-5 for every B). */
        snprintf(label, sizeof label, "B=%d %s float vs naive", B, inverse ? "inverse" : "forward");
        check_close(label, got_f, want_f, (size_t)(B * B),
                    B * FLT_EPSILON * 128.0 * (inverse ? B : 1), 0);
    }
    /* Round trip in double, and the DC of a constant block is B times it. */
    memcpy(back_d, src, sizeof back_d);
    dct_forward_d(back_d, B);
    dct_inverse_d(back_d, B);
    snprintf(label, sizeof label, "B=%d double round trip", B);
    check_close_d(label, back_d, src, (size_t)(B * B), 1e-10, 0);
    memcpy(got_f, src_f, sizeof got_f);
    dct_forward_f(got_f, B);
    dct_inverse_f(got_f, B);
    snprintf(label, sizeof label, "B=%d float round trip", B);
    check_close(label, got_f, src_f, (size_t)(B * B), 2 * B * FLT_EPSILON * 128.0 * B, 0);
    for (int i = 0; i < B * B; i++)
        got_f[i] = 3.0f;
    dct_forward_f(got_f, B);
    CHECK(fabsf(got_f[0] - 3.0f * B) < 1e-5f, "B=%d DC of constant 3 is %g", B, got_f[0]);
    for (int i = 1; i < B * B; i++)
        CHECK(fabsf(got_f[i]) < 1e-5f, "B=%d AC %d of a constant is %g", B, i, got_f[i]);
}

static void check_zigzag(void)
{
    static const int z2[] = { 0, 1, 2, 3 };
    static const int z4[] = { 0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15 };
    static const int rev4[] = { 0, 1, 5, 6, 2, 4, 7, 12, 3, 8, 11, 13, 9, 10, 14, 15 };
    static const int z8[] = { 0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19,
                              26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49,
                              56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45,
                              38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };
    int order[256];
    dct_zigzag(2, order);
    CHECK(memcmp(order, z2, sizeof z2) == 0, "zig-zag B=2 differs from method.md");
    dct_zigzag(4, order);
    CHECK(memcmp(order, z4, sizeof z4) == 0, "zig-zag B=4 differs from method.md");
    for (int p = 0; p < 16; p++)
        CHECK(rev4[order[p]] == p, "B=4 reverse order at %d", p);
    dct_zigzag(8, order);
    CHECK(memcmp(order, z8, sizeof z8) == 0, "zig-zag B=8 differs from method.md");

    /* B=16 has no list: check it is a permutation that walks the
     * anti-diagonals in turn, each step to a neighbour on the same or the
     * next diagonal. */
    int seen[256] = { 0 };
    dct_zigzag(16, order);
    for (int p = 0; p < 256; p++) {
        CHECK(order[p] >= 0 && order[p] < 256 && !seen[order[p]]++, "B=16 entry %d repeats", p);
        if (p) {
            int u0 = order[p - 1] / 16, v0 = order[p - 1] % 16, u = order[p] / 16, v = order[p] % 16;
            int ds = (u + v) - (u0 + v0);
            CHECK(ds == 0 || ds == 1, "B=16 step %d skips a diagonal", p);
            CHECK(abs(u - u0) <= 1 && abs(v - v0) <= 1, "B=16 step %d is not to a neighbour", p);
        }
    }
}

int main(void)
{
    for (int B = 2; B <= 16; B *= 2)
        check_block_size(B);
    CHECK(dct_size_ok(2) && dct_size_ok(16) && !dct_size_ok(3) && !dct_size_ok(32),
          "dct_size_ok");
    check_zigzag();
    return check_finish("test_dct");
}
