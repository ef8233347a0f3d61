/* sampler.h - reverse-diffusion samplers over a batch of token tensors.
 *
 * All samplers share one signature: a noise-prediction callback, the
 * schedule, and the state x (overwritten in place, from noise at t = 1 to the
 * sample).  Scalars (times, coefficients) are shared by the whole batch and
 * computed in double; per-element arithmetic is done in double and rounded to
 * float once.  See method.md §5. */
#ifndef DCTDIFF_SAMPLER_H
#define DCTDIFF_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#include "dctdiff.h"
#include "generate/schedule.h"

/* eps <- network(x, 999 t) for the whole batch.  A status other than
 * DCTDIFF_OK (e.g. DCTDIFF_E_CANCELLED) stops the sampler, which returns it. */
typedef dctdiff_status (*sampler_eps_fn)(void *user, const float *x, double t,
                                         float *eps);
/* Called once per step, right after the step's first evaluation, with the
 * state x at time t and its predicted noise: the cheap moment for a preview. */
typedef dctdiff_status (*sampler_step_fn)(void *user, int step, int steps,
                                          double t, const float *x,
                                          const float *eps);

/* Conditioned sampling (edit.c) starts from a given state at t_start < 1 and
 * changes the state after every update from t_hi to t_lo: it re-imposes the
 * known part there, and may move x back to t_hi and set *again to have the
 * update done once more (a RePaint jump; pass counts the redos from 0). */
typedef dctdiff_status (*sampler_after_fn)(void *user, int step, int pass, double t_hi,
                                           double t_lo, float *x, int *again);
typedef struct {
    double t_start;          /* the time of the starting x, in [SAMPLER_MIN_START, 1] */
    sampler_after_fn after;  /* NULL: nothing is imposed */
    void *user;
} sampler_edit;

typedef struct {
    dctdiff_sampler kind;
    int steps;                /* network evaluations, 1..SAMPLER_MAX_STEPS */
    vp_schedule sched;
    int batch;                /* samples in x */
    size_t sample_len;        /* floats per sample */
    /* Euler-Maruyama SDE noise: sample b of the batch draws the stream
     * (seed, first_sample + b, step). */
    uint64_t seed;
    int first_sample;
    sampler_eps_fn eps;
    sampler_step_fn on_step;  /* may be NULL */
    void *user;
    const sampler_edit *edit; /* NULL: from pure noise at t = 1, nothing imposed */
} sampler_run;

#define SAMPLER_MAX_STEPS DCTDIFF_STEPS_MAX
/* The official end times: DPM-Solver / DDIM stop at 1e-4, Euler at 1e-3. */
#define SAMPLER_DPM_T_END 1e-4
#define SAMPLER_EULER_T_END 1e-3
/* The lowest start time every sampler can go down from. */
#define SAMPLER_MIN_START SAMPLER_EULER_T_END

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

/* The DPM-Solver / DDIM time grid: k+1 points, uniform in lambda, from t0
 * (1 when sampling from noise) to SAMPLER_DPM_T_END, as torch.linspace lays
 * them out. */
void sampler_lambda_grid(const vp_schedule *s, double t0, int k, double *t);

/* out = sum of c[k] v[k] over terms vectors of n floats, in double, rounded
 * to float once.  out may be one of the v. */
void sampler_combine(float *out, size_t n, int terms, const double *c,
                     const float *const *v);

dctdiff_status sampler_sample(const sampler_run *r, float *x, float *scratch,
                              dctdiff_error *err);

#endif
