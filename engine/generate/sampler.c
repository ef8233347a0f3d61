/* sampler.c - DPM-Solver (fast singlestep, noise prediction), DDIM (eta 0),
 * Euler probability-flow ODE and Euler-Maruyama reverse SDE, and the entry
 * point that also dispatches to the multistep samplers (multistep.c).
 *
 * Reference: method.md §5.  The DPM-Solver here is the "fast" variant of the
 * original DPM-Solver (Lu et al. 2022): lambda-uniform grid from t = 1 to
 * 1e-4, orders 3,...,3 then 2 and/or 1, no final denoising step.  DDIM with
 * eta = 0 in noise-prediction form is exactly its first-order update. */
#include "generate/sampler.h"

#include <math.h>

#include "generate/multistep.h"
#include "generate/rng.h"
#include "core/status.h"

/* ------------------------------------------------------------------------ */
/* Grids                                                                    */

int sampler_dpm_orders(int nfe, int *orders)
{
    int k = nfe / 3 + 1, n = 0, threes;
    switch (nfe % 3) {
    case 0: threes = k - 2; break;
    default: threes = k - 1; break;
    }
    for (int i = 0; i < threes; i++)
        orders[n++] = 3;
    if (nfe % 3 == 0) {
        orders[n++] = 2;
        orders[n++] = 1;
    } else {
        orders[n++] = nfe % 3;
    }
    return n;
}

int sampler_step_count(dctdiff_sampler kind, int steps)
{
    if (kind == DCTDIFF_SAMPLER_DPM_SOLVER)
        return steps / 3 + 1;
    return steps;
}

int sampler_can_condition(dctdiff_sampler kind)
{
    switch (kind) {
    case DCTDIFF_SAMPLER_DPM_SOLVER:
    case DCTDIFF_SAMPLER_DDIM:
    case DCTDIFF_SAMPLER_EULER_ODE:
    case DCTDIFF_SAMPLER_EULER_SDE:
    case DCTDIFF_SAMPLER_DPMPP_2M:
    case DCTDIFF_SAMPLER_DPMPP_3M:
        return 1;
    default:
        return 0;
    }
}

size_t sampler_scratch_floats(const sampler_run *r)
{
    const size_t n = (size_t)r->batch * r->sample_len, own = 4 * n;
    const size_t multi = multistep_scratch_floats(n);
    return own > multi ? own : multi;
}

/* ------------------------------------------------------------------------ */
/* Element-wise updates                                                     */

/* out = a x + b p + c q  (q may be NULL). */
static void lincomb(float *out, size_t n, double a, const float *x, double b,
                    const float *p, double c, const float *q)
{
    const double coef[3] = { a, b, c };
    const float *v[3] = { x, p, q };
    sampler_combine(out, n, q ? 3 : 2, coef, v);
}

typedef struct {
    const sampler_run *r;
    size_t n;      /* floats in the batch */
    float *eps_s, *eps_1, *eps_2, *u;
    int step, steps;
} run_state;

static dctdiff_status eval_first(run_state *st, const float *x, double t)
{
    dctdiff_status s = st->r->eps(st->r->user, x, t, st->eps_s);
    if (s == DCTDIFF_OK && st->r->on_step)
        s = st->r->on_step(st->r->user, st->step, st->steps, t, x, st->eps_s);
    return s;
}

/* ------------------------------------------------------------------------ */
/* DPM-Solver                                                               */

/* One singlestep update of the given order from s to t (method.md §5.1).
 * With eps_k the evaluations at the intermediate times, the update is
 * x_t = (a_t/a_s) x - sig_t (e^h - 1) eps_s - corr (eps_k - eps_s). */
