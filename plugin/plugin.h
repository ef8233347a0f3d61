/* plugin.h - what the plug-in's files share: procedure names, the
 * constructors of the two procedures, and small helpers for the engine's name
 * tables and errors. */
#ifndef DCTDIFF_PLUGIN_H
#define DCTDIFF_PLUGIN_H

#include <libgimp/gimp.h>
#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "dctdiff.h"

#define UPSCALE_PROC   "plug-in-dctdiff-upscale"
#define GENERATE_PROC  "plug-in-dctdiff-generate"
#define PLUG_IN_BINARY "dctdiff"
#define PLUG_IN_ROLE   "dctdiff"

GimpProcedure  *upscale_procedure_new    (GimpPlugIn *plug_in);
GimpProcedure  *generate_procedure_new   (GimpPlugIn *plug_in);

/* A GimpChoice whose nicks are the engine's stable names and whose labels are
 * the engine's English labels, translated. */
GimpChoice     *plugin_choice_from_table (const dctdiff_enum_entry *table);
const gchar    *plugin_default_nick      (const dctdiff_enum_entry *table,
                                          int                       value);

/* "<what>: <engine message>", for a GIMP_PDB_EXECUTION_ERROR. */
GError         *plugin_engine_error      (const gchar         *what,
                                          const dctdiff_error *err);

#endif
