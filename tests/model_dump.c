/* model_dump.c - loads a model file with the engine and writes what it got,
 * for tests/test_convert.py: the info as key=value lines on stdout, and every
 * weight tensor to OUT as name, NUL, little-endian u64 count, float32 data. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"

static void dump_tensor(void *user, const char *name, const float *data, size_t count)
{
    FILE *out = user;
    uint64_t n = count;
    fwrite(name, 1, strlen(name) + 1, out);
    fwrite(&n, sizeof n, 1, out);
    fwrite(data, sizeof *data, count, out);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s MODEL OUT\n", argv[0]);
        return 2;
    }
    dctdiff_model *m;
    dctdiff_error err;
    if (dctdiff_model_load(argv[1], &m, &err) != DCTDIFF_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    const char *release = dctdiff_model_get_meta(m, "train.release");
    printf("name=%s\nresolution=%d\ntokens=%d\ntoken_dim=%d\nembed_dim=%d\ndepth=%d\n"
           "num_heads=%d\nnum_classes=%d\nsnr_scale=%.17g\neta=%.9g\nparameters=%lld\n"
           "default_sampler=%d\ndefault_steps=%d\nrelease=%s\n",
           in.name, in.resolution, in.tokens, in.token_dim, in.embed_dim, in.depth,
           in.num_heads, in.num_classes, in.snr_scale, (double)in.layout.eta, in.parameters,
           (int)in.default_sampler, in.default_steps,
           release ? release : "");
    FILE *out = fopen(argv[2], "wb");
    dctdiff_status st = out ? model_foreach_tensor(m, dump_tensor, out, &err) : DCTDIFF_E_IO;
    if (out)
        fclose(out);
    dctdiff_model_free(m);
    if (st != DCTDIFF_OK)
        fprintf(stderr, "%s: cannot write\n", argv[2]);
    return st != DCTDIFF_OK;
}
