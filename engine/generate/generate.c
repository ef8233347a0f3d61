/* generate.c - image generation: noise -> sampler + UViT -> tokens -> image.
 *
 * Samples are made in batches; everything random is keyed by the sample's
 * index in the run (rng.h), and the network computes an image the same way
 * alone or in a batch (uvit.c), so the bytes out depend on the seed only. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "generate/generate.h"
#include "generate/rng.h"
#include "generate/sampler.h"
#include "core/status.h"
#include "network/uvit.h"

/* Automatic batches: up to 8 images, within a budget of activation memory
 * (a DCTdiff-S/4 image needs ~9 MB, an M/8 at 256x256 ~53 MB). */
#define AUTO_BATCH 8
#define AUTO_BATCH_BYTES ((size_t)256 << 20)

void dctdiff_generate_params_init(dctdiff_generate_params *p)
{
    *p = (dctdiff_generate_params){
        .sampler = DCTDIFF_SAMPLER_DEFAULT,
        .steps = DCTDIFF_DEFAULT,
        .snr_scale = DCTDIFF_DEFAULT,
        .count = 1,
        .class_label = -1,
        .upscale_factor = 1.0,
        .cache_interval = 0,
        .cache_depth = DCTDIFF_CACHE_DEPTH_DEFAULT,
    };
}

dctdiff_status dctdiff_generate_size(const dctdiff_model *m, const dctdiff_generate_params *p,
                                     int *width, int *height, dctdiff_error *err)
{
    if (!m || !p || !width || !height)
        return dd_fail(err, DCTDIFF_E_ARG, "generate_size: NULL model, params or size");
    const int res = m->info.resolution;
    return dctdiff_output_size(res, res, p->upscale_factor, p->width, p->height, width,
                               height, err);
}

/* ------------------------------------------------------------------------ */

typedef struct {
    const dctdiff_model *m;
    const dctdiff_generate_params *p;
    dctdiff_error *err;
    uvit_workspace *ws;
    vp_schedule sched;
    vp_schedule trained;         /* the model's own, for v -> noise */
    int batch, first;            /* the batch being sampled */
    int *labels;                 /* batch labels, NULL when unconditional */
    float *tau;
    long long done, total;       /* progress in image-evaluations */
    /* Previews count network evaluations of one sample, as steps does: done
     * in this batch, at the last preview, and in a whole run. */
    int evals, shown, evals_total;
    float *x0;                   /* preview scratch, one sample */
    dctdiff_image preview_img;
} gen_run;

static dctdiff_status report(gen_run *g)
{
    const dctdiff_generate_params *p = g->p;
    if (!p->progress)
        return DCTDIFF_OK;
    /* progress counts in int; a thousand steps x any count fits after scaling */
    long long scale = g->total > 1000000000LL ? g->total / 1000000000LL + 1 : 1;
    if (p->progress(p->progress_user, (int)(g->done / scale), (int)(g->total / scale),
                    "sampling"))
        return DCTDIFF_E_CANCELLED;
    return DCTDIFF_OK;
}

/* A v-predicting network's output -> its noise estimate, in place:
 * eps = sigma x + alpha v, at the schedule the network was trained with. */
static void noise_of_v(const vp_schedule *trained, double t, size_t n, const float *x,
                       float *out)
{
    const float a = (float)sched_alpha(trained, t), sg = (float)sched_sigma(trained, t);
    for (size_t k = 0; k < n; k++)
        out[k] = sg * x[k] + a * out[k];
}

/* Which network pass evaluation g->evals of the batch makes (step caching:
 * the whole network every cache_interval evaluations, from the first). */
static uvit_pass pass_of(const gen_run *g)
{
    const int every = g->p->cache_interval;
    if (every <= 1)
        return UVIT_WHOLE;
    return g->evals % every == 0 ? UVIT_KEEP_DEEP : UVIT_REUSE_DEEP;
}

static dctdiff_status eval_eps(void *user, const float *x, double t, float *eps)
{
    gen_run *g = user;
    for (int i = 0; i < g->batch; i++)
        g->tau[i] = (float)(999.0 * t);
    dctdiff_status s = uvit_forward(g->ws, pass_of(g), g->batch, x, g->tau, g->labels, eps,
                                    g->err);
    if (s != DCTDIFF_OK)
        return s;
    if (g->m->info.prediction == DCTDIFF_PREDICT_V)
        noise_of_v(&g->trained, t, (size_t)g->batch * g->m->info.tokens * g->m->info.token_dim,
                   x, eps);
    g->done += g->batch;
    g->evals++;
    return report(g);
}

