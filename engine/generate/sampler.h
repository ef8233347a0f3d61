/* sampler.h - reverse-diffusion samplers over a batch of token tensors: the
 * one entry point (sampler_sample) and what a caller asks of a sampler kind.
 * What a run is, and what every sampler shares, is sampler_run.h. */
#ifndef DCTDIFF_SAMPLER_H
#define DCTDIFF_SAMPLER_H

#include "generate/sampler_run.h"

/* 1 when the sampler honours run.edit: it goes down a grid from t_start,
 * one update at a time, so re-imposing between updates and redoing one are
 * sound.  A sampler that does not is refused for conditioned runs. */
int sampler_can_condition(dctdiff_sampler kind);

/* UniPC's predictor order (its corrector adds one). */
#define SAMPLER_UNIPC_ORDER 3

/* Floats of scratch sampler_sample needs: 5 x batch x sample_len. */
size_t sampler_scratch_floats(const sampler_run *r);

/* Steps (solver updates, i.e. on_step calls) that a run makes. */
int sampler_step_count(dctdiff_sampler kind, int steps);

/* DPM-Solver "fast" plan for nfe evaluations: orders[0..count) of its
 * updates (3s, then a 2 and/or a 1); returns count. orders needs nfe/3 + 2. */
int sampler_dpm_orders(int nfe, int *orders);

dctdiff_status sampler_sample(const sampler_run *r, float *x, float *scratch,
                              dctdiff_error *err);

#endif
