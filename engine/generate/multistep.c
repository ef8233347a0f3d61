/* multistep.c - DPM-Solver++ (2M, 3M) and UniPC (B(h) = e^h - 1): multistep
 * solvers of the probability-flow ODE in data-prediction form, for
 * noise-prediction networks.
 *
 * One network evaluation per step: each step reuses the data predictions
 * x0 = (x - sigma eps) / alpha of the steps before it.  Grid: the same
 * lambda-uniform one as DPM-Solver, from t = 1 to SAMPLER_DPM_T_END, with
 * `steps` intervals.  Orders rise from 1 as history accumulates, and runs
 * shorter than MULTISTEP_LOWER_FINAL lower them again over the last steps
 * (the network is least smooth near t = 0).  References: Lu et al. 2022,
 * "DPM-Solver++" (Algorithm 2 and its third-order form); Zhao et al. 2023,
 * "UniPC" (UniP-p predictor, UniC corrector; the corrector's evaluation at
 * the predicted point is the next step's history, so it costs nothing and
 * the last step goes without it).  docs/generation.md lists the samplers.
 *
 * DPM-Solver++ honours conditioned runs (sampler_edit): its grid starts at
 * t_start and the hook runs after every update.  UniPC does not: its
 * corrector would need the evaluation at a state the hook then changes. */
#include "generate/multistep.h"

#include <math.h>

#define MULTISTEP_LOWER_FINAL 15
#define HISTORY 4   /* data predictions kept: order 3 plus UniPC's new one */

typedef struct {
    const sampler_run *r;
    size_t n;
    int steps;
    double t[SAMPLER_MAX_STEPS + 1], lam[SAMPLER_MAX_STEPS + 1];
    float *m[HISTORY];  /* m[0] the newest data prediction, m[k] k steps older */
    float *u;           /* UniPC's predicted point */
} ms_state;

/* Evaluates the network at (x, t_i) into the oldest slot, turns the noise
 * into the data prediction there and makes it the newest. */
static dctdiff_status predict_data(ms_state *st, const float *x, int i)
{
    const sampler_run *r = st->r;
    float *slot = st->m[HISTORY - 1];
    for (int k = HISTORY - 1; k > 0; k--)
        st->m[k] = st->m[k - 1];
    st->m[0] = slot;
    const double t = st->t[i];
    dctdiff_status s = r->eps(r->user, x, t, slot);
    if (s == DCTDIFF_OK && r->on_step)
        s = r->on_step(r->user, i, st->steps, t, x, slot);
    if (s != DCTDIFF_OK)
        return s;
    const double a = sched_alpha(&r->sched, t), sg = sched_sigma(&r->sched, t);
    const double c[2] = { 1.0 / a, -sg / a };
    const float *v[2] = { x, slot };
    sampler_combine(slot, st->n, 2, c, v);
    return DCTDIFF_OK;
}

/* The order step i (from t_i to t_{i+1}) can use: i + 1 predictions exist. */
static int step_order(const ms_state *st, int order, int i)
{
    int p = order < i + 1 ? order : i + 1;
    if (st->steps < MULTISTEP_LOWER_FINAL && st->steps - i < p)
        p = st->steps - i;
    return p;
}

/* ------------------------------------------------------------------------ */
/* DPM-Solver++                                                             */

/* x_{i+1} from x_i and m[0..p), written as one combination of x and the
 * history.  With h the lambda step, r_k the earlier steps over h,
 * D1_0 = (m0 - m1)/r0 and D1_1 = (m1 - m2)/r1:
 *   order 1: x' = (sig'/sig) x - a' phi1 m0,          phi1 = e^-h - 1
 *   order 2: ... - a' phi1 D1_0 / 2
 *   order 3: ... + a' phi2 D1 - a' phi3 D2, D1 = D1_0 + r0/(r0+r1)(D1_0-D1_1),
 *            D2 = (D1_0 - D1_1)/(r0+r1), phi2 = phi1/h + 1, phi3 = phi2/h - 1/2 */
