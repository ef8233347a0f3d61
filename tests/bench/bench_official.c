/* bench_official.c - time per image of every published DCTdiff checkpoint
 * with this engine, on a network of random weights of the same shape (the
 * files themselves cannot be downloaded here; the time depends only on the
 * shape).  One network evaluation at batch 1 is timed (median of 3, after a
 * warm-up), interleaved with the same evaluation of the DCTdiff-S/4 network
 * (celeba64-small-v1), the baseline whose idle-machine time the README's
 * generation table gives; the ratio survives a busy machine better than the
 * seconds do.  An image costs the checkpoint's steps evaluations (each
 * sampler evaluates the network once per step: DPM-Solver's orders add up to
 * the step count).  Prints a Markdown table for docs/official-models.md.
 *
 *   bench_official [THREADS]      (default 2) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/model.h"
#include "model/official.h"
#include "official_layout.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A random-weight model of checkpoint i's shape. */
static dctdiff_model *random_model(int i, float **weights)
{
    static official_table tb;
    model_config c;
    official_config(i, &c);
    official_layout(&tb, &c);
    size_t largest = 0;
    for (int k = 0; k < tb.f.count; k++)
        largest = tb.t[k].count > largest ? tb.t[k].count : largest;
    *weights = malloc(largest * sizeof **weights);
    srand(1);
    for (size_t k = 0; k < largest; k++)
        (*weights)[k] = ((float)rand() / RAND_MAX - 0.5f) * 0.1f;
    for (int k = 0; k < tb.f.count; k++)
        tb.t[k].data = *weights;   /* every tensor reads the same random values */
    meta_list meta;
    dctdiff_model *m = NULL;
    dctdiff_error err = {0};
    if (official_metadata(i, official_get(i)->file, &meta, &err) != DCTDIFF_OK ||
        model_build(&tb.f, (const char *const *)meta.keys, (const char *const *)meta.values,
                    meta.count, "bench", MODEL_WEIGHTS, &m, &err) != DCTDIFF_OK)
        fprintf(stderr, "%s: %s\n", official_get(i)->name, err.msg);
    meta_list_free(&meta);
    return m;
}

static double forward_once(const dctdiff_model *m, int threads)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    size_t n = (size_t)in.tokens * in.token_dim;
    float *x = calloc(n, sizeof *x), *eps = malloc(n * sizeof *eps), tau = 500;
    int label = 0;
    double t0 = now();
    dctdiff_model_forward(m, 1, x, &tau, in.num_classes ? &label : NULL, eps, threads, NULL);
    double t = now() - t0;
    free(x);
    free(eps);
    return t;
}

static double median3(double *t)
{
    qsort(t, 3, sizeof t[0], by_value);
    return t[1];
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    float *ref_weights = NULL;
    dctdiff_model *ref = random_model(official_find("celeba64-small-v1"), &ref_weights);
    if (!ref)
        return 1;
    printf("| checkpoint | native size | parameters | steps | s / evaluation | vs S/4 | "
           "s / image (%d threads) |\n|---|---|---|---|---|---|---|\n", threads);
    for (int i = 0; i < official_count(); i++) {
        float *weights = NULL;
        dctdiff_model *m = random_model(i, &weights);
        if (!m)
            return 1;
        dctdiff_model_info in;
        dctdiff_model_get_info(m, &in);
        double t[3], ratio[3];
        forward_once(m, threads);   /* warm-up */
        for (int r = 0; r < 3; r++) {
            double base = forward_once(ref, threads);
            t[r] = forward_once(m, threads);
            ratio[r] = t[r] / base;
        }
        double s = median3(t);
        printf("| %s | %dx%d | %.1f M | %d | %.3f | %.2fx | %.0f |\n", in.name, in.resolution,
               in.resolution, in.parameters / 1e6, in.default_steps, s, median3(ratio),
               s * in.default_steps);
        fflush(stdout);
        dctdiff_model_free(m);
        free(weights);
    }
    dctdiff_model_free(ref);
    free(ref_weights);
    return 0;
}
