/* seed-row.h - the dialogs' seed spin button with its dice (GTK3). */
#ifndef DCTDIFF_SEED_ROW_H
#define DCTDIFF_SEED_ROW_H

#include <libgimp/gimpui.h>

/* The procedure's "seed" argument and a Dice button that rolls a new one. */
GtkWidget *seed_row_new (GimpProcedureDialog *dialog,
                         GimpProcedureConfig *config);

#endif
