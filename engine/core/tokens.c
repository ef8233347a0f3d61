/* tokens.c - 8-bit RGB <-> DCTdiff tokens (method.md §1 and §2).
 *
 * A token covers a 2B x 2B pixel area: its four Y blocks (TL, TR, BL, BR),
 * then for 4:2:0 the one co-located block of each half-size chroma plane, or
 * for 4:4:4 the four blocks of each full-size chroma plane.  A block keeps
 * its first m coefficients in the layout's order (the zig-zag unless the
 * model says otherwise), divided by eta.  The precision of each
 * step (double colour, float32 blocks and DCT, double inverse DCT, float32
 * planes and colour) follows the official code, so tokens and bytes match. */
#include "core/color.h"
#include "core/dct.h"
#include "core/status.h"
#include "core/tokens.h"

#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define MAX_B 16

int tokens_blocks_per_token(const dctdiff_token_layout *l)
{
    return l->chroma == DCTDIFF_CHROMA_444 ? 12 : 6;
}

static int is_permutation(const int *order, int n)
{
    int seen[MAX_B * MAX_B] = {0};
    for (int i = 0; i < n; i++)
        if (order[i] < 0 || order[i] >= n || seen[order[i]]++)
            return 0;
    return 1;
}

/* The layout's coefficient order, or the zig-zag into buf. */
static const int *order_of(const dctdiff_token_layout *l, int *buf)
{
    if (l->order)
        return l->order;
    dct_zigzag(l->block_size, buf);
    return buf;
}

dctdiff_status dctdiff_token_layout_check(const dctdiff_token_layout *l, dctdiff_error *err)
{
    if (!l)
        return dd_fail(err, DCTDIFF_E_ARG, "token layout is NULL");
    int B = l->block_size;
    if (!dct_size_ok(B))
        return dd_fail(err, DCTDIFF_E_ARG, "block size %d is not 2, 4, 8 or 16", B);
    if (l->width <= 0 || l->height <= 0 || l->width % (2 * B) || l->height % (2 * B))
        return dd_fail(err, DCTDIFF_E_ARG,
                       "image size %dx%d: width and height must be positive multiples "
                       "of 2 x block size = %d", l->width, l->height, 2 * B);
    if (l->low_freqs < 1 || l->low_freqs > B * B)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "low_freqs %d is outside 1..%d (block size %d)", l->low_freqs, B * B, B);
    if (!(l->eta > 0) || !isfinite(l->eta))
        return dd_fail(err, DCTDIFF_E_ARG, "eta %g is not a positive finite number", l->eta);
    if (l->chroma != DCTDIFF_CHROMA_420 && l->chroma != DCTDIFF_CHROMA_444)
        return dd_fail(err, DCTDIFF_E_ARG, "chroma mode %d is neither 4:2:0 nor 4:4:4",
                       (int)l->chroma);
    if (l->order && !is_permutation(l->order, B * B))
        return dd_fail(err, DCTDIFF_E_ARG,
                       "coefficient order does not list each of 0..%d once", B * B - 1);
    /* Token count times dim must fit an int (whole float count of a sample). */
    long long n = (long long)(l->width / (2 * B)) * (l->height / (2 * B));
    if (n * tokens_blocks_per_token(l) * l->low_freqs > INT_MAX)
        return dd_fail(err, DCTDIFF_E_ARG, "image size %dx%d is too large for a token grid",
                       l->width, l->height);
    return DCTDIFF_OK;
}

int dctdiff_token_count(const dctdiff_token_layout *l)
{
    if (dctdiff_token_layout_check(l, NULL) != DCTDIFF_OK)
        return 0;
    return (l->width / (2 * l->block_size)) * (l->height / (2 * l->block_size));
}

int dctdiff_token_dim(const dctdiff_token_layout *l)
{
    if (dctdiff_token_layout_check(l, NULL) != DCTDIFF_OK)
        return 0;
    return tokens_blocks_per_token(l) * l->low_freqs;
}

static dctdiff_status check_image(const dctdiff_token_layout *l, const dctdiff_image *img,
                                  const char *what, dctdiff_error *err)
{
    if (!img || !img->data)
        return dd_fail(err, DCTDIFF_E_ARG, "%s image has no pixel data", what);
    if (img->channels != 3 || img->type != DCTDIFF_PIXEL_U8)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "%s image has %d channels of type %d; tokens need 8-bit RGB", what,
                       img->channels, (int)img->type);
    if (img->width != l->width || img->height != l->height)
        return dd_fail(err, DCTDIFF_E_ARG, "%s image is %dx%d but the token layout is %dx%d",
                       what, img->width, img->height, l->width, l->height);
    if (img->stride < (size_t)img->width * 3)
        return dd_fail(err, DCTDIFF_E_ARG, "%s image stride %zu is below its row size %d",
                       what, img->stride, img->width * 3);
    return DCTDIFF_OK;
}

