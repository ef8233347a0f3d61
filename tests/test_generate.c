/* test_generate.c - dctdiff_generate on the tiny fixture models: the same
 * seed gives the same bytes for any thread count and batch size, progress
 * and preview callbacks are called as documented, a cancel stops the run
 * without touching the caller's images, upscaled sizes equal sampling then
 * upscaling, step caching keeps its promises, and bad parameters are refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture_io.h"
#include "dctdiff.h"

static dctdiff_model *load(const char *path)
{
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    CHECK(dctdiff_model_load(path, &m, &err) == DCTDIFF_OK, "load %s: %s", path, err.msg);
    return m;
}

static size_t token_floats(const dctdiff_model *m)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    return (size_t)in.tokens * in.token_dim;
}

static float *tokens_for(const dctdiff_model *m, const dctdiff_generate_params *p)
{
    float *t = malloc(sizeof(float) * token_floats(m) * p->count);
    dctdiff_error err = { 0 };
    dctdiff_status s = dctdiff_generate_tokens(m, p, t, &err);
    CHECK(s == DCTDIFF_OK, "generate_tokens: %s", err.msg);
    return t;
}

static void test_determinism(const dctdiff_model *m)
{
    const size_t len = token_floats(m) * 3;
    for (int kind = 0; kind < DCTDIFF_SAMPLER_COUNT_; kind++) {
        dctdiff_generate_params p;
        dctdiff_generate_params_init(&p);
        p.sampler = (dctdiff_sampler)kind;
        p.steps = 4;
        p.count = 3;
        p.seed = 1234;
        p.threads = 1;
        p.batch = 1;
        float *a = tokens_for(m, &p);
        p.threads = 2;
        p.batch = 3;
        float *b = tokens_for(m, &p);
        p.batch = 2;
        float *c = tokens_for(m, &p);
        p.seed = 1235;
        float *d = tokens_for(m, &p);
        CHECK(memcmp(a, b, sizeof(float) * len) == 0,
              "sampler %d: 1 thread batch 1 vs 2 threads batch 3 differ", kind);
        CHECK(memcmp(a, c, sizeof(float) * len) == 0, "sampler %d: batch 2 differs", kind);
        CHECK(memcmp(a, d, sizeof(float) * len) != 0, "sampler %d: seed ignored", kind);
        free(a);
        free(b);
        free(c);
        free(d);
    }
}

static void test_images(const dctdiff_model *m)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    dctdiff_image u8[2], f32[2];
    dctdiff_error err = { 0 };
    for (int i = 0; i < 2; i++) {
        dctdiff_image_alloc(&u8[i], in.resolution, in.resolution, 3, DCTDIFF_PIXEL_U8, &err);
        dctdiff_image_alloc(&f32[i], in.resolution, in.resolution, 4, DCTDIFF_PIXEL_F32, &err);
    }
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.steps = 3;
    p.count = 2;
    p.seed = 9;
    CHECK(dctdiff_generate(m, &p, u8, &err) == DCTDIFF_OK, "generate u8: %s", err.msg);
    p.threads = 3;
    CHECK(dctdiff_generate(m, &p, f32, &err) == DCTDIFF_OK, "generate f32: %s", err.msg);
    int mismatch = 0, distinct = 0;
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < in.resolution * in.resolution; k++) {
            const unsigned char *a = (unsigned char *)u8[i].data + 3 * k;
            const float *b = (float *)f32[i].data + 4 * k;
            for (int c = 0; c < 3; c++)
                mismatch += (int)(b[c] * 255.0f + 0.5f) != a[c];
            mismatch += b[3] != 1.0f;
            distinct += a[0] != ((unsigned char *)u8[i].data)[0];
        }
    CHECK(mismatch == 0, "u8 and f32 outputs disagree in %d values", mismatch);
    CHECK(distinct > 0, "the image is flat");
    for (int i = 0; i < 2; i++) {
        dctdiff_image_release(&u8[i]);
        dctdiff_image_release(&f32[i]);
    }
}

typedef struct {
    int calls, stop_at, last_done, last_total;
    int previews, bad_preview;
    int want_steps, last_step;  /* previews count network evaluations */
} counters;

