/* pixel_rows.c - pixel conversion with premultiplied alpha (see
 * pixel_rows.h). */
#include "upscale/pixel_rows.h"

#include <stdint.h>

int pixels_has_alpha(int channels)
{
    return channels == 2 || channels == 4;
}

static float type_max(dctdiff_pixel_type type)
{
    return type == DCTDIFF_PIXEL_U8 ? 255.0f : type == DCTDIFF_PIXEL_U16 ? 65535.0f : 1.0f;
}

static float clampf(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void pixels_load_row(const dctdiff_image *img, int y, float range, float *out)
{
    size_t n = (size_t)img->width * img->channels;
    const char *row = (const char *)img->data + (size_t)y * img->stride;
    float k = range / type_max(img->type);
    switch (img->type) {
    case DCTDIFF_PIXEL_U8:
        for (size_t i = 0; i < n; i++)
            out[i] = ((const uint8_t *)row)[i] * k;
        break;
    case DCTDIFF_PIXEL_U16:
        for (size_t i = 0; i < n; i++)
            out[i] = ((const uint16_t *)row)[i] * k;
        break;
    case DCTDIFF_PIXEL_F32:
        for (size_t i = 0; i < n; i++)
            out[i] = ((const float *)row)[i] * k;
        break;
    }
    if (!pixels_has_alpha(img->channels))
        return;
    int C = img->channels;
    for (size_t i = 0; i < n; i += C) {
        float a = clampf(out[i + C - 1] / range, 0.0f, 1.0f);
        for (int c = 0; c < C - 1; c++)
            out[i + c] *= a;
    }
}

static void unpremultiply(float *px, int C, float range)
{
    float a = clampf(px[C - 1], 0.0f, range);
    px[C - 1] = a;
    for (int c = 0; c < C - 1; c++)
        px[c] = a > 0.0f ? clampf(px[c] * range / a, 0.0f, range) : 0.0f;
}

void pixels_store_row(float *in, float range, int floor_u8, dctdiff_image *img, int y)
{
    int C = img->channels;
    size_t n = (size_t)img->width * C;
    char *row = (char *)img->data + (size_t)y * img->stride;
    if (pixels_has_alpha(C))
        for (size_t i = 0; i < n; i += C)
            unpremultiply(in + i, C, range);
    float k = type_max(img->type) / range;
    switch (img->type) {
    case DCTDIFF_PIXEL_U8: {
        float half = floor_u8 ? 0.0f : 0.5f;
        for (size_t i = 0; i < n; i++)
            ((uint8_t *)row)[i] = (uint8_t)(clampf(in[i] * k, 0.0f, 255.0f) + half);
        break;
    }
    case DCTDIFF_PIXEL_U16:
        for (size_t i = 0; i < n; i++)
            ((uint16_t *)row)[i] = (uint16_t)(clampf(in[i] * k, 0.0f, 65535.0f) + 0.5f);
        break;
    case DCTDIFF_PIXEL_F32:
        for (size_t i = 0; i < n; i++)
            ((float *)row)[i] = in[i] * k;
        break;
    }
}
