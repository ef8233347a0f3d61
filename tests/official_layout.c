/* official_layout.c - the tensor table of an official UViT (official_layout.h). */
#include "official_layout.h"

#include <stdio.h>

static void add(official_table *tb, const char *prefix, const char *name, int ndim,
                int64_t a, int64_t b, int64_t c)
{
    safetensors_tensor *t = &tb->t[tb->f.count];
    snprintf(tb->names[tb->f.count], sizeof tb->names[0], "%s%s", prefix, name);
    int64_t dims[3] = {a, b, c};
    *t = (safetensors_tensor){.name = tb->names[tb->f.count], .ndim = ndim, .count = 1};
    for (int i = 0; i < ndim; i++) {
        t->shape[i] = dims[i];
        t->count *= (size_t)dims[i];
    }
    tb->f.count++;
}

/* The official UViT's state_dict names and shapes (docs/model-format.md),
 * written out independently of model.c's binding table. */
void official_layout(official_table *tb, const model_config *c)
{
    int64_t D = c->embed_dim, K = 6 * c->low_freqs, H = 4 * D;
    tb->f = (safetensors_file){.tensors = tb->t};
    add(tb, "", "pos_embed", 3, 1, (c->num_classes ? 2 : 1) + c->tokens, D);
    add(tb, "", "proj.weight", 2, D, K, 0);
    add(tb, "", "proj.bias", 1, D, 0, 0);
    if (c->num_classes)
        add(tb, "", "label_emb.weight", 2, c->num_classes, D, 0);
    for (int i = 0; i <= 2 * (c->depth / 2); i++) {
        char p[32];
        int half = c->depth / 2;
        if (i < half)
            snprintf(p, sizeof p, "in_blocks.%d.", i);
        else if (i == half)
            snprintf(p, sizeof p, "mid_block.");
        else
            snprintf(p, sizeof p, "out_blocks.%d.", i - half - 1);
        add(tb, p, "norm1.weight", 1, D, 0, 0);
        add(tb, p, "norm1.bias", 1, D, 0, 0);
        add(tb, p, "attn.qkv.weight", 2, 3 * D, D, 0);
        add(tb, p, "attn.proj.weight", 2, D, D, 0);
        add(tb, p, "attn.proj.bias", 1, D, 0, 0);
        add(tb, p, "norm2.weight", 1, D, 0, 0);
        add(tb, p, "norm2.bias", 1, D, 0, 0);
        add(tb, p, "mlp.fc1.weight", 2, H, D, 0);
        add(tb, p, "mlp.fc1.bias", 1, H, 0, 0);
        add(tb, p, "mlp.fc2.weight", 2, D, H, 0);
        add(tb, p, "mlp.fc2.bias", 1, D, 0, 0);
        if (i > half) {
            add(tb, p, "skip_linear.weight", 2, D, 2 * D, 0);
            add(tb, p, "skip_linear.bias", 1, D, 0, 0);
        }
    }
    add(tb, "", "norm.weight", 1, D, 0, 0);
    add(tb, "", "norm.bias", 1, D, 0, 0);
    add(tb, "", "decoder_pred.weight", 2, K, D, 0);
    add(tb, "", "decoder_pred.bias", 1, K, 0, 0);
}