static int on_progress(void *user, int done, int total, const char *stage)
{
    counters *c = user;
    (void)stage;
    c->calls++;
    c->last_done = done;
    c->last_total = total;
    return c->stop_at && c->calls >= c->stop_at;
}

static int on_preview(void *user, int sample, int step, int steps, const dctdiff_image *rgb)
{
    counters *c = user;
    c->previews++;
    c->bad_preview += rgb->width != 64 || rgb->channels != 3 || sample < 0 || sample > 1 ||
                      (!c->want_steps && step % 2 != 0) || step > steps;
    c->bad_preview += c->want_steps && (steps != c->want_steps || step <= c->last_step);
    c->last_step = step;
    return 0;
}

static void test_callbacks(const dctdiff_model *m)
{
    dctdiff_image out[2];
    dctdiff_error err = { 0 };
    for (int i = 0; i < 2; i++) {
        dctdiff_image_alloc(&out[i], 64, 64, 3, DCTDIFF_PIXEL_U8, &err);
        memset(out[i].data, 77, 64 * 64 * 3);
    }
    counters c = { 0 };
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.sampler = DCTDIFF_SAMPLER_DDIM;
    p.steps = 6;
    p.count = 2;
    p.batch = 1;
    p.progress = on_progress;
    p.progress_user = &c;
    p.preview = on_preview;
    p.preview_user = &c;
    p.preview_every = 2;
    CHECK(dctdiff_generate(m, &p, out, &err) == DCTDIFF_OK, "generate: %s", err.msg);
    CHECK(c.calls == 13 && c.last_done == 12 && c.last_total == 12,
          "progress: %d calls, last %d/%d (want 13 calls, 12/12)", c.calls, c.last_done,
          c.last_total);
    CHECK(c.previews == 6 && c.bad_preview == 0, "previews: %d calls, %d bad", c.previews,
          c.bad_preview);

    /* a preview callback with preview_every 0 is never called */
    c = (counters){ 0 };
    p.preview_every = 0;
    CHECK(dctdiff_generate(m, &p, out, &err) == DCTDIFF_OK && c.previews == 0,
          "preview_every 0: %d previews", c.previews);
    p.preview_every = 2;

    /* DPM-Solver's 3rd-order updates take 3 evaluations each: previews
     * count evaluations (of 9), not updates (3) */
    c = (counters){ .want_steps = 9 };
    p.sampler = DCTDIFF_SAMPLER_DPM_SOLVER;
    p.steps = 9;
    p.count = 1;
    dctdiff_status st = dctdiff_generate(m, &p, out, &err);
    CHECK(st == DCTDIFF_OK && c.previews >= 2 && c.bad_preview == 0 && c.last_step >= 7,
          "DPM-Solver previews: %s, %d calls, %d bad, last step %d of 9 (%s)",
          dctdiff_status_name(st), c.previews, c.bad_preview, c.last_step, err.msg);
    p.sampler = DCTDIFF_SAMPLER_DDIM;
    p.steps = 6;
    p.count = 2;

    /* cancel after the 5th evaluation: nothing written */
    for (int i = 0; i < 2; i++)
        memset(out[i].data, 77, 64 * 64 * 3);
    c = (counters){ .stop_at = 5 };
    dctdiff_status s = dctdiff_generate(m, &p, out, &err);
    CHECK(s == DCTDIFF_E_CANCELLED && c.calls == 5, "cancel: status %s after %d calls",
          dctdiff_status_name(s), c.calls);
    int touched = 0;
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 64 * 64 * 3; k++)
            touched += ((unsigned char *)out[i].data)[k] != 77;
    CHECK(touched == 0, "a cancelled run wrote %d bytes", touched);
    for (int i = 0; i < 2; i++)
        dctdiff_image_release(&out[i]);
}

/* upscale_factor / width / height: the engine's generate-then-upscale gives
 * the bytes of sampling at the native size and upscaling that by hand, in
 * RGB and (alpha opaque) in RGBA float. */
