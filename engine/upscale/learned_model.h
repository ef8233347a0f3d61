/* learned_model.h - the weights of the `learned` method: hashed residual
 * filters over the spectral method, one set per native factor, read from the
 * safetensors files built into the library (weights/models/upscale/learned-x*.
 * safetensors; weights/learned/reference.py defines the model, train.py
 * writes the files). */
#ifndef DCTDIFF_LEARNED_MODEL_H
#define DCTDIFF_LEARNED_MODEL_H

#include "core/status.h"

#include <stddef.h>

#define LEARNED_MAX_RADIUS 7  /* filter patch and tensor window radii */
#define LEARNED_MAX_EDGES 15  /* strength and coherence thresholds each */

typedef struct {
    int factor;                 /* 2 or 4: output pixels per source pixel */
    int radius;                 /* filters are (2 radius + 1)^2 luma taps */
    int window_radius;          /* structure tensor window: 2 w + 1 taps a side */
    double window[2 * LEARNED_MAX_RADIUS + 1];
    int angles, strengths, coherences;
    double strength_edges[LEARNED_MAX_EDGES], coherence_edges[LEARNED_MAX_EDGES];
    float *filters;             /* [factor^2][angles][strengths][coherences][taps] */
} learned_model;

/* 1 when the library holds a model for this factor. */
int learned_model_has(int factor);

/* Reads the built-in model of `factor` (one learned_model_has accepts). */
dctdiff_status learned_model_load(int factor, learned_model *m, dctdiff_error *err);

/* Reads a model from size bytes of safetensors data; label names it in errors. */
dctdiff_status learned_model_parse(const char *label, const void *data, size_t size,
                                   learned_model *m, dctdiff_error *err);

void learned_model_free(learned_model *m);

static inline int learned_model_taps(const learned_model *m)
{
    return (2 * m->radius + 1) * (2 * m->radius + 1);
}

#endif
