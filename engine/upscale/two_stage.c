/* two_stage.c - one upscaler made of two: the first enlarges the source to an
 * intermediate size, the second the intermediate to the output.  A band of
 * output rows asks the second stage which intermediate rows it reads, and the
 * first which source rows those need; the intermediate rows live in a float
 * band, so strips stay seamless and the scratch memory O(band). */
#include "upscale/upscaler.h"
#include "core/status.h"

#include <stdlib.h>

typedef struct {
    dctdiff_upscaler first, second;
} two_stage;

static void two_stage_input_rows(const void *impl, int y0, int y1, int *s0, int *s1)
{
    const two_stage *t = impl;
    int m0, m1;
    t->second.ops->input_rows(t->second.impl, y0, y1, &m0, &m1);
    t->first.ops->input_rows(t->first.impl, m0, m1, s0, s1);
}

static dctdiff_status two_stage_run(void *impl, const dctdiff_image *src, int s0, int y0,
                                    int y1, dctdiff_image *dst, team *team, dctdiff_error *err)
{
    const two_stage *t = impl;
    int m0, m1, t0, t1;
    t->second.ops->input_rows(t->second.impl, y0, y1, &m0, &m1);
    t->first.ops->input_rows(t->first.impl, m0, m1, &t0, &t1);
    int w = t->first.dst_w, C = t->first.channels;
    size_t bytes = dd_mul_size((size_t)(m1 - m0) * C, (size_t)w * sizeof(float), err);
    if (!bytes)
        return DCTDIFF_E_NOMEM;
    dctdiff_image mid = { w, m1 - m0, C, DCTDIFF_PIXEL_F32, (size_t)w * C * sizeof(float),
                          malloc(bytes) };
    if (!mid.data)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate a %zu-byte upscaling band",
                       bytes);
    dctdiff_image in = *src;
    in.height = t1 - t0;
    in.data = (char *)src->data + (size_t)(t0 - s0) * src->stride;
    dctdiff_status st = t->first.ops->run(t->first.impl, &in, t0, m0, m1, &mid, team, err);
    if (st == DCTDIFF_OK)
        st = t->second.ops->run(t->second.impl, &mid, m0, y0, y1, dst, team, err);
    free(mid.data);
    return st;
}

static void two_stage_free(void *impl)
{
    two_stage *t = impl;
    if (!t)
        return;
    if (t->first.ops)
        t->first.ops->free(t->first.impl);
    if (t->second.ops)
        t->second.ops->free(t->second.impl);
    free(t);
}

static const upscaler_ops two_stage_ops = { two_stage_input_rows, two_stage_run,
                                            two_stage_free };

dctdiff_status upscaler_two_stage_new(dctdiff_upscaler *u, const dctdiff_upscaler *first,
                                      const dctdiff_upscaler *second, dctdiff_error *err)
{
    two_stage *t = calloc(1, sizeof *t);
    if (!t) {
        first->ops->free(first->impl);
        second->ops->free(second->impl);
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate an upscaler");
    }
    *t = (two_stage){ *first, *second };
    u->ops = &two_stage_ops;
    u->impl = t;
    u->granule = 1;
    return DCTDIFF_OK;
}
