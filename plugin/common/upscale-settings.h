/* upscale-settings.h - the settings of plug-in-dctdiff-upscale, read from its
 * config: used by the procedure and by its dialog's preview alike. */
#ifndef DCTDIFF_UPSCALE_SETTINGS_H
#define DCTDIFF_UPSCALE_SETTINGS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

typedef enum
{
  UPSCALE_SCOPE_IMAGE,   /* all layers, channels, paths and the selection */
  UPSCALE_SCOPE_LAYERS   /* the selected layers only; the canvas stays */
} UpscaleScope;

typedef struct
{
  int                    width, height; /* the image's size after scaling */
  UpscaleScope           scope;
  dctdiff_upscale_params params;
} UpscaleSettings;

/* The size follows dctdiff_output_size from the image's size.  A size
 * outside its limits gives FALSE with error set (error may be NULL), and
 * the image's own size in settings, so a preview still has one. */
gboolean upscale_settings_read (GimpProcedureConfig  *config,
                                GimpImage            *image,
                                UpscaleSettings      *settings,
                                GError              **error);

#endif
