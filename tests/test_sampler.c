/* test_sampler.c - the samplers (generate/sampler.c, multistep.c): the
 * DPM-Solver grid of method.md §5, an exactly solvable problem (Gaussian
 * data), and 10-step runs against the PyTorch reference
 * (tests/fixtures/sampler_*.bin, made by weights/export_fixtures.py).  The
 * schedule they use is test_schedule.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture_io.h"
#include "model/model.h"
#include "generate/sampler.h"
#include "generate/schedule.h"
#include "network/uvit.h"

static const vp_schedule sched1 = { 0.1, 20.0, 1.0 };
static const vp_schedule sched4 = { 0.1, 20.0, 4.0 };

static void test_grid(void)
{
    /* method.md §5.1: the 50-step DPM-Solver grid (7 significant digits) */
    static const double want[18] = {
        1, 0.9344786, 0.8640476, 0.7874443, 0.7028473, 0.6076763, 0.4988895,
        0.3759984, 0.2502037, 0.1465558, 0.07883122, 0.04021995, 0.01943747,
        0.008645899, 0.003387495, 0.001144589, 0.0003468696, 0.0001,
    };
    int orders[SAMPLER_MAX_STEPS / 3 + 2];
    const int k = sampler_dpm_orders(50, orders);
    CHECK(k == 17 && sampler_step_count(DCTDIFF_SAMPLER_DPM_SOLVER, 50) == 17,
          "50 NFE: %d steps", k);
    for (int c = 1; c <= 4; c *= 4) {
        const vp_schedule s = { 0.1, 20.0, c };
        double t[18];
        sampler_lambda_grid(&s, 1.0, k, t);
        for (int i = 0; i <= k; i++)
            CHECK(fabs(t[i] - want[i]) <= 6e-7 * want[i], "c=%d grid[%d] = %.9g, want %.9g",
                  c, i, t[i], want[i]);
    }
    for (int i = 0; i < 16; i++)
        CHECK(orders[i] == 3, "50 NFE: order %d is %d", i, orders[i]);
    CHECK(orders[16] == 2, "50 NFE ends with a second-order step");
    int k100 = sampler_dpm_orders(100, orders);
    CHECK(k100 == 34 && orders[32] == 3 && orders[33] == 1, "100 NFE plan");
    for (int nfe = 1; nfe <= SAMPLER_MAX_STEPS; nfe++) {
        int n = sampler_dpm_orders(nfe, orders), sum = 0;
        for (int i = 0; i < n; i++)
            sum += orders[i];
        CHECK(sum == nfe && n == sampler_step_count(DCTDIFF_SAMPLER_DPM_SOLVER, nfe),
              "%d NFE: plan sums to %d in %d steps", nfe, sum, n);
    }
}

/* ------------------------------------------------------------------------ */
/* Gaussian data: x0 ~ N(0, v) per element has the exact noise predictor
 * eps(x, t) = sigma x / (alpha^2 v + sigma^2), and the probability-flow ODE
 * carries x(1) to x(t) = x(1) sqrt(alpha_t^2 v + sigma_t^2) / sqrt(...(1)). */

typedef struct {
    vp_schedule s;
    double v;
    int evals;
} gauss;

static dctdiff_status gauss_eps(void *user, const float *x, double t, float *eps)
{
    gauss *g = user;
    const double a = sched_alpha(&g->s, t), sg = sched_sigma(&g->s, t);
    for (int i = 0; i < 8; i++)
        eps[i] = (float)(sg * x[i] / (a * a * g->v + sg * sg));
    g->evals++;
    return DCTDIFF_OK;
}

static double gauss_error(dctdiff_sampler kind, int steps, double t_end, int *evals)
{
    gauss g = { sched4, 0.3, 0 };
    sampler_run r = { .kind = kind, .steps = steps, .sched = g.s, .batch = 2,
                      .sample_len = 4, .eps = gauss_eps, .user = &g };
    float x[8], scratch[40];
    for (int i = 0; i < 8; i++)
        x[i] = (float)(i - 3.5) * 0.5f;
    float x1[8];
    memcpy(x1, x, sizeof x);
    dctdiff_status st = sampler_sample(&r, x, scratch, NULL);
    CHECK(st == DCTDIFF_OK, "sampler %d failed", (int)kind);
    const double a1 = sched_alpha(&g.s, 1.0), s1 = sched_sigma(&g.s, 1.0);
    const double a = sched_alpha(&g.s, t_end), s = sched_sigma(&g.s, t_end);
    const double gain = sqrt(a * a * g.v + s * s) / sqrt(a1 * a1 * g.v + s1 * s1);
    double err = 0;
    for (int i = 0; i < 8; i++)
        err = fmax(err, fabs(x[i] - x1[i] * gain) / fabs(x1[i] * gain));
    *evals = g.evals;
    return err;
}

