/* official.c - the table of published DCTdiff checkpoints (official.h).
 *
 * A checkpoint is a dataset's data config (resolution, block size, kept
 * frequencies, eta, entropy tables), a network size and what its release
 * evaluated it with (SNR scale, sampler, steps).  Every official config uses
 * mlp_ratio 4, no qkv bias, no time MLP, the zig-zag coefficient order (v1
 * lists it, v2 computes it) and the VP schedule of config.h. */
#include "model/official.h"

#include <stdio.h>
#include <string.h>

#include "core/dct.h"
#include "model/model.h"

#define HF "https://huggingface.co/forever208/DCTdiff/resolve/main/"
#define DRIVE(id) "https://drive.google.com/file/d/" id "/view?usp=sharing"

/* Entropy tables (the configs' Y_std, Cb_std, Cr_std), raster order. */
static const double cifar10_y[] = {
    6.471, 3.588, 3.767, 2.411
};
static const double cifar10_cb[] = {
    4.308, 1.315, 1.487, 1.0
};
static const double cifar10_cr[] = {
    4.014, 1.284, 1.435, 1.0
};
static const double celeba64_y[] = {
    6.507, 3.297, 3.063, 1.844
};
static const double celeba64_cb[] = {
    4.013, 1.287, 1.06, 1.0
};
static const double celeba64_cr[] = {
    4.239, 1.422, 1.204, 1.0
};
static const double imgnet64_y[] = {
    6.522, 3.377, 3.386, 2.389
};
static const double imgnet64_cb[] = {
    4.27, 1.329, 1.351, 0.988
};
static const double imgnet64_cr[] = {
    4.078, 1.292, 1.303, 0.987
};
static const double ffhq128_y[] = {
    6.53, 3.478, 2.196, 1.405, 3.378, 2.381, 1.765, 1.185, 2.072, 1.697, 1.291, 0.999, 1.291,
    1.083, 0.999, 0.999
};
static const double ffhq128_cb[] = {
    4.138, 1.741, 0.999, 0.998, 1.589, 0.998, 0.998, 0.998, 0.998, 0.998, 0.997, 0.998, 0.997,
    0.998, 0.998, 0.998
};
static const double ffhq128_cr[] = {
    4.391, 1.904, 0.998, 0.998, 1.758, 1.082, 0.998, 0.998, 0.999, 0.998, 0.998, 0.998, 1.0,
    0.998, 0.998, 0.998
};
static const double ffhq256_y[] = {
    6.543, 2.894, 1.769, 1.197, 2.8, 1.916, 1.458, 1.029, 1.647, 1.386, 1.106, 0.994, 1.107,
    0.996, 0.994, 0.996
};
static const double ffhq256_cb[] = {
    4.173, 1.392, 0.992, 0.989, 1.338, 0.991, 0.99, 0.991, 0.992, 0.992, 0.989, 0.991, 0.99,
    0.991, 0.991, 0.991
};
static const double ffhq256_cr[] = {
    4.417, 1.52, 0.993, 0.99, 1.473, 0.991, 0.99, 0.991, 0.993, 0.991, 0.989, 0.99, 0.997,
    0.991, 0.989, 0.991
};
static const double ffhq512_y[] = {
    6.53, 2.866, 1.871, 1.368, 1.186, 1.252, 1.0, 0.996, 2.766, 1.865, 1.569, 1.366, 1.07,
    1.048, 0.996, 0.993, 1.742, 1.506, 1.265, 1.172, 1.311, 0.994, 0.996, 0.994, 1.334, 1.108,
    1.185, 0.993, 1.094, 0.993, 0.996, 0.993, 0.995, 1.086, 0.995, 1.026, 0.995, 0.993, 0.995,
    0.993, 0.996, 0.993, 0.996, 0.993, 0.996, 0.993, 0.996, 0.993, 0.994, 0.994, 0.996, 0.994,
    0.995, 0.994, 0.996, 0.994, 0.996, 0.993, 0.996, 0.993, 0.996, 0.993, 0.996, 0.993
};
static const double ffhq512_cb[] = {
    4.167, 1.364, 1.001, 0.99, 0.999, 0.989, 0.999, 0.99, 1.303, 1.025, 0.993, 0.992, 0.992,
    0.992, 0.992, 0.992, 0.993, 0.996, 0.994, 0.998, 0.993, 0.998, 0.994, 0.995, 0.991, 0.992,
    0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.994, 0.997, 0.993, 1.0, 0.991, 1.0, 0.993,
    0.997, 0.991, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.998, 0.994, 1.0,
    0.993, 1.0, 0.994, 0.998, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992
};
static const double ffhq512_cr[] = {
    4.403, 1.482, 1.07, 0.991, 0.998, 0.99, 0.998, 0.991, 1.445, 1.105, 0.993, 0.992, 0.992,
    0.992, 0.993, 0.992, 1.041, 0.995, 0.993, 0.997, 0.993, 0.998, 0.993, 0.994, 0.995, 0.992,
    0.993, 0.992, 0.992, 0.992, 0.992, 0.992, 0.995, 0.997, 0.993, 0.999, 0.993, 1.0, 0.993,
    0.997, 0.996, 0.992, 0.993, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.998, 0.994, 0.999,
    0.994, 1.0, 0.994, 0.997, 0.994, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992, 0.992
};
static const double afhq512_y[] = {
    6.524, 3.25, 2.206, 1.607, 1.368, 1.495, 1.173, 0.999, 3.218, 2.332, 1.931, 1.682, 1.288,
    1.277, 1.088, 0.997, 2.266, 1.974, 1.649, 1.449, 1.621, 1.257, 0.999, 0.998, 1.758, 1.493,
    1.533, 1.225, 1.42, 0.997, 0.999, 0.997, 1.326, 1.446, 1.684, 1.4, 1.19, 0.998, 0.999,
    0.998, 1.25, 1.068, 1.331, 1.198, 0.999, 0.997, 0.999, 0.997, 1.255, 1.12, 0.999, 0.998,
    0.999, 0.998, 0.999, 0.998, 0.999, 0.997, 0.999, 0.997, 0.999, 0.997, 0.999, 0.997
};
static const double afhq512_cb[] = {
    4.153, 1.415, 1.0, 0.99, 1.0, 0.989, 0.999, 0.991, 1.372, 1.091, 0.995, 0.994, 0.994, 0.994,
    0.995, 0.994, 0.996, 0.997, 0.996, 0.999, 0.995, 0.999, 0.995, 0.996, 0.995, 0.994, 0.995,
    0.994, 0.994, 0.994, 0.995, 0.994, 0.997, 0.998, 0.995, 1.0, 0.993, 1.0, 0.995, 0.998,
    0.995, 0.994, 0.995, 0.994, 0.994, 0.994, 0.994, 0.994, 0.995, 0.999, 0.996, 1.0, 0.995,
    1.0, 0.996, 0.999, 0.995, 0.994, 0.994, 0.994, 0.994, 0.994, 0.994, 0.994
};
static const double afhq512_cr[] = {
    3.906, 1.291, 0.999, 0.989, 0.998, 0.988, 0.998, 0.991, 1.246, 0.994, 0.995, 0.994, 0.994,
    0.994, 0.994, 0.994, 0.996, 0.997, 0.995, 0.999, 0.995, 0.999, 0.995, 0.997, 0.996, 0.994,
    0.995, 0.994, 0.994, 0.994, 0.994, 0.994, 0.996, 0.999, 0.995, 1.0, 0.995, 1.0, 0.994,
    0.999, 0.996, 0.994, 0.995, 0.994, 0.994, 0.994, 0.994, 0.994, 0.994, 0.999, 0.996, 1.0,
    0.996, 1.0, 0.996, 0.999, 0.995, 0.994, 0.994, 0.994, 0.994, 0.994, 0.994, 0.994
};

