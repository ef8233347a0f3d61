/* model.c - load a DCTdiff model file (docs/model-format.md).
 *
 * The metadata becomes dctdiff_model_info; the tensors are checked against
 * one table that binds each safetensors name to a field of model.h and its
 * expected shape, then converted to float32 into one arena.  A file with a
 * missing, extra or mis-shaped tensor does not load: a wrong model must not
 * produce plausible-looking noise. */
#include "model/model.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dct.h"
#include "core/safetensors.h"
#include "core/status.h"

#define FORMAT_VERSION 1

/* ------------------------------------------------------------------------ */
/* Metadata                                                                 */

typedef struct {
    dctdiff_model *m;
    const char *label;   /* file name for messages */
    dctdiff_error *err;
} meta_reader;

static dctdiff_status meta_missing(const meta_reader *r, const char *key)
{
    return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: metadata key '%s' is missing", r->label, key);
}

static dctdiff_status meta_bad(const meta_reader *r, const char *key, const char *why)
{
    return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: metadata '%s' = '%.40s': %s", r->label, key,
                   dctdiff_model_get_meta(r->m, key), why);
}

/* A string value; def NULL makes the key required. */
static dctdiff_status meta_str(const meta_reader *r, const char *key, const char *def,
                               const char **out)
{
    const char *v = dctdiff_model_get_meta(r->m, key);
    if (!v && !def)
        return meta_missing(r, key);
    *out = v ? v : def;
    return DCTDIFF_OK;
}

static dctdiff_status meta_int(const meta_reader *r, const char *key, long lo, long hi, int *out)
{
    const char *v = dctdiff_model_get_meta(r->m, key);
    if (!v)
        return meta_missing(r, key);
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno)
        return meta_bad(r, key, "not an integer");
    if (x < lo || x > hi) {
        char why[64];
        snprintf(why, sizeof why, "out of range %ld..%ld", lo, hi);
        return meta_bad(r, key, why);
    }
    *out = (int)x;
    return DCTDIFF_OK;
}

/* Metadata numbers are written with a '.' whatever the reader's locale (GIMP
 * runs plug-ins in the user's, where it may be a comma), so they are parsed
 * in the C locale, switched for this thread only. */
static double strtod_c(const char *s, char **end)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t previous = c ? uselocale(c) : (locale_t)0;
    double x = strtod(s, end);
    if (c) {
        uselocale(previous);
        freelocale(c);
    }
    return x;
}

/* A finite number above lo. */
static dctdiff_status meta_double(const meta_reader *r, const char *key, double lo, double *out)
{
    const char *v = dctdiff_model_get_meta(r->m, key);
    if (!v)
        return meta_missing(r, key);
    char *end;
    double x = strtod_c(v, &end);
    if (end == v || *end || !isfinite(x))
        return meta_bad(r, key, "not a finite number");
    if (!(x > lo)) {
        char why[64];
        snprintf(why, sizeof why, "must be greater than %g", lo);
        return meta_bad(r, key, why);
    }
    *out = x;
    return DCTDIFF_OK;
}

/* A name from an engine name table; a wrong one is refused with the list. */
/* dflt: the name an absent key stands for, NULL when the key is required. */
static dctdiff_status meta_choice(const meta_reader *r, const char *key, const char *dflt,
                                  const dctdiff_enum_entry *table, int *out)
{
    const char *v = NULL;
    dctdiff_status st = meta_str(r, key, dflt, &v);
    if (st != DCTDIFF_OK)
        return st;
    *out = dctdiff_enum_lookup(table, v);
    if (*out >= 0)
        return DCTDIFF_OK;
    char why[128] = "must be one of ";
    for (const dctdiff_enum_entry *e = table; e->name; e++) {
        if (e != table)
            strncat(why, ", ", sizeof why - strlen(why) - 1);
        strncat(why, e->name, sizeof why - strlen(why) - 1);
    }
    return meta_bad(r, key, why);
}

