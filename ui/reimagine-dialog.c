/* reimagine-dialog.c - the dialog of plug-in-dctdiff-reimagine.
 *
 * The procedure's arguments, the model chooser, the seed row, and a preview:
 * the layer as it is, and after Preview one edit with the current settings
 * (the first of the run's images), computed in a worker thread by the same
 * path as the run (edits_make). */
#include "reimagine-dialog.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "choice-combos.h"
#include "model-chooser.h"
#include "models.h"
#include "seed-row.h"
#include "widget-dump.h"
#include "worker.h"

#define PREVIEW_SIZE 256

typedef struct
{
  GimpProcedureConfig *config;
  const EditInput     *in;
  GtkWidget           *area, *status;
  /* the worker's job */
  dctdiff_model       *model;
  EditSettings         settings;
  dctdiff_image        result;
  GError              *error;
} Preview;

/* img (the layer's format) scaled to fit the area, nearest neighbour. */
static void
preview_draw (Preview *p, const dctdiff_image *img)
{
  const Babl *fish = babl_fish (p->in->fmt.write_format, babl_format ("R'G'B' u8"));
  int         side = MAX (img->width, img->height);
  int         w = MAX (1, img->width * PREVIEW_SIZE / side);
  int         h = MAX (1, img->height * PREVIEW_SIZE / side);
  size_t      px = (size_t) img->channels * dctdiff_pixel_size (img->type);
  guchar     *rgb = g_malloc ((size_t) w * h * 3);
  int         x, y;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      babl_process (fish, (const guchar *) img->data +
                    (size_t) (y * img->height / h) * img->stride +
                    (size_t) (x * img->width / w) * px,
                    rgb + ((size_t) y * w + x) * 3, 1);
  gimp_preview_area_fill (GIMP_PREVIEW_AREA (p->area), 0, 0, PREVIEW_SIZE, PREVIEW_SIZE,
                          128, 128, 128);
  gimp_preview_area_draw (GIMP_PREVIEW_AREA (p->area), (PREVIEW_SIZE - w) / 2,
                          (PREVIEW_SIZE - h) / 2, w, h, GIMP_RGB_IMAGE, rgb, w * 3);
  g_free (rgb);
}

static void
preview_draw_layer (Preview *p)
{
  preview_draw (p, &p->in->pixels);
}

static void
preview_work (gpointer data)
{
  Preview *p = data;

  p->settings.params.gen.count = 1;
  edits_make (p->model, &p->settings, p->in, NULL, NULL, &p->result, &p->error);
}

static void
preview_clicked (GtkWidget *button, Preview *p)
{
  GFile *file;

  edit_settings_read (p->config, &p->settings);
  g_object_get (p->config, "model", &file, NULL);
  p->model = models_load_for (file, &p->error);
  g_clear_object (&file);
  gtk_label_set_text (GTK_LABEL (p->status), _("Computing the preview..."));
  gtk_widget_set_sensitive (button, FALSE);
  if (p->model)
    worker_run (preview_work, p);
  gtk_widget_set_sensitive (button, TRUE);
  if (p->error)
    gtk_label_set_text (GTK_LABEL (p->status), p->error->message);
  else
    {
      preview_draw (p, &p->result);
      gtk_label_set_text (GTK_LABEL (p->status), _("Preview of the first image"));
    }
  g_clear_error (&p->error);
  dctdiff_image_release (&p->result);
  dctdiff_model_free (p->model);
  p->model = NULL;
  edit_settings_clear (&p->settings);
}

static GtkWidget *
preview_new (Preview *p)
{
  GtkWidget *box    = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Preview"));

  p->area   = gimp_preview_area_new ();
  p->status = gtk_label_new (_("The layer as it is"));
  gtk_widget_set_name (button, "dctdiff-preview");
  gtk_widget_set_size_request (p->area, PREVIEW_SIZE, PREVIEW_SIZE);
  g_signal_connect (button, "clicked", G_CALLBACK (preview_clicked), p);
  gtk_box_pack_start (GTK_BOX (box), p->area, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), p->status, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (box), button, FALSE, FALSE, 0);
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_widget_show_all (box);
  /* the area has its size only once realised */
  g_signal_connect_swapped (p->area, "realize", G_CALLBACK (preview_draw_layer), p);
  return box;
}

gboolean
reimagine_dialog_run (GimpProcedure       *procedure,
                      GimpProcedureConfig *config,
                      const EditInput     *in)
{
  GList     *models = models_list ();
  Preview    p = { .config = config, .in = in };
  GtkWidget *dialog;
  GtkBox    *content;
  gboolean   run;

  dialog  = gimp_procedure_dialog_new (procedure, config, _("DCTdiff Re-imagine"));
  content = GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog)));

  gtk_box_pack_start (content, model_chooser_new (config, models, NULL), FALSE, FALSE, 0);
  choice_combos (GIMP_PROCEDURE_DIALOG (dialog), "mode", "sampler", NULL);
  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog), "strength", 1.0);
  gimp_procedure_dialog_get_spin_scale (GIMP_PROCEDURE_DIALOG (dialog), "steps", 1.0);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "model", "mode", "strength",
                              "keep-low", "resample", "sampler", "steps", "count",
                              "random-seed", NULL);
  gtk_box_pack_start (content, seed_row_new (GIMP_PROCEDURE_DIALOG (dialog), config),
                      FALSE, FALSE, 0);
  gtk_box_pack_start (content, preview_new (&p), FALSE, FALSE, 0);

  widget_dump_on_map (dialog, "reimagine");
  run = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  gtk_widget_destroy (dialog);
  models_list_free (models);
  return run;
}
