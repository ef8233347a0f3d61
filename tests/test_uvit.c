/* test_uvit.c - the whole UViT forward (network/uvit.c) against PyTorch
 * (weights/export_fixtures.py); its layers alone are test_layers.c.
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
#include "model/model.h"

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
    test_forward("fixtures/uvit_b2.safetensors", "fixtures/uvit_b2_forward.bin");
    test_forward("fixtures/uvit_b4c.safetensors", "fixtures/uvit_b4c_forward.bin");
    return check_finish("test_uvit");
}