static const dctdiff_enum_entry chroma_table[] = {
    { DCTDIFF_CHROMA_420, "420", "4:2:0" },
    { DCTDIFF_CHROMA_444, "444", "4:4:4" },
    { 0, NULL, NULL },
};

static const dctdiff_enum_entry prediction_table[] = {
    { DCTDIFF_PREDICT_NOISE, "noise", "noise" },
    { DCTDIFF_PREDICT_V, "v", "v (alpha noise - sigma image)" },
    { 0, NULL, NULL },
};

static dctdiff_status read_order(const meta_reader *r, int B)
{
    const char *v = dctdiff_model_get_meta(r->m, "dct.order");
    r->m->info.layout.order = r->m->order;
    if (!v) {
        dct_zigzag(B, r->m->order);
        return DCTDIFF_OK;
    }
    int seen[256] = {0}, n = 0, ok = 0;
    for (const char *p = v;;) {
        char *end;
        long x = strtol(p, &end, 10);
        if (end == p || x < 0 || x >= B * B || n == B * B || seen[x])
            break;
        seen[x] = 1;
        r->m->order[n++] = (int)x;
        if (*end != ',') {
            ok = *end == '\0';
            break;
        }
        p = end + 1;
    }
    if (!ok || n != B * B) {
        char why[64];
        snprintf(why, sizeof why, "must list each of 0..%d once", B * B - 1);
        return meta_bad(r, "dct.order", why);
    }
    return DCTDIFF_OK;
}

/* The token layout; its rules live in tokens.c, the file only has to
 * agree with them and with its own dct.tokens. */
static dctdiff_status read_layout(const meta_reader *r)
{
    dctdiff_model_info *in = &r->m->info;
    dctdiff_token_layout *l = &in->layout;
    int res = 0, chroma = 0;
    dctdiff_status st;
    if ((st = meta_int(r, "dct.resolution", 1, 1 << 16, &res)) ||
        (st = meta_int(r, "dct.block_size", 1, 16, &l->block_size)) ||
        (st = meta_int(r, "dct.low_freqs", 1, 256, &l->low_freqs)) ||
        (st = meta_choice(r, "dct.chroma", NULL, chroma_table, &chroma)) ||
        (st = meta_double(r, "dct.eta", 0.0, &l->eta)) ||
        (st = meta_int(r, "dct.tokens", 1, 1 << 24, &in->tokens)))
        return st;
    in->resolution = l->width = l->height = res;
    l->chroma = (dctdiff_chroma)chroma;
    dctdiff_error why;
    if (dctdiff_token_layout_check(l, &why) != DCTDIFF_OK)
        return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: metadata dct.*: %s", r->label, why.msg);
    if (in->tokens != dctdiff_token_count(l))
        return meta_bad(r, "dct.tokens", "does not match resolution and block_size");
    in->token_dim = dctdiff_token_dim(l);
    return read_order(r, l->block_size);
}

static dctdiff_status read_arch(const meta_reader *r)
{
    dctdiff_model *m = r->m;
    dctdiff_model_info *in = &m->info;
    int ratio;
    dctdiff_status st;
    if ((st = meta_int(r, "arch.embed_dim", 1, 65536, &in->embed_dim)) ||
        (st = meta_int(r, "arch.depth", 2, 256, &in->depth)) ||
        (st = meta_int(r, "arch.num_heads", 1, 65536, &in->num_heads)) ||
        (st = meta_int(r, "arch.mlp_ratio", 1, 64, &ratio)) ||
        (st = meta_int(r, "arch.qkv_bias", 0, 1, &m->qkv_bias)) ||
        (st = meta_int(r, "arch.mlp_time_embed", 0, 1, &m->mlp_time_embed)) ||
        (st = meta_int(r, "arch.num_classes", 0, 1 << 20, &in->num_classes)))
        return st;
    if (in->embed_dim % in->num_heads)
        return meta_bad(r, "arch.num_heads", "does not divide arch.embed_dim");
    m->mlp_hidden = ratio * in->embed_dim;
    m->extras = in->num_classes > 0 ? 2 : 1;
    return DCTDIFF_OK;
}

