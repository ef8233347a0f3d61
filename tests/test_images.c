/* test_images.c - images for the upscaling tests (see test_images.h). */
#include "test_images.h"

#include "check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double test_uniform(uint32_t *state)
{
    *state = *state * 1664525u + 1013904223u;
    return (*state >> 8) / (double)(1u << 24);
}

dctdiff_image test_image_new(int w, int h, int c, dctdiff_pixel_type t)
{
    dctdiff_image img;
    dctdiff_error err;
    if (!CHECK(dctdiff_image_alloc(&img, w, h, c, t, &err) == DCTDIFF_OK, "alloc: %s", err.msg))
        exit(check_finish("out of memory"));
    memset(img.data, 0, img.stride * h);
    return img;
}

double test_px_get(const dctdiff_image *img, int x, int y, int c)
{
    const char *row = (const char *)img->data + (size_t)y * img->stride;
    size_t i = (size_t)x * img->channels + c;
    switch (img->type) {
    case DCTDIFF_PIXEL_U8: return ((const uint8_t *)row)[i] / 255.0;
    case DCTDIFF_PIXEL_U16: return ((const uint16_t *)row)[i] / 65535.0;
    default: return ((const float *)row)[i];
    }
}

void test_px_set(dctdiff_image *img, int x, int y, int c, double v)
{
    char *row = (char *)img->data + (size_t)y * img->stride;
    size_t i = (size_t)x * img->channels + c;
    switch (img->type) {
    case DCTDIFF_PIXEL_U8: ((uint8_t *)row)[i] = (uint8_t)lround(v * 255.0); break;
    case DCTDIFF_PIXEL_U16: ((uint16_t *)row)[i] = (uint16_t)lround(v * 65535.0); break;
    default: ((float *)row)[i] = (float)v; break;
    }
}

void test_fill_random(dctdiff_image *img, double lo, double hi, uint32_t *state)
{
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            for (int c = 0; c < img->channels; c++)
                test_px_set(img, x, y, c, lo + (hi - lo) * test_uniform(state));
}

void test_release_all(dctdiff_image *const *imgs, int n)
{
    for (int i = 0; i < n; i++)
        dctdiff_image_release(imgs[i]);
}

int test_same_bytes(const dctdiff_image *a, const dctdiff_image *b)
{
    size_t row = (size_t)a->width * a->channels * dctdiff_pixel_size(a->type);
    for (int y = 0; y < a->height; y++)
        if (memcmp((char *)a->data + y * a->stride, (char *)b->data + y * b->stride, row))
            return 0;
    return 1;
}

dctdiff_upscale_params test_params(dctdiff_upscale_method m, dctdiff_downscale_filter f,
                                   int threads)
{
    dctdiff_upscale_params p;
    dctdiff_upscale_params_init(&p);
    p.method = m;
    p.filter = f;
    p.threads = threads;
    return p;
}

dctdiff_status test_upscale(const dctdiff_image *src, dctdiff_image *dst,
                            dctdiff_upscale_method m, dctdiff_downscale_filter f, int threads)
{
    dctdiff_upscale_params p = test_params(m, f, threads);
    dctdiff_error err = { 0 };
    dctdiff_status st = dctdiff_upscale(src, dst, &p, &err);
    CHECK(st == DCTDIFF_OK, "upscale %dx%d -> %dx%d (method %d): %s", src->width, src->height,
          dst->width, dst->height, (int)m, err.msg);
    return st;
}
