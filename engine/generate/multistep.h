/* multistep.h - DPM-Solver++ (2M, 3M) and UniPC, the multistep samplers:
 * one network evaluation per step (multistep.c). */
#ifndef DCTDIFF_MULTISTEP_H
#define DCTDIFF_MULTISTEP_H

#include "generate/sampler_run.h"

/* Floats of scratch for a batch of n floats. */
size_t multistep_scratch_floats(size_t n);

/* Runs r->steps steps of DPM-Solver++ (unipc = 0) or UniPC (unipc = 1) of
 * the given order (1..3) on x.  r->kind is not looked at. */
dctdiff_status multistep_sample(const sampler_run *r, int order, int unipc, float *x,
                                float *scratch);

#endif
