/* test_pth.c - official .pth checkpoints without PyTorch.
 *
 * The fixtures (tests/fixtures/make_pth_fixtures.py) are real torch.save
 * files; for each the C reader must give the bytes the Python converter
 * wrote into its .ref.safetensors, directly and through dctdiff convert.
 * Every refusal of the reader names its cause; every published checkpoint is
 * found by its shapes (and file name where shapes tie); a config's
 * coefficient order changes how the same network's tokens decode. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "official_layout.h"
#include "model/model.h"
#include "model/official.h"
#include "model/pth.h"
#include "core/safetensors.h"

#define FIX "fixtures/pth/"

static char dir[] = "/tmp/dctdiff-pth-XXXXXX";

static char *temp_path(const char *name)
{
    static char buf[4][128];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* Same names, dtypes, shapes and bytes, in any order. */
static void same_tensors(const char *what, const safetensors_file *a, const safetensors_file *b)
{
    CHECK(a->count == b->count, "%s: %d tensors, reference has %d", what, a->count, b->count);
    for (int i = 0; i < a->count; i++) {
        const safetensors_tensor *x = &a->tensors[i], *y = safetensors_find(b, x->name);
        if (!CHECK(y != NULL, "%s: '%s' not in the reference", what, x->name))
            continue;
        int same = x->dtype == y->dtype && x->ndim == y->ndim && x->count == y->count;
        for (int d = 0; same && d < x->ndim; d++)
            same = x->shape[d] == y->shape[d];
        size_t bytes = x->count * safetensors_dtype_size(x->dtype);
        CHECK(same && memcmp(x->data, y->data, bytes) == 0,
              "%s: '%s' differs from the Python converter's", what, x->name);
    }
}

static void test_fixture(const char *name)
{
    char pth[128], ref[128];
    snprintf(pth, sizeof pth, FIX "%s.pth", name);
    snprintf(ref, sizeof ref, FIX "%s.ref.safetensors", name);
    safetensors_file *a = NULL, *b = NULL, *shapes = NULL, *c = NULL;
    dctdiff_error err = {0};
    if (!CHECK(pth_open(pth, PTH_WEIGHTS, &a, &err) == DCTDIFF_OK, "%s: %s", name, err.msg) ||
        !CHECK(safetensors_open(ref, &b, &err) == DCTDIFF_OK, "%s: %s", ref, err.msg))
        goto done;
    same_tensors(name, a, b);
    /* Shapes only: the same table without data. */
    if (CHECK(pth_open(pth, PTH_SHAPES_ONLY, &shapes, &err) == DCTDIFF_OK, "%s: %s", name,
              err.msg)) {
        CHECK(shapes->count == a->count, "%s: shapes-only count", name);
        for (int i = 0; i < shapes->count; i++)
            CHECK(shapes->tensors[i].data == NULL &&
                  shapes->tensors[i].count == a->tensors[i].count &&
                  strcmp(shapes->tensors[i].name, a->tensors[i].name) == 0,
                  "%s: shapes-only tensor %d", name, i);
    }
    /* dctdiff convert writes the same bytes. */
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    p.config_path = strstr(name, "cond") ? FIX "tiny-cond.json" : FIX "tiny.json";
    const char *out = temp_path("converted.safetensors");
    if (CHECK(dctdiff_model_convert(pth, out, &p, &err) == DCTDIFF_OK, "%s convert: %s", name,
              err.msg) &&
        CHECK(safetensors_open(out, &c, &err) == DCTDIFF_OK, "%s: %s", out, err.msg))
        same_tensors("converted", c, b);
done:
    safetensors_close(a);
    safetensors_close(b);
    safetensors_close(shapes);
    safetensors_close(c);
}

