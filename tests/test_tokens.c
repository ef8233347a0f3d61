/* test_tokens.c - the C tokeniser against the numpy reference's fixtures
 * (tests/fixtures/make_token_fixtures.py), any-stride images, the round trip
 * on a smooth synthetic image, and the layout and image checks. */
#include "check.h"
#include "dctdiff.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    dctdiff_token_layout layout;
    int count, dim;
    uint8_t *image, *recon, *noise_recon;
    float *tokens, *noise;
} fixture;

static int read_all(FILE *f, void *dst, size_t n)
{
    return fread(dst, 1, n, f) == n;
}

/* Loads fixtures/tokens_<name>.bin; returns 0 (after a failed check) if absent. */
static int fixture_load(const char *name, fixture *fx)
{
    char path[256], magic[8];
    int32_t hdr[6];
    snprintf(path, sizeof path, "fixtures/tokens_%s.bin", name);
    FILE *f = fopen(path, "rb");
    if (!CHECK(f != NULL, "cannot open %s", path))
        return 0;
    int ok = read_all(f, magic, 8) && memcmp(magic, "DDTOKFX\0", 8) == 0 &&
             read_all(f, hdr, sizeof hdr) && hdr[0] == 1;
    memset(fx, 0, sizeof *fx);
    fx->layout = (dctdiff_token_layout){ .height = hdr[1], .width = hdr[2],
                                         .block_size = hdr[3], .low_freqs = hdr[4],
                                         .chroma = hdr[5] == 444 ? DCTDIFF_CHROMA_444
                                                                 : DCTDIFF_CHROMA_420 };
    ok = ok && read_all(f, &fx->layout.eta, sizeof(double));
    fx->count = dctdiff_token_count(&fx->layout);
    fx->dim = dctdiff_token_dim(&fx->layout);
    size_t npix = (size_t)fx->layout.width * fx->layout.height * 3;
    size_t ntok = (size_t)fx->count * fx->dim;
    fx->image = malloc(npix), fx->recon = malloc(npix), fx->noise_recon = malloc(npix);
    fx->tokens = malloc(ntok * sizeof(float)), fx->noise = malloc(ntok * sizeof(float));
    ok = ok && ntok && read_all(f, fx->image, npix) &&
         read_all(f, fx->tokens, ntok * sizeof(float)) && read_all(f, fx->recon, npix) &&
         read_all(f, fx->noise, ntok * sizeof(float)) && read_all(f, fx->noise_recon, npix) &&
         fgetc(f) == EOF;
    fclose(f);
    return CHECK(ok, "%s: bad header or size", path);
}

static void fixture_free(fixture *fx)
{
    free(fx->image), free(fx->recon), free(fx->noise_recon), free(fx->tokens), free(fx->noise);
}

/* Wraps pixels (tight rows) in an image whose stride has `pad` spare bytes,
 * the padding filled with 0xA5. */
static dctdiff_image padded_image(int w, int h, int pad, const uint8_t *pixels)
{
    dctdiff_image img = { w, h, 3, DCTDIFF_PIXEL_U8, (size_t)w * 3 + pad, NULL };
    img.data = malloc(img.stride * h);
    memset(img.data, 0xA5, img.stride * h);
    for (int y = 0; y < h && pixels; y++)
        memcpy((uint8_t *)img.data + y * img.stride, pixels + (size_t)y * w * 3, (size_t)w * 3);
    return img;
}

/* Bytes of img's rows that differ from want (tight rows); padding must be
 * untouched. */
static int count_diff(const dctdiff_image *img, const uint8_t *want, int pad)
{
    int n = 0;
    for (int y = 0; y < img->height; y++) {
        const uint8_t *row = (const uint8_t *)img->data + y * img->stride;
        for (int x = 0; x < img->width * 3; x++)
            n += row[x] != want[(size_t)y * img->width * 3 + x];
        for (int x = img->width * 3; x < img->width * 3 + pad; x++)
            n += row[x] != 0xA5;
    }
    return n;
}