typedef struct {
    const char *name;
    int resolution, block_sz, low_freqs, num_classes;
    double eta;
    const double *y, *cb, *cr;
} dataset;

enum { CIFAR10, CELEBA64, IMGNET64, FFHQ128, FFHQ256, FFHQ512, AFHQ512 };

#define TABLES(d) d##_y, d##_cb, d##_cr
static const dataset datasets[] = {
    [CIFAR10] = {"cifar10", 32, 2, 4, 0, 242.382, TABLES(cifar10)},
    [CELEBA64] = {"celeba64", 64, 2, 4, 0, 244.925, TABLES(celeba64)},
    [IMGNET64] = {"imgnet64", 64, 2, 4, 1000, 247.125, TABLES(imgnet64)},
    [FFHQ128] = {"ffhq128", 128, 4, 9, 0, 480.25, TABLES(ffhq128)},
    [FFHQ256] = {"ffhq256", 256, 4, 8, 0, 485.0, TABLES(ffhq256)},
    [FFHQ512] = {"ffhq512", 512, 8, 18, 0, 969.5, TABLES(ffhq512)},
    [AFHQ512] = {"afhq512", 512, 8, 18, 0, 928.0, TABLES(afhq512)},
};

/* UViT sizes: embed_dim, depth, num_heads. */
typedef struct {
    int embed_dim, depth, num_heads;
} network;

