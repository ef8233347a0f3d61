/* samples.c - the engine's sampling, upscaled by it to the asked canvas
 * (see samples.h). */
#include "samples.h"

#include <glib/gi18n-lib.h>

#include "errors.h"

gboolean
samples_make (const dctdiff_model    *model,
              const GenerateSettings *s,
              const SamplesHooks     *hooks,
              dctdiff_image          *out,
              GError                **error)
{
  dctdiff_generate_params params = s->params;
  dctdiff_error           err;
  dctdiff_status          st;
  int                     i, w, h;

  params.progress      = hooks->progress;
  params.progress_user = hooks->user;
  params.preview       = hooks->preview;
  params.preview_user  = hooks->user;
  params.preview_every = hooks->preview_every;

  st = dctdiff_generate_size (model, &params, &w, &h, &err);
  for (i = 0; i < params.count && st == DCTDIFF_OK; i++)
    st = dctdiff_image_alloc (&out[i], w, h, 3, DCTDIFF_PIXEL_U8, &err);
  if (st == DCTDIFF_OK)
    st = dctdiff_generate (model, &params, out, &err);

  if (st == DCTDIFF_E_CANCELLED)
    return FALSE;
  if (st != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("DCTdiff generation failed"), &err));
      return FALSE;
    }
  return TRUE;
}
