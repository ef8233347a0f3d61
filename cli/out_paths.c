/* out_paths.c - output file names of the image-making commands. */
#include "out_paths.h"
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int cli_make_dir(const char *path, dctdiff_error *err)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (mkdir(path, 0777) != 0)
        return cli_fail(err, DCTDIFF_E_IO, "cannot make folder %s: %s", path, strerror(errno));
    return 0;
}

int cli_output_paths(const char *out, int count, const char *stem, char ***paths,
                     dctdiff_error *err)
{
    struct stat st;
    size_t len = strlen(out);
    int is_dir = (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) || out[len - 1] == '/';
    if (!is_dir && count > 1) {
        if (len > 4 && strcmp(out + len - 4, ".png") == 0)
            return cli_fail(err, DCTDIFF_E_ARG, "%d images need a folder for -o, not %s",
                            count, out);
        is_dir = 1;
    }
    if (is_dir && cli_make_dir(out, err))
        return -1;
    *paths = calloc((size_t)count, sizeof **paths);
    for (int i = 0; *paths && i < count; i++) {
        size_t n = len + strlen(stem) + 32;
        if (!((*paths)[i] = malloc(n)))
            return cli_fail(err, DCTDIFF_E_NOMEM, "out of memory");
        if (is_dir)
            snprintf((*paths)[i], n, "%s%s%s-%04d.png", out, out[len - 1] == '/' ? "" : "/",
                     stem, i);
        else
            snprintf((*paths)[i], n, "%s", out);
    }
    return *paths ? 0 : cli_fail(err, DCTDIFF_E_NOMEM, "out of memory");
}
