/* test_model.c - dctdiff_model_load on tiny model files written here: every
 * stored dtype gives the same float32 weights in the right fields, the info
 * matches the metadata, and each kind of wrong file is refused by name. */
#include <stdarg.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "model/model.h"

/* A tiny architecture; the tensor list below is written from
 * docs/model-format.md, independently of the loader's table. */
typedef struct {
    int D, depth, classes, qkv_bias, time_mlp;
    int res, B, m;
    const char *dtype;
    const char *drop;     /* leave this tensor out */
    const char *extra;    /* add a tensor of this name */
    const char *reshape;  /* this tensor's first dimension gets +1 */
    const char *meta[8];  /* "key=value" overrides, "key" alone removes */
} tiny;

typedef struct {
    char name[64];
    int ndim, shape[3];
} spec;

static int add(spec *s, int n, const char *name, int ndim, int a, int b, int c)
{
    snprintf(s[n].name, sizeof s[n].name, "%s", name);
    s[n].ndim = ndim;
    s[n].shape[0] = a, s[n].shape[1] = b, s[n].shape[2] = c;
    return n + 1;
}

static int tensor_list(const tiny *t, spec *s)
{
    int D = t->D, K = 6 * t->m, side = t->res / (2 * t->B), n = 0;
    char p[64];
    n = add(s, n, "pos_embed", 3, 1, (t->classes ? 2 : 1) + side * side, D);
    n = add(s, n, "proj.weight", 2, D, K, 0);
    n = add(s, n, "proj.bias", 1, D, 0, 0);
    if (t->classes)
        n = add(s, n, "label_emb.weight", 2, t->classes, D, 0);
    if (t->time_mlp) {
        n = add(s, n, "time_embed.0.weight", 2, 4 * D, D, 0);
        n = add(s, n, "time_embed.0.bias", 1, 4 * D, 0, 0);
        n = add(s, n, "time_embed.2.weight", 2, D, 4 * D, 0);
        n = add(s, n, "time_embed.2.bias", 1, D, 0, 0);
    }
    /* depth/2 in-blocks, the mid-block, depth/2 out-blocks (odd depths too). */
    for (int i = 0; i <= 2 * (t->depth / 2); i++) {
        if (i < t->depth / 2)
            snprintf(p, sizeof p, "in_blocks.%d.", i);
        else if (i == t->depth / 2)
            snprintf(p, sizeof p, "mid_block.");
        else
            snprintf(p, sizeof p, "out_blocks.%d.", i - t->depth / 2 - 1);
        const struct { const char *suffix; int ndim, a, b; } block[] = {
            {"norm1.weight", 1, D, 0}, {"norm1.bias", 1, D, 0},
            {"attn.qkv.weight", 2, 3 * D, D}, {"attn.qkv.bias", 1, 3 * D, 0},
            {"attn.proj.weight", 2, D, D}, {"attn.proj.bias", 1, D, 0},
            {"norm2.weight", 1, D, 0}, {"norm2.bias", 1, D, 0},
            {"mlp.fc1.weight", 2, 4 * D, D}, {"mlp.fc1.bias", 1, 4 * D, 0},
            {"mlp.fc2.weight", 2, D, 4 * D}, {"mlp.fc2.bias", 1, D, 0},
            {"skip_linear.weight", 2, D, 2 * D}, {"skip_linear.bias", 1, D, 0},
        };
        for (size_t k = 0; k < sizeof block / sizeof block[0]; k++) {
            if (strstr(block[k].suffix, "qkv.bias") && !t->qkv_bias)
                continue;
            if (strstr(block[k].suffix, "skip") && i <= t->depth / 2)
                continue;
            char name[64];
            snprintf(name, sizeof name, "%s%s", p, block[k].suffix);
            n = add(s, n, name, block[k].ndim, block[k].a, block[k].b, 0);
        }
    }
    n = add(s, n, "norm.weight", 1, D, 0, 0);
    n = add(s, n, "norm.bias", 1, D, 0, 0);
    n = add(s, n, "decoder_pred.weight", 2, K, D, 0);
    n = add(s, n, "decoder_pred.bias", 1, K, 0, 0);
    return n;
}

static size_t elements(const spec *s)
{
    size_t n = 1;
    for (int i = 0; i < s->ndim; i++)
        n *= (size_t)s->shape[i];
    return n;
}

/* Weight j of tensor number i: a multiple of 1/4 in -8..7.75, exact in
 * F16 and BF16, different for neighbouring tensors and elements. */
static float value(int i, size_t j)
{
    return (float)((int)((i * 37 + j * 11) % 64) - 32) * 0.25f;
}

