/* samples.h - the one path from generate settings to finished samples, for
 * batch runs and for the progress window alike: the caller supplies only the
 * progress and preview callbacks (called in whatever thread runs this). */
#ifndef DCTDIFF_SAMPLES_H
#define DCTDIFF_SAMPLES_H

#include <libgimp/gimp.h>

#include "dctdiff.h"
#include "generate-settings.h"

typedef struct
{
  dctdiff_progress_fn progress;      /* may be NULL */
  dctdiff_preview_fn  preview;       /* may be NULL */
  void               *user;
  int                 preview_every; /* 0 = no previews */
} SamplesHooks;

/* Samples s->params.count images and enlarges each to the asked canvas.
 * out[] (count entries, zeroed) receives 8-bit RGB images on success.
 * FALSE with error set on failure, FALSE with no error when a callback
 * cancelled.  Touches no GIMP or GTK state, so it may run in a thread. */
gboolean samples_make (const dctdiff_model    *model,
                       const GenerateSettings *s,
                       const SamplesHooks     *hooks,
                       dctdiff_image          *out,
                       GError                **error);

#endif
