/* config.c - official configs from JSON, and as model-file metadata.
 *
 * The JSON reader accepts the official config's field names and value forms
 * (Y_bound as [eta], booleans as true/false or 0/1, num_classes -1 for
 * unconditional) and ignores other keys, so the dataset and nnet sections of
 * an official config, merged into one object, are a valid file. */
#include "model/config.h"

#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/dct.h"
#include "core/status.h"

#define FORMAT_VERSION "1"

static const dctdiff_enum_entry algorithms[] = {
    { DCTDIFF_SAMPLER_DPM_SOLVER, "dpm_solver", NULL },
    { DCTDIFF_SAMPLER_EULER_ODE, "euler_maruyama_ode", NULL },
    { DCTDIFF_SAMPLER_EULER_SDE, "euler_maruyama_sde", NULL },
    { DCTDIFF_SAMPLER_DDIM, "ddim", NULL },
    { 0, NULL, NULL },
};

int config_sampler(const char *algorithm)
{
    return dctdiff_enum_lookup(algorithms, algorithm);
}

/* ------------------------------------------------------------------------ */
/* JSON                                                                     */

typedef struct {
    const char *label;
    json_t *root;
    dctdiff_error *err;
} json_reader;

static dctdiff_status bad_field(const json_reader *r, const char *key, const char *why)
{
    return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: field '%s' %s", r->label, key, why);
}

/* An integer field (JSON integers, or reals with an integral value);
 * def < lo makes it required. */
static dctdiff_status get_int(const json_reader *r, const char *key, long lo, long hi, long def,
                              int *out)
{
    json_t *v = json_object_get(r->root, key);
    if (!v && def >= lo) {
        *out = (int)def;
        return DCTDIFF_OK;
    }
    if (!v)
        return bad_field(r, key, "is missing");
    double x = json_is_integer(v) ? (double)json_integer_value(v)
             : json_is_real(v) ? json_real_value(v)
             : json_is_boolean(v) ? (double)json_is_true(v) : NAN;
    if (!(x == floor(x)) || x < lo || x > hi) {
        char why[80];
        snprintf(why, sizeof why, "is not an integer in %ld..%ld", lo, hi);
        return bad_field(r, key, why);
    }
    *out = (int)x;
    return DCTDIFF_OK;
}

/* A positive finite number, or a list holding one (the official Y_bound). */
static dctdiff_status get_positive(const json_reader *r, const char *key, double *out)
{
    json_t *v = json_object_get(r->root, key);
    if (json_is_array(v) && json_array_size(v) == 1)
        v = json_array_get(v, 0);
    if (!v)
        return bad_field(r, key, "is missing");
    double x = json_number_value(v);
    if (!json_is_number(v) || !(x > 0) || !isfinite(x))
        return bad_field(r, key, "is not a positive number");
    *out = x;
    return DCTDIFF_OK;
}

/* An optional list of exactly n numbers; *found says whether it was there. */
static dctdiff_status get_numbers(const json_reader *r, const char *key, int n, double *out,
                                  int *found)
{
    json_t *v = json_object_get(r->root, key);
    *found = v != NULL;
    if (!v)
        return DCTDIFF_OK;
    char why[80];
    snprintf(why, sizeof why, "is not a list of %d numbers (block_sz squared)", n);
    if (!json_is_array(v) || json_array_size(v) != (size_t)n)
        return bad_field(r, key, why);
    for (int i = 0; i < n; i++) {
        json_t *x = json_array_get(v, (size_t)i);
        if (!json_is_number(x) || !isfinite(json_number_value(x)))
            return bad_field(r, key, why);
        out[i] = json_number_value(x);
    }
    return DCTDIFF_OK;
}

static dctdiff_status get_orders(const json_reader *r, model_config *c)
{
    int n = c->block_sz * c->block_sz, found_low, found_rev;
    double low[CONFIG_MAX_COEFS], rev[CONFIG_MAX_COEFS];
    dctdiff_status st = get_numbers(r, "low2high_order", n, low, &found_low);
    if (st == DCTDIFF_OK)
        st = get_numbers(r, "reverse_order", n, rev, &found_rev);
    if (st != DCTDIFF_OK)
        return st;
    if (found_rev && !found_low)
        return bad_field(r, "reverse_order", "is given without low2high_order");
    c->has_order = found_low;
    if (!found_low) {
        dct_zigzag(c->block_sz, c->order);
        return DCTDIFF_OK;
    }
    int seen[CONFIG_MAX_COEFS] = {0};
    for (int i = 0; i < n; i++) {
        int x = (int)low[i];
        if (low[i] != x || x < 0 || x >= n || seen[x]++)
            return bad_field(r, "low2high_order", "does not list each coefficient once");
        c->order[i] = x;
    }
    for (int i = 0; found_rev && i < n; i++)
        if (rev[c->order[i]] != i)
            return bad_field(r, "reverse_order", "is not the inverse of low2high_order");
    return DCTDIFF_OK;
}