static void test_upscaled(const dctdiff_model *m)
{
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    dctdiff_error err = { 0 };
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.steps = 3;
    p.seed = 5;
    p.threads = 2;
    int w = 0, h = 0;
    CHECK(dctdiff_generate_size(m, &p, &w, &h, &err) == DCTDIFF_OK && w == in.resolution &&
              h == in.resolution, "default size %dx%d: %s", w, h, err.msg);
    dctdiff_image native, by_hand, big, rgba;
    dctdiff_image_alloc(&native, in.resolution, in.resolution, 3, DCTDIFF_PIXEL_U8, &err);
    CHECK(dctdiff_generate(m, &p, &native, &err) == DCTDIFF_OK, "native: %s", err.msg);

    p.upscale_factor = 1.5;
    CHECK(dctdiff_generate_size(m, &p, &w, &h, &err) == DCTDIFF_OK &&
              w == (int)lround(in.resolution * 1.5) && h == w, "x1.5 size %dx%d", w, h);
    dctdiff_image_alloc(&by_hand, w, h, 3, DCTDIFF_PIXEL_U8, &err);
    dctdiff_image_alloc(&big, w, h, 3, DCTDIFF_PIXEL_U8, &err);
    dctdiff_upscale_params up;
    dctdiff_upscale_params_init(&up);
    CHECK(dctdiff_upscale(&native, &by_hand, &up, &err) == DCTDIFF_OK, "by hand: %s", err.msg);
    CHECK(dctdiff_generate(m, &p, &big, &err) == DCTDIFF_OK, "x1.5: %s", err.msg);
    CHECK(memcmp(big.data, by_hand.data, by_hand.stride * by_hand.height) == 0,
          "x1.5 differs from sampling then upscaling");

    /* A width alone keeps the square; RGBA float keeps alpha opaque. */
    p.upscale_factor = 7.0;  /* ignored: a side is given */
    p.width = w;
    dctdiff_image_alloc(&rgba, w, h, 4, DCTDIFF_PIXEL_F32, &err);
    CHECK(dctdiff_generate(m, &p, &rgba, &err) == DCTDIFF_OK, "RGBA width %d: %s", w, err.msg);
    int mismatch = 0;
    for (int k = 0; k < w * h; k++) {
        const float *f = (const float *)rgba.data + 4 * k;
        for (int c = 0; c < 3; c++)
            mismatch += fabsf(f[c] - ((unsigned char *)by_hand.data)[3 * k + c] / 255.0f) >
                        1.0f / 255.0f;
        mismatch += fabsf(f[3] - 1.0f) > 1e-6f;
    }
    CHECK(mismatch == 0, "RGBA float upscaled output disagrees in %d values", mismatch);

    /* The rule's limits, and an output of the native size when asked x1.5. */
    p.width = 0;
    p.upscale_factor = DCTDIFF_FACTOR_MAX * 2;
    CHECK(dctdiff_generate(m, &p, &big, &err) == DCTDIFF_E_ARG && strstr(err.msg, "factor"),
          "factor %g accepted (%s)", p.upscale_factor, err.msg);
    p.upscale_factor = 1.5;
    CHECK(dctdiff_generate(m, &p, &native, &err) == DCTDIFF_E_ARG,
          "a native-size image accepted for x1.5");
    dctdiff_image_release(&native);
    dctdiff_image_release(&by_hand);
    dctdiff_image_release(&big);
    dctdiff_image_release(&rgba);
}

static double rms_diff(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return sqrt(s / (double)n);
}

static double rms_of(const float *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (double)a[i] * a[i];
    return sqrt(s / (double)n);
}

/* Step caching: interval 1 is off, bit for bit; a run whose only
 * evaluation is the first (always whole) one is the uncached run; longer
 * runs differ from the uncached ones but stay within half the tokens' rms
 * of them (a loose bound: bench_samplers measures the accuracy), with the
 * same bytes for any batch and thread count. */