static void test_gaussian_exact(void)
{
    int ev;
    double e_dpm = gauss_error(DCTDIFF_SAMPLER_DPM_SOLVER, 50, 1e-4, &ev);
    CHECK(ev == 50, "DPM-Solver 50 made %d evaluations", ev);
    CHECK(e_dpm < 1e-3, "DPM-Solver 50 steps: relative error %g", e_dpm);
    /* third order: halving the step divides the error by about 8 */
    double e48 = gauss_error(DCTDIFF_SAMPLER_DPM_SOLVER, 48, 1e-4, &ev);
    double e96 = gauss_error(DCTDIFF_SAMPLER_DPM_SOLVER, 96, 1e-4, &ev);
    CHECK(e48 / e96 > 6.0, "DPM-Solver 48 -> 96 steps: error %g -> %g", e48, e96);
    /* DDIM is first order: ten times the steps, about a tenth of the error */
    double d20 = gauss_error(DCTDIFF_SAMPLER_DDIM, 20, 1e-4, &ev);
    double d200 = gauss_error(DCTDIFF_SAMPLER_DDIM, 200, 1e-4, &ev);
    CHECK(ev == 200 && d200 < d20 / 5 && d200 < 2e-2, "DDIM 20: %g, 200: %g", d20, d200);
    /* Euler ODE ends at t = 0, where the predictor is exact too */
    double u50 = gauss_error(DCTDIFF_SAMPLER_EULER_ODE, 50, 0.0, &ev);
    double u500 = gauss_error(DCTDIFF_SAMPLER_EULER_ODE, 500, 0.0, &ev);
    CHECK(ev == 500 && u500 < u50 / 5 && u500 < 2e-2, "Euler ODE 50: %g, 500: %g", u50, u500);
    /* multistep: DPM-Solver++ 2M is second order; 3M and UniPC beat it, and
     * UniPC's corrector makes its first steps third order too */
    double m40 = gauss_error(DCTDIFF_SAMPLER_DPMPP_2M, 40, 1e-4, &ev);
    double m80 = gauss_error(DCTDIFF_SAMPLER_DPMPP_2M, 80, 1e-4, &ev);
    CHECK(ev == 80 && m40 / m80 > 3.5 && m40 / m80 < 4.5, "2M 40 -> 80 steps: %g -> %g",
          m40, m80);
    double t40 = gauss_error(DCTDIFF_SAMPLER_DPMPP_3M, 40, 1e-4, &ev);
    double t80 = gauss_error(DCTDIFF_SAMPLER_DPMPP_3M, 80, 1e-4, &ev);
    CHECK(ev == 80 && t40 < m40 / 2 && t80 < m80 / 2, "3M 40: %g, 80: %g", t40, t80);
    double u40 = gauss_error(DCTDIFF_SAMPLER_UNIPC, 40, 1e-4, &ev);
    double u80 = gauss_error(DCTDIFF_SAMPLER_UNIPC, 80, 1e-4, &ev);
    CHECK(ev == 80 && u40 / u80 > 7.0 && u40 < t40 / 10, "UniPC 40 -> 80: %g -> %g",
          u40, u80);
    for (int steps = 1; steps <= 3; steps++) {
        for (int kind = 0; kind < DCTDIFF_SAMPLER_COUNT_; kind++) {
            double e = gauss_error((dctdiff_sampler)kind, steps, 1e-4, &ev);
            CHECK(isfinite(e) && ev == steps, "sampler %d, %d steps: %d evals, error %g",
                  kind, steps, ev, e);
        }
    }
}

/* The SDE must leave the data distribution: final variance ~ v. */
typedef struct {
    gauss g;
    size_t n;
} gauss_big;

static dctdiff_status gauss_eps_big(void *user, const float *x, double t, float *eps)
{
    gauss_big *gb = user;
    const double a = sched_alpha(&gb->g.s, t), sg = sched_sigma(&gb->g.s, t);
    for (size_t i = 0; i < gb->n; i++)
        eps[i] = (float)(sg * x[i] / (a * a * gb->g.v + sg * sg));
    return DCTDIFF_OK;
}

static void test_sde_distribution(void)
{
    const int batch = 4;
    const size_t len = 5000, n = batch * len;
    gauss_big gb = { { sched4, 0.3, 0 }, n };
    sampler_run r = { .kind = DCTDIFF_SAMPLER_EULER_SDE, .steps = 200, .sched = gb.g.s,
                      .batch = batch, .sample_len = len, .seed = 77, .eps = gauss_eps_big,
                      .user = &gb };
    float *x = malloc(n * sizeof *x), *scratch = malloc(sampler_scratch_floats(&r) * sizeof *scratch);
    for (size_t i = 0; i < n; i++) /* any start: the SDE forgets it by t = 0 */
        x[i] = (float)(((i * 7919) % 1000) / 500.0 - 1.0);
    CHECK(sampler_sample(&r, x, scratch, NULL) == DCTDIFF_OK, "SDE run");
    double var = 0;
    for (size_t i = 0; i < n; i++)
        var += (double)x[i] * x[i];
    var /= n;
    CHECK(fabs(var - 0.3) < 0.3 * 0.05, "SDE final variance %g, want 0.3", var);
    free(x);
    free(scratch);
}

