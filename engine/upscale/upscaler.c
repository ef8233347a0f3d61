/* upscaler.c - the public upscaling interface: name tables, argument
 * checks, the strip API, and the whole-image call, which is the strip API
 * run band after band so that scratch memory stays O(band). */
#include "upscale/upscaler.h"
#include "core/status.h"

#include <stdlib.h>

/* Scratch target of one whole-image band, in floats (16 MiB). */
#define BAND_FLOATS (4u << 20)

static const dctdiff_enum_entry methods[] = {
    { DCTDIFF_UPSCALE_PAPER, "paper", "Paper (DCTdiff 4x4 blocks, x2)" },
    { DCTDIFF_UPSCALE_SPECTRAL, "spectral", "Spectral (seamless, any size)" },
    { DCTDIFF_UPSCALE_LEARNED, "learned", "Learned (spectral plus trained detail)" },
    { 0, NULL, NULL },
};

static const dctdiff_enum_entry filters[] = {
    { DCTDIFF_DOWNSCALE_BICUBIC, "bicubic", "Bicubic" },
    { DCTDIFF_DOWNSCALE_BOX, "box", "Box (area average)" },
    { DCTDIFF_DOWNSCALE_NONE, "none", "None (sharp or unknown source)" },
    { 0, NULL, NULL },
};

const dctdiff_enum_entry *dctdiff_upscale_methods(void)
{
    return methods;
}

const dctdiff_enum_entry *dctdiff_downscale_filters(void)
{
    return filters;
}

void dctdiff_upscale_params_init(dctdiff_upscale_params *p)
{
    /* Spectral is the best measured (docs/upscaling.md): +0.9 dB PSNR-Y over
     * Lanczos-3 at x2 on Set5, where the paper's method trails it. */
    *p = (dctdiff_upscale_params){ DCTDIFF_UPSCALE_SPECTRAL, DCTDIFF_DOWNSCALE_BICUBIC, 0,
                                   NULL, NULL };
}

dctdiff_status dctdiff_upscaler_new(int src_w, int src_h, int dst_w, int dst_h, int channels,
                                    const dctdiff_upscale_params *p, dctdiff_upscaler **out,
                                    dctdiff_error *err)
{
    dctdiff_upscale_params defaults;
    if (!out)
        return dd_fail(err, DCTDIFF_E_ARG, "upscaler: no place for the result");
    *out = NULL;
    if (!p) {
        dctdiff_upscale_params_init(&defaults);
        p = &defaults;
    }
    if (src_w <= 0 || src_h <= 0 || dst_w <= 0 || dst_h <= 0)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale size %dx%d -> %dx%d is not positive",
                       src_w, src_h, dst_w, dst_h);
    if (channels < 1 || channels > 4)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: %d channels (expected 1 to 4)", channels);
    if ((unsigned)p->method >= DCTDIFF_UPSCALE_COUNT_)
        return dd_fail(err, DCTDIFF_E_ARG, "unknown upscale method %d", (int)p->method);
    if ((unsigned)p->filter >= DCTDIFF_DOWNSCALE_COUNT_)
        return dd_fail(err, DCTDIFF_E_ARG, "unknown downscale filter %d", (int)p->filter);
    dctdiff_upscaler *u = calloc(1, sizeof *u);
    if (!u)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    *u = (dctdiff_upscaler){ src_w, src_h, dst_w, dst_h, channels, team_new(p->threads), 1,
                             NULL, NULL };
    dctdiff_status st = !u->team ? dd_fail(err, DCTDIFF_E_NOMEM, "cannot start upscaling threads")
                        : p->method == DCTDIFF_UPSCALE_PAPER
                            ? upscaler_paper_new(u, err)
                        : p->method == DCTDIFF_UPSCALE_LEARNED
                            ? upscaler_learned_new(u, p->filter, err)
                            : upscaler_spectral_new(u, p->filter, err);
    if (st != DCTDIFF_OK) {
        team_free(u->team);
        free(u);
        return st;
    }
    *out = u;
    return DCTDIFF_OK;
}

void dctdiff_upscaler_free(dctdiff_upscaler *u)
{
    if (!u)
        return;
    u->ops->free(u->impl);
    team_free(u->team);
    free(u);
}

