/* generate.c - plug-in-dctdiff-generate: sample images from a DCTdiff model
 * into a new image, or as new layers of an open one.
 *
 * As with upscaling, every sample is finished (and enlarged, if a larger
 * canvas was asked for) before anything is created in GIMP, so a kill or a
 * Stop leaves no half-made image behind. */
#include "procedures.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "arguments.h"
#include "buffers.h"
#include "generate-settings.h"
#include "models.h"
#include "results.h"
#include "samples.h"
#include "generate-dialog.h"
#include "generate-progress.h"

static GimpValueArray *generate_run (GimpProcedure        *procedure,
                                     GimpProcedureConfig  *config,
                                     gpointer              run_data);

GimpProcedure *
generate_procedure_new (GimpPlugIn *plug_in)
{
  GimpProcedure *procedure;

  procedure = gimp_procedure_new (plug_in, GENERATE_PROC,
                                  GIMP_PDB_PROC_TYPE_PLUGIN,
                                  generate_run, NULL, NULL);

  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_ALWAYS);
  gimp_procedure_set_menu_label (procedure, _("DCTdiff _Generate..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/File/Create");
  gimp_procedure_set_documentation
    (procedure,
     _("Generate images with a DCTdiff diffusion model"),
     _("Samples images from a DCTdiff model (a diffusion model that works on "
       "DCT coefficients) into a new image, or as new layers of the given "
       "image.  The result has the model's native size, or a larger canvas "
       "reached by DCT upscaling."),
     GENERATE_PROC);
  gimp_procedure_set_attribution (procedure, "DCTdiff for GIMP authors",
                                  "DCTdiff for GIMP authors", "2026");

  gimp_procedure_add_enum_argument (procedure, "run-mode", _("Run mode"),
                                    _("The run mode"), GIMP_TYPE_RUN_MODE,
                                    GIMP_RUN_INTERACTIVE, G_PARAM_READWRITE);
  gimp_procedure_add_image_argument (procedure, "image", _("_Image"),
                                     _("The image that receives the layers "
                                       "when the output is new layers"),
                                     TRUE, G_PARAM_READWRITE);
  arguments_add_model (procedure);
  arguments_add_sampling (procedure);
  gimp_procedure_add_double_argument (procedure, "snr-scale", _("SNR sca_le"),
                                      _("Advanced: override the SNR scale "
                                        "factor the model was trained with; "
                                        "0 = the model's own value"),
                                      DCTDIFF_DEFAULT, 10.0, DCTDIFF_DEFAULT,
                                      G_PARAM_READWRITE);
  arguments_add_seed_count (procedure);
  gimp_procedure_add_int_argument (procedure, "class", _("Class la_bel"),
                                   _("Class label for class-conditional "
                                     "models; -1 = a random class per image"),
                                   -1, 100000, -1, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "width", _("_Width"),
                                   _("Output width; 0 = the model's native "
                                     "size. Larger sizes are reached by DCT "
                                     "upscaling"),
                                   0, DCTDIFF_SIDE_MAX, 0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "height", _("Hei_ght"),
                                   _("Output height; 0 = the same as the "
                                     "width"),
                                   0, DCTDIFF_SIDE_MAX, 0, G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "output", _("O_utput"),
                                      _("Where the images go"),
                                      gimp_choice_new_with_values
                                        ("new-image", GENERATE_OUTPUT_NEW_IMAGE,
                                         _("A new image"), NULL,
                                         "new-layers", GENERATE_OUTPUT_NEW_LAYERS,
                                         _("New layers in the image"), NULL,
                                         NULL),
                                      "new-image", G_PARAM_READWRITE);

  gimp_procedure_add_image_return_value (procedure, "result", _("Result"),
                                         _("The image that holds the samples"),
                                         FALSE, G_PARAM_READWRITE);
  return procedure;
}

/* ------------------------------------------------------------------------ */

/* The one sampling path: in the progress window's worker when interactive,
 * here with GIMP's progress bar otherwise. */
static gboolean
make_samples (const dctdiff_model    *model,
              const GenerateSettings *s,
              dctdiff_image          *out,
              GError                **error)
{
  SamplesHooks batch = { results_progress, NULL, NULL, 0 };

  if (s->run_mode == GIMP_RUN_INTERACTIVE)
    return generate_progress_run (model, s, out, error);
  gimp_progress_init (_("DCTdiff sampling"));
  return samples_make (model, s, &batch, out, error);
}

static GimpImage *
commit_samples (GenerateSettings *s,
                dctdiff_image    *out)
{
  int        n = s->params.count, i;
  int        w = out[0].width, h = out[0].height;
  GimpImage *image = s->output == GENERATE_OUTPUT_NEW_LAYERS && s->image ? s->image : NULL;

  if (image)
    gimp_image_undo_group_start (image);
  else
    {
      image = gimp_image_new (w, h, GIMP_RGB);
      gimp_image_undo_disable (image);
    }

  for (i = 0; i < n; i++)
    {
      gchar *name = g_strdup_printf (_("DCTdiff seed %llu #%d"),
                                     (unsigned long long) s->params.seed, i + 1);

      results_add_layer (image, NULL, 0, name, GIMP_RGB_IMAGE, 0, 0, NULL, &out[i]);
      g_free (name);
    }

  if (image == s->image)
    gimp_image_undo_group_end (image);
  else
    {
      gimp_image_undo_enable (image);
      if (s->run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_display_new (image);
    }
  return image;
}

static GimpValueArray *
generate_run (GimpProcedure        *procedure,
              GimpProcedureConfig  *config,
              gpointer              run_data)
{
  GenerateSettings  s = { 0 };
  GimpValueArray   *ret;
  GimpRunMode       run_mode;
  dctdiff_model    *model = NULL;
  dctdiff_image    *out = NULL;
  GimpImage        *image = NULL;
  GimpPDBStatusType status = GIMP_PDB_EXECUTION_ERROR;
  GError           *error = NULL;

  gegl_init (NULL, NULL);
  g_object_get (config, "run-mode", &run_mode, NULL);
  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      gimp_ui_init (PLUG_IN_BINARY);
      if (! generate_dialog_run (procedure, config))
        return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);
    }

  generate_settings_read (config, &s);
  if (s.output == GENERATE_OUTPUT_NEW_LAYERS && ! s.image)
    {
      g_set_error (&error, GIMP_PLUG_IN_ERROR, 0,
                   _("New layers need an image; none was given."));
      status = GIMP_PDB_CALLING_ERROR;
      goto out;
    }
  if (s.output == GENERATE_OUTPUT_NEW_LAYERS && gimp_image_get_base_type (s.image) != GIMP_RGB)
    {
      g_set_error (&error, GIMP_PLUG_IN_ERROR, 0,
                   _("Generated layers can only go into an RGB image."));
      status = GIMP_PDB_CALLING_ERROR;
      goto out;
    }
  model = models_load_for (s.model_file, &error);
  if (! model)
    goto out;

  out = g_new0 (dctdiff_image, s.params.count);
  if (make_samples (model, &s, out, &error))
    {
      image  = commit_samples (&s, out);
      status = GIMP_PDB_SUCCESS;
      if (run_mode != GIMP_RUN_NONINTERACTIVE)
        gimp_displays_flush ();
    }
  else if (! error)
    status = GIMP_PDB_CANCEL;

out:
  results_free (out, s.params.count);
  dctdiff_model_free (model);
  generate_settings_clear (&s);

  ret = gimp_procedure_new_return_values (procedure, status, error);
  if (status == GIMP_PDB_SUCCESS)
    GIMP_VALUES_SET_IMAGE (ret, 1, image);
  return ret;
}
