/* uvit.h - the DCTdiff UViT forward pass (method.md §3) over a batch.
 *
 * A workspace holds the activations for up to max_batch images and a team of
 * threads; it is made once per generation and reused for every network
 * evaluation, so the forward pass itself allocates nothing. */
#ifndef DCTDIFF_UVIT_H
#define DCTDIFF_UVIT_H

#include "model/model.h"

typedef struct uvit_workspace uvit_workspace;

dctdiff_status uvit_workspace_new(const dctdiff_model *m, int max_batch,
                                  int threads, uvit_workspace **out,
                                  dctdiff_error *err);
void uvit_workspace_free(uvit_workspace *w);

/* Step caching (DeepCache, Ma et al. 2024, on UViT's long skips): the deep
 * features are the input of the last `depth` out-blocks, which depend on
 * the first `depth` in-blocks only through their long skips.  A pass that
 * keeps them runs the whole network and stores them; a pass that reuses
 * them runs only those shallow in- and out-blocks, on the stored ones.
 * Makes room for them, for max_batch images; depth is 1..depth / 2 of the
 * network. */
dctdiff_status uvit_workspace_cache(uvit_workspace *w, int depth, dctdiff_error *err);

typedef enum {
    UVIT_WHOLE,       /* the whole network, nothing kept */
    UVIT_KEEP_DEEP,   /* the whole network (the same bytes), deep features kept */
    UVIT_REUSE_DEEP   /* the shallow blocks on the kept deep features */
} uvit_pass;

/* Bytes of activations a workspace needs per image of the batch, with the
 * step cache (uvit_workspace_cache) or without. */
size_t uvit_bytes_per_image(const dctdiff_model *m, int cached);

/* eps (n x T x K) = network(x (n x T x K), tau (n), labels (n or NULL)),
 * n <= max_batch.  Labels are required by conditional models and refused
 * by unconditional ones.  Passes other than UVIT_WHOLE need
 * uvit_workspace_cache, and a reuse needs a kept pass of the same n before
 * it. */
dctdiff_status uvit_forward(uvit_workspace *w, uvit_pass pass, int n, const float *x,
                            const float *tau, const int *labels, float *eps,
                            dctdiff_error *err);

#endif