static dctdiff_status dpm_update(run_state *st, int order, double s, double t,
                                 float *x)
{
    const vp_schedule *sc = &st->r->sched;
    const double ls = sched_lambda(sc, s), h = sched_lambda(sc, t) - ls;
    const double la_s = sched_log_alpha(sc, s);
    const double ratio_t = exp(sched_log_alpha(sc, t) - la_s);
    const double sig_t = sched_sigma(sc, t), phi = expm1(h);
    dctdiff_status status = eval_first(st, x, s);
    if (status != DCTDIFF_OK)
        return status;
    const size_t n = st->n;
    if (order == 1) {
        lincomb(x, n, ratio_t, x, -sig_t * phi, st->eps_s, 0.0, NULL);
        return DCTDIFF_OK;
    }
    const double r1 = order == 2 ? 0.5 : 1.0 / 3.0, r2 = 2.0 / 3.0;
    const double s1 = sched_t_of_lambda(sc, ls + r1 * h);
    const double sig_1 = sched_sigma(sc, s1), phi_1 = expm1(r1 * h);
    lincomb(st->u, n, exp(sched_log_alpha(sc, s1) - la_s), x, -sig_1 * phi_1,
            st->eps_s, 0.0, NULL);
    if ((status = st->r->eps(st->r->user, st->u, s1, st->eps_1)) != DCTDIFF_OK)
        return status;
    /* d1 = eps_1 - eps_s, kept in eps_1 */
    for (size_t i = 0; i < n; i++)
        st->eps_1[i] -= st->eps_s[i];
    if (order == 2) {
        double corr = 0.5 / r1 * sig_t * phi;
        lincomb(x, n, ratio_t, x, -sig_t * phi, st->eps_s, -corr, st->eps_1);
        return DCTDIFF_OK;
    }
    const double s2 = sched_t_of_lambda(sc, ls + r2 * h);
    const double sig_2 = sched_sigma(sc, s2), phi_2 = expm1(r2 * h);
    const double corr_2 = r2 / r1 * sig_2 * (phi_2 / (r2 * h) - 1.0);
    lincomb(st->u, n, exp(sched_log_alpha(sc, s2) - la_s), x, -sig_2 * phi_2,
            st->eps_s, -corr_2, st->eps_1);
    if ((status = st->r->eps(st->r->user, st->u, s2, st->eps_2)) != DCTDIFF_OK)
        return status;
    for (size_t i = 0; i < n; i++)
        st->eps_2[i] -= st->eps_s[i];
    const double corr = 1.0 / r2 * sig_t * (phi / h - 1.0);
    lincomb(x, n, ratio_t, x, -sig_t * phi, st->eps_s, -corr, st->eps_2);
    return DCTDIFF_OK;
}

static double start_time(const sampler_run *r)
{
    return r->edit ? r->edit->t_start : 1.0;
}

/* After an update from hi to lo: the conditioned run's hook, if any. */
static dctdiff_status after_update(run_state *st, int pass, double hi, double lo, float *x,
                                   int *again)
{
    const sampler_edit *e = st->r->edit;
    *again = 0;
    if (!e || !e->after)
        return DCTDIFF_OK;
    return e->after(e->user, st->step, pass, hi, lo, x, again);
}

