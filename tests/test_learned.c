/* test_learned.c - the `learned` and `learned-cnn` upscalers: the built-in
 * models against the numpy and PyTorch references' fixtures (tests/fixtures/
 * make_learned_fixtures.py, make_learned_cnn_fixtures.py), the detail is
 * luma only (alpha and colour differences stay spectral's), sizes that are
 * not x2 or x4 go through the two-stage path, and bad models and arguments
 * fail with a message.  test_upscale.c runs its per-method checks (types,
 * threads, strips, progress, cancel, constants) on these methods too. */
#include "check.h"
#include "dctdiff.h"
#include "test_images.h"
#include "upscale/learned_model.h"
#include "upscale/learned_cnn_model.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char dd_learned_x2[], dd_learned_x2_end[];
extern const unsigned char dd_learned_cnn_x2[], dd_learned_cnn_x2_end[];

static uint32_t rng_state = 77;

/* Smooth random structure with edges, any type (values 0..1). */
static void fill(dctdiff_image *img)
{
    size_t px = dctdiff_pixel_size(img->type);
    double a = test_uniform(&rng_state) * 3, b = test_uniform(&rng_state) * 3;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            for (int c = 0; c < img->channels; c++) {
                double v = 0.5 + 0.3 * sin(0.4 * x * cos(a + c) + 0.4 * y * sin(b + c)) +
                           0.15 * (test_uniform(&rng_state) - 0.5);
                char *p = (char *)img->data + (size_t)y * img->stride + (x * img->channels + c) * px;
                if (img->type == DCTDIFF_PIXEL_U8)
                    *(uint8_t *)p = (uint8_t)lround(v * 255);
                else if (img->type == DCTDIFF_PIXEL_U16)
                    *(uint16_t *)p = (uint16_t)lround(v * 65535);
                else
                    *(float *)p = (float)v;
            }
}

/* The learned methods assume a bicubic-shrunk source. */
static dctdiff_status run(const dctdiff_image *src, dctdiff_image *dst, dctdiff_upscale_method m,
                          int threads)
{
    return test_upscale(src, dst, m, DCTDIFF_DOWNSCALE_BICUBIC, threads);
}

/* The fixture `name` made by method m, which must move the output by more
 * than `moved_min` from method `base`'s. */
static void check_fixture(const char *name, dctdiff_upscale_method m,
                          dctdiff_upscale_method base, double moved_min)
{
    char path[256], magic[8];
    int32_t hdr[5];
    snprintf(path, sizeof path, "fixtures/learned_%s.bin", name);
    FILE *f = fopen(path, "rb");
    if (!CHECK(f != NULL, "cannot open %s", path))
        return;
    int ok = fread(magic, 1, 8, f) == 8 && memcmp(magic, "DDLRNFX\0", 8) == 0 &&
             fread(hdr, sizeof hdr, 1, f) == 1 && hdr[0] == 1 && hdr[1] > 0 && hdr[2] > 0 &&
             hdr[3] >= 1 && hdr[3] <= 4 && (hdr[4] == 2 || hdr[4] == 4);
    int h = ok ? hdr[1] : 1, w = ok ? hdr[2] : 1, c = ok ? hdr[3] : 1, s = ok ? hdr[4] : 2;
    dctdiff_image src = test_image_new(w, h, c, DCTDIFF_PIXEL_U8);
    dctdiff_image want = test_image_new(s * w, s * h, c, DCTDIFF_PIXEL_F32);
    dctdiff_image got = test_image_new(s * w, s * h, c, DCTDIFF_PIXEL_F32);
    dctdiff_image spectral = test_image_new(s * w, s * h, c, DCTDIFF_PIXEL_F32);
    size_t n = (size_t)s * w * s * h * c;
    ok = ok && fread(src.data, 1, src.stride * h, f) == src.stride * h &&
         fread(want.data, sizeof(float), n, f) == n && fgetc(f) == EOF;
    fclose(f);
    if (CHECK(ok, "%s: bad header or size", path) &&
        run(&src, &got, m, 3) == DCTDIFF_OK && run(&src, &spectral, base, 1) == DCTDIFF_OK) {
        /* Sums in another order than numpy's and PyTorch's: float32 rounding. */
        check_close(path, got.data, want.data, n, 1e-5, 0);
        double moved = 0;
        for (size_t i = 0; i < n; i++)
            moved = fmax(moved, fabs(((float *)want.data)[i] - ((float *)spectral.data)[i]));
        CHECK(moved > moved_min, "%s: the reference barely differs from method %d's (%g)",
              path, (int)base, moved);
    }
    TEST_RELEASE(&src, &want, &got, &spectral);
}

/* RGBA: the alpha is spectral's byte for byte, and the detail is the same on
 * R, G and B, so colour differences (no hue shifts, no fringes from the
 * transparent pixels' colour) are spectral's up to rounding and clipping. */
