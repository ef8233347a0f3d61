/* official_layout.h - the names and shapes of an official UViT's state_dict
 * (docs/model-format.md), written out independently of the engine's binding
 * table in engine/model/model.c, for tests and benchmarks.  Tensor data is
 * left NULL: set it to make a network of random weights. */
#ifndef DCTDIFF_OFFICIAL_LAYOUT_H
#define DCTDIFF_OFFICIAL_LAYOUT_H

#include "model/config.h"
#include "core/safetensors.h"

typedef struct {
    safetensors_file f;
    safetensors_tensor t[512];
    char names[512][64];
} official_table;

void official_layout(official_table *tb, const model_config *c);

#endif
