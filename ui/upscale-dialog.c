/* upscale-dialog.c - the dialog of plug-in-dctdiff-upscale: the widgets the
 * procedure's arguments make, with a preview of the result beside them
 * (upscale-preview.c). */
#include "upscale-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

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
  gboolean        run;

  dialog = gimp_procedure_dialog_new (procedure, config, _("DCT Upscale"));
  gimp_window_set_transient (GTK_WINDOW (dialog));

  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog),
                                        "factor", 1.0);
  if (drawable)
    {
      GtkWidget *box;

      preview = upscale_preview_new (config, image, drawable);
      box = upscale_preview_widget (preview);
      gtk_container_set_border_width (GTK_CONTAINER (box), 12);
      gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))),
                          box, FALSE, FALSE, 0);
    }
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "scope",
                              "factor", "width", "height", "method", "filter",
                              NULL);

  widget_dump_on_map (dialog, "upscale");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  if (preview)
    upscale_preview_free (preview);
  gtk_widget_destroy (dialog);
  return run;
}
