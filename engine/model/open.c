/* open.c - which reader, which config: dctdiff_model_open, _describe and
 * _convert.
 *
 * A .safetensors model carries its metadata; a .pth carries only tensors,
 * so its metadata comes from a config: the one named by params.release, the
 * JSON file params.config_path, or the official checkpoint whose network has
 * exactly the file's tensor shapes (its published file name decides between
 * checkpoints of one shape, such as a v1 and a v2 release).  Either way the
 * tensors and the metadata meet in model_build, which checks them alike. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/status.h"
#include "model/config.h"
#include "model/model.h"
#include "model/official.h"
#include "model/pth.h"
#include "core/safetensors.h"
#include "model/safetensors_write.h"

void dctdiff_load_params_init(dctdiff_load_params *p)
{
    memset(p, 0, sizeof *p);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* ------------------------------------------------------------------------ */
/* The config of a .pth                                                     */

static dctdiff_status json_metadata(const char *config_path, const char *label,
                                    meta_list *meta, dctdiff_error *err)
{
    model_config c;
    dctdiff_status st = config_read_json(config_path, &c, err);
    if (st != DCTDIFF_OK)
        return st;
    char name[128], description[300];
    snprintf(name, sizeof name, "%s", label);
    char *dot = strrchr(name, '.');
    if (dot && dot != name)
        *dot = '\0';
    snprintf(description, sizeof description, "%s with the config %s", label,
             base_name(config_path));
    config_origin origin = { .name = name, .description = description, .dataset = "",
                             .release = "", .checkpoint = label, .license = "",
                             .train_steps = "" };
    return config_metadata(&c, &origin, meta, err);
}

static dctdiff_status pth_metadata(const safetensors_file *f, const char *label,
                                   const dctdiff_load_params *p, meta_list *meta,
                                   dctdiff_error *err)
{
    if (p->release && p->config_path)
        return dd_fail(err, DCTDIFF_E_ARG, "give a release or a config file, not both");
    if (p->config_path)
        return json_metadata(p->config_path, label, meta, err);
    int i = -1;
    if (p->release && (i = official_find(p->release)) < 0)
        return dd_fail(err, DCTDIFF_E_ARG, "unknown release '%.60s' (dctdiff models --official "
                       "lists them)", p->release);
    dctdiff_status st = i < 0 ? official_match(f, label, &i, err) : DCTDIFF_OK;
    return st == DCTDIFF_OK ? official_metadata(i, label, meta, err) : st;
}

/* ------------------------------------------------------------------------ */
/* Opening                                                                  */

typedef enum { KIND_SAFETENSORS, KIND_PTH, KIND_LEGACY_TORCH } file_kind;

static dctdiff_status sniff(const char *path, file_kind *kind, dctdiff_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return dd_fail(err, DCTDIFF_E_IO, "%s: cannot open: %s", base_name(path), strerror(errno));
    unsigned char head[4] = {0};
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    /* Before PyTorch 1.6, torch.save wrote a bare pickle (protocol 2). */
    *kind = pth_is_zip(head, n) ? KIND_PTH
          : n >= 2 && head[0] == 0x80 && head[1] == 0x02 ? KIND_LEGACY_TORCH
          : KIND_SAFETENSORS;
    return DCTDIFF_OK;
}

/* The tensor table and the metadata of path, for model_build. */
typedef struct {
    safetensors_file *f;
    meta_list meta;   /* .pth only */
    const char *const *keys, *const *values;
    int count;
} model_source;

static dctdiff_status open_source(const char *path, const dctdiff_load_params *p,
                                  model_weights weights, model_source *s, dctdiff_error *err)
{
    dctdiff_load_params none;
    dctdiff_load_params_init(&none);
    p = p ? p : &none;
    memset(s, 0, sizeof *s);
    const char *label = base_name(path);
    file_kind kind;
    dctdiff_status st = sniff(path, &kind, err);
    if (st != DCTDIFF_OK)
        return st;
    if (kind == KIND_LEGACY_TORCH)
        return dd_fail(err, DCTDIFF_E_UNSUPPORTED, "%s: a PyTorch file of the format before "
                       "version 1.6; load and save it again with a newer torch", label);
    if (kind == KIND_SAFETENSORS) {
        if (p->release || p->config_path)
            return dd_fail(err, DCTDIFF_E_ARG, "%s: a release or config applies to .pth files; "
                           "a model file carries its own", label);
        st = safetensors_open(path, &s->f, err);
        if (st == DCTDIFF_OK) {
            s->keys = (const char *const *)s->f->meta_keys;
            s->values = (const char *const *)s->f->meta_values;
            s->count = s->f->meta_count;
        }
        return st;
    }
    st = pth_open(path, weights == MODEL_WEIGHTS ? PTH_WEIGHTS : PTH_SHAPES_ONLY, &s->f, err);
    if (st == DCTDIFF_OK)
        st = pth_metadata(s->f, label, p, &s->meta, err);
    s->keys = (const char *const *)s->meta.keys;
    s->values = (const char *const *)s->meta.values;
    s->count = s->meta.count;
    return st;
}