static void put_value(unsigned char *dst, float v, const char *dtype)
{
    uint32_t u;
    memcpy(&u, &v, 4);
    if (strcmp(dtype, "F32") == 0) {
        for (int k = 0; k < 4; k++)
            dst[k] = (unsigned char)(u >> (8 * k));
        return;
    }
    uint16_t h;
    if (strcmp(dtype, "BF16") == 0) {
        h = (uint16_t)(u >> 16);     /* exact for our values */
    } else {                         /* F16 of a normal, exactly representable value */
        int e = (int)((u >> 23) & 0xff);
        h = (uint16_t)(((u >> 16) & 0x8000) | (e ? (unsigned)(e - 112) << 10 | (u >> 13 & 0x3ff) : 0));
    }
    dst[0] = (unsigned char)(h & 0xff);
    dst[1] = (unsigned char)(h >> 8);
}

static const char *const base_meta[][2] = {
    {"format", "dctdiff"}, {"format_version", "1"}, {"name", "tiny"},
    {"description", "a test model"}, {"arch.embed_dim", NULL}, {"arch.depth", NULL},
    {"arch.num_heads", "2"}, {"arch.mlp_ratio", "4"}, {"arch.qkv_bias", NULL},
    {"arch.mlp_time_embed", NULL}, {"arch.num_classes", NULL}, {"dct.resolution", NULL},
    {"dct.block_size", NULL}, {"dct.low_freqs", NULL}, {"dct.chroma", "420"},
    {"dct.eta", "244.925"}, {"dct.tokens", NULL}, {"schedule.beta_min", "0.1"},
    {"schedule.beta_max", "20"}, {"schedule.snr_scale", "4"}, {"sampler.default", "euler-ode"},
    {"sampler.steps", "100"}, {"train.dataset", "unit-test"}, {"train.release", "ours"},
    {"dct.order", ""},   /* "": written only when overridden */
    {"schedule.prediction", ""},
};

/* The value of key for t: an override, the architecture, or the base table. */
static const char *meta_value(const tiny *t, const char *key, const char *base, char *buf)
{
    size_t klen = strlen(key);
    for (int i = 0; i < 8 && t->meta[i]; i++)
        if (strncmp(t->meta[i], key, klen) == 0 && (t->meta[i][klen] == '=' || !t->meta[i][klen]))
            return t->meta[i][klen] == '=' ? t->meta[i] + klen + 1 : NULL;
    if (base)
        return base;
    int side = t->res / (2 * t->B);
    const struct { const char *key; int v; } arch[] = {
        {"arch.embed_dim", t->D}, {"arch.depth", t->depth}, {"arch.qkv_bias", t->qkv_bias},
        {"arch.mlp_time_embed", t->time_mlp}, {"arch.num_classes", t->classes},
        {"dct.resolution", t->res}, {"dct.block_size", t->B}, {"dct.low_freqs", t->m},
        {"dct.tokens", side * side},
    };
    for (size_t i = 0; i < sizeof arch / sizeof arch[0]; i++)
        if (strcmp(arch[i].key, key) == 0)
            snprintf(buf, 16, "%d", arch[i].v);
    return buf;
}

