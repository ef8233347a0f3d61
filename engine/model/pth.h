/* pth.h - a checked reader for the state_dicts PyTorch's torch.save writes.
 *
 * A .pth file (PyTorch 1.6 and later) is a zip archive (read with libzip):
 * one top folder holding data.pkl, a pickle of the saved object, and
 * data/<key>, one uncompressed entry per storage, which the pickle names by
 * persistent id.  pickle.c understands only what torch.save writes for a
 * state_dict and refuses anything else; this file finds the dict of tensors in
 * what it returns (plain, "module."-style prefixed, or nested under an EMA or
 * training-state key, as weights/convert_official.py does), checks every
 * storage, offset, shape and stride against the archive, and fills the same
 * tensor table as the safetensors reader, so model.c binds either alike.
 * Messages start with the file's base name. */
#ifndef DCTDIFF_PTH_H
#define DCTDIFF_PTH_H

#include <stddef.h>

#include "core/status.h"
#include "core/safetensors.h"

/* How much of the archive is read. */
typedef enum {
    PTH_SHAPES_ONLY = 0, /* names, dtypes, shapes: the pickle and the zip directory */
    PTH_WEIGHTS          /* also every storage's bytes */
} pth_read;

/* Reads the .pth at path.  With PTH_SHAPES_ONLY every tensor's data is NULL. */
dctdiff_status pth_open(const char *path, pth_read what, safetensors_file **out,
                        dctdiff_error *err);
/* The same from size bytes at data (copied where kept); label starts messages. */
dctdiff_status pth_parse(const char *label, const void *data, size_t size, pth_read what,
                         safetensors_file **out, dctdiff_error *err);

/* 1 when the first bytes are a zip archive's (a .pth), 0 otherwise. */
int pth_is_zip(const void *head, size_t size);

#endif
