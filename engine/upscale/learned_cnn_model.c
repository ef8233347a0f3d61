/* learned_cnn_model.c - reads and checks the `learned-cnn` weights (see
 * learned_cnn_model.h).  Shapes chain from the tensors themselves: layer i
 * is conv<i>.weight [out][in][k][k], the first takes one channel (luma) and
 * the last gives factor^2. */
#include "upscale/learned_cnn_model.h"
#include "core/safetensors.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORMAT "dctdiff-learned-upscale"
#define LAYOUT "cnn-residual"

/* The built-in files (learned_weights.S). */
extern const unsigned char dd_learned_cnn_x2[], dd_learned_cnn_x2_end[];
extern const unsigned char dd_learned_cnn_x4[], dd_learned_cnn_x4_end[];

static const struct {
    int factor;
    const char *name;
    const unsigned char *data, *end;
} builtin[] = {
    { 2, "learned-cnn-x2.safetensors", dd_learned_cnn_x2, dd_learned_cnn_x2_end },
    { 4, "learned-cnn-x4.safetensors", dd_learned_cnn_x4, dd_learned_cnn_x4_end },
};

#define BUILTIN_COUNT ((int)(sizeof builtin / sizeof builtin[0]))

static int builtin_index(int factor)
{
    for (int i = 0; i < BUILTIN_COUNT; i++)
        if (builtin[i].factor == factor)
            return i;
    return -1;
}

int cnn_model_has(int factor)
{
    return builtin_index(factor) >= 0;
}

dctdiff_status cnn_model_load(int factor, cnn_model *m, dctdiff_error *err)
{
    int i = builtin_index(factor);
    dctdiff_status st = cnn_model_parse(builtin[i].name, builtin[i].data,
                                        (size_t)(builtin[i].end - builtin[i].data), m, err);
    if (st == DCTDIFF_OK && m->factor != factor) {
        cnn_model_free(m);
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: metadata factor is %d, expected %d",
                       builtin[i].name, m->factor, factor);
    }
    return st;
}

static int round_up(int n)
{
    return (n + CNN_LANES - 1) / CNN_LANES * CNN_LANES;
}

static dctdiff_status all_finite(const char *label, const char *name, const float *v, size_t n,
                             dctdiff_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor %s holds a non-finite value",
                           label, name);
    return DCTDIFF_OK;
}

/* Layer i from conv<i>.weight, taking `in` channels. */
static dctdiff_status read_layer(const safetensors_file *f, const char *label, int i, int in,
                                 cnn_layer *l, dctdiff_error *err)
{
    char wname[32];
    snprintf(wname, sizeof wname, "conv%d.weight", i);
    const safetensors_tensor *w = safetensors_find(f, wname);
    if (!w || w->ndim != 4 || w->shape[1] != in || w->shape[2] != w->shape[3] ||
        w->shape[2] % 2 == 0 || w->shape[2] > CNN_MAX_KERNEL || w->shape[0] < 1 ||
        w->shape[0] > CNN_MAX_CHANNELS)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor %s must be [out <= %d][%d][k][k], "
                       "k odd and at most %d", label, wname, CNN_MAX_CHANNELS, in,
                       CNN_MAX_KERNEL);
    l->k = (int)w->shape[2];
    l->in = in;
    l->out = (int)w->shape[0];
    l->out_padded = round_up(l->out);
    size_t taps = (size_t)l->k * l->k * in;
    float *raw = malloc(w->count * sizeof(float));
    l->w = calloc(taps * l->out_padded, sizeof(float));
    if (!raw || !l->w) {
        free(raw);
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: cannot allocate layer %d", label, i);
    }
    safetensors_read_f32(w, raw);
    dctdiff_status st = all_finite(label, wname, raw, w->count, err);
    /* [out][in][ky][kx] -> [ky][kx][in][out_padded]: the output channels of
     * one tap are contiguous, the engine's inner vector */
    for (int o = 0; o < l->out; o++)
        for (int c = 0; c < in; c++)
            for (int t = 0; t < l->k * l->k; t++)
                l->w[((size_t)t * in + c) * l->out_padded + o] =
                    raw[((size_t)o * in + c) * l->k * l->k + t];
    free(raw);
    return st;
}

static dctdiff_status parse(const char *label, const safetensors_file *f, cnn_model *m,
                            dctdiff_error *err)
{
    const char *format = safetensors_meta(f, "format"), *layout = safetensors_meta(f, "layout");
    const char *factor = safetensors_meta(f, "factor");
    if (!format || strcmp(format, FORMAT) != 0 || !layout || strcmp(layout, LAYOUT) != 0)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: not a learned-cnn upscaling model "
                       "(metadata format \"%s\", layout \"%s\" expected)", label, FORMAT,
                       LAYOUT);
    m->factor = factor && strlen(factor) == 1 ? factor[0] - '0' : 0;
    if (!cnn_model_has(m->factor))
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: metadata factor is %s, expected 2 or 4",
                       label, factor ? factor : "missing");
    dctdiff_status st = DCTDIFF_OK;
    int in = 1;
    char name[32];
    for (m->layers = 0; st == DCTDIFF_OK; m->layers++) {
        snprintf(name, sizeof name, "conv%d.weight", m->layers);
        if (!safetensors_find(f, name))
            break;
        if (m->layers == CNN_MAX_LAYERS)
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: more than %d layers", label,
                           CNN_MAX_LAYERS);
        st = read_layer(f, label, m->layers, in, &m->layer[m->layers], err);
        in = m->layer[m->layers].out;
        m->radius += m->layer[m->layers].k / 2;
    }
    if (st == DCTDIFF_OK && (m->layers == 0 || in != m->factor * m->factor))
        st = dd_fail(err, DCTDIFF_E_FORMAT, "%s: the last layer must give %d channels (one "
                     "per sub-pixel phase)", label, m->factor * m->factor);
    return st;
}

dctdiff_status cnn_model_parse(const char *label, const void *data, size_t size, cnn_model *m,
                               dctdiff_error *err)
{
    memset(m, 0, sizeof *m);
    safetensors_file *f;
    dctdiff_status st = safetensors_parse(label, data, size, &f, err);
    if (st != DCTDIFF_OK)
        return st;
    st = parse(label, f, m, err);
    safetensors_close(f);
    if (st != DCTDIFF_OK)
        cnn_model_free(m);
    return st;
}

void cnn_model_free(cnn_model *m)
{
    for (int i = 0; i < CNN_MAX_LAYERS; i++) {
        free(m->layer[i].w);
        m->layer[i].w = NULL;
    }
}
