/* choices.h - the engine's name tables as GIMP choice arguments.
 *
 * Nicks are the engine's stable names (the same words the CLI takes), labels
 * the engine's English labels translated in the plug-in's domain. */
#ifndef DCTDIFF_CHOICES_H
#define DCTDIFF_CHOICES_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

GimpChoice  *choices_from_table  (const dctdiff_enum_entry *table);
/* The engine's samplers and its "model-default" (DCTDIFF_SAMPLER_DEFAULT). */
GimpChoice  *choices_samplers    (void);
/* The nick of value in table, or NULL. */
const gchar *choices_nick_of     (const dctdiff_enum_entry *table,
                                  int                       value);

#endif
