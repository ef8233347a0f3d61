/* cmd_edit.c - `dctdiff edit --model FILE IN.png -o OUT`: variations, fill
 * a masked part, or new detail on the composition of IN.png (dctdiff_edit).
 * Outputs are created before sampling (an unwritable path fails at once)
 * and committed only when every edit succeeded. */
#include "args.h"
#include "commands.h"
#include "outputs.h"
#include "png_io.h"
#include "progress.h"
#include "sampling.h"

#include <getopt.h>
#include <stdlib.h>

static const char *const CMD = "edit";

typedef struct {
    const char *model, *in, *out, *mask;
    cli_sampling_opts gen;
    int keep_low, resample;
    double strength;
} edit_opts;

static void usage(FILE *fp)
{
    fputs("Usage: dctdiff edit --model FILE [OPTION]... IN.png -o OUT.png|DIR\n"
          "\n"
          "Make new versions of IN.png with a DCTdiff model.  Without --mask and\n"
          "--keep-low the whole image is noised to --strength and denoised\n"
          "(variations; a rough colour sketch becomes an image of the model's kind).\n"
          "With --mask the white part is regenerated to fit the black part, which\n"
          "is kept bit for bit.  With --keep-low K the first K DCT coefficients of\n"
          "every block (composition and colour) are kept and the detail is new.\n"
          "With --count above 1, -o names a folder receiving edit-0000.png, ...\n"
          "\n"
          "  -m, --model=FILE       the model (.safetensors)\n"
          "  -o, --output=PATH      OUT.png, or a folder\n", fp);
    fprintf(fp,
            "      --strength=S       0..1: how far towards noise IN.png goes first; 0\n"
            "                         returns it unchanged, 1 starts from pure noise\n"
            "                         (default: %g, or %g with --mask or --keep-low)\n"
            "      --mask=MASK.png    gray PNG of IN's size: white regenerated, black\n"
            "                         kept, gray blended\n"
            "      --keep-low=K       keep the first K coefficients of every DCT block\n"
            "                         (1 .. block size squared; 1 keeps the block means)\n"
            "      --resample=R       redo every step R more times after a jump back,\n"
            "                         so new parts fit kept ones, 0..%d (default: %d\n"
            "                         with --mask or --keep-low; costs 1 + R times)\n",
            DCTDIFF_EDIT_VARIATION_STRENGTH, DCTDIFF_EDIT_KNOWN_STRENGTH,
            DCTDIFF_EDIT_MAX_RESAMPLE, DCTDIFF_EDIT_KNOWN_RESAMPLE);
    fprintf(fp, "  -n, --steps=N          network evaluations, 1..%d (default: the model's)\n"
            "  -S, --sampler=NAME     ", DCTDIFF_STEPS_MAX);
    cli_print_choices(fp, dctdiff_samplers());
    fputs(" (default: the model's)\n"
          "  -s, --seed=S           random seed (default: from the clock, printed)\n"
          "  -c, --count=C          versions to make (default 1)\n"
          "  -t, --threads=N        worker threads, 0 = all cores (default 0)\n"
          "  -q, --quiet            no progress bar, no seed line\n"
          "  -h, --help             show this help\n"
          "\n"
          "IN.png of another size than the model's is resized to it in the DCT domain\n"
          "and back: what is regenerated has the model's resolution of detail.\n"
          "\n"
          "Example:\n"
          "  dctdiff edit --model emoji32-tiny.safetensors face.png --mask hole.png -o filled.png\n",
          fp);
}

