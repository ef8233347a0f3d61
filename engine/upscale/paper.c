/* paper.c - the official DCTdiff upscaler (method.md §6): every
 * 4x4 block of each full-resolution Y, Cb, Cr plane becomes the 8x8 block
 * whose spectrum is its own on the low 4x4 band, divided by the response of
 * the 2x2 box average there (1/2 cos(pi u/16) cos(pi v/16)), and zero above.
 * The official float32 forward DCT and float64 inverse (here without the 48
 * zero coefficients), truncation to 8 bits.
 *
 * Beyond the official function: edges are padded by replication to whole
 * blocks and cropped back; gray is one plane; alpha is one more plane, with
 * colour premultiplied; 2^k is k passes over the padded intermediate.  One
 * row of source blocks maps to 4 * 2^k output rows, so work goes in block
 * rows, split over threads by (ith, nth). */
#include "upscale/upscaler.h"
#include "core/color.h"
#include "core/dct.h"
#include "core/team.h"
#include "upscale/pixel_rows.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int levels, factor;  /* factor = 2^levels */
    int src_w, src_h, dst_w, channels, planes;
    int w4;              /* src_w rounded up to a whole block */
    /* The zero-padded 8x8 inverse DCT with the gain folded in, one axis:
     * up[i][u] = C8[u][i] / (sqrt(1/2) cos(pi u / 16)), so that the block is
     * up * X4 * up^T -- the official 64-coefficient inverse, less its zeros. */
    double up[8][4];
} paper;

typedef struct {
    const paper *p;
    const dctdiff_image *src;
    dctdiff_image *dst;
    int s0, y0, y1, b0, b1;
    float *scratch;
    size_t scratch_floats;
} paper_job;

/* Floats of one plane of one block row at the final resolution. */
static size_t plane_floats(const paper *p)
{
    return (size_t)4 * p->factor * p->w4 * p->factor;
}

static void paper_input_rows(const void *impl, int y0, int y1, int *s0, int *s1)
{
    const paper *p = impl;
    int rows = 4 * p->factor;
    *s0 = y0 / rows * 4;
    *s1 = (y1 + rows - 1) / rows * 4;
    if (*s1 > p->src_h)
        *s1 = p->src_h;
}

/* Source block row b (rows replicated past the bottom, columns past the
 * right edge) -> planes of 4 x w4 floats: Y, Cb, Cr (or gray), then alpha. */
static void load_block_row(const paper_job *j, int b, float *planes, float *row)
{
    const paper *p = j->p;
    int C = p->channels, colour = C >= 3;
    size_t plane = plane_floats(p);
    for (int r = 0; r < 4; r++) {
        int y = 4 * b + r < p->src_h ? 4 * b + r : p->src_h - 1;
        pixels_load_row(j->src, y - j->s0, 255.0f, row);
        for (int x = 0; x < p->w4; x++) {
            const float *px = row + (size_t)(x < p->src_w ? x : p->src_w - 1) * C;
            float *out = planes + (size_t)r * p->w4 + x;
            if (colour) {
                double Y, cb, cr;
                color_rgb_to_ycbcr(px[0], px[1], px[2], &Y, &cb, &cr);
                out[0] = (float)Y;
                out[plane] = (float)cb;
                out[2 * plane] = (float)cr;
            } else {
                out[0] = px[0];
            }
            if (pixels_has_alpha(C))
                out[(p->planes - 1) * plane] = px[C - 1];
        }
    }
}

/* One x2 pass of one plane: rows x w floats in `in` -> 2 rows x 2 w in out. */
static void double_plane(const paper *p, const float *in, int rows, int w, float *out)
{
    for (int by = 0; by < rows; by += 4)
        for (int bx = 0; bx < w; bx += 4) {
            float small[16];
            double half[8][4];
            for (int i = 0; i < 16; i++)
                small[i] = in[(size_t)(by + i / 4) * w + bx + i % 4] - 128.0f;
            dct_forward_f(small, 4);
            for (int i = 0; i < 8; i++)
                for (int v = 0; v < 4; v++) {
                    double acc = 0.0;
                    for (int u = 0; u < 4; u++)
                        acc += p->up[i][u] * small[u * 4 + v];
                    half[i][v] = acc;
                }
            for (int i = 0; i < 8; i++) {
                float *o = out + (size_t)(2 * by + i) * 2 * w + 2 * bx;
                for (int j = 0; j < 8; j++) {
                    double acc = 0.0;
                    for (int v = 0; v < 4; v++)
                        acc += half[i][v] * p->up[j][v];
                    o[j] = (float)(acc + 128.0);
                }
            }
        }
}