static dctdiff_status stop_eps(void *user, const float *x, double t, float *eps)
{
    (void)x;
    (void)t;
    (void)eps;
    return ++*(int *)user == 3 ? DCTDIFF_E_CANCELLED : DCTDIFF_OK;
}

static void test_refusals(void)
{
    int calls = 0;
    float x[4] = { 0 }, scratch[20];
    sampler_run r = { .kind = DCTDIFF_SAMPLER_DPM_SOLVER, .steps = 10, .sched = sched1,
                      .batch = 1, .sample_len = 4, .eps = stop_eps, .user = &calls };
    dctdiff_error err = { 0 };
    CHECK(sampler_sample(&r, x, scratch, &err) == DCTDIFF_E_CANCELLED && calls == 3,
          "a stop from the callback ends the run (%d calls)", calls);
    r.steps = 0;
    CHECK(sampler_sample(&r, x, scratch, &err) == DCTDIFF_E_ARG, "0 steps refused");
    r.steps = SAMPLER_MAX_STEPS + 1;
    CHECK(sampler_sample(&r, x, scratch, &err) == DCTDIFF_E_ARG, "1001 steps refused");
    r.steps = 10;
    r.sched.c = 0;
    CHECK(sampler_sample(&r, x, scratch, &err) == DCTDIFF_E_ARG, "c = 0 refused");
}

/* ------------------------------------------------------------------------ */
/* 10-step runs against PyTorch: the same model, the same starting noise.
 * Metric as in test_uvit.c: norm-relative error < 1e-3 and elementwise
 * |c - ref| <= 1e-3 (|ref| + rms(ref)). */

typedef struct {
    uvit_workspace *ws;
    int n;
} net_eval;

static dctdiff_status net_eps(void *user, const float *x, double t, float *eps)
{
    net_eval *e = user;
    float tau[8];
    for (int i = 0; i < e->n; i++)
        tau[i] = (float)(999.0 * t);
    return uvit_forward(e->ws, UVIT_WHOLE, e->n, x, tau, NULL, eps, NULL);
}

static void test_against_pytorch(void)
{
    size_t size = 0;
    unsigned char *buf = fixture_read("fixtures/sampler_b2.bin", &size);
    dctdiff_model *m = NULL;
    dctdiff_error err = { 0 };
    if (!CHECK(buf && size > 28 && memcmp(buf, "DDSAMPFX", 8) == 0, "sampler fixture") ||
        !CHECK(dctdiff_model_load("fixtures/uvit_b2.safetensors", &m, &err) == DCTDIFF_OK,
               "model: %s", err.msg)) {
        free(buf);
        return;
    }
    int32_t h[5];
    memcpy(h, buf + 8, sizeof h);
    const int n = h[1], runs = h[4];
    const size_t len = (size_t)n * h[2] * h[3];
    CHECK(h[0] == 1 && n >= 1 && n <= 8 && size == 28 + runs * (16 + 4 * len),
          "sampler fixture header");
    net_eval e = { NULL, n };
    CHECK(uvit_workspace_new(m, n, 2, &e.ws, &err) == DCTDIFF_OK, "workspace");
    float *x = malloc(4 * len), *want = malloc(4 * len), *scratch = malloc(20 * len);
    for (int k = 0; e.ws && k < runs && size == 28 + runs * (16 + 4 * len); k++) {
        const unsigned char *rec = buf + 28 + k * (16 + 4 * len);
        int32_t kind_steps[2];
        double c;
        memcpy(kind_steps, rec, 8);
        memcpy(&c, rec + 8, 8);
        memcpy(want, rec + 16, 4 * len);
        sampler_run r = { .kind = (dctdiff_sampler)kind_steps[0], .steps = kind_steps[1],
                          .sched = { m->info.beta_min, m->info.beta_max, c }, .batch = n,
                          .sample_len = len / n, .eps = net_eps, .user = &e };
        fixture_pattern(x, len, 1.0);
        CHECK(sampler_sample(&r, x, scratch, &err) == DCTDIFF_OK, "run %d: %s", k, err.msg);
        const double rel = fixture_rel_l2(x, want, len);
        char label[64];
        snprintf(label, sizeof label, "sampler %d, %d steps vs PyTorch", kind_steps[0],
                 kind_steps[1]);
        printf("%s: norm-relative error %.3g\n", label, rel);
        CHECK(rel < 1e-3, "%s: norm-relative error %g", label, rel);
        check_close(label, x, want, len, 1e-3 * fixture_rms(want, len), 1e-3);
    }
    free(x);
    free(want);
    free(scratch);
    free(buf);
    uvit_workspace_free(e.ws);
    dctdiff_model_free(m);
}

int main(void)
{
    test_against_pytorch();
    test_grid();
    test_gaussian_exact();
    test_sde_distribution();
    test_refusals();
    return check_finish("test_sampler");
}