/* The planes of one image: Y, then Cb and Cr at the token grid's chroma
 * size (half of w x h for 4:2:0). */
typedef struct {
    int w[3], h[3];
} plane_sizes;

static plane_sizes sizes_of(const dctdiff_token_layout *l)
{
    int half = l->chroma == DCTDIFF_CHROMA_420;
    return (plane_sizes){ { l->width, l->width >> half, l->width >> half },
                          { l->height, l->height >> half, l->height >> half } };
}

/* The plane of slot b of token (r, q), and the top-left pixel of its block. */
static void slot_block(const dctdiff_token_layout *l, int b, int r, int q, int *plane,
                       int *x0, int *y0)
{
    int B = l->block_size;
    if (l->chroma == DCTDIFF_CHROMA_420 && b >= 4) {
        *plane = b - 3;
        *x0 = q * B, *y0 = r * B;
    } else {
        *plane = b / 4;
        *x0 = (2 * q + b % 2) * B, *y0 = (2 * r + (b % 4) / 2) * B;
    }
}

void tokens_block_footprint(const dctdiff_token_layout *l, int t, int b, int *x0, int *y0,
                            int *side)
{
    const int per_row = l->width / (2 * l->block_size);
    int plane;
    slot_block(l, b, t / per_row, t % per_row, &plane, x0, y0);
    const int scale = l->chroma == DCTDIFF_CHROMA_420 && plane > 0 ? 2 : 1;
    *x0 *= scale, *y0 *= scale;
    *side = l->block_size * scale;
}

static void *alloc_array(size_t n, size_t elem, const char *what, dctdiff_error *err)
{
    size_t bytes = dd_mul_size(n, elem, err);
    void *p = bytes ? malloc(bytes) : NULL;
    if (bytes && !p)
        dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %zu bytes for %s", bytes, what);
    return p;
}

/* RGB -> the three double planes at the layout's chroma size. */
static dctdiff_status rgb_to_planes(const dctdiff_token_layout *l, const dctdiff_image *rgb,
                                    double *planes[3], dctdiff_error *err)
{
    size_t npix = (size_t)l->width * l->height;
    int half = l->chroma == DCTDIFF_CHROMA_420;
    double *full = half ? alloc_array(2 * npix, sizeof(double), "chroma planes", err) : NULL;
    if (half && !full)
        return err ? err->status : DCTDIFF_E_NOMEM;
    double *cb = half ? full : planes[1], *cr = half ? full + npix : planes[2];
    for (int y = 0; y < l->height; y++) {
        const uint8_t *row = (const uint8_t *)rgb->data + (size_t)y * rgb->stride;
        for (int x = 0; x < l->width; x++) {
            size_t i = (size_t)y * l->width + x;
            color_rgb_to_ycbcr(row[3 * x], row[3 * x + 1], row[3 * x + 2], &planes[0][i],
                               &cb[i], &cr[i]);
        }
    }
    if (half) {
        color_downsample_box2(cb, l->width, l->height, planes[1]);
        color_downsample_box2(cr, l->width, l->height, planes[2]);
        free(full);
    }
    return DCTDIFF_OK;
}

dctdiff_status dctdiff_tokenize(const dctdiff_token_layout *l, const dctdiff_image *rgb,
                                float *tokens, dctdiff_error *err)
{
    dctdiff_status s = dctdiff_token_layout_check(l, err);
    if (s == DCTDIFF_OK)
        s = check_image(l, rgb, "input", err);
    if (s != DCTDIFF_OK)
        return s;
    if (!tokens)
        return dd_fail(err, DCTDIFF_E_ARG, "token buffer is NULL");

    plane_sizes ps = sizes_of(l);
    size_t ny = (size_t)ps.w[0] * ps.h[0], nc = (size_t)ps.w[1] * ps.h[1];
    double *buf = alloc_array(ny + 2 * nc, sizeof(double), "colour planes", err);
    if (!buf)
        return err ? err->status : DCTDIFF_E_NOMEM;
    double *planes[3] = { buf, buf + ny, buf + ny + nc };
    s = rgb_to_planes(l, rgb, planes, err);
    if (s != DCTDIFF_OK) {
        free(buf);
        return s;
    }

    int B = l->block_size, m = l->low_freqs, nb = tokens_blocks_per_token(l);
    int M = l->width / (2 * B), rows = l->height / (2 * B);
    int zigzag[MAX_B * MAX_B];
    float block[MAX_B * MAX_B];
    const int *order = order_of(l, zigzag);
    for (int r = 0; r < rows; r++)
        for (int q = 0; q < M; q++)
            for (int b = 0; b < nb; b++) {
                int p, x0, y0;
                slot_block(l, b, r, q, &p, &x0, &y0);
                /* Round the plane to float32 first, then subtract in float. */
                for (int y = 0; y < B; y++)
                    for (int x = 0; x < B; x++)
                        block[y * B + x] =
                            (float)planes[p][(size_t)(y0 + y) * ps.w[p] + x0 + x] - 128.0f;
                dct_forward_f(block, B);
                /* The official loader divides the float32 coefficients by a
                 * float64 eta array, then stores float32. */
                float *out = tokens + ((size_t)r * M + q) * nb * m + (size_t)b * m;
                for (int i = 0; i < m; i++)
                    out[i] = (float)(block[order[i]] / l->eta);
            }
    free(buf);
    return DCTDIFF_OK;
}

