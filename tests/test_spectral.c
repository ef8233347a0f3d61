/* test_spectral.c - the spectral method (upscale/spectral.c and its kernel,
 * spectral_kernel.c): the kernel's assumed filter responses, and the
 * method's defining property, that the assumed downscale of the output gives
 * the input back. */
#include "check.h"
#include "dctdiff.h"
#include "test_images.h"
#include "upscale/spectral_kernel.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 2024;

/* ---- spectral method: its defining property ----------------------------- */

static double keys_cubic(double x)
{
    x = fabs(x);
    return x < 1 ? (1.5 * x - 2.5) * x * x + 1 : x < 2 ? ((-0.5 * x + 2.5) * x - 4) * x + 2 : 0;
}

static double box(double x)
{
    return x > -0.5 && x <= 0.5;
}

/* PIL's antialiased reduction (bicubic or box) by an integer factor s, of
 * one gray float plane, away from the edges (where PIL renormalises). */
static double reduce(const dctdiff_image *img, dctdiff_downscale_filter f, int s, int x, int y)
{
    double (*phi)(double) = f == DCTDIFF_DOWNSCALE_BOX ? box : keys_cubic;
    double sum = 0, wsum = 0;
    for (int j = y * s - 2 * s; j < y * s + 3 * s; j++)
        for (int i = x * s - 2 * s; i < x * s + 3 * s; i++) {
            double w = phi((j + 0.5 - (y + 0.5) * s) / s) * phi((i + 0.5 - (x + 0.5) * s) / s);
            if (w != 0) {
                sum += w * test_px_get(img, i, j, 0);
                wsum += w;
            }
        }
    return sum / wsum;
}

/* RMS of (reduction by `down` of the x s output made assuming `assumed`) -
 * input, inner pixels. */
static double redownscale_error(const dctdiff_image *src, int s,
                                dctdiff_downscale_filter assumed, dctdiff_downscale_filter down)
{
    dctdiff_image dst = test_image_new(src->width * s, src->height * s, 1, DCTDIFF_PIXEL_F32);
    double sq = 0;
    int n = 0;
    if (test_upscale(src, &dst, DCTDIFF_UPSCALE_SPECTRAL, assumed, 1) == DCTDIFF_OK)
        for (int y = 6; y < src->height - 6; y++)
            for (int x = 6; x < src->width - 6; x++, n++) {
                double d = reduce(&dst, down, s, x, y) - test_px_get(src, x, y, 0);
                sq += d * d;
            }
    dctdiff_image_release(&dst);
    return n ? sqrt(sq / n) : INFINITY;
}

/* Noise with the 1/f amplitude spectrum of natural images: a sum of
 * bilinearly enlarged white noise at octave scales, each weighted by its
 * size. */
static void fill_pink(dctdiff_image *img)
{
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            test_px_set(img, x, y, 0, 0.5);
    for (int scale = 1; scale <= 8; scale *= 2) {
        int gw = img->width / scale + 2, gh = img->height / scale + 2;
        double *g = malloc(sizeof *g * gw * gh);
        for (int i = 0; i < gw * gh; i++)
            g[i] = (test_uniform(&rng_state) - 0.5) * 0.06 * scale;
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++) {
                double fx = (double)x / scale, fy = (double)y / scale;
                int ix = (int)fx, iy = (int)fy;
                fx -= ix, fy -= iy;
                double v = (1 - fy) * ((1 - fx) * g[iy * gw + ix] + fx * g[iy * gw + ix + 1]) +
                           fy * ((1 - fx) * g[(iy + 1) * gw + ix] + fx * g[(iy + 1) * gw + ix + 1]);
                test_px_set(img, x, y, 0, test_px_get(img, x, y, 0) + v);
            }
        free(g);
    }
}

static double rms_about_mean(const dctdiff_image *img)
{
    double s = 0, sq = 0;
    int n = img->width * img->height;
    for (int i = 0; i < n; i++) {
        double v = test_px_get(img, i % img->width, i / img->width, 0);
        s += v;
        sq += v * v;
    }
    return sqrt(sq / n - (s / n) * (s / n));
}

static void check_spectral_redownscale(int s, dctdiff_downscale_filter f)
{
    dctdiff_image src = test_image_new(48, 40, 1, DCTDIFF_PIXEL_F32);
    fill_pink(&src);
    double signal = rms_about_mean(&src);
    double inverse = redownscale_error(&src, s, f, f);
    double plain = redownscale_error(&src, s, DCTDIFF_DOWNSCALE_NONE, f);
    /* Plain interpolation keeps the filter's loss; the inverse undoes it,
     * short of the regularisation and the window at the band edge. */
    CHECK(inverse < 0.03 * signal && inverse < 0.5 * plain,
          "spectral x%d, filter %d: re-downscale RMS error %g (plain interpolation %g, "
          "signal %g)", s, (int)f, inverse, plain, signal);
    dctdiff_image_release(&src);
}

/* The kernel's assumed responses: the paper's factor for a 2x2 box. */
static void check_box_response(void)
{
    for (int k = 0; k < 4; k++) {
        double w = M_PI * k / 4.0;
        double got = kernel_downscale_response(DCTDIFF_DOWNSCALE_BOX, 2.0, w);
        CHECK(fabs(got - cos(M_PI * k / 16.0)) < 1e-12, "box x2 response at k=%d: %g", k, got);
    }
    CHECK(kernel_downscale_response(DCTDIFF_DOWNSCALE_BICUBIC, 2.0, 0.0) == 1.0,
          "bicubic response at DC is not 1");
}

int main(void)
{
    check_box_response();
    check_spectral_redownscale(2, DCTDIFF_DOWNSCALE_BICUBIC);
    check_spectral_redownscale(3, DCTDIFF_DOWNSCALE_BICUBIC);
    check_spectral_redownscale(2, DCTDIFF_DOWNSCALE_BOX);
    return check_finish("test_spectral");
}
