/* generate-settings.c - plug-in-dctdiff-generate's config as engine
 * parameters (see generate-settings.h). */
#include "generate-settings.h"

#include "choices.h"

void
generate_settings_read (GimpProcedureConfig *config,
                        GenerateSettings    *s)
{
  gint     steps, seed, count, klass, sampler, width, height;
  gdouble  snr;
  gboolean random_seed;

  g_object_get (config, "run-mode", &s->run_mode, "image", &s->image,
                "model", &s->model_file, "steps", &steps, "snr-scale", &snr,
                "seed", &seed, "random-seed", &random_seed, "count", &count,
                "class", &klass, "width", &width, "height", &height,
                NULL);
  s->output = gimp_procedure_config_get_choice_id (config, "output");
  sampler   = gimp_procedure_config_get_choice_id (config, "sampler");

  if (random_seed)
    {
      seed = g_random_int_range (0, G_MAXINT);
      g_object_set (config, "seed", seed, NULL);
    }

  dctdiff_generate_params_init (&s->params);
  s->params.sampler     = (dctdiff_sampler) sampler;
  s->params.steps       = steps;
  s->params.snr_scale   = snr;
  s->params.seed        = (uint64_t) seed;
  s->params.count       = count;
  s->params.class_label = klass;
  s->params.width       = width;
  s->params.height      = height;
}

void
generate_settings_clear (GenerateSettings *s)
{
  g_clear_object (&s->image);
  g_clear_object (&s->model_file);
}
