/* choice-combos.c - see choice-combos.h. */
#include "choice-combos.h"

void
choice_combos (GimpProcedureDialog *dialog,
               const gchar         *first_name,
               ...)
{
  const gchar *name;
  va_list      args;

  va_start (args, first_name);
  for (name = first_name; name; name = va_arg (args, const gchar *))
    gimp_procedure_dialog_get_widget (dialog, name, GTK_TYPE_COMBO_BOX);
  va_end (args);
}
