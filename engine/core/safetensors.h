/* safetensors.h - a checked reader for safetensors files.
 *
 * Layout: an 8-byte little-endian header length N, N bytes of JSON (an
 * object: tensor name -> {dtype, shape, data_offsets}, plus an optional
 * "__metadata__" string map), then the data section the offsets point into.
 *
 * Everything is validated before a caller sees it: the header length against
 * the file size, the JSON, every dtype, shape and offset pair, and that no two
 * tensors share bytes.  Only F32, F16 and BF16 tensors are accepted (the
 * engine computes in float32).  Errors name the file and the tensor. */
#ifndef DCTDIFF_SAFETENSORS_H
#define DCTDIFF_SAFETENSORS_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define SAFETENSORS_MAX_DIMS 8
/* Refuse headers larger than this (a model has a few hundred tensors). */
#define SAFETENSORS_MAX_HEADER (64u << 20)

typedef enum { SAFETENSORS_F32 = 0, SAFETENSORS_F16, SAFETENSORS_BF16 } safetensors_dtype;

typedef struct {
    const char *name;
    safetensors_dtype dtype;
    int ndim;
    int64_t shape[SAFETENSORS_MAX_DIMS];
    size_t count;        /* elements: product of shape (1 for a scalar) */
    const void *data;    /* count elements, little-endian, maybe unaligned */
} safetensors_tensor;

/* A table of named tensors: what safetensors_parse reads, and what pth.c
 * fills from a .pth, so the model binding reads either alike. */
typedef struct safetensors_file {
    safetensors_tensor *tensors;
    int count;
    char **meta_keys, **meta_values; /* __metadata__, meta_count pairs */
    int meta_count;
    /* storage */
    void *map;
    size_t map_size;
    char *strings;
    void **owned;      /* buffers the tensors point into (pth.c), freed on close */
    int owned_count;
} safetensors_file;

/* Maps and parses path.  Messages start with the file's base name. */
dctdiff_status safetensors_open(const char *path, safetensors_file **out,
                                dctdiff_error *err);
/* Parses size bytes at data, which must stay valid while *out lives (the
 * tensors point into it).  label starts every message. */
dctdiff_status safetensors_parse(const char *label, const void *data, size_t size,
                                 safetensors_file **out, dctdiff_error *err);
void safetensors_close(safetensors_file *f);

/* NULL when absent. */
const safetensors_tensor *safetensors_find(const safetensors_file *f, const char *name);
const char *safetensors_meta(const safetensors_file *f, const char *key);

const char *safetensors_dtype_name(safetensors_dtype d);
size_t safetensors_dtype_size(safetensors_dtype d);

/* Converts t's count elements to float32. */
void safetensors_read_f32(const safetensors_tensor *t, float *dst);
/* Gives the pages of a mapped file that hold only t's data back to the
 * system once t is converted (they are read again from the file if
 * touched): loading then never holds the file and the float32 copy of
 * every weight at once.  Tensors not in a mapped file are left alone. */
void safetensors_release(const safetensors_file *f, const safetensors_tensor *t);

#endif