/* Preview: the denoised estimate x0 = (x - sigma eps) / alpha of each
 * sample, at the first sampler update after another preview_every
 * evaluations. */
static dctdiff_status on_step(void *user, int step, int steps, double t,
                              const float *x, const float *eps)
{
    (void)step, (void)steps;
    gen_run *g = user;
    const dctdiff_generate_params *p = g->p;
    if (!p->preview || p->preview_every == 0 || g->evals - g->shown < p->preview_every)
        return DCTDIFF_OK;
    g->shown = g->evals;
    const double a = sched_alpha(&g->sched, t), sg = sched_sigma(&g->sched, t);
    const size_t len = (size_t)g->m->info.tokens * g->m->info.token_dim;
    for (int i = 0; i < g->batch; i++) {
        for (size_t k = 0; k < len; k++)
            g->x0[k] = (float)((x[i * len + k] - sg * eps[i * len + k]) / a);
        dctdiff_status s = dctdiff_detokenize(&g->m->info.layout, g->x0,
                                              &g->preview_img, g->err);
        if (s != DCTDIFF_OK)
            return s;
        if (p->preview(p->preview_user, g->first + i, g->evals, g->evals_total,
                       &g->preview_img))
            return DCTDIFF_E_CANCELLED;
    }
    return DCTDIFF_OK;
}

dctdiff_status gen_check_params(const dctdiff_model *m, const dctdiff_generate_params *p,
                                dctdiff_error *err)
{
    const int classes = m->info.num_classes;
    if (p->count < 1)
        return dd_fail(err, DCTDIFF_E_ARG, "count %d is not positive", p->count);
    if (p->steps < 0 || p->steps > SAMPLER_MAX_STEPS)
        return dd_fail(err, DCTDIFF_E_ARG, "steps %d is outside 1..%d (0 = the model's default)",
                       p->steps, SAMPLER_MAX_STEPS);
    if (p->sampler < DCTDIFF_SAMPLER_DEFAULT || p->sampler >= DCTDIFF_SAMPLER_COUNT_)
        return dd_fail(err, DCTDIFF_E_ARG, "unknown sampler %d", (int)p->sampler);
    if (!(p->snr_scale >= 0.0) || !isfinite(p->snr_scale))
        return dd_fail(err, DCTDIFF_E_ARG, "SNR scale %g is not a positive number "
                       "(0 = the model's default)", p->snr_scale);
    if (p->batch < 0)
        return dd_fail(err, DCTDIFF_E_ARG, "batch %d is negative", p->batch);
    if (p->preview_every < 0)
        return dd_fail(err, DCTDIFF_E_ARG, "preview_every %d is negative", p->preview_every);
    if (p->cache_interval < 0 || p->cache_interval > SAMPLER_MAX_STEPS)
        return dd_fail(err, DCTDIFF_E_ARG, "cache interval %d is outside 0..%d (0 = off)",
                       p->cache_interval, SAMPLER_MAX_STEPS);
    if (classes == 0 && p->class_label != -1)
        return dd_fail(err, DCTDIFF_E_ARG, "class %d given to an unconditional model",
                       p->class_label);
    if (classes > 0 && (p->class_label < -1 || p->class_label >= classes))
        return dd_fail(err, DCTDIFF_E_ARG, "class %d is outside 0..%d (-1 = random)",
                       p->class_label, classes - 1);
    return DCTDIFF_OK;
}

static void start_batch(gen_run *g, const gen_condition *cond, float *x)
{
    const dctdiff_generate_params *p = g->p;
    const size_t len = (size_t)g->m->info.tokens * g->m->info.token_dim;
    g->evals = g->shown = 0;
    for (int i = 0; i < g->batch; i++) {
        const int s = g->first + i;
        if (p->init_noise)
            memcpy(x + i * len, p->init_noise + s * len, sizeof(float) * len);
        else
            rng_normal(p->seed, (uint32_t)s, RNG_STEP_INIT_NOISE, 0, len, x + i * len);
        if (g->labels)
            g->labels[i] = p->class_label >= 0
                ? p->class_label
                : (int)rng_below(p->seed, (uint32_t)s, RNG_STEP_LABEL,
                                 (uint32_t)g->m->info.num_classes);
    }
    if (cond)
        cond->start(cond->edit.user, g->first, g->batch, &g->sched, x);
}

