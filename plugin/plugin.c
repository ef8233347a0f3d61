/* plugin.c - the dctdiff GIMP 3 plug-in: one executable, three procedures.
 *
 * The procedures themselves live in upscale.c, generate.c and reimagine.c; this file only
 * registers them and names the plug-in's own translation domain. */
#include "procedures.h"

#define DCTDIFF_TYPE_PLUG_IN (dctdiff_plug_in_get_type ())
G_DECLARE_FINAL_TYPE (DctdiffPlugIn, dctdiff_plug_in, DCTDIFF, PLUG_IN, GimpPlugIn)

struct _DctdiffPlugIn
{
  GimpPlugIn parent_instance;
};

G_DEFINE_TYPE (DctdiffPlugIn, dctdiff_plug_in, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (DCTDIFF_TYPE_PLUG_IN)

static GList *
dctdiff_query_procedures (GimpPlugIn *plug_in)
{
  GList *list = NULL;

  list = g_list_append (list, g_strdup (UPSCALE_PROC));
  list = g_list_append (list, g_strdup (GENERATE_PROC));
  list = g_list_append (list, g_strdup (REIMAGINE_PROC));
  return list;
}

static GimpProcedure *
dctdiff_create_procedure (GimpPlugIn  *plug_in,
                          const gchar *name)
{
  if (g_strcmp0 (name, UPSCALE_PROC) == 0)
    return upscale_procedure_new (plug_in);
  if (g_strcmp0 (name, GENERATE_PROC) == 0)
    return generate_procedure_new (plug_in);
  if (g_strcmp0 (name, REIMAGINE_PROC) == 0)
    return reimagine_procedure_new (plug_in);
  return NULL;
}

/* Our catalogues sit in locale/ beside the executable, under our own domain
 * (libgimp resolves the relative folder against the plug-in's folder). */
static gboolean
dctdiff_set_i18n (GimpPlugIn   *plug_in,
                  const gchar  *procedure_name,
                  gchar       **gettext_domain,
                  gchar       **catalog_dir)
{
  *gettext_domain = g_strdup (GETTEXT_PACKAGE);
  *catalog_dir = g_strdup ("locale");
  return TRUE;
}

static void
dctdiff_plug_in_class_init (DctdiffPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = dctdiff_query_procedures;
  plug_in_class->create_procedure = dctdiff_create_procedure;
  plug_in_class->set_i18n         = dctdiff_set_i18n;
}

static void
dctdiff_plug_in_init (DctdiffPlugIn *self)
{
}
