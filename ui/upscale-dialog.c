/* upscale-dialog.c - the dialog of plug-in-dctdiff-upscale: the widgets the
 * procedure's arguments make, the result's size kept in step with the
 * factor (size-row.c) and a preview of the result (upscale-preview.c). */
#include "upscale-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "choice-combos.h"
#include "size-row.h"
#include "upscale-preview.h"
#include "widget-dump.h"

gboolean
upscale_dialog_run (GimpProcedure       *procedure,
                    GimpProcedureConfig *config,
                    GimpImage           *image,
                    GimpDrawable        *drawable)
{
  UpscalePreview *preview = NULL;
  GtkWidget      *dialog;
  GtkBox         *content;
  gboolean        run;

  dialog = gimp_procedure_dialog_new (procedure, config, _("DCT Upscale"));
  gimp_window_set_transient (GTK_WINDOW (dialog));
  content = GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog)));

  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog),
                                        "factor", 1.0);
  if (drawable)
    {
      GtkWidget *box;

      preview = upscale_preview_new (config, image, drawable);
      box = upscale_preview_widget (preview);
      gtk_container_set_border_width (GTK_CONTAINER (box), 12);
      gtk_box_pack_start (content, box, FALSE, FALSE, 0);
    }
  choice_combos (GIMP_PROCEDURE_DIALOG (dialog), "scope", "method", "filter", NULL);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "scope", "factor", NULL);
  gtk_box_pack_start (content,
                      size_row_new (config, gimp_image_get_width (image),
                                    gimp_image_get_height (image), "factor"),
                      FALSE, FALSE, 0);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "method", "filter", NULL);

  widget_dump_on_map (dialog, "upscale");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  if (preview)
    upscale_preview_free (preview);
  gtk_widget_destroy (dialog);
  return run;
}
