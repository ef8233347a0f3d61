/* safetensors_write.c - the writer of safetensors_write.h. */
#include "model/safetensors_write.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *header_json(const safetensors_file *f, const char *const *keys,
                           const char *const *values, int n)
{
    json_t *root = json_object(), *meta = json_object();
    int ok = root && meta && json_object_set(root, "__metadata__", meta) == 0;
    for (int i = 0; ok && i < n; i++)
        ok = json_object_set_new(meta, keys[i], json_string(values[i])) == 0;
    size_t offset = 0;
    for (int i = 0; ok && i < f->count; i++) {
        const safetensors_tensor *t = &f->tensors[i];
        size_t bytes = t->count * safetensors_dtype_size(t->dtype);
        json_t *shape = json_array(), *entry = json_object();
        for (int d = 0; shape && d < t->ndim; d++)
            json_array_append_new(shape, json_integer(t->shape[d]));
        ok = shape && entry &&
             json_object_set_new(entry, "dtype", json_string(safetensors_dtype_name(t->dtype))) == 0 &&
             json_object_set_new(entry, "shape", shape) == 0 &&
             json_object_set_new(entry, "data_offsets",
                                 json_pack("[II]", (json_int_t)offset,
                                           (json_int_t)(offset + bytes))) == 0 &&
             json_object_set_new(root, t->name, entry) == 0;
        offset += bytes;
    }
    json_decref(meta);
    if (!ok) {
        json_decref(root);
        return NULL;
    }
    return root;
}

static int write_all(FILE *fp, const safetensors_file *f, const char *text)
{
    size_t len = strlen(text), padded = (len + 7) & ~(size_t)7;
    unsigned char size[8];
    for (int i = 0; i < 8; i++)
        size[i] = (unsigned char)((uint64_t)padded >> (8 * i));
    int ok = fwrite(size, 1, 8, fp) == 8 && fwrite(text, 1, len, fp) == len;
    for (size_t i = len; ok && i < padded; i++)
        ok = fputc(' ', fp) != EOF;
    for (int i = 0; ok && i < f->count; i++) {
        const safetensors_tensor *t = &f->tensors[i];
        size_t bytes = t->count * safetensors_dtype_size(t->dtype);
        ok = bytes == 0 || fwrite(t->data, 1, bytes, fp) == bytes;
    }
    return ok;
}

dctdiff_status safetensors_write(const char *path, const safetensors_file *f,
                                 const char *const *keys, const char *const *values, int n,
                                 dctdiff_error *err)
{
    json_t *root = header_json(f, keys, values, n);
    char *text = root ? json_dumps(root, JSON_COMPACT) : NULL;
    json_decref(root);
    if (!text)
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the header", path);
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) {
        free(text);
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory", path);
    }
    snprintf(tmp, plen + 16, "%s.partXXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    dctdiff_status st = DCTDIFF_OK;
    if (!fp) {
        st = dd_fail(err, DCTDIFF_E_IO, "%s: cannot create: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
    } else {
        int ok = write_all(fp, f, text);
        int saved = errno;
        if (fclose(fp) != 0 && ok) {
            ok = 0;
            saved = errno;
        }
        if (ok && rename(tmp, path) != 0) {
            ok = 0;
            saved = errno;
        }
        if (!ok)
            st = dd_fail(err, DCTDIFF_E_IO, "%s: cannot write: %s", path, strerror(saved));
    }
    if (st != DCTDIFF_OK && fd >= 0)
        unlink(tmp);
    free(tmp);
    free(text);
    return st;
}
