/* generate-dialog.c - the dialog of plug-in-dctdiff-generate.
 *
 * Besides the widgets made from the procedure's arguments it has the model
 * chooser, the seed row with its dice, and a size entry for the output
 * resolution (0 x 0 = the model's native size). */
#include "generate-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "model-chooser.h"
#include "models.h"
#include "seed-row.h"
#include "widget-dump.h"

typedef struct
{
  GimpProcedureConfig *config;
  GList               *models;
  GtkWidget           *class_widget;
} GenerateDialog;

static void
size_changed (GimpSizeEntry *entry, GenerateDialog *d)
{
  g_object_set (d->config,
                "width",  (gint) gimp_size_entry_get_refval (entry, 0),
                "height", (gint) gimp_size_entry_get_refval (entry, 1),
                NULL);
}

static GtkWidget *
size_entry_new (GenerateDialog *d)
{
  GtkWidget *frame = gimp_frame_new (_("Output size (0 = the model's native size)"));
  GtkWidget *entry = gimp_size_entry_new (2, gimp_unit_pixel (), "%a", TRUE,
                                          FALSE, FALSE, 8,
                                          GIMP_SIZE_ENTRY_UPDATE_SIZE);
  gint       width, height, i;

  g_object_get (d->config, "width", &width, "height", &height, NULL);
  gtk_widget_set_name (entry, "dctdiff-size");
  gimp_size_entry_attach_label (GIMP_SIZE_ENTRY (entry), _("Width"), 0, 1, 0.0);
  gimp_size_entry_attach_label (GIMP_SIZE_ENTRY (entry), _("Height"), 0, 2, 0.0);
  for (i = 0; i < 2; i++)
    {
      gimp_size_entry_set_resolution (GIMP_SIZE_ENTRY (entry), i, 72.0, FALSE);
      gimp_size_entry_set_refval_boundaries (GIMP_SIZE_ENTRY (entry), i, 0,
                                             GIMP_MAX_IMAGE_SIZE);
    }
  gimp_size_entry_set_refval (GIMP_SIZE_ENTRY (entry), 0, width);
  gimp_size_entry_set_refval (GIMP_SIZE_ENTRY (entry), 1, height);
  g_signal_connect (entry, "value-changed", G_CALLBACK (size_changed), d);

  gtk_container_add (GTK_CONTAINER (frame), entry);
  gtk_container_set_border_width (GTK_CONTAINER (frame), 12);
  gtk_widget_show_all (frame);
  return frame;
}

gboolean
generate_dialog_run (GimpProcedure       *procedure,
                     GimpProcedureConfig *config)
{
  GenerateDialog d = { config, models_list (), NULL };
  GtkWidget     *dialog;
  GtkBox        *content;
  gboolean       run;

  dialog  = gimp_procedure_dialog_new (procedure, config, _("DCTdiff Generate"));
  content = GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog)));
  d.class_widget = gimp_procedure_dialog_get_widget (GIMP_PROCEDURE_DIALOG (dialog),
                                                     "class", G_TYPE_NONE);

  gtk_box_pack_start (content, model_chooser_new (config, d.models, d.class_widget),
                      FALSE, FALSE, 0);
  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog), "steps", 1.0);
  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog), "snr-scale", 1.0);
  /* The SNR scale is baked into a model's training: an expert override,
   * folded away. */
  gimp_procedure_dialog_get_label (GIMP_PROCEDURE_DIALOG (dialog), "advanced-title",
                                   _("Advanced"), FALSE, FALSE);
  gimp_procedure_dialog_fill_expander (GIMP_PROCEDURE_DIALOG (dialog), "advanced",
                                       "advanced-title", FALSE, "snr-scale");
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "model", "sampler",
                              "steps", "count", "class", "output",
                              "random-seed", "advanced", NULL);
  gtk_box_pack_start (content, seed_row_new (GIMP_PROCEDURE_DIALOG (dialog), config),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (content, size_entry_new (&d), FALSE, FALSE, 0);

  widget_dump_on_map (dialog, "generate");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  g_signal_handlers_disconnect_by_data (config, &d);
  gtk_widget_destroy (dialog);
  models_list_free (d.models);
  return run;
}