/* The JSON config reaches the model's info and metadata. */
static void test_config(void)
{
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    p.config_path = FIX "tiny.json";
    dctdiff_model *m = NULL, *d = NULL;
    dctdiff_error err = {0};
    if (!CHECK(dctdiff_model_open(FIX "tiny-f32-plain.pth", &p, &m, &err) == DCTDIFF_OK,
               "open with tiny.json: %s", err.msg))
        return;
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    CHECK(in.resolution == 8 && in.depth == 3 && in.embed_dim == 8 && in.num_classes == 0 &&
          in.tokens == 4 && in.token_dim == 24 && in.snr_scale == 4.0 &&
          in.default_sampler == DCTDIFF_SAMPLER_EULER_ODE && in.default_steps == 10 &&
          in.layout.eta == 244.925 && strcmp(in.name, "tiny-f32-plain") == 0,
          "tiny.json info: res %d depth %d D %d sampler %d steps %d name %s", in.resolution,
          in.depth, in.embed_dim, in.default_sampler, in.default_steps, in.name);
    const char *y = dctdiff_model_get_meta(m, "train.entropy_y");
    CHECK(y && strcmp(y, "6.507,3.297,3.063,1.844") == 0, "entropy table: %s", y ? y : "none");
    /* describe gives the same, without weights, and cannot generate. */
    if (CHECK(dctdiff_model_describe(FIX "tiny-f32-plain.pth", &p, &d, &err) == DCTDIFF_OK,
              "describe: %s", err.msg)) {
        dctdiff_model_info di;
        dctdiff_model_get_info(d, &di);
        CHECK(di.parameters == in.parameters && di.resolution == in.resolution &&
              strcmp(di.name, in.name) == 0, "describe info differs from open");
        float x[96] = {0}, tau = 1, eps[96];
        CHECK(dctdiff_model_forward(d, 1, x, &tau, NULL, eps, 1, &err) == DCTDIFF_E_ARG &&
              strstr(err.msg, "describe"), "described model ran: %s", err.msg);
    }
    dctdiff_model_free(d);
    dctdiff_model_free(m);
}

static void expect_open_fails(const char *what, const char *path, const char *release,
                              const char *config, dctdiff_status want, const char *phrase)
{
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    p.release = release;
    p.config_path = config;
    dctdiff_model *m = NULL;
    dctdiff_error err = {0};
    dctdiff_status st = dctdiff_model_open(path, &p, &m, &err);
    CHECK(st == want && strstr(err.msg, phrase), "%s: status %s '%s', want %s '%s'", what,
          dctdiff_status_name(st), err.msg, dctdiff_status_name(want), phrase);
    dctdiff_model_free(m);
}