void dctdiff_upscaler_input_rows(const dctdiff_upscaler *u, int dst_y0, int dst_y1,
                                 int *src_y0, int *src_y1)
{
    if (dst_y0 < 0)
        dst_y0 = 0;
    if (dst_y1 > u->dst_h)
        dst_y1 = u->dst_h;
    if (dst_y1 <= dst_y0) {
        *src_y0 = *src_y1 = 0;
        return;
    }
    u->ops->input_rows(u->impl, dst_y0, dst_y1, src_y0, src_y1);
}

static dctdiff_status check_image(const dctdiff_image *img, const char *what, int w, int h,
                                  int channels, dctdiff_error *err)
{
    if (!img || !img->data)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: %s image has no pixels", what);
    if (img->width != w || img->height != h || img->channels != channels)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "upscale: %s image is %dx%d with %d channels, expected %dx%d with %d",
                       what, img->width, img->height, img->channels, w, h, channels);
    size_t px = dctdiff_pixel_size(img->type);
    if (px == 0)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: %s image has unknown pixel type %d",
                       what, (int)img->type);
    if (img->stride / px / (size_t)channels < (size_t)w || img->stride % px)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "upscale: %s image stride %zu is below its width or not a multiple "
                       "of its %zu-byte samples", what, img->stride, px);
    return DCTDIFF_OK;
}

dctdiff_status dctdiff_upscaler_run_rows(dctdiff_upscaler *u, const dctdiff_image *src_rows,
                                         int dst_y0, int dst_y1, dctdiff_image *dst_rows,
                                         dctdiff_error *err)
{
    if (!u)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: no upscaler");
    if (dst_y0 < 0 || dst_y1 > u->dst_h || dst_y1 <= dst_y0)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: output rows [%d, %d) are not within [0, %d)",
                       dst_y0, dst_y1, u->dst_h);
    int s0, s1;
    u->ops->input_rows(u->impl, dst_y0, dst_y1, &s0, &s1);
    dctdiff_status st = check_image(src_rows, "source band", u->src_w, s1 - s0, u->channels, err);
    if (st == DCTDIFF_OK)
        st = check_image(dst_rows, "output band", u->dst_w, dst_y1 - dst_y0, u->channels, err);
    if (st != DCTDIFF_OK)
        return st;
    return u->ops->run(u->impl, src_rows, s0, dst_y0, dst_y1, dst_rows, u->team, err);
}

/* Rows [y0, y0 + n) of img, sharing its pixels. */
static dctdiff_image band_of(const dctdiff_image *img, int y0, int n)
{
    dctdiff_image b = *img;
    b.height = n;
    b.data = (char *)img->data + (size_t)y0 * img->stride;
    return b;
}

static int band_rows(const dctdiff_upscaler *u)
{
    size_t row = (size_t)u->dst_w * u->channels;
    int rows = row < BAND_FLOATS / 32 ? (int)(BAND_FLOATS / row) : 32;
    rows = (rows + u->granule - 1) / u->granule * u->granule;
    return rows < u->dst_h ? rows : u->dst_h;
}

dctdiff_status dctdiff_upscale(const dctdiff_image *src, dctdiff_image *dst,
                               const dctdiff_upscale_params *p, dctdiff_error *err)
{
    if (!src || !dst)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale: missing source or output image");
    dctdiff_status st = check_image(src, "source", src->width, src->height, src->channels, err);
    if (st == DCTDIFF_OK)
        st = check_image(dst, "output", dst->width, dst->height, src->channels, err);
    if (st != DCTDIFF_OK)
        return st;
    dctdiff_upscaler *u;
    st = dctdiff_upscaler_new(src->width, src->height, dst->width, dst->height, src->channels,
                              p, &u, err);
    if (st != DCTDIFF_OK)
        return st;
    int rows = band_rows(u), total = (u->dst_h + rows - 1) / rows;
    for (int i = 0; i < total && st == DCTDIFF_OK; i++) {
        if (p && p->progress && p->progress(p->progress_user, i, total, "upscale")) {
            st = dd_fail(err, DCTDIFF_E_CANCELLED, "upscale cancelled");
            break;
        }
        int y0 = i * rows, y1 = y0 + rows < u->dst_h ? y0 + rows : u->dst_h, s0, s1;
        u->ops->input_rows(u->impl, y0, y1, &s0, &s1);
        dctdiff_image in = band_of(src, s0, s1 - s0), out = band_of(dst, y0, y1 - y0);
        st = u->ops->run(u->impl, &in, s0, y0, y1, &out, u->team, err);
    }
    if (st == DCTDIFF_OK && p && p->progress)
        p->progress(p->progress_user, total, total, "upscale");
    dctdiff_upscaler_free(u);
    return st;
}
