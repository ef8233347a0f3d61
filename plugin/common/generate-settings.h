/* generate-settings.h - the settings of plug-in-dctdiff-generate, read from
 * its config. */
#ifndef DCTDIFF_GENERATE_SETTINGS_H
#define DCTDIFF_GENERATE_SETTINGS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

typedef enum
{
  GENERATE_OUTPUT_NEW_IMAGE,
  GENERATE_OUTPUT_NEW_LAYERS
} GenerateOutput;

typedef struct
{
  GimpRunMode             run_mode;
  GimpImage              *image;
  GFile                  *model_file;
  GenerateOutput          output;
  dctdiff_generate_params params;
} GenerateSettings;

/* Fills s from config; a "random-seed" run draws its seed here and writes it
 * back into config, so the seed used is the one remembered. */
void generate_settings_read  (GimpProcedureConfig *config,
                              GenerateSettings    *s);
void generate_settings_clear (GenerateSettings    *s);

#endif