static void check_fixture(const char *name)
{
    fixture fx;
    if (!fixture_load(name, &fx)) {
        fixture_free(&fx);
        return;
    }
    const dctdiff_token_layout *l = &fx.layout;
    int w = l->width, h = l->height;
    size_t ntok = (size_t)fx.count * fx.dim;
    float *tokens = malloc(ntok * sizeof(float));
    dctdiff_error err = { 0 };
    char label[96];

    for (int pad = 0; pad <= 5; pad += 5) {
        dctdiff_image in = padded_image(w, h, pad, fx.image);
        CHECK(dctdiff_tokenize(l, &in, tokens, &err) == DCTDIFF_OK, "%s: tokenize: %s", name,
              err.msg);
        snprintf(label, sizeof label, "%s tokens vs numpy (stride pad %d)", name, pad);
        check_close(label, tokens, fx.tokens, ntok, 1e-5, 0);
        free(in.data);

        dctdiff_image out = padded_image(w, h, pad, NULL);
        CHECK(dctdiff_detokenize(l, fx.tokens, &out, &err) == DCTDIFF_OK, "%s: detokenize: %s",
              name, err.msg);
        int d = count_diff(&out, fx.recon, pad);
        CHECK(d == 0, "%s: %d reconstructed bytes differ from numpy (pad %d)", name, d, pad);
        CHECK(dctdiff_detokenize(l, fx.noise, &out, &err) == DCTDIFF_OK, "%s: detokenize noise",
              name);
        d = count_diff(&out, fx.noise_recon, pad);
        CHECK(d == 0, "%s: %d bytes from clipped noise tokens differ (pad %d)", name, d, pad);
        free(out.data);
    }
    printf("%s: %dx%d B=%d m=%d %s, %d tokens of %d\n", name, w, h, l->block_size,
           l->low_freqs, l->chroma == DCTDIFF_CHROMA_444 ? "4:4:4" : "4:2:0", fx.count, fx.dim);
    free(tokens);
    fixture_free(&fx);
}

/* Smooth colour gradients and waves: a stand-in for a natural image. */
static uint8_t *smooth_image(int w, int h)
{
    uint8_t *p = malloc((size_t)w * h * 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *px = p + ((size_t)y * w + x) * 3;
            px[0] = (uint8_t)(128 + 100 * sin(x / 9.0 + y / 13.0));
            px[1] = (uint8_t)(128 + 90 * cos(y / 7.0) * cos(x / 17.0));
            px[2] = (uint8_t)(128 + 60 * sin((x - y) / 11.0));
        }
    return p;
}

static double round_trip_psnr(int w, int h, int B, int m, dctdiff_chroma chroma)
{
    /* eta = 128 B bounds every coefficient by 1, so nothing is clipped. */
    dctdiff_token_layout l = { .width = w, .height = h, .block_size = B, .low_freqs = m,
                               .eta = 128.0 * B, .chroma = chroma };
    uint8_t *src = smooth_image(w, h);
    dctdiff_image in = padded_image(w, h, 0, src), out = padded_image(w, h, 0, NULL);
    float *tokens = malloc(sizeof(float) * dctdiff_token_count(&l) * dctdiff_token_dim(&l));
    dctdiff_error err = { 0 };
    double se = 0;
    if (CHECK(dctdiff_tokenize(&l, &in, tokens, &err) == DCTDIFF_OK &&
                  dctdiff_detokenize(&l, tokens, &out, &err) == DCTDIFF_OK,
              "round trip: %s", err.msg))
        for (size_t i = 0; i < (size_t)w * h * 3; i++) {
            double d = (double)((uint8_t *)out.data)[i] - src[i];
            se += d * d;
        }
    free(src), free(in.data), free(out.data), free(tokens);
    double psnr = 10 * log10(255.0 * 255.0 / (se / ((double)w * h * 3) + 1e-12));
    printf("round trip %dx%d B=%d m=%d %s: %.2f dB\n", w, h, B, m,
           chroma == DCTDIFF_CHROMA_444 ? "4:4:4" : "4:2:0", psnr);
    return psnr;
}

static void check_round_trips(void)
{
    for (int B = 2; B <= 16; B *= 2) {
        double p420 = round_trip_psnr(96, 64, B, B * B, DCTDIFF_CHROMA_420);
        double p444 = round_trip_psnr(96, 64, B, B * B, DCTDIFF_CHROMA_444);
        /* 4:4:4 loses only the floor (about 1/3 level^2, 53 dB at best);
         * 4:2:0 adds the box-down / bilinear-up mismatch. */
        CHECK(p444 > 48 && p444 < 60, "B=%d 4:4:4 round trip %.2f dB", B, p444);
        CHECK(p420 > 40 && p420 <= p444, "B=%d 4:2:0 round trip %.2f dB", B, p420);
    }
    double dc_only = round_trip_psnr(96, 64, 4, 1, DCTDIFF_CHROMA_420);
    double half = round_trip_psnr(96, 64, 4, 8, DCTDIFF_CHROMA_420);
    CHECK(dc_only < half - 3, "dropping coefficients should cost PSNR (%.2f vs %.2f dB)",
          dc_only, half);
}

