/* learned_factors.c - the size rule of the learned methods: their models
 * exist at native factors (2 and 4); other sizes take the largest native
 * factor that fits both axes, then spectral for the rest; below x2, spectral
 * alone.  Every model is trained on bicubic-shrunk images. */
#include "upscale/upscaler.h"
#include "core/status.h"

/* The largest native factor that fits both axes, 0 when none does. */
static int native_factor(const dctdiff_upscaler *u)
{
    for (int f = 4; f >= 2; f -= 2)
        if ((long)u->src_w * f <= u->dst_w && (long)u->src_h * f <= u->dst_h)
            return f;
    return 0;
}

dctdiff_status upscaler_learned_factors_new(dctdiff_upscaler *u, dctdiff_downscale_filter filter,
                                            upscaler_native_fn native, dctdiff_error *err)
{
    if (filter != DCTDIFF_DOWNSCALE_BICUBIC)
        return dd_fail(err, DCTDIFF_E_ARG, "learned upscaling is trained on bicubic-shrunk "
                       "images: use filter bicubic, or the spectral method");
    int f = native_factor(u);
    if (f == 0)  /* below x2 on an axis: nothing trained, spectral's result */
        return upscaler_spectral_new(u, filter, err);
    if (u->dst_w == u->src_w * f && u->dst_h == u->src_h * f)
        return native(u, f, err);
    dctdiff_upscaler first = *u, second = *u;
    first.dst_w = second.src_w = u->src_w * f;
    first.dst_h = second.src_h = u->src_h * f;
    dctdiff_status st = native(&first, f, err);
    if (st != DCTDIFF_OK)
        return st;
    /* The intermediate was not shrunk by any filter: interpolate it as is. */
    st = upscaler_spectral_new(&second, DCTDIFF_DOWNSCALE_NONE, err);
    if (st != DCTDIFF_OK) {
        first.ops->free(first.impl);
        return st;
    }
    return upscaler_two_stage_new(u, &first, &second, err);
}
