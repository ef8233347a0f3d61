/* upscale-dialog.c - the dialog of plug-in-dctdiff-upscale.
 *
 * The procedure's arguments make the widgets; beside them sits a preview of
 * a region of the result at 100, 200 or 400 %, recomputed whenever a setting
 * changes.  Clicking the preview centres it on the clicked point.  Only a
 * crop is upscaled (with a margin, so its edges match the full result), so
 * it stays quick. */
#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "buffers.h"
#include "dialogs.h"
#include "widget-dump.h"
#include "upscale.h"

#define VIEW_SIZE   256
#define CROP_MARGIN 8      /* source pixels around the crop */

typedef struct
{
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable        *drawable;
  GtkWidget           *area;
  GtkWidget           *zoom;
  GtkWidget           *status;
  gdouble              cx, cy;  /* view centre, in source pixels */
  guint                idle;
} Preview;

/* The crop [x0, x0 + w) of the source that covers the view, plus margin. */
static void
source_crop (const Preview *p, gdouble rx, gdouble ry, int zoom,
             GeglRectangle *crop)
{
  int dw = gimp_drawable_get_width (p->drawable);
  int dh = gimp_drawable_get_height (p->drawable);
  int w  = (int) ceil (VIEW_SIZE / (zoom * rx)) + 2 * CROP_MARGIN;
  int h  = (int) ceil (VIEW_SIZE / (zoom * ry)) + 2 * CROP_MARGIN;
  int x0 = CLAMP ((int) (p->cx - w / 2), 0, MAX (dw - w, 0));
  int y0 = CLAMP ((int) (p->cy - h / 2), 0, MAX (dh - h, 0));

  *crop = (GeglRectangle) { x0, y0, MIN (w, dw), MIN (h, dh) };
}

/* Copies the view's window of the upscaled crop, enlarged by zoom, as 8-bit
 * RGBA for the preview area. */
static void
show_result (Preview *p, const dctdiff_image *big, BuffersFormat fmt,
             gdouble rx, gdouble ry, int zoom)
{
  const Babl *rgba = babl_format_with_space ("R'G'B'A u8", fmt.format);
  const Babl *fish = babl_fish (fmt.format, rgba);
  guchar     *buf  = g_malloc0 (VIEW_SIZE * VIEW_SIZE * 4);
  int         mx   = MIN ((int) lround (CROP_MARGIN * rx), big->width - 1);
  int         my   = MIN ((int) lround (CROP_MARGIN * ry), big->height - 1);
  int         x, y;

  for (y = 0; y < VIEW_SIZE; y++)
    for (x = 0; x < VIEW_SIZE; x++)
      {
        int sx = MIN (mx + x / zoom, big->width - 1);
        int sy = MIN (my + y / zoom, big->height - 1);
        const float *px = (const float *) ((const guchar *) big->data +
                                           sy * big->stride) + sx * fmt.channels;

        babl_process (fish, px, buf + (y * VIEW_SIZE + x) * 4, 1);
      }
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (p->area), 0, 0, VIEW_SIZE,
                          VIEW_SIZE, GIMP_RGBA_IMAGE, buf, VIEW_SIZE * 4);
  g_free (buf);
}

static gboolean
render (gpointer data)
{
  Preview        *p = data;
  UpscaleSettings s;
  BuffersFormat   fmt = buffers_format_for (p->drawable);
  GeglBuffer     *src = gimp_drawable_get_buffer (p->drawable);
  GeglRectangle   crop;
  dctdiff_image   small = { 0 }, big = { 0 };
  dctdiff_error   err = { 0 };
  GError         *error = NULL;
  gdouble         rx, ry;
  int             zoom = 1 << gtk_combo_box_get_active (GTK_COMBO_BOX (p->zoom));

  p->idle = 0;
  upscale_settings_read (p->config, p->image, &s);
  rx = (gdouble) s.width / gimp_image_get_width (p->image);
  ry = (gdouble) s.height / gimp_image_get_height (p->image);
  source_crop (p, rx, ry, zoom, &crop);

  if (buffers_read (src, &crop, fmt, &small, &error) &&
      dctdiff_image_alloc (&big, lround (crop.width * rx),
                           lround (crop.height * ry), fmt.channels,
                           DCTDIFF_PIXEL_F32, &err) == DCTDIFF_OK &&
      dctdiff_upscale (&small, &big, &s.params, &err) == DCTDIFF_OK)
    {
      show_result (p, &big, fmt, rx, ry, zoom);
      gtk_label_set_text (GTK_LABEL (p->status), "");
    }
  else
    gtk_label_set_text (GTK_LABEL (p->status),
                        error ? error->message : err.msg);

  g_clear_error (&error);
  dctdiff_image_release (&small);
  dctdiff_image_release (&big);
  g_object_unref (src);
  return G_SOURCE_REMOVE;
}