static void test_refusals(void)
{
    static const struct {
        const char *file, *phrase;
        dctdiff_status want;
    } bad[] = {
        {"bad-big-endian", "big-endian", DCTDIFF_E_UNSUPPORTED},
        {"bad-compressed", "compressed", DCTDIFF_E_FORMAT},
        {"bad-duplicate", "'w' appears twice", DCTDIFF_E_FORMAT},
        {"bad-expanded", "more elements than its storage", DCTDIFF_E_FORMAT},
        {"bad-global-counter", "global 'collections.Counter' is not allowed", DCTDIFF_E_FORMAT},
        {"bad-global-os-system", "global 'os.system' is not allowed", DCTDIFF_E_FORMAT},
        {"bad-memo-huge", "memo limit", DCTDIFF_E_FORMAT},
        {"bad-memo-unset", "memo slot never written", DCTDIFF_E_FORMAT},
        {"bad-missing-storage", "no entry 'archive/data/0'", DCTDIFF_E_FORMAT},
        {"bad-no-data-pkl", "without FOLDER/data.pkl", DCTDIFF_E_FORMAT},
        {"bad-no-stop", "without STOP", DCTDIFF_E_FORMAT},
        {"bad-not-state-dict", "not a state_dict", DCTDIFF_E_FORMAT},
        {"bad-offset", "reach past its storage", DCTDIFF_E_FORMAT},
        {"bad-opcode-memoize", "opcode 0x94: opcode is not allowed", DCTDIFF_E_FORMAT},
        {"bad-pid", "persistent id is not", DCTDIFF_E_FORMAT},
        {"bad-pop-empty", "pops an empty stack", DCTDIFF_E_FORMAT},
        {"bad-protocol-4", "pickle protocol 4", DCTDIFF_E_FORMAT},
        {"bad-reduce-storage", "REDUCE calls a storage class", DCTDIFF_E_FORMAT},
        {"bad-stack-underflow", "needs a MARK", DCTDIFF_E_FORMAT},
        {"bad-storage-class", "global 'torch.LongStorage' is not allowed", DCTDIFF_E_FORMAT},
        {"bad-storage-size", "is 12 bytes, its 4 F32 elements need 16", DCTDIFF_E_FORMAT},
        {"bad-stride", "reach past its storage", DCTDIFF_E_FORMAT},
        {"bad-truncated-arg", "ends inside its argument", DCTDIFF_E_FORMAT},
        {"bad-truncated-zip", "not a readable zip archive", DCTDIFF_E_FORMAT},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128], label[64];
        snprintf(path, sizeof path, "fuzz/corpus-pth/%s.pth", bad[i].file);
        snprintf(label, sizeof label, "%s.pth: ", bad[i].file);
        safetensors_file *f = NULL;
        dctdiff_error err = {0};
        dctdiff_status st = pth_open(path, PTH_WEIGHTS, &f, &err);
        CHECK(f == NULL && st == bad[i].want && strncmp(err.msg, label, strlen(label)) == 0 &&
              strstr(err.msg, bad[i].phrase), "%s: status %s '%s', want '%s'", bad[i].file,
              dctdiff_status_name(st), err.msg, bad[i].phrase);
        safetensors_close(f);
    }
    const char *plain = FIX "tiny-f32-plain.pth";
    expect_open_fails("no config", plain, NULL, NULL, DCTDIFF_E_FORMAT,
                      "no published DCTdiff checkpoint");
    expect_open_fails("wrong release", plain, "celeba64-small-v1", NULL, DCTDIFF_E_FORMAT,
                      "tensor 'pos_embed' has shape [1, 5, 8], expected [1, 257, 512]");
    expect_open_fails("unknown release", plain, "celeba1024", NULL, DCTDIFF_E_ARG,
                      "unknown release 'celeba1024'");
    expect_open_fails("both", plain, "cifar10-mid-v1", FIX "tiny.json", DCTDIFF_E_ARG,
                      "not both");
    expect_open_fails("legacy", FIX "tiny-legacy.pth", NULL, NULL, DCTDIFF_E_UNSUPPORTED,
                      "before version 1.6");
    expect_open_fails("release for safetensors", "fixtures/uvit_b2.safetensors",
                      "cifar10-mid-v1", NULL, DCTDIFF_E_ARG, "carries its own");
    expect_open_fails("config shape", plain, NULL, FIX "tiny-cond.json", DCTDIFF_E_FORMAT,
                      "'pos_embed' has shape [1, 5, 8], expected [1, 6, 8]");

    /* Config files: each field checked by name. */
    static const struct {
        const char *json, *phrase;
    } configs[] = {
        {"[1]", "not a JSON object"},
        {"{\"block_sz\": 2}", "field 'resolution' is missing"},
        {"{\"resolution\": 8, \"block_sz\": 3, \"tokens\": 4, \"low_freqs\": 4, \"Y_bound\": 1,"
         "\"SNR_scale\": 1, \"embed_dim\": 8, \"depth\": 3, \"num_heads\": 2, \"mlp_ratio\": 4,"
         "\"qkv_bias\": false, \"mlp_time_embed\": false, \"num_classes\": -1}",
         "field 'block_sz' is not 2, 4, 8 or 16"},
        {"{\"resolution\": 8, \"block_sz\": 2, \"tokens\": 4, \"low_freqs\": 4, \"Y_bound\": [1],"
         "\"SNR_scale\": 1, \"embed_dim\": 8, \"depth\": 3, \"num_heads\": 2, \"mlp_ratio\": 4,"
         "\"qkv_bias\": false, \"mlp_time_embed\": false, \"num_classes\": -1,"
         "\"low2high_order\": [0, 1, 2, 3], \"reverse_order\": [0, 2, 1, 3]}",
         "'reverse_order' is not the inverse"},
        {"{\"resolution\": 8, \"block_sz\": 2, \"tokens\": 4, \"low_freqs\": 4, \"Y_bound\": [1],"
         "\"SNR_scale\": 1, \"embed_dim\": 8, \"depth\": 3, \"num_heads\": 2, \"mlp_ratio\": 4,"
         "\"qkv_bias\": false, \"mlp_time_embed\": false, \"num_classes\": -1,"
         "\"algorithm\": \"heun\"}", "field 'algorithm' is not"},
        {"{\"resolution\": 8, \"block_sz\": 2, \"tokens\": 4, \"low_freqs\": 4, \"Y_bound\": [-1],"
         "\"SNR_scale\": 1}", "field 'Y_bound' is not a positive number"},
    };
    for (size_t i = 0; i < sizeof configs / sizeof configs[0]; i++) {
        const char *path = temp_path("config.json");
        write_text(path, configs[i].json);
        expect_open_fails("config", plain, NULL, path, DCTDIFF_E_FORMAT, configs[i].phrase);
    }

    /* convert refuses NaN weights and leaves no output behind. */
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    p.config_path = FIX "tiny.json";
    dctdiff_error err = {0};
    const char *out = temp_path("nan.safetensors");
    CHECK(dctdiff_model_convert(FIX "tiny-nan.pth", out, &p, &err) == DCTDIFF_E_FORMAT &&
          strstr(err.msg, "'norm.bias' holds a NaN"), "NaN convert: %s", err.msg);
    CHECK(access(out, F_OK) != 0, "a refused convert left %s", out);
}

