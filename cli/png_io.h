/* png_io.h - PNG files in and out of dctdiff_image buffers (libpng).
 *
 * Reading accepts every PNG colour type and bit depth and gives 1 to 4
 * channels of 8 or 16 bits (16-bit samples in native byte order): palettes
 * become RGB, low bit depths become 8 bits, a tRNS chunk becomes alpha.
 *
 * Writing goes to a temporary file beside the target, which is renamed over
 * it only once every byte is written, so a failure or a Ctrl-C never leaves a
 * half-written file.  The temporary file is made when the writer is opened,
 * before any long computation, so an unwritable path fails at once. */
#ifndef CLI_PNG_IO_H
#define CLI_PNG_IO_H

#include "dctdiff.h"

#include <stdio.h>

/* Sides larger than this are refused on read and write. */
#define PNG_IO_MAX_SIDE 65535

/* Reads path into img (allocated with dctdiff_image_alloc; release it with
 * dctdiff_image_release).  On failure img is empty and err names the file
 * and the reason in one line. */
int png_io_read(const char *path, dctdiff_image *img, dctdiff_error *err);

typedef struct {
    char *path;      /* the final name */
    char *tmp_path;  /* where the bytes go until png_out_commit */
    FILE *fp;
} png_out;

/* Creates the temporary file for path. */
int png_out_open(png_out *out, const char *path, dctdiff_error *err);
/* Writes img (U8 or U16, 1 to 4 channels), then renames the temporary file
 * to the final name.  On failure the temporary file is removed. */
int png_out_commit(png_out *out, const dctdiff_image *img, dctdiff_error *err);
/* Removes the temporary file if it is still there.  Safe after commit. */
void png_out_abort(png_out *out);

#endif
