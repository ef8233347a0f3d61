/* test_uvit.c - the whole UViT forward (network/uvit.c) against PyTorch
 * (weights/export_fixtures.py); its layers alone are test_layers.c.
 *
 * Parity metric: both the norm-relative error ||c - ref|| / ||ref|| < 1e-4
 * and, elementwise, |c - ref| <= 1e-4 (|ref| + rms(ref)) (relative with a
 * floor at the output's rms, so near-zero entries do not dominate).
 * Also: the same bytes for 1 and 3 threads, and for an image alone or in a
 * batch; step caching (uvit_workspace_cache) against the whole network. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture_io.h"
#include "model/model.h"
#include "network/uvit.h"

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

/* ------------------------------------------------------------------------ */
/* Step caching                                                             */

static double rms_diff(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(s / (double)n);
}

/* A kept pass is the whole network's bytes; a reuse on the same input too
 * (its deep features are those it would compute); a reuse one step later
 * (input and time moved a little) differs from the whole network there,
 * but by less than reusing the whole output would. */
static void test_cache_depth(const dctdiff_model *m, int depth, int n, const float *x0,
                             const float *x1, const float *tau0, const float *tau1,
                             const int *labels)
{
    const size_t len = (size_t)n * m->info.tokens * m->info.token_dim;
    float *whole0 = malloc(4 * len), *whole1 = malloc(4 * len), *got = malloc(4 * len);
    uvit_workspace *w = NULL;
    dctdiff_error err = { 0 };
    CHECK(uvit_workspace_new(m, n, 2, &w, &err) == DCTDIFF_OK, "workspace: %s", err.msg);
    CHECK(uvit_workspace_cache(w, depth, &err) == DCTDIFF_OK, "cache %d: %s", depth, err.msg);
    CHECK(uvit_forward(w, UVIT_WHOLE, n, x1, tau1, labels, whole1, &err) == DCTDIFF_OK &&
          uvit_forward(w, UVIT_WHOLE, n, x0, tau0, labels, whole0, &err) == DCTDIFF_OK &&
          uvit_forward(w, UVIT_KEEP_DEEP, n, x0, tau0, labels, got, &err) == DCTDIFF_OK,
          "depth %d: %s", depth, err.msg);
    CHECK(memcmp(got, whole0, 4 * len) == 0, "depth %d: the kept pass differs", depth);
    CHECK(uvit_forward(w, UVIT_REUSE_DEEP, n, x0, tau0, labels, got, &err) == DCTDIFF_OK &&
          memcmp(got, whole0, 4 * len) == 0, "depth %d: reuse on the same input differs",
          depth);
    CHECK(uvit_forward(w, UVIT_REUSE_DEEP, n, x1, tau1, labels, got, &err) == DCTDIFF_OK,
          "depth %d: reuse: %s", depth, err.msg);
    const double cached = rms_diff(got, whole1, len), stale = rms_diff(whole0, whole1, len);
    const double size = fixture_rms(whole1, len);
    printf("depth %d: reused deep features %.3g from the whole network, its output of the "
           "step before %.3g (output rms %.3g)\n", depth, cached, stale, size);
    CHECK(cached > 0 && cached < stale && cached < 0.05 * size, "depth %d: reuse one step "
          "later is %g from the whole network (stale output %g, rms %g)", depth, cached, stale,
          size);
    uvit_workspace_free(w);
    free(whole0);
    free(whole1);
    free(got);
}

static void test_cache(const char *model_path)
{
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (!CHECK(dctdiff_model_load(model_path, &m, &err) == DCTDIFF_OK, "load %s: %s",
               model_path, err.msg))
        return;
    enum { N = 2 };
    const size_t len = (size_t)N * m->info.tokens * m->info.token_dim;
    float *x0 = malloc(4 * len), *x1 = malloc(4 * len), *eps = malloc(4 * len);
    fixture_pattern(x0, len, 0.0);
    fixture_pattern(x1, len, 1.0);
    for (size_t i = 0; i < len; i++)   /* one small step on: 2 % of new noise */
        x1[i] = 0.98f * x0[i] + 0.02f * x1[i];
    const float tau0[N] = { 600.0f, 300.0f }, tau1[N] = { 580.0f, 290.0f };
    const int labels[N] = { 1, 3 };
    const int *lab = m->info.num_classes ? labels : NULL;
    printf("%s:\n", model_path);
    for (int depth = 1; depth <= m->info.depth / 2; depth++)
        test_cache_depth(m, depth, N, x0, x1, tau0, tau1, lab);

    uvit_workspace *w = NULL;
    CHECK(uvit_workspace_new(m, N, 1, &w, &err) == DCTDIFF_OK, "workspace: %s", err.msg);
    CHECK(uvit_forward(w, UVIT_KEEP_DEEP, N, x0, tau0, lab, eps, &err) == DCTDIFF_E_ARG,
          "a kept pass without a cache accepted");
    CHECK(uvit_workspace_cache(w, 0, &err) == DCTDIFF_E_ARG &&
          uvit_workspace_cache(w, m->info.depth / 2 + 1, &err) == DCTDIFF_E_ARG,
          "cache depths 0 and depth / 2 + 1 accepted");
    CHECK(uvit_workspace_cache(w, 1, &err) == DCTDIFF_OK, "cache: %s", err.msg);
    CHECK(uvit_forward(w, UVIT_REUSE_DEEP, N, x0, tau0, lab, eps, &err) == DCTDIFF_E_ARG,
          "a reuse before any kept pass accepted");
    CHECK(uvit_forward(w, UVIT_KEEP_DEEP, 1, x0, tau0, lab, eps, &err) == DCTDIFF_OK &&
          uvit_forward(w, UVIT_REUSE_DEEP, N, x0, tau0, lab, eps, &err) == DCTDIFF_E_ARG,
          "a reuse of another batch size accepted");
    uvit_workspace_free(w);
    free(x0);
    free(x1);
    free(eps);
    dctdiff_model_free(m);
}

int main(void)
{
    test_forward("fixtures/uvit_b2.safetensors", "fixtures/uvit_b2_forward.bin");
    test_forward("fixtures/uvit_b4c.safetensors", "fixtures/uvit_b4c_forward.bin");
    test_cache("fixtures/uvit_b2.safetensors");
    test_cache("fixtures/uvit_b4c.safetensors");
    /* deeper than the fixtures (depth 4): a deep out-block before the kept point */
    test_cache("../weights/models/emoji32-tiny.safetensors");
    return check_finish("test_uvit");
}