/* ------------------------------------------------------------------------ */
/* Every published checkpoint, found by shapes                              */

static void test_official(void)
{
    static official_table tb;
    static const int zigzag4[16] = {0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15};
    CHECK(official_count() == 19, "%d official checkpoints, 19 are published",
          official_count());
    for (int i = 0; i < official_count(); i++) {
        const official_checkpoint *o = official_get(i);
        model_config c;
        official_config(i, &c);
        int side = c.resolution / (2 * c.block_sz);
        CHECK(c.tokens == side * side && c.mlp_ratio == 4 && !c.qkv_bias && !c.mlp_time_embed &&
              c.embed_dim / c.num_heads == 64 && c.std_count == c.block_sz * c.block_sz,
              "%s: config is not an official UViT one", o->name);
        if (c.block_sz == 4)
            CHECK(memcmp(c.order, zigzag4, sizeof zigzag4) == 0,
                  "%s: order is not the configs' low2high_order", o->name);
        official_layout(&tb, &c);
        int got = -1;
        dctdiff_error err = {0};
        CHECK(official_match(&tb.f, o->file, &got, &err) == DCTDIFF_OK && got == i,
              "%s: matched %d: %s", o->name, got, err.msg);
        /* Renamed, a tie is refused with the candidates; a unique shape is found. */
        got = -1;
        dctdiff_status st = official_match(&tb.f, "renamed.pth", &got, &err);
        CHECK(st == DCTDIFF_OK ? got == i : strstr(err.msg, o->name) && strstr(err.msg,
              "--release"), "%s renamed: %d '%s'", o->name, got, st ? err.msg : "");
        /* What a .pth of it loads as. */
        meta_list meta;
        dctdiff_model *m = NULL;
        if (CHECK(official_metadata(i, o->file, &meta, &err) == DCTDIFF_OK, "%s: %s", o->name,
                  err.msg)) {
            CHECK(model_build(&tb.f, (const char *const *)meta.keys,
                              (const char *const *)meta.values, meta.count, o->file,
                              MODEL_SHAPES_ONLY, &m, &err) == DCTDIFF_OK,
                  "%s: %s", o->name, err.msg);
            meta_list_free(&meta);
        }
        if (m) {
            dctdiff_model_info in;
            dctdiff_model_get_info(m, &in);
            CHECK(strcmp(in.name, o->name) == 0 && in.resolution == c.resolution &&
                  in.snr_scale == c.snr_scale && in.default_steps == c.sample_steps,
                  "%s: info", o->name);
        }
        dctdiff_model_free(m);
    }
    /* Spot checks against the configs. */
    struct { const char *name; double snr; int steps, res, B, m, depth, classes; double eta; }
    facts[] = {
        {"cifar10-mid-v1", 2.0, 50, 32, 2, 4, 16, 0, 242.382},
        {"ffhq256-mid-v1", 1.0, 50, 256, 4, 8, 16, 0, 485.0},
        {"cifar10-mid-deep-v2", 4.0, 100, 32, 2, 4, 20, 0, 242.382},
        {"imgnet64-mid-deep-v2", 4.0, 100, 64, 2, 4, 18, 1000, 247.125},
        {"celeba64-small-v2-dpmsolver", 1.0, 100, 64, 2, 4, 12, 0, 244.925},
        {"afhq512-mid-v2", 12.0, 100, 512, 8, 18, 16, 0, 928.0},
        {"ffhq512-mid-v2", 12.0, 100, 512, 8, 18, 16, 0, 969.5},
    };
    for (size_t k = 0; k < sizeof facts / sizeof facts[0]; k++) {
        int i = official_find(facts[k].name);
        if (!CHECK(i >= 0, "%s missing", facts[k].name))
            continue;
        model_config c;
        official_config(i, &c);
        CHECK(c.snr_scale == facts[k].snr && c.sample_steps == facts[k].steps &&
              c.resolution == facts[k].res && c.block_sz == facts[k].B &&
              c.low_freqs == facts[k].m && c.depth == facts[k].depth &&
              c.num_classes == facts[k].classes && c.y_bound == facts[k].eta,
              "%s: config differs from the official one", facts[k].name);
    }
}

