/* main.c - `dctdiff COMMAND ...`: finds the command in the table and runs it. */
#include "args.h"
#include "commands.h"

#include <string.h>

static const cli_command commands[] = {
    { "upscale", "enlarge an image in the DCT domain", cmd_upscale },
    { "generate", "sample new images from a DCTdiff model", cmd_generate },
    { "edit", "variations, fills and new detail of an image", cmd_edit },
    { "convert", "write an official .pth checkpoint as a model file", cmd_convert },
    { "models", "list installed models or the published checkpoints", cmd_models },
    { NULL, NULL, NULL }
};

static void usage(FILE *fp)
{
    fputs("Usage: dctdiff COMMAND [OPTION]... [ARG]...\n"
          "       dctdiff COMMAND --help\n"
          "       dctdiff --version\n"
          "\n"
          "DCT-space image upscaling and DCTdiff image generation (arXiv 2412.15032).\n"
          "\n"
          "Commands:\n", fp);
    for (const cli_command *c = commands; c->name; c++)
        fprintf(fp, "  %-12s %s\n", c->name, c->summary);
    fputs("\n"
          "Exit status: 0 on success, 1 when the work failed (the reason is printed\n"
          "on one line), 2 for a usage error, 130 when interrupted.\n"
          "See dctdiff(1) for more.\n", fp);
}

static const cli_command *find_command(const char *name)
{
    for (const cli_command *c = commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *arg = argv[1];
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(arg, "--version") == 0) {
        printf("dctdiff %s\n", DCTDIFF_VERSION_STRING);
        return CLI_EXIT_OK;
    }
    const cli_command *c = find_command(arg);
    if (!c) {
        fprintf(stderr, "dctdiff: unknown command '%s' (try 'dctdiff --help')\n", arg);
        return CLI_EXIT_USAGE;
    }
    return c->run(argc - 1, argv + 1);
}
