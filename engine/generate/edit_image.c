/* edit_image.c - pixels in and out of an edit (see edit_image.h).  Values
 * are read as 0..1 (integers over their full scale, floats as they are);
 * colour is straight, not premultiplied: the model knows nothing of alpha,
 * and alpha is copied from the input. */
#include "generate/edit_image.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/color.h"
#include "core/dct_resize.h"
#include "core/status.h"
#include "core/tokens.h"

dctdiff_status edit_image_check(const dctdiff_image *img, const char *what,
                                dctdiff_error *err)
{
    const size_t px = img ? dctdiff_pixel_size(img->type) : 0;
    if (!img || !img->data || px == 0 || img->channels < 1 || img->channels > 4 ||
        img->width < 1 || img->height < 1)
        return dd_fail(err, DCTDIFF_E_ARG, "%s image is missing or not 1 to 4 channels "
                       "of a known pixel type", what);
    if (img->stride < (size_t)img->width * img->channels * px)
        return dd_fail(err, DCTDIFF_E_ARG, "%s image stride %zu is below its row size",
                       what, img->stride);
    return DCTDIFF_OK;
}

static const unsigned char *pixel_at(const dctdiff_image *img, int x, int y)
{
    return (const unsigned char *)img->data + (size_t)y * img->stride +
           (size_t)x * img->channels * dctdiff_pixel_size(img->type);
}

static double read_value(const dctdiff_image *img, int x, int y, int c)
{
    const unsigned char *p = pixel_at(img, x, y);
    switch (img->type) {
    case DCTDIFF_PIXEL_U8: return p[c] / 255.0;
    case DCTDIFF_PIXEL_U16: return ((const uint16_t *)(const void *)p)[c] / 65535.0;
    case DCTDIFF_PIXEL_F32: return ((const float *)(const void *)p)[c];
    }
    return 0.0;
}

static double clamp01(double v)
{
    return v > 0.0 ? (v < 1.0 ? v : 1.0) : 0.0; /* NaN -> 0 */
}

static void write_value(dctdiff_image *img, int x, int y, int c, double v)
{
    unsigned char *p = (unsigned char *)pixel_at(img, x, y);
    switch (img->type) {
    case DCTDIFF_PIXEL_U8: p[c] = (unsigned char)lround(clamp01(v) * 255.0); break;
    case DCTDIFF_PIXEL_U16:
        ((uint16_t *)(void *)p)[c] = (uint16_t)lround(clamp01(v) * 65535.0);
        break;
    case DCTDIFF_PIXEL_F32: ((float *)(void *)p)[c] = (float)v; break;
    }
}

static int colour_channels(const dctdiff_image *img)
{
    return img->channels >= 3 ? 3 : 1;
}

static double mask_weight(const dctdiff_image *mask, int x, int y)
{
    return mask ? clamp01(read_value(mask, x, y, 0)) : 1.0;
}

/* ------------------------------------------------------------------------ */

dctdiff_status edit_image_to_model(const dctdiff_image *init, dctdiff_image *rgb,
                                   dctdiff_error *err)
{
    const int w = init->width, h = init->height, nw = rgb->width, nh = rgb->height;
    const size_t n = (size_t)w * h, nn = (size_t)nw * nh;
    const int same = w == nw && h == nh;
    float *planes = malloc(sizeof(float) * 3 * (n + (same ? 0 : nn)));
    if (!planes)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for a %dx%d image", w, h);
    const int gray = colour_channels(init) == 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++)
                planes[c * n + (size_t)y * w + x] =
                    (float)(255.0 * clamp01(read_value(init, x, y, gray ? 0 : c)));
    float *small = planes;
    if (!same) {
        small = planes + 3 * n;
        dctdiff_status s = dct_resize(planes, w, h, 3, small, nw, nh, err);
        if (s != DCTDIFF_OK) {
            free(planes);
            return s;
        }
    }
    for (int y = 0; y < nh; y++) {
        unsigned char *row = (unsigned char *)rgb->data + (size_t)y * rgb->stride;
        for (int x = 0; x < nw; x++)
            for (int c = 0; c < 3; c++) {
                const double v = small[c * nn + (size_t)y * nw + x];
                row[3 * x + c] = (unsigned char)lround(v > 0 ? (v < 255 ? v : 255) : 0);
            }
    }
    free(planes);
    return DCTDIFF_OK;
}

