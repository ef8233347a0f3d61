/* dialogs.h - the plug-in's interactive dialogs (GTK3). */
#ifndef DCTDIFF_DIALOGS_H
#define DCTDIFF_DIALOGS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

/* Both return FALSE when the user cancelled. */
gboolean upscale_dialog_run  (GimpProcedure       *procedure,
                              GimpProcedureConfig *config,
                              GimpImage           *image,
                              GimpDrawable        *preview_drawable);
gboolean generate_dialog_run (GimpProcedure       *procedure,
                              GimpProcedureConfig *config);

/* Runs the sampler in a worker thread while a window shows the image
 * forming, a progress bar and a Stop button.  Returns the engine's status
 * (DCTDIFF_E_CANCELLED after Stop); out[] is filled only on success. */
dctdiff_status generate_progress_run (const dctdiff_model      *model,
                                      dctdiff_generate_params  *params,
                                      dctdiff_image            *out,
                                      dctdiff_error            *err);

#endif
