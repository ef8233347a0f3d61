/* edits.h - the one path from a layer, its selection and edit settings to
 * finished edits, for batch runs, the dialog's preview and the procedure. */
#ifndef DCTDIFF_EDITS_H
#define DCTDIFF_EDITS_H

#include <libgimp/gimp.h>

#include "buffers.h"
#include "dctdiff.h"
#include "edit-settings.h"

typedef struct
{
  BuffersFormat  fmt;     /* how the layer's pixels are read and written */
  dctdiff_image  pixels;  /* the layer */
  dctdiff_image  mask;    /* the selection over the layer; no data = none */
} EditInput;

/* Reads drawable and, when the image has one, the selection over it (a
 * feathered selection gives a soft mask).  The layer is read as the CLI reads
 * a PNG where it can: 8-bit perceptual layers as bytes, others as float.
 * Call on the plug-in's main thread. */
gboolean edits_read_input  (GimpImage    *image,
                            GimpDrawable *drawable,
                            EditInput    *in,
                            GError      **error);
void     edits_clear_input (EditInput    *in);

/* Makes s->params.gen.count edits of in into out[] (count entries, zeroed),
 * each like in->pixels.  FALSE with error set on failure, FALSE with no error
 * when progress cancelled.  Touches no GIMP or GTK state. */
gboolean edits_make        (const dctdiff_model *model,
                            const EditSettings  *s,
                            const EditInput     *in,
                            dctdiff_progress_fn  progress,
                            void                *progress_user,
                            dctdiff_image       *out,
                            GError             **error);

#endif
