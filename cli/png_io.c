/* png_io.c - PNG reading and writing with libpng, errors as one line. */
#include "png_io.h"

#include "args.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* zlib level for written files.  Our outputs are large and writing them is
 * most of what the user waits for: `dctdiff upscale -s 4` of kodim01.png
 * (3072x2048 out) took 1.5 s in all at level 1, 2.6 s at level 3 and 8.5 s at
 * zlib's default 6, for files 11% and 5% larger than level 6's (2 cores,
 * libpng 1.6.39, adaptive filters, which beat any single filter here). */
#define PNG_IO_ZLIB_LEVEL 1

/* What libpng's callbacks share with us: the file, and where to jump with
 * which message when libpng reports an error. */
typedef struct {
    FILE *fp;
    jmp_buf jmp;
    char msg[200];
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg);
    longjmp(ctx->jmp, 1);
}

/* libpng warns about things like a wrong gamma chunk; the pixels are still
 * right and the CLI prints only real failures. */
static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

static int little_endian(void)
{
    const uint16_t one = 1;
    return *(const uint8_t *)&one;
}

static void read_bytes(png_structp png, png_bytep data, size_t len)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (fread(data, 1, len, ctx->fp) != len)
        png_error(png, ferror(ctx->fp) ? strerror(errno) : "the file is truncated");
}

static void write_bytes(png_structp png, png_bytep data, size_t len)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (fwrite(data, 1, len, ctx->fp) != len)
        png_error(png, strerror(errno));
}

static void flush_bytes(png_structp png)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (fflush(ctx->fp) != 0)
        png_error(png, strerror(errno));
}

/* The decoding proper, after the signature was checked.  Asks libpng for
 * the expansions that turn any PNG into 1-4 channels of 8 or 16 bits. */
static int read_png(FILE *fp, const char *path, dctdiff_image *img, dctdiff_error *err)
{
    png_ctx ctx = { .fp = fp };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    png_bytep *volatile rows = NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return cli_fail(err, DCTDIFF_E_NOMEM, "cannot read '%s': out of memory", path);
    }
    if (setjmp(ctx.jmp)) {
        free(rows);
        dctdiff_image_release(img);
        png_destroy_read_struct(&png, &info, NULL);
        return cli_fail(err, DCTDIFF_E_FORMAT, "cannot read '%s': %s", path, ctx.msg);
    }
    png_set_read_fn(png, &ctx, read_bytes);
    png_set_sig_bytes(png, 8);
    png_set_user_limits(png, PNG_IO_MAX_SIDE, PNG_IO_MAX_SIDE);
    png_read_info(png, info);
    png_set_expand(png);
    if (little_endian())
        png_set_swap(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    int w = (int)png_get_image_width(png, info);
    int h = (int)png_get_image_height(png, info);
    dctdiff_pixel_type type = png_get_bit_depth(png, info) == 16 ? DCTDIFF_PIXEL_U16
                                                                 : DCTDIFF_PIXEL_U8;
    if (dctdiff_image_alloc(img, w, h, png_get_channels(png, info), type, err) != DCTDIFF_OK)
        png_error(png, err ? err->msg : "out of memory");
    rows = malloc((size_t)h * sizeof *rows);
    if (!rows)
        png_error(png, "out of memory");
    for (int y = 0; y < h; y++)
        rows[y] = (png_bytep)img->data + (size_t)y * img->stride;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return 0;
}

int png_io_read(const char *path, dctdiff_image *img, dctdiff_error *err)
{
    memset(img, 0, sizeof *img);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return cli_fail(err, DCTDIFF_E_IO, "cannot read '%s': %s", path, strerror(errno));
    unsigned char sig[8];
    size_t n = fread(sig, 1, sizeof sig, fp);
    int r;
    if (n == 0 && ferror(fp))
        r = cli_fail(err, DCTDIFF_E_IO, "cannot read '%s': %s", path, strerror(errno));
    else if (n == 0)
        r = cli_fail(err, DCTDIFF_E_FORMAT, "cannot read '%s': the file is empty", path);
    else if (n < sizeof sig || png_sig_cmp(sig, 0, sizeof sig) != 0)
        r = cli_fail(err, DCTDIFF_E_FORMAT, "cannot read '%s': not a PNG file", path);
    else
        r = read_png(fp, path, img, err);
    fclose(fp);
    return r;
}

