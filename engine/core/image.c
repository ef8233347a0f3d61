/* image.c - caller-visible image buffers. */
#include "core/status.h"

#include <stdlib.h>
#include <string.h>

size_t dctdiff_pixel_size(dctdiff_pixel_type type)
{
    switch (type) {
    case DCTDIFF_PIXEL_U8: return 1;
    case DCTDIFF_PIXEL_U16: return 2;
    case DCTDIFF_PIXEL_F32: return 4;
    }
    return 0;
}

dctdiff_status dctdiff_image_alloc(dctdiff_image *img, int width, int height,
                                   int channels, dctdiff_pixel_type type,
                                   dctdiff_error *err)
{
    memset(img, 0, sizeof *img);
    if (width <= 0 || height <= 0)
        return dd_fail(err, DCTDIFF_E_ARG, "image size %dx%d is not positive", width, height);
    if (channels < 1 || channels > 4)
        return dd_fail(err, DCTDIFF_E_ARG, "%d channels (expected 1 to 4)", channels);
    size_t px = dctdiff_pixel_size(type);
    if (px == 0)
        return dd_fail(err, DCTDIFF_E_ARG, "unknown pixel type %d", (int)type);
    size_t stride = dd_mul_size((size_t)width, px * (size_t)channels, err);
    size_t bytes = stride ? dd_mul_size(stride, (size_t)height, err) : 0;
    if (!bytes)
        return DCTDIFF_E_NOMEM;
    void *data = malloc(bytes);
    if (!data)
        return dd_fail(err, DCTDIFF_E_NOMEM, "cannot allocate %dx%d image (%zu bytes)",
                       width, height, bytes);
    *img = (dctdiff_image){ width, height, channels, type, stride, data };
    return DCTDIFF_OK;
}

void dctdiff_image_release(dctdiff_image *img)
{
    if (!img)
        return;
    free(img->data);
    memset(img, 0, sizeof *img);
}
