/* official.h - every published DCTdiff checkpoint and its official config.
 *
 * One table (official.c) for both releases: v1, the Google Drive files of
 * the first code release, and v2, the Hugging Face files of the ICML
 * version.  Values are the official configs' (the configs folder of
 * github.com/forever208/DCTdiff at each release). */
#ifndef DCTDIFF_OFFICIAL_H
#define DCTDIFF_OFFICIAL_H

#include "model/config.h"
#include "core/safetensors.h"

typedef struct {
    const char *name;        /* "celeba64-small-v2-ddim": what --release takes */
    const char *file;        /* the published file name */
    const char *url;
    const char *title;       /* one line for menus */
    const char *release;     /* "v1" or "v2" */
    const char *train_steps; /* optimiser steps of the file, "" when unknown */
} official_checkpoint;

int official_count(void);
const official_checkpoint *official_get(int i);
/* Index of the checkpoint named name, or -1. */
int official_find(const char *name);
/* The dataset checkpoint i was trained on ("ffhq128"). */
const char *official_dataset(int i);
/* The config checkpoint i was trained and evaluated with. */
void official_config(int i, model_config *c);

/* The metadata map of checkpoint i; label (the file's name) is recorded as
 * train.checkpoint. */
dctdiff_status official_metadata(int i, const char *label, meta_list *meta, dctdiff_error *err);
/* The checkpoint whose network has exactly the tensors (names and shapes)
 * of f; where several have, the one published as label.  Otherwise an error
 * that lists the candidates or says there is none. */
dctdiff_status official_match(const safetensors_file *f, const char *label, int *out,
                              dctdiff_error *err);

#endif
