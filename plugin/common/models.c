/* models.c - model folders and loading (see models.h). */
#include "models.h"

#include <string.h>

#include <glib/gi18n-lib.h>

static gchar *
system_folder (void)
{
  gchar *dir  = g_path_get_dirname (gimp_get_progname ());
  gchar *path = g_build_filename (dir, "models", NULL);

  g_free (dir);
  return path;
}

gchar *
models_user_folder (void)
{
  return g_build_filename (gimp_directory (), "dctdiff", "models", NULL);
}

/* A .pth carries only tensors: a FILE.json beside FILE.pth gives its config
 * (official field names, docs/official-models.md); without one the engine
 * finds the published checkpoint by the tensor shapes. */
static gchar *
config_beside (const gchar *path)
{
  gchar *json;

  if (! g_str_has_suffix (path, ".pth"))
    return NULL;
  json = g_strdup_printf ("%.*s.json", (int) strlen (path) - 4, path);
  if (g_file_test (json, G_FILE_TEST_IS_REGULAR))
    return json;
  g_free (json);
  return NULL;
}

/* Describe (list) or open (weights) path, with its config if it has one. */
static dctdiff_status
open_model (const gchar    *path,
            gboolean        weights,
            dctdiff_model **m,
            dctdiff_error  *err)
{
  dctdiff_load_params p;
  dctdiff_status      st;
  gchar              *json = config_beside (path);

  dctdiff_load_params_init (&p);
  p.config_path = json;
  st = weights ? dctdiff_model_open (path, &p, m, err)
               : dctdiff_model_describe (path, &p, m, err);
  g_free (json);
  return st;
}

/* Only the header and the tensor shapes are read: listing a folder of
 * official checkpoints (hundreds of MB each) stays instant. */
static ModelEntry *
entry_for (const gchar *path)
{
  ModelEntry        *e = g_new0 (ModelEntry, 1);
  dctdiff_model     *m = NULL;
  dctdiff_error      err;
  dctdiff_model_info info;

  e->path = g_strdup (path);
  if (open_model (path, FALSE, &m, &err) == DCTDIFF_OK)
    {
      dctdiff_model_get_info (m, &info);
      e->name       = g_strdup (info.name ? info.name : "");
      e->resolution = info.resolution;
      e->classes    = info.num_classes;
      e->steps      = info.default_steps;
      dctdiff_model_free (m);
    }
  if (! e->name || ! *e->name)
    {
      g_free (e->name);
      e->name = g_path_get_basename (path);
    }
  return e;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const gchar * const *) a, *(const gchar * const *) b);
}

static GList *
list_folder (const gchar *folder)
{
  GDir        *dir = g_dir_open (folder, 0, NULL);
  GPtrArray   *files;
  GList       *list = NULL;
  const gchar *name;
  guint        i;

  if (! dir)
    return NULL;
  files = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)))
    if (g_str_has_suffix (name, ".safetensors") || g_str_has_suffix (name, ".pth"))
      g_ptr_array_add (files, g_build_filename (folder, name, NULL));
  g_dir_close (dir);

  g_ptr_array_sort (files, compare_paths);
  for (i = 0; i < files->len; i++)
    list = g_list_prepend (list, entry_for (g_ptr_array_index (files, i)));
  g_ptr_array_free (files, TRUE);
  return g_list_reverse (list);
}

/* Moves the bundled default to the front, where the dialog and scripts
 * that name no model start. */
static GList *
default_first (GList *list)
{
  GList *l;

  for (l = list; l; l = l->next)
    {
      ModelEntry *e    = l->data;
      gchar      *base = g_path_get_basename (e->path);
      gboolean    hit  = strcmp (base, DEFAULT_MODEL_FILE) == 0;

      g_free (base);
      if (hit)
        return g_list_prepend (g_list_delete_link (list, l), e);
    }
  return list;
}

GList *
models_list (void)
{
  gchar *sys  = system_folder ();
  gchar *user = models_user_folder ();
  GList *list = g_list_concat (default_first (list_folder (sys)), list_folder (user));

  g_free (sys);
  g_free (user);
  return list;
}

static void
entry_free (gpointer data)
{
  ModelEntry *e = data;

  g_free (e->path);
  g_free (e->name);
  g_free (e);
}

void
models_list_free (GList *list)
{
  g_list_free_full (list, entry_free);
}

dctdiff_model *
models_load_for (GFile   *file,
                 GError **error)
{
  dctdiff_model *m = NULL;
  dctdiff_error  err;
  gchar         *path = file ? g_file_get_path (file) : NULL;

  if (! path)
    {
      GList *list = models_list ();

      if (list)
        path = g_strdup (((ModelEntry *) list->data)->path);
      models_list_free (list);
    }
  if (! path)
    {
      gchar *user = models_user_folder ();

      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("No DCTdiff model is installed; put a .safetensors/.pth model "
                     "into %s or choose a model file."), user);
      g_free (user);
      return NULL;
    }
  if (open_model (path, TRUE, &m, &err) != DCTDIFF_OK)
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Cannot load the model %s: %s"), path, err.msg);
      g_free (path);
      return NULL;
    }
  g_free (path);
  return m;
}
