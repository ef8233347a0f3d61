/* edit.c - dctdiff_edit: sampling that starts from the caller's image and
 * keeps its known parts (dctdiff.h has the three uses and what is lost).
 *
 * Everything happens on the tokens of the image at the model's size, x0:
 * the start state is the forward process at t_start, a x0 + s z; after
 * every update from t_hi to t_lo the known values are set to a x0 + s z
 * with fresh z, and a RePaint jump takes the whole state back to t_hi with
 * the forward transition from t_lo.  Every draw is keyed by (seed, sample,
 * stream, pass, step), so results do not depend on threads or batches. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "generate/edit_image.h"
#include "generate/generate.h"
#include "generate/rng.h"
#include "model/model.h"

void dctdiff_edit_params_init(dctdiff_edit_params *p)
{
    memset(p, 0, sizeof *p);
    dctdiff_generate_params_init(&p->gen);
    p->strength = -1.0;
    p->resample = -1;
}

typedef struct {
    const dctdiff_model *m;
    const dctdiff_edit_params *p;
    double strength;
    int resample;
    size_t len;              /* floats in one sample's tokens */
    float *x0;               /* the input's tokens */
    unsigned char *known;    /* per token value: 1 = kept from x0 */
    int first, n;            /* the batch in flight */
    vp_schedule sched;
    float *z;                /* one sample of noise */
    dctdiff_image rgb;       /* one generated sample, 8-bit, model size */
    unsigned char *done;     /* every generated sample, kept until success */
} edit_run;

/* x (holding seeded noise z) <- a x0 + s z at the start time. */
static void start_batch(void *user, int first, int n, const vp_schedule *sched, float *x)
{
    edit_run *e = user;
    e->first = first, e->n = n, e->sched = *sched;
    const double a = sched_alpha(sched, e->strength), s = sched_sigma(sched, e->strength);
    for (int b = 0; b < n; b++)
        for (size_t k = 0; k < e->len; k++)
            x[b * e->len + k] = (float)(a * e->x0[k] + s * x[b * e->len + k]);
}

static void draw(const edit_run *e, int b, rng_stream stream, int pass, int step)
{
    rng_normal(e->p->gen.seed, (uint32_t)(e->first + b), rng_step_key(stream, pass, step), 0,
               e->len, e->z);
}

static dctdiff_status after_update(void *user, int step, int pass, double t_hi, double t_lo,
                                   float *x, int *again)
{
    edit_run *e = user;
    const double a = sched_alpha(&e->sched, t_lo), s = sched_sigma(&e->sched, t_lo);
    for (int b = 0; b < e->n; b++) {
        float *xs = x + b * e->len;
        draw(e, b, RNG_STREAM_KNOWN, pass, step);
        for (size_t k = 0; k < e->len; k++)
            if (e->known[k])
                xs[k] = (float)(a * e->x0[k] + s * e->z[k]);
    }
    *again = pass < e->resample;
    if (!*again)
        return DCTDIFF_OK;
    /* forward from t_lo to t_hi: x_hi = r x_lo + g z, g^2 = s_hi^2 - r^2 s_lo^2 */
    const double r = sched_alpha(&e->sched, t_hi) / a, s_hi = sched_sigma(&e->sched, t_hi);
    const double g2 = s_hi * s_hi - r * r * s * s, g = g2 > 0.0 ? sqrt(g2) : 0.0;
    for (int b = 0; b < e->n; b++) {
        float *xs = x + b * e->len;
        draw(e, b, RNG_STREAM_JUMP, pass, step);
        for (size_t k = 0; k < e->len; k++)
            xs[k] = (float)(r * xs[k] + g * e->z[k]);
    }
    return DCTDIFF_OK;
}

