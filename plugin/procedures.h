/* procedures.h - the plug-in's GIMP procedures: their names and
 * constructors.  Each procedure file registers its arguments and runs the
 * work, through plugin/common and, when interactive, ui/. */
#ifndef DCTDIFF_PROCEDURES_H
#define DCTDIFF_PROCEDURES_H

#include <libgimp/gimp.h>

#define UPSCALE_PROC   "plug-in-dctdiff-upscale"
#define GENERATE_PROC  "plug-in-dctdiff-generate"
#define REIMAGINE_PROC "plug-in-dctdiff-reimagine"
#define PLUG_IN_BINARY "dctdiff"

GimpProcedure *upscale_procedure_new  (GimpPlugIn *plug_in);
GimpProcedure *generate_procedure_new (GimpPlugIn *plug_in);
GimpProcedure *reimagine_procedure_new (GimpPlugIn *plug_in);

#endif
