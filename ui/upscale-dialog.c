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

/* Where the view lies on the source (vx, vy: its top-left corner, in
 * source pixels), and the crop read for it: the view plus a margin, so the
 * crop's own edges stay out of sight. */
typedef struct
{
  gdouble       vx, vy;
  GeglRectangle crop;
} ViewGeometry;

static void
view_geometry (const Preview *p, gdouble rx, gdouble ry, int zoom,
               ViewGeometry *g)
{
  int     dw = gimp_drawable_get_width (p->drawable);
  int     dh = gimp_drawable_get_height (p->drawable);
  gdouble vw = VIEW_SIZE / (zoom * rx);
  gdouble vh = VIEW_SIZE / (zoom * ry);
  int     x0, y0, x1, y1;

  g->vx = CLAMP (p->cx - vw / 2, 0, MAX (dw - vw, 0));
  g->vy = CLAMP (p->cy - vh / 2, 0, MAX (dh - vh, 0));
  x0 = MAX ((int) floor (g->vx) - CROP_MARGIN, 0);
  y0 = MAX ((int) floor (g->vy) - CROP_MARGIN, 0);
  x1 = MIN ((int) ceil (g->vx + vw) + CROP_MARGIN, dw);
  y1 = MIN ((int) ceil (g->vy + vh) + CROP_MARGIN, dh);
  g->crop = (GeglRectangle) { x0, y0, x1 - x0, y1 - y0 };
}

/* Shows the view's window of the upscaled crop, enlarged by zoom, on a grey
 * ground where the result ends before the view does. */
static void
show_result (Preview *p, const dctdiff_image *big, BuffersFormat fmt,
             const ViewGeometry *g, gdouble rx, gdouble ry, int zoom)
{
  const Babl *rgba = babl_format_with_space ("R'G'B'A u8", fmt.format);
  const Babl *fish = babl_fish (fmt.format, rgba);
  int         ox   = (int) lround ((g->vx - g->crop.x) * rx);
  int         oy   = (int) lround ((g->vy - g->crop.y) * ry);
  int         w    = MIN (VIEW_SIZE, (big->width - ox) * zoom);
  int         h    = MIN (VIEW_SIZE, (big->height - oy) * zoom);
  guchar     *buf;
  int         x, y;

  gimp_preview_area_fill (GIMP_PREVIEW_AREA (p->area), 0, 0, VIEW_SIZE,
                          VIEW_SIZE, 128, 128, 128);
  if (w <= 0 || h <= 0)
    return;
  buf = g_malloc (w * h * 4);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        const float *px = (const float *) ((const guchar *) big->data +
                                           (oy + y / zoom) * big->stride) +
                          (ox + x / zoom) * fmt.channels;

        babl_process (fish, px, buf + (y * w + x) * 4, 1);
      }
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (p->area), 0, 0, w, h,
                          GIMP_RGBA_IMAGE, buf, w * 4);
  g_free (buf);
}

static gboolean
render (gpointer data)
{
  Preview        *p = data;
  UpscaleSettings s;
  BuffersFormat   fmt = buffers_format_for (p->drawable);
  GeglBuffer     *src = gimp_drawable_get_buffer (p->drawable);
  ViewGeometry    g;
  dctdiff_image   small = { 0 }, big = { 0 };
  dctdiff_error   err = { 0 };
  GError         *error = NULL;
  gdouble         rx, ry;
  int             zoom = 1 << gtk_combo_box_get_active (GTK_COMBO_BOX (p->zoom));

  p->idle = 0;
  upscale_settings_read (p->config, p->image, &s);
  rx = (gdouble) s.width / gimp_image_get_width (p->image);
  ry = (gdouble) s.height / gimp_image_get_height (p->image);
  view_geometry (p, rx, ry, zoom, &g);

  if (buffers_read (src, &g.crop, fmt, &small, &error) &&
      dctdiff_image_alloc (&big, lround (g.crop.width * rx),
                           lround (g.crop.height * ry), fmt.channels,
                           DCTDIFF_PIXEL_F32, &err) == DCTDIFF_OK &&
      dctdiff_upscale (&small, &big, &s.params, &err) == DCTDIFF_OK)
    {
      show_result (p, &big, fmt, &g, rx, ry, zoom);
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
  p->cx = CLAMP (p->cx + (event->x - VIEW_SIZE / 2) / (zoom * rx),
                 0, gimp_drawable_get_width (p->drawable));
  p->cy = CLAMP (p->cy + (event->y - VIEW_SIZE / 2) / (zoom * ry),
                 0, gimp_drawable_get_height (p->drawable));
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