/* ------------------------------------------------------------------------ */
/* The coefficient order reaches the decoder                                */

static dctdiff_model *open_with(const char *config)
{
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    p.config_path = config;
    dctdiff_model *m = NULL;
    dctdiff_error err = {0};
    CHECK(dctdiff_model_open(FIX "tiny-f32-plain.pth", &p, &m, &err) == DCTDIFF_OK, "%s: %s",
          config, err.msg);
    return m;
}

static void test_order(void)
{
    /* tiny.json's network and data config with the order reversed (its own
     * inverse). */
    const char *reversed = temp_path("reversed.json");
    write_text(reversed,
               "{\"resolution\": 8, \"block_sz\": 2, \"tokens\": 4, \"low_freqs\": 4,"
               " \"Y_bound\": [244.925], \"SNR_scale\": 4.0, \"embed_dim\": 8, \"depth\": 3,"
               " \"num_heads\": 2, \"mlp_ratio\": 4, \"qkv_bias\": false,"
               " \"mlp_time_embed\": false, \"num_classes\": -1, \"sample_steps\": 10,"
               " \"algorithm\": \"euler_maruyama_ode\","
               " \"low2high_order\": [3, 2, 1, 0], \"reverse_order\": [3, 2, 1, 0]}");

    dctdiff_model *a = open_with(FIX "tiny.json"), *b = open_with(reversed);
    if (!a || !b) {
        dctdiff_model_free(a);
        dctdiff_model_free(b);
        return;
    }
    CHECK(strcmp(dctdiff_model_get_meta(b, "dct.order"), "3,2,1,0") == 0, "order metadata");
    dctdiff_generate_params p;
    dctdiff_generate_params_init(&p);
    p.steps = 3;
    p.seed = 5;
    p.threads = 1;
    float ta[96], tb[96];
    dctdiff_error err = {0};
    dctdiff_image ia = {0}, ib = {0}, want = {0};
    dctdiff_image_alloc(&ia, 8, 8, 3, DCTDIFF_PIXEL_U8, NULL);
    dctdiff_image_alloc(&ib, 8, 8, 3, DCTDIFF_PIXEL_U8, NULL);
    dctdiff_image_alloc(&want, 8, 8, 3, DCTDIFF_PIXEL_U8, NULL);
    if (CHECK(dctdiff_generate_tokens(a, &p, ta, &err) == DCTDIFF_OK, "%s", err.msg) &&
        CHECK(dctdiff_generate_tokens(b, &p, tb, &err) == DCTDIFF_OK, "%s", err.msg) &&
        CHECK(dctdiff_generate(a, &p, &ia, &err) == DCTDIFF_OK, "%s", err.msg) &&
        CHECK(dctdiff_generate(b, &p, &ib, &err) == DCTDIFF_OK, "%s", err.msg)) {
        /* One network, so the same tokens; decoded by the reversed order. */
        CHECK(memcmp(ta, tb, sizeof ta) == 0, "the order changed the network's tokens");
        dctdiff_model_info info;
        dctdiff_model_get_info(b, &info);
        static const int reversed_order[4] = {3, 2, 1, 0};
        dctdiff_token_layout l = info.layout;
        CHECK(l.order && memcmp(l.order, reversed_order, sizeof reversed_order) == 0,
              "the layout does not carry the model's order");
        l.order = reversed_order;
        dctdiff_detokenize(&l, tb, &want, NULL);
        CHECK(memcmp(ib.data, want.data, 8 * 8 * 3) == 0,
              "the model's image is not its tokens decoded in its order");
        CHECK(memcmp(ia.data, ib.data, 8 * 8 * 3) != 0,
              "the reversed order decoded like the zig-zag");
    }
    dctdiff_image_release(&ia);
    dctdiff_image_release(&ib);
    dctdiff_image_release(&want);
    dctdiff_model_free(a);
    dctdiff_model_free(b);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    const char *fixtures[] = {"tiny-f32-plain", "tiny-f16-module", "tiny-bf16-ema",
                              "tiny-f32-views", "tiny-cond-f32"};
    for (size_t i = 0; i < sizeof fixtures / sizeof fixtures[0]; i++)
        test_fixture(fixtures[i]);
    test_config();
    test_refusals();
    test_official();
    test_order();
    const char *names[] = {"converted.safetensors", "config.json", "reversed.json"};
    for (size_t i = 0; i < 3; i++)
        unlink(temp_path(names[i]));
    rmdir(dir);
    return check_finish("test_pth");
}