enum { SMALL, MID, MID_DEEP18, MID_DEEP20 };
static const network networks[] = {
    [SMALL] = {512, 12, 8},
    [MID] = {768, 16, 12},
    [MID_DEEP18] = {768, 18, 12},   /* imgnet64 and ffhq128 "mid_deep" */
    [MID_DEEP20] = {768, 20, 12},   /* cifar10 "mid_deep" */
};

typedef struct {
    official_checkpoint id;
    int data, net;
    double snr_scale;
    dctdiff_sampler sampler;
    int steps;
} entry;

#define DPM DCTDIFF_SAMPLER_DPM_SOLVER
#define ODE DCTDIFF_SAMPLER_EULER_ODE
#define V1(name, file, id, title, steps) {name, file, DRIVE(id), title, "v1", steps}
#define V2(name, file, title) {name, file, HF file, title, "v2", ""}

static const entry table[] = {
    {V1("cifar10-mid-v1", "cifar10_DCTdiff_mid_2by2.pth", "14eJ-M2022qjdJxTIZbhSKe6RMbQao-K-",
        "CIFAR-10 32x32, DCTdiff-M/4 (v1)", "175000"), CIFAR10, MID, 2.0, DPM, 50},
    {V1("celeba64-small-v1", "celeba64_DCTdiff_small_2by2.pth",
        "1kItTgrqf5k4972QFMZP8NUhbfhbLAvN4", "CelebA 64x64, DCTdiff-S/4 (v1)", "225000"),
     CELEBA64, SMALL, 4.0, DPM, 50},
    {V1("imgnet64-small-v1", "imgnet64_DCTdiff_small_2by2.pth",
        "1JvVYP7NNJACR-atYrxiTd2rX6uhbgMJn", "ImageNet 64x64 by class, DCTdiff-S/4 (v1)",
        "475000"), IMGNET64, SMALL, 4.0, DPM, 50},
    {V1("ffhq128-small-v1", "ffhq128_DCTdiff_small_4by4.pth",
        "1iCQm_WX5AApyaJVuVeFAZBU1S9mI6BGB", "FFHQ 128x128, DCTdiff-S/8 (v1)", "300000"),
     FFHQ128, SMALL, 3.0, DPM, 50},
    {V1("ffhq256-mid-v1", "ffhq256_DCTdiff_mid_4by4.pth", "16CxB5QUi5pVfvLonggicKgYQOeiF5AP2",
        "FFHQ 256x256, DCTdiff-M/8 (v1)", "200000"), FFHQ256, MID, 1.0, DPM, 50},
    {V2("cifar10-small-v2", "DCTdiff_cifar10_small.pth", "CIFAR-10 32x32, small (v2)"),
     CIFAR10, SMALL, 4.0, ODE, 100},
    {V2("cifar10-mid-v2", "DCTdiff_cifar10_mid.pth", "CIFAR-10 32x32, mid (v2)"),
     CIFAR10, MID, 4.0, ODE, 100},
    {V2("cifar10-mid-deep-v2", "DCTdiff_cifar10_mid_deep.pth", "CIFAR-10 32x32, mid deep (v2)"),
     CIFAR10, MID_DEEP20, 4.0, ODE, 100},
    /* The config notes c = 1 for DPM-Solver, 4 for the Euler ODE sampler. */
    {V2("celeba64-small-v2-dpmsolver", "DCTdiff_celeba64_small_DPMSolver.pth",
        "CelebA 64x64, small, DPM-Solver (v2)"), CELEBA64, SMALL, 1.0, DPM, 100},
    {V2("celeba64-small-v2-ddim", "DCTdiff_celeba64_small_ddim.pth",
        "CelebA 64x64, small, Euler ODE (v2)"), CELEBA64, SMALL, 4.0, ODE, 100},
    {V2("imgnet64-small-v2", "DCTdiff_imgnet64_small.pth", "ImageNet 64x64 by class, small (v2)"),
     IMGNET64, SMALL, 4.0, ODE, 100},
    {V2("imgnet64-mid-v2", "DCTdiff_imgnet64_mid.pth", "ImageNet 64x64 by class, mid (v2)"),
     IMGNET64, MID, 4.0, ODE, 100},
    {V2("imgnet64-mid-deep-v2", "DCTdiff_imgnet64_mid_deep.pth",
        "ImageNet 64x64 by class, mid deep (v2)"), IMGNET64, MID_DEEP18, 4.0, ODE, 100},
    {V2("ffhq128-small-v2", "DCTdiff_ffhq128_small.pth", "FFHQ 128x128, small (v2)"),
     FFHQ128, SMALL, 4.0, DPM, 100},
    {V2("ffhq128-mid-v2", "DCTdiff_ffhq128_mid.pth", "FFHQ 128x128, mid (v2)"),
     FFHQ128, MID, 4.0, DPM, 100},
    {V2("ffhq128-mid-deep-v2", "DCTdiff_ffhq128_mid_deep.pth", "FFHQ 128x128, mid deep (v2)"),
     FFHQ128, MID_DEEP18, 4.0, DPM, 100},
    {V2("ffhq256-mid-v2", "DCTdiff_ffhq256_mid.pth", "FFHQ 256x256, mid (v2)"),
     FFHQ256, MID, 4.0, DPM, 100},
    {V2("ffhq512-mid-v2", "DCTdiff_ffhq512_mid.pth", "FFHQ 512x512, mid (v2)"),
     FFHQ512, MID, 12.0, DPM, 100},
    {V2("afhq512-mid-v2", "DCTdiff_afhq512_mid.pth", "AFHQ 512x512 animals, mid (v2)"),
     AFHQ512, MID, 12.0, DPM, 100},
};

