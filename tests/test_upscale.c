/* test_upscale.c - the public upscaling calls, over every method: geometry
 * at non-integer factors, constants, alpha without fringes, every pixel
 * type, odd sizes, thread-count, strip and stream invariance (the strip API
 * and dctdiff_upscale_rows), progress, cancellation and argument errors.
 * Each method's own property is tested beside it: test_paper.c,
 * test_spectral.c, test_learned.c. */
#include "check.h"
#include "dctdiff.h"
#include "test_images.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_state = 2024;

/* ---- geometry, constants, types ---------------------------------------- */

/* A low-frequency cosine, enlarged by non-integer factors (explicit W x H),
 * lands where pixel-centre alignment says it should. */
static void check_geometry(int w, int h, int dw, int dh)
{
    dctdiff_image src = test_image_new(w, h, 1, DCTDIFF_PIXEL_F32);
    dctdiff_image dst = test_image_new(dw, dh, 1, DCTDIFF_PIXEL_F32);
    const double f = 2 * M_PI / 23.0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            test_px_set(&src, x, y, 0, 0.5 + 0.2 * cos(f * x) * cos(0.7 * f * y));
    double worst = 0;
    if (test_upscale(&src, &dst, DCTDIFF_UPSCALE_SPECTRAL, DCTDIFF_DOWNSCALE_NONE, 2) == DCTDIFF_OK)
        for (int y = dh / 4; y < dh * 3 / 4; y++)
            for (int x = dw / 4; x < dw * 3 / 4; x++) {
                double sx = (x + 0.5) * w / dw - 0.5, sy = (y + 0.5) * h / dh - 0.5;
                double want = 0.5 + 0.2 * cos(f * sx) * cos(0.7 * f * sy);
                worst = fmax(worst, fabs(test_px_get(&dst, x, y, 0) - want));
            }
    CHECK(worst < 2e-3, "%dx%d -> %dx%d: cosine off by %g", w, h, dw, dh, worst);
    TEST_RELEASE(&src, &dst);
}

static void check_constant(dctdiff_upscale_method m, int w, int h, int dw, int dh, int c,
                           dctdiff_pixel_type ts, dctdiff_pixel_type td)
{
    dctdiff_image src = test_image_new(w, h, c, ts);
    dctdiff_image dst = test_image_new(dw, dh, c, td);
    const double v[4] = { 0.2, 0.6, 1.0, 0.8 }; /* alpha, when present, 0.8 */
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int k = 0; k < c; k++)
                test_px_set(&src, x, y, k, v[(c == 2 && k == 1) ? 3 : k]);
    double worst = 0;
    if (test_upscale(&src, &dst, m, DCTDIFF_DOWNSCALE_BICUBIC, 2) == DCTDIFF_OK)
        for (int y = 0; y < dh; y++)
            for (int x = 0; x < dw; x++)
                for (int k = 0; k < c; k++)
                    worst = fmax(worst, fabs(test_px_get(&dst, x, y, k) - test_px_get(&src, 0, 0, k)));
    /* Paper truncates 8-bit output: a value just under a level drops one. */
    double tol = m == DCTDIFF_UPSCALE_PAPER && td == DCTDIFF_PIXEL_U8 ? 1.01 / 255
                                                                     : 1e-5;
    CHECK(worst <= tol, "constant %dx%dx%d (type %d->%d, method %d) -> %dx%d changes by %g",
          w, h, c, (int)ts, (int)td, (int)m, dw, dh, worst);
    TEST_RELEASE(&src, &dst);
}

static void check_constants(void)
{
    static const int sizes[][4] = { { 1, 1, 2, 2 }, { 3, 5, 6, 10 }, { 1023, 17, 2046, 34 } };
    for (int s = 0; s < 3; s++)
        for (int m = 0; m < DCTDIFF_UPSCALE_COUNT_; m++)
            for (int c = 1; c <= 4; c++)
                check_constant(m, sizes[s][0], sizes[s][1], sizes[s][2], sizes[s][3], c,
                               DCTDIFF_PIXEL_U8, DCTDIFF_PIXEL_U8);
    for (int ts = 0; ts < 3; ts++)
        for (int td = 0; td < 3; td++) {
            check_constant(DCTDIFF_UPSCALE_SPECTRAL, 7, 6, 17, 13, 4, ts, td);
            check_constant(DCTDIFF_UPSCALE_PAPER, 7, 6, 28, 24, 2, ts, td);
        }
    check_constant(DCTDIFF_UPSCALE_SPECTRAL, 1, 1, 5, 3, 3, DCTDIFF_PIXEL_U16,
                   DCTDIFF_PIXEL_U16);
}

