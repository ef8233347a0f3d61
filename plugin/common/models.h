/* models.h - where the plug-in finds its models.
 *
 * Two folders are searched, in this order:
 *   <plug-in folder>/models          installed with the plug-in
 *   <GIMP profile>/dctdiff/models    the user's own (gimp_directory ())
 * Any *.safetensors or *.pth file in them is offered in the model chooser,
 * named by what the engine reads from its header (for an official .pth: the
 * published checkpoint its tensor shapes identify) with its native size.  A
 * .pth is loaded directly, with FILE.json beside FILE.pth as its config when
 * present: no conversion step, no cache.
 *
 * The default (what the dialog starts on and what a script that names no
 * model gets) is the bundled DEFAULT_MODEL_FILE, the best model we ship;
 * the list puts it first. */
#ifndef DCTDIFF_MODELS_H
#define DCTDIFF_MODELS_H

#include <libgimp/gimp.h>

#include "dctdiff.h"

#define DEFAULT_MODEL_FILE "emoji32.safetensors"

typedef struct
{
  gchar *path;
  gchar *name;       /* the model's own name (a .pth: its checkpoint), or the file name */
  int    resolution; /* native size, 0 when the file could not be read */
  int    classes;    /* 0 = unconditional */
  int    steps;      /* the model's default network evaluations, 0 when unread */
} ModelEntry;

/* Installed models: the default first, then the rest sorted by folder then
 * file name; free with models_list_free. */
GList        *models_list           (void);
void          models_list_free      (GList *list);

/* The model the config names, or the default (the first listed) when it
 * names none.
 * NULL with error set when there is none or it cannot be loaded; the message
 * names the file and the engine's fault. */
dctdiff_model *models_load_for      (GFile   *file,
                                     GError **error);

gchar        *models_user_folder    (void);

#endif