#define COUNT ((int)(sizeof table / sizeof table[0]))

int official_count(void) { return COUNT; }

const official_checkpoint *official_get(int i) { return &table[i].id; }

int official_find(const char *name)
{
    for (int i = 0; i < COUNT; i++)
        if (strcmp(table[i].id.name, name) == 0)
            return i;
    return -1;
}

const char *official_dataset(int i) { return datasets[table[i].data].name; }

void official_config(int i, model_config *c)
{
    const entry *e = &table[i];
    const dataset *d = &datasets[e->data];
    const network *n = &networks[e->net];
    int B = d->block_sz, side = d->resolution / (2 * B);
    *c = (model_config){
        .resolution = d->resolution, .block_sz = B, .tokens = side * side,
        .low_freqs = d->low_freqs, .y_bound = d->eta, .snr_scale = e->snr_scale,
        .embed_dim = n->embed_dim, .depth = n->depth, .num_heads = n->num_heads,
        .mlp_ratio = 4, .num_classes = d->num_classes, .std_count = B * B,
        .sampler = e->sampler, .sample_steps = e->steps,
    };
    dct_zigzag(B, c->order);
    memcpy(c->y_std, d->y, (size_t)(B * B) * sizeof(double));
    memcpy(c->cb_std, d->cb, (size_t)(B * B) * sizeof(double));
    memcpy(c->cr_std, d->cr, (size_t)(B * B) * sizeof(double));
}

dctdiff_status official_metadata(int i, const char *label, meta_list *meta,
                                        dctdiff_error *err)
{
    const official_checkpoint *o = official_get(i);
    model_config c;
    official_config(i, &c);
    char description[200];
    snprintf(description, sizeof description, "%s, official weights", o->title);
    /* The Hugging Face release states its licence; the Drive files none. */
    config_origin origin = { .name = o->name, .description = description,
                             .dataset = official_dataset(i), .release = o->release,
                             .checkpoint = label,
                             .license = strcmp(o->release, "v2") == 0 ? "CC-BY-4.0" : "",
                             .train_steps = o->train_steps };
    return config_metadata(&c, &origin, meta, err);
}

static int shapes_fit(const safetensors_file *f, int i, const char *label)
{
    meta_list meta;
    dctdiff_model *m = NULL;
    if (official_metadata(i, label, &meta, NULL) != DCTDIFF_OK)
        return 0;
    int fits = model_build(f, (const char *const *)meta.keys, (const char *const *)meta.values,
                           meta.count, label, MODEL_SHAPES_ONLY, &m, NULL) == DCTDIFF_OK;
    dctdiff_model_free(m);
    meta_list_free(&meta);
    return fits;
}

dctdiff_status official_match(const safetensors_file *f, const char *label, int *out,
                             dctdiff_error *err)
{
    int fits[64], n = 0, named = -1;
    for (int i = 0; i < official_count() && n < 64; i++)
        if (shapes_fit(f, i, label)) {
            fits[n++] = i;
            if (strcmp(official_get(i)->file, label) == 0)
                named = i;
        }
    if (n == 0)
        return dd_fail(err, DCTDIFF_E_FORMAT,
                       "%s: no published DCTdiff checkpoint has these tensors; describe it "
                       "with a config file (--config FILE.json)", label);
    *out = n == 1 ? fits[0] : named;
    if (*out >= 0)
        return DCTDIFF_OK;
    char list[200] = "";
    for (int i = 0; i < n; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                 official_get(fits[i])->name);
    return dd_fail(err, DCTDIFF_E_FORMAT,
                   "%s: the tensors fit several published checkpoints (%s); name one "
                   "with --release", label, list);
}
