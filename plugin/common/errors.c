/* errors.c - engine errors as GErrors (see errors.h). */
#include "errors.h"

GError *
errors_from_engine (const gchar         *what,
                    const dctdiff_error *err)
{
  return g_error_new (GIMP_PLUG_IN_ERROR, 0, "%s: %s", what, err->msg);
}
