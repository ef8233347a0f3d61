/* color.h - the colour arithmetic of the official DCTdiff code (method.md
 * §1.1, 1.2, 2.5, 2.6): JFIF/BT.601 full-range YCbCr, 2x2 box chroma
 * downsampling and half-pixel bilinear chroma upsampling. */
#ifndef DCTDIFF_COLOR_H
#define DCTDIFF_COLOR_H

/* RGB (0..255) -> Y, Cb, Cr in double, no rounding or clamping. */
void color_rgb_to_ycbcr(double r, double g, double b, double *y, double *cb, double *cr);

/* Y, Cb, Cr -> RGB in float with the JFIF inverse constants (not clipped). */
void color_ycbcr_to_rgb(float y, float cb, float cr, float *r, float *g, float *b);

/* w x h double plane (w, h even) -> (w/2) x (h/2), each the mean of its 2x2
 * cell summed in the order TL, TR, BL, BR, then x 0.25. */
void color_downsample_box2(const double *src, int w, int h, double *dst);

/* (w/2) x (h/2) float plane -> w x h, half-pixel bilinear (0.25/0.75
 * weights, edges replicated), horizontal pass then vertical, float. */
void color_upsample_bilinear2(const float *src, int w, int h, float *dst);

#endif
