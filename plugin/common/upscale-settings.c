/* upscale-settings.c - plug-in-dctdiff-upscale's config as engine settings
 * (see upscale-settings.h). */
#include "upscale-settings.h"

#include <glib/gi18n-lib.h>

#include "errors.h"

gboolean
upscale_settings_read (GimpProcedureConfig  *config,
                       GimpImage            *image,
                       UpscaleSettings      *s,
                       GError              **error)
{
  int           img_w = gimp_image_get_width (image);
  int           img_h = gimp_image_get_height (image);
  gdouble       factor;
  int           width, height;
  dctdiff_error err;

  g_object_get (config, "factor", &factor, "width", &width,
                "height", &height, NULL);
  s->scope = gimp_procedure_config_get_choice_id (config, "scope");
  dctdiff_upscale_params_init (&s->params);
  s->params.method = gimp_procedure_config_get_choice_id (config, "method");
  s->params.filter = gimp_procedure_config_get_choice_id (config, "filter");

  if (dctdiff_output_size (img_w, img_h, factor, width, height,
                           &s->width, &s->height, &err) != DCTDIFF_OK)
    {
      s->width  = img_w;
      s->height = img_h;
      g_propagate_error (error, errors_from_engine (_("DCT upscaling"), &err));
      return FALSE;
    }
  return TRUE;
}
