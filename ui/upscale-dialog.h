/* upscale-dialog.h - the dialog of plug-in-dctdiff-upscale (GTK3). */
#ifndef DCTDIFF_UPSCALE_DIALOG_H
#define DCTDIFF_UPSCALE_DIALOG_H

#include <libgimp/gimp.h>

/* FALSE when the user cancelled.  preview_drawable may be NULL (no preview). */
gboolean upscale_dialog_run (GimpProcedure       *procedure,
                             GimpProcedureConfig *config,
                             GimpImage           *image,
                             GimpDrawable        *preview_drawable);

#endif
