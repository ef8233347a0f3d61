/* model.h - a loaded DCTdiff model: metadata and float32 weights.
 *
 * engine/model/model.c fills this from a safetensors file (engine/core/safetensors.c);
 * engine/network/uvit.c reads it.  Weights are one allocation carved into named
 * tensors; the table in model.c binds each safetensors name to a field here
 * and its expected shape. */
#ifndef DCTDIFF_MODEL_H
#define DCTDIFF_MODEL_H

#include "dctdiff.h"

/* One pre-norm transformer block.  Linear weights are [out, in] row-major as
 * in PyTorch (y = x W^T + b).  Optional tensors are NULL when absent. */
typedef struct {
    const float *norm1_w, *norm1_b;
    const float *qkv_w, *qkv_b;   /* [3D, D], [3D] or NULL */
    const float *proj_w, *proj_b; /* [D, D], [D] */
    const float *norm2_w, *norm2_b;
    const float *fc1_w, *fc1_b;   /* [H, D], [H], H = mlp_ratio * D */
    const float *fc2_w, *fc2_b;   /* [D, H], [D] */
    const float *skip_w, *skip_b; /* [D, 2D], [D]; out-blocks only */
} uvit_block;

struct dctdiff_model {
    dctdiff_model_info info;
    int order[256];        /* frequency order, info.layout.block_size^2 used */
    int extras;            /* 1 unconditional, 2 with a label token */
    int mlp_hidden;
    int qkv_bias, mlp_time_embed;

    const float *pos_embed;          /* [extras + tokens, D] */
    const float *proj_w, *proj_b;    /* [D, K], [D] */
    const float *label_emb;          /* [classes, D] or NULL */
    const float *time_w0, *time_b0;  /* [4D, D] time MLP, or NULL */
    const float *time_w2, *time_b2;  /* [D, 4D] */
    uvit_block *in_blocks;           /* depth/2 */
    uvit_block mid_block;
    uvit_block *out_blocks;          /* depth/2 */
    const float *norm_w, *norm_b;    /* final LayerNorm */
    const float *dec_w, *dec_b;      /* [K, D], [K] */

    /* storage owned by the model */
    float *arena;                    /* all weights, converted to float32; NULL
                                        when opened by dctdiff_model_describe */
    uvit_block *block_store;
    char **meta_keys, **meta_values; /* __metadata__, meta_count pairs */
    int meta_count;
};

typedef enum { MODEL_SHAPES_ONLY = 0, MODEL_WEIGHTS } model_weights;

/* The model of tensor table f (a safetensors file or a .pth) described by
 * the metadata map keys/values.  MODEL_SHAPES_ONLY checks every name and
 * shape but converts nothing (f's data may be NULL; arena stays NULL).
 * label starts messages. */
struct safetensors_file;
dctdiff_status model_build(const struct safetensors_file *f, const char *const *keys,
                           const char *const *values, int n, const char *label,
                           model_weights weights, dctdiff_model **out, dctdiff_error *err);
/* model_build with the file's own __metadata__ (the fuzzer feeds it from
 * memory). */
dctdiff_status model_from_safetensors(const struct safetensors_file *f, const char *label,
                                     dctdiff_model **out, dctdiff_error *err);

/* Calls fn for every weight tensor of m, in the order of the binding table:
 * its safetensors name, its float32 data and its element count.  For tests
 * and tools that compare a loaded model with its source. */
typedef void (*model_tensor_fn)(void *user, const char *name, const float *data,
                                size_t count);
dctdiff_status model_foreach_tensor(const dctdiff_model *m, model_tensor_fn fn,
                                    void *user, dctdiff_error *err);

#endif
