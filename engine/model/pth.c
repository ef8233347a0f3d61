/* pth.c - torch.save state_dicts (pth.h): the archive, the tensors.
 *
 * Every number the pickle gives is checked against the archive before it is
 * used: a storage must be an uncompressed entry of exactly its element count
 * times its element size, a tensor's offset, shape and strides must stay
 * inside its storage, and no tensor may hold more elements than its storage
 * (a state_dict's tensors are dense), so memory stays below the archive's
 * own size plus the pickle's bounded tree. */
#include "model/pth.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "model/pickle.h"

/* data.pkl of a state_dict is a few hundred KB. */
#define MAX_PICKLE (64u << 20)
/* Storage keys torch writes are decimal numbers; allow names, not paths. */
#define MAX_KEY 64

/* First name components of wrappers around a state_dict (DataParallel, EMA
 * holders, training states), and keys under which a training state keeps the
 * weights; the same lists as weights/convert_official.py. */
static const char *const wrapper_prefixes[] = {"module", "ema", "nnet_ema", "nnet", "model",
                                               "_orig_mod", NULL};
static const char *const nested_keys[] = {"nnet_ema", "ema", "state_dict", "model", "nnet", NULL};

typedef struct {
    char key[MAX_KEY + 1];
    safetensors_dtype dtype;
    uint64_t numel;
    unsigned char *bytes;   /* NULL when only shapes are read */
} storage;

typedef struct {
    const char *label;
    zip_t *zip;
    char prefix[256];
    uint64_t archive_size, loaded;   /* bytes read from storages and gathered */
    pth_read what;
    const pickle *pk;
    storage *storages;
    int nstorages;
    safetensors_file *out;
    dctdiff_error *err;
} reader;

int pth_is_zip(const void *head, size_t size)
{
    return size >= 4 && memcmp(head, "PK\003\004", 4) == 0;
}

static dctdiff_status zip_failed(const reader *r, const char *what, zip_error_t *ze)
{
    dctdiff_status st = dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: %s: %s", r->label, what,
                                zip_error_strerror(ze));
    zip_error_fini(ze);
    return st;
}

/* ------------------------------------------------------------------------ */
/* The archive                                                              */

/* The one top folder that holds data.pkl. */
static dctdiff_status find_prefix(reader *r)
{
    zip_int64_t n = zip_get_num_entries(r->zip, 0);
    int found = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(r->zip, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        const char *slash = name ? strchr(name, '/') : NULL;
        if (!slash || strcmp(slash, "/data.pkl") != 0)
            continue;
        if (found++)
            return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: more than one data.pkl in the archive",
                           r->label);
        if ((size_t)(slash - name) >= sizeof r->prefix)
            return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: archive folder name too long", r->label);
        memcpy(r->prefix, name, (size_t)(slash - name));
        r->prefix[slash - name] = '\0';
    }
    if (!found)
        return dd_fail(r->err, DCTDIFF_E_FORMAT,
                       "%s: a zip archive without FOLDER/data.pkl, not a torch.save file", r->label);
    return DCTDIFF_OK;
}

/* Locates prefix/rest and checks its size is in the archive. */
static dctdiff_status stat_entry(const reader *r, const char *rest, zip_uint64_t *index,
                                 zip_stat_t *sb)
{
    char name[512];
    snprintf(name, sizeof name, "%s/%s", r->prefix, rest);
    zip_int64_t i = zip_name_locate(r->zip, name, ZIP_FL_ENC_RAW);
    if (i < 0)
        return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: the archive has no entry '%s'", r->label,
                       name);
    zip_stat_init(sb);
    if (zip_stat_index(r->zip, (zip_uint64_t)i, 0, sb) != 0 ||
        !(sb->valid & ZIP_STAT_SIZE) || !(sb->valid & ZIP_STAT_COMP_SIZE) ||
        !(sb->valid & ZIP_STAT_COMP_METHOD))
        return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: entry '%s' has no size", r->label, name);
    if ((sb->valid & ZIP_STAT_ENCRYPTION_METHOD) && sb->encryption_method != ZIP_EM_NONE)
        return dd_fail(r->err, DCTDIFF_E_UNSUPPORTED, "%s: entry '%s' is encrypted", r->label,
                       name);
    if (sb->comp_size > r->archive_size)
        return dd_fail(r->err, DCTDIFF_E_FORMAT,
                       "%s: entry '%s' claims %llu bytes, more than the archive's %llu", r->label,
                       name, (unsigned long long)sb->comp_size,
                       (unsigned long long)r->archive_size);
    *index = (zip_uint64_t)i;
    return DCTDIFF_OK;
}

