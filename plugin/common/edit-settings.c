/* edit-settings.c - plug-in-dctdiff-reimagine's config as engine parameters
 * (see edit-settings.h). */
#include "edit-settings.h"

#include "choices.h"

void
edit_settings_read (GimpProcedureConfig *config,
                    EditSettings        *s)
{
  gint    steps, seed, count, sampler, resample;
  gdouble strength;

  g_object_get (config, "model", &s->model_file, "steps", &steps,
                "seed", &seed, "count", &count, "strength", &strength,
                "keep-low", &s->keep_low, "resample", &resample, NULL);
  s->mode = gimp_procedure_config_get_choice_id (config, "mode");
  sampler = gimp_procedure_config_get_choice_id (config, "sampler");

  dctdiff_edit_params_init (&s->params);
  s->params.gen.sampler = (dctdiff_sampler) sampler;
  s->params.gen.steps   = steps;
  s->params.gen.seed    = (uint64_t) seed;
  s->params.gen.count   = count;
  s->params.strength    = strength;
  s->params.resample    = resample;
  s->params.keep_low    = s->mode == EDIT_MODE_NEW_DETAIL ? s->keep_low : 0;
}

void
edit_settings_roll_seed (GimpProcedureConfig *config)
{
  gboolean random_seed;

  g_object_get (config, "random-seed", &random_seed, NULL);
  if (random_seed)
    g_object_set (config, "seed", g_random_int_range (0, G_MAXINT), NULL);
}

void
edit_settings_clear (EditSettings *s)
{
  g_clear_object (&s->model_file);
}
