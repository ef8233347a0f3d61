/* bench_samplers.c - accuracy of every deterministic sampler against a
 * 1,000-evaluation DPM-Solver solution from the same initial noise.
 *
 *   bench_samplers MODEL COUNT THREADS [STEPS...]
 *   bench_samplers --cache SAMPLER MODEL COUNT THREADS [STEPS...]
 *
 * For each sampler and evaluation count it prints one line: the RMS
 * distance to the reference over the final tokens and over the 8-bit RGB
 * pixels of the COUNT images (seeds 0..COUNT-1 of one run), and the time per
 * image.  The reference is the probability-flow ODE solved with 1,000
 * evaluations, so the distance measures solver error only; the stochastic
 * Euler-Maruyama sampler solves a different equation and is left out.
 *
 * --cache measures step caching for one sampler: per evaluation count, the
 * uncached run, then for each cache interval and depth the cached run, its
 * speed-up per image (median of CACHE_REPS ratios, each of an uncached and a
 * cached run timed one after the other), and the uncached run of as many
 * evaluations as take the same time (the evaluations over the speed-up):
 * caching is worth having only where it is closer to the reference than
 * that. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dctdiff.h"

#define REFERENCE_STEPS 1000
#define CACHE_REPS 3
static const int cache_intervals[] = { 2, 3 };
static const int cache_depths[] = { 1, 2 };

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

/* A run's sampler, evaluations and step cache (interval 0 = off). */
typedef struct {
    dctdiff_sampler kind;
    int steps, interval, depth;
} setting;

static int sample(const bench *b, setting set, float *tok, unsigned char *rgb, double *secs)
{
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.sampler = set.kind;
    p.steps = set.steps;
    p.cache_interval = set.interval;
    if (set.interval)
        p.cache_depth = set.depth;
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

typedef struct {
    float *ref, *tok;
    unsigned char *ref_px, *px;
} buffers;

/* Runs set and prints its line, with the cache column when label is not
 * NULL; 0 on failure. */
static int row(const bench *b, buffers *u, const char *name, setting set, const char *label,
               double *tok_rms, double *secs)
{
    if (!sample(b, set, u->tok, u->px, secs))
        return 0;
    *tok_rms = rms_f(u->tok, u->ref, b->len * b->count);
    printf("%-16s %5d", name, set.steps);
    if (label)
        printf(" %-9s", label);
    printf(" %12.4g %12.4g %10.3g", *tok_rms, rms_u8(u->px, u->ref_px, b->px * b->count),
           *secs);
    return 1;
}

static int every_sampler(const bench *b, buffers *u, const int *steps, int nsteps)
{
    printf("%-16s %5s %12s %12s %10s\n", "sampler", "evals", "token rms", "pixel rms",
           "s/image");
    int ok = 1;
    for (const dctdiff_enum_entry *e = dctdiff_samplers(); ok && e->name; e++) {
        if (e->value == DCTDIFF_SAMPLER_EULER_SDE)
            continue;
        for (int i = 0; ok && i < nsteps; i++) {
            double rms, secs;
            ok = row(b, u, e->name, (setting){ (dctdiff_sampler)e->value, steps[i], 0, 0 },
                     NULL, &rms, &secs);
            printf("\n");
        }
    }
    return ok;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median over CACHE_REPS of an uncached run's time over a cached one's,
 * each pair timed one after the other. */
static int speed_up(const bench *b, buffers *u, setting off, setting on, double *ratio)
{
    double r[CACHE_REPS];
    for (int k = 0; k < CACHE_REPS; k++) {
        double t_off, t_on;
        if (!sample(b, off, u->tok, u->px, &t_off) || !sample(b, on, u->tok, u->px, &t_on))
            return 0;
        r[k] = t_off / t_on;
    }
    qsort(r, CACHE_REPS, sizeof *r, by_value);
    *ratio = r[CACHE_REPS / 2];
    return 1;
}

static int cache_rows(const bench *b, buffers *u, const char *name, dctdiff_sampler kind,
                      const int *steps, int nsteps)
{
    printf("%-16s %5s %-9s %12s %12s %10s %8s %s\n", "sampler", "evals", "cache",
           "token rms", "pixel rms", "s/image", "speed-up", "| equal time: evals, token rms, "
           "pixel rms, s/image");
    for (int i = 0; i < nsteps; i++) {
        const setting off = { kind, steps[i], 0, 0 };
        double rms, secs;
        if (!row(b, u, name, off, "off", &rms, &secs))
            return 0;
        printf("\n");
        for (size_t a = 0; a < sizeof cache_intervals / sizeof *cache_intervals; a++)
            for (size_t d = 0; d < sizeof cache_depths / sizeof *cache_depths; d++) {
                const setting on = { kind, steps[i], cache_intervals[a], cache_depths[d] };
                if (on.depth > b->info.depth / 2)
                    continue;
                char label[16];
                snprintf(label, sizeof label, "%d:%d", on.interval, on.depth);
                double ratio, eq_rms, eq_secs;
                if (!row(b, u, name, on, label, &rms, &secs) || !speed_up(b, u, off, on, &ratio))
                    return 0;
                const int eq = (int)(steps[i] / ratio + 0.5);
                printf(" %7.2fx | ", ratio);
                if (!row(b, u, name, (setting){ kind, eq < 1 ? 1 : eq, 0, 0 }, "off", &eq_rms,
                         &eq_secs))
                    return 0;
                printf(" -> caching %s\n", rms < eq_rms ? "closer" : "not closer");
            }
    }
    return 1;
}

int main(int argc, char **argv)
{
    static const int default_steps[] = { 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 100 };
    static const int default_cache_steps[] = { 20, 50 };
    const char *cache = NULL;
    if (argc > 2 && strcmp(argv[1], "--cache") == 0) {
        cache = argv[2];
        argc -= 2;
        argv += 2;
    }
    if (argc < 4) {
        fprintf(stderr, "usage: bench_samplers [--cache SAMPLER] MODEL COUNT THREADS "
                "[STEPS...]\n");
        return 2;
    }
    const int kind = cache ? dctdiff_enum_lookup(dctdiff_samplers(), cache) : 0;
    if (kind < 0) {
        fprintf(stderr, "bench_samplers: unknown sampler %s\n", cache);
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
    const int *defaults = cache ? default_cache_steps : default_steps;
    const int ndefaults = cache ? 2 : (int)(sizeof default_steps / sizeof *default_steps);
    int nsteps = argc > 4 ? argc - 4 : ndefaults;
    int *steps = malloc(sizeof(int) * nsteps);
    for (int i = 0; i < nsteps; i++)
        steps[i] = argc > 4 ? atoi(argv[4 + i]) : defaults[i];
    buffers u = { malloc(sizeof(float) * b.len * b.count),
                  malloc(sizeof(float) * b.len * b.count), malloc(b.px * b.count),
                  malloc(b.px * b.count) };
    double secs;
    int ok = sample(&b, (setting){ DCTDIFF_SAMPLER_DPM_SOLVER, REFERENCE_STEPS, 0, 0 }, u.ref,
                    u.ref_px, &secs);
    printf("model %s: %d images, reference dpm-solver@%d (%.3g s/image), threads %d\n",
           b.info.name, b.count, REFERENCE_STEPS, secs, b.threads);
    if (ok)
        ok = cache ? cache_rows(&b, &u, cache, (dctdiff_sampler)kind, steps, nsteps)
                   : every_sampler(&b, &u, steps, nsteps);
    free(steps);
    free(u.ref);
    free(u.tok);
    free(u.ref_px);
    free(u.px);
    dctdiff_model_free(m);
    return ok ? 0 : 1;
}