/* Reads entry index of sb->size bytes into a new buffer. */
static dctdiff_status read_entry(const reader *r, zip_uint64_t index, const zip_stat_t *sb,
                                 unsigned char **out)
{
    *out = NULL;
    unsigned char *buf = malloc(sb->size ? sb->size : 1);
    if (!buf)
        return dd_fail(r->err, DCTDIFF_E_NOMEM, "%s: no memory for %llu bytes of '%s'", r->label,
                       (unsigned long long)sb->size, sb->name);
    zip_file_t *zf = zip_fopen_index(r->zip, index, 0);
    zip_int64_t got = zf ? zip_fread(zf, buf, sb->size) : -1;
    char extra;
    /* Reading past the end makes libzip check the CRC. */
    zip_int64_t more = zf && got >= 0 ? zip_fread(zf, &extra, 1) : -1;
    const char *why = zf ? zip_file_strerror(zf) : zip_strerror(r->zip);
    dctdiff_status st = got == (zip_int64_t)sb->size && more == 0
        ? DCTDIFF_OK
        : dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: cannot read '%s': %s", r->label, sb->name,
                  got >= 0 && more >= 0 ? "shorter or longer than its size" : why);
    if (zf)
        zip_fclose(zf);
    if (st != DCTDIFF_OK) {
        free(buf);
        return st;
    }
    *out = buf;
    return DCTDIFF_OK;
}

static dctdiff_status check_byteorder(const reader *r)
{
    char name[300];
    snprintf(name, sizeof name, "%s/byteorder", r->prefix);
    if (zip_name_locate(r->zip, name, ZIP_FL_ENC_RAW) < 0)
        return DCTDIFF_OK;   /* older torch: always little-endian */
    zip_uint64_t index;
    zip_stat_t sb;
    unsigned char *text = NULL;
    dctdiff_status st = stat_entry(r, "byteorder", &index, &sb);
    if (st == DCTDIFF_OK && sb.size > 16)
        st = dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: byteorder entry is %llu bytes", r->label,
                     (unsigned long long)sb.size);
    if (st == DCTDIFF_OK)
        st = read_entry(r, index, &sb, &text);
    if (st == DCTDIFF_OK && !(sb.size == 6 && memcmp(text, "little", 6) == 0))
        st = dd_fail(r->err, DCTDIFF_E_UNSUPPORTED,
                     "%s: tensors are stored big-endian; only little-endian files are read",
                     r->label);
    free(text);
    return st;
}

/* ------------------------------------------------------------------------ */
/* Values                                                                   */

static const pk_node *item(const reader *r, const pk_node *n, uint32_t i)
{
    return pickle_node(r->pk, n->items[i]);
}

static int is_int_in(const pk_node *n, int64_t lo, int64_t hi)
{
    return n->kind == PK_INT && n->i >= lo && n->i <= hi;
}

static dctdiff_status bad_tensor(const reader *r, const char *name, const char *why)
{
    return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: tensor '%s': %s", r->label, name, why);
}