/* The same random image as u8, u16 and float, into float: the results agree
 * to the input's quantisation. */
static void check_types(dctdiff_upscale_method m)
{
    dctdiff_image src[3], dst[3];
    for (int t = 0; t < 3; t++) {
        src[t] = test_image_new(9, 6, 2, t);
        dst[t] = test_image_new(18, 12, 2, DCTDIFF_PIXEL_F32);
    }
    test_fill_random(&src[0], 0.0, 1.0, &rng_state);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 9; x++)
            for (int c = 0; c < 2; c++)
                for (int t = 1; t < 3; t++)
                    test_px_set(&src[t], x, y, c, test_px_get(&src[0], x, y, c));
    for (int t = 0; t < 3; t++)
        test_upscale(&src[t], &dst[t], m, DCTDIFF_DOWNSCALE_BICUBIC, 1);
    size_t n = (size_t)18 * 12 * 2;
    check_close("u16 vs u8 source", dst[1].data, dst[0].data, n, 1e-4, 0);
    check_close("f32 vs u8 source", dst[2].data, dst[0].data, n, 1e-4, 0);
    for (int t = 0; t < 3; t++) {
        TEST_RELEASE(&src[t], &dst[t]);
    }
}

/* An opaque red square on transparent green: no green may show anywhere,
 * and wherever the result is not fully transparent it is pure red. */
static void check_alpha(dctdiff_upscale_method m)
{
    dctdiff_image src = test_image_new(16, 16, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image dst = test_image_new(64, 64, 4, DCTDIFF_PIXEL_U8);
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++) {
            int in = x >= 5 && x < 11 && y >= 4 && y < 12;
            uint8_t *p = (uint8_t *)src.data + y * src.stride + x * 4;
            p[0] = in ? 255 : 0, p[1] = in ? 0 : 255, p[2] = 0, p[3] = in ? 255 : 0;
        }
    int green = 0, not_red = 0, partial = 0;
    if (test_upscale(&src, &dst, m, DCTDIFF_DOWNSCALE_BICUBIC, 1) == DCTDIFF_OK)
        for (int i = 0; i < 64 * 64; i++) {
            const uint8_t *p = (uint8_t *)dst.data + i * 4;
            green += p[1] != 0;
            not_red += p[3] != 0 && (p[0] < 254 || p[2] != 0);
            partial += p[3] != 0 && p[3] != 255;
        }
    CHECK(green == 0 && not_red == 0 && partial > 0,
          "alpha (method %d): %d green pixels, %d visible non-red, %d partial", (int)m, green,
          not_red, partial);
    TEST_RELEASE(&src, &dst);
}

/* ---- threads, strips, cancellation, errors ------------------------------ */

