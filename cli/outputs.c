/* outputs.c - output files of the image-making commands (outputs.h). */
#include "outputs.h"
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

static int make_paths(cli_outputs *o, const char *out, const char *stem, dctdiff_error *err)
{
    struct stat st;
    size_t len = strlen(out);
    int is_dir = (stat(out, &st) == 0 && S_ISDIR(st.st_mode)) || out[len - 1] == '/';
    if (!is_dir && o->count > 1) {
        if (len > 4 && strcmp(out + len - 4, ".png") == 0)
            return cli_fail(err, DCTDIFF_E_ARG, "%d images need a folder for -o, not %s",
                            o->count, out);
        is_dir = 1;
    }
    if (is_dir && cli_make_dir(out, err))
        return -1;
    for (int i = 0; i < o->count; i++) {
        size_t n = len + strlen(stem) + 32;
        if (!(o->paths[i] = malloc(n)))
            return cli_fail(err, DCTDIFF_E_NOMEM, "out of memory");
        if (is_dir)
            snprintf(o->paths[i], n, "%s%s%s-%04d.png", out, out[len - 1] == '/' ? "" : "/",
                     stem, i);
        else
            snprintf(o->paths[i], n, "%s", out);
    }
    return 0;
}

int cli_outputs_open(cli_outputs *o, const char *out, int count, const char *stem, int width,
                     int height, int channels, dctdiff_pixel_type type, dctdiff_error *err)
{
    *o = (cli_outputs){ count, calloc((size_t)count, sizeof(char *)),
                        calloc((size_t)count, sizeof(png_out)),
                        calloc((size_t)count, sizeof(dctdiff_image)) };
    if (!o->paths || !o->outs || !o->imgs)
        return cli_fail(err, DCTDIFF_E_NOMEM, "out of memory");
    if (make_paths(o, out, stem, err))
        return -1;
    for (int i = 0; i < count; i++)
        if (png_out_open(&o->outs[i], o->paths[i], err) ||
            dctdiff_image_alloc(&o->imgs[i], width, height, channels, type, err) != DCTDIFF_OK)
            return -1;
    return 0;
}

int cli_outputs_finish(cli_outputs *o, dctdiff_status st, dctdiff_error *err)
{
    if (cli_check_done(st, err))
        return -1;
    for (int i = 0; i < o->count; i++)
        if (png_out_commit(&o->outs[i], &o->imgs[i], err))
            return -1;
    return 0;
}

void cli_outputs_free(cli_outputs *o)
{
    for (int i = 0; i < o->count; i++) {
        if (o->outs)
            png_out_abort(&o->outs[i]);
        if (o->imgs)
            dctdiff_image_release(&o->imgs[i]);
        if (o->paths)
            free(o->paths[i]);
    }
    free(o->outs);
    free(o->imgs);
    free(o->paths);
    *o = (cli_outputs){ 0 };
}
