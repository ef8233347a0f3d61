/* cmd_generate.c - `dctdiff generate --model FILE -o OUT`: sample images
 * from a DCTdiff model, optionally upscale them, write PNGs.  Output files
 * are created before sampling starts (an unwritable path fails at once) and
 * committed only when everything succeeded (Ctrl-C leaves none behind). */
#include "args.h"
#include "commands.h"
#include "outputs.h"
#include "png_io.h"
#include "progress.h"
#include "sampling.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const CMD = "generate";

typedef struct {
    const char *model, *out, *init_noise, *preview_dir;
    dctdiff_load_params load;
    cli_sampling_opts gen;
    int class_label, preview_every;
    int cache_interval, cache_depth;   /* 0: the library's default (off, its depth) */
    double snr_scale, upscale;
} generate_opts;

static void usage(FILE *fp)
{
    fputs("Usage: dctdiff generate --model FILE [OPTION]... -o OUT.png|DIR\n"
          "\n"
          "Sample new images from a DCTdiff model and write them as PNG.  One image\n"
          "goes to OUT.png; with --count above 1, -o names a folder (made if needed)\n"
          "that receives sample-0000.png, sample-0001.png, ...\n"
          "\n"
          "  -m, --model=FILE       the model: a .safetensors (docs/model-format.md) or\n"
          "                         an official .pth (docs/official-models.md)\n"
          "  -r, --release=NAME     the published checkpoint a .pth is (default: found\n"
          "                         by its shapes and file name; dctdiff models --official)\n"
          "      --config=FILE      a .pth's config as JSON (official field names)\n"
          "  -o, --output=PATH      OUT.png, or a folder\n", fp);
    fprintf(fp, "  -n, --steps=N          network evaluations, 1..%d (default: the model's)\n"
            "  -S, --sampler=NAME     ", DCTDIFF_STEPS_MAX);
    cli_print_choices(fp, dctdiff_samplers());
    fputs(" (default: the model's)\n", fp);
    for (const dctdiff_enum_entry *e = dctdiff_samplers(); e->name; e++)
        fprintf(fp, "                         %-11s %s\n", e->name, e->label);
    fputs("      --snr-scale=C      override the SNR scale the model was trained with\n"
          "                         (expert use: a wrong value spoils the images)\n"
          "  -s, --seed=S           random seed (default: from the clock, printed)\n"
          "  -c, --count=K          images to make (default 1)\n"
          "      --class=C          class label of a class-conditional model\n"
          "                         (default: a random class per image)\n"
          "  -u, --upscale=F        enlarge each image F times in the DCT domain\n"
          "      --init-noise=FILE  starting noise, float32 .npy of shape (tokens, dim)\n"
          "                         or (count, tokens, dim), instead of the seed's\n"
          "      --preview-every=K  every K network evaluations save the current estimate\n"
          "      --preview-dir=DIR  ... into DIR as preview-SAMPLE-STEP.png\n", fp);
    fprintf(fp, "      --cache-interval=N step caching: the whole network every N evaluations,\n"
            "                         only its shallow blocks between (faster, less exact;\n"
            "                         2..%d, default off; docs/generation.md)\n"
            "      --cache-depth=K    shallow blocks a cached evaluation runs, 1 .. half the\n"
            "                         model's depth (default %d)\n",
            DCTDIFF_STEPS_MAX, DCTDIFF_CACHE_DEPTH_DEFAULT);
    fputs("  -t, --threads=N        worker threads, 0 = all cores (default 0)\n"
          "  -q, --quiet            no progress bar, no seed line\n"
          "  -h, --help             show this help\n"
          "\n"
          "The same seed and options give the same bytes for any --threads (on one\n"
          "machine: other CPUs may pick other OpenBLAS kernels).\n"
          "\n"
          "Example:\n"
          "  dctdiff generate --model celeba64.safetensors --count 4 -o faces/\n", fp);
}

