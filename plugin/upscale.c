/* upscale.c - plug-in-dctdiff-upscale: DCT upscaling of a whole image or of
 * the selected layers.
 *
 * The run is split in two so that the core's Cancel (which kills this
 * process) can never leave a half-scaled image: first every new layer is
 * computed into private buffers, then one undo group scales the image and
 * overwrites each layer with its result. */
#include "procedures.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>
#include <math.h>

#include "buffers.h"
#include "choices.h"
#include "upscale-settings.h"
#include "upscale-dialog.h"

typedef struct
{
  GimpLayer  *layer;
  int         width, height; /* the layer's size after scaling */
  GeglBuffer *result;
} Job;

static GimpValueArray *upscale_run (GimpProcedure        *procedure,
                                    GimpRunMode           run_mode,
                                    GimpImage            *image,
                                    GimpDrawable        **drawables,
                                    GimpProcedureConfig  *config,
                                    gpointer              run_data);

GimpProcedure *
upscale_procedure_new (GimpPlugIn *plug_in)
{
  GimpProcedure          *procedure;
  dctdiff_upscale_params  defaults;

  dctdiff_upscale_params_init (&defaults);
  procedure = gimp_image_procedure_new (plug_in, UPSCALE_PROC,
                                        GIMP_PDB_PROC_TYPE_PLUGIN,
                                        upscale_run, NULL, NULL);

  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (procedure,
                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLE |
                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLES);
  gimp_procedure_set_menu_label (procedure, _("DCT _Upscale..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/Image");
  gimp_procedure_set_documentation
    (procedure,
     _("Enlarge the image in the DCT domain"),
     _("Upscales the image (all layers, channels, paths and the selection, "
       "as Image > Scale Image does) or only the selected layers, by "
       "extending their discrete cosine spectrum as DCTdiff does.  Give "
       "either a factor or a target width and/or height (0 = unset)."),
     UPSCALE_PROC);
  gimp_procedure_set_attribution (procedure, "DCTdiff for GIMP authors",
                                  "DCTdiff for GIMP authors", "2026");

  gimp_procedure_add_double_argument (procedure, "factor", _("_Scale factor"),
                                      _("How much larger the result is, used "
                                        "when width and height are both 0"),
                                      DCTDIFF_FACTOR_MIN, DCTDIFF_FACTOR_MAX,
                                      2.0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "width", _("_Width"),
                                   _("New image width in pixels; 0 = from "
                                     "the height or the factor"),
                                   0, DCTDIFF_SIDE_MAX, 0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "height", _("Hei_ght"),
                                   _("New image height in pixels; 0 = from "
                                     "the width or the factor"),
                                   0, DCTDIFF_SIDE_MAX, 0, G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "method", _("_Method"),
                                      _("How the DCT spectrum is extended"),
                                      choices_from_table (dctdiff_upscale_methods ()),
                                      choices_nick_of (dctdiff_upscale_methods (),
                                                           defaults.method),
                                      G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "filter", _("Source fi_lter"),
                                      _("The filter assumed to have made the "
                                        "small image; its blur is undone"),
                                      choices_from_table (dctdiff_downscale_filters ()),
                                      choices_nick_of (dctdiff_downscale_filters (),
                                                           defaults.filter),
                                      G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "scope", _("Sco_pe"),
                                      _("What is scaled"),
                                      gimp_choice_new_with_values
                                        ("image", UPSCALE_SCOPE_IMAGE,
                                         _("Whole image"), NULL,
                                         "layers", UPSCALE_SCOPE_LAYERS,
                                         _("Selected layers"), NULL,
                                         NULL),
                                      "image", G_PARAM_READWRITE);
  return procedure;
}

/* ------------------------------------------------------------------------ */
/* Planning: which layers, and how large each becomes                        */

static void
add_leaf_layers (GArray     *jobs,
                 GimpItem  **items)
{
  for (; items && *items; items++)
    {
      if (gimp_item_is_group (*items))
        {
          GimpItem **children = gimp_item_get_children (*items);

          add_leaf_layers (jobs, children);
          g_free (children);
        }
      else
        {
          Job job = { GIMP_LAYER (*items), 0, 0, NULL };

          g_array_append_val (jobs, job);
        }
    }
}

/* Image > Scale Image moves each layer edge to round(ratio * edge), rounding
 * half away from zero; predicting it lets us compute before we commit. */
static int
scaled_extent (int offset, int size, gdouble ratio)
{
  return lround (ratio * (offset + size)) - lround (ratio * offset);
}

static gboolean
plan_jobs (GimpImage              *image,
           GimpDrawable          **drawables,
           const UpscaleSettings  *s,
           GArray                 *jobs,
           GError                **error)
{
  gdouble rx = (gdouble) s->width / gimp_image_get_width (image);
  gdouble ry = (gdouble) s->height / gimp_image_get_height (image);
  guint   i;

  if (s->scope == UPSCALE_SCOPE_IMAGE)
    {
      GimpLayer **layers = gimp_image_get_layers (image);

      add_leaf_layers (jobs, (GimpItem **) layers);
      g_free (layers);
    }
  else
    {
      for (; drawables && *drawables; drawables++)
        {
          if (! GIMP_IS_LAYER (*drawables) || GIMP_IS_LAYER_MASK (*drawables))
            continue;
          if (gimp_item_is_group (GIMP_ITEM (*drawables)))
            {
              g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                           _("Layer groups can only be upscaled with the "
                             "whole image."));
              return FALSE;
            }
          add_leaf_layers (jobs, (GimpItem *[]) { GIMP_ITEM (*drawables), NULL });
        }
      if (jobs->len == 0)
        {
          g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                       _("No layer is selected."));
          return FALSE;
        }
    }

  for (i = 0; i < jobs->len; i++)
    {
      Job          *job = &g_array_index (jobs, Job, i);
      GimpDrawable *d   = GIMP_DRAWABLE (job->layer);
      int           w   = gimp_drawable_get_width (d);
      int           h   = gimp_drawable_get_height (d);
      int           ox, oy;

      gimp_drawable_get_offsets (d, &ox, &oy);
      if (s->scope == UPSCALE_SCOPE_IMAGE)
        {
          job->width  = scaled_extent (ox, w, rx);
          job->height = scaled_extent (oy, h, ry);
        }
      else
        {
          job->width  = lround (w * rx);
          job->height = lround (h * ry);
        }
      job->width  = MAX (job->width, 1);
      job->height = MAX (job->height, 1);
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Computing: every result into a private buffer                             */

typedef struct
{
  gdouble done, total; /* output pixels */
  gdouble job_pixels;
  gdouble last;
} Progress;

/* The engine's progress over one job's bands, as the fraction of all jobs. */
static int
report_progress (void *user, int done, int total, const char *stage)
{
  Progress *p = user;
  gdouble   f = (p->done + (gdouble) done / MAX (total, 1) * p->job_pixels) / p->total;

  if (f - p->last >= 0.01 || f >= 1.0)
    {
      gimp_progress_update (f);
      p->last = f;
    }
  return 0;
}

static gboolean
compute_jobs (GArray                 *jobs,
              const UpscaleSettings  *s,
              GError                **error)
{
  Progress               p = { 0, 0, 0, 0 };
  dctdiff_upscale_params params = s->params;
  guint                  i;

  for (i = 0; i < jobs->len; i++)
    {
      Job *job = &g_array_index (jobs, Job, i);

      p.total += (gdouble) job->width * job->height;
    }

  params.progress      = report_progress;
  params.progress_user = &p;
  gimp_progress_init (_("DCT upscaling"));
  for (i = 0; i < jobs->len; i++)
    {
      Job          *job = &g_array_index (jobs, Job, i);
      GimpDrawable *d   = GIMP_DRAWABLE (job->layer);
      GeglBuffer   *src = gimp_drawable_get_buffer (d);

      p.job_pixels = (gdouble) job->width * job->height;
      job->result = buffers_upscale (src, buffers_format_for (d),
                                     job->width, job->height, &params, error);
      g_object_unref (src);
      if (! job->result)
        return FALSE;
      p.done += p.job_pixels;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Committing: one undo group                                                */

static void
commit_job (const Job *job)
{
  GimpDrawable *d = GIMP_DRAWABLE (job->layer);
  GeglBuffer   *shadow;

  /* Should GIMP ever round a layer edge differently from our prediction,
   * the layer takes our size rather than keep a row of other pixels. */
  if (gimp_drawable_get_width (d) != job->width ||
      gimp_drawable_get_height (d) != job->height)
    gimp_layer_resize (job->layer, job->width, job->height, 0, 0);

  shadow = gimp_drawable_get_shadow_buffer (d);
  gegl_buffer_copy (job->result, NULL, GEGL_ABYSS_NONE, shadow, NULL);
  g_object_unref (shadow);
  gimp_drawable_merge_shadow (d, TRUE);
  gimp_drawable_update (d, 0, 0, job->width, job->height);
}

static gboolean
any_mask (GimpItem **items)
{
  gboolean found = FALSE;

  for (; items && *items && ! found; items++)
    {
      found = gimp_layer_get_mask (GIMP_LAYER (*items)) != NULL;
      if (! found && gimp_item_is_group (*items))
        {
          GimpItem **children = gimp_item_get_children (*items);

          found = any_mask (children);
          g_free (children);
        }
    }
  return found;
}

/* TRUE when GIMP's own scaling would resample nothing we keep: no channel,
 * no selection and no layer mask, only layers whose pixels we replace. */
static gboolean
only_replaced_pixels (GimpImage *image, GArray *jobs, UpscaleScope scope)
{
  gboolean found;
  guint    i;

  if (scope == UPSCALE_SCOPE_IMAGE)
    {
      GimpChannel **channels = gimp_image_get_channels (image);
      GimpLayer   **layers   = gimp_image_get_layers (image);

      found = (channels && *channels) || ! gimp_selection_is_empty (image) ||
              any_mask ((GimpItem **) layers);
      g_free (channels);
      g_free (layers);
      return ! found;
    }
  for (i = 0; i < jobs->len; i++)
    if (gimp_layer_get_mask (g_array_index (jobs, Job, i).layer))
      return FALSE;
  return TRUE;
}

static void
commit_jobs (GimpImage             *image,
             GArray                *jobs,
             const UpscaleSettings *s)
{
  GimpChannel *selection = NULL;
  guint        i;

  gimp_image_undo_group_start (image);

  /* Layers are scaled by GIMP first only to get their new geometry; their
   * pixels are then replaced.  Channels, masks and the selection are
   * resampled with the user's interpolation, as Image > Scale Image does;
   * when there are none, no interpolation is needed (at 1024x768 x2 that
   * saves GIMP 0.9 of 1.2 s). */
  gimp_context_push ();
  if (only_replaced_pixels (image, jobs, s->scope))
    gimp_context_set_interpolation (GIMP_INTERPOLATION_NONE);
  if (s->scope == UPSCALE_SCOPE_IMAGE)
    gimp_image_scale (image, s->width, s->height);
  else
    for (i = 0; i < jobs->len; i++)
      {
        Job *job = &g_array_index (jobs, Job, i);

        gimp_layer_scale (job->layer, job->width, job->height, TRUE);
      }
  gimp_context_pop ();

  /* Merging a shadow buffer honours the selection; our result replaces the
   * whole layer, so the selection steps aside meanwhile. */
  if (! gimp_selection_is_empty (image))
    {
      selection = gimp_selection_save (image);
      gimp_selection_none (image);
    }
  for (i = 0; i < jobs->len; i++)
    commit_job (&g_array_index (jobs, Job, i));
  if (selection)
    {
      gimp_image_select_item (image, GIMP_CHANNEL_OP_REPLACE,
                              GIMP_ITEM (selection));
      gimp_image_remove_channel (image, selection);
    }

  gimp_image_undo_group_end (image);
}

/* ------------------------------------------------------------------------ */

static void
clear_job (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->result);
}

static GimpValueArray *
upscale_run (GimpProcedure        *procedure,
             GimpRunMode           run_mode,
             GimpImage            *image,
             GimpDrawable        **drawables,
             GimpProcedureConfig  *config,
             gpointer              run_data)
{
  UpscaleSettings  s;
  GArray          *jobs;
  GError          *error = NULL;
  gboolean         ok;

  gegl_init (NULL, NULL);

  if (! buffers_check_image (image, &error))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);

  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      gimp_ui_init (PLUG_IN_BINARY);
      if (! upscale_dialog_run (procedure, config, image,
                                drawables ? drawables[0] : NULL))
        return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL,
                                                 NULL);
    }

  jobs = g_array_new (FALSE, TRUE, sizeof (Job));
  g_array_set_clear_func (jobs, clear_job);

  ok = upscale_settings_read (config, image, &s, &error) &&
       plan_jobs (image, drawables, &s, jobs, &error) &&
       compute_jobs (jobs, &s, &error);
  if (ok)
    {
      commit_jobs (image, jobs, &s);
      gimp_progress_end ();
      if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush ();
    }
  g_array_free (jobs, TRUE);

  return gimp_procedure_new_return_values (procedure,
                                           ok ? GIMP_PDB_SUCCESS
                                              : GIMP_PDB_EXECUTION_ERROR,
                                           error);
}