static void check_threads(dctdiff_upscale_method m)
{
    dctdiff_image src = test_image_new(301, 203, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image one = test_image_new(602, 406, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image two = test_image_new(602, 406, 4, DCTDIFF_PIXEL_U8);
    test_fill_random(&src, 0, 1, &rng_state);
    test_upscale(&src, &one, m, DCTDIFF_DOWNSCALE_BICUBIC, 1);
    test_upscale(&src, &two, m, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    CHECK(test_same_bytes(&one, &two), "method %d: 1 and 2 threads differ", (int)m);
    test_upscale(&src, &two, m, DCTDIFF_DOWNSCALE_BICUBIC, 7);
    CHECK(test_same_bytes(&one, &two), "method %d: 1 and 7 threads differ", (int)m);
    TEST_RELEASE(&src, &one, &two);
}

/* Bands of `band` output rows through the strip API, each source band a
 * separate copy, equal the whole-image call byte for byte. */
static void check_strips(dctdiff_upscale_method m, int w, int h, int dw, int dh, int band)
{
    dctdiff_image src = test_image_new(w, h, 3, DCTDIFF_PIXEL_U16);
    dctdiff_image whole = test_image_new(dw, dh, 3, DCTDIFF_PIXEL_U16);
    dctdiff_image strips = test_image_new(dw, dh, 3, DCTDIFF_PIXEL_U16);
    test_fill_random(&src, 0, 1, &rng_state);
    test_upscale(&src, &whole, m, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    dctdiff_upscale_params p = test_params(m, DCTDIFF_DOWNSCALE_BICUBIC, 3);
    dctdiff_upscaler *u = NULL;
    dctdiff_error err = { 0 };
    dctdiff_status st = dctdiff_upscaler_new(w, h, dw, dh, 3, &p, &u, &err);
    CHECK(st == DCTDIFF_OK, "upscaler_new: %s", err.msg);
    for (int y0 = 0; st == DCTDIFF_OK && y0 < dh; y0 += band) {
        int y1 = y0 + band < dh ? y0 + band : dh, s0, s1;
        dctdiff_upscaler_input_rows(u, y0, y1, &s0, &s1);
        if (!CHECK(s0 >= 0 && s1 <= h && s1 > s0, "rows [%d,%d) need [%d,%d)", y0, y1, s0, s1))
            break;
        dctdiff_image in = test_image_new(w, s1 - s0, 3, DCTDIFF_PIXEL_U16);
        memcpy(in.data, (char *)src.data + s0 * src.stride, (s1 - s0) * src.stride);
        dctdiff_image out = strips;
        out.height = y1 - y0;
        out.data = (char *)strips.data + y0 * strips.stride;
        st = dctdiff_upscaler_run_rows(u, &in, y0, y1, &out, &err);
        CHECK(st == DCTDIFF_OK, "run_rows [%d,%d): %s", y0, y1, err.msg);
        dctdiff_image_release(&in);
    }
    CHECK(test_same_bytes(&whole, &strips), "method %d: %d-row strips differ from the whole image",
          (int)m, band);
    dctdiff_upscaler_free(u);
    TEST_RELEASE(&src, &whole, &strips);
}

/* dctdiff_upscale_rows: rows asked and handed over through callbacks give
 * the bytes of dctdiff_upscale, each output row once, top to bottom; a
 * failing callback stops the run with its own status. */
typedef struct {
    const dctdiff_image *src;
    dctdiff_image *dst;
    int next_row, reads, fail_read_at, writes;
} row_io;

static dctdiff_status read_rows(void *user, int y0, int y1, dctdiff_image *rows,
                                dctdiff_error *err)
{
    row_io *io = user;
    if (io->reads++ == io->fail_read_at) {
        snprintf(err->msg, sizeof err->msg, "the test's read failed");
        return err->status = DCTDIFF_E_IO;
    }
    CHECK(y0 >= 0 && y1 <= io->src->height && rows->height == y1 - y0 &&
              rows->width == io->src->width, "read rows [%d,%d) into %dx%d", y0, y1,
          rows->width, rows->height);
    for (int y = y0; y < y1; y++)
        memcpy((char *)rows->data + (y - y0) * rows->stride,
               (char *)io->src->data + y * io->src->stride, rows->stride);
    return DCTDIFF_OK;
}

static dctdiff_status write_rows(void *user, int y0, int y1, const dctdiff_image *rows,
                                 dctdiff_error *err)
{
    (void)err;
    row_io *io = user;
    CHECK(y0 == io->next_row && y1 > y0 && rows->height == y1 - y0,
          "write rows [%d,%d), expected from %d", y0, y1, io->next_row);
    io->next_row = y1;
    io->writes++;
    for (int y = y0; y < y1; y++)
        memcpy((char *)io->dst->data + y * io->dst->stride,
               (char *)rows->data + (y - y0) * rows->stride, rows->stride);
    return DCTDIFF_OK;
}

static void check_stream(dctdiff_upscale_method m, int w, int h, int dw, int dh, int bands)
{
    dctdiff_image src = test_image_new(w, h, 4, DCTDIFF_PIXEL_F32);
    dctdiff_image whole = test_image_new(dw, dh, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image streamed = test_image_new(dw, dh, 4, DCTDIFF_PIXEL_U8);
    test_fill_random(&src, 0, 1, &rng_state);
    test_upscale(&src, &whole, m, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    dctdiff_upscale_params p = test_params(m, DCTDIFF_DOWNSCALE_BICUBIC, 3);
    row_io io = { &src, &streamed, 0, 0, -1, 0 };
    dctdiff_upscale_stream st = { .src_w = w, .src_h = h, .dst_w = dw, .dst_h = dh,
                                  .channels = 4, .src_type = DCTDIFF_PIXEL_F32,
                                  .dst_type = DCTDIFF_PIXEL_U8, .read = read_rows,
                                  .write = write_rows, .user = &io };
    dctdiff_error err = { 0 };
    CHECK(dctdiff_upscale_rows(&st, &p, &err) == DCTDIFF_OK, "upscale_rows: %s", err.msg);
    CHECK(io.next_row == dh && io.writes == bands, "rows written up to %d of %d in %d bands "
          "(expected %d)", io.next_row, dh, io.writes, bands);
    CHECK(test_same_bytes(&whole, &streamed), "method %d: streamed rows differ from the whole image",
          (int)m);
    io = (row_io){ &src, &streamed, 0, 0, 0, 0 };
    CHECK(dctdiff_upscale_rows(&st, &p, &err) == DCTDIFF_E_IO && strstr(err.msg, "test's read"),
          "a failed read gave '%s'", err.msg);
    TEST_RELEASE(&src, &whole, &streamed);
}

static void expect_arg_error(dctdiff_status st, const dctdiff_error *err, const char *what)
{
    CHECK(st == DCTDIFF_E_ARG && err->status == DCTDIFF_E_ARG && err->msg[0],
          "%s: status %d (%s), message '%s'", what, st, dctdiff_status_name(st), err->msg);
}

/* Rows with padding between them (stride above the width) give the same
 * pixels as tight rows; a stride that splits a sample is refused. */
static void check_stride(void)
{
    dctdiff_image tight = test_image_new(13, 9, 3, DCTDIFF_PIXEL_F32);
    dctdiff_image out_tight = test_image_new(26, 18, 3, DCTDIFF_PIXEL_U16);
    dctdiff_image wide = test_image_new(15, 9, 3, DCTDIFF_PIXEL_F32);
    dctdiff_image out_wide = test_image_new(31, 18, 3, DCTDIFF_PIXEL_U16);
    test_fill_random(&tight, 0, 1, &rng_state);
    for (int y = 0; y < 9; y++)
        memcpy((char *)wide.data + y * wide.stride, (char *)tight.data + y * tight.stride,
               tight.stride);
    wide.width = 13;
    out_wide.width = 26;
    test_upscale(&tight, &out_tight, DCTDIFF_UPSCALE_SPECTRAL, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    test_upscale(&wide, &out_wide, DCTDIFF_UPSCALE_SPECTRAL, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    CHECK(test_same_bytes(&out_tight, &out_wide), "padded strides change the result");
    dctdiff_upscale_params p = test_params(DCTDIFF_UPSCALE_SPECTRAL, DCTDIFF_DOWNSCALE_BICUBIC, 1);
    dctdiff_error err = { 0 };
    out_wide.stride -= 1;
    expect_arg_error(dctdiff_upscale(&wide, &out_wide, &p, &err), &err, "odd u16 stride");
    TEST_RELEASE(&tight, &out_tight, &wide, &out_wide);
}

typedef struct {
    int calls, stop_at, last_done, last_total, monotone;
} progress_log;

static int progress(void *user, int done, int total, const char *stage)
{
    progress_log *log = user;
    log->monotone &= done >= log->last_done && done <= total && strcmp(stage, "upscale") == 0;
    log->last_done = done;
    log->last_total = total;
    return ++log->calls == log->stop_at;
}

/* Big enough for several strips; the callback stops at its second call. */
static void check_progress_and_cancel(dctdiff_upscale_method m)
{
    dctdiff_image src = test_image_new(1024, 300, 4, DCTDIFF_PIXEL_U8);
    dctdiff_image dst = test_image_new(2048, 600, 4, DCTDIFF_PIXEL_U8);
    dctdiff_upscale_params p = test_params(m, DCTDIFF_DOWNSCALE_BICUBIC, 2);
    dctdiff_error err = { 0 };
    progress_log log = { 0, 0, 0, 0, 1 };
    p.progress = progress;
    p.progress_user = &log;
    dctdiff_status st = dctdiff_upscale(&src, &dst, &p, &err);
    CHECK(st == DCTDIFF_OK && log.calls >= 3 && log.monotone && log.last_done == log.last_total,
          "method %d progress: status %d, %d calls, ends %d/%d", (int)m, st, log.calls,
          log.last_done, log.last_total);
    log = (progress_log){ 0, 2, 0, 0, 1 };
    st = dctdiff_upscale(&src, &dst, &p, &err);
    CHECK(st == DCTDIFF_E_CANCELLED && log.calls == 2 && err.msg[0],
          "method %d cancel: status %d after %d calls", (int)m, st, log.calls);
    TEST_RELEASE(&src, &dst);
}


static void check_bad_args(void)
{
    dctdiff_image src = test_image_new(8, 8, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image x3 = test_image_new(24, 24, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image small = test_image_new(4, 8, 3, DCTDIFF_PIXEL_U8);
    dctdiff_image gray = test_image_new(16, 16, 1, DCTDIFF_PIXEL_U8);
    dctdiff_upscale_params p = test_params(DCTDIFF_UPSCALE_PAPER, DCTDIFF_DOWNSCALE_BOX, 1);
    dctdiff_error err = { 0 };
    expect_arg_error(dctdiff_upscale(&src, &x3, &p, &err), &err, "paper x3");
    p.method = DCTDIFF_UPSCALE_SPECTRAL;
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscale(&src, &small, &p, &err), &err, "shrinking");
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscale(&src, &gray, &p, &err), &err, "channel mismatch");
    p.method = DCTDIFF_UPSCALE_COUNT_;
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscale(&src, &x3, &p, &err), &err, "unknown method");
    p = test_params(DCTDIFF_UPSCALE_SPECTRAL, (dctdiff_downscale_filter)7, 1);
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscale(&src, &x3, &p, &err), &err, "unknown filter");
    dctdiff_image none = x3;
    none.data = NULL;
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscale(&src, &none, NULL, &err), &err, "output without pixels");
    dctdiff_upscaler *u = NULL;
    err = (dctdiff_error){ 0 };
    expect_arg_error(dctdiff_upscaler_new(8, 8, 16, 16, 5, NULL, &u, &err), &err,
                     "five channels");
    CHECK(u == NULL, "a failed upscaler_new left an upscaler");
    if (CHECK(dctdiff_upscaler_new(8, 8, 24, 24, 3, NULL, &u, &err) == DCTDIFF_OK, "%s",
              err.msg)) {
        err = (dctdiff_error){ 0 };
        dctdiff_image band = x3;
        band.height = 3;
        expect_arg_error(dctdiff_upscaler_run_rows(u, &src, 0, 3, &band, &err), &err,
                         "source band of the wrong height");
        err = (dctdiff_error){ 0 };
        expect_arg_error(dctdiff_upscaler_run_rows(u, &src, 5, 30, &x3, &err), &err,
                         "output rows out of range");
    }
    dctdiff_upscaler_free(u);
    dctdiff_upscaler_free(NULL);
    CHECK(dctdiff_enum_lookup(dctdiff_upscale_methods(), "paper") == DCTDIFF_UPSCALE_PAPER &&
              dctdiff_enum_lookup(dctdiff_upscale_methods(), "spectral") ==
                  DCTDIFF_UPSCALE_SPECTRAL &&
              dctdiff_enum_lookup(dctdiff_downscale_filters(), "box") == DCTDIFF_DOWNSCALE_BOX,
          "name tables");
    TEST_RELEASE(&src, &x3, &small, &gray);
}

int main(void)
{
    check_geometry(40, 30, 97, 61);
    check_geometry(33, 20, 33, 57);
    check_constants();
    for (int m = 0; m < DCTDIFF_UPSCALE_COUNT_; m++) {
        check_types(m);
        if (m != DCTDIFF_UPSCALE_LEARNED && m != DCTDIFF_UPSCALE_LEARNED_CNN)
            /* grey detail: test_learned.c checks their alpha */
            check_alpha(m);
        check_threads(m);
        check_progress_and_cancel(m);
    }
    check_strips(DCTDIFF_UPSCALE_SPECTRAL, 57, 45, 131, 100, 7);
    check_strips(DCTDIFF_UPSCALE_SPECTRAL, 20, 90, 40, 180, 64);
    check_strips(DCTDIFF_UPSCALE_PAPER, 57, 45, 228, 180, 13);
    check_strips(DCTDIFF_UPSCALE_LEARNED, 57, 45, 114, 90, 7);
    check_strips(DCTDIFF_UPSCALE_LEARNED, 30, 140, 60, 280, 200);  /* > 128-row passes */
    check_strips(DCTDIFF_UPSCALE_LEARNED, 23, 19, 71, 50, 9);      /* two stages */
    check_strips(DCTDIFF_UPSCALE_LEARNED, 16, 9, 100, 40, 11);     /* x4, then spectral */
    check_strips(DCTDIFF_UPSCALE_LEARNED_CNN, 57, 45, 114, 90, 7);
    check_strips(DCTDIFF_UPSCALE_LEARNED_CNN, 30, 140, 60, 280, 200);  /* > 64-row passes */
    check_strips(DCTDIFF_UPSCALE_LEARNED_CNN, 23, 19, 71, 50, 9);      /* two stages */
    check_strips(DCTDIFF_UPSCALE_LEARNED_CNN, 31, 23, 62, 46, 3);      /* odd strips */
    check_stream(DCTDIFF_UPSCALE_SPECTRAL, 57, 45, 131, 100, 1);
    check_stream(DCTDIFF_UPSCALE_PAPER, 1024, 550, 2048, 1100, 3); /* 512-row bands */
    check_stream(DCTDIFF_UPSCALE_LEARNED, 23, 19, 71, 50, 1);
    check_stream(DCTDIFF_UPSCALE_LEARNED_CNN, 23, 19, 71, 50, 1);
    check_stride();
    check_bad_args();
    return check_finish("test_upscale");
}