dctdiff_status gen_run_samples(const dctdiff_model *m, const dctdiff_generate_params *p,
                               const gen_condition *cond, gen_emit_fn emit,
                               void *emit_user, dctdiff_error *err)
{
    if (!m || !p)
        return dd_fail(err, DCTDIFF_E_ARG, "generate: NULL model or params");
    dctdiff_status s = gen_check_params(m, p, err);
    if (s != DCTDIFF_OK)
        return s;
    const dctdiff_model_info *in = &m->info;
    const size_t fit = AUTO_BATCH_BYTES / uvit_bytes_per_image(m, p->cache_interval > 1);
    const int auto_batch = fit < 1 ? 1 : fit < AUTO_BATCH ? (int)fit : AUTO_BATCH;
    const int want = p->batch ? p->batch : auto_batch;
    const int batch = want < p->count ? want : p->count;
    const size_t len = (size_t)in->tokens * in->token_dim;
    gen_run g = {
        .m = m, .p = p, .err = err,
        .sched = { in->beta_min, in->beta_max,
                   p->snr_scale == DCTDIFF_DEFAULT ? in->snr_scale : p->snr_scale },
        .trained = { in->beta_min, in->beta_max, in->snr_scale },
    };
    sampler_run run = {
        .kind = p->sampler == DCTDIFF_SAMPLER_DEFAULT ? in->default_sampler : p->sampler,
        .steps = p->steps == DCTDIFF_DEFAULT ? in->default_steps : p->steps,
        .sched = g.sched,
        .sample_len = len,
        .seed = p->seed,
        .eps = eval_eps,
        .on_step = on_step,
        .user = &g,
        .edit = cond ? &cond->edit : NULL,
    };
    g.evals_total = run.steps * (cond ? cond->passes : 1);
    g.total = (long long)p->count * g.evals_total;
    float *x = NULL, *scratch = NULL;
    s = uvit_workspace_new(m, batch, p->threads, &g.ws, err);
    if (s == DCTDIFF_OK && p->cache_interval > 1)
        s = uvit_workspace_cache(g.ws, p->cache_depth, err);
    if (s != DCTDIFF_OK) {
        uvit_workspace_free(g.ws);
        return s;
    }
    run.batch = batch;
    x = malloc(sizeof(float) * len * batch);
    scratch = malloc(sizeof(float) * sampler_scratch_floats(&run));
    g.tau = malloc(sizeof(float) * batch);
    g.labels = in->num_classes > 0 ? malloc(sizeof(int) * batch) : NULL;
    g.x0 = malloc(sizeof(float) * len);
    if (!x || !scratch || !g.tau || !g.x0 || (in->num_classes > 0 && !g.labels)) {
        s = dd_fail(err, DCTDIFF_E_NOMEM, "no memory for a batch of %d samples", batch);
        goto done;
    }
    if (p->preview && p->preview_every > 0 &&
        (s = dctdiff_image_alloc(&g.preview_img, in->resolution, in->resolution, 3,
                                 DCTDIFF_PIXEL_U8, err)) != DCTDIFF_OK)
        goto done;
    if ((s = report(&g)) != DCTDIFF_OK) {
        s = dd_fail(err, s, "sampling cancelled");
        goto done;
    }
    for (g.first = 0; g.first < p->count; g.first += batch) {
        g.batch = p->count - g.first < batch ? p->count - g.first : batch;
        run.batch = g.batch;
        run.first_sample = g.first;
        start_batch(&g, cond, x);
        if ((s = sampler_sample(&run, x, scratch, err)) != DCTDIFF_OK ||
            (s = emit(emit_user, g.first, g.batch, x, err)) != DCTDIFF_OK)
            goto done;
    }
done:
    dctdiff_image_release(&g.preview_img);
    free(g.x0);
    free(g.labels);
    free(g.tau);
    free(scratch);
    free(x);
    uvit_workspace_free(g.ws);
    return s;
}

/* ------------------------------------------------------------------------ */

typedef struct {
    float *tokens;
    size_t len;
} tokens_sink;

static dctdiff_status emit_tokens(void *user, int first, int n, const float *tokens,
                                  dctdiff_error *err)
{
    (void)err;
    tokens_sink *t = user;
    memcpy(t->tokens + first * t->len, tokens, sizeof(float) * t->len * n);
    return DCTDIFF_OK;
}

dctdiff_status dctdiff_generate_tokens(const dctdiff_model *m,
                                       const dctdiff_generate_params *p,
                                       float *tokens, dctdiff_error *err)
{
    if (!tokens || !m)
        return dd_fail(err, DCTDIFF_E_ARG, "generate_tokens: NULL output or model");
    tokens_sink t = { tokens, (size_t)m->info.tokens * m->info.token_dim };
    return gen_run_samples(m, p, NULL, emit_tokens, &t, err);
}

/* ------------------------------------------------------------------------ */

