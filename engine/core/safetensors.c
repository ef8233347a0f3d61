/* safetensors.c - map a safetensors file and validate every byte of its
 * header before anyone reads a tensor.  A model file comes from the user's
 * disk or the internet: no offset or size in it is trusted. */
#include "core/safetensors.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* No model dimension comes near this; a larger one is a corrupt header. */
#define MAX_DIM ((int64_t)1 << 32)

static const struct {
    const char *name;
    size_t size;
} dtypes[] = {
    [SAFETENSORS_F32] = {"F32", 4},
    [SAFETENSORS_F16] = {"F16", 2},
    [SAFETENSORS_BF16] = {"BF16", 2},
};

/* Valid safetensors dtypes this engine does not compute with. */
static const char *const other_dtypes[] = {
    "F64", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL",
    "F8_E4M3", "F8_E5M2", NULL,
};

const char *safetensors_dtype_name(safetensors_dtype d) { return dtypes[d].name; }
size_t safetensors_dtype_size(safetensors_dtype d) { return dtypes[d].size; }

/* Byte range of one tensor in the data section, for the overlap check. */
typedef struct {
    size_t begin, end;
    int index;
} span;

static dctdiff_status parse_dtype(const char *label, const char *name, json_t *v,
                                  safetensors_dtype *out, dctdiff_error *err)
{
    const char *s = json_string_value(v);
    if (!s)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': dtype is missing or not a string",
                       label, name);
    for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
        if (strcmp(s, dtypes[i].name) == 0) {
            *out = (safetensors_dtype)i;
            return DCTDIFF_OK;
        }
    for (int i = 0; other_dtypes[i]; i++)
        if (strcmp(s, other_dtypes[i]) == 0)
            return dd_fail(err, DCTDIFF_E_UNSUPPORTED,
                           "%s: tensor '%s': dtype %s is not supported (F32, F16 or BF16 only)",
                           label, name, s);
    return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': unknown dtype '%.20s'", label, name, s);
}

static dctdiff_status parse_shape(const char *label, safetensors_tensor *t, json_t *v,
                                  dctdiff_error *err)
{
    if (!json_is_array(v))
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': shape is missing or not a list",
                       label, t->name);
    size_t n = json_array_size(v);
    if (n > SAFETENSORS_MAX_DIMS)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': %zu dimensions (at most %d)",
                       label, t->name, n, SAFETENSORS_MAX_DIMS);
    t->ndim = (int)n;
    t->count = 1;
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_array_get(v, i);
        if (!json_is_integer(d) || json_integer_value(d) < 0)
            return dd_fail(err, DCTDIFF_E_FORMAT,
                           "%s: tensor '%s': dimension %zu is not a non-negative integer",
                           label, t->name, i);
        int64_t dim = json_integer_value(d);
        if (dim > MAX_DIM)
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': dimension %zu is %lld, too large",
                           label, t->name, i, (long long)dim);
        if (dim != 0 && t->count > SIZE_MAX / 16 / (size_t)dim)
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': shape overflows a size",
                           label, t->name);
        t->shape[i] = dim;
        t->count *= (size_t)dim;
    }
    return DCTDIFF_OK;
}

static int read_offset(json_t *v, size_t i, size_t *out)
{
    json_t *o = json_array_get(v, i);
    if (!json_is_integer(o) || json_integer_value(o) < 0)
        return 0;
    *out = (size_t)json_integer_value(o);
    return 1;
}

static dctdiff_status parse_offsets(const char *label, const safetensors_tensor *t, json_t *v,
                                    size_t data_size, span *s, dctdiff_error *err)
{
    if (!json_is_array(v) || json_array_size(v) != 2 || !read_offset(v, 0, &s->begin) ||
        !read_offset(v, 1, &s->end))
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: tensor '%s': data_offsets is not a pair of non-negative integers",
                       label, t->name);
    if (s->begin > s->end)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': data offsets %zu..%zu are reversed",
                       label, t->name, s->begin, s->end);
    if (s->end > data_size)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: tensor '%s': data offsets %zu..%zu run past the end of the data (%zu bytes)",
                       label, t->name, s->begin, s->end, data_size);
    size_t need = t->count * dtypes[t->dtype].size;
    if (s->end - s->begin != need)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: tensor '%s': data offsets %zu..%zu hold %zu bytes, its %s shape needs %zu",
                       label, t->name, s->begin, s->end, s->end - s->begin, dtypes[t->dtype].name,
                       need);
    return DCTDIFF_OK;
}

