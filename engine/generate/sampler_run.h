/* sampler_run.h - what one sampler run is, and what every sampler (the
 * singlestep ones of sampler.c, the multistep ones of multistep.c) shares:
 * its callbacks, its limits, the lambda-uniform time grid and the
 * element-wise combination.
 *
 * All samplers share one signature: a noise-prediction callback, the
 * schedule, and the state x (overwritten in place, from noise at t = 1 to the
 * sample).  Scalars (times, coefficients) are shared by the whole batch and
 * computed in double; per-element arithmetic is done in double and rounded to
 * float once.  See method.md §5. */
#ifndef DCTDIFF_SAMPLER_RUN_H
#define DCTDIFF_SAMPLER_RUN_H

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

/* Point i of torch.linspace(a, b, n): the second half is measured back from
 * b, so both ends are exact. */
double sampler_linspace_at(double a, double b, int n, int i);

/* The DPM-Solver / DDIM time grid: k+1 points, uniform in lambda, from t0
 * (1 when sampling from noise) to SAMPLER_DPM_T_END, as torch.linspace lays
 * them out. */
void sampler_lambda_grid(const vp_schedule *s, double t0, int k, double *t);

/* out = sum of c[k] v[k] over terms vectors of n floats, in double, rounded
 * to float once.  out may be one of the v. */
void sampler_combine(float *out, size_t n, int terms, const double *c,
                     const float *const *v);

#endif
