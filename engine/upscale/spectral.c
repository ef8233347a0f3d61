/* spectral.c - the seamless spectral method: the kernel of
 * spectral_kernel.c applied separably, a row pass per source row into a float band,
 * then a column pass per output row.  Threads split each pass by (ith, nth)
 * and every output value is one fixed sum, so the bytes do not depend on the
 * thread count. */
#include "upscale/upscaler.h"
#include "core/team.h"
#include "upscale/resample.h"
#include "upscale/pixel_rows.h"
#include "core/status.h"

#include <stdlib.h>

typedef struct {
    resample_axis x, y;
    int channels;
} spectral;

typedef struct {
    const spectral *s;
    const dctdiff_image *src;
    dctdiff_image *dst;
    int s0, s1, y0, y1;
    float *band;     /* rows s0..s1-1 after the row pass, dst_w * C each */
    float *scratch;  /* per thread: one padded source row, one output row */
    size_t scratch_floats;
} spectral_job;

static void spectral_input_rows(const void *impl, int y0, int y1, int *s0, int *s1)
{
    const spectral *s = impl;
    resample_axis_span(&s->y, y0, y1, s0, s1);
}

static size_t band_row_floats(const spectral *s)
{
    return (size_t)s->x.n_out * s->channels;
}

static void row_pass(void *arg, int ith, int nth)
{
    spectral_job *j = arg;
    const spectral *s = j->s;
    int n = j->s1 - j->s0, C = s->channels;
    float *padded = j->scratch + (size_t)ith * j->scratch_floats;
    for (int r = n * ith / nth; r < n * (ith + 1) / nth; r++) {
        pixels_load_row(j->src, r, 1.0f, padded + (size_t)RESAMPLE_PAD * C);
        resample_pad_row(&s->x, C, padded);
        resample_row(&s->x, C, padded, j->band + (size_t)r * band_row_floats(s));
    }
}

static void column_pass(void *arg, int ith, int nth)
{
    spectral_job *j = arg;
    const spectral *s = j->s;
    int n = j->y1 - j->y0;
    size_t row = band_row_floats(s);
    float *out = j->scratch + (size_t)ith * j->scratch_floats;
    for (int r = n * ith / nth; r < n * (ith + 1) / nth; r++) {
        size_t o = (size_t)(j->y0 + r) * RESAMPLE_TAPS;
        const float *rows[RESAMPLE_TAPS];
        for (int t = 0; t < RESAMPLE_TAPS; t++)
            rows[t] = j->band + (size_t)(s->y.index[o + t] - j->s0) * row;
        resample_column(s->y.w + o, rows, row, out);
        pixels_store_row(out, 1.0f, 0, j->dst, r);
    }
}

static dctdiff_status spectral_run(void *impl, const dctdiff_image *src, int s0, int y0,
                                   int y1, dctdiff_image *dst, team *team,
                                   dctdiff_error *err)
{
    const spectral *s = impl;
    spectral_job j = { .s = s, .src = src, .dst = dst, .s0 = s0, .s1 = s0 + src->height,
                       .y0 = y0, .y1 = y1 };
    int nth = team_size(team);
    size_t padded = (size_t)(s->x.n_in + 2 * RESAMPLE_PAD) * s->channels;
    j.scratch_floats = padded > band_row_floats(s) ? padded : band_row_floats(s);
    size_t band = dd_mul_size((size_t)src->height, band_row_floats(s) * sizeof(float), err);
    size_t scratch = dd_mul_size((size_t)nth, j.scratch_floats * sizeof(float), err);
    if (!band || !scratch)
        return DCTDIFF_E_NOMEM;
    j.band = malloc(band);
    j.scratch = malloc(scratch);
    dctdiff_status st = DCTDIFF_OK;
    if (!j.band || !j.scratch) {
        st = dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate a %zu-byte upscaling band", band);
    } else {
        team_run(team, row_pass, &j);
        team_run(team, column_pass, &j);
    }
    free(j.band);
    free(j.scratch);
    return st;
}

static void spectral_free(void *impl)
{
    spectral *s = impl;
    if (!s)
        return;
    resample_axis_free(&s->x);
    resample_axis_free(&s->y);
    free(s);
}

static const upscaler_ops spectral_ops = { spectral_input_rows, spectral_run, spectral_free };

/* Both axes from one kernel when they share the factor, else one each. */
static dctdiff_status build_axes(spectral *s, const dctdiff_upscaler *u,
                                 dctdiff_downscale_filter filter, dctdiff_error *err)
{
    double sx = (double)u->dst_w / u->src_w, sy = (double)u->dst_h / u->src_h;
    kernel_table k;
    dctdiff_status st = kernel_build(&k, filter, sx, err);
    if (st != DCTDIFF_OK)
        return st;
    st = resample_axis_build(&s->x, u->src_w, u->dst_w, &k, err);
    if (st == DCTDIFF_OK && sy != sx) {
        kernel_free(&k);
        st = kernel_build(&k, filter, sy, err);
    }
    if (st == DCTDIFF_OK)
        st = resample_axis_build(&s->y, u->src_h, u->dst_h, &k, err);
    kernel_free(&k);
    return st;
}

dctdiff_status upscaler_spectral_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                     dctdiff_error *err)
{
    if (u->dst_w < u->src_w || u->dst_h < u->src_h)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "spectral upscaling cannot shrink %dx%d to %dx%d", u->src_w,
                       u->src_h, u->dst_w, u->dst_h);
    spectral *s = calloc(1, sizeof *s);
    if (!s)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    s->channels = u->channels;
    dctdiff_status st = build_axes(s, u, filter, err);
    if (st != DCTDIFF_OK) {
        spectral_free(s);
        return st;
    }
    u->ops = &spectral_ops;
    u->impl = s;
    u->granule = 1;
    return DCTDIFF_OK;
}
