/* results.h - finished engine images in GIMP, for the procedures that make
 * new layers (generate, re-imagine): GIMP's progress bar while they are
 * made, each one as a new layer, and freeing them. */
#ifndef DCTDIFF_RESULTS_H
#define DCTDIFF_RESULTS_H

#include <libgimp/gimp.h>

#include "buffers.h"
#include "dctdiff.h"

/* A dctdiff_progress_fn that moves GIMP's progress bar (user unused). */
int        results_progress  (void                *user,
                              int                  done,
                              int                  total,
                              const char          *stage);

/* Inserts img as a new layer named name, of type type, at position under
 * parent (NULL: the top level), with its top-left corner at (x, y).  fmt says
 * how its pixels are written; NULL: 8-bit RGB in the new layer's space. */
GimpLayer *results_add_layer (GimpImage           *image,
                              GimpLayer           *parent,
                              int                  position,
                              const gchar         *name,
                              GimpImageType        type,
                              int                  x,
                              int                  y,
                              const BuffersFormat *fmt,
                              const dctdiff_image *img);

/* Releases out[0 .. count) and frees out; NULL is allowed. */
void       results_free      (dctdiff_image       *out,
                              int                  count);

#endif