static void test_cache(const dctdiff_model *m)
{
    const size_t len = token_floats(m) * 3;
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    CHECK(p.cache_interval == 0 && p.cache_depth == DCTDIFF_CACHE_DEPTH_DEFAULT,
          "caching is on by default");
    p.sampler = DCTDIFF_SAMPLER_DDIM;
    p.steps = 1;
    p.count = 3;
    p.seed = 77;
    float *off = tokens_for(m, &p);
    p.cache_interval = 2;
    float *on = tokens_for(m, &p);
    CHECK(memcmp(off, on, sizeof(float) * len) == 0, "the first, whole evaluation differs");
    free(off);
    free(on);
    for (int kind = 0; kind < DCTDIFF_SAMPLER_COUNT_; kind++) {
        p.sampler = (dctdiff_sampler)kind;
        p.steps = 12;
        p.cache_interval = 0;
        p.threads = 1;
        p.batch = 3;
        off = tokens_for(m, &p);
        p.cache_interval = 1;
        float *one = tokens_for(m, &p);
        p.cache_interval = 2;
        on = tokens_for(m, &p);
        p.threads = 2;
        p.batch = 2;
        float *on2 = tokens_for(m, &p);
        CHECK(memcmp(off, one, sizeof(float) * len) == 0, "sampler %d: interval 1 differs "
              "from off", kind);
        CHECK(memcmp(on, on2, sizeof(float) * len) == 0, "sampler %d: cached runs differ by "
              "batch or threads", kind);
        const double cached = rms_diff(on, off, len), size = rms_of(off, len);
        printf("sampler %d: interval 2 is %.3g from the uncached run (token rms %.3g)\n",
               kind, cached, size);
        CHECK(cached > 0 && cached < 0.5 * size, "sampler %d: interval 2 is %g from the "
              "uncached run (token rms %g)", kind, cached, size);
        free(off);
        free(one);
        free(on);
        free(on2);
    }
    dctdiff_error err = { 0 };
    float *t = malloc(sizeof(float) * len);
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    dctdiff_generate_params_init(&p);
    p.steps = 2;
    const int bad[][2] = { { -1, 1 }, { DCTDIFF_STEPS_MAX + 1, 1 }, { 2, 0 },
                           { 2, in.depth / 2 + 1 } };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        p.cache_interval = bad[i][0];
        p.cache_depth = bad[i][1];
        CHECK(dctdiff_generate_tokens(m, &p, t, &err) == DCTDIFF_E_ARG,
              "cache interval %d, depth %d accepted", bad[i][0], bad[i][1]);
    }
    p.cache_interval = 1;   /* off: the depth does not matter */
    CHECK(dctdiff_generate_tokens(m, &p, t, &err) == DCTDIFF_OK, "interval 1, depth %d: %s",
          p.cache_depth, err.msg);
    free(t);
}

static void test_refusals(const dctdiff_model *m, const dctdiff_model *cond)
{
    dctdiff_image out[1];
    dctdiff_error err = { 0 };
    dctdiff_image_alloc(&out[0], 64, 64, 3, DCTDIFF_PIXEL_U8, &err);
    dctdiff_generate_params p;
#define REFUSE(field, value, what)                                                   \
    do {                                                                            \
        dctdiff_generate_params_init(&p);                                           \
        p.steps = 2;                                                                \
        p.field = value;                                                            \
        CHECK(dctdiff_generate(m, &p, out, &err) == DCTDIFF_E_ARG, "%s accepted", what); \
    } while (0)
    REFUSE(count, 0, "count 0");
    REFUSE(steps, 1001, "1001 steps");
    REFUSE(steps, -1, "-1 steps");
    REFUSE(snr_scale, -1.0, "negative SNR scale");
    REFUSE(sampler, (dctdiff_sampler)99, "sampler 99");
    REFUSE(sampler, (dctdiff_sampler)(DCTDIFF_SAMPLER_DEFAULT - 1), "sampler -2");
    REFUSE(class_label, 3, "a class for an unconditional model");
    REFUSE(batch, -2, "batch -2");
    REFUSE(preview_every, -1, "preview_every -1");
#undef REFUSE
    dctdiff_generate_params_init(&p);
    dctdiff_image small;
    dctdiff_image_alloc(&small, 32, 32, 3, DCTDIFF_PIXEL_U8, &err);
    CHECK(dctdiff_generate(m, &p, &small, &err) == DCTDIFF_E_ARG, "wrong output size accepted");
    dctdiff_image_release(&small);
    p.class_label = 10;
    CHECK(dctdiff_generate(cond, &p, out, &err) == DCTDIFF_E_ARG, "class 10 of 10 accepted");
    dctdiff_image_release(&out[0]);
}

