/* seed-row.c - the dialogs' seed row (see seed-row.h). */
#include "seed-row.h"

#include <glib/gi18n-lib.h>

static void
dice_clicked (GimpProcedureConfig *config)
{
  g_object_set (config, "seed", g_random_int_range (0, G_MAXINT), NULL);
}

GtkWidget *
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
