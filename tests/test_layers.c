/* test_layers.c - the network's layers (network/layers.c) against naive
 * float64 loops: GELU over its whole range, linear and layer norm,
 * attention and the time embedding.  The whole forward pass against PyTorch
 * is test_uvit.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture_io.h"
#include "network/layers.h"

static void fill(float *a, size_t n, double phase)
{
    fixture_pattern(a, n, phase);
}

/* GELU is computed from an erfc approximation: relative accuracy near float
 * rounding over the whole range, tails included (x/2 erfc(8.5) at -12).  The
 * reference takes the float product x / sqrt 2 as erff(x * M_SQRT1_2) does:
 * erfc's relative sensitivity 2u^2 amplifies that rounding to 1e-5 at -12. */
static void test_gelu_range(void)
{
    enum { N = 24 * 256 + 1 };
    static float x[N], ref[N];
    for (int k = 0; k < N; k++) {
        x[k] = -12.0f + (float)k / 256.0f;
        const float u = x[k] * (float)M_SQRT1_2;
        ref[k] = (float)(0.5 * x[k] * erfc(-(double)u));
    }
    gelu(x, N);
    check_close("gelu over [-12, 12]", x, ref, N, 1e-37, 1e-6);
}

static void test_linear_and_norm(void)
{
    enum { R = 70, I = 37, O = 300 };
    float *in = malloc(sizeof(float) * R * I), *w = malloc(sizeof(float) * O * I);
    float b[O], *out = malloc(sizeof(float) * R * O), *ref = malloc(sizeof(float) * R * O);
    fill(in, R * I, 0.1);
    fill(w, O * I, 0.2);
    fill(b, O, 0.3);
    for (int r = 0; r < R; r++)
        for (int o = 0; o < O; o++) {
            double s = b[o];
            for (int i = 0; i < I; i++)
                s += (double)in[r * I + i] * w[o * I + i];
            ref[r * O + o] = (float)s;
        }
    linear(out, O, in, I, w, I, b, R, I, O);
    check_close("linear", out, ref, R * O, 1e-5, 1e-5);
    linear_add(out, O, in, I, w, I, b, R, I, O);
    for (int k = 0; k < R * O; k++)
        ref[k] *= 2;
    check_close("linear_add", out, ref, R * O, 2e-5, 1e-5);

    float g[I], bb[I];
    fill(g, I, 0.4);
    fill(bb, I, 0.5);
    layer_norm(out, I, in, I, R, I, g, bb);
    for (int r = 0; r < R; r++) {
        double m = 0, v = 0;
        for (int i = 0; i < I; i++)
            m += in[r * I + i];
        m /= I;
        for (int i = 0; i < I; i++)
            v += (in[r * I + i] - m) * (in[r * I + i] - m);
        v /= I;
        for (int i = 0; i < I; i++)
            ref[r * I + i] = (float)((in[r * I + i] - m) / sqrt(v + 1e-5) * g[i] + bb[i]);
    }
    check_close("layer_norm", out, ref, R * I, 1e-5, 1e-5);

    memcpy(out, in, sizeof(float) * R * I);
    gelu(out, R * I);
    for (int k = 0; k < R * I; k++)
        ref[k] = (float)(0.5 * in[k] * (1 + erf(in[k] / sqrt(2.0))));
    check_close("gelu", out, ref, R * I, 1e-6, 1e-6);
    free(in);
    test_gelu_range();
    free(w);
    free(out);
    free(ref);
}

static void test_attention(void)
{
    enum { N = 130, DH = 16, LD = 50 }; /* two full query blocks and a tail */
    float *qkv = malloc(sizeof(float) * N * LD), *out = malloc(sizeof(float) * N * DH);
    float *ref = malloc(sizeof(float) * N * DH), *scores = malloc(sizeof(float) * ATTN_BLOCK * N);
    double *p = malloc(sizeof(double) * N);
    fill(qkv, N * LD, 0.7);
    const float *q = qkv, *k = qkv + DH, *v = qkv + 2 * DH;
    for (int i = 0; i < N; i++) {
        double mx = -1e300, sum = 0;
        for (int j = 0; j < N; j++) {
            double s = 0;
            for (int d = 0; d < DH; d++)
                s += (double)q[i * LD + d] * k[j * LD + d];
            p[j] = s / sqrt(DH);
            mx = fmax(mx, p[j]);
        }
        for (int j = 0; j < N; j++)
            sum += p[j] = exp(p[j] - mx);
        for (int d = 0; d < DH; d++) {
            double o = 0;
            for (int j = 0; j < N; j++)
                o += p[j] * v[j * LD + d];
            ref[i * DH + d] = (float)(o / sum);
        }
    }
    attention_head(out, DH, q, k, v, LD, N, DH, scores);
    check_close("attention", out, ref, N * DH, 1e-5, 1e-5);
    free(qkv);
    free(out);
    free(ref);
    free(scores);
    free(p);
}

static void test_time_embedding(void)
{
    enum { D = 64 };
    float e[D + 1], ref[D + 1];
    const float tau = 999.0f * 0.37f;
    timestep_embedding(e, tau, D + 1);
    for (int k = 0; k < D / 2; k++) {
        double f = exp(-log(10000.0) * k / (D / 2));
        ref[k] = (float)cos(tau * f);
        ref[D / 2 + k] = (float)sin(tau * f);
    }
    ref[D] = 0;
    /* float32 frequencies times tau ~ 370: arguments agree to ~1e-4 */
    check_close("time embedding", e, ref, D + 1, 2e-4, 0);
}

int main(void)
{
    test_linear_and_norm();
    test_attention();
    test_time_embedding();
    return check_finish("test_layers");
}