/* 0: run; 1: --help was printed; -1: usage error, reported. */
static int parse(int argc, char **argv, generate_opts *o)
{
    enum { OPT_SNR = 256, OPT_CLASS, OPT_NOISE, OPT_PEVERY, OPT_PDIR, OPT_CONFIG,
           OPT_CACHE_EVERY, OPT_CACHE_DEPTH };
    static const struct option longopts[] = {
        { "model", required_argument, NULL, 'm' },
        { "release", required_argument, NULL, 'r' },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "output", required_argument, NULL, 'o' },
        CLI_SAMPLING_LONGOPTS,
        { "snr-scale", required_argument, NULL, OPT_SNR },
        { "class", required_argument, NULL, OPT_CLASS },
        { "upscale", required_argument, NULL, 'u' },
        { "init-noise", required_argument, NULL, OPT_NOISE },
        { "preview-every", required_argument, NULL, OPT_PEVERY },
        { "preview-dir", required_argument, NULL, OPT_PDIR },
        { "cache-interval", required_argument, NULL, OPT_CACHE_EVERY },
        { "cache-depth", required_argument, NULL, OPT_CACHE_DEPTH },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    *o = (generate_opts){ .class_label = -1 };
    cli_sampling_init(&o->gen, 100000);
    dctdiff_load_params_init(&o->load);
    optind = 0;
    opterr = 0;
    int c, r = 0;
    while (r == 0 && (c = getopt_long(argc, argv, ":m:r:o:u:" CLI_SAMPLING_SHORTOPTS "h",
                                      longopts, NULL)) != -1) {
        switch (c) {
        case 'm': o->model = optarg; break;
        case 'r': o->load.release = optarg; break;
        case OPT_CONFIG: o->load.config_path = optarg; break;
        case 'o': o->out = optarg; break;
        case OPT_SNR:
            r = cli_parse_double(CMD, "--snr-scale", optarg, 1e-3, 1e3, &o->snr_scale);
            break;
        case OPT_CLASS:
            r = cli_parse_int(CMD, "--class", optarg, 0, 1 << 20, &o->class_label);
            break;
        case 'u': r = cli_parse_double(CMD, "--upscale", optarg, DCTDIFF_FACTOR_MIN,
                                       DCTDIFF_FACTOR_MAX, &o->upscale); break;
        case OPT_NOISE: o->init_noise = optarg; break;
        case OPT_PEVERY:
            r = cli_parse_int(CMD, "--preview-every", optarg, 1, DCTDIFF_STEPS_MAX,
                              &o->preview_every);
            break;
        case OPT_PDIR: o->preview_dir = optarg; break;
        case OPT_CACHE_EVERY:
            r = cli_parse_int(CMD, "--cache-interval", optarg, 2, DCTDIFF_STEPS_MAX,
                              &o->cache_interval);
            break;
        case OPT_CACHE_DEPTH:
            r = cli_parse_int(CMD, "--cache-depth", optarg, 1, DCTDIFF_STEPS_MAX,
                              &o->cache_depth);
            break;
        case 'h': usage(stdout); return 1;
        default:
            if ((r = cli_sampling_parse(CMD, c, optarg, &o->gen)) > 0)
                return cli_bad_option(CMD, c, argv);
        }
    }
    if (r)
        return -1;
    if (optind != argc) {
        cli_report(CMD, "unexpected argument '%s' (the output goes after -o)", argv[optind]);
        return -1;
    }
    if (!o->model || !o->out) {
        cli_report(CMD, "both --model and -o are needed (try 'dctdiff generate --help')");
        return -1;
    }
    if (!o->preview_every != !o->preview_dir) {
        cli_report(CMD, "--preview-every and --preview-dir go together");
        return -1;
    }
    if (o->cache_depth && !o->cache_interval) {
        cli_report(CMD, "--cache-depth needs --cache-interval");
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* .npy starting noise: float32 little-endian, C order                      */

/* Reads the ints of the header's 'shape': (...) tuple; returns their count. */
static int npy_shape(const char *hdr, long long *dims, int max)
{
    const char *p = strstr(hdr, "'shape'");
    p = p ? strchr(p, '(') : NULL;
    if (!p)
        return -1;
    int n = 0;
    for (p++; *p && *p != ')';) {
        char *end;
        long long v = strtoll(p, &end, 10);
        if (end == p) {
            p++;
            continue;
        }
        if (n == max || v < 0)
            return -1;
        dims[n++] = v;
        p = end;
    }
    return *p == ')' ? n : -1;
}

/* Loads path into *data, a (count, tokens, dim) float array. */
static int npy_read(const char *path, int tokens, int dim, float **data, int *count,
                    dctdiff_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cli_fail(err, DCTDIFF_E_IO, "%s: %s", path, strerror(errno));
    unsigned char pre[12];
    char *hdr = NULL;
    int r = -1;
    size_t hlen = 0, pre_len = 10;
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: not a .npy file", path);
        goto done;
    }
    if (pre[6] == 1) {
        hlen = pre[8] | (size_t)pre[9] << 8;
    } else if ((pre[6] == 2 || pre[6] == 3) && fread(pre + 10, 1, 2, f) == 2) {
        hlen = pre[8] | (size_t)pre[9] << 8 | (size_t)pre[10] << 16 | (size_t)pre[11] << 24;
        pre_len = 12;
    } else {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: unknown .npy version %d", path, pre[6]);
        goto done;
    }
    if (hlen > 65536 || !(hdr = calloc(1, hlen + 1)) || fread(hdr, 1, hlen, f) != hlen) {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: truncated .npy header", path);
        goto done;
    }
    if (!strstr(hdr, "'descr': '<f4'") && !strstr(hdr, "'descr':'<f4'")) {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: expected float32 little-endian data ('<f4')",
                 path);
        goto done;
    }
    if (!strstr(hdr, "'fortran_order': False") && !strstr(hdr, "'fortran_order':False")) {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: expected C order, not Fortran order", path);
        goto done;
    }
    long long d[3];
    int nd = npy_shape(hdr, d, 3);
    const long long n = nd == 3 ? d[0] : 1;
    if ((nd != 2 && nd != 3) || n < 1 || n > 100000 || d[nd - 2] != tokens ||
        d[nd - 1] != dim) {
        cli_fail(err, DCTDIFF_E_FORMAT,
                 "%s: shape must be (%d, %d) or (count, %d, %d) for this model", path,
                 tokens, dim, tokens, dim);
        goto done;
    }
    const size_t floats = (size_t)n * tokens * dim;
    *data = malloc(floats * sizeof(float));
    if (!*data || fread(*data, sizeof(float), floats, f) != floats || fgetc(f) != EOF) {
        cli_fail(err, DCTDIFF_E_FORMAT, "%s: data is not %zu float32 values after the "
                 "%zu-byte header", path, floats, pre_len + hlen);
        free(*data);
        *data = NULL;
        goto done;
    }
    *count = (int)n;
    r = 0;
done:
    free(hdr);
    fclose(f);
    return r;
}