/* The final tokens, with the known values exactly the input's -> 8 bits. */
static dctdiff_status emit(void *user, int first, int n, const float *tokens,
                           dctdiff_error *err)
{
    edit_run *e = user;
    const size_t bytes = (size_t)e->rgb.height * e->rgb.stride;
    float *x = malloc(sizeof(float) * e->len);
    if (!x)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for one sample's tokens");
    dctdiff_status s = DCTDIFF_OK;
    for (int i = 0; s == DCTDIFF_OK && i < n; i++) {
        for (size_t k = 0; k < e->len; k++)
            x[k] = e->known[k] ? e->x0[k] : tokens[i * e->len + k];
        e->rgb.data = e->done + (first + i) * bytes;
        s = dctdiff_detokenize(&e->m->info.layout, x, &e->rgb, err);
    }
    free(x);
    return s;
}

/* ------------------------------------------------------------------------ */

static const char *sampler_name(dctdiff_sampler kind)
{
    for (const dctdiff_enum_entry *t = dctdiff_samplers(); t->name; t++)
        if (t->value == (int)kind)
            return t->name;
    return "unknown";
}

/* "a, b, ..." of the samplers that can edit, from sampler_can_condition. */
static void editing_samplers(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const dctdiff_enum_entry *t = dctdiff_samplers(); t->name; t++)
        if (sampler_can_condition((dctdiff_sampler)t->value) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "", t->name);
}

static dctdiff_status check_images(const dctdiff_image *init, const dctdiff_edit_params *p,
                                   const dctdiff_image *out, dctdiff_error *err)
{
    dctdiff_status s = edit_image_check(init, "input", err);
    if (s != DCTDIFF_OK)
        return s;
    if (p->mask && ((s = edit_image_check(p->mask, "mask", err)) != DCTDIFF_OK))
        return s;
    if (p->mask && (p->mask->channels != 1 || p->mask->width != init->width ||
                    p->mask->height != init->height))
        return dd_fail(err, DCTDIFF_E_ARG, "mask is %dx%d with %d channels; it must be "
                       "one channel of the input's size %dx%d", p->mask->width,
                       p->mask->height, p->mask->channels, init->width, init->height);
    for (int i = 0; i < p->gen.count; i++) {
        if ((s = edit_image_check(&out[i], "output", err)) != DCTDIFF_OK)
            return s;
        if (out[i].width != init->width || out[i].height != init->height ||
            out[i].channels != init->channels || out[i].type != init->type)
            return dd_fail(err, DCTDIFF_E_ARG, "output image %d must match the input "
                           "(%dx%d, %d channels, the same pixel type)", i, init->width,
                           init->height, init->channels);
    }
    return DCTDIFF_OK;
}

/* Fills the automatic choices and checks the edit's own fields. */
static dctdiff_status resolve(const dctdiff_model *m, const dctdiff_edit_params *p,
                              edit_run *e, dctdiff_error *err)
{
    const int known = p->mask != NULL || p->keep_low > 0;
    const int B = m->info.layout.block_size;
    e->strength = p->strength >= 0.0 ? p->strength
                  : known ? DCTDIFF_EDIT_KNOWN_STRENGTH : DCTDIFF_EDIT_VARIATION_STRENGTH;
    e->resample = p->resample >= 0 ? p->resample : known ? DCTDIFF_EDIT_KNOWN_RESAMPLE : 0;
    if (!(e->strength <= 1.0) || (e->strength > 0.0 && e->strength < SAMPLER_MIN_START))
        return dd_fail(err, DCTDIFF_E_ARG, "strength %g is outside 0..1 (0, or at least %g)",
                       p->strength, SAMPLER_MIN_START);
    if (p->keep_low < 0 || p->keep_low > B * B)
        return dd_fail(err, DCTDIFF_E_ARG, "keep-low %d is outside 0..%d (the model's "
                       "%dx%d blocks)", p->keep_low, B * B, B, B);
    if (e->resample > DCTDIFF_EDIT_MAX_RESAMPLE)
        return dd_fail(err, DCTDIFF_E_ARG, "resample %d is above %d", e->resample,
                       DCTDIFF_EDIT_MAX_RESAMPLE);
    const dctdiff_sampler kind = p->gen.sampler == DCTDIFF_SAMPLER_DEFAULT
                                 ? m->info.default_sampler : p->gen.sampler;
    if (!sampler_can_condition(kind)) {
        char usable[256];
        editing_samplers(usable, sizeof usable);
        return dd_fail(err, DCTDIFF_E_UNSUPPORTED, "sampler '%s' cannot edit an image; "
                       "use one of %s", sampler_name(kind), usable);
    }
    if (!known)
        e->resample = 0;  /* a jump only helps the generated part meet a known one */
    return DCTDIFF_OK;
}

