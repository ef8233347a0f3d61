/* layers.c - LayerNorm, GELU, linear layers (gemm.h) and attention. */
#include "network/layers.h"

#include <math.h>

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

void gelu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = 0.5f * x[i] * (1.0f + erff(x[i] * (float)M_SQRT1_2));
}

void silu(float *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = x[i] / (1.0f + expf(-x[i]));
}

static void linear_beta(float *out, int ldo, const float *in, int ldi,
                        const float *w, int ldw, const float *b, int rows,
                        int n_in, int n_out, float beta)
{
    if (rows <= 0)
        return;
    gemm_nt(rows, n_out, n_in, 1.0f, in, ldi, w, ldw, beta, out, ldo);
    if (!b)
        return;
    for (int r = 0; r < rows; r++) {
        float *y = out + (size_t)r * ldo;
        for (int j = 0; j < n_out; j++)
            y[j] += b[j];
    }
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

/* Softmax of each score row in place (unnormalised: returns the row sums in
 * sums, so the division happens on the dh-wide output instead of n-wide). */
static void softmax_rows_unnormalised(float *s, int rows, int n, float *sums)
{
    for (int r = 0; r < rows; r++) {
        float *row = s + (size_t)r * n;
        float mx = row[0];
        for (int j = 1; j < n; j++)
            mx = row[j] > mx ? row[j] : mx;
        float sum = 0.0f;
        for (int j = 0; j < n; j++) {
            row[j] = expf(row[j] - mx);
            sum += row[j];
        }
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