static dctdiff_status get_tables(const json_reader *r, model_config *c)
{
    int n = c->block_sz * c->block_sz, fy, fcb, fcr;
    dctdiff_status st = get_numbers(r, "Y_std", n, c->y_std, &fy);
    if (st == DCTDIFF_OK)
        st = get_numbers(r, "Cb_std", n, c->cb_std, &fcb);
    if (st == DCTDIFF_OK)
        st = get_numbers(r, "Cr_std", n, c->cr_std, &fcr);
    if (st == DCTDIFF_OK && (fy != fcb || fy != fcr))
        return bad_field(r, "Y_std", "Cb_std and Cr_std come together or not at all");
    c->std_count = fy ? n : 0;
    return st;
}

static dctdiff_status get_sampler(const json_reader *r, model_config *c)
{
    json_t *v = json_object_get(r->root, "algorithm");
    c->sampler = DCTDIFF_SAMPLER_DPM_SOLVER;
    if (!v)
        return DCTDIFF_OK;
    int s = json_is_string(v) ? config_sampler(json_string_value(v)) : -1;
    if (s < 0)
        return bad_field(r, "algorithm",
                         "is not dpm_solver, euler_maruyama_ode, euler_maruyama_sde or ddim");
    c->sampler = (dctdiff_sampler)s;
    return DCTDIFF_OK;
}

static dctdiff_status read_fields(const json_reader *r, model_config *c)
{
    int classes = 0;
    dctdiff_status st;
    if ((st = get_int(r, "resolution", 1, 1 << 16, -1, &c->resolution)) ||
        (st = get_int(r, "block_sz", 1, 16, -1, &c->block_sz)) ||
        (st = get_int(r, "tokens", 1, 1 << 24, -1, &c->tokens)) ||
        (st = get_int(r, "low_freqs", 1, 256, -1, &c->low_freqs)) ||
        (st = get_positive(r, "Y_bound", &c->y_bound)) ||
        (st = get_positive(r, "SNR_scale", &c->snr_scale)) ||
        (st = get_int(r, "embed_dim", 1, 65536, -1, &c->embed_dim)) ||
        (st = get_int(r, "depth", 2, 256, -1, &c->depth)) ||
        (st = get_int(r, "num_heads", 1, 65536, -1, &c->num_heads)) ||
        (st = get_int(r, "mlp_ratio", 1, 64, -1, &c->mlp_ratio)) ||
        (st = get_int(r, "qkv_bias", 0, 1, -1, &c->qkv_bias)) ||
        (st = get_int(r, "mlp_time_embed", 0, 1, -1, &c->mlp_time_embed)) ||
        (st = get_int(r, "num_classes", -1, 1 << 20, -2, &classes)) ||
        (st = get_int(r, "sample_steps", 1, 1000, 50, &c->sample_steps)) ||
        (st = get_sampler(r, c)))
        return st;
    if (!dct_size_ok(c->block_sz))
        return bad_field(r, "block_sz", "is not 2, 4, 8 or 16");
    c->num_classes = classes > 0 ? classes : 0;   /* -1 and 0: unconditional */
    if ((st = get_orders(r, c)) || (st = get_tables(r, c)))
        return st;
    return DCTDIFF_OK;
}

dctdiff_status config_read_json(const char *path, model_config *c, dctdiff_error *err)
{
    const char *slash = strrchr(path, '/');
    json_reader r = {slash ? slash + 1 : path, NULL, err};
    json_error_t jerr;
    memset(c, 0, sizeof *c);
    r.root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!r.root)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: %s (line %d)", r.label, jerr.text, jerr.line);
    dctdiff_status st = json_is_object(r.root)
        ? read_fields(&r, c)
        : dd_fail(err, DCTDIFF_E_FORMAT, "%s: not a JSON object", r.label);
    json_decref(r.root);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Metadata                                                                 */

dctdiff_status meta_list_add(meta_list *l, const char *key, const char *value,
                             dctdiff_error *err)
{
    if (l->count == l->cap) {
        int cap = l->cap ? 2 * l->cap : 32;
        char **k = realloc(l->keys, (size_t)cap * sizeof *k);
        if (k)
            l->keys = k;
        char **v = k ? realloc(l->values, (size_t)cap * sizeof *v) : NULL;
        if (v)
            l->values = v;
        if (!k || !v)
            return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for model metadata");
        l->cap = cap;
    }
    char *k = strdup(key), *v = strdup(value);
    if (!k || !v) {
        free(k);
        free(v);
        return dd_fail(err, DCTDIFF_E_NOMEM, "no memory for model metadata");
    }
    l->keys[l->count] = k;
    l->values[l->count++] = v;
    return DCTDIFF_OK;
}

