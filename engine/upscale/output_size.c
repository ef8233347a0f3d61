/* output_size.c - the one rule that turns a factor or a target width/height
 * into an output size, with the one set of limits every caller shares (the
 * CLI's upscale and generate --upscale, the plug-in's procedures and
 * dialogs). */
#include "core/status.h"

#include <math.h>

dctdiff_status dctdiff_output_size(int src_w, int src_h, double factor, int width, int height,
                                   int *out_w, int *out_h, dctdiff_error *err)
{
    if (src_w <= 0 || src_h <= 0)
        return dd_fail(err, DCTDIFF_E_ARG, "the source size %dx%d is not positive", src_w,
                       src_h);
    if (width < 0 || height < 0 || width > DCTDIFF_SIDE_MAX || height > DCTDIFF_SIDE_MAX)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "the size %dx%d is outside the limits (1 to %d a side, 0 = unset)",
                       width, height, DCTDIFF_SIDE_MAX);
    /* In double, so that no int overflows before the limit check. */
    double w, h;
    if (width == 0 && height == 0) {
        if (!(factor >= DCTDIFF_FACTOR_MIN && factor <= DCTDIFF_FACTOR_MAX))
            return dd_fail(err, DCTDIFF_E_ARG,
                           "the scale factor %g is outside the limits (%g to %g)", factor,
                           DCTDIFF_FACTOR_MIN, DCTDIFF_FACTOR_MAX);
        w = src_w * factor;
        h = src_h * factor;
    } else {
        w = width ? width : (double)src_w * height / src_h;
        h = height ? height : (double)src_h * width / src_w;
    }
    w = fmax(1.0, round(w));
    h = fmax(1.0, round(h));
    if (w > DCTDIFF_SIDE_MAX || h > DCTDIFF_SIDE_MAX)
        return dd_fail(err, DCTDIFF_E_ARG,
                       "the output would be %.0fx%.0f pixels; the limit is %d a side", w, h,
                       DCTDIFF_SIDE_MAX);
    *out_w = (int)w;
    *out_h = (int)h;
    return DCTDIFF_OK;
}
