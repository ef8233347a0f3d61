/* cmd_models.c - `dctdiff models`: the installed models, or the published
 * checkpoints, one line each.  Files are only described (header, metadata
 * and shapes), so listing a folder of large checkpoints is quick. */
#include "args.h"
#include "commands.h"

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const CMD = "models";

static void usage(FILE *fp)
{
    fputs("Usage: dctdiff models [--official] [FOLDER|FILE]...\n"
          "\n"
          "List the models in the folders (default: the model search path) with\n"
          "their name, native size and classes; .safetensors and .pth files are\n"
          "read.  The search path is $DCTDIFF_MODEL_PATH (folders separated by ':')\n"
          "followed by the GIMP plug-in's user folders,\n"
          "${XDG_CONFIG_HOME:-~/.config}/GIMP/{3.0,3.2}/dctdiff/models.\n"
          "\n"
          "  -o, --official   list the published DCTdiff checkpoints instead\n"
          "  -h, --help       show this help\n", fp);
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int is_model_file(const char *name)
{
    return has_suffix(name, ".safetensors") || has_suffix(name, ".pth");
}

static void describe(const char *path)
{
    dctdiff_model *m = NULL;
    dctdiff_error err = {0};
    if (dctdiff_model_describe(path, NULL, &m, &err) != DCTDIFF_OK) {
        printf("%-30s %-9s %s (%s)\n", "-", "-", path, err.msg);
        return;
    }
    dctdiff_model_info in;
    dctdiff_model_get_info(m, &in);
    char size[32], classes[32] = "";
    snprintf(size, sizeof size, "%dx%d", in.resolution, in.resolution);
    if (in.num_classes)
        snprintf(classes, sizeof classes, ", %d classes", in.num_classes);
    printf("%-30s %-9s %s%s\n", in.name, size, path, classes);
    dctdiff_model_free(m);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every model file in folder, sorted by name. */
static void list_folder(const char *folder)
{
    DIR *d = opendir(folder);
    if (!d)
        return;
    char **paths = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!is_model_file(e->d_name))
            continue;
        if (n == cap) {
            char **bigger = realloc(paths, (cap = cap ? 2 * cap : 16) * sizeof *paths);
            if (!bigger)
                break;
            paths = bigger;
        }
        size_t len = strlen(folder) + strlen(e->d_name) + 2;
        if ((paths[n] = malloc(len)))
            snprintf(paths[n++], len, "%s/%s", folder, e->d_name);
    }
    closedir(d);
    qsort(paths, n, sizeof *paths, by_name);
    for (size_t i = 0; i < n; i++) {
        describe(paths[i]);
        free(paths[i]);
    }
    free(paths);
}

static void list_path(const char *path)
{
    DIR *d = opendir(path);
    if (d) {
        closedir(d);
        list_folder(path);
    } else {
        describe(path);
    }
}

static void list_search_path(void)
{
    const char *env = getenv("DCTDIFF_MODEL_PATH");
    char *copy = env ? strdup(env) : NULL;
    for (char *save = NULL, *dir = copy ? strtok_r(copy, ":", &save) : NULL; dir;
         dir = strtok_r(NULL, ":", &save))
        list_folder(dir);
    free(copy);
    /* The plug-in's user folder, for each GIMP 3 series it may be built for. */
    static const char *const series[] = {"3.0", "3.2"};
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    for (size_t i = 0; i < sizeof series / sizeof series[0]; i++) {
        char user[4096];
        if (xdg && *xdg)
            snprintf(user, sizeof user, "%s/GIMP/%s/dctdiff/models", xdg, series[i]);
        else
            snprintf(user, sizeof user, "%s/.config/GIMP/%s/dctdiff/models", home ? home : "",
                     series[i]);
        list_folder(user);
    }
}

static void list_official(void)
{
    const dctdiff_enum_entry *e = dctdiff_official_models();
    for (int i = 0; e[i].name; i++)
        printf("%-28s %-46s %s\n", e[i].name, e[i].label, dctdiff_official_url(i));
}

int cmd_models(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "official", no_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    int official = 0, c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "oh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': official = 1; break;
        case 'h': usage(stdout); return CLI_EXIT_OK;
        default: cli_bad_option(CMD, c, argv); return CLI_EXIT_USAGE;
        }
    }
    if (official)
        list_official();
    else if (optind == argc)
        list_search_path();
    for (int i = optind; i < argc; i++)
        list_path(argv[i]);
    return CLI_EXIT_OK;
}
