/* edit-settings.h - the settings of plug-in-dctdiff-reimagine, read from its
 * config: used by the procedure and by its dialog's preview alike. */
#ifndef DCTDIFF_EDIT_SETTINGS_H
#define DCTDIFF_EDIT_SETTINGS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

typedef enum
{
  EDIT_MODE_VARIATION,   /* noise to a strength and denoise (SDEdit) */
  EDIT_MODE_FILL,        /* regenerate the selection to fit the rest */
  EDIT_MODE_NEW_DETAIL   /* keep the first K coefficients per block */
} EditMode;

typedef struct
{
  GFile              *model_file;
  EditMode            mode;
  int                 keep_low;  /* K of the new-detail mode */
  dctdiff_edit_params params;    /* mask and pixels are set by the caller */
} EditSettings;

/* Fills s from config, seed as it is (the dialog's preview shows that one). */
void edit_settings_read       (GimpProcedureConfig *config,
                               EditSettings        *s);
/* When "random-seed" is set, draws a new seed into config, so the seed used
 * is the one remembered; the procedure calls this before reading. */
void edit_settings_roll_seed  (GimpProcedureConfig *config);
void edit_settings_clear      (EditSettings        *s);

#endif
