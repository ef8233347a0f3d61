/* resample.h - separable polyphase resampling of one axis: per-output tap
 * tables, built once, and the two hot passes (along a row of interleaved
 * pixels, and across a stack of rows).  Edges use half-sample symmetric
 * extension (..., x1, x0 | x0, x1, ...), the boundary condition of the
 * DCT-II, so a band-limited image keeps its spectrum up to the border. */
#ifndef DCTDIFF_RESAMPLE_H
#define DCTDIFF_RESAMPLE_H

#include <stddef.h>

#include "upscale/spectral_kernel.h"

#define RESAMPLE_TAPS (2 * KERNEL_RADIUS)
/* Reflected pixels added on each side of a source row: covers every tap. */
#define RESAMPLE_PAD (KERNEL_RADIUS + 1)

/* clang 14 does not emit the resolver for callers in other files. */
#if defined(__x86_64__) && defined(__has_attribute) && !defined(__clang__)
#if __has_attribute(target_clones)
#define RESAMPLE_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef RESAMPLE_CLONES
#define RESAMPLE_CLONES
#endif

typedef struct {
    int n_in, n_out;
    int *first;  /* per output: first tap, in padded-row coordinates */
    int *index;  /* per output and tap: source index reflected into [0, n_in) */
    float *w;    /* per output and tap: weights, summing to 1 */
} resample_axis;

/* Output o sits at source position (o + 0.5) n_in / n_out - 0.5 (pixel
 * centres aligned, as in every standard resizer). */
dctdiff_status resample_axis_build(resample_axis *a, int n_in, int n_out,
                                   const kernel_table *k, dctdiff_error *err);
void resample_axis_free(resample_axis *a);

/* The source indices [*i0, *i1) that outputs [o0, o1) read. */
void resample_axis_span(const resample_axis *a, int o0, int o1, int *i0, int *i1);

/* row holds n_in pixels of `channels` floats starting at pixel RESAMPLE_PAD;
 * fills RESAMPLE_PAD reflected pixels on both sides. */
void resample_pad_row(const resample_axis *a, int channels, float *row);

/* A padded row -> n_out pixels. */
void resample_row(const resample_axis *a, int channels, const float *row, float *out);

/* Output o of the vertical axis: rows[t] is the row of tap t; n floats. */
void resample_column(const float *w, const float *const *rows, size_t n,
                     float *restrict out);

#endif
