/* pixel_rows.h - rows of caller pixels to and from working floats.
 *
 * Working rows hold `channels` interleaved floats per pixel, the type's full
 * scale mapped to `range` (1 for the spectral method, 255 for the paper's
 * arithmetic), with colour premultiplied by alpha: resampling premultiplied
 * colour lets transparent pixels (whose colour is meaningless) contribute
 * nothing, so no fringes of their colour appear. */
#ifndef DCTDIFF_PIXEL_ROWS_H
#define DCTDIFF_PIXEL_ROWS_H

#include "dctdiff.h"

/* 1 when the pixel layout has an alpha channel (the last one). */
int pixels_has_alpha(int channels);

/* Row y of img -> width * channels floats. */
void pixels_load_row(const dctdiff_image *img, int y, float range, float *out);

/* width * channels floats -> row y of img: unpremultiplies, clamps alpha to
 * [0, range] and, for integer types or images with alpha, colour too; then
 * rounds to the nearest integer level, or truncates 8-bit levels when
 * `floor_u8` (the official DCTdiff rule). */
void pixels_store_row(float *in, float range, int floor_u8, dctdiff_image *img, int y);

#endif