static dctdiff_status read_meta(const meta_reader *r)
{
    dctdiff_model_info *in = &r->m->info;
    const char *format = NULL;
    int version, sampler, prediction;
    dctdiff_status st;
    if ((st = meta_str(r, "format", NULL, &format)))
        return st;
    if (strcmp(format, "dctdiff") != 0)
        return meta_bad(r, "format", "not a DCTdiff model");
    if ((st = meta_int(r, "format_version", 1, 1 << 20, &version)))
        return st;
    if (version != FORMAT_VERSION)
        return dd_fail(r->err, DCTDIFF_E_UNSUPPORTED,
                       "%s: format_version %d, this engine reads version %d", r->label, version,
                       FORMAT_VERSION);
    if ((st = meta_str(r, "name", NULL, &in->name)) ||
        (st = meta_str(r, "description", "", &in->description)) ||
        (st = meta_str(r, "train.dataset", "", &in->dataset)) ||
        (st = read_arch(r)) || (st = read_layout(r)) ||
        (st = meta_double(r, "schedule.beta_min", 0.0, &in->beta_min)) ||
        (st = meta_double(r, "schedule.beta_max", in->beta_min, &in->beta_max)) ||
        (st = meta_double(r, "schedule.snr_scale", 0.0, &in->snr_scale)) ||
        (st = meta_choice(r, "schedule.prediction", "noise", prediction_table, &prediction)) ||
        (st = meta_choice(r, "sampler.default", NULL, dctdiff_samplers(), &sampler)) ||
        (st = meta_int(r, "sampler.steps", 1, 1000, &in->default_steps)))
        return st;
    in->default_sampler = (dctdiff_sampler)sampler;
    in->prediction = (dctdiff_prediction)prediction;
    return DCTDIFF_OK;
}