/* 1 when every pixel of [x0, x1) x [y0, y1) has mask 0. */
static int all_kept(const dctdiff_image *mask, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
            if (mask_weight(mask, x, y) > 0.0)
                return 0;
    return 1;
}

void edit_image_known(const dctdiff_token_layout *l, const dctdiff_image *mask, int w,
                      int h, int keep_low, unsigned char *known)
{
    const int tokens = dctdiff_token_count(l), nb = tokens_blocks_per_token(l);
    const int m = l->low_freqs;
    for (int t = 0; t < tokens; t++)
        for (int b = 0; b < nb; b++) {
            int x0, y0, side;
            tokens_block_footprint(l, t, b, &x0, &y0, &side);
            /* the input pixels under the block, rounded outwards */
            const int kept = mask && all_kept(mask, (int)((long long)x0 * w / l->width),
                                              (int)((long long)y0 * h / l->height),
                                              (int)(((long long)(x0 + side) * w + l->width - 1) / l->width),
                                              (int)(((long long)(y0 + side) * h + l->height - 1) / l->height));
            unsigned char *k = known + ((size_t)t * nb + b) * m;
            for (int i = 0; i < m; i++)
                k[i] = (unsigned char)(kept || i < keep_low);
        }
}

/* ------------------------------------------------------------------------ */

void edit_image_copy(const dctdiff_image *init, dctdiff_image *out)
{
    const size_t row = (size_t)init->width * init->channels * dctdiff_pixel_size(init->type);
    for (int y = 0; y < init->height; y++)
        memcpy((unsigned char *)out->data + (size_t)y * out->stride,
               (const unsigned char *)init->data + (size_t)y * init->stride, row);
}

/* One output pixel: the input's where the weight is 0, else the blend. */
static void composite_pixel(const float gen[3], const dctdiff_image *init, double w,
                            dctdiff_image *out, int x, int y)
{
    const size_t bytes = (size_t)init->channels * dctdiff_pixel_size(init->type);
    memcpy((unsigned char *)pixel_at(out, x, y), pixel_at(init, x, y), bytes);
    if (w <= 0.0)
        return;
    double g[3] = { gen[0] / 255.0, gen[1] / 255.0, gen[2] / 255.0 };
    if (colour_channels(init) == 1) {
        double cb, cr;
        color_rgb_to_ycbcr(g[0], g[1], g[2], &g[0], &cb, &cr);
    }
    for (int c = 0; c < colour_channels(init); c++) {
        const double o = read_value(init, x, y, c);
        write_value(out, x, y, c, w >= 1.0 ? g[c] : o + w * (g[c] - o));
    }
}

dctdiff_status edit_image_composite(const dctdiff_image *gen, const dctdiff_image *init,
                                    const dctdiff_image *mask, dctdiff_image *out,
                                    dctdiff_error *err)
{
    const int w = init->width, h = init->height, gw = gen->width, gh = gen->height;
    const size_t n = (size_t)w * h, gn = (size_t)gw * gh;
    float *planes = malloc(sizeof(float) * 3 * (n + gn));
    if (!planes)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for a %dx%d image", w, h);
    float *small = planes + 3 * n;
    for (int y = 0; y < gh; y++) {
        const unsigned char *row = (const unsigned char *)gen->data + (size_t)y * gen->stride;
        for (int x = 0; x < gw; x++)
            for (int c = 0; c < 3; c++)
                small[c * gn + (size_t)y * gw + x] = row[3 * x + c];
    }
    dctdiff_status s = DCTDIFF_OK;
    if (w == gw && h == gh)
        memcpy(planes, small, sizeof(float) * 3 * n);
    else
        s = dct_resize(small, gw, gh, 3, planes, w, h, err);
    for (int y = 0; s == DCTDIFF_OK && y < h; y++)
        for (int x = 0; x < w; x++) {
            const size_t i = (size_t)y * w + x;
            const float px[3] = { planes[i], planes[n + i], planes[2 * n + i] };
            composite_pixel(px, init, mask_weight(mask, x, y), out, x, y);
        }
    free(planes);
    return s;
}
