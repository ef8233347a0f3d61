/* bench_samplers.c - accuracy of every deterministic sampler against a
 * 1,000-evaluation DPM-Solver solution from the same initial noise.
 *
 *   bench_samplers MODEL COUNT THREADS [STEPS...]
 *
 * For each sampler and evaluation count it prints one line: the RMS
 * distance to the reference over the final tokens and over the 8-bit RGB
 * pixels of the COUNT images (seeds 0..COUNT-1 of one run), and the time per
 * image.  The reference is the probability-flow ODE solved with 1,000
 * evaluations, so the distance measures solver error only; the stochastic
 * Euler-Maruyama sampler solves a different equation and is left out. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dctdiff.h"

#define REFERENCE_STEPS 1000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    const dctdiff_model *m;
    dctdiff_model_info info;
    int count, threads;
    size_t len;            /* floats per image */
    size_t px;             /* bytes per 8-bit image */
} bench;

static int sample(const bench *b, dctdiff_sampler kind, int steps, float *tok,
                  unsigned char *rgb, double *secs)
{
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.sampler = kind;
    p.steps = steps;
    p.count = b->count;
    p.threads = b->threads;
    p.seed = 0;
    p.class_label = b->info.num_classes ? 0 : -1;
    dctdiff_error err = { 0 };
    const double t0 = now();
    if (dctdiff_generate_tokens(b->m, &p, tok, &err) != DCTDIFF_OK) {
        fprintf(stderr, "bench_samplers: %s\n", err.msg);
        return 0;
    }
    *secs = (now() - t0) / b->count;
    const int res = b->info.resolution;
    for (int i = 0; i < b->count; i++) {
        dctdiff_image img = { res, res, 3, DCTDIFF_PIXEL_U8, (size_t)res * 3,
                              rgb + i * b->px };
        if (dctdiff_detokenize(&b->info.layout, tok + i * b->len, &img, &err) != DCTDIFF_OK) {
            fprintf(stderr, "bench_samplers: %s\n", err.msg);
            return 0;
        }
    }
    return 1;
}

static double rms_f(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(s / n);
}

static double rms_u8(const unsigned char *a, const unsigned char *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(s / n);
}

int main(int argc, char **argv)
{
    static const int default_steps[] = { 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 100 };
    if (argc < 4) {
        fprintf(stderr, "usage: bench_samplers MODEL COUNT THREADS [STEPS...]\n");
        return 2;
    }
    bench b = { 0 };
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (dctdiff_model_load(argv[1], &m, &err) != DCTDIFF_OK) {
        fprintf(stderr, "bench_samplers: %s\n", err.msg);
        return 1;
    }
    b.m = m;
    dctdiff_model_get_info(m, &b.info);
    b.count = atoi(argv[2]);
    b.threads = atoi(argv[3]);
    b.len = (size_t)b.info.tokens * b.info.token_dim;
    b.px = (size_t)b.info.resolution * b.info.resolution * 3;
    int nsteps = argc > 4 ? argc - 4 : (int)(sizeof default_steps / sizeof *default_steps);
    int *steps = malloc(sizeof(int) * nsteps);
    for (int i = 0; i < nsteps; i++)
        steps[i] = argc > 4 ? atoi(argv[4 + i]) : default_steps[i];
    float *ref = malloc(sizeof(float) * b.len * b.count);
    float *tok = malloc(sizeof(float) * b.len * b.count);
    unsigned char *ref_px = malloc(b.px * b.count), *px = malloc(b.px * b.count);
    double secs;
    int ok = sample(&b, DCTDIFF_SAMPLER_DPM_SOLVER, REFERENCE_STEPS, ref, ref_px, &secs);
    printf("model %s: %d images, reference dpm-solver@%d (%.3g s/image), threads %d\n",
           b.info.name, b.count, REFERENCE_STEPS, secs, b.threads);
    printf("%-16s %5s %12s %12s %10s\n", "sampler", "evals", "token rms", "pixel rms",
           "s/image");
    for (const dctdiff_enum_entry *e = dctdiff_samplers(); ok && e->name; e++) {
        if (e->value == DCTDIFF_SAMPLER_EULER_SDE)
            continue;
        for (int i = 0; ok && i < nsteps; i++) {
            ok = sample(&b, (dctdiff_sampler)e->value, steps[i], tok, px, &secs);
            if (ok)
                printf("%-16s %5d %12.4g %12.4g %10.3g\n", e->name, steps[i],
                       rms_f(tok, ref, b.len * b.count), rms_u8(px, ref_px, b.px * b.count),
                       secs);
        }
    }
    free(steps);
    free(ref);
    free(tok);
    free(ref_px);
    free(px);
    dctdiff_model_free(m);
    return ok ? 0 : 1;
}
