/* generate-dialog.c - the dialog of plug-in-dctdiff-generate.
 *
 * Besides the widgets made from the procedure's arguments it has the model
 * chooser, the seed row with its dice, and the output size.  Steps and size
 * show the chosen model's own values (its default steps, its native size)
 * rather than the 0 that scripts pass for them; choosing another model, or
 * Reset, puts that model's values back. */
#include "generate-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "choice-combos.h"
#include "model-chooser.h"
#include "models.h"
#include "seed-row.h"
#include "size-row.h"
#include "widget-dump.h"

typedef struct
{
  GimpProcedureConfig *config;
  GList               *models;
  GtkWidget           *class_widget;
  GtkWidget           *size_row;
  const ModelEntry    *shown;  /* the model whose values the fields show */
} GenerateDialog;

/* The installed model config names, or NULL. */
static const ModelEntry *
chosen_model (GenerateDialog *d)
{
  const ModelEntry *found = NULL;
  GFile            *file  = NULL;
  gchar            *path  = NULL;
  GList            *iter;

  g_object_get (d->config, "model", &file, NULL);
  if (file)
    path = g_file_get_path (file);
  for (iter = d->models; iter && path && ! found; iter = iter->next)
    if (g_strcmp0 (((ModelEntry *) iter->data)->path, path) == 0)
      found = iter->data;
  g_free (path);
  g_clear_object (&file);
  return found;
}

/* The size row measures from the model's native square; steps left at 0
 * (the model's default) show that default.  all: also put the model's
 * values back over the user's. */
static void
show_model_values (GenerateDialog *d, gboolean all)
{
  const ModelEntry *e = chosen_model (d);
  gint              steps;

  d->shown = e;
  if (! e || e->resolution <= 0)
    return;
  size_row_set_source (d->size_row, e->resolution, e->resolution);
  gtk_widget_set_sensitive (d->size_row, TRUE);
  g_object_get (d->config, "steps", &steps, NULL);
  if (all)
    g_object_set (d->config, "width", 0, "height", 0, NULL);
  if ((all || steps == 0) && e->steps > 0)
    g_object_set (d->config, "steps", e->steps, NULL);
}

/* The model file button sets the same file again once it has loaded it:
 * only another model puts its values over the user's. */
static void
model_changed (GObject *config, GParamSpec *pspec, GenerateDialog *d)
{
  if (chosen_model (d) != d->shown)
    show_model_values (d, TRUE);
}

static void
reset_clicked (GtkButton *button, GenerateDialog *d)
{
  show_model_values (d, TRUE);
}

static GtkWidget *
size_frame_new (GenerateDialog *d)
{
  GtkWidget *frame = gimp_frame_new (_("Output size"));
  GtkWidget *box   = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *reset = gtk_button_new_with_mnemonic (_("_Reset to the model's steps and size"));

  /* Larger than native is reached by DCT upscaling.  Without a readable
   * model there is no size to show: the row stays insensitive. */
  d->size_row = size_row_new (d->config, 1, 1, NULL);
  gtk_widget_set_sensitive (d->size_row, FALSE);
  gtk_container_set_border_width (GTK_CONTAINER (d->size_row), 0);
  gtk_widget_set_name (reset, "dctdiff-reset");
  gtk_widget_set_halign (reset, GTK_ALIGN_START);
  g_signal_connect (reset, "clicked", G_CALLBACK (reset_clicked), d);
  gtk_box_pack_start (GTK_BOX (box), d->size_row, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), reset, FALSE, FALSE, 0);
  gtk_container_add (GTK_CONTAINER (frame), box);
  gtk_container_set_border_width (GTK_CONTAINER (frame), 12);
  gtk_widget_show_all (frame);
  return frame;
}

gboolean
generate_dialog_run (GimpProcedure       *procedure,
                     GimpProcedureConfig *config)
{
  GenerateDialog d = { config, models_list (), NULL, NULL, NULL };
  GtkWidget     *dialog;
  GtkBox        *content;
  gboolean       run;

  dialog  = gimp_procedure_dialog_new (procedure, config, _("DCTdiff Generate"));
  content = GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog)));
  d.class_widget = gimp_procedure_dialog_get_widget (GIMP_PROCEDURE_DIALOG (dialog),
                                                     "class", G_TYPE_NONE);

  gtk_box_pack_start (content, model_chooser_new (config, d.models, d.class_widget),
                      FALSE, FALSE, 0);
  choice_combos (GIMP_PROCEDURE_DIALOG (dialog), "sampler", "output", NULL);
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
  gtk_box_pack_start (content, size_frame_new (&d), FALSE, FALSE, 0);
  show_model_values (&d, FALSE);
  g_signal_connect (config, "notify::model", G_CALLBACK (model_changed), &d);

  widget_dump_on_map (dialog, "generate");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  g_signal_handlers_disconnect_by_data (config, &d);
  gtk_widget_destroy (dialog);
  models_list_free (d.models);
  return run;
}
