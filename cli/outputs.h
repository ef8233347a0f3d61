/* outputs.h - the PNG files of a command that makes several images: their
 * names, their temporary files (made before the work, so an unwritable path
 * fails at once) and their pixel buffers. */
#ifndef CLI_OUTPUTS_H
#define CLI_OUTPUTS_H

#include "dctdiff.h"
#include "png_io.h"

/* Makes the folder path unless it exists. */
int cli_make_dir(const char *path, dctdiff_error *err);

typedef struct {
    int count;
    char **paths;
    png_out *outs;
    dctdiff_image *imgs;
} cli_outputs;

/* count files for -o OUT: OUT itself for one image into a non-folder, else
 * OUT/STEM-NNNN.png (the folder made if needed; a .png name for several
 * images is an error).  Opens each and allocates its image.  o is freed by
 * cli_outputs_free even after a failure. */
int cli_outputs_open(cli_outputs *o, const char *out, int count, const char *stem, int width,
                     int height, int channels, dctdiff_pixel_type type, dctdiff_error *err);
/* After the engine's call that filled the images returned st: writes every
 * file, or returns -1 (err set) when the call failed or Ctrl-C came. */
int cli_outputs_finish(cli_outputs *o, dctdiff_status st, dctdiff_error *err);
/* Removes the files not committed and frees everything. */
void cli_outputs_free(cli_outputs *o);

#endif
