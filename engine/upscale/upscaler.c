/* upscaler.c - the public upscaling interface: argument checks, the strip
 * API, and the one band loop behind both whole-image calls (caller's memory,
 * or the caller's row callbacks), so that scratch memory stays O(band).
 * The name tables are in core/names.c. */
#include "upscale/upscaler.h"
#include "core/status.h"

#include <stdlib.h>

/* Scratch target of one whole-image band, in floats (16 MiB). */
#define BAND_FLOATS (4u << 20)

void dctdiff_upscale_params_init(dctdiff_upscale_params *p)
{
    /* Spectral is the best measured (docs/upscaling.md): +0.9 dB PSNR-Y over
     * Lanczos-3 at x2 on Set5, where the paper's method trails it. */
    *p = (dctdiff_upscale_params){
        .method = DCTDIFF_UPSCALE_SPECTRAL,
        .filter = DCTDIFF_DOWNSCALE_BICUBIC,
        .threads = 0,
    };
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
    *u = (dctdiff_upscaler){ .src_w = src_w, .src_h = src_h, .dst_w = dst_w, .dst_h = dst_h,
                             .channels = channels, .team = team_new(p->threads),
                             .granule = 1 };
    dctdiff_status st = !u->team ? dd_fail(err, DCTDIFF_E_NOMEM, "cannot start upscaling threads")
                        : p->method == DCTDIFF_UPSCALE_PAPER
                            ? upscaler_paper_new(u, err)
                        : p->method == DCTDIFF_UPSCALE_LEARNED
                            ? upscaler_learned_new(u, p->filter, err)
                        : p->method == DCTDIFF_UPSCALE_LEARNED_CNN
                            ? upscaler_learned_cnn_new(u, p->filter, err)
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

/* Where the one band loop gets each band's input rows and output rows, and
 * what it does with a finished band: views of the caller's memory for
 * dctdiff_upscale, the caller's callbacks for dctdiff_upscale_rows. */
typedef struct {
    dctdiff_status (*source)(void *user, int s0, int s1, dctdiff_image *in, dctdiff_error *err);
    dctdiff_status (*target)(void *user, int y0, int y1, dctdiff_image *out, dctdiff_error *err);
    /* Called for every band that got a source, with ok = 0 when the band
     * failed (then only to free). */
    dctdiff_status (*done)(void *user, int y0, int y1, int ok, dctdiff_image *in,
                           dctdiff_image *out, dctdiff_error *err);
    void *user;
} band_io;

static dctdiff_status run_bands(dctdiff_upscaler *u, const dctdiff_upscale_params *p,
                                const band_io *io, dctdiff_error *err)
{
    int rows = band_rows(u), total = (u->dst_h + rows - 1) / rows;
    dctdiff_status st = DCTDIFF_OK;
    for (int i = 0; i < total && st == DCTDIFF_OK; i++) {
        if (p && p->progress && p->progress(p->progress_user, i, total, "upscale"))
            return dd_fail(err, DCTDIFF_E_CANCELLED, "upscale cancelled");
        int y0 = i * rows, y1 = y0 + rows < u->dst_h ? y0 + rows : u->dst_h, s0, s1;
        u->ops->input_rows(u->impl, y0, y1, &s0, &s1);
        dctdiff_image in = { 0 }, out = { 0 };
        st = io->source(io->user, s0, s1, &in, err);
        if (st == DCTDIFF_OK)
            st = io->target(io->user, y0, y1, &out, err);
        if (st == DCTDIFF_OK)
            st = u->ops->run(u->impl, &in, s0, y0, y1, &out, u->team, err);
        if (io->done) {
            dctdiff_status d = io->done(io->user, y0, y1, st == DCTDIFF_OK, &in, &out, err);
            st = st == DCTDIFF_OK ? d : st;
        }
    }
    if (st == DCTDIFF_OK && p && p->progress)
        p->progress(p->progress_user, total, total, "upscale");
    return st;
}

/* dctdiff_upscale: bands are views of the caller's images. */
typedef struct {
    const dctdiff_image *src;
    dctdiff_image *dst;
} image_io;

static dctdiff_status image_source(void *user, int s0, int s1, dctdiff_image *in,
                                   dctdiff_error *err)
{
    (void)err;
    *in = band_of(((image_io *)user)->src, s0, s1 - s0);
    return DCTDIFF_OK;
}

static dctdiff_status image_target(void *user, int y0, int y1, dctdiff_image *out,
                                   dctdiff_error *err)
{
    (void)err;
    *out = band_of(((image_io *)user)->dst, y0, y1 - y0);
    return DCTDIFF_OK;
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
    image_io io = { src, dst };
    st = run_bands(u, p, &(band_io){ image_source, image_target, NULL, &io }, err);
    dctdiff_upscaler_free(u);
    return st;
}

/* dctdiff_upscale_rows: bands in scratch images, filled and emptied by the
 * caller's callbacks. */
static dctdiff_status stream_source(void *user, int s0, int s1, dctdiff_image *in,
                                    dctdiff_error *err)
{
    const dctdiff_upscale_stream *s = user;
    dctdiff_status st = dctdiff_image_alloc(in, s->src_w, s1 - s0, s->channels, s->src_type,
                                            err);
    return st == DCTDIFF_OK ? s->read(s->user, s0, s1, in, err) : st;
}

static dctdiff_status stream_target(void *user, int y0, int y1, dctdiff_image *out,
                                    dctdiff_error *err)
{
    const dctdiff_upscale_stream *s = user;
    return dctdiff_image_alloc(out, s->dst_w, y1 - y0, s->channels, s->dst_type, err);
}

static dctdiff_status stream_done(void *user, int y0, int y1, int ok, dctdiff_image *in,
                                  dctdiff_image *out, dctdiff_error *err)
{
    const dctdiff_upscale_stream *s = user;
    dctdiff_status st = ok ? s->write(s->user, y0, y1, out, err) : DCTDIFF_OK;
    dctdiff_image_release(in);
    dctdiff_image_release(out);
    return st;
}

dctdiff_status dctdiff_upscale_rows(const dctdiff_upscale_stream *s,
                                    const dctdiff_upscale_params *p, dctdiff_error *err)
{
    if (!s || !s->read || !s->write)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale_rows: missing stream or callbacks");
    if (dctdiff_pixel_size(s->src_type) == 0 || dctdiff_pixel_size(s->dst_type) == 0)
        return dd_fail(err, DCTDIFF_E_ARG, "upscale_rows: unknown pixel type %d or %d",
                       (int)s->src_type, (int)s->dst_type);
    dctdiff_upscaler *u;
    dctdiff_status st = dctdiff_upscaler_new(s->src_w, s->src_h, s->dst_w, s->dst_h,
                                             s->channels, p, &u, err);
    if (st != DCTDIFF_OK)
        return st;
    st = run_bands(u, p, &(band_io){ stream_source, stream_target, stream_done, (void *)s },
                   err);
    dctdiff_upscaler_free(u);
    return st;
}