typedef struct {
    const dctdiff_model *m;
    dctdiff_image *out;
    dctdiff_image rgb;   /* 8-bit detokenised sample */
    /* finished images are kept as 8-bit until the run succeeds, so a
     * cancelled run writes nothing into the caller's images */
    unsigned char *done;
} image_sink;

static dctdiff_status emit_images(void *user, int first, int n, const float *tokens,
                                  dctdiff_error *err)
{
    image_sink *is = user;
    const size_t len = (size_t)is->m->info.tokens * is->m->info.token_dim;
    const size_t bytes = (size_t)is->rgb.height * is->rgb.stride;
    for (int i = 0; i < n; i++) {
        is->rgb.data = is->done + (first + i) * bytes;
        dctdiff_status s = dctdiff_detokenize(&is->m->info.layout, tokens + i * len,
                                              &is->rgb, err);
        if (s != DCTDIFF_OK)
            return s;
    }
    return DCTDIFF_OK;
}

/* 8-bit RGB -> the caller's pixel type and channels (alpha opaque). */
static void store_image(const unsigned char *rgb, dctdiff_image *dst)
{
    for (int y = 0; y < dst->height; y++) {
        unsigned char *row = (unsigned char *)dst->data + y * dst->stride;
        for (int x = 0; x < dst->width; x++) {
            const unsigned char *s = rgb + ((size_t)y * dst->width + x) * 3;
            for (int c = 0; c < dst->channels; c++) {
                const int v = c < 3 ? s[c] : 255;
                const size_t at = (size_t)x * dst->channels + c;
                switch (dst->type) {
                case DCTDIFF_PIXEL_U8: row[at] = (unsigned char)v; break;
                case DCTDIFF_PIXEL_U16: ((uint16_t *)row)[at] = (uint16_t)(v * 257); break;
                case DCTDIFF_PIXEL_F32: ((float *)row)[at] = (float)v / 255.0f; break;
                }
            }
        }
    }
}

/* One finished 8-bit sample into the caller's image: stored at the native
 * size, or upscaled to the asked one (through an image of the caller's
 * channels when it has alpha, as the upscaler keeps channels). */
static dctdiff_status finish_image(const dctdiff_generate_params *p, dctdiff_image *rgb,
                                   dctdiff_image *dst, dctdiff_error *err)
{
    if (dst->width == rgb->width && dst->height == rgb->height) {
        store_image(rgb->data, dst);
        return DCTDIFF_OK;
    }
    dctdiff_upscale_params up;
    dctdiff_upscale_params_init(&up);
    up.threads = p->threads;
    if (dst->channels == rgb->channels)
        return dctdiff_upscale(rgb, dst, &up, err);
    dctdiff_image native;
    dctdiff_status s = dctdiff_image_alloc(&native, rgb->width, rgb->height, dst->channels,
                                           DCTDIFF_PIXEL_U8, err);
    if (s == DCTDIFF_OK) {
        store_image(rgb->data, &native);
        s = dctdiff_upscale(&native, dst, &up, err);
    }
    dctdiff_image_release(&native);
    return s;
}

dctdiff_status dctdiff_generate(const dctdiff_model *m, const dctdiff_generate_params *p,
                                dctdiff_image *out, dctdiff_error *err)
{
    if (!m || !p || !out)
        return dd_fail(err, DCTDIFF_E_ARG, "generate: NULL model, params or images");
    int w, h;
    dctdiff_status s = dctdiff_generate_size(m, p, &w, &h, err);
    if (s != DCTDIFF_OK)
        return s;
    for (int i = 0; i < p->count; i++) {
        const dctdiff_image *o = &out[i];
        if (o->width != w || o->height != h || o->channels < 3 || o->channels > 4 ||
            !o->data || dctdiff_pixel_size(o->type) == 0 ||
            o->stride < (size_t)w * o->channels * dctdiff_pixel_size(o->type))
            return dd_fail(err, DCTDIFF_E_ARG,
                           "output image %d must be %dx%d RGB or RGBA with memory "
                           "(got %dx%d, %d channels)",
                           i, w, h, o->width, o->height, o->channels);
    }
    const int res = m->info.resolution;
    image_sink is = { m, out, { res, res, 3, DCTDIFF_PIXEL_U8, (size_t)res * 3, NULL }, NULL };
    const size_t bytes = (size_t)res * res * 3;
    if (p->count > 0 && !(is.done = malloc(bytes * p->count)))
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for %d images", p->count);
    s = gen_run_samples(m, p, NULL, emit_images, &is, err);
    for (int i = 0; s == DCTDIFF_OK && i < p->count; i++) {
        is.rgb.data = is.done + i * bytes;
        s = finish_image(p, &is.rgb, &out[i], err);
    }
    free(is.done);
    return s;
}