static void check_luma_only(dctdiff_upscale_method m)
{
    dctdiff_image src = test_image_new(40, 31, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image l = test_image_new(80, 62, 4, DCTDIFF_PIXEL_F32);
    dctdiff_image s = test_image_new(80, 62, 4, DCTDIFF_PIXEL_F32);
    fill(&src);
    for (int y = 0; y < 31; y++)  /* a transparent left third */
        for (int x = 0; x < 13; x++)
            ((uint8_t *)src.data)[y * src.stride + x * 4 + 3] = 0;
    if (run(&src, &l, m, 2) == DCTDIFF_OK &&
        run(&src, &s, DCTDIFF_UPSCALE_SPECTRAL, 2) == DCTDIFF_OK) {
        int alpha = 0, hue = 0, detail = 0, visible = 0;
        for (int i = 0; i < 80 * 62; i++) {
            const float *a = (float *)l.data + i * 4, *b = (float *)s.data + i * 4;
            alpha += a[3] != b[3];
            if (b[3] < 0.05f || fmaxf(fmaxf(b[0], b[1]), b[2]) > 0.97f ||
                fminf(fminf(b[0], b[1]), b[2]) < 0.03f)
                continue;  /* unpremultiplying and clipping change the differences */
            visible++;
            hue += fabsf((a[0] - a[1]) - (b[0] - b[1])) > 1e-5f ||
                   fabsf((a[2] - a[1]) - (b[2] - b[1])) > 1e-5f;
            detail += fabsf(a[1] - b[1]) > 1e-3f;
        }
        CHECK(alpha == 0 && hue == 0 && detail * 4 > visible,
              "luma only (method %d): %d alphas differ, %d hue changes, detail at %d of %d "
              "pixels", (int)m, alpha, hue, detail, visible);
    }
    TEST_RELEASE(&src, &l, &s);
}

/* Below x2 on an axis the result is spectral's; x3 is m at x2, then
 * spectral of that (checked by making the x2 image and enlarging it). */
static void check_other_sizes(dctdiff_upscale_method m)
{
    dctdiff_image src = test_image_new(21, 17, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image a = test_image_new(32, 40, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image b = test_image_new(32, 40, 3, DCTDIFF_PIXEL_U8);
    fill(&src);
    run(&src, &a, m, 1);
    run(&src, &b, DCTDIFF_UPSCALE_SPECTRAL, 1);
    CHECK(test_same_bytes(&a, &b), "x1.5 by x2.4 (method %d): not spectral's result", (int)m);
    dctdiff_image x2 = test_image_new(42, 34, 3, DCTDIFF_PIXEL_F32);
    dctdiff_image x3 = test_image_new(63, 51, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image two = test_image_new(63, 51, 3, DCTDIFF_PIXEL_U8);
    dctdiff_upscale_params p;
    dctdiff_upscale_params_init(&p);
    p.method = DCTDIFF_UPSCALE_SPECTRAL;
    p.filter = DCTDIFF_DOWNSCALE_NONE;
    dctdiff_error err = { 0 };
    if (run(&src, &x2, m, 1) == DCTDIFF_OK &&
        CHECK(dctdiff_upscale(&x2, &two, &p, &err) == DCTDIFF_OK, "%s", err.msg) &&
        run(&src, &x3, m, 2) == DCTDIFF_OK)
        CHECK(test_same_bytes(&x3, &two), "x3 (method %d) is not x2 then spectral", (int)m);
    TEST_RELEASE(&src, &a, &b, &x2, &x3, &two);
}

static void expect_error(dctdiff_status st, dctdiff_status want, const dctdiff_error *err,
                         const char *what)
{
    CHECK(st == want && err->msg[0], "%s: status %d (want %d), message '%s'", what, (int)st,
          (int)want, err->msg);
}

static void check_bad_args(void)
{
    dctdiff_image src = test_image_new(8, 8, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image x2 = test_image_new(16, 16, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image small = test_image_new(4, 8, 3, DCTDIFF_PIXEL_U8);
    dctdiff_upscale_params p;
    dctdiff_upscale_params_init(&p);
    p.method = DCTDIFF_UPSCALE_LEARNED;
    p.filter = DCTDIFF_DOWNSCALE_BOX;
    dctdiff_error err = { 0 };
    expect_error(dctdiff_upscale(&src, &x2, &p, &err), DCTDIFF_E_ARG, &err, "box filter");
    p.filter = DCTDIFF_DOWNSCALE_BICUBIC;
    err = (dctdiff_error){ 0 };
    expect_error(dctdiff_upscale(&src, &small, &p, &err), DCTDIFF_E_ARG, &err, "shrinking");
    CHECK(dctdiff_enum_lookup(dctdiff_upscale_methods(), "learned") == DCTDIFF_UPSCALE_LEARNED,
          "name table lacks learned");
    TEST_RELEASE(&src, &x2, &small);
}

/* A copy of a model file with the first `from` in its header made `to`
 * (same length); NULL, after a failed check, when the header lacks it. */
static unsigned char *edited(const unsigned char *data, size_t size, const char *from,
                             const char *to)
{
    size_t hdr = size < 4096 ? size : 4096, len = strlen(from);
    unsigned char *copy = malloc(size);
    if (!copy)
        return NULL;
    memcpy(copy, data, size);
    for (size_t i = 8; i + len <= hdr; i++)
        if (memcmp(copy + i, from, len) == 0) {
            memcpy(copy + i, to, len);
            return copy;
        }
    CHECK(0, "model header lacks %s", from);
    free(copy);
    return NULL;
}

/* The built-in file is read with the checked reader; damaged copies of it
 * fail with a message and leak nothing (ASan). */
static void check_model_errors(void)
{
    size_t size = (size_t)(dd_learned_x2_end - dd_learned_x2);
    learned_model m;
    dctdiff_error err = { 0 };
    if (!CHECK(learned_model_parse("x2", dd_learned_x2, size, &m, &err) == DCTDIFF_OK &&
                   m.factor == 2 && m.filters,
               "built-in x2: %s", err.msg))
        return;
    learned_model_free(&m);
    err = (dctdiff_error){ 0 };
    expect_error(learned_model_parse("cut", dd_learned_x2, size / 2, &m, &err),
                 DCTDIFF_E_FORMAT, &err, "truncated model");
    static const char *edits[][2] = {
        { "\"dctdiff-learned-upscale\"", "\"dctdiff-learned-upscalX\"" },
        { "\"factor\":\"2\"", "\"factor\":\"3\"" },
        { "\"radius\":\"5\"", "\"radius\":\"4\"" },
    };
    for (int e = 0; e < 3; e++) {
        unsigned char *copy = edited(dd_learned_x2, size, edits[e][0], edits[e][1]);
        err = (dctdiff_error){ 0 };
        if (copy)
            expect_error(learned_model_parse("edited", copy, size, &m, &err),
                         DCTDIFF_E_FORMAT, &err, edits[e][1]);
        free(copy);
    }
}

/* The same for the built-in network: its layers chain, and damaged copies fail. */
static void check_cnn_model_errors(void)
{
    size_t size = (size_t)(dd_learned_cnn_x2_end - dd_learned_cnn_x2);
    cnn_model m;
    dctdiff_error err = { 0 };
    if (!CHECK(cnn_model_parse("cnn", dd_learned_cnn_x2, size, &m, &err) == DCTDIFF_OK &&
                   m.factor == 2 && m.layers >= 2 && m.layer[0].in == 1 &&
                   m.layer[m.layers - 1].out == 4,
               "built-in learned-cnn x2: %s", err.msg))
        return;
    cnn_model_free(&m);
    err = (dctdiff_error){ 0 };
    expect_error(cnn_model_parse("cut", dd_learned_cnn_x2, size / 2, &m, &err),
                 DCTDIFF_E_FORMAT, &err, "truncated network");
    static const char *edits[][2] = {
        { "\"cnn-residual\"", "\"cnn-residuaX\"" },
        { "\"factor\":\"2\"", "\"factor\":\"4\"" },
        { "\"conv1.weight\"", "\"conv1.weighX\"" },  /* one layer: not 4 channels out */
        { "\"conv0.weight\"", "\"conv0.weighX\"" },  /* no layer 0 */
    };
    for (int e = 0; e < 4; e++) {
        unsigned char *copy = edited(dd_learned_cnn_x2, size, edits[e][0], edits[e][1]);
        err = (dctdiff_error){ 0 };
        if (copy)
            expect_error(cnn_model_parse("edited", copy, size, &m, &err), DCTDIFF_E_FORMAT,
                         &err, edits[e][1]);
        free(copy);
    }
}

int main(void)
{
    check_fixture("x2_rgb", DCTDIFF_UPSCALE_LEARNED, DCTDIFF_UPSCALE_SPECTRAL, 0.02);
    check_fixture("x4_gray", DCTDIFF_UPSCALE_LEARNED, DCTDIFF_UPSCALE_SPECTRAL, 0.02);
    check_fixture("cnn_x2_rgb", DCTDIFF_UPSCALE_LEARNED_CNN, DCTDIFF_UPSCALE_LEARNED, 0.002);
    check_fixture("cnn_x2_gray", DCTDIFF_UPSCALE_LEARNED_CNN, DCTDIFF_UPSCALE_LEARNED, 0.002);
    check_fixture("cnn_x4_rgb", DCTDIFF_UPSCALE_LEARNED_CNN, DCTDIFF_UPSCALE_LEARNED, 0.002);
    for (int m = DCTDIFF_UPSCALE_LEARNED; m <= DCTDIFF_UPSCALE_LEARNED_CNN; m++) {
        check_luma_only(m);
        check_other_sizes(m);
    }
    check_bad_args();
    check_model_errors();
    check_cnn_model_errors();
    return check_finish("test_learned");
}
