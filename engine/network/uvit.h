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

/* Bytes of activations a workspace needs per image of the batch. */
size_t uvit_bytes_per_image(const dctdiff_model *m);

/* eps (n x T x K) = network(x (n x T x K), tau (n), labels (n or NULL)),
 * n <= max_batch.  Labels are required by conditional models and refused
 * by unconditional ones. */
dctdiff_status uvit_forward(uvit_workspace *w, int n, const float *x,
                            const float *tau, const int *labels, float *eps,
                            dctdiff_error *err);

#endif
