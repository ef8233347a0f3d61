/* bench_generate.c - times the UViT forward pass and a whole sampling run,
 * and OpenBLAS's own large-sgemm rate as the ceiling, in one process.
 *
 *   bench_generate MODEL THREADS FORWARD_REPS [SAMPLE_STEPS SAMPLE_REPS]
 *
 * Prints one line of key=value pairs (medians, seconds) that
 * bench_generate.py reads.  The forward output is checked for finite values
 * before any timing is trusted. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "network/uvit.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Multiply-adds x 2 of one forward pass of one image. */
static double forward_flops(const dctdiff_model *m)
{
    const double D = m->info.embed_dim, S = m->extras + m->info.tokens;
    const double T = m->info.tokens, K = m->info.token_dim, H = m->mlp_hidden;
    const int blocks = m->info.depth + 1, skips = m->info.depth / 2;
    const double block = 2 * S * (3 * D * D + D * D + 2 * D * H) + 4 * S * S * D;
    return blocks * block + skips * 2 * S * 2 * D * D + 2 * T * K * D * 2;
}

/* OpenBLAS on one big square product with its own threads: the ceiling. */
static double sgemm_rate(int threads)
{
    const int n = 1536;
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n);
    float *c = malloc(sizeof(float) * n * n);
    for (int i = 0; i < n * n; i++) {
        a[i] = (float)((i % 13) - 6) * 0.1f;
        b[i] = (float)((i % 7) - 3) * 0.1f;
    }
    openblas_set_num_threads(threads);
    double t[5];
    for (int r = 0; r < 5; r++) {
        double t0 = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, n, 1.0f, a, n, b, n,
                    0.0f, c, n);
        t[r] = now() - t0;
    }
    free(a);
    free(b);
    free(c);
    return 2.0 * n * n * (double)n / median(t, 5) / 1e9;
}

static int time_forward(const dctdiff_model *m, int threads, int batch, int reps,
                        double *secs)
{
    const size_t len = (size_t)batch * m->info.tokens * m->info.token_dim;
    float *x = malloc(sizeof(float) * len), *eps = malloc(sizeof(float) * len);
    float tau[64];
    int labels[64] = { 0 };
    uvit_workspace *w = NULL;
    dctdiff_error err = { 0 };
    for (size_t i = 0; i < len; i++)
        x[i] = (float)sin(0.37 * (double)i);
    for (int i = 0; i < batch; i++)
        tau[i] = 500.0f;
    int ok = uvit_workspace_new(m, batch, threads, &w, &err) == DCTDIFF_OK;
    const int *lab = m->info.num_classes ? labels : NULL;
    double *t = malloc(sizeof(double) * (reps + 1));
    for (int r = 0; ok && r <= reps; r++) { /* the first run warms up */
        double t0 = now();
        ok = uvit_forward(w, batch, x, tau, lab, eps, &err) == DCTDIFF_OK;
        t[r] = now() - t0;
    }
    for (size_t i = 0; ok && i < len; i++)
        ok = isfinite(eps[i]);
    if (ok)
        *secs = median(t + 1, reps);
    else
        fprintf(stderr, "bench_generate: forward failed: %s\n", err.msg);
    free(t);
    free(x);
    free(eps);
    uvit_workspace_free(w);
    return ok;
}

static int time_sampling(const dctdiff_model *m, int threads, int steps, int reps,
                         double *secs)
{
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.sampler = DCTDIFF_SAMPLER_DPM_SOLVER;
    p.steps = steps;
    p.threads = threads;
    p.class_label = m->info.num_classes ? 0 : -1;
    const size_t len = (size_t)m->info.tokens * m->info.token_dim;
    float *tok = malloc(sizeof(float) * len);
    double *t = malloc(sizeof(double) * reps);
    dctdiff_error err = { 0 };
    int ok = 1;
    for (int r = 0; ok && r < reps; r++) {
        p.seed = (uint64_t)r;
        double t0 = now();
        ok = dctdiff_generate_tokens(m, &p, tok, &err) == DCTDIFF_OK;
        t[r] = now() - t0;
    }
    if (ok)
        *secs = median(t, reps);
    else
        fprintf(stderr, "bench_generate: sampling failed: %s\n", err.msg);
    free(t);
    free(tok);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 6) {
        fprintf(stderr, "usage: bench_generate MODEL THREADS FORWARD_REPS "
                        "[SAMPLE_STEPS SAMPLE_REPS]\n");
        return 2;
    }
    const int threads = atoi(argv[2]), reps = atoi(argv[3]);
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (dctdiff_model_load(argv[1], &m, &err) != DCTDIFF_OK) {
        fprintf(stderr, "bench_generate: %s\n", err.msg);
        return 1;
    }
    const int saved = openblas_get_num_threads();
    const double peak = sgemm_rate(threads);
    openblas_set_num_threads(saved);
    double fwd = 0, sample = 0;
    int ok = time_forward(m, threads, 1, reps, &fwd);
    printf("threads=%d flops=%.6g sgemm_gflops=%.4g forward_s=%.6g", threads,
           forward_flops(m), peak, fwd);
    if (ok && argc == 6) {
        ok = time_sampling(m, threads, atoi(argv[4]), atoi(argv[5]), &sample);
        printf(" sample_s=%.6g", sample);
    }
    printf("\n");
    dctdiff_model_free(m);
    return ok ? 0 : 1;
}