static dctdiff_status copy_meta(dctdiff_model *m, const char *const *keys,
                                const char *const *values, int n, const char *label,
                                dctdiff_error *err)
{
    m->meta_keys = calloc((size_t)n + 1, sizeof *m->meta_keys);
    m->meta_values = calloc((size_t)n + 1, sizeof *m->meta_values);
    if (!m->meta_keys || !m->meta_values)
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the metadata", label);
    for (; m->meta_count < n; m->meta_count++) {
        int i = m->meta_count;
        m->meta_keys[i] = strdup(keys[i]);
        m->meta_values[i] = strdup(values[i]);
        if (!m->meta_keys[i] || !m->meta_values[i]) {
            m->meta_count++;
            return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the metadata", label);
        }
    }
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* The tensor table                                                         */

/* Dimension symbols, resolved against the loaded architecture. */
enum { DIM_END = 0, DIM_1, DIM_D, DIM_2D, DIM_3D, DIM_4D, DIM_HIDDEN, DIM_K, DIM_SEQ, DIM_CLASSES };

/* When a tensor exists. */
enum { ALWAYS, IF_QKV_BIAS, IF_TIME_MLP, IF_CLASSES, IF_OUT_BLOCK };

typedef struct {
    const char *name;
    int when;
    int dims[3];
    size_t offset;   /* of the const float * field in its struct */
} field_spec;

#define MODEL_FIELD(f) offsetof(struct dctdiff_model, f)
#define BLOCK_FIELD(f) offsetof(uvit_block, f)

static const field_spec model_fields[] = {
    {"pos_embed", ALWAYS, {DIM_1, DIM_SEQ, DIM_D}, MODEL_FIELD(pos_embed)},
    {"proj.weight", ALWAYS, {DIM_D, DIM_K}, MODEL_FIELD(proj_w)},
    {"proj.bias", ALWAYS, {DIM_D}, MODEL_FIELD(proj_b)},
    {"label_emb.weight", IF_CLASSES, {DIM_CLASSES, DIM_D}, MODEL_FIELD(label_emb)},
    {"time_embed.0.weight", IF_TIME_MLP, {DIM_4D, DIM_D}, MODEL_FIELD(time_w0)},
    {"time_embed.0.bias", IF_TIME_MLP, {DIM_4D}, MODEL_FIELD(time_b0)},
    {"time_embed.2.weight", IF_TIME_MLP, {DIM_D, DIM_4D}, MODEL_FIELD(time_w2)},
    {"time_embed.2.bias", IF_TIME_MLP, {DIM_D}, MODEL_FIELD(time_b2)},
    {"norm.weight", ALWAYS, {DIM_D}, MODEL_FIELD(norm_w)},
    {"norm.bias", ALWAYS, {DIM_D}, MODEL_FIELD(norm_b)},
    {"decoder_pred.weight", ALWAYS, {DIM_K, DIM_D}, MODEL_FIELD(dec_w)},
    {"decoder_pred.bias", ALWAYS, {DIM_K}, MODEL_FIELD(dec_b)},
};

static const field_spec block_fields[] = {
    {"norm1.weight", ALWAYS, {DIM_D}, BLOCK_FIELD(norm1_w)},
    {"norm1.bias", ALWAYS, {DIM_D}, BLOCK_FIELD(norm1_b)},
    {"attn.qkv.weight", ALWAYS, {DIM_3D, DIM_D}, BLOCK_FIELD(qkv_w)},
    {"attn.qkv.bias", IF_QKV_BIAS, {DIM_3D}, BLOCK_FIELD(qkv_b)},
    {"attn.proj.weight", ALWAYS, {DIM_D, DIM_D}, BLOCK_FIELD(proj_w)},
    {"attn.proj.bias", ALWAYS, {DIM_D}, BLOCK_FIELD(proj_b)},
    {"norm2.weight", ALWAYS, {DIM_D}, BLOCK_FIELD(norm2_w)},
    {"norm2.bias", ALWAYS, {DIM_D}, BLOCK_FIELD(norm2_b)},
    {"mlp.fc1.weight", ALWAYS, {DIM_HIDDEN, DIM_D}, BLOCK_FIELD(fc1_w)},
    {"mlp.fc1.bias", ALWAYS, {DIM_HIDDEN}, BLOCK_FIELD(fc1_b)},
    {"mlp.fc2.weight", ALWAYS, {DIM_D, DIM_HIDDEN}, BLOCK_FIELD(fc2_w)},
    {"mlp.fc2.bias", ALWAYS, {DIM_D}, BLOCK_FIELD(fc2_b)},
    {"skip_linear.weight", IF_OUT_BLOCK, {DIM_D, DIM_2D}, BLOCK_FIELD(skip_w)},
    {"skip_linear.bias", IF_OUT_BLOCK, {DIM_D}, BLOCK_FIELD(skip_b)},
};

#define COUNT(a) (sizeof a / sizeof a[0])

/* One expected tensor, bound to the field it fills. */
typedef struct {
    char name[64];
    int ndim;
    int64_t shape[3];
    const float **field;
    const safetensors_tensor *tensor;
} binding;

static int64_t dim_value(const dctdiff_model *m, int sym)
{
    int64_t d = m->info.embed_dim;
    switch (sym) {
    case DIM_1: return 1;
    case DIM_D: return d;
    case DIM_2D: return 2 * d;
    case DIM_3D: return 3 * d;
    case DIM_4D: return 4 * d;
    case DIM_HIDDEN: return m->mlp_hidden;
    case DIM_K: return m->info.token_dim;
    case DIM_SEQ: return (int64_t)m->extras + m->info.tokens;
    case DIM_CLASSES: return m->info.num_classes;
    }
    return 0;
}

static int field_present(const dctdiff_model *m, int when, int out_block)
{
    switch (when) {
    case IF_QKV_BIAS: return m->qkv_bias;
    case IF_TIME_MLP: return m->mlp_time_embed;
    case IF_CLASSES: return m->info.num_classes > 0;
    case IF_OUT_BLOCK: return out_block;
    }
    return 1;
}

/* Appends the bindings of specs (prefix + name) for the struct at base. */
static void bind_fields(const dctdiff_model *m, const field_spec *specs, size_t n,
                        const char *prefix, void *base, int out_block, binding *b, int *count)
{
    for (size_t i = 0; i < n; i++) {
        if (!field_present(m, specs[i].when, out_block))
            continue;
        binding *x = &b[(*count)++];
        snprintf(x->name, sizeof x->name, "%s%s", prefix, specs[i].name);
        x->ndim = 0;
        while (x->ndim < 3 && specs[i].dims[x->ndim] != DIM_END) {
            x->shape[x->ndim] = dim_value(m, specs[i].dims[x->ndim]);
            x->ndim++;
        }
        x->field = (const float **)((char *)base + specs[i].offset);
        x->tensor = NULL;
    }
}

/* The whole table: model-level tensors, then every block, one loop. */
static int bind_all(dctdiff_model *m, binding *b)
{
    int count = 0, half = m->info.depth / 2;
    char prefix[32];
    bind_fields(m, model_fields, COUNT(model_fields), "", m, 0, b, &count);
    for (int i = 0; i < half; i++) {
        snprintf(prefix, sizeof prefix, "in_blocks.%d.", i);
        bind_fields(m, block_fields, COUNT(block_fields), prefix, &m->in_blocks[i], 0, b, &count);
        snprintf(prefix, sizeof prefix, "out_blocks.%d.", i);
        bind_fields(m, block_fields, COUNT(block_fields), prefix, &m->out_blocks[i], 1, b, &count);
    }
    bind_fields(m, block_fields, COUNT(block_fields), "mid_block.", &m->mid_block, 0, b, &count);
    return count;
}

static void format_shape(char *buf, size_t size, int ndim, const int64_t *shape)
{
    size_t used = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < ndim && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%lld", i ? ", " : "",
                                 (long long)shape[i]);
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

static dctdiff_status match_tensor(binding *x, const safetensors_file *f, const char *label,
                                   dctdiff_error *err)
{
    x->tensor = safetensors_find(f, x->name);
    if (!x->tensor)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: missing tensor '%s'", label, x->name);
    const safetensors_tensor *t = x->tensor;
    int same = t->ndim == x->ndim;
    for (int i = 0; same && i < x->ndim; i++)
        same = t->shape[i] == x->shape[i];
    if (!same) {
        char got[96], want[64];
        format_shape(got, sizeof got, t->ndim, t->shape);
        format_shape(want, sizeof want, x->ndim, x->shape);
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s' has shape %s, expected %s", label,
                       x->name, got, want);
    }
    return DCTDIFF_OK;
}