static void test_conditional(const dctdiff_model *cond)
{
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.steps = 3;
    p.count = 2;
    p.seed = 4;
    float *rnd = tokens_for(cond, &p);      /* class -1: drawn per image */
    p.class_label = 5;
    float *five = tokens_for(cond, &p);
    p.batch = 1;
    p.threads = 1;
    float *five1 = tokens_for(cond, &p);
    const size_t len = token_floats(cond) * 2;
    CHECK(memcmp(five, five1, sizeof(float) * len) == 0, "conditional: batch changes bytes");
    CHECK(memcmp(rnd, five, sizeof(float) * len) != 0, "conditional: label ignored");
    /* starting noise given by the caller replaces the seeded one */
    float *noise = malloc(sizeof(float) * len);
    for (size_t i = 0; i < len; i++)
        noise[i] = (float)((i % 17) / 8.0 - 1.0);
    p.init_noise = noise;
    float *a = tokens_for(cond, &p);
    p.seed = 99;
    float *b = tokens_for(cond, &p);
    CHECK(memcmp(a, b, sizeof(float) * len) == 0, "init noise: the seed still matters");
    CHECK(memcmp(a, five1, sizeof(float) * len) != 0, "init noise ignored");
    free(rnd);
    free(five);
    free(five1);
    free(noise);
    free(a);
    free(b);
}

/* A v-predicting model through the public call, against PyTorch: the same
 * 10-step runs as test_sampler's, so the v -> noise conversion is tested
 * where generation does it. */
static void test_v_prediction(void)
{
    dctdiff_model *m = load("fixtures/uvit_b2v.safetensors");
    size_t size = 0;
    unsigned char *buf = fixture_read("fixtures/sampler_b2v.bin", &size);
    dctdiff_model_info info;
    if (!m || !CHECK(buf && size > 28 && memcmp(buf, "DDSAMPFX", 8) == 0, "v fixture")) {
        free(buf);
        dctdiff_model_free(m);
        return;
    }
    dctdiff_model_get_info(m, &info);
    CHECK(info.prediction == DCTDIFF_PREDICT_V, "schedule.prediction v read");
    int32_t h[5];
    memcpy(h, buf + 8, sizeof h);
    const size_t len = token_floats(m);
    CHECK(h[1] == 1 && (size_t)h[2] * h[3] == len && size == 28 + h[4] * (16 + 4 * len),
          "v fixture header");
    float *noise = malloc(sizeof(float) * len), *want = malloc(sizeof(float) * len);
    fixture_pattern(noise, len, 1.0);
    for (int k = 0; k < h[4] && size == 28 + h[4] * (16 + 4 * len); k++) {
        const unsigned char *rec = buf + 28 + k * (16 + 4 * len);
        int32_t kind_steps[2];
        memcpy(kind_steps, rec, 8);
        memcpy(want, rec + 16, sizeof(float) * len);
        dctdiff_generate_params p;
        dctdiff_generate_params_init(&p);
        p.sampler = (dctdiff_sampler)kind_steps[0];
        p.steps = kind_steps[1];
        p.init_noise = noise;
        float *got = tokens_for(m, &p);
        const double rel = fixture_rel_l2(got, want, len);
        CHECK(rel < 1e-3, "v model, sampler %d vs PyTorch: norm-relative error %g",
              kind_steps[0], rel);
        free(got);
    }
    free(noise);
    free(want);
    free(buf);
    dctdiff_model_free(m);
}

int main(void)
{
    dctdiff_model *m = load("fixtures/uvit_b2.safetensors");
    dctdiff_model *cond = load("fixtures/uvit_b4c.safetensors");
    if (m && cond) {
        test_determinism(m);
        test_images(m);
        test_callbacks(m);
        test_upscaled(m);
        test_cache(m);
        dctdiff_model *trained = load("../weights/models/emoji32-tiny.safetensors");
        if (trained)
            test_cache(trained);
        dctdiff_model_free(trained);
        test_refusals(m, cond);
        test_conditional(cond);
    }
    test_v_prediction();
    dctdiff_model_free(m);
    dctdiff_model_free(cond);
    return check_finish("test_generate");
}