static void close_source(model_source *s)
{
    safetensors_close(s->f);
    meta_list_free(&s->meta);
}

static dctdiff_status open_model(const char *path, const dctdiff_load_params *p,
                                 model_weights weights, dctdiff_model **out, dctdiff_error *err)
{
    if (!path || !out)
        return dd_fail(err, DCTDIFF_E_ARG, "model path and out must not be NULL");
    *out = NULL;
    model_source s;
    dctdiff_status st = open_source(path, p, weights, &s, err);
    if (st == DCTDIFF_OK)
        st = model_build(s.f, s.keys, s.values, s.count, base_name(path), weights, out, err);
    close_source(&s);
    return st;
}

dctdiff_status dctdiff_model_open(const char *path, const dctdiff_load_params *p,
                                  dctdiff_model **out, dctdiff_error *err)
{
    return open_model(path, p, MODEL_WEIGHTS, out, err);
}

dctdiff_status dctdiff_model_load(const char *path, dctdiff_model **out, dctdiff_error *err)
{
    return open_model(path, NULL, MODEL_WEIGHTS, out, err);
}

dctdiff_status dctdiff_model_describe(const char *path, const dctdiff_load_params *p,
                                      dctdiff_model **out, dctdiff_error *err)
{
    return open_model(path, p, MODEL_SHAPES_ONLY, out, err);
}

/* ------------------------------------------------------------------------ */
/* Converting                                                               */

typedef struct {
    char bad[64];   /* first tensor with a NaN or infinity ("" = none); the
                       name is copied, model_foreach_tensor's lives only in it */
} finite_check;

static void check_finite(void *user, const char *name, const float *data, size_t count)
{
    finite_check *c = user;
    for (size_t i = 0; !c->bad[0] && i < count; i++)
        if (!isfinite(data[i]))
            snprintf(c->bad, sizeof c->bad, "%s", name);
}

dctdiff_status dctdiff_model_convert(const char *in, const char *out,
                                     const dctdiff_load_params *p, dctdiff_error *err)
{
    if (!in || !out)
        return dd_fail(err, DCTDIFF_E_ARG, "convert: input and output paths must not be NULL");
    model_source s;
    dctdiff_model *m = NULL;
    dctdiff_status st = open_source(in, p, MODEL_WEIGHTS, &s, err);
    if (st == DCTDIFF_OK)
        st = model_build(s.f, s.keys, s.values, s.count, base_name(in), MODEL_WEIGHTS, &m, err);
    finite_check fc = {""};
    if (st == DCTDIFF_OK)
        st = model_foreach_tensor(m, check_finite, &fc, err);
    if (st == DCTDIFF_OK && fc.bad[0])
        st = dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s' holds a NaN or infinity",
                     base_name(in), fc.bad);
    if (st == DCTDIFF_OK)
        st = safetensors_write(out, s.f, s.keys, s.values, s.count, err);
    dctdiff_model_free(m);
    close_source(&s);
    return st;
}

/* ------------------------------------------------------------------------ */
/* The official list                                                        */

static dctdiff_enum_entry official_entries[64 + 1];
static pthread_once_t official_once = PTHREAD_ONCE_INIT;

static void fill_official(void)
{
    for (int i = 0; i < official_count() && i < 64; i++)
        official_entries[i] = (dctdiff_enum_entry){i, official_get(i)->name,
                                                   official_get(i)->title};
}

const dctdiff_enum_entry *dctdiff_official_models(void)
{
    pthread_once(&official_once, fill_official);
    return official_entries;
}

const char *dctdiff_official_file(int i)
{
    return i >= 0 && i < official_count() ? official_get(i)->file : NULL;
}

const char *dctdiff_official_url(int i)
{
    return i >= 0 && i < official_count() ? official_get(i)->url : NULL;
}