/* Token values outside +-2 are clipped, as the official decoder does. */
static double clip2(float v)
{
    return v > 2.0f ? 2.0 : v < -2.0f ? -2.0 : (double)v;
}

/* A float32 RGB value -> byte: clip to [0, 255], then truncate (NaN -> 0). */
static uint8_t to_byte(float v)
{
    return (uint8_t)(v > 0.0f ? (v < 255.0f ? v : 255.0f) : 0.0f);
}

dctdiff_status dctdiff_detokenize(const dctdiff_token_layout *l, const float *tokens,
                                  dctdiff_image *rgb, dctdiff_error *err)
{
    dctdiff_status s = dctdiff_token_layout_check(l, err);
    if (s == DCTDIFF_OK)
        s = check_image(l, rgb, "output", err);
    if (s != DCTDIFF_OK)
        return s;
    if (!tokens)
        return dd_fail(err, DCTDIFF_E_ARG, "token buffer is NULL");

    /* Y, Cb, Cr at full size; 4:2:0 chroma is first decoded into the
     * spare space after them and then upsampled into place. */
    plane_sizes ps = sizes_of(l);
    size_t npix = (size_t)l->width * l->height, nc = (size_t)ps.w[1] * ps.h[1];
    int half = l->chroma == DCTDIFF_CHROMA_420;
    float *buf = alloc_array(3 * npix + (half ? 2 * nc : 0), sizeof(float), "planes", err);
    if (!buf)
        return err ? err->status : DCTDIFF_E_NOMEM;
    float *full[3] = { buf, buf + npix, buf + 2 * npix };
    float *planes[3] = { full[0], half ? buf + 3 * npix : full[1],
                         half ? buf + 3 * npix + nc : full[2] };

    int B = l->block_size, m = l->low_freqs, nb = tokens_blocks_per_token(l);
    int M = l->width / (2 * B), rows = l->height / (2 * B);
    int zigzag[MAX_B * MAX_B];
    double coef[MAX_B * MAX_B];
    const int *order = order_of(l, zigzag);
    for (int r = 0; r < rows; r++)
        for (int q = 0; q < M; q++)
            for (int b = 0; b < nb; b++) {
                const float *in = tokens + ((size_t)r * M + q) * nb * m + (size_t)b * m;
                memset(coef, 0, sizeof coef);
                for (int i = 0; i < m; i++)
                    coef[order[i]] = clip2(in[i]) * l->eta;
                dct_inverse_d(coef, B);
                int p, x0, y0;
                slot_block(l, b, r, q, &p, &x0, &y0);
                for (int y = 0; y < B; y++)
                    for (int x = 0; x < B; x++)
                        planes[p][(size_t)(y0 + y) * ps.w[p] + x0 + x] =
                            (float)(coef[y * B + x] + 128.0);
            }
    if (half) {
        color_upsample_bilinear2(planes[1], l->width, l->height, full[1]);
        color_upsample_bilinear2(planes[2], l->width, l->height, full[2]);
    }
    for (int y = 0; y < l->height; y++) {
        uint8_t *row = (uint8_t *)rgb->data + (size_t)y * rgb->stride;
        for (int x = 0; x < l->width; x++) {
            size_t i = (size_t)y * l->width + x;
            float R, G, Bl;
            color_ycbcr_to_rgb(full[0][i], full[1][i], full[2][i], &R, &G, &Bl);
            row[3 * x] = to_byte(R), row[3 * x + 1] = to_byte(G), row[3 * x + 2] = to_byte(Bl);
        }
    }
    free(buf);
    return DCTDIFF_OK;
}
