/* cmd_convert.c - `dctdiff convert IN.pth OUT.safetensors`: an official
 * PyTorch checkpoint as a DCTdiff model file, without PyTorch. */
#include "args.h"
#include "commands.h"

#include <getopt.h>
#include <string.h>

static const char *const CMD = "convert";

static void usage(FILE *fp)
{
    fputs("Usage: dctdiff convert [OPTION]... IN.pth OUT.safetensors\n"
          "\n"
          "Write the network of a PyTorch checkpoint (torch.save of a state_dict)\n"
          "as a DCTdiff model file, with the metadata of its official config.\n"
          "The config is found by the tensor shapes (and the published file name\n"
          "where shapes tie) unless one of these names it:\n"
          "\n"
          "  -r, --release=NAME   a published checkpoint (dctdiff models --official)\n"
          "      --config=FILE    a JSON object of official config fields\n"
          "                       (docs/official-models.md)\n"
          "  -h, --help           show this help\n"
          "\n"
          "Tensors keep their stored precision.  OUT appears only when complete.\n", fp);
}

int cmd_convert(int argc, char **argv)
{
    enum { OPT_CONFIG = 256 };
    static const struct option longopts[] = {
        { "release", required_argument, NULL, 'r' },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    dctdiff_load_params p;
    dctdiff_load_params_init(&p);
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":r:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': p.release = optarg; break;
        case OPT_CONFIG: p.config_path = optarg; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: cli_bad_option(CMD, c, argv); return CLI_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        cli_report(CMD, "expected IN.pth and OUT.safetensors (try 'dctdiff convert --help')");
        return CLI_EXIT_USAGE;
    }
    if (p.release && p.config_path) {
        cli_report(CMD, "give --release or --config, not both");
        return CLI_EXIT_USAGE;
    }
    const char *in = argv[optind], *out = argv[optind + 1];
    dctdiff_error err = {0};
    dctdiff_model *m = NULL;
    int r = dctdiff_model_convert(in, out, &p, &err) == DCTDIFF_OK &&
            dctdiff_model_describe(out, NULL, &m, &err) == DCTDIFF_OK ? 0 : -1;
    if (r == 0) {
        dctdiff_model_info info;
        dctdiff_model_get_info(m, &info);
        printf("%s: %s, %dx%d, %.2f M parameters\n", out, info.name, info.resolution,
               info.resolution, info.parameters / 1e6);
    }
    dctdiff_model_free(m);
    return cli_exit_status(CMD, r, &err, out);
}