void meta_list_free(meta_list *l)
{
    for (int i = 0; i < l->count; i++) {
        free(l->keys[i]);
        free(l->values[i]);
    }
    free(l->keys);
    free(l->values);
    *l = (meta_list){0};
}

/* The shortest decimal that reads back as x, with a '.' in any locale. */
static void format_number(char *buf, size_t size, double x)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t previous = c ? uselocale(c) : (locale_t)0;
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    if (c) {
        uselocale(previous);
        freelocale(c);
    }
}

/* A comma-separated list of n numbers (ints when order is given). */
static char *format_list(const double *x, const int *order, int n)
{
    char *s = malloc((size_t)n * 26 + 1), *p = s;
    for (int i = 0; s && i < n; i++) {
        char one[32];
        if (order)
            snprintf(one, sizeof one, "%d", order[i]);
        else
            format_number(one, sizeof one, x[i]);
        p += sprintf(p, "%s%s", i ? "," : "", one);
    }
    if (s)
        *p = '\0';
    return s;
}

typedef struct {
    meta_list *l;
    dctdiff_error *err;
    dctdiff_status st;
} meta_writer;

static void put(meta_writer *w, const char *key, const char *value)
{
    if (w->st == DCTDIFF_OK && value)
        w->st = meta_list_add(w->l, key, value, w->err);
}

static void put_int(meta_writer *w, const char *key, int value)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%d", value);
    put(w, key, buf);
}

static void put_number(meta_writer *w, const char *key, double value)
{
    char buf[32];
    format_number(buf, sizeof buf, value);
    put(w, key, buf);
}

static void put_list(meta_writer *w, const char *key, const double *x, const int *order, int n)
{
    char *s = format_list(x, order, n);
    if (!s && w->st == DCTDIFF_OK)
        w->st = dd_fail(w->err, DCTDIFF_E_NOMEM, "no memory for model metadata");
    put(w, key, s);
    free(s);
}

dctdiff_status config_metadata(const model_config *c, const config_origin *o, meta_list *out,
                               dctdiff_error *err)
{
    meta_writer w = {out, err, DCTDIFF_OK};
    *out = (meta_list){0};
    put(&w, "format", "dctdiff");
    put(&w, "format_version", FORMAT_VERSION);
    put(&w, "name", o->name);
    put(&w, "description", o->description);
    put(&w, "license", o->license);
    put_int(&w, "arch.embed_dim", c->embed_dim);
    put_int(&w, "arch.depth", c->depth);
    put_int(&w, "arch.num_heads", c->num_heads);
    put_int(&w, "arch.mlp_ratio", c->mlp_ratio);
    put_int(&w, "arch.qkv_bias", c->qkv_bias);
    put_int(&w, "arch.mlp_time_embed", c->mlp_time_embed);
    put_int(&w, "arch.num_classes", c->num_classes);
    put_int(&w, "dct.resolution", c->resolution);
    put_int(&w, "dct.block_size", c->block_sz);
    put_int(&w, "dct.low_freqs", c->low_freqs);
    put(&w, "dct.chroma", "420");
    put_number(&w, "dct.eta", c->y_bound);
    put_list(&w, "dct.order", NULL, c->order, c->block_sz * c->block_sz);
    put_int(&w, "dct.tokens", c->tokens);
    put_number(&w, "schedule.beta_min", CONFIG_BETA_MIN);
    put_number(&w, "schedule.beta_max", CONFIG_BETA_MAX);
    put_number(&w, "schedule.snr_scale", c->snr_scale);
    for (const dctdiff_enum_entry *e = dctdiff_samplers(); e->name; e++)
        if (e->value == (int)c->sampler)
            put(&w, "sampler.default", e->name);
    put_int(&w, "sampler.steps", c->sample_steps);
    put(&w, "train.dataset", o->dataset);
    put(&w, "train.release", o->release);
    put(&w, "train.checkpoint", o->checkpoint);
    put(&w, "train.steps", o->train_steps);
    if (c->std_count) {
        put_list(&w, "train.entropy_y", c->y_std, NULL, c->std_count);
        put_list(&w, "train.entropy_cb", c->cb_std, NULL, c->std_count);
        put_list(&w, "train.entropy_cr", c->cr_std, NULL, c->std_count);
    }
    if (w.st != DCTDIFF_OK)
        meta_list_free(out);
    return w.st;
}
