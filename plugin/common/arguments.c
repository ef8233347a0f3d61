/* arguments.c - PDB arguments shared by the sampling procedures (see
 * arguments.h). */
#include "arguments.h"

#include <glib/gi18n-lib.h>

#include "choices.h"
#include "dctdiff.h"

void
arguments_add_model (GimpProcedure *procedure)
{
  gimp_procedure_add_file_argument (procedure, "model", _("Model _file"),
                                    _("A DCTdiff model (.safetensors/.pth); none "
                                      "= the first installed model"),
                                    GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL,
                                    G_PARAM_READWRITE);
}

void
arguments_add_sampling (GimpProcedure *procedure)
{
  gimp_procedure_add_int_argument (procedure, "steps", _("S_teps"),
                                   _("Sampling steps; 0 = the model's default"),
                                   DCTDIFF_DEFAULT, DCTDIFF_STEPS_MAX, DCTDIFF_DEFAULT,
                                   G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "sampler", _("S_ampler"),
                                      _("The diffusion sampler"),
                                      choices_samplers (), dctdiff_model_default ()->name,
                                      G_PARAM_READWRITE);
}

void
arguments_add_seed_count (GimpProcedure *procedure)
{
  gimp_procedure_add_int_argument (procedure, "seed", _("_Seed"),
                                   _("Seed of the random noise; the same "
                                     "seed gives the same images"),
                                   0, G_MAXINT, 0, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "random-seed",
                                       _("Ran_dom seed"),
                                       _("Pick a new seed at every run"),
                                       FALSE, G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "count", _("_Number of images"),
                                   _("How many images to make; each becomes "
                                     "a layer"),
                                   1, 64, 1, G_PARAM_READWRITE);
}