static void dpmpp_update(ms_state *st, int p, int i, float *x)
{
    const vp_schedule *sc = &st->r->sched;
    const double *lam = st->lam, h = lam[i + 1] - lam[i];
    const double a = sched_alpha(sc, st->t[i + 1]);
    const double phi1 = expm1(-h);
    double c[4] = { sched_sigma(sc, st->t[i + 1]) / sched_sigma(sc, st->t[i]),
                    -a * phi1, 0.0, 0.0 };
    if (p == 2) {
        const double r0 = (lam[i] - lam[i - 1]) / h, d = -0.5 * a * phi1 / r0;
        c[1] += d;
        c[2] -= d;
    } else if (p == 3) {
        const double r0 = (lam[i] - lam[i - 1]) / h, r1 = (lam[i - 1] - lam[i - 2]) / h;
        const double phi2 = phi1 / h + 1.0, phi3 = phi2 / h - 0.5;
        const double d0 = a * phi2 * (1.0 + r0 / (r0 + r1)) - a * phi3 / (r0 + r1);
        const double d1 = -a * phi2 * r0 / (r0 + r1) + a * phi3 / (r0 + r1);
        c[1] += d0 / r0;
        c[2] += -d0 / r0 + d1 / r1;
        c[3] -= d1 / r1;
    }
    const float *v[4] = { x, st->m[0], st->m[1], st->m[2] };
    sampler_combine(x, st->n, p + 1, c, v);
}

/* Forgets the newest prediction (a conditioned run redoes its step). */
static void drop_newest(ms_state *st)
{
    float *slot = st->m[0];
    for (int k = 0; k < HISTORY - 1; k++)
        st->m[k] = st->m[k + 1];
    st->m[HISTORY - 1] = slot;
}

/* A conditioned run's hook after the update of step i, if any. */
static dctdiff_status after_update(const ms_state *st, int i, int pass, float *x, int *again)
{
    const sampler_edit *e = st->r->edit;
    *again = 0;
    if (!e || !e->after)
        return DCTDIFF_OK;
    return e->after(e->user, i, pass, st->t[i], st->t[i + 1], x, again);
}

/* A redo (the hook moved x back to t_i) replaces the step's own prediction
 * and keeps the earlier ones. */
static dctdiff_status run_dpmpp(ms_state *st, int order, float *x)
{
    for (int i = 0; i < st->steps; i++) {
        int again = 1;
        for (int pass = 0; again; pass++) {
            if (pass > 0)
                drop_newest(st);
            dctdiff_status s = predict_data(st, x, i);
            if (s != DCTDIFF_OK)
                return s;
            dpmpp_update(st, step_order(st, order, i), i, x);
            if ((s = after_update(st, i, pass, x, &again)) != DCTDIFF_OK)
                return s;
        }
    }
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* UniPC                                                                    */

/* Solves the n x n system a rho = b (n <= 3) by elimination with pivoting. */
static void solve_small(int n, double a[3][3], double *b, double *rho)
{
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        for (int k = 0; k < n; k++) {
            double tmp = a[col][k];
            a[col][k] = a[piv][k];
            a[piv][k] = tmp;
        }
        double tb = b[col];
        b[col] = b[piv];
        b[piv] = tb;
        for (int r = col + 1; r < n; r++) {
            const double f = a[r][col] / a[col][col];
            for (int k = col; k < n; k++)
                a[r][k] -= f * a[col][k];
            b[r] -= f * b[col];
        }
    }
    for (int r = n - 1; r >= 0; r--) {
        double v = b[r];
        for (int k = r + 1; k < n; k++)
            v -= a[r][k] * rho[k];
        rho[r] = v / a[r][r];
    }
}

/* UniPC's weights for order p at step i: rho_p (p - 1 of them) for the
 * predictor, rho_c (p) for the corrector, and rk[k] = (lam_{i-k} - lam_i)/h
 * for k = 1..p-1 (rk[p] = 1 stands for the new point).  With hh = -h,
 * B(h) = e^hh - 1, R[j][k] = rk^j and b_j = j! phi_{j+1}(hh) / B(h). */
