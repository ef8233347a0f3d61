/* fuzz_safetensors.c - libFuzzer target for the safetensors header parser
 * and, on what it accepts, the model metadata reader and tensor binding and
 * the learned upscaler's model reader.
 * Build with -Dfuzz=true and clang; tests/fuzz/replay.c runs the same entry
 * over the seed corpus as a plain meson test. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "model/model.h"
#include "core/safetensors.h"
#include "upscale/learned_model.h"

/* Model headers are a few KB; bigger inputs only slow the fuzzer down. */
#define MAX_INPUT (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    safetensors_file *f = NULL;
    dctdiff_error err;
    if (safetensors_parse("fuzz", data, size, &f, &err) != DCTDIFF_OK)
        return 0;
    /* Touch every byte the parser vouched for. */
    for (int i = 0; i < f->count; i++) {
        const safetensors_tensor *t = &f->tensors[i];
        float *dst = malloc(t->count * sizeof *dst + 1);
        if (dst)
            safetensors_read_f32(t, dst);
        free(dst);
        (void)safetensors_find(f, t->name);
    }
    for (int i = 0; i < f->meta_count; i++)
        (void)safetensors_meta(f, f->meta_keys[i]);
    learned_model lm;
    if (learned_model_parse("fuzz", data, size, &lm, &err) == DCTDIFF_OK)
        learned_model_free(&lm);
    dctdiff_model *m = NULL;
    if (model_from_safetensors(f, "fuzz", &m, &err) == DCTDIFF_OK)
        dctdiff_model_free(m);
    safetensors_close(f);
    return 0;
}

/* valid-tiny-* seeds must also load as models. */
int fuzz_seed_accepted(const char *name, const uint8_t *data, size_t size, char *msg,
                       size_t msg_size)
{
    safetensors_file *f = NULL;
    dctdiff_model *m = NULL;
    dctdiff_error err = {0};
    int ok = safetensors_parse(name, data, size, &f, &err) == DCTDIFF_OK &&
             (strncmp(name, "valid-tiny-", 11) != 0 ||
              model_from_safetensors(f, name, &m, &err) == DCTDIFF_OK);
    snprintf(msg, msg_size, "%s", err.msg);
    dctdiff_model_free(m);
    safetensors_close(f);
    return ok;
}
