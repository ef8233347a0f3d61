/* generate-progress.c - the window shown while a DCTdiff model samples: the
 * image forming (the engine's preview every few steps), a progress bar and a
 * Stop button.
 *
 * samples_make runs in a worker thread.  Its callbacks only store the latest
 * state under a lock and queue one GTK update if none is queued yet, so the
 * GTK thread redraws at its own pace whatever the number of evaluations.
 * Stop sets a flag that the callbacks return, so the engine stops between
 * evaluations. */
#include "generate-progress.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "widget-dump.h"
#include "worker.h"

#define PREVIEW_SIZE  256
#define PREVIEW_EVERY 5

typedef struct
{
  const dctdiff_model    *model;
  const GenerateSettings *settings;
  dctdiff_image          *out;
  GError                **error;
  gboolean                ok;
  gint                    stop;     /* atomic: set by Stop, read by the engine */
  gint                    queued;   /* atomic: an update is queued for GTK */

  GMutex                  lock;     /* guards the latest state below */
  gdouble                 fraction;
  int                     step, steps;
  dctdiff_image           frame;    /* owned copy; data NULL until the first */
  gboolean                frame_new;

  GtkWidget              *area;
  GtkWidget              *bar;
  GtkWidget              *stop_button;
} GenerateRun;

/* Nearest-neighbour enlargement of the engine's 8-bit RGB frame. */
static void
draw_frame (GtkWidget *area, const dctdiff_image *img)
{
  guchar *buf = g_malloc (PREVIEW_SIZE * PREVIEW_SIZE * 3);
  int     x, y;

  for (y = 0; y < PREVIEW_SIZE; y++)
    {
      const guchar *row = (const guchar *) img->data +
                          (size_t) (y * img->height / PREVIEW_SIZE) * img->stride;

      for (x = 0; x < PREVIEW_SIZE; x++)
        memcpy (buf + (y * PREVIEW_SIZE + x) * 3,
                row + (x * img->width / PREVIEW_SIZE) * 3, 3);
    }
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (area), 0, 0,
                          PREVIEW_SIZE, PREVIEW_SIZE, GIMP_RGB_IMAGE,
                          buf, PREVIEW_SIZE * 3);
  g_free (buf);
}

/* GTK thread: show the latest state. */
static gboolean
apply_update (gpointer data)
{
  GenerateRun *run = data;
  gchar       *text = NULL;

  g_atomic_int_set (&run->queued, 0);
  g_mutex_lock (&run->lock);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (run->bar), run->fraction);
  if (run->frame_new)
    {
      draw_frame (run->area, &run->frame);
      text = g_strdup_printf (_("Step %d of %d"), run->step, run->steps);
      run->frame_new = FALSE;
    }
  g_mutex_unlock (&run->lock);
  if (text)
    gtk_progress_bar_set_text (GTK_PROGRESS_BAR (run->bar), text);
  g_free (text);
  return G_SOURCE_REMOVE;
}

static int
post_update (GenerateRun *run)
{
  if (g_atomic_int_compare_and_exchange (&run->queued, 0, 1))
    g_idle_add (apply_update, run);
  return g_atomic_int_get (&run->stop);
}

/* Engine callbacks: in the worker thread, so they only store and post. */
static int
on_progress (void *user, int done, int total, const char *stage)
{
  GenerateRun *run = user;

  g_mutex_lock (&run->lock);
  run->fraction = (gdouble) done / MAX (total, 1);
  g_mutex_unlock (&run->lock);
  return post_update (run);
}

static int
on_preview (void *user, int sample, int step, int steps,
            const dctdiff_image *rgb)
{
  GenerateRun *run   = user;
  size_t       bytes = rgb->stride * rgb->height;

  g_mutex_lock (&run->lock);
  if (! run->frame.data || run->frame.stride * run->frame.height != bytes)
    {
      g_free (run->frame.data);
      run->frame      = *rgb;
      run->frame.data = g_malloc (bytes);
    }
  memcpy (run->frame.data, rgb->data, bytes);
  run->step      = step;
  run->steps     = steps;
  run->frame_new = TRUE;
  g_mutex_unlock (&run->lock);
  return post_update (run);
}

static void
sample_in_worker (gpointer data)
{
  GenerateRun  *run   = data;
  SamplesHooks  hooks = { on_progress, on_preview, run, PREVIEW_EVERY };

  run->ok = samples_make (run->model, run->settings, &hooks, run->out,
                          run->error);
}

static void
stop_clicked (GenerateRun *run)
{
  g_atomic_int_set (&run->stop, 1);
  gtk_widget_set_sensitive (run->stop_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (run->stop_button), _("Stopping..."));
}

static gboolean
window_deleted (GtkWidget *window, GdkEvent *event, GenerateRun *run)
{
  stop_clicked (run);
  return TRUE;
}

static GtkWidget *
progress_window_new (GenerateRun *run)
{
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *box    = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_window_set_title (GTK_WINDOW (window), _("DCTdiff: generating"));
  gtk_window_set_role (GTK_WINDOW (window), "dctdiff-progress");
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_container_add (GTK_CONTAINER (window), box);

  run->area = gimp_preview_area_new ();
  gtk_widget_set_size_request (run->area, PREVIEW_SIZE, PREVIEW_SIZE);
  gtk_box_pack_start (GTK_BOX (box), run->area, FALSE, FALSE, 0);

  run->bar = gtk_progress_bar_new ();
  gtk_progress_bar_set_show_text (GTK_PROGRESS_BAR (run->bar), TRUE);
  gtk_progress_bar_set_text (GTK_PROGRESS_BAR (run->bar), _("Starting..."));
  gtk_box_pack_start (GTK_BOX (box), run->bar, FALSE, FALSE, 0);

  run->stop_button = gtk_button_new_with_mnemonic (_("_Stop"));
  gtk_widget_set_name (run->stop_button, "dctdiff-stop");
  g_signal_connect_swapped (run->stop_button, "clicked",
                            G_CALLBACK (stop_clicked), run);
  gtk_box_pack_start (GTK_BOX (box), run->stop_button, FALSE, FALSE, 0);

  g_signal_connect (window, "delete-event", G_CALLBACK (window_deleted), run);
  widget_dump_on_map (window, "progress");
  gtk_widget_show_all (window);
  return window;
}

gboolean
generate_progress_run (const dctdiff_model    *model,
                       const GenerateSettings *s,
                       dctdiff_image          *out,
                       GError                **error)
{
  GenerateRun run = { .model = model, .settings = s, .out = out,
                      .error = error };
  GtkWidget  *window;

  g_mutex_init (&run.lock);
  window = progress_window_new (&run);
  /* Returns once the worker is done and every update it queued has run. */
  worker_run (sample_in_worker, &run);
  gtk_widget_destroy (window);
  g_free (run.frame.data);
  g_mutex_clear (&run.lock);
  return run.ok;
}