static void expect_bad_layout(dctdiff_token_layout l, const char *word)
{
    dctdiff_error err = { 0 };
    dctdiff_status s = dctdiff_token_layout_check(&l, &err);
    CHECK(s == DCTDIFF_E_ARG && strstr(err.msg, word),
          "layout %dx%d B=%d m=%d eta=%g chroma=%d: status %d, message \"%s\" lacks \"%s\"",
          l.width, l.height, l.block_size, l.low_freqs, l.eta, (int)l.chroma, (int)s, err.msg,
          word);
    CHECK(dctdiff_token_count(&l) == 0 && dctdiff_token_dim(&l) == 0,
          "count/dim of a bad layout are not 0");
}

static void check_layouts(void)
{
    dctdiff_token_layout good = { .width = 64, .height = 32, .block_size = 2, .low_freqs = 4,
                                  .eta = 244.925, .chroma = DCTDIFF_CHROMA_420 };
    CHECK(dctdiff_token_layout_check(&good, NULL) == DCTDIFF_OK, "64x32 B=2 rejected");
    CHECK(dctdiff_token_count(&good) == 16 * 8, "count %d", dctdiff_token_count(&good));
    CHECK(dctdiff_token_dim(&good) == 24, "dim %d", dctdiff_token_dim(&good));
    dctdiff_token_layout l444 = { .width = 256, .height = 256, .block_size = 4, .low_freqs = 9,
                                  .eta = 480.25, .chroma = DCTDIFF_CHROMA_444 };
    CHECK(dctdiff_token_count(&l444) == 1024 && dctdiff_token_dim(&l444) == 108,
          "4:4:4 count %d dim %d", dctdiff_token_count(&l444), dctdiff_token_dim(&l444));

    dctdiff_token_layout l = good;
    l.block_size = 3, expect_bad_layout(l, "block size");
    l = good, l.width = 30, expect_bad_layout(l, "multiples");
    l = good, l.height = 0, expect_bad_layout(l, "positive");
    l = good, l.block_size = 4, l.width = 36, expect_bad_layout(l, "2 x block size = 8");
    l = good, l.low_freqs = 0, expect_bad_layout(l, "low_freqs");
    l = good, l.low_freqs = 5, expect_bad_layout(l, "1..4");
    l = good, l.eta = 0, expect_bad_layout(l, "eta");
    l = good, l.eta = NAN, expect_bad_layout(l, "eta");
    l = good, l.eta = INFINITY, expect_bad_layout(l, "eta");
    l = good, l.chroma = (dctdiff_chroma)7, expect_bad_layout(l, "chroma");
    l = good, l.width = l.height = 1 << 20, expect_bad_layout(l, "too large");
    static const int repeated[4] = {0, 1, 1, 3}, outside[4] = {0, 1, 2, 4};
    static const int permuted[4] = {3, 2, 1, 0};
    l = good, l.order = repeated, expect_bad_layout(l, "each of 0..3 once");
    l = good, l.order = outside, expect_bad_layout(l, "each of 0..3 once");
    l = good, l.order = permuted;
    CHECK(dctdiff_token_layout_check(&l, NULL) == DCTDIFF_OK, "a permuted order rejected");
}

static void expect_bad_image(const dctdiff_token_layout *l, dctdiff_image img, const char *word)
{
    float tokens[16 * 24];
    dctdiff_error err = { 0 };
    dctdiff_status s = dctdiff_tokenize(l, &img, tokens, &err);
    CHECK(s == DCTDIFF_E_ARG && strstr(err.msg, word), "tokenize: message \"%s\" lacks \"%s\"",
          err.msg, word);
    err.msg[0] = 0;
    s = dctdiff_detokenize(l, tokens, &img, &err);
    CHECK(s == DCTDIFF_E_ARG && strstr(err.msg, word), "detokenize: message \"%s\" lacks \"%s\"",
          err.msg, word);
}

static void check_images(void)
{
    dctdiff_token_layout l = { .width = 16, .height = 16, .block_size = 2, .low_freqs = 4,
                               .eta = 242.382, .chroma = DCTDIFF_CHROMA_420 };
    static uint8_t pixels[16 * 16 * 4 * 2];
    dctdiff_image ok = { 16, 16, 3, DCTDIFF_PIXEL_U8, 48, pixels }, img;
    img = ok, img.channels = 4, expect_bad_image(&l, img, "8-bit RGB");
    img = ok, img.type = DCTDIFF_PIXEL_U16, expect_bad_image(&l, img, "8-bit RGB");
    img = ok, img.width = 32, expect_bad_image(&l, img, "32x16");
    img = ok, img.stride = 40, expect_bad_image(&l, img, "stride");
    img = ok, img.data = NULL, expect_bad_image(&l, img, "no pixel data");
}

int main(void)
{
    check_fixture("b2_420");
    check_fixture("b4_420");
    check_fixture("b8_420");
    check_fixture("b4_444");
    check_round_trips();
    check_layouts();
    check_images();
    return check_finish("test_tokens");
}