static void run_free(edit_run *e)
{
    free(e->x0);
    free(e->known);
    free(e->z);
    free(e->done);
}

/* The input's tokens and what is known of them. */
static dctdiff_status prepare(const dctdiff_image *init, edit_run *e, dctdiff_error *err)
{
    const dctdiff_model_info *in = &e->m->info;
    const int res = in->resolution;
    const size_t bytes = (size_t)res * res * 3;
    e->len = (size_t)in->tokens * in->token_dim;
    e->rgb = (dctdiff_image){ res, res, 3, DCTDIFF_PIXEL_U8, (size_t)res * 3, NULL };
    e->x0 = malloc(sizeof(float) * e->len);
    e->z = malloc(sizeof(float) * e->len);
    e->known = malloc(e->len);
    e->done = malloc(bytes * (size_t)e->p->gen.count);
    if (!e->x0 || !e->z || !e->known || !e->done)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for %d edits", e->p->gen.count);
    e->rgb.data = e->done;
    dctdiff_status s = edit_image_to_model(init, &e->rgb, err);
    if (s == DCTDIFF_OK)
        s = dctdiff_tokenize(&in->layout, &e->rgb, e->x0, err);
    edit_image_known(&in->layout, e->p->mask, init->width, init->height, e->p->keep_low,
                     e->known);
    return s;
}

static int any_known(const edit_run *e)
{
    for (size_t k = 0; k < e->len; k++)
        if (e->known[k])
            return 1;
    return 0;
}

dctdiff_status dctdiff_edit(const dctdiff_model *m, const dctdiff_image *init,
                            const dctdiff_edit_params *p, dctdiff_image *out,
                            dctdiff_error *err)
{
    if (!m || !p || !out)
        return dd_fail(err, DCTDIFF_E_ARG, "edit: NULL model, params or images");
    edit_run e = { .m = m, .p = p };
    if (p->gen.upscale_factor != 1.0 || p->gen.width || p->gen.height)
        return dd_fail(err, DCTDIFF_E_ARG, "edit keeps the input's size: the generate "
                       "params' upscale_factor, width and height must stay unset");
    dctdiff_status s = gen_check_params(m, &p->gen, err);
    if (s == DCTDIFF_OK)
        s = check_images(init, p, out, err);
    if (s == DCTDIFF_OK)
        s = resolve(m, p, &e, err);
    if (s != DCTDIFF_OK)
        return s;
    if (e.strength == 0.0) {
        for (int i = 0; i < p->gen.count; i++)
            edit_image_copy(init, &out[i]);
        return DCTDIFF_OK;
    }
    if ((s = prepare(init, &e, err)) == DCTDIFF_OK) {
        const int known = any_known(&e);
        const gen_condition cond = { start_batch,
                                     { e.strength, known ? after_update : NULL, &e },
                                     known ? 1 + e.resample : 1 };
        s = gen_run_samples(m, &p->gen, &cond, emit, &e, err);
    }
    const size_t bytes = (size_t)e.rgb.height * e.rgb.stride;
    for (int i = 0; s == DCTDIFF_OK && i < p->gen.count; i++) {
        e.rgb.data = e.done + i * bytes;
        s = edit_image_composite(&e.rgb, init, p->mask, &out[i], err);
    }
    run_free(&e);
    return s;
}
