/* layers.c - LayerNorm, GELU, linear layers (gemm.h) and attention.
 *
 * The element-wise loops (GELU, softmax) are written so that the compiler
 * vectorises them, and built for AVX-512, AVX2 and plain x86-64, the best
 * chosen when the library loads (VECTOR_CLONES): libm's scalar expf and
 * erff were a fifth of a forward pass. */
#include "network/layers.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "network/gemm.h"

void layer_norm(float *out, int ldo, const float *in, int ldi, int rows, int d,
                const float *w, const float *b)
{
    for (int r = 0; r < rows; r++) {
        const float *x = in + (size_t)r * ldi;
        float *y = out + (size_t)r * ldo;
        double sum = 0.0, sq = 0.0;
        for (int i = 0; i < d; i++)
            sum += x[i];
        const double mean = sum / d;
        for (int i = 0; i < d; i++) {
            double c = x[i] - mean;
            sq += c * c;
        }
        const double inv = 1.0 / sqrt(sq / d + LAYER_NORM_EPS);
        for (int i = 0; i < d; i++)
            y[i] = (float)((x[i] - mean) * inv) * w[i] + b[i];
    }
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define VECTOR_CLONES
#endif

/* e^x for x <= 0 (softmax after its maximum, erfc's tail), as libm's expf to
 * within 2 ulp: x = k ln2 + r with |r| <= ln2/2 (ln2 in two parts, the
 * first exact in k ln2), e^r by Cephes's degree-6 minimax polynomial, 2^k
 * put into the exponent bits.  Arguments below -87 give e^-87 (~1e-38)
 * instead of a denormal or 0. */
static inline float exp_nonpositive(float x)
{
    x = x < -87.0f ? -87.0f : x;
    const float shifter = 12582912.0f; /* 1.5 * 2^23: adding it rounds to an integer */
    const float k = (x * 1.44269504088896341f + shifter) - shifter;
    const float r = (x - k * 0.693359375f) + k * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    const uint32_t bits = (uint32_t)((int32_t)k + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* erfc(u) for u >= 0 to ~1.2e-7 relative (the Chebyshev fit of Numerical
 * Recipes' erfcc): t e^(-u^2 + P(t)), t = 1 / (1 + u/2).  u^2 is split
 * exactly into hi + lo (Dekker's product) and e^-hi e^(P - lo) taken apart:
 * rounding -u^2 + P as one float would cost 4e-6 relative at u = 8. */
static inline float erfc_nonnegative(float u)
{
    u = u > 10.0f ? 10.0f : u;   /* erfc(10) ~ 2e-45: zero in float */
    const float t = 1.0f / (1.0f + 0.5f * u);
    float p = 0.17087277f;
    p = p * t - 0.82215223f;
    p = p * t + 1.48851587f;
    p = p * t - 1.13520398f;
    p = p * t + 0.27886807f;
    p = p * t - 0.18628806f;
    p = p * t + 0.09678418f;
    p = p * t + 0.37409196f;
    p = p * t + 1.00002368f;
    p = p * t - 1.26551223f;
    const float split = u * 4097.0f, uh = split - (split - u), ul = u - uh;
    const float hi = u * u, lo = ((uh * uh - hi) + 2.0f * uh * ul) + ul * ul;
    return t * exp_nonpositive(-hi) * exp_nonpositive(p - lo);
}

/* GELU(x) = x/2 (1 + erf(x/sqrt 2)) = x/2 erfc(-x/sqrt 2), erfc(-u) = 2 - erfc(u):
 * the erfc form keeps the relative accuracy where 1 + erf cancels (x < 0). */
VECTOR_CLONES void gelu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const float u = x[i] * -(float)M_SQRT1_2;
        const float e = erfc_nonnegative(fabsf(u));
        x[i] = 0.5f * x[i] * (u >= 0.0f ? e : 2.0f - e);
    }
}

void silu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] / (1.0f + expf(-x[i]));
}

/* The bias goes into out before the product, which then accumulates onto
 * it: one pass over out fewer than adding it afterwards. */
static void linear_beta(float *out, int ldo, const float *in, int ldi,
                        const float *w, int ldw, const float *b, int rows,
                        int n_in, int n_out, float beta)
{
    if (rows <= 0)
        return;
    for (int r = 0; b && r < rows; r++) {
        float *y = out + (size_t)r * ldo;
        if (beta == 0.0f)
            memcpy(y, b, sizeof(float) * n_out);
        else
            for (int j = 0; j < n_out; j++)
                y[j] += b[j];
    }
    gemm_nt(rows, n_out, n_in, 1.0f, in, ldi, w, ldw, b ? 1.0f : beta, out, ldo);
}

void linear(float *out, int ldo, const float *in, int ldi, const float *w,
            int ldw, const float *b, int rows, int n_in, int n_out)
{
    linear_beta(out, ldo, in, ldi, w, ldw, b, rows, n_in, n_out, 0.0f);
}

void linear_add(float *out, int ldo, const float *in, int ldi, const float *w,
                int ldw, const float *b, int rows, int n_in, int n_out)
{
    linear_beta(out, ldo, in, ldi, w, ldw, b, rows, n_in, n_out, 1.0f);
}

/* Lanes of the partial sums and maxima: a fixed count, so the order of the
 * additions (and the bytes out) is the same for every vector width. */
#define LANES 16

/* Softmax of each score row in place (unnormalised: returns the row sums in
 * sums, so the division happens on the dh-wide output instead of n-wide). */
VECTOR_CLONES static void softmax_rows_unnormalised(float *s, int rows, int n, float *sums)
{
    for (int r = 0; r < rows; r++) {
        float *row = s + (size_t)r * n;
        float mx[LANES], part[LANES];
        for (int l = 0; l < LANES; l++)
            mx[l] = row[0];
        const int body = n / LANES * LANES;
        for (int j = 0; j < body; j += LANES)
            for (int l = 0; l < LANES; l++)
                mx[l] = row[j + l] > mx[l] ? row[j + l] : mx[l];
        float m = mx[0];
        for (int l = 1; l < LANES; l++)
            m = mx[l] > m ? mx[l] : m;
        for (int j = body; j < n; j++)
            m = row[j] > m ? row[j] : m;
        for (int l = 0; l < LANES; l++)
            part[l] = 0.0f;
        for (int j = 0; j < body; j += LANES)
            for (int l = 0; l < LANES; l++) {
                row[j + l] = exp_nonpositive(row[j + l] - m);
                part[l] += row[j + l];
            }
        float sum = 0.0f;
        for (int j = body; j < n; j++) {
            row[j] = exp_nonpositive(row[j] - m);
            sum += row[j];
        }
        for (int l = 0; l < LANES; l++)
            sum += part[l];
        sums[r] = sum;
    }
}

void attention_head(float *out, int ldo, const float *q, const float *k,
                    const float *v, int ld, int n, int dh, float *scores)
{
    const float scale = 1.0f / sqrtf((float)dh);
    float sums[ATTN_BLOCK];
    for (int r0 = 0; r0 < n; r0 += ATTN_BLOCK) {
        const int rows = n - r0 < ATTN_BLOCK ? n - r0 : ATTN_BLOCK;
        gemm_nt(rows, n, dh, scale, q + (size_t)r0 * ld, ld, k, ld, 0.0f, scores, n);
        softmax_rows_unnormalised(scores, rows, n, sums);
        float *o = out + (size_t)r0 * ldo;
        gemm_nn(rows, dh, n, 1.0f, scores, n, v, ld, 0.0f, o, ldo);
        for (int r = 0; r < rows; r++) {
            const float inv = 1.0f / sums[r];
            for (int j = 0; j < dh; j++)
                o[(size_t)r * ldo + j] *= inv;
        }
    }
}

void timestep_embedding(float *out, float tau, int d)
{
    const int half = d / 2;
    const float neg_log = -(float)log(10000.0);
    for (int k = 0; k < half; k++) {
        const float f = expf(neg_log * (float)k / (float)half);
        const float a = tau * f;
        out[k] = cosf(a);
        out[half + k] = sinf(a);
    }
    if (d % 2)
        out[d - 1] = 0.0f;
}
