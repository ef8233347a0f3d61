/* generate-dialog.h - the dialog of plug-in-dctdiff-generate (GTK3). */
#ifndef DCTDIFF_GENERATE_DIALOG_H
#define DCTDIFF_GENERATE_DIALOG_H

#include <libgimp/gimp.h>

/* FALSE when the user cancelled. */
gboolean generate_dialog_run (GimpProcedure       *procedure,
                              GimpProcedureConfig *config);

#endif
