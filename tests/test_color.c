/* test_color.c - colour formulas, the 2x2 box mean's summation order, and the
 * bilinear chroma upsampling against a coordinate-based implementation of
 * the half-pixel rule. */
#include "check.h"
#include "core/color.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static uint32_t rng_state = 777;

static double uniform(double lo, double hi)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return lo + (rng_state >> 8) / (double)(1u << 24) * (hi - lo);
}

/* The forward matrix in long double, and the inverse it should nearly undo. */
static void check_colour(void)
{
    double worst_fwd = 0, worst_trip = 0;
    for (int i = 0; i < 2000; i++) {
        int r = i % 256, g = (i * 7) % 256, b = (i * 131) % 256;
        double y, cb, cr;
        color_rgb_to_ycbcr(r, g, b, &y, &cb, &cr);
        long double ly = 0.299L * r + 0.587L * g + 0.114L * b;
        long double lcb = 128 - 0.168736L * r - 0.331264L * g + 0.5L * b;
        long double lcr = 128 + 0.5L * r - 0.418688L * g - 0.081312L * b;
        worst_fwd = fmax(worst_fwd, fabs((double)(ly - y)));
        worst_fwd = fmax(worst_fwd, fabs((double)(lcb - cb)));
        worst_fwd = fmax(worst_fwd, fabs((double)(lcr - cr)));
        float rf, gf, bf;
        color_ycbcr_to_rgb((float)y, (float)cb, (float)cr, &rf, &gf, &bf);
        worst_trip = fmax(worst_trip, fabs(rf - r));
        worst_trip = fmax(worst_trip, fabs(gf - g));
        worst_trip = fmax(worst_trip, fabs(bf - b));
    }
    printf("colour: forward max err %.3g, round trip max err %.3g levels\n", worst_fwd,
           worst_trip);
    CHECK(worst_fwd < 1e-12, "forward colour off by %g", worst_fwd);
    /* JFIF inverse constants are not the exact inverse (< 2e-4), plus
     * float32 rounding of values up to 255. */
    CHECK(worst_trip < 5e-4, "colour round trip off by %g levels", worst_trip);
    double y, cb, cr;
    color_rgb_to_ycbcr(255, 255, 255, &y, &cb, &cr);
    CHECK(fabs(y - 255) < 1e-9 && fabs(cb - 128) < 1e-9 && fabs(cr - 128) < 1e-9,
          "white -> %g %g %g", y, cb, cr);
}

static void check_box(void)
{
    /* Only TL + TR, then + BL, then + BR gives 0.25 here: 1e16 + 1 rounds
     * to 1e16 in double, every other order loses or keeps both ones. */
    const double cell[4] = { 1e16, 1, -1e16, 1 };
    double out;
    color_downsample_box2(cell, 2, 2, &out);
    CHECK(out == 0.25, "box mean summation order: got %.17g, want 0.25", out);

    enum { W = 6, H = 4 };
    double src[W * H], dst[(W / 2) * (H / 2)];
    for (int i = 0; i < W * H; i++)
        src[i] = i * i;
    color_downsample_box2(src, W, H, dst);
    for (int i = 0; i < H / 2; i++)
        for (int j = 0; j < W / 2; j++) {
            double want = (src[2 * i * W + 2 * j] + src[2 * i * W + 2 * j + 1] +
                           src[(2 * i + 1) * W + 2 * j] + src[(2 * i + 1) * W + 2 * j + 1]) / 4;
            CHECK(dst[i * (W / 2) + j] == want, "box cell (%d,%d) = %g, want %g", i, j,
                  dst[i * (W / 2) + j], want);
        }
}

/* Output o of 2n samples sits at source coordinate (o + 0.5)/2 - 0.5;
 * interpolate linearly, clamping the coordinate at the edges. */
static float ref_sample(const float *in, int step, int n, int o)
{
    float sx = (o + 0.5f) * 0.5f - 0.5f;
    int k = (int)floorf(sx);
    float f = sx - k;
    if (k < 0)
        k = 0, f = 0;
    if (k >= n - 1)
        k = n - 1, f = 0;
    float next = k + 1 < n ? in[(k + 1) * step] : 0;
    return (1 - f) * in[k * step] + f * next;
}

static void check_bilinear(int w, int h)
{
    int sw = w / 2, sh = h / 2;
    float *src = malloc(sizeof(float) * sw * sh), *mid = malloc(sizeof(float) * w * sh);
    float *want = malloc(sizeof(float) * w * h), *got = malloc(sizeof(float) * w * h);
    for (int i = 0; i < sw * sh; i++)
        src[i] = (float)uniform(-20, 280);
    for (int y = 0; y < sh; y++)
        for (int x = 0; x < w; x++)
            mid[y * w + x] = ref_sample(src + y * sw, 1, sw, x);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            want[y * w + x] = ref_sample(mid + x, w, sh, y);
    color_upsample_bilinear2(src, w, h, got);
    char label[64];
    snprintf(label, sizeof label, "bilinear x2 %dx%d (bit-exact)", w, h);
    check_close(label, got, want, (size_t)w * h, 0, 0);
    free(src), free(mid), free(want), free(got);
}

int main(void)
{
    check_colour();
    check_box();
    check_bilinear(16, 16);
    check_bilinear(2, 8);
    check_bilinear(12, 2);
    check_bilinear(40, 24);
    return check_finish("test_color");
}