/* 0: run; 1: --help was printed; -1: usage error, reported. */
static int parse(int argc, char **argv, edit_opts *o)
{
    enum { OPT_STRENGTH = 256, OPT_MASK, OPT_KEEP, OPT_RESAMPLE };
    static const struct option longopts[] = {
        { "model", required_argument, NULL, 'm' },
        { "output", required_argument, NULL, 'o' },
        { "strength", required_argument, NULL, OPT_STRENGTH },
        { "mask", required_argument, NULL, OPT_MASK },
        { "keep-low", required_argument, NULL, OPT_KEEP },
        { "resample", required_argument, NULL, OPT_RESAMPLE },
        CLI_SAMPLING_LONGOPTS,
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    *o = (edit_opts){ .resample = -1, .strength = -1.0 };
    cli_sampling_init(&o->gen, 10000);
    optind = 0;
    opterr = 0;
    int c, r = 0;
    while (r == 0 && (c = getopt_long(argc, argv, ":m:o:" CLI_SAMPLING_SHORTOPTS "h", longopts,
                                      NULL)) != -1) {
        switch (c) {
        case 'm': o->model = optarg; break;
        case 'o': o->out = optarg; break;
        case OPT_STRENGTH:
            r = cli_parse_double(CMD, "--strength", optarg, 0.0, 1.0, &o->strength);
            break;
        case OPT_MASK: o->mask = optarg; break;
        case OPT_KEEP: r = cli_parse_int(CMD, "--keep-low", optarg, 0, 256, &o->keep_low); break;
        case OPT_RESAMPLE:
            r = cli_parse_int(CMD, "--resample", optarg, 0, DCTDIFF_EDIT_MAX_RESAMPLE,
                              &o->resample);
            break;
        case 'h': usage(stdout); return 1;
        default:
            if ((r = cli_sampling_parse(CMD, c, optarg, &o->gen)) > 0)
                return cli_bad_option(CMD, c, argv);
        }
    }
    if (r)
        return -1;
    if (optind < argc)
        o->in = argv[optind++];
    if (optind != argc) {
        cli_report(CMD, "unexpected argument '%s' (one input; the output goes after -o)",
                   argv[optind]);
        return -1;
    }
    if (!o->model || !o->out || !o->in) {
        cli_report(CMD, "--model, IN.png and -o are all needed (try 'dctdiff edit --help')");
        return -1;
    }
    return 0;
}

typedef struct {
    dctdiff_model *model;
    dctdiff_image in, mask;
    cli_outputs out;
} run_state;

static void run_free(run_state *s)
{
    cli_outputs_free(&s->out);
    dctdiff_image_release(&s->in);
    dctdiff_image_release(&s->mask);
    dctdiff_model_free(s->model);
}

static int load_inputs(const edit_opts *o, run_state *s, dctdiff_error *err)
{
    if (png_io_read(o->in, &s->in, err))
        return -1;
    if (o->mask && png_io_read(o->mask, &s->mask, err))
        return -1;
    if (o->mask && s->mask.channels != 1)
        return cli_fail(err, DCTDIFF_E_ARG, "%s: the mask must be a gray PNG without alpha "
                        "(it has %d channels)", o->mask, s->mask.channels);
    if (o->mask && (s->mask.width != s->in.width || s->mask.height != s->in.height))
        return cli_fail(err, DCTDIFF_E_ARG, "%s is %dx%d but %s is %dx%d: the mask must "
                        "be the input's size", o->mask, s->mask.width, s->mask.height, o->in,
                        s->in.width, s->in.height);
    return dctdiff_model_load(o->model, &s->model, err) == DCTDIFF_OK ? 0 : -1;
}

static int edit_and_write(const edit_opts *o, run_state *s, dctdiff_edit_params *p,
                          dctdiff_error *err)
{
    cli_progress bar;
    cli_progress_init(&bar, o->gen.quiet);
    p->gen.progress = cli_progress_update;
    p->gen.progress_user = &bar;
    dctdiff_status st = dctdiff_edit(s->model, &s->in, p, s->out.imgs, err);
    cli_progress_end(&bar);
    return cli_outputs_finish(&s->out, st, err);
}

static int run(const void *opts, dctdiff_error *err)
{
    const edit_opts *o = opts;
    run_state s = { 0 };
    dctdiff_edit_params p;
    int r = -1;
    if (load_inputs(o, &s, err) ||
        cli_outputs_open(&s.out, o->out, o->gen.count, "edit", s.in.width, s.in.height,
                         s.in.channels, s.in.type, err))
        goto done;
    dctdiff_edit_params_init(&p);
    cli_sampling_apply(&o->gen, o->gen.count, &p.gen);
    p.strength = o->strength;
    p.mask = o->mask ? &s.mask : NULL;
    p.keep_low = o->keep_low;
    p.resample = o->resample;
    cli_sampling_print_seed(CMD, &o->gen, p.gen.seed);
    r = edit_and_write(o, &s, &p, err);
done:
    run_free(&s);
    return r;
}

int cmd_edit(int argc, char **argv)
{
    edit_opts o;
    int r = parse(argc, argv, &o);
    return cli_command_finish(CMD, r, run, &o, o.out);
}