static dctdiff_status run_lambda_grid(run_state *st, const int *orders, int k,
                                      float *x)
{
    double t[SAMPLER_MAX_STEPS + 1];
    sampler_lambda_grid(&st->r->sched, start_time(st->r), k, t);
    st->steps = k;
    for (int i = 0; i < k; i++) {
        st->step = i;
        int again = 1;
        for (int pass = 0; again; pass++) {
            dctdiff_status s = dpm_update(st, orders ? orders[i] : 1, t[i], t[i + 1], x);
            if (s == DCTDIFF_OK)
                s = after_update(st, pass, t[i], t[i + 1], x, &again);
            if (s != DCTDIFF_OK)
                return s;
        }
    }
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* Euler-Maruyama (method.md §5.2)                                          */

/* Grid point i of [0, linspace(1e-3, top, N)]; a single step goes top -> 0. */
static double euler_time(int steps, double top, int i)
{
    if (i == 0)
        return 0.0;
    if (steps == 1)
        return top;
    return sampler_linspace_at(SAMPLER_EULER_T_END, top, steps, i - 1);
}

/* One Euler(-Maruyama) update from t to s; pass keys the SDE noise. */
static dctdiff_status euler_update(run_state *st, int stochastic, int pass, double t,
                                   double s, float *x)
{
    const sampler_run *r = st->r;
    dctdiff_status status = eval_first(st, x, t);
    if (status != DCTDIFF_OK)
        return status;
    const double bt = sched_beta_tilde(&r->sched, t), sig = sched_sigma(&r->sched, t);
    const double dt = s - t;
    /* x + drift dt with drift = -bt/2 x + k bt eps / sig */
    const double a = 1.0 - 0.5 * bt * dt;
    const double b = (stochastic ? 1.0 : 0.5) * bt / sig * dt;
    lincomb(x, st->n, a, x, b, st->eps_s, 0.0, NULL);
    if (!stochastic || s == 0.0)
        return DCTDIFF_OK;
    const double g = sqrt(bt * (t - s));
    const uint32_t key = rng_step_key(RNG_STREAM_SDE, pass, st->step);
    for (int k = 0; k < r->batch; k++) {
        float *xs = x + k * r->sample_len, *z = st->u + k * r->sample_len;
        rng_normal(r->seed, (uint32_t)(r->first_sample + k), key, 0, r->sample_len, z);
        for (size_t e = 0; e < r->sample_len; e++)
            xs[e] = (float)(xs[e] + g * z[e]);
    }
    return DCTDIFF_OK;
}

static dctdiff_status run_euler(run_state *st, int stochastic, float *x)
{
    const sampler_run *r = st->r;
    const double top = start_time(r);
    st->steps = r->steps;
    for (int i = 0; i < r->steps; i++) {
        const int hi = r->steps - i;
        const double t = euler_time(r->steps, top, hi), s = euler_time(r->steps, top, hi - 1);
        st->step = i;
        int again = 1;
        for (int pass = 0; again; pass++) {
            dctdiff_status status = euler_update(st, stochastic, pass, t, s, x);
            if (status == DCTDIFF_OK)
                status = after_update(st, pass, t, s, x, &again);
            if (status != DCTDIFF_OK)
                return status;
        }
    }
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */

dctdiff_status sampler_sample(const sampler_run *r, float *x, float *scratch,
                              dctdiff_error *err)
{
    if (r->steps < 1 || r->steps > SAMPLER_MAX_STEPS)
        return dd_fail(err, DCTDIFF_E_ARG, "steps %d is outside 1..%d",
                       r->steps, SAMPLER_MAX_STEPS);
    if (!(r->sched.c > 0.0))
        return dd_fail(err, DCTDIFF_E_ARG, "SNR scale %g is not positive", r->sched.c);
    if (r->edit && !sampler_can_condition(r->kind))
        return dd_fail(err, DCTDIFF_E_UNSUPPORTED, "sampler %d cannot start from an image "
                       "or keep known parts", (int)r->kind);
    if (r->edit && !(r->edit->t_start >= SAMPLER_MIN_START && r->edit->t_start <= 1.0))
        return dd_fail(err, DCTDIFF_E_ARG, "start time %g is outside %g..1",
                       r->edit->t_start, SAMPLER_MIN_START);
    const size_t n = (size_t)r->batch * r->sample_len;
    run_state st = { .r = r, .n = n, .eps_s = scratch, .eps_1 = scratch + n,
                     .eps_2 = scratch + 2 * n, .u = scratch + 3 * n };
    dctdiff_status s;
    switch (r->kind) {
    case DCTDIFF_SAMPLER_DPM_SOLVER: {
        int orders[SAMPLER_MAX_STEPS / 3 + 2];
        int k = sampler_dpm_orders(r->steps, orders);
        s = run_lambda_grid(&st, orders, k, x);
        break;
    }
    case DCTDIFF_SAMPLER_DDIM:
        s = run_lambda_grid(&st, NULL, r->steps, x);
        break;
    case DCTDIFF_SAMPLER_EULER_ODE:
    case DCTDIFF_SAMPLER_EULER_SDE:
        s = run_euler(&st, r->kind == DCTDIFF_SAMPLER_EULER_SDE, x);
        break;
    case DCTDIFF_SAMPLER_DPMPP_2M:
    case DCTDIFF_SAMPLER_DPMPP_3M:
        s = multistep_sample(r, r->kind == DCTDIFF_SAMPLER_DPMPP_2M ? 2 : 3, 0, x, scratch);
        break;
    case DCTDIFF_SAMPLER_UNIPC:
        s = multistep_sample(r, SAMPLER_UNIPC_ORDER, 1, x, scratch);
        break;
    default:
        return dd_fail(err, DCTDIFF_E_ARG, "unknown sampler %d", (int)r->kind);
    }
    /* other failures were described by the callback that met them */
    if (s == DCTDIFF_E_CANCELLED)
        return dd_fail(err, s, "sampling cancelled");
    return s;
}