/* Storage keys become entry names: letters, digits and '_' only. */
static int is_key(const pk_node *k)
{
    if (k->kind != PK_STR || k->len == 0 || k->len > MAX_KEY)
        return 0;
    for (size_t i = 0; i < k->len; i++) {
        char c = k->s[i];
        if (!(c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z')))
            return 0;
    }
    return 1;
}

static const storage *find_storage(const reader *r, const char *key)
{
    for (int i = 0; i < r->nstorages; i++)
        if (strcmp(r->storages[i].key, key) == 0)
            return &r->storages[i];
    return NULL;
}

/* The persistent id ('storage', class, key, location, numel) as a storage,
 * read from the archive the first time its key is seen. */
static dctdiff_status load_storage(reader *r, const char *name, const pk_node *pid,
                                   const storage **out)
{
    static const safetensors_dtype dtype_of[] = {
        [PK_G_FLOAT_STORAGE] = SAFETENSORS_F32,
        [PK_G_HALF_STORAGE] = SAFETENSORS_F16,
        [PK_G_BFLOAT16_STORAGE] = SAFETENSORS_BF16,
    };
    if (pid->n != 5 || !pickle_str_is(item(r, pid, 0), "storage"))
        return bad_tensor(r, name, "persistent id is not ('storage', class, key, location, size)");
    const pk_node *cls = item(r, pid, 1), *key = item(r, pid, 2), *numel = item(r, pid, 4);
    if (cls->kind != PK_GLOBAL || cls->global < PK_G_FLOAT_STORAGE)
        return bad_tensor(r, name, "storage class is not FloatStorage, HalfStorage or "
                          "BFloat16Storage");
    if (!is_key(key))
        return bad_tensor(r, name, "storage key is not a short name");
    if (item(r, pid, 3)->kind != PK_STR || !is_int_in(numel, 0, (int64_t)1 << 40))
        return bad_tensor(r, name, "storage location or size is invalid");
    char k[MAX_KEY + 1];
    memcpy(k, key->s, key->len);
    k[key->len] = '\0';
    safetensors_dtype dtype = dtype_of[cls->global];
    const storage *known = find_storage(r, k);
    if (known) {
        if (known->dtype != dtype || known->numel != (uint64_t)numel->i)
            return bad_tensor(r, name, "storage is named again with another type or size");
        *out = known;
        return DCTDIFF_OK;
    }

    char rest[MAX_KEY + 8];
    snprintf(rest, sizeof rest, "data/%s", k);
    zip_uint64_t index;
    zip_stat_t sb;
    dctdiff_status st = stat_entry(r, rest, &index, &sb);
    if (st != DCTDIFF_OK)
        return st;
    uint64_t bytes = (uint64_t)numel->i * safetensors_dtype_size(dtype);
    if (sb.comp_method != ZIP_CM_STORE)
        return dd_fail(r->err, DCTDIFF_E_FORMAT,
                       "%s: storage '%s' is compressed; torch.save stores storages uncompressed",
                       r->label, k);
    if (sb.size != bytes)
        return dd_fail(r->err, DCTDIFF_E_FORMAT,
                       "%s: storage '%s' is %llu bytes, its %lld %s elements need %llu", r->label,
                       k, (unsigned long long)sb.size, (long long)numel->i,
                       safetensors_dtype_name(dtype), (unsigned long long)bytes);
    storage s = {.dtype = dtype, .numel = (uint64_t)numel->i};
    memcpy(s.key, k, sizeof k);
    if (r->what == PTH_WEIGHTS) {
        if ((r->loaded += bytes) > r->archive_size)
            return dd_fail(r->err, DCTDIFF_E_FORMAT,
                           "%s: storages hold more bytes than the archive (entries overlap)",
                           r->label);
        if ((st = read_entry(r, index, &sb, &s.bytes)) != DCTDIFF_OK)
            return st;
    }
    r->storages[r->nstorages++] = s;
    *out = &r->storages[r->nstorages - 1];
    return DCTDIFF_OK;
}

/* A size or stride tuple of ndim integers in 0..hi. */
static int read_dims(const reader *r, const pk_node *t, int64_t hi, int64_t *dims)
{
    if (t->kind != PK_TUPLE || t->n > SAFETENSORS_MAX_DIMS)
        return 0;
    for (uint32_t i = 0; i < t->n; i++) {
        if (!is_int_in(item(r, t, i), 0, hi))
            return 0;
        dims[i] = item(r, t, i)->i;
    }
    return 1;
}

/* Whether the strided view stays inside numel elements from offset. */
static int view_fits(const safetensors_tensor *t, uint64_t offset, const int64_t *stride,
                     uint64_t numel)
{
    if (t->count == 0)
        return offset <= numel;
    if (offset >= numel)
        return 0;
    uint64_t last = offset;
    for (int i = 0; i < t->ndim; i++) {
        uint64_t extent = (uint64_t)t->shape[i] - 1, s = (uint64_t)stride[i];
        if (extent && s && extent > (numel - 1 - last) / s)
            return 0;
        last += extent * s;
    }
    return 1;
}

static int is_row_major(const safetensors_tensor *t, const int64_t *stride)
{
    int64_t expect = 1;
    for (int i = t->ndim - 1; i >= 0; i--) {
        if (t->shape[i] != 1 && stride[i] != expect)
            return 0;
        expect *= t->shape[i];
    }
    return 1;
}

/* Copies a strided view into a new row-major buffer. */
static dctdiff_status gather(reader *r, safetensors_tensor *t, const unsigned char *base,
                             const int64_t *stride)
{
    size_t esize = safetensors_dtype_size(t->dtype), bytes = t->count * esize;
    if ((r->loaded += bytes) > r->archive_size)
        return bad_tensor(r, t->name, "strided views hold more bytes than the archive");
    unsigned char *dst = malloc(bytes ? bytes : 1);
    if (!dst)
        return dd_fail(r->err, DCTDIFF_E_NOMEM, "%s: no memory for tensor '%s'", r->label,
                       t->name);
    r->out->owned[r->out->owned_count++] = dst;
    int64_t index[SAFETENSORS_MAX_DIMS] = {0};
    for (size_t e = 0; e < t->count; e++) {
        size_t at = 0;
        for (int i = 0; i < t->ndim; i++)
            at += (size_t)(index[i] * stride[i]);
        memcpy(dst + e * esize, base + at * esize, esize);
        for (int i = t->ndim - 1; i >= 0 && ++index[i] == t->shape[i]; i--)
            index[i] = 0;
    }
    t->data = dst;
    return DCTDIFF_OK;
}

/* _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks
 * [, metadata]) as a checked tensor. */
static dctdiff_status make_tensor(reader *r, const pk_node *v, safetensors_tensor *t)
{
    if (v->kind != PK_TENSOR)
        return bad_tensor(r, t->name, "value is not a tensor");
    if (v->n < 6 || v->n > 7 || item(r, v, 0)->kind != PK_STORAGE)
        return bad_tensor(r, t->name, "_rebuild_tensor_v2 arguments are not (storage, offset, "
                          "size, stride, requires_grad, hooks)");
    const storage *s = NULL;
    dctdiff_status st = load_storage(r, t->name, item(r, v, 0), &s);
    if (st != DCTDIFF_OK)
        return st;
    int64_t stride[SAFETENSORS_MAX_DIMS];
    if (!is_int_in(item(r, v, 1), 0, (int64_t)1 << 40) ||
        !read_dims(r, item(r, v, 2), (int64_t)1 << 32, t->shape) ||
        !read_dims(r, item(r, v, 3), (int64_t)1 << 40, stride) ||
        item(r, v, 2)->n != item(r, v, 3)->n)
        return bad_tensor(r, t->name, "offset, size or stride is not a tuple of "
                          "non-negative integers");
    t->dtype = s->dtype;
    t->ndim = (int)item(r, v, 2)->n;
    t->count = 1;
    for (int i = 0; i < t->ndim; i++) {
        if (t->shape[i] && t->count > s->numel / (uint64_t)t->shape[i])
            return bad_tensor(r, t->name, "holds more elements than its storage");
        t->count *= (size_t)t->shape[i];
    }
    uint64_t offset = (uint64_t)item(r, v, 1)->i;
    if (!view_fits(t, offset, stride, s->numel))
        return bad_tensor(r, t->name, "offset, size and stride reach past its storage");
    t->data = NULL;
    if (!s->bytes)
        return DCTDIFF_OK;
    const unsigned char *base = s->bytes + offset * safetensors_dtype_size(s->dtype);
    if (is_row_major(t, stride)) {
        t->data = base;
        return DCTDIFF_OK;
    }
    return gather(r, t, base, stride);
}

/* ------------------------------------------------------------------------ */
/* The state_dict                                                           */

static int is_state_dict(const reader *r, const pk_node *d)
{
    if (d->kind != PK_DICT || d->n == 0)
        return 0;
    for (uint32_t i = 0; i < d->n; i += 2)
        if (item(r, d, i)->kind != PK_STR || item(r, d, i + 1)->kind != PK_TENSOR)
            return 0;
    return 1;
}

static dctdiff_status find_state_dict(const reader *r, const pk_node **out)
{
    const pk_node *root = pickle_root(r->pk);
    if (is_state_dict(r, root)) {
        *out = root;
        return DCTDIFF_OK;
    }
    for (int k = 0; root->kind == PK_DICT && nested_keys[k]; k++)
        for (uint32_t i = 0; i < root->n; i += 2)
            if (pickle_str_is(item(r, root, i), nested_keys[k]) &&
                is_state_dict(r, item(r, root, i + 1))) {
                *out = item(r, root, i + 1);
                return DCTDIFF_OK;
            }
    return dd_fail(r->err, DCTDIFF_E_FORMAT,
                   "%s: not a state_dict (a dict of tensors, or one under 'nnet_ema', 'ema', "
                   "'state_dict', 'model' or 'nnet')", r->label);
}

/* How many leading name components every key shares and that are wrapper
 * prefixes ("module.", "ema.", ...), stopped once a key is a network name. */
static size_t shared_prefix(const reader *r, const pk_node *d)
{
    size_t cut = 0;
    for (;;) {
        const pk_node *k0 = item(r, d, 0);
        const char *dot = memchr(k0->s + cut, '.', k0->len - cut);
        if (!dot)
            return cut;
        size_t head = (size_t)(dot - (k0->s + cut));
        int wrapper = 0;
        for (int p = 0; wrapper_prefixes[p]; p++)
            wrapper |= strlen(wrapper_prefixes[p]) == head &&
                       memcmp(wrapper_prefixes[p], k0->s + cut, head) == 0;
        for (uint32_t i = 0; wrapper && i < d->n; i += 2) {
            const pk_node *k = item(r, d, i);
            wrapper = k->len > cut + head + 1 && memcmp(k->s, k0->s, cut + head + 1) == 0;
        }
        if (!wrapper)
            return cut;
        cut += head + 1;
    }
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(((const safetensors_tensor *)a)->name, ((const safetensors_tensor *)b)->name);
}

static dctdiff_status build_tensors(reader *r, const pk_node *d)
{
    uint32_t n = d->n / 2;
    size_t cut = shared_prefix(r, d), chars = 0;
    for (uint32_t i = 0; i < d->n; i += 2)
        chars += item(r, d, i)->len - cut + 1;
    safetensors_file *f = r->out;
    f->tensors = calloc(n, sizeof *f->tensors);
    f->strings = malloc(chars);
    f->owned = calloc(2 * (size_t)n, sizeof *f->owned);   /* storages + gathered views */
    r->storages = calloc(n, sizeof *r->storages);
    if (!f->tensors || !f->strings || !f->owned || !r->storages)
        return dd_fail(r->err, DCTDIFF_E_NOMEM, "%s: no memory for %u tensors", r->label, n);
    char *pos = f->strings;
    dctdiff_status st = DCTDIFF_OK;
    for (uint32_t i = 0; i < n && st == DCTDIFF_OK; i++) {
        const pk_node *k = item(r, d, 2 * i);
        if (memchr(k->s, '\0', k->len))
            return dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: a tensor name holds a NUL byte",
                           r->label);
        safetensors_tensor *t = &f->tensors[f->count++];
        memcpy(pos, k->s + cut, k->len - cut);
        pos[k->len - cut] = '\0';
        t->name = pos;
        pos += k->len - cut + 1;
        st = make_tensor(r, item(r, d, 2 * i + 1), t);
    }
    /* Keep the pickle's order for the caller; check duplicates on a copy. */
    safetensors_tensor *sorted = st == DCTDIFF_OK ? malloc(n * sizeof *sorted) : NULL;
    if (st == DCTDIFF_OK && !sorted)
        return dd_fail(r->err, DCTDIFF_E_NOMEM, "%s: no memory for %u tensors", r->label, n);
    if (sorted) {
        memcpy(sorted, f->tensors, n * sizeof *sorted);
        qsort(sorted, n, sizeof *sorted, name_cmp);
        for (uint32_t i = 1; i < n && st == DCTDIFF_OK; i++)
            if (strcmp(sorted[i - 1].name, sorted[i].name) == 0)
                st = dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: tensor '%s' appears twice", r->label,
                             sorted[i].name);
        free(sorted);
    }
    return st;
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                             */

static dctdiff_status read_archive(reader *r)
{
    zip_uint64_t index;
    zip_stat_t sb;
    unsigned char *pkl = NULL;
    pickle *pk = NULL;
    const pk_node *d = NULL;
    dctdiff_status st = find_prefix(r);
    if (st == DCTDIFF_OK)
        st = check_byteorder(r);
    if (st == DCTDIFF_OK)
        st = stat_entry(r, "data.pkl", &index, &sb);
    if (st == DCTDIFF_OK && sb.size > MAX_PICKLE)
        st = dd_fail(r->err, DCTDIFF_E_FORMAT, "%s: data.pkl is %llu bytes, over the %u limit",
                     r->label, (unsigned long long)sb.size, MAX_PICKLE);
    if (st == DCTDIFF_OK)
        st = read_entry(r, index, &sb, &pkl);
    if (st == DCTDIFF_OK)
        st = pickle_load(r->label, pkl, (size_t)sb.size, &pk, r->err);
    r->pk = pk;
    if (st == DCTDIFF_OK)
        st = find_state_dict(r, &d);
    if (st == DCTDIFF_OK)
        st = build_tensors(r, d);
    /* The tensors point into storages, now owned by the table. */
    for (int i = 0; i < r->nstorages; i++)
        if (r->storages[i].bytes)
            r->out->owned[r->out->owned_count++] = r->storages[i].bytes;
    free(r->storages);
    pickle_free(pk);
    free(pkl);
    return st;
}

static dctdiff_status finish(reader *r, dctdiff_status st, safetensors_file **out)
{
    if (r->zip)
        zip_discard(r->zip);
    if (st != DCTDIFF_OK) {
        safetensors_close(r->out);
        return st;
    }
    *out = r->out;
    return DCTDIFF_OK;
}

static dctdiff_status begin(reader *r, const char *label, pth_read what, dctdiff_error *err)
{
    *r = (reader){.label = label, .what = what, .err = err};
    r->out = calloc(1, sizeof *r->out);
    return r->out ? DCTDIFF_OK
                  : dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the tensor table", label);
}

dctdiff_status pth_parse(const char *label, const void *data, size_t size, pth_read what,
                         safetensors_file **out, dctdiff_error *err)
{
    *out = NULL;
    reader r;
    dctdiff_status st = begin(&r, label, what, err);
    if (st != DCTDIFF_OK)
        return st;
    r.archive_size = size;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, size, 0, &ze);
    if (src && !(r.zip = zip_open_from_source(src, ZIP_RDONLY, &ze)))
        zip_source_free(src);
    st = r.zip ? read_archive(&r) : zip_failed(&r, "not a readable zip archive", &ze);
    if (r.zip)
        zip_error_fini(&ze);
    return finish(&r, st, out);
}

dctdiff_status pth_open(const char *path, pth_read what, safetensors_file **out,
                        dctdiff_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *label = slash ? slash + 1 : path;
    *out = NULL;
    struct stat sb;
    if (stat(path, &sb) != 0)
        return dd_fail(err, DCTDIFF_E_IO, "%s: cannot open: %s", label, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return dd_fail(err, DCTDIFF_E_IO, "%s: not a regular file", label);
    reader r;
    dctdiff_status st = begin(&r, label, what, err);
    if (st != DCTDIFF_OK)
        return st;
    r.archive_size = (uint64_t)sb.st_size;
    int code = 0;
    r.zip = zip_open(path, ZIP_RDONLY, &code);
    if (!r.zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        return finish(&r, zip_failed(&r, "not a readable zip archive", &ze), out);
    }
    return finish(&r, read_archive(&r), out);
}