/* Appends to a growing string. */
static void cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void cat(char **s, size_t *len, size_t *cap, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(*s + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if ((size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        *cap *= 2;
        *s = realloc(*s, *cap);
    }
}

static void write_tiny(const tiny *t, const char *path)
{
    spec s[512];
    int n = tensor_list(t, s);
    if (t->extra)
        n = add(s, n, t->extra, 1, 3, 0, 0);
    size_t cap = 4096, len = 0, esize = strcmp(t->dtype, "F32") ? 2 : 4, off = 0;
    char *h = malloc(cap);
    h[0] = 0;
    cat(&h, &len, &cap, "{\"__metadata__\":{");
    int first = 1;
    for (size_t i = 0; i < sizeof base_meta / sizeof base_meta[0]; i++) {
        char buf[16];
        const char *v = meta_value(t, base_meta[i][0], base_meta[i][1], buf);
        if (v && *v) {
            cat(&h, &len, &cap, "%s\"%s\":\"%s\"", first ? "" : ",", base_meta[i][0], v);
            first = 0;
        }
    }
    cat(&h, &len, &cap, "}");
    for (int i = 0; i < n; i++) {
        if (t->drop && strcmp(s[i].name, t->drop) == 0)
            continue;
        if (t->reshape && strcmp(s[i].name, t->reshape) == 0)
            s[i].shape[0]++;
        size_t bytes = elements(&s[i]) * esize;
        cat(&h, &len, &cap, ",\"%s\":{\"dtype\":\"%s\",\"shape\":[", s[i].name, t->dtype);
        for (int d = 0; d < s[i].ndim; d++)
            cat(&h, &len, &cap, "%s%d", d ? "," : "", s[i].shape[d]);
        cat(&h, &len, &cap, "],\"data_offsets\":[%zu,%zu]}", off, off + bytes);
        off += bytes;
    }
    cat(&h, &len, &cap, "}");

    unsigned char *data = calloc(1, off + 1), *p = data;
    for (int i = 0; i < n; i++) {
        if (t->drop && strcmp(s[i].name, t->drop) == 0)
            continue;
        for (size_t j = 0; j < elements(&s[i]); j++, p += esize)
            put_value(p, value(i, j), t->dtype);
    }
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 8; i++)
        fputc((int)((uint64_t)len >> (8 * i) & 0xff), f);
    fwrite(h, 1, len, f);
    fwrite(data, 1, off, f);
    fclose(f);
    free(h);
    free(data);
}

static char dir[] = "/tmp/dctdiff-model-XXXXXX";
static char path[64];

static const tiny plain = {.D = 8, .depth = 2, .res = 8, .B = 2, .m = 4, .dtype = "F32"};
static const tiny full = {.D = 8, .depth = 4, .classes = 3, .qkv_bias = 1, .time_mlp = 1,
                          .res = 16, .B = 4, .m = 5, .dtype = "F32",
                          .meta = {"dct.order=0,4,1,2,5,8,12,9,6,3,7,10,13,14,11,15"}};

static dctdiff_model *load(const tiny *t, dctdiff_error *err)
{
    write_tiny(t, path);
    dctdiff_model *m = NULL;
    if (dctdiff_model_load(path, &m, err) != DCTDIFF_OK)
        return NULL;
    return m;
}

/* Compares a field with the values tensor number `index` was written with. */
static void check_field(const char *label, const float *got, const tiny *t, const char *name)
{
    spec s[512];
    int n = tensor_list(t, s), i = 0;
    while (i < n && strcmp(s[i].name, name) != 0)
        i++;
    if (!CHECK(i < n && got != NULL, "%s: field for '%s' missing", label, name))
        return;
    size_t count = elements(&s[i]);
    float *want = malloc(count * sizeof *want);
    for (size_t j = 0; j < count; j++)
        want[j] = value(i, j);
    char what[96];
    snprintf(what, sizeof what, "%s %s", label, name);
    check_close(what, got, want, count, 0, 0);
    free(want);
}

static void test_valid(const tiny *t)
{
    dctdiff_error err = {0};
    dctdiff_model *m = load(t, &err);
    char label[32];
    snprintf(label, sizeof label, "%s depth %d", t->dtype, t->depth);
    if (!CHECK(m != NULL, "%s: valid model refused: %s", label, err.msg))
        return;
    dctdiff_model_info info;
    dctdiff_model_get_info(m, &info);
    spec s[512];
    int n = tensor_list(t, s);
    long long params = 0;
    for (int i = 0; i < n; i++)
        params += (long long)elements(&s[i]);
    int side = t->res / (2 * t->B);
    CHECK(strcmp(info.name, "tiny") == 0 && strcmp(info.description, "a test model") == 0 &&
          strcmp(info.dataset, "unit-test") == 0, "%s: strings", label);
    CHECK(info.resolution == t->res && info.layout.width == t->res &&
          info.layout.block_size == t->B && info.layout.low_freqs == t->m &&
          info.layout.chroma == DCTDIFF_CHROMA_420 && info.layout.eta == 244.925,
          "%s: layout", label);
    CHECK(info.tokens == side * side && info.token_dim == 6 * t->m, "%s: tokens %d x %d", label,
          info.tokens, info.token_dim);
    CHECK(info.embed_dim == t->D && info.depth == t->depth && info.num_heads == 2 &&
          info.num_classes == t->classes, "%s: architecture", label);
    CHECK(info.snr_scale == 4.0 && info.beta_min == 0.1 && info.beta_max == 20.0,
          "%s: schedule", label);
    CHECK(info.default_sampler == DCTDIFF_SAMPLER_EULER_ODE && info.default_steps == 100,
          "%s: sampler", label);
    CHECK(info.parameters == params, "%s: %lld parameters, want %lld", label, info.parameters,
          params);
    const char *rel = dctdiff_model_get_meta(m, "train.release");
    CHECK(rel && strcmp(rel, "ours") == 0, "%s: get_meta", label);
    CHECK(dctdiff_model_get_meta(m, "no.such.key") == NULL, "%s: absent key", label);
    CHECK(m->extras == (t->classes ? 2 : 1) && m->mlp_hidden == 4 * t->D &&
          m->qkv_bias == t->qkv_bias && m->mlp_time_embed == t->time_mlp, "%s: model fields",
          label);

    check_field(label, m->pos_embed, t, "pos_embed");
    check_field(label, m->proj_w, t, "proj.weight");
    check_field(label, m->dec_b, t, "decoder_pred.bias");
    check_field(label, m->in_blocks[0].qkv_w, t, "in_blocks.0.attn.qkv.weight");
    check_field(label, m->mid_block.fc2_b, t, "mid_block.mlp.fc2.bias");
    int last = t->depth / 2 - 1;
    char name[64];
    snprintf(name, sizeof name, "out_blocks.%d.skip_linear.weight", last);
    check_field(label, m->out_blocks[last].skip_w, t, name);
    snprintf(name, sizeof name, "out_blocks.%d.norm2.bias", last);
    check_field(label, m->out_blocks[last].norm2_b, t, name);
    CHECK(m->in_blocks[0].skip_w == NULL && m->mid_block.skip_b == NULL,
          "%s: skip weights outside out-blocks", label);
    if (t->classes) {
        check_field(label, m->label_emb, t, "label_emb.weight");
        check_field(label, m->time_w2, t, "time_embed.2.weight");
        check_field(label, m->out_blocks[0].qkv_b, t, "out_blocks.0.attn.qkv.bias");
    } else {
        CHECK(m->label_emb == NULL && m->time_w0 == NULL && m->mid_block.qkv_b == NULL,
              "%s: optional tensors not NULL", label);
    }
    dctdiff_model_free(m);
}

static void test_order(void)
{
    dctdiff_error err = {0};
    dctdiff_model *m = load(&full, &err);
    if (!CHECK(m != NULL, "order: %s", err.msg))
        return;
    const int given[16] = {0, 4, 1, 2, 5, 8, 12, 9, 6, 3, 7, 10, 13, 14, 11, 15};
    CHECK(memcmp(m->order, given, sizeof given) == 0, "dct.order not used");
    dctdiff_model_free(m);

    tiny t = full;
    t.meta[0] = NULL;   /* default: zig-zag of method.md 1.6 */
    m = load(&t, &err);
    if (!CHECK(m != NULL, "zig-zag: %s", err.msg))
        return;
    const int zigzag[16] = {0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15};
    CHECK(memcmp(m->order, zigzag, sizeof zigzag) == 0, "default order is not the zig-zag");
    dctdiff_model_free(m);
}

/* Loads t and expects status want with every phrase in the message. */
static void expect_fail(const char *what, const tiny *t, dctdiff_status want,
                        const char *p1, const char *p2)
{
    dctdiff_error err = {0};
    dctdiff_model *m = load(t, &err);
    CHECK(m == NULL, "%s: loaded", what);
    dctdiff_model_free(m);
    CHECK(err.status == want, "%s: status %s, want %s (%s)", what,
          dctdiff_status_name(err.status), dctdiff_status_name(want), err.msg);
    CHECK(strncmp(err.msg, "tiny.safetensors: ", 18) == 0, "%s: '%s' does not name the file",
          what, err.msg);
    CHECK(strstr(err.msg, p1) && (!p2 || strstr(err.msg, p2)), "%s: '%s' lacks '%s'/'%s'", what,
          err.msg, p1, p2 ? p2 : "");
}

static void test_bad(void)
{
    tiny t;
#define BAD(what, edit, want, p1, p2) (t = full, edit, expect_fail(what, &t, want, p1, p2))
    BAD("missing key", t.meta[1] = "dct.eta", DCTDIFF_E_FORMAT, "'dct.eta'", "missing");
    BAD("missing name", t.meta[1] = "name", DCTDIFF_E_FORMAT, "'name'", "missing");
    BAD("not a number", t.meta[1] = "arch.embed_dim=eight", DCTDIFF_E_FORMAT,
        "'arch.embed_dim'", "not an integer");
    BAD("heads", t.meta[1] = "arch.num_heads=3", DCTDIFF_E_FORMAT, "'arch.num_heads'", "divide");
    BAD("eta", t.meta[1] = "dct.eta=-1", DCTDIFF_E_FORMAT, "'dct.eta'", "greater than 0");
    BAD("eta nan", t.meta[1] = "dct.eta=nan", DCTDIFF_E_FORMAT, "'dct.eta'", "finite");
    BAD("block size", t.meta[1] = "dct.block_size=3", DCTDIFF_E_FORMAT, "dct.*", "block size 3");
    BAD("low freqs", t.meta[1] = "dct.low_freqs=17", DCTDIFF_E_FORMAT, "dct.*", "low_freqs 17");
    BAD("tokens", t.meta[1] = "dct.tokens=5", DCTDIFF_E_FORMAT, "'dct.tokens'", "resolution");
    BAD("resolution", t.meta[1] = "dct.resolution=20", DCTDIFF_E_FORMAT, "dct.*", "multiple");
    BAD("chroma", t.meta[1] = "dct.chroma=422", DCTDIFF_E_FORMAT, "'dct.chroma'", "420, 444");
    BAD("order short", t.meta[0] = "dct.order=0,1,2", DCTDIFF_E_FORMAT, "'dct.order'", NULL);
    BAD("order repeat", t.meta[0] = "dct.order=0,0,1,2,5,8,12,9,6,3,7,10,13,14,11,15",
        DCTDIFF_E_FORMAT, "'dct.order'", "once");
    BAD("beta", t.meta[1] = "schedule.beta_max=0.05", DCTDIFF_E_FORMAT, "'schedule.beta_max'",
        NULL);
    BAD("sampler", t.meta[1] = "sampler.default=heun", DCTDIFF_E_FORMAT, "'sampler.default'",
        "dpm-solver");
    BAD("prediction", t.meta[1] = "schedule.prediction=x0", DCTDIFF_E_FORMAT,
        "'schedule.prediction'", "noise, v");
    BAD("steps", t.meta[1] = "sampler.steps=0", DCTDIFF_E_FORMAT, "'sampler.steps'", NULL);
    BAD("format", t.meta[1] = "format=gguf", DCTDIFF_E_FORMAT, "'format'", NULL);
    BAD("version", t.meta[1] = "format_version=2", DCTDIFF_E_UNSUPPORTED, "format_version 2",
        NULL);
    BAD("wrong shape", t.reshape = "proj.weight", DCTDIFF_E_FORMAT,
        "tensor 'proj.weight' has shape [9, 30]", "expected [8, 30]");
    BAD("missing tensor", t.drop = "mid_block.norm2.bias", DCTDIFF_E_FORMAT,
        "missing tensor 'mid_block.norm2.bias'", NULL);
    BAD("missing optional", t.drop = "out_blocks.1.attn.qkv.bias", DCTDIFF_E_FORMAT,
        "missing tensor 'out_blocks.1.attn.qkv.bias'", NULL);
    BAD("extra tensor", t.extra = "ema.decay", DCTDIFF_E_FORMAT, "unexpected tensor 'ema.decay'",
        NULL);
    BAD("qkv bias not declared", t.meta[1] = "arch.qkv_bias=0", DCTDIFF_E_FORMAT,
        "unexpected tensor", "qkv.bias");
    BAD("label table not declared", t.meta[1] = "arch.num_classes=0", DCTDIFF_E_FORMAT,
        "pos_embed", "shape");
#undef BAD
    dctdiff_error err = {0};
    dctdiff_model *m = NULL;
    CHECK(dctdiff_model_load("/nonexistent/x.safetensors", &m, &err) == DCTDIFF_E_IO && !m,
          "missing file: %s", err.msg);
}

/* Metadata numbers use '.', and must read the same in a locale whose decimal
 * point is a comma (GIMP runs plug-ins in the user's locale).  Runs where such
 * a locale is installed (CI's Debian 13 root generates de_DE.UTF-8). */
static void test_comma_locale(void)
{
    const char *names[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8", NULL};
    for (int i = 0; names[i]; i++) {
        if (!setlocale(LC_NUMERIC, names[i]) || strcmp(localeconv()->decimal_point, ",") != 0)
            continue;
        tiny t = plain;
        t.dtype = "F32";
        test_valid(&t);
        setlocale(LC_NUMERIC, "C");
        printf("comma locale %s: checked\n", names[i]);
        return;
    }
    setlocale(LC_NUMERIC, "C");
    printf("no comma-decimal locale installed: locale check not run\n");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/tiny.safetensors", dir);
    const char *dtypes[] = {"F32", "F16", "BF16"};
    for (int i = 0; i < 3; i++) {
        tiny a = plain, b = full;
        a.dtype = b.dtype = dtypes[i];
        test_valid(&a);
        test_valid(&b);
    }
    /* An odd depth builds what the official UViT builds: 1 in, mid, 1 out. */
    tiny odd = full;
    odd.depth = 3;
    test_valid(&odd);
    test_order();
    test_bad();
    test_comma_locale();
    unlink(path);
    rmdir(dir);
    return check_finish("test_model");
}
