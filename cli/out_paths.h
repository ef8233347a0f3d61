/* out_paths.h - where a command that makes several images writes them. */
#ifndef CLI_OUT_PATHS_H
#define CLI_OUT_PATHS_H

#include "dctdiff.h"

/* Makes the folder path unless it exists. */
int cli_make_dir(const char *path, dctdiff_error *err);

/* The count file names for -o OUT: OUT itself for one image into a
 * non-folder, else OUT/STEM-NNNN.png (the folder made if needed).  A .png
 * name for several images is an error.  *paths: count malloc'ed strings in
 * a malloc'ed array, freed by the caller even on failure. */
int cli_output_paths(const char *out, int count, const char *stem, char ***paths,
                     dctdiff_error *err);

#endif