static dctdiff_status parse_tensor(const char *label, safetensors_tensor *t, json_t *v,
                                   const unsigned char *data, size_t data_size, span *s,
                                   dctdiff_error *err)
{
    if (!json_is_object(v))
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: tensor '%s': entry is not an object", label,
                       t->name);
    dctdiff_status st = parse_dtype(label, t->name, json_object_get(v, "dtype"), &t->dtype, err);
    if (st == DCTDIFF_OK)
        st = parse_shape(label, t, json_object_get(v, "shape"), err);
    if (st == DCTDIFF_OK)
        st = parse_offsets(label, t, json_object_get(v, "data_offsets"), data_size, s, err);
    t->data = data + s->begin;
    return st;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static dctdiff_status check_overlap(const char *label, const safetensors_file *f, span *spans,
                                    dctdiff_error *err)
{
    qsort(spans, (size_t)f->count, sizeof *spans, span_cmp);
    const span *prev = NULL;
    for (int i = 0; i < f->count; i++) {
        const span *s = &spans[i];
        if (s->begin == s->end)
            continue;                         /* empty tensors share no bytes */
        if (prev && s->begin < prev->end)
            return dd_fail(err, DCTDIFF_E_FORMAT,
                           "%s: tensors '%s' (bytes %zu..%zu) and '%s' (bytes %zu..%zu) overlap",
                           label, f->tensors[prev->index].name, prev->begin, prev->end,
                           f->tensors[s->index].name, s->begin, s->end);
        prev = s;
    }
    return DCTDIFF_OK;
}

/* Copies s into the string store at *pos. */
static char *store(char **pos, const char *s)
{
    size_t n = strlen(s) + 1;
    char *dst = memcpy(*pos, s, n);
    *pos += n;
    return dst;
}

static dctdiff_status parse_metadata(const char *label, safetensors_file *f, json_t *meta,
                                     char **pos, dctdiff_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach(meta, key, v) {
        if (!json_is_string(v))
            return dd_fail(err, DCTDIFF_E_FORMAT, "%s: __metadata__ '%s' is not a string", label,
                           key);
        f->meta_keys[f->meta_count] = store(pos, key);
        f->meta_values[f->meta_count] = store(pos, json_string_value(v));
        f->meta_count++;
    }
    return DCTDIFF_OK;
}

/* Sizes the arrays and the string store for the header's entries. */
static dctdiff_status alloc_file(const char *label, json_t *root, json_t *meta,
                                 safetensors_file **out, dctdiff_error *err)
{
    size_t ntensors = json_object_size(root) - (meta != NULL);
    size_t nmeta = meta ? json_object_size(meta) : 0;
    size_t chars = 0;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
        chars += strlen(key) + 1;
    if (meta)
        json_object_foreach(meta, key, v)
            chars += strlen(key) + 1 + (json_is_string(v) ? strlen(json_string_value(v)) + 1 : 0);

    safetensors_file *f = calloc(1, sizeof *f);
    if (f) {
        f->tensors = calloc(ntensors + 1, sizeof *f->tensors);
        f->meta_keys = calloc(nmeta + 1, sizeof *f->meta_keys);
        f->meta_values = calloc(nmeta + 1, sizeof *f->meta_values);
        f->strings = malloc(chars + 1);
    }
    if (!f || !f->tensors || !f->meta_keys || !f->meta_values || !f->strings) {
        safetensors_close(f);
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for a header of %zu entries", label,
                       ntensors + nmeta);
    }
    *out = f;
    return DCTDIFF_OK;
}

static dctdiff_status parse_header(const char *label, json_t *root, const unsigned char *body,
                                   size_t body_size, safetensors_file **out, dctdiff_error *err)
{
    json_t *meta = json_object_get(root, "__metadata__");
    if (meta && !json_is_object(meta))
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: __metadata__ is not an object", label);
    safetensors_file *f = NULL;
    dctdiff_status st = alloc_file(label, root, meta, &f, err);
    if (st != DCTDIFF_OK)
        return st;
    span *spans = calloc(json_object_size(root) + 1, sizeof *spans);
    if (!spans) {
        safetensors_close(f);
        return dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the tensor table", label);
    }
    char *pos = f->strings;
    if (meta)
        st = parse_metadata(label, f, meta, &pos, err);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (st != DCTDIFF_OK)
            break;
        if (v == meta)
            continue;
        safetensors_tensor *t = &f->tensors[f->count];
        t->name = store(&pos, key);
        spans[f->count].index = f->count;
        st = parse_tensor(label, t, v, body, body_size, &spans[f->count], err);
        f->count++;
    }
    if (st == DCTDIFF_OK)
        st = check_overlap(label, f, spans, err);
    free(spans);
    if (st != DCTDIFF_OK) {
        safetensors_close(f);
        return st;
    }
    *out = f;
    return DCTDIFF_OK;
}