static dctdiff_status check_unexpected(const binding *b, int n, const safetensors_file *f,
                                       const char *label, dctdiff_error *err)
{
    for (int i = 0; i < f->count; i++) {
        int known = 0;
        for (int j = 0; j < n && !known; j++)
            known = b[j].tensor == &f->tensors[i];
        if (!known)
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: unexpected tensor '%s' (not part of this "
                           "architecture)", label, f->tensors[i].name);
    }
    return DCTDIFF_OK;
}

/* Binds, checks and converts every tensor into the float32 arena. */
static dctdiff_status load_tensors(dctdiff_model *m, const safetensors_file *f, const char *label,
                                   model_weights weights, dctdiff_error *err)
{
    int depth = m->info.depth;
    size_t max = COUNT(model_fields) + (size_t)(depth + 1) * COUNT(block_fields);
    m->block_store = calloc((size_t)depth, sizeof *m->block_store);
    binding *b = calloc(max, sizeof *b);
    if (!m->block_store || !b) {
        free(b);
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the tensor table", label);
    }
    m->in_blocks = m->block_store;
    m->out_blocks = m->block_store + depth / 2;
    int n = bind_all(m, b);

    dctdiff_status st = DCTDIFF_OK;
    size_t total = 0;
    for (int i = 0; i < n && st == DCTDIFF_OK; i++) {
        st = match_tensor(&b[i], f, label, err);
        if (st == DCTDIFF_OK)
            total += b[i].tensor->count;   /* each checked, their sum fits the file */
    }
    if (st == DCTDIFF_OK)
        st = check_unexpected(b, n, f, label, err);
    m->info.parameters = (long long)total;
    if (weights == MODEL_SHAPES_ONLY) {
        free(b);
        return st;
    }
    size_t bytes = st == DCTDIFF_OK ? dd_mul_size(total, sizeof(float), err) : 0;
    if (st == DCTDIFF_OK && (bytes == 0 || !(m->arena = malloc(bytes))))
        st = dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for %zu weights", label, total);
    float *dst = m->arena;
    for (int i = 0; i < n && st == DCTDIFF_OK; i++) {
        safetensors_read_f32(b[i].tensor, dst);
        safetensors_release(f, b[i].tensor);
        *b[i].field = dst;
        dst += b[i].tensor->count;
    }
    free(b);
    return st;
}

