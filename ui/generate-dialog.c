/* generate-dialog.c - the dialog of plug-in-dctdiff-generate.
 *
 * Besides the widgets made from the procedure's arguments it has a model
 * chooser that lists the installed models with their native size, a seed
 * row with a dice button, and a size entry for the output resolution (0 x 0
 * = the model's native size). */
#include "generate-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "models.h"
#include "widget-dump.h"

typedef struct
{
  GimpProcedureConfig *config;
  GList               *models;
  GtkWidget           *class_widget;
} GenerateDialog;

/* The class label means something only to class-conditional models. */
static void
model_chosen (GtkComboBox *combo, GenerateDialog *d)
{
  const gchar *path = gtk_combo_box_get_active_id (combo);
  GFile       *file;
  GList       *iter;

  if (! path)
    return;
  file = g_file_new_for_path (path);
  g_object_set (d->config, "model", file, NULL);
  g_object_unref (file);
  for (iter = d->models; iter; iter = iter->next)
    {
      ModelEntry *e = iter->data;

      if (g_strcmp0 (e->path, path) == 0)
        gtk_widget_set_sensitive (d->class_widget, e->classes > 0);
    }
}

static GtkWidget *
model_chooser_new (GenerateDialog *d)
{
  GtkWidget *box   = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *hbox  = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (_("Installed _models:"));
  GtkWidget *combo = gtk_combo_box_text_new ();
  GtkWidget *hint;
  GFile     *current = NULL;
  gchar     *current_path = NULL;
  gchar     *user = models_user_folder ();
  gchar     *text;
  GList     *iter;

  gtk_widget_set_name (combo, "dctdiff-model-chooser");
  g_object_get (d->config, "model", &current, NULL);
  if (current)
    current_path = g_file_get_path (current);

  for (iter = d->models; iter; iter = iter->next)
    {
      ModelEntry *e = iter->data;

      if (e->resolution > 0)
        text = g_strdup_printf (_("%s (%d x %d)"), e->name, e->resolution,
                                e->resolution);
      else
        text = g_strdup_printf (_("%s (unreadable)"), e->name);
      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (combo), e->path, text);
      g_free (text);
    }
  if (current_path)
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), current_path);
  if (gtk_combo_box_get_active (GTK_COMBO_BOX (combo)) < 0 && d->models && ! current)
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  g_signal_connect (combo, "changed", G_CALLBACK (model_chosen), d);
  model_chosen (GTK_COMBO_BOX (combo), d);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), combo);
  gtk_box_pack_start (GTK_BOX (hbox), label, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), combo, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (box), hbox, FALSE, FALSE, 0);

  text = g_strdup_printf (_("Put your own models into %s"), user);
  hint = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (hint), TRUE);
  gtk_label_set_line_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0.0);
  gimp_label_set_attributes (GTK_LABEL (hint), PANGO_ATTR_SCALE,
                             PANGO_SCALE_SMALL, -1);
  gtk_box_pack_start (GTK_BOX (box), hint, FALSE, FALSE, 0);

  g_free (text);
  g_free (user);
  g_free (current_path);
  g_clear_object (&current);
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_widget_show_all (box);
  return box;
}

static void
dice_clicked (GimpProcedureConfig *config)
{
  g_object_set (config, "seed", g_random_int_range (0, G_MAXINT), NULL);
}

static GtkWidget *
seed_row_new (GimpProcedureDialog *dialog, GimpProcedureConfig *config)
{
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *seed = gimp_procedure_dialog_get_widget (dialog, "seed",
                                                      GIMP_TYPE_LABEL_SPIN);
  GtkWidget *dice = gtk_button_new_with_mnemonic (_("_Dice"));

  gtk_widget_set_name (dice, "dctdiff-dice");
  gtk_widget_set_tooltip_text (dice, _("Roll a new random seed"));
  g_signal_connect_swapped (dice, "clicked", G_CALLBACK (dice_clicked), config);
  gtk_box_pack_start (GTK_BOX (hbox), seed, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), dice, FALSE, FALSE, 0);
  gtk_container_set_border_width (GTK_CONTAINER (hbox), 12);
  gtk_widget_show_all (hbox);
  return hbox;
}

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

  gtk_box_pack_start (content, model_chooser_new (&d), FALSE, FALSE, 0);
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
