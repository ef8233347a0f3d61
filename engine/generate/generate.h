/* generate.h - the generation run that dctdiff_generate and dctdiff_edit
 * share: batches of seeded samples through the sampler and the network. */
#ifndef DCTDIFF_GENERATE_H
#define DCTDIFF_GENERATE_H

#include "dctdiff.h"
#include "generate/sampler.h"
#include "generate/schedule.h"

/* What a conditioned run (edit.c) changes.  start receives the seeded
 * starting noise of samples [first, first + n) in x and turns it into their
 * state at edit.t_start; edit.after then acts after every update, with
 * edit.user as its user pointer (start gets it too).  passes is how many
 * times each update is made (1 + RePaint jumps), for the progress total. */
typedef struct {
    void (*start)(void *user, int first, int n, const vp_schedule *sched, float *x);
    sampler_edit edit;
    int passes;
} gen_condition;

/* Receives the final tokens of samples [first, first + n). */
typedef dctdiff_status (*gen_emit_fn)(void *user, int first, int n, const float *tokens,
                                      dctdiff_error *err);

/* The checks of p that every run makes, with one message for the first fault. */
dctdiff_status gen_check_params(const dctdiff_model *m, const dctdiff_generate_params *p,
                                dctdiff_error *err);

/* Checks p, samples every image (cond NULL: from pure noise) and hands each
 * batch to emit. */
dctdiff_status gen_run_samples(const dctdiff_model *m, const dctdiff_generate_params *p,
                               const gen_condition *cond, gen_emit_fn emit,
                               void *emit_user, dctdiff_error *err);

#endif
