/* upscale-settings.c - plug-in-dctdiff-upscale's config as engine settings
 * (see upscale-settings.h). */
#include "upscale-settings.h"

#include <math.h>

void
upscale_settings_read (GimpProcedureConfig *config,
                       GimpImage           *image,
                       UpscaleSettings     *s)
{
  int     img_w = gimp_image_get_width (image);
  int     img_h = gimp_image_get_height (image);
  gdouble factor;
  int     width, height;

  g_object_get (config, "factor", &factor, "width", &width,
                "height", &height, NULL);
  if (width > 0 && height <= 0)
    height = lround ((gdouble) img_h * width / img_w);
  else if (height > 0 && width <= 0)
    width = lround ((gdouble) img_w * height / img_h);
  else if (width <= 0 && height <= 0)
    {
      width  = lround (img_w * factor);
      height = lround (img_h * factor);
    }
  s->width  = CLAMP (width, 1, GIMP_MAX_IMAGE_SIZE);
  s->height = CLAMP (height, 1, GIMP_MAX_IMAGE_SIZE);
  s->scope  = gimp_procedure_config_get_choice_id (config, "scope");

  dctdiff_upscale_params_init (&s->params);
  s->params.method = gimp_procedure_config_get_choice_id (config, "method");
  s->params.filter = gimp_procedure_config_get_choice_id (config, "filter");
}
