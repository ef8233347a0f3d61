/* learned_model.c - reads and checks the `learned` weights (see
 * learned_model.h).  Every shape and number is checked before use: the files
 * are built in, but the same reader takes any file the fuzzer throws at it. */
#include "upscale/learned_model.h"
#include "core/safetensors.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT "dctdiff-learned-upscale"

/* The built-in files (learned_weights.S). */
extern const unsigned char dd_learned_x2[], dd_learned_x2_end[];
extern const unsigned char dd_learned_x4[], dd_learned_x4_end[];

int learned_model_has(int factor)
{
    return factor == 2 || factor == 4;
}

dctdiff_status learned_model_load(int factor, learned_model *m, dctdiff_error *err)
{
    if (factor == 2)
        return learned_model_parse("learned-x2.safetensors", dd_learned_x2,
                                   (size_t)(dd_learned_x2_end - dd_learned_x2), m, err);
    return learned_model_parse("learned-x4.safetensors", dd_learned_x4,
                               (size_t)(dd_learned_x4_end - dd_learned_x4), m, err);
}

static dctdiff_status meta_int(const safetensors_file *f, const char *label, const char *key,
                               int lo, int hi, int *out, dctdiff_error *err)
{
    const char *v = safetensors_meta(f, key);
    char *end;
    long n = v ? strtol(v, &end, 10) : 0;
    if (!v || end == v || *end || n < lo || n > hi)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: metadata %s is %s%s%s, expected %d to %d",
                       label, key, v ? "\"" : "missing", v ? v : "", v ? "\"" : "", lo, hi);
    *out = (int)n;
    return DCTDIFF_OK;
}

/* The tensor `name` as a vector of n finite values, widened to double. */
static dctdiff_status read_vector(const safetensors_file *f, const char *label, const char *name,
                                  int n, double *out, dctdiff_error *err)
{
    const safetensors_tensor *t = safetensors_find(f, name);
    if (!t || t->ndim != 1 || t->shape[0] != n)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor %s must be a vector of %d values",
                       label, name, n);
    float v[2 * LEARNED_MAX_RADIUS + 1];
    safetensors_read_f32(t, v);
    for (int i = 0; i < n; i++) {
        if (!isfinite(v[i]))
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor %s holds a non-finite value",
                           label, name);
        out[i] = v[i];
    }
    return DCTDIFF_OK;
}

static int ascending(const double *v, int n)
{
    for (int i = 1; i < n; i++)
        if (!(v[i] >= v[i - 1]))
            return 0;
    return 1;
}

/* Shape [factor^2][angles][strengths][coherences][taps]; the hash sizes come
 * from it and the edge vectors must agree. */
static dctdiff_status read_shape(const safetensors_file *f, const char *label, learned_model *m,
                                 const safetensors_tensor **out, dctdiff_error *err)
{
    const safetensors_tensor *t = safetensors_find(f, "filters");
    if (!t || t->ndim != 5 || t->shape[0] != m->factor * m->factor ||
        t->shape[4] != learned_model_taps(m))
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: tensor filters must be [%d][angles][strengths][coherences][%d]",
                       label, m->factor * m->factor, learned_model_taps(m));
    if (t->shape[1] < 1 || t->shape[1] > 64 || t->shape[2] < 1 ||
        t->shape[2] > LEARNED_MAX_EDGES + 1 || t->shape[3] < 1 ||
        t->shape[3] > LEARNED_MAX_EDGES + 1)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: filters hash %lldx%lldx%lld is out of range (angles 1..64, "
                       "strengths and coherences 1..%d)", label, (long long)t->shape[1],
                       (long long)t->shape[2], (long long)t->shape[3], LEARNED_MAX_EDGES + 1);
    m->angles = (int)t->shape[1];
    m->strengths = (int)t->shape[2];
    m->coherences = (int)t->shape[3];
    *out = t;
    return DCTDIFF_OK;
}

static dctdiff_status parse(const char *label, const safetensors_file *f, learned_model *m,
                            dctdiff_error *err)
{
    const char *format = safetensors_meta(f, "format");
    if (!format || strcmp(format, FORMAT) != 0)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: not a learned upscaling model (metadata "
                       "format is not \"%s\")", label, FORMAT);
    dctdiff_status st = meta_int(f, label, "factor", 2, 4, &m->factor, err);
    if (st == DCTDIFF_OK && !learned_model_has(m->factor))
        st = dd_fail(err, DCTDIFF_E_FORMAT, "%s: factor %d is not 2 or 4", label, m->factor);
    if (st == DCTDIFF_OK)
        st = meta_int(f, label, "radius", 1, LEARNED_MAX_RADIUS, &m->radius, err);
    const safetensors_tensor *w = safetensors_find(f, "window"), *filt = NULL;
    if (st == DCTDIFF_OK && (!w || w->ndim != 1 || w->shape[0] % 2 == 0 ||
                             w->shape[0] > 2 * LEARNED_MAX_RADIUS + 1))
        st = dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor window must be an odd vector of at "
                     "most %d values", label, 2 * LEARNED_MAX_RADIUS + 1);
    if (st == DCTDIFF_OK) {
        m->window_radius = (int)(w->shape[0] / 2);
        st = read_vector(f, label, "window", (int)w->shape[0], m->window, err);
    }
    if (st == DCTDIFF_OK)
        st = read_shape(f, label, m, &filt, err);
    if (st == DCTDIFF_OK)
        st = read_vector(f, label, "strength_edges", m->strengths - 1, m->strength_edges, err);
    if (st == DCTDIFF_OK)
        st = read_vector(f, label, "coherence_edges", m->coherences - 1, m->coherence_edges,
                         err);
    if (st == DCTDIFF_OK && (!ascending(m->strength_edges, m->strengths - 1) ||
                             !ascending(m->coherence_edges, m->coherences - 1)))
        st = dd_fail(err, DCTDIFF_E_FORMAT, "%s: strength and coherence edges must ascend",
                     label);
    if (st != DCTDIFF_OK)
        return st;
    m->filters = malloc(filt->count * sizeof(float));
    if (!m->filters)
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: cannot allocate %zu filter taps", label,
                       filt->count);
    safetensors_read_f32(filt, m->filters);
    for (size_t i = 0; i < filt->count; i++)
        if (!isfinite(m->filters[i]))
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor filters holds a non-finite value",
                           label);
    return DCTDIFF_OK;
}

dctdiff_status learned_model_parse(const char *label, const void *data, size_t size,
                                   learned_model *m, dctdiff_error *err)
{
    memset(m, 0, sizeof *m);
    safetensors_file *f;
    dctdiff_status st = safetensors_parse(label, data, size, &f, err);
    if (st != DCTDIFF_OK)
        return st;
    st = parse(label, f, m, err);
    safetensors_close(f);
    if (st != DCTDIFF_OK)
        learned_model_free(m);
    return st;
}

void learned_model_free(learned_model *m)
{
    free(m->filters);
    m->filters = NULL;
}
