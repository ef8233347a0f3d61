/* spectral_kernel.c - design of the spectral upscaler's kernel (see spectral_kernel.h and
 * docs/upscaling.md).
 *
 * Frequencies are in radians per source pixel, omega in [0, pi].  A source
 * pixel was made from `scale` pixels of the large image, so omega there is
 * omega / scale.  The kernel is the inverse cosine transform of the gain
 *
 *   G(omega) = H / (H^2 + beta (omega/pi)^2)      for omega < pi, else 0,
 *
 * where H is the response of the assumed downscale filter: a Wiener inverse
 * with a 1/f^2 (natural image) signal prior against white noise.  Cut to
 * the source band, that is sinc interpolation -- what zero-padding a
 * symmetric-extension DCT computes -- with the filter's loss undone.  A
 * Lanczos window keeps the support to KERNEL_RADIUS pixels. */
#include "upscale/spectral_kernel.h"
#include "core/status.h"

#include <math.h>
#include <stdlib.h>

/* Tuned on Set14 (docs/upscaling.md): beta 0 is 0.01 dB better on the
 * benchmark but leaves noise and JPEG blocks amplified by up to 2x. */
#define KERNEL_BETA 0.01
#define KERNEL_FREQS 1024
#define KERNEL_PER_PIXEL 256

/* Keys cubic, a = -0.5: PIL's and MATLAB's bicubic. */
static double cubic(double x)
{
    const double a = -0.5;
    x = fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0)
        return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

static double box(double x)
{
    return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
}

/* One output pixel of PIL's antialiased reduction, centred at c (in edge
 * coordinates of the large image): its response at large-image frequency w,
 * taken about its own centre. */
static double phase_response(double (*phi)(double), double support, double scale,
                             double c, double w)
{
    double sum = 0.0, acc = 0.0;
    int lo = (int)floor(c - support * scale), hi = (int)ceil(c + support * scale);
    for (int n = lo; n <= hi; n++) {
        double d = n + 0.5 - c, wt = phi(d / scale);
        sum += wt;
        acc += wt * cos(w * d);
    }
    return sum != 0.0 ? acc / sum : 1.0;
}

double kernel_downscale_response(dctdiff_downscale_filter filter, double scale,
                                 double omega)
{
    if (filter == DCTDIFF_DOWNSCALE_NONE)
        return 1.0;
    double (*phi)(double) = filter == DCTDIFF_DOWNSCALE_BOX ? box : cubic;
    double support = filter == DCTDIFF_DOWNSCALE_BOX ? 0.5 : 2.0;
    /* An integer factor has one phase; otherwise average a period's worth. */
    int phases = scale == floor(scale) ? 1 : 64;
    double h = 0.0;
    for (int p = 0; p < phases; p++)
        h += phase_response(phi, support, scale, (p + 0.5) * scale, omega / scale);
    return h / phases;
}

static double lanczos_window(double t)
{
    double x = M_PI * t / KERNEL_RADIUS;
    return x == 0.0 ? 1.0 : sin(x) / x;
}

dctdiff_status kernel_build(kernel_table *k, dctdiff_downscale_filter filter,
                            double scale, dctdiff_error *err)
{
    int n = KERNEL_RADIUS * KERNEL_PER_PIXEL + 1;
    double *gain = malloc(KERNEL_FREQS * sizeof *gain);
    k->per_pixel = KERNEL_PER_PIXEL;
    k->v = malloc((size_t)n * sizeof *k->v);
    if (!gain || !k->v) {
        free(gain);
        kernel_free(k);
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate the upscaling kernel");
    }
    /* Midpoint rule on [0, pi]: the inverse transform of an even G. */
    for (int i = 0; i < KERNEL_FREQS; i++) {
        double w = (i + 0.5) * M_PI / KERNEL_FREQS, f = w / M_PI;
        double h = kernel_downscale_response(filter, scale, w);
        gain[i] = h / (h * h + KERNEL_BETA * f * f);
    }
    for (int j = 0; j < n; j++) {
        /* cos((i + 1/2) d) by the Chebyshev recurrence: a million cosines
         * would cost more than a small upscale. */
        double t = (double)j / KERNEL_PER_PIXEL, d = M_PI / KERNEL_FREQS * t;
        double c2 = 2.0 * cos(d), prev = cos(-0.5 * d), cur = cos(0.5 * d), acc = 0.0;
        for (int i = 0; i < KERNEL_FREQS; i++) {
            acc += gain[i] * cur;
            double next = c2 * cur - prev;
            prev = cur;
            cur = next;
        }
        k->v[j] = (float)(acc / KERNEL_FREQS * lanczos_window(t));
    }
    k->v[n - 1] = 0.0f;
    free(gain);
    return DCTDIFF_OK;
}

double kernel_eval(const kernel_table *k, double t)
{
    double x = fabs(t) * k->per_pixel;
    int i = (int)x;
    if (i >= KERNEL_RADIUS * k->per_pixel)
        return 0.0;
    double f = x - i;
    return (1.0 - f) * k->v[i] + f * k->v[i + 1];
}

void kernel_free(kernel_table *k)
{
    free(k->v);
    k->v = NULL;
}
