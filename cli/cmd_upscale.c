/* cmd_upscale.c - `dctdiff upscale IN.png OUT.png`: read, check the size,
 * upscale with the engine, write.  The output file is created before the
 * work starts (so an unwritable path fails at once) and committed only after
 * it succeeds (so a failure or Ctrl-C leaves no OUT behind). */
#include "args.h"
#include "commands.h"
#include "png_io.h"
#include "progress.h"

#include <getopt.h>
#include <string.h>

static const char *const CMD = "upscale";

typedef struct {
    const char *in, *out;
    double scale;          /* 0 when not given */
    int width, height;     /* 0 when not given */
    int method, filter;    /* -1: the engine's default */
    int threads;
    int depth;             /* 0: the input's */
    int quiet;
} upscale_opts;

static void print_table(FILE *fp, const dctdiff_enum_entry *table, int def)
{
    for (const dctdiff_enum_entry *e = table; e->name; e++)
        fprintf(fp, "                         %-9s %s%s\n", e->name, e->label,
                e->value == def ? " (default)" : "");
}

static void usage(FILE *fp)
{
    dctdiff_upscale_params def;
    dctdiff_upscale_params_init(&def);
    fputs("Usage: dctdiff upscale [OPTION]... IN.png OUT.png\n"
          "\n"
          "Enlarge IN.png in the DCT domain and write OUT.png.  Give the size with\n"
          "--scale, or with --width and/or --height; with only one of these the\n"
          "other follows the aspect ratio.  Gray, RGB and alpha stay as they are.\n"
          "\n"
          "Size:\n"
          "  -s, --scale=F          multiply both sides by F (e.g. 2 or 1.5)\n"
          "      --width=W          output width in pixels\n"
          "      --height=H         output height in pixels\n"
          "\n"
          "Method:\n"
          "  -m, --method=NAME      ", fp);
    cli_print_choices(fp, dctdiff_upscale_methods());
    fputs("\n", fp);
    print_table(fp, dctdiff_upscale_methods(), (int)def.method);
    fputs("  -f, --filter=NAME      ", fp);
    cli_print_choices(fp, dctdiff_downscale_filters());
    fputs(": the filter that made IN.png small\n", fp);
    print_table(fp, dctdiff_downscale_filters(), (int)def.filter);
    fprintf(fp, "\n"
            "Output:\n"
            "  -d, --depth=8|16       bits per sample of OUT.png (default: as IN.png)\n"
            "  -t, --threads=N        worker threads, 0 = all cores (default: 0)\n"
            "  -q, --quiet            no progress bar\n"
            "  -h, --help             show this help\n"
            "\n"
            "Factors go from %g to %g and sides up to %d pixels.  OUT.png is\n"
            "written only when the whole image is done; Ctrl-C stops the work and\n"
            "leaves no OUT.png.\n"
            "\n"
            "Example:\n"
            "  dctdiff upscale --scale 2 photo.png photo-x2.png\n",
            DCTDIFF_FACTOR_MIN, DCTDIFF_FACTOR_MAX, DCTDIFF_SIDE_MAX);
}

/* 0: run; 1: --help was printed; -1: usage error, reported. */
static int parse(int argc, char **argv, upscale_opts *o)
{
    static const struct option longopts[] = {
        { "scale", required_argument, NULL, 's' },
        { "width", required_argument, NULL, 'W' },
        { "height", required_argument, NULL, 'H' },
        { "method", required_argument, NULL, 'm' },
        { "filter", required_argument, NULL, 'f' },
        { "depth", required_argument, NULL, 'd' },
        { "threads", required_argument, NULL, 't' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    *o = (upscale_opts){ .method = -1, .filter = -1 };
    optind = 0; /* glibc: a full rescan of this argv */
    opterr = 0;
    int c, r = 0;
    while (r == 0 && (c = getopt_long(argc, argv, ":s:m:f:d:t:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            r = cli_parse_double(CMD, "--scale", optarg, DCTDIFF_FACTOR_MIN, DCTDIFF_FACTOR_MAX,
                                 &o->scale);
            break;
        case 'W':
            r = cli_parse_int(CMD, "--width", optarg, 1, DCTDIFF_SIDE_MAX, &o->width);
            break;
        case 'H':
            r = cli_parse_int(CMD, "--height", optarg, 1, DCTDIFF_SIDE_MAX, &o->height);
            break;
        case 'm':
            r = cli_parse_enum(CMD, "--method", optarg, dctdiff_upscale_methods(), &o->method);
            break;
        case 'f':
            r = cli_parse_enum(CMD, "--filter", optarg, dctdiff_downscale_filters(), &o->filter);
            break;
        case 't':
            r = cli_parse_int(CMD, "--threads", optarg, 0, 1024, &o->threads);
            break;
        case 'd':
            r = cli_parse_int(CMD, "--depth", optarg, 8, 16, &o->depth);
            if (r == 0 && o->depth != 8 && o->depth != 16) {
                cli_report(CMD, "--depth '%s': expected 8 or 16", optarg);
                r = -1;
            }
            break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(stdout); return 1;
        default: return cli_bad_option(CMD, c, argv);
        }
    }
    if (r)
        return -1;
    if (argc - optind != 2) {
        cli_report(CMD, "expected IN.png and OUT.png, got %d file name%s "
                   "(try 'dctdiff upscale --help')", argc - optind, argc - optind == 1 ? "" : "s");
        return -1;
    }
    if (o->scale > 0 && (o->width || o->height)) {
        cli_report(CMD, "give either --scale or --width/--height, not both");
        return -1;
    }
    if (o->scale == 0 && !o->width && !o->height) {
        cli_report(CMD, "no output size: give --scale, --width or --height");
        return -1;
    }
    o->in = argv[optind];
    o->out = argv[optind + 1];
    return 0;
}

static int run(const void *opts, dctdiff_error *err)
{
    const upscale_opts *o = opts;
    dctdiff_image src, dst = { 0 };
    png_out out = { 0 };
    cli_progress bar;
    int w = 0, h = 0, r = -1;
    if (png_io_read(o->in, &src, err))
        return -1;
    dctdiff_pixel_type type = o->depth == 16 ? DCTDIFF_PIXEL_U16
                            : o->depth == 8  ? DCTDIFF_PIXEL_U8 : src.type;
    if (dctdiff_output_size(src.width, src.height, o->scale, o->width, o->height, &w, &h,
                            err) != DCTDIFF_OK ||
        dctdiff_image_alloc(&dst, w, h, src.channels, type, err) != DCTDIFF_OK ||
        png_out_open(&out, o->out, err))
        goto done;

    dctdiff_upscale_params p;
    dctdiff_upscale_params_init(&p);
    if (o->method >= 0)
        p.method = (dctdiff_upscale_method)o->method;
    if (o->filter >= 0)
        p.filter = (dctdiff_downscale_filter)o->filter;
    p.threads = o->threads;
    cli_progress_init(&bar, o->quiet);
    p.progress = cli_progress_update;
    p.progress_user = &bar;
    dctdiff_status s = dctdiff_upscale(&src, &dst, &p, err);
    cli_progress_end(&bar);
    if (cli_check_done(s, err) == 0)
        r = png_out_commit(&out, &dst, err);
done:
    png_out_abort(&out);
    dctdiff_image_release(&dst);
    dctdiff_image_release(&src);
    return r;
}

int cmd_upscale(int argc, char **argv)
{
    upscale_opts o;
    int r = parse(argc, argv, &o);
    return cli_command_finish(CMD, r, run, &o, o.out);
}
