/* config.h - an official DCTdiff training configuration, and the model-file
 * metadata it implies.
 *
 * A .pth holds only tensors; what the engine also needs (token layout, eta,
 * SNR scale, sampler) comes from the config it was trained with: an entry of
 * the official table (official.c) or a JSON file with the official config's
 * own field names (config_read_json).  config_metadata turns either into the
 * docs/model-format.md key/value map, so a .pth and its converted
 * .safetensors load through the same checks in model.c. */
#ifndef DCTDIFF_CONFIG_H
#define DCTDIFF_CONFIG_H

#include "dctdiff.h"

#define CONFIG_MAX_COEFS 256

typedef struct {
    int resolution, block_sz, tokens, low_freqs;
    double y_bound;                       /* eta */
    int order[CONFIG_MAX_COEFS];          /* low2high_order; has_order 0 = zig-zag */
    int has_order;
    double snr_scale;
    int embed_dim, depth, num_heads, mlp_ratio, qkv_bias, mlp_time_embed;
    int num_classes;                      /* 0 = unconditional (the official -1) */
    double y_std[CONFIG_MAX_COEFS], cb_std[CONFIG_MAX_COEFS], cr_std[CONFIG_MAX_COEFS];
    int std_count;                        /* 0 = no entropy tables */
    dctdiff_sampler sampler;
    int sample_steps;
} model_config;

/* Noise schedule of every official config (VP SDE). */
#define CONFIG_BETA_MIN 0.1
#define CONFIG_BETA_MAX 20.0

/* A metadata map being built; keys and values are owned copies. */
typedef struct {
    char **keys, **values;
    int count, cap;
} meta_list;

/* Reads a flat JSON object (docs/official-models.md lists the fields). */
dctdiff_status config_read_json(const char *path, model_config *c, dctdiff_error *err);

/* Where a model's metadata came from, for the train.* and name keys. */
typedef struct {
    const char *name, *description, *dataset, *release, *checkpoint, *license, *train_steps;
} config_origin;

dctdiff_status config_metadata(const model_config *c, const config_origin *o, meta_list *out,
                               dctdiff_error *err);
dctdiff_status meta_list_add(meta_list *l, const char *key, const char *value,
                             dctdiff_error *err);
void meta_list_free(meta_list *l);

/* The official sampler names (sample.algorithm) in the engine's terms; -1
 * when unknown. */
int config_sampler(const char *algorithm);

#endif
