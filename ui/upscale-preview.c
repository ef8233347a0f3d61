/* upscale-preview.c - the upscale dialog's preview (see upscale-preview.h).
 *
 * Only a crop is upscaled (with a margin, so its edges match the full
 * result), so it stays quick.  The crop is read on the GTK thread (libgimp
 * talks to GIMP from there only); the engine runs on it in a worker thread.
 * Clicking the preview centres it on the clicked point. */
#include "upscale-preview.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "buffers.h"
#include "upscale-settings.h"

#define VIEW_SIZE   256
#define CROP_MARGIN 8      /* source pixels around the crop */

typedef struct _PreviewJob PreviewJob;

struct _UpscalePreview
{
  GimpProcedureConfig *config;
  GimpImage           *image;
  GimpDrawable        *drawable;
  GtkWidget           *box;
  GtkWidget           *area;
  GtkWidget           *zoom;
  GtkWidget           *status;
  gdouble              cx, cy;   /* view centre, in source pixels */
  guint                idle;     /* a computation waiting to start */
  PreviewJob          *running;  /* the computation in the worker, or NULL */
  gboolean             dirty;    /* a change since running started */
  gboolean             closing;
};

/* Where the view lies on the source (vx, vy: its top-left corner, in
 * source pixels), and the crop read for it: the view plus a margin, so the
 * crop's own edges stay out of sight. */
typedef struct
{
  gdouble       vx, vy;
  GeglRectangle crop;
} ViewGeometry;

/* One computation: inputs copied on the GTK thread, outputs filled by the
 * worker. */
struct _PreviewJob
{
  UpscalePreview        *preview;
  GThread               *thread;
  BuffersFormat          fmt;
  ViewGeometry           g;
  gdouble                rx, ry;
  int                    zoom;
  dctdiff_upscale_params params;
  dctdiff_image          small, big;
  dctdiff_status         status;
  dctdiff_error          err;
};

static void invalidate (UpscalePreview *p);

static int
zoom_of (const UpscalePreview *p)
{
  return 1 << gtk_combo_box_get_active (GTK_COMBO_BOX (p->zoom));
}

static void
ratios (const UpscalePreview *p, const UpscaleSettings *s,
        gdouble *rx, gdouble *ry)
{
  *rx = (gdouble) s->width / gimp_image_get_width (p->image);
  *ry = (gdouble) s->height / gimp_image_get_height (p->image);
}

static void
view_geometry (const UpscalePreview *p, gdouble rx, gdouble ry, int zoom,
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
show_result (UpscalePreview *p, const PreviewJob *job)
{
  const dctdiff_image *big  = &job->big;
  const Babl          *rgba = babl_format_with_space ("R'G'B'A u8", job->fmt.format);
  const Babl          *fish = babl_fish (job->fmt.format, rgba);
  int                  zoom = job->zoom;
  int                  ox   = (int) lround ((job->g.vx - job->g.crop.x) * job->rx);
  int                  oy   = (int) lround ((job->g.vy - job->g.crop.y) * job->ry);
  int                  w    = MIN (VIEW_SIZE, (big->width - ox) * zoom);
  int                  h    = MIN (VIEW_SIZE, (big->height - oy) * zoom);
  guchar              *buf;
  int                  x, y;

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
                          (ox + x / zoom) * job->fmt.channels;

        babl_process (fish, px, buf + (y * w + x) * 4, 1);
      }
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (p->area), 0, 0, w, h,
                          GIMP_RGBA_IMAGE, buf, w * 4);
  g_free (buf);
}

static void
job_free (PreviewJob *job)
{
  dctdiff_image_release (&job->small);
  dctdiff_image_release (&job->big);
  g_free (job);
}

/* GTK thread: the worker is done. */
static gboolean
job_finished (gpointer data)
{
  PreviewJob     *job = data;
  UpscalePreview *p   = job->preview;

  g_thread_join (job->thread);
  p->running = NULL;
  if (! p->closing)
    {
      if (job->status == DCTDIFF_OK)
        {
          show_result (p, job);
          gtk_label_set_text (GTK_LABEL (p->status), "");
        }
      else
        gtk_label_set_text (GTK_LABEL (p->status), job->err.msg);
      if (p->dirty)
        invalidate (p);
    }
  job_free (job);
  return G_SOURCE_REMOVE;
}

