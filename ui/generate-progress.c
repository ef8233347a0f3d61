/* generate-progress.c - the window shown while a DCTdiff model samples: the
 * image forming (the engine's preview every few steps), a progress bar and a
 * Stop button.  The sampler runs in a worker thread; Stop sets a flag that
 * the engine's callbacks return, so the engine stops between steps. */
#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "dialogs.h"
#include "widget-dump.h"
#include "worker.h"

#define PREVIEW_SIZE  256
#define PREVIEW_EVERY 5

typedef struct
{
  const dctdiff_model     *model;
  dctdiff_generate_params *params;
  dctdiff_image           *out;
  dctdiff_error           *err;
  dctdiff_status           status;
  gint                     stop;   /* atomic: set by Stop, read by the engine */
  GtkWidget               *area;
  GtkWidget               *bar;
  GtkWidget               *stop_button;
} GenerateRun;

typedef struct
{
  GenerateRun *run;
  gdouble      fraction;
  int          step, steps;
  dctdiff_image frame;     /* owned copy, or data NULL for progress only */
} UiUpdate;

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

static gboolean
apply_update (gpointer data)
{
  UiUpdate *u = data;

  if (u->frame.data)
    {
      gchar *text = g_strdup_printf (_("Step %d of %d"), u->step, u->steps);

      draw_frame (u->run->area, &u->frame);
      gtk_progress_bar_set_text (GTK_PROGRESS_BAR (u->run->bar), text);
      g_free (text);
      g_free (u->frame.data);
    }
  else
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (u->run->bar), u->fraction);
  g_free (u);
  return G_SOURCE_REMOVE;
}

/* Engine callbacks: in the worker thread, so they only post to GTK. */
static int
on_progress (void *user, int done, int total, const char *stage)
{
  GenerateRun *run = user;
  UiUpdate    *u   = g_new0 (UiUpdate, 1);

  u->run      = run;
  u->fraction = (gdouble) done / MAX (total, 1);
  g_idle_add (apply_update, u);
  return g_atomic_int_get (&run->stop);
}

static int
on_preview (void *user, int sample, int step, int steps,
            const dctdiff_image *rgb)
{
  GenerateRun *run = user;
  UiUpdate    *u   = g_new0 (UiUpdate, 1);

  u->run   = run;
  u->step  = step;
  u->steps = steps;
  u->frame = *rgb;
  u->frame.data = g_memdup2 (rgb->data, rgb->stride * rgb->height);
  g_idle_add (apply_update, u);
  return g_atomic_int_get (&run->stop);
}

static void
sample_in_worker (gpointer data)
{
  GenerateRun *run = data;

  run->status = dctdiff_generate (run->model, run->params, run->out, run->err);
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

dctdiff_status
generate_progress_run (const dctdiff_model      *model,
                       dctdiff_generate_params  *params,
                       dctdiff_image            *out,
                       dctdiff_error            *err)
{
  GenerateRun run = { model, params, out, err, DCTDIFF_OK, 0,
                      NULL, NULL, NULL };
  GtkWidget  *window = progress_window_new (&run);

  params->progress      = on_progress;
  params->progress_user = &run;
  params->preview       = on_preview;
  params->preview_user  = &run;
  params->preview_every = PREVIEW_EVERY;

  worker_run (sample_in_worker, &run);
  gtk_widget_destroy (window);
  return run.status;
}
