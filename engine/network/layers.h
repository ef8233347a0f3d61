/* layers.h - the transformer building blocks of the UViT, on raw arrays.
 *
 * Shapes: a matrix of `rows` rows of `d` floats is stored row-major with the
 * given leading dimension (floats between row starts).  Linear weights are
 * [out, in] row-major as in PyTorch: y = x W^T + b.  Every function here is
 * single-threaded; uvit.c splits the work into fixed pieces (so results do
 * not depend on the thread count) and calls these from its workers. */
#ifndef DCTDIFF_LAYERS_H
#define DCTDIFF_LAYERS_H

#include <stddef.h>

#define LAYER_NORM_EPS 1e-5

/* out[r] = (in[r] - mean) / sqrt(var + eps) * w + b over d features, biased
 * variance, accumulated in double.  out may equal in. */
void layer_norm(float *out, int ldo, const float *in, int ldi, int rows, int d,
                const float *w, const float *b);

/* x <- 0.5 x (1 + erf(x / sqrt 2)), the exact GELU. */
void gelu(float *x, size_t n);

/* x <- x / (1 + e^-x) */
void silu(float *x, size_t n);

/* out[rows, n_out] = in[rows, n_in] W^T (+ b), W = [n_out, n_in] with leading
 * dimension ldw.  One gemm_nt call. */
void linear(float *out, int ldo, const float *in, int ldi, const float *w,
            int ldw, const float *b, int rows, int n_in, int n_out);

/* out[rows, n_out] += in W^T (+ b): the residual form. */
void linear_add(float *out, int ldo, const float *in, int ldi, const float *w,
                int ldw, const float *b, int rows, int n_in, int n_out);

/* Rows of query-blocked attention processed per sgemm. */
#define ATTN_BLOCK 256

/* One head of softmax(q k^T / sqrt(dh)) v over n positions, query rows in
 * blocks of ATTN_BLOCK.  q, k, v: n x dh with leading dimension ld; out:
 * n x dh with leading dimension ldo.  scores: ATTN_BLOCK x n floats. */
void attention_head(float *out, int ldo, const float *q, const float *k,
                    const float *v, int ld, int n, int dh, float *scores);

/* The sinusoidal time embedding of UViT: [cos(tau f_k), sin(tau f_k)],
 * f_k = exp(-ln(1e4) k / (d/2)), in float32 like the reference; odd d gets
 * a trailing zero. */
void timestep_embedding(float *out, float tau, int d);

#endif
