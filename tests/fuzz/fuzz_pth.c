/* fuzz_pth.c - libFuzzer target for the .pth reader (zip archive, restricted
 * unpickler, tensor checks) and, on what it accepts, the model binding with
 * the config of tests/fixtures/pth/tiny.json.  Build with -Dfuzz=true and
 * clang; tests/fuzz/replay.c runs the same entry over corpus-pth/. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/config.h"
#include "model/model.h"
#include "model/pth.h"
#include "core/safetensors.h"

/* The fixtures are tens of KB; bigger inputs only slow the fuzzer down. */
#define MAX_INPUT (1u << 20)

/* tests/fixtures/pth/tiny.json, so that fuzzed tensor tables near the
 * fixtures reach the shape checks and the float conversion. */
static const model_config tiny = {
    .resolution = 8, .block_sz = 2, .tokens = 4, .low_freqs = 4, .y_bound = 244.925,
    .order = {0, 1, 2, 3}, .snr_scale = 4.0, .embed_dim = 8, .depth = 3, .num_heads = 2,
    .mlp_ratio = 4, .sampler = DCTDIFF_SAMPLER_EULER_ODE, .sample_steps = 10,
};

static void bind_model(const safetensors_file *f)
{
    static const config_origin origin = { .name = "fuzz", .description = "", .dataset = "",
                                          .release = "", .checkpoint = "fuzz.pth",
                                          .license = "", .train_steps = "" };
    meta_list meta;
    if (config_metadata(&tiny, &origin, &meta, NULL) != DCTDIFF_OK)
        return;
    dctdiff_model *m = NULL;
    if (model_build(f, (const char *const *)meta.keys, (const char *const *)meta.values,
                    meta.count, "fuzz", MODEL_WEIGHTS, &m, NULL) == DCTDIFF_OK)
        dctdiff_model_free(m);
    meta_list_free(&meta);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    safetensors_file *f = NULL;
    dctdiff_error err;
    if (pth_parse("fuzz", data, size, PTH_SHAPES_ONLY, &f, &err) == DCTDIFF_OK)
        safetensors_close(f);
    if (pth_parse("fuzz", data, size, PTH_WEIGHTS, &f, &err) != DCTDIFF_OK)
        return 0;
    /* Touch every byte the reader vouched for. */
    for (int i = 0; i < f->count; i++) {
        float *dst = malloc(f->tensors[i].count * sizeof *dst + 1);
        if (dst)
            safetensors_read_f32(&f->tensors[i], dst);
        free(dst);
    }
    bind_model(f);
    safetensors_close(f);
    return 0;
}

int fuzz_seed_accepted(const char *name, const uint8_t *data, size_t size, char *msg,
                       size_t msg_size)
{
    safetensors_file *f = NULL;
    dctdiff_error err = {0};
    int ok = pth_parse(name, data, size, PTH_WEIGHTS, &f, &err) == DCTDIFF_OK;
    snprintf(msg, msg_size, "%s", err.msg);
    safetensors_close(f);
    return ok;
}