/* ------------------------------------------------------------------------ */
/* Writing                                                                  */

int png_out_open(png_out *out, const char *path, dctdiff_error *err)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': it is a directory", path);
    size_t len = strlen(path);
    out->path = strdup(path);
    out->tmp_path = malloc(len + sizeof ".tmp-XXXXXX");
    if (!out->path || !out->tmp_path) {
        png_out_abort(out);
        return cli_fail(err, DCTDIFF_E_NOMEM, "cannot write '%s': out of memory", path);
    }
    memcpy(out->tmp_path, path, len);
    memcpy(out->tmp_path + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(out->tmp_path);
        out->tmp_path = NULL;
        png_out_abort(out);
        return cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': %s", path, strerror(e));
    }
    /* mkstemp makes the file private; the result should get the same mode a
     * plain fopen would give it. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    out->fp = fdopen(fd, "wb");
    if (!out->fp) {
        int e = errno;
        close(fd);
        png_out_abort(out);
        return cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': %s", path, strerror(e));
    }
    return 0;
}

static const int color_types[5] = { 0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA,
                                     PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGB_ALPHA };

static int write_png(png_out *out, const dctdiff_image *img, dctdiff_error *err)
{
    png_ctx ctx = { .fp = out->fp };
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return cli_fail(err, DCTDIFF_E_NOMEM, "cannot write '%s': out of memory", out->path);
    }
    if (setjmp(ctx.jmp)) {
        png_destroy_write_struct(&png, &info);
        return cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': %s", out->path, ctx.msg);
    }
    png_set_write_fn(png, &ctx, write_bytes, flush_bytes);
    png_set_compression_level(png, PNG_IO_ZLIB_LEVEL);
    png_set_IHDR(png, info, (png_uint_32)img->width, (png_uint_32)img->height,
                 img->type == DCTDIFF_PIXEL_U16 ? 16 : 8, color_types[img->channels],
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    if (img->type == DCTDIFF_PIXEL_U16 && little_endian())
        png_set_swap(png);
    for (int y = 0; y < img->height; y++)
        png_write_row(png, (png_const_bytep)img->data + (size_t)y * img->stride);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

int png_out_commit(png_out *out, const dctdiff_image *img, dctdiff_error *err)
{
    int r;
    if (img->channels < 1 || img->channels > 4 || img->type == DCTDIFF_PIXEL_F32)
        r = cli_fail(err, DCTDIFF_E_ARG,
                     "cannot write '%s': PNG needs 1-4 channels of 8 or 16 bits", out->path);
    else if (img->width > PNG_IO_MAX_SIDE || img->height > PNG_IO_MAX_SIDE)
        r = cli_fail(err, DCTDIFF_E_ARG, "cannot write '%s': %dx%d is over %d pixels a side",
                     out->path, img->width, img->height, PNG_IO_MAX_SIDE);
    else
        r = write_png(out, img, err);
    FILE *fp = out->fp;
    out->fp = NULL;
    if (fclose(fp) != 0 && r == 0)
        r = cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': %s", out->path, strerror(errno));
    if (r == 0 && rename(out->tmp_path, out->path) != 0)
        r = cli_fail(err, DCTDIFF_E_IO, "cannot write '%s': %s", out->path, strerror(errno));
    if (r == 0) {
        free(out->tmp_path);
        out->tmp_path = NULL;
    }
    png_out_abort(out);
    return r;
}

void png_out_abort(png_out *out)
{
    if (out->fp)
        fclose(out->fp);
    if (out->tmp_path)
        unlink(out->tmp_path);
    free(out->tmp_path);
    free(out->path);
    memset(out, 0, sizeof *out);
}
