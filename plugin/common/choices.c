/* choices.c - engine name tables as GimpChoice (see choices.h). */
#include "choices.h"

#include <glib/gi18n-lib.h>

GimpChoice *
choices_from_table (const dctdiff_enum_entry *table)
{
  GimpChoice *choice = gimp_choice_new ();

  for (; table->name; table++)
    gimp_choice_add (choice, table->name, table->value,
                     gettext (table->label), NULL);
  return choice;
}

GimpChoice *
choices_samplers (void)
{
  GimpChoice               *choice = choices_from_table (dctdiff_samplers ());
  const dctdiff_enum_entry *def    = dctdiff_model_default ();

  gimp_choice_add (choice, def->name, def->value, gettext (def->label), NULL);
  return choice;
}

const gchar *
choices_nick_of (const dctdiff_enum_entry *table,
                 int                       value)
{
  for (; table->name; table++)
    if (table->value == value)
      return table->name;
  return NULL;
}