/* Output rows of block row b that fall in [y0, y1), planes -> pixels. */
static void store_block_row(const paper_job *j, int b, const float *planes, float *row)
{
    const paper *p = j->p;
    int C = p->channels, rows = 4 * p->factor, w = p->w4 * p->factor;
    size_t plane = plane_floats(p);
    for (int r = 0; r < rows; r++) {
        int y = b * rows + r;
        if (y < j->y0 || y >= j->y1)
            continue;
        for (int x = 0; x < p->dst_w; x++) {
            const float *in = planes + (size_t)r * w + x;
            float *px = row + (size_t)x * C;
            if (C >= 3)
                color_ycbcr_to_rgb(in[0], in[plane], in[2 * plane], &px[0], &px[1], &px[2]);
            else
                px[0] = in[0];
            if (pixels_has_alpha(C))
                px[C - 1] = in[(p->planes - 1) * plane];
        }
        pixels_store_row(row, 255.0f, 1, j->dst, y - j->y0);
    }
}

static void block_rows(void *arg, int ith, int nth)
{
    paper_job *j = arg;
    const paper *p = j->p;
    size_t plane = plane_floats(p);
    float *a = j->scratch + (size_t)ith * j->scratch_floats;
    float *b = a + plane * p->planes, *row = b + plane * p->planes;
    int n = j->b1 - j->b0;
    for (int k = j->b0 + n * ith / nth; k < j->b0 + n * (ith + 1) / nth; k++) {
        load_block_row(j, k, a, row);
        for (int level = 0, rows = 4, w = p->w4; level < p->levels; level++) {
            for (int c = 0; c < p->planes; c++)
                double_plane(p, a + c * plane, rows, w, b + c * plane);
            float *t = a;
            a = b;
            b = t;
            rows *= 2;
            w *= 2;
        }
        store_block_row(j, k, a, row);
    }
}

static dctdiff_status paper_run(void *impl, const dctdiff_image *src, int s0, int y0, int y1,
                                dctdiff_image *dst, team *team, dctdiff_error *err)
{
    const paper *p = impl;
    int rows = 4 * p->factor;
    paper_job j = { .p = p, .src = src, .dst = dst, .s0 = s0, .y0 = y0, .y1 = y1,
                    .b0 = y0 / rows, .b1 = (y1 + rows - 1) / rows };
    int nth = team_size(team);
    size_t row = (size_t)(p->dst_w > p->src_w ? p->dst_w : p->src_w) * p->channels;
    j.scratch_floats = 2 * plane_floats(p) * p->planes + row;
    size_t bytes = dd_mul_size((size_t)nth, j.scratch_floats * sizeof(float), err);
    if (!bytes)
        return DCTDIFF_E_NOMEM;
    j.scratch = malloc(bytes);
    if (!j.scratch)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %zu bytes of block rows", bytes);
    team_run(team, block_rows, &j);
    free(j.scratch);
    return DCTDIFF_OK;
}

static const upscaler_ops paper_ops = { paper_input_rows, paper_run, free };

dctdiff_status upscaler_paper_new(dctdiff_upscaler *u, dctdiff_error *err)
{
    int levels = 0;
    while (levels < 16 && (long long)u->src_w << levels < u->dst_w)
        levels++;
    if (levels == 0 || (long long)u->src_w << levels != u->dst_w ||
        (long long)u->src_h << levels != u->dst_h)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "paper upscaling only doubles (x2, x4, x8...): %dx%d -> %dx%d "
                       "is not a power-of-two enlargement; use the spectral method",
                       u->src_w, u->src_h, u->dst_w, u->dst_h);
    paper *p = calloc(1, sizeof *p);
    if (!p)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    *p = (paper){ .levels = levels, .factor = 1 << levels, .src_w = u->src_w,
                  .src_h = u->src_h, .dst_w = u->dst_w, .channels = u->channels,
                  .planes = (u->channels >= 3 ? 3 : 1) + pixels_has_alpha(u->channels),
                  .w4 = (u->src_w + 3) / 4 * 4 };
    for (int i = 0; i < 8; i++)
        for (int u = 0; u < 4; u++)
            p->up[i][u] = sqrt((u ? 2.0 : 1.0) / 8.0) * cos(M_PI * (2 * i + 1) * u / 16.0) /
                          (sqrt(0.5) * cos(M_PI * u / 16.0));
    u->ops = &paper_ops;
    u->impl = p;
    u->granule = 4 * p->factor;
    return DCTDIFF_OK;
}