dctdiff_status safetensors_parse(const char *label, const void *data, size_t size,
                                 safetensors_file **out, dctdiff_error *err)
{
    const unsigned char *p = data;
    *out = NULL;
    if (size < 8)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: %zu bytes, too short for a safetensors header",
                       label, size);
    uint64_t hlen = 0;
    for (int i = 7; i >= 0; i--)
        hlen = hlen << 8 | p[i];
    if (hlen > SAFETENSORS_MAX_HEADER)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: header length %llu is over the %u-byte limit",
                       label, (unsigned long long)hlen, SAFETENSORS_MAX_HEADER);
    if (hlen > size - 8)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: header length %llu runs past the end of the file (%zu bytes)", label,
                       (unsigned long long)hlen, size);

    json_error_t jerr;
    json_t *root = json_loadb((const char *)p + 8, (size_t)hlen, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: header is not valid JSON: %s (line %d, column %d)",
                       label, jerr.text, jerr.line, jerr.column);
    dctdiff_status st = json_is_object(root)
        ? parse_header(label, root, p + 8 + hlen, size - 8 - (size_t)hlen, out, err)
        : dd_fail(err, DCTDIFF_E_FORMAT, "%s: header is not a JSON object", label);
    json_decref(root);
    return st;
}

dctdiff_status safetensors_open(const char *path, safetensors_file **out, dctdiff_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *label = slash ? slash + 1 : path;
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return dd_fail(err, DCTDIFF_E_IO, "%s: cannot open: %s", label, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return dd_fail(err, DCTDIFF_E_IO, "%s: not a regular file", label);
    }
    size_t size = (size_t)sb.st_size;
    if (size < 8) {
        close(fd);
        return dd_fail(err, DCTDIFF_E_FORMAT, "%s: %zu bytes, too short for a safetensors header",
                       label, size);
    }
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    int map_errno = errno;
    close(fd);
    if (map == MAP_FAILED)
        return dd_fail(err, DCTDIFF_E_IO, "%s: cannot map %zu bytes: %s", label, size,
                       strerror(map_errno));
    dctdiff_status st = safetensors_parse(label, map, size, out, err);
    if (st != DCTDIFF_OK) {
        munmap(map, size);
        return st;
    }
    (*out)->map = map;
    (*out)->map_size = size;
    return DCTDIFF_OK;
}

void safetensors_close(safetensors_file *f)
{
    if (!f)
        return;
    if (f->map)
        munmap(f->map, f->map_size);
    free(f->tensors);
    free(f->meta_keys);
    free(f->meta_values);
    free(f->strings);
    for (int i = 0; i < f->owned_count; i++)
        free(f->owned[i]);
    free(f->owned);
    free(f);
}

const safetensors_tensor *safetensors_find(const safetensors_file *f, const char *name)
{
    for (int i = 0; i < f->count; i++)
        if (strcmp(f->tensors[i].name, name) == 0)
            return &f->tensors[i];
    return NULL;
}

const char *safetensors_meta(const safetensors_file *f, const char *key)
{
    for (int i = 0; i < f->meta_count; i++)
        if (strcmp(f->meta_keys[i], key) == 0)
            return f->meta_values[i];
    return NULL;
}

static float from_bits(uint32_t bits)
{
    float v;
    memcpy(&v, &bits, sizeof v);
    return v;
}

static float half_to_float(uint16_t h)
{
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu, man = h & 0x3ffu;
    if (exp == 0x1f)                                  /* inf, nan */
        return from_bits(sign | 0x7f800000u | man << 13);
    if (exp == 0) {                                   /* zero, subnormal: man * 2^-24 */
        float v = ldexpf((float)man, -24);
        return sign ? -v : v;
    }
    return from_bits(sign | (exp + 112) << 23 | man << 13);
}

/* Tensor bytes are little-endian and may be unaligned: memcpy on
 * little-endian hosts, otherwise assemble by bytes. */
void safetensors_release(const safetensors_file *f, const safetensors_tensor *t)
{
    const uintptr_t map = (uintptr_t)f->map, data = (uintptr_t)t->data;
    if (!f->map || data < map || data >= map + f->map_size)
        return;
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t end = data + t->count * safetensors_dtype_size(t->dtype);
    const uintptr_t first = (data + page - 1) / page * page, last = end / page * page;
    if (last > first)
        madvise((void *)first, last - first, MADV_DONTNEED);
}

void safetensors_read_f32(const safetensors_tensor *t, float *dst)
{
    const unsigned char *b = t->data;
    size_t n = t->count;
    switch (t->dtype) {
    case SAFETENSORS_F32:
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        memcpy(dst, b, n * sizeof *dst);
#else
        for (size_t i = 0; i < n; i++)
            dst[i] = from_bits((uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                               (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24);
#endif
        break;
    case SAFETENSORS_F16:
        for (size_t i = 0; i < n; i++)
            dst[i] = half_to_float((uint16_t)(b[2 * i] | b[2 * i + 1] << 8));
        break;
    case SAFETENSORS_BF16:
        for (size_t i = 0; i < n; i++)
            dst[i] = from_bits((uint32_t)b[2 * i] << 16 | (uint32_t)b[2 * i + 1] << 24);
        break;
    }
}