static void
invalidate (Preview *p)
{
  if (! p->idle)
    p->idle = g_idle_add (render, p);
}

static gboolean
area_clicked (GtkWidget *area, GdkEventButton *event, Preview *p)
{
  UpscaleSettings s;
  int             zoom = 1 << gtk_combo_box_get_active (GTK_COMBO_BOX (p->zoom));
  gdouble         rx, ry;

  upscale_settings_read (p->config, p->image, &s);
  rx = (gdouble) s.width / gimp_image_get_width (p->image);
  ry = (gdouble) s.height / gimp_image_get_height (p->image);
  p->cx += (event->x - VIEW_SIZE / 2) / (zoom * rx);
  p->cy += (event->y - VIEW_SIZE / 2) / (zoom * ry);
  invalidate (p);
  return TRUE;
}

static GtkWidget *
preview_new (Preview *p)
{
  GtkWidget *box  = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *hbox = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label;

  p->area = gimp_preview_area_new ();
  gtk_widget_set_name (p->area, "dctdiff-preview");
  gtk_widget_set_size_request (p->area, VIEW_SIZE, VIEW_SIZE);
  gtk_widget_add_events (p->area, GDK_BUTTON_PRESS_MASK);
  gtk_widget_set_tooltip_text (p->area, _("A region of the result; click to "
                                          "move to another place"));
  g_signal_connect (p->area, "button-press-event", G_CALLBACK (area_clicked), p);
  gtk_box_pack_start (GTK_BOX (box), p->area, FALSE, FALSE, 0);

  label = gtk_label_new_with_mnemonic (_("_Zoom:"));
  gtk_box_pack_start (GTK_BOX (hbox), label, FALSE, FALSE, 0);
  p->zoom = gtk_combo_box_text_new ();
  gtk_widget_set_name (p->zoom, "dctdiff-zoom");
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom), "100 %");
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom), "200 %");
  gtk_combo_box_text_append_text (GTK_COMBO_BOX_TEXT (p->zoom), "400 %");
  gtk_combo_box_set_active (GTK_COMBO_BOX (p->zoom), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), p->zoom);
  g_signal_connect_swapped (p->zoom, "changed", G_CALLBACK (invalidate), p);
  gtk_box_pack_start (GTK_BOX (hbox), p->zoom, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), hbox, FALSE, FALSE, 0);

  p->status = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (p->status), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (p->status), 36);
  gtk_box_pack_start (GTK_BOX (box), p->status, FALSE, FALSE, 0);

  gtk_widget_show_all (box);
  return box;
}

gboolean
upscale_dialog_run (GimpProcedure       *procedure,
                    GimpProcedureConfig *config,
                    GimpImage           *image,
                    GimpDrawable        *drawable)
{
  Preview    p = { .config = config, .image = image, .drawable = drawable };
  GtkWidget *dialog;
  gboolean   run;

  dialog = gimp_procedure_dialog_new (procedure, config, _("DCT Upscale"));
  gimp_window_set_transient (GTK_WINDOW (dialog));

  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog),
                                        "factor", 1.0);
  if (drawable)
    {
      GtkWidget *box = preview_new (&p);

      gtk_container_set_border_width (GTK_CONTAINER (box), 12);
      gtk_box_pack_start (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))),
                          box, FALSE, FALSE, 0);
      p.cx = gimp_drawable_get_width (drawable) / 2.0;
      p.cy = gimp_drawable_get_height (drawable) / 2.0;
      g_signal_connect_swapped (config, "notify", G_CALLBACK (invalidate), &p);
      invalidate (&p);
    }
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "scope",
                              "factor", "width", "height", "method", "filter",
                              NULL);

  widget_dump_on_map (dialog, "upscale");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  if (drawable)
    g_signal_handlers_disconnect_by_data (config, &p);
  if (p.idle)
    g_source_remove (p.idle);
  gtk_widget_destroy (dialog);
  return run;
}
