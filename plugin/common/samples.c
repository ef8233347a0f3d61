/* samples.c - sampling, then DCT upscaling to the asked canvas (see
 * samples.h). */
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
  dctdiff_model_info      info;
  dctdiff_error           err;
  dctdiff_status          st = DCTDIFF_OK;
  int                     n = params.count, i;
  int                     w, h;

  dctdiff_model_get_info (model, &info);
  st = dctdiff_output_size (info.resolution, info.resolution, 1.0,
                            s->width, s->height, &w, &h, &err);

  params.progress      = hooks->progress;
  params.progress_user = hooks->user;
  params.preview       = hooks->preview;
  params.preview_user  = hooks->user;
  params.preview_every = hooks->preview_every;

  for (i = 0; i < n && st == DCTDIFF_OK; i++)
    st = dctdiff_image_alloc (&out[i], info.resolution, info.resolution, 3,
                              DCTDIFF_PIXEL_U8, &err);
  if (st == DCTDIFF_OK)
    st = dctdiff_generate (model, &params, out, &err);

  for (i = 0; i < n && st == DCTDIFF_OK && (w != info.resolution || h != info.resolution); i++)
    {
      dctdiff_upscale_params up;
      dctdiff_image          big;

      dctdiff_upscale_params_init (&up);
      st = dctdiff_image_alloc (&big, w, h, 3, DCTDIFF_PIXEL_U8, &err);
      if (st == DCTDIFF_OK)
        st = dctdiff_upscale (&out[i], &big, &up, &err);
      dctdiff_image_release (&out[i]);
      out[i] = big;
    }

  if (st == DCTDIFF_E_CANCELLED)
    return FALSE;
  if (st != DCTDIFF_OK)
    {
      g_propagate_error (error, errors_from_engine (_("DCTdiff generation failed"), &err));
      return FALSE;
    }
  return TRUE;
}
