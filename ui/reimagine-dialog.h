/* reimagine-dialog.h - the dialog of plug-in-dctdiff-reimagine (GTK3). */
#ifndef DCTDIFF_REIMAGINE_DIALOG_H
#define DCTDIFF_REIMAGINE_DIALOG_H

#include <libgimp/gimp.h>

#include "edits.h"

/* FALSE when the user cancelled.  in: the layer and selection, for the
 * preview. */
gboolean reimagine_dialog_run (GimpProcedure       *procedure,
                               GimpProcedureConfig *config,
                               const EditInput     *in);

#endif
