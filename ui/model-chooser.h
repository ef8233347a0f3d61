/* model-chooser.h - the dialogs' model row: the installed models with their
 * native size, and where the user's own go (GTK3). */
#ifndef DCTDIFF_MODEL_CHOOSER_H
#define DCTDIFF_MODEL_CHOOSER_H

#include <libgimp/gimpui.h>

/* Sets config's "model" to the chosen file.  models: a models_list () that
 * outlives the widget.  class_widget (may be NULL) is made sensitive only for
 * class-conditional models. */
GtkWidget *model_chooser_new (GimpProcedureConfig *config,
                              GList               *models,
                              GtkWidget           *class_widget);

#endif