/* ------------------------------------------------------------------------ */

typedef struct {
    const generate_opts *o;
    dctdiff_error *err;
    int failed;
} preview_ctx;

static int write_png(const char *path, const dctdiff_image *img, dctdiff_error *err)
{
    png_out out = { 0 };
    int r = png_out_open(&out, path, err) || png_out_commit(&out, img, err) ? -1 : 0;
    png_out_abort(&out);
    return r;
}

static int on_preview(void *user, int sample, int step, int steps, const dctdiff_image *rgb)
{
    preview_ctx *c = user;
    (void)steps;
    char path[4096];
    snprintf(path, sizeof path, "%s/preview-%04d-%04d.png", c->o->preview_dir, sample, step);
    if (write_png(path, rgb, c->err)) {
        c->failed = 1;
        return 1;
    }
    return cli_interrupted();
}

typedef struct {
    dctdiff_model *model;
    float *noise;
    cli_outputs out;
} run_state;

static void run_free(run_state *s)
{
    cli_outputs_free(&s->out);
    free(s->noise);
    dctdiff_model_free(s->model);
}

static int sample_and_write(const generate_opts *o, run_state *s, dctdiff_generate_params *p,
                            dctdiff_error *err)
{
    if (o->preview_dir && cli_make_dir(o->preview_dir, err))
        return -1;
    cli_progress bar;
    cli_progress_init(&bar, o->gen.quiet);
    p->progress = cli_progress_update;
    p->progress_user = &bar;
    dctdiff_status st = dctdiff_generate(s->model, p, s->out.imgs, err);
    cli_progress_end(&bar);
    return cli_outputs_finish(&s->out, st, err);
}

static int run(const void *opts, dctdiff_error *err)
{
    const generate_opts *o = opts;
    run_state s = { 0 };
    dctdiff_generate_params p;
    dctdiff_model_info in;
    preview_ctx pv = { o, err, 0 };
    int r = -1;
    if (dctdiff_model_open(o->model, &o->load, &s.model, err) != DCTDIFF_OK)
        goto done;
    dctdiff_model_get_info(s.model, &in);
    dctdiff_generate_params_init(&p);
    int count = o->gen.count;
    if (o->init_noise) {
        int n = 0;
        if (npy_read(o->init_noise, in.tokens, in.token_dim, &s.noise, &n, err))
            goto done;
        if (o->gen.count_given && o->gen.count > n) {
            cli_fail(err, DCTDIFF_E_ARG, "%s holds noise for %d images, --count asks %d",
                     o->init_noise, n, o->gen.count);
            goto done;
        }
        count = o->gen.count_given ? o->gen.count : n;
        p.init_noise = s.noise;
    }
    cli_sampling_apply(&o->gen, count, &p);
    p.snr_scale = o->snr_scale;
    p.class_label = o->class_label;
    if (o->upscale > 0)
        p.upscale_factor = o->upscale;
    p.cache_interval = o->cache_interval;
    if (o->cache_depth)
        p.cache_depth = o->cache_depth;
    int w, h;
    if (dctdiff_generate_size(s.model, &p, &w, &h, err) != DCTDIFF_OK ||
        cli_outputs_open(&s.out, o->out, count, "sample", w, h, 3, DCTDIFF_PIXEL_U8, err))
        goto done;
    if (o->preview_every) {
        p.preview = on_preview;
        p.preview_user = &pv;
        p.preview_every = o->preview_every;
    }
    if (!o->init_noise)
        cli_sampling_print_seed(CMD, &o->gen, p.seed);
    r = sample_and_write(o, &s, &p, err);
done:
    run_free(&s);
    return r;
}

int cmd_generate(int argc, char **argv)
{
    generate_opts o;
    int r = parse(argc, argv, &o);
    return cli_command_finish(CMD, r, run, &o, o.out);
}
