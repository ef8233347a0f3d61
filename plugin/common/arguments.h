/* arguments.h - the PDB arguments the sampling procedures (generate,
 * re-imagine) share, declared once so their names, ranges, defaults and
 * texts cannot drift apart.  Each call adds its arguments in this order; a
 * procedure calls them where they belong in its own argument list. */
#ifndef DCTDIFF_ARGUMENTS_H
#define DCTDIFF_ARGUMENTS_H

#include <libgimp/gimp.h>

/* "model": the model file; none = the first installed model. */
void arguments_add_model      (GimpProcedure *procedure);
/* "steps" (network evaluations; DCTDIFF_DEFAULT = the model's) and
 * "sampler" (a choice; the model's default). */
void arguments_add_sampling   (GimpProcedure *procedure);
/* "seed", "random-seed" and "count" (1..64, each image a layer). */
void arguments_add_seed_count (GimpProcedure *procedure);

#endif
