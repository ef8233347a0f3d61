/* errors.h - the engine's errors as GErrors for GIMP. */
#ifndef DCTDIFF_ERRORS_H
#define DCTDIFF_ERRORS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

/* "<what>: <engine message>", for a GIMP_PDB_EXECUTION_ERROR. */
GError *errors_from_engine (const gchar         *what,
                            const dctdiff_error *err);

#endif
