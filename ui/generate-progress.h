/* generate-progress.h - the window shown while a model samples (GTK3). */
#ifndef DCTDIFF_GENERATE_PROGRESS_H
#define DCTDIFF_GENERATE_PROGRESS_H

#include "samples.h"

/* samples_make in a worker thread, while a window shows the image forming,
 * a progress bar and a Stop button; the window supplies only the callbacks.
 * Returns as samples_make does (FALSE with no error after Stop). */
gboolean generate_progress_run (const dctdiff_model    *model,
                                const GenerateSettings *s,
                                dctdiff_image          *out,
                                GError                **error);

#endif
