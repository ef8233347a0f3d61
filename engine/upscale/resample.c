/* resample.c - polyphase tables and the separable passes (see resample.h). */
#include "upscale/resample.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Half-sample symmetric extension, repeated as often as a tiny image needs. */
static int reflect(int i, int n)
{
    int period = 2 * n;
    i %= period;
    if (i < 0)
        i += period;
    return i < n ? i : period - 1 - i;
}

void resample_axis_free(resample_axis *a)
{
    free(a->first);
    free(a->index);
    free(a->w);
    memset(a, 0, sizeof *a);
}

dctdiff_status resample_axis_build(resample_axis *a, int n_in, int n_out,
                                   const kernel_table *k, dctdiff_error *err)
{
    memset(a, 0, sizeof *a);
    a->n_in = n_in;
    a->n_out = n_out;
    a->first = malloc((size_t)n_out * sizeof *a->first);
    a->index = malloc((size_t)n_out * RESAMPLE_TAPS * sizeof *a->index);
    a->w = malloc((size_t)n_out * RESAMPLE_TAPS * sizeof *a->w);
    if (!a->first || !a->index || !a->w) {
        resample_axis_free(a);
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate resampling tables for %d outputs",
                       n_out);
    }
    double step = (double)n_in / n_out;
    for (int o = 0; o < n_out; o++) {
        double t = (o + 0.5) * step - 0.5, w[RESAMPLE_TAPS], sum = 0.0;
        int j0 = (int)floor(t) - KERNEL_RADIUS + 1;
        for (int i = 0; i < RESAMPLE_TAPS; i++) {
            w[i] = kernel_eval(k, t - (j0 + i));
            sum += w[i];
        }
        a->first[o] = j0 + RESAMPLE_PAD;
        for (int i = 0; i < RESAMPLE_TAPS; i++) {
            a->w[(size_t)o * RESAMPLE_TAPS + i] = (float)(w[i] / sum);
            a->index[(size_t)o * RESAMPLE_TAPS + i] = reflect(j0 + i, n_in);
        }
    }
    return DCTDIFF_OK;
}

void resample_axis_span(const resample_axis *a, int o0, int o1, int *i0, int *i1)
{
    int lo = a->n_in, hi = 0;
    for (size_t i = (size_t)o0 * RESAMPLE_TAPS; i < (size_t)o1 * RESAMPLE_TAPS; i++) {
        if (a->index[i] < lo)
            lo = a->index[i];
        if (a->index[i] + 1 > hi)
            hi = a->index[i] + 1;
    }
    *i0 = lo < hi ? lo : 0;
    *i1 = lo < hi ? hi : 0;
}

void resample_pad_row(const resample_axis *a, int channels, float *row)
{
    int n = a->n_in;
    for (int p = 0; p < RESAMPLE_PAD; p++) {
        int left = -RESAMPLE_PAD + p, right = n + p;
        memcpy(row + (size_t)p * channels,
               row + (size_t)(reflect(left, n) + RESAMPLE_PAD) * channels,
               (size_t)channels * sizeof *row);
        memcpy(row + (size_t)(right + RESAMPLE_PAD) * channels,
               row + (size_t)(reflect(right, n) + RESAMPLE_PAD) * channels,
               (size_t)channels * sizeof *row);
    }
}

/* The channel count is a constant in each instance, so the tap loop unrolls. */
static inline void row_pass(const resample_axis *a, int C, const float *row, float *out)
{
    for (int o = 0; o < a->n_out; o++) {
        const float *w = a->w + (size_t)o * RESAMPLE_TAPS;
        const float *p = row + (size_t)a->first[o] * C;
        float acc[4] = { 0.0f, 0.0f, 0.0f, 0.0f };
        for (int t = 0; t < RESAMPLE_TAPS; t++)
            for (int c = 0; c < C; c++)
                acc[c] += w[t] * p[t * C + c];
        for (int c = 0; c < C; c++)
            out[(size_t)o * C + c] = acc[c];
    }
}

RESAMPLE_CLONES
void resample_row(const resample_axis *a, int channels, const float *row, float *out)
{
    switch (channels) {
    case 1: row_pass(a, 1, row, out); break;
    case 2: row_pass(a, 2, row, out); break;
    case 3: row_pass(a, 3, row, out); break;
    default: row_pass(a, 4, row, out); break;
    }
}

RESAMPLE_CLONES
void resample_column(const float *w, const float *const *rows, size_t n,
                     float *restrict out)
{
    for (size_t i = 0; i < n; i++) {
        float acc = 0.0f;
        for (int t = 0; t < RESAMPLE_TAPS; t++)
            acc += w[t] * rows[t][i];
        out[i] = acc;
    }
}
