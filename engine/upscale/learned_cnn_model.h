/* learned_cnn_model.h - the weights of the `learned-cnn` method: a small
 * convolutional network on the small image's luma whose factor^2 output
 * channels are the sub-pixel luma residuals over the `learned` upscale, read
 * from the safetensors files built into the library (weights/models/upscale/
 * learned-cnn-x*.safetensors; weights/learned/cnn_reference.py defines the
 * model, train_cnn.py writes the files).  No biases, and first-layer kernels
 * that sum to zero: a flat image gets no residual. */
#ifndef DCTDIFF_LEARNED_CNN_MODEL_H
#define DCTDIFF_LEARNED_CNN_MODEL_H

#include "core/status.h"

#define CNN_MAX_LAYERS 8
#define CNN_MAX_KERNEL 7
#define CNN_MAX_CHANNELS 32  /* a multiple of CNN_LANES; 4 groups stay in registers */
#define CNN_LANES 8          /* output channels are held in groups of this many */

typedef struct {
    int k;           /* k x k taps, k odd */
    int in, out;     /* channels */
    int out_padded;  /* out rounded up to CNN_LANES */
    float *w;        /* [k][k][in][out_padded], zero past out */
} cnn_layer;

typedef struct {
    int factor;          /* output channels = factor^2 sub-pixel phases */
    int layers;          /* ReLU after every layer but the last */
    cnn_layer layer[CNN_MAX_LAYERS];
    int radius;          /* small pixels each side that one output reads */
} cnn_model;

/* 1 when the library holds a network for this factor. */
int cnn_model_has(int factor);

/* Reads the built-in network of `factor` (one cnn_model_has accepts). */
dctdiff_status cnn_model_load(int factor, cnn_model *m, dctdiff_error *err);

/* Reads a network from size bytes of safetensors data; label names it in errors. */
dctdiff_status cnn_model_parse(const char *label, const void *data, size_t size, cnn_model *m,
                               dctdiff_error *err);

void cnn_model_free(cnn_model *m);

#endif
