/* reimagine.c - plug-in-dctdiff-reimagine: DCTdiff on the artist's own
 * pixels.  The selected layer is varied (SDEdit), its selection filled
 * (RePaint) or its detail regenerated on the kept composition (the first K
 * DCT coefficients of every block); the selection is the mask, feathering
 * included.  Each result becomes a new layer above the source.
 *
 * Every result is computed before anything changes in GIMP; then one undo
 * group adds the layers, so a kill, a Stop or a failure leaves the image as
 * it was. */
#include "procedures.h"

#include <libgimp/gimpui.h>
#include <glib/gi18n-lib.h>

#include "arguments.h"
#include "buffers.h"
#include "edit-settings.h"
#include "edits.h"
#include "models.h"
#include "reimagine-dialog.h"
#include "results.h"

static GimpValueArray *reimagine_run (GimpProcedure        *procedure,
                                      GimpRunMode           run_mode,
                                      GimpImage            *image,
                                      GimpDrawable        **drawables,
                                      GimpProcedureConfig  *config,
                                      gpointer              run_data);

GimpProcedure *
reimagine_procedure_new (GimpPlugIn *plug_in)
{
  GimpProcedure *procedure;

  procedure = gimp_image_procedure_new (plug_in, REIMAGINE_PROC,
                                        GIMP_PDB_PROC_TYPE_PLUGIN,
                                        reimagine_run, NULL, NULL);

  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (procedure, GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  gimp_procedure_set_menu_label (procedure, _("DCTdiff _Re-imagine..."));
  gimp_procedure_add_menu_path (procedure, "<Image>/Filters/Generic");
  gimp_procedure_set_documentation
    (procedure,
     _("Vary a layer, fill its selection or give it new detail with a DCTdiff model"),
     _("Starts a DCTdiff model from the selected layer.  Variation noises the "
       "layer to the strength and denoises it; Fill selection regenerates the "
       "selection so that it fits the rest, which is kept exactly; New detail "
       "keeps the first K DCT coefficients of every block (composition and "
       "colour) and generates the rest.  With a selection only the selection "
       "changes, softly where it is feathered.  Each result is a new layer."),
     REIMAGINE_PROC);
  gimp_procedure_set_attribution (procedure, "DCTdiff for GIMP authors",
                                  "DCTdiff for GIMP authors", "2026");

  gimp_procedure_add_choice_argument (procedure, "mode", _("_Mode"),
                                      _("What is kept of the layer"),
                                      gimp_choice_new_with_values
                                        ("variation", EDIT_MODE_VARIATION,
                                         _("Variation"), NULL,
                                         "fill", EDIT_MODE_FILL,
                                         _("Fill selection"), NULL,
                                         "new-detail", EDIT_MODE_NEW_DETAIL,
                                         _("New detail"), NULL,
                                         NULL),
                                      "variation", G_PARAM_READWRITE);
  arguments_add_model (procedure);
  gimp_procedure_add_double_argument (procedure, "strength", _("St_rength"),
                                      _("0..1: how far towards noise the layer "
                                        "goes first (1 = pure noise); -1 = "
                                        "automatic: 0.7 for variations, 1 for "
                                        "the other modes"),
                                      -1.0, 1.0, -1.0, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "keep-low", _("_Kept coefficients"),
                                   _("New detail: how many of the lowest DCT "
                                     "coefficients of every block are kept"),
                                   1, 256, 1, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "resample", _("Resa_mpling"),
                                   _("How often each step is redone so new "
                                     "parts fit kept ones; -1 = automatic"),
                                   -1, DCTDIFF_EDIT_MAX_RESAMPLE, -1, G_PARAM_READWRITE);
  arguments_add_sampling (procedure);
  arguments_add_seed_count (procedure);
  return procedure;
}

/* ------------------------------------------------------------------------ */

/* One undo group: each result a new layer above the source, at its place. */
static void
commit_edits (GimpImage          *image,
              GimpDrawable       *source,
              const EditSettings *s,
              const EditInput    *in,
              const dctdiff_image *out)
{
  GimpLayer *parent = GIMP_LAYER (gimp_item_get_parent (GIMP_ITEM (source)));
  int        position = gimp_image_get_item_position (image, GIMP_ITEM (source));
  int        ox, oy, i;

  gimp_drawable_get_offsets (source, &ox, &oy);
  gimp_image_undo_group_start (image);
  for (i = 0; i < s->params.gen.count; i++)
    {
      gchar *name = g_strdup_printf (_("DCTdiff re-imagined seed %llu #%d"),
                                     (unsigned long long) s->params.gen.seed, i + 1);

      results_add_layer (image, parent, position, name, gimp_drawable_type (source),
                         ox, oy, &in->fmt, &out[i]);
      g_free (name);
    }
  gimp_image_undo_group_end (image);
}

static GimpDrawable *
the_layer (GimpDrawable **drawables, GError **error)
{
  if (! drawables || ! drawables[0] || drawables[1] ||
      ! GIMP_IS_LAYER (drawables[0]) || GIMP_IS_LAYER_MASK (drawables[0]) ||
      gimp_item_is_group (GIMP_ITEM (drawables[0])))
    {
      g_set_error (error, GIMP_PLUG_IN_ERROR, 0,
                   _("Select exactly one layer (not a group or a mask)."));
      return NULL;
    }
  return drawables[0];
}

static GimpValueArray *
reimagine_run (GimpProcedure        *procedure,
               GimpRunMode           run_mode,
               GimpImage            *image,
               GimpDrawable        **drawables,
               GimpProcedureConfig  *config,
               gpointer              run_data)
{
  EditSettings       s = { 0 };
  EditInput          in = { 0 };
  GimpDrawable      *layer;
  dctdiff_model     *model = NULL;
  dctdiff_image     *out = NULL;
  GimpPDBStatusType  status = GIMP_PDB_EXECUTION_ERROR;
  GError            *error = NULL;

  gegl_init (NULL, NULL);
  if (! buffers_check_image (image, &error))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);
  if (! (layer = the_layer (drawables, &error)))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CALLING_ERROR, error);
  if (! edits_read_input (image, layer, &in, &error))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_EXECUTION_ERROR, error);

  if (run_mode == GIMP_RUN_INTERACTIVE)
    {
      gimp_ui_init (PLUG_IN_BINARY);
      if (! reimagine_dialog_run (procedure, config, &in))
        {
          edits_clear_input (&in);
          return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL, NULL);
        }
    }

  edit_settings_roll_seed (config);
  edit_settings_read (config, &s);
  model = models_load_for (s.model_file, &error);
  if (model)
    {
      out = g_new0 (dctdiff_image, s.params.gen.count);
      gimp_progress_init (_("DCTdiff Re-imagine"));
      if (edits_make (model, &s, &in, results_progress, NULL, out, &error))
        {
          commit_edits (image, layer, &s, &in, out);
          status = GIMP_PDB_SUCCESS;
          gimp_progress_end ();
          if (run_mode != GIMP_RUN_NONINTERACTIVE)
            gimp_displays_flush ();
        }
    }

  results_free (out, s.params.gen.count);
  dctdiff_model_free (model);
  edits_clear_input (&in);
  edit_settings_clear (&s);
  return gimp_procedure_new_return_values (procedure, status, error);
}