/* Worker thread: engine calls only. */
static gpointer
job_compute (gpointer data)
{
  PreviewJob *job = data;

  job->status = dctdiff_image_alloc (&job->big,
                                     lround (job->g.crop.width * job->rx),
                                     lround (job->g.crop.height * job->ry),
                                     job->fmt.channels, DCTDIFF_PIXEL_F32,
                                     &job->err);
  if (job->status == DCTDIFF_OK)
    job->status = dctdiff_upscale (&job->small, &job->big, &job->params,
                                   &job->err);
  g_idle_add (job_finished, job);
  return NULL;
}

/* GTK thread: read the settings and the crop, and hand them to a worker. */
static gboolean
job_start (gpointer data)
{
  UpscalePreview *p   = data;
  PreviewJob     *job = g_new0 (PreviewJob, 1);
  UpscaleSettings s;
  GeglBuffer     *src = gimp_drawable_get_buffer (p->drawable);
  GError         *error = NULL;

  p->idle  = 0;
  p->dirty = FALSE;
  upscale_settings_read (p->config, p->image, &s, NULL);
  job->preview = p;
  job->fmt     = buffers_format_for (p->drawable);
  job->zoom    = zoom_of (p);
  job->params  = s.params;
  ratios (p, &s, &job->rx, &job->ry);
  view_geometry (p, job->rx, job->ry, job->zoom, &job->g);

  if (buffers_read (src, &job->g.crop, job->fmt, &job->small, &error))
    {
      p->running  = job;
      job->thread = g_thread_new ("dctdiff-preview", job_compute, job);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (p->status), error->message);
      g_clear_error (&error);
      job_free (job);
    }
  g_object_unref (src);
  return G_SOURCE_REMOVE;
}

/* Changes arriving together start one computation; while one runs, the next
 * waits for it. */
static void
invalidate (UpscalePreview *p)
{
  if (p->closing)
    return;
  p->dirty = TRUE;
  if (! p->running && ! p->idle)
    p->idle = g_idle_add (job_start, p);
}

static gboolean
area_clicked (GtkWidget *area, GdkEventButton *event, UpscalePreview *p)
{
  UpscaleSettings s;
  int             zoom = zoom_of (p);
  gdouble         rx, ry;

  upscale_settings_read (p->config, p->image, &s, NULL);
  ratios (p, &s, &rx, &ry);
  p->cx = CLAMP (p->cx + (event->x - VIEW_SIZE / 2) / (zoom * rx),
                 0, gimp_drawable_get_width (p->drawable));
  p->cy = CLAMP (p->cy + (event->y - VIEW_SIZE / 2) / (zoom * ry),
                 0, gimp_drawable_get_height (p->drawable));
  invalidate (p);
  return TRUE;
}

static GtkWidget *
widgets_new (UpscalePreview *p)
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

UpscalePreview *
upscale_preview_new (GimpProcedureConfig *config,
                     GimpImage           *image,
                     GimpDrawable        *drawable)
{
  UpscalePreview *p = g_new0 (UpscalePreview, 1);

  p->config   = config;
  p->image    = image;
  p->drawable = drawable;
  p->cx       = gimp_drawable_get_width (drawable) / 2.0;
  p->cy       = gimp_drawable_get_height (drawable) / 2.0;
  p->box      = widgets_new (p);
  g_signal_connect_swapped (config, "notify", G_CALLBACK (invalidate), p);
  invalidate (p);
  return p;
}

GtkWidget *
upscale_preview_widget (UpscalePreview *p)
{
  return p->box;
}

void
upscale_preview_free (UpscalePreview *p)
{
  p->closing = TRUE;
  g_signal_handlers_disconnect_by_data (p->config, p);
  g_signal_handlers_disconnect_by_data (p->zoom, p);
  g_signal_handlers_disconnect_by_data (p->area, p);
  if (p->idle)
    g_source_remove (p->idle);
  /* job_finished, posted by the worker, is what clears running. */
  while (p->running)
    g_main_context_iteration (NULL, TRUE);
  g_free (p);
}
