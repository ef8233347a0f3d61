/* upscaler.h - the upscaler object behind dctdiff_upscaler_*: one set of
 * operations per method, each working on a band of output rows. */
#ifndef DCTDIFF_UPSCALER_H
#define DCTDIFF_UPSCALER_H

#include "dctdiff.h"
#include "core/team.h"

typedef struct {
    /* Source rows [*s0, *s1) that output rows [y0, y1) read. */
    void (*input_rows)(const void *impl, int y0, int y1, int *s0, int *s1);
    /* src holds the rows input_rows named, starting at row s0; writes output
     * rows [y0, y1) into dst (whose row 0 is output row y0). */
    dctdiff_status (*run)(void *impl, const dctdiff_image *src, int s0, int y0, int y1,
                          dctdiff_image *dst, team *team, dctdiff_error *err);
    void (*free)(void *impl);
} upscaler_ops;

struct dctdiff_upscaler {
    int src_w, src_h, dst_w, dst_h, channels;
    team *team;   /* started once, serves every band */
    int granule;  /* whole-image strips are a multiple of this many rows */
    const upscaler_ops *ops;
    void *impl;
};

/* Each method checks its own constraints, fills ops, impl and granule. */
dctdiff_status upscaler_spectral_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                     dctdiff_error *err);
dctdiff_status upscaler_paper_new(dctdiff_upscaler *u, dctdiff_error *err);
dctdiff_status upscaler_learned_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                    dctdiff_error *err);
dctdiff_status upscaler_learned_cnn_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                        dctdiff_error *err);

/* A learned method at one of its native factors (2 or 4; u's output is
 * exactly factor times its source). */
typedef dctdiff_status (*upscaler_native_fn)(dctdiff_upscaler *u, int factor,
                                             dctdiff_error *err);
dctdiff_status upscaler_learned_native_new(dctdiff_upscaler *u, int factor, dctdiff_error *err);

/* u by `native` at the largest native factor that fits, then spectral
 * (learned_factors.c). */
dctdiff_status upscaler_learned_factors_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                            upscaler_native_fn native, dctdiff_error *err);

/* u from first (source to intermediate) then second (intermediate to u's
 * output); takes both, freeing them on failure. */
dctdiff_status upscaler_two_stage_new(dctdiff_upscaler *u, const dctdiff_upscaler *first,
                                      const dctdiff_upscaler *second, dctdiff_error *err);

#endif
