/* choice-combos.h - choice arguments drawn as drop-down lists.  GIMP 3.2
 * draws a short choice list as a frame of radio buttons (3.0: a drop-down);
 * our dialogs hold several, and as radio frames the upscale dialog grew by
 * 120 px, so they are drop-downs on every GIMP line (GTK3). */
#ifndef DCTDIFF_CHOICE_COMBOS_H
#define DCTDIFF_CHOICE_COMBOS_H

#include <libgimp/gimpui.h>

/* Makes the widgets of the named choice arguments (NULL-terminated) as
 * drop-downs, before gimp_procedure_dialog_fill places them. */
void choice_combos (GimpProcedureDialog *dialog,
                    const gchar         *first_name,
                    ...) G_GNUC_NULL_TERMINATED;

#endif
