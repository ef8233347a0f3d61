/* color.c - the colour arithmetic of the official DCTdiff data path (see
 * color.h).  Every expression keeps the operation order of method.md, since
 * the tokens must match the reference to the last bit where it can. */
#include "core/color.h"

#include <stddef.h>

void color_rgb_to_ycbcr(double r, double g, double b, double *y, double *cb, double *cr)
{
    *y = 0.299 * r + 0.587 * g + 0.114 * b;
    *cb = -0.168736 * r - 0.331264 * g + 0.5 * b + 128.0;
    *cr = 0.5 * r - 0.418688 * g - 0.081312 * b + 128.0;
}

void color_ycbcr_to_rgb(float y, float cb, float cr, float *r, float *g, float *b)
{
    float dcb = cb - 128.0f, dcr = cr - 128.0f;
    *r = y + 1.402f * dcr;
    *g = y - 0.344136f * dcb - 0.714136f * dcr;
    *b = y + 1.772f * dcb;
}

void color_downsample_box2(const double *src, int w, int h, double *dst)
{
    for (int i = 0; i < h / 2; i++) {
        const double *top = src + (size_t)(2 * i) * w, *bot = top + w;
        for (int j = 0; j < w / 2; j++)
            dst[(size_t)i * (w / 2) + j] =
                (((top[2 * j] + top[2 * j + 1]) + bot[2 * j]) + bot[2 * j + 1]) * 0.25;
    }
}

/* Output sample o of a 2x line from n inputs, half-pixel centres: o = 2k+1
 * sits a quarter of the way from input k to k+1, o = 2k a quarter from k to
 * k-1; the ends repeat the edge sample. */
static float up_sample(const float *in, size_t step, int n, int o)
{
    if (o == 0 || o == 2 * n - 1)
        return in[(size_t)(o / 2) * step];
    int k = o / 2;
    if (o % 2)
        return 0.75f * in[(size_t)k * step] + 0.25f * in[(size_t)(k + 1) * step];
    return 0.25f * in[(size_t)(k - 1) * step] + 0.75f * in[(size_t)k * step];
}

void color_upsample_bilinear2(const float *src, int w, int h, float *dst)
{
    int sw = w / 2, sh = h / 2;
    /* Horizontal pass into the top half-height rows of dst (each row of
     * w floats), then the vertical pass from there, bottom row first so
     * that no source row is overwritten before it is read. */
    for (int i = 0; i < sh; i++)
        for (int o = 0; o < w; o++)
            dst[(size_t)i * w + o] = up_sample(src + (size_t)i * sw, 1, sw, o);
    for (int o = h - 1; o >= 0; o--)
        for (int x = 0; x < w; x++)
            dst[(size_t)o * w + x] = up_sample(dst + x, (size_t)w, sh, o);
}
