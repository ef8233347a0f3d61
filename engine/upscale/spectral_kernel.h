/* spectral_kernel.h - the 1-D interpolation kernel of the spectral upscaler.
 *
 * The kernel keeps the low band of the small image (band-limited, DCT
 * zero-padding interpolation) and divides it by the frequency response of
 * the filter assumed to have made the small image, regularised so that the
 * inverse stays bounded.  Positions t are in source pixels. */
#ifndef DCTDIFF_SPECTRAL_KERNEL_H
#define DCTDIFF_SPECTRAL_KERNEL_H

#include "dctdiff.h"

/* Support radius in source pixels: 2 * KERNEL_RADIUS taps per output. */
#define KERNEL_RADIUS 4

typedef struct {
    int per_pixel;  /* samples of k(t) per source pixel */
    float *v;       /* k(i / per_pixel), i = 0 .. KERNEL_RADIUS * per_pixel */
} kernel_table;

/* The response of `filter` shrinking by `scale` >= 1, as PIL's resampler
 * applies it (averaged over its phases), at omega radians per small-image
 * pixel. */
double kernel_downscale_response(dctdiff_downscale_filter filter, double scale,
                                 double omega);

/* Tabulates the kernel for an axis enlarged by `scale`. */
dctdiff_status kernel_build(kernel_table *k, dctdiff_downscale_filter filter,
                            double scale, dctdiff_error *err);
/* k(t), linearly interpolated in the table; 0 for |t| >= KERNEL_RADIUS. */
double kernel_eval(const kernel_table *k, double t);
void kernel_free(kernel_table *k);

#endif