static void unipc_weights(const ms_state *st, int p, int i, double *rk,
                          double *rho_p, double *rho_c)
{
    const double h = st->lam[i + 1] - st->lam[i], hh = -h, bh = expm1(hh);
    double R[3][3], b[3];
    for (int k = 1; k < p; k++)
        rk[k] = (st->lam[i - k] - st->lam[i]) / h;
    rk[p] = 1.0;
    double phik = expm1(hh) / hh - 1.0, fact = 1.0;
    for (int j = 0; j < p; j++) {
        for (int k = 0; k < p; k++)
            R[j][k] = pow(rk[k + 1], j);
        b[j] = phik * fact / bh;
        fact *= j + 2;
        phik = phik / hh - 1.0 / fact;
    }
    if (p == 2)
        rho_p[0] = 0.5;
    else if (p == 3) {
        double Rp[3][3] = { { R[0][0], R[0][1] }, { R[1][0], R[1][1] } };
        double bp[2] = { b[0], b[1] };
        solve_small(2, Rp, bp, rho_p);
    }
    if (p == 1)
        rho_c[0] = 0.5;
    else
        solve_small(p, R, b, rho_c);
}

/* out = (sig'/sig) x - a' (e^-h - 1) m0 - a' B(h) sum_k w_k (m_k - m0) / rk_k
 * over the history terms k = 1..p-1, plus w_p (new - m0) when new is given. */
static void unipc_combine(const ms_state *st, int p, int i, const double *rk,
                          const double *w, const float *x, float *const *m,
                          const float *new_m, float *out)
{
    const vp_schedule *sc = &st->r->sched;
    const double h = st->lam[i + 1] - st->lam[i];
    const double a = sched_alpha(sc, st->t[i + 1]), ab = a * expm1(-h);
    double c[5] = { sched_sigma(sc, st->t[i + 1]) / sched_sigma(sc, st->t[i]), -ab };
    const float *v[5] = { x, m[0] };
    int terms = 2;
    for (int k = 1; k < p; k++) {
        const double d = -ab * w[k - 1] / rk[k];
        c[1] -= d;
        c[terms] = d;
        v[terms++] = m[k];
    }
    if (new_m) {
        const double d = -ab * w[p - 1];
        c[1] -= d;
        c[terms] = d;
        v[terms++] = new_m;
    }
    sampler_combine(out, st->n, terms, c, v);
}

static dctdiff_status run_unipc(ms_state *st, int order, float *x)
{
    dctdiff_status s = predict_data(st, x, 0);
    for (int i = 0; s == DCTDIFF_OK && i < st->steps; i++) {
        const int p = step_order(st, order, i);
        double rk[4], rho_p[2], rho_c[3];
        unipc_weights(st, p, i, rk, rho_p, rho_c);
        if (i == st->steps - 1) {  /* no corrector: it would need one more evaluation */
            unipc_combine(st, p, i, rk, rho_p, x, st->m, NULL, x);
            break;
        }
        unipc_combine(st, p, i, rk, rho_p, x, st->m, NULL, st->u);
        /* the prediction at u becomes m[0]; this step's history moves to m[1..] */
        if ((s = predict_data(st, st->u, i + 1)) == DCTDIFF_OK)
            unipc_combine(st, p, i, rk, rho_c, x, st->m + 1, st->m[0], x);
    }
    return s;
}

/* ------------------------------------------------------------------------ */

size_t multistep_scratch_floats(size_t n)
{
    return (HISTORY + 1) * n;
}

dctdiff_status multistep_sample(const sampler_run *r, int order, int unipc, float *x,
                                float *scratch)
{
    ms_state st;
    st.r = r;
    st.n = (size_t)r->batch * r->sample_len;
    st.steps = r->steps;
    sampler_lambda_grid(&r->sched, r->edit ? r->edit->t_start : 1.0, r->steps, st.t);
    for (int i = 0; i <= r->steps; i++)
        st.lam[i] = sched_lambda(&r->sched, st.t[i]);
    for (int k = 0; k < HISTORY; k++)
        st.m[k] = scratch + k * st.n;
    st.u = scratch + HISTORY * st.n;
    return unipc ? run_unipc(&st, order, x) : run_dpmpp(&st, order, x);
}