dctdiff_status model_foreach_tensor(const dctdiff_model *m, model_tensor_fn fn,
                                    void *user, dctdiff_error *err)
{
    size_t max = COUNT(model_fields) + (size_t)(m->info.depth + 1) * COUNT(block_fields);
    binding *b = malloc(max * sizeof *b);
    if (!b)
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for the tensor table");
    /* bind_all only takes the fields' addresses; nothing is written. */
    int n = bind_all((dctdiff_model *)m, b);
    for (int i = 0; i < n; i++) {
        size_t count = 1;
        for (int d = 0; d < b[i].ndim; d++)
            count *= (size_t)b[i].shape[d];
        fn(user, b[i].name, *b[i].field, count);
    }
    free(b);
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* Public interface                                                         */

dctdiff_status model_build(const safetensors_file *f, const char *const *keys,
                           const char *const *values, int n, const char *label,
                           model_weights weights, dctdiff_model **out, dctdiff_error *err)
{
    *out = NULL;
    dctdiff_model *m = calloc(1, sizeof *m);
    if (!m)
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the model", label);
    meta_reader r = {m, label, err};
    dctdiff_status st = copy_meta(m, keys, values, n, label, err);
    if (st == DCTDIFF_OK)
        st = read_meta(&r);
    if (st == DCTDIFF_OK)
        st = load_tensors(m, f, label, weights, err);
    if (st != DCTDIFF_OK) {
        dctdiff_model_free(m);
        return st;
    }
    *out = m;
    return DCTDIFF_OK;
}

dctdiff_status model_from_safetensors(const safetensors_file *f, const char *label,
                                     dctdiff_model **out, dctdiff_error *err)
{
    return model_build(f, (const char *const *)f->meta_keys, (const char *const *)f->meta_values,
                       f->meta_count, label, MODEL_WEIGHTS, out, err);
}

void dctdiff_model_free(dctdiff_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->meta_count; i++) {
        free(m->meta_keys[i]);
        free(m->meta_values[i]);
    }
    free(m->meta_keys);
    free(m->meta_values);
    free(m->arena);
    free(m->block_store);
    free(m);
}

void dctdiff_model_get_info(const dctdiff_model *m, dctdiff_model_info *info)
{
    *info = m->info;
}

const char *dctdiff_model_get_meta(const dctdiff_model *m, const char *key)
{
    for (int i = 0; i < m->meta_count; i++)
        if (strcmp(m->meta_keys[i], key) == 0)
            return m->meta_values[i];
    return NULL;
}
