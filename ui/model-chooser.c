/* model-chooser.c - the dialogs' model row (see model-chooser.h). */
#include "model-chooser.h"

#include <glib/gi18n-lib.h>

#include "models.h"

typedef struct
{
  GimpProcedureConfig *config;
  GList               *models;
  GtkWidget           *class_widget;
} ModelChooser;

/* The class label means something only to class-conditional models. */
static void
model_chosen (GtkComboBox *combo, ModelChooser *d)
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

      if (g_strcmp0 (e->path, path) == 0 && d->class_widget)
        gtk_widget_set_sensitive (d->class_widget, e->classes > 0);
    }
}

GtkWidget *
model_chooser_new (GimpProcedureConfig *config,
                   GList               *models,
                   GtkWidget           *class_widget)
{
  ModelChooser *d = g_new (ModelChooser, 1);
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

  *d = (ModelChooser) { config, models, class_widget };
  g_object_set_data_full (G_OBJECT (box), "dctdiff-model-chooser", d, g_free);
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
