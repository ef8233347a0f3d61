/* test_paper.c - the paper method (upscale/paper.c): against the numpy
 * reference's fixtures (tests/fixtures/make_upsample_fixtures.py), and its
 * defining property, that the box mean of the output is the input. */
#include "check.h"
#include "dctdiff.h"
#include "test_images.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 2024;

/* ---- paper method against the numpy reference --------------------------- */

static void check_paper_fixture(const char *name)
{
    char path[256], magic[8];
    int32_t hdr[3];
    snprintf(path, sizeof path, "fixtures/upsample_paper_%s.bin", name);
    FILE *f = fopen(path, "rb");
    if (!CHECK(f != NULL, "cannot open %s", path))
        return;
    int ok = fread(magic, 1, 8, f) == 8 && memcmp(magic, "DDUPSFX\0", 8) == 0 &&
             fread(hdr, sizeof hdr, 1, f) == 1 && hdr[0] == 1 && hdr[1] > 0 && hdr[2] > 0;
    int h = ok ? hdr[1] : 1, w = ok ? hdr[2] : 1;
    dctdiff_image src = test_image_new(w, h, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image want = test_image_new(2 * w, 2 * h, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image got = test_image_new(2 * w, 2 * h, 3, DCTDIFF_PIXEL_U8);
    ok = ok && fread(src.data, 1, src.stride * h, f) == src.stride * h &&
         fread(want.data, 1, want.stride * 2 * h, f) == want.stride * 2 * h && fgetc(f) == EOF;
    fclose(f);
    if (CHECK(ok, "%s: bad header or size", path) &&
        test_upscale(&src, &got, DCTDIFF_UPSCALE_PAPER, DCTDIFF_DOWNSCALE_BOX, 1) == DCTDIFF_OK) {
        /* float32 DCTs summed in another order: a level may flip at the floor. */
        int worst = 0, off = 0;
        for (size_t i = 0; i < want.stride * 2 * h; i++) {
            int d = abs(((uint8_t *)got.data)[i] - ((uint8_t *)want.data)[i]);
            worst = d > worst ? d : worst;
            off += d != 0;
        }
        CHECK(worst <= 1 && off * 100 <= (int)(want.stride * 2 * h),
              "%s: paper x2 off by up to %d levels at %d of %zu values", path, worst, off,
              want.stride * 2 * h);
    }
    TEST_RELEASE(&src, &want, &got);
}

/* Gray, float, alpha-free: every 2x2 mean of the paper's x2 output is its
 * source pixel (the cosine factor undoes exactly that average); at x4 the
 * 4x4 means are. */
static void check_paper_box_property(int factor)
{
    int w = 12, h = 8;
    dctdiff_image src = test_image_new(w, h, 1, DCTDIFF_PIXEL_F32);
    dctdiff_image dst = test_image_new(w * factor, h * factor, 1, DCTDIFF_PIXEL_F32);
    test_fill_random(&src, 0.2, 0.8, &rng_state);
    if (test_upscale(&src, &dst, DCTDIFF_UPSCALE_PAPER, DCTDIFF_DOWNSCALE_BOX, 1) == DCTDIFF_OK) {
        double worst = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                double sum = 0;
                for (int i = 0; i < factor * factor; i++)
                    sum += test_px_get(&dst, x * factor + i % factor, y * factor + i / factor, 0);
                worst = fmax(worst, fabs(sum / (factor * factor) - test_px_get(&src, x, y, 0)));
            }
        CHECK(worst < 2e-5, "paper x%d: box mean of output differs from input by %g", factor,
              worst);
    }
    TEST_RELEASE(&src, &dst);
}

int main(void)
{
    check_paper_fixture("16x12");
    check_paper_fixture("13x7");
    check_paper_box_property(2);
    check_paper_box_property(4);
    return check_finish("test_paper");
}
