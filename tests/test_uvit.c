/* test_uvit.c - the network layers against naive float64 loops, and the
 * whole UViT forward against PyTorch (weights/export_fixtures.py).
 *
 * Parity metric: both the norm-relative error ||c - ref|| / ||ref|| < 1e-4
 * and, elementwise, |c - ref| <= 1e-4 (|ref| + rms(ref)) (relative with a
 * floor at the output's rms, so near-zero entries do not dominate).
 * Also: the same bytes for 1 and 3 threads, and for an image alone or in a
 * batch. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture_io.h"
#include "network/layers.h"
#include "model/model.h"

/* ------------------------------------------------------------------------ */
/* Layers against naive loops                                               */

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

/* ------------------------------------------------------------------------ */
/* The network against PyTorch                                              */

typedef struct {
    int n, T, K, has_labels;
    int labels[8];
    float tau[8];
    float *eps;
} forward_fixture;

static int read_forward(const char *path, forward_fixture *fx)
{
    size_t size = 0;
    unsigned char *buf = fixture_read(path, &size);
    if (!CHECK(buf && size > 28 && memcmp(buf, "DDUVITFX", 8) == 0, "%s unreadable", path)) {
        free(buf);
        return 0;
    }
    int32_t h[5];
    memcpy(h, buf + 8, sizeof h);
    fx->n = h[1];
    fx->T = h[2];
    fx->K = h[3];
    fx->has_labels = h[4];
    size_t at = 28, len = (size_t)fx->n * fx->T * fx->K;
    int ok = h[0] == 1 && fx->n >= 1 && fx->n <= 8 &&
             size == at + (fx->has_labels ? 4 * fx->n : 0) + 4 * fx->n + 4 * len;
    if (ok) {
        if (fx->has_labels) {
            memcpy(fx->labels, buf + at, 4 * fx->n);
            at += 4 * fx->n;
        }
        memcpy(fx->tau, buf + at, 4 * fx->n);
        at += 4 * fx->n;
        fx->eps = malloc(4 * len);
        memcpy(fx->eps, buf + at, 4 * len);
    }
    free(buf);
    return CHECK(ok, "%s: bad header or size", path);
}

static void test_forward(const char *model_path, const char *fixture_path)
{
    forward_fixture fx;
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (!read_forward(fixture_path, &fx))
        return;
    if (!CHECK(dctdiff_model_load(model_path, &m, &err) == DCTDIFF_OK, "load %s: %s",
               model_path, err.msg)) {
        free(fx.eps);
        return;
    }
    const size_t len1 = (size_t)fx.T * fx.K, len = fx.n * len1;
    CHECK(m->info.tokens == fx.T && m->info.token_dim == fx.K, "%s: shape", model_path);
    float *x = malloc(4 * len), *eps = malloc(4 * len), *eps3 = malloc(4 * len);
    fixture_pattern(x, len, 0.0);
    const int *labels = fx.has_labels ? fx.labels : NULL;
    CHECK(dctdiff_model_forward(m, fx.n, x, fx.tau, labels, eps, 1, &err) == DCTDIFF_OK,
          "forward: %s", err.msg);
    const double rel = fixture_rel_l2(eps, fx.eps, len);
    printf("%s: norm-relative error %.3g\n", model_path, rel);
    CHECK(rel < 1e-4, "%s: norm-relative error %g", model_path, rel);
    check_close(model_path, eps, fx.eps, len, 1e-4 * fixture_rms(fx.eps, len), 1e-4);

    /* determinism: threads, and an image alone vs inside the batch */
    CHECK(dctdiff_model_forward(m, fx.n, x, fx.tau, labels, eps3, 3, &err) == DCTDIFF_OK,
          "forward, 3 threads");
    CHECK(memcmp(eps, eps3, 4 * len) == 0, "%s: 1 and 3 threads differ", model_path);
    CHECK(dctdiff_model_forward(m, 1, x + len1, fx.tau + 1, labels ? labels + 1 : NULL,
                                eps3, 2, &err) == DCTDIFF_OK, "forward, image alone");
    CHECK(memcmp(eps + len1, eps3, 4 * len1) == 0, "%s: alone vs batched differ", model_path);

    /* refusals */
    int bad[8] = { 0 };
    if (fx.has_labels) {
        bad[0] = m->info.num_classes;
        CHECK(dctdiff_model_forward(m, 1, x, fx.tau, NULL, eps3, 1, &err) == DCTDIFF_E_ARG,
              "missing labels refused");
        CHECK(dctdiff_model_forward(m, 1, x, fx.tau, bad, eps3, 1, &err) == DCTDIFF_E_ARG,
              "label out of range refused");
    } else {
        CHECK(dctdiff_model_forward(m, 1, x, fx.tau, bad, eps3, 1, &err) == DCTDIFF_E_ARG,
              "labels for an unconditional model refused");
    }
    CHECK(dctdiff_model_forward(m, 0, x, fx.tau, NULL, eps3, 1, &err) == DCTDIFF_E_ARG,
          "batch 0 refused");
    free(x);
    free(eps);
    free(eps3);
    free(fx.eps);
    dctdiff_model_free(m);
}

int main(void)
{
    test_linear_and_norm();
    test_attention();
    test_time_embedding();
    test_forward("fixtures/uvit_b2.safetensors", "fixtures/uvit_b2_forward.bin");
    test_forward("fixtures/uvit_b4c.safetensors", "fixtures/uvit_b4c_forward.bin");
    return check_finish("test_uvit");
}
