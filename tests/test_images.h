/* test_images.h - images for the upscaling tests: allocation that ends the
 * run when memory is short, pixel access in any type, seeded random fills,
 * byte comparison and a checked upscale. */
#ifndef DCTDIFF_TEST_IMAGES_H
#define DCTDIFF_TEST_IMAGES_H

#include <stdint.h>

#include "dctdiff.h"

/* The next uniform number in [0, 1) of a small LCG. */
double test_uniform(uint32_t *state);

/* A zeroed image; a failed allocation ends the program as failed. */
dctdiff_image test_image_new(int w, int h, int c, dctdiff_pixel_type t);
/* Pixel value as 0..1, in any type. */
double test_px_get(const dctdiff_image *img, int x, int y, int c);
void test_px_set(dctdiff_image *img, int x, int y, int c, double v);
void test_fill_random(dctdiff_image *img, double lo, double hi, uint32_t *state);
/* Releases each of the n images. */
void test_release_all(dctdiff_image *const *imgs, int n);
/* TEST_RELEASE(&a, &b, ...): releases a, b, ... */
#define TEST_RELEASE(...)                                                   \
    test_release_all((dctdiff_image *const[]){ __VA_ARGS__ },               \
                     (int)(sizeof((dctdiff_image *const[]){ __VA_ARGS__ }) / \
                           sizeof(dctdiff_image *)))
/* 1 when a and b (same size and type) hold the same pixels, strides aside. */
int test_same_bytes(const dctdiff_image *a, const dctdiff_image *b);

dctdiff_upscale_params test_params(dctdiff_upscale_method m, dctdiff_downscale_filter f,
                                   int threads);
/* dctdiff_upscale with those params; a failure is a failed check. */
dctdiff_status test_upscale(const dctdiff_image *src, dctdiff_image *dst,
                            dctdiff_upscale_method m, dctdiff_downscale_filter f,
                            int threads);

#endif
